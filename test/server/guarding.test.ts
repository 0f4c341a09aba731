import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import { makeReference } from '../../src/client/reference.js';
import { bearer, call, GARDEN, LAKESIDE, noiseRequest, start, storageConfigs } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`guarding (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    before(async () => {
      // Every call of this file's tests comes from one address: the budgets are tested below.
      server = await start(config, { rateLimit: { windowMs: 60_000, writes: 1000, reads: 1000 } });
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

  // One server per storage, trusting X-Forwarded-For, so each test is a client address of its own.
  describe(`budgets per client address (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    before(async () => {
      server = await start(config, {
        trustProxy: true,
        rateLimit: { windowMs: 60_000, writes: 3, reads: 6, lookupFailures: 3, staffFailures: 3 },
      });
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });
    const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, origin: 'http://allowed.test', ...headers });
    const limited = (res: { status: number; headers: Headers; body: unknown }, what: string) => {
      assert.equal(res.status, 429, what);
      assert.equal((res.body as { error: { code: string } }).error.code, 'rate_limited');
      const wait = Number(res.headers.get('retry-after'));
      assert.ok(wait >= 1, `Retry-After ${wait}`);
      assert.equal(res.headers.get('access-control-allow-origin'), 'http://allowed.test', 'a 429 the widget can read');
    };

    test('every write counts before it is parsed, failures included, and one budget covers every site', async () => {
      const headers = from('203.0.113.20');
      assert.equal((await call(api, '/requests', { raw: '{"site": ', headers: { ...headers, 'content-type': 'application/json' } })).status, 400);
      assert.equal((await call(api, '/conversations', { raw: 'site=x', headers: { ...headers, 'content-type': 'text/plain' } })).status, 415);
      assert.equal((await call(api, '/conversations', { body: { site: GARDEN }, headers })).status, 201);
      // Another site is no fresh budget, and a malformed body is refused before it is read.
      limited(await call(api, '/conversations', { body: { site: LAKESIDE }, headers }), 'another site');
      limited(await call(api, '/requests', { raw: '{"site": ', headers: { ...headers, 'content-type': 'application/json' } }), 'malformed');
      limited(await call(api, '/no-such-endpoint', { raw: 'x', headers }), 'unknown path');
      // Another address is not held back.
      assert.equal((await call(api, '/conversations', { body: { site: LAKESIDE }, headers: from('203.0.113.21') })).status, 201);
    });

    test('reads count too: unknown paths, sites and references', async () => {
      const headers = from('203.0.113.30');
      const statuses: number[] = [];
      for (const path of ['/nothing', '/catalog?site=atlantis', '/requests/RS-0000-0000-0', `/catalog?site=${GARDEN}`, '/answers?site=x&q=y', '/conversations/abc/messages']) {
        statuses.push((await call(api, path, { headers })).status);
      }
      assert.ok(statuses.every((s) => s !== 429), statuses.join(' '));
      // The first catalogue call of an address counts one read, and an unknown site's a second (the
      // look-up for nothing); a known site's after it are answered from memory and count 1/50 of a
      // read (context.ts, CATALOGUE_CALLS_PER_READ). So the six are spent:
      limited(await call(api, '/nothing-either', { headers }), 'seventh read');
      limited(await call(api, '/catalog?site=atlantis', { headers }), "an unknown site's catalogue once the budget is spent");
    });

    test('lookups by contact that match nothing are few: then 429, the right contact too; the device\'s token still works', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest(), headers: from('203.0.113.40') })).body as { reference: string; accessToken: string };
      const headers = (contact: string) => from('203.0.113.41', { 'x-intake-contact': contact });
      const guesses = [await call(api, `/requests/${created.reference}`, { headers: headers('13900000001') }),
        await call(api, `/requests/${makeReference('RS', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))}`, { headers: headers('13800000000') }),
        await call(api, `/requests/${created.reference}`, { headers: headers('13900000002') })];
      assert.deepEqual(guesses.map((g) => g.status), [404, 404, 404]);
      limited(await call(api, `/requests/${created.reference}`, { headers: headers('13900000003') }), 'fourth guess');
      limited(await call(api, `/requests/${created.reference}`, { headers: headers('13800000000') }), 'the right contact, after the guesses');
      const byToken = await call(api, `/requests/${created.reference}`, { headers: from('203.0.113.41', bearer(created.accessToken)) });
      assert.equal(byToken.status, 200);
      // A mistyped reference (its check character fails) costs no failure: it asks nothing of the database.
      const typo = created.reference.slice(0, -1) + (created.reference.endsWith('7') ? '8' : '7');
      for (let i = 0; i < 4; i++) assert.equal((await call(api, `/requests/${typo}`, { headers: from('203.0.113.42', { 'x-intake-contact': '13800000000' }) })).status, 422);
      assert.equal((await call(api, `/requests/${created.reference}`, { headers: from('203.0.113.42', { 'x-intake-contact': '13800000000' }) })).status, 200);
    });

    test('wrong staff tokens are slowed down: after a few every staff call from the address is 429, the right token too', async () => {
      const headers = (token: string) => from('203.0.113.50', bearer(token));
      for (let i = 0; i < 3; i++) assert.equal((await call(api, '/staff/queue', { headers: headers(`guess-${i}`) })).status, 401);
      limited(await call(api, '/staff/queue', { headers: headers('guess-3') }), 'fourth wrong token');
      limited(await call(api, '/staff/queue', { headers: headers(server.staffToken) }), 'the right token, after the guesses');
      const stream = await fetch(`${api}/staff/stream?token=${server.staffToken}`, { headers: from('203.0.113.50') });
      assert.equal(stream.status, 429);
      await stream.body?.cancel();
      // Residents at that address are not locked out of their own calls, and other staff are not either.
      assert.equal((await call(api, `/catalog?site=${GARDEN}`, { headers: from('203.0.113.50') })).status, 200);
      assert.equal((await call(api, '/staff/queue', { headers: from('203.0.113.51', bearer(server.staffToken)) })).status, 200);
    });

    test('calls with the right staff token do not use up the address budget', async () => {
      for (let i = 0; i < 10; i++) assert.equal((await call(api, '/staff/queue', { headers: from('203.0.113.60', bearer(server.staffToken)) })).status, 200);
      assert.equal((await call(api, `/catalog?site=${GARDEN}`, { headers: from('203.0.113.60') })).status, 200);
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
    // One budget for the address, whatever the site.
    assert.equal((await call(server.apiBase, '/conversations', { body: { site: LAKESIDE } })).status, 429);
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
