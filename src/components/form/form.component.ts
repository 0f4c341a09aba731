import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { Answer, Catalog, Field, RequestCreated, RequestKind, Service, SimilarRequest } from '../../client/protocol.js';
import { LIMITS, REQUEST_KINDS } from '../../client/protocol.js';
import type { ConnectionState, DeliveryState, IntakeClientApi, IntakeClientEvents, TransportKind } from '../../client/types.js';
import { LocalizeController } from '../../controllers/localize.js';
import { applyStrings } from '../../i18n/i18n.js';
import { emit } from '../../events/index.js';
import { shared } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';
import { controls } from '../shared/controls.styles.js';
import { errorCode, errorFields, errorMessage } from '../shared/errors.js';
import { flagKnownRequests } from '../shared/known-flag.js';
import { resolveClient, viewOptions } from '../shared/view-client.js';
import { languagePickerStyles, ViewLanguage } from '../shared/language-picker.js';
import type { Locale } from '../../i18n/locale.js';
import { siteName } from '../shared/site-name.js';
import { dateTimeFormat, declaredLangs, sentenceWith, serverText, textLang } from '../shared/text-lang.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  checkField,
  emptyDraft,
  EMAIL,
  fileLimit,
  formFields,
  GENERAL_FILES,
  inputId,
  isEmpty,
  normalisePath,
  offersGeneralFiles,
  PHONE,
  readDraft,
  serviceOf,
  STEPS,
  stepOfPath,
  toRequestDraft,
  typeAllowed,
  type DraftValue,
  type FileItem,
  type FormDraft,
  type LocationDraft,
  type Step,
} from './model.js';
import { styles } from './form.styles.js';

const CURRENT_KEY = 'form:current';
const draftKey = (service: string | undefined) => `form:${service || '_'}`;
const ANSWERS_DELAY_MS = 500;
const SAVE_DELAY_MS = 300;
/** More options than this show as a select instead of radios. */
const MAX_RADIOS = 6;

type Phase = 'editing' | 'pending' | 'sent';
type Options = Record<string, unknown>;
/** Why a request was refused for good when no field is named: a clear word for each. */
type SendProblem = 'refused' | 'forbidden' | 'notFound';

/** A delivery event as the client sends it; `waitingForReference` only from an Open311 `batch` server. */
type DeliveryDetail = IntakeClientEvents['delivery'] & { waitingForReference?: boolean };

/** The client's outbox list, where the client has one (IntakeClient does; fakes may not). */
interface PendingSource {
  pending(): Promise<{ key: string; waitingForReference?: boolean }[]>;
}

/** An Open311 server saying a value is missing ("attribute[x] is required", "… required"). */
const REQUIRED_WORDS = /\brequired\b|\bmissing\b|not (?:been )?provided/i;

/**
 * A request to the city, step by step: the kind of request, the service, the details (fields
 * from the catalogue, files, instant answers while describing), how to answer the resident and
 * the privacy notice, a check of the answers, then the outbox. The draft survives reloads.
 *
 * @tag intake-form
 * @event {IntakeRequestSubmittedEvent} intake-request-submitted - The server acknowledged a request. `{reference, service, type}`
 * @event {IntakeErrorEvent} intake-error - Something could not be done. `{code, message}`
 * @csspart header - The inline heading.
 * @csspart language-picker - The inline view's language picker (a `<select>`), beside the heading.
 * @csspart error-summary - The list of problems at the top of a step.
 * @csspart field - Each question (a label or fieldset with its hint, error and input).
 * @csspart input - Each text input, select and text area.
 * @csspart button - Every button.
 * @csspart confirmation - The box with the reference number.
 * @cssproperty --intake-form-background - Inline form background (default --intake-color-surface).
 * @cssproperty --intake-form-border-color - Inline form border, title divider (default --intake-color-border).
 * @cssproperty --intake-form-radius - Inline form corners (default --intake-radius-md).
 * @cssproperty --intake-field-background - Text fields, selects (default --intake-color-surface).
 * @cssproperty --intake-field-border-color - Field borders (default --intake-color-border).
 * @cssproperty --intake-field-radius - Field corners (default --intake-radius-sm).
 * @cssproperty --intake-button-background - Primary buttons (default --intake-color-primary).
 * @cssproperty --intake-button-background-hover - Primary buttons on hover (default --intake-color-primary-hover).
 * @cssproperty --intake-button-color - Primary button text (default --intake-color-on-primary).
 * @cssproperty --intake-button-radius - Buttons (default --intake-radius-md).
 */
export class IntakeForm extends LitElement {
  static override styles = [tokens, shared, controls, languagePickerStyles, styles];

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
  /** Service id to start with (from `openForm({service})`). */
  @property() service?: string;
  /** Kind of request to start with: `consultation`, `help`, `complaint` or `suggestion`. */
  @property() type?: RequestKind;
  @property({ attribute: false }) client?: IntakeClientApi;
  @property({ attribute: false }) catalog?: Catalog;
  /** Site strings laid over the catalogues, per locale or for all (see docs/i18n.md). */
  @property({ attribute: false }) strings?: Record<string, unknown>;

  @state() private draft: FormDraft = emptyDraft();
  @state() private errors: Record<string, string> = {};
  @state() private summary = false;
  @state() private phase: Phase = 'editing';
  @state() private deliveryState?: DeliveryState;
  @state() private created?: RequestCreated;
  @state() private problem?: 'catalog' | 'submit' | 'send';
  @state() private connection: ConnectionState = 'online';
  @state() private answers: Answer[] = [];
  /** Open requests like this one nearby (GET /similar), and the one followed instead, if any. */
  @state() private similar: SimilarRequest[] = [];
  @state() private followed = '';
  @state() private similarOff = '';
  private similarKey = '';
  private similarTimer?: ReturnType<typeof setTimeout>;
  @state() private search = '';
  @state() private copied = false;
  @state() private locating = '';
  @state() private locationProblem: Record<string, string> = {};
  @state() private returnToCheck = false;
  @state() private submitting = false;
  @state() private activeClient?: IntakeClientApi;
  @state() private restored = false;
  /** Field errors from the server's last refusal, by form path: shown on each step the resident reaches. */
  private serverErrors: Record<string, string> = {};
  /** The server has the request but no number for it yet (Open311 `batch`): said as such. */
  @state() private waitingForReference = false;
  @state() private sendProblem: SendProblem = 'refused';
  /** Said politely in the form's live region (the number arriving after a wait). */
  @state() private announcement = '';

  private readonly language = new ViewLanguage(this, (locale) => this.prepareLocale(locale));
  private readonly localize = new LocalizeController(this, () => this.language.requested, ['views']);
  private attachedTo?: IntakeClientApi;
  /** The locale the view's own client speaks, and a catalogue fetched for a language being switched to. */
  private attachedLocale?: Locale;
  private early?: { locale: Locale; catalog: Catalog };
  private saveTimer?: ReturnType<typeof setTimeout>;
  private answersTimer?: ReturnType<typeof setTimeout>;
  private answersAbort?: AbortController;
  private pendingKey?: string;
  private presetApplied = '';

  private readonly onConnection = (event: Event) => {
    this.connection = (event as CustomEvent<ConnectionState | undefined>).detail ?? this.activeClient?.connection ?? 'online';
  };

  private readonly onDelivery = (event: Event) => {
    const detail = (event as CustomEvent<DeliveryDetail | undefined>).detail;
    if (detail?.kind === 'upload') return this.onUploadState(detail.key, detail.state);
    if (!detail || detail.kind !== 'request' || detail.key !== this.pendingKey) return;
    this.deliveryState = detail.state;
    if (detail.waitingForReference) this.waitingForReference = true;
    // After a reload there is no `done` to wait on: the outbox's events are all we have.
    if (!this.followingDone && detail.state === 'sent' && this.attachedTo) void this.deliveredAfterReload(this.attachedTo, detail.key);
    if (!this.followingDone && detail.state === 'failed') this.refused(undefined);
  };

  private followingDone = false;

  /** The page is being closed or hidden (a phone switching apps may never bring it back): save now. */
  private readonly onHide = (event: Event) => {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'hidden') return;
    const client = this.attachedTo;
    if (!this.saveTimer || !client) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.persist(client);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pagehide', this.onHide);
    document.addEventListener('visibilitychange', this.onHide);
    void this.attach();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.onHide);
    document.removeEventListener('visibilitychange', this.onHide);
    this.detach();
  }

  /** Switches the language at runtime (the same as setting `locale`). */
  setLocale(locale: string): void {
    this.locale = locale;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('strings') && this.strings) applyStrings(this.strings);
    // An inline view made its own client: one for the new locale, and the catalogue again.
    if (this.hasUpdated && !this.client && !this.nested && this.attachedTo && this.language.locale !== this.attachedLocale) this.switchClient();
    if (changed.has('client') && this.isConnected && this.client !== this.attachedTo) void this.attach();
    if ((changed.has('service') || changed.has('type') || changed.has('catalog')) && this.attachedTo) void this.applyPreset();
    if (changed.has('catalog')) this.skipSingleKind();
    if ((changed as Map<PropertyKey, unknown>).has('draft')) this.checkSimilar();
  }

  /** On the details step: asks (after a pause) for open requests of this service at this place. */
  private checkSimilar(): void {
    const d = this.draft;
    const client = this.attachedTo;
    if (d.step !== 'details' || !d.service || !client?.similar || d.kind === 'consultation') return;
    const loc = Object.values(d.values).find((x): x is LocationDraft => !!x && typeof x === 'object' && !Array.isArray(x));
    const place = { lat: loc?.lat, lng: loc?.lng, address: loc?.address.trim() || undefined };
    const key = JSON.stringify([d.service, place]);
    if (key === this.similarKey) return;
    this.similarKey = key;
    clearTimeout(this.similarTimer);
    this.similarTimer = setTimeout(() => {
      client.similar!(d.service!, place).then((found) => this.similarKey === key && (this.similar = found), () => undefined);
    }, ANSWERS_DELAY_MS);
  }

  /** "Already reported — follow it instead": the draft stays as typed, to file anyway. */
  private async follow(reference: string): Promise<void> {
    try {
      await this.attachedTo!.follow!(reference);
      this.followed = reference;
    } catch (error) {
      emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
    }
  }

  private renderSimilar(): TemplateResult | typeof nothing {
    const service = this.draft.service ?? '';
    if (this.followed) {
      return html`<section class="answers" role="status">
        <p>${this.t('form.similar.followed', { reference: this.followed })}</p>
        <button type="button" class="link" part="button" @click=${() => this.dispatchEvent(new CustomEvent('intake-show-status', { detail: { reference: this.followed } }))}>${this.t('chat.follow')}</button>
      </section>`;
    }
    if (!this.similar.length || this.similarOff === service) return nothing;
    const ago = new Intl.RelativeTimeFormat(this.localize.locale, { numeric: 'auto' });
    return html`<section class="answers" aria-labelledby="similar-title">
      <h4 id="similar-title">${this.t('form.similar.title')}</h4>
      <ul class="similar">${this.similar.map((s) => html`<li>
        <span>${[s.service.name, s.place.name, s.street, this.t(`status.state.${s.status}`), ago.format(-Math.round((Date.now() - Date.parse(s.createdAt)) / 864e5), 'day')].filter(Boolean).join(' · ')}</span>
        <button type="button" class="button secondary" part="button" @click=${() => this.follow(s.reference)}>${this.t('form.similar.follow')}</button>
      </li>`)}</ul>
      <button type="button" class="link" part="button" @click=${() => (this.similarOff = service)}>${this.t('form.similar.fileAnyway')}</button>
    </section>`;
  }

  /**
   * A backend with one kind of request (an Open311 server has no kinds: all are help requests)
   * needs no "what kind?" question: a fresh form starts on the service.
   */
  private skipSingleKind(): void {
    const kinds = this.catalog?.requestTypes ?? [];
    if (kinds.length !== 1 || this.phase !== 'editing' || !this.isUntouched() || this.draft.step !== 'kind') return;
    this.draft = { ...this.draft, kind: kinds[0]!.id, step: 'service' };
    this.kindChosenForThem = true;
  }

  private t(key: string, options?: Options): string {
    return this.localize.t(key, options);
  }

  /** Resolves the options an enclosing widget gives (tests read it). @internal */
  resolveOptions(): { endpoint: string; site: string } {
    return viewOptions(this);
  }

  /** A language chosen or set while the view's own client speaks another: a client in it, the catalogue fetched for it if ready. */
  private switchClient(): void {
    const locale = this.language.locale;
    const early = this.early;
    this.early = undefined;
    this.catalog = early?.locale === locale ? early.catalog : undefined;
    void this.attach();
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
    this.activeClient = client;
    this.connection = client.connection;
    client.addEventListener('connection', this.onConnection);
    client.addEventListener('delivery', this.onDelivery);
    client.addEventListener('upload-progress', this.onUploadProgress);
    client.addEventListener('catalog', this.onCatalog);
    if (!this.catalog) {
      try {
        const catalog = await client.catalog();
        if (this.attachedTo !== client) return;
        this.catalog = catalog;
      } catch (error) {
        this.problem = 'catalog';
        emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
      }
    }
    const current = await client.loadDraft<string>(CURRENT_KEY).catch(() => undefined);
    const saved = readDraft(await client.loadDraft(draftKey(typeof current === 'string' ? current : undefined)).catch(() => undefined));
    if (this.attachedTo !== client) return;
    if (saved && this.isUntouched()) {
      this.draft = saved;
      void this.reconcileFiles(client);
      this.restored = saved.step !== 'kind' || !!saved.description;
      if (saved.submittedKey) {
        this.pendingKey = saved.submittedKey;
        this.phase = 'pending';
        void this.restorePending(client, saved.submittedKey);
      }
    }
    await this.applyPreset();
    this.skipSingleKind();
  }

  /**
   * After a reload: where the request handed to the outbox is. Delivered meanwhile: its reference
   * at once; refused: back to the check step; waiting: said as saved on this device.
   */
  private async restorePending(client: IntakeClientApi, key: string): Promise<void> {
    const known = await client.requestState(key).catch(() => undefined);
    if (this.pendingKey !== key || this.attachedTo !== client) return;
    if (known?.created) return this.finish(known.created);
    if (known?.state === 'failed') return this.refused(known.error);
    if (!known) {
      // Not on this device any more (nor delivered from it): the answers are kept to send again.
      this.pendingKey = undefined;
      this.phase = 'editing';
      this.problem = 'submit';
      this.patch({ step: 'check', submittedKey: undefined });
      return;
    }
    this.deliveryState = known.state;
    await this.readWaiting(client, key);
  }

  /** The outbox says `sent` with no `done` to wait on (after a reload): the answer it stored gives the reference. */
  private async deliveredAfterReload(client: IntakeClientApi, key: string): Promise<void> {
    const known = await client.requestState(key).catch(() => undefined);
    if (this.pendingKey !== key || this.followingDone) return;
    this.finish(known?.created);
  }

  /** After a reload: whether the server already took the pending request and owes its number. */
  private async readWaiting(client: IntakeClientApi, key: string): Promise<void> {
    const source = client as IntakeClientApi & Partial<PendingSource>;
    if (typeof source.pending !== 'function') return;
    const items = await source.pending().catch(() => []);
    if (this.pendingKey === key && items.some((i) => i.key === key && i.waitingForReference)) this.waitingForReference = true;
  }

  /** The backend speaks Open311: its error texts are the city system's own words, often in English. */
  private get open311(): boolean {
    return (this.attachedTo?.options.transport ?? this.transport) === 'open311';
  }

  private detach(): void {
    const client = this.attachedTo;
    if (client) {
      client.removeEventListener('connection', this.onConnection);
      client.removeEventListener('delivery', this.onDelivery);
      client.removeEventListener('upload-progress', this.onUploadProgress);
      client.removeEventListener('catalog', this.onCatalog);
    }
    clearTimeout(this.answersTimer);
    this.answersAbort?.abort();
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      if (client) this.persist(client);
    }
    this.attachedTo = undefined;
  }

  private isUntouched(): boolean {
    const d = this.draft;
    if (d.service || d.description) return false;
    return d.step === 'kind' ? !d.kind : this.kindChosenForThem && d.step === 'service';
  }

  /** The only kind there is was chosen for the resident (see skipSingleKind). */
  private kindChosenForThem = false;

  /** `openForm({service, type})`: starts on that service and kind, keeping its own draft if any. */
  private async applyPreset(): Promise<void> {
    const catalog = this.catalog;
    const client = this.attachedTo;
    if (!catalog || !client || this.phase === 'pending') return;
    const wanted = `${this.service ?? ''}|${this.type ?? ''}`;
    if (wanted === '|' || wanted === this.presetApplied) return;
    this.presetApplied = wanted;
    const service = serviceOf(catalog, this.service);
    let draft = this.draft;
    if (service && draft.service !== service.id) {
      const saved = readDraft(await client.loadDraft(draftKey(service.id)).catch(() => undefined));
      if (this.presetApplied !== wanted || this.attachedTo !== client) return;
      // Read again after the wait: what the resident typed or chose meanwhile is kept (under its own service).
      this.persist_(this.draft);
      draft = saved ?? { ...emptyDraft(), kind: this.draft.kind, service: service.id };
    }
    const kind = this.type && REQUEST_KINDS.includes(this.type) ? this.type : draft.kind;
    const kindFits = kind && (!service || service.kinds.includes(kind));
    draft = { ...draft, ...(kindFits ? { kind } : {}), ...(service ? { service: service.id } : {}) };
    if (!kindFits && service?.kinds.length === 1) draft.kind = service.kinds[0];
    if (draft.step === 'kind' || draft.step === 'service') draft.step = !draft.kind ? 'kind' : draft.service ? 'details' : 'service';
    this.phase = 'editing';
    this.created = undefined;
    this.draft = draft;
    this.errors = {};
    this.summary = false;
    this.scheduleSave();
  }

  /* ------------------------------------------------------------------ draft */

  private patch(patch: Partial<FormDraft>): void {
    this.draft = { ...this.draft, ...patch };
    this.scheduleSave();
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    const client = this.attachedTo;
    if (!client) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.persist(client);
    }, SAVE_DELAY_MS);
  }

  private persist(client: IntakeClientApi): void {
    const draft = this.draft;
    const files: Record<string, FileItem[]> = {};
    // Every file the resident chose: queued ones wait in the outbox and are found again after a reload;
    // one whose saving a reload cut short is said as not uploaded (never dropped in silence).
    const stored = (f: FileItem): FileItem => (f.state === 'uploading' ? { ...f, state: 'queued' } : f.state === 'saving' ? { ...f, state: 'failed' } : f);
    for (const [key, list] of Object.entries(draft.files)) files[key] = list.map(stored);
    const value: FormDraft = { ...draft, files };
    client.saveDraft(CURRENT_KEY, draft.service ?? '').catch(() => undefined);
    client.saveDraft(draftKey(draft.service), value).catch(() => undefined);
  }

  private async clearSaved(service: string | undefined): Promise<void> {
    const client = this.attachedTo;
    if (!client) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await Promise.all([client.clearDraft(draftKey(service)), client.clearDraft(CURRENT_KEY), client.clearDraft(draftKey(undefined))].map((p) => p.catch(() => undefined)));
  }

  private setValue(id: string, value: DraftValue): void {
    this.patch({ values: { ...this.draft.values, [id]: value } });
    this.clearError(`fields.${id}`);
  }

  private clearError(path: string): void {
    if (path in this.serverErrors) {
      const rest = { ...this.serverErrors };
      delete rest[path];
      this.serverErrors = rest;
    }
    if (!(path in this.errors)) return;
    const errors = { ...this.errors };
    delete errors[path];
    this.errors = errors;
  }

  /* ------------------------------------------------------------------ steps */

  private get services(): Service[] {
    const kind = this.draft.kind;
    return (this.catalog?.services ?? []).filter((s) => !kind || s.kinds.includes(kind));
  }

  private get kinds(): RequestKind[] {
    const listed = this.catalog?.requestTypes.map((r) => r.id) ?? [];
    return listed.length ? REQUEST_KINDS.filter((k) => listed.includes(k)) : [...REQUEST_KINDS];
  }

  private get currentService(): Service | undefined {
    return serviceOf(this.catalog, this.draft.service);
  }

  private goTo(step: Step, focus?: string): void {
    this.patch({ step });
    this.summary = false;
    this.answers = [];
    void this.updateComplete.then(() => this.focusTarget(focus));
  }

  private focusTarget(id?: string): void {
    const root = this.renderRoot;
    const target = (id && root.querySelector<HTMLElement>(`#${CSS.escape(id)}`)) || root.querySelector<HTMLElement>('.step-title');
    target?.focus();
    target?.scrollIntoView?.({ block: 'nearest' });
  }

  private validate(step: Step): Record<string, string> {
    const d = this.draft;
    const errors: Record<string, string> = {};
    const t = (key: string, options?: Options) => this.t(key, options);
    switch (step) {
      case 'kind':
        if (!d.kind) errors['kind'] = t('form.errors.kind');
        break;
      case 'service':
        if (!this.currentService || (d.kind && !this.currentService.kinds.includes(d.kind))) errors['service'] = t('form.errors.service');
        break;
      case 'details': {
        const max = this.catalog?.limits?.descriptionMax ?? LIMITS.descriptionMax;
        if (!d.description.trim()) errors['description'] = t('form.errors.description');
        else if (d.description.length > max) errors['description'] = t('form.errors.tooLong', { label: t('form.description.label'), count: max });
        const service = this.currentService;
        for (const field of formFields(this.catalog, service)) {
          const problem = checkField(field, d.values[field.id], field.type === 'file' ? d.files[field.id] ?? [] : undefined, this.catalog?.limits?.attachments);
          if (problem) errors[`fields.${field.id}`] = t(problem.key, problem.options);
        }
        const refused = offersGeneralFiles(this.catalog, service) ? (d.files[GENERAL_FILES] ?? []).find((f) => f.state === 'failed') : undefined;
        if (refused) errors[`fields.${GENERAL_FILES}`] = t('form.errors.uploadFailed', { name: refused.name });
        break;
      }
      case 'contact': {
        const c = d.contact;
        if (c.anonymous === undefined) errors['contact'] = t('form.errors.contactChoice');
        else if (!c.anonymous) {
          const phone = c.phone.trim();
          const email = c.email.trim();
          if (c.name.length > 100) errors['contact.name'] = t('form.errors.tooLong', { label: t('form.contact.name'), count: 100 });
          if (!phone && !email) errors['contact.phone'] = t('form.errors.contactNeeded');
          if (phone && !PHONE.test(phone)) errors['contact.phone'] = t('form.errors.phone', { label: t('form.contact.phone') });
          if (email && !EMAIL.test(email)) errors['contact.email'] = t('form.errors.email', { label: t('form.contact.email') });
          if (c.preferred === 'phone' && !phone && email) errors['contact.preferred'] = t('form.errors.preferredPhone');
          if (c.preferred === 'email' && !email && phone) errors['contact.preferred'] = t('form.errors.preferredEmail');
        }
        if (!d.consent) errors['consent'] = t('form.errors.consent');
        break;
      }
      case 'check':
        break;
    }
    return errors;
  }

  private showErrors(errors: Record<string, string>): void {
    this.errors = errors;
    this.summary = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.error-summary')?.focus());
  }

  private next(event?: Event): void {
    event?.preventDefault();
    const step = this.draft.step;
    const errors = this.validate(step);
    if (Object.keys(errors).length) {
      this.showErrors(errors);
      return;
    }
    this.errors = {};
    // The server's words on this step were seen; the resident goes on (a second refusal brings them back).
    this.serverErrors = Object.fromEntries(Object.entries(this.serverErrors).filter(([path]) => stepOfPath(path) !== step));
    if (step === 'check') {
      void this.submit();
      return;
    }
    let target: Step = STEPS[STEPS.indexOf(step) + 1]!;
    // A service chosen first (openForm) that takes this kind needs no second look.
    if (step === 'kind' && this.currentService && this.draft.kind && this.currentService.kinds.includes(this.draft.kind)) target = 'details';
    if (this.returnToCheck) {
      const earlier = STEPS.slice(0, STEPS.indexOf('check')).find((s) => Object.keys(this.validate(s)).length > 0 || this.serverErrorsOn(s).length > 0);
      target = earlier ?? 'check';
      if (target === 'check') this.returnToCheck = false;
    }
    this.goTo(target);
    // A later step the server also found fault with shows its errors there, on its fields.
    const pending = this.serverErrorsOn(target);
    if (pending.length) this.showErrors(Object.fromEntries(pending));
  }

  /** The server's field errors still standing on a step. */
  private serverErrorsOn(step: Step): [string, string][] {
    return Object.entries(this.serverErrors).filter(([path]) => stepOfPath(path) === step);
  }

  private back(): void {
    const index = STEPS.indexOf(this.draft.step);
    let target: Step = STEPS[Math.max(0, index - 1)]!;
    if (target === 'service' && this.service && this.currentService?.id === this.service) target = 'kind';
    this.goTo(target);
  }

  private change(step: Step, focus: string): void {
    this.returnToCheck = true;
    this.goTo(step, focus);
  }

  /* ------------------------------------------------------------------ submit */

  private async submit(): Promise<void> {
    const client = this.attachedTo;
    const catalog = this.catalog;
    if (!client || !catalog || this.submitting) return;
    // A file still being saved on the device gets its upload key first: the request names it.
    while (this.fileSaves.size) {
      this.submitting = true;
      await Promise.all([...this.fileSaves]);
      this.submitting = false;
      if (this.attachedTo !== client) return;
    }
    for (const step of STEPS) {
      const errors = this.validate(step);
      if (Object.keys(errors).length) {
        this.patch({ step });
        this.showErrors(errors);
        return;
      }
    }
    this.submitting = true;
    this.problem = undefined;
    try {
      const delivery = await client.submitRequest(toRequestDraft(catalog, this.draft));
      this.pendingKey = delivery.key;
      this.deliveryState = delivery.state;
      this.waitingForReference = (delivery as { waitingForReference?: boolean }).waitingForReference === true;
      this.announcement = '';
      this.draft = { ...this.draft, submittedKey: delivery.key };
      clearTimeout(this.saveTimer);
      this.persist(client);
      this.phase = 'pending';
      this.followingDone = true;
      void this.updateComplete.then(() => this.focusTarget());
      delivery.done.then(
        (created) => this.finish(created),
        (error: unknown) => this.refused(error),
      );
    } catch (error) {
      const fields = errorFields(error);
      if (fields) this.applyServerErrors(fields);
      else {
        this.problem = 'submit';
        emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
      }
    } finally {
      this.submitting = false;
    }
  }

  /** The server's (or the client's) field errors onto the form's fields, on the first step with one. */
  private applyServerErrors(fields: Record<string, string>): void {
    const errors: Record<string, string> = {};
    let first: Step | undefined;
    for (const [path, message] of Object.entries(fields)) {
      const key = normalisePath(path);
      errors[key] ??= this.open311 ? this.open311Message(key, message) : message;
      const step = stepOfPath(key === 'kind' ? 'type' : key);
      if (step && (!first || STEPS.indexOf(step) < STEPS.indexOf(first))) first = step;
    }
    this.phase = 'editing';
    this.returnToCheck = true;
    this.serverErrors = errors;
    this.patch({ step: first ?? 'check', submittedKey: undefined });
    this.showErrors(errors);
  }

  /**
   * An Open311 field error in the resident's language where we can tell what it says (a missing
   * value), else the server's words after the question they belong to, so the summary reads clearly.
   */
  private open311Message(key: string, message: string): string {
    const field = key.startsWith('fields.') ? this.currentService?.fields.find((f) => `fields.${f.id}` === key) : undefined;
    const labels: Record<string, string> = {
      kind: this.t('form.check.kind'),
      service: this.t('form.check.service'),
      description: this.t('form.description.label'),
      'contact.name': this.t('form.contact.name'),
      'contact.phone': this.t('form.contact.phone'),
      'contact.email': this.t('form.contact.email'),
      [`fields.${GENERAL_FILES}`]: this.t('form.files.label'),
    };
    const label = field?.label ?? labels[key];
    if (!label) return message;
    if (REQUIRED_WORDS.test(message)) {
      const choice = field?.type === 'single' || field?.type === 'multi' || key === 'kind' || key === 'service';
      return this.t(choice ? 'form.errors.requiredChoice' : 'form.errors.required', { label });
    }
    return this.t('form.errors.fromServer', { label, message });
  }

  private finish(created: RequestCreated | undefined): void {
    const service = this.draft.service;
    const kind = this.draft.kind;
    const waited = this.waitingForReference;
    this.pendingKey = undefined;
    this.followingDone = false;
    this.waitingForReference = false;
    this.serverErrors = {};
    // The reference number is said in the live region, at once or when it arrives after "waiting for a number".
    this.announcement = created?.reference ? this.t(waited ? 'form.sent.numberArrived' : 'form.sent.announce', { reference: created.reference }) : '';
    this.created = created;
    this.phase = 'sent';
    this.draft = emptyDraft();
    this.returnToCheck = false;
    this.restored = false;
    void this.clearSaved(service);
    const site = this.attachedTo?.options.site ?? this.resolveOptions().site;
    if (site) flagKnownRequests(site);
    if (created && service && kind) emit(this, 'intake-request-submitted', { reference: created.reference, service, type: kind });
    void this.updateComplete.then(() => this.focusTarget());
  }

  private refused(error: unknown): void {
    this.pendingKey = undefined;
    this.followingDone = false;
    this.waitingForReference = false;
    const fields = errorFields(error);
    if (fields) {
      this.applyServerErrors(fields);
      return;
    }
    const code = error ? errorCode(error) : '';
    this.sendProblem = code === 'forbidden' || code === 'unauthorized' ? 'forbidden' : code === 'not_found' ? 'notFound' : 'refused';
    this.phase = 'editing';
    this.problem = 'send';
    this.patch({ step: 'check', submittedKey: undefined });
    if (error) emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
  }

  private startOver(): void {
    const service = this.draft.service;
    if (this.phase !== 'sent') void this.clearSaved(service);
    this.pendingKey = undefined;
    this.waitingForReference = false;
    this.announcement = '';
    this.serverErrors = {};
    this.phase = 'editing';
    this.created = undefined;
    this.errors = {};
    this.summary = false;
    this.problem = undefined;
    this.restored = false;
    this.draft = emptyDraft();
    this.skipSingleKind();
    void this.updateComplete.then(() => this.focusTarget());
  }

  private async copyReference(reference: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(reference);
      this.copied = true;
    } catch {
      // No clipboard permission: select the number so the resident can copy it themselves.
      const node = this.renderRoot.querySelector('.reference-number');
      const selection = window.getSelection();
      if (node && selection) selection.selectAllChildren(node);
      this.copied = false;
    }
  }

  /* ------------------------------------------------------------------ instant answers */

  private onDescription(event: Event): void {
    const value = (event.target as HTMLTextAreaElement).value;
    this.patch({ description: value });
    this.clearError('description');
    clearTimeout(this.answersTimer);
    const client = this.attachedTo;
    const offered = this.catalog?.capabilities.answers ?? false;
    const query = value.trim();
    if (!client || !offered || query.length < 2) {
      this.answersAbort?.abort();
      this.answers = [];
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

  /* ------------------------------------------------------------------ files and location */

  private fileFieldLabel(key: string): string {
    return key === GENERAL_FILES ? this.t('form.files.label') : this.currentService?.fields.find((f) => f.id === key)?.label ?? key;
  }

  private setFiles(key: string, update: (list: FileItem[]) => FileItem[]): void {
    const files = { ...this.draft.files, [key]: update(this.draft.files[key] ?? []) };
    this.patch({ files });
  }

  private addFiles(key: string, field: Field | undefined, input: HTMLInputElement): void {
    const client = this.attachedTo;
    const picked = Array.from(input.files ?? []);
    input.value = '';
    if (!client || picked.length === 0) return;
    const limits = this.catalog?.limits?.attachments;
    const max = fileLimit(field, limits);
    const label = this.fileFieldLabel(key);
    const problems: string[] = [];
    const added: [FileItem, File][] = [];
    this.clearError(`fields.${key}`);
    for (const file of picked) {
      // Every file of this pick counts, before any of them is saved.
      if ((this.draft.files[key] ?? []).length + added.length >= max) {
        problems.push(this.t('form.errors.tooManyFiles', { label, count: max }));
        break;
      }
      if (!typeAllowed(file.type, limits?.types ?? [])) {
        problems.push(this.t('form.errors.fileType', { name: file.name, types: this.typeNames(limits?.types ?? []) }));
        continue;
      }
      if (limits && file.size > limits.maxBytes) {
        problems.push(this.t('form.errors.fileSize', { name: file.name, size: this.formatSize(limits.maxBytes) }));
        continue;
      }
      // Listed at once (Continue and the limit see it); its stand-in key is swapped once the device has the bytes.
      const stand = `saving-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
      added.push([{ key: stand, name: file.name, size: file.size, type: file.type, loaded: 0, state: 'saving' }, file]);
    }
    if (added.length) this.setFiles(key, (list) => [...list, ...added.map(([item]) => item)]);
    for (const [item, file] of added) {
      // Queued with its bytes on the device: offline, it goes when the network is back (the request waits for it).
      const saving = this.queueFile(client, item.key, file);
      this.fileSaves.add(saving);
      void saving.finally(() => this.fileSaves.delete(saving));
    }
    if (problems.length) this.errors = { ...this.errors, [`fields.${key}`]: problems.join(' ') };
  }

  /** Files still being saved on the device: a request waits for their upload keys. */
  private readonly fileSaves = new Set<Promise<void>>();

  private async queueFile(client: IntakeClientApi, stand: string, file: File): Promise<void> {
    let delivery;
    try {
      delivery = await client.queueUpload(file);
    } catch (error) {
      if (this.findFile(stand)) this.fileRefused(stand);
      emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
      return;
    }
    // Removed while it was being saved: its bytes leave the device too.
    if (!this.findFile(stand)) {
      client.discard(delivery.key).catch(() => undefined);
      return;
    }
    const state = delivery.state === 'sending' ? 'uploading' : delivery.state === 'sent' ? 'done' : 'queued';
    const item: FileItem = { key: delivery.key, name: file.name, size: file.size, type: file.type, loaded: 0, state };
    this.patchFile(stand, { key: item.key, state });
    delivery.done.then(
      (attachment) => this.patchFile(item.key, { id: attachment.id, loaded: file.size, state: 'done' }),
      (error: unknown) => {
        if (!this.findFile(item.key)) return; // removed meanwhile
        this.fileRefused(item.key);
        emit(this, 'intake-error', { code: errorCode(error), message: errorMessage(error) });
      },
    );
  }

  /** The field key and the file with this upload key, if still chosen. */
  private findFile(uploadKey: string): [string, FileItem] | undefined {
    for (const [key, list] of Object.entries(this.draft.files)) {
      const file = list.find((f) => f.key === uploadKey);
      if (file) return [key, file];
    }
    return undefined;
  }

  private patchFile(uploadKey: string, change: Partial<FileItem>): void {
    const found = this.findFile(uploadKey);
    if (found) this.setFiles(found[0], (list) => list.map((f) => (f.key === uploadKey ? { ...f, ...change } : f)));
  }

  private fileRefused(uploadKey: string): void {
    const found = this.findFile(uploadKey);
    if (!found) return;
    this.patchFile(uploadKey, { state: 'failed' });
    this.errors = { ...this.errors, [`fields.${found[0]}`]: this.t('form.errors.uploadFailed', { name: found[1].name }) };
  }

  private readonly onUploadProgress = (event: Event): void => {
    const detail = (event as CustomEvent<{ key: string; loaded: number } | undefined>).detail;
    const found = detail && this.findFile(detail.key);
    if (found && found[1].state !== 'done') this.patchFile(detail.key, { state: 'uploading', loaded: Math.min(detail.loaded, found[1].size) });
  };

  /** An upload's outbox state (this tab or another; after a reload the only news there is). */
  private onUploadState(uploadKey: string, state: DeliveryState): void {
    const found = this.findFile(uploadKey);
    if (!found || found[1].state === 'done') return;
    if (state === 'failed') this.fileRefused(uploadKey);
    else if (state === 'sent') void this.reconcileFiles(this.attachedTo);
    else this.patchFile(uploadKey, { state: state === 'sending' ? 'uploading' : 'queued' });
  }

  /** After a reload: each file not yet uploaded as the outbox has it (done with its id, waiting, or refused). */
  private async reconcileFiles(client: IntakeClientApi | undefined): Promise<void> {
    if (!client) return;
    for (const list of Object.values(this.draft.files)) {
      for (const file of list) {
        if (file.state === 'done' || file.state === 'saving') continue;
        const known = await client.uploadState(file.key).catch(() => undefined);
        if (known?.attachment) this.patchFile(file.key, { id: known.attachment.id, loaded: file.size, state: 'done' });
        else if (!known || known.state === 'failed') this.fileRefused(file.key);
        else this.patchFile(file.key, { state: known.state === 'sending' ? 'uploading' : 'queued' });
      }
    }
  }

  private removeFile(key: string, item: FileItem): void {
    // Its bytes leave the device too (a queued upload is dropped from the outbox).
    if (item.state !== 'done' && item.state !== 'saving') this.attachedTo?.discard(item.key).catch(() => undefined);
    this.setFiles(key, (list) => list.filter((f) => f.key !== item.key));
    this.clearError(`fields.${key}`);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${inputId(`fields.${key}`)}`)?.focus());
  }

  private useLocation(id: string): void {
    const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
    const problems = { ...this.locationProblem };
    delete problems[id];
    this.locationProblem = problems;
    if (!geo) {
      this.locationProblem = { ...problems, [id]: this.t('form.location.unavailable') };
      return;
    }
    this.locating = id;
    geo.getCurrentPosition(
      (position) => {
        this.locating = '';
        const current = (this.draft.values[id] as LocationDraft | undefined) ?? { address: '' };
        const round = (n: number) => Math.round(n * 1e6) / 1e6;
        this.setValue(id, { ...current, lat: round(position.coords.latitude), lng: round(position.coords.longitude) });
      },
      () => {
        this.locating = '';
        this.locationProblem = { ...this.locationProblem, [id]: this.t('form.location.denied') };
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  /* ------------------------------------------------------------------ formatting */

  private formatSize(bytes: number): string {
    const mb = bytes >= 1024 * 1024;
    return new Intl.NumberFormat(this.localize.locale, { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(mb ? bytes / (1024 * 1024) : Math.max(1, bytes / 1024));
  }

  private typeNames(types: readonly string[]): string {
    const names = types.map((t) => (t.split('/')[1] ?? t).replace(/^jpeg$/, 'jpg').replace(/\*/, '').toUpperCase()).filter(Boolean);
    return this.list([...new Set(names)]);
  }

  private list(items: string[]): string {
    try {
      return new Intl.ListFormat(this.localize.locale, { type: 'conjunction', style: 'narrow' }).format(items);
    } catch {
      return items.join(', ');
    }
  }

  private formatDate(value: string, withTime: boolean): string {
    const date = withTime ? new Date(value) : new Date(`${value}T12:00:00`);
    if (Number.isNaN(date.getTime())) return value;
    return dateTimeFormat(this.localize.locale, withTime ? 'datetime' : 'date').format(date);
  }

  private kindLabel(kind: RequestKind): string {
    return this.t(`form.kind.${kind}.label`);
  }

  /* ------------------------------------------------------------------ rendering: pieces */

  private describedBy(...ids: (string | false | undefined)[]): string | typeof nothing {
    const list = ids.filter(Boolean).join(' ');
    return list || nothing;
  }

  private renderError(path: string): TemplateResult | typeof nothing {
    const message = this.errors[path];
    if (!message) return nothing;
    return html`<p class="error-message" id="${inputId(path)}-error"><span class="visually-hidden">${this.t('form.errors.prefix')}</span> ${message}</p>`;
  }

  private renderSummary(): TemplateResult | typeof nothing {
    const entries = Object.entries(this.errors);
    if (!this.summary || entries.length === 0) return nothing;
    // Focused, it is heard whole: its title as the name, the list of problems as the description.
    return html`<div class="error-summary" part="error-summary" tabindex="-1" role="group" aria-labelledby="error-summary-title" aria-describedby="error-summary-list">
      <h3 id="error-summary-title">${this.t('form.errors.summary')}</h3>
      <ul id="error-summary-list">
        ${entries.map(([path, message]) => {
          const target = inputId(path);
          const known = stepOfPath(path === 'kind' ? 'type' : path) === this.draft.step;
          return html`<li>
            ${known
              ? html`<a href="#${target}" @click=${(e: Event) => { e.preventDefault(); this.focusTarget(target); }}>${message}</a>`
              : html`${message}`}
          </li>`;
        })}
      </ul>
    </div>`;
  }

  private renderCounter(path: string, length: number, max: number): TemplateResult {
    const left = max - length;
    return html`<span class="counter ${left < 0 ? 'over' : ''}" aria-hidden="true">${left < 0 ? this.t('form.counter.over', { count: -left }) : this.t('form.counter.left', { count: left })}</span>
      <span class="visually-hidden" id="${inputId(path)}-limit">${this.t('form.counter.limit', { count: max })}</span>`;
  }

  /** `sayRequired`: for controls whose required state Chromium drops from the tree (date, datetime-local, select), the label says it. */
  /** Server text (a service, a field, the consent) in its own voice and direction. */
  private server(text: string): TemplateResult {
    return serverText(text, this.catalog?.locale, this.declaredLang(text));
  }

  /** The locale the server declared for a text it sent (a fallback), if it did (see `declaredLangs`). */
  private declaredLang(text: string): string | undefined {
    return declaredLangs(this.catalog).get(text) ?? declaredLangs(this.created).get(text);
  }

  private renderLabel(id: string, label: string | TemplateResult, required: boolean, sayRequired = false): TemplateResult {
    return html`<label class="label" for=${id}>${label}${this.renderMarker(required)}${required && sayRequired
      ? html`<span class="visually-hidden">${this.t('form.requiredGroup')}</span>`
      : nothing}</label>`;
  }

  private renderMarker(required: boolean): TemplateResult | typeof nothing {
    return required
      ? html`<span class="required" aria-hidden="true">*</span>`
      : html` <span class="optional">${this.t('form.optional')}</span>`;
  }

  private renderChoices(path: string, name: string, options: { value: string; label: string; desc?: string }[], selected: (value: string) => boolean, onChange: (value: string, checked: boolean) => void, multi = false, describedBy?: string): TemplateResult {
    const id = inputId(path);
    return html`<div class="choices">
      ${options.map(
        (option, i) => html`<label class="choice">
          <input
            type=${multi ? 'checkbox' : 'radio'}
            id=${i === 0 ? id : `${id}-${i}`}
            name=${name}
            .value=${option.value}
            .checked=${live(selected(option.value))}
            aria-describedby=${describedBy ?? nothing}
            aria-invalid=${this.errors[path] ? 'true' : nothing}
            @change=${(e: Event) => onChange(option.value, (e.target as HTMLInputElement).checked)}
          />
          <span class="text"><span>${this.server(option.label)}</span>${option.desc ? html`<span class="desc">${this.server(option.desc)}</span>` : nothing}</span>
        </label>`,
      )}
    </div>`;
  }

  private renderField(field: Field): TemplateResult {
    const path = `fields.${field.id}`;
    const id = inputId(path);
    const error = this.errors[path];
    const hintId = field.hint ? `${id}-hint` : undefined;
    const errorId = error ? `${id}-error` : undefined;
    const value = this.draft.values[field.id];
    const text = typeof value === 'string' ? value : '';
    const invalid = error ? 'true' : nothing;
    const hint = field.hint ? html`<span class="hint" id=${hintId!}>${this.server(field.hint)}</span>` : nothing;
    if (field.readOnly) {
      return html`<div class="field readonly" part="field"><span class="label">${this.server(field.label)}</span>${hint}</div>`;
    }
    // Radios are a radiogroup, which carries aria-required; a group of checkboxes or files says "required" in its legend.
    const radios = field.type === 'single';
    const wrapper = (content: TemplateResult, fieldset = false) =>
      fieldset
        ? html`<fieldset class="field ${error ? 'invalid' : ''}" part="field" data-type=${field.type} aria-describedby=${this.describedBy(hintId, errorId)}
              role=${radios ? 'radiogroup' : nothing} aria-required=${radios && field.required ? 'true' : nothing}>
            <legend>${this.server(field.label)}${this.renderMarker(field.required)}${field.required && !radios && field.type !== 'location'
              ? html`<span class="visually-hidden">${this.t('form.requiredGroup')}</span>`
              : nothing}</legend>${hint}${this.renderError(path)}${content}
          </fieldset>`
        : html`<div class="field ${error ? 'invalid' : ''}" part="field" data-type=${field.type}>
            ${this.renderLabel(id, this.server(field.label), field.required, field.type === 'date' || field.type === 'datetime' || field.type === 'single')}${hint}${this.renderError(path)}${content}
          </div>`;
    const input = (type: string, extra: { inputmode?: string; autocomplete?: string; min?: string; max?: string; counted?: number } = {}) => html`<input
      id=${id}
      part="input"
      type=${type}
      .value=${live(text)}
      inputmode=${extra.inputmode ?? nothing}
      autocomplete=${extra.autocomplete ?? nothing}
      min=${extra.min ?? nothing}
      max=${extra.max ?? nothing}
      aria-required=${field.required ? 'true' : nothing}
      aria-invalid=${invalid}
      aria-describedby=${this.describedBy(hintId, errorId, extra.counted !== undefined && `${id}-limit`)}
      @input=${(e: Event) => this.setValue(field.id, (e.target as HTMLInputElement).value)}
    />`;
    const bound = (v: number | string | undefined) => (v === undefined ? undefined : String(v));
    switch (field.type) {
      case 'text': {
        const max = field.maxLength;
        return wrapper(html`${input('text', max !== undefined ? { counted: max } : {})}${max !== undefined ? this.renderCounter(path, text.length, max) : nothing}`);
      }
      case 'textarea': {
        const max = field.maxLength ?? LIMITS.fieldTextMax;
        return wrapper(html`<textarea
            id=${id}
            part="input"
            rows="4"
            .value=${live(text)}
            aria-required=${field.required ? 'true' : nothing}
            aria-invalid=${invalid}
            aria-describedby=${this.describedBy(hintId, errorId, `${id}-limit`)}
            @input=${(e: Event) => this.setValue(field.id, (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          ${this.renderCounter(path, text.length, max)}`);
      }
      case 'number':
        return wrapper(input('text', { inputmode: 'decimal' }));
      case 'date':
        return wrapper(input('date', { min: bound(field.min), max: bound(field.max) }));
      case 'datetime':
        return wrapper(input('datetime-local'));
      case 'phone':
        return wrapper(input('tel', { inputmode: 'tel', autocomplete: 'tel' }));
      case 'email':
        return wrapper(input('email', { inputmode: 'email', autocomplete: 'email' }));
      case 'single': {
        const options = field.options ?? [];
        if (options.length > MAX_RADIOS) {
          return wrapper(html`<select
            id=${id}
            part="input"
            aria-required=${field.required ? 'true' : nothing}
            aria-invalid=${invalid}
            aria-describedby=${this.describedBy(hintId, errorId)}
            @change=${(e: Event) => this.setValue(field.id, (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${!text}>${this.t('form.choose')}</option>
            ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === text} lang=${ifDefined(textLang(o.label, this.catalog?.locale, o.langs?.['label']))}>${o.label}</option>`)}
          </select>`);
        }
        return wrapper(this.renderChoices(path, field.id, options, (v) => v === text, (v) => this.setValue(field.id, v)), true);
      }
      case 'multi': {
        const chosen = Array.isArray(value) ? value : [];
        return wrapper(
          this.renderChoices(path, field.id, field.options ?? [], (v) => chosen.includes(v), (v, checked) => {
            const list = Array.isArray(this.draft.values[field.id]) ? (this.draft.values[field.id] as string[]) : [];
            this.setValue(field.id, checked ? [...new Set([...list, v])] : list.filter((x) => x !== v));
          }, true),
          true,
        );
      }
      case 'location':
        return wrapper(this.renderLocation(field, path), true);
      case 'file':
        return wrapper(this.renderFiles(field.id, field), true);
    }
  }

  private renderLocation(field: Field, path: string): TemplateResult {
    const id = inputId(path);
    const value = (this.draft.values[field.id] as LocationDraft | undefined) ?? { address: '' };
    const hasPoint = value.lat !== undefined && value.lng !== undefined;
    const problem = this.locationProblem[field.id];
    const geo = typeof navigator !== 'undefined' && 'geolocation' in navigator;
    return html`<label class="label sub" for=${id}>${this.t('form.location.address')}</label>
      <input
        id=${id}
        part="input"
        type="text"
        autocomplete="street-address"
        aria-required=${field.required ? 'true' : nothing}
        .value=${live(value.address ?? '')}
        aria-invalid=${this.errors[path] ? 'true' : nothing}
        @input=${(e: Event) => this.setValue(field.id, { ...((this.draft.values[field.id] as LocationDraft | undefined) ?? {}), address: (e.target as HTMLInputElement).value })}
      />
      <div class="location-actions">
        ${geo
          ? html`<button type="button" class="button secondary" part="button" ?disabled=${this.locating === field.id} @click=${() => this.useLocation(field.id)}>
              ${this.locating === field.id ? this.t('form.location.locating') : this.t('form.location.use')}
            </button>`
          : nothing}
        <span role="status" class="location-status">
          ${hasPoint ? this.t('form.location.added', { lat: value.lat, lon: value.lng }) : ''}${problem ?? ''}
        </span>
        ${hasPoint
          ? html`<button type="button" class="link" @click=${() => this.setValue(field.id, { address: value.address ?? '' })}>${this.t('form.location.remove')}</button>`
          : nothing}
      </div>`;
  }

  private renderFiles(key: string, field: Field | undefined): TemplateResult {
    const path = `fields.${key}`;
    const id = inputId(path);
    const limits = this.catalog?.limits?.attachments;
    const list = this.draft.files[key] ?? [];
    const max = fileLimit(field, limits);
    const full = list.length >= max;
    return html`<p class="hint" id="${id}-limits">
        ${this.t('form.files.limits', { count: max, types: this.typeNames(limits?.types ?? []), size: limits ? this.formatSize(limits.maxBytes) : '' })}
      </p>
      ${list.length
        ? html`<ul class="files">
            ${list.map((item) => {
              const nameId = `file-${item.key}`;
              return html`<li class="file ${item.state}">
                <span class="file-name" id=${nameId}>${item.name}</span>
                <span class="file-size">${this.formatSize(item.size)}</span>
                ${item.state === 'uploading'
                  ? html`<progress max=${item.size || 1} .value=${item.loaded} aria-labelledby=${nameId}></progress>
                      <span class="file-state">${this.t('form.files.uploading', { percent: Math.round((item.loaded / (item.size || 1)) * 100) })}</span>`
                  : html`<span class="file-state">${this.t(`form.files.${item.state}`)}</span>`}
                <button type="button" class="link" part="button" @click=${() => this.removeFile(key, item)}>
                  ${this.t('form.files.remove')}<span class="visually-hidden"> ${item.name}</span>
                </button>
              </li>`;
            })}
          </ul>`
        : nothing}
      <label class="button secondary file-pick ${full ? 'disabled' : ''}" for=${id}>${this.t(list.length ? 'form.files.addMore' : 'form.files.choose')}</label>
      <input
        class="file-input"
        id=${id}
        type="file"
        ?multiple=${max > 1}
        ?disabled=${full}
        accept=${limits?.types.length ? limits.types.join(',') : nothing}
        aria-describedby=${this.describedBy(`${id}-limits`, this.errors[path] && `${id}-error`)}
        aria-invalid=${this.errors[path] ? 'true' : nothing}
        @change=${(e: Event) => this.addFiles(key, field, e.target as HTMLInputElement)}
      />`;
  }

  private renderAnswers(): TemplateResult | typeof nothing {
    if (this.answers.length === 0) return nothing;
    return html`<section class="answers" aria-labelledby="answers-title">
      <h4 id="answers-title">${this.t('form.answers.title')}</h4>
      ${this.answers.map(
        (answer) => html`<details>
          <summary>${serverText(answer.question, this.catalog?.locale, answer.langs?.['question'])}</summary>
          <p lang=${ifDefined(textLang(answer.answer, this.catalog?.locale, answer.langs?.['answer']))} dir="auto">${answer.answer}</p>
        </details>`,
      )}
      <p class="muted">${this.t('form.answers.goOn')}</p>
    </section>`;
  }

  /* ------------------------------------------------------------------ rendering: steps */

  private stepHeader(step: Step, title: string): TemplateResult {
    const index = STEPS.indexOf(step);
    return html`${index > 0
        ? html`<button type="button" class="link back" part="button" @click=${() => this.back()}>${this.t('form.back')}</button>`
        : nothing}
      <p class="progress">${this.t('form.progress', { step: index + 1, total: STEPS.length })}</p>
      ${this.renderSummary()}
      <h3 class="step-title" tabindex="-1">${title}</h3>`;
  }

  private renderKind(): TemplateResult {
    const kinds = this.kinds.filter((k) => !this.currentService || this.currentService.kinds.includes(k));
    return html`${this.stepHeader('kind', this.t('form.kind.title'))}
      <fieldset class="field ${this.errors['kind'] ? 'invalid' : ''}" part="field" role="radiogroup" aria-required="true" aria-describedby=${this.describedBy(this.errors['kind'] && `${inputId('kind')}-error`)}>
        <legend class="visually-hidden">${this.t('form.kind.title')}</legend>
        ${this.renderError('kind')}
        ${this.renderChoices(
          'kind',
          'kind',
          kinds.map((k) => ({ value: k, label: this.kindLabel(k), desc: this.t(`form.kind.${k}.description`) })),
          (v) => v === this.draft.kind,
          (v) => {
            this.patch({ kind: v as RequestKind });
            this.clearError('kind');
          },
        )}
      </fieldset>`;
  }

  /* ------------------------------------------------------------------ service search */

  /** The server's ranking for the search as typed (`GET /services/suggest`), best first. */
  @state() private serviceRanking?: { query: string; services: string[] };
  private rankingTimer?: ReturnType<typeof setTimeout>;
  private rankingAbort?: AbortController;

  /**
   * Asks the server to rank the services a moment after typing stops. Until its answer (and
   * offline, or on a backend without a ranking such as Open311) the local match below shows.
   */
  private askServiceRanking(value: string): void {
    clearTimeout(this.rankingTimer);
    this.rankingAbort?.abort();
    const client = this.attachedTo;
    const query = value.trim();
    if (!client?.suggestServices || !query) return;
    this.rankingTimer = setTimeout(() => {
      if (this.attachedTo !== client) return;
      const abort = new AbortController();
      this.rankingAbort = abort;
      client.suggestServices!(query, { signal: abort.signal }).then(
        (ranked) => {
          if (this.rankingAbort === abort && ranked) this.serviceRanking = { query, services: ranked.map((s) => s.service) };
        },
        () => undefined,
      );
    }, 250);
  }

  /** The local match: the words typed in the service's name, group, description or keywords. */
  private serviceMatches(service: Service, query: string): boolean {
    if (!query) return true;
    const q = query.toLowerCase();
    return [service.name, service.group, service.description, ...service.keywords].some((s) => s.toLowerCase().includes(q));
  }

  private renderService(): TemplateResult {
    const query = this.search.trim();
    const listed = this.services;
    const keep = (s: Service) => this.serviceMatches(s, query) || s.id === this.draft.service;
    // The server's ranking for this very query first, best first (groups in the order of their
    // best service); then what only the local match finds. Without it: the local match.
    const ranking = query && this.serviceRanking?.query === query ? new Map(this.serviceRanking.services.map((id, i) => [id, i])) : undefined;
    const found = ranking
      ? [...listed.filter((s) => ranking.has(s.id)).sort((a, b) => ranking.get(a.id)! - ranking.get(b.id)!), ...listed.filter((s) => !ranking.has(s.id) && keep(s))]
      : listed.filter(keep);
    const groups = new Map<string, Service[]>();
    for (const s of found) {
      const group = s.group || this.t('form.service.otherGroup');
      groups.set(group, [...(groups.get(group) ?? []), s]);
    }
    let index = 0;
    const id = inputId('service');
    return html`${this.stepHeader('service', this.t('form.service.title'))}
      <div class="field search" part="field">
        <label class="label" for="service-search">${this.t('form.service.search')}</label>
        <input
          id="service-search"
          part="input"
          type="search"
          .value=${live(this.search)}
          @input=${(e: Event) => {
            this.search = (e.target as HTMLInputElement).value;
            this.askServiceRanking(this.search);
          }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') e.preventDefault(); }}
        />
        <span class="hint" role="status">${query ? this.t('form.service.found', { count: found.length }) : ''}</span>
      </div>
      <fieldset class="field ${this.errors['service'] ? 'invalid' : ''}" part="field" role="radiogroup" aria-required="true" aria-describedby=${this.describedBy(this.errors['service'] && `${id}-error`)}>
        <legend class="visually-hidden">${this.t('form.service.title')}</legend>
        ${this.renderError('service')}
        ${found.length === 0 ? html`<p class="muted">${this.t('form.service.none')}</p>` : nothing}
        ${[...groups].map(
          ([group, services]) => html`<div class="service-group" role="group" aria-label=${group}>
            <p class="group-title" aria-hidden="true">${this.server(group)}</p>
            <div class="choices">
              ${services.map((s) => {
                const i = index++;
                return html`<label class="choice">
                  <input
                    type="radio"
                    name="service"
                    id=${i === 0 ? id : `${id}-${i}`}
                    .value=${s.id}
                    .checked=${live(s.id === this.draft.service)}
                    aria-invalid=${this.errors['service'] ? 'true' : nothing}
                    @change=${() => this.chooseService(s.id)}
                  />
                  <span class="text"><span>${this.server(s.name)}</span>${s.description ? html`<span class="desc">${this.server(s.description)}</span>` : nothing}</span>
                </label>`;
              })}
            </div>
          </div>`,
        )}
      </fieldset>`;
  }

  private chooseService(id: string): void {
    this.clearError('service');
    if (this.draft.service === id) return;
    this.persist_(this.draft);
    // Chosen now, as the checked radio shows: a Continue pressed at once must find it.
    this.patch({ service: id, values: {}, files: {} });
    void this.restoreServiceDraft(id, this.draft);
  }

  /**
   * The draft is kept per service: the one saved for the chosen service is laid in when it has
   * been read, on whatever step the resident is by then, unless they typed or chose again since.
   */
  private async restoreServiceDraft(id: string, chosen: FormDraft): Promise<void> {
    const client = this.attachedTo;
    const saved = client ? readDraft(await client.loadDraft(draftKey(id)).catch(() => undefined)) : undefined;
    const d = this.draft;
    if (!saved?.description || d.service !== id || d.description !== chosen.description || d.values !== chosen.values || d.files !== chosen.files || d.contact !== chosen.contact) return;
    this.draft = { ...d, description: saved.description, values: saved.values, files: saved.files, contact: saved.contact.anonymous === undefined ? d.contact : saved.contact };
    this.restored = true;
    this.scheduleSave();
  }

  private persist_(draft: FormDraft): void {
    const client = this.attachedTo;
    if (client && draft.service && (draft.description || Object.keys(draft.values).length)) client.saveDraft(draftKey(draft.service), draft).catch(() => undefined);
  }

  private renderDetails(): TemplateResult {
    const service = this.currentService;
    const max = this.catalog?.limits?.descriptionMax ?? LIMITS.descriptionMax;
    const d = this.draft;
    const id = inputId('description');
    const error = this.errors['description'];
    return html`${this.stepHeader('details', this.t('form.details.title'))}
      <p class="muted">${service?.name ? this.server(service.name) : ''}</p>
      ${this.renderSimilar()}
      <p class="muted small">${this.t('form.requiredNote')}</p>
      <div class="field ${error ? 'invalid' : ''}" part="field" data-type="textarea">
        ${this.renderLabel(id, this.t('form.description.label'), true)}
        <span class="hint" id="${id}-hint">${this.t(`form.description.hint.${d.kind ?? 'consultation'}`)}</span>
        ${this.renderError('description')}
        <textarea
          id=${id}
          part="input"
          rows="5"
          .value=${live(d.description)}
          aria-required="true"
          aria-invalid=${error ? 'true' : nothing}
          aria-describedby=${this.describedBy(`${id}-hint`, error && `${id}-error`, `${id}-limit`)}
          @input=${this.onDescription}
        ></textarea>
        ${this.renderCounter('description', d.description.length, max)}
      </div>
      ${this.renderAnswers()}
      ${formFields(this.catalog, service).map((f) => this.renderField(f))}
      ${offersGeneralFiles(this.catalog, service)
        ? html`<fieldset class="field ${this.errors[`fields.${GENERAL_FILES}`] ? 'invalid' : ''}" part="field" data-type="file">
            <legend>${this.t('form.files.label')} <span class="optional">${this.t('form.optional')}</span></legend>
            ${this.renderError(`fields.${GENERAL_FILES}`)}
            ${this.renderFiles(GENERAL_FILES, undefined)}
          </fieldset>`
        : nothing}`;
  }

  private setContact(patch: Partial<FormDraft['contact']>, clear: string[]): void {
    this.patch({ contact: { ...this.draft.contact, ...patch } });
    for (const path of clear) this.clearError(path);
  }

  private renderContact(): TemplateResult {
    const c = this.draft.contact;
    const consent = this.catalog?.consent;
    const text = (path: string, key: 'name' | 'phone' | 'email', type: string, autocomplete: string, required: boolean) => {
      const id = inputId(path);
      const error = this.errors[path];
      return html`<div class="field ${error ? 'invalid' : ''}" part="field">
        ${this.renderLabel(id, this.t(`form.contact.${key}`), required)}
        ${this.renderError(path)}
        <input
          id=${id}
          part="input"
          type=${type}
          autocomplete=${autocomplete}
          .value=${live(c[key])}
          aria-invalid=${error ? 'true' : nothing}
          aria-describedby=${this.describedBy(error && `${id}-error`, key !== 'name' && 'contact-need')}
          @input=${(e: Event) => this.setContact({ [key]: (e.target as HTMLInputElement).value }, [path, 'contact.phone', 'contact.preferred'])}
        />
      </div>`;
    };
    return html`${this.stepHeader('contact', this.t('form.contact.title'))}
      <fieldset class="field ${this.errors['contact'] ? 'invalid' : ''}" part="field" aria-describedby=${this.describedBy(this.errors['contact'] && `${inputId('contact')}-error`)}>
        <legend class="visually-hidden">${this.t('form.contact.title')}</legend>
        ${this.renderError('contact')}
        ${this.renderChoices(
          'contact',
          'contact',
          [
            { value: 'reply', label: this.t('form.contact.reply'), desc: this.t('form.contact.replyHint') },
            { value: 'anonymous', label: this.t('form.contact.anonymous'), desc: this.t('form.contact.anonymousHint') },
          ],
          (v) => (v === 'anonymous' ? c.anonymous === true : c.anonymous === false),
          (v) => this.setContact({ anonymous: v === 'anonymous' }, ['contact', 'contact.phone', 'contact.email', 'contact.preferred']),
        )}
      </fieldset>
      ${c.anonymous === false
        ? html`<div class="contact-details">
            <p class="hint" id="contact-need">${this.t('form.contact.need')}</p>
            ${text('contact.name', 'name', 'text', 'name', false)}
            ${text('contact.phone', 'phone', 'tel', 'tel', false)}
            ${text('contact.email', 'email', 'email', 'email', false)}
            <fieldset class="field ${this.errors['contact.preferred'] ? 'invalid' : ''}" part="field">
              <legend>${this.t('form.contact.preferred')} <span class="optional">${this.t('form.optional')}</span></legend>
              ${this.renderError('contact.preferred')}
              ${this.renderChoices(
                'contact.preferred',
                'preferred',
                [
                  { value: 'phone', label: this.t('form.contact.byPhone') },
                  { value: 'email', label: this.t('form.contact.byEmail') },
                ],
                (v) => v === c.preferred,
                (v) => this.setContact({ preferred: v as 'phone' | 'email' }, ['contact.preferred']),
              )}
            </fieldset>
            ${this.draft.kind === 'complaint'
              ? html`<div class="field share-with-office" part="field">
                  <label class="choice">
                    <input
                      type="checkbox"
                      id=${inputId('contact.shareWithOffice')}
                      .checked=${live(c.shareWithOffice === true)}
                      aria-describedby="contact-share-hint"
                      @change=${(e: Event) => this.setContact({ shareWithOffice: (e.target as HTMLInputElement).checked }, [])}
                    />
                    <span class="text">${this.t('form.contact.shareWithOffice')}</span>
                  </label>
                  <p class="hint" id="contact-share-hint">${this.t('form.contact.shareWithOfficeHint')}</p>
                </div>`
              : nothing}
          </div>`
        : nothing}
      <div class="field consent ${this.errors['consent'] ? 'invalid' : ''}" part="field">
        <h4>${this.t('form.consent.title')}</h4>
        <p class="consent-text" lang=${ifDefined(textLang(consent?.text ?? '', this.catalog?.locale, consent?.langs?.['text']))} dir="auto">${consent?.text ?? ''}</p>
        ${this.renderError('consent')}
        <label class="choice">
          <input
            type="checkbox"
            id=${inputId('consent')}
            aria-required="true"
            .checked=${live(this.draft.consent)}
            aria-invalid=${this.errors['consent'] ? 'true' : nothing}
            aria-describedby=${this.describedBy(this.errors['consent'] && `${inputId('consent')}-error`)}
            @change=${(e: Event) => {
              this.patch({ consent: (e.target as HTMLInputElement).checked });
              this.clearError('consent');
            }}
          />
          <span class="text">${this.t('form.consent.agree')}</span>
        </label>
      </div>`;
  }

  /** Each file with where it really is: uploaded, uploading, waiting to go with the request, or not uploaded. */
  private describeFiles(list: FileItem[]): string {
    return list
      .map((f) => {
        const state = f.state === 'uploading' ? this.t('form.files.uploading', { percent: Math.round((f.loaded / (f.size || 1)) * 100) }) : this.t(`form.files.${f.state}`);
        return this.t('form.files.entry', { name: f.name, state });
      })
      .join(', ');
  }

  private describeValue(field: Field): string {
    const d = this.draft;
    const value = d.values[field.id];
    if (field.type === 'file') return this.describeFiles(d.files[field.id] ?? []);
    if (isEmpty(value)) return '';
    switch (field.type) {
      case 'single':
        return field.options?.find((o) => o.value === value)?.label ?? String(value);
      case 'multi':
        return this.list((value as string[]).map((v) => field.options?.find((o) => o.value === v)?.label ?? v));
      case 'date':
        return this.formatDate(String(value), false);
      case 'datetime':
        return this.formatDate(String(value), true);
      case 'location': {
        const loc = value as LocationDraft;
        const point = loc.lat !== undefined && loc.lng !== undefined ? this.t('form.location.added', { lat: loc.lat, lon: loc.lng }) : '';
        return [loc.address?.trim(), point].filter(Boolean).join(' · ');
      }
      default:
        return String(value);
    }
  }

  private renderCheck(): TemplateResult {
    const d = this.draft;
    const service = this.currentService;
    const c = d.contact;
    const none = this.t('form.check.none');
    const row = (label: string | TemplateResult, value: string | TemplateResult, step: Step, focus: string) => html`<div class="row">
      <dt>${label}</dt>
      <dd class="value">${value || none}</dd>
      <dd class="change">
        <button type="button" class="link" part="button" @click=${() => this.change(step, focus)}>
          ${this.t('form.check.change')}<span class="visually-hidden"> ${label}</span>
        </button>
      </dd>
    </div>`;
    const general = d.files[GENERAL_FILES] ?? [];
    const preferred = c.preferred || (c.phone.trim() ? 'phone' : 'email');
    return html`${this.stepHeader('check', this.t('form.check.title'))}
      ${this.problem === 'send' || this.problem === 'submit'
        ? html`<p class="notice problem" role="alert">${this.t(`form.problem.${this.problem}`)}${this.problem === 'send' ? this.renderSendProblem() : nothing}</p>`
        : nothing}
      <dl class="summary-list">
        ${row(this.t('form.check.kind'), d.kind ? this.kindLabel(d.kind) : '', 'kind', inputId('kind'))}
        ${row(this.t('form.check.service'), service?.name ? this.server(service.name) : '', 'service', inputId('service'))}
        ${row(this.t('form.description.label'), d.description.trim(), 'details', inputId('description'))}
        ${formFields(this.catalog, service).filter((f) => !f.readOnly).map((f) => row(this.server(f.label), f.type === 'single' && this.describeValue(f) ? this.server(this.describeValue(f)) : this.describeValue(f), 'details', inputId(`fields.${f.id}`)))}
        ${offersGeneralFiles(this.catalog, service) ? row(this.t('form.files.label'), this.describeFiles(general), 'details', inputId(`fields.${GENERAL_FILES}`)) : nothing}
        ${c.anonymous
          ? row(this.t('form.check.contact'), this.t('form.contact.anonymous'), 'contact', inputId('contact'))
          : html`${row(this.t('form.contact.name'), c.name.trim(), 'contact', inputId('contact.name'))}
            ${row(this.t('form.contact.phone'), c.phone.trim(), 'contact', inputId('contact.phone'))}
            ${row(this.t('form.contact.email'), c.email.trim(), 'contact', inputId('contact.email'))}
            ${row(this.t('form.contact.preferred'), this.t(preferred === 'phone' ? 'form.contact.byPhone' : 'form.contact.byEmail'), 'contact', inputId('contact.preferred'))}`}
      </dl>
      <p class="muted">${this.t('form.check.consent', { version: this.catalog?.consent.version ?? '' })}</p>`;
  }

  /** A word more on a refusal that names no field (the answers are kept either way). */
  private renderSendProblem(): TemplateResult | typeof nothing {
    switch (this.sendProblem) {
      case 'forbidden':
        return html` ${this.t('form.problem.forbidden')}`;
      case 'notFound':
        return html` ${this.t('form.problem.notFound')}`;
      default:
        return nothing;
    }
  }

  /** Received by the server, which gives the number later (Open311 `batch`): never "sending…". */
  private renderReceived(): TemplateResult {
    const retrying = this.deliveryState === 'retrying' || this.deliveryState === 'queued';
    return html`<div class="outcome received" part="confirmation">
      <h3 class="step-title" tabindex="-1">${this.t('form.pending.receivedTitle')}</h3>
      <p role="status" class="pending-state" data-state="waiting-for-reference">${this.t('form.pending.waitingNumber')}</p>
      <p>${this.t('form.pending.noNeedAgain')}</p>
      ${this.activeClient?.outboxStorage === 'memory' ? html`<p class="notice">${this.t('form.pending.keepOpen')}</p>` : nothing}
      ${retrying
        ? html`<div class="actions">
            <button type="button" class="button secondary" part="button" @click=${() => { if (this.pendingKey) this.attachedTo?.retryNow(this.pendingKey).catch(() => undefined); }}>
              ${this.t('form.pending.checkNow')}
            </button>
          </div>`
        : nothing}
    </div>`;
  }

  private renderPending(): TemplateResult {
    if (this.waitingForReference) return this.renderReceived();
    const waiting = this.connection !== 'online' || this.deliveryState === 'queued' || this.deliveryState === 'retrying';
    return html`<div class="outcome" part="confirmation">
      <h3 class="step-title" tabindex="-1">${this.t(waiting ? 'form.pending.savedTitle' : 'form.pending.sendingTitle')}</h3>
      <p role="status" class="pending-state" data-state=${waiting ? 'waiting' : 'sending'}>
        ${this.t(waiting ? 'form.pending.offline' : 'form.pending.sending')}
      </p>
      ${this.activeClient?.outboxStorage === 'memory' ? html`<p class="notice">${this.t('form.pending.keepOpen')}</p>` : nothing}
      ${this.deliveryState === 'retrying' || this.deliveryState === 'queued'
        ? html`<div class="actions">
            <button type="button" class="button secondary" part="button" @click=${() => { if (this.pendingKey) this.attachedTo?.retryNow(this.pendingKey).catch(() => undefined); }}>
              ${this.t('form.pending.retry')}
            </button>
          </div>`
        : nothing}
    </div>`;
  }

  private renderSent(): TemplateResult {
    const created = this.created;
    if (created && !created.reference) return this.renderNoNumber(created);
    const promise = created?.replyPromise?.text ?? this.catalog?.site.replyPromise.text ?? '';
    return html`<div class="outcome confirmation" part="confirmation">
      <h3 class="step-title" tabindex="-1">${this.t('form.sent.title')}</h3>
      ${created
        ? html`<p>${this.t('form.sent.reference')}</p>
            <p class="reference">
              <strong class="reference-number">${created.reference}</strong>
              <button type="button" class="button secondary copy" part="button" @click=${() => this.copyReference(created.reference)}>
                ${this.t('form.sent.copy')}<span class="visually-hidden"> ${created.reference}</span>
              </button>
            </p>
            <p role="status" class="copied">${this.copied ? this.t('form.sent.copied') : ''}</p>
            <dl class="summary-list plain">
              ${created.routedTo.name.trim()
                ? html`<div class="row"><dt>${this.t('form.sent.department')}</dt><dd class="value department">${this.server(created.routedTo.name)}</dd></div>`
                : nothing}
              ${promise ? html`<div class="row"><dt>${this.t('form.sent.promise')}</dt><dd class="value">${this.server(promise)}</dd></div>` : nothing}
              ${created.replyBy ? html`<div class="row"><dt>${this.t('form.sent.replyBy')}</dt><dd class="value"><time datetime=${created.replyBy}>${this.formatDate(created.replyBy, true)}</time></dd></div>` : nothing}
            </dl>
            <p>${this.t('form.sent.keep')}</p>`
        : html`<p>${this.t('form.sent.later')}</p>`}
      <div class="actions">
        ${this.nested
          ? html`<button type="button" class="button" part="button" @click=${() => this.dispatchEvent(new CustomEvent('intake-show-status', { detail: { reference: created?.reference } }))}>
              ${this.t('form.sent.track')}
            </button>`
          : nothing}
        <button type="button" class="button secondary" part="button" @click=${() => this.startOver()}>${this.t('form.sent.another')}</button>
      </div>
    </div>`;
  }

  /** Filed, but the server gives no number at all (an Open311 `blackbox` service): never a blank number. */
  private renderNoNumber(created: RequestCreated): TemplateResult {
    const promise = created.replyPromise?.text ?? '';
    return html`<div class="outcome confirmation no-number" part="confirmation">
      <h3 class="step-title" tabindex="-1">${this.t('form.pending.receivedTitle')}</h3>
      <p>${this.t('form.sent.noNumber')}</p>
      ${promise ? html`<dl class="summary-list plain"><div class="row"><dt>${this.t('form.sent.promise')}</dt><dd class="value">${this.server(promise)}</dd></div></dl>` : nothing}
      <div class="actions">
        <button type="button" class="button secondary" part="button" @click=${() => this.startOver()}>${this.t('form.sent.another')}</button>
      </div>
    </div>`;
  }

  private renderStep(): TemplateResult {
    switch (this.draft.step) {
      case 'kind':
        return this.renderKind();
      case 'service':
        return this.renderService();
      case 'details':
        return this.renderDetails();
      case 'contact':
        return this.renderContact();
      case 'check':
        return this.renderCheck();
    }
  }

  override render(): TemplateResult {
    if (!this.localize.ready) return html`<div class="loading" role="status"></div>`;
    const t = (key: string, options?: Options) => this.t(key, options);
    const site = siteName(this.catalog, this.attachedTo?.options.transport ?? this.transport);
    const step = this.draft.step;
    let body: TemplateResult;
    if (this.phase === 'pending') body = this.renderPending();
    else if (this.phase === 'sent') body = this.renderSent();
    else if (!this.catalog) body = html`<p class=${this.problem === 'catalog' ? 'notice problem' : 'muted'} role="status">${t(this.problem === 'catalog' ? 'form.problem.catalog' : 'form.loading')}</p>`;
    else
      body = html`<form novalidate @submit=${this.next} data-step=${step}>
        ${this.restored && step !== 'kind' ? html`<p class="notice restored">${t('form.restored')}</p>` : nothing}
        ${this.renderStep()}
        <div class="actions">
          <button type="submit" class="button" part="button" ?disabled=${this.submitting}>
            ${t(step === 'check' ? 'form.send' : this.returnToCheck ? 'form.saveAndCheck' : 'form.continue')}
          </button>
          ${step !== 'kind' && !this.isUntouched() ? html`<button type="button" class="link" part="button" @click=${() => this.startOver()}>${t('form.startOver')}</button>` : nothing}
        </div>
      </form>`;
    return html`<div class="form" lang=${this.localize.locale} dir=${this.localize.dir}>
      ${this.nested
        ? nothing
        : html`<div class="heading">
            <h2 class="title" part="header">${site ? sentenceWith((s) => t('form.title', { site: s }), site, this.catalog?.locale, this.catalog?.site.langs?.['name']) : t('form.titleNoSite')}</h2>
            ${this.language.render(t('widget.language'))}
          </div>`}
      ${this.connection === 'offline' && this.phase === 'editing' ? html`<p class="notice" role="status">${t('form.offline')}</p>` : nothing}
      <p class="visually-hidden announcement" role="status">${this.announcement}</p>
      <div class="body">${body}</div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'intake-form': IntakeForm;
  }
}
