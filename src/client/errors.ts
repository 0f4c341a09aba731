/**
 * The one error type the client throws. Every failure — a refused request, a dropped connection,
 * a malformed answer — becomes an `IntakeError` with a `code`, so components can react to the
 * code and never to the shape of an exception.
 */
import { ERROR_CODES, type ErrorCode } from './protocol.js';

/** Failures that happen on this side of the wire, before or instead of a server answer. */
export const CLIENT_ERROR_CODES = [
  'network', // no answer: connection refused, reset, DNS, CORS
  'timeout', // no answer within the call's timeout
  'offline', // the browser says it is offline; nothing was tried
  'invalid_response', // an answer that is not the JSON the protocol promises
  'aborted', // the caller (or a newer call, or `close()`) cancelled it
  'unsupported', // the transport or backend cannot do this (e.g. chat over Open311)
] as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** A protocol error code, a client-side code, or a code a newer server added. */
export type IntakeErrorCode = ErrorCode | ClientErrorCode | (string & {});

export interface IntakeErrorInit {
  /** HTTP status, when the server answered. */
  status?: number;
  /** Field errors of a 422, keyed by dotted field path (`contact.email`). */
  fields?: Record<string, string>;
  /** Seconds the server asked us to wait (`Retry-After`). */
  retryAfter?: number;
  cause?: unknown;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'unavailable',
};

/** A typed client error: switch on `code`, show `fields` next to form inputs. */
export class IntakeError extends Error {
  /** What went wrong, as a stable code. */
  readonly code: IntakeErrorCode;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** Field errors (422), keyed by dotted field path. */
  readonly fields?: Record<string, string>;
  /** Seconds the server asked us to wait before another try. */
  readonly retryAfter?: number;

  constructor(code: IntakeErrorCode, message: string, init: IntakeErrorInit = {}) {
    super(message);
    this.name = 'IntakeError';
    this.code = code;
    if (init.status !== undefined) this.status = init.status;
    if (init.fields) this.fields = init.fields;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
    if (init.cause !== undefined) (this as { cause?: unknown }).cause = init.cause;
  }

  /**
   * Whether another try with the same key may succeed: network trouble, timeouts, an answer we
   * could not read, 408, 429 and 5xx. Never a validation or other 4xx refusal.
   */
  get retryable(): boolean {
    if (this.code === 'network' || this.code === 'timeout' || this.code === 'offline' || this.code === 'invalid_response') {
      return true;
    }
    const s = this.status;
    return s === 408 || s === 429 || (s !== undefined && s >= 500);
  }

  /** A plain object for storage and BroadcastChannel (errors do not survive structured clone well). */
  toJSON(): { code: string; message: string; status?: number; fields?: Record<string, string>; retryAfter?: number } {
    return { code: this.code, message: this.message, status: this.status, fields: this.fields, retryAfter: this.retryAfter };
  }

  /** Rebuilds an error saved with `toJSON()`. */
  static fromJSON(json: { code: string; message: string; status?: number; fields?: Record<string, string>; retryAfter?: number }): IntakeError {
    return new IntakeError(json.code, json.message, { status: json.status, fields: json.fields, retryAfter: json.retryAfter });
  }
}

/** The protocol code for an HTTP status when the body did not name one. */
export function codeForStatus(status: number): ErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 ? 'server_error' : 'bad_request');
}

/** True for a code the protocol defines (as opposed to a client-side one). */
export function isProtocolCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/** Wraps anything thrown into an IntakeError (unknown exceptions become `network`). */
export function toIntakeError(error: unknown): IntakeError {
  if (error instanceof IntakeError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') return new IntakeError('aborted', 'The call was cancelled', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new IntakeError('network', message || 'Network error', { cause: error });
}
