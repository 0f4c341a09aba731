/**
 * An in-memory IntakeClientApi for component tests: every answer and every event is under the
 * test's control (deliveries stay pending until `ack()`/`fail()`, stream events are pushed with
 * `push()`), and every call is recorded.
 */
import type { Answer, Capabilities, Catalog, Conversation, Message, StreamEvent } from '../../src/client/protocol.js';
import type {
  ChatMessage,
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
      id: 'conv-1',
      token: 'token-1',
      createdAt: new Date().toISOString(),
      staffOnDuty: this.staffOnDuty,
      replyPromise: this.catalogValue.site.replyPromise,
    };
    return this.conversation;
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
    this.setDelivery(clientId, 'failed');
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

  async submitRequest(): Promise<never> {
    throw new Error('not in this fake');
  }

  async getRequest(): Promise<never> {
    throw new Error('not in this fake');
  }

  async sendFeedback(): Promise<never> {
    throw new Error('not in this fake');
  }

  async reopen(): Promise<never> {
    throw new Error('not in this fake');
  }

  async uploadAttachment(): Promise<never> {
    throw new Error('not in this fake');
  }

  async knownRequests(): Promise<KnownRequest[]> {
    return [];
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
