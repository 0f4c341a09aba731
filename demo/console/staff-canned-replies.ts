/**
 * A searchable picker of canned replies for a composer (the chat's, a request's reply box). It
 * inserts, it never sends: the chosen text, placeholders filled in, goes to the composer through
 * the `canned-insert` event, where the operator edits it before sending.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { CannedReply } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { LocalizeController, t } from './i18n.js';
import type { StaffClient } from './staff-client.js';

/** What placeholders are filled with; an unknown value leaves its placeholder in for the operator to replace. */
export interface CannedContext {
  /** How to address the resident (`王女士`); without it `{居民称呼}` becomes the polite general form. */
  name?: string | null;
  /** The request's reference. */
  reference?: string | null;
  /** The department answering. */
  department?: string | null;
  /** The member of staff. */
  agent?: string | null;
}

const PLACEHOLDERS: Record<string, keyof CannedContext> = {
  居民称呼: 'name',
  name: 'name',
  reference: 'reference',
  编号: 'reference',
  受理编号: 'reference',
  部门: 'department',
  department: 'department',
  坐席: 'agent',
  agent: 'agent',
};

/**
 * `{居民称呼}您好，受理编号 {reference}` with the context's values. `{居民称呼}` without a name
 * becomes `fallbackName`; other placeholders without a value stay as written.
 */
export function fillPlaceholders(text: string, context: CannedContext, fallbackName = ''): string {
  return text.replace(/\{([^{}\s]{1,20})\}/g, (whole, name: string) => {
    const key = PLACEHOLDERS[name];
    if (!key) return whole;
    const value = context[key]?.trim();
    if (value) return value;
    return key === 'name' && fallbackName ? fallbackName : whole;
  });
}

/** Whether a reply matches what was typed: every word, in its title or text, any case. */
export function matches(reply: Pick<CannedReply, 'title' | 'text' | 'department'>, typed: string): boolean {
  const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = `${reply.title}\n${reply.text}\n${reply.department.name}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** `detail` of `canned-insert`. */
export interface CannedInsertDetail {
  /** The text with its placeholders filled in. */
  text: string;
  reply: CannedReply;
}

/**
 * @summary Canned replies for a composer: a button that opens a searchable list.
 *
 * Keyboard: the button (or Alt+/ in the composer, if the host forwards it through `open()`) opens
 * the list with the search box focused; typing filters; ArrowDown/ArrowUp (Home/End) move through
 * the replies; Enter inserts the highlighted one; Escape closes and returns to the button.
 *
 * @event {CustomEvent<CannedInsertDetail>} canned-insert - A reply was chosen. Bubbles, composed.
 *   The host puts `detail.text` into its composer (editable; nothing is sent).
 *
 * @property client - The StaffClient (replies are loaded on first opening).
 * @property context - Values for the placeholders (resident's name, reference, department, agent).
 * @property department - Only this department's replies (and the shared ones); default: all the caller may use.
 */
@customElement('staff-canned-replies')
export class StaffCannedReplies extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: inline-block; position: relative; }
      .picker {
        position: absolute;
        inset-block-end: calc(100% + 0.3em);
        inset-inline-start: 0;
        z-index: 3;
        width: min(34em, calc(100vw - 2em));
        display: grid;
        gap: 0.4em;
        padding: 0.6em;
        background: var(--c-surface);
        border: 1px solid var(--c-border);
        border-radius: 8px;
        box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
      }
      .picker input { width: 100%; }
      ul { list-style: none; margin: 0; padding: 0; max-height: min(18em, 45vh); overflow-y: auto; display: grid; gap: 2px; }
      li {
        display: grid;
        gap: 0.1em;
        padding: 0.4em 0.55em;
        border-radius: 6px;
        cursor: pointer;
        border: 1px solid transparent;
      }
      li[aria-selected='true'] { background: var(--c-selected); border-color: var(--c-primary); }
      li .title { font-weight: 600; }
      li .dept { font-size: 0.8em; color: var(--c-muted); font-weight: 400; margin-inline-start: 0.4em; }
      li .body { font-size: 0.88em; color: var(--c-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .empty, .count { font-size: 0.85em; color: var(--c-muted); }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  @property({ attribute: false }) context: CannedContext = {};
  @property() department = '';
  @property({ type: Boolean }) disabled = false;

  @state() private open = false;
  @state() private replies: CannedReply[] | null = null;
  @state() private typed = '';
  @state() private active = 0;
  @state() private error = '';
  @query('input') private search?: HTMLInputElement;
  @query('button.toggle') private toggle?: HTMLButtonElement;

  /** Re-renders on a language change. */
  protected readonly l10n = new LocalizeController(this);
  private loading?: Promise<void>;
  private readonly onOutside = (event: Event) => {
    if (this.open && !event.composedPath().includes(this)) this.close(false);
  };

  override connectedCallback() {
    super.connectedCallback();
    document.addEventListener('pointerdown', this.onOutside);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutside);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('client') || changed.has('department')) {
      this.replies = null;
      this.loading = undefined;
    }
  }

  /** Opens the list with the search box focused (the host may call it from a shortcut). */
  async show() {
    if (this.disabled) return;
    this.open = true;
    this.typed = '';
    this.active = 0;
    void this.load();
    await this.updateComplete;
    this.search?.focus();
  }

  private close(refocus = true) {
    this.open = false;
    if (refocus) this.toggle?.focus();
  }

  private load(): Promise<void> {
    if (!this.client) return Promise.resolve();
    this.loading ??= this.client.cannedReplies(this.department ? { department: this.department } : {}).then(
      (replies) => {
        this.replies = replies;
        this.error = '';
      },
      () => {
        this.replies = [];
        this.error = t('canned:error');
        this.loading = undefined;
      },
    );
    return this.loading;
  }

  private get shown(): CannedReply[] {
    return (this.replies ?? []).filter((r) => matches(r, this.typed));
  }

  private insert(reply: CannedReply) {
    const text = fillPlaceholders(reply.text, this.context, t('canned:fallbackName'));
    this.dispatchEvent(new CustomEvent<CannedInsertDetail>('canned-insert', { detail: { text, reply }, bubbles: true, composed: true }));
    this.open = false;
  }

  private onKeydown(event: KeyboardEvent) {
    const list = this.shown;
    const last = list.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        this.active = this.active >= last ? 0 : this.active + 1;
        break;
      case 'ArrowUp':
        this.active = this.active <= 0 ? Math.max(0, last) : this.active - 1;
        break;
      case 'Home':
        this.active = 0;
        break;
      case 'End':
        this.active = Math.max(0, last);
        break;
      case 'Enter':
        if (event.isComposing) return;
        if (list[this.active]) this.insert(list[this.active]!);
        break;
      case 'Escape':
        this.close();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    void this.updateComplete.then(() => this.renderRoot.querySelector('li[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' }));
  }

  private onSearch(event: Event) {
    this.typed = (event.target as HTMLInputElement).value;
    this.active = 0;
  }

  override render() {
    const list = this.shown;
    const active = Math.min(this.active, Math.max(0, list.length - 1));
    return html`<button type="button" class="toggle secondary" aria-haspopup="listbox" aria-expanded=${this.open ? 'true' : 'false'}
        ?disabled=${this.disabled} @click=${() => (this.open ? this.close() : void this.show())}>${t('canned:button')}</button>
      ${this.open
        ? html`<div class="picker" role="group" aria-label=${t('canned:label')}>
            <input type="search" role="combobox" aria-expanded="true" aria-controls="canned-list" aria-autocomplete="list"
              aria-label=${t('canned:search')} placeholder=${t('canned:placeholder')} autocomplete="off"
              aria-activedescendant=${list.length ? `canned-${active}` : ''} aria-describedby="canned-count"
              .value=${this.typed} @input=${this.onSearch} @keydown=${this.onKeydown} />
            <ul id="canned-list" role="listbox" aria-label=${t('canned:label')}>
              ${list.map((r, i) => html`<li id=${`canned-${i}`} role="option" aria-selected=${i === active ? 'true' : 'false'} data-id=${r.id}
                  @pointerdown=${(e: Event) => e.preventDefault()} @click=${() => this.insert(r)} @pointermove=${() => (this.active = i)}>
                  <span class="title">${r.title}<span class="dept">${r.shared ? t('canned:shared') : r.department.name}</span></span>
                  <span class="body">${fillPlaceholders(r.text, this.context, t('canned:fallbackName'))}</span>
                </li>`)}
            </ul>
            <p id="canned-count" class=${this.replies && !list.length ? 'empty' : 'count'} role="status">
              ${this.replies === null ? t('canned:loading') : this.error || (list.length ? t('canned:count', { count: list.length }) : t('canned:none'))}
            </p>
          </div>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-canned-replies': StaffCannedReplies;
  }
  interface HTMLElementEventMap {
    'canned-insert': CustomEvent<CannedInsertDetail>;
  }
}
