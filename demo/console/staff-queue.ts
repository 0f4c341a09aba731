/**
 * The live queue: search and filters on top, then requests and conversations in the order asked
 * for, a page at a time ("load more" past the first page). The filters live in the address
 * (console-app.ts keeps them there); this element only shows them and reports changes.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { REQUEST_KINDS, REQUEST_STATUSES } from '../../src/client/protocol.js';
import { QUEUE_SORTS, type QueueItem } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { dateAndTime, fullTime, kindLabel, statusLabel } from './format.js';
import { LocalizeController, number, t } from './i18n.js';
import type { QueueFilters } from './staff-client.js';

export interface Named {
  id: string;
  name: string;
}

/** The hash route of a queue item (also used to mark the selected row). */
export const itemRoute = (item: Pick<QueueItem, 'item' | 'id' | 'reference'>) =>
  item.item === 'request' ? `#/request/${encodeURIComponent(item.reference ?? item.id)}` : `#/conversation/${encodeURIComponent(item.id)}`;

const STATUSES = [...REQUEST_STATUSES, 'open', 'waiting'];

/** How long typing in the search box waits before it searches. */
const SEARCH_DELAY_MS = 350;

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
      form.search { display: flex; gap: 0.4em; padding: 0 0.9em 0.5em; }
      form.search input { flex: 1; min-inline-size: 0; }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0 0.9em 0.6em;
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 0.4em 0.6em;
      }
      legend { padding: 0; }
      .filter { display: flex; flex-direction: column; gap: 0.15em; min-inline-size: 0; }
      .filter select { inline-size: 100%; }
      .filter label { font-size: 0.8em; color: var(--c-muted); }
      .checks { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 0.3em 1em; align-items: center; }
      .checks label { display: inline-flex; align-items: center; gap: 0.35em; font-size: 0.9em; min-height: 2em; }
      .checks input { inline-size: 1.1em; block-size: 1.1em; margin: 0; }
      .checks .clear { margin-inline-start: auto; font-size: 0.85em; min-height: 2em; }
      .count { padding: 0.4em 0.9em; font-size: 0.85em; border-block: 1px solid var(--c-border); }
      .list { overflow-y: auto; flex: 1; min-height: 0; }
      ul { list-style: none; margin: 0; padding: 0; }
      li { border-block-end: 1px solid var(--c-border); }
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
      .row { display: flex; align-items: center; gap: 0.4em; min-inline-size: 0; flex-wrap: wrap; }
      .row .grow { flex: 1; min-inline-size: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
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
      .badge.returned { background: #fff0d6; color: #7a4a00; }
      .badge.escalated { background: #fde2e1; color: #8a1c14; }
      .badge.due-overdue { background: #8a1c14; color: #fff; }
      .badge.due-soon { background: #fff1c2; color: #6b4e00; }
      .unread { background: var(--c-primary); color: #fff; }
      .assignee { font-size: 0.85em; color: var(--c-muted); }
      time { font-size: 0.85em; color: var(--c-muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
      .empty { padding: 1.2em 0.9em; }
      .more { padding: 0.7em 0.9em 1em; display: flex; justify-content: center; }
      .toggle { display: none; }
      /* Phones: the filters fold away behind one button, so the list starts near the top. */
      @media (max-width: 599.98px) {
        .toggle { display: inline-flex; font-size: 0.85em; min-height: 2em; }
        fieldset:not(.open) { display: none; }
      }
    `,
  ];

  @property({ attribute: false }) items: QueueItem[] = [];
  @property({ attribute: false }) filters: QueueFilters = {};
  @property({ attribute: false }) departments: Named[] = [];
  @property({ attribute: false }) sites: Named[] = [];
  /** Site id → IANA time zone: each item's times are shown in its site's. */
  @property({ attribute: false }) timeZones: ReadonlyMap<string, string> = new Map();
  @property({ attribute: false }) newIds: ReadonlySet<string> = new Set();
  /** Items matching the filters in all (every page). */
  @property({ type: Number }) total = 0;
  /** Whether there is a page after the ones shown. */
  @property({ type: Boolean }) more = false;
  @property() selected = '';
  @property({ type: Boolean }) loading = false;
  @query('#queue-search') private searchInput?: HTMLInputElement;

  protected readonly l10n = new LocalizeController(this);
  @state() private filtersOpen = false;
  private searchTimer?: ReturnType<typeof setTimeout>;

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  private emit(filters: QueueFilters) {
    this.dispatchEvent(new CustomEvent<QueueFilters>('filters-change', { detail: filters, bubbles: true, composed: true }));
  }

  private change(key: 'status' | 'site' | 'kind' | 'department' | 'item' | 'sort' | 'due', event: Event) {
    const value = (event.target as HTMLSelectElement).value;
    this.emit({ ...this.filters, [key]: value });
  }

  private toggle(key: 'mine' | 'unassigned', event: Event) {
    const on = (event.target as HTMLInputElement).checked;
    // Mine and unassigned exclude each other.
    const other = key === 'mine' ? 'unassigned' : 'mine';
    this.emit({ ...this.filters, [key]: on, ...(on ? { [other]: false } : {}) });
  }

  private onSearchInput() {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.search(), SEARCH_DELAY_MS);
  }

  private onSearchSubmit(event: SubmitEvent) {
    event.preventDefault();
    clearTimeout(this.searchTimer);
    this.search();
  }

  private search() {
    const q = this.searchInput?.value.trim() ?? '';
    if (q !== (this.filters.q ?? '')) this.emit({ ...this.filters, q });
  }

  private clear() {
    if (this.searchInput) this.searchInput.value = '';
    this.emit({});
  }

  private loadMore() {
    this.dispatchEvent(new CustomEvent('load-more', { bubbles: true, composed: true }));
  }

  private select(key: 'status' | 'site' | 'kind' | 'department' | 'item' | 'due', label: string, options: { value: string; label: string }[]) {
    const id = `filter-${key}`;
    const value = this.filters[key] ?? '';
    return html`<div class="filter">
      <label for=${id}>${label}</label>
      <select id=${id} @change=${(e: Event) => this.change(key, e)}>
        <option value="" ?selected=${value === ''}>${t('queue:filter.all')}</option>
        ${options.map((o) => html`<option value=${o.value} ?selected=${value === o.value}>${o.label}</option>`)}
      </select>
    </div>`;
  }

  private get filtered() {
    return !!this.filters.q || this.active > 0;
  }

  /** How many filters (not the search) are set. */
  private get active() {
    const f = this.filters;
    return [f.status, f.site, f.kind, f.department, f.item, f.due, f.mine, f.unassigned, f.escalated, f.returned, f.sort && f.sort !== 'updated'].filter(Boolean).length;
  }

  override render() {
    const sort = this.filters.sort || 'updated';
    return html`
      <div class="bar">
        <h2 id="queue-heading">${t('queue:heading')}</h2>
        <button type="button" class="secondary toggle" aria-controls="queue-filters" aria-expanded=${this.filtersOpen ? 'true' : 'false'}
          @click=${() => (this.filtersOpen = !this.filtersOpen)}>${this.active ? t('queue:filter.toggleActive', { n: number(this.active), count: this.active }) : t('queue:filter.toggle')}</button>
      </div>
      <form class="search" role="search" @submit=${this.onSearchSubmit}>
        <label for="queue-search" class="visually-hidden">${t('queue:search.label')}</label>
        <input id="queue-search" type="search" name="q" .value=${this.filters.q ?? ''} maxlength="200" autocomplete="off" spellcheck="false"
          placeholder=${t('queue:search.placeholder')} aria-describedby="queue-search-hint" @input=${this.onSearchInput} />
        <button type="submit" class="secondary">${t('queue:search.submit')}</button>
        <span id="queue-search-hint" class="visually-hidden">${t('queue:search.hint')}</span>
      </form>
      <fieldset id="queue-filters" class=${this.filtersOpen ? 'open' : ''}>
        <legend class="visually-hidden">${t('queue:filter.legend')}</legend>
        ${this.select('item', t('queue:filter.item'), [
          { value: 'request', label: t('queue:filter.requests') },
          { value: 'conversation', label: t('queue:filter.conversations') },
        ])}
        ${this.select('status', t('queue:filter.status'), STATUSES.map((s) => ({ value: s, label: statusLabel(s) })))}
        ${this.select('kind', t('queue:filter.kind'), REQUEST_KINDS.map((k) => ({ value: k, label: kindLabel(k) })))}
        ${this.select('department', t('queue:filter.department'), this.departments.map((d) => ({ value: d.id, label: d.name })))}
        ${this.select('site', t('queue:filter.site'), this.sites.map((s) => ({ value: s.id, label: s.name })))}
        ${this.select('due', t('queue:filter.due'), [
          { value: 'overdue', label: t('queue:due.overdue') },
          { value: 'soon', label: t('queue:due.soon') },
        ])}
        <div class="filter">
          <label for="filter-sort">${t('queue:sort.label')}</label>
          <select id="filter-sort" @change=${(e: Event) => this.change('sort', e)}>
            ${QUEUE_SORTS.map((s) => html`<option value=${s} ?selected=${sort === s}>${t(`queue:sort.${s}`)}</option>`)}
          </select>
        </div>
        <div class="checks">
          <label><input type="checkbox" id="filter-mine" .checked=${!!this.filters.mine} @change=${(e: Event) => this.toggle('mine', e)} />${t('queue:filter.mine')}</label>
          <label><input type="checkbox" id="filter-unassigned" .checked=${!!this.filters.unassigned} @change=${(e: Event) => this.toggle('unassigned', e)} />${t('queue:filter.unassigned')}</label>
          <label><input type="checkbox" id="filter-returned" .checked=${!!this.filters.returned} @change=${(e: Event) => this.emit({ ...this.filters, returned: (e.target as HTMLInputElement).checked })} />${t('dispatch:queue.returned')}</label>
          <label><input type="checkbox" id="filter-escalated" .checked=${!!this.filters.escalated} @change=${(e: Event) => this.emit({ ...this.filters, escalated: (e.target as HTMLInputElement).checked })} />${t('queue:filter.escalated')}</label>
          ${this.filtered ? html`<button type="button" class="secondary clear" @click=${this.clear}>${t('queue:filter.clear')}</button>` : nothing}
        </div>
      </fieldset>
      <p class="count muted" aria-live="polite" data-total=${this.total}>
        ${this.loading && !this.items.length
          ? t('queue:loading')
          : this.items.length < this.total
            ? t('queue:count.some', { shown: number(this.items.length), total: number(this.total), count: this.total })
            : t('queue:count.all', { total: number(this.total), count: this.total })}${this.newIds.size
          ? html`${t('common:listSeparator')}<strong>${t('queue:count.new', { n: number(this.newIds.size), count: this.newIds.size })}</strong>`
          : nothing}
      </p>
      <div class="list">
        ${this.items.length
          ? html`<ul aria-labelledby="queue-heading" aria-describedby="queue-keys" @keydown=${this.onKeydown}>${this.items.map((item) => this.row(item, sort))}</ul>
              <p id="queue-keys" class="visually-hidden">${t('queue:keys')}</p>
              ${this.more
                ? html`<p class="more"><button type="button" class="secondary" ?disabled=${this.loading} @click=${this.loadMore}>${this.loading ? t('queue:loading') : t('queue:more')}</button></p>`
                : nothing}`
          : html`<p class="empty muted">${this.loading ? '' : this.filtered ? t('queue:empty.filtered') : t('queue:empty.none')}</p>`}
      </div>
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

  /** Overdue or due soon (loop/deadlines.ts), with the limit that counts on the site's clock. */
  private dueBadge(item: QueueItem, zone: string | undefined) {
    if (!item.due) return nothing;
    // The reply's limit while a reply is awaited, then the resolution's.
    const at = item.replyBy && ['received', 'routed', 'in_progress'].includes(item.status) ? item.replyBy : item.resolveBy;
    const limit = at ? ` · ${dateAndTime(at, zone)}` : '';
    return html`<span class="badge due-${item.due}" data-due=${item.due} title=${at ? t('queue:due.limit', { time: fullTime(at, zone) }) : nothing}>${t(`queue:due.${item.due}`)}${limit}</span>`;
  }

  private row(item: QueueItem, sort: string) {
    const route = itemRoute(item);
    const isNew = this.newIds.has(`${item.item}:${item.id}`);
    const title = item.item === 'request' ? item.reference ?? item.id : t('common:item.conversation');
    const zone = this.timeZones.get(item.site.id);
    // The time the list is ordered by: the last change, or when it came in.
    const at = sort === 'updated' ? item.updatedAt : item.createdAt;
    const atLabel = sort === 'updated' ? t('queue:time.updated') : t('queue:time.created');
    return html`<li class=${isNew ? 'new' : ''} data-id=${item.id} data-item=${item.item} data-status=${item.status}>
      <a href=${route} aria-current=${this.selected === route ? 'true' : 'false'}>
        <span class="row">
          <span class="ref grow">${title}${isNew ? html` <span class="badge new-badge">${t('queue:new')}</span>` : nothing}</span>
          <time datetime=${at} title=${`${atLabel} ${fullTime(at, zone)}`}><span class="visually-hidden">${atLabel} </span>${dateAndTime(at, zone)}</time>
        </span>
        <span class="row">
          <span class="badge status-${item.status}">${statusLabel(item.status)}</span>
          ${item.kind ? html`<span class="badge kind">${kindLabel(item.kind)}</span>` : nothing}
          ${item.returned ? html`<span class="badge returned" data-returned>${t('dispatch:queue.returnedBadge')}</span>` : nothing}
          ${this.dueBadge(item, zone)}
          ${item.escalation ? html`<span class="badge escalated" data-escalation=${item.escalation.level}>${t('queue:escalated', { level: number(item.escalation.level) })}</span>` : nothing}
          ${item.unread ? html`<span class="badge unread">${t('queue:unread', { n: number(item.unread), count: item.unread })}</span>` : nothing}
          ${item.assignee ? html`<span class="assignee" data-assignee=${item.assignee.id}>${t('queue:assignee', { name: item.assignee.name })}</span>` : nothing}
          ${item.firstOffice && item.firstOffice.id !== item.routedTo.id ? html`<span class="assignee" data-first-office>${t('dispatch:queue.firstOffice', { office: item.firstOffice.name })}</span>` : nothing}
        </span>
        <span class="preview">${item.preview || t('common:none')}</span>
        <span class="meta row"><span class="grow">${t(item.service ? 'queue:route.withService' : 'queue:route.plain', { site: item.site.name, department: item.routedTo.name, service: item.service?.name ?? '' })}</span></span>
      </a>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-queue': StaffQueue;
  }
}
