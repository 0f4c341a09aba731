/**
 * Canned replies per department (/staff/canned-replies): the demo city's are seeded; the dispatcher
 * sees all and narrows by department; a department officer sees theirs and the intake centre's
 * shared ones and edits only theirs; administrators edit all; every change is audited. The role
 * cases run the real routes on the real database behind a stand-in sign-in (the accounts helper's
 * sessions are not needed to decide what each role may do).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import * as v from 'valibot';
import type { RunningServer } from '../../demo/server/server.js';
import type { ServerContext } from '../../demo/server/context.js';
import { HttpError, errorResponse } from '../../demo/server/http.js';
import { registerCanned, DEMO_CANNED_REPLIES } from '../../demo/server/staff/canned.js';
import type { StaffUser } from '../../demo/server/staff/identity.js';
import { CannedRepliesResponseSchema, CannedReplySchema } from '../../demo/server/staff/staff-api.js';
import { bearer, call, start, storageConfigs } from './helpers.js';

const person = (role: StaffUser['role'], departmentId: string | null = null): StaffUser => ({
  id: `${role}-${departmentId ?? 'all'}`, login: role, displayName: `${role} ${departmentId ?? ''}`.trim(), role, departmentId, siteId: null, sessionId: 's',
});
const PEOPLE: Record<string, StaffUser> = {
  dispatcher: person('dispatcher'),
  housing: person('department', 'housing'),
  water: person('department', 'water'),
  admin: person('administrator'),
  supervisor: person('supervisor'),
  site: { ...person('site'), siteId: 'riverside/xinhua' },
};

for (const config of storageConfigs()) {
  describe(`canned replies (${config.name})`, () => {
    let server: RunningServer;
    let app: Hono;
    before(async () => {
      server = await start(config);
      app = new Hono();
      app.use('/staff/*', async (c, next) => {
        c.set('staff', PEOPLE[c.req.header('x-test-person') ?? 'dispatcher']!);
        await next();
      });
      registerCanned(app, { db: server.db } as unknown as ServerContext);
      app.onError((err) => (err instanceof HttpError ? errorResponse(err) : new Response(String(err), { status: 500 })));
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    const as = async (who: string, method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { 'x-test-person': who, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const list = async (who: string, query = '') => v.parse(CannedRepliesResponseSchema, (await as(who, 'GET', `/staff/canned-replies${query}`)).body).replies;

    test('the demo city has canned replies per department, in Chinese, with placeholders; served on the real API', async () => {
      const res = await call(server.apiBase, '/staff/canned-replies', { headers: bearer(server.staffToken) });
      assert.equal(res.status, 200);
      const replies = v.parse(CannedRepliesResponseSchema, res.body).replies;
      const seeded = Object.values(DEMO_CANNED_REPLIES).flat().length;
      assert.ok(replies.length >= seeded, `${replies.length} < ${seeded}`);
      const departments = new Set(replies.map((r) => r.department.id));
      for (const id of ['dispatch', 'housing', 'sanitation', 'water', 'civil-affairs']) assert.ok(departments.has(id), id);
      assert.ok(replies.every((r) => /[\u4e00-\u9fff]/.test(r.text)));
      assert.ok(replies.some((r) => r.text.includes('{居民称呼}')));
      assert.ok(replies.some((r) => r.text.includes('{reference}')));
      // The shared ones come first.
      assert.equal(replies[0]!.department.id, 'dispatch');
      assert.equal(replies[0]!.shared, true);
      // Seeding again (a restart) adds nothing.
      const again = await start(config);
      try {
        const n = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM canned_replies');
        assert.equal(Number(n[0]!.n), replies.length);
      } finally {
        await again.close();
      }
    });

    test('who sees which: dispatcher all (narrowed by ?department), a department officer theirs and the shared ones, search by ?q', async () => {
      const all = await list('dispatcher');
      assert.ok(all.some((r) => r.department.id === 'water'));
      // Narrowed to one department, the shared ones stay (what a composer for its items offers).
      const forWater = await list('dispatcher', '?department=water');
      assert.deepEqual([...new Set(forWater.map((r) => r.department.id))].sort(), ['dispatch', 'water']);
      const housing = await list('housing');
      assert.deepEqual([...new Set(housing.map((r) => r.department.id))].sort(), ['dispatch', 'housing']);
      assert.ok(housing.filter((r) => r.department.id === 'housing').every((r) => r.editable));
      assert.ok(housing.filter((r) => r.shared).every((r) => !r.editable));
      // Asking for another department gives nothing beyond their scope.
      assert.ok((await list('housing', '?department=water')).every((r) => r.shared));
      const site = await list('site');
      assert.ok(site.length > 0 && site.every((r) => r.shared));
      assert.equal((await list('supervisor')).length, all.length);
      const found = await list('dispatcher', `?q=${encodeURIComponent('停水')}`);
      assert.ok(found.length >= 1 && found.every((r) => `${r.title}${r.text}`.includes('停水')));
      assert.ok(all.every((r) => !r.editable), 'the dispatcher does not edit');
    });

    test('signed in as the demo accounts: the sanitation officer sees theirs and the shared ones, writes only theirs; 转工单 out of scope is 404', async () => {
      const demo = await start(config, { demoAccounts: true });
      try {
        const session = async (login: string) => {
          const res = await call(demo.apiBase, '/staff/session', { body: { login, password: `demo-${login}` } });
          assert.equal(res.status, 201, JSON.stringify(res.body));
          return bearer(res.body.token as string);
        };
        const officer = await session('sanitation');
        const mine = v.parse(CannedRepliesResponseSchema, (await call(demo.apiBase, '/staff/canned-replies', { headers: officer })).body).replies;
        assert.deepEqual([...new Set(mine.map((r) => r.department.id))].sort(), ['dispatch', 'sanitation']);
        assert.ok(mine.filter((r) => r.department.id === 'sanitation').every((r) => r.editable));
        const made = await call(demo.apiBase, '/staff/canned-replies', { body: { title: '清运时间', text: '每天早上7点前清运。' }, headers: officer });
        assert.equal(made.status, 201);
        assert.equal(made.body.department.id, 'sanitation');
        assert.equal((await call(demo.apiBase, '/staff/canned-replies', { body: { department: 'water', title: 'x', text: 'y' }, headers: officer })).status, 403);
        const supervisor = await session('supervisor');
        assert.equal((await call(demo.apiBase, '/staff/canned-replies', { body: { title: 'x', text: 'y' }, headers: supervisor })).status, 403);
        // A chat routed to the intake centre is not the sanitation officer's: no work order from it.
        const chat = await call(demo.apiBase, '/conversations', { body: { site: 'riverside/xinhua/garden', locale: 'zh-CN' } });
        await call(demo.apiBase, `/conversations/${chat.body.id}/messages`, { body: { clientId: 'client-0001', text: '路灯坏了' }, headers: bearer(chat.body.token) });
        const refused = await call(demo.apiBase, `/staff/conversations/${chat.body.id}/work-order`, { body: { service: 'street-cleaning' }, headers: officer });
        assert.equal(refused.status, 404);
        assert.equal((await call(demo.apiBase, `/staff/conversations/${chat.body.id}/work-order`, { body: { service: 'street-cleaning' }, headers: supervisor })).status, 403);
        // Administrators keep the catalogue and accounts; they never answer residents: a 403, as the supervisor's.
        assert.equal((await call(demo.apiBase, `/staff/conversations/${chat.body.id}/work-order`, { body: { service: 'street-cleaning' }, headers: await session('admin') })).status, 403);
        const dispatcher = await session('dispatcher');
        const filed = await call(demo.apiBase, `/staff/conversations/${chat.body.id}/work-order`, { body: { service: 'street-cleaning' }, headers: dispatcher });
        assert.equal(filed.status, 201, JSON.stringify(filed.body));
        const audited = await demo.db.query<{ actor_name: string }>(`SELECT actor_name FROM audit_log WHERE action = 'work_order' AND target_id = $1`, [chat.body.id]);
        assert.deepEqual(audited.map((a) => a.actor_name), ['张敏']);
      } finally {
        await demo.close();
      }
    });

    test('a department officer writes only their own; an administrator writes any; each change is audited', async () => {
      const made = await as('housing', 'POST', '/staff/canned-replies', { title: '  上门时间 ', text: '{居民称呼}您好，维修人员明天上午上门。' });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const reply = v.parse(CannedReplySchema, made.body);
      assert.equal(reply.department.id, 'housing');
      assert.equal(reply.title, '上门时间');
      assert.equal((await as('housing', 'POST', '/staff/canned-replies', { department: 'water', title: 'x', text: 'y' })).status, 403);
      assert.equal((await as('dispatcher', 'POST', '/staff/canned-replies', { department: 'dispatch', title: 'x', text: 'y' })).status, 403);
      assert.equal((await as('housing', 'POST', '/staff/canned-replies', { title: '', text: 'y' })).status, 422);
      // Another department's reply: not there for them (404); the shared one: there, not theirs (403).
      assert.equal((await as('water', 'PATCH', `/staff/canned-replies/${reply.id}`, { text: 'z' })).status, 404);
      const shared = (await list('housing')).find((r) => r.shared)!;
      assert.equal((await as('housing', 'PATCH', `/staff/canned-replies/${shared.id}`, { text: 'z' })).status, 403);
      assert.equal((await as('housing', 'DELETE', `/staff/canned-replies/${shared.id}`)).status, 403);
      const changed = await as('housing', 'PATCH', `/staff/canned-replies/${reply.id}`, { text: '{居民称呼}您好，维修人员明天下午上门。', sort: 5 });
      assert.equal(changed.status, 200);
      assert.equal(changed.body.text, '{居民称呼}您好，维修人员明天下午上门。');
      assert.equal(changed.body.title, '上门时间');
      // The administrator may move it to the intake centre's shared list and edit it there.
      const moved = await as('admin', 'PATCH', `/staff/canned-replies/${reply.id}`, { department: 'dispatch' });
      assert.equal(moved.status, 200);
      assert.equal(moved.body.shared, true);
      const adminMade = await as('admin', 'POST', '/staff/canned-replies', { title: '节假日', text: '节假日期间答复时间顺延。' });
      assert.equal(adminMade.status, 201);
      assert.equal(adminMade.body.department.id, 'dispatch');
      assert.equal((await as('admin', 'DELETE', `/staff/canned-replies/${reply.id}`)).status, 204);
      assert.equal((await as('admin', 'DELETE', `/staff/canned-replies/${reply.id}`)).status, 404);
      const log = await server.db.query<{ actor_id: string; detail: { change: string } }>(
        `SELECT actor_id, detail FROM audit_log WHERE action = 'canned_change' AND target_id = $1 ORDER BY seq`, [reply.id]);
      assert.deepEqual(log.map((e) => [e.actor_id, e.detail.change]), [
        ['department-housing', 'create'], ['department-housing', 'update'], ['administrator-all', 'update'], ['administrator-all', 'delete'],
      ]);
    });
  });
}
