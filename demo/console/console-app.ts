/**
 * The staff console: sign in with the staff token, then a live queue, one item in detail and the
 * metrics. `?api=` sets the API base (default http://127.0.0.1:8787/api/v1); `?locale=` the
 * language of department and site names (default en); `?token=` fills the sign-in form and is
 * then removed from the address bar. The token is kept in sessionStorage.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { QueueItem } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { kindLabel } from './format.js';
import { DEFAULT_API_BASE, StaffApiError, StaffClient, type QueueFilters, type StreamState } from './staff-client.js';
import './staff-conversation.js';
import './staff-metrics.js';
import './staff-queue.js';
import { itemRoute, type Named } from './staff-queue.js';
import './staff-request.js';
import type { StaffMetrics } from './staff-metrics.js';
import type { StaffRequest } from './staff-request.js';
import type { StaffConversationView } from './staff-conversation.js';

const TOKEN_KEY = 'intake-console.token';
const API_KEY = 'intake-console.api';

type Route = { item: 'request'; key: string } | { item: 'conversation'; key: string } | null;

function parseRoute(hash: string): Route {
  const match = /^#\/(request|conversation)\/(.+)$/.exec(hash);
  if (!match) return null;
  return { item: match[1] as 'request' | 'conversation', key: decodeURIComponent(match[2]!) };
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
        top: -4em;
        z-index: 2;
      }
      .top .skip { background: var(--c-surface); color: var(--c-primary); }
      .skip:focus { top: 0.5em; }
      .top {
        display: flex;
        align-items: center;
        gap: 0.8em;
        flex-wrap: wrap;
        padding: 0.55em 1em;
        background: #12263f;
        color: #fff;
      }
      .top h1 { font-size: 1.1em; }
      .top .who { font-size: 0.85em; opacity: 0.85; flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .top button { background: transparent; border-color: #fff; color: #fff; font-size: 0.85em; min-height: 2em; }
      .duty { font-size: 0.85em; white-space: nowrap; }
      .duty::before {
        content: '';
        display: inline-block;
        width: 0.6em;
        height: 0.6em;
        border-radius: 50%;
        margin-inline-end: 0.35em;
        background: #8a929e;
      }
      .duty.on::before { background: #4cd07d; }
      .top nav a { color: #fff; font-size: 0.9em; font-weight: 600; }
      .cols { display: grid; gap: 1px; background: var(--c-border); }
      .queue, .detail, .metrics { background: var(--c-surface); min-width: 0; }
      .placeholder { padding: 2em 1.2em; color: var(--c-muted); display: grid; gap: 0.5em; }
      /* Phones: the queue (with the metrics under it), or one item. */
      .cols.has-item .queue, .cols.has-item .metrics, .cols:not(.has-item) .detail { display: none; }
      .back { padding: 0.6em 1.2em 0; }
      @media (max-width: 599.98px) {
        .top .who { display: none; }
        .top nav { flex: 1; }
      }
      /* Tablets and laptops: the queue beside one item, or beside the metrics when none is open. */
      @media (min-width: 800px) {
        :host { height: 100vh; display: grid; grid-template-rows: auto minmax(0, 1fr); }
        .cols { min-height: 0; grid-template-columns: minmax(300px, 370px) minmax(0, 1fr); }
        .cols.has-item .queue { display: flex; }
        .queue { overflow: hidden; }
        .detail, .metrics { overflow-y: auto; }
        .back { display: none; }
      }
      /* Wide screens: queue, item and metrics side by side. */
      @media (min-width: 1440px) {
        .cols { grid-template-columns: minmax(320px, 390px) minmax(0, 1fr) 340px; }
        .cols.has-item .metrics { display: block; }
        .cols:not(.has-item) .detail { display: block; }
      }

      .signin { max-width: 26em; margin: 8vh auto; padding: 1.5em; display: grid; gap: 0.9em; }
      .signin h1 { font-size: 1.4em; }
      .signin form { display: grid; gap: 0.7em; }
      .signin .field { display: grid; gap: 0.25em; }
      .signin input { width: 100%; }
      .signin .hint { font-size: 0.85em; color: var(--c-muted); }
    `,
  ];

  @state() private client?: StaffClient;
  @state() private apiBase = DEFAULT_API_BASE;
  @state() private tokenDraft = '';
  @state() private signInError = '';
  @state() private signingIn = false;
  @state() private departments: Named[] = [];
  @state() private sites: Named[] = [];
  @state() private filters: QueueFilters = {};
  @state() private items: QueueItem[] = [];
  @state() private loading = false;
  @state() private newIds: ReadonlySet<string> = new Set();
  @state() private streamState: StreamState = 'stopped';
  @state() private route: Route = parseRoute(location.hash);
  @state() private announcement = '';
  @query('staff-metrics') private metricsEl?: StaffMetrics;
  @query('staff-request') private requestEl?: StaffRequest;
  @query('staff-conversation') private conversationEl?: StaffConversationView;

  private known = new Set<string>();
  private stopStream?: () => void;
  private refreshing?: Promise<void>;
  private refreshAgain = false;
  private markNew = false;
  private readonly onHash = () => this.openRoute(parseRoute(location.hash));

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    const params = new URLSearchParams(location.search);
    this.apiBase = params.get('api') ?? sessionStorage.getItem(API_KEY) ?? DEFAULT_API_BASE;
    const fromUrl = params.get('token');
    if (fromUrl) {
      this.tokenDraft = fromUrl;
      // A token in the address bar ends up in history and logs: keep it only in the form.
      params.delete('token');
      const qs = params.toString();
      history.replaceState(history.state, '', `${location.pathname}${qs ? `?${qs}` : ''}${location.hash}`);
    }
    const stored = sessionStorage.getItem(TOKEN_KEY);
    if (stored && !fromUrl) void this.signIn(this.apiBase, stored);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    this.stopStream?.();
  }

  private async signIn(apiBase: string, token: string) {
    this.signingIn = true;
    this.signInError = '';
    const client = new StaffClient(apiBase, token, new URLSearchParams(location.search).get('locale') ?? 'en');
    try {
      const [departments, sites] = await Promise.all([client.departments(), client.sites()]);
      this.departments = departments.map((d) => ({ id: d.id, name: d.name }));
      this.sites = sites.map((s) => ({ id: s.id, name: s.level === 'district' ? s.name : `${s.level === 'community' ? '· · ' : '· '}${s.name}` }));
      sessionStorage.setItem(TOKEN_KEY, token);
      sessionStorage.setItem(API_KEY, apiBase);
      this.known = new Set();
      this.newIds = new Set();
      this.client = client;
      this.tokenDraft = '';
      await this.refreshQueue(false);
      this.stopStream = client.watchQueue(
        (item) => this.onQueueEvent(item),
        (s) => {
          // The stream has no replay: catch up on whatever changed while it was (re)connecting.
          if (s === 'live' && this.streamState !== 'live') void this.refreshQueue(true);
          this.streamState = s;
        },
      );
      this.openRoute(this.route);
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      this.signInError =
        e instanceof StaffApiError && e.status === 401
          ? 'That staff token was not accepted.'
          : (e as Error).message;
    } finally {
      this.signingIn = false;
    }
  }

  private signOut() {
    this.stopStream?.();
    this.stopStream = undefined;
    sessionStorage.removeItem(TOKEN_KEY);
    this.client = undefined;
    this.items = [];
    this.streamState = 'stopped';
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    this.route = null;
  }

  private onSubmitSignIn(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const api = ((data.get('api') as string) || DEFAULT_API_BASE).trim();
    const token = ((data.get('token') as string) ?? '').trim();
    if (!token) {
      this.signInError = 'Enter the staff token.';
      return;
    }
    this.apiBase = api;
    void this.signIn(api, token);
  }

  /**
   * Loads the queue with the current filters; overlapping calls fold into one more load.
   * With `markNew`, items never seen before are highlighted (not after a filter change).
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
          if (!this.client) return;
          const items = await this.client.queue(this.filters);
          const fresh = this.markNew ? items.filter((i) => !this.known.has(`${i.item}:${i.id}`) && !this.isOpen(i)) : [];
          if (fresh.length) this.newIds = new Set([...this.newIds, ...fresh.map((i) => `${i.item}:${i.id}`)]);
          for (const item of items) this.known.add(`${item.item}:${item.id}`);
          this.items = items;
        } while (this.refreshAgain);
      } catch (e) {
        this.announcement = `Could not load the queue: ${(e as Error).message}`;
      } finally {
        this.loading = false;
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
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
              ? `New ${kindLabel(item.kind ?? 'consultation').toLowerCase()} ${item.reference ?? ''} from ${item.site.name}`
              : `New chat from ${item.site.name}`;
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
    return !!this.route && this.route.item === item.item && this.route.key === (item.item === 'request' ? item.reference ?? item.id : item.id);
  }

  private openRoute(route: Route) {
    this.route = route;
    if (!route) return;
    const match = this.items.find((i) => (route.item === 'request' ? (i.reference ?? i.id) === route.key : i.id === route.key) && i.item === route.item);
    const key = match ? `${match.item}:${match.id}` : '';
    if (key && this.newIds.has(key)) {
      const next = new Set(this.newIds);
      next.delete(key);
      this.newIds = next;
    }
  }

  private onFilters(event: CustomEvent<QueueFilters>) {
    this.filters = event.detail;
    void this.refreshQueue(false);
  }

  private onItemChanged() {
    void this.refreshQueue(true);
    void this.metricsEl?.refresh();
  }

  override updated() {
    const fresh = this.items.filter((i) => this.newIds.has(`${i.item}:${i.id}`)).length;
    document.title = `${fresh ? `(${fresh}) ` : ''}Intake staff console`;
  }

  override render() {
    return this.client ? this.renderConsole(this.client) : this.renderSignIn();
  }

  private renderSignIn() {
    return html`<main class="signin card" aria-labelledby="signin-h">
      <h1 id="signin-h">Intake staff console</h1>
      <p class="muted">Sign in with the staff token of the intake server to answer residents.</p>
      <form @submit=${this.onSubmitSignIn} novalidate>
        <div class="field">
          <label for="api">API base</label>
          <input id="api" name="api" type="url" .value=${this.apiBase} autocomplete="url" spellcheck="false" />
        </div>
        <div class="field">
          <label for="token">Staff token</label>
          <input id="token" name="token" type="password" .value=${this.tokenDraft} autocomplete="current-password"
            required aria-describedby="token-hint" aria-invalid=${this.signInError ? 'true' : 'false'} />
          <span id="token-hint" class="hint">The server prints it at start. It is kept for this tab only.</span>
        </div>
        ${this.signInError ? html`<p class="error" role="alert">${this.signInError}</p>` : nothing}
        <button type="submit" ?disabled=${this.signingIn}>${this.signingIn ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>`;
  }

  private renderConsole(client: StaffClient) {
    const route = this.route;
    const selected = route ? itemRoute({ item: route.item, id: route.key, reference: route.key }) : '';
    const live = this.streamState === 'live';
    return html`
      <header class="top">
        <button type="button" class="skip" @click=${this.skipTo}>${this.route ? 'Skip to the selected item' : 'Skip to the metrics'}</button>
        <h1>Intake staff console</h1>
        <span class="who" title=${client.apiBase}>${client.apiBase}</span>
        <nav aria-label="Console"><a href="#/">Overview</a></nav>
        <span class="duty ${live ? 'on' : ''}">${live ? 'On duty' : this.streamState === 'reconnecting' ? 'Reconnecting…' : 'Off duty'}</span>
        <button type="button" @click=${this.signOut}>Sign out</button>
      </header>
      <p class="visually-hidden" role="status">${this.announcement}</p>
      <main class="cols ${route ? 'has-item' : ''}" @item-changed=${this.onItemChanged}>
        <staff-queue
          class="queue"
          role="region"
          aria-label="Queue"
          .items=${this.items}
          .filters=${this.filters}
          .departments=${this.departments}
          .sites=${this.sites}
          .newIds=${this.newIds}
          .selected=${selected}
          ?loading=${this.loading}
          @filters-change=${this.onFilters}
        ></staff-queue>
        <section id="detail" class="detail" tabindex="-1" aria-label="Selected item">
          <p class="back"><a href="#/">← Back to the queue</a></p>
          ${route?.item === 'request'
            ? html`<staff-request .client=${client} .reference=${route.key} .departments=${this.departments}></staff-request>`
            : route?.item === 'conversation'
              ? html`<staff-conversation .client=${client} .conversationId=${route.key} .departments=${this.departments}></staff-conversation>`
              : html`<div class="placeholder">
                  <h2>No item selected</h2>
                  <p>Pick a request or a chat from the queue. New ones appear at the top as they arrive.</p>
                </div>`}
        </section>
        <section class="metrics" tabindex="-1" aria-label="Metrics"><staff-metrics .client=${client}></staff-metrics></section>
      </main>
    `;
  }

  private skipTo() {
    this.renderRoot.querySelector<HTMLElement>(this.route ? '#detail' : '.metrics')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-console': StaffConsole;
  }
}
