/** HTTP plumbing: the error shape, bounded body reading, validation, tokens, rate limits. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import * as v from 'valibot';
import type { ErrorCode } from '../../src/client/protocol.js';
import { issuesToFields } from '../../src/client/protocol.js';
import { pickLocale, type Locale } from './catalogue/catalog.js';
import { M, say, sayAgain } from './messages.js';
import { matchHeader } from './catalogue/locales.js';

export const JSON_LIMIT = 64 * 1024;

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  conversation_closed: 409,
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

/**
 * The error as JSON; with `locale`, a protocol or staff-room refusal written in English, and each
 * field problem written so, is said in it (messages.ts sayAgain).
 */
export function errorResponse(err: HttpError, locale?: Locale): Response {
  const message = locale ? sayAgain(err.message, locale) : err.message;
  const fields = err.fields && locale ? Object.fromEntries(Object.entries(err.fields).map(([k, m]) => [k, sayAgain(m, locale)])) : err.fields;
  const body = { error: { code: err.code, message, ...(fields ? { fields } : {}) } };
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (err.retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfter)));
  return new Response(JSON.stringify(body), { status: err.status, headers });
}

export const notFound = (what: string) => new HttpError('not_found', `${what} not found`);

/** Seconds a client is told to wait while the database is away (a restart takes a few). */
export const UNAVAILABLE_RETRY_AFTER = 3;

/** 503 for a database that cannot be reached just now: the client retries later with the same key. */
export const databaseAway = () =>
  new HttpError('unavailable', 'The service is briefly unavailable; please try again shortly', undefined, UNAVAILABLE_RETRY_AFTER);

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
  // Counted on the text, before anything (JSON.parse, hashing, validation) recurses into it.
  if (jsonDepth(raw) > JSON_DEPTH_MAX) {
    throw new HttpError('bad_request', `The body is nested too deep (at most ${JSON_DEPTH_MAX} levels of arrays and objects)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw) as unknown;
  } catch {
    throw new HttpError('bad_request', 'The body is not valid JSON');
  }
  const bad = unstorablePath(value);
  if (bad !== null) throw unstorable(bad, localeHint(c, value));
  return { value, raw };
}

/** Deepest nesting of arrays and objects a JSON body may have (real bodies use 4). */
export const JSON_DEPTH_MAX = 32;

/** The nesting depth of JSON text: its brackets outside strings, counted in one pass. */
export function jsonDepth(raw: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // a backslash escapes the next character (\" stays in the string)
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) max = Math.max(max, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return max;
}

/** Text PostgreSQL cannot store: U+0000 anywhere, or a UTF-16 surrogate without its other half. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isUnstorable = (text: string) => UNSTORABLE.test(text);

/** The dotted path of the first string (value or key) in `value` that cannot be stored; null when none. */
export function unstorablePath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (UNSTORABLE.test(item)) return path;
    } else if (Array.isArray(item)) {
      item.forEach((x, i) => stack.push([x, path ? `${path}.${i}` : String(i)]));
    } else if (item && typeof item === 'object') {
      for (const [key, x] of Object.entries(item)) {
        const at = path ? `${path}.${key}` : key;
        if (UNSTORABLE.test(key)) return at.replace(/[\u0000\ud800-\udfff]/g, '\ufffd');
        stack.push([x, at]);
      }
    }
  }
  return null;
}

/** 422 naming the field (a body path or a query parameter) that holds unstorable text. */
export function unstorable(field: string | null, locale: Locale): HttpError {
  const message = say(locale, M.unstorable);
  const fieldMessage = say(locale, M.unstorableField);
  return new HttpError('validation_failed', message, field === null ? undefined : { [field || 'body']: fieldMessage });
}

/**
 * The locale the caller named, if any (the body's `locale`, `?locale=`, Accept-Language): the
 * protocol's own refusals are said in it, and stay in English when nothing was asked.
 */
export function askedLocale(c: Context, body?: unknown): Locale | undefined {
  const fromBody = body && typeof body === 'object' ? (body as { locale?: unknown }).locale : undefined;
  return (typeof fromBody === 'string' ? matchHeader(fromBody) : null) ?? matchHeader(c.req.query('locale')) ?? matchHeader(c.req.header('accept-language')) ?? undefined;
}

/** The language of a message written before validation: the body's `locale`, `?locale=`, or Accept-Language. */
export function localeHint(c: Context, body?: unknown): Locale {
  const fromBody = body && typeof body === 'object' ? (body as { locale?: unknown }).locale : undefined;
  return pickLocale(typeof fromBody === 'string' ? fromBody : new URL(c.req.url).searchParams.get('locale') ?? c.req.header('accept-language'));
}

/**
 * The URL's problem, if it has one: U+0000 (or, decoded, a broken surrogate) in the path or in a
 * query parameter. Checked once for every endpoint before any handler reads the URL.
 */
export function unstorableInUrl(url: string, locale: Locale): HttpError | null {
  const parsed = new URL(url);
  if (/%00/.test(parsed.pathname)) return unstorable(null, locale);
  for (const [name, value] of parsed.searchParams) {
    if (UNSTORABLE.test(name) || UNSTORABLE.test(value)) return unstorable(name.replace(/\u0000/g, '\ufffd'), locale);
  }
  return null;
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
  try {
    return { body: validate(schema, value), raw, value };
  } catch (err) {
    // The body's own `locale` (or the call's) says the refusal's language.
    const locale = err instanceof HttpError && err.code === 'validation_failed' ? askedLocale(c, value) : undefined;
    if (locale) throw new HttpError('validation_failed', say(locale, M.fieldsInvalid), (err as HttpError).fields);
    throw err;
  }
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
  /** Writes (every method but GET) per client address per window, all sites together (default 120). */
  writes?: number;
  /** Reads (GET) per client address per window, all sites together (default 1200). */
  reads?: number;
  /** Failed staff sign-ins per client address per `failureWindowMs`; past it every staff call is 429 (default 10). */
  staffFailures?: number;
  /** Failed lookups of a request by contact per client address per `failureWindowMs`; past it they are 429 (default 20). */
  lookupFailures?: number;
  /** Window for the failure budgets, ms (default 15 minutes). */
  failureWindowMs?: number;
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

/** What a failure budget counts: wrong staff tokens, or lookups whose contact or reference was wrong. */
export type FailureKind = 'staff' | 'lookup';

/**
 * Fixed windows per key, each starting at the key's first hit: in memory per process, or in the
 * database (one upserted row per key) when shared. The database key is a hash, so no client
 * address is stored. Two kinds of budget: every call of a client address (reads and writes apart,
 * all sites together, counted before anything is parsed), and failures (wrong staff tokens,
 * lookups that matched nothing), far fewer, in a longer window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly windowMs: number;
  private readonly writes: number;
  private readonly reads: number;
  private readonly failureWindowMs: number;
  private readonly failureMax: Record<FailureKind, number>;
  private sweepAt = 0;

  constructor(
    options: RateLimitOptions | false | undefined,
    private readonly store: CounterStore | null = null,
  ) {
    const off = options === false;
    this.windowMs = off ? 0 : options?.windowMs ?? 60_000;
    this.writes = off ? Infinity : options?.writes ?? 120;
    this.reads = off ? Infinity : options?.reads ?? 1200;
    this.failureWindowMs = off ? 0 : options?.failureWindowMs ?? 15 * 60_000;
    this.failureMax = {
      staff: off ? Infinity : options?.staffFailures ?? 10,
      lookup: off ? Infinity : options?.lookupFailures ?? 20,
    };
  }

  get shared(): boolean {
    return this.store !== null;
  }

  /** Counts one call of `address`; throws 429 with Retry-After when over its budget. */
  async hitAddress(address: string, kind: 'read' | 'write'): Promise<void> {
    const max = kind === 'write' ? this.writes : this.reads;
    if (max === Infinity) return;
    const { count, waitMs } = await this.count(`${kind}\u0000${address}`, this.windowMs, true);
    if (count > max) throw tooMany(waitMs);
  }

  /** 429 with Retry-After when `address` has used up its budget of `kind` failures (nothing counted). */
  async checkFailures(kind: FailureKind, address: string): Promise<void> {
    const max = this.failureMax[kind];
    if (max === Infinity) return;
    const { count, waitMs } = await this.count(`fail:${kind}\u0000${address}`, this.failureWindowMs, false);
    if (count >= max) throw tooMany(waitMs);
  }

  /** Counts one failure of `kind` for `address`. */
  async fail(kind: FailureKind, address: string): Promise<void> {
    if (this.failureMax[kind] === Infinity) return;
    await this.count(`fail:${kind}\u0000${address}`, this.failureWindowMs, true);
  }

  private count(key: string, windowMs: number, add: boolean): Promise<{ count: number; waitMs: number }> {
    return this.store ? this.countShared(this.store, key, windowMs, add) : Promise.resolve(this.countHere(key, windowMs, add));
  }

  /** The longest window: a row or entry older than that is never read again. */
  private get keepMs(): number {
    return Math.max(this.windowMs, this.failureWindowMs);
  }

  private countHere(key: string, windowMs: number, add: boolean): { count: number; waitMs: number } {
    const now = Date.now();
    if (now > this.sweepAt) {
      for (const [k, w] of this.windows) if (now - w.start >= this.keepMs) this.windows.delete(k);
      this.sweepAt = now + this.windowMs;
    }
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (!add) return { count: 0, waitMs: 0 };
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (add) w.count++;
    return { count: w.count, waitMs: w.start + windowMs - now };
  }

  private async countShared(store: CounterStore, key: string, windowMs: number, add: boolean): Promise<{ count: number; waitMs: number }> {
    const now = Date.now();
    if (now > this.sweepAt) {
      this.sweepAt = now + this.windowMs;
      // Old windows are never read again; dropping them is best effort.
      void store.query(
        'DELETE FROM rate_limits WHERE window_start < (extract(epoch FROM clock_timestamp()) * 1000)::bigint - $1::bigint',
        [this.keepMs],
      ).catch(() => undefined);
    }
    if (!add) {
      const rows = await store.query<{ count: number; wait_ms: string | number }>(
        `SELECT count, window_start + $2::bigint - (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS wait_ms
         FROM rate_limits WHERE key = $1`,
        [sha256(key), windowMs],
      );
      const waitMs = Number(rows[0]?.wait_ms ?? 0);
      return waitMs > 0 ? { count: Number(rows[0]!.count), waitMs } : { count: 0, waitMs: 0 };
    }
    // A window starts at a key's first hit (as in memory), on the database clock.
    const rows = await store.query<{ count: number; wait_ms: string | number }>(
      `INSERT INTO rate_limits AS r (key, window_start, count)
       VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN r.window_start + $2::bigint <= excluded.window_start THEN 1 ELSE r.count + 1 END,
         window_start = CASE WHEN r.window_start + $2::bigint <= excluded.window_start THEN excluded.window_start ELSE r.window_start END
       RETURNING r.count, r.window_start + $2::bigint - (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS wait_ms`,
      [sha256(key), windowMs],
    );
    return { count: Number(rows[0]?.count ?? 0), waitMs: Number(rows[0]?.wait_ms ?? windowMs) };
  }
}

const tooMany = (waitMs: number) => new HttpError('rate_limited', 'Too many requests; try again later', undefined, waitMs / 1000);
