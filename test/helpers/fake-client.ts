/**
 * An in-memory IntakeClientApi for component tests: every answer and every event is under the
 * test's control (deliveries stay pending until `ack()`/`fail()`, stream events are pushed with
 * `push()`), and every call is recorded.
 */
import type {
  Answer,
  Attachment,
  Capabilities,
  Catalog,
  Conversation,
  FeedbackInput,
  Message,
  RequestCreated,
  RequestDetail,
  RequestKind,
  StreamEvent,
} from '../../src/client/protocol.js';
import type {
  ChatMessage,
  IntakeClientEvents,
  RequestDraft,
  ConnectionState,
  Delivery,
  DeliveryState,
  IntakeClientApi,
  IntakeClientOptions,
  KnownRequest,
  OutboxStorage,
  StreamHandler,
  Subscription,
} from '../../src/client/types.js';

export function makeCatalog(overrides: { capabilities?: Partial<Capabilities>; siteName?: string; messageMax?: number } = {}): Catalog {
  return {
    protocol: '1',
    locale: 'en',
    site: {
      id: 'riverside/xinhua/garden',
      name: overrides.siteName ?? 'Garden Community',
      parents: [{ id: 'riverside', name: 'Riverside District' }],
      timezone: 'Asia/Shanghai',
      officeHours: [],
      replyPromise: { hours: 16, text: 'We reply within 2 working days.' },
    },
    capabilities: { chat: true, answers: true, attachments: false, feedback: true, staffOnDuty: true, ...overrides.capabilities },
    requestTypes: [],
    services: [],
    limits: { descriptionMax: 4000, messageMax: overrides.messageMax ?? 2000 },
    consent: { version: '1', text: 'ok' },
  };
}

/** A catalogue with request types, services whose fields cover every field type, and attachment limits. */
export function makeRequestCatalog(overrides: { capabilities?: Partial<Capabilities> } = {}): Catalog {
  const catalog = makeCatalog({ capabilities: { attachments: true, ...overrides.capabilities } });
  const options = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `o${i + 1}`, label: `Option ${i + 1}` }));
  return {
    ...catalog,
    requestTypes: [
      { id: 'consultation', label: 'Consultation', description: 'Ask' },
      { id: 'help', label: 'Help request', description: 'Help' },
      { id: 'complaint', label: 'Complaint', description: 'Complain' },
      { id: 'suggestion', label: 'Suggestion', description: 'Suggest' },
    ],
    services: [
      {
        id: 'rubbish',
        name: 'Rubbish collection',
        group: 'Streets and environment',
        description: 'Missed collections, overflowing bins.',
        kinds: ['help', 'complaint', 'suggestion'],
        keywords: ['bin', 'garbage'],
        department: { id: 'sanitation', name: 'Sanitation Office' },
        fields: [
          { id: 'location', type: 'location', label: 'Location', required: true, hint: 'Street number or estate', readOnly: false },
          { id: 'bin_type', type: 'single', label: 'Kind of waste', required: true, options: options(3), readOnly: false },
          { id: 'photos', type: 'file', label: 'Photos', required: false, maxFiles: 2, readOnly: false },
        ],
      },
      {
        id: 'everything',
        name: 'Every field',
        group: 'Testing',
        description: 'A service with every field type.',
        kinds: ['consultation', 'help', 'complaint', 'suggestion'],
        keywords: [],
        fields: [
          { id: 'title', type: 'text', label: 'Title', required: true, maxLength: 20, readOnly: false },
          { id: 'story', type: 'textarea', label: 'Story', required: false, maxLength: 100, readOnly: false },
          { id: 'count', type: 'number', label: 'Households', required: false, min: 1, max: 100, readOnly: false },
          { id: 'day', type: 'date', label: 'Day', required: false, min: '2000-01-01', max: '2100-12-31', readOnly: false },
          { id: 'moment', type: 'datetime', label: 'Moment', required: false, readOnly: false },
          { id: 'size', type: 'single', label: 'Size', required: false, options: options(3), readOnly: false },
          { id: 'district', type: 'single', label: 'District', required: false, options: options(9), readOnly: false },
          { id: 'days', type: 'multi', label: 'Days', required: false, options: options(3), readOnly: false },
          { id: 'place', type: 'location', label: 'Place', required: false, readOnly: false },
          { id: 'papers', type: 'file', label: 'Papers', required: false, maxFiles: 1, readOnly: false },
          { id: 'on_site', type: 'phone', label: 'Phone on site', required: false, readOnly: false },
          { id: 'mail', type: 'email', label: 'Email for papers', required: false, readOnly: false },
          { id: 'info', type: 'text', label: 'Bring your ID card', required: false, readOnly: true, hint: 'Shown only' },
        ],
      },
      {
        id: 'library',
        name: 'Library hours',
        group: '',
        description: '',
        kinds: ['consultation'],
        keywords: ['books'],
        fields: [],
      },
    ],
    limits: { descriptionMax: 4000, messageMax: 2000, attachments: { maxBytes: 1024 * 1024, maxFiles: 3, types: ['image/jpeg', 'image/png', 'application/pdf'] } },
    consent: { version: '2024-01', text: 'We use your details only to answer this request.' },
  };
}

/** A request's detail as the server would show it. */
export function makeDetail(reference: string, overrides: Partial<RequestDetail> = {}): RequestDetail {
  const at = '2025-03-01T02:00:00.000Z';
  return {
    id: `id-${reference}`,
    reference,
    site: { id: 'riverside/xinhua/garden', name: 'Garden Community' },
    service: { id: 'rubbish', name: 'Rubbish collection' },
    type: 'complaint',
    status: 'received',
    routedTo: { id: 'sanitation', name: 'Sanitation Office' },
    description: 'The bins were not emptied.',
    createdAt: at,
    updatedAt: at,
    replyBy: '2025-03-03T10:00:00.000Z',
    timeline: [{ at, status: 'received' }],
    replies: [],
    attachments: [],
    feedback: null,
    awaitingFeedback: false,
    canReopen: false,
    ...overrides,
  };
}

interface PendingDelivery {
  kind: IntakeClientEvents['delivery']['kind'];
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** An upload the test finishes by hand. */
export interface FakeUpload {
  file: File;
  signal?: AbortSignal;
  progress(loaded: number): void;
  finish(): Attachment;
  fail(error?: Error): void;
}

interface Pending {
  resolve(message: Message): void;
  reject(error: Error): void;
  text: string;
}

/** Drafts kept outside the client, so a "reload" (a new fake over the same map) keeps them. */
export type DraftStore = Map<string, unknown>;

export class FakeClient extends EventTarget implements IntakeClientApi {
  readonly options: Readonly<IntakeClientOptions> = { endpoint: 'https://intake.test/api/v1', site: 'riverside/xinhua/garden' };
  connection: ConnectionState = 'online';
  outboxStorage: OutboxStorage = 'indexeddb';
  catalogValue: Catalog;
  /** When set, catalog() rejects with it. */
  catalogError?: Error;
  staffOnDuty: boolean;
  answersResult: Answer[] = [];
  answerQueries: string[] = [];
  abortedQueries = 0;
  historyValue: ChatMessage[] = [];
  /** State the next sendMessage() starts in. */
  initialDelivery: DeliveryState = 'sending';
  /** When set, sendMessage() rejects with it (the outbox could not save). */
  sendError?: Error;
  readonly sent: { clientId: string; text: string }[] = [];
  readonly typing: boolean[] = [];
  readonly reads: number[] = [];
  readonly retried: string[] = [];
  conversationsStarted = 0;
  topics: (string | undefined)[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Set<StreamHandler>();
  private seq = 0;
  private conversation?: Conversation;

  constructor(options: { catalog?: Catalog; staffOnDuty?: boolean; drafts?: DraftStore } = {}) {
    super();
    this.catalogValue = options.catalog ?? makeCatalog();
    this.staffOnDuty = options.staffOnDuty ?? this.catalogValue.capabilities.staffOnDuty;
    this.drafts = options.drafts ?? new Map();
  }

  readonly drafts: DraftStore;

  get capabilities(): Capabilities {
    return this.catalogValue.capabilities;
  }

  get subscribers(): number {
    return this.handlers.size;
  }

  async catalog(): Promise<Catalog> {
    if (this.catalogError) throw this.catalogError;
    return this.catalogValue;
  }

  answers(query: string, options: { signal?: AbortSignal } = {}): Promise<Answer[]> {
    this.answerQueries.push(query);
    return new Promise((resolve, reject) => {
      const signal = options.signal;
      if (signal?.aborted) {
        this.abortedQueries++;
        reject(new DOMException('aborted', 'AbortError'));
        return;
      }
      signal?.addEventListener('abort', () => {
        this.abortedQueries++;
        reject(new DOMException('aborted', 'AbortError'));
      });
      setTimeout(() => resolve(this.answersResult), 0);
    });
  }

  async startConversation(options: { topic?: string } = {}): Promise<Conversation> {
    this.conversationsStarted++;
    this.topics.push(options.topic);
    this.conversation ??= {
      id: `conv-${this.forgotten + 1}`,
      token: `token-${this.forgotten + 1}`,
      createdAt: new Date().toISOString(),
      staffOnDuty: this.staffOnDuty,
      replyPromise: this.catalogValue.site.replyPromise,
    };
    return this.conversation;
  }

  async openConversation(options: { topic?: string } = {}): Promise<Conversation> {
    return this.startConversation(options);
  }

  /** forgetConversation() calls, and keys given to discard(). */
  forgotten = 0;
  readonly discarded: string[] = [];

  async forgetConversation(): Promise<void> {
    this.forgotten++;
    this.conversation = undefined;
  }

  async discard(key: string): Promise<void> {
    this.discarded.push(key);
    this.pending.delete(key);
  }

  async sendMessage(_conversation: Conversation, text: string): Promise<Delivery<Message>> {
    if (this.sendError) throw this.sendError;
    const clientId = `client-${this.sent.length + 1}-abcdef`;
    this.sent.push({ clientId, text });
    const done = new Promise<Message>((resolve, reject) => this.pending.set(clientId, { resolve, reject, text }));
    done.catch(() => undefined);
    return { key: clientId, state: this.initialDelivery, done };
  }

  /** The server acknowledged a message: resolves its `done` and returns the stored message. */
  ack(clientId: string): Message {
    const pending = this.pending.get(clientId);
    if (!pending) throw new Error(`no pending message ${clientId}`);
    const message: Message = { id: `m-${++this.seq}`, seq: this.seq, clientId, author: 'resident', text: pending.text, at: new Date().toISOString(), attachments: [] };
    this.pending.delete(clientId);
    this.setDelivery(clientId, 'sent');
    pending.resolve(message);
    return message;
  }

  fail(clientId: string, error = Object.assign(new Error('refused'), { code: 'validation_failed' })): void {
    const pending = this.pending.get(clientId);
    this.pending.delete(clientId);
    this.dispatchEvent(new CustomEvent('delivery', { detail: { key: clientId, kind: 'message', state: 'failed', error } }));
    pending?.reject(error);
  }

  setDelivery(key: string, state: DeliveryState): void {
    this.dispatchEvent(new CustomEvent('delivery', { detail: { key, kind: 'message', state } }));
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
    this.dispatchEvent(new CustomEvent('connection', { detail: state }));
  }

  /** Pushes an event down the conversation's stream. */
  push(event: StreamEvent): void {
    for (const handler of this.handlers) handler(event);
  }

  /** A staff message arriving on the stream. */
  staffSays(text: string, authorName = 'Housing Bureau'): Message {
    const message: Message = { id: `m-${++this.seq}`, seq: this.seq, clientId: null, author: 'staff', authorName, text, at: new Date().toISOString(), attachments: [] };
    this.push({ type: 'message', seq: message.seq, at: message.at, message });
    return message;
  }

  async retryNow(key: string): Promise<void> {
    this.retried.push(key);
  }

  async history(): Promise<ChatMessage[]> {
    return this.historyValue;
  }

  subscribe(_conversation: Conversation, handler: StreamHandler): Subscription {
    this.handlers.add(handler);
    return { close: () => this.handlers.delete(handler) };
  }

  async setTyping(_conversation: Conversation, typing: boolean): Promise<void> {
    this.typing.push(typing);
  }

  async markRead(_conversation: Conversation, upTo: number): Promise<void> {
    this.reads.push(upTo);
  }

  /* ---------------------------------------------------------------- requests */

  /** Every request handed to the outbox, in order. */
  readonly submitted: { key: string; draft: RequestDraft }[] = [];
  /** When set, submitRequest() throws it (e.g. a client-side validation_failed with `fields`). */
  submitError?: Error;
  /** State the next submitRequest()/sendFeedback()/reopen() delivery starts in. */
  initialRequestDelivery: DeliveryState = 'sending';
  readonly known: KnownRequest[] = [];
  readonly requests = new Map<string, RequestDetail>();
  /** Contact that unlocks a reference not filed from this browser. */
  readonly contacts = new Map<string, string>();
  readonly lookups: { reference: string; contact?: string }[] = [];
  readonly feedbacks: { key: string; reference: string; feedback: FeedbackInput; contact?: string }[] = [];
  readonly reopens: { key: string; reference: string; reason?: string }[] = [];
  readonly uploads: FakeUpload[] = [];
  private readonly deliveries = new Map<string, PendingDelivery>();
  private deliveryCount = 0;

  private deliver<T>(kind: PendingDelivery['kind']): Delivery<T> {
    const key = `${kind}-${++this.deliveryCount}-key`;
    const done = new Promise<T>((resolve, reject) => this.deliveries.set(key, { kind, resolve: resolve as (v: unknown) => void, reject }));
    done.catch(() => undefined);
    return { key, state: this.initialRequestDelivery, done };
  }

  /** Moves a request/feedback/reopen delivery to another state (as the outbox does). */
  setItemDelivery(key: string, state: DeliveryState): void {
    const pending = this.deliveries.get(key);
    const kind = pending?.kind ?? 'request';
    this.dispatchEvent(new CustomEvent('delivery', { detail: { key, kind, state } }));
  }

  async submitRequest(draft: RequestDraft): Promise<Delivery<RequestCreated>> {
    if (this.submitError) throw this.submitError;
    const delivery = this.deliver<RequestCreated>('request');
    this.submitted.push({ key: delivery.key, draft });
    return delivery;
  }

  /** The server acknowledged a request: `done` resolves and it becomes a known request. */
  ackRequest(key = this.submitted.at(-1)?.key ?? '', reference = 'GC-20250301-0001'): RequestCreated {
    const pending = this.deliveries.get(key);
    if (!pending) throw new Error(`no pending delivery ${key}`);
    const draft = this.submitted.find((s) => s.key === key)!.draft;
    const created = this.delivered(key, reference, draft.service, draft.type);
    this.deliveries.delete(key);
    this.setItemDelivery(key, 'sent');
    pending.resolve(created);
    return created;
  }

  /** Outbox states of requests queued by an earlier page (before a "reload"): `requestState()` reads them. */
  readonly requestStates = new Map<string, DeliveryState>();

  /** The outbox delivers a request queued by an earlier page: stored as the real client does, then `sent`. */
  deliverEarlier(key: string, reference = 'GC-20250301-0001', service = 'rubbish', type: RequestKind = 'complaint'): RequestCreated {
    const created = this.delivered(key, reference, service, type);
    this.requestStates.delete(key);
    this.setItemDelivery(key, 'sent');
    return created;
  }

  async requestState(key: string): Promise<{ state: DeliveryState; created?: RequestCreated } | undefined> {
    const created = this.drafts.get(`request:${key}`) as RequestCreated | undefined;
    if (created) return { state: 'sent', created };
    if (this.deliveries.has(key)) return { state: this.initialRequestDelivery };
    const state = this.requestStates.get(key);
    return state ? { state } : undefined;
  }

  /** What an acknowledgement stores (the server's answer by key, the known request). */
  private delivered(key: string, reference: string, service: string, type: RequestKind): RequestCreated {
    const created: RequestCreated = {
      id: `id-${reference}`,
      reference,
      status: 'routed',
      routedTo: { id: 'sanitation', name: 'Sanitation Office' },
      accessToken: 'secret',
      createdAt: new Date().toISOString(),
      replyPromise: { hours: 16, text: 'We reply within 2 working days.' },
      replyBy: '2025-03-03T10:00:00.000Z',
    };
    this.drafts.set(`request:${key}`, created);
    this.known.unshift({ reference, accessToken: 'secret', service, type, createdAt: created.createdAt });
    this.requests.set(reference, makeDetail(reference, { type, status: 'routed' }));
    return created;
  }

  /** The server refused an item for good (e.g. 422 with `fields`). */
  refuse(key: string, error: Error): void {
    const pending = this.deliveries.get(key);
    if (!pending) throw new Error(`no pending delivery ${key}`);
    this.deliveries.delete(key);
    this.dispatchEvent(new CustomEvent('delivery', { detail: { key, kind: pending.kind, state: 'failed' } }));
    pending.reject(error);
  }

  async getRequest(reference: string, options: { contact?: string } = {}): Promise<RequestDetail> {
    this.lookups.push({ reference, ...(options.contact !== undefined ? { contact: options.contact } : {}) });
    const detail = this.requests.get(reference);
    const isKnown = this.known.some((k) => k.reference === reference);
    if (!detail) throw Object.assign(new Error('not found'), { code: 'not_found' });
    if (!isKnown && this.contacts.get(reference) !== options.contact) throw Object.assign(new Error('no access'), { code: 'unauthorized' });
    return detail;
  }

  async sendFeedback(reference: string, feedback: FeedbackInput, options: { contact?: string } = {}): Promise<Delivery<RequestDetail>> {
    const delivery = this.deliver<RequestDetail>('feedback');
    this.feedbacks.push({ key: delivery.key, reference, feedback, ...(options.contact ? { contact: options.contact } : {}) });
    return delivery;
  }

  async reopen(reference: string, reason?: string): Promise<Delivery<RequestDetail>> {
    const delivery = this.deliver<RequestDetail>('reopen');
    this.reopens.push({ key: delivery.key, reference, ...(reason !== undefined ? { reason } : {}) });
    return delivery;
  }

  /** Acknowledges a feedback or reopen delivery with the request's new detail. */
  ackItem(key: string, detail: RequestDetail): void {
    const pending = this.deliveries.get(key);
    if (!pending) throw new Error(`no pending delivery ${key}`);
    this.deliveries.delete(key);
    this.requests.set(detail.reference, detail);
    this.setItemDelivery(key, 'sent');
    pending.resolve(detail);
  }

  uploadAttachment(file: File, options: { onProgress?: (loaded: number, total: number) => void; signal?: AbortSignal } = {}): Promise<Attachment> {
    return new Promise((resolve, reject) => {
      const attachment: Attachment = { id: `att-${this.uploads.length + 1}`, name: file.name, size: file.size, type: file.type };
      options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      this.uploads.push({
        file,
        ...(options.signal ? { signal: options.signal } : {}),
        progress: (loaded) => options.onProgress?.(loaded, file.size),
        finish: () => {
          resolve(attachment);
          return attachment;
        },
        fail: (error = Object.assign(new Error('upload failed'), { code: 'network' })) => reject(error),
      });
    });
  }

  /** Queued uploads go into `uploads` too: `finish()` acknowledges, `fail()` fails them for good. */
  async queueUpload(file: File): Promise<Delivery<Attachment>> {
    const key = `upload-${this.uploads.length + 1}`;
    // Queued first (as offline); progress() makes it `sending`.
    const state = { value: 'queued' as DeliveryState, attachment: undefined as Attachment | undefined };
    this.uploadStates.set(key, state);
    const done = new Promise<Attachment>((resolve, reject) => {
      const attachment: Attachment = { id: `att-${this.uploads.length + 1}`, name: file.name, size: file.size, type: file.type };
      this.uploads.push({
        file,
        progress: (loaded) => {
          state.value = 'sending';
          this.dispatchEvent(new CustomEvent('upload-progress', { detail: { key, loaded, total: file.size } }));
        },
        finish: () => {
          Object.assign(state, { value: 'sent', attachment });
          this.dispatchEvent(new CustomEvent('delivery', { detail: { key, kind: 'upload', state: 'sent' } }));
          resolve(attachment);
          return attachment;
        },
        fail: (error = Object.assign(new Error('upload refused'), { code: 'payload_too_large' })) => {
          state.value = 'failed';
          this.dispatchEvent(new CustomEvent('delivery', { detail: { key, kind: 'upload', state: 'failed' } }));
          reject(error);
        },
      });
    });
    done.catch(() => undefined);
    return { key, get state() { return state.value; }, done };
  }

  readonly uploadStates = new Map<string, { value: DeliveryState; attachment?: Attachment }>();

  async uploadState(key: string): Promise<{ state: DeliveryState; attachment?: Attachment } | undefined> {
    const state = this.uploadStates.get(key);
    return state ? { state: state.value, ...(state.attachment ? { attachment: state.attachment } : {}) } : undefined;
  }

  async knownRequests(): Promise<KnownRequest[]> {
    return [...this.known];
  }

  async saveDraft(key: string, value: unknown): Promise<void> {
    this.drafts.set(key, value);
  }

  async loadDraft<T>(key: string): Promise<T | undefined> {
    return this.drafts.get(key) as T | undefined;
  }

  async clearDraft(key: string): Promise<void> {
    this.drafts.delete(key);
  }

  close(): void {
    this.handlers.clear();
  }
}
