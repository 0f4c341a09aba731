/**
 * Who work can be given to (people() in demo/server/staff/operator-detail.ts): the accounts room
 * keeps the pre-issued token's dispatcher as a built-in `staff-token` row, and people() adds the
 * same built-in person for databases without it: listed once, never twice (assignees, names).
 * PGlite always, PostgreSQL too with DATABASE_URL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import { people } from '../../demo/server/staff/operator-detail.js';
import { bearer, call, noiseRequest, start, storageConfigs } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`people (${config.name})`, () => {
    let server: RunningServer;
    before(async () => {
      server = await start(config, { staffToken: 'people-test-token-0123456789' });
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('the built-in staff-token dispatcher is listed once, beside every account', async () => {
      const rows = await server.db.query<{ id: string }>(`SELECT id FROM staff_accounts WHERE built_in`);
      assert.deepEqual(rows.map((r) => r.id), ['staff-token'], 'the accounts room keeps it as a row');
      const ids = (await people(server.db)).map((p) => p.id);
      assert.equal(ids.filter((id) => id === 'staff-token').length, 1, ids.join());
      assert.equal(new Set(ids).size, ids.length, `no one twice: ${ids.join()}`);
      const filed = await call(server.apiBase, '/requests', { body: noiseRequest() });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      const assignees = await call(server.apiBase, `/staff/requests/${filed.body.reference}/assignees`, { headers: bearer('people-test-token-0123456789') });
      assert.equal(assignees.status, 200, JSON.stringify(assignees.body));
      const names = (assignees.body.people as { id: string }[]).map((p) => p.id);
      assert.equal(new Set(names).size, names.length, `assignees once each: ${names.join()}`);
    });
  });
}
