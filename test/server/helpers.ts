/**
 * Shared helpers for the server tests: the storage configurations to run (PGlite always, PostgreSQL
 * too when DATABASE_URL is set, in a fresh schema per run), a JSON fetch and an SSE reader.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dropSchema } from '../../demo/server/storage/db.js';
import { startServer, type RunningServer, type ServerOptions } from '../../demo/server/server.js';

export interface StorageConfig {
  name: string;
  /** Options that pick the storage; tests add their own. */
  options: ServerOptions;
  /** Drops what the run made (the PostgreSQL schema). */
  cleanup(): Promise<void>;
}

/** PGlite in memory always; PostgreSQL (a new schema) when DATABASE_URL is set. */
export function storageConfigs(): StorageConfig[] {
  const configs: StorageConfig[] = [{ name: 'PGlite', options: { dataDir: 'memory://' }, cleanup: async () => undefined }];
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    configs.push({
      name: 'PostgreSQL',
      options: { databaseUrl: url, databaseSchema: schema },
      cleanup: () => dropSchema(url, schema),
    });
  }
  return configs;
}

export async function start(config: StorageConfig, extra: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ quiet: true, rateLimit: false, allowedOrigins: ['http://allowed.test'], ...config.options, ...extra });
}

export interface JsonAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch + JSON: a plain object body is sent as JSON; the answer's body is parsed when it is JSON. */
export async function call<T = any>(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; raw?: BodyInit; noKey?: boolean } = {},
): Promise<JsonAnswer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  // The protocol requires a key on the calls that create something; each call gets a fresh one unless given.
  if (!init.noKey && !Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key')) headers['idempotency-key'] = uniqueKey('auto');
  let body: BodyInit | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Signs a demo account in (`demo-<login>`, servers started with `demoAccounts`) and returns its staff token. */
export async function staffToken(api: string, login = 'admin'): Promise<string> {
  const res = await call(api, '/staff/session', { body: { login, password: `demo-${login}` } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token as string;
}

export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

export interface SseReader {
  status: number;
  headers: Headers;
  events: SseEvent[];
  comments: string[];
  retry: number | null;
  /** Waits until `predicate` holds for the events received so far. */
  until(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number, what?: string): Promise<SseEvent[]>;
  untilComment(text: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens an SSE stream with fetch and parses it as it arrives. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const reader: SseReader = {
    status: res.status,
    headers: res.headers,
    events: [],
    comments: [],
    retry: null,
    until: (predicate, timeoutMs = 20_000, what = 'events') => waitFor(() => (predicate(reader.events) ? reader.events : null), timeoutMs, what),
    untilComment: async (text, timeoutMs = 20_000) => {
      await waitFor(() => (reader.comments.includes(text) ? true : null), timeoutMs, `comment ${text}`);
    },
    close: () => abort.abort(),
  };
  if (!res.ok || !res.body) {
    abort.abort();
    return reader;
  }
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          let data = '';
          let id: string | undefined;
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) reader.comments.push(line.slice(1).trim());
            else if (line.startsWith('retry:')) reader.retry = Number(line.slice(6).trim());
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('data:')) {
              data += line.slice(5).trim();
              hasData = true;
            }
          }
          if (hasData) reader.events.push({ id, event, data: JSON.parse(data) });
        }
      }
    } catch {
      /* closed */
    }
  })();
  return reader;
}

/** Polls `check` until it returns something other than null (conditions, not sleeps). */
export async function waitFor<T>(check: () => T | null | Promise<T | null>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const GARDEN = 'riverside/xinhua/garden';
export const LAKESIDE = 'riverside/heping/lakeside';

/** A valid request body for the noise service. */
export function noiseRequest(overrides: Record<string, unknown> = {}) {
  return {
    site: GARDEN,
    service: 'noise',
    type: 'complaint',
    description: '工地夜里十一点还在施工',
    fields: { source: 'construction', occurred_at: '2026-11-27T23:00', location: { address: '新华路12号' } },
    contact: { name: '王女士', phone: '13800000000', email: 'wang@example.com', preferred: 'phone' },
    consent: { version: '2026-01', given: true },
    locale: 'zh-CN',
    page: { url: 'https://garden.example.gov/notices', title: '社区公告' },
    ...overrides,
  };
}

let counter = 0;
export const uniqueKey = (prefix = 'key') => `${prefix}-${Date.now().toString(36)}-${++counter}-${randomBytes(3).toString('hex')}`;
