/**
 * 转工单: a chat becomes a request (POST /staff/conversations/:id/work-order) — filed by the
 * form's code at the chat's site and routed by the catalogue, linked both ways, once per chat, its
 * files carried over, and the resident told the reference and able to follow it in My requests.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { EventsPageSchema, RequestDetailSchema } from '../../src/client/protocol.js';
import { StaffConversationDetailSchema, StaffRequestDetailSchema, WorkOrderCreatedSchema } from '../../demo/server/staff/staff-api.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, LAKESIDE, openSse, start, storageConfigs, uniqueKey } from './helpers.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

for (const config of storageConfigs()) {
  describe(`work orders from chats (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    before(async () => {
      server = await start(config, { heartbeatMs: 300 });
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });
    const staff = () => bearer(server.staffToken);

    const chat = async (site = GARDEN, locale = 'zh-CN') => {
      const res = await call(api, '/conversations', { body: { site, locale } });
      assert.equal(res.status, 201);
      return res.body as { id: string; token: string };
    };
    const say = (conv: { id: string; token: string }, text: string, attachments: string[] = []) =>
      call(api, `/conversations/${conv.id}/messages`, { body: { clientId: uniqueKey('c'), text, attachments }, headers: bearer(conv.token) });
    const upload = async (site: string) => {
      const form = new FormData();
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'photo.png');
      const res = await fetch(`${api}/attachments?site=${encodeURIComponent(site)}`, { method: 'POST', body: form });
      assert.equal(res.status, 201);
      return (await res.json()) as { id: string };
    };
    const workOrder = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      call(api, `/staff/conversations/${id}/work-order`, { body, headers: { ...staff(), ...headers } });

    test('files the chat as a request: description, files, site, locale, route; linked both ways; audited', async () => {
      const conv = await chat();
      const photo = await upload(GARDEN);
      await say(conv, '楼下工地每天夜里十一点还在打桩');
      await say(conv, '照片在这里', [photo.id]);
      await call(api, `/staff/conversations/${conv.id}/messages`, { body: { text: '请问具体地址是？' }, headers: staff() });
      await say(conv, '新华路12号');
      const res = await workOrder(conv.id, { service: 'noise', kind: 'complaint', contact: { name: '李先生', phone: '13900001111' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const created = v.parse(WorkOrderCreatedSchema, res.body);
      assert.match(created.reference, /^[A-Z]+-/);
      assert.equal(created.conversationId, conv.id);
      // Noise at Garden goes where the catalogue sends it (the sanitation bureau unless a rule says otherwise).
      const detail = v.parse(StaffRequestDetailSchema, (await call(api, `/staff/requests/${created.reference}`, { headers: staff() })).body);
      assert.equal(detail.site.id, GARDEN);
      assert.equal(detail.locale, 'zh-CN');
      assert.equal(detail.type, 'complaint');
      assert.equal(detail.routedTo.id, created.routedTo.id);
      assert.equal(detail.description, '楼下工地每天夜里十一点还在打桩\n照片在这里\n新华路12号');
      assert.deepEqual(detail.attachments.map((a) => a.id), [photo.id]);
      assert.equal(detail.conversationId, conv.id);
      // The staff conversation names its work order.
      const convDetail = v.parse(StaffConversationDetailSchema, (await call(api, `/staff/conversations/${conv.id}`, { headers: staff() })).body);
      assert.deepEqual(convDetail.conversation.workOrders?.map((w) => w.reference), [created.reference]);
      // The audit log has it.
      const audited = await server.db.query<{ action: string; target_id: string; detail: { reference: string } }>(
        `SELECT action, target_id, detail FROM audit_log WHERE action = 'work_order' AND target_id = $1`, [conv.id]);
      assert.equal(audited.length, 1);
      assert.equal(audited[0]!.detail.reference, created.reference);
    });

    test('the resident is told the reference in the chat, live, and the chat token opens the request and its files', async () => {
      const conv = await chat(GARDEN, 'en');
      const photo = await upload(GARDEN);
      await say(conv, 'The street light outside number 5 is broken', [photo.id]);
      const stream = await openSse(`${api}/conversations/${conv.id}/events?token=${conv.token}&after=0`);
      try {
        const res = await workOrder(conv.id, { service: 'street-cleaning' });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const { reference, messageSeq } = res.body as { reference: string; messageSeq: number };
        const events = await stream.until((e) => e.some((x) => x.event === 'message' && x.data.message?.request), 10_000, 'the work-order message');
        const notice = events.find((x) => x.event === 'message' && x.data.message?.request)!.data;
        assert.equal(notice.seq, messageSeq);
        assert.equal(notice.message.author, 'system');
        assert.deepEqual(notice.message.request, { reference, service: 'street-cleaning', type: 'help' });
        assert.match(notice.message.text, new RegExp(`Reference number: ${reference}`));
        // Nothing secret in the event: the resident's client already holds the token that opens it.
        assert.ok(!JSON.stringify(notice).includes(conv.token));
        const page = v.parse(EventsPageSchema, (await call(api, `/conversations/${conv.id}/messages?after=0`, { headers: bearer(conv.token) })).body);
        assert.ok(page.events.some((e) => e.type === 'message' && e.message.request?.reference === reference));
        // My requests: the conversation token is the request's access token.
        const mine = await call(api, `/requests/${reference}`, { headers: bearer(conv.token) });
        assert.equal(mine.status, 200);
        const resident = v.parse(RequestDetailSchema, mine.body);
        assert.equal(resident.reference, reference);
        const file = await fetch(`${api}/attachments/${photo.id}`, { headers: bearer(conv.token) });
        assert.equal(file.status, 200);
        // Another chat's token does not open it.
        const other = await chat(GARDEN, 'en');
        assert.equal((await call(api, `/requests/${reference}`, { headers: bearer(other.token) })).status, 404);
      } finally {
        stream.close();
      }
    });

    test('once per chat: a second click gets 409 naming the first; the same Idempotency-Key returns it; force files another', async () => {
      const conv = await chat();
      await say(conv, '小区门口的垃圾三天没人清运了');
      const key = uniqueKey('wo');
      const body = { service: 'rubbish-collection' };
      const [a, b] = await Promise.all([workOrder(conv.id, body, { 'idempotency-key': key }), workOrder(conv.id, body, { 'idempotency-key': key })]);
      assert.deepEqual([a.status, b.status].sort(), [200, 201]);
      assert.equal(a.body.reference, b.body.reference);
      const again = await workOrder(conv.id, body);
      assert.equal(again.status, 409);
      assert.equal(again.body.error.fields.workOrder, a.body.reference);
      // Two operators at once, no key: one files, the other is refused.
      const conv2 = await chat();
      await say(conv2, '停水了');
      const both = await Promise.all([workOrder(conv2.id, { service: 'water-outage' }), workOrder(conv2.id, { service: 'water-outage' })]);
      assert.deepEqual(both.map((x) => x.status).sort(), [201, 409]);
      const forced = await workOrder(conv.id, { ...body, force: true, description: '另一处垃圾点' });
      assert.equal(forced.status, 201);
      assert.notEqual(forced.body.reference, a.body.reference);
      const detail = (await call(api, `/staff/conversations/${conv.id}`, { headers: staff() })).body;
      assert.deepEqual(detail.conversation.workOrders.map((w: { reference: string }) => w.reference), [a.body.reference, forced.body.reference]);
      const count = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM requests WHERE conversation_id = $1', [conv.id]);
      assert.equal(Number(count[0]!.n), 2);
    });

    test('routes as the catalogue routes the service at the chat site; checks input with the form rules', async () => {
      const conv = await chat(LAKESIDE);
      await say(conv, '邻居装修噪音');
      // Unknown service, wrong kind, a bad field value: 422, nothing filed.
      assert.equal((await workOrder(conv.id, { service: 'no-such-service' })).status, 422);
      assert.equal((await workOrder(conv.id, { service: 'noise', kind: 'praise-of-nothing' })).status, 422);
      const bad = await workOrder(conv.id, { service: 'noise', fields: { source: 'not-an-option' } });
      assert.equal(bad.status, 422);
      assert.ok(bad.body.error.fields['fields.source']);
      assert.equal((await workOrder(conv.id, { service: 'noise', contact: { phone: 'call me' } })).status, 422);
      const none = await server.db.query('SELECT 1 FROM requests WHERE conversation_id = $1', [conv.id]);
      assert.equal(none.length, 0);
      // Required fields of the form are not required here; given ones are kept.
      const res = await workOrder(conv.id, { service: 'noise', fields: { source: 'other' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const expected = await server.db.query<{ department_id: string }>(
        `SELECT COALESCE(
           (SELECT department_id FROM routing_rules WHERE service_id = 'noise' AND site_id = $1),
           (SELECT department_id FROM routing_rules WHERE service_id = 'noise' AND site_id = 'riverside/heping'),
           (SELECT department_id FROM routing_rules WHERE service_id = 'noise' AND site_id = 'riverside'),
           (SELECT department_id FROM services WHERE id = 'noise')) AS department_id`, [LAKESIDE]);
      assert.equal(res.body.routedTo.id, expected[0]!.department_id);
      const detail = (await call(api, `/staff/requests/${res.body.reference}`, { headers: staff() })).body;
      assert.equal(detail.site.id, LAKESIDE);
      assert.equal(detail.description, '邻居装修噪音');
      assert.deepEqual(detail.fields.map((f: { id: string }) => f.id), ['source']);
    });

    test('a chat with nothing written needs a description; unknown chats are 404; the staff token is required', async () => {
      const conv = await chat();
      const empty = await workOrder(conv.id, { service: 'noise' });
      assert.equal(empty.status, 422);
      assert.ok(empty.body.error.fields.description);
      assert.equal((await workOrder(conv.id, { service: 'noise', description: '电话里说的：夜间施工' })).status, 201);
      assert.equal((await workOrder('no-such-chat', { service: 'noise', description: 'x' })).status, 404);
      const anonymous = await call(api, `/staff/conversations/${conv.id}/work-order`, { body: { service: 'noise', description: 'x' } });
      assert.equal(anonymous.status, 401);
    });
  });
}
