/**
 * The client's public shape: what components may rely on. `IntakeClient` (client.ts) implements
 * `IntakeClientApi`; components receive an instance and never call `fetch` themselves.
 */
import type {
  Answer,
  Attachment,
  Capabilities,
  Catalog,
  Conversation,
  FeedbackInput,
  FollowCreated,
  ServiceSuggestion,
  SimilarRequest,
  FieldValue,
  ContactInput,
  Message,
  PageInfo,
  RequestCreated,
  RequestDetail,
  RequestKind,
  StreamEvent,
} from './protocol.js';

/**
 * Stands for a queued upload (see `queueUpload()`) wherever an attachment id goes in a request
 * (`attachments`, a file field's value): the outbox puts the id in before the first try.
 */
export const UPLOAD_REF = 'intake-upload:';

/** How the client reaches the backend, as components may show it. */
export type ConnectionState = 'online' | 'reconnecting' | 'offline';

/** Which wire protocol a transport speaks. */
export type TransportKind = 'intake' | 'open311';

export interface IntakeClientOptions {
  /** Backend base URL, e.g. `https://intake.example.gov/api/v1`. */
  endpoint: string;
  /** Site id, e.g. `riverside/xinhua/garden`. */
  site: string;
  locale?: string;
  transport?: TransportKind;
  /** Per-call timeout in milliseconds (default 15 000). */
  timeoutMs?: number;
  /** Name of the IndexedDB database (default `intake-widgets`); tests use their own. */
  dbName?: string;
  /** Open311 only. */
  jurisdiction?: string;
  apiKey?: string;
}

/** What a resident fills in; the client adds site, locale, page and the idempotency key. */
export interface RequestDraft {
  service: string;
  type: RequestKind;
  description: string;
  fields?: Record<string, FieldValue>;
  contact?: ContactInput;
  consentVersion: string;
  attachments?: string[];
  /** Keys of uploads queued with `queueUpload()`: the request waits for them and carries their ids. */
  uploads?: string[];
  page?: PageInfo;
}

/**
 * Where an outbox item is. `queued`: saved on this device, not yet tried or waiting for the
 * network; `sending`: a try is under way; `sent`: the server acknowledged it; `failed`: the server
 * refused it for good (validation), see `error`; `retrying`: a try failed and another is scheduled.
 */
export type DeliveryState = 'queued' | 'sending' | 'retrying' | 'sent' | 'failed';

/** Where the outbox keeps items: IndexedDB survives reloads; memory does not (keep the page open). */
export type OutboxStorage = 'indexeddb' | 'memory';

export interface Delivery<T> {
  /** The Idempotency-Key or clientId, made before the first try. */
  key: string;
  state: DeliveryState;
  /** Resolves once the server acknowledged; rejects with an IntakeError on a permanent failure. */
  done: Promise<T>;
}

/** A resident message as the chat shows it, merged from the outbox and the server. */
export interface ChatMessage {
  clientId?: string;
  /** Set once the server has it. */
  seq?: number;
  id?: string;
  author: Message['author'];
  authorName?: string;
  text: string;
  at: string;
  /** For resident messages: outbox state, then `read` once staff read it. */
  delivery?: DeliveryState | 'read';
  /** When `retrying`: the time of the next try (ms since epoch). */
  nextTryAt?: number;
  /**
   * A `routed` event in the history: the department the conversation was passed to (`author` is
   * `system`, `text` is empty: the view words the note in the resident's language).
   */
  routedTo?: string;
  /** The conversation ended here (staff closed it); `author` is `system`, `text` empty. */
  closed?: boolean;
  /** When `failed`: why, as an error code (`conversation_closed`: staff closed it before it arrived). */
  errorCode?: string;
  /** The chat became this request (转工单): it is in My requests now. */
  request?: { reference: string };
}

export type StreamHandler = (event: StreamEvent) => void;

export interface Subscription {
  close(): void;
}

/** A request this browser filed, kept locally for My requests. */
export interface KnownRequest {
  reference: string;
  accessToken: string;
  service: string;
  type: RequestKind;
  createdAt: string;
  /** Last status seen, to notice changes. */
  lastStatus?: RequestDetail['status'];
  lastSeenUpdate?: string;
}

export interface IntakeClientEvents {
  connection: ConnectionState;
  /** An outbox item changed state (any kind). */
  delivery: { key: string; kind: 'request' | 'message' | 'feedback' | 'reopen' | 'conversation' | 'upload'; state: DeliveryState };
}

export interface IntakeClientApi extends EventTarget {
  readonly options: Readonly<IntakeClientOptions>;
  readonly connection: ConnectionState;
  /** Known after `catalog()`; all false before. */
  readonly capabilities: Capabilities;
  readonly outboxStorage: OutboxStorage;

  catalog(options?: { signal?: AbortSignal }): Promise<Catalog>;
  /** A new call aborts the previous one still under way. */
  answers(query: string, options?: { signal?: AbortSignal }): Promise<Answer[]>;
  /** Saved to the outbox before it resolves `saved`; `done` resolves with the server's answer. */
  submitRequest(input: RequestDraft): Promise<Delivery<RequestCreated>>;
  getRequest(reference: string, options?: { contact?: string }): Promise<RequestDetail>;
  /** `contact`: for a request looked up by reference and contact (not filed on this device). */
  sendFeedback(reference: string, feedback: FeedbackInput, options?: { contact?: string }): Promise<Delivery<RequestDetail>>;
  reopen(reference: string, reason?: string): Promise<Delivery<RequestDetail>>;
  /** Resumes this site's conversation if one exists on this device, else creates one (queued; resolves once created). */
  startConversation(options?: { topic?: string }): Promise<Conversation>;
  /**
   * This site's conversation at once, offline too: the one on this device, or a new one queued in
   * the outbox (a placeholder id until created; the `conversation` event gives the real one).
   */
  openConversation(options?: { topic?: string }): Promise<Conversation>;
  /** Forgets this device's conversation (after staff closed it): the next one is new. */
  forgetConversation(): Promise<void>;
  sendMessage(conversation: Conversation, text: string): Promise<Delivery<Message>>;
  /** Retry a failed or waiting item now. */
  retryNow(key: string): Promise<void>;
  /** Drop an item from the outbox (a failed one the resident gave up on). */
  discard(key: string): Promise<void>;
  /** Messages known for the conversation (history from the server + pending in the outbox). */
  history(conversation: Conversation): Promise<ChatMessage[]>;
  /** Live events; `after` resumes after that seq (default: the last this client saw, else 0). */
  subscribe(conversation: Conversation, handler: StreamHandler, options?: { after?: number }): Subscription;
  setTyping(conversation: Conversation, typing: boolean): Promise<void>;
  markRead(conversation: Conversation, upTo: number): Promise<void>;
  uploadAttachment(file: File, options?: { onProgress?: (loaded: number, total: number) => void; signal?: AbortSignal }): Promise<Attachment>;
  /** Queues a file: kept on the device until the server has it; `done` gives its attachment. */
  queueUpload(file: File): Promise<Delivery<Attachment>>;
  /** A queued upload's state, with its attachment once done; undefined when unknown. */
  uploadState(key: string): Promise<{ state: DeliveryState; attachment?: Attachment } | undefined>;
  /** A submitted request's state by its key, with the server's answer once delivered (after reloads too); undefined when unknown. */
  requestState(key: string): Promise<{ state: DeliveryState; created?: RequestCreated; error?: Error } | undefined>;
  /** Requests filed from this browser for this site. */
  knownRequests(): Promise<KnownRequest[]>;
  /** The services ranked for what the resident typed, best first; null: the backend has no ranking (match locally). */
  suggestServices?(query: string, options?: { signal?: AbortSignal }): Promise<ServiceSuggestion[] | null>;
  /** Open requests like this one nearby (none when the backend cannot tell). */
  similar?(service: string, place?: { lat?: number; lng?: number; address?: string }): Promise<SimilarRequest[]>;
  /** Follows a request instead of filing a duplicate: kept for My requests with the follower's own token. */
  follow?(reference: string, contact?: { phone?: string; email?: string }): Promise<FollowCreated>;

  /** Drafts survive reloads (expire after 7 days). */
  saveDraft(key: string, value: unknown): Promise<void>;
  loadDraft<T>(key: string): Promise<T | undefined>;
  clearDraft(key: string): Promise<void>;

  close(): void;
}
