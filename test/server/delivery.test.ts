/**
 * Delivery into departments' Open311 systems (issue 20, demo/server/delivery): a department
 * configured in the catalogue with an endpoint gets each request routed to it posted to its own
 * GeoReport v2 server (test/helpers/georeport-server.ts: XML only, no CORS, api_key required),
 * never twice (across a restart, a lost answer, a claim held by another process), retried with
 * backoff on the loop clock, and its status and comments pulled back into the resident's view.
 * A department without an endpoint is unaffected; only staff who see the request see its delivery.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../demo/server/server.js';
import { ManualClock } from '../../demo/server/loop/clock.js';
import { DEFAULT_TIMINGS, claimDue } from '../../demo/server/delivery/outbox.js';
import { parseXml } from '../../demo/server/delivery/xml.js';
import { GeoReportClient } from '../../demo/server/delivery/georeport.js';
import { remoteStatus, ourStatus } from '../../demo/server/delivery/status-map.js';
import { GeoReportServer } from '../helpers/georeport-server.js';
import { bearer, call, noiseRequest, start, storageConfigs } from './helpers.js';

const KEY = 'sanitation-secret-key';

function endpoint(base: string, extra: Record<string, unknown> = {}) {
  return {
    baseUrl: base,
    apiKey: KEY,
    jurisdiction: 'riverside.example',
    services: { noise: 'NOISE-01', 'street-cleaning': 'CLEAN-02' },
    attributes: { source: 'noise_source', when: 'noise_when' },
    referenceAttribute: 'external_id',
    ...extra,
  };
}

const SANITATION = { id: 'sanitation', names: { 'zh-CN': '环卫处', en: 'Sanitation Department' }, phone: '12319' };

test('the XML reader reads GeoReport answers and refuses DOCTYPE', () => {
  assert.deepEqual(parseXml('<?xml version="1.0"?><service_requests><request><service_request_id>12</service_request_id></request></service_requests>'),
    [{ service_request_id: '12' }]);
  assert.deepEqual(parseXml('<service_request_updates><request_update><update_id>1</update_id><description><![CDATA[a <b> & c]]></description></request_update><request_update><update_id>2</update_id><description>x &amp; y &#x4E2D;</description></request_update></service_request_updates>'),
    [{ update_id: '1', description: 'a <b> & c' }, { update_id: '2', description: 'x & y 中' }]);
  assert.deepEqual(parseXml('<service_requests/>'), '');
  assert.throws(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'));
  assert.throws(() => parseXml('<a><b></a>'));
});

test('a JSON server is spoken in JSON: its POST answer, its request and its updates read', async () => {
  const seen: string[] = [];
  const http = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.method === 'POST') res.end(JSON.stringify([{ service_request_id: 77, service_notice: '' }]));
    else if (req.url!.startsWith('/v2/requests.json')) res.end(JSON.stringify({ service_requests: [{ service_request_id: '77', status: 'closed', status_notes: 'done' }] }));
    else res.end(JSON.stringify({ service_request_updates: [{ update_id: 5, service_request_id: '77', status: 'FIXED', description: 'Fixed it.' }] }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const client = new GeoReportClient({ baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/v2`, format: 'json', apiKey: 'k', services: {} });
    assert.deepEqual(await client.postRequest([['service_code', 'X'], ['description', 'd']]), { serviceRequestId: '77', token: null }, 'a numeric id read as a string');
    assert.equal((await client.getRequest('77'))?.status, 'closed');
    const updates = await client.updatesBetween(new Date('2026-12-01T00:00:00Z'), new Date('2026-12-01T01:00:00Z'));
    assert.equal(updates[0]?.description, 'Fixed it.');
    assert.deepEqual(seen.map((x) => x.replace(/\?.*$/, '')), ['POST /v2/requests.json', 'GET /v2/requests.json', 'GET /v2/servicerequestupdates.json']);
    assert.ok(seen[2]!.includes('start_date=2026-12-01T00%3A00%3A00Z') && seen[2]!.includes('api_key=k'), 'W3C dates, whole seconds, and the key');
  } finally {
    http.close();
  }
});

test('extended statuses are mapped in any spelling', () => {
  assert.equal(remoteStatus('NOT_COUNCILS_RESPONSIBILITY'), 'not_councils_responsibility');
  assert.equal(remoteStatus('not councils responsibility'), 'not_councils_responsibility');
  assert.equal(remoteStatus('Action Scheduled'), 'action_scheduled');
  assert.equal(remoteStatus('weird'), null);
  assert.equal(ourStatus('fixed'), 'resolved');
  assert.equal(ourStatus('in_progress'), 'in_progress');
  assert.equal(ourStatus('open'), null);
  assert.equal(ourStatus('no_further_action'), 'replied');
});

for (const config of storageConfigs()) {
  describe(`delivery into departments' Open311 systems (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let dept: GeoReportServer;
    const clock = new ManualClock(new Date('2026-12-01T02:00:00Z'));
    const token: Record<string, string> = {};
    const signIn = async (login: string) => {
      const res = await call(api, '/staff/session', { body: { login, password: `demo-${login}` } });
      assert.equal(res.status, 201);
      return res.body.token as string;
    };
    const file = async (overrides: Record<string, unknown> = {}) => {
      const res = await call(api, '/requests', { body: noiseRequest({ fields: { source: 'construction', when: ['night', 'weekend'], occurred_at: '2026-11-27T23:00', location: { address: '新华路12号', lat: 39.9, lng: 116.4 } }, ...overrides }) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; reference: string; accessToken: string };
    };
    const lines = async (reference: string, who = 'dispatcher') => call(api, `/staff/requests/${reference}/delivery`, { headers: bearer(token[who]!) });
    const resident = async (r: { reference: string; accessToken: string }) => (await call(api, `/requests/${r.reference}`, { headers: bearer(r.accessToken) })).body;
    const run = () => server.delivery!.run();

    before(async () => {
      dept = await new GeoReportServer({ apiKey: KEY, now: () => clock.now() }).start();
      server = await start(config, { demoAccounts: true, clock, delivery: { tickMs: 0 } });
      api = server.apiBase;
      for (const who of ['dispatcher', 'sanitation', 'market', 'xinhua', 'supervisor', 'admin']) token[who] = await signIn(who);
      const put = await call(api, '/staff/catalogue/departments/sanitation', { method: 'PUT', body: { ...SANITATION, open311: endpoint(dept.url) }, headers: bearer(token.admin!) });
      assert.equal(put.status, 200, JSON.stringify(put.body));
    });
    after(async () => {
      await server?.close();
      await dept?.stop();
      await config.cleanup();
    });

    test('the endpoint is part of the catalogue: read back, and a wrong one refused with the line at fault', async () => {
      const file = await call(api, '/staff/catalogue', { headers: bearer(token.admin!) });
      const sanitation = file.body.departments.find((d: { id: string }) => d.id === 'sanitation');
      assert.equal(sanitation.open311.baseUrl, dept.url);
      assert.equal(sanitation.open311.services.noise, 'NOISE-01');
      const bad = await call(api, '/staff/catalogue/departments/water', { method: 'PUT', body: { id: 'water', names: { 'zh-CN': '水务局' }, phone: null, open311: { baseUrl: 'ftp://x', services: {} } }, headers: bearer(token.admin!) });
      assert.equal(bad.status, 422);
      assert.match(JSON.stringify(bad.body), /open311/);
    });

    test('a routed request is posted once, form-encoded as FixMyStreet posts, and its id kept', async () => {
      const before = dept.posts().length;
      const r = await file();
      await run();
      await run();
      const posts = dept.posts().slice(before);
      assert.equal(posts.length, 1, 'posted exactly once');
      const p = posts[0]!;
      assert.equal(p.path, '/requests.xml');
      assert.match(String(p.headers['content-type']), /application\/x-www-form-urlencoded/);
      const all = (k: string) => p.params.filter(([n]) => n === k).map(([, v]) => v);
      assert.deepEqual(all('service_code'), ['NOISE-01']);
      assert.deepEqual(all('api_key'), [KEY]);
      assert.deepEqual(all('jurisdiction_id'), ['riverside.example']);
      assert.deepEqual(all('attribute[noise_source]'), ['construction']);
      assert.deepEqual(all('attribute[noise_when]'), ['night', 'weekend'], 'several values as repeated attribute[x]=');
      assert.deepEqual(all('attribute[external_id]'), [r.reference]);
      assert.deepEqual([all('lat')[0], all('long')[0]], ['39.9', '116.4']);
      assert.ok(all('description')[0]!.includes(r.reference), 'our reference is in the description');
      assert.deepEqual(all('email'), [], 'no contact unless configured');
      const line = (await lines(r.reference)).body.deliveries;
      assert.equal(line.length, 1);
      assert.equal(line[0].state, 'delivered');
      assert.equal(line[0].attempts, 1);
      assert.equal(line[0].serviceRequestId, [...dept.requests.values()].find((x) => x.description.includes(r.reference))!.service_request_id);
      assert.equal(line[0].department.id, 'sanitation');
    });

    test('a department without an endpoint is unaffected', async () => {
      const before = dept.received.length;
      const res = await call(api, '/requests', { body: noiseRequest({ service: 'water-outage', type: 'help', fields: { location: { address: '新华路1号' }, since: '2026-11-30T08:00', households: 3 } }) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      await run();
      assert.equal(dept.received.length, before, 'nothing sent anywhere');
      const l = await lines(res.body.reference);
      assert.equal(l.status, 200);
      assert.deepEqual(l.body.deliveries, []);
      const rows = await server.db.query('SELECT 1 FROM delivery_outbox WHERE request_id = $1', [res.body.id]);
      assert.equal(rows.length, 0);
    });

    test('failures are retried with backoff on the loop clock, shown to staff, then delivered once', async () => {
      dept.failNext('error500', 'error500');
      const stored = dept.requests.size;
      const before = dept.posts().length;
      const r = await file();
      await run();
      let l = (await lines(r.reference)).body.deliveries[0];
      assert.equal(l.state, 'pending');
      assert.equal(l.attempts, 1);
      assert.match(l.lastError, /HTTP 500.*Backend unavailable/);
      assert.equal(new Date(l.nextAttemptAt).getTime() - clock.now().getTime(), DEFAULT_TIMINGS.backoffMs, 'first wait: 30 s');
      await run();
      assert.equal(dept.posts().length - before, 1, 'not again before its time');
      clock.advance(DEFAULT_TIMINGS.backoffMs);
      await run();
      l = (await lines(r.reference)).body.deliveries[0];
      assert.equal(l.attempts, 2);
      assert.equal(new Date(l.nextAttemptAt).getTime() - clock.now().getTime(), 2 * DEFAULT_TIMINGS.backoffMs, 'the wait doubles');
      clock.advance(2 * DEFAULT_TIMINGS.backoffMs - 1000);
      await run();
      assert.equal(dept.posts().length - before, 2);
      clock.advance(1000);
      await run();
      l = (await lines(r.reference)).body.deliveries[0];
      assert.equal(l.state, 'delivered');
      assert.equal(l.attempts, 3);
      assert.equal(l.lastError, null);
      assert.equal(dept.posts().length - before, 3);
      assert.equal(dept.requests.size - stored, 1, 'one request over there');
    });

    test('a POST whose answer was lost is looked up by our reference, not sent again', async () => {
      dept.failNext('lose_answer');
      const before = dept.posts().length;
      const r = await file();
      await run();
      let l = (await lines(r.reference)).body.deliveries[0];
      assert.equal(l.state, 'pending');
      assert.match(l.lastError, /no answer|broke off|socket|ECONNRESET/i);
      assert.equal(dept.posts().length - before, 1);
      clock.advance(DEFAULT_TIMINGS.backoffMs);
      await run();
      l = (await lines(r.reference)).body.deliveries[0];
      assert.equal(l.state, 'delivered');
      assert.equal(dept.posts().length - before, 1, 'found by the lookup, never posted twice');
      const theirs = [...dept.requests.values()].filter((x) => x.description.includes(r.reference));
      assert.equal(theirs.length, 1);
      assert.equal(l.serviceRequestId, theirs[0]!.service_request_id);
      assert.ok(dept.received.some((x) => x.method === 'GET' && x.path === '/requests.xml' && x.params.some(([k]) => k === 'start_date')), 'the lookup read GET requests.xml in a window');
    });

    test('a claim held by another process is left alone until its lease runs out, then looked up first', async () => {
      const before = dept.posts().length;
      const r = await file();
      const id = (await server.db.query<{ id: string }>('SELECT id FROM delivery_outbox WHERE request_id = $1', [r.id]))[0]!.id;
      // Another process claims it and dies before it sends (or before it records the answer).
      const other = await claimDue(server.db, clock, 'another-process', DEFAULT_TIMINGS, id);
      assert.ok(other);
      const twice = await claimDue(server.db, clock, 'a-third-process', DEFAULT_TIMINGS, id);
      assert.equal(twice, null, 'a claimed row is not claimed again while its lease holds');
      await run();
      assert.equal(dept.posts().length - before, 0, 'not sent while another holds it');
      clock.advance(DEFAULT_TIMINGS.leaseMs);
      await run();
      const l = (await lines(r.reference)).body.deliveries[0];
      assert.equal(l.state, 'delivered');
      assert.equal(dept.posts().length - before, 1, 'looked up (not there), then sent once');
    });

    test('status and comments are pulled back: a reply signed by the department, statuses mapped with notes', async () => {
      const r = await file();
      await run();
      const srid = (await lines(r.reference)).body.deliveries[0].serviceRequestId as string;
      dept.addUpdate(srid, { status: 'IN_PROGRESS', description: '已安排执法队员今晚到场核查。' });
      clock.advance(DEFAULT_TIMINGS.pullEveryMs);
      await run();
      let seen = await resident(r);
      assert.equal(seen.status, 'in_progress');
      const reply = seen.replies.find((x: { text: string }) => x.text === '已安排执法队员今晚到场核查。');
      assert.ok(reply, 'the comment is a reply the resident sees');
      assert.equal(reply.department.id, 'sanitation');
      assert.ok(seen.timeline.some((e: { note?: string }) => e.note === '承办部门系统：正在办理'));
      // Pulled again: the same update is applied once.
      clock.advance(DEFAULT_TIMINGS.pullEveryMs);
      await run();
      seen = await resident(r);
      assert.equal(seen.replies.filter((x: { text: string }) => x.text === '已安排执法队员今晚到场核查。').length, 1, 'applied once');
      // On demand from the console: no waiting for the schedule.
      dept.addUpdate(srid, { status: 'FIXED', description: '' });
      const now = await call(api, `/staff/requests/${r.reference}/delivery/retry`, { headers: bearer(token.sanitation!), body: {} });
      assert.equal(now.status, 200, JSON.stringify(now.body));
      assert.equal(now.body.deliveries[0].remoteStatus, 'fixed', 'their extended status kept (GET requests says only closed)');
      const trail = await server.db.query<{ actor_name: string }>(`SELECT actor_name FROM audit_log WHERE action = 'delivery_retry' AND target_id = $1`, [r.reference]);
      assert.equal(trail.length, 1, 'retry now is in the audit log');
      seen = await resident(r);
      assert.equal(seen.status, 'resolved');
      assert.ok(seen.timeline.some((e: { note?: string }) => e.note === '承办部门系统：已修复'));

      const r2 = await file({ locale: 'en' });
      await run();
      const srid2 = (await lines(r2.reference)).body.deliveries[0].serviceRequestId as string;
      dept.addUpdate(srid2, { status: 'NOT_COUNCILS_RESPONSIBILITY', description: 'Construction permits are handled by the housing bureau.' });
      clock.advance(DEFAULT_TIMINGS.pullEveryMs);
      await run();
      const seen2 = await resident(r2);
      assert.equal(seen2.status, 'replied');
      assert.ok(seen2.replies.some((x: { text: string }) => x.text === 'Construction permits are handled by the housing bureau.'));
      assert.ok(seen2.timeline.some((e: { note?: string }) => e.note === "The department's system: not this department's responsibility"));
    });

    test('only staff who see the request see its delivery line; supervisors may not send it again', async () => {
      const r = await file();
      await run();
      assert.equal((await lines(r.reference, 'sanitation')).status, 200);
      assert.equal((await lines(r.reference, 'xinhua')).status, 200, 'the street office of its site');
      assert.equal((await lines(r.reference, 'supervisor')).status, 200);
      assert.equal((await lines(r.reference, 'market')).status, 404, 'another department does not see it');
      assert.equal((await call(api, `/staff/requests/${r.reference}/delivery/retry`, { headers: bearer(token.market!), body: {} })).status, 404);
      assert.equal((await call(api, `/staff/requests/${r.reference}/delivery/retry`, { headers: bearer(token.supervisor!), body: {} })).status, 403);
      assert.equal((await call(api, `/staff/requests/${r.reference}/delivery`)).status, 401);
    });

    test('two server processes on one database never both send', { skip: config.name === 'PostgreSQL' ? false : 'two processes share a database only on PostgreSQL (PGlite here is in memory, one per process)' }, async () => {
      const second = await start(config, { clock, delivery: { tickMs: 0 }, staffToken: false });
      try {
        const before = dept.posts().length;
        const filed = [];
        for (let i = 0; i < 6; i++) filed.push(await file());
        await Promise.all([run(), second.delivery!.run(), run(), second.delivery!.run()]);
        assert.equal(dept.posts().length - before, 6, 'each request posted once');
        for (const r of filed) assert.equal([...dept.requests.values()].filter((x) => x.description.includes(r.reference)).length, 1);
      } finally {
        await second.close();
      }
    });

    test('re-dispatching to the same department sends nothing new; to a configured one, once there', async () => {
      const r = await file();
      await run();
      const before = dept.posts().length;
      const back = await call(api, `/staff/requests/${r.reference}/route`, { headers: bearer(token.dispatcher!), body: { department: 'sanitation', note: 'again' } });
      assert.equal(back.status, 200, JSON.stringify(back.body));
      await run();
      assert.equal(dept.posts().length, before, 'one row per request and department');
    });
  });
}

describe('delivery across a restart (PGlite on disk)', () => {
  let dir: string;
  let dept: GeoReportServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'delivery-restart-'));
    dept = await new GeoReportServer({ apiKey: KEY }).start();
  });
  after(async () => {
    await dept?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a POST in flight when the server stops is looked up after the restart, never posted twice', async () => {
    const clock = new ManualClock(new Date());
    let server = await start({ name: 'disk', options: { dataDir: dir }, cleanup: async () => undefined }, { clock, delivery: { tickMs: 0 }, staffToken: 'restart-token' });
    await server.db.query('UPDATE departments SET open311 = $2 WHERE id = $1', ['sanitation', JSON.stringify(endpoint(dept.url))]);
    const res = await call(server.apiBase, '/requests', { body: noiseRequest() });
    assert.equal(res.status, 201);
    dept.failNext('hang');
    const running = server.delivery!.run();
    for (let i = 0; i < 400 && dept.posts().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(dept.posts().length, 1, 'the POST reached the department, which never answers');
    await server.close();
    await running;
    // The department's server restarts too; its data is kept.
    await dept.restart();
    clock.advance(DEFAULT_TIMINGS.leaseMs + DEFAULT_TIMINGS.backoffMs);
    server = await start({ name: 'disk', options: { dataDir: dir }, cleanup: async () => undefined }, { clock, delivery: { tickMs: 0 }, staffToken: 'restart-token' });
    try {
      await server.delivery!.run();
      const l = await call(server.apiBase, `/staff/requests/${res.body.reference}/delivery`, { headers: bearer('restart-token') });
      assert.equal(l.status, 200);
      assert.equal(l.body.deliveries[0].state, 'delivered');
      assert.equal(dept.posts().length, 1, 'still one POST');
      assert.equal([...dept.requests.values()].filter((x) => x.description.includes(res.body.reference)).length, 1);
    } finally {
      await server.close();
    }
  });
});

describe('delivery to a server with tokens, without updates and without a request listing (PGlite)', () => {
  let server: RunningServer;
  let api: string;
  let dept: GeoReportServer;
  const clock = new ManualClock(new Date('2026-12-01T02:00:00Z'));
  let staff = '';
  const lines = async (reference: string) => (await call(api, `/staff/requests/${reference}/delivery`, { headers: bearer(staff) })).body.deliveries;
  const file = async () => (await call(api, '/requests', { body: noiseRequest({ locale: 'en' }) })).body as { id: string; reference: string; accessToken: string };

  before(async () => {
    dept = await new GeoReportServer({ apiKey: KEY, tokens: true, updates: false, listing: false, now: () => clock.now() }).start();
    server = await start(storageConfigs()[0]!, { clock, delivery: { tickMs: 0 }, staffToken: 'tokens-staff' });
    api = server.apiBase;
    staff = 'tokens-staff';
    await server.db.query('UPDATE departments SET open311 = $2 WHERE id = $1', ['sanitation', JSON.stringify(endpoint(dept.url))]);
  });
  after(async () => {
    await server?.close();
    await dept?.stop();
  });

  test('a token is kept, its id read later from tokens/{token}.xml; status_notes become a reply where there are no updates', async () => {
    const r = await file();
    await server.delivery!.run();
    let l = (await lines(r.reference))[0];
    assert.equal(l.state, 'delivered');
    assert.equal(l.serviceRequestId, null);
    assert.match(l.token, /^tok-/);
    const theirs = [...dept.requests.values()].find((x) => x.description.includes(r.reference))!;
    dept.setStatus(theirs.service_request_id, 'closed', 'Bins emptied on Tuesday.');
    clock.advance(DEFAULT_TIMINGS.pullEveryMs);
    await server.delivery!.run();
    l = (await lines(r.reference))[0];
    assert.equal(l.serviceRequestId, theirs.service_request_id, 'read from the token');
    assert.equal(l.pullError, null);
    assert.ok(dept.received.some((x) => x.path === `/tokens/${theirs.token}.xml`));
    const seen = (await call(api, `/requests/${r.reference}`, { headers: bearer(r.accessToken) })).body;
    assert.equal(seen.status, 'resolved');
    assert.ok(seen.replies.some((x: { text: string }) => x.text === 'Bins emptied on Tuesday.'));
  });

  test('a refusal (400) filed nothing: retried without a lookup and shown with their description', async () => {
    dept.failNext('refuse400');
    const before = dept.received.length;
    const r = await file();
    await server.delivery!.run();
    let l = (await lines(r.reference))[0];
    assert.equal(l.state, 'pending');
    assert.match(l.lastError, /HTTP 400: service_code: not known/);
    clock.advance(DEFAULT_TIMINGS.backoffMs);
    await server.delivery!.run();
    l = (await lines(r.reference))[0];
    assert.equal(l.state, 'delivered');
    assert.deepEqual(dept.received.slice(before).map((x) => x.method), ['POST', 'POST'], 'no lookup between');
  });

  test('a lost answer where the server cannot be asked is held for staff, and sent again when they say so', async () => {
    dept.failNext('lose_answer');
    const before = dept.posts().length;
    const r = await file();
    await server.delivery!.run();
    clock.advance(DEFAULT_TIMINGS.backoffMs);
    await server.delivery!.run();
    let l = (await lines(r.reference))[0];
    assert.equal(l.state, 'held');
    assert.match(l.lastError, /check their system/);
    clock.advance(DEFAULT_TIMINGS.maxBackoffMs);
    await server.delivery!.run();
    assert.equal(dept.posts().length - before, 1, 'held: never sent again by itself');
    const retried = await call(api, `/staff/requests/${r.reference}/delivery/retry`, { headers: bearer(staff), body: {} });
    assert.equal(retried.status, 200);
    l = retried.body.deliveries[0];
    assert.equal(l.state, 'delivered');
    assert.equal(dept.posts().length - before, 2, 'sent again on the staff’s word');
  });
});
