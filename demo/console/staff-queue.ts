/** The live queue: filters on top, then requests and conversations, newest first. */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { REQUEST_KINDS, REQUEST_STATUSES } from '../../src/client/protocol.js';
import type { QueueItem } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { kindLabel, shortTime, statusLabel, fullTime } from './format.js';
import type { QueueFilters } from './staff-client.js';

export interface Named {
  id: string;
  name: string;
}

/** The hash route of a queue item (also used to mark the selected row). */
export const itemRoute = (item: Pick<QueueItem, 'item' | 'id' | 'reference'>) =>
  item.item === 'request' ? `#/request/${encodeURIComponent(item.reference ?? item.id)}` : `#/conversation/${encodeURIComponent(item.id)}`;

const STATUSES = [...REQUEST_STATUSES, 'open', 'waiting'];

@customElement('staff-queue')
export class StaffQueue extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; }
      .bar {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        gap: 0.5em;
        padding: 0.75em 0.9em 0.4em;
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0 0.9em 0.75em;
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 0.4em 0.6em;
        border-bottom: 1px solid var(--c-border);
      }
      legend { padding: 0; }
      .filter { display: flex; flex-direction: column; gap: 0.15em; min-width: 0; }
      .filter select { width: 100%; }
      .filter label { font-size: 0.8em; color: var(--c-muted); }
      .count { padding: 0.4em 0.9em; font-size: 0.85em; border-bottom: 1px solid var(--c-border); }
      ul { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; }
      li { border-bottom: 1px solid var(--c-border); }
      a {
        display: grid;
        gap: 0.15em;
        padding: 0.55em 0.9em 0.6em;
        color: inherit;
        text-decoration: none;
        border-inline-start: 4px solid transparent;
      }
      a:hover { background: #f0f3f7; }
      a:focus-visible { outline-offset: -3px; }
      a[aria-current='true'] { background: var(--c-selected); border-inline-start-color: var(--c-primary); }
      li.new a { background: var(--c-new); border-inline-start-color: var(--c-focus); }
      li.new a[aria-current='true'] { background: var(--c-selected); }
      .row { display: flex; align-items: center; gap: 0.4em; min-width: 0; }
      .row .grow { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .ref { font-weight: 700; font-variant-numeric: tabular-nums; }
      .preview {
        overflow: hidden;
        display: -webkit-box;
        -webkit-line-clamp: 2;
        -webkit-box-orient: vertical;
        overflow-wrap: anywhere;
      }
      .meta { font-size: 0.85em; color: var(--c-muted); }
      .new-badge { background: var(--c-focus); color: #1b1f24; }
      .unread { background: var(--c-primary); color: #fff; }
      time { font-size: 0.85em; color: var(--c-muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
      .empty { padding: 1.2em 0.9em; }
    `,
  ];

  @property({ attribute: false }) items: QueueItem[] = [];
  @property({ attribute: false }) filters: QueueFilters = {};
  @property({ attribute: false }) departments: Named[] = [];
  @property({ attribute: false }) sites: Named[] = [];
  @property({ attribute: false }) newIds: ReadonlySet<string> = new Set();
  @property() selected = '';
  @property({ type: Boolean }) loading = false;

  private change(key: keyof QueueFilters, event: Event) {
    const value = (event.target as HTMLSelectElement).value;
    const filters = { ...this.filters, [key]: value };
    this.dispatchEvent(new CustomEvent<QueueFilters>('filters-change', { detail: filters, bubbles: true, composed: true }));
  }

  private select(key: keyof QueueFilters, label: string, options: { value: string; label: string }[]) {
    const id = `filter-${key}`;
    const value = this.filters[key] ?? '';
    return html`<div class="filter">
      <label for=${id}>${label}</label>
      <select id=${id} @change=${(e: Event) => this.change(key, e)}>
        <option value="" ?selected=${value === ''}>All</option>
        ${options.map((o) => html`<option value=${o.value} ?selected=${value === o.value}>${o.label}</option>`)}
      </select>
    </div>`;
  }

  override render() {
    return html`
      <div class="bar">
        <h2 id="queue-heading">Queue</h2>
      </div>
      <fieldset>
        <legend class="visually-hidden">Filter the queue</legend>
        ${this.select('item', 'Type', [
          { value: 'request', label: 'Requests' },
          { value: 'conversation', label: 'Chats' },
        ])}
        ${this.select('status', 'Status', STATUSES.map((s) => ({ value: s, label: statusLabel(s) })))}
        ${this.select('kind', 'Kind', REQUEST_KINDS.map((k) => ({ value: k, label: kindLabel(k) })))}
        ${this.select('department', 'Department', this.departments.map((d) => ({ value: d.id, label: d.name })))}
        ${this.select('site', 'Site', this.sites.map((s) => ({ value: s.id, label: s.name })))}
      </fieldset>
      <p class="count muted" aria-live="polite">
        ${this.loading && !this.items.length ? 'Loading…' : `${this.items.length} item${this.items.length === 1 ? '' : 's'}`}${this.newIds.size ? html`, <strong>${this.newIds.size} new</strong>` : nothing}
      </p>
      ${this.items.length
        ? html`<ul aria-labelledby="queue-heading" aria-describedby="queue-keys" @keydown=${this.onKeydown}>${this.items.map((item) => this.row(item))}</ul>
            <p id="queue-keys" class="visually-hidden">Up and down arrow keys move between items.</p>`
        : html`<p class="empty muted">${this.loading ? '' : 'Nothing matches these filters.'}</p>`}
    `;
  }

  /** Arrow keys (and Home/End) move between rows: quicker than tabbing through a long queue. */
  private onKeydown(event: KeyboardEvent) {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const links = [...this.renderRoot.querySelectorAll<HTMLAnchorElement>('li > a')];
    const at = links.indexOf(this.renderRoot.querySelector<HTMLAnchorElement>('li > a:focus') ?? links[0]!);
    const next =
      event.key === 'Home' ? 0 : event.key === 'End' ? links.length - 1 : Math.min(links.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)));
    event.preventDefault();
    links[next]?.focus();
  }

  private row(item: QueueItem) {
    const route = itemRoute(item);
    const isNew = this.newIds.has(`${item.item}:${item.id}`);
    const title = item.item === 'request' ? item.reference ?? item.id : 'Chat';
    return html`<li class=${isNew ? 'new' : ''} data-id=${item.id} data-item=${item.item} data-status=${item.status}>
      <a href=${route} aria-current=${this.selected === route ? 'true' : 'false'}>
        <span class="row">
          <span class="ref grow">${title}${isNew ? html` <span class="badge new-badge">New</span>` : nothing}</span>
          <time datetime=${item.updatedAt} title=${fullTime(item.updatedAt)}>${shortTime(item.updatedAt)}</time>
        </span>
        <span class="row">
          <span class="badge status-${item.status}">${statusLabel(item.status)}</span>
          ${item.kind ? html`<span class="badge kind">${kindLabel(item.kind)}</span>` : nothing}
          ${item.unread ? html`<span class="badge unread">${item.unread} unread</span>` : nothing}
        </span>
        <span class="preview">${item.preview || '—'}</span>
        <span class="meta row"><span class="grow">${item.site.name} → ${item.routedTo.name}${item.service ? ` · ${item.service.name}` : ''}</span></span>
      </a>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-queue': StaffQueue;
  }
}
