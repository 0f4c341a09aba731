/**
 * Supervision (督办, loop/supervision.ts) on the real server and database with a ManualClock: an
 * overdue item is escalated once per deadline by the sweep (twice swept, two sweeps at once, two
 * server processes on one PostgreSQL), flagged in the queue (escalated=1) for the supervisor and the
 * owning office and sent live, shown to the resident as a step code; supervised by hand with a note
 * and a new limit by the supervisor or the dispatcher (403 for officers, 404 out of scope), audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import { ManualClock } from '../../demo/server/loop/clock.js';
import { loopEvents } from '../../demo/server/loop/events.js';
import { bearer, call, noiseRequest, openSse, start, storageConfigs, waitFor } from './helpers.js';

const HOUR = 3600_000;

for (const config of storageConfigs()) {
  describe(`supervision (${config.name})`, () => {
    let server: RunningServer;
    let clock: ManualClock;
    const sessions: Record<string, Record<string, string>> = {};
    before(async () => {
      clock = new ManualClock();
      server = await start(config, { demoAccounts: true, clock, escalateMs: 0 });
      for (const login of ['dispatcher', 'supervisor', 'sanitation', 'market', 'xinhua']) {
        const res = await call(server.apiBase, '/staff/session', { body: { login, password: `demo-${login}` } });
        assert.equal(res.status, 201, `sign in ${login}: ${JSON.stringify(res.body)}`);
        sessions[login] = bearer(res.body.token as string);
      }
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    const file = async () => {
      const res = await call(server.apiBase, '/requests', { body: noiseRequest() });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; reference: string; accessToken: string; replyBy: string };
    };
    const events = async (id: string, type: string) => (await loopEvents(server.db, id)).filter((e) => e.type === type);
    const queue = async (who: string, query = 'escalated=1') =>
      (await call(server.apiBase, `/staff/queue?${query}`, { headers: sessions[who] })).body.items as { reference?: string; escalation?: { level: number } }[];
    const resident = async (filed: { reference: string; accessToken: string }) =>
      (await call(server.apiBase, `/requests/${filed.reference}?locale=zh-CN`, { headers: bearer(filed.accessToken) })).body;

    test('an overdue item is escalated once: flagged for the supervisor and the office, live, in the loop events and the resident timeline', async () => {
      const filed = await file();
      const replied = await file();
      assert.equal((await call(server.apiBase, `/staff/requests/${replied.reference}/reply`, { body: { text: '已安排核查' }, headers: sessions.sanitation })).status, 200);
      assert.equal((await server.escalateOverdue()).filter((e) => e.reference === filed.reference).length, 0, 'not overdue yet: nothing escalated');

      const live = await openSse(`${server.apiBase}/staff/stream`, sessions.supervisor);
      try {
        await live.untilComment('connected');
        clock.set(new Date(filed.replyBy).getTime() + 60_000);
        const first = await server.escalateOverdue();
        const mine = first.filter((e) => e.reference === filed.reference);
        assert.deepEqual(mine.map((e) => [e.which, e.level]), [['reply', 1]], 'escalated once for the reply-by time');
        assert.ok(!first.some((e) => e.reference === replied.reference && e.which === 'reply'), 'a replied item is not escalated for its reply');
        assert.equal((await server.escalateOverdue()).filter((e) => e.reference === filed.reference).length, 0, 'a second sweep escalates nothing more');
        const [a, b] = await Promise.all([server.escalateOverdue(), server.escalateOverdue()]);
        assert.equal([...a, ...b].filter((e) => e.reference === filed.reference).length, 0, 'two sweeps at once: nothing more');

        const escalated = await events(filed.id, 'escalated');
        assert.equal(escalated.length, 1, 'one escalated loop event');
        assert.deepEqual(escalated[0]!.detail, { by: 'system', which: 'reply', due: new Date(filed.replyBy).toISOString(), level: 1 });
        assert.equal(escalated[0]!.officeId, 'sanitation');
        assert.equal(escalated[0]!.at.getTime(), clock.now().getTime(), 'at the clock’s time');

        await live.until((evs) => evs.some((e) => e.event === 'queue' && e.data.item.reference === filed.reference && e.data.item.escalation?.level === 1), 20_000, 'live queue event with the escalation');
      } finally {
        live.close();
      }
      assert.ok((await queue('supervisor')).some((i) => i.reference === filed.reference && i.escalation?.level === 1), 'in the supervisor’s 督办 queue');
      assert.ok((await queue('sanitation')).some((i) => i.reference === filed.reference), 'in the owning office’s 督办 queue');
      assert.ok(!(await queue('market')).some((i) => i.reference === filed.reference), 'not in another department’s');
      assert.ok(!(await queue('supervisor')).some((i) => i.reference === replied.reference), 'the replied item is not flagged');

      const detail = await resident(filed);
      const steps = detail.timeline.filter((t: { step?: { code: string } }) => t.step);
      assert.equal(steps.length, 1, 'one step in the resident timeline');
      assert.deepEqual(steps[0].step, { code: 'escalated', which: 'reply', due: new Date(filed.replyBy).toISOString() });
      assert.equal(steps[0].note, '已超时，热线中心正在督办');
      assert.equal(steps[0].status, 'routed');

      const sup = await call(server.apiBase, `/staff/requests/${filed.reference}/supervision`, { headers: sessions.sanitation });
      assert.equal(sup.status, 200);
      assert.equal(sup.body.level, 1);
      assert.equal(sup.body.canSupervise, false, 'the office reads it but does not supervise');
      assert.deepEqual(sup.body.history.map((h: { type: string; by: unknown }) => [h.type, h.by]), [['escalated', null]]);
    });

    test('supervised by hand: a note and a new limit (deadline_set), 403 for officers, 404 out of scope, audited; the resident sees it without the note; escalated again when the new limit passes', async () => {
      const filed = await file();
      const limit = new Date(clock.now().getTime() + 48 * HOUR).toISOString();
      const body = { note: '请两日内到现场核查并答复市民', replyBy: limit };
      const path = `/staff/requests/${filed.reference}/supervise`;
      assert.equal((await call(server.apiBase, path, { body, headers: sessions.sanitation })).status, 403, 'the department officer may not supervise');
      assert.equal((await call(server.apiBase, path, { body, headers: sessions.xinhua })).status, 403, 'the site officer may not supervise');
      assert.equal((await call(server.apiBase, path, { body, headers: sessions.market })).status, 404, 'out of scope: 404');
      const past = await call(server.apiBase, path, { body: { ...body, replyBy: new Date(clock.now().getTime() - 1000).toISOString() }, headers: sessions.supervisor });
      assert.equal(past.status, 422, 'a limit in the past is refused');
      assert.ok(past.body.error.fields.replyBy);
      const none = await call(server.apiBase, path, { body: { note: 'x' }, headers: sessions.supervisor });
      assert.equal(none.status, 422, 'a new limit is required');

      const res = await call(server.apiBase, path, { body, headers: sessions.supervisor });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.level, 1);
      assert.equal(res.body.replyBy, limit, 'the new limit is the item’s deadline');
      assert.equal(res.body.supervisedUntil, limit);
      assert.equal(res.body.history.at(-1).type, 'supervised');
      assert.equal(res.body.history.at(-1).note, body.note);
      assert.equal(res.body.history.at(-1).by.name, '赵刚');

      const supervised = await events(filed.id, 'supervised');
      assert.equal(supervised.length, 1);
      assert.equal(supervised[0]!.detail.note, body.note);
      assert.equal(supervised[0]!.detail.due, limit);
      assert.deepEqual((await events(filed.id, 'deadline_set')).at(-1)!.detail, { replyBy: limit, reason: 'supervised' });

      const audit = await call(server.apiBase, `/staff/audit?action=supervise`, { headers: sessions.supervisor });
      assert.equal(audit.status, 200);
      assert.ok(audit.body.entries.some((e: { target?: { id: string }; targetId?: string }) => JSON.stringify(e).includes(filed.reference)), 'audited');

      // The office reads the note in its console; the resident sees that the centre supervises it, not the note.
      const forOffice = await call(server.apiBase, `/staff/requests/${filed.reference}/supervision`, { headers: sessions.sanitation });
      assert.equal(forOffice.body.history.at(-1).note, body.note);
      assert.ok((await queue('sanitation')).some((i) => i.reference === filed.reference), 'flagged for the office');
      const detail = await resident(filed);
      assert.equal(detail.replyBy, limit, 'the resident’s reply-by is the new limit');
      const step = detail.timeline.find((t: { step?: { code: string } }) => t.step?.code === 'supervised');
      assert.deepEqual(step.step, { code: 'supervised', which: 'reply', due: limit });
      assert.ok(!JSON.stringify(detail).includes(body.note), 'the internal note never reaches the resident');

      // The dispatcher may supervise too.
      const later = new Date(clock.now().getTime() + 72 * HOUR).toISOString();
      const byDispatcher = await call(server.apiBase, path, { body: { note: '延长一天', replyBy: later }, headers: sessions.dispatcher });
      assert.equal(byDispatcher.status, 200);
      assert.equal(byDispatcher.body.level, 2);

      // The old limit passing escalates nothing; the new one once.
      clock.set(new Date(limit).getTime() + 60_000);
      assert.equal((await server.escalateOverdue()).filter((e) => e.reference === filed.reference).length, 0, 'the earlier limit no longer counts');
      clock.set(new Date(later).getTime() + 60_000);
      const again = (await server.escalateOverdue()).filter((e) => e.reference === filed.reference);
      assert.deepEqual(again.map((e) => [e.which, e.due, e.level]), [['reply', later, 3]]);
      assert.equal((await server.escalateOverdue()).filter((e) => e.reference === filed.reference).length, 0);
    });

    test('a closed item is neither escalated nor supervised', async () => {
      const filed = await file();
      assert.equal((await call(server.apiBase, `/staff/requests/${filed.reference}/status`, { body: { status: 'closed' }, headers: sessions.dispatcher })).status, 200);
      const res = await call(server.apiBase, `/staff/requests/${filed.reference}/supervise`, {
        body: { note: '督办', replyBy: new Date(clock.now().getTime() + HOUR).toISOString() }, headers: sessions.supervisor });
      assert.equal(res.status, 409);
      clock.advance(30 * 24 * HOUR);
      assert.equal((await server.escalateOverdue()).filter((e) => e.reference === filed.reference).length, 0);
    });

    if (config.name === 'PostgreSQL') {
      test('two server processes sweeping one database at once escalate an item once', async () => {
        const second = await start(config, { clock, escalateMs: 0 });
        try {
          const filed = await Promise.all([file(), file(), file()]);
          clock.set(Math.max(...filed.map((f) => new Date(f.replyBy).getTime())) + 60_000);
          const [a, b] = await Promise.all([server.escalateOverdue(), second.escalateOverdue()]);
          const c = await second.escalateOverdue();
          for (const f of filed) {
            assert.equal([...a, ...b, ...c].filter((e) => e.reference === f.reference).length, 1, `${f.reference} escalated once`);
            assert.equal((await events(f.id, 'escalated')).length, 1);
          }
          await waitFor(async () => ((await queue('supervisor')).filter((i) => filed.some((f) => f.reference === i.reference)).length === 3 ? true : null));
        } finally {
          await second.close();
        }
      });
    }
  });
}
