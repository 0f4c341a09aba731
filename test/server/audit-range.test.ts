/**
 * The audit log's time range (`since`, `until` on GET /staff/audit, used by the console's audit
 * view): entries at or after `since` and before `until` only, a bad timestamp a 400.
 * PGlite always, PostgreSQL too with DATABASE_URL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import type { RunningServer } from '../../demo/server/server.js';
import { AuditResponseSchema } from '../../demo/server/accounts/accounts-api.js';
import { bearer, call, start, storageConfigs } from './helpers.js';

const ADMIN = { login: 'chief', password: 'chief-password-1', displayName: '管理员' };

for (const config of storageConfigs()) {
  describe(`audit log time range (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let token: string;
    before(async () => {
      server = await start(config, { firstAdmin: ADMIN });
      api = server.apiBase;
      token = (await call(api, '/staff/session', { body: { login: ADMIN.login, password: ADMIN.password } })).body.token as string;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('since and until cut the log by time', async () => {
      const page = async (query: string) => {
        const res = await call(api, `/staff/audit?${query}`, { headers: bearer(token) });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return v.parse(AuditResponseSchema, res.body).entries;
      };
      const first = await page('limit=500');
      assert.ok(first.length >= 2, 'account_create and sign_in');
      await new Promise((r) => setTimeout(r, 30));
      const cut = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 30));
      assert.equal((await call(api, '/staff/sessions/revoke', { body: {}, headers: bearer(token) })).status, 200);
      token = (await call(api, '/staff/session', { body: { login: ADMIN.login, password: ADMIN.password } })).body.token as string;
      const all = await page('limit=500');
      const later = await page(`since=${encodeURIComponent(cut)}`);
      const earlier = await page(`until=${encodeURIComponent(cut)}`);
      assert.deepEqual(later.map((e) => e.action), ['sign_in', 'sign_out_everywhere']);
      assert.deepEqual(earlier.map((e) => e.seq), first.map((e) => e.seq));
      assert.equal(later.length + earlier.length, all.length);
      assert.ok(later.every((e) => e.at >= cut) && earlier.every((e) => e.at < cut));
      assert.deepEqual(await page(`since=${encodeURIComponent(cut)}&until=${encodeURIComponent(cut)}`), []);
      assert.equal((await call(api, '/staff/audit?since=yesterday', { headers: bearer(token) })).status, 400);
    });
  });
}
