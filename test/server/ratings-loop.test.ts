/**
 * 回访 / 好差评 (issue 17) on a ManualClock: a bad rating or "not solved" sends the item back to be
 * redone with a new limit and the office must answer; a good one closes the loop; a supervisor's
 * appeal is kept (never deleted); the return-visit list shows a resident after N days and the
 * call's outcome is the rating; rating from any device with the reference and the contact.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { ManualClock } from '../../demo/server/loop/clock.js';
import { loopEvents } from '../../demo/server/loop/events.js';
import { RatingsViewSchema, ReturnVisitListSchema } from '../../demo/server/loop/ratings-api.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, noiseRequest, start, storageConfigs } from './helpers.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

for (const config of storageConfigs()) {
  describe(`ratings drive the loop (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let clock: ManualClock;
    const as: Record<string, Record<string, string>> = {};
    before(async () => {
      clock = new ManualClock(Date.parse('2026-12-01T02:00:00Z'));
      server = await start(config, { demoAccounts: true, clock });
      api = server.apiBase;
      for (const login of ['dispatcher', 'sanitation', 'supervisor', 'market']) {
        const res = await call(api, '/staff/session', { body: { login, password: `demo-${login}` } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        as[login] = bearer(res.body.token as string);
      }
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    const file = async (overrides: Record<string, unknown> = {}) => (await call(api, '/requests', { body: noiseRequest(overrides) })).body as { reference: string; id: string; accessToken: string };
    const reply = async (reference: string, text = '已处理') => {
      const res = await call(api, `/staff/requests/${reference}/reply`, { body: { text }, headers: as.sanitation! });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    const rate = (reference: string, token: string, rating: number, resolved: boolean) =>
      call(api, `/requests/${reference}/feedback`, { body: { rating, resolved }, headers: bearer(token) });
    const types = async (id: string) => (await loopEvents(server.db, id)).map((e) => e.type);
    const queue = async (login: string, query: string) => ((await call(api, `/staff/queue?${query}`, { headers: as[login]! })).body.items as { reference?: string }[]).map((i) => i.reference);

    test('不满意 sends it back to the same office with a new limit; the office must answer it', async () => {
      const r = await file();
      await reply(r.reference);
      const rated = await rate(r.reference, r.accessToken, 2, true);
      assert.equal(rated.status, 200, JSON.stringify(rated.body));
      assert.equal(rated.body.status, 'in_progress', 'back to in_progress');
      assert.equal(rated.body.routedTo.id, 'sanitation', 'the same office');
      const limit = Date.parse(rated.body.replyBy) - clock.now().getTime();
      assert.ok(limit >= 5 * DAY && limit <= 9 * DAY, `5 working days on the calendar from the loop clock: ${rated.body.replyBy}`);
      const step = rated.body.timeline.at(-1);
      assert.deepEqual([step.status, step.step?.code], ['in_progress', 'redo'], 'the resident sees the redo as a code the widget words');
      assert.equal(rated.body.awaitingFeedback, false);
      const events = await loopEvents(server.db, r.id);
      const ratedEvent = events.find((e) => e.type === 'rated')!;
      assert.deepEqual(ratedEvent.detail, { level: 2, code: 'dissatisfied', solved: true, channel: 'widget', round: 1 });
      const redo = events.find((e) => e.type === 'redo')!;
      assert.equal(redo.officeId, 'sanitation');
      assert.equal(redo.detail.reason, 'bad_rating');
      assert.ok(events.some((e) => e.type === 'deadline_set' && e.detail.reason === 'redo'));
      assert.ok((await queue('sanitation', 'redo=1')).includes(r.reference), 'the office finds it under "redo"');
      const view = v.parse(RatingsViewSchema, (await call(api, `/staff/requests/${r.reference}/ratings`, { headers: as.sanitation! })).body);
      assert.deepEqual(view.redo && [view.redo.round, view.redo.office.id], [1, 'sanitation']);
      assert.deepEqual(view.ratings.map((x) => [x.round, x.level, x.sentBack, x.channel]), [[1, 'dissatisfied', true, 'widget']]);

      // The office answers the redo: off the redo list, and the resident rates the new answer.
      clock.advance(HOUR);
      await reply(r.reference, '已重新处理');
      assert.ok(!(await queue('sanitation', 'redo=1')).includes(r.reference), 'answered: no longer waiting under "redo"');
      const again = await rate(r.reference, r.accessToken, 4, true);
      assert.equal(again.status, 200);
      assert.equal(again.body.status, 'resolved', 'a good solved rating closes the loop');
      const all = await types(r.id);
      assert.equal(all.filter((t) => t === 'rated').length, 2);
      assert.equal(all.filter((t) => t === 'redo').length, 1, 'no second redo after a good rating');
      assert.equal(all.at(-1), 'resolved');
    });

    test('满意 but "not solved" is sent back too; 基本满意 and solved is not', async () => {
      const a = await file();
      await reply(a.reference);
      const notSolved = await rate(a.reference, a.accessToken, 4, false);
      assert.equal(notSolved.body.status, 'in_progress');
      const redo = (await loopEvents(server.db, a.id)).find((e) => e.type === 'redo');
      assert.equal(redo?.detail.reason, 'not_solved');
      const b = await file();
      await reply(b.reference);
      const fair = await rate(b.reference, b.accessToken, 3, true);
      assert.equal(fair.body.status, 'resolved');
      assert.ok(!(await types(b.id)).includes('redo'));
    });

    test('a supervisor appeals a rating: recorded with the reason, in the loop and the audit, never deleted; others may not', async () => {
      const r = await file();
      await reply(r.reference);
      await rate(r.reference, r.accessToken, 1, false);
      const path = `/staff/requests/${r.reference}/ratings/1/appeal`;
      assert.equal((await call(api, path, { body: { reason: 'x' }, headers: as.dispatcher! })).status, 403);
      assert.equal((await call(api, path, { body: { reason: '' }, headers: as.supervisor! })).status, 422);
      assert.equal((await call(api, `/staff/requests/${r.reference}/ratings/7/appeal`, { body: { reason: '无此评价' }, headers: as.supervisor! })).status, 404);
      const res = await call(api, path, { body: { reason: '市民反映的是另一处工地，不属本次诉求' }, headers: as.supervisor! });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const view = v.parse(RatingsViewSchema, res.body);
      assert.deepEqual(view.ratings[0]!.appeals.map((x) => [x.by.name, x.reason]), [['赵刚', '市民反映的是另一处工地，不属本次诉求']]);
      assert.ok((await types(r.id)).includes('appeal'));
      const trail = await server.db.query<{ actor_name: string }>(`SELECT actor_name FROM audit_log WHERE action = 'rating_appeal' AND target_id = $1`, [r.reference]);
      assert.deepEqual(trail.map((t) => t.actor_name), ['赵刚'], 'audited');
      await assert.rejects(server.db.query('DELETE FROM rating_appeals'), /append-only/);
      await assert.rejects(server.db.query(`UPDATE rating_appeals SET reason = ''`), /append-only/);
      const rows = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM request_feedback WHERE request_id = $1', [r.id]);
      assert.equal(Number(rows[0]!.n), 1, 'the rating still counts');
    });

    test('return visits: listed after N days without a rating; the call is the rating; three unreached calls leave the list', async () => {
      const a = await file();
      const b = await file();
      const noPhone = await file({ contact: { email: 'only@example.com', preferred: 'email' } });
      for (const r of [a, b, noPhone]) await reply(r.reference);
      const list = async (login = 'dispatcher') => v.parse(ReturnVisitListSchema, (await call(api, '/staff/return-visits', { headers: as[login]! })).body).items.map((i) => i.reference);
      assert.ok(!(await list()).includes(a.reference), 'not before 3 days');
      clock.advance(3 * DAY - HOUR);
      assert.ok(!(await list()).includes(a.reference), 'not at 2 days 23 hours');
      clock.advance(2 * HOUR);
      const due = await list();
      assert.ok(due.includes(a.reference) && due.includes(b.reference), 'both after 3 days');
      assert.ok(!due.includes(noPhone.reference), 'only residents who left a phone');
      assert.ok((await list('supervisor')).includes(a.reference), 'supervisors see the list');
      assert.equal((await call(api, '/staff/return-visits', { headers: as.sanitation! })).status, 403);
      const item = v.parse(ReturnVisitListSchema, (await call(api, '/staff/return-visits', { headers: as.dispatcher! })).body).items.find((i) => i.reference === a.reference)!;
      assert.equal(item.phoneHint, '138****0000');

      // Reached: the outcome is the rating (channel return_visit); a bad one is redone like any other.
      const visit = `/staff/requests/${a.reference}/return-visit`;
      assert.equal((await call(api, visit, { body: { reached: true, solved: true }, headers: as.dispatcher! })).status, 422, 'a rating is needed');
      assert.equal((await call(api, visit, { body: { reached: true, rating: 5, solved: true }, headers: as.supervisor! })).status, 403);
      const called = await call(api, visit, { body: { reached: true, rating: 2, solved: false, comment: '电话回访：仍有噪音' }, headers: as.dispatcher! });
      assert.equal(called.status, 200, JSON.stringify(called.body));
      const view = v.parse(RatingsViewSchema, called.body);
      assert.deepEqual(view.ratings.map((x) => [x.rating, x.channel, x.sentBack]), [[2, 'return_visit', true]]);
      const events = await loopEvents(server.db, a.id);
      assert.deepEqual(events.find((e) => e.type === 'rated')?.detail, { level: 2, code: 'dissatisfied', solved: false, channel: 'return_visit', round: 1 });
      assert.ok(events.some((e) => e.type === 'return_visit' && e.detail.outcome === 'rated'));
      assert.ok(!(await list()).includes(a.reference), 'rated: off the list');

      // Not reached three times: unreachable, off the list.
      const visitB = `/staff/requests/${b.reference}/return-visit`;
      for (let i = 0; i < 2; i++) {
        assert.equal((await call(api, visitB, { body: { reached: false, comment: '无人接听' }, headers: as.dispatcher! })).status, 200);
        assert.ok((await list()).includes(b.reference), 'still on the list after an unanswered call');
      }
      const third = v.parse(RatingsViewSchema, (await call(api, visitB, { body: { reached: false }, headers: as.dispatcher! })).body);
      assert.deepEqual(third.calls.map((x) => x.outcome), ['no_answer', 'no_answer', 'unreachable']);
      assert.ok(!(await list()).includes(b.reference), 'unreachable: off the list');
      assert.equal((await call(api, visitB, { body: { reached: false }, headers: as.dispatcher! })).status, 409);
      assert.deepEqual((await loopEvents(server.db, b.id)).filter((e) => e.type === 'return_visit').map((e) => e.detail.outcome), ['no_answer', 'no_answer', 'unreachable']);
    });

    test('any device: the reference and the contact rate it; a wrong contact gets one answer whether or not the reference exists', async () => {
      const r = await file();
      await reply(r.reference);
      const wrong = await call(api, `/requests/${r.reference}/feedback?locale=en`, { body: { rating: 5, resolved: true }, headers: { 'x-intake-contact': '13900000000' } });
      const absent = await call(api, `/requests/${r.reference.slice(0, -6)}AAAA-A/feedback?locale=en`, { body: { rating: 5, resolved: true }, headers: { 'x-intake-contact': '13900000000' } });
      assert.equal(wrong.status, 404);
      assert.match(wrong.body.error.message, /No request matches/);
      assert.ok([404, 422].includes(absent.status));
      const ok = await call(api, `/requests/${r.reference}/feedback`, { body: { rating: 5, resolved: true }, headers: { 'x-intake-contact': '+86 138 0000 0000' } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const rated = (await loopEvents(server.db, r.id)).find((e) => e.type === 'rated');
      assert.equal(rated?.detail.channel, 'any_device');
    });
  });
}

describe('any-device rating is rate-limited per reference as well as per address', () => {
  test('wrong contacts for one reference from many addresses: past the budget a new address is 429 too', async () => {
    const [config] = storageConfigs();
    const server = await start(config!, { rateLimit: { lookupFailures: 3 }, trustProxy: 1 });
    try {
      const r = (await call(server.apiBase, '/requests', { body: noiseRequest() })).body;
      const from = (ip: string, contact: string) => ({ 'x-forwarded-for': ip, 'x-intake-contact': contact });
      for (let i = 0; i < 3; i++) {
        assert.equal((await call(server.apiBase, `/requests/${r.reference}`, { headers: from(`203.0.113.${10 + i}`, '13900000000') })).status, 404);
      }
      assert.equal((await call(server.apiBase, `/requests/${r.reference}`, { headers: from('203.0.113.99', '13900000000') })).status, 429, 'a fresh address is stopped for this reference');
    } finally {
      await server.close();
      await config!.cleanup();
    }
  });
});
