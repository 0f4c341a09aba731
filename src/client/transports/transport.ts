/**
 * The Transport interface: everything the client needs from a backend, one method per protocol
 * operation. `IntakeTransport` speaks the intake protocol; an Open311 adapter maps GeoReport v2
 * onto the same methods (and throws `IntakeError('unsupported')` for what Open311 lacks).
 *
 * Transports are stateless: keys, tokens and retries are the client's business. Each method
 * resolves with validated data or rejects with an `IntakeError`.
 */
import type {
  AnswersResponse,
  Attachment,
  Catalog,
  Conversation,
  ConversationInput,
  EventsPage,
  FeedbackInput,
  FollowCreated,
  FollowInput,
  SimilarResponse,
  ServiceSuggestResponse,
  Message,
  MessageInput,
  ReopenInput,
  RequestCreated,
  RequestDetail,
  RequestInput,
} from '../protocol.js';
import type { TransportKind } from '../types.js';

/** A catalogue and the ETag it came with (none when the server sent none). */
export interface CatalogAnswer {
  catalog: Catalog;
  etag?: string;
}

/** Where the resident says it is, for `similar()`. */
export interface SimilarPlace {
  lat?: number;
  lng?: number;
  address?: string;
}

/** Per-call options every transport method takes. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the transport's default timeout. */
  timeoutMs?: number;
  /** Let the call outlive the page (used on `pagehide` for small outbox items). */
  keepalive?: boolean;
}

/** What a conversation call needs: its id and bearer token. */
export interface ConversationRef {
  id: string;
  token: string;
}

/** How to prove access to a request: its access token, or the contact given when filing it. */
export interface RequestAuth {
  accessToken?: string;
  contact?: string;
}

export interface UploadOptions extends CallOptions {
  onProgress?: (loaded: number, total: number) => void;
}

/** Something a transport reports while a call is under way, for the UI. */
export interface TransportNotice {
  /** The outbox item's key. */
  key: string;
  /** `waiting_for_reference`: the server took the request and will give its number later (Open311 `batch`). */
  type: 'waiting_for_reference';
  token?: string;
}

export interface Transport {
  readonly kind: TransportKind;
  /** What the backend can do; a transport without chat says so here before any call. */
  readonly supportsChat: boolean;
  /** Set by the client to hear notices (a transport may never send any). */
  onNotice?: (notice: TransportNotice) => void;
  /** Problems this backend would refuse for good, found before a request is queued: `{path: message}`. */
  checkRequest?(input: RequestInput): Record<string, string> | undefined;
  /** Resolves once the synchronous members (`checkRequest`, `eventsUrl`) can answer: a transport whose code loads lazily loads it. */
  ready?(): Promise<void>;

  catalog(options?: CallOptions): Promise<Catalog>;
  /**
   * The catalogue asked with `If-None-Match: etag`: `null` when the copy with that ETag is still
   * current (304). Absent: the backend has no validators (Open311), and the client asks `catalog()`.
   */
  catalogIfChanged?(etag: string | undefined, options?: CallOptions): Promise<CatalogAnswer | null>;
  answers(query: string, options?: CallOptions): Promise<AnswersResponse>;
  /** `key` is the Idempotency-Key: a repeat returns the same request. */
  createRequest(input: RequestInput, key: string, options?: CallOptions): Promise<RequestCreated>;
  getRequest(reference: string, auth: RequestAuth, options?: CallOptions): Promise<RequestDetail>;
  sendFeedback(reference: string, input: FeedbackInput, key: string, auth: RequestAuth, options?: CallOptions): Promise<RequestDetail>;
  reopen(reference: string, input: ReopenInput, key: string, auth: RequestAuth, options?: CallOptions): Promise<RequestDetail>;
  upload(file: Blob & { name?: string }, options?: UploadOptions): Promise<Attachment>;
  /** The services ranked for what the resident typed (`GET /services/suggest`); absent: the backend has no ranking (the form matches locally). */
  suggestServices?(query: string, options?: CallOptions): Promise<ServiceSuggestResponse>;
  /** Open requests like the one being filed (`GET /similar`); absent: the backend has none. */
  similar?(service: string, place: SimilarPlace, options?: CallOptions): Promise<SimilarResponse>;
  /** Follow a request instead of filing a duplicate; `key` is the Idempotency-Key. */
  follow?(reference: string, input: FollowInput, key: string, options?: CallOptions): Promise<FollowCreated>;

  createConversation(input: ConversationInput, key: string, options?: CallOptions): Promise<Conversation>;
  /** Deduplicated by `input.clientId`: a repeat returns the same message and seq. */
  postMessage(conversation: ConversationRef, input: MessageInput, options?: CallOptions): Promise<Message>;
  /** Server-Sent Events URL for events after `after`; null when the backend has no stream (poll instead). */
  eventsUrl(conversation: ConversationRef, after: number): string | null;
  /** Stored events after `after` (catch-up and the polling fallback). */
  poll(conversation: ConversationRef, after: number, options?: CallOptions): Promise<EventsPage>;
  typing(conversation: ConversationRef, typing: boolean, options?: CallOptions): Promise<void>;
  read(conversation: ConversationRef, upTo: number, options?: CallOptions): Promise<void>;
}
