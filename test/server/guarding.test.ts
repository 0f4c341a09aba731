import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, LAKESIDE, noiseRequest, start, storageConfigs } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`guarding (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    before(async () => {
      server = await start(config, { rateLimit: { windowMs: 60_000, writes: 3, reads: 1000 } });
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    const stillServing = async () => {
      const res = await call(api, `/catalog?site=${GARDEN}`);
      assert.equal(res.status, 200);
    };
    const errorShape = (body: unknown, code: string) => {
      const b = body as { error: { code: string; message: string } };
      assert.equal(b.error.code, code);
      assert.equal(typeof b.error.message, 'string');
      assert.doesNotMatch(JSON.stringify(b), /SELECT|INSERT|at .*\.ts:\d+|stack/i);
    };

    test('malformed JSON → 400 bad_request', async () => {
      const res = await call(api, '/requests', { raw: '{"site": ', headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 400);
      errorShape(res.body, 'bad_request');
      const array = await call(api, '/requests', { raw: '[1,2]', headers: { 'content-type': 'application/json' } });
      assert.equal(array.status, 400);
      await stillServing();
    });

    test('wrong types and missing fields → 422 with fields', async () => {
      const res = await call(api, '/conversations', { body: { site: 42, locale: ['en'] } });
      assert.equal(res.status, 422);
      errorShape(res.body, 'validation_failed');
      assert.ok(res.body.error.fields.site);
      const missing = await call(api, '/requests', { body: { site: GARDEN } });
      assert.equal(missing.status, 422);
      for (const field of ['service', 'type', 'description', 'consent']) assert.ok(missing.body.error.fields[field], field);
      const badContact = await call(api, '/requests', { body: noiseRequest({ contact: { email: 'not an email' } }) });
      assert.equal(badContact.status, 422);
      assert.ok(badContact.body.error.fields['contact.email']);
      await stillServing();
    });

    test('non-JSON content types → 415', async () => {
      const res = await call(api, '/conversations', { raw: 'site=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.status, 415);
      errorShape(res.body, 'unsupported_media_type');
      const none = await call(api, '/conversations', { raw: JSON.stringify({ site: GARDEN }), headers: { 'content-type': 'text/plain' } });
      assert.equal(none.status, 415);
    });

    test('bodies over 64 KiB → 413 (declared or streamed)', async () => {
      const big = JSON.stringify(noiseRequest({ description: 'x'.repeat(70 * 1024) }));
      const res = await call(api, '/requests', { raw: big, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 413);
      errorShape(res.body, 'payload_too_large');
      // Chunked: no Content-Length, the limit still holds while reading.
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      });
      const chunked = await fetch(`${api}/requests`, { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
      assert.equal(chunked.status, 413);
      await stillServing();
    });

    test('a description over the protocol limit → 422', async () => {
      const res = await call(api, '/requests', { body: noiseRequest({ description: '长'.repeat(4001) }) });
      assert.equal(res.status, 422);
      assert.ok(res.body.error.fields.description);
    });

    test('unknown endpoint and unknown site → 404; missing site → 422', async () => {
      assert.equal((await call(api, '/nothing-here')).status, 404);
      const res = await call(api, '/catalog?site=atlantis');
      assert.equal(res.status, 404);
      errorShape(res.body, 'not_found');
      assert.equal((await call(api, '/catalog')).status, 422);
      assert.equal((await call(api, '/answers?site=atlantis&q=x')).status, 404);
    });

    test('a bad Idempotency-Key → 400', async () => {
      const res = await call(api, '/conversations', { body: { site: LAKESIDE }, headers: { 'idempotency-key': 'x'.repeat(200) } });
      assert.equal(res.status, 400);
    });

    test('rate limit per client address and site → 429 with Retry-After; other sites unaffected', async () => {
      const site = 'riverside/xinhua/station';
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<typeof call>> | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await call(api, '/conversations', { body: { site } });
        statuses.push(res.status);
        if (res.status === 429) limited = res;
      }
      assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
      errorShape(limited!.body, 'rate_limited');
      assert.ok(Number(limited!.headers.get('retry-after')) >= 1);
      assert.equal((await call(api, '/conversations', { body: { site: 'riverside/heping' } })).status, 201);
    });

    test('CORS: allowed origin echoed; others refused with 403; preflight answers', async () => {
      const ok = await fetch(`${api}/catalog?site=${GARDEN}`, { headers: { origin: 'http://allowed.test' } });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('access-control-allow-origin'), 'http://allowed.test');
      await ok.body?.cancel();
      const pre = await fetch(`${api}/requests`, {
        method: 'OPTIONS',
        headers: { origin: 'http://allowed.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' },
      });
      assert.equal(pre.status, 204);
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/);
      assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
      const denied = await fetch(`${api}/catalog?site=${GARDEN}`, { headers: { origin: 'http://evil.test' } });
      assert.equal(denied.status, 403);
      assert.equal(denied.headers.get('access-control-allow-origin'), null);
      assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'forbidden');
      const deniedPre = await fetch(`${api}/requests`, { method: 'OPTIONS', headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' } });
      assert.equal(deniedPre.status, 403);
      await deniedPre.body?.cancel();
    });

    test('staff endpoints need the staff token', async () => {
      const none = await call(api, '/staff/queue');
      assert.equal(none.status, 401);
      errorShape(none.body, 'unauthorized');
      assert.equal((await call(api, '/staff/queue', { headers: bearer('wrong') })).status, 401);
      assert.equal((await call(api, `/staff/queue?token=${server.staffToken}`)).status, 401, 'query token only for streams');
      const stream = await fetch(`${api}/staff/stream?token=wrong`);
      assert.equal(stream.status, 401);
      await stream.body?.cancel();
      assert.equal((await call(api, '/staff/queue', { headers: bearer(server.staffToken) })).status, 200);
    });

    test('after all that the server keeps serving', async () => {
      await stillServing();
      const health = await call(api, '/health');
      assert.deepEqual(health.body, { ok: true });
    });
  });
}

describe('CORS with "*"', () => {
  const config = storageConfigs()[0]!;
  let server: RunningServer;
  before(async () => {
    server = await start(config, { allowedOrigins: '*' });
  });
  after(async () => server?.close());

  test('any origin is allowed', async () => {
    const res = await fetch(`${server.apiBase}/catalog?site=${GARDEN}`, { headers: { origin: 'http://anywhere.test' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    await res.body?.cancel();
  });

  test('error responses and event streams carry the CORS headers too', async () => {
    const origin = { origin: 'http://anywhere.test' };
    const missing = await fetch(`${server.apiBase}/requests/NOPE-0000`, { headers: origin });
    assert.ok(missing.status >= 400, String(missing.status));
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');
    await missing.body?.cancel();
    const started = await call(server.apiBase, '/conversations', { body: { site: GARDEN }, headers: origin });
    assert.equal(started.status, 201);
    const { id, token } = started.body as { id: string; token: string };
    const stream = await fetch(`${server.apiBase}/conversations/${id}/events?token=${encodeURIComponent(token)}`, { headers: { ...origin, accept: 'text/event-stream' } });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
    assert.equal(stream.headers.get('access-control-allow-origin'), '*');
    await stream.body?.cancel();
  });
});

/** Five conversation starts for `site` on the servers in turn (the writes limit is 3 in these tests). */
async function fiveStarts(apis: string[], site: string, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await call(apis[i % apis.length]!, '/conversations', { body: { site }, headers })).status);
  return statuses;
}

describe('rate limits kept in the database (PGlite, shared: true)', () => {
  const config = storageConfigs()[0]!;
  let server: RunningServer;
  before(async () => {
    server = await start(config, { rateLimit: { windowMs: 60_000, writes: 3, reads: 1000, shared: true } });
  });
  after(async () => server?.close());

  test('the counter lives in rate_limits, holds no address, and answers 429 with Retry-After', async () => {
    assert.deepEqual(await fiveStarts([server.apiBase], GARDEN), [201, 201, 201, 429, 429]);
    const limited = await call(server.apiBase, '/conversations', { body: { site: GARDEN } });
    assert.equal(limited.status, 429);
    const wait = Number(limited.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
    const rows = await server.db.query<{ key: string; count: number }>('SELECT key, count FROM rate_limits');
    assert.ok(rows.some((r) => Number(r.count) >= 5));
    for (const r of rows) assert.match(r.key, /^[0-9a-f]{64}$/);
    assert.equal((await call(server.apiBase, '/conversations', { body: { site: LAKESIDE } })).status, 201);
  });
});

describe('X-Forwarded-For only behind a trusted proxy', () => {
  const config = storageConfigs()[0]!;
  let trusting: RunningServer;
  let plain: RunningServer;
  before(async () => {
    const rateLimit = { windowMs: 60_000, writes: 3, reads: 1000 };
    trusting = await start(config, { rateLimit, trustProxy: true });
    plain = await start(config, { rateLimit });
  });
  after(async () => {
    await trusting?.close();
    await plain?.close();
  });

  test('with trustProxy each forwarded client has its own count; the entry the proxy added counts', async () => {
    const a = await fiveStarts([trusting.apiBase], GARDEN, { 'x-forwarded-for': '203.0.113.7' });
    assert.deepEqual(a, [201, 201, 201, 429, 429]);
    // A different client behind the same proxy is not limited by the first one's count.
    assert.equal((await call(trusting.apiBase, '/conversations', { body: { site: GARDEN }, headers: { 'x-forwarded-for': '203.0.113.8' } })).status, 201);
    // A client forging an address on the left still counts as what the proxy saw (the rightmost entry).
    const forged = await call(trusting.apiBase, '/conversations', { body: { site: GARDEN }, headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' } });
    assert.equal(forged.status, 429);
  });

  test('by default the header is ignored: every "client" shares the socket address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(plain.apiBase, '/conversations', { body: { site: LAKESIDE }, headers: { 'x-forwarded-for': `203.0.113.${10 + i}` } });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
  });
});

// Two server processes on one PostgreSQL count together.
const pgConfig = storageConfigs().find((c) => c.name === 'PostgreSQL');
describe('rate limits shared by two servers on one PostgreSQL', { skip: pgConfig ? false : 'DATABASE_URL is not set' }, () => {
  let one: RunningServer;
  let two: RunningServer;
  before(async () => {
    const rateLimit = { windowMs: 60_000, writes: 3, reads: 1000 };
    one = await start(pgConfig!, { rateLimit });
    two = await start(pgConfig!, { rateLimit });
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await pgConfig!.cleanup();
  });

  test('calls spread over both servers hit one limit', async () => {
    assert.deepEqual(await fiveStarts([one.apiBase, two.apiBase], GARDEN), [201, 201, 201, 429, 429]);
    const retry = await call(two.apiBase, '/conversations', { body: { site: GARDEN } });
    assert.equal(retry.status, 429);
    assert.ok(Number(retry.headers.get('retry-after')) >= 1);
  });
});
