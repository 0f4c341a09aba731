/**
 * The audit log (操作日志) for supervisors and administrators: newest first, each entry a sentence
 * in the console's language ("王芳 将工单 RS-… 派给 区市场监管局"), its time, a link to the item
 * and its details; filters (person, action, item, days) kept in the address
 * (`#/audit/?actor=…&action=…&kind=…&id=…&from=2026-12-01&to=2026-12-02`), "older" pages by `before`.
 *
 * `<staff-audit-trail target-kind="request" target-id="RS-…" .client=…>` is one item's own trail,
 * for the request and conversation views (it shows nothing to a role that may not read the log).
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Account, AuditEntry } from '../server/accounts/accounts-api.js';
import { base } from './console-styles.js';
import { dateTime, fullDateTime, LocalizeController, t } from './i18n.js';
import { StaffApiError, type AuditFilter, type StaffClient } from './staff-client.js';

/** What the audit log records (demo/server/staff/identity.ts AUDIT_ACTIONS), for the action filter. */
export const AUDIT_ACTION_NAMES = [
  'sign_in', 'sign_in_failed', 'sign_out', 'sign_out_everywhere',
  'account_create', 'account_change', 'account_disable', 'password_change',
  'route', 'reply', 'status', 'note', 'message', 'close', 'assign', 'claim',
  'contact_release', 'contact_view', 'attachment_view',
  'work_order', 'export', 'import', 'catalogue_change', 'settings_change',
  'merge',
  'canned_change',
  'rating_appeal', 'return_visit',
  'supervise',
  'return', 'return_overrule', 'offices',
  'delivery_retry',
] as const;

/** Item kinds one can filter by. */
const TARGET_KINDS = ['request', 'conversation', 'account', 'settings', 'catalogue', 'service', 'site', 'department', 'route', 'answer', 'privacy', 'canned_reply'] as const;

/** Detail fields with a translated name; others show their own name. */
const FIELDS = [
  'from', 'department', 'status', 'length', 'visibility', 'note', 'messageId', 'account', 'previous', 'kind', 'attachment', 'name',
  'reference', 'service', 'force', 'version', 'section', 'id', 'change', 'before', 'signature', 'title', 'fields', 'login',
  'displayName', 'role', 'source', 'session', 'sessionsEnded', 'changes', 'by', 'reason', 'after', 'site', 'disabled', 'password',
] as const;

const ROLES = ['dispatcher', 'department', 'site', 'supervisor', 'administrator'];
const SIGNATURES = ['office_name', 'office', 'office_number', 'office_initial'];
const STATUSES = ['received', 'routed', 'in_progress', 'replied', 'resolved', 'closed', 'open', 'waiting'];
const REASONS = ['locked', 'unknown_login', 'no_password', 'wrong_password', 'disabled'];

/** Names the log's ids are shown with. */
export interface AuditNames {
  departments: ReadonlyMap<string, string>;
  sites: ReadonlyMap<string, string>;
  accounts: ReadonlyMap<string, { name: string; login: string }>;
}

const EMPTY_NAMES: AuditNames = { departments: new Map(), sites: new Map(), accounts: new Map() };

/** Loads the names the caller may read (accounts only for administrators). */
export async function loadNames(client: StaffClient): Promise<AuditNames> {
  const [departments, sites, accounts] = await Promise.all([
    client.departments().catch(() => []),
    client.sites().catch(() => []),
    client.accounts().catch((): Account[] => []),
  ]);
  return {
    departments: new Map(departments.map((d) => [d.id, d.name])),
    sites: new Map(sites.map((s) => [s.id, s.name])),
    accounts: new Map(accounts.map((a) => [a.id, { name: a.displayName, login: a.login }])),
  };
}

const str = (value: unknown) => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));

/** Where an item of the log opens in the console, if it is one. */
export function itemHref(target: AuditEntry['target']): string | null {
  if (!target) return null;
  if (target.kind === 'request') return `#/request/${encodeURIComponent(target.id)}`;
  if (target.kind === 'conversation') return `#/conversation/${encodeURIComponent(target.id)}`;
  return null;
}

function scopeName(scope: string, names: AuditNames) {
  return scope === 'global' ? t('audit:scopeGlobal') : names.sites.get(scope) ?? scope;
}

/** The item as words: "工单 RS-…", "账号 wang.fang", "街道社区 新华街道". */
export function itemLabel(target: NonNullable<AuditEntry['target']>, names: AuditNames): string {
  const id = target.id;
  switch (target.kind) {
    case 'account':
      return t('audit:item.account', { id: names.accounts.get(id)?.login ?? id });
    case 'settings':
      return t('audit:item.settings', { id: scopeName(id, names) });
    case 'site':
      return t('audit:item.site', { id: names.sites.get(id) ?? id });
    case 'department':
      return t('audit:item.department', { id: names.departments.get(id) ?? id });
    case 'request':
    case 'conversation':
    case 'catalogue':
    case 'service':
    case 'route':
    case 'answer':
    case 'privacy':
    case 'canned_reply':
      return t(`audit:item.${target.kind}`, { id });
    default:
      return `${target.kind} ${id}`;
  }
}

function actorName(entry: AuditEntry): string {
  if (!entry.actor) return t('audit:system');
  return entry.actor.name ?? entry.actor.id;
}

/** The sentence's key and values for one entry. */
function sentence(entry: AuditEntry, names: AuditNames): { key: string; values: Record<string, string> } {
  const d = entry.detail;
  const dept = (id: unknown) => names.departments.get(str(id)) ?? str(id);
  const values: Record<string, string> = { actor: actorName(entry), item: ITEM };
  let key: string = entry.action;
  switch (entry.action) {
    case 'sign_in_failed':
      values.login = str(d.login);
      values.reason = REASONS.includes(str(d.reason)) ? t(`audit:reason.${str(d.reason)}`) : str(d.reason);
      break;
    case 'account_create':
      values.login = str(d.login);
      values.name = str(d.displayName);
      values.role = ROLES.includes(str(d.role)) ? t(`shell:role.${str(d.role)}`) : str(d.role);
      if (!entry.actor) key = 'account_create_system';
      break;
    case 'account_change':
    case 'account_disable':
      values.login = str(d.login);
      break;
    case 'password_change':
      values.login = str(d.login);
      if (d.by === 'administrator') key = 'password_reset';
      break;
    case 'route':
      values.department = dept(d.department);
      break;
    case 'status':
      values.status = STATUSES.includes(str(d.status)) ? t(`common:status.${str(d.status)}`) : str(d.status);
      break;
    case 'note':
      key = d.visibility === 'resident' ? 'note_resident' : 'note';
      break;
    case 'assign':
      if (!d.account) key = 'assign_none';
      values.person = names.accounts.get(str(d.account))?.name ?? str(d.account);
      break;
    case 'contact_release':
      values.department = dept(d.department);
      break;
    case 'attachment_view':
      values.name = str(d.name);
      break;
    case 'export':
      // The assessment's CSV (loop/assessment.ts): its month, not the catalogue.
      if (entry.target?.kind === 'assessment') {
        key = 'export_assessment';
        values.month = entry.target.id;
      }
      break;
    case 'work_order':
      values.reference = str(d.reference);
      break;
    case 'merge':
      values.into = str(d.into);
      break;
    case 'catalogue_change':
      if (d.change === 'delete') key = 'catalogue_delete';
      else if (d.change === 'create') key = 'catalogue_create';
      break;
    case 'settings_change':
      values.scope = entry.target ? scopeName(entry.target.id, names) : '';
      if (d.signature === null) key = 'settings_inherit';
      else values.signature = SIGNATURES.includes(str(d.signature)) ? t(`audit:signature.${str(d.signature)}`) : str(d.signature);
      break;
    case 'supervise':
      values.note = str(d.note);
      break;
    case 'return':
      values.department = dept(d.from);
      values.reason = t([`dispatch:reason.${str(d.reason)}`, 'dispatch:reason.other']);
      break;
    case 'return_overrule':
      values.department = dept(d.department);
      break;
    case 'rating_appeal':
      values.reason = str(d.reason);
      break;
    case 'return_visit':
      if (d.reached === false) key = 'return_visit_unreached';
      break;
    case 'canned_change':
      values.title = str(d.title);
      key = d.change === 'delete' ? 'canned_delete' : d.change === 'create' ? 'canned_create' : 'canned_update';
      break;
    default:
      break;
  }
  if (!(SENTENCES as readonly string[]).includes(key)) {
    key = 'unknown';
    values.action = entry.action;
  }
  return { key, values };
}

/** Sentence keys under audit action (listed for the key test DYNAMIC too). */
const SENTENCES = [
  ...AUDIT_ACTION_NAMES,
  'account_create_system', 'password_reset', 'note_resident', 'assign_none', 'catalogue_create', 'catalogue_delete',
  'settings_inherit', 'canned_create', 'canned_update', 'canned_delete', 'return_visit_unreached', 'unknown',
] as const;

/** Stands for the item in a translated sentence, so it can become a link. */
const ITEM = '\u2063item\u2063';

/** One entry as a sentence, with its item as a link where it opens in the console. */
export function entrySentence(entry: AuditEntry, names: AuditNames): TemplateResult {
  const { key, values } = sentence(entry, names);
  const text = t(`audit:action.${key}`, { ...values, interpolation: { escapeValue: false } });
  const parts = text.split(ITEM);
  const label = entry.target ? itemLabel(entry.target, names) : t('audit:noItem');
  // Accounts open in the accounts view for those who may (the names list accounts only for administrators).
  const href = itemHref(entry.target) ?? (entry.target?.kind === 'account' && names.accounts.has(entry.target.id) ? `#/accounts/${encodeURIComponent(entry.target.id)}` : null);
  const item = href ? html`<a href=${href}>${label}</a>` : html`<span class="item">${label}</span>`;
  return html`${parts.map((part, i) => html`${i ? item : nothing}${part}`)}`;
}

function formatValue(key: string, value: unknown, names: AuditNames): string {
  if (value === null || value === undefined) return t('common:none');
  if (typeof value === 'boolean') return value ? t('common:yes') : t('common:no');
  if (typeof value === 'string') {
    if (key === 'department' || key === 'from') return names.departments.get(value) ?? value;
    if (key === 'status') return STATUSES.includes(value) ? t(`common:status.${value}`) : value;
    if (key === 'role') return ROLES.includes(value) ? t(`shell:role.${value}`) : value;
    if (key === 'signature' || key === 'previous') return SIGNATURES.includes(value) ? t(`audit:signature.${value}`) : names.accounts.get(value)?.name ?? value;
    if (key === 'account') return names.accounts.get(value)?.name ?? value;
    if (key === 'reason') return REASONS.includes(value) ? t(`audit:reason.${value}`) : value;
    return value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((v) => formatValue(key, v, names)).join(t('common:listSeparator'));
  if (key === 'changes' && typeof value === 'object') {
    return Object.entries(value as Record<string, { from?: unknown; to?: unknown }>)
      .map(([field, change]) => t('audit:change', { field: fieldName(field), from: formatValue(field, change?.from, names), to: formatValue(field, change?.to, names), interpolation: { escapeValue: false } }))
      .join(t('common:listSeparator'));
  }
  return JSON.stringify(value);
}

function fieldName(key: string): string {
  return (FIELDS as readonly string[]).includes(key) ? t(`audit:field.${key}`) : key;
}

/** The entry's details, readably. */
export function entryDetails(entry: AuditEntry, names: AuditNames): TemplateResult | typeof nothing {
  const rows = Object.entries(entry.detail).filter(([k, v]) => v !== undefined && k !== 'session');
  if (!rows.length) return nothing;
  return html`<details class="more">
    <summary>${t('audit:details')}</summary>
    <dl>${rows.map(([k, v]) => html`<div><dt>${fieldName(k)}</dt><dd>${formatValue(k, v, names)}</dd></div>`)}</dl>
  </details>`;
}

const entryStyles = css`
  ol.entries { list-style: none; margin: 0; padding: 0; display: grid; gap: 0; }
  ol.entries > li { padding: 0.6em 0; border-block-end: 1px solid var(--c-border); display: grid; gap: 0.2em; }
  ol.entries time { font-size: 0.85em; color: var(--c-muted); font-variant-numeric: tabular-nums; }
  .sentence { overflow-wrap: anywhere; }
  .more summary { cursor: pointer; color: var(--c-primary); font-size: 0.85em; inline-size: fit-content; }
  .more dl { margin: 0.3em 0 0; display: grid; gap: 0.15em; font-size: 0.88em; }
  .more dl div { display: flex; gap: 0.6em; flex-wrap: wrap; }
  .more dt { color: var(--c-muted); min-inline-size: 6em; }
  .more dd { margin: 0; overflow-wrap: anywhere; }
`;

/* ---------------------------------------------------------------- the address */

export interface AuditView {
  actor?: string;
  action?: string;
  kind?: string;
  id?: string;
  from?: string;
  to?: string;
}

const VIEW_KEYS = ['actor', 'action', 'kind', 'id', 'from', 'to'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters in `#/audit/?…`. */
export function viewFromHash(hash: string): AuditView {
  const at = hash.indexOf('?');
  const params = new URLSearchParams(at >= 0 ? hash.slice(at + 1) : '');
  const view: AuditView = {};
  for (const key of VIEW_KEYS) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    if ((key === 'from' || key === 'to') && !DAY.test(value)) continue;
    view[key] = value;
  }
  return view;
}

export function hashFromView(view: AuditView): string {
  const params = new URLSearchParams();
  for (const key of VIEW_KEYS) if (view[key]) params.set(key, view[key]!);
  const qs = params.toString();
  return qs ? `#/audit/?${qs}` : '#/audit';
}

/** A day (yyyy-mm-dd) from midnight in the browser's zone, as the server's ISO time. */
function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** The server's query for these filters (a reference in the id field means the request). */
export function filterOf(view: AuditView): AuditFilter {
  const filter: AuditFilter = {};
  if (view.actor) filter.actor = view.actor;
  if (view.action) filter.action = view.action;
  const id = view.id?.trim();
  if (id) {
    const kind = view.kind || (/^RS-/i.test(id) ? 'request' : '');
    if (kind) {
      filter.targetKind = kind;
      filter.targetId = kind === 'request' ? id.toUpperCase() : id;
    } else {
      filter.targetId = id;
    }
  } else if (view.kind) {
    filter.targetKind = view.kind;
  }
  if (view.from) filter.since = dayStart(view.from);
  if (view.to) filter.until = dayStart(view.to, 1);
  return filter;
}

const PAGE = 50;

@customElement('staff-audit')
export class StaffAudit extends LitElement {
  static override styles = [
    base,
    entryStyles,
    css`
      :host { display: block; padding: 1em 1.2em 2em; max-inline-size: 72em; }
      header { display: grid; gap: 0.3em; margin-block-end: 0.8em; }
      h2 { font-size: 1.3em; }
      form.filters { display: grid; gap: 0.6em 0.8em; grid-template-columns: repeat(auto-fill, minmax(min(100%, 9.5em), 1fr)); align-items: end; padding: 0.8em; }
      .field { display: grid; gap: 0.2em; min-inline-size: 0; }
      .field input, .field select { inline-size: 100%; }
      .actions { display: flex; gap: 0.5em; flex-wrap: wrap; grid-column: 1 / -1; }
      .count { margin-block: 0.8em 0.2em; color: var(--c-muted); font-size: 0.9em; }
      .older { margin-block-start: 1em; }
      .empty { padding: 1.5em 0; color: var(--c-muted); }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  @state() private view: AuditView = viewFromHash(location.hash);
  @state() private entries: AuditEntry[] = [];
  @state() private next: number | null = null;
  @state() private loading = false;
  @state() private error = '';
  @state() private names: AuditNames = EMPTY_NAMES;

  protected readonly l10n = new LocalizeController(this);
  private loadId = 0;
  private readonly onHash = () => {
    if (!/^#\/audit(?:\/|$)/.test(location.hash)) return;
    const view = viewFromHash(location.hash);
    if (hashFromView(view) === hashFromView(this.view)) return;
    this.view = view;
    void this.load();
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    if (this.client) void this.start();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('client') && this.client && changed.get('client') === undefined && this.isConnected && !this.entries.length && !this.loading) void this.start();
  }

  private started = false;
  private async start() {
    if (this.started || !this.client) return;
    this.started = true;
    void loadNames(this.client).then((names) => (this.names = names));
    await this.load();
  }

  /** First page for the filters in the address. */
  async load() {
    if (!this.client) return;
    const id = ++this.loadId;
    this.loading = true;
    this.error = '';
    try {
      const page = await this.client.audit({ ...filterOf(this.view), limit: PAGE });
      if (id !== this.loadId) return;
      this.entries = page.entries;
      this.next = page.next;
    } catch (e) {
      if (id === this.loadId) this.error = this.failure(e);
    } finally {
      if (id === this.loadId) this.loading = false;
    }
  }

  private async older() {
    if (!this.client || this.next === null) return;
    const id = this.loadId;
    this.loading = true;
    const firstNew = this.entries.length;
    try {
      const page = await this.client.audit({ ...filterOf(this.view), limit: PAGE, before: this.next });
      if (id !== this.loadId) return;
      this.entries = [...this.entries, ...page.entries];
      this.next = page.next;
      await this.updateComplete;
      this.renderRoot.querySelectorAll<HTMLElement>('ol.entries > li')[firstNew]?.focus();
    } catch (e) {
      this.error = this.failure(e);
    } finally {
      if (id === this.loadId) this.loading = false;
    }
  }

  private failure(e: unknown) {
    if (e instanceof StaffApiError && e.status === 403) return t('audit:forbidden');
    if (e instanceof StaffApiError && e.status === 400) return t('audit:badFilter');
    return t('audit:failed', { message: (e as Error).message });
  }

  private apply(view: AuditView) {
    this.view = view;
    const hash = hashFromView(view);
    if (location.hash !== hash) history.pushState(null, '', `${location.pathname}${location.search}${hash}`);
    void this.load();
  }

  private onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const view: AuditView = {};
    for (const key of VIEW_KEYS) {
      const value = ((data.get(key) as string | null) ?? '').trim();
      if (value) view[key] = value;
    }
    this.apply(view);
  }

  private people(): [string, string][] {
    const seen = new Map<string, string>();
    for (const [id, a] of this.names.accounts) seen.set(id, t('audit:person', { name: a.name, login: a.login, interpolation: { escapeValue: false } }));
    for (const e of this.entries) if (e.actor && !seen.has(e.actor.id)) seen.set(e.actor.id, e.actor.name ?? e.actor.id);
    if (this.view.actor && !seen.has(this.view.actor)) seen.set(this.view.actor, this.view.actor);
    return [...seen].sort((a, b) => a[1].localeCompare(b[1]));
  }

  override render() {
    const v = this.view;
    const filtered = VIEW_KEYS.some((k) => v[k]);
    return html`
      <header>
        <h2 id="audit-h">${t('audit:heading')}</h2>
        <p class="muted">${t('audit:intro')}</p>
      </header>
      <form class="filters card" role="search" aria-label=${t('audit:filters')} @submit=${this.onSubmit}>
        <div class="field">
          <label for="f-actor">${t('audit:filter.actor')}</label>
          <select id="f-actor" name="actor">
            <option value="">${t('audit:filter.anyone')}</option>
            ${this.people().map(([id, name]) => html`<option value=${id} ?selected=${v.actor === id}>${name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="f-action">${t('audit:filter.action')}</label>
          <select id="f-action" name="action">
            <option value="">${t('audit:filter.anyAction')}</option>
            ${AUDIT_ACTION_NAMES.map((a) => html`<option value=${a} ?selected=${v.action === a}>${t(`audit:actionName.${a}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="f-kind">${t('audit:filter.kind')}</label>
          <select id="f-kind" name="kind">
            <option value="">${t('audit:filter.anyKind')}</option>
            ${TARGET_KINDS.map((k) => html`<option value=${k} ?selected=${v.kind === k}>${t(`audit:kind.${k}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="f-id">${t('audit:filter.id')}</label>
          <input id="f-id" name="id" .value=${v.id ?? ''} spellcheck="false" autocomplete="off" aria-describedby="f-id-hint" />
          <span id="f-id-hint" class="visually-hidden">${t('audit:filter.idHint')}</span>
        </div>
        <div class="field">
          <label for="f-from">${t('audit:filter.from')}</label>
          <input id="f-from" name="from" type="date" .value=${v.from ?? ''} />
        </div>
        <div class="field">
          <label for="f-to">${t('audit:filter.to')}</label>
          <input id="f-to" name="to" type="date" .value=${v.to ?? ''} />
        </div>
        <div class="actions">
          <button type="submit">${t('audit:filter.apply')}</button>
          ${filtered ? html`<button type="button" class="secondary" @click=${() => this.apply({})}>${t('audit:filter.clear')}</button>` : nothing}
        </div>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="count" role="status">${this.loading && !this.entries.length ? t('audit:loading') : t('audit:shown', { count: this.entries.length })}</p>
      ${!this.loading && !this.error && !this.entries.length ? html`<p class="empty">${filtered ? t('audit:emptyFiltered') : t('audit:empty')}</p>` : nothing}
      <ol class="entries" aria-labelledby="audit-h">
        ${this.entries.map(
          (e) => html`<li tabindex="-1" data-action=${e.action}>
            <time datetime=${e.at} title=${fullDateTime(e.at)}>${dateTime(e.at)}</time>
            <span class="sentence">${entrySentence(e, this.names)}</span>
            ${entryDetails(e, this.names)}
          </li>`,
        )}
      </ol>
      ${this.next !== null
        ? html`<button type="button" class="secondary older" ?disabled=${this.loading} @click=${this.older}>${this.loading ? t('audit:loading') : t('audit:older')}</button>`
        : nothing}
    `;
  }
}

/** One item's own audit trail, newest first (for the request and conversation views). */
@customElement('staff-audit-trail')
export class StaffAuditTrail extends LitElement {
  static override styles = [
    base,
    entryStyles,
    css`
      :host { display: block; }
      :host([hidden]) { display: none; }
      h3 { margin-block-end: 0.3em; }
      .older { margin-block-start: 0.5em; }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  @property({ attribute: 'target-kind' }) targetKind = '';
  @property({ attribute: 'target-id' }) targetId = '';
  @state() private entries: AuditEntry[] = [];
  @state() private next: number | null = null;
  /** The caller's role may not read the log: nothing is shown. */
  @state() private forbidden = false;
  @state() private error = '';
  @state() private names: AuditNames = EMPTY_NAMES;

  protected readonly l10n = new LocalizeController(this);
  private loadId = 0;

  override updated(changed: Map<string, unknown>) {
    if ((changed.has('client') || changed.has('targetKind') || changed.has('targetId')) && this.client && this.targetKind && this.targetId) void this.reload();
  }

  /** Reads the trail again (after an action on the item). */
  async reload() {
    if (!this.client) return;
    const id = ++this.loadId;
    try {
      const page = await this.client.audit({ targetKind: this.targetKind, targetId: this.targetId, limit: 20 });
      if (id !== this.loadId) return;
      this.entries = page.entries;
      this.next = page.next;
      this.error = '';
      if (this.names === EMPTY_NAMES) void loadNames(this.client).then((names) => (this.names = names));
    } catch (e) {
      if (id !== this.loadId) return;
      if (e instanceof StaffApiError && (e.status === 403 || e.status === 401)) this.forbidden = true;
      else this.error = t('audit:failed', { message: (e as Error).message });
    }
  }

  private async older() {
    if (!this.client || this.next === null) return;
    const page = await this.client.audit({ targetKind: this.targetKind, targetId: this.targetId, limit: 50, before: this.next });
    this.entries = [...this.entries, ...page.entries];
    this.next = page.next;
  }

  override render() {
    if (this.forbidden) return nothing;
    return html`<section aria-labelledby="trail-h">
      <h3 id="trail-h">${t('audit:trail.heading')}</h3>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${!this.error && !this.entries.length ? html`<p class="muted">${t('audit:trail.empty')}</p>` : nothing}
      <ol class="entries">
        ${this.entries.map(
          (e) => html`<li data-action=${e.action}>
            <time datetime=${e.at} title=${fullDateTime(e.at)}>${dateTime(e.at)}</time>
            <span class="sentence">${entrySentence({ ...e, target: null }, this.names)}</span>
            ${entryDetails(e, this.names)}
          </li>`,
        )}
      </ol>
      ${this.next !== null ? html`<button type="button" class="secondary older" @click=${this.older}>${t('audit:older')}</button>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-audit': StaffAudit;
    'staff-audit-trail': StaffAuditTrail;
  }
}
