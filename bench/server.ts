/**
 * Reference server benchmark (not a test): `node --import tsx bench/server.ts`.
 * - STREAMS (1000) concurrent SSE streams on loopback, PER_CONVERSATION (10) per conversation;
 *   MESSAGES (200) staff replies posted one after another; p50/p99 of the time from POST to arrival
 *   on every stream of that conversation.
 * - REQUESTS (500) `POST /requests` with CONCURRENCY (20) in flight, after WARM_UP (100) not counted: requests per second.
 * Storage: PGlite in memory, or PostgreSQL when DATABASE_URL is set (a throwaway schema).
 * Client and server share one process and event loop, so the figures are conservative.
 */
import { randomBytes } from 'node:crypto';
import { dropSchema, statementStats } from '../demo/server/storage/db.js';
import { startServer } from '../demo/server/server.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const STREAMS = env('STREAMS', 1000);
const PER_CONVERSATION = env('PER_CONVERSATION', 10);
const MESSAGES = env('MESSAGES', 200);
const REQUESTS = env('REQUESTS', 500);
const WARM_UP = env('WARM_UP', 100);
const CONCURRENCY = env('CONCURRENCY', 20);
const SITE = 'riverside/xinhua/garden';

const schema = process.env.DATABASE_URL ? `bench_${randomBytes(4).toString('hex')}` : undefined;
const server = await startServer({
  quiet: true,
  rateLimit: false,
  databaseUrl: process.env.DATABASE_URL || undefined,
  databaseSchema: schema,
});
const api = server.apiBase;
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/* ---------------------------------------------------------------- SSE fan-out */

const conversations: { id: string; token: string }[] = [];
for (let i = 0; i < Math.ceil(STREAMS / PER_CONVERSATION); i++) {
  conversations.push((await (await fetch(`${api}/conversations`, json({ site: SITE }, { 'idempotency-key': randomBytes(8).toString('hex') }))).json()) as { id: string; token: string });
}

const waiting = new Map<string, { sentAt: number; left: number; done: () => void }>();
const latencies: number[] = [];
const aborts: AbortController[] = [];
let open = 0;

async function listen(conv: { id: string; token: string }): Promise<void> {
  const abort = new AbortController();
  aborts.push(abort);
  const res = await fetch(`${api}/conversations/${conv.id}/events?token=${conv.token}`, { signal: abort.signal });
  open++;
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
          const data = block.split('\n').find((l) => l.startsWith('data:'));
          if (!data || !block.includes('event: message')) continue;
          const event = JSON.parse(data.slice(5)) as { message: { clientId?: string | null } };
          const wait = event.message.clientId ? waiting.get(event.message.clientId) : undefined;
          if (!wait) continue;
          latencies.push(performance.now() - wait.sentAt);
          if (--wait.left === 0) wait.done();
        }
      }
    } catch {
      /* aborted */
    }
  })();
}

const started = performance.now();
await Promise.all(Array.from({ length: STREAMS }, (_, i) => listen(conversations[i % conversations.length]!)));
console.log(`${open} SSE streams open in ${Math.round(performance.now() - started)} ms`);

for (let m = 0; m < MESSAGES; m++) {
  const conv = conversations[m % conversations.length]!;
  const clientId = `bench-${m}-${randomBytes(4).toString('hex')}`;
  const listeners = Math.floor(STREAMS / conversations.length) + (m % conversations.length < STREAMS % conversations.length ? 1 : 0);
  const arrived = new Promise<void>((resolve) => waiting.set(clientId, { sentAt: performance.now(), left: listeners, done: resolve }));
  // A staff reply (the dispatcher's pre-issued token), as the issue measures it.
  await fetch(`${api}/staff/conversations/${conv.id}/messages`, json({ clientId, text: `message ${m}` }, { authorization: `Bearer ${server.staffToken}` }));
  await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  waiting.delete(clientId);
}
latencies.sort((a, b) => a - b);
console.log(`SSE delivery over ${latencies.length} deliveries: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
for (const a of aborts) a.abort();

/* ---------------------------------------------------------------- POST /requests */

const body = {
  site: SITE,
  service: 'noise',
  type: 'complaint',
  description: 'bench',
  fields: { source: 'construction', occurred_at: '2026-11-27T23:00', location: { address: 'x' } },
  consent: { version: '2026-01', given: true },
};
// Warm-up, not counted, the same for the server and its baseline: the first requests of a process
// compile the code paths and (reference server) build the ranking's indexes, and 500 requests
// are too few for that to wash out; the figure is the steady rate.
let warming = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (warming < WARM_UP) {
      warming++;
      await (await fetch(`${api}/requests`, json(body, { 'idempotency-key': randomBytes(8).toString('hex') }))).arrayBuffer();
    }
  }),
);
let next = 0;
let failed = 0;
const statementsBefore = statementStats.count;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      next++;
      const res = await fetch(`${api}/requests`, json(body, { 'idempotency-key': randomBytes(8).toString('hex') }));
      if (res.status !== 201) failed++;
      await res.arrayBuffer();
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
console.log(`POST /requests: ${REQUESTS} in ${seconds.toFixed(2)} s → ${(REQUESTS / seconds).toFixed(0)} requests/s (${failed} failed, ${CONCURRENCY} in flight)`);
// Every statement this process sent while the requests ran (BEGIN/COMMIT included), per request.
console.log(`POST /requests statements: ${((statementStats.count - statementsBefore) / REQUESTS).toFixed(2)} per request (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`);

await server.close();
if (schema && process.env.DATABASE_URL) await dropSchema(process.env.DATABASE_URL, schema);
process.exit(0);
