/**
 * The intake protocol v1 over HTTP/JSON (docs/protocol.md): one method per endpoint, every answer
 * validated with the shared schemas.
 */
import {
  AnswersResponseSchema,
  AttachmentSchema,
  CatalogSchema,
  ConversationSchema,
  EventsPageSchema,
  FollowCreatedSchema,
  SimilarResponseSchema,
  ServiceSuggestResponseSchema,
  MessageSchema,
  RequestCreatedSchema,
  RequestDetailSchema,
  type AnswersResponse,
  type Attachment,
  type Catalog,
  type Conversation,
  type ConversationInput,
  type EventsPage,
  type FeedbackInput,
  type FollowCreated,
  type FollowInput,
  type SimilarResponse,
  type ServiceSuggestResponse,
  type Message,
  type MessageInput,
  type ReopenInput,
  type RequestCreated,
  type RequestDetail,
  type RequestInput,
} from '../protocol.js';
import { IntakeError } from '../errors.js';
import { errorFromResponse, httpJson, parseBody, type HttpRequest } from '../http.js';
import type { CallOptions, CatalogAnswer, ConversationRef, RequestAuth, SimilarPlace, Transport, UploadOptions } from './transport.js';

export type { CallOptions, ConversationRef, RequestAuth, Transport, UploadOptions } from './transport.js';

export interface IntakeTransportOptions {
  /** Base URL, e.g. `https://intake.example.gov/api/v1` (a trailing slash is ignored). */
  endpoint: string;
  site: string;
  locale: string;
  /** Default per-call timeout (ms). */
  timeoutMs: number;
  /** Uploads get their own, longer timeout (ms); default 2 minutes. */
  uploadTimeoutMs?: number;
}

/** The intake HTTP transport. */
export class IntakeTransport implements Transport {
  readonly kind = 'intake' as const;
  readonly supportsChat = true;
  private readonly base: string;

  constructor(private readonly options: IntakeTransportOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
  }

  /** Absolute URL for a path below the endpoint, with query parameters. */
  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const qs = params.toString();
    return `${this.base}${path}${qs ? `?${qs}` : ''}`;
  }

  catalog(options: CallOptions = {}): Promise<Catalog> {
    // The browser's cache keeps it and asks with If-None-Match each time: 304 while unchanged.
    return this.call({ method: 'GET', url: this.url('/catalog', this.scope()), schema: CatalogSchema, cache: 'no-cache' }, options);
  }

  /**
   * The catalogue unless the copy with `etag` is still current: `null` for 304. With no `etag`
   * (nothing kept) it is `catalog()` (the browser's cache may still revalidate it); with one, the
   * validator is ours and the browser's cache stays out of it (`no-store`: it passes the 304 on).
   */
  async catalogIfChanged(etag: string | undefined, options: CallOptions = {}): Promise<CatalogAnswer | null> {
    const response = await httpJson<Catalog>({
      method: 'GET',
      url: this.url('/catalog', this.scope()),
      schema: CatalogSchema,
      cache: etag ? 'no-store' : 'no-cache',
      ...(etag ? { headers: { 'If-None-Match': etag }, conditional: true } : {}),
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
      signal: options.signal,
    });
    if (response.status === 304) return null;
    return { catalog: response.data, etag: response.headers.get('etag') ?? undefined };
  }

  answers(query: string, options: CallOptions = {}): Promise<AnswersResponse> {
    return this.call({ method: 'GET', url: this.url('/answers', { ...this.scope(), q: query }), schema: AnswersResponseSchema }, options);
  }

  createRequest(input: RequestInput, key: string, options: CallOptions = {}): Promise<RequestCreated> {
    return this.call(
      { method: 'POST', url: this.url('/requests'), body: input, headers: { 'Idempotency-Key': key }, schema: RequestCreatedSchema },
      options,
    );
  }

  getRequest(reference: string, auth: RequestAuth, options: CallOptions = {}): Promise<RequestDetail> {
    return this.call(
      { method: 'GET', url: this.url(`/requests/${encodeURIComponent(reference)}`, { locale: this.options.locale }), headers: authHeaders(auth), schema: RequestDetailSchema },
      options,
    );
  }

  sendFeedback(reference: string, input: FeedbackInput, key: string, auth: RequestAuth, options: CallOptions = {}): Promise<RequestDetail> {
    return this.call(
      {
        method: 'POST',
        url: this.url(`/requests/${encodeURIComponent(reference)}/feedback`),
        body: input,
        headers: { ...authHeaders(auth), 'Idempotency-Key': key },
        schema: RequestDetailSchema,
      },
      options,
    );
  }

  reopen(reference: string, input: ReopenInput, key: string, auth: RequestAuth, options: CallOptions = {}): Promise<RequestDetail> {
    return this.call(
      {
        method: 'POST',
        url: this.url(`/requests/${encodeURIComponent(reference)}/reopen`),
        body: input,
        headers: { ...authHeaders(auth), 'Idempotency-Key': key },
        schema: RequestDetailSchema,
      },
      options,
    );
  }

  suggestServices(query: string, options: CallOptions = {}): Promise<ServiceSuggestResponse> {
    return this.call({ method: 'GET', url: this.url('/services/suggest', { ...this.scope(), q: query }), schema: ServiceSuggestResponseSchema }, options);
  }

  similar(service: string, place: SimilarPlace, options: CallOptions = {}): Promise<SimilarResponse> {
    return this.call({ method: 'GET', url: this.url('/similar', { ...this.scope(), service, ...place }), schema: SimilarResponseSchema }, options);
  }

  follow(reference: string, input: FollowInput, key: string, options: CallOptions = {}): Promise<FollowCreated> {
    return this.call(
      { method: 'POST', url: this.url(`/requests/${encodeURIComponent(reference)}/follow`), body: input, headers: { 'Idempotency-Key': key }, schema: FollowCreatedSchema },
      options,
    );
  }

  createConversation(input: ConversationInput, key: string, options: CallOptions = {}): Promise<Conversation> {
    return this.call(
      { method: 'POST', url: this.url('/conversations'), body: input, headers: { 'Idempotency-Key': key }, schema: ConversationSchema },
      options,
    );
  }

  postMessage(conversation: ConversationRef, input: MessageInput, options: CallOptions = {}): Promise<Message> {
    return this.call(
      {
        method: 'POST',
        url: this.url(`/conversations/${encodeURIComponent(conversation.id)}/messages`),
        body: input,
        headers: bearer(conversation.token),
        schema: MessageSchema,
      },
      options,
    );
  }

  eventsUrl(conversation: ConversationRef, after: number): string {
    return this.url(`/conversations/${encodeURIComponent(conversation.id)}/events`, {
      token: conversation.token,
      after: after > 0 ? after : undefined,
    });
  }

  poll(conversation: ConversationRef, after: number, options: CallOptions = {}): Promise<EventsPage> {
    return this.call(
      {
        method: 'GET',
        url: this.url(`/conversations/${encodeURIComponent(conversation.id)}/messages`, { after, token: conversation.token }),
        headers: bearer(conversation.token),
        schema: EventsPageSchema,
      },
      options,
    );
  }

  async typing(conversation: ConversationRef, typing: boolean, options: CallOptions = {}): Promise<void> {
    await this.call(
      {
        method: 'POST',
        url: this.url(`/conversations/${encodeURIComponent(conversation.id)}/typing`),
        body: { typing },
        headers: bearer(conversation.token),
      },
      options,
    );
  }

  async read(conversation: ConversationRef, upTo: number, options: CallOptions = {}): Promise<void> {
    await this.call(
      {
        method: 'POST',
        url: this.url(`/conversations/${encodeURIComponent(conversation.id)}/read`),
        body: { upTo },
        headers: bearer(conversation.token),
      },
      options,
    );
  }

  /** Multipart upload through XMLHttpRequest, the one browser API that reports upload progress. */
  upload(file: Blob & { name?: string }, options: UploadOptions = {}): Promise<Attachment> {
    return new Promise<Attachment>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new IntakeError('aborted', 'The upload was cancelled'));
        return;
      }
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.url('/attachments', { site: this.options.site }));
      xhr.withCredentials = false;
      xhr.timeout = options.timeoutMs ?? this.options.uploadTimeoutMs ?? 120_000;
      xhr.setRequestHeader('Accept', 'application/json');
      const onAbort = (): void => xhr.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => options.signal?.removeEventListener('abort', onAbort);
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) options.onProgress?.(event.loaded, event.total);
      };
      xhr.onload = () => {
        settle();
        const headers = parseXhrHeaders(xhr.getAllResponseHeaders());
        const response = { headers, status: xhr.status, statusText: xhr.statusText };
        const text = typeof xhr.responseText === 'string' ? xhr.responseText : '';
        try {
          if (xhr.status < 200 || xhr.status >= 300) throw errorFromResponse(response, text);
          resolve(parseBody(response, text, AttachmentSchema));
        } catch (error) {
          reject(error);
        }
      };
      xhr.onerror = () => {
        settle();
        reject(new IntakeError(navigator.onLine === false ? 'offline' : 'network', 'The upload did not reach the server'));
      };
      xhr.ontimeout = () => {
        settle();
        reject(new IntakeError('timeout', 'The upload took too long'));
      };
      xhr.onabort = () => {
        settle();
        reject(new IntakeError('aborted', 'The upload was cancelled'));
      };
      const form = new FormData();
      form.append('file', file, file.name ?? 'file');
      xhr.send(form);
    });
  }

  private scope(): Record<string, string> {
    return { site: this.options.site, locale: this.options.locale };
  }

  private async call<T>(req: Omit<HttpRequest<T>, 'timeoutMs'>, options: CallOptions): Promise<T> {
    const response = await httpJson<T>({
      ...req,
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
      signal: options.signal,
      keepalive: options.keepalive,
    });
    return response.data;
  }
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

function authHeaders(auth: RequestAuth): Record<string, string> {
  if (auth.accessToken) return bearer(auth.accessToken);
  if (auth.contact) return { 'X-Intake-Contact': auth.contact };
  return {};
}

function parseXhrHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const at = line.indexOf(':');
    if (at > 0) {
      try {
        headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      } catch {
        // A header name the Headers class refuses: not one we read.
      }
    }
  }
  return headers;
}
