/**
 * The operator's work on a request (demo/server/staff/operator.ts): claim and assign, internal
 * notes that never reach a resident (status endpoint, Open311 door), resident-visible notes in the
 * timeline, replies signed as the settings say, attachments read through the staff API (audited),
 * and form values as the resident chose them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { RequestDetailSchema } from '../../src/client/protocol.js';
import { AssigneesResponseSchema, QueueResponseSchema, StaffRequestDetailSchema, StaffSettingsSchema } from '../../demo/server/staff/staff-api.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, noiseRequest, start, storageConfigs } from './helpers.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

for (const config of storageConfigs()) {
  describe(`operator work on a request (${config.name})`, () => {
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

    async function file(overrides: Record<string, unknown> = {}) {
      const created = await call(api, '/requests', { body: noiseRequest(overrides) });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body as { reference: string; accessToken: string; id: string };
    }
    const detail = async (reference: string, locale = 'zh-CN') => {
      const res = await call(api, `/staff/requests/${reference}?locale=${locale}`, { headers: staff() });
      assert.equal(res.status, 200);
      return v.parse(StaffRequestDetailSchema, res.body);
    };
    const auditOf = (target: string) =>
      server.db.query<{ action: string; actor_id: string | null; detail: Record<string, unknown> }>(
        'SELECT action, actor_id, detail FROM audit_log WHERE target_id = $1 ORDER BY seq', [target]);

    test('claim and assign: the assignee is on the detail and the queue item; each step audited', async () => {
      const { reference, id } = await file();
      assert.equal((await detail(reference)).assignee, null);

      const claimed = await call(api, `/staff/requests/${reference}/claim`, { body: {}, headers: staff() });
      assert.equal(claimed.status, 200);
      const d = v.parse(StaffRequestDetailSchema, claimed.body);
      assert.deepEqual(d.assignee, { id: 'staff-token', name: 'Staff' });
      assert.ok(d.assignedAt, 'assignedAt is set');
      const queue = v.parse(QueueResponseSchema, (await call(api, '/staff/queue?item=request', { headers: staff() })).body);
      assert.deepEqual(queue.items.find((i) => i.id === id)?.assignee, { id: 'staff-token', name: 'Staff' });

      const people = v.parse(AssigneesResponseSchema, (await call(api, `/staff/requests/${reference}/assignees`, { headers: staff() })).body);
      assert.ok(people.people.some((p) => p.id === 'staff-token'), 'the dispatcher may take it');

      const nobody = await call(api, `/staff/requests/${reference}/assign`, { body: { account: 'no-such-person' }, headers: staff() });
      assert.equal(nobody.status, 422);
      assert.ok(nobody.body.error.fields.account, 'the field error names account');

      const off = await call(api, `/staff/requests/${reference}/assign`, { body: { account: null }, headers: staff() });
      assert.equal(off.status, 200);
      assert.equal(off.body.assignee, null);
      assert.equal(off.body.assignedAt, null);
      assert.equal((await call(api, `/staff/requests/${reference}/assign`, { body: { account: 3 }, headers: staff() })).status, 422);
      assert.equal((await call(api, `/staff/requests/RS-0000-0000-0/claim`, { body: {}, headers: staff() })).status, 404);
      assert.equal((await call(api, `/staff/requests/${reference}/claim`, { body: {} })).status, 401);

      const log = await auditOf(reference);
      assert.deepEqual(log.filter((l) => l.action === 'claim' || l.action === 'assign').map((l) => l.action), ['claim', 'assign']);
      assert.equal(log.find((l) => l.action === 'assign')?.detail.previous, 'staff-token');
    });

    test('conversations are claimed and assigned the same way', async () => {
      const conv = await call(api, '/conversations', { body: { site: GARDEN, locale: 'zh-CN', topic: 'noise' } });
      assert.equal(conv.status, 201, JSON.stringify(conv.body));
      const cid = conv.body.id as string;
      const claimed = await call(api, `/staff/conversations/${cid}/claim`, { body: {}, headers: staff() });
      assert.equal(claimed.status, 200);
      assert.deepEqual(claimed.body.assignee, { id: 'staff-token', name: 'Staff' });
      const queue = v.parse(QueueResponseSchema, (await call(api, '/staff/queue?item=conversation', { headers: staff() })).body);
      assert.deepEqual(queue.items.find((i) => i.id === cid)?.assignee, { id: 'staff-token', name: 'Staff' });
      assert.equal((await call(api, `/staff/conversations/${cid}/assign`, { body: { account: 'ghost' }, headers: staff() })).status, 422);
      assert.equal((await call(api, `/staff/conversations/${cid}/assign`, { body: { account: null }, headers: staff() })).body.assignee, null);
      assert.equal((await call(api, `/staff/conversations/nope/claim`, { body: {}, headers: staff() })).status, 404);
      assert.deepEqual((await auditOf(cid)).map((l) => l.action), ['claim', 'assign']);
    });

    test('an internal note never reaches the resident (status endpoint, Open311 door); a resident note does', async () => {
      const { reference, accessToken } = await file();
      const secret = '内部备注：此商户与街道有纠纷，勿透露给市民';
      const internal = await call(api, `/staff/requests/${reference}/notes`, { body: { text: secret, visibility: 'internal' }, headers: staff() });
      assert.equal(internal.status, 201, JSON.stringify(internal.body));
      const open = '已联系施工方，今晚起22点后停工';
      await call(api, `/staff/requests/${reference}/notes`, { body: { text: open, visibility: 'resident' }, headers: staff() });
      assert.equal((await call(api, `/staff/requests/${reference}/notes`, { body: { text: 'x', visibility: 'public' }, headers: staff() })).status, 422);
      assert.equal((await call(api, `/staff/requests/${reference}/notes`, { body: { text: '   ', visibility: 'internal' }, headers: staff() })).status, 422);

      const d = await detail(reference);
      assert.deepEqual(d.notes.map((n) => [n.visibility, n.text, n.author?.name]), [['internal', secret, 'Staff'], ['resident', open, 'Staff']]);
      assert.ok(d.timeline.some((t) => t.note === open), 'the resident note is a timeline entry');
      assert.ok(!JSON.stringify(d.timeline).includes(secret), 'the internal note is not in the timeline');

      const resident = await call(api, `/requests/${reference}`, { headers: bearer(accessToken) });
      assert.equal(resident.status, 200);
      const seen = JSON.stringify(v.parse(RequestDetailSchema, resident.body));
      assert.ok(!seen.includes(secret), 'the resident status never has an internal note');
      assert.ok(seen.includes(open), 'a resident note is in the timeline');
      const byContact = await call(api, `/requests/${reference}`, { headers: { 'x-intake-contact': '13800000000' } });
      assert.ok(!JSON.stringify(byContact.body).includes(secret), 'nor when looked up by contact');

      // The Open311 door: its status_notes are public to any app.
      const pairs: [string, string][] = [
        ['jurisdiction_id', GARDEN], ['service_code', 'noise'], ['attribute[source]', 'construction'],
        ['attribute[occurred_at]', '2026-11-27T23:00:00+08:00'], ['address_string', '新华路12号'], ['description', 'Noise at night'],
      ];
      const filed = await fetch(`${server.open311Base}/requests.json`, { method: 'POST', body: new URLSearchParams(pairs) });
      const [{ service_request_id: ref311 }] = (await filed.json()) as [{ service_request_id: string }];
      await call(api, `/staff/requests/${ref311}/notes`, { body: { text: secret, visibility: 'internal' }, headers: staff() });
      const door = await (await fetch(`${server.open311Base}/requests/${ref311}.json`)).json();
      assert.ok(!JSON.stringify(door).includes(secret), 'the Open311 door never has an internal note');
      await call(api, `/staff/requests/${ref311}/notes`, { body: { text: open, visibility: 'resident' }, headers: staff() });
      const door2 = await (await fetch(`${server.open311Base}/requests/${ref311}.json`)).json();
      assert.equal(door2[0].status_notes, open);

      assert.deepEqual((await auditOf(reference)).filter((l) => l.action === 'note').map((l) => l.detail.visibility), ['internal', 'resident']);
    });

    test('replies are signed as configured: office and name by default, per site inherited, global', async () => {
      const { reference, accessToken } = await file();
      const preview = await call(api, `/staff/requests/${reference}/signature`, { headers: staff() });
      assert.deepEqual(preview.body, { mode: 'office_name', signature: '区城市管理和环境卫生局 · Staff' });
      await call(api, `/staff/requests/${reference}/reply`, { body: { text: '已处理' }, headers: staff() });
      const seen = v.parse(RequestDetailSchema, (await call(api, `/requests/${reference}`, { headers: bearer(accessToken) })).body);
      assert.equal(seen.replies[0]!.signature, `${seen.replies[0]!.department.name} · Staff`);
      const d = await detail(reference);
      assert.deepEqual(d.replies[0]!.author, { id: 'staff-token', name: 'Staff' });

      // Settings: the street (parent of the garden community) signs with the office alone.
      const initial = v.parse(StaffSettingsSchema, (await call(api, '/staff/settings', { headers: staff() })).body);
      assert.deepEqual(initial, { global: { signature: 'office_name' }, sites: {} });
      // The built-in staff token is a dispatcher: settings are the administrator's.
      assert.equal((await call(api, '/staff/settings', { method: 'PUT', body: { scope: 'global', signature: 'office' }, headers: staff() })).status, 403);
      await server.db.query(`INSERT INTO staff_settings (scope, signature) VALUES ('riverside/xinhua', 'office'), ('global', 'office_number')`);
      await call(api, `/staff/requests/${reference}/status`, { body: { status: 'in_progress' }, headers: staff() });
      await call(api, `/staff/requests/${reference}/reply`, { body: { text: '再次答复' }, headers: staff() });
      const again = v.parse(RequestDetailSchema, (await call(api, `/requests/${reference}`, { headers: bearer(accessToken) })).body);
      assert.equal(again.replies[1]!.signature, undefined, 'the office alone: no signature, the department shows');
      assert.equal(again.replies[0]!.signature, `${again.replies[0]!.department.name} · Staff`, 'an earlier reply keeps its signature');
      const elsewhere = await file({ site: 'riverside/heping/lakeside' });
      assert.equal((await call(api, `/staff/requests/${elsewhere.reference}/signature`, { headers: staff() })).body.signature, '区城市管理和环境卫生局 · 工号 staff-token');
      await server.db.query(`UPDATE staff_settings SET signature = 'office_initial' WHERE scope = 'global'`);
      assert.equal((await call(api, `/staff/requests/${elsewhere.reference}/signature`, { headers: staff() })).body.signature, '区城市管理和环境卫生局 · S.');
      await server.db.query(`DELETE FROM staff_settings`);
    });

    test('attachments: read through the staff API for the request they belong to, audited', async () => {
      const form = new FormData();
      form.append('file', new Blob([PNG as Uint8Array<ArrayBuffer>], { type: 'image/png' }), '现场.png');
      const up = await (await fetch(`${api}/attachments?site=${encodeURIComponent(GARDEN)}`, { method: 'POST', body: form })).json();
      const { reference } = await file({ attachments: [up.id] });
      const other = await file();
      const res = await fetch(`${api}/staff/requests/${reference}/attachments/${up.id}`, { headers: staff() });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PNG);
      assert.equal((await fetch(`${api}/staff/requests/${other.reference}/attachments/${up.id}`, { headers: staff() })).status, 404, 'only through its own request');
      assert.equal((await fetch(`${api}/staff/requests/${reference}/attachments/${up.id}`)).status, 401);
      assert.equal((await fetch(`${api}/staff/requests/${reference}/attachments/${up.id}?token=${server.staffToken}`)).status, 401, 'never a token in the URL');
      const log = await auditOf(reference);
      assert.deepEqual(log.filter((l) => l.action === 'attachment_view').map((l) => l.detail.attachment), [up.id]);
      assert.ok((await detail(reference)).attachments.some((a) => a.id === up.id), 'the detail lists the file');
    });

    test('form values as the resident chose them: labels, the site clock, the address', async () => {
      const { reference } = await file({
        fields: { source: 'construction', occurred_at: '2026-11-27T15:00:00Z', when: ['night', 'weekend'], location: { lat: 23.1291, lng: 113.2644 } },
        locale: 'en',
      });
      const zh = await detail(reference, 'zh-CN');
      const field = (id: string) => zh.fields.find((f) => f.id === id)!;
      assert.equal(field('source').value, 'construction');
      assert.equal(field('source').display, '建筑施工');
      assert.equal(field('source').residentDisplay, 'Building work');
      assert.equal(field('when').display, '夜间（22点后）、周末');
      assert.match(field('occurred_at').display!, /23:00/, 'in the site zone (Asia/Shanghai), not UTC');
      assert.equal(field('location').display, '23.12910, 113.26440');
      assert.match(field('location').mapUrl!, /^https:\/\/www\.openstreetmap\.org\/\?mlat=23\.1291&mlon=113\.2644/);
      assert.equal(zh.timeZone, 'Asia/Shanghai');
      const { reference: withAddress } = await file();
      const en = await detail(withAddress, 'en');
      assert.equal(en.fields.find((f) => f.id === 'location')!.display, '新华路12号');
      assert.match(en.fields.find((f) => f.id === 'occurred_at')!.display!, /11:00\s?PM|23:00/, 'a time without zone is the site clock as typed');
    });
  });
}

/* ---------------------------------------------------------------- people signed in with their roles */

type Who = 'dispatcher' | 'sanitation' | 'market' | 'xinhua' | 'supervisor' | 'admin';

for (const config of storageConfigs()) {
  describe(`operator rules by role, signed-in accounts (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    const token: Partial<Record<Who, string>> = {};
    const id: Partial<Record<Who, string>> = {};
    const as = (who: Who) => bearer(token[who]!);
    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      for (const who of ['dispatcher', 'sanitation', 'market', 'xinhua', 'supervisor', 'admin'] as Who[]) {
        const res = await call(api, '/staff/session', { body: { login: who, password: `demo-${who}` } });
        assert.equal(res.status, 201, `sign in ${who}: ${JSON.stringify(res.body)}`);
        token[who] = res.body.token;
        id[who] = res.body.user.id;
      }
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    /** A noise complaint at the garden community: routed to sanitation, inside the xinhua street's subtree. */
    async function file() {
      const res = await call(api, '/requests', { body: noiseRequest() });
      assert.equal(res.status, 201);
      return res.body as { reference: string; accessToken: string };
    }
    const post = (who: Who, path: string, body: unknown) => call(api, path, { body, headers: as(who) });

    test('claim: an officer in scope; out of scope 404; supervisors and administrators 403; someone else has it 409', async () => {
      const { reference } = await file();
      assert.equal((await post('market', `/staff/requests/${reference}/claim`, {})).status, 404, 'another department: as if it did not exist');
      assert.equal((await post('supervisor', `/staff/requests/${reference}/claim`, {})).status, 403);
      assert.equal((await post('admin', `/staff/requests/${reference}/claim`, {})).status, 404, 'administrators see no resident items');
      const claimed = await post('sanitation', `/staff/requests/${reference}/claim`, {});
      assert.equal(claimed.status, 200);
      assert.deepEqual(claimed.body.assignee, { id: id.sanitation, name: '刘洋' });
      assert.equal((await post('xinhua', `/staff/requests/${reference}/claim`, {})).status, 409, 'the site officer cannot take it from the department');
      const taken = await post('dispatcher', `/staff/requests/${reference}/claim`, {});
      assert.deepEqual(taken.body.assignee, { id: id.dispatcher, name: '张敏' }, 'the dispatcher can');
      const rows = await server.db.query<{ action: string; actor_id: string }>(`SELECT action, actor_id FROM audit_log WHERE target_id = $1 AND action = 'claim' ORDER BY seq`, [reference]);
      assert.deepEqual(rows.map((r) => r.actor_id), [id.sanitation, id.dispatcher]);
    });

    test('assign: the dispatcher, to someone whose scope covers it (422 otherwise); officers only take off their own', async () => {
      const { reference } = await file();
      const people = (await call(api, `/staff/requests/${reference}/assignees`, { headers: as('dispatcher') })).body.people as { id: string; name: string }[];
      const names = people.map((p) => p.name);
      for (const n of ['张敏', '刘洋', '陈静']) assert.ok(names.includes(n), `${n} may work on it`);
      for (const n of ['王磊', '赵刚', '孙丽']) assert.ok(!names.includes(n), `${n} may not`);
      const wrong = await post('dispatcher', `/staff/requests/${reference}/assign`, { account: id.market });
      assert.equal(wrong.status, 422, 'the market officer cannot see a sanitation request');
      assert.equal((await post('dispatcher', `/staff/requests/${reference}/assign`, { account: id.supervisor })).status, 422, 'supervisors are not assigned work');
      const ok = await post('dispatcher', `/staff/requests/${reference}/assign`, { account: id.xinhua });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body.assignee, { id: id.xinhua, name: '陈静' });
      assert.equal((await post('sanitation', `/staff/requests/${reference}/assign`, { account: id.sanitation })).status, 403, 'officers do not assign');
      assert.equal((await post('sanitation', `/staff/requests/${reference}/assign`, { account: null })).status, 403, 'nor take off someone else');
      assert.equal((await post('market', `/staff/requests/${reference}/assign`, { account: null })).status, 404);
      const off = await post('xinhua', `/staff/requests/${reference}/assign`, { account: null });
      assert.equal(off.status, 200, 'the assignee lets it go');
      assert.equal(off.body.assignee, null);
      // The queue's "mine" shows it to whoever has it.
      await post('sanitation', `/staff/requests/${reference}/claim`, {});
      const mine = await call(api, '/staff/queue?mine=1', { headers: as('sanitation') });
      assert.ok(mine.body.items.some((i: { reference?: string; assignee?: { name: string } }) => i.reference === reference && i.assignee?.name === '刘洋'), 'mine shows it');
    });

    test('notes: officers in scope write them, each with its author; supervisors read them; the resident sees only resident ones', async () => {
      const { reference, accessToken } = await file();
      assert.equal((await post('market', `/staff/requests/${reference}/notes`, { text: 'x', visibility: 'internal' })).status, 404);
      assert.equal((await post('supervisor', `/staff/requests/${reference}/notes`, { text: 'x', visibility: 'internal' })).status, 403);
      await post('sanitation', `/staff/requests/${reference}/notes`, { text: '内部：等待执法队', visibility: 'internal' });
      await post('xinhua', `/staff/requests/${reference}/notes`, { text: '街道已上门了解情况', visibility: 'resident' });
      const read = await call(api, `/staff/requests/${reference}`, { headers: as('supervisor') });
      assert.deepEqual(read.body.notes.map((n: { author: { name: string }; visibility: string }) => [n.author.name, n.visibility]), [['刘洋', 'internal'], ['陈静', 'resident']]);
      const resident = JSON.stringify((await call(api, `/requests/${reference}`, { headers: bearer(accessToken) })).body);
      assert.ok(!resident.includes('等待执法队'), 'no internal note');
      assert.ok(resident.includes('街道已上门了解情况'), 'the resident note');
      assert.ok(!resident.includes('刘洋') && !resident.includes('陈静'), 'a note carries no staff name to the resident');
    });

    test('signatures: the officer who replies, as the site is set; administrators set it, audited', async () => {
      const { reference, accessToken } = await file();
      await post('sanitation', `/staff/requests/${reference}/reply`, { text: '已安排执法队夜间巡查。' });
      const seen = (await call(api, `/requests/${reference}`, { headers: bearer(accessToken) })).body;
      assert.equal(seen.replies[0].signature, '区城市管理和环境卫生局 · 刘洋');
      const inEnglish = (await call(api, `/requests/${reference}?locale=en`, { headers: bearer(accessToken) })).body;
      assert.match(inEnglish.replies[0].signature, / · 刘洋$/, 'the office in the reader\'s language, the name as signed');

      const put = (who: Who, body: unknown) => call(api, '/staff/settings', { method: 'PUT', body, headers: as(who) });
      for (const who of ['dispatcher', 'supervisor', 'sanitation'] as Who[]) assert.equal((await put(who, { scope: 'global', signature: 'office' })).status, 403, who);
      assert.equal((await put('admin', { scope: 'nowhere', signature: 'office' })).status, 422);
      assert.equal((await put('admin', { scope: 'global', signature: 'nickname' })).status, 422);
      const set = await put('admin', { scope: 'riverside/xinhua', signature: 'office_initial' });
      assert.equal(set.status, 200);
      assert.deepEqual(set.body, { global: { signature: 'office_name' }, sites: { 'riverside/xinhua': { signature: 'office_initial' } } });
      assert.deepEqual((await call(api, `/staff/requests/${reference}/signature`, { headers: as('sanitation') })).body, { mode: 'office_initial', signature: '区城市管理和环境卫生局 · 刘*' }, 'the garden inherits its street');
      await put('admin', { scope: 'global', signature: 'office_number' });
      await put('admin', { scope: 'riverside/xinhua', signature: null });
      assert.equal((await call(api, `/staff/requests/${reference}/signature`, { headers: as('sanitation') })).body.signature, '区城市管理和环境卫生局 · 工号 sanitation');
      await put('admin', { scope: 'global', signature: 'office' });
      await post('sanitation', `/staff/requests/${reference}/status`, { status: 'in_progress' });
      await post('sanitation', `/staff/requests/${reference}/reply`, { text: '已处理完毕。' });
      const again = (await call(api, `/requests/${reference}`, { headers: bearer(accessToken) })).body;
      assert.equal(again.replies[1].signature, undefined, 'the office alone');
      assert.equal(again.replies[0].signature, '区城市管理和环境卫生局 · 刘洋', 'the first reply keeps how it was signed');
      const log = await server.db.query<{ actor_id: string; target_id: string }>(`SELECT actor_id, target_id FROM audit_log WHERE action = 'settings_change' ORDER BY seq`);
      assert.deepEqual(log.map((l) => l.target_id), ['riverside/xinhua', 'global', 'riverside/xinhua', 'global']);
      assert.ok(log.every((l) => l.actor_id === id.admin), 'each by the administrator');
    });

    test('attachments: only for those who see the request', async () => {
      const form = new FormData();
      form.append('file', new Blob([PNG as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'a.png');
      const up = await (await fetch(`${api}/attachments?site=${encodeURIComponent(GARDEN)}`, { method: 'POST', body: form })).json();
      const res = await call(api, '/requests', { body: noiseRequest({ attachments: [up.id] }) });
      const path = `/staff/requests/${res.body.reference}/attachments/${up.id}`;
      assert.equal((await fetch(api + path, { headers: as('sanitation') })).status, 200);
      assert.equal((await fetch(api + path, { headers: as('xinhua') })).status, 200);
      assert.equal((await fetch(api + path, { headers: as('supervisor') })).status, 200, 'supervisors read');
      assert.equal((await fetch(api + path, { headers: as('market') })).status, 404);
      assert.equal((await fetch(api + path, { headers: as('admin') })).status, 404);
      const views = await server.db.query<{ actor_id: string }>(`SELECT actor_id FROM audit_log WHERE action = 'attachment_view' AND target_id = $1 ORDER BY seq`, [res.body.reference]);
      assert.deepEqual(views.map((v) => v.actor_id), [id.sanitation, id.xinhua, id.supervisor]);
    });

    test('conversations: the same rules', async () => {
      const conv = await call(api, '/conversations', { body: { site: GARDEN, locale: 'zh-CN', topic: 'noise' } });
      const cid = conv.body.id as string;
      const dept = (await server.db.query<{ department_id: string }>('SELECT department_id FROM conversations WHERE id = $1', [cid]))[0]!.department_id;
      // A chat starts at the intake centre: the market officer does not see it, the street officer does.
      assert.equal((await post('market', `/staff/conversations/${cid}/claim`, {})).status, dept === 'market-regulation' ? 200 : 404);
      assert.equal((await post('xinhua', `/staff/conversations/${cid}/claim`, {})).status, 200);
      assert.equal((await post('dispatcher', `/staff/conversations/${cid}/assign`, { account: id.market })).status, dept === 'market-regulation' ? 200 : 422);
      assert.equal((await post('xinhua', `/staff/conversations/${cid}/assign`, { account: id.sanitation })).status, 403);
    });
  });
}
