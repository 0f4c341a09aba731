/**
 * The baseline for the reference server's figures: a bare node:http server doing the least the
 * same work needs — SSE fan-out of posted messages to every stream of a conversation, and a POST
 * that parses JSON and answers 201 — measured exactly as bench/server.ts measures the real one
 * (same counts, same one-process client) and printing the same lines.
 * Run: `node --import tsx bench/server-baseline.ts`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const STREAMS = env('STREAMS', 1000);
const PER_CONVERSATION = env('PER_CONVERSATION', 10);
const MESSAGES = env('MESSAGES', 200);
const REQUESTS = env('REQUESTS', 500);
const WARM_UP = env('WARM_UP', 100);
const CONCURRENCY = env('CONCURRENCY', 20);

// The catalogue's text (bench/server-figures.ts passes the reference server's own), served as kept text.
const CATALOG = process.env.BASELINE_CATALOG_FILE ? readFileSync(process.env.BASELINE_CATALOG_FILE, 'utf8') : '{}';
const CATALOG_ETAG = '"1-baseline"';
const streams = new Map<string, Set<ServerResponse>>();
let seq = 0;
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const parts = url.pathname.replace(/^\/api\/v1/, '').split('/').filter(Boolean);
  if (req.method === 'GET' && parts[0] === 'conversations' && parts[2] === 'events') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write(': open\n\n');
    let set = streams.get(parts[1]!);
    if (!set) streams.set(parts[1]!, (set = new Set()));
    set.add(res);
    req.on('close', () => set!.delete(res));
    return;
  }
  if (req.method === 'GET' && parts[0] === 'catalog') {
    if (req.headers['if-none-match'] === CATALOG_ETAG) return void res.writeHead(304, { etag: CATALOG_ETAG, 'cache-control': 'no-cache' }).end();
    res.writeHead(200, { 'content-type': 'application/json', etag: CATALOG_ETAG, 'cache-control': 'no-cache' }).end(CATALOG);
    return;
  }
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk));
  req.on('end', () => {
    const data = JSON.parse(body || '{}') as { clientId?: string; text?: string };
    if (parts[0] === 'conversations' && parts[2] === 'messages') {
      const message = { id: `m-${++seq}`, seq, clientId: data.clientId, author: 'resident', text: data.text, at: new Date().toISOString() };
      const event = `id: ${seq}\nevent: message\ndata: ${JSON.stringify({ type: 'message', seq, message })}\n\n`;
      for (const stream of streams.get(parts[1]!) ?? []) stream.write(event);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(message));
      return;
    }
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: randomBytes(8).toString('hex'), reference: `GC-${++seq}`, status: 'routed' }));
  });
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
if (process.env.BASELINE_TARGET === '1') {
  // A target for bench/server-figures.ts's autocannon runs: prints its address and stays up.
  console.log(JSON.stringify({ api, staffToken: '' }));
  await new Promise(() => undefined);
}
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const conversations = Array.from({ length: Math.ceil(STREAMS / PER_CONVERSATION) }, (_, i) => `c${i}`);
const waiting = new Map<string, { sentAt: number; left: number; done: () => void }>();
const latencies: number[] = [];
const aborts: AbortController[] = [];
let open = 0;

async function listen(conv: string): Promise<void> {
  const abort = new AbortController();
  aborts.push(abort);
  const res = await fetch(`${api}/conversations/${conv}/events`, { signal: abort.signal });
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
  await fetch(`${api}/conversations/${conv}/messages`, json({ clientId, text: `message ${m}` }));
  await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  waiting.delete(clientId);
}
latencies.sort((a, b) => a - b);
console.log(`SSE delivery over ${latencies.length} deliveries: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
for (const a of aborts) a.abort();

// Warm-up, not counted, the same for the server and its baseline: the first requests of a process
// compile the code paths and (reference server) build the ranking's indexes, and 500 requests
// are too few for that to wash out; the figure is the steady rate.
let warming = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (warming < WARM_UP) {
      warming++;
      await (await fetch(`${api}/requests`, json({ site: 'x', service: 'noise', type: 'complaint', description: 'bench' }))).arrayBuffer();
    }
  }),
);
let next = 0;
let failed = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      next++;
      const res = await fetch(`${api}/requests`, json({ site: 'x', service: 'noise', type: 'complaint', description: 'bench' }));
      if (res.status !== 201) failed++;
      await res.arrayBuffer();
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
console.log(`POST /requests: ${REQUESTS} in ${seconds.toFixed(2)} s → ${(REQUESTS / seconds).toFixed(0)} requests/s (${failed} failed, ${CONCURRENCY} in flight)`);
server.closeAllConnections();
server.close();
process.exit(0);
