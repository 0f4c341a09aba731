/**
 * The staff console: sign in (login and password, or a staff token), then a live queue, one item
 * in detail and the metrics, and the pages a role may open (PAGES). In simplified Chinese by
 * default, or English (i18n.ts; `?lang=`).
 *
 * The address: `?api=` the API base (default http://127.0.0.1:8787/api/v1); `?token=` signs in
 * with a token and is then removed from the address bar; the queue's search, filters and order
 * (`q`, `status`, `kind`, `site`, `department`, `item`, `mine`, `unassigned`, `sort`) are kept
 * in the query, so reload, links, back and forward keep them; the hash is the item or page
 * (`#/request/RS-…`, `#/conversation/…`, `#/<page>…`). The session token is kept in
 * sessionStorage (this tab only).
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { QueueItem } from '../server/staff/staff-api.js';
import { QUEUE_SORTS } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { kindLabel } from './format.js';
import { i18n, isLanguage, language, LANGUAGE_NAMES, LANGUAGES, LocalizeController, number, setLanguage, t } from './i18n.js';
import { DEFAULT_API_BASE, StaffApiError, StaffClient, type QueueFilters, type SessionUser, type StreamState } from './staff-client.js';
import './staff-conversation.js';
import './staff-canned-manager.js';
import './staff-metrics.js';
import './staff-return-visits.js';
import './staff-queue.js';
import { itemRoute, type Named } from './staff-queue.js';
import './staff-request.js';
import './staff-catalogue.js';
import './staff-audit.js';
import './staff-assessment.js';
import './staff-accounts.js';
import './staff-settings.js';
import { setupTokenOf } from './staff-setup.js';
import type { StaffMetrics } from './staff-metrics.js';
import type { StaffRequest } from './staff-request.js';
import type { StaffConversationView } from './staff-conversation.js';

const TOKEN_KEY = 'intake-console.token';
const API_KEY = 'intake-console.api';

/** Items per queue page ("load more" asks for the next). */
const PAGE_SIZE = 100;

/**
 * Pages beside the queue and metrics, one line each: the hash segment (`#/<path>…`), the nav
 * label key, who may open it, and what it shows. The page's element reads the rest of the hash
 * itself. Add an entry when the view's file exists (import it above).
 */
interface Page {
  path: string;
  label: string;
  roles: readonly string[];
  render: (client: StaffClient) => TemplateResult;
}
const PAGES: Page[] = [
  // The city's catalogue (staff-catalogue.ts reads `#/catalogue/<section>/<id>` itself).
  { path: 'catalogue', label: 'catalogue:title', roles: ['administrator'], render: (client) => html`<staff-catalogue .client=${client}></staff-catalogue>` },
  // Audit log, accounts, settings, my account (staff-audit.ts, staff-accounts.ts, staff-settings.ts read the rest of the hash).
  { path: 'return-visits', label: 'returnVisits:nav', roles: ['dispatcher', 'supervisor'], render: (client) => html`<staff-return-visits .client=${client}></staff-return-visits>` },
  { path: 'assessment', label: 'assessment:nav', roles: ['supervisor', 'dispatcher'], render: (client) => html`<staff-assessment .client=${client}></staff-assessment>` },
  { path: 'audit', label: 'audit:heading', roles: ['supervisor', 'administrator'], render: (client) => html`<staff-audit .client=${client}></staff-audit>` },
  { path: 'accounts', label: 'accounts:heading', roles: ['administrator'], render: (client) => html`<staff-accounts .client=${client}></staff-accounts>` },
  { path: 'settings', label: 'settings:heading', roles: ['administrator'], render: (client) => html`<staff-settings .client=${client}></staff-settings>` },
  // Canned replies of one's department (staff-canned-manager.ts): department officers and administrators write them.
  { path: 'canned', label: 'canned:manage.heading', roles: ['department', 'administrator'], render: (client) => html`<staff-canned-manager .client=${client}></staff-canned-manager>` },
  { path: 'me', label: 'accounts:me.heading', roles: ['dispatcher', 'department', 'site', 'supervisor', 'administrator'], render: (client) => html`<staff-my-account .client=${client}></staff-my-account>` },
];

type Route =
  | { item: 'request'; key: string }
  | { item: 'conversation'; key: string }
  | { page: string }
  | null;

function parseRoute(hash: string): Route {
  const match = /^#\/(request|conversation)\/(.+)$/.exec(hash);
  if (match) return { item: match[1] as 'request' | 'conversation', key: decodeURIComponent(match[2]!) };
  const page = /^#\/([a-z-]+)(?:\/.*)?$/.exec(hash);
  if (page && PAGES.some((p) => p.path === page[1])) return { page: page[1]! };
  return null;
}

const itemOf = (route: Route) => (route && 'item' in route ? route : null);

const FILTER_KEYS = ['q', 'status', 'kind', 'site', 'department', 'item', 'sort', 'due'] as const;

/** The queue's filters as the address has them. */
export function filtersFromSearch(search: string): QueueFilters {
  const params = new URLSearchParams(search);
  const filters: QueueFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    if (key === 'item') {
      if (value === 'request' || value === 'conversation') filters.item = value;
    } else if (key === 'due') {
      if (value === 'overdue' || value === 'soon') filters.due = value;
    } else if (key === 'sort') {
      if ((QUEUE_SORTS as readonly string[]).includes(value)) filters.sort = value as QueueFilters['sort'];
    } else {
      filters[key] = value;
    }
  }
  if (params.get('mine') === '1') filters.mine = true;
  else if (params.get('unassigned') === '1') filters.unassigned = true;
  if (params.get('returned') === '1') filters.returned = true;
  if (params.get('escalated') === '1') filters.escalated = true;
  return filters;
}

/** The address's query with these filters in place of the old ones (other parameters kept). */
export function searchWithFilters(search: string, filters: QueueFilters): string {
  const params = new URLSearchParams(search);
  for (const key of [...FILTER_KEYS, 'mine', 'unassigned', 'escalated', 'returned']) params.delete(key);
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (typeof value === 'string' && value.trim() && !(key === 'sort' && value === 'updated')) params.set(key, value.trim());
  }
  if (filters.mine) params.set('mine', '1');
  if (filters.unassigned) params.set('unassigned', '1');
  if (filters.returned) params.set('returned', '1');
  if (filters.escalated) params.set('escalated', '1');
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

@customElement('staff-console')
export class StaffConsole extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: block; min-height: 100vh; background: var(--c-bg); }
      .skip {
        position: absolute;
        inset-inline-start: 0.5em;
        inset-block-start: -4em;
        z-index: 2;
      }
      .top .skip { background: var(--c-surface); color: var(--c-primary); }
      .skip:focus { inset-block-start: 0.5em; }
      .top {
        display: flex;
        align-items: center;
        gap: 0.5em 0.8em;
        flex-wrap: wrap;
        padding: 0.5em 1em;
        background: #12263f;
        color: #fff;
      }
      .top h1 { font-size: 1.1em; }
      .top nav { display: flex; gap: 0.9em; flex-wrap: wrap; }
      .top nav a { color: #fff; font-size: 0.9em; font-weight: 600; }
      .top nav a[aria-current='page'] { text-decoration-thickness: 3px; }
      .spacer { flex: 1; }
      .top button, .top select, .account summary {
        background: transparent;
        border: 1px solid #fff;
        color: #fff;
        font-size: 0.85em;
        min-height: 2.2em;
        border-radius: 4px;
      }
      .top select option { color: var(--c-text); background: var(--c-surface); }
      .lang { display: inline-flex; align-items: center; }
      .duty { font-size: 0.85em; white-space: nowrap; }
      .duty::before {
        content: '';
        display: inline-block;
        inline-size: 0.6em;
        block-size: 0.6em;
        border-radius: 50%;
        margin-inline-end: 0.35em;
        background: #8a929e;
      }
      .duty.on::before { background: #4cd07d; }
      .account { position: relative; }
      .account summary {
        list-style: none;
        cursor: pointer;
        padding: 0.2em 0.6em;
        display: flex;
        align-items: center;
        gap: 0.4em;
        max-inline-size: 16em;
      }
      .account summary::-webkit-details-marker { display: none; }
      .account .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .account .role { opacity: 0.85; white-space: nowrap; }
      .account .menu {
        position: absolute;
        inset-inline-end: 0;
        inset-block-start: calc(100% + 0.3em);
        z-index: 3;
        background: var(--c-surface);
        color: var(--c-text);
        border: 1px solid var(--c-border);
        border-radius: 6px;
        box-shadow: 0 4px 16px rgb(0 0 0 / 0.18);
        padding: 0.6em;
        display: grid;
        gap: 0.4em;
        min-inline-size: 14em;
      }
      .account .menu p { font-size: 0.85em; color: var(--c-muted); }
      .account .menu button { color: var(--c-primary); border-color: var(--c-border); background: var(--c-surface); font-size: 0.9em; }
      .cols { display: grid; gap: 1px; background: var(--c-border); }
      .queue, .detail, .metrics, .page { background: var(--c-surface); min-inline-size: 0; }
      .placeholder { padding: 2em 1.2em; color: var(--c-muted); display: grid; gap: 0.5em; }
      /* Phones: the queue (with the metrics under it), or one item. */
      .cols.has-item .queue, .cols.has-item .metrics, .cols:not(.has-item) .detail { display: none; }
      .back { padding: 0.6em 1.2em 0; }
      @media (max-width: 599.98px) {
        .top h1 { font-size: 1em; }
        .account .role { display: none; }
        /* The account button wraps to the start of a line: its menu opens towards the end. */
        .account .menu { inset-inline-start: 0; inset-inline-end: auto; }
      }
      /* Tablets and laptops: the queue beside one item, or beside the metrics when none is open. */
      @media (min-width: 800px) {
        :host { height: 100vh; display: grid; grid-template-rows: auto minmax(0, 1fr); }
        .cols { min-height: 0; grid-template-columns: minmax(300px, 370px) minmax(0, 1fr); }
        .cols.has-item .queue { display: flex; }
        .queue { overflow: hidden; }
        .detail, .metrics, .page { overflow-y: auto; }
        .back { display: none; }
      }
      /* Wide screens: queue, item and metrics side by side. */
      @media (min-width: 1440px) {
        .cols { grid-template-columns: minmax(320px, 390px) minmax(0, 1fr) 340px; }
        .cols.has-item .metrics { display: block; }
        .cols:not(.has-item) .detail { display: block; }
      }

      .signin { max-inline-size: 26em; margin: 8vh auto; padding: 1.5em; display: grid; gap: 0.9em; }
      .signin h1 { font-size: 1.4em; }
      .signin form { display: grid; gap: 0.7em; }
      .signin .field { display: grid; gap: 0.25em; }
      .signin input { inline-size: 100%; }
      .signin .hint { font-size: 0.85em; color: var(--c-muted); }
      .signin .head { display: flex; justify-content: space-between; align-items: center; gap: 0.6em; flex-wrap: wrap; }
      .signin details { border-block-start: 1px solid var(--c-border); padding-block-start: 0.6em; }
      .signin summary { cursor: pointer; color: var(--c-primary); font-size: 0.9em; }
      .signin details form { margin-block-start: 0.7em; }
      .notice { padding: 0.6em 0.8em; border-radius: 6px; background: var(--c-new); }
      .overlay {
        position: fixed;
        inset: 0;
        z-index: 10;
        background: rgb(18 38 63 / 0.55);
        display: grid;
        place-items: start center;
        overflow-y: auto;
        padding: 1em;
      }
      .overlay .signin { margin-block: 6vh; inline-size: 100%; }
    `,
  ];

  @state() private client?: StaffClient;
  @state() private user?: SessionUser;
  @state() private apiBase = DEFAULT_API_BASE;
  @state() private tokenDraft = '';
  @state() private signInError = '';
  @state() private tokenError = '';
  /** Set when the session ended under the console: the sign-in form shows over it. */
  @state() private expired = false;
  @state() private signingIn = false;
  @state() private departments: Named[] = [];
  @state() private sites: Named[] = [];
  @state() private timeZones: ReadonlyMap<string, string> = new Map();
  @state() private filters: QueueFilters = filtersFromSearch(location.search);
  @state() private items: QueueItem[] = [];
  @state() private total = 0;
  @state() private more = false;
  @state() private loading = false;
  @state() private newIds: ReadonlySet<string> = new Set();
  @state() private streamState: StreamState = 'stopped';
  @state() private route: Route = parseRoute(location.hash);
  @state() private announcement = '';
  @query('staff-metrics') private metricsEl?: StaffMetrics;
  @query('staff-request') private requestEl?: StaffRequest;
  @query('staff-conversation') private conversationEl?: StaffConversationView;

  protected readonly l10n = new LocalizeController(this);
  private known = new Set<string>();
  private stopStream?: () => void;
  private refreshing?: Promise<void>;
  private refreshAgain = false;
  private markNew = false;
  /** How many items the queue shows (pages loaded); a refresh reloads that many. */
  private shown = PAGE_SIZE;
  private readonly onHash = () => this.openRoute(parseRoute(location.hash));
  private readonly onPopState = () => {
    const filters = filtersFromSearch(location.search);
    if (searchWithFilters('', filters) === searchWithFilters('', this.filters)) return;
    this.filters = filters;
    this.shown = PAGE_SIZE;
    void this.refreshQueue(false);
  };
  private readonly onLanguage = () => {
    if (!this.client) return;
    this.client.locale = language();
    void this.loadLists(this.client).then(() => this.refreshQueue(false));
    void this.metricsEl?.refresh();
    void this.requestEl?.reload();
    void this.conversationEl?.refreshMeta();
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener('popstate', this.onPopState);
    i18n.on('languageChanged', this.onLanguage);
    const params = new URLSearchParams(location.search);
    this.apiBase = params.get('api') ?? sessionStorage.getItem(API_KEY) ?? DEFAULT_API_BASE;
    const fromUrl = params.get('token');
    if (fromUrl) {
      // A token in the address bar ends up in history and logs: used once, then removed.
      params.delete('token');
      const qs = params.toString();
      history.replaceState(history.state, '', `${location.pathname}${qs ? `?${qs}` : ''}${location.hash}`);
      this.tokenDraft = fromUrl;
      void this.signInWithToken(this.apiBase, fromUrl);
      return;
    }
    const stored = sessionStorage.getItem(TOKEN_KEY);
    if (stored) void this.signInWithToken(this.apiBase, stored, true);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener('popstate', this.onPopState);
    i18n.off('languageChanged', this.onLanguage);
    this.stopStream?.();
  }

  /* ------------------------------------------------------------ signing in and out */

  /** Who a token signs in as; a server without accounts (no /staff/me) knows only "staff". */
  private async whoIs(client: StaffClient): Promise<SessionUser> {
    try {
      return (await client.me()).user;
    } catch (e) {
      if (e instanceof StaffApiError && e.status === 404) {
        return { id: 'staff-token', login: 'staff-token', displayName: t('shell:builtInUser'), role: 'dispatcher', departmentId: null, siteId: null };
      }
      throw e;
    }
  }

  private async signInWithToken(apiBase: string, token: string, stored = false) {
    this.signingIn = true;
    this.tokenError = '';
    this.signInError = '';
    const client = new StaffClient(apiBase, token, language());
    try {
      const user = await this.whoIs(client);
      await this.start(client, user, apiBase);
      this.tokenDraft = '';
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      const unauthorized = e instanceof StaffApiError && e.status === 401;
      if (stored && unauthorized) this.signInError = t('shell:signIn.expired');
      else this.tokenError = unauthorized ? t('shell:signIn.tokenRefused') : this.errorText(e);
    } finally {
      this.signingIn = false;
    }
  }

  private async signInWithPassword(apiBase: string, login: string, password: string) {
    this.signingIn = true;
    this.signInError = '';
    try {
      const session = await new StaffClient(apiBase, '', language()).createSession(login, password);
      await this.start(new StaffClient(apiBase, session.token, language()), session.user, apiBase);
    } catch (e) {
      this.signInError =
        e instanceof StaffApiError && e.status === 401
          ? t('shell:signIn.wrongPassword')
          : e instanceof StaffApiError && e.status === 429
            ? t('shell:signIn.locked')
            : e instanceof StaffApiError && e.status === 403
              ? t('shell:signIn.disabled')
              : this.errorText(e);
    } finally {
      this.signingIn = false;
    }
  }

  private errorText(e: unknown): string {
    return e instanceof StaffApiError && e.status === 404 ? t('shell:signIn.noAccounts') : (e as Error).message;
  }

  /**
   * A signed-in client: after an expired session, the same person carries on where they were (the
   * open item and whatever they typed in it stay); anyone else starts afresh.
   */
  private async start(client: StaffClient, user: SessionUser, apiBase: string) {
    client.onUnauthorized = () => this.onSessionEnded(client);
    sessionStorage.setItem(TOKEN_KEY, client.token);
    sessionStorage.setItem(API_KEY, apiBase);
    const resuming = this.expired && this.client && this.user?.id === user.id && this.client.apiBase === client.apiBase;
    this.stopStream?.();
    this.stopStream = undefined;
    if (resuming && this.client) {
      this.client.token = client.token;
      this.client.onUnauthorized = () => this.onSessionEnded(this.client!);
      this.user = user;
      this.expired = false;
      this.watch(this.client);
      void this.metricsEl?.refresh();
      void this.conversationEl?.refreshMeta();
      return;
    }
    await this.loadLists(client);
    this.known = new Set();
    this.newIds = new Set();
    this.expired = false;
    this.client = client;
    this.user = user;
    await this.refreshQueue(false);
    this.watch(client);
    this.openRoute(this.route);
  }

  private async loadLists(client: StaffClient) {
    const [departments, sites] = await Promise.all([client.departments(), client.sites()]);
    this.departments = departments.map((d) => ({ id: d.id, name: d.name }));
    this.sites = sites.map((s) => ({ id: s.id, name: s.level === 'district' ? s.name : `${s.level === 'community' ? '· · ' : '· '}${s.name}` }));
    this.timeZones = new Map(sites.filter((s) => s.timeZone).map((s) => [s.id, s.timeZone!]));
  }

  private watch(client: StaffClient) {
    this.stopStream = client.watchQueue(
      (item) => this.onQueueEvent(item),
      (s) => {
        // The stream has no replay: catch up on whatever changed while it was (re)connecting.
        if (s === 'live' && this.streamState !== 'live') void this.refreshQueue(true);
        this.streamState = s;
        // A stream that gave up may have been refused: a call tells whether the session still holds.
        if (s === 'stopped' && this.client === client && !this.expired) void client.me().catch(() => undefined);
      },
    );
  }

  /** The server said 401 to a signed-in call: sign in again over the console, keeping it as it is. */
  private onSessionEnded(client: StaffClient) {
    if (this.client !== client || this.expired) return;
    this.stopStream?.();
    this.stopStream = undefined;
    sessionStorage.removeItem(TOKEN_KEY);
    this.expired = true;
    this.signInError = t('shell:signIn.expired');
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('.overlay #login')?.focus());
  }

  private async signOut(everywhere: boolean) {
    const client = this.client;
    this.stopStream?.();
    this.stopStream = undefined;
    try {
      if (client) await (everywhere ? client.endAllSessions() : client.endSession());
    } catch {
      // Already ended (or a server without accounts): signed out here all the same.
    }
    sessionStorage.removeItem(TOKEN_KEY);
    this.client = undefined;
    this.user = undefined;
    this.expired = false;
    this.items = [];
    this.streamState = 'stopped';
    this.signInError = '';
    this.announcement = everywhere ? t('shell:signedOutEverywhere') : t('shell:signedOut');
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    this.route = null;
  }

  private onSubmitPassword(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const login = ((data.get('login') as string) ?? '').trim();
    const password = (data.get('password') as string) ?? '';
    if (!login || !password) {
      this.signInError = t('shell:signIn.missing');
      return;
    }
    void this.signInWithPassword(this.client?.apiBase ?? this.apiBase, login, password);
  }

  private onSubmitToken(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const api = ((data.get('api') as string) || DEFAULT_API_BASE).trim();
    const token = ((data.get('token') as string) ?? '').trim();
    if (!token) {
      this.tokenError = t('shell:signIn.tokenMissing');
      return;
    }
    this.apiBase = api;
    void this.signInWithToken(api, token);
  }

  /* ------------------------------------------------------------ the queue */

  /**
   * Loads the queue with the current filters, as many items as are shown; overlapping calls fold
   * into one more load. With `markNew`, items never seen before are highlighted (not after a
   * filter change).
   */
  private refreshQueue(markNew: boolean): Promise<void> {
    this.markNew = markNew;
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      this.loading = true;
      try {
        do {
          this.refreshAgain = false;
          if (!this.client || this.expired) return;
          const page = await this.client.queuePage(this.filters, { limit: Math.max(PAGE_SIZE, this.shown) });
          const items = page.items;
          const fresh = this.markNew ? items.filter((i) => !this.known.has(`${i.item}:${i.id}`) && !this.isOpen(i)) : [];
          if (fresh.length) this.newIds = new Set([...this.newIds, ...fresh.map((i) => `${i.item}:${i.id}`)]);
          for (const item of items) this.known.add(`${item.item}:${item.id}`);
          this.items = items;
          this.total = page.total;
          this.more = page.nextOffset !== null;
        } while (this.refreshAgain);
      } catch (e) {
        if (!this.expired) this.announcement = t('shell:queueFailed', { message: (e as Error).message });
      } finally {
        this.loading = false;
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private async loadMore() {
    if (!this.client || this.loading) return;
    this.loading = true;
    try {
      const page = await this.client.queuePage(this.filters, { limit: PAGE_SIZE, offset: this.items.length });
      const have = new Set(this.items.map((i) => `${i.item}:${i.id}`));
      for (const item of page.items) this.known.add(`${item.item}:${item.id}`);
      this.items = [...this.items, ...page.items.filter((i) => !have.has(`${i.item}:${i.id}`))];
      this.shown = this.items.length;
      this.total = page.total;
      this.more = page.nextOffset !== null;
    } catch (e) {
      this.announcement = t('shell:queueFailed', { message: (e as Error).message });
    } finally {
      this.loading = false;
    }
  }

  private onQueueEvent(item: QueueItem | null) {
    if (item) {
      const key = `${item.item}:${item.id}`;
      if (!this.known.has(key)) {
        this.known.add(key);
        if (!this.isOpen(item)) {
          this.newIds = new Set([...this.newIds, key]);
          this.announcement =
            item.item === 'request'
              ? t('shell:announce.request', { kind: kindLabel(item.kind ?? 'consultation'), reference: item.reference ?? '', site: item.site.name })
              : t('shell:announce.conversation', { site: item.site.name });
        }
      }
      if (this.isOpen(item)) {
        if (item.item === 'request') void this.requestEl?.reload();
        else void this.conversationEl?.refreshMeta();
      }
    }
    void this.refreshQueue(true);
    void this.metricsEl?.refresh();
  }

  private isOpen(item: QueueItem) {
    const route = itemOf(this.route);
    return !!route && route.item === item.item && route.key === (item.item === 'request' ? item.reference ?? item.id : item.id);
  }

  private openRoute(route: Route) {
    this.route = route;
    const open = itemOf(route);
    if (!open) return;
    const match = this.items.find((i) => (open.item === 'request' ? (i.reference ?? i.id) === open.key : i.id === open.key) && i.item === open.item);
    const key = match ? `${match.item}:${match.id}` : '';
    if (key && this.newIds.has(key)) {
      const next = new Set(this.newIds);
      next.delete(key);
      this.newIds = next;
    }
  }

  private onFilters(event: CustomEvent<QueueFilters>) {
    const filters = event.detail;
    const typed = filters.q !== this.filters.q && searchWithFilters('', { ...filters, q: '' }) === searchWithFilters('', { ...this.filters, q: '' });
    this.filters = filters;
    this.shown = PAGE_SIZE;
    // Each change is a step back can undo; typing in the search box replaces its own step.
    const url = `${location.pathname}${searchWithFilters(location.search, filters)}${location.hash}`;
    if (typed && history.state?.queueSearch) history.replaceState({ queueSearch: true }, '', url);
    else history.pushState(typed ? { queueSearch: true } : null, '', url);
    void this.refreshQueue(false);
  }

  private onItemChanged() {
    void this.refreshQueue(true);
    void this.metricsEl?.refresh();
  }

  override updated() {
    const fresh = this.items.filter((i) => this.newIds.has(`${i.item}:${i.id}`)).length;
    document.title = fresh ? t('shell:documentTitleNew', { n: number(fresh), title: t('common:app.title'), count: fresh }) : t('common:app.title');
  }

  /* ------------------------------------------------------------ rendering */

  override render() {
    const setup = this.client ? null : setupTokenOf(location.hash);
    if (setup) {
      return html`<staff-setup api-base=${this.apiBase} token=${setup} @staff-setup-done=${(e: CustomEvent<{ token: string; user: SessionUser }>) => {
        history.replaceState(history.state, '', `${location.pathname}${location.search}`);
        this.route = null;
        void this.start(new StaffClient(this.apiBase, e.detail.token, language()), e.detail.user, this.apiBase);
      }}></staff-setup>`;
    }
    if (!this.client) return this.renderSignIn();
    return html`${this.renderConsole(this.client)}${this.expired ? html`<div class="overlay">${this.renderSignIn()}</div>` : nothing}`;
  }

  private languageSwitch(id: string) {
    return html`<span class="lang">
      <label for=${id} class="visually-hidden">${t('shell:language')}</label>
      <select id=${id} @change=${(e: Event) => {
        const value = (e.target as HTMLSelectElement).value;
        if (isLanguage(value)) void setLanguage(value);
      }}>
        ${LANGUAGES.map((l) => html`<option value=${l} lang=${l} ?selected=${language() === l}>${LANGUAGE_NAMES[l]}</option>`)}
      </select>
    </span>`;
  }

  private renderSignIn() {
    const overlay = this.expired;
    // Over the console the form is a dialog (a <main> may not take role=dialog: axe aria-allowed-role); alone, the page's main.
    const body = html`
      <div class="head">
        <h1 id="signin-h">${overlay ? t('shell:signIn.againHeading') : t('common:app.title')}</h1>
        ${overlay ? nothing : this.languageSwitch('signin-lang')}
      </div>
      ${overlay ? html`<p class="notice" role="alert">${t('shell:signIn.expired')} ${t('shell:signIn.kept')}</p>` : html`<p class="muted">${t('shell:signIn.intro')}</p>`}
      <form @submit=${this.onSubmitPassword} novalidate>
        <div class="field">
          <label for="login">${t('shell:signIn.login')}</label>
          <input id="login" name="login" autocomplete="username" autocapitalize="none" spellcheck="false" required
            .value=${overlay ? this.user?.login ?? '' : ''} aria-invalid=${this.signInError && !overlay ? 'true' : 'false'} />
        </div>
        <div class="field">
          <label for="password">${t('shell:signIn.password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required
            aria-invalid=${this.signInError && !overlay ? 'true' : 'false'} />
        </div>
        ${this.signInError && !(overlay && this.signInError === t('shell:signIn.expired'))
          ? html`<p class="error" role="alert">${this.signInError}</p>`
          : nothing}
        <button type="submit" ?disabled=${this.signingIn}>${this.signingIn ? t('shell:signIn.busy') : t('shell:signIn.submit')}</button>
      </form>
      ${overlay
        ? html`<button type="button" class="secondary" @click=${() => this.signOut(false)}>${t('shell:signOut')}</button>`
        : html`<details ?open=${!!this.tokenError || !!this.tokenDraft}>
            <summary>${t('shell:signIn.tokenSummary')}</summary>
            <form @submit=${this.onSubmitToken} novalidate>
              <div class="field">
                <label for="api">${t('shell:signIn.api')}</label>
                <input id="api" name="api" type="url" .value=${this.apiBase} autocomplete="url" spellcheck="false" />
              </div>
              <div class="field">
                <label for="token">${t('shell:signIn.token')}</label>
                <input id="token" name="token" type="password" .value=${this.tokenDraft} autocomplete="off"
                  aria-describedby="token-hint" aria-invalid=${this.tokenError ? 'true' : 'false'} />
                <span id="token-hint" class="hint">${t('shell:signIn.tokenHint')}</span>
              </div>
              ${this.tokenError ? html`<p class="error" role="alert">${this.tokenError}</p>` : nothing}
              <button type="submit" class="secondary" ?disabled=${this.signingIn}>${this.signingIn ? t('shell:signIn.busy') : t('shell:signIn.tokenSubmit')}</button>
            </form>
          </details>`}
      ${this.announcement && !overlay ? html`<p class="visually-hidden" role="status">${this.announcement}</p>` : nothing}
    `;
    return overlay
      ? html`<div class="signin card" role="dialog" aria-modal="true" aria-labelledby="signin-h">${body}</div>`
      : html`<main class="signin card" aria-labelledby="signin-h">${body}</main>`;
  }

  private renderAccount(user: SessionUser) {
    const role = ['dispatcher', 'department', 'site', 'supervisor', 'administrator'].includes(user.role) ? t(`shell:role.${user.role}`) : user.role;
    return html`<details class="account">
      <summary>
        <span class="name" data-user>${user.displayName}</span><span class="role" data-role=${user.role}>${role}</span>
        <span class="visually-hidden">${t('shell:accountMenu')}</span>
      </summary>
      <div class="menu">
        <p>${t('shell:signedInAs', { login: user.login, role })}</p>
        <button type="button" data-sign-out @click=${() => this.signOut(false)}>${t('shell:signOut')}</button>
        <button type="button" data-sign-out-everywhere @click=${() => this.signOut(true)}>${t('shell:signOutEverywhere')}</button>
      </div>
    </details>`;
  }

  private renderConsole(client: StaffClient) {
    const route = this.route;
    const open = itemOf(route);
    const page = route && 'page' in route ? PAGES.find((p) => p.path === route.page) : undefined;
    const selected = open ? itemRoute({ item: open.item, id: open.key, reference: open.key }) : '';
    const user = this.user;
    const pages = PAGES.filter((p) => user && p.roles.includes(user.role));
    return html`
      <header class="top" ?inert=${this.expired}>
        <button type="button" class="skip" @click=${this.skipTo}>${open ? t('shell:skip.item') : t('shell:skip.metrics')}</button>
        <h1>${t('common:app.title')}</h1>
        <nav aria-label=${t('shell:nav.label')}>
          <a href="#/" aria-current=${!route ? 'page' : nothing}>${t('shell:nav.overview')}</a>
          ${pages.map((p) => html`<a href=${`#/${p.path}`} aria-current=${page === p ? 'page' : nothing}>${t(p.label)}</a>`)}
        </nav>
        <span class="spacer"></span>
        <span class="duty ${this.streamState === 'live' ? 'on' : ''}" data-state=${this.streamState}>${t(`shell:duty.${this.streamState}`)}</span>
        ${this.languageSwitch('console-lang')}
        ${user ? this.renderAccount(user) : nothing}
      </header>
      <p class="visually-hidden" role="status">${this.announcement}</p>
      ${page
        ? html`<main class="page" ?inert=${this.expired} @sign-out=${(e: CustomEvent<{ everywhere: boolean }>) => this.signOut(e.detail.everywhere)}>${page.render(client)}</main>`
        : html`<main class="cols ${open ? 'has-item' : ''}" ?inert=${this.expired} @item-changed=${this.onItemChanged}>
            <staff-queue
              class="queue"
              role="region"
              aria-label=${t('shell:region.queue')}
              .items=${this.items}
              .filters=${this.filters}
              .departments=${this.departments}
              .sites=${this.sites}
              .timeZones=${this.timeZones}
              .newIds=${this.newIds}
              .total=${this.total}
              .more=${this.more}
              .selected=${selected}
              ?loading=${this.loading}
              @filters-change=${this.onFilters}
              @load-more=${this.loadMore}
            ></staff-queue>
            <section id="detail" class="detail" tabindex="-1" aria-label=${t('shell:region.detail')}>
              <p class="back"><a href="#/">${t('shell:back')}</a></p>
              ${open?.item === 'request'
                ? html`<staff-request .client=${client} .reference=${open.key} .departments=${this.departments} .user=${this.user}></staff-request>`
                : open?.item === 'conversation'
                  ? html`<staff-conversation .client=${client} .conversationId=${open.key} .departments=${this.departments} .user=${this.user}></staff-conversation>`
                  : html`<div class="placeholder">
                      <h2>${t('shell:placeholder.heading')}</h2>
                      <p>${t('shell:placeholder.text')}</p>
                    </div>`}
            </section>
            <section class="metrics" tabindex="-1" aria-label=${t('shell:region.metrics')}><staff-metrics .client=${client}></staff-metrics></section>
          </main>`}
    `;
  }

  private skipTo() {
    this.renderRoot.querySelector<HTMLElement>(itemOf(this.route) ? '#detail' : '.metrics')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-console': StaffConsole;
  }
}
