import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { keyed } from 'lit/directives/keyed.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Answer, Catalog, Conversation, StreamEvent } from '../../client/protocol.js';
import { LIMITS } from '../../client/protocol.js';
import type { ChatMessage, ConnectionState, DeliveryState, IntakeClientApi, IntakeClientEvents, Subscription, TransportKind } from '../../client/types.js';
import { LocalizeController } from '../../controllers/localize.js';
import { applyStrings } from '../../i18n/i18n.js';
import { emit } from '../../events/index.js';
import { shared } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';
import { clientFor } from '../shared/client-registry.js';
import { linkify } from '../shared/linkify.js';
import { dateTimeFormat, declaredLangs, sentenceWith, serverText, textLang } from '../shared/text-lang.js';
import { languagePickerStyles, ViewLanguage } from '../shared/language-picker.js';
import type { Locale } from '../../i18n/locale.js';
import { styles } from './chat.styles.js';

/** A line in the log: a message, or a notice the widget adds (routing, closing, reply promise). */
type Entry =
  | { kind: 'message'; key: string; message: ChatMessage }
  | { kind: 'routed'; key: string; department: string }
  | { kind: 'closed'; key: string }
  | { kind: 'received'; key: string };

const DRAFT_KEY = 'chat:draft';
const STARTED_KEY = 'chat:conversation';
const ANSWERS_DELAY_MS = 450;
const TYPING_IDLE_MS = 4000;
const STAFF_TYPING_TIMEOUT_MS = 15000;
/** Entries rendered at first, and added by each "show earlier messages": a long conversation opens fast. */
const PAGE_SIZE = 60;

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A conversation with the city: greeting and reply promise from the catalogue, the message log
 * with each message's true delivery state, instant answers while typing, and a composer whose
 * draft survives reloads. Used inside `<intake-widget>` or inline in page content.
 *
 * @tag intake-chat
 * @event {IntakeMessageSentEvent} intake-message-sent - A resident message is safely in the outbox. `{clientId}`
 * @event {IntakeMessageReceivedEvent} intake-message-received - A staff or system message arrived. `{id}`
 * @event {IntakeErrorEvent} intake-error - Something could not be done. `{code, message}`
 * @csspart header - The inline heading with the site's name.
 * @csspart language-picker - The inline view's language picker (a `<select>`), beside the heading.
 * @csspart log - The message list (`role="log"`).
 * @csspart message - One message row.
 * @csspart message-resident - A message from the resident (also `message`).
 * @csspart message-staff - A message from staff or the knowledge base (also `message`).
 * @csspart message-system - A routing or status note (also `message`).
 * @csspart bubble - A message's text.
 * @csspart composer - The form holding the input and the send button.
 * @csspart input - The message text area.
 * @csspart field - The message text area (as a field, like the form's).
 * @csspart button - Every button (send, retry).
 * @csspart send-button - The send button (also `button`).
 * @cssproperty --intake-chat-background - Chat view background (default --intake-color-surface).
 * @cssproperty --intake-chat-border-color - Inline chat border, composer divider (default --intake-color-border).
 * @cssproperty --intake-chat-radius - Inline chat, composer field, send button (default --intake-radius-md).
 * @cssproperty --intake-chat-height - Height of an inline chat (default 32em).
 * @cssproperty --intake-chat-bubble-radius - Message bubbles (default --intake-radius-lg).
 * @cssproperty --intake-chat-resident-background - Resident bubbles (default --intake-color-primary).
 * @cssproperty --intake-chat-resident-color - Resident bubble text (default --intake-color-on-primary).
 * @cssproperty --intake-chat-staff-background - Staff bubbles, greeting (default --intake-color-surface-alt).
 * @cssproperty --intake-chat-staff-color - Staff bubble text (default --intake-color-text).
 * @cssproperty --intake-chat-send-background - Send button (default --intake-color-primary).
 * @cssproperty --intake-chat-send-color - Send button text (default --intake-color-on-primary).
 * @cssproperty --intake-chat-max-input-height - Tallest the composer grows to (default 8em).
 * @cssproperty --intake-field-border-color - The composer field's border (default --intake-color-border).
 */
export class IntakeChat extends LitElement {
  static override styles = [tokens, shared, languagePickerStyles, styles];

  /** Backend base URL; inherited from an enclosing `<intake-widget>` when absent. */
  @property() endpoint = '';
  /** Site id; inherited from an enclosing `<intake-widget>` when absent. */
  @property() site = '';
  @property() locale?: string;
  @property() transport?: TransportKind;
  @property({ reflect: true }) theme?: string;
  @property({ type: Boolean, reflect: true, attribute: 'large-text' }) largeText = false;
  /** Set by `<intake-widget>`: the view inherits its tokens and header. */
  @property({ type: Boolean, reflect: true }) nested = false;
  /** Leaves the language picker out of the inline view's heading (the page offers its own switch). */
  @property({ type: Boolean, attribute: 'hide-language-picker' }) hideLanguagePicker = false;
  /** What the conversation is about (from `startChat({topic})` or `<intake-ask>`). */
  @property() topic?: string;
  /** The client to use; when unset one is made from `endpoint` and `site`. */
  @property({ attribute: false }) client?: IntakeClientApi;
  /** The catalogue, when the widget already has it. */
  @property({ attribute: false }) catalog?: Catalog;
  /** Site strings laid over the catalogues, per locale or for all (see docs/i18n.md). */
  @property({ attribute: false }) strings?: Record<string, unknown>;

  @state() private entries: Entry[] = [];
  @state() private conversation?: Conversation;
  /**
   * The composer's text. Code that sets it re-renders; a keystroke changes it through
   * `onInput`, which re-renders only when something seen changes (see `composerState`).
   */
  private get draft(): string {
    return this.draftText;
  }
  private set draft(value: string) {
    this.draftText = value;
    this.requestUpdate();
  }
  private draftText = '';
  @state() private answers: Answer[] = [];
  @state() private staffTyping: string | null = null;
  @state() private connection: ConnectionState = 'online';
  @state() private problem?: 'send' | 'start' | 'history';
  /** Staff closed the conversation: the next send starts a new one. */
  @state() private closed = false;
  @state() private loadingHistory = false;
  @state() private activeClient?: IntakeClientApi;
  /** How many of the latest entries the log shows; earlier ones come on request. */
  @state() private shown = PAGE_SIZE;
  /** What the screen reader is told next, and a count so the same words twice are heard twice. */
  @state() private announcement = { text: '', lang: '', n: 0 };

  @query('textarea') private input?: HTMLTextAreaElement;
  @query('[role="log"]') private log?: HTMLElement;

  private readonly language = new ViewLanguage(this, (locale) => this.prepareLocale(locale));
  private readonly localize = new LocalizeController(this, () => this.language.requested);
  /** The locale the view's own client speaks, and a catalogue fetched for a language being switched to. */
  private attachedLocale?: Locale;
  private early?: { locale: Locale; catalog: Catalog };
  private subscription?: Subscription;
  /** The last event seq this view has had live: a stream moved to another client resumes after it. */
  private streamSeq = 0;
  private answersAbort?: AbortController;
  private answersTimer?: ReturnType<typeof setTimeout>;
  private draftTimer?: ReturnType<typeof setTimeout>;
  private typingTimer?: ReturnType<typeof setTimeout>;
  private staffTypingTimer?: ReturnType<typeof setTimeout>;
  private typingSent = false;
  private starting?: Promise<Conversation | undefined>;
  private attachedTo?: IntakeClientApi;
  private lastCount = 0;
  /** Messages whose settled delivery was announced (each state once). */
  private announced = new Set<string>();
  /** The first message's "we have your message" note is folded into its "Sent": one acknowledgement. */
  private receiptFor?: string;
  private observedLog?: HTMLElement;
  private resizeObserver?: ResizeObserver;
  /** The log shows its last message (the resident has not scrolled up). */
  private atEnd = true;

  private readonly onConnection = (event: Event) => {
    const detail = (event as CustomEvent<ConnectionState | undefined>).detail;
    this.connection = detail ?? this.activeClient?.connection ?? 'online';
  };

  private readonly onDelivery = (event: Event) => {
    const detail = (event as CustomEvent<IntakeClientEvents['delivery'] & { error?: { code?: string } }>).detail;
    if (detail?.kind !== 'message') return;
    if (detail.state === 'failed' && detail.error?.code === 'conversation_closed') this.refusedAsClosed(detail.key);
    else this.setDelivery(detail.key, detail.state);
  };

  /** A conversation queued on this device now exists: typing, read marks and the next send use it. */
  private readonly onConversationMade = (event: Event) => {
    const detail = (event as CustomEvent<{ pendingId: string; conversation: Conversation } | undefined>).detail;
    if (detail && this.conversation?.id === detail.pendingId) this.conversation = detail.conversation;
  };

  /** The client heard a changed catalogue from the server (its kept copy was shown first). */
  private readonly onCatalog = (event: Event) => {
    const detail = (event as CustomEvent<Catalog | undefined>).detail;
    if (detail) this.catalog = detail;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    void this.attach();
    if (this.hasUpdated) this.observeLog(this.log);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.detach();
    this.observeLog(undefined);
  }

  /** Switches the language at runtime (the same as setting `locale`). */
  setLocale(locale: string): void {
    this.locale = locale;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('strings') && this.strings) applyStrings(this.strings);
    // An inline view made its own client: one for the new locale, and the catalogue again.
    if (this.hasUpdated && !this.client && !this.nested && this.attachedTo && this.language.locale !== this.attachedLocale) {
      const early = this.early;
      this.early = undefined;
      this.catalog = early?.locale === this.language.locale ? early.catalog : undefined;
      void this.attach();
    }
    if (changed.has('client') && this.isConnected && this.client !== this.attachedTo) void this.attach();
    if ((changed.has('endpoint') || changed.has('site')) && !this.client && this.isConnected && this.attachedTo) void this.attach();
  }

  protected override updated(): void {
    const log = this.log;
    const count = this.entries.length;
    if (count !== this.lastCount && log) this.scrollToEnd(log);
    this.lastCount = count;
    if (log !== this.observedLog) this.observeLog(log);
    this.paintCounter();
  }

  private scrollToEnd(log: HTMLElement): void {
    log.scrollTop = log.scrollHeight;
    this.atEnd = true;
  }

  /**
   * Keeps the latest message in sight when the log changes size (the on-screen keyboard opens,
   * the phone turns, the composer grows) — unless the resident has scrolled up to read.
   */
  private observeLog(log: HTMLElement | undefined): void {
    this.observedLog?.removeEventListener('scroll', this.onLogScroll);
    this.resizeObserver?.disconnect();
    this.observedLog = log;
    if (!log || typeof ResizeObserver === 'undefined') return;
    log.addEventListener('scroll', this.onLogScroll, { passive: true });
    this.resizeObserver = new ResizeObserver(() => {
      if (this.atEnd) this.scrollToEnd(log);
    });
    this.resizeObserver.observe(log);
  }

  private readonly onLogScroll = (): void => {
    const log = this.observedLog;
    if (log) this.atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 32;
  };

  /** Puts text into the composer (e.g. from `startChat({text})`) and focuses it. @internal */
  prefill(text: string): void {
    // All of it, even over the limit: the counter says how much too long, nothing is cut off.
    this.draft = text;
    this.scheduleDraftSave();
    void this.updateComplete.then(() => this.focusComposer());
  }

  /** Moves focus to the composer. @internal */
  focusComposer(): void {
    this.input?.focus();
  }

  /** Tells the server the resident has seen everything shown (the widget calls it on open). @internal */
  markSeen(): void {
    const client = this.activeClient;
    const conversation = this.conversation;
    const last = Math.max(0, ...this.entries.map((e) => (e.kind === 'message' && e.message.author !== 'resident' ? e.message.seq ?? 0 : 0)));
    if (client && conversation && last > 0) client.markRead(conversation, last).catch(() => undefined);
  }

  private get maxLength(): number {
    return this.catalog?.limits?.messageMax ?? LIMITS.messageMax;
  }

  private get staffOnDuty(): boolean {
    return this.conversation?.staffOnDuty ?? this.catalog?.capabilities.staffOnDuty ?? this.activeClient?.capabilities.staffOnDuty ?? false;
  }

  private resolveOptions(): { endpoint: string; site: string } {
    const widget = this.closest('intake-widget');
    return {
      endpoint: this.endpoint || widget?.getAttribute('endpoint') || '',
      site: this.site || widget?.getAttribute('site') || '',
    };
  }

  /** Before a switch to `locale`: the catalogue in it, so the view changes language all at once. */
  private async prepareLocale(locale: Locale): Promise<void> {
    const { endpoint, site } = this.resolveOptions();
    if (this.client || this.nested || !this.attachedTo || !endpoint || !site) return;
    const client = await clientFor({ endpoint, site, locale, ...(this.transport ? { transport: this.transport } : {}) });
    this.early = { locale, catalog: await client.catalog() };
  }

  /** The locale the server declared for a text it sent (a fallback), if it did (see `declaredLangs`). */
  private langOf(text: string): string | undefined {
    return declaredLangs(this.catalog).get(text) ?? declaredLangs(this.conversation).get(text);
  }

  private async attach(): Promise<void> {
    let client = this.client;
    if (!client) {
      const { endpoint, site } = this.resolveOptions();
      if (!endpoint || !site) return;
      try {
        this.attachedLocale = this.language.locale;
        client = await clientFor({ endpoint, site, locale: this.attachedLocale, ...(this.transport ? { transport: this.transport } : {}) });
      } catch (error) {
        emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
        return;
      }
    }
    if (client === this.attachedTo || !this.isConnected) return;
    this.detach();
    this.attachedTo = client;
    this.activeClient = client;
    this.connection = client.connection;
    client.addEventListener('connection', this.onConnection);
    client.addEventListener('delivery', this.onDelivery);
    client.addEventListener('conversation', this.onConversationMade);
    client.addEventListener('catalog', this.onCatalog);

    if (!this.catalog) {
      client.catalog().then((catalog) => {
        if (this.attachedTo === client) this.catalog = catalog;
      }, () => undefined);
    }
    const draft = await client.loadDraft<string>(DRAFT_KEY).catch(() => undefined);
    if (this.attachedTo !== client) return;
    if (typeof draft === 'string' && !this.draft) this.draft = draft;
    const started = await client.loadDraft<boolean>(STARTED_KEY).catch(() => undefined);
    if (this.attachedTo !== client) return;
    if (started) await this.resume(client);
  }

  private detach(): void {
    const client = this.attachedTo;
    if (client) {
      client.removeEventListener('connection', this.onConnection);
      client.removeEventListener('delivery', this.onDelivery);
      client.removeEventListener('conversation', this.onConversationMade);
      client.removeEventListener('catalog', this.onCatalog);
      if (this.conversation && this.typingSent) client.setTyping(this.conversation, false).catch(() => undefined);
    }
    this.subscription?.close();
    this.subscription = undefined;
    this.answersAbort?.abort();
    for (const timer of [this.answersTimer, this.draftTimer, this.typingTimer, this.staffTypingTimer]) clearTimeout(timer);
    this.typingSent = false;
    this.attachedTo = undefined;
    this.starting = undefined;
  }

  /** Picks up this device's conversation after a reload: history from the server, then live events. */
  private async resume(client: IntakeClientApi): Promise<void> {
    this.loadingHistory = true;
    try {
      const conversation = await this.ensureConversation(client);
      if (!conversation) return;
      const history = await client.history(conversation);
      if (this.attachedTo !== client) return;
      // Messages the live stream brought in while the history loaded are in the history too: keep each once.
      const same = (a: ChatMessage, b: ChatMessage) => (!!a.clientId && a.clientId === b.clientId) || (!!a.id && a.id === b.id) || (a.seq !== undefined && a.seq === b.seq);
      const pending = this.entries.filter((e) => e.kind === 'message' && !history.some((m) => same(m, e.message)));
      const closed = history.some((m) => m.closed) || this.closed;
      this.entries = [...history.map((m) => this.toEntry(m)).filter((e) => e.kind !== 'closed'), ...pending];
      if (closed) this.markClosed();
      // Refused because the conversation had ended (before the reload): back into the composer.
      for (const m of history) if (m.delivery === 'failed' && m.errorCode === 'conversation_closed' && m.clientId) this.refusedAsClosed(m.clientId);
    } catch {
      this.problem = 'history';
    } finally {
      this.loadingHistory = false;
    }
  }

  private ensureConversation(client: IntakeClientApi): Promise<Conversation | undefined> {
    if (this.conversation) {
      // Kept across a change of client (the language changed): the live stream moves with it.
      if (!this.subscription && this.attachedTo === client) this.listen(client, this.conversation);
      return Promise.resolve(this.conversation);
    }
    // At once, offline too: a new conversation is queued in the outbox and the messages wait behind it.
    this.starting ??= client.openConversation(this.topic ? { topic: this.topic } : {}).then(
      (conversation) => {
        if (this.attachedTo !== client) return undefined;
        this.conversation = conversation;
        void client.saveDraft(STARTED_KEY, true).catch(() => undefined);
        this.listen(client, conversation);
        return conversation;
      },
      (error: unknown) => {
        this.starting = undefined;
        throw error;
      },
    );
    return this.starting;
  }

  /** Live events of the conversation, after the last one this view has had (none twice). */
  private listen(client: IntakeClientApi, conversation: Conversation): void {
    const handler = (event: StreamEvent) => {
      if ('seq' in event) this.streamSeq = Math.max(this.streamSeq, event.seq);
      this.onStream(event);
    };
    this.subscription = client.subscribe(conversation, handler, this.streamSeq ? { after: this.streamSeq } : {});
  }

  private toEntry(message: ChatMessage): Entry {
    if (message.routedTo !== undefined) return { kind: 'routed', key: `routed-${message.seq}`, department: message.routedTo };
    if (message.closed) return { kind: 'closed', key: 'closed' };
    return { kind: 'message', key: message.clientId ?? message.id ?? `seq-${message.seq ?? Math.random()}`, message };
  }

  private findMessage(match: (m: ChatMessage) => boolean): number {
    return this.entries.findIndex((e) => e.kind === 'message' && match(e.message));
  }

  private replaceMessage(index: number, message: ChatMessage): void {
    const entries = [...this.entries];
    const old = entries[index]!;
    entries[index] = { kind: 'message', key: old.key, message };
    this.entries = entries;
    const before = old.kind === 'message' ? old.message.delivery : undefined;
    if (message.author === 'resident' && message.delivery !== before) this.announceDelivery(message);
  }

  /**
   * The log is not live (the resident's own message, its interim states and the receipt notes
   * would be read one over the other): the chat says once what settled, in one polite region.
   */
  private announce(text: string, lang = ''): void {
    this.announcement = { text, lang, n: this.announcement.n + 1 };
  }

  /** Heard when it settles: sent (with the receipt note for the first message), not sent yet, or failed and what to do. */
  private announceDelivery(message: ChatMessage): void {
    const state = message.delivery;
    const key = message.clientId;
    if (!key || (state !== 'sent' && state !== 'retrying' && state !== 'failed')) return;
    if (this.announced.has(`${key}:${state}`) || (state !== 'sent' && this.announced.has(`${key}:sent`))) return;
    this.announced.add(`${key}:${state}`);
    const t = (k: string, options?: Record<string, unknown>) => this.localize.t(k, options);
    if (state === 'sent') {
      const receipt = this.receiptFor === key ? ` ${t('chat.received', { promise: this.promiseText }).trim()}` : '';
      this.announce(`${t('chat.announce.sent')}${receipt}`);
    } else this.announce(t(state === 'retrying' ? 'chat.announce.retrying' : 'chat.announce.failed'));
  }

  private get promiseText(): string {
    return this.conversation?.replyPromise.text ?? this.catalog?.site.replyPromise.text ?? '';
  }

  private setDelivery(clientId: string, state: DeliveryState): void {
    const index = this.findMessage((m) => m.clientId === clientId);
    if (index < 0) return;
    const entry = this.entries[index] as Extract<Entry, { kind: 'message' }>;
    const current = entry.message.delivery;
    // Read is final; a late "sent" must not take it back.
    if (current === 'read' || (current === 'sent' && state !== 'sent')) return;
    this.replaceMessage(index, { ...entry.message, delivery: state });
  }

  private onStream(event: StreamEvent): void {
    switch (event.type) {
      case 'message': {
        const m = event.message;
        const message: ChatMessage = { id: m.id, seq: m.seq, author: m.author, text: m.text, at: m.at };
        if (m.clientId) message.clientId = m.clientId;
        if (m.authorName) message.authorName = m.authorName;
        if (m.request) message.request = m.request;
        const index = this.findMessage((x) => (!!m.clientId && x.clientId === m.clientId) || x.id === m.id || (x.seq !== undefined && x.seq === m.seq));
        if (index >= 0) {
          const old = (this.entries[index] as Extract<Entry, { kind: 'message' }>).message;
          this.replaceMessage(index, { ...old, ...message, delivery: old.delivery === 'read' ? 'read' : m.author === 'resident' ? 'sent' : old.delivery });
          return;
        }
        if (m.author === 'resident') message.delivery = 'sent';
        // The backend's own acknowledgement replaces the note the widget showed while it waited (and announced with "Sent").
        const receipt = m.author === 'system' && this.entries.some((e) => e.kind === 'received');
        const entries = receipt ? this.entries.filter((e) => e.kind !== 'received') : this.entries;
        this.entries = [...entries, this.toEntry(message)];
        if (m.author !== 'resident') {
          if (!receipt) this.announce(`${this.senderName(message)} ${m.text}`, textLang(m.text, this.catalog?.locale) ?? '');
          this.staffTyping = null;
          emit(this, 'intake-message-received', { id: m.id });
        }
        return;
      }
      case 'read':
        if (event.by === 'staff') {
          this.entries = this.entries.map((e) =>
            e.kind === 'message' && e.message.author === 'resident' && e.message.seq !== undefined && e.message.seq <= event.upTo
              ? { ...e, message: { ...e.message, delivery: 'read' } }
              : e,
          );
        }
        return;
      case 'typing':
        if (event.author === 'staff') {
          clearTimeout(this.staffTypingTimer);
          this.staffTyping = event.typing ? (this.lastStaffName() ?? this.localize.t('chat.sender.staff')) : null;
          if (event.typing) this.staffTypingTimer = setTimeout(() => (this.staffTyping = null), STAFF_TYPING_TIMEOUT_MS);
        }
        return;
      case 'routed':
        this.entries = [...this.entries, { kind: 'routed', key: `routed-${event.seq}`, department: event.department.name }];
        this.announce(this.localize.t('chat.routed', { department: event.department.name }));
        return;
      case 'closed':
        this.markClosed(true);
        return;
      case 'status':
        if (event.status === 'closed') this.markClosed(true);
        return;
    }
  }

  /** The conversation ended: one notice at the end of the log, and the composer offers a new one. */
  private markClosed(announce = false): void {
    this.closed = true;
    this.staffTyping = null;
    if (this.entries.some((e) => e.kind === 'closed')) return;
    this.entries = [...this.entries, { kind: 'closed', key: 'closed' }];
    if (announce) this.announce(this.localize.t('chat.closed'));
  }

  /** A message the server refused because the conversation had ended: its text goes back into the composer. */
  private refusedAsClosed(clientId: string): void {
    this.markClosed(true);
    this.backToComposer(clientId);
  }

  /** Takes a message out of the log and the outbox and puts its text back into the composer: nothing is lost. */
  private backToComposer(clientId: string): void {
    const index = this.findMessage((m) => m.clientId === clientId);
    if (index < 0) return;
    const text = (this.entries[index] as Extract<Entry, { kind: 'message' }>).message.text;
    this.entries = this.entries.filter((_, i) => i !== index);
    this.activeClient?.discard(clientId).catch(() => undefined);
    this.draft = this.draft.includes(text) ? this.draft : [text, this.draft].filter(Boolean).join('\n');
    this.scheduleDraftSave();
  }

  /** After a close: forgets the old conversation so the next message starts a new one. */
  private async startOver(client: IntakeClientApi): Promise<void> {
    this.subscription?.close();
    this.subscription = undefined;
    this.conversation = undefined;
    this.starting = undefined;
    this.closed = false;
    this.entries = [];
    await client.forgetConversation().catch(() => undefined);
  }

  private lastStaffName(): string | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.kind === 'message' && e.message.author === 'staff' && e.message.authorName) return e.message.authorName;
    }
    return undefined;
  }

  /**
   * A keystroke. The view is not rendered again for it unless something seen changes state (the
   * send button, near or over the limit, a problem shown): the counter's figures are written in
   * place. A whole render per key was most of the script a key cost on a slow phone.
   */
  private onInput(event: Event): void {
    const input = event.target as HTMLTextAreaElement;
    const before = this.composerState();
    this.draftText = input.value;
    if (this.problem !== undefined) this.problem = undefined;
    if (this.composerState() !== before) this.requestUpdate();
    else this.paintCounter();
    this.scheduleDraftSave();
    this.scheduleAnswers();
    this.signalTyping();
  }

  /** What the composer shows besides the counter's figures: empty or not, near or over the limit (and by how much). */
  private composerState(): string {
    const length = this.draftText.length;
    const max = this.maxLength;
    return `${this.draftText.trim().length === 0}|${length > max * 0.9}|${length > max ? length : ''}`;
  }

  /** The counter's figures (under the limit; over it, the render says by how much). */
  private paintCounter(): void {
    const length = this.draftText.length;
    const max = this.maxLength;
    if (length > max) return;
    const counter = this.renderRoot.querySelector<HTMLElement>('.counter');
    const remaining = this.renderRoot.querySelector<HTMLElement>('#remaining');
    if (counter) writeText(counter, `${length} / ${max}`);
    if (remaining) writeText(remaining, this.localize.t('chat.remaining', { count: max - length }));
  }

  private onKeydown(event: KeyboardEvent): void {
    // Enter while an IME is composing (Chinese, Uyghur input) confirms the candidate, never sends.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    void this.send();
  }

  private scheduleDraftSave(): void {
    clearTimeout(this.draftTimer);
    const client = this.activeClient;
    if (!client) return;
    this.draftTimer = setTimeout(() => {
      const text = this.draft;
      (text ? client.saveDraft(DRAFT_KEY, text) : client.clearDraft(DRAFT_KEY)).catch(() => undefined);
    }, 300);
  }

  private scheduleAnswers(): void {
    clearTimeout(this.answersTimer);
    const client = this.activeClient;
    const query = this.draft.trim();
    const offered = this.catalog?.capabilities.answers ?? client?.capabilities.answers ?? false;
    if (!client || !offered || query.length < 2) {
      this.answersAbort?.abort();
      if (this.answers.length) this.answers = [];
      return;
    }
    this.answersTimer = setTimeout(() => {
      this.answersAbort?.abort();
      const abort = new AbortController();
      this.answersAbort = abort;
      client.answers(query, { signal: abort.signal }).then(
        (answers) => {
          if (this.answersAbort === abort) this.answers = answers.slice(0, 3);
        },
        () => undefined,
      );
    }, ANSWERS_DELAY_MS);
  }

  private signalTyping(): void {
    const client = this.activeClient;
    const conversation = this.conversation;
    if (!client || !conversation) return;
    if (!this.typingSent) {
      this.typingSent = true;
      client.setTyping(conversation, true).catch(() => undefined);
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (!this.typingSent) return;
    this.typingSent = false;
    const client = this.activeClient;
    if (client && this.conversation) client.setTyping(this.conversation, false).catch(() => undefined);
  }

  private async send(): Promise<void> {
    const text = this.draft.trim();
    const client = this.activeClient;
    if (!text || !client) return;
    if (text.length > this.maxLength) return;
    if (this.closed) await this.startOver(client);
    const hadResidentMessage = this.entries.some((e) => e.kind === 'message' && e.message.author === 'resident');
    this.draft = '';
    this.answers = [];
    this.answersAbort?.abort();
    clearTimeout(this.answersTimer);
    clearTimeout(this.draftTimer);
    this.stopTyping();
    let conversation: Conversation | undefined;
    try {
      conversation = await this.ensureConversation(client);
    } catch (error) {
      this.draft = text;
      this.problem = 'start';
      emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
      return;
    }
    if (!conversation) return;
    try {
      const delivery = await client.sendMessage(conversation, text);
      const message: ChatMessage = { clientId: delivery.key, author: 'resident', text, at: new Date().toISOString(), delivery: delivery.state };
      if (this.findMessage((m) => m.clientId === delivery.key) < 0) this.entries = [...this.entries, this.toEntry(message)];
      if (!hadResidentMessage && !this.staffOnDuty) {
        this.entries = [...this.entries, { kind: 'received', key: `received-${delivery.key}` }];
        this.receiptFor = delivery.key;
      }
      client.clearDraft(DRAFT_KEY).catch(() => undefined);
      emit(this, 'intake-message-sent', { clientId: delivery.key });
      delivery.done.then(
        (saved) => {
          const index = this.findMessage((m) => m.clientId === delivery.key);
          if (index < 0) return;
          const old = (this.entries[index] as Extract<Entry, { kind: 'message' }>).message;
          this.replaceMessage(index, { ...old, id: saved.id, seq: saved.seq, delivery: old.delivery === 'read' ? 'read' : 'sent' });
        },
        (error: unknown) => {
          if (errorCode(error) === 'conversation_closed') this.refusedAsClosed(delivery.key);
          else this.setDelivery(delivery.key, 'failed');
          emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
        },
      );
    } catch (error) {
      this.draft = text;
      this.problem = 'send';
      emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
    }
  }

  private retry(clientId: string): void {
    this.activeClient?.retryNow(clientId).catch(() => undefined);
    this.setDelivery(clientId, 'sending');
  }

  private formatTime(at: string): string {
    const date = new Date(at);
    if (Number.isNaN(date.getTime())) return '';
    return dateTimeFormat(this.localize.locale, 'time').format(date);
  }

  private renderText(text: string): TemplateResult[] {
    return linkify(text).map((part) =>
      part.href
        ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer">${part.text}</a>`
        : html`${part.text}`,
    );
  }

  /** "Housing Bureau:" — who speaks, as the log's hidden sender label says it. */
  private senderName(message: ChatMessage): string {
    const sender = message.author === 'staff' ? message.authorName || this.localize.t('chat.sender.staff') : this.localize.t(`chat.sender.${message.author}`);
    return this.localize.t('chat.senderSays', { sender });
  }

  private renderMessage(message: ChatMessage): TemplateResult {
    const sender = message.author === 'staff' ? message.authorName || this.localize.t('chat.sender.staff') : this.localize.t(`chat.sender.${message.author}`);
    // The resident's own words are in the view's language as far as we know; the server's are marked by script.
    const lang = message.author === 'resident' ? undefined : textLang(message.text, this.catalog?.locale);
    const state = message.author === 'resident' ? message.delivery ?? 'queued' : undefined;
    const retryable = state === 'retrying' || state === 'failed';
    return html`
      <div class="message ${message.author}" part="message message-${message.author}">
        ${message.author === 'staff'
          ? html`<div class="sender">${message.authorName ? serverText(sender, this.catalog?.locale) : sender}</div>`
          : html`<span class="visually-hidden">${this.localize.t('chat.senderSays', { sender })}</span>`}
        <div class="bubble" part="bubble" lang=${ifDefined(lang)} dir="auto">${this.renderText(message.text)}</div>
        <div class="meta">
          <time datetime=${message.at} dir=${dateTimeFormat(this.localize.locale, 'time').dir}>${this.formatTime(message.at)}</time>
          ${state
            ? html`<span class="delivery ${state}" data-state=${state}>${this.localize.t(`chat.state.${state}`)}</span>`
            : nothing}
          ${retryable && message.clientId
            ? html`<button type="button" class="retry" part="button" @click=${() => this.retry(message.clientId!)}>${this.localize.t('chat.retryNow')}</button>`
            : nothing}
          ${state === 'failed' && message.clientId
            ? html`<button type="button" class="edit" part="button" @click=${() => this.backToComposer(message.clientId!)}>${this.localize.t('chat.edit')}</button>`
            : nothing}
          ${message.request
            ? html`<button type="button" class="follow" part="button" @click=${() => this.dispatchEvent(new CustomEvent('intake-show-status', { detail: message.request }))}>${this.localize.t('chat.follow')}</button>`
            : nothing}
        </div>
      </div>
    `;
  }

  private renderNotice(text: string | TemplateResult): TemplateResult {
    return html`<div class="message system notice" part="message message-system">
      <span class="visually-hidden">${this.localize.t('chat.senderSays', { sender: this.localize.t('chat.sender.system') })}</span>
      <div class="bubble" part="bubble">${text}</div>
    </div>`;
  }

  private renderEntry(entry: Entry): TemplateResult {
    const promise = this.conversation?.replyPromise.text ?? this.catalog?.site.replyPromise.text ?? '';
    switch (entry.kind) {
      case 'message':
        return this.renderMessage(entry.message);
      case 'routed':
        return this.renderNotice(sentenceWith((department) => this.localize.t('chat.routed', { department }), entry.department, this.catalog?.locale, this.langOf(entry.department)));
      case 'closed':
        return this.renderNotice(this.localize.t('chat.closed'));
      case 'received':
        return this.renderNotice(promise ? sentenceWith((p) => this.localize.t('chat.received', { promise: p }), promise, this.catalog?.locale, this.langOf(promise)) : this.localize.t('chat.received', { promise }).trim());
    }
  }

  /**
   * The latest `shown` entries, behind a guard: typing in the composer re-renders the view but
   * never walks the list. Earlier entries come back with "show earlier messages".
   */
  private renderEntries(): unknown {
    const promise = this.conversation?.replyPromise.text ?? this.catalog?.site.replyPromise.text ?? '';
    return guard([this.entries, this.shown, this.localize.locale, this.localize.ready, promise, this.localize.revision], () => {
      const hidden = Math.max(0, this.entries.length - this.shown);
      const visible = hidden ? this.entries.slice(hidden) : this.entries;
      return html`${hidden
          ? html`<button type="button" class="earlier" part="button" @click=${this.showEarlier}>${this.localize.t('chat.earlier', { hidden })}</button>`
          : nothing}${repeat(visible, (e) => e.key, (e) => this.renderEntry(e))}`;
    });
  }

  /** Shows a page of earlier entries above, keeping the reader's place (the log is busy meanwhile, so nothing is announced). */
  private readonly showEarlier = async (): Promise<void> => {
    const log = this.log;
    const fromBottom = log ? log.scrollHeight - log.scrollTop : 0;
    log?.setAttribute('aria-busy', 'true');
    this.shown += PAGE_SIZE;
    await this.updateComplete;
    if (log) {
      log.scrollTop = log.scrollHeight - fromBottom;
      log.removeAttribute('aria-busy');
      // Focus stays in the log: on the first of the entries now shown, or the log itself.
      const button = this.renderRoot.querySelector<HTMLButtonElement>('button.earlier');
      (button ?? log).focus();
    }
  };

  private renderGreeting(): TemplateResult {
    const t = (key: string, options?: Record<string, unknown>) => this.localize.t(key, options);
    const site = this.catalog?.site.name;
    const promise = this.conversation?.replyPromise.text ?? this.catalog?.site.replyPromise.text;
    return html`<div class="greeting">
      <p>${site ? sentenceWith((s) => t('chat.greeting', { site: s }), site, this.catalog?.locale, this.langOf(site)) : t('chat.greetingNoSite')}</p>
      ${promise ? html`<p class="promise">${sentenceWith((p) => t('chat.replyPromise', { promise: p }), promise, this.catalog?.locale, this.langOf(promise))}</p>` : nothing}
      ${this.staffOnDuty ? nothing : html`<p class="no-staff">${t('chat.noStaff')}</p>`}
    </div>`;
  }

  private renderBanner(): TemplateResult | typeof nothing {
    const t = (key: string) => this.localize.t(key);
    const client = this.activeClient;
    const messages: string[] = [];
    if (this.connection !== 'online') messages.push(t(`chat.connection.${this.connection}`));
    if (client?.outboxStorage === 'memory' && this.entries.some((e) => e.kind === 'message' && e.message.author === 'resident' && e.message.delivery !== 'sent' && e.message.delivery !== 'read')) {
      messages.push(t('chat.outboxMemory'));
    }
    if (this.problem) messages.push(t(`chat.error.${this.problem}`));
    return html`<div class="banner ${this.problem ? 'problem' : ''}" role="status" ?hidden=${messages.length === 0}>${messages.join(' ')}</div>`;
  }

  private renderAnswers(): TemplateResult | typeof nothing {
    if (this.answers.length === 0) return nothing;
    const t = (key: string) => this.localize.t(key);
    return html`<section class="answers" aria-labelledby="answers-title">
      <h3 id="answers-title">${t('chat.answers.title')}</h3>
      ${this.answers.map(
        (answer) => html`<details>
          <summary>${serverText(answer.question, this.catalog?.locale, answer.langs?.['question'])}</summary>
          <p lang=${ifDefined(textLang(answer.answer, this.catalog?.locale, answer.langs?.['answer']))} dir="auto">${this.renderText(answer.answer)}</p>
          ${answer.url && linkify(answer.url)[0]?.href
            ? html`<p><a href=${linkify(answer.url)[0]!.href!} target="_blank" rel="noopener noreferrer">${t('chat.answers.more')}</a></p>`
            : nothing}
        </details>`,
      )}
      <p class="still">${t('chat.answers.stillSend')}</p>
    </section>`;
  }

  override render(): TemplateResult {
    if (!this.localize.ready) return html`<div class="loading" role="status"></div>`;
    const t = (key: string, options?: Record<string, unknown>) => this.localize.t(key, options);
    const chatOffered = this.catalog ? this.catalog.capabilities.chat : true;
    const max = this.maxLength;
    const length = this.draft.length;
    // Longer than the backend takes: no `maxlength` (a paste would be cut off unseen); say it instead.
    const over = length > max;
    const site = this.catalog?.site.name;
    return html`
      <div class="chat" lang=${this.localize.locale} dir=${this.localize.dir}>
        ${this.nested
          ? nothing
          : html`<div class="heading">
              <h2 class="title" part="header">${site ? sentenceWith((s) => t('chat.title', { site: s }), site, this.catalog?.locale, this.langOf(site)) : t('widget.title')}</h2>
              ${this.language.render(t('widget.language'))}
            </div>`}
        ${this.renderBanner()}
        <div class="announcer visually-hidden" aria-live="polite" data-announcer>${this.announcement.text
          ? keyed(this.announcement.n, html`<span lang=${ifDefined(this.announcement.lang || undefined)}>${this.announcement.text}</span>`)
          : nothing}</div>
        <!-- Not live: the announcer above says once what happened (see announceDelivery). -->
        <div class="log" role="log" aria-label=${t('chat.log')} aria-live="off" part="log" tabindex="0">
          ${this.renderGreeting()}
          ${this.loadingHistory ? html`<p class="loading-history">${t('chat.loadingHistory')}</p>` : nothing}
          ${this.renderEntries()}
        </div>
        <div class="typing" role="status">${this.staffTyping ? t('chat.typing', { name: this.staffTyping }) : ''}</div>
        ${chatOffered
          ? html`
              ${this.renderAnswers()}
              ${this.topic ? html`<p class="topic">${t('chat.topic', { topic: this.topic })}</p>` : nothing}
              <form class="composer" part="composer" @submit=${(e: Event) => { e.preventDefault(); void this.send(); }}>
                <label class="visually-hidden" for="input">${t('chat.composerLabel')}</label>
                <textarea
                  id="input"
                  part="input field"
                  rows="1"
                  .value=${live(this.draft)}
                  placeholder=${t('chat.placeholder')}
                  aria-invalid=${over ? 'true' : 'false'}
                  aria-describedby="hint remaining"
                  enterkeyhint="send"
                  @input=${this.onInput}
                  @keydown=${this.onKeydown}
                ></textarea>
                <button class="send" type="submit" part="button send-button" ?disabled=${this.draft.trim().length === 0 || over}>
                  ${t(this.closed ? 'chat.newConversation' : 'chat.send')}
                </button>
                <div class="composer-meta">
                  ${this.closed ? html`<span class="closed-hint">${t('chat.closedHint')}</span>` : nothing}
                  <span id="hint">${t('chat.hint')}</span>
                  ${over
                    ? html`<span id="remaining" class="counter over" role="status">${t('form.counter.over', { count: length - max })}</span>`
                    : // Their figures are written by paintCounter, after each render and on each key.
                      html`<span class="counter ${length > max * 0.9 ? 'near' : ''}" aria-hidden="true"></span>
                        <span id="remaining" class="visually-hidden"></span>`}
                </div>
              </form>
            `
          : html`<p class="unavailable">${t('chat.unavailable')}</p>`}
      </div>
    `;
  }
}

/**
 * Sets an element's text by changing its one text node in place: no node is removed or inserted,
 * so the browser lays the line out again without recomputing any style.
 */
function writeText(element: HTMLElement, text: string): void {
  const node = element.firstChild;
  if (node instanceof Text && node === element.lastChild) {
    if (node.data !== text) node.data = text;
  } else element.textContent = text;
}

declare global {
  interface HTMLElementTagNameMap {
    'intake-chat': IntakeChat;
  }
}
