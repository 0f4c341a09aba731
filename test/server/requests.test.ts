import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { RequestCreatedSchema, RequestDetailSchema } from '../../src/client/protocol.js';
import { makeReference, parseReference } from '../../src/client/reference.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, LAKESIDE, noiseRequest, start, storageConfigs, uniqueKey } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`requests (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    const staff = () => bearer(server.staffToken);
    before(async () => {
      server = await start(config);
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('creates a request: routed, with a reference, a token and a reply promise', async () => {
      const res = await call(api, '/requests', { body: noiseRequest(), headers: { 'idempotency-key': uniqueKey() } });
      assert.equal(res.status, 201);
      const created = v.parse(RequestCreatedSchema, res.body);
      // Random, read over the phone in groups, with a check character: no day, no count.
      assert.match(created.reference, /^RS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
      assert.equal(parseReference(created.reference).valid, true);
      assert.equal(created.status, 'routed');
      assert.equal(created.routedTo.id, 'sanitation');
      assert.ok(created.accessToken.length >= 20);
      assert.equal(created.replyPromise?.hours, 16);
      assert.ok(created.replyBy && Date.parse(created.replyBy) > Date.parse(created.createdAt));
    });

    test('routing is narrowed by the site: a neighbour dispute in Heping goes to the Heping street office', async () => {
      const body = noiseRequest({ site: LAKESIDE, service: 'neighbour-dispute', type: 'help', fields: { details: '楼上漏水' } });
      const res = await call(api, '/requests', { body });
      assert.equal(res.status, 201);
      assert.equal(res.body.routedTo.id, 'heping-office');
      const other = await call(api, '/requests', { body: noiseRequest({ service: 'other', type: 'suggestion', fields: {} }) });
      assert.equal(other.body.routedTo.id, 'dispatch');
    });

    test('the same Idempotency-Key twice gives one request: 201 then 200 with the same reference', async () => {
      const key = uniqueKey();
      const first = await call(api, '/requests', { body: noiseRequest(), headers: { 'idempotency-key': key } });
      const second = await call(api, '/requests', { body: noiseRequest(), headers: { 'idempotency-key': key } });
      assert.equal(first.status, 201);
      assert.equal(second.status, 200);
      assert.deepEqual(second.body, first.body);
    });

    test('concurrent requests with one key create one request', async () => {
      const key = uniqueKey();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => call(api, '/requests', { body: noiseRequest({ description: 'concurrent' }), headers: { 'idempotency-key': key } })),
      );
      const references = new Set(answers.map((a) => a.body.reference));
      assert.equal(references.size, 1, JSON.stringify(answers.map((a) => a.body)));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 201]);
      const rows = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM requests WHERE description = 'concurrent'`);
      assert.equal(rows[0]!.n, 1);
    });

    test('the same key with a different body answers 409 conflict', async () => {
      const key = uniqueKey();
      await call(api, '/requests', { body: noiseRequest(), headers: { 'idempotency-key': key } });
      const res = await call(api, '/requests', { body: noiseRequest({ description: 'something else' }), headers: { 'idempotency-key': key } });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'conflict');
    });

    test('key order in the body does not matter for idempotency', async () => {
      const key = uniqueKey();
      const body = noiseRequest();
      const reversed = Object.fromEntries(Object.entries(body).reverse());
      const a = await call(api, '/requests', { body, headers: { 'idempotency-key': key } });
      const b = await call(api, '/requests', { body: reversed, headers: { 'idempotency-key': key } });
      assert.equal(b.status, 200);
      assert.equal(b.body.reference, a.body.reference);
    });

    test('status by access token and by contact; no credential 401; wrong token, contact or reference 404', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const byToken = await call(api, `/requests/${created.reference}`, { headers: bearer(created.accessToken) });
      assert.equal(byToken.status, 200);
      const detail = v.parse(RequestDetailSchema, byToken.body);
      assert.deepEqual(detail.timeline.map((t) => t.status), ['received', 'routed']);
      assert.equal(detail.timeline[1]!.department?.id, 'sanitation');
      assert.equal(detail.awaitingFeedback, false);
      const byPhone = await call(api, `/requests/${created.reference}`, { headers: { 'x-intake-contact': '+86 138-0000-0000' } });
      assert.equal(byPhone.status, 200);
      const byEmail = await call(api, `/requests/${created.reference}?locale=en`, { headers: { 'x-intake-contact': 'WANG@example.com' } });
      assert.equal(byEmail.status, 200);
      assert.equal(byEmail.body.service.name, 'Noise');
      const wrong = await call(api, `/requests/${created.reference}`, { headers: bearer('not-the-token') });
      assert.equal(wrong.status, 404);
      assert.equal(wrong.body.error.code, 'not_found');
      const wrongContact = await call(api, `/requests/${created.reference}`, { headers: { 'x-intake-contact': '13900000000' } });
      assert.equal(wrongContact.status, 404);
      const none = await call(api, `/requests/${created.reference}`);
      assert.equal(none.status, 401);
      const unknown = await call(api, '/requests/RS-20000101-9999', { headers: bearer(created.accessToken) });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'not_found');
    });

    test('a reference typed any way is found: case, dashes, spaces, full width; old dated references too', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const body = created.reference.slice(3).replaceAll('-', '');
      const fullWidth = [...created.reference as string].map((ch) => (ch === '-' ? '－' : String.fromCharCode(ch.charCodeAt(0) + 0xfee0))).join('');
      for (const typed of [created.reference.toLowerCase(), `RS${body}`, ` rs ${body.slice(0, 4)} ${body.slice(4)} `, fullWidth]) {
        const found = await call(api, `/requests/${encodeURIComponent(typed)}`, { headers: { 'x-intake-contact': '13800000000' } });
        assert.equal(found.status, 200, typed);
        assert.equal(found.body.reference, created.reference);
      }
      // A database from before: its dated references are still found, typed any way.
      const old = (await call(api, '/requests', { body: noiseRequest() })).body;
      await server.db.query(`UPDATE requests SET reference = 'RS-20261202-0002' WHERE reference = $1`, [old.reference]);
      for (const typed of ['rs-20261202-0002', 'RS202612020002', 'ＲＳ－２０２６１２０２－０００２', 'RS 20261202 0002']) {
        const found = await call(api, `/requests/${encodeURIComponent(typed)}`, { headers: { 'x-intake-contact': '138 0000 0000' } });
        assert.equal(found.status, 200, typed);
        assert.equal(found.body.reference, 'RS-20261202-0002');
      }
      const staffView = await call(api, `/staff/requests/${encodeURIComponent(created.reference.toLowerCase())}`, { headers: staff() });
      assert.equal(staffView.status, 200);
    });

    test('a mistyped reference is answered at once with "check the reference", without asking the database', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const chars = [...(created.reference as string)];
      const last = chars.length - 1;
      chars[last] = chars[last] === '7' ? '8' : '7';
      let queries = 0;
      const query = server.db.query.bind(server.db);
      server.db.query = ((...args: Parameters<typeof query>) => (queries++, query(...args))) as typeof query;
      try {
        for (const typo of [chars.join(''), 'RS-2026120-0002', 'hello']) {
          const res = await call(api, `/requests/${encodeURIComponent(typo)}?locale=en`, { headers: { 'x-intake-contact': '13800000000' } });
          assert.equal(res.status, 422, typo);
          assert.equal(res.body.error.code, 'validation_failed');
          assert.ok(res.body.error.fields.reference, 'a field error the widget can show');
        }
        assert.equal(queries, 0);
      } finally {
        server.db.query = query;
      }
    });

    test('a wrong reference and a wrong contact are answered alike: same status, same body, the same work', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const absent = makeReference('RS', new Uint8Array(8));
      let queries = 0;
      const query = server.db.query.bind(server.db);
      server.db.query = ((...args: Parameters<typeof query>) => (queries++, query(...args))) as typeof query;
      const ask = async (reference: string, contact: string) => {
        queries = 0;
        const res = await call(api, `/requests/${encodeURIComponent(reference)}?locale=en`, { headers: { 'x-intake-contact': contact } });
        return { status: res.status, body: res.body, queries };
      };
      try {
        const wrongReference = await ask(absent, '13800000000');
        const wrongContact = await ask(created.reference, '13900000000');
        const wrongToken = await call(api, `/requests/${encodeURIComponent(created.reference)}?locale=en`, { headers: bearer('x'.repeat(32)) });
        assert.equal(wrongReference.status, 404);
        assert.deepEqual(wrongContact, wrongReference);
        assert.deepEqual({ status: wrongToken.status, body: wrongToken.body }, { status: wrongReference.status, body: wrongReference.body });
        for (const path of ['feedback', 'reopen']) {
          const a = await call(api, `/requests/${encodeURIComponent(absent)}/${path}`, { body: { rating: 3, resolved: false }, headers: { 'x-intake-contact': '13800000000' } });
          const b = await call(api, `/requests/${encodeURIComponent(created.reference)}/${path}`, { body: { rating: 3, resolved: false }, headers: { 'x-intake-contact': '13900000000' } });
          assert.deepEqual([a.status, a.body], [b.status, b.body], path);
        }
      } finally {
        server.db.query = query;
      }
    });

    test('anonymous requests still get a token; contact lookup does not match them', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest({ contact: undefined }) })).body;
      assert.ok(created.accessToken);
      assert.equal((await call(api, `/requests/${created.reference}`, { headers: bearer(created.accessToken) })).status, 200);
      assert.equal((await call(api, `/requests/${created.reference}`, { headers: { 'x-intake-contact': '' } })).status, 401);
    });

    test('feedback only after a reply, only once; resolved moves replied → resolved', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const auth = bearer(created.accessToken);
      const early = await call(api, `/requests/${created.reference}/feedback`, { body: { rating: 5, resolved: true }, headers: auth });
      assert.equal(early.status, 409);
      const reply = await call(api, `/staff/requests/${created.reference}/reply`, { body: { text: '已责令施工方停止夜间施工' }, headers: staff() });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.status, 'replied');
      const seen = (await call(api, `/requests/${created.reference}`, { headers: auth })).body;
      assert.equal(seen.replies.length, 1);
      assert.equal(seen.replies[0].department.id, 'sanitation');
      assert.equal(seen.awaitingFeedback, true);
      const bad = await call(api, `/requests/${created.reference}/feedback`, { body: { rating: 6, resolved: true }, headers: auth });
      assert.equal(bad.status, 422);
      assert.ok(bad.body.error.fields.rating);
      const good = await call(api, `/requests/${created.reference}/feedback`, { body: { rating: 5, resolved: true, comment: '很及时' }, headers: auth });
      assert.equal(good.status, 200);
      assert.equal(good.body.status, 'resolved');
      assert.equal(good.body.feedback.rating, 5);
      assert.equal(good.body.awaitingFeedback, false);
      assert.equal(good.body.canReopen, false);
      const again = await call(api, `/requests/${created.reference}/feedback`, { body: { rating: 1, resolved: false }, headers: auth });
      assert.equal(again.status, 409);
    });

    test('not solved → reopen → in_progress with a timeline entry', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const auth = bearer(created.accessToken);
      assert.equal((await call(api, `/requests/${created.reference}/reopen`, { body: {}, headers: auth })).status, 409);
      await call(api, `/staff/requests/${created.reference}/reply`, { body: { text: '已处理' }, headers: staff() });
      // Reopened before rating (a bad rating sends it back by itself: loop/ratings.ts, test/server/ratings-loop.test.ts).
      const reopened = await call(api, `/requests/${created.reference}/reopen`, { body: { reason: '晚上还在施工' }, headers: auth });
      assert.equal(reopened.status, 200);
      assert.equal(reopened.body.status, 'in_progress');
      const last = reopened.body.timeline.at(-1);
      assert.equal(last.status, 'in_progress');
      assert.match(last.note, /晚上还在施工/);
      // Reopen with no body at all is fine too (after another reply).
      await call(api, `/staff/requests/${created.reference}/reply`, { body: { text: '再次处理' }, headers: staff() });
      const plain = await fetch(`${api}/requests/${created.reference}/reopen`, { method: 'POST', headers: { ...auth, 'idempotency-key': uniqueKey() } });
      assert.equal(plain.status, 200);
    });

    test('the Idempotency-Key is required on create, feedback and reopen (400 without)', async () => {
      const res = await call(api, '/requests', { body: noiseRequest(), noKey: true });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'bad_request');
      assert.equal((await call(api, '/conversations', { body: { site: GARDEN }, noKey: true })).status, 400);
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const auth = bearer(created.accessToken);
      assert.equal((await call(api, `/requests/${created.reference}/feedback`, { body: { rating: 5, resolved: true }, headers: auth, noKey: true })).status, 400);
    });

    test('feedback with the same key twice answers the same; a different body → 409', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const auth = bearer(created.accessToken);
      await call(api, `/staff/requests/${created.reference}/reply`, { body: { text: '已处理' }, headers: staff() });
      const key = uniqueKey();
      const first = await call(api, `/requests/${created.reference}/feedback`, { body: { rating: 4, resolved: false }, headers: { ...auth, 'idempotency-key': key } });
      const again = await call(api, `/requests/${created.reference}/feedback`, { body: { rating: 4, resolved: false }, headers: { ...auth, 'idempotency-key': key } });
      assert.equal(first.status, 200);
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
      const other = await call(api, `/requests/${created.reference}/feedback`, { body: { rating: 1, resolved: false }, headers: { ...auth, 'idempotency-key': key } });
      assert.equal(other.status, 409);
    });

    test('honeypot: a filled website gets a success-shaped answer and nothing is stored', async () => {
      const before = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM requests');
      const res = await call(api, '/requests', { body: noiseRequest({ website: 'http://spam.example' }) });
      assert.equal(res.status, 201);
      v.parse(RequestCreatedSchema, res.body);
      const after = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM requests');
      assert.equal(after[0]!.n, before[0]!.n);
      const lookup = await call(api, `/requests/${res.body.reference}`, { headers: bearer(res.body.accessToken) });
      assert.equal(lookup.status, 404);
    });

    test('validation: fields are checked against the service with field-level messages', async () => {
      const res = await call(api, '/requests', {
        body: noiseRequest({ fields: { source: 'aliens', occurred_at: 'yesterday', location: {} } }),
      });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(res.body.error.fields['fields.source']);
      assert.ok(res.body.error.fields['fields.occurred_at']);
      assert.ok(res.body.error.fields['fields.location']);
      const missing = await call(api, '/requests', { body: noiseRequest({ fields: {} }) });
      assert.equal(missing.status, 422);
      assert.ok(missing.body.error.fields['fields.source']);
      const numbers = await call(api, '/requests', {
        body: noiseRequest({ service: 'minimum-living', type: 'help', fields: { household_size: 99 } }),
      });
      assert.equal(numbers.status, 422);
      assert.ok(numbers.body.error.fields['fields.household_size']);
      const types = await call(api, '/requests', { body: noiseRequest({ service: 'pension', type: 'suggestion', fields: { topics: ['pay'] } }) });
      assert.equal(types.status, 422);
      assert.ok(types.body.error.fields.type);
      const consent = await call(api, '/requests', { body: noiseRequest({ consent: { version: '1999-01', given: true } }) });
      assert.equal(consent.status, 422);
      assert.ok(consent.body.error.fields['consent.version']);
      const noConsent = await call(api, '/requests', { body: noiseRequest({ consent: { version: '2026-01', given: false } }) });
      assert.equal(noConsent.status, 422);
    });

    test('every field type is accepted with good values', async () => {
      const bodies = [
        noiseRequest({ service: 'rubbish-collection', type: 'help', fields: { location: { lat: 23.1, lng: 113.3 }, missed_on: '2026-11-20', bin_type: 'kitchen', photos: [] } }),
        noiseRequest({ service: 'water-outage', type: 'help', fields: { location: { address: 'x' }, since: '2026-11-28T08:00:00+08:00', households: 12, callback_phone: '020-1234 5678' } }),
        noiseRequest({ service: 'school-enrolment', type: 'consultation', fields: { child_birth_date: '2020-03-01', stage: 'primary', contact_email: 'p@example.com' } }),
        noiseRequest({ service: 'neighbour-dispute', type: 'help', fields: { details: '多行\n文字' } }),
        noiseRequest({ service: 'parking', type: 'complaint', fields: { location: { address: 'y' }, plate: '粤A12345' } }),
      ];
      for (const body of bodies) {
        const res = await call(api, '/requests', { body });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const emergency = (await call(api, '/requests', { body: noiseRequest({ service: 'road-hazard', type: 'help', fields: { location: { address: 'z' }, hazard: 'manhole' } }) })).body;
      assert.equal(emergency.replyPromise.hours, 2);
      assert.ok(Date.parse(emergency.replyBy) - Date.parse(emergency.createdAt) <= 2 * 3600_000 + 1000);
    });

    test('unknown site or service → 404 not_found', async () => {
      const site = await call(api, '/requests', { body: noiseRequest({ site: 'atlantis' }) });
      assert.equal(site.status, 404);
      assert.equal(site.body.error.code, 'not_found');
      const service = await call(api, '/requests', { body: noiseRequest({ service: 'teleportation' }) });
      assert.equal(service.status, 404);
      assert.equal(service.body.error.code, 'not_found');
    });

    test('references are unique and random: they tell nothing of the day or of how many came before', async () => {
      const refs: string[] = [];
      for (let i = 0; i < 6; i++) refs.push((await call(api, '/requests', { body: noiseRequest() })).body.reference);
      assert.equal(new Set(refs).size, 6);
      const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
      for (const r of refs) {
        assert.equal(parseReference(r).format, 'current', r);
        assert.ok(!r.replaceAll('-', '').includes(day.slice(2)), r);
      }
      // Neighbours share no long run: no counter behind them.
      assert.ok(refs.slice(1).every((r, i) => r.slice(0, 7) !== refs[i]!.slice(0, 7)), refs.join(' '));
      // The honeypot's made-up answer looks like any other.
      const fake = await call(api, '/requests', { body: noiseRequest({ website: 'http://spam.example' }) });
      assert.equal(parseReference(fake.body.reference).format, 'current');
      assert.equal(parseReference(fake.body.reference).valid, true);
      void GARDEN;
    });
  });
}
