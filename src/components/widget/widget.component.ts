import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { RequestKind } from '../../client/protocol.js';
import type { IntakeClientApi, TransportKind } from '../../client/types.js';
import { readModes, readPosition, readTheme, readTransport, type Mode, type Position } from '../../attributes.js';
import { emit } from '../../events/index.js';
import { directionOf, LAUNCHER_STRINGS, resolveLocale } from '../../i18n/locale.js';
import { shared } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';
import { hasKnownRequests } from '../shared/known-flag.js';
import { afterPageLoad } from '../shared/page-ready.js';
import { readSession, writeSession } from '../shared/session-state.js';
import type { WidgetPanel } from './widget-panel.js';
import { styles } from './widget.styles.js';

export interface StartChatOptions {
  topic?: string;
  text?: string;
}

export interface OpenFormOptions {
  service?: string;
  type?: RequestKind;
}

const STORAGE_PREFIX = 'intake-widgets:open:';
const LARGE_TEXT_PREFIX = 'intake-widgets:large-text:';

/**
 * The launcher and its floating panel with Chat, Form and My requests. Before the resident shows
 * intent (hover, focus or click on the launcher, or `open()`), only the launcher exists; the
 * panel, the views, the client and the translations load then.
 *
 * @tag intake-widget
 * @event {IntakeOpenEvent} intake-open - The panel opened.
 * @event {IntakeCloseEvent} intake-close - The panel closed.
 * @event {IntakeRequestSubmittedEvent} intake-request-submitted - From the form view: the backend accepted a request. `{reference, service, type}`
 * @event {IntakeMessageSentEvent} intake-message-sent - From the chat view: a resident message is safely in the outbox. `{clientId}`
 * @event {IntakeMessageReceivedEvent} intake-message-received - From the chat view: a staff or system message arrived. `{id}`
 * @event {IntakeFeedbackEvent} intake-feedback - From My requests: the resident rated an answer. `{reference, rating}`
 * @event {IntakeErrorEvent} intake-error - Something could not be done (the panel or a view could not load, or a view failed). `{code, message}`
 * @csspart launcher - The round button that opens the panel.
 * @csspart badge - The unread count on the launcher (or "!" for a reply or rating waiting in My requests).
 * @csspart panel - The floating panel (a full-screen sheet below 480 px).
 * @csspart header - The panel's header.
 * @csspart button - Every button in the panel and its views (close, tabs, send…).
 * @csspart tab - A tab: Chat, Form, My requests (also `button`).
 * @csspart close-button - The panel's close button (also `button`).
 * @csspart large-text-button - The large-text toggle in the header (also `button`).
 * @csspart log - Chat: the scrolling message list.
 * @csspart message - Chat: one message row.
 * @csspart message-resident - Chat: a message from the resident (also `message`).
 * @csspart message-staff - Chat: a message from staff or the knowledge base (also `message`).
 * @csspart message-system - Chat: a routing or status note (also `message`).
 * @csspart bubble - Chat: the text bubble of a message.
 * @csspart composer - Chat: the area where the resident types.
 * @csspart send-button - Chat: the send button (also `button`).
 * @csspart input - Text inputs, text areas and selects of the views.
 * @csspart field - A question in the form and status views; the chat composer field.
 * @csspart error-summary - Form, My requests: the list of problems after a failed submit.
 * @csspart confirmation - Form: the "request sent" box with the reference number.
 * @csspart request - My requests: one request in the list.
 * @csspart timeline - My requests: a request's status history.
 * @csspart reply - My requests: a department's reply.
 * @cssproperty --intake-launcher-size - Launcher height and minimum width (default 56px).
 * @cssproperty --intake-launcher-offset - Distance from the viewport edges (default 20px).
 * @cssproperty --intake-launcher-background - Launcher background (default --intake-color-primary).
 * @cssproperty --intake-launcher-background-hover - Launcher background on hover (default --intake-color-primary-hover).
 * @cssproperty --intake-launcher-color - Launcher text and icon (default --intake-color-on-primary).
 * @cssproperty --intake-launcher-radius - Launcher corners (default --intake-radius-full).
 * @cssproperty --intake-launcher-shadow - Launcher shadow (default --intake-shadow-launcher).
 * @cssproperty --intake-panel-width - Panel width on wide screens (default 380px, 440px large text).
 * @cssproperty --intake-panel-height - Panel height on wide screens (default 620px, 680px large text).
 * @cssproperty --intake-panel-background - Panel background (default --intake-color-surface).
 * @cssproperty --intake-panel-color - Panel text (default --intake-color-text).
 * @cssproperty --intake-panel-border-color - Panel border (default --intake-color-border).
 * @cssproperty --intake-panel-radius - Panel corners (default --intake-radius-lg).
 * @cssproperty --intake-panel-shadow - Panel shadow (default --intake-shadow-panel).
 * @cssproperty --intake-panel-header-background - Panel header (default --intake-color-primary).
 * @cssproperty --intake-panel-header-color - Panel header text and buttons (default --intake-color-on-primary).
 */
export class IntakeWidget extends LitElement {
  static override styles = [tokens, shared, styles];

  /** Backend base URL, e.g. `https://intake.example.gov/api/v1`. Required. */
  @property() endpoint = '';
  /** Site id, e.g. `district-07/street-3/community-12`. Required. */
  @property() site = '';
  /** `zh-CN`, `en`, `zh-HK`, `ug`; default from `<html lang>`, then the browser. */
  @property() locale?: string;
  /** `bottom-end` (default) or `bottom-start`; mirrored in right-to-left languages. */
  @property() position: Position = 'bottom-end';
  /** A subset of `chat form status` (default: all the backend supports). */
  @property() modes = '';
  /** `light` (default), `dark` or `auto`. */
  @property({ reflect: true }) theme = 'light';
  /** `intake` (default) or `open311`. */
  @property() transport: TransportKind = 'intake';
  /** Open311 only: the `jurisdiction_id` sent with every call (multi-jurisdiction servers). */
  @property() jurisdiction?: string;
  /** Open311 only: the `api_key` sent with a new request, when the city's server asks for one. */
  @property({ attribute: 'api-key' }) apiKey?: string;
  /** Whether the panel is open: the `open` attribute (the `open()` method changes it). */
  @property({ type: Boolean, reflect: true, attribute: 'open' }) isOpen = false;
  /** Larger text and targets for older residents. */
  @property({ type: Boolean, reflect: true, attribute: 'large-text' }) largeText = false;
  /** The client to use (tests, custom setups); made from `endpoint` and `site` when unset. */
  @property({ attribute: false }) client?: IntakeClientApi;
  /**
   * The site's own strings, laid over the catalogues: per locale
   * (`{"zh-CN": {"chat": {"greeting": "…"}}}`) or for every locale (`{"chat.greeting": "…"}`).
   */
  @property({ attribute: false }) strings?: Record<string, unknown>;

  @state() private unread = 0;
  /** A request filed from this browser has a reply not yet seen, or waits for a rating. */
  @state() requestNotice?: 'reply' | 'rating';
  /** The lazily loaded panel (views, client, translations). */
  @state() panel?: WidgetPanel;

  @query('.launcher') private launcherButton?: HTMLButtonElement;

  private loadingPanel?: Promise<WidgetPanel>;
  private pageReady = false;
  private wasOpen = false;
  /** The panel was closed on this page (so a stored "open" from the previous page is stale). */
  private closedHere = false;

  private readonly onReceived = () => {
    if (!this.isOpen) this.unread += 1;
  };

  private readonly onRequestChange = () => {
    void this.checkRequests();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('intake-message-received', this.onReceived);
    this.addEventListener('intake-request-submitted', this.onRequestChange);
    this.addEventListener('intake-feedback', this.onRequestChange);
    if (!this.largeText && this.readStoredLargeText()) this.largeText = true;
    afterPageLoad(() => {
      // Removed meanwhile (a single-page app moved on): a late task must not touch what the next
      // widget of this site will read.
      if (!this.isConnected) return;
      this.pageReady = true;
      // Only a resident who filed requests here pays for the check (panel, client, network).
      if (this.site && hasKnownRequests(this.site)) void this.checkRequests();
      // Restores the panel a resident left open on the previous page — unless they already opened
      // or closed it on this one before the page went idle.
      if (!this.wasOpen && !this.isOpen && !this.closedHere && this.readStoredOpen()) this.isOpen = true;
      if (this.isOpen) void this.syncOpen();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('intake-message-received', this.onReceived);
    this.removeEventListener('intake-request-submitted', this.onRequestChange);
    this.removeEventListener('intake-feedback', this.onRequestChange);
    this.wasOpen = false;
  }

  /** The normalised mode list (invalid words are reported and dropped). */
  get modeList(): Mode[] {
    return this.normalised.modes;
  }

  private normalised: { position: Position; modes: Mode[] } = { position: 'bottom-end', modes: ['chat', 'form', 'status'] };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('position')) this.normalised.position = readPosition(this.position);
    if (changed.has('modes')) this.normalised.modes = readModes(this.modes);
    if (changed.has('theme') && this.theme !== 'light') readTheme(this.theme);
    if (changed.has('transport') && this.transport !== 'intake') readTransport(this.transport);
    if (changed.has('strings') && this.strings) {
      const strings = this.strings;
      // i18next is not part of the launcher's bytes: loaded here only when a site gives strings.
      void import('../../i18n/i18n.js').then(({ applyStrings }) => applyStrings(strings));
    }
  }

  /** Switches the language at runtime: every view re-renders and the catalogue is fetched again. */
  setLocale(locale: string): void {
    this.locale = locale;
  }

  /** Turns large text on or off and remembers the choice for this site. */
  setLargeText(on: boolean): void {
    this.largeText = on;
    try {
      localStorage.setItem(`${LARGE_TEXT_PREFIX}${this.site}`, on ? '1' : '0');
    } catch {
      // Storage can be blocked; the setting then lasts for this page only.
    }
  }

  private readStoredLargeText(): boolean {
    try {
      return localStorage.getItem(`${LARGE_TEXT_PREFIX}${this.site}`) === '1';
    } catch {
      return false;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('isOpen') && this.pageReady) void this.syncOpen();
  }

  /** Opens the panel (loading it first if needed); resolves once it is on screen. */
  async open(options: { focus?: boolean } = {}): Promise<void> {
    this.isOpen = true;
    await this.syncOpen(options.focus ?? true);
  }

  /** Closes the panel; focus returns to the launcher if it was inside. */
  async close(): Promise<void> {
    // Where focus is, not `:focus-within`: that one stops matching while the browser window is
    // in the background, and focus must still come back to the launcher there.
    const active = document.activeElement;
    const hadFocus = !!active && (active === this || this.contains(active));
    this.isOpen = false;
    await this.syncOpen();
    if (hadFocus) this.launcherButton?.focus();
  }

  /** Opens the panel when it is closed, closes it when it is open. */
  async toggle(): Promise<void> {
    if (this.isOpen) await this.close();
    else await this.open();
  }

  /** Opens the chat, optionally about a topic and with text put in the composer. */
  async startChat(options: StartChatOptions = {}): Promise<void> {
    const panel = await this.loadPanel();
    panel.select('chat', options);
    await this.open();
  }

  /** Opens the request form, optionally for a service and kind. */
  async openForm(options: OpenFormOptions = {}): Promise<void> {
    const panel = await this.loadPanel();
    panel.select('form', options);
    await this.open();
  }

  /** Opens My requests, optionally on one reference number. */
  async showStatus(reference?: string): Promise<void> {
    const panel = await this.loadPanel();
    panel.select('status', reference ? { reference } : {});
    await this.open();
  }

  /** Looks whether a request filed from this browser has a new reply or waits for a rating. @internal */
  async checkRequests(): Promise<void> {
    try {
      const panel = await this.loadPanel();
      const client = panel.client;
      if (!client) return;
      const { requestNotice } = await import('../shared/request-notice.js');
      this.requestNotice = await requestNotice(client);
    } catch {
      // A failed check only means no notice; the views report their own problems.
    }
  }

  /** Loads the panel, the views, the client and the translations (once). @internal */
  loadPanel(): Promise<WidgetPanel> {
    this.loadingPanel ??= import('./widget-panel.js').then(async ({ WidgetPanel }) => {
      const panel = new WidgetPanel(this);
      await panel.ready();
      this.panel = panel;
      await this.updateComplete;
      return panel;
    });
    this.loadingPanel.catch((error: unknown) => {
      this.loadingPanel = undefined;
      emit(this, 'intake-error', { code: 'load_failed', message: error instanceof Error ? error.message : String(error) });
    });
    return this.loadingPanel;
  }

  /** The launcher button (for focus return and tests). @internal */
  get launcher(): HTMLButtonElement | undefined {
    return this.launcherButton;
  }

  private async syncOpen(focus = false): Promise<void> {
    const open = this.isOpen;
    if (open === this.wasOpen) {
      if (open && focus) this.panel?.focusView();
      return;
    }
    this.wasOpen = open;
    if (!open) this.closedHere = true;
    this.storeOpen(open);
    if (open) {
      const panel = await this.loadPanel().catch(() => undefined);
      if (!panel || !this.isOpen) return;
      await this.updateComplete;
      // Closed again while it rendered: do not trap focus in, or clear the badge of, a closed panel.
      if (!this.isOpen) return;
      panel.opened(focus);
      this.unread = 0;
      emit(this, 'intake-open', {});
    } else {
      this.panel?.closed();
      if (this.requestNotice || hasKnownRequests(this.site)) void this.checkRequests();
      emit(this, 'intake-close', {});
    }
  }

  private storageKey(): string {
    return `${STORAGE_PREFIX}${this.site}`;
  }

  private readStoredOpen(): boolean {
    return readSession(this.storageKey()) === '1';
  }

  private storeOpen(open: boolean): void {
    writeSession(this.storageKey(), open ? '1' : null);
  }

  private onIntent = () => {
    void this.loadPanel().catch(() => undefined);
  };

  private renderLauncher(): TemplateResult {
    const locale = resolveLocale(this.locale);
    const label = this.panel?.t('widget.launcher') ?? LAUNCHER_STRINGS[locale].launcher;
    const unreadLabel =
      this.unread > 0 && this.panel
        ? this.panel.t('widget.launcherUnread', { label, count: this.unread })
        : this.requestNotice && this.panel
          ? this.panel.t(this.requestNotice === 'reply' ? 'widget.launcherReply' : 'widget.launcherRating', { label })
          : undefined;
    return html`<button
      class="launcher"
      part="launcher"
      type="button"
      aria-haspopup="dialog"
      aria-expanded=${this.isOpen ? 'true' : 'false'}
      aria-controls=${this.panel ? 'panel' : nothing}
      aria-label=${unreadLabel ?? nothing}
      @click=${() => void this.toggle()}
      @pointerenter=${this.onIntent}
      @focus=${this.onIntent}
    >
      <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" fill="currentColor" />
      </svg>
      <span class="label">${label}</span>
      ${this.unread > 0
        ? html`<span class="badge" part="badge" aria-hidden="true">${this.unread > 99 ? '99+' : this.unread}</span>`
        : this.requestNotice
          ? html`<span class="badge" part="badge" aria-hidden="true" data-notice=${this.requestNotice}>!</span>`
          : nothing}
    </button>`;
  }

  override render(): TemplateResult {
    const locale = this.panel?.locale ?? resolveLocale(this.locale);
    return html`<div class="root ${this.normalised.position}" lang=${locale} dir=${directionOf(locale)}>
      ${this.renderLauncher()} ${this.panel ? this.panel.render() : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'intake-widget': IntakeWidget;
  }
}
