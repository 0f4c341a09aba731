/**
 * A catalogue entry a staff account uses (staff_accounts.department_id / site_id) cannot be
 * removed: DELETE /staff/catalogue/departments|sites/… answers 409 naming the accounts, not a
 * database error; once the account moves, the entry goes. PGlite always, PostgreSQL too with DATABASE_URL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, start, storageConfigs } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`catalogue deletes and staff accounts (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let admin: Record<string, string>;
    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      const res = await call(api, '/staff/session', { body: { login: 'admin', password: 'demo-admin' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      admin = bearer(res.body.token as string);
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });
    const put = (path: string, body: unknown) => call(api, `/staff/catalogue/${path}`, { method: 'PUT', body, headers: admin, noKey: true });
    const del = (path: string) => call(api, `/staff/catalogue/${path}`, { method: 'DELETE', headers: admin, noKey: true });
    const account = async (body: Record<string, unknown>) => {
      const res = await call(api, '/staff/accounts', { body: { password: 'long-enough-pass-1', ...body }, headers: admin });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };

    test('a department with an officer: 409 naming the account; after the officer moves it goes', async () => {
      assert.equal((await put('departments/parks', { names: { 'zh-CN': '园林局', en: 'Parks' }, phone: null })).status, 201);
      const id = await account({ login: 'parks.li', displayName: '李园', role: 'department', department: 'parks' });
      const refused = await del('departments/parks');
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.match(refused.body.error.message, /The department "parks" is still in use: staff accounts parks\.li/);
      const moved = await call(api, `/staff/accounts/${id}`, { method: 'PATCH', body: { department: 'water' }, headers: admin, noKey: true });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal((await del('departments/parks')).status, 200);
    });

    test('a site with a site officer and a supervisor: 409 naming both', async () => {
      const site = await put('sites/riverside/xinhua/orchard', {
        parent: 'riverside/xinhua', level: 'community', names: { 'zh-CN': '果园社区', en: 'Orchard Community' },
        officeHours: [{ days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' }], replyHours: 24, phone: null,
      });
      assert.equal(site.status, 201, JSON.stringify(site.body));
      await account({ login: 'orchard.wu', displayName: '吴果', role: 'site', site: 'riverside/xinhua/orchard' });
      await account({ login: 'orchard.boss', displayName: '钱督', role: 'supervisor', site: 'riverside/xinhua/orchard' });
      const refused = await del('sites/riverside/xinhua/orchard');
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.match(refused.body.error.message, /staff accounts orchard\.boss, orchard\.wu/);
    });
  });
}
