/**
 * A transport whose code loads on its first call. The widget talks to an intake backend far more
 * often than to an Open311 one, so the Open311 adapter (about 6 KB brotli) is a chunk of its own
 * that only a page with `transport="open311"` downloads.
 *
 * The synchronous members answer from what is known before the code is in: `kind` and
 * `supportsChat` are given; `checkRequest` and `eventsUrl` defer to the real transport once it
 * has loaded (the catalogue always comes first, so it has by the time a request is checked).
 * A chunk that fails to load rejects the call as a `network` error, which the outbox retries;
 * the next call tries the import again.
 */
import type {
  AnswersResponse,
  Attachment,
  Catalog,
  Conversation,
  ConversationInput,
  EventsPage,
  FeedbackInput,
  Message,
  MessageInput,
  ReopenInput,
  RequestCreated,
  RequestDetail,
  RequestInput,
} from '../protocol.js';
import type { TransportKind } from '../types.js';
import { toIntakeError } from '../errors.js';
import type { CallOptions, ConversationRef, RequestAuth, Transport, TransportNotice, UploadOptions } from './transport.js';

export class LazyTransport implements Transport {
  onNotice?: (notice: TransportNotice) => void;
  private loaded?: Transport;
  private loading?: Promise<Transport>;

  constructor(
    readonly kind: TransportKind,
    readonly supportsChat: boolean,
    private readonly load: () => Promise<Transport>,
  ) {}

  /** The real transport, once its code is in (for tests and diagnostics). */
  get inner(): Transport | undefined {
    return this.loaded;
  }

  /** Loads the real transport now (resolves once `checkRequest` and `eventsUrl` answer from it). */
  async ready(): Promise<void> {
    await this.real();
  }

  private real(): Promise<Transport> {
    this.loading ??= this.load().then(
      (transport) => {
        transport.onNotice = (notice) => this.onNotice?.(notice);
        this.loaded = transport;
        return transport;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw toIntakeError(error);
      },
    );
    return this.loading;
  }

  checkRequest(input: RequestInput): Record<string, string> | undefined {
    return this.loaded?.checkRequest?.(input);
  }

  eventsUrl(conversation: ConversationRef, after: number): string | null {
    return this.loaded?.eventsUrl(conversation, after) ?? null;
  }

  async catalog(options?: CallOptions): Promise<Catalog> {
    return (await this.real()).catalog(options);
  }

  async answers(query: string, options?: CallOptions): Promise<AnswersResponse> {
    return (await this.real()).answers(query, options);
  }

  async createRequest(input: RequestInput, key: string, options?: CallOptions): Promise<RequestCreated> {
    return (await this.real()).createRequest(input, key, options);
  }

  async getRequest(reference: string, auth: RequestAuth, options?: CallOptions): Promise<RequestDetail> {
    return (await this.real()).getRequest(reference, auth, options);
  }

  async sendFeedback(reference: string, input: FeedbackInput, key: string, auth: RequestAuth, options?: CallOptions): Promise<RequestDetail> {
    return (await this.real()).sendFeedback(reference, input, key, auth, options);
  }

  async reopen(reference: string, input: ReopenInput, key: string, auth: RequestAuth, options?: CallOptions): Promise<RequestDetail> {
    return (await this.real()).reopen(reference, input, key, auth, options);
  }

  async upload(file: Blob & { name?: string }, options?: UploadOptions): Promise<Attachment> {
    return (await this.real()).upload(file, options);
  }

  async createConversation(input: ConversationInput, key: string, options?: CallOptions): Promise<Conversation> {
    return (await this.real()).createConversation(input, key, options);
  }

  async postMessage(conversation: ConversationRef, input: MessageInput, options?: CallOptions): Promise<Message> {
    return (await this.real()).postMessage(conversation, input, options);
  }

  async poll(conversation: ConversationRef, after: number, options?: CallOptions): Promise<EventsPage> {
    return (await this.real()).poll(conversation, after, options);
  }

  async typing(conversation: ConversationRef, typing: boolean, options?: CallOptions): Promise<void> {
    return (await this.real()).typing(conversation, typing, options);
  }

  async read(conversation: ConversationRef, upTo: number, options?: CallOptions): Promise<void> {
    return (await this.real()).read(conversation, upTo, options);
  }
}
