/**
 * Filing a request against the kept catalogue (issue 19; requests.ts fileRequest, catalogue/kept.ts):
 * site, service, privacy notice, routing and calendar come from memory, and one statement stores the
 * request with its timeline, loop events, deadlines, dispatch suggestion, queue notice and the
 * idempotency answer. So: every catalogue edit reaches the very next request; everything the
 * statement writes is there when the 201 arrives (the console reads the suggestion at once); the
 * same key gets the same answer, at once or later; and the count of statements stays small.
 * On PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import { statementStats } from '../../demo/server/storage/db.js';
import { GARDEN, bearer, call, noiseRequest, start, storageConfigs, uniqueKey, staffToken } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`filing against the kept catalogue (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let admin = '';
    const put = (path: string, body: unknown) => call(api, `/staff/catalogue/${path}`, { method: 'PUT', body, headers: bearer(admin), noKey: true });
    const del = (path: string) => call(api, `/staff/catalogue/${path}`, { method: 'DELETE', headers: bearer(admin), noKey: true });
    /** The privacy notice residents agree to (renewed by a test below). */
    let consent = { version: '2026-01', given: true };
    const file = async (overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      call(api, '/requests', { body: noiseRequest({ consent, ...overrides }), headers });

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      admin = await staffToken(api);
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('everything the statement writes is there when the 201 arrives, in order', async () => {
      const res = await file({ description: '小区门口的井盖塌陷了，路面有个大坑，晚上很危险' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const { id, reference, routedTo, replyBy, resolveBy } = res.body;
      const timeline = await server.db.query<{ status: string; department_id: string | null }>(
        'SELECT status, department_id FROM request_timeline WHERE request_id = $1 ORDER BY id', [id]);
      assert.deepEqual(timeline, [{ status: 'received', department_id: null }, { status: 'routed', department_id: routedTo.id }]);
      const events = await server.db.query<{ type: string; office_id: string | null; detail: Record<string, unknown> }>(
        'SELECT type, office_id, detail FROM loop_events WHERE request_id = $1 ORDER BY seq', [id]);
      assert.deepEqual(events.map((e) => e.type), ['filed', 'dispatched', 'deadline_set']);
      assert.deepEqual(events[0]!.detail, { channel: 'intake', kind: 'complaint', service: 'noise', site: GARDEN });
      assert.deepEqual(events[1], { type: 'dispatched', office_id: routedTo.id, detail: { from: null, to: routedTo.id, reason: null, by: 'routing' } });
      assert.equal(events[2]!.detail.resolveBy, resolveBy);
      const row = (await server.db.query<{ reply_by: Date; resolve_by: Date; deadline_class: string; status: string }>(
        'SELECT reply_by, resolve_by, deadline_class, status FROM requests WHERE id = $1', [id]))[0]!;
      assert.equal(new Date(row.reply_by).toISOString(), replyBy);
      assert.equal(new Date(row.resolve_by).toISOString(), resolveBy);
      assert.equal(row.deadline_class, events[2]!.detail.class);
      assert.equal(row.status, 'routed');
      // The console reads the suggestion at once: it was stored with the request.
      const detail = await call(api, `/staff/requests/${reference}`, { headers: bearer(server.staffToken) });
      assert.equal(detail.status, 200, JSON.stringify(detail.body));
      assert.ok(detail.body.suggestion, 'a suggestion beside the request');
      assert.ok(detail.body.suggestion.suggestions.length >= 1);
      const own = await call(api, `/staff/requests/${reference}/suggestion`, { headers: bearer(server.staffToken) });
      assert.deepEqual(own.body.suggestion, detail.body.suggestion);
      // The resident reads it back with the token they were given.
      const mine = await call(api, `/requests/${reference}`, { headers: bearer(res.body.accessToken) });
      assert.equal(mine.status, 200);
      assert.deepEqual(mine.body.timeline.map((t: { status: string }) => t.status), ['received', 'routed']);
    });

    test('words that match no service: filed all the same, with an empty suggestion', async () => {
      const res = await file({ description: 'xyzzy' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const detail = await call(api, `/staff/requests/${res.body.reference}`, { headers: bearer(server.staffToken) });
      assert.deepEqual(detail.body.suggestion?.suggestions, []);
    });

    test('a routing edit reaches the very next request, and so does its removal', async () => {
      const before = await file();
      assert.equal(before.status, 201);
      const owner = before.body.routedTo.id;
      assert.notEqual(owner, 'health');
      const route = await put(`routes/noise@${GARDEN}`, { department: 'health' });
      assert.ok(route.status === 200 || route.status === 201, JSON.stringify(route.body));
      const next = await file();
      assert.equal(next.status, 201);
      assert.equal(next.body.routedTo.id, 'health', 'routed by the new rule');
      const stored = await server.db.query<{ department_id: string }>('SELECT department_id FROM requests WHERE id = $1', [next.body.id]);
      assert.equal(stored[0]!.department_id, 'health');
      assert.equal((await del(`routes/noise@${GARDEN}`)).status, 200);
      const after = await file();
      assert.equal(after.body.routedTo.id, owner, 'back to the owner once the rule is gone');
    });

    test('a department renamed, a service changed: the next answer says so', async () => {
      const first = await file();
      const dept = first.body.routedTo.id;
      const renamed = await put(`departments/${dept}`, { names: { 'zh-CN': '改名后的部门', en: 'Renamed office' }, phone: '020-0000-0000' });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.equal((await file()).body.routedTo.name, '改名后的部门');
      const whole = await call(api, '/staff/catalogue', { headers: bearer(admin) });
      const entry = whole.body.services.find((s: { id: string }) => s.id === 'noise');
      const narrowed = await put('services/noise', { ...entry, kinds: entry.kinds.filter((k: string) => k !== 'complaint').length ? entry.kinds.filter((k: string) => k !== 'complaint') : ['help'] });
      assert.equal(narrowed.status, 200, JSON.stringify(narrowed.body));
      const refused = await file({ locale: 'en' });
      assert.equal(refused.status, 422, 'the kind it no longer takes');
      assert.match(refused.body.error.message, /[A-Za-z]/, 'in the resident\'s locale');
      assert.ok(refused.body.error.fields.type);
      assert.equal((await put('services/noise', entry)).status, 200);
      assert.equal((await file()).status, 201);
    });

    test('the same key: the same answer at once (one request) and later; another body is 409', async () => {
      const key = uniqueKey('same');
      const answers = await Promise.all(Array.from({ length: 5 }, () => file({}, { 'idempotency-key': key })));
      const created = answers.filter((a) => a.status === 201);
      assert.equal(created.length, 1, `one 201: ${answers.map((a) => a.status).join(', ')}`);
      for (const a of answers) assert.deepEqual(a.body, created[0]!.body);
      const rows = await server.db.query('SELECT id FROM requests WHERE id = $1', [created[0]!.body.id]);
      assert.equal(rows.length, 1);
      const later = await file({}, { 'idempotency-key': key });
      assert.equal(later.status, 200);
      assert.deepEqual(later.body, created[0]!.body);
      const other = await file({ description: '另一件事' }, { 'idempotency-key': key });
      assert.equal(other.status, 409);
    });

    test('a request costs at most two statements (PGlite one: the kept catalogue needs no read)', async () => {
      assert.equal((await file()).status, 201); // the kept catalogue read after the edits above
      const before = statementStats.count;
      for (let i = 0; i < 5; i++) assert.equal((await file()).status, 201);
      const per = (statementStats.count - before) / 5;
      assert.ok(per <= (config.name === 'PGlite' ? 1 : 2), `${per} statements per request`);
    });

    test('filings that arrive together share one statement (group commit), and each is stored whole with its own answer', async () => {
      statementStats.log = [];
      let filings: string[];
      let answers: Awaited<ReturnType<typeof file>>[];
      try {
        answers = await Promise.all(Array.from({ length: 12 }, (_, i) => file({ description: `楼下工地夜间施工噪音，第${i + 1}次投诉` })));
      } finally {
        filings = statementStats.log.filter((sql) => sql.startsWith('WITH idem0'));
        statementStats.log = null;
      }
      assert.deepEqual(answers.map((a) => a.status), Array(12).fill(201), JSON.stringify(answers.map((a) => a.body)));
      assert.equal(new Set(answers.map((a) => a.body.reference)).size, 12, 'each its own reference');
      assert.ok(filings.length >= 1 && filings.length < 12, `${filings.length} filing statements for 12 requests`);
      assert.ok(filings.some((sql) => sql.includes('idem1 AS')), 'a statement held more than one filing');
      const written = filings.reduce((n, sql) => n + (sql.match(/INSERT INTO requests /g)?.length ?? 0), 0);
      assert.equal(written, 12, 'every filing in exactly one statement');
      for (const [i, a] of answers.entries()) {
        const row = (await server.db.query<{ description: string; reference: string }>('SELECT description, reference FROM requests WHERE id = $1', [a.body.id]))[0];
        assert.deepEqual(row, { description: `楼下工地夜间施工噪音，第${i + 1}次投诉`, reference: a.body.reference }, 'its own words under its own reference');
        const timeline = await server.db.query('SELECT status FROM request_timeline WHERE request_id = $1', [a.body.id]);
        assert.equal(timeline.length, 2);
        const events = await server.db.query<{ type: string }>('SELECT type FROM loop_events WHERE request_id = $1 ORDER BY seq', [a.body.id]);
        assert.deepEqual(events.map((e) => e.type), ['filed', 'dispatched', 'deadline_set']);
        const kept = await call(api, `/requests/${a.body.reference}`, { headers: bearer(a.body.accessToken) });
        assert.equal(kept.status, 200, 'the resident reads it with the token answered');
      }
    });

    test('a filing the database refuses fails alone: the others that shared its statement are stored', async () => {
      const refused = '数据库拒收的这一件';
      // Each attempt at the refused row is counted by a sequence, which a failed statement does
      // not roll back: two attempts mean it went in a group first, then alone.
      await server.db.query('CREATE SEQUENCE refuse_attempts');
      await server.db.query(`CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.description = '${refused}' THEN PERFORM nextval('refuse_attempts'); RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
      await server.db.query('CREATE TRIGGER refuse_one BEFORE INSERT ON requests FOR EACH ROW EXECUTE FUNCTION refuse_one()');
      const attempts = async () => Number((await server.db.query<{ n: string }>('SELECT last_value AS n FROM refuse_attempts'))[0]!.n);
      try {
        // Filings sent at once nearly always share a statement; a burst where the refused one
        // happened to go alone is sent again (up to five), so the grouped case is the one checked.
        let grouped = false;
        for (let burst = 0; burst < 5 && !grouped; burst++) {
          const before = burst === 0 ? 0 : await attempts();
          const words = Array.from({ length: 7 }, (_, i) => (i === 3 ? refused : `同一时刻的第${i + 1}件诉求（第${burst + 1}轮）`));
          const answers = await Promise.all(words.map((description) => file({ description })));
          assert.ok(answers[3]!.status >= 500, `the refused one is not answered as filed (${answers[3]!.status})`);
          for (const [i, a] of answers.entries()) {
            if (i === 3) continue;
            assert.equal(a.status, 201, JSON.stringify(a.body));
            const rows = await server.db.query('SELECT id FROM requests WHERE id = $1 AND description = $2', [a.body.id, words[i]]);
            assert.equal(rows.length, 1, `${words[i]} is stored`);
          }
          grouped = (await attempts()) - before === 2;
        }
        assert.ok(grouped, 'in one burst the refused filing shared a statement with others, then was written alone');
        assert.equal((await server.db.query('SELECT id FROM requests WHERE description = $1', [refused])).length, 0);
      } finally {
        await server.db.query('DROP TRIGGER refuse_one ON requests');
        await server.db.query('DROP FUNCTION refuse_one()');
        await server.db.query('DROP SEQUENCE refuse_attempts');
      }
    });

    test('a new privacy notice: the old version is refused at once, in the resident\'s locale', async () => {
      const renewed = await put('privacy', { texts: { 'zh-CN': '新的隐私告知。', en: 'A new privacy notice.' } });
      assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
      const version = renewed.body.privacy.version;
      const old = await file({ locale: 'zh-CN', consent: { version: '2026-01', given: true } });
      assert.equal(old.status, 422);
      assert.ok(old.body.error.fields['consent.version']);
      const oldEn = await file({ locale: 'en', consent: { version: '2026-01', given: true } });
      assert.notEqual(oldEn.body.error.message, old.body.error.message, 'each in its own words');
      consent = { version, given: true };
      assert.equal((await file()).status, 201);
    });

    if (config.name === 'PostgreSQL') {
      test('a routing edit made by another process reaches this one\'s very next request', async () => {
        const other = await start(config, { databaseSchema: (config.options as { databaseSchema: string }).databaseSchema, demoAccounts: true });
        try {
          assert.equal((await file()).status, 201);
          const token = await staffToken(other.apiBase);
          const edit = await call(other.apiBase, `/staff/catalogue/routes/noise@${GARDEN}`, { method: 'PUT', body: { department: 'health' }, headers: bearer(token), noKey: true });
          assert.ok(edit.status === 200 || edit.status === 201, JSON.stringify(edit.body));
          assert.equal((await file()).body.routedTo.id, 'health');
          await call(other.apiBase, `/staff/catalogue/routes/noise@${GARDEN}`, { method: 'DELETE', headers: bearer(token), noKey: true });
        } finally {
          await other.close();
        }
      });
    }
  });
}
