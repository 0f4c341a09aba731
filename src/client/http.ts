/**
 * The one place that calls `fetch`: no cookies, a timeout per call, a size guard, content-type
 * checks and schema validation. Whatever the server or the network does, the caller gets either
 * parsed data or an `IntakeError` — never a raw exception, never unchecked data.
 */
import * as v from 'valibot';
import { ErrorBodySchema } from './protocol.js';
import { IntakeError, codeForStatus, toIntakeError } from './errors.js';
import { parseRetryAfter } from './retry.js';

/** Largest JSON answer the client reads (1 MiB); a catalogue is a few dozen KiB. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

export interface HttpRequest<T> {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Validates a 2xx answer; omit when the answer has no body (204). */
  schema?: v.GenericSchema<unknown, T>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Let the call outlive the page (`pagehide`); the body must be small. */
  keepalive?: boolean;
  /** `no-cache`: the browser keeps the answer and revalidates it (ETag → 304); default `no-store`. */
  cache?: RequestCache;
  /** The caller sent a validator (If-None-Match): a 304 is an answer (`status` 304, no data), not an error. */
  conditional?: boolean;
  maxBytes?: number;
}

export interface HttpResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** Performs one call; resolves with validated data or rejects with an IntakeError. */
export async function httpJson<T>(req: HttpRequest<T>): Promise<HttpResponse<T>> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  const onAbort = (): void => controller.abort();
  if (req.signal?.aborted) {
    clearTimeout(timer);
    throw new IntakeError('aborted', 'The call was cancelled');
  }
  req.signal?.addEventListener('abort', onAbort, { once: true });

  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (req.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(req.body);
  }

  try {
    let response: Response;
    try {
      response = await fetch(req.url, {
        method: req.method,
        headers,
        body,
        credentials: 'omit',
        mode: 'cors',
        cache: req.cache ?? 'no-store',
        redirect: 'follow',
        keepalive: req.keepalive ?? false,
        signal: controller.signal,
      });
    } catch (error) {
      throw failure(error, timedOut, req.signal);
    }

    let text: string;
    try {
      text = await readLimited(response, req.maxBytes ?? DEFAULT_MAX_BYTES);
    } catch (error) {
      if (error instanceof IntakeError) throw error;
      throw failure(error, timedOut, req.signal);
    }

    if (response.status === 304 && req.conditional) return { status: 304, data: undefined as T, headers: response.headers };
    if (!response.ok) throw errorFromResponse(response, text);

    if (!req.schema) return { status: response.status, data: undefined as T, headers: response.headers };
    return { status: response.status, data: parseBody(response, text, req.schema), headers: response.headers };
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
}

/** Validates a JSON text against a schema (shared with the upload path). */
export function parseBody<T>(response: { headers: Headers; status: number }, text: string, schema: v.GenericSchema<unknown, T>): T {
  const type = response.headers.get('content-type') ?? '';
  if (!JSON_TYPE.test(type)) {
    throw new IntakeError('invalid_response', `Expected JSON, got ${type || 'no content type'}`, { status: response.status });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new IntakeError('invalid_response', 'The answer is not valid JSON', { status: response.status, cause });
  }
  const result = v.safeParse(schema, json);
  if (!result.success) {
    const first = result.issues[0];
    const where = first ? (v.getDotPath(first) ?? '') : '';
    throw new IntakeError('invalid_response', `The answer does not match the protocol${where ? ` at ${where}` : ''}`, {
      status: response.status,
    });
  }
  return result.output;
}

/** Builds the IntakeError for a non-2xx answer, reading `{"error": …}` when the body is one. */
export function errorFromResponse(response: { headers: Headers; status: number; statusText?: string }, text: string): IntakeError {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const type = response.headers.get('content-type') ?? '';
  if (JSON_TYPE.test(type)) {
    try {
      const parsed = v.safeParse(ErrorBodySchema, JSON.parse(text));
      if (parsed.success) {
        const { code, message, fields } = parsed.output.error;
        return new IntakeError(code, message, { status: response.status, fields, retryAfter });
      }
    } catch {
      // Not JSON after all: fall through to a code from the status.
    }
  }
  return new IntakeError(codeForStatus(response.status), `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, {
    status: response.status,
    retryAfter,
  });
}

function failure(error: unknown, timedOut: boolean, signal?: AbortSignal): IntakeError {
  if (timedOut) return new IntakeError('timeout', 'The server did not answer in time', { cause: error });
  if (signal?.aborted) return new IntakeError('aborted', 'The call was cancelled', { cause: error });
  if (typeof navigator !== 'undefined' && navigator.onLine === false) {
    return new IntakeError('offline', 'The device is offline', { cause: error });
  }
  const wrapped = toIntakeError(error);
  return wrapped.code === 'aborted' ? new IntakeError('network', wrapped.message, { cause: error }) : wrapped;
}

/** Reads the body as text, giving up (and cancelling the download) past `maxBytes`. */
async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = (): IntakeError =>
    new IntakeError('invalid_response', `The answer is larger than ${maxBytes} bytes`, { status: response.status });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
