/**
 * The audit log in a supervisor's scope (GET /staff/audit): a supervisor of a street reads only
 * entries about items (requests, chats) at that street or below, about accounts of its own staff
 * (site officers and supervisors there: their sign-ins, their changes) and settings of its sites;
 * a supervisor without a site and administrators read everything. PGlite always, PostgreSQL too
 * with DATABASE_URL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import type { RunningServer } from '../../demo/server/server.js';
import { AuditResponseSchema, type AuditEntry } from '../../demo/server/accounts/accounts-api.js';
import { bearer, call, GARDEN, LAKESIDE, noiseRequest, start, storageConfigs } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`audit log scope (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    const tokens: Record<string, string> = {};
    const signIn = async (login: string, password = `demo-${login}`) => {
      const res = await call(api, '/staff/session', { body: { login, password } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      tokens[login] = res.body.token as string;
    };
    const log = async (login: string, query = 'limit=500'): Promise<AuditEntry[]> => {
      const res = await call(api, `/staff/audit?${query}`, { headers: bearer(tokens[login]!) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return v.parse(AuditResponseSchema, res.body).entries;
    };
    let garden = '';
    let lakeside = '';
    let gardenChat = '';
    let lakesideChat = '';

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      for (const login of ['admin', 'dispatcher', 'market', 'supervisor']) await signIn(login);
      const made = await call(api, '/staff/accounts', {
        body: { login: 'xh-supervisor', displayName: '新华督办', role: 'supervisor', site: 'riverside/xinhua', password: 'xinhua-supervisor-1' },
        headers: bearer(tokens.admin!),
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await signIn('xh-supervisor', 'xinhua-supervisor-1');
      await signIn('xinhua');
      for (const [site, set] of [[GARDEN, (r: string) => (garden = r)], [LAKESIDE, (r: string) => (lakeside = r)]] as const) {
        const res = await call(api, '/requests', { body: noiseRequest({ site }) });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        set(res.body.reference as string);
        const routed = await call(api, `/staff/requests/${res.body.reference}/route`, { body: { department: 'market-regulation' }, headers: bearer(tokens.dispatcher!) });
        assert.equal(routed.status, 200, JSON.stringify(routed.body));
      }
      for (const [site, set] of [[GARDEN, (id: string) => (gardenChat = id)], [LAKESIDE, (id: string) => (lakesideChat = id)]] as const) {
        const conv = await call(api, '/conversations', { body: { site, locale: 'zh-CN' } });
        assert.equal(conv.status, 201, JSON.stringify(conv.body));
        set(conv.body.id as string);
        const sent = await call(api, `/staff/conversations/${conv.body.id}/messages`, { body: { text: '您好', clientId: `c-${site}` }, headers: bearer(tokens.dispatcher!) });
        assert.ok(sent.status === 200 || sent.status === 201, JSON.stringify(sent.body));
      }
      for (const scope of ['riverside/xinhua', 'riverside/heping']) {
        const set = await call(api, '/staff/settings', { method: 'PUT', body: { scope, signature: 'office' }, headers: bearer(tokens.admin!) });
        assert.equal(set.status, 200, JSON.stringify(set.body));
      }
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    const about = (entries: AuditEntry[]) => entries.map((e) => `${e.action} ${e.actor?.id ?? '-'} ${e.target ? `${e.target.kind}:${e.target.id}` : '-'}`);

    test("a street's supervisor reads the entries of its subtree and its own staff only", async () => {
      const entries = await log('xh-supervisor');
      const lines = about(entries);
      const has = (kind: string, id: string) => entries.some((e) => e.target?.kind === kind && e.target.id === id);
      assert.ok(has('request', garden), `the garden request's route: ${lines.join('\n')}`);
      assert.ok(has('conversation', gardenChat), 'the garden chat');
      assert.ok(!has('request', lakeside), 'not the lakeside request');
      assert.ok(!has('conversation', lakesideChat), 'not the lakeside chat');
      const signIns = entries.filter((e) => e.action === 'sign_in').map((e) => e.actor?.name);
      assert.ok(signIns.includes('陈静'), `the street's site officer's sign-in: ${signIns}`);
      assert.ok(signIns.includes('新华督办'), 'their own');
      assert.ok(!signIns.includes('王磊') && !signIns.includes('张敏') && !signIns.includes('孙丽'), `nobody else's: ${signIns}`);
      assert.ok(has('settings', 'riverside/xinhua') && !has('settings', 'riverside/heping'), 'settings of its own sites only');
      // Filters cannot reach outside it either.
      assert.deepEqual(await log('xh-supervisor', `target=request:${encodeURIComponent(lakeside)}`), []);
      assert.equal((await log('xh-supervisor', `target=request:${encodeURIComponent(garden)}`)).length > 0, true);
    });

    test('a supervisor without a site and the administrator read everything', async () => {
      for (const login of ['supervisor', 'admin']) {
        const entries = await log(login);
        for (const ref of [garden, lakeside]) assert.ok(entries.some((e) => e.target?.kind === 'request' && e.target.id === ref), `${login} reads ${ref}`);
        assert.ok(entries.some((e) => e.action === 'sign_in' && e.actor?.name === '王磊'), `${login} reads the market officer's sign-in`);
      }
    });
  });
}
