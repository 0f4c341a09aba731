/**
 * Backoff for the outbox and the event stream: exponential with full jitter (AWS's "full jitter":
 * a uniform wait between 0 and min(cap, base·2^attempt)), honouring the server's `Retry-After`.
 */

export interface RetryOptions {
  /** First backoff step in milliseconds (default 1 000). */
  baseMs?: number;
  /** Longest wait in milliseconds (default 300 000, five minutes); also caps `Retry-After`. */
  capMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { baseMs: 1000, capMs: 5 * 60 * 1000 };

/**
 * Milliseconds to wait before try number `attempt + 1` (attempt counts failed tries, from 1).
 * A `Retry-After` (seconds) is a floor — but never beyond the cap, so a server cannot park an
 * item for longer than five minutes.
 */
export function backoffDelay(
  attempt: number,
  options: RetryOptions = {},
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? DEFAULT_RETRY.baseMs;
  const cap = options.capMs ?? DEFAULT_RETRY.capMs;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const jittered = Math.floor(random() * ceiling);
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0) {
    return Math.min(cap, Math.max(jittered, retryAfterSeconds * 1000));
  }
  return jittered;
}

/** Parses `Retry-After`: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
