import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { Catalog, Move, RequestDetail, RequestStatus } from '../../client/protocol.js';
import { LIMITS, RETURN_REASONS } from '../../client/protocol.js';
import type { ConnectionState, DeliveryState, IntakeClientApi, IntakeClientEvents, KnownRequest, TransportKind } from '../../client/types.js';
import { LocalizeController } from '../../controllers/localize.js';
import { applyStrings } from '../../i18n/i18n.js';
import { emit } from '../../events/index.js';
import { shared } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';
import { controls } from '../shared/controls.styles.js';
import { errorCode, errorFields, errorMessage } from '../shared/errors.js';
import { normalizeReference, parseReference } from '../../client/reference.js';
import { loadSeen, markRepliesSeen, noticeFor, type Seen } from '../shared/request-notice.js';
import { resolveClient, viewOptions } from '../shared/view-client.js';
import { siteName } from '../shared/site-name.js';
import { dateTimeFormat, declaredLangs, sentenceWith, serverText } from '../shared/text-lang.js';
import { languagePickerStyles, ViewLanguage } from '../shared/language-picker.js';
import type { Locale } from '../../i18n/locale.js';
import { styles } from './status.styles.js';

/** Moves between offices the status view words (protocol Move.type); others show as status entries. */
const MOVES = ['dispatched', 'redispatched', 'returned', 'return_overruled', 'assist_added', 'assist_removed'];
const REASONS: readonly string[] = RETURN_REASONS;

type Options = Record<string, unknown>;

/** A delivery event as the client sends it; `waitingForReference` only from an Open311 `batch` server. */
type DeliveryDetail = IntakeClientEvents['delivery'] & { waitingForReference?: boolean };

/** The client's outbox list, where the client has one (IntakeClient does; fakes may not). */
interface PendingSource {
  pending(): Promise<{ key: string; kind: string; waitingForReference?: boolean }[]>;
}

interface FeedbackDraft {
  rating?: number;
  resolved?: boolean;
  comment: string;
}

/** Where a rating or a reopening is: in the outbox, acknowledged, or refused. */
type Sending = { kind: 'feedback' | 'reopen'; key: string; state: DeliveryState };

/** The national five-level scale (政务服务"好差评"), best first: 5 非常满意 … 1 非常不满意. */
const RATINGS = [5, 4, 3, 2, 1] as const;

/**
 * My requests: the requests sent from this browser, and a lookup by reference number with the
 * contact given, each with its department, status timeline and replies, refreshed while open;
 * then the return visit — a rating, "was it solved?", and a reopening when it was not.
 *
 * @tag intake-status
 * @event {IntakeFeedbackEvent} intake-feedback - A rating was saved to be sent. `{reference, rating}`
 * @event {IntakeErrorEvent} intake-error - Something could not be done. `{code, message}`
 * @csspart header - The inline heading.
 * @csspart language-picker - The inline view's language picker (a `<select>`), beside the heading.
 * @csspart request - A request in the list.
 * @csspart timeline - A request's status history.
 * @csspart reply - A reply from a department.
 * @csspart field - Each question of the lookup and rating forms.
 * @csspart input - Each text input and text area.
 * @csspart button - Every button.
 * @csspart error-summary - The list of problems at the top of a form.
 * @cssproperty --intake-status-background - Inline My requests background (default --intake-color-surface).
 * @cssproperty --intake-status-border-color - Inline My requests border, title divider (default --intake-color-border).
 * @cssproperty --intake-status-radius - Inline My requests corners (default --intake-radius-md).
 * @cssproperty --intake-field-background - Text fields, selects (default --intake-color-surface).
 * @cssproperty --intake-field-border-color - Field borders (default --intake-color-border).
 * @cssproperty --intake-field-radius - Field corners (default --intake-radius-sm).
 * @cssproperty --intake-button-background - Primary buttons (default --intake-color-primary).
 * @cssproperty --intake-button-background-hover - Primary buttons on hover (default --intake-color-primary-hover).
 * @cssproperty --intake-button-color - Primary button text (default --intake-color-on-primary).
 * @cssproperty --intake-button-radius - Buttons (default --intake-radius-md).
 */
export class IntakeStatus extends LitElement {
  static override styles = [tokens, shared, controls, languagePickerStyles, styles];

  @property() endpoint = '';
  @property() site = '';
  @property() locale?: string;
  @property() transport?: TransportKind;
  @property({ reflect: true }) theme?: string;
  @property({ type: Boolean, reflect: true, attribute: 'large-text' }) largeText = false;
  @property({ type: Boolean, reflect: true }) nested = false;
  /** Leaves the language picker out of the inline view's heading (the page offers its own switch). */
  @property({ type: Boolean, attribute: 'hide-language-picker' }) hideLanguagePicker = false;
  /** A reference number to show at once (from `showStatus(reference)`). */
  @property() reference?: string;
  @property({ attribute: false }) client?: IntakeClientApi;
  @property({ attribute: false }) catalog?: Catalog;
  /** Site strings laid over the catalogues, per locale or for all (see docs/i18n.md). */
  @property({ attribute: false }) strings?: Record<string, unknown>;
  /** How often an open view asks for news, in milliseconds (default 20 000). */
  @property({ attribute: false }) refreshInterval = 20_000;

  @state() private known: KnownRequest[] = [];
  @state() private details: Record<string, RequestDetail> = {};
  @state() private loading = true;
  @state() private listProblem = false;
  @state() private openReference?: string;
  @state() private lookedUp: string[] = [];
  @state() private lookupReference = '';
  @state() private lookupContact = '';
  @state() private errors: Record<string, string> = {};
  @state() private summaryFor?: 'lookup' | 'feedback';
  @state() private lookingUp = false;
  @state() private problem?: 'lookup' | 'feedback' | 'reopen';
  @state() private feedback: Record<string, FeedbackDraft> = {};
  @state() private reopenReason = '';
  @state() private sending: Record<string, Sending> = {};
  @state() private seen: Seen = {};
  @state() private connection: ConnectionState = 'online';
  /** Outbox keys of requests the server took without giving their number yet (Open311 `batch`). */
  @state() private waiting: string[] = [];
  /** Said politely once a waiting request gets its number. */
  @state() private announcement = '';
  /** Set when a waiting request was acknowledged: the next new reference is its number. */
  private numberExpected = false;

  private readonly language = new ViewLanguage(this, (locale) => this.prepareLocale(locale));
  private readonly localize = new LocalizeController(this, () => this.language.requested, ['views']);
  private attachedTo?: IntakeClientApi;
  /** The locale the view's own client speaks, and a catalogue fetched for a language being switched to. */
  private attachedLocale?: Locale;
  private early?: { locale: Locale; catalog: Catalog };
  private timer?: ReturnType<typeof setInterval>;

  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible') void this.refresh();
  };

  private readonly onConnection = (event: Event) => {
    this.connection = (event as CustomEvent<ConnectionState | undefined>).detail ?? 'online';
  };

  private readonly onDelivery = (event: Event) => {
    const detail = (event as CustomEvent<DeliveryDetail | undefined>).detail;
    if (detail?.kind === 'request') {
      this.requestDelivery(detail);
      return;
    }
    if (!detail || (detail.kind !== 'feedback' && detail.kind !== 'reopen')) return;
    for (const [reference, item] of Object.entries(this.sending)) {
      if (item.key === detail.key && item.state !== 'sent') this.sending = { ...this.sending, [reference]: { ...item, state: detail.state } };
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.attach();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.detach();
  }

  /** Switches the language at runtime (the same as setting `locale`). */
  setLocale(locale: string): void {
    this.locale = locale;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('strings') && this.strings) applyStrings(this.strings);
    // An inline view made its own client: one for the new locale, the catalogue and the requests again.
    if (this.hasUpdated && !this.client && !this.nested && this.attachedTo && this.language.locale !== this.attachedLocale) {
      const early = this.early;
      this.early = undefined;
      this.catalog = early?.locale === this.language.locale ? early.catalog : undefined;
      void this.attach();
    }
    if (changed.has('client') && this.isConnected && this.client !== this.attachedTo) void this.attach();
    if (changed.has('reference') && this.reference && this.attachedTo) void this.show(this.reference);
    if (changed.has('refreshInterval') && this.attachedTo) this.startTimer();
  }

  /** Resolves the options an enclosing widget gives (tests read it). @internal */
  resolveOptions(): { endpoint: string; site: string } {
    return viewOptions(this);
  }

  /** Reads the requests filed from this browser again and asks for news (the widget calls it when the tab is shown). */
  async reload(): Promise<void> {
    await this.refresh({ rereadKnown: true });
  }

  /** Shows one request (loading it if needed); falls back to the lookup for another device's. */
  async show(typed: string): Promise<void> {
    const client = this.attachedTo;
    if (!client) return;
    const reference = this.open311 ? typed : normalizeReference(typed);
    if (!this.details[reference]) {
      try {
        this.details = { ...this.details, [reference]: await client.getRequest(reference) };
      } catch {
        this.openReference = undefined;
        this.lookupReference = reference;
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#f-lookup-contact')?.focus());
        return;
      }
    }
    this.open(reference);
  }

  private t(key: string, options?: Options): string {
    return this.localize.t(key, options);
  }

  /** Before a switch to `locale`: the catalogue in it, so the view changes language all at once. */
  private async prepareLocale(locale: Locale): Promise<void> {
    if (this.client || this.nested || !this.attachedTo) return;
    const client = await resolveClient(this, locale);
    if (client) this.early = { locale, catalog: await client.catalog() };
  }

  /** A kept catalogue was answered first and the server's changed one came after: the view shows it. */
  private readonly onCatalog = (event: Event): void => {
    const catalog = (event as CustomEvent<Catalog | undefined>).detail;
    if (catalog && event.target === this.attachedTo) this.catalog = catalog;
  };

  private async attach(): Promise<void> {
    let client: IntakeClientApi | undefined;
    try {
      this.attachedLocale = this.language.locale;
      client = await resolveClient(this, this.attachedLocale);
    } catch (error) {
      emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
      return;
    }
    if (!client || client === this.attachedTo || !this.isConnected) return;
    this.detach();
    this.attachedTo = client;
    this.connection = client.connection;
    client.addEventListener('connection', this.onConnection);
    client.addEventListener('delivery', this.onDelivery);
    client.addEventListener('catalog', this.onCatalog);
    if (!this.catalog) client.catalog().then((c) => (this.catalog = c), () => undefined);
    await this.loadList(client);
    if (this.reference && this.attachedTo === client) await this.show(this.reference);
    this.startTimer();
  }

  private detach(): void {
    const client = this.attachedTo;
    if (client) {
      client.removeEventListener('connection', this.onConnection);
      client.removeEventListener('delivery', this.onDelivery);
      client.removeEventListener('catalog', this.onCatalog);
    }
    clearInterval(this.timer);
    this.timer = undefined;
    this.attachedTo = undefined;
  }

  private startTimer(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') void this.refresh();
    }, Math.max(1000, this.refreshInterval));
  }

  private async loadList(client: IntakeClientApi): Promise<void> {
    this.loading = true;
    try {
      this.known = await client.knownRequests();
      this.seen = await loadSeen(client);
      this.listProblem = false;
    } catch {
      this.listProblem = true;
    }
    await this.readWaiting(client);
    this.loading = false;
    await this.refresh({ rereadKnown: false });
  }

  /** The known requests again: one filed since (in the form next door, another tab) joins the list. */
  private async readKnown(client: IntakeClientApi): Promise<void> {
    let known: KnownRequest[];
    try {
      known = await client.knownRequests();
    } catch {
      return;
    }
    if (this.attachedTo !== client) return;
    const before = new Set(this.known.map((k) => k.reference));
    const added = known.filter((k) => k.reference && !before.has(k.reference));
    if (added.length || known.length !== this.known.length) this.known = known;
    // A number that arrived for a request the list showed as waiting: said once, politely.
    if (added.length && this.numberExpected) {
      this.numberExpected = false;
      this.announcement = this.t('form.sent.numberArrived', { reference: added[0]!.reference });
    }
  }

  /** Requests in the outbox that the server took without a number yet (after a reload, say). */
  private async readWaiting(client: IntakeClientApi): Promise<void> {
    const source = client as IntakeClientApi & Partial<PendingSource>;
    if (typeof source.pending !== 'function') return;
    try {
      const items = await source.pending();
      const keys = items.filter((i) => i.kind === 'request' && i.waitingForReference).map((i) => i.key);
      if (this.attachedTo === client && keys.some((k) => !this.waiting.includes(k))) this.waiting = [...new Set([...this.waiting, ...keys])];
    } catch {
      // The list still shows the requests that have their number.
    }
  }

  /** A request of this client's outbox moved: waiting for its number, sent (now in the list) or refused. */
  private requestDelivery(detail: DeliveryDetail): void {
    const client = this.attachedTo;
    if (detail.waitingForReference && detail.state !== 'sent' && detail.state !== 'failed') {
      if (!this.waiting.includes(detail.key)) this.waiting = [...this.waiting, detail.key];
      return;
    }
    if (detail.state !== 'sent' && detail.state !== 'failed') return;
    if (this.waiting.includes(detail.key)) {
      this.waiting = this.waiting.filter((k) => k !== detail.key);
      if (detail.state === 'sent') this.numberExpected = true;
    }
    if (detail.state === 'sent' && client) void this.refresh({ rereadKnown: true });
  }

  /**
   * Asks for news: the open request, or every request in the list. The list of known requests is
   * read again first when the list is shown, or when `rereadKnown` asks for it.
   */
  private async refresh({ rereadKnown = !this.openReference }: { rereadKnown?: boolean } = {}): Promise<void> {
    const client = this.attachedTo;
    if (!client) return;
    if (rereadKnown) await this.readKnown(client);
    if (this.attachedTo !== client) return;
    const references = (this.openReference ? [this.openReference] : this.known.map((k) => k.reference)).filter(Boolean);
    const results = await Promise.all(
      references.map((reference) =>
        client.getRequest(reference, this.lookedUp.includes(reference) ? { contact: this.lookupContact } : {}).then(
          (detail) => [reference, detail] as const,
          () => undefined,
        ),
      ),
    );
    if (this.attachedTo !== client) return;
    const details = { ...this.details };
    for (const result of results) if (result) details[result[0]] = result[1];
    this.announceReplies(this.details, details);
    this.details = details;
    if (this.openReference && details[this.openReference]) await this.markSeen(details[this.openReference]!);
  }

  /**
   * A reply that came with a refresh is said once in the live region (heard when this view is in
   * sight); the widget hears the event and says it from the launcher when the view is not.
   */
  private announceReplies(before: Record<string, RequestDetail>, after: Record<string, RequestDetail>): void {
    for (const [reference, detail] of Object.entries(after)) {
      const old = before[reference];
      if (!old || detail.replies.length <= old.replies.length) continue;
      const department = detail.replies.at(-1)?.department.name.trim() || detail.routedTo.name.trim();
      this.announcement = department ? this.t('status.announce.replyFrom', { reference, department }) : this.t('status.announce.reply', { reference });
      this.dispatchEvent(new CustomEvent('intake-reply-arrived', { bubbles: true, composed: true, detail: { reference } }));
    }
  }

  private async markSeen(detail: RequestDetail): Promise<void> {
    const client = this.attachedTo;
    if (!client || (this.seen[detail.reference] ?? 0) >= detail.replies.length) return;
    this.seen = { ...this.seen, [detail.reference]: detail.replies.length };
    await markRepliesSeen(client, detail);
    // The widget listens to update its launcher notice.
    this.dispatchEvent(new CustomEvent('intake-requests-seen', { bubbles: true }));
  }

  private open(reference: string): void {
    this.openReference = reference;
    this.errors = {};
    this.summaryFor = undefined;
    this.problem = undefined;
    this.reopenReason = '';
    const detail = this.details[reference];
    if (detail) void this.markSeen(detail);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.detail-title')?.focus());
  }

  private close(): void {
    const reference = this.openReference;
    this.openReference = undefined;
    this.errors = {};
    this.summaryFor = undefined;
    const client = this.attachedTo;
    void (async () => {
      // Requests filed since the list was loaded (e.g. from the form next door) join it.
      if (client) this.known = await client.knownRequests().catch(() => this.known);
      await this.updateComplete;
      const item = reference ? this.renderRoot.querySelector<HTMLElement>(`[data-reference="${CSS.escape(reference)}"]`) : null;
      (item ?? this.renderRoot.querySelector<HTMLElement>('.list-title'))?.focus();
      await this.refresh({ rereadKnown: false });
    })();
  }

  /* ------------------------------------------------------------------ lookup */

  private async lookup(event: Event): Promise<void> {
    event.preventDefault();
    const client = this.attachedTo;
    const typed = this.lookupReference.trim();
    const contact = this.lookupContact.trim();
    // Any case, full width, spaces, missing dashes: one spelling (Open311 numbers are another system's, sent as typed).
    const parsed = parseReference(typed);
    const reference = this.open311 ? typed : parsed.canonical;
    const errors: Record<string, string> = {};
    if (!typed) errors['lookup-reference'] = this.t('status.lookup.errors.reference');
    // One of ours with a character wrong: said at once, nothing sent, the text left as typed.
    else if (!this.open311 && !parsed.valid) errors['lookup-reference'] = this.t('status.lookup.errors.check');
    // Open311 reads are public: the number alone finds a request.
    if (!contact && !this.open311) errors['lookup-contact'] = this.t('status.lookup.errors.contact');
    if (Object.keys(errors).length || !client) {
      this.showErrors(errors, 'lookup');
      return;
    }
    this.lookupReference = reference;
    this.lookingUp = true;
    this.problem = undefined;
    try {
      const detail = await client.getRequest(reference, { contact });
      this.details = { ...this.details, [detail.reference]: detail };
      if (!this.lookedUp.includes(detail.reference)) this.lookedUp = [...this.lookedUp, detail.reference];
      this.errors = {};
      this.summaryFor = undefined;
      this.open(detail.reference);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'validation_failed' && errorFields(error)?.['reference']) {
        this.showErrors({ 'lookup-reference': this.t('status.lookup.errors.check') }, 'lookup');
      } else if (code === 'not_found' || code === 'unauthorized' || code === 'forbidden' || code === 'validation_failed' || code === 'bad_request') {
        this.showErrors({ 'lookup-reference': this.t(this.open311 ? 'status.lookup.errors.notFoundNumber' : 'status.lookup.errors.notFound') }, 'lookup');
      } else {
        this.problem = 'lookup';
        emit(this, 'intake-error', { code, message: errorMessage(error) });
      }
    } finally {
      this.lookingUp = false;
    }
  }

  private showErrors(errors: Record<string, string>, form: 'lookup' | 'feedback'): void {
    this.errors = errors;
    this.summaryFor = form;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.error-summary')?.focus());
  }

  /* ------------------------------------------------------------------ return visit */

  private setFeedback(reference: string, patch: Partial<FeedbackDraft>, clear: string): void {
    this.feedback = { ...this.feedback, [reference]: { ...(this.feedback[reference] ?? { comment: '' }), ...patch } };
    if (this.errors[clear]) {
      const errors = { ...this.errors };
      delete errors[clear];
      this.errors = errors;
    }
  }

  private async sendFeedback(event: Event, reference: string): Promise<void> {
    event.preventDefault();
    const client = this.attachedTo;
    const draft = this.feedback[reference] ?? { comment: '' };
    const errors: Record<string, string> = {};
    if (!draft.rating) errors['rating'] = this.t('status.rate.errors.rating');
    if (draft.resolved === undefined) errors['resolved'] = this.t('status.rate.errors.resolved');
    if (draft.comment.length > LIMITS.commentMax) errors['comment'] = this.t('form.errors.tooLong', { label: this.t('status.rate.comment'), count: LIMITS.commentMax });
    if (Object.keys(errors).length || !client) {
      this.showErrors(errors, 'feedback');
      return;
    }
    this.errors = {};
    this.summaryFor = undefined;
    this.problem = undefined;
    try {
      const comment = draft.comment.trim();
      // Looked up on this device by reference and contact: the contact proves it (rated from any device).
      const contact = this.known.some((k) => k.reference === reference) ? undefined : this.lookupContact.trim() || undefined;
      const delivery = await client.sendFeedback(reference, { rating: draft.rating!, resolved: draft.resolved!, ...(comment ? { comment } : {}) }, contact ? { contact } : undefined);
      this.sending = { ...this.sending, [reference]: { kind: 'feedback', key: delivery.key, state: delivery.state } };
      emit(this, 'intake-feedback', { reference, rating: draft.rating! });
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.thanks')?.focus());
      delivery.done.then(
        (detail) => this.acknowledged(reference, 'feedback', detail),
        (error: unknown) => this.refused(reference, 'feedback', error),
      );
    } catch (error) {
      this.problem = 'feedback';
      emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
    }
  }

  private async reopen(event: Event, reference: string): Promise<void> {
    event.preventDefault();
    const client = this.attachedTo;
    if (!client) return;
    this.problem = undefined;
    try {
      const reason = this.reopenReason.trim();
      const delivery = await client.reopen(reference, reason || undefined);
      this.sending = { ...this.sending, [reference]: { kind: 'reopen', key: delivery.key, state: delivery.state } };
      // The next answer gets a rating of its own: start it from an empty form.
      const { [reference]: _rated, ...drafts } = this.feedback;
      this.feedback = drafts;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.thanks')?.focus());
      delivery.done.then(
        (detail) => this.acknowledged(reference, 'reopen', detail),
        (error: unknown) => this.refused(reference, 'reopen', error),
      );
    } catch (error) {
      this.problem = 'reopen';
      emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
    }
  }

  private acknowledged(reference: string, kind: Sending['kind'], detail: RequestDetail): void {
    const item = this.sending[reference];
    if (item) this.sending = { ...this.sending, [reference]: { ...item, kind, state: 'sent' } };
    if (detail && typeof detail === 'object' && 'reference' in detail) this.details = { ...this.details, [reference]: detail };
    this.dispatchEvent(new CustomEvent('intake-requests-seen', { bubbles: true }));
    void this.refresh();
  }

  private refused(reference: string, kind: Sending['kind'], error: unknown): void {
    const sending = { ...this.sending };
    delete sending[reference];
    this.sending = sending;
    this.problem = kind;
    emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
  }

  /* ------------------------------------------------------------------ formatting */

  /** `timeZone`: a time limit is shown on the site's clock. */
  private formatTime(at: string | null | undefined, timeZone?: string): string {
    if (!at) return '';
    const date = new Date(at);
    if (Number.isNaN(date.getTime())) return '';
    try {
      return dateTimeFormat(this.localize.locale, 'datetime', timeZone).format(date);
    } catch {
      return dateTimeFormat(this.localize.locale, 'datetime').format(date);
    }
  }

  /** Digits kept left to right where the engine lacks the locale (see dateTimeFormat). */
  private get timeDir(): string {
    return dateTimeFormat(this.localize.locale, 'datetime').dir;
  }

  private statusLabel(status: RequestStatus): string {
    return this.t(`status.state.${status}`);
  }

  /** The backend speaks Open311 (public reads, no kinds, no ratings). */
  private get open311(): boolean {
    return (this.attachedTo?.options.transport ?? this.transport) === 'open311';
  }

  /** Whether the backend takes ratings and reopening (`capabilities.feedback`; Open311 never does). */
  private get takesFeedback(): boolean {
    const capabilities = this.catalog?.capabilities;
    return capabilities ? capabilities.feedback : !this.open311;
  }

  /**
   * The kind to show: Open311 has none (the transport says `help` for every request), so there it
   * is the kind the resident chose when filing from here, or none.
   */
  private kindOf(reference: string, detail?: RequestDetail): RequestDetail['type'] | undefined {
    const known = this.known.find((k) => k.reference === reference);
    return this.open311 ? known?.type : (detail?.type ?? known?.type);
  }

  /** A department as the server names it, in its own language; "not yet assigned" in the view's. */
  private departmentName(name: string): TemplateResult | string {
    return name.trim() ? this.server(name.trim()) : this.t('status.detail.noDepartment');
  }

  /** Text from the server (or typed earlier, in any language) in its own voice and direction: a Chinese reply inside a Uyghur view. */
  private server(text: string): TemplateResult {
    return serverText(text, this.catalog?.locale, this.langOf(text));
  }

  /** The locale the server declared for a text it sent (a fallback), if it did (see `declaredLangs`). */
  private langOf(text: string): string | undefined {
    const found = declaredLangs(this.catalog).get(text);
    if (found) return found;
    for (const detail of Object.values(this.details)) {
      const lang = declaredLangs(detail).get(text);
      if (lang) return lang;
    }
    return undefined;
  }

  /* ------------------------------------------------------------------ rendering */

  private renderSummary(form: 'lookup' | 'feedback'): TemplateResult | typeof nothing {
    const entries = Object.entries(this.errors);
    if (this.summaryFor !== form || entries.length === 0) return nothing;
    return html`<div class="error-summary" part="error-summary" tabindex="-1" role="group" aria-labelledby="error-summary-title">
      <h3 id="error-summary-title">${this.t('form.errors.summary')}</h3>
      <ul>
        ${entries.map(
          ([key, message]) => html`<li>
            <a href="#f-${key}" @click=${(e: Event) => { e.preventDefault(); this.renderRoot.querySelector<HTMLElement>(`#f-${key}`)?.focus(); }}>${message}</a>
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderError(key: string): TemplateResult | typeof nothing {
    const message = this.errors[key];
    return message
      ? html`<p class="error-message" id="f-${key}-error"><span class="visually-hidden">${this.t('form.errors.prefix')}</span> ${message}</p>`
      : nothing;
  }

  private renderLookup(): TemplateResult {
    const field = (key: 'lookup-reference' | 'lookup-contact', label: string, hint: string, value: string, set: (v: string) => void, autocomplete: string) => {
      const error = this.errors[key];
      return html`<div class="field ${error ? 'invalid' : ''}" part="field">
        <label class="label" for="f-${key}">${label}</label>
        <span class="hint" id="f-${key}-hint">${hint}</span>
        ${this.renderError(key)}
        <input
          id="f-${key}"
          part="input"
          type="text"
          autocomplete=${autocomplete}
          .value=${live(value)}
          aria-invalid=${error ? 'true' : nothing}
          aria-describedby="f-${key}-hint${error ? ` f-${key}-error` : ''}"
          @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
        />
      </div>`;
    };
    const open311 = this.open311;
    return html`<section class="lookup" aria-labelledby="lookup-title">
      <h3 id="lookup-title">${this.t('status.lookup.title')}</h3>
      <p class="muted">${this.t(open311 ? 'status.lookup.introNumber' : 'status.lookup.intro')}</p>
      ${this.renderSummary('lookup')}
      ${this.problem === 'lookup' ? html`<p class="notice problem" role="alert">${this.t('status.lookup.problem')}</p>` : nothing}
      <form novalidate @submit=${this.lookup}>
        ${field('lookup-reference', this.t('status.lookup.reference'), this.t(open311 ? 'status.lookup.numberHint' : 'status.lookup.referenceHint'), this.lookupReference, (v) => (this.lookupReference = v), 'off')}
        ${open311 ? nothing : field('lookup-contact', this.t('status.lookup.contact'), this.t('status.lookup.contactHint'), this.lookupContact, (v) => (this.lookupContact = v), 'email')}
        <button type="submit" class="button" part="button" ?disabled=${this.lookingUp}>${this.t('status.lookup.submit')}</button>
      </form>
    </section>`;
  }

  private renderList(): TemplateResult {
    const references = [...this.known.map((k) => k.reference), ...this.lookedUp.filter((r) => !this.known.some((k) => k.reference === r))];
    const waiting = this.waiting;
    const empty = references.length === 0 && waiting.length === 0;
    return html`<section aria-labelledby="list-title">
        <h3 id="list-title" class="list-title" tabindex="-1">${this.t('status.list.title')}</h3>
        ${this.loading
          ? html`<p class="muted" role="status">${this.t('status.loading')}</p>`
          : this.listProblem && waiting.length === 0
            ? html`<p class="notice problem" role="status">${this.t('status.list.problem')}</p>`
            : empty
              ? html`<p class="muted empty">${this.t('status.list.empty')}</p>`
              : html`<ul class="requests">
                  ${waiting.map((key) => this.renderWaiting(key))}
                  ${references.map((reference, index) => (reference ? this.renderItem(reference) : this.renderNoNumber(index)))}
                </ul>`}
      </section>
      ${this.renderLookup()}`;
  }

  /** A request the server took without giving its number yet: honest, and nothing to open. */
  private renderWaiting(key: string): TemplateResult {
    return html`<li>
      <div class="request waiting" part="request" data-waiting=${key}>
        <span class="request-top">
          <strong class="ref">${this.t('form.pending.receivedTitle')}</strong>
          <span class="badge status-waiting">${this.t('status.waiting.badge')}</span>
        </span>
        <span class="request-meta">${this.t('status.waiting.text')}</span>
      </div>
    </li>`;
  }

  /** A request the server filed without any number (an Open311 `blackbox` service): never a blank number. */
  private renderNoNumber(index: number): TemplateResult {
    const known = this.known[index];
    return html`<li>
      <div class="request no-number" part="request">
        <span class="request-top"><strong class="ref">${this.t('status.noNumber.title')}</strong></span>
        ${known?.type ? html`<span class="request-meta">${this.t(`form.kind.${known.type}.label`)}</span>` : nothing}
        <span class="request-meta">${this.t('status.noNumber.text')}</span>
      </div>
    </li>`;
  }

  private renderItem(reference: string): TemplateResult {
    const detail = this.details[reference];
    const kind = this.kindOf(reference, detail);
    const notice = detail ? noticeFor(detail, this.seen[reference] ?? 0) : undefined;
    return html`<li>
      <button type="button" class="request" part="request" data-reference=${reference} @click=${() => this.open(reference)}>
        <span class="request-top">
          <strong class="ref">${reference}</strong>
          ${detail ? html`<span class="badge status-${detail.status}">${this.statusLabel(detail.status)}</span>` : nothing}
        </span>
        <span class="request-meta">${kind ? this.t(`form.kind.${kind}.label`) : ''}${kind && detail?.service.name ? ' · ' : ''}${detail?.service.name ? this.server(detail.service.name) : ''}</span>
        ${detail ? html`<span class="request-meta">${this.t('status.detail.department')}: ${this.departmentName(detail.routedTo.name)}</span>` : nothing}
        ${notice ? html`<span class="notice-badge ${notice}">${this.t(`status.notice.${notice}`)}</span>` : nothing}
      </button>
    </li>`;
  }

  private renderTimeline(detail: RequestDetail): TemplateResult {
    return html`<ol class="timeline" part="timeline">
      ${detail.timeline.map((entry) =>
        entry.feedback
          ? this.renderRatingEntry(entry.at, entry.feedback)
          : entry.move && MOVES.includes(entry.move.type)
          ? this.renderMoveEntry(entry.at, entry.move)
          : entry.step
          ? this.renderStepEntry(entry.at, entry.step, entry.note)
          : html`<li class="status-${entry.status}">
          <span class="when"><time datetime=${entry.at} dir=${this.timeDir}>${this.formatTime(entry.at)}</time></span>
          <span class="what">${this.statusLabel(entry.status)}</span>
          ${entry.mergedInto ? html`<span class="note">${this.t('status.detail.mergedInto', { reference: entry.mergedInto })}</span>` : nothing}
          ${entry.department ? html`<span class="who">${this.server(entry.department.name)}</span>` : nothing}
          ${entry.note ? html`<span class="note">${this.server(entry.note)}</span>` : nothing}
        </li>`,
      )}
    </ol>`;
  }

  /** A loop step (督办) in the resident's words; an unknown code shows the server's note. */
  private renderStepEntry(at: string, step: NonNullable<RequestDetail['timeline'][number]['step']>, note?: string): TemplateResult {
    const words = step.code === 'escalated'
      ? this.t('status.step.escalated')
      : (step.code === 'supervised' || step.code === 'redo') && step.due ? this.t(`status.step.${step.code}`, { due: this.formatTime(step.due) }) : this.server(note ?? '');
    return html`<li class="step step-${step.code}">
      <span class="when"><time datetime=${at} dir=${this.timeDir}>${this.formatTime(at)}</time></span>
      <span class="what">${words}</span>
    </li>`;
  }

  /** A rating in the timeline, in the resident's words (the server's note is for older clients). */
  private renderRatingEntry(at: string, feedback: NonNullable<RequestDetail['timeline'][number]['feedback']>): TemplateResult {
    return html`<li class="rating">
      <span class="when"><time datetime=${at} dir=${this.timeDir}>${this.formatTime(at)}</time></span>
      <span class="what">${this.t('status.rate.entry', { rating: this.t(`status.rate.stars.${feedback.rating}`) })}</span>
      <span class="who">${this.t(feedback.resolved ? 'status.rate.givenSolved' : 'status.rate.givenNotSolved')}</span>
      ${feedback.comment ? html`<span class="note">${this.t('status.rate.entryComment')} ${this.server(feedback.comment)}</span>` : nothing}
    </li>`;
  }

  private renderReplies(detail: RequestDetail): TemplateResult {
    if (detail.replies.length === 0) {
      const promise = this.catalog?.site.replyPromise.text;
      // A reply-by time is in the facts above; without one, the site's promise.
      return html`<p class="muted">${this.t('status.detail.noReply')} ${detail.replyBy || !promise ? '' : this.server(promise)}</p>`;
    }
    return html`${detail.replies.map((reply) => {
      // Signed as the site configured it (the office and the person), else the department.
      const department = (reply.signature ?? reply.department.name).trim();
      const time = html`<time datetime=${reply.at} dir=${this.timeDir}>${this.formatTime(reply.at)}</time>`;
      return html`<article class="reply" part="reply" aria-label=${department ? this.t('status.detail.replyFrom', { department }) : this.t('status.detail.reply')}>
        <p class="reply-meta">${department ? html`<strong>${this.server(department)}</strong> · ${time}` : time}</p>
        <p class="reply-text">${this.server(reply.text)}</p>
      </article>`;
    })}`;
  }

  private renderSending(reference: string): TemplateResult | typeof nothing {
    const item = this.sending[reference];
    if (!item) return nothing;
    const waiting = item.state !== 'sent' && (this.connection !== 'online' || item.state === 'queued' || item.state === 'retrying');
    const key = item.state === 'sent' ? `status.${item.kind}.sent` : waiting ? `status.${item.kind}.queued` : `status.${item.kind}.sending`;
    return html`<p class="thanks" tabindex="-1" role="status" data-state=${item.state}>${this.t(key)}</p>`;
  }

  private renderRating(detail: RequestDetail): TemplateResult {
    const reference = detail.reference;
    const draft = this.feedback[reference] ?? { comment: '' };
    const group = (key: 'rating' | 'resolved', legend: string, options: { value: string; label: string }[], selected: string | undefined, onPick: (v: string) => void, inline: boolean) => {
      const error = this.errors[key];
      return html`<fieldset class="field ${error ? 'invalid' : ''}" part="field" aria-describedby=${error ? `f-${key}-error` : nothing}>
        <legend>${legend}</legend>
        ${this.renderError(key)}
        <div class="choices ${inline ? 'inline' : ''}">
          ${options.map(
            (o, i) => html`<label class="choice">
              <input type="radio" name=${key} id=${i === 0 ? `f-${key}` : `f-${key}-${i}`} .value=${o.value} .checked=${live(selected === o.value)} @change=${() => onPick(o.value)} />
              <span class="text">${o.label}</span>
            </label>`,
          )}
        </div>
      </fieldset>`;
    };
    const commentError = this.errors['comment'];
    const left = LIMITS.commentMax - draft.comment.length;
    return html`<section class="rate" aria-labelledby="rate-title">
      <h4 id="rate-title">${this.t('status.rate.title')}</h4>
      <p class="muted">${this.t(detail.feedback ? 'status.rate.again' : 'status.rate.intro')}</p>
      ${this.renderSummary('feedback')}
      <form novalidate @submit=${(e: Event) => this.sendFeedback(e, reference)}>
        ${group(
          'rating',
          this.t('status.rate.rating'),
          RATINGS.map((n) => ({ value: String(n), label: this.t(`status.rate.stars.${n}`) })),
          draft.rating ? String(draft.rating) : undefined,
          (v) => this.setFeedback(reference, { rating: Number(v) }, 'rating'),
          false,
        )}
        ${group(
          'resolved',
          this.t('status.rate.resolved'),
          [
            { value: 'yes', label: this.t('status.rate.yes') },
            { value: 'no', label: this.t('status.rate.no') },
          ],
          draft.resolved === undefined ? undefined : draft.resolved ? 'yes' : 'no',
          (v) => this.setFeedback(reference, { resolved: v === 'yes' }, 'resolved'),
          true,
        )}
        <div class="field ${commentError ? 'invalid' : ''}" part="field">
          <label class="label" for="f-comment">${this.t('status.rate.comment')} <span class="optional">${this.t('form.optional')}</span></label>
          ${this.renderError('comment')}
          <textarea
            id="f-comment"
            part="input"
            rows="3"
            .value=${live(draft.comment)}
            aria-invalid=${commentError ? 'true' : nothing}
            aria-describedby="f-comment-limit${commentError ? ' f-comment-error' : ''}"
            @input=${(e: Event) => this.setFeedback(reference, { comment: (e.target as HTMLTextAreaElement).value }, 'comment')}
          ></textarea>
          <span class="counter ${left < 0 ? 'over' : ''}" aria-hidden="true">${left < 0 ? this.t('form.counter.over', { count: -left }) : this.t('form.counter.left', { count: left })}</span>
          <span class="visually-hidden" id="f-comment-limit">${this.t('form.counter.limit', { count: LIMITS.commentMax })}</span>
        </div>
        <button type="submit" class="button" part="button">${this.t('status.rate.submit')}</button>
      </form>
    </section>`;
  }

  private renderReopen(detail: RequestDetail): TemplateResult {
    return html`<section class="reopen" aria-labelledby="reopen-title">
      <h4 id="reopen-title">${this.t('status.reopen.title')}</h4>
      <p>${this.t('status.reopen.intro')}</p>
      <form novalidate @submit=${(e: Event) => this.reopen(e, detail.reference)}>
        <div class="field" part="field">
          <label class="label" for="f-reopen">${this.t('status.reopen.reason')} <span class="optional">${this.t('form.optional')}</span></label>
          <textarea id="f-reopen" part="input" rows="3" .value=${live(this.reopenReason)} @input=${(e: Event) => (this.reopenReason = (e.target as HTMLTextAreaElement).value)}></textarea>
        </div>
        <button type="submit" class="button" part="button">${this.t('status.reopen.submit')}</button>
      </form>
    </section>`;
  }

  private renderReturnVisit(detail: RequestDetail): TemplateResult | typeof nothing {
    // A follower never rates the reporter's request; a merged one is rated where it went.
    if (detail.following || detail.mergedInto) return nothing;
    if (!this.takesFeedback) {
      // No rating and no reopening here; once it is closed, say what to do if it is not solved.
      const done = detail.status === 'resolved' || detail.status === 'closed';
      return done ? html`<p class="muted no-feedback">${this.t('status.detail.noFeedback')}</p>` : nothing;
    }
    const reference = detail.reference;
    const fromHere = this.known.some((k) => k.reference === reference);
    const item = this.sending[reference];
    const parts: (TemplateResult | typeof nothing)[] = [];
    if (this.problem === 'feedback' || this.problem === 'reopen') parts.push(html`<p class="notice problem" role="alert">${this.t(`status.${this.problem}.problem`)}</p>`);
    parts.push(this.renderSending(reference));
    // After a reopen and a new answer, the latest rating is of the earlier answer: this one is unrated.
    const feedback = detail.awaitingFeedback ? null : detail.feedback;
    if (feedback) {
      parts.push(html`<p class="given">
        ${this.t('status.rate.given', { rating: this.t(`status.rate.stars.${feedback.rating}`) })} ${this.t(feedback.resolved ? 'status.rate.givenSolved' : 'status.rate.givenNotSolved')}
      </p>`);
    }
    const rated = !!feedback || item?.kind === 'feedback';
    const canRate = detail.awaitingFeedback || ((detail.status === 'replied' || detail.status === 'resolved') && !feedback);
    if (!rated && canRate) {
      parts.push(fromHere || this.lookedUp.includes(reference) ? this.renderRating(detail) : html`<p class="muted">${this.t('status.rate.otherDevice')}</p>`);
    }
    const notSolved = (feedback && !feedback.resolved) || (item?.kind === 'feedback' && this.feedback[reference]?.resolved === false);
    const reopenOffered = fromHere && notSolved && (detail.canReopen || !feedback) && item?.kind !== 'reopen' && detail.status !== 'in_progress';
    if (reopenOffered) parts.push(this.renderReopen(detail));
    return parts.length ? html`${parts}` : nothing;
  }

  /** A time limit on the site's clock; `late` once it has passed. */
  private renderDue(key: 'replyDue' | 'resolveDue', at: string | null | undefined, detail: RequestDetail, late: boolean): TemplateResult | typeof nothing {
    if (!at) return nothing;
    return html`<div><dt>${this.t(`status.detail.${key}`)}</dt><dd class="${key === 'replyDue' ? 'reply-due' : 'resolve-due'} ${late ? 'late' : ''}"><time datetime=${at} dir=${this.timeDir}>${this.formatTime(at, detail.timeZone)}</time></dd></div>`;
  }

  /** A move between offices in the resident's words: to whom and why (codes from the server, never a staff note). */
  private renderMoveEntry(at: string, move: Move): TemplateResult {
    const office = move.type === 'returned' || move.type === 'assist_removed' ? move.from : move.to;
    return html`<li class="move move-${move.type}">
      <span class="when"><time datetime=${at} dir=${this.timeDir}>${this.formatTime(at)}</time></span>
      <span class="what">${sentenceWith((o) => this.t(`status.move.${move.type}`, { office: o }), office?.name ?? '', this.catalog?.locale, this.langOf(office?.name ?? ''))}</span>
      ${move.reason ? html`<span class="note">${this.t(`status.reason.${REASONS.includes(move.reason) ? move.reason : 'other'}`)}</span>` : nothing}
    </li>`;
  }

  private renderDetail(detail: RequestDetail): TemplateResult {
    const kind = this.kindOf(detail.reference, detail);
    const department = detail.routedTo.name.trim();
    const open = detail.status !== 'resolved' && detail.status !== 'closed';
    return html`<div class="detail">
      <button type="button" class="link back" part="button" @click=${() => this.close()}>${this.t('status.detail.back')}</button>
      <h3 class="detail-title" tabindex="-1">${this.t('status.detail.title', { reference: detail.reference })}</h3>
      ${detail.following ? html`<p class="badge following">${this.t('status.detail.following')}</p>` : nothing}
      <dl class="facts">
        ${kind ? html`<div><dt>${this.t('status.detail.kind')}</dt><dd>${this.t(`form.kind.${kind}.label`)}</dd></div>` : nothing}
        <div><dt>${this.t('status.detail.service')}</dt><dd>${this.server(detail.service.name)}</dd></div>
        <div><dt>${this.t('status.detail.department')}</dt><dd class="department ${department ? '' : 'muted'}">${this.departmentName(department)}</dd></div>
        ${detail.firstOffice ? html`<div><dt>${this.t('status.move.firstOffice')}</dt><dd class="first-office">${sentenceWith((o) => this.t('status.move.firstOfficeValue', { office: o }), detail.firstOffice.name, this.catalog?.locale, this.langOf(detail.firstOffice.name))}</dd></div>` : nothing}
        <div><dt>${this.t('status.detail.status')}</dt><dd><span class="badge status-${detail.status}">${this.statusLabel(detail.status)}</span></dd></div>
        <div><dt>${this.t('status.detail.sent')}</dt><dd><time datetime=${detail.createdAt} dir=${this.timeDir}>${this.formatTime(detail.createdAt)}</time></dd></div>
        ${open ? this.renderDue('replyDue', detail.replyBy, detail, detail.overdue === 'reply') : nothing}
        ${open ? this.renderDue('resolveDue', detail.resolveBy, detail, detail.overdue === 'resolve') : nothing}
      </dl>
      ${open && detail.overdue ? html`<p class="notice overdue" role="status">${this.t(`status.detail.overdue.${detail.overdue}`)}</p>` : nothing}
      ${detail.redispatching ? html`<p class="notice redispatching" role="status">${this.t('status.move.redispatching')}</p>` : nothing}
      <details class="description" ?hidden=${!!detail.following}>
        <summary>${this.t('status.detail.description')}</summary>
        <p class="description-text">${this.server(detail.description)}</p>
      </details>
      <h4>${this.t('status.detail.timeline')}</h4>
      ${this.renderTimeline(detail)}
      <h4>${this.t('status.detail.replies')}</h4>
      ${this.renderReplies(detail)}
      ${this.renderReturnVisit(detail)}
    </div>`;
  }

  override render(): TemplateResult {
    if (!this.localize.ready) return html`<div class="loading" role="status"></div>`;
    const site = siteName(this.catalog, this.attachedTo?.options.transport ?? this.transport);
    const detail = this.openReference ? this.details[this.openReference] : undefined;
    return html`<div class="status" lang=${this.localize.locale} dir=${this.localize.dir}>
      ${this.nested
        ? nothing
        : html`<div class="heading">
            <h2 class="title" part="header">${site ? sentenceWith((s) => this.t('status.title', { site: s }), site, this.catalog?.locale, this.langOf(site)) : this.t('status.titleNoSite')}</h2>
            ${this.language.render(this.t('widget.language'))}
          </div>`}
      ${this.connection === 'offline' ? html`<p class="notice" role="status">${this.t('status.offline')}</p>` : nothing}
      <p class="visually-hidden announcement" role="status">${this.announcement}</p>
      <div class="body">${detail ? this.renderDetail(detail) : this.renderList()}</div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'intake-status': IntakeStatus;
  }
}
