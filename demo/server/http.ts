/** HTTP plumbing: the error shape, bounded body reading, validation, tokens, rate limits. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import * as v from 'valibot';
import type { ErrorCode } from '../../src/client/protocol.js';
import { issuesToFields } from '../../src/client/protocol.js';

export const JSON_LIMIT = 64 * 1024;

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  server_error: 500,
  unavailable: 503,
};

/** Thrown anywhere in a handler; turned into `{"error": …}` with the matching status. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export function errorResponse(err: HttpError): Response {
  const body = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } };
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (err.retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfter)));
  return new Response(JSON.stringify(body), { status: err.status, headers });
}

export const notFound = (what: string) => new HttpError('not_found', `${what} not found`);

/** Reads a body of at most `limit` bytes; 413 past it (checked on the header and while reading). */
export async function readBody(c: Context, limit: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError('payload_too_large', `Body larger than ${limit} bytes`);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new HttpError('payload_too_large', `Body larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** A JSON body: 415 unless `application/json`, 413 past 64 KiB, 400 when malformed. Empty → {}. */
export async function readJson(c: Context, { allowEmpty = false } = {}): Promise<{ value: unknown; raw: string }> {
  const type = c.req.header('content-type') ?? '';
  const declared = Number(c.req.header('content-length') ?? NaN);
  const emptyDeclared = declared === 0 || (!c.req.raw.body && !type);
  if (allowEmpty && emptyDeclared) return { value: {}, raw: '' };
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new HttpError('unsupported_media_type', 'Send the body as application/json');
  }
  const bytes = await readBody(c, JSON_LIMIT);
  const raw = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (!raw.trim()) {
    if (allowEmpty) return { value: {}, raw: '' };
    throw new HttpError('bad_request', 'The body is empty');
  }
  try {
    return { value: JSON.parse(raw) as unknown, raw };
  } catch {
    throw new HttpError('bad_request', 'The body is not valid JSON');
  }
}

/** Validates with a protocol schema: 400 when not an object, 422 with `fields` otherwise. */
export function validate<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError('bad_request', 'The body must be a JSON object');
  }
  const result = v.safeParse(schema, value);
  if (!result.success) throw new HttpError('validation_failed', 'Some fields are not valid', issuesToFields(result.issues));
  return result.output;
}

export async function jsonBody<S extends v.GenericSchema>(c: Context, schema: S, options?: { allowEmpty?: boolean }) {
  const { value, raw } = await readJson(c, options);
  return { body: validate(schema, value), raw, value };
}

export const newToken = () => randomBytes(24).toString('base64url');
export const newId = () => randomBytes(12).toString('hex');
export const sha256 = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(sha256(a));
  const y = Buffer.from(sha256(b));
  return timingSafeEqual(x, y) && a.length === b.length;
}

export function bearer(c: Context): string | null {
  const header = c.req.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1]! : null;
}

/** JSON with sorted keys, so the same body hashes the same whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v2]) => v2 !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v2]) => `${JSON.stringify(k)}:${canonicalJson(v2)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/* ---------------------------------------------------------------- rate limits */

export interface RateLimitOptions {
  /** Length of the window, ms (default 60 000). */
  windowMs?: number;
  /** Writes (POST) per client address and site per window (default 120). */
  writes?: number;
  /** Reads (GET) per client address and site per window (default 1200). */
  reads?: number;
  /**
   * Keep the counters in the database so every process sharing it counts together. Default: on
   * for PostgreSQL (several processes may share it), off for PGlite (one process, memory is faster).
   */
  shared?: boolean;
}

/** Where the counters live when they are shared: the `rate_limits` table. */
export interface CounterStore {
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Fixed windows per (client address, site, read/write), each starting at the key's first hit: in
 * memory per process, or in the database (one upserted row per key) when shared. The database key
 * is a hash, so no client address is stored.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly windowMs: number;
  private readonly writes: number;
  private readonly reads: number;
  private sweepAt = 0;

  constructor(
    options: RateLimitOptions | false | undefined,
    private readonly store: CounterStore | null = null,
  ) {
    this.windowMs = options === false ? 0 : options?.windowMs ?? 60_000;
    this.writes = options === false ? Infinity : options?.writes ?? 120;
    this.reads = options === false ? Infinity : options?.reads ?? 1200;
  }

  get shared(): boolean {
    return this.store !== null;
  }

  /** Counts one hit; throws 429 with Retry-After when over the limit. */
  async hit(address: string, site: string, kind: 'read' | 'write'): Promise<void> {
    const max = kind === 'write' ? this.writes : this.reads;
    if (max === Infinity) return;
    const key = `${kind}\u0000${address}\u0000${site}`;
    const { count, waitMs } = this.store ? await this.countShared(this.store, key) : this.countHere(key);
    if (count > max) throw new HttpError('rate_limited', 'Too many requests; try again later', undefined, waitMs / 1000);
  }

  private countHere(key: string): { count: number; waitMs: number } {
    const now = Date.now();
    if (now > this.sweepAt) {
      for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
      this.sweepAt = now + this.windowMs;
    }
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, waitMs: w.start + this.windowMs - now };
  }

  private async countShared(store: CounterStore, key: string): Promise<{ count: number; waitMs: number }> {
    // A window starts at a key's first hit (as in memory), on the database clock.
    const rows = await store.query<{ count: number; wait_ms: string | number }>(
      `INSERT INTO rate_limits AS r (key, window_start, count)
       VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN r.window_start + $2::bigint <= excluded.window_start THEN 1 ELSE r.count + 1 END,
         window_start = CASE WHEN r.window_start + $2::bigint <= excluded.window_start THEN excluded.window_start ELSE r.window_start END
       RETURNING r.count, r.window_start + $2::bigint - (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS wait_ms`,
      [sha256(key), this.windowMs],
    );
    const now = Date.now();
    if (now > this.sweepAt) {
      this.sweepAt = now + this.windowMs;
      // Old windows are never read again; dropping them is best effort.
      void store.query(
        'DELETE FROM rate_limits WHERE window_start < (extract(epoch FROM clock_timestamp()) * 1000)::bigint - $1::bigint',
        [this.windowMs],
      ).catch(() => undefined);
    }
    return { count: Number(rows[0]?.count ?? 0), waitMs: Number(rows[0]?.wait_ms ?? this.windowMs) };
  }
}
