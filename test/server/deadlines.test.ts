/**
 * Deadlines at filing and after (demo/server/loop/deadlines.ts) with the server's clock moved by
 * hand, on PGlite and PostgreSQL: reply_by and resolve_by on the demo city's calendar, the loop
 * events of filing, overdue for the resident and staff once the clock passes a limit, the queue's
 * due filter and due sort, and the calendar kept through the city file's export and import.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { QueueResponseSchema, type QueueResponse } from '../../demo/server/staff/staff-api.js';
import type { RunningServer } from '../../demo/server/server.js';
import { ManualClock } from '../../demo/server/loop/clock.js';
import { loopEvents } from '../../demo/server/loop/events.js';
import { bearer, call, noiseRequest, start, storageConfigs, uniqueKey } from './helpers.js';

const H = 3600_000;

for (const config of storageConfigs()) {
  describe(`deadlines (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    // Wednesday 30 September 2026, 23:59 in Shanghai: the eve of the National Day week.
    const clock = new ManualClock(Date.parse('2026-09-30T15:59:00.000Z'));
    const staff = () => bearer(server.staffToken);
    const queue = async (query: string): Promise<QueueResponse> => {
      const res = await call(api, `/staff/queue?${query}`, { headers: staff() });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return v.parse(QueueResponseSchema, res.body);
    };
    const resident = async (made: { reference: string; accessToken: string }, locale = 'zh-CN') => {
      const res = await call(api, `/requests/${made.reference}?locale=${locale}`, { headers: bearer(made.accessToken) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as { replyBy: string | null; resolveBy: string | null; overdue: 'reply' | 'resolve' | null; timeZone: string };
    };
    const file = async (body: Record<string, unknown>) => {
      const res = await call(api, '/requests', { body: noiseRequest(body) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; reference: string; accessToken: string; replyBy: string; resolveBy: string; createdAt: string };
    };
    const mark = uniqueKey('due');
    let general: Awaited<ReturnType<typeof file>>;
    let urgent: Awaited<ReturnType<typeof file>>;

    before(async () => {
      server = await start(config, { demoAccounts: true, clock });
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('filing at 23:59 before the holiday: limits on the working-day calendar, from the server\'s clock', async () => {
      general = await file({ description: `${mark} 工地夜里施工` });
      assert.equal(general.createdAt, '2026-09-30T15:59:00.000Z', 'filed at the clock\'s time');
      // The site's promise, 2 working days: Thursday 8 and Friday 9 October (1–7 off).
      assert.equal(general.replyBy, '2026-10-09T15:59:59.999Z');
      // General, 7 working days: 8, 9, Saturday 10 (worked), 12, 13, 14, 15.
      assert.equal(general.resolveBy, '2026-10-15T15:59:59.999Z');
      urgent = await file({
        service: 'road-hazard', type: 'help', description: `${mark} 井盖缺失`,
        fields: { location: { address: '新华路3号' }, hazard: 'manhole' },
      });
      // Urgent: 2 clock hours, holiday or not; the reply no later.
      assert.equal(urgent.resolveBy, '2026-09-30T17:59:00.000Z');
      assert.equal(urgent.replyBy, '2026-09-30T17:59:00.000Z');

      const seen = await resident(general);
      assert.equal(seen.replyBy, general.replyBy);
      assert.equal(seen.resolveBy, general.resolveBy);
      assert.equal(seen.overdue, null);
      assert.equal(seen.timeZone, 'Asia/Shanghai');

      const events = await loopEvents(server.db, general.id);
      const types = events.map((e) => e.type);
      assert.ok(types.includes('filed') && types.includes('deadline_set'), types.join());
      assert.ok(types.indexOf('filed') < types.indexOf('deadline_set'), 'filed first');
      const set = events.find((e) => e.type === 'deadline_set')!;
      assert.deepEqual(set.detail, { reason: 'filed', class: 'general', replyBy: general.replyBy, resolveBy: general.resolveBy });
      assert.equal(set.at.toISOString(), '2026-09-30T15:59:00.000Z');
      const urgentSet = (await loopEvents(server.db, urgent.id)).find((e) => e.type === 'deadline_set')!;
      assert.equal(urgentSet.detail['class'], 'urgent');
    });

    test('staff queue: replyBy, resolveBy, due soon within the window, sorted by what is due first', async () => {
      const all = await queue(`q=${mark}&sort=due`);
      assert.deepEqual(all.items.map((i) => i.id), [urgent.id, general.id], 'the urgent one first');
      const [u, g] = all.items;
      assert.equal(u!.due, 'soon', 'due in 2 hours: within 4 working hours');
      assert.equal(g!.due, null);
      assert.equal(g!.replyBy, general.replyBy);
      assert.equal(g!.resolveBy, general.resolveBy);
      assert.deepEqual((await queue(`q=${mark}&due=soon`)).items.map((i) => i.id), [urgent.id]);
      assert.deepEqual((await queue(`q=${mark}&due=overdue`)).items.map((i) => i.id), []);
      assert.equal((await call(api, `/staff/queue?due=late`, { headers: staff() })).status, 400);
    });

    test('the clock past a limit: overdue for the resident and in the queue; a reply ends the reply\'s', async () => {
      clock.advance(3 * H);
      assert.equal((await resident(urgent)).overdue, 'reply');
      assert.equal((await resident(general)).overdue, null);
      assert.deepEqual((await queue(`q=${mark}&due=overdue`)).items.map((i) => i.id), [urgent.id]);
      // Saturday 10 October, 00:00:01 in Shanghai: the general one's reply limit (Friday's end) has passed.
      clock.set(Date.parse('2026-10-09T16:00:01.000Z'));
      assert.equal((await resident(general, 'en')).overdue, 'reply');
      const overdue = await queue(`q=${mark}&due=overdue&sort=due`);
      assert.deepEqual(overdue.items.map((i) => i.id), [urgent.id, general.id]);
      assert.ok(overdue.items.every((i) => i.due === 'overdue'));
      const detail = await call(api, `/staff/requests/${general.reference}`, { headers: staff() });
      assert.equal(detail.body.overdue, 'reply', 'the staff detail says so too');

      const replied = await call(api, `/staff/requests/${general.reference}/reply`, { headers: staff(), body: { text: '已安排城管中队核查' } });
      assert.equal(replied.status, 200, JSON.stringify(replied.body));
      assert.equal((await resident(general)).overdue, null, 'replied; the resolution is due on the 15th');
      assert.deepEqual((await queue(`q=${mark}&due=overdue`)).items.map((i) => i.id), [urgent.id]);
      clock.set(Date.parse('2026-10-15T16:00:00.000Z'));
      assert.equal((await resident(general)).overdue, 'resolve');
    });

    test('closing and reopening are loop events', async () => {
      const closed = await call(api, `/staff/requests/${urgent.reference}/status`, { headers: staff(), body: { status: 'closed' } });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      assert.equal((await resident(urgent)).overdue, null, 'closed: nothing is due');
      const reopened = await call(api, `/staff/requests/${urgent.reference}/status`, { headers: staff(), body: { status: 'in_progress' } });
      assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
      const types = (await loopEvents(server.db, urgent.id)).map((e) => e.type);
      assert.ok(types.includes('closed') && types.includes('reopened'), types.join());
    });

    test('the calendar and the services\' deadlines go out and come back in the city file; a changed calendar counts at once', async () => {
      const login = await call(api, '/staff/session', { body: { login: 'admin', password: 'demo-admin' } });
      assert.equal(login.status, 201, JSON.stringify(login.body));
      const admin = bearer(login.body.token as string);
      const exported = await call(api, '/staff/catalogue', { headers: admin });
      assert.equal(exported.status, 200, JSON.stringify(exported.body));
      const file = exported.body as { calendar: { dueSoon?: unknown; years: { year: number; provisional?: boolean; workdays: string[] }[] }; services: { id: string; deadline?: { class: string } }[] };
      assert.deepEqual(file.calendar.years.map((y) => [y.year, y.provisional ?? false]), [[2026, false], [2027, true]]);
      assert.deepEqual(file.calendar.dueSoon, { workingHours: 4 });
      assert.deepEqual(file.services.find((s) => s.id === 'road-hazard')!.deadline, { class: 'urgent' });
      const put = (text: string) => call(api, '/staff/catalogue', { method: 'PUT', raw: text, headers: { ...admin, 'content-type': 'application/json' }, noKey: true });
      const text = JSON.stringify(file, null, 2);
      assert.equal((await put(text)).status, 200);
      assert.deepEqual((await call(api, '/staff/catalogue', { headers: admin })).body, file, 'the same file after the round trip');
      // The city makes Saturday 17 October a working day: a request filed on Friday 16th at noon, 1 working day → the 17th.
      file.calendar.years[0]!.workdays.push('2026-10-17');
      (file.services.find((s) => s.id === 'noise') as { deadline?: unknown }).deadline = { class: 'general', resolveWithin: { workingDays: 1 } };
      const changed = await put(JSON.stringify(file, null, 2));
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      clock.set(Date.parse('2026-10-16T04:00:00.000Z'));
      const made = await file2();
      assert.equal(made.resolveBy, '2026-10-17T15:59:59.999Z');
      const bad = structuredClone(file);
      bad.calendar.years[0]!.workdays.push('2026-10-14');
      const refused = await put(JSON.stringify(bad, null, 2));
      assert.equal(refused.status, 422);
      assert.match(JSON.stringify(refused.body), /make-up working day is a Saturday or a Sunday/);
    });
    const file2 = () => file({ description: `${mark} again` });
  });
}
