/**
 * Ratings are kept (issue 15, item 4): every rating and comment is its own record with its time; a
 * reopen never erases one; the resident rates the redo again; the timeline shows each rating; the
 * staff metrics count all of them, the unhappy ones above all; migration 3 keeps the old ratings.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { RequestDetailSchema, type RequestDetail } from '../../src/client/protocol.js';
import { MetricsSchema, StaffRequestDetailSchema } from '../../demo/server/staff/staff-api.js';
import { MIGRATIONS, migrate } from '../../demo/server/storage/migrations.js';
import type { Db, Queryable } from '../../demo/server/storage/db.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, LAKESIDE, noiseRequest, start, storageConfigs } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`ratings are kept (${config.name})`, () => {
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

    const reply = (reference: string, text: string) => call(api, `/staff/requests/${reference}/reply`, { body: { text }, headers: staff() });

    test('rate 2 not solved with a comment (sent back to be redone, issue 17), rate the redo 5: both kept, each in the timeline', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const auth = bearer(created.accessToken);
      const path = `/requests/${created.reference}`;
      await reply(created.reference, '已联系施工方');
      const first = await call(api, `${path}/feedback`, { body: { rating: 2, resolved: false, comment: '晚上还是很吵' }, headers: auth });
      assert.equal(first.status, 200);
      assert.equal(first.body.status, 'in_progress', 'a bad rating sends it back to be redone (退回重办) by itself');
      assert.equal((await call(api, `${path}/reopen`, { body: { reason: '昨晚十一点还在施工' }, headers: auth })).status, 409, 'already being redone');

      // After the reopen: the rating is still there, for the resident and for staff.
      const mine = v.parse(RequestDetailSchema, (await call(api, path, { headers: auth })).body);
      assert.deepEqual(mine.feedback && { rating: mine.feedback.rating, resolved: mine.feedback.resolved, comment: mine.feedback.comment }, { rating: 2, resolved: false, comment: '晚上还是很吵' });
      assert.equal(mine.feedbackHistory?.length, 1);
      assert.equal(mine.awaitingFeedback, false, 'nothing new to rate before the redo is answered');
      assert.equal(mine.canReopen, false);
      const staffView = v.parse(StaffRequestDetailSchema, (await call(api, `/staff${path}`, { headers: staff() })).body);
      assert.equal(staffView.feedback?.rating, 2);
      assert.equal(staffView.feedback?.comment, '晚上还是很吵');
      assert.deepEqual(staffView.feedbackHistory.map((f) => [f.rating, f.resolved, f.department.id]), [[2, false, 'sanitation']]);

      // The redo is answered: the resident may rate again, once.
      await reply(created.reference, '已要求夜间停工');
      const redo = v.parse(RequestDetailSchema, (await call(api, path, { headers: auth })).body);
      assert.equal(redo.awaitingFeedback, true, 'the new answer can be rated');
      assert.equal(redo.feedback?.rating, 2, 'until then the latest rating is still the one shown');
      const second = await call(api, `${path}/feedback`, { body: { rating: 5, resolved: true, comment: '现在安静了' }, headers: auth });
      assert.equal(second.status, 200, JSON.stringify(second.body));
      const done = v.parse(RequestDetailSchema, second.body);
      assert.equal(done.status, 'resolved');
      assert.equal(done.feedback?.rating, 5, 'the latest rating is "the" rating');
      assert.deepEqual(done.feedbackHistory!.map((f) => [f.rating, f.resolved, f.comment]), [[2, false, '晚上还是很吵'], [5, true, '现在安静了']]);
      assert.ok(Date.parse(done.feedbackHistory![0]!.at) <= Date.parse(done.feedbackHistory![1]!.at));
      assert.equal(done.awaitingFeedback, false);
      assert.equal((await call(api, `${path}/feedback`, { body: { rating: 1, resolved: false }, headers: auth })).status, 409, 'one rating per answer');

      // The timeline: each rating its own entry, where it happened.
      const kinds = (d: RequestDetail) => d.timeline.map((t) => (t.feedback ? `rated ${t.feedback.rating}` : t.status));
      assert.deepEqual(kinds(done), ['received', 'routed', 'replied', 'rated 2', 'in_progress', 'replied', 'rated 5', 'resolved']);
      const rated = done.timeline.filter((t) => t.feedback);
      assert.deepEqual(rated.map((t) => t.feedback), [{ rating: 2, resolved: false, comment: '晚上还是很吵' }, { rating: 5, resolved: true, comment: '现在安静了' }]);
      assert.equal(rated[0]!.status, 'replied', "a rating entry carries the request's status when it was given");
      assert.match(rated[0]!.note ?? '', /2\/5/, 'with a plain note for clients that do not know rating entries');
      const staffDone = v.parse(StaffRequestDetailSchema, (await call(api, `/staff${path}`, { headers: staff() })).body);
      assert.deepEqual(staffDone.timeline.filter((t) => t.feedback).map((t) => t.feedback!.rating), [2, 5]);
      const rows = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM request_feedback WHERE request_id = $1', [created.id]);
      assert.equal(Number(rows[0]!.n), 2);
    });

    test('a reopen without a new rating, then a rating: still one record per answer', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const auth = bearer(created.accessToken);
      const path = `/requests/${created.reference}`;
      await reply(created.reference, '已处理');
      assert.equal((await call(api, `${path}/reopen`, { body: {}, headers: auth })).status, 200, 'reopen before rating is allowed');
      await reply(created.reference, '再次处理');
      const fb = await call(api, `${path}/feedback`, { body: { rating: 3, resolved: false }, headers: auth });
      assert.equal(fb.status, 200);
      assert.deepEqual(fb.body.feedbackHistory.map((f: { rating: number }) => f.rating), [3]);
      assert.equal(fb.body.status, 'in_progress', '"not solved" sends it back to be redone (issue 17)');
    });

    test('the Open311 door never shows a rating comment in public status notes', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      await reply(created.reference, '已处理');
      await call(api, `/requests/${created.reference}/feedback`, { body: { rating: 1, resolved: false, comment: 'PRIVATE-COMMENT' }, headers: bearer(created.accessToken) });
      const notes = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM request_timeline WHERE note LIKE '%PRIVATE-COMMENT%'`);
      assert.equal(Number(notes[0]!.n), 0, 'ratings are not status notes');
    });
  });

  describe(`metrics count every rating (${config.name})`, () => {
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

    test('counts per level, not solved, unhappy ones listed, average of latest vs of all', async () => {
      const rate = async (reference: string, token: string, rating: number, resolved: boolean, comment?: string) => {
        const res = await call(api, `/requests/${reference}/feedback`, { body: { rating, resolved, ...(comment ? { comment } : {}) }, headers: bearer(token) });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      };
      const a = (await call(api, '/requests', { body: noiseRequest() })).body;
      const b = (await call(api, '/requests', { body: noiseRequest({ site: LAKESIDE }) })).body;
      for (const r of [a, b]) await call(api, `/staff/requests/${r.reference}/reply`, { body: { text: '已处理' }, headers: staff() });
      // Not solved: sent back to be redone by itself (issue 17), no reopen needed.
      await rate(a.reference, a.accessToken, 2, false, '还是很吵');
      await call(api, `/staff/requests/${a.reference}/reply`, { body: { text: '已停工' }, headers: staff() });
      await rate(a.reference, a.accessToken, 5, true);
      await rate(b.reference, b.accessToken, 4, true);

      const metrics = v.parse(MetricsSchema, (await call(api, '/staff/metrics', { headers: staff() })).body);
      assert.deepEqual(metrics.ratings.byRating, { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 });
      assert.equal(metrics.ratings.count, 3, 'the rating given before the reopen still counts');
      assert.equal(metrics.ratings.requests, 2);
      assert.equal(metrics.ratings.notSolved, 1);
      assert.equal(metrics.ratings.unhappy, 1);
      assert.equal(metrics.ratings.averageAll, 3.67);
      assert.equal(metrics.ratings.averageLatest, 4.5);
      assert.equal(metrics.solvedRate, 1, 'both requests are solved now, by their latest rating');
      assert.equal(metrics.unhappyRatings.length, 1);
      assert.deepEqual(
        (({ reference, rating, resolved, comment, reopened, status }) => ({ reference, rating, resolved, comment, reopened, status }))(metrics.unhappyRatings[0]!),
        { reference: a.reference, rating: 2, resolved: false, comment: '还是很吵', reopened: true, status: 'resolved' },
      );
      assert.equal(metrics.unhappyRatings[0]!.department.id, 'sanitation');
      assert.equal(metrics.unhappyRatings[0]!.site.id, GARDEN);
      const sanitation = metrics.satisfactionByDepartment.find((d) => d.department.id === 'sanitation')!;
      assert.deepEqual([sanitation.count, sanitation.unhappy], [3, 1]);
      const garden = metrics.satisfactionBySite.find((s) => s.site.id === GARDEN)!;
      assert.deepEqual([garden.count, garden.average, garden.unhappy], [2, 3.5, 1]);
    });
  });
}

/** A bare database with no migrations applied: PGlite in memory, or a fresh PostgreSQL schema. */
async function bareDbs(): Promise<{ name: string; open(): Promise<{ db: Db; close(): Promise<void> }> }[]> {
  const engines = [{
    name: 'PGlite',
    async open() {
      const lite = new PGlite();
      const run = async (target: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) => (await target.query(sql, params as unknown[])).rows as Record<string, unknown>[];
      const db = {
        engine: 'pglite',
        query: (sql: string, params?: unknown[]) => run(lite, sql, params),
        tx: (fn: (q: Queryable) => Promise<unknown>) => lite.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) } as Queryable)),
      } as unknown as Db;
      return { db, close: () => lite.close() };
    },
  }];
  const url = process.env.DATABASE_URL;
  if (url) {
    engines.push({
      name: 'PostgreSQL',
      async open() {
        const schema = `t_mig_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`CREATE SCHEMA ${schema}`);
        await client.query(`SET search_path TO ${schema}`);
        const query = async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Record<string, unknown>[];
        const db = {
          engine: 'postgres',
          query,
          async tx(fn: (q: Queryable) => Promise<unknown>) {
            await client.query('BEGIN');
            try {
              const out = await fn({ query } as Queryable);
              await client.query('COMMIT');
              return out;
            } catch (error) {
              await client.query('ROLLBACK');
              throw error;
            }
          },
        } as unknown as Db;
        return {
          db,
          async close() {
            await client.query(`DROP SCHEMA ${schema} CASCADE`);
            await client.end();
          },
        };
      },
    });
  }
  return engines;
}

for (const engine of await bareDbs()) {
  describe(`migration 3 keeps the ratings given before it (${engine.name})`, () => {
    test('requests.feedback becomes a request_feedback record, placed in the timeline where it was given', async () => {
      const { db, close } = await engine.open();
      try {
        await migrate(db, 2);
        await db.query(`INSERT INTO sites (id, level, names, reply_hours) VALUES ('s', 'district', '{}', 16)`);
        await db.query(`INSERT INTO departments (id, names) VALUES ('d', '{}')`);
        await db.query(`INSERT INTO services (id, department_id, names, groups, descriptions, kinds) VALUES ('v', 'd', '{}', '{}', '{}', '{help}')`);
        const feedback = { rating: 2, resolved: false, comment: 'still broken', at: '2026-11-30T10:00:00.000Z' };
        await db.query(
          `INSERT INTO requests (id, reference, site_id, service_id, kind, status, department_id, description, consent_version, locale, access_token_hash, feedback)
           VALUES ('r1', 'RS-1', 's', 'v', 'help', 'closed', 'd', 'x', '2026-01', 'zh-CN', 'h', $1), ('r2', 'RS-2', 's', 'v', 'help', 'routed', 'd', 'x', '2026-01', 'zh-CN', 'h', NULL)`,
          [JSON.stringify(feedback)],
        );
        await db.query(`INSERT INTO request_timeline (request_id, at, status, department_id) VALUES
          ('r1', '2026-11-29T00:00:00Z', 'received', NULL), ('r1', '2026-11-30T09:00:00Z', 'replied', 'd'), ('r1', '2026-12-01T00:00:00Z', 'closed', 'd')`);
        await migrate(db);
        const rows = await db.query('SELECT request_id, round, rating, resolved, comment, status, department_id, at FROM request_feedback ORDER BY id');
        assert.equal(rows.length, 1);
        const row = rows[0]!;
        assert.deepEqual(
          { ...row, at: new Date(row.at as string).toISOString() },
          { request_id: 'r1', round: 1, rating: 2, resolved: false, comment: 'still broken', status: 'replied', department_id: 'd', at: feedback.at },
        );
        const placed = await db.query(`SELECT t.status FROM request_feedback f JOIN request_timeline t ON t.id = f.after_timeline_id`);
        assert.deepEqual(placed, [{ status: 'replied' }], 'after the reply it rated, before the close');
        const versions = await db.query('SELECT version FROM schema_migrations ORDER BY version');
        assert.deepEqual(versions.map((r) => r.version), MIGRATIONS.map((m) => m.version));
      } finally {
        await close();
      }
    });
  });
}
