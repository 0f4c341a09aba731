import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import {
  DepartmentsResponseSchema,
  MetricsSchema,
  QueueResponseSchema,
  QueueStreamEventSchema,
  SitesResponseSchema,
  StaffConversationDetailSchema,
  StaffRequestDetailSchema,
} from '../../demo/server/staff/staff-api.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, LAKESIDE, noiseRequest, openSse, start, storageConfigs } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`staff API (${config.name})`, () => {
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

    test('departments and sites', async () => {
      const d = v.parse(DepartmentsResponseSchema, (await call(api, '/staff/departments?locale=en', { headers: staff() })).body);
      assert.ok(d.departments.length >= 10);
      assert.ok(d.departments.some((x) => x.id === 'dispatch' && /Dispatch/.test(x.name)));
      const s = v.parse(SitesResponseSchema, (await call(api, '/staff/sites', { headers: staff() })).body);
      assert.deepEqual(s.sites.find((x) => x.id === GARDEN), { id: GARDEN, name: '花园社区', parent: 'riverside/xinhua', level: 'community', timeZone: 'Asia/Shanghai' });
    });

    test('the live queue: a new request arrives on the stream; queue lists it newest first, with filters', async () => {
      const stream = await openSse(`${api}/staff/stream?token=${server.staffToken}`);
      await stream.untilComment('connected');
      const created = (await call(api, '/requests', { body: noiseRequest({ site: LAKESIDE, description: '<img src=x onerror=alert(1)> 工地' }) })).body;
      const events = await stream.until((e) => e.some((x) => x.event === 'queue' && x.data.item.id === created.id));
      const event = v.parse(QueueStreamEventSchema, events.find((x) => x.data.item.id === created.id)!.data);
      assert.equal(event.item.reference, created.reference);
      assert.equal(event.item.preview.startsWith('<img'), true, 'stored as text, as sent');
      const queue = v.parse(QueueResponseSchema, (await call(api, '/staff/queue', { headers: staff() })).body);
      assert.equal(queue.items[0]!.id, created.id);
      const bySite = (await call(api, `/staff/queue?site=riverside/heping`, { headers: staff() })).body;
      assert.ok(bySite.items.every((i: { site: { id: string } }) => i.site.id.startsWith('riverside/heping')));
      assert.ok(bySite.items.some((i: { id: string }) => i.id === created.id));
      const byOtherSite = (await call(api, `/staff/queue?site=${GARDEN}`, { headers: staff() })).body;
      assert.ok(!byOtherSite.items.some((i: { id: string }) => i.id === created.id));
      const byKind = (await call(api, '/staff/queue?kind=suggestion', { headers: staff() })).body;
      assert.ok(!byKind.items.some((i: { id: string }) => i.id === created.id));
      const byDept = (await call(api, '/staff/queue?department=sanitation&item=request&status=routed', { headers: staff() })).body;
      assert.ok(byDept.items.some((i: { id: string }) => i.id === created.id));
      const convOnly = (await call(api, '/staff/queue?item=conversation', { headers: staff() })).body;
      assert.ok(convOnly.items.every((i: { item: string }) => i.item === 'conversation'));
      assert.equal((await call(api, '/staff/queue?kind=nonsense', { headers: staff() })).status, 400);
      stream.close();
    });

    test('request detail, route, reply, status transitions', async () => {
      const created = (await call(api, '/requests', { body: noiseRequest() })).body;
      const detail = v.parse(StaffRequestDetailSchema, (await call(api, `/staff/requests/${created.reference}`, { headers: staff() })).body);
      // The contact on demand (staff/scope.ts): hidden in the detail, given by POST …/contact.
      assert.equal(detail.contact, null);
      assert.equal(detail.contactHidden, 'on_demand');
      assert.equal((await call(api, `/staff/requests/${created.reference}/contact`, { method: 'POST', headers: staff() })).body.contact?.phone, '13800000000');
      assert.equal(detail.page?.url, 'https://garden.example.gov/notices');
      assert.deepEqual(detail.fields.map((f) => f.id), ['source', 'occurred_at', 'location']);
      assert.equal(detail.fields[0]!.label, '噪音来源');
      assert.deepEqual(detail.nextStatuses, ['in_progress', 'replied', 'closed']);
      const routed = await call(api, `/staff/requests/${created.reference}/route`, { body: { department: 'market-regulation', note: '商铺噪音' }, headers: staff() });
      assert.equal(routed.status, 200);
      assert.equal(routed.body.routedTo.id, 'market-regulation');
      assert.equal(routed.body.timeline.at(-1).note, '商铺噪音');
      const badDept = await call(api, `/staff/requests/${created.reference}/route`, { body: { department: 'nasa' }, headers: staff() });
      assert.equal(badDept.status, 422);
      assert.ok(badDept.body.error.fields.department);
      const progress = await call(api, `/staff/requests/${created.reference}/status`, { body: { status: 'in_progress' }, headers: staff() });
      assert.equal(progress.body.status, 'in_progress');
      const illegal = await call(api, `/staff/requests/${created.reference}/status`, { body: { status: 'received' }, headers: staff() });
      assert.equal(illegal.status, 409);
      assert.equal(illegal.body.error.code, 'conflict');
      const badStatus = await call(api, `/staff/requests/${created.reference}/status`, { body: { status: 'lost' }, headers: staff() });
      assert.equal(badStatus.status, 422);
      const replied = await call(api, `/staff/requests/${created.reference}/reply`, { body: { text: '已联系商户' }, headers: staff() });
      assert.equal(replied.body.status, 'replied');
      assert.equal(replied.body.replies[0].department.id, 'market-regulation');
      const closed = await call(api, `/staff/requests/${created.reference}/status`, { body: { status: 'closed', note: '办结' }, headers: staff() });
      assert.equal(closed.body.status, 'closed');
      assert.equal((await call(api, `/staff/requests/${created.reference}/reply`, { body: { text: 'x' }, headers: staff() })).status, 409);
      const resident = (await call(api, `/requests/${created.reference}`, { headers: bearer(created.accessToken) })).body;
      assert.deepEqual(resident.timeline.map((t: { status: string }) => t.status), ['received', 'routed', 'routed', 'in_progress', 'replied', 'closed']);
      assert.equal((await call(api, '/staff/requests/RS-19990101-0001', { headers: staff() })).status, 404);
    });

    test('conversations: detail, staff message, route (one routed event, no second note), close', async () => {
      const conv = (await call(api, '/conversations', { body: { site: GARDEN, locale: 'en' } })).body;
      await call(api, `/conversations/${conv.id}/messages`, { body: { clientId: 'staff-test-1', text: 'Is anyone there?' }, headers: bearer(conv.token) });
      const resident = await openSse(`${api}/conversations/${conv.id}/events?token=${conv.token}`);
      const staffView = await openSse(`${api}/staff/conversations/${conv.id}/events?token=${server.staffToken}`);
      const detail = v.parse(StaffConversationDetailSchema, (await call(api, `/staff/conversations/${conv.id}`, { headers: staff() })).body);
      assert.equal(detail.conversation.status, 'waiting');
      assert.equal(detail.conversation.unread, 1);
      // the message, the status turning to waiting, the acknowledgement
      assert.deepEqual(detail.events.map((e) => e.type), ['message', 'status', 'message']);
      const sent = await call(api, `/staff/conversations/${conv.id}/messages`, { body: { text: 'Yes, how can I help?', clientId: 'console-0001' }, headers: staff() });
      assert.equal(sent.status, 201);
      assert.equal(sent.body.author, 'staff');
      assert.match(sent.body.authorName, /Dispatch/);
      const again = await call(api, `/staff/conversations/${conv.id}/messages`, { body: { text: 'Yes, how can I help?', clientId: 'console-0001' }, headers: staff() });
      assert.equal(again.status, 200);
      assert.equal(again.body.seq, sent.body.seq);
      const routed = await call(api, `/staff/conversations/${conv.id}/route`, { body: { department: 'civil-affairs' }, headers: staff() });
      assert.equal(routed.status, 200);
      assert.equal(routed.body.conversation.routedTo.id, 'civil-affairs');
      const types = routed.body.events.map((e: { type: string }) => e.type);
      assert.equal(types.at(-1), 'routed');
      assert.equal(routed.body.events.at(-1).department.name, 'District Civil Affairs Bureau');
      const closed = await call(api, `/staff/conversations/${conv.id}/close`, { method: 'POST', headers: staff() });
      assert.equal(closed.body.conversation.status, 'closed');
      for (const stream of [resident, staffView]) {
        const events = await stream.until((e) => e.some((x) => x.event === 'closed'));
        assert.deepEqual(events.map((e) => e.event), ['message', 'status', 'message', 'message', 'status', 'routed', 'status', 'closed']);
        assert.deepEqual(events.filter((e) => e.event === 'status').map((e) => e.data.status), ['waiting', 'open', 'closed']);
        stream.close();
      }
      assert.equal((await call(api, '/staff/conversations/nope', { headers: staff() })).status, 404);
    });

    test('metrics: open by status, first reply time, satisfaction by department and site, solved rate', async () => {
      const a = (await call(api, '/requests', { body: noiseRequest() })).body;
      const b = (await call(api, '/requests', { body: noiseRequest({ site: LAKESIDE }) })).body;
      for (const r of [a, b]) await call(api, `/staff/requests/${r.reference}/reply`, { body: { text: '已处理' }, headers: staff() });
      await call(api, `/requests/${a.reference}/feedback`, { body: { rating: 5, resolved: true }, headers: bearer(a.accessToken) });
      await call(api, `/requests/${b.reference}/feedback`, { body: { rating: 2, resolved: false }, headers: bearer(b.accessToken) });
      const metrics = v.parse(MetricsSchema, (await call(api, '/staff/metrics', { headers: staff() })).body);
      // Rated 5 and solved: resolved by the resident's word; rated 2, not solved: back to the office (退回重办, loop/ratings.ts).
      assert.ok(metrics.openByStatus.routed !== undefined && metrics.openByStatus.resolved! >= 1 && metrics.openByStatus.in_progress! >= 1, 'open by status after the ratings');
      assert.ok(metrics.medianFirstReplyMinutes !== null && metrics.medianFirstReplyMinutes >= 0);
      const sanitation = metrics.satisfactionByDepartment.find((d) => d.department.id === 'sanitation')!;
      assert.ok(sanitation.count >= 2);
      const garden = metrics.satisfactionBySite.find((s) => s.site.id === GARDEN)!;
      const lakeside = metrics.satisfactionBySite.find((s) => s.site.id === LAKESIDE)!;
      assert.ok(garden.average! >= 4);
      assert.ok(lakeside.average! <= 3);
      assert.ok(metrics.solvedRate !== null && metrics.solvedRate > 0 && metrics.solvedRate < 1);
    });
  });
}
