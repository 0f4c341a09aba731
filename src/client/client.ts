/**
 * IntakeClient: everything the widgets need from the intake backend, with no DOM rendering.
 * Writes go through a durable outbox (saved before they count as sent, retried until the server
 * acknowledges them, never duplicated thanks to idempotency keys); reads are validated; chat
 * events arrive once each, in order, through a stream that falls back to polling.
 */
import * as v from 'valibot';
import {
  FeedbackInputSchema,
  MessageInputSchema,
  ReopenInputSchema,
  RequestInputSchema,
  issuesToFields,
  type Answer,
  type Attachment,
  type Capabilities,
  type Catalog,
  type Conversation,
  type ConversationEvent,
  type FeedbackInput,
  type FollowCreated,
  type Message,
  type RequestCreated,
  type RequestDetail,
  type ServiceSuggestion,
  type SimilarRequest,
  type StreamEvent,
} from './protocol.js';
import type {
  ChatMessage,
  ConnectionState,
  Delivery,
  DeliveryState,
  IntakeClientApi,
  IntakeClientEvents,
  IntakeClientOptions,
  KnownRequest,
  OutboxStorage,
  RequestDraft,
  StreamHandler,
  Subscription,
} from './types.js';
import { IntakeError, toIntakeError } from './errors.js';
import type { RetryOptions } from './retry.js';
import { openStore, type Acknowledged, type ClientStore, type OutboxItem, type OutboxKind, type StoredKnownRequest } from './store.js';
import { Outbox, UPLOAD_REF, type OutboxUpdate } from './outbox.js';
import { storable, storableText } from './text.js';
import { answersQuery } from './answers-query.js';
import { EventStream, type StreamState } from './event-stream.js';
import { Drafts } from './drafts.js';
import { dropKeptCatalog, keptCatalogId, readKeptCatalog, writeKeptCatalog, type KeptCatalog } from './kept-catalog.js';
import { IntakeTransport } from './transports/intake.js';
import { LazyTransport } from './transports/lazy.js';
import type { Transport, TransportNotice } from './transports/transport.js';

/** Options beyond the public `IntakeClientOptions`: tuning, and seams for tests. */
export interface IntakeClientConfig extends IntakeClientOptions {
  /** Backoff for outbox retries and stream reconnects (defaults: base 1 s, cap 5 min). */
  retry?: RetryOptions;
  /** `memory` forces the in-memory outbox (as if IndexedDB were unavailable). Default `auto`. */
  storage?: 'auto' | 'memory';
  /** Outbox lanes sent at once (default 4); a conversation's messages always go one by one. */
  concurrency?: number;
  /** Longest wait between outbox flushes while items are pending (default 30 s). */
  flushIntervalMs?: number;
  /** Event stream tuning. */
  stream?: { maxStreamFailures?: number; pollIntervalMs?: number; streamRetryMs?: number };
  /** Use this transport instead of building one from `transport`/`endpoint`. */
  transportImpl?: Transport;
  /** Random source for jitter (tests pass a seeded one). */
  random?: () => number;
}

/** Detail of the `delivery` event: the public fields plus where a retry stands. */
export interface DeliveryEventDetail extends Readonly<IntakeClientEvents['delivery']> {
  /** When `retrying`: the time of the next try (ms since epoch). */
  readonly nextTryAt?: number;
  /** For messages: the conversation the message belongs to. */
  readonly conversationId?: string;
  /** When `failed` or `retrying`: why, as a typed error. */
  readonly error?: IntakeError;
  /** True when another tab made the change. */
  readonly remote: boolean;
  /**
   * Open311 `batch` services: the server took the request and gives its number later; the client
   * keeps asking. The UI says "received, waiting for a number" (state stays `sending`/`retrying`).
   */
  readonly waitingForReference?: boolean;
}

/** An outbox item as the UI may list it ("2 messages waiting"). */
export interface PendingItem {
  key: string;
  kind: OutboxKind;
  state: DeliveryState;
  attempts: number;
  nextTryAt: number;
  conversationId?: string;
  reference?: string;
  error?: IntakeError;
  /** Received by an Open311 `batch` server, waiting for its number (see DeliveryEventDetail). */
  waitingForReference?: boolean;
}

/** The event map of IntakeClient (`connection`, `delivery`, `sender`). */
export interface IntakeClientEventMap {
  connection: CustomEvent<ConnectionState>;
  delivery: CustomEvent<DeliveryEventDetail>;
  /** This tab started or stopped sending the outbox (one sender per origin at a time). */
  sender: CustomEvent<{ active: boolean }>;
  /** An Open311 `batch` server took a request and will give its number later (`token` finds it). */
  'waiting-for-reference': CustomEvent<{ key: string; token?: string }>;
  /** A conversation queued on this device was created: `pendingId` (from `openConversation()`) is now `conversation`. */
  conversation: CustomEvent<{ pendingId: string; conversation: Conversation }>;
  /** The server sent a catalogue that differs from the one kept on this device (and already given by `catalog()`). */
  catalog: CustomEvent<Catalog>;
  /** Progress of a queued upload under way. */
  'upload-progress': CustomEvent<{ key: string; loaded: number; total: number }>;
}

/** The id of a conversation still in the outbox (see `openConversation()`). */
const PENDING = 'pending:';
const isPending = (conversation: { id: string }): boolean => conversation.id.startsWith(PENDING);
const uploadDraft = (key: string): string => `upload:${key}`;
/** A delivered request's answer, by its key: a page reloaded meanwhile still shows its reference. */
const requestDraft = (key: string): string => `request:${key}`;

const NO_CAPABILITIES: Capabilities = { chat: false, answers: false, attachments: false, feedback: false, staffOnDuty: false };

interface Waiter {
  resolve(value: unknown): void;
  reject(error: IntakeError): void;
}

/** A handle on one outbox item: its key, its live state, and a promise of the server's answer. */
class DeliveryHandle<T> implements Delivery<T> {
  readonly done: Promise<T>;
  constructor(
    readonly key: string,
    private readonly client: IntakeClient,
    done: Promise<T>,
  ) {
    this.done = done;
    // The caller may never look at `done`; a refusal is also reported through `delivery` events.
    done.catch(() => undefined);
  }
  get state(): DeliveryState {
    return this.client.deliveryState(this.key) ?? 'queued';
  }
  /** True while an Open311 `batch` server has the request but no number for it yet. */
  get waitingForReference(): boolean {
    return this.client.isWaitingForReference(this.key);
  }
}

/**
 * The client the widgets use. One per widget (endpoint + site); several may share a page and
 * several tabs may share the device: one of them sends the outbox at a time, all show its state.
 *
 * Events: `connection` (detail: ConnectionState), `delivery` (detail: DeliveryEventDetail),
 * `sender` (detail: {active}).
 */
export class IntakeClient extends EventTarget implements IntakeClientApi {
  /** The options the client was made with. */
  readonly options: Readonly<IntakeClientConfig>;
  /** Resolves once storage is open and the first flush has started; other calls wait for it. */
  readonly ready: Promise<void>;

  private readonly transport: Transport;
  private readonly scope: string;
  private readonly storePromise: Promise<ClientStore>;
  private outbox: Outbox | undefined;
  private readonly drafts: Drafts;
  private readonly waiters = new Map<string, Waiter>();
  private readonly states = new Map<string, { state: DeliveryState; nextTryAt?: number }>();
  /** Items an Open311 server has taken without giving their number yet. */
  private readonly awaitingReference = new Set<string>();
  private readonly streams = new Set<EventStream>();
  private readonly lastSeen = new Map<string, number>();
  /** Conversation lane (the key it was created with, or its id) to the conversation's id as last known. */
  private readonly laneConversation = new Map<string, string>();
  private readonly historyCache = new Map<string, ConversationEvent[]>();
  private readonly streamStates = new Map<EventStream, StreamState>();
  private answersController: AbortController | undefined;
  private starting: Promise<Conversation> | undefined;
  private storage: OutboxStorage = 'indexeddb';
  private state: ConnectionState;
  private caps: Capabilities = NO_CAPABILITIES;
  /** The site's reply promise from the last catalogue, for a conversation still queued. */
  private replyPromise: Conversation['replyPromise'] | undefined;
  private closed = false;
  private readonly cleanup: Array<() => void> = [];
  /** The catalogue answer under way (calls at once share it). */
  private catalogLoad: Promise<Catalog> | undefined;
  /** The catalogue request under way (at most one). */
  private catalogRevalidation: Promise<Catalog> | undefined;
  /** The last catalogue known here, with its ETag (see kept-catalog.ts). */
  private kept: KeptCatalog | undefined;
  private readonly catalogId: string;

  constructor(options: IntakeClientConfig) {
    super();
    if (!options.endpoint) throw new IntakeError('bad_request', 'IntakeClient needs an endpoint');
    if (!options.site) throw new IntakeError('bad_request', 'IntakeClient needs a site');
    this.options = Object.freeze({ locale: 'zh-CN', transport: 'intake', timeoutMs: 15_000, dbName: 'intake-widgets', ...options });
    this.transport = options.transportImpl ?? createTransport(this.options);
    this.transport.onNotice = (notice) => this.onNotice(notice);
    this.scope = `${this.transport.kind}|${this.options.endpoint.replace(/\/+$/, '')}|${this.options.site}`;
    this.catalogId = keptCatalogId(this.scope, this.options.locale ?? 'zh-CN');
    this.state = typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : 'online';
    this.storePromise = openStore(this.options.dbName ?? 'intake-widgets', { storage: options.storage });
    this.drafts = new Drafts(this.storePromise, this.scope);
    this.ready = this.start();
    this.ready.catch(() => undefined);
  }

  /** `online`, `reconnecting` (calls are failing and being retried) or `offline` (the device says so). */
  get connection(): ConnectionState {
    return this.state;
  }

  /** What the backend can do; all false until `catalog()` has answered. */
  get capabilities(): Capabilities {
    return this.caps;
  }

  /**
   * `indexeddb`: queued writes survive reloads and closed tabs. `memory`: IndexedDB is not
   * available (some private modes), so queued writes live only as long as this page — the UI
   * should ask the resident to keep it open until they are sent. Final after `ready`.
   */
  get outboxStorage(): OutboxStorage {
    return this.storage;
  }

  /* ------------------------------------------------------------------ reads */

  /**
   * The site's catalogue (services, fields, capabilities). Also sets `capabilities`.
   *
   * Calls at once share one request (the launcher asks at intent while the panel asks on its
   * own). The last catalogue is kept on the device with its ETag: when there is one, it is the
   * answer at once and the server is asked with If-None-Match whether it changed (304: it did
   * not); a changed catalogue replaces it and is announced with a `catalog` event. With nothing
   * kept the call waits for the server; offline, a kept copy is the answer. A signal aborts this
   * caller's wait, not the shared request.
   */
  catalog(options: { signal?: AbortSignal } = {}): Promise<Catalog> {
    this.catalogLoad ??= this.loadCatalog().finally(() => {
      this.catalogLoad = undefined;
    });
    return abortable(this.catalogLoad, options.signal);
  }

  /**
   * Instant answers for a question, asked with its start (see `answersQuery`): a whole
   * description in the URL is refused (422 over 500 characters, 431 for long CJK text). A new
   * call aborts the previous one still under way.
   */
  async answers(query: string, options: { signal?: AbortSignal } = {}): Promise<Answer[]> {
    query = answersQuery(query);
    this.answersController?.abort();
    const controller = new AbortController();
    this.answersController = controller;
    const onAbort = (): void => controller.abort();
    if (options.signal?.aborted) controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.track(this.transport.answers(query, { signal: controller.signal }));
      return response.answers;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (this.answersController === controller) this.answersController = undefined;
    }
  }

  /**
   * A request's status, timeline and replies. Uses the access token saved when this browser filed
   * it; otherwise `contact` (the phone or email given when filing) proves access.
   */
  async getRequest(reference: string, options: { contact?: string } = {}): Promise<RequestDetail> {
    const store = await this.storePromise;
    const known = await store.getKnownRequest(this.knownId(reference));
    const auth = known?.accessToken ? { accessToken: known.accessToken } : { contact: options.contact };
    const detail = await this.track(this.transport.getRequest(reference, auth));
    if (known) await store.putKnownRequest({ ...known, lastStatus: detail.status, lastSeenUpdate: detail.updatedAt });
    // Merged into another request: the same token opens that one (as a follower), so My requests keeps it too.
    const into = detail.mergedInto;
    if (known && into && !(await store.getKnownRequest(this.knownId(into)))) {
      await store.putKnownRequest({ ...known, id: this.knownId(into), reference: into, lastStatus: undefined, lastSeenUpdate: undefined });
    }
    return detail;
  }

  /**
   * The catalogue's services ranked for what the resident typed (`GET /services/suggest`), best
   * first, asked with its start like `answers`; null when the backend has no ranking (Open311):
   * the form then matches locally.
   */
  async suggestServices(query: string, options: { signal?: AbortSignal } = {}): Promise<ServiceSuggestion[] | null> {
    if (!this.transport.suggestServices) return null;
    const response = await this.track(this.transport.suggestServices(answersQuery(query), { signal: options.signal }));
    return response.services;
  }

  /** Open requests like this one nearby (`GET /similar`); none when the backend cannot tell. */
  async similar(service: string, place: { lat?: number; lng?: number; address?: string } = {}): Promise<SimilarRequest[]> {
    const found = await this.track(this.transport.similar?.(service, place) ?? Promise.resolve({ similar: [] }));
    return found.similar;
  }

  /** Follows a request instead of filing a duplicate: kept for My requests with the follower's own token. */
  async follow(reference: string, contact?: { phone?: string; email?: string }): Promise<FollowCreated> {
    if (!this.transport.follow) throw new IntakeError('unsupported', 'Following is not available on this backend');
    const made = await this.track(this.transport.follow(reference, { contact, locale: this.options.locale }, newKey()));
    const store = await this.storePromise;
    const { accessToken, service, type, createdAt } = made;
    await store.putKnownRequest({ id: this.knownId(made.reference), scope: this.scope, reference: made.reference, accessToken, service, type, createdAt });
    return made;
  }

  /** Requests filed from this browser for this site, newest first. */
  async knownRequests(): Promise<KnownRequest[]> {
    const store = await this.storePromise;
    const list = await store.knownRequests(this.scope);
    return list
      .map(({ id: _id, scope: _scope, ...known }) => known)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /* ------------------------------------------------------------------ writes (through the outbox) */

  /**
   * Files a request. Resolves once it is saved on this device with its Idempotency-Key (so it
   * will be delivered even if the page closes now); `done` resolves with the server's answer
   * (reference, access token). Invalid input is refused at once with `validation_failed` and
   * `fields`, and nothing is queued.
   */
  async submitRequest(input: RequestDraft): Promise<Delivery<RequestCreated>> {
    const contact = input.contact && Object.values(input.contact).some((value) => value && value !== 'none') ? input.contact : undefined;
    const queued = (input.uploads ?? []).map((key) => `${UPLOAD_REF}${key}`);
    // Storable first: a NUL or lone surrogate could never be stored, and would be retried forever.
    const body = this.validate(RequestInputSchema, storable({
      site: this.options.site,
      service: input.service,
      type: input.type,
      description: input.description,
      fields: input.fields ?? {},
      contact,
      consent: { version: input.consentVersion, given: true },
      locale: this.options.locale,
      page: input.page ?? currentPage(),
      attachments: [...(input.attachments ?? []), ...queued],
    }));
    // Queued uploads it carries (general or in a file field): the request waits for them.
    const refs = [...(body.attachments ?? []), ...Object.values(body.fields ?? {}).flatMap((v) => (Array.isArray(v) ? v : []))];
    const uploads = refs.filter((v): v is string => typeof v === 'string' && v.startsWith(UPLOAD_REF)).map((v) => v.slice(UPLOAD_REF.length));
    // A lazily loaded transport checks once its code is in (offline and never loaded: it checks on sending).
    await this.transport.ready?.().catch(() => undefined);
    const refused = this.transport.checkRequest?.(body);
    if (refused) throw new IntakeError('validation_failed', 'Some fields need attention', { fields: refused });
    const key = newKey();
    return this.enqueue<RequestCreated>({ key, kind: 'request', lane: `request:${key}`, body, uploads: uploads.length ? uploads : undefined });
  }

  /** Rates the answer to a request (and says whether it solved the problem). Queued like a request. */
  async sendFeedback(reference: string, feedback: FeedbackInput, options: { contact?: string } = {}): Promise<Delivery<RequestDetail>> {
    this.refuseOnOpen311('Feedback');
    const body = this.validate(FeedbackInputSchema, storable(feedback));
    // Not filed here: the contact given when filing proves it (a rating from any device).
    const accessToken = options.contact ? undefined : await this.tokenFor(reference);
    const key = newKey();
    return this.enqueue<RequestDetail>({ key, kind: 'feedback', lane: `request:${reference}`, body, reference, accessToken, contact: options.contact });
  }

  /** Asks for a request to be redone. Queued like a request. */
  async reopen(reference: string, reason?: string): Promise<Delivery<RequestDetail>> {
    this.refuseOnOpen311('Reopening a request');
    const body = this.validate(ReopenInputSchema, reason ? { reason: storableText(reason) } : {});
    const accessToken = await this.tokenFor(reference);
    const key = newKey();
    return this.enqueue<RequestDetail>({ key, kind: 'reopen', lane: `request:${reference}`, body, reference, accessToken });
  }

  /**
   * Sends a chat message. Resolves once it is saved on this device with its clientId; `done`
   * resolves with the stored message (and its `seq`). Messages of one conversation are delivered
   * in the order they were sent.
   */
  async sendMessage(conversation: Conversation, text: string): Promise<Delivery<Message>> {
    if (!this.transport.supportsChat) throw new IntakeError('unsupported', 'Chat is not available on this backend');
    const key = newKey();
    const body = this.validate(MessageInputSchema, { clientId: key, text: storableText(text), attachments: [] });
    // One lane per conversation, named by the key it was created with: messages written before and after it existed stay in order.
    const stored = await (await this.storePromise).getConversation(this.scope);
    const created = stored?.conversation.id === conversation.id ? stored.key : undefined;
    const pendingKey = isPending(conversation) ? conversation.id.slice(PENDING.length) : undefined;
    const laneKey = pendingKey ?? created ?? conversation.id;
    this.laneConversation.set(laneKey, conversation.id);
    return this.enqueue<Message>({
      key,
      kind: 'message',
      lane: `conversation:${laneKey}`,
      body,
      ...(pendingKey ? { conversationKey: pendingKey } : { conversation: { id: conversation.id, token: conversation.token } }),
    });
  }

  /**
   * Queues a file for upload: its bytes are kept on this device until the server has them, so a
   * photo picked offline goes once the network is back (after reloads too). Give the key to
   * `submitRequest({uploads})`: the request waits for it and carries its id.
   */
  async queueUpload(file: File): Promise<Delivery<Attachment>> {
    const key = newKey();
    const body = { name: storableText(file.name), type: file.type, size: file.size };
    // The bytes, not the File: WebKit's IndexedDB refuses to store a Blob ("Error preparing Blob/File data").
    return this.enqueue<Attachment>({ key, kind: 'upload', lane: `upload:${key}`, body, file: await file.arrayBuffer() });
  }

  /** Where a queued upload is: in the outbox (with its state), or done (with its attachment); undefined if unknown. */
  async uploadState(key: string): Promise<{ state: DeliveryState; attachment?: Attachment; error?: IntakeError } | undefined> {
    await this.ready;
    const attachment = await this.drafts.load<Attachment>(uploadDraft(key));
    if (attachment) return { state: 'sent', attachment };
    const item = (await this.outbox?.pending())?.find((i) => i.key === key);
    if (!item) return undefined;
    return { state: this.itemState(item), error: item.error ? IntakeError.fromJSON(item.error) : undefined };
  }

  /** Where a submitted request is: in the outbox (with its state), or delivered (with the server's answer); undefined if unknown. */
  async requestState(key: string): Promise<{ state: DeliveryState; created?: RequestCreated; error?: IntakeError } | undefined> {
    await this.ready;
    const created = await this.drafts.load<RequestCreated>(requestDraft(key));
    if (created) return { state: 'sent', created };
    const item = (await this.outbox?.pending())?.find((i) => i.key === key);
    if (!item) return undefined;
    return { state: this.itemState(item), error: item.error ? IntakeError.fromJSON(item.error) : undefined };
  }

  /** Tries a waiting or failed item again now (a failed one starts its backoff over). */
  async retryNow(key: string): Promise<void> {
    await this.ready;
    await this.outbox?.retryNow(key);
  }

  /** Removes an item from the outbox without sending it (e.g. a failed message the resident deleted). */
  async discard(key: string): Promise<void> {
    await this.ready;
    await this.outbox?.discard(key);
    this.waiters.get(key)?.reject(new IntakeError('aborted', 'Discarded'));
    this.waiters.delete(key);
    this.states.delete(key);
  }

  /** Items of this site still in the outbox (waiting, retrying or failed), oldest first. */
  async pending(): Promise<PendingItem[]> {
    await this.ready;
    const items = (await this.outbox?.pending()) ?? [];
    return items.map((item) => ({
      key: item.key,
      kind: item.kind,
      state: this.itemState(item),
      attempts: item.attempts,
      nextTryAt: item.nextTryAt,
      conversationId: item.conversation?.id,
      reference: item.reference,
      error: item.error ? IntakeError.fromJSON(item.error) : undefined,
      waitingForReference: this.isWaitingForReference(item.key) || item.error?.code === 'waiting_for_reference',
    }));
  }

  /** Sends what is due now (normally automatic: at start, online, visible, on a timer). */
  async flush(): Promise<void> {
    await this.ready;
    await this.outbox?.flush();
  }

  /** The live state of an outbox item this client knows about. */
  deliveryState(key: string): DeliveryState | undefined {
    return this.states.get(key)?.state;
  }

  /** True while an Open311 `batch` server has the item but has not given its number yet. */
  isWaitingForReference(key: string): boolean {
    return this.awaitingReference.has(key);
  }

  /* ------------------------------------------------------------------ chat */

  /**
   * The resident's conversation for this site, at once and offline too: the one this device has
   * (kept across reloads), else one queued in the outbox with its Idempotency-Key and created when
   * the network allows. A queued one has a placeholder id; messages sent to it wait behind it, in
   * order, and the `conversation` event says when it exists (`startConversation()` waits for that).
   */
  async openConversation(options: { topic?: string } = {}): Promise<Conversation> {
    // Never queue what can never be sent (chat over Open311).
    if (!this.transport.supportsChat) throw new IntakeError('unsupported', 'Chat is not available on this backend');
    await this.ready;
    const store = await this.storePromise;
    const stored = await store.getConversation(this.scope);
    if (stored) return stored.conversation;
    const queued = ((await this.outbox?.pending()) ?? []).find((i) => i.kind === 'conversation');
    if (queued) return this.placeholder(queued.key);
    // Delivered between the two reads (the sender of this page or another tab took the queued one):
    // the store has it now; starting another here would make the resident a second conversation.
    const delivered = await store.getConversation(this.scope);
    if (delivered) return delivered.conversation;
    this.starting ??= (async () => {
      const key = newKey();
      const input = storable({ site: this.options.site, locale: this.options.locale, topic: options.topic, page: currentPage() });
      const delivery = await this.enqueue<Conversation>({ key, kind: 'conversation', lane: `conversation:${key}`, body: input });
      delivery.done.catch(() => undefined);
      return this.placeholder(key);
    })().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /**
   * The resident's conversation for this site as the server has it: queued like
   * `openConversation()`, then resolves once the server created it (rejects only if refused for good).
   */
  async startConversation(options: { topic?: string } = {}): Promise<Conversation> {
    const conversation = await this.openConversation(options);
    return isPending(conversation) ? this.created(conversation) : conversation;
  }

  /** The server's conversation for a placeholder from `openConversation()` (itself if not a placeholder). */
  async created(conversation: Conversation): Promise<Conversation> {
    if (!isPending(conversation)) return conversation;
    const key = conversation.id.slice(PENDING.length);
    for (;;) {
      const stored = await (await this.storePromise).getConversation(this.scope);
      if (stored?.key === key) return stored.conversation;
      const item = ((await this.outbox?.pending()) ?? []).find((i) => i.key === key);
      if (this.closed) throw new IntakeError('aborted', 'The client was closed');
      // Delivered between the two reads (the store is written as the outbox item goes): read again.
      if (!item) {
        const now = await (await this.storePromise).getConversation(this.scope);
        if (now?.key === key) return now.conversation;
        throw new IntakeError('not_found', 'The conversation was not created');
      }
      if (item.state === 'failed') throw item.error ? IntakeError.fromJSON(item.error) : new IntakeError('server_error', 'Refused');
      // Woken by the acknowledgement (this tab or another); the timer only guards against a missed one.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.removeEventListener('conversation', done);
          this.removeEventListener('delivery', done);
          resolve();
        };
        const timer = setTimeout(done, 1000);
        this.addEventListener('conversation', done);
        this.addEventListener('delivery', done);
      });
    }
  }

  private placeholder(key: string): Conversation {
    const promise = this.replyPromise ?? { hours: 0, text: '' };
    return { id: `${PENDING}${key}`, token: '', createdAt: new Date().toISOString(), staffOnDuty: this.caps.staffOnDuty ?? false, replyPromise: promise };
  }

  /** Forgets this device's conversation for the site (the next `startConversation()` makes a new one). */
  async forgetConversation(): Promise<void> {
    const store = await this.storePromise;
    await store.deleteConversation(this.scope);
    // One still queued is forgotten too: a new one starts fresh.
    for (const item of (await this.outbox?.pending()) ?? []) if (item.kind === 'conversation') await this.outbox?.discard(item.key);
  }

  /**
   * Messages of a conversation: the server's history merged with this device's unsent ones.
   * Offline, the last history seen in this page plus the unsent ones.
   */
  async history(conversation: Conversation): Promise<ChatMessage[]> {
    await this.ready;
    // The outbox first: an item acknowledged meanwhile then shows up in both and is merged, never lost.
    const stored = await (await this.storePromise).getConversation(this.scope);
    const pendingKey = isPending(conversation) ? conversation.id.slice(PENDING.length) : stored?.conversation.id === conversation.id ? stored.key : undefined;
    const items = ((await this.outbox?.pending()) ?? []).filter(
      (i) => i.kind === 'message' && (i.conversation?.id === conversation.id || (!!pendingKey && i.conversationKey === pendingKey)),
    );
    let events = this.historyCache.get(conversation.id) ?? [];
    // A queued conversation has no history on the server yet: only what waits on this device.
    if (!isPending(conversation)) {
      try {
        events = await this.allEvents(conversation);
        this.historyCache.set(conversation.id, events);
      } catch (thrown) {
        const error = toIntakeError(thrown);
        if (!error.retryable) throw error;
      }
    }
    const readUpTo = events.reduce((max, e) => (e.type === 'read' && e.by !== 'resident' ? Math.max(max, e.upTo) : max), 0);
    const messages: ChatMessage[] = [];
    const seenClientIds = new Set<string>();
    let closed = false;
    for (const event of events) {
      // The server sends `status: closed` and then `closed`: one notice, kept after reloads.
      if ((event.type === 'closed' || (event.type === 'status' && event.status === 'closed')) && !closed) {
        closed = true;
        messages.push({ id: `closed-${event.seq}`, seq: event.seq, author: 'system', text: '', at: event.at, closed: true });
        continue;
      }
      if (event.type === 'routed') {
        messages.push({ id: `routed-${event.seq}`, seq: event.seq, author: 'system', text: '', at: event.at, routedTo: event.department.name });
        continue;
      }
      if (event.type !== 'message') continue;
      const m = event.message;
      if (m.clientId) seenClientIds.add(m.clientId);
      messages.push({
        clientId: m.clientId ?? undefined,
        seq: m.seq,
        id: m.id,
        author: m.author,
        authorName: m.authorName,
        text: m.text,
        at: m.at,
        delivery: m.author === 'resident' ? (m.seq <= readUpTo ? 'read' : 'sent') : undefined,
        request: this.workOrder(conversation, m),
      });
    }
    for (const item of items) {
      if (seenClientIds.has(item.key)) continue;
      const live = this.states.get(item.key);
      messages.push({
        clientId: item.key,
        author: 'resident',
        text: (item.body as { text: string }).text,
        at: new Date(item.createdAt).toISOString(),
        delivery: this.itemState(item),
        nextTryAt: live?.nextTryAt ?? (item.state === 'retrying' ? item.nextTryAt : undefined),
        ...(item.state === 'failed' && item.error ? { errorCode: item.error.code } : {}),
      });
    }
    return messages;
  }

  /**
   * Live events of a conversation, each stored event once and in order. By default starts after
   * the last event `history()` returned; pass `after` to choose.
   */
  subscribe(conversation: Conversation, handler: StreamHandler, options: { after?: number } = {}): Subscription {
    if (isPending(conversation)) {
      // Live events start once the queued conversation exists.
      let inner: Subscription | undefined;
      let ended = false;
      this.created(conversation).then((real) => {
        if (!ended && !this.closed) inner = this.subscribe(real, handler, options);
      }, () => undefined);
      return { close: () => { ended = true; inner?.close(); } };
    }
    const stream = new EventStream({
      transport: this.transport,
      conversation: { id: conversation.id, token: conversation.token },
      after: options.after ?? this.lastSeen.get(conversation.id) ?? 0,
      handler: (event: StreamEvent) => {
        if ('seq' in event) this.lastSeen.set(conversation.id, Math.max(event.seq, this.lastSeen.get(conversation.id) ?? 0));
        if (event.type === 'message') this.workOrder(conversation, event.message);
        handler(event);
      },
      retry: this.options.retry,
      random: this.options.random,
      ...this.options.stream,
      onState: (state) => {
        this.streamStates.set(stream, state);
        if (state === 'open' || state === 'polling') this.noteOutcome('ok');
        else if (state === 'reconnecting') this.noteOutcome(new IntakeError('network', 'Stream interrupted'));
      },
    });
    this.streams.add(stream);
    stream.start();
    return {
      close: () => {
        stream.close();
        this.streams.delete(stream);
        this.streamStates.delete(stream);
      },
    };
  }

  /** Tells staff the resident is typing. Best effort: failures are ignored. */
  async setTyping(conversation: Conversation, typing: boolean): Promise<void> {
    if (isPending(conversation)) return;
    await this.transport.typing(conversation, typing).catch(() => undefined);
  }

  /** Marks staff messages up to `upTo` as read. Best effort: failures are ignored. */
  async markRead(conversation: Conversation, upTo: number): Promise<void> {
    if (isPending(conversation)) return;
    await this.transport.read(conversation, upTo).catch(() => undefined);
  }

  /** Uploads a file (progress through `onProgress`); the returned id goes into a request or message. */
  uploadAttachment(
    file: File,
    options: { onProgress?: (loaded: number, total: number) => void; signal?: AbortSignal } = {},
  ): Promise<Attachment> {
    return this.track(this.transport.upload(file, options));
  }

  /* ------------------------------------------------------------------ drafts */

  /** Saves a draft (plain data) for this site; kept for 7 days. */
  saveDraft(key: string, value: unknown): Promise<void> {
    return this.drafts.save(key, value);
  }

  /** A saved draft, or undefined (none, or expired). */
  loadDraft<T>(key: string): Promise<T | undefined> {
    return this.drafts.load<T>(key);
  }

  /** Deletes a draft (after the form or message was sent). */
  clearDraft(key: string): Promise<void> {
    return this.drafts.clear(key);
  }

  /* ------------------------------------------------------------------ life cycle */

  /**
   * Stops sending, streaming and listening. Items not yet acknowledged stay in the outbox (with
   * IndexedDB) for the next client; this client's pending `done` promises reject with `aborted`.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.outbox?.close();
    for (const stream of this.streams) stream.close();
    this.streams.clear();
    this.answersController?.abort();
    for (const fn of this.cleanup) fn();
    for (const waiter of this.waiters.values()) waiter.reject(new IntakeError('aborted', 'The client was closed'));
    this.waiters.clear();
    void this.storePromise.then((store) => store.close()).catch(() => undefined);
  }

  /** Typed `addEventListener` for `connection`, `delivery` and `sender`. */
  on<K extends keyof IntakeClientEventMap>(type: K, listener: (event: IntakeClientEventMap[K]) => void): () => void {
    const wrapped = (event: Event): void => listener(event as IntakeClientEventMap[K]);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  /* ------------------------------------------------------------------ internals */

  /** One catalogue answer: the kept copy at once (revalidated behind it) or the server's. */
  private async loadCatalog(): Promise<Catalog> {
    const ask = this.transport.catalogIfChanged?.bind(this.transport);
    // A transport without validators (Open311) is asked every time, as before.
    if (!ask) return this.useCatalog(await this.track(this.transport.catalog()));
    const kept = await this.keptCatalog();
    if (this.closed) throw new IntakeError('aborted', 'The client is closed');
    const revalidating = (this.catalogRevalidation ??= this.revalidateCatalog(ask, kept).finally(() => {
      this.catalogRevalidation = undefined;
    }));
    if (!kept) return revalidating;
    revalidating.catch(() => undefined);
    return this.useCatalog(kept.catalog);
  }

  /** The kept copy: this page's, else the device's (read once; a bad one is dropped there). */
  private async keptCatalog(): Promise<KeptCatalog | undefined> {
    if (this.kept) return this.kept;
    const store = await this.storePromise;
    // Unreadable storage is no kept copy: the server is asked as if nothing were kept.
    const stored = await readKeptCatalog(store, this.catalogId).catch(() => undefined);
    this.kept ??= stored;
    return this.kept;
  }

  /** Asks the server whether `kept` is current; keeps and announces a changed catalogue. */
  private async revalidateCatalog(ask: NonNullable<Transport['catalogIfChanged']>, kept: KeptCatalog | undefined): Promise<Catalog> {
    let answer: Awaited<ReturnType<typeof ask>>;
    try {
      answer = await this.track(ask(kept?.etag));
    } catch (thrown) {
      const error = toIntakeError(thrown);
      // Offline or the server away: the kept copy stands. A refusal (unknown site) drops it.
      if (kept && (error.retryable || error.status === 429)) return kept.catalog;
      if (error.status === 404 || error.status === 410) await this.dropKept();
      throw error;
    }
    const now = Date.now();
    if (answer === null) {
      if (!kept) throw new IntakeError('invalid_response', 'The server said 304 to a call without a validator');
      this.kept = { ...kept, checkedAt: now };
      void this.saveKept(this.kept);
      return this.useCatalog(kept.catalog);
    }
    const changed = kept !== undefined && (kept.etag === undefined || kept.etag !== answer.etag) && JSON.stringify(kept.catalog) !== JSON.stringify(answer.catalog);
    this.kept = { catalog: answer.catalog, ...(answer.etag ? { etag: answer.etag } : {}), checkedAt: now };
    void this.saveKept(this.kept);
    this.useCatalog(answer.catalog);
    if (changed && !this.closed) this.dispatchEvent(new CustomEvent('catalog', { detail: answer.catalog }));
    return answer.catalog;
  }

  private useCatalog(catalog: Catalog): Catalog {
    this.caps = catalog.capabilities;
    this.replyPromise = catalog.site.replyPromise;
    return catalog;
  }

  private async saveKept(kept: KeptCatalog): Promise<void> {
    try {
      await writeKeptCatalog(await this.storePromise, this.catalogId, kept);
    } catch {
      // Full or refused storage: the next visit asks the server, as with nothing kept.
    }
  }

  private async dropKept(): Promise<void> {
    this.kept = undefined;
    await dropKeptCatalog(await this.storePromise, this.catalogId).catch(() => undefined);
  }

  private async start(): Promise<void> {
    const store = await this.storePromise;
    this.storage = store.kind;
    if (this.closed) return;
    const origin = typeof location !== 'undefined' ? location.origin : '';
    const db = this.options.dbName ?? 'intake-widgets';
    this.outbox = new Outbox({
      store,
      transport: this.transport,
      scope: this.scope,
      lockName: `intake-outbox-sender:${origin}|${db}|${this.scope}`,
      channelName: `intake-outbox:${db}|${this.scope}`,
      retry: this.options.retry,
      concurrency: this.options.concurrency,
      flushIntervalMs: this.options.flushIntervalMs,
      random: this.options.random,
      onUpdate: (update, remote) => this.onUpdate(update, remote),
      onAttempt: (outcome) => this.noteOutcome(outcome),
      onSender: (active) => this.dispatchEvent(new CustomEvent('sender', { detail: { active } })),
      made: (item, result) => this.made(item, result),
      uploaded: async (key) => (await this.drafts.load<Attachment>(uploadDraft(key)))?.id,
      onProgress: (key, loaded, total) => this.dispatchEvent(new CustomEvent('upload-progress', { detail: { key, loaded, total } })),
    });
    this.listen();
    void this.drafts.purge().catch(() => undefined);
    void this.outbox.flush();
  }

  /** What an acknowledged item made, stored with the acknowledgement. */
  private made(item: OutboxItem, result: unknown): Acknowledged {
    if (item.kind === 'request') {
      const created = result as RequestCreated;
      return {
        known: {
          id: this.knownId(created.reference),
          scope: this.scope,
          reference: created.reference,
          accessToken: created.accessToken,
          service: (item.body as { service: string }).service,
          type: (item.body as { type: KnownRequest['type'] }).type,
          createdAt: created.createdAt,
          lastStatus: created.status,
        },
        draft: this.drafts.entry(requestDraft(item.key), created),
      };
    }
    if (item.kind === 'conversation') return { conversation: { scope: this.scope, conversation: result as Conversation, key: item.key } };
    if (item.kind === 'upload') return { draft: this.drafts.entry(uploadDraft(item.key), result) };
    return {};
  }

  private listen(): void {
    if (typeof window === 'undefined') return;
    const online = (): void => {
      this.setConnection('online');
      void this.outbox?.flush();
      for (const stream of this.streams) void stream.catchUp();
    };
    const offline = (): void => this.setConnection('offline');
    const visible = (): void => {
      if (document.visibilityState !== 'visible') return;
      void this.outbox?.flush();
      for (const stream of this.streams) void stream.catchUp();
    };
    const pagehide = (): void => this.outbox?.sendOnPageHide();
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    document.addEventListener('visibilitychange', visible);
    window.addEventListener('pagehide', pagehide);
    this.cleanup.push(() => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', visible);
      window.removeEventListener('pagehide', pagehide);
    });
  }

  private async enqueue<T>(spec: {
    key: string;
    kind: OutboxKind;
    lane: string;
    body: unknown;
    conversation?: OutboxItem['conversation'];
    reference?: string;
    accessToken?: string;
    contact?: string;
    conversationKey?: string;
    file?: ArrayBuffer;
    uploads?: string[];
  }): Promise<Delivery<T>> {
    await this.ready;
    if (this.closed || !this.outbox) throw new IntakeError('aborted', 'The client is closed');
    const now = Date.now();
    const item: OutboxItem = {
      key: spec.key,
      kind: spec.kind,
      scope: this.scope,
      lane: spec.lane,
      order: this.outbox.nextOrder(),
      createdAt: now,
      body: spec.body,
      conversation: spec.conversation,
      ...(spec.conversationKey ? { conversationKey: spec.conversationKey } : {}),
      ...(spec.file ? { file: spec.file } : {}),
      ...(spec.uploads ? { uploads: spec.uploads } : {}),
      reference: spec.reference,
      accessToken: spec.accessToken,
      ...(spec.contact ? { contact: spec.contact } : {}),
      attempts: 0,
      nextTryAt: 0,
      state: 'queued',
    };
    const done = new Promise<T>((resolve, reject) => {
      this.waiters.set(spec.key, { resolve: resolve as (value: unknown) => void, reject });
    });
    this.states.set(spec.key, { state: 'queued' });
    try {
      await this.outbox.add(item);
    } catch (thrown) {
      this.waiters.delete(spec.key);
      this.states.delete(spec.key);
      throw toIntakeError(thrown);
    }
    return new DeliveryHandle<T>(spec.key, this, done);
  }

  private onNotice(notice: TransportNotice): void {
    if (this.closed || notice.type !== 'waiting_for_reference') return;
    const first = !this.awaitingReference.has(notice.key);
    this.awaitingReference.add(notice.key);
    if (first) this.dispatchEvent(new CustomEvent('waiting-for-reference', { detail: { key: notice.key, token: notice.token } }));
    const state = this.states.get(notice.key)?.state ?? 'sending';
    this.dispatchEvent(
      new CustomEvent('delivery', { detail: { key: notice.key, kind: 'request', state, remote: false, waitingForReference: true } satisfies DeliveryEventDetail }),
    );
  }

  private onUpdate(update: OutboxUpdate, remote: boolean): void {
    // `sent` is kept too (a few bytes a key) so a Delivery handle reads `sent` afterwards.
    this.states.set(update.key, { state: update.state, nextTryAt: update.nextTryAt });
    if (update.error?.code === 'waiting_for_reference') this.awaitingReference.add(update.key);
    const waitingForReference = this.awaitingReference.has(update.key);
    if (update.state === 'sent' || update.state === 'failed') this.awaitingReference.delete(update.key);
    const waiter = this.waiters.get(update.key);
    if (waiter && update.state === 'sent') {
      this.waiters.delete(update.key);
      waiter.resolve(update.result);
    } else if (waiter && update.state === 'failed') {
      this.waiters.delete(update.key);
      waiter.reject(update.error ? IntakeError.fromJSON(update.error) : new IntakeError('server_error', 'Refused'));
    }
    const laneId = update.lane.startsWith('conversation:') ? update.lane.slice('conversation:'.length) : undefined;
    if (update.kind === 'conversation' && update.state === 'sent' && update.result) {
      const conversation = update.result as Conversation;
      this.laneConversation.set(update.key, conversation.id);
      this.dispatchEvent(new CustomEvent('conversation', { detail: { pendingId: `${PENDING}${update.key}`, conversation } }));
    }
    const detail: DeliveryEventDetail = {
      key: update.key,
      kind: update.kind,
      state: update.state,
      nextTryAt: update.nextTryAt,
      conversationId: laneId === undefined ? undefined : this.laneConversation.get(laneId) ?? laneId,
      error: update.error ? IntakeError.fromJSON(update.error) : undefined,
      remote,
      ...(waitingForReference && update.state !== 'sent' && update.state !== 'failed' ? { waitingForReference: true } : {}),
    };
    this.dispatchEvent(new CustomEvent('delivery', { detail }));
  }

  private itemState(item: OutboxItem): DeliveryState {
    return this.states.get(item.key)?.state ?? item.state;
  }

  /** Feeds a call's outcome into the connection state, and passes the result through. */
  private async track<T>(call: Promise<T>): Promise<T> {
    try {
      const result = await call;
      this.noteOutcome('ok');
      return result;
    } catch (thrown) {
      const error = toIntakeError(thrown);
      if (error.code !== 'aborted') this.noteOutcome(error);
      throw error;
    }
  }

  private noteOutcome(outcome: 'ok' | IntakeError): void {
    if (this.closed) return;
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.setConnection('offline');
    } else if (outcome === 'ok' || !outcome.retryable) {
      // Any answer from the server, even a refusal, proves the line works.
      this.setConnection('online');
    } else {
      this.setConnection('reconnecting');
    }
  }

  private setConnection(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent('connection', { detail: state }));
  }

  private validate<T>(schema: v.GenericSchema<unknown, T>, value: unknown): T {
    const result = v.safeParse(schema, value);
    if (!result.success) {
      throw new IntakeError('validation_failed', 'Some fields need attention', { fields: issuesToFields(result.issues) });
    }
    return result.output;
  }

  private async tokenFor(reference: string): Promise<string> {
    const store = await this.storePromise;
    const known = await store.getKnownRequest(this.knownId(reference));
    if (!known) throw new IntakeError('unauthorized', 'This request was not filed from this browser');
    return known.accessToken;
  }

  /** Open311 has no feedback or reopen: refuse at once rather than queue what can never be sent. */
  private refuseOnOpen311(what: string): void {
    if (this.transport.kind === 'open311') throw new IntakeError('unsupported', `${what} is not available on an Open311 backend`);
  }

  /** A work order made from the chat (转工单): kept for My requests, the chat's token opening it. */
  private workOrder(conversation: Conversation, m: Message): { reference: string } | undefined {
    const r = m.request;
    if (!r) return undefined;
    void this.storePromise.then(async (store) => {
      const id = this.knownId(r.reference);
      if (!(await store.getKnownRequest(id))) {
        await store.putKnownRequest({ id, scope: this.scope, reference: r.reference, accessToken: conversation.token, service: r.service, type: r.type, createdAt: m.at });
      }
    }).catch(() => undefined);
    return { reference: r.reference };
  }

  private knownId(reference: string): string {
    return `${this.scope}|${reference}`;
  }

  private async allEvents(conversation: Conversation): Promise<ConversationEvent[]> {
    const events: ConversationEvent[] = [];
    let after = 0;
    for (let page = 0; page < 100; page++) {
      const result = await this.track(this.transport.poll(conversation, after));
      for (const event of result.events) if (event.seq > after) events.push(event);
      const top = result.events.reduce((max, e) => Math.max(max, e.seq), after);
      if (result.events.length === 0 || top >= result.lastSeq || top === after) break;
      after = top;
    }
    events.sort((a, b) => a.seq - b.seq);
    const last = events.at(-1)?.seq ?? 0;
    this.lastSeen.set(conversation.id, Math.max(last, this.lastSeen.get(conversation.id) ?? 0));
    return events;
  }
}

/** `promise`, or an `aborted` IntakeError as soon as `signal` aborts (the work itself goes on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new IntakeError('aborted', 'The call was cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new IntakeError('aborted', 'The call was cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Builds the transport a client asks for. */
export function createTransport(options: Readonly<IntakeClientOptions>): Transport {
  if ((options.transport ?? 'intake') === 'intake') {
    return new IntakeTransport({
      endpoint: options.endpoint,
      site: options.site,
      locale: options.locale ?? 'zh-CN',
      timeoutMs: options.timeoutMs ?? 15_000,
    });
  }
  if (options.transport === 'open311') {
    // Its own chunk: only a page that speaks Open311 downloads the adapter (see transports/lazy.ts).
    return new LazyTransport('open311', false, () =>
      import('./transports/open311.js').then(
        ({ Open311Transport }) =>
          new Open311Transport({
            endpoint: options.endpoint,
            site: options.site,
            locale: options.locale ?? 'zh-CN',
            timeoutMs: options.timeoutMs ?? 15_000,
            jurisdiction: options.jurisdiction,
            apiKey: options.apiKey,
          }),
      ),
    );
  }
  throw new IntakeError('unsupported', `Transport "${options.transport}" is not available`);
}

/** A random idempotency key / clientId (UUID v4), made before the first try. */
export function newKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The page the resident is on, without query or fragment (they may carry personal data). */
function currentPage(): { url: string; title: string } | undefined {
  if (typeof location === 'undefined') return undefined;
  return { url: `${location.origin}${location.pathname}`.slice(0, 2000), title: (document.title ?? '').slice(0, 500) };
}

export type { StoredKnownRequest };
