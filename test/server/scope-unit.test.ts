/**
 * Scope rules (demo/server/staff/scope.ts) on StaffUser values built here: sees() per role, the
 * SQL of scopeClause() agreeing with sees() on a real database, the complainant rule and the
 * masked contact hint. The role × endpoint matrix over HTTP is scopes.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import type { StaffUser } from '../../demo/server/staff/identity.js';
import { complaintProtected, contactSearchClause, maskContact, may, scopeClause, sees, siteWithin } from '../../demo/server/staff/scope.js';
import { call, GARDEN, LAKESIDE, noiseRequest, start, storageConfigs } from './helpers.js';

const user = (role: StaffUser['role'], departmentId: string | null = null, siteId: string | null = null): StaffUser => ({
  id: `u-${role}-${departmentId ?? siteId ?? 'all'}`, login: role, displayName: role, role, departmentId, siteId, sessionId: 's',
});

const USERS: StaffUser[] = [
  user('dispatcher'),
  user('department', 'market-regulation'),
  user('department', 'sanitation'),
  user('site', null, 'riverside/xinhua'),
  user('site', null, GARDEN),
  user('site', null, 'riverside/xin'),
  user('supervisor'),
  user('supervisor', null, 'riverside/heping'),
  user('administrator'),
  user('department'),
  user('site'),
];

describe('scope rules', () => {
  test('site subtrees are prefixes at a slash, not any prefix', () => {
    assert.ok(siteWithin(GARDEN, 'riverside/xinhua'));
    assert.ok(siteWithin(GARDEN, GARDEN));
    assert.ok(!siteWithin('riverside/xinhua', GARDEN));
    assert.ok(!siteWithin(GARDEN, 'riverside/xin'), '“riverside/xin” is not a parent of “riverside/xinhua/…”');
  });

  test('sees() per role', () => {
    const a = { site_id: GARDEN, department_id: 'market-regulation' };
    const b = { site_id: LAKESIDE, department_id: 'sanitation' };
    const table = USERS.map((u) => [sees(u, a), sees(u, b)]);
    assert.deepEqual(table, [
      [true, true], // dispatcher
      [true, false], // market-regulation officer
      [false, true], // sanitation officer
      [true, false], // xinhua street
      [true, false], // garden community
      [false, false], // not a real parent
      [true, true], // supervisor of all
      [false, true], // supervisor of heping
      [false, false], // administrator: no resident items
      [false, false], // department officer without a department
      [false, false], // site officer without a site
    ]);
  });

  test('actions per role: the dispatcher routes and releases; officers answer; supervisors and administrators write nothing', () => {
    const row = (u: StaffUser) => (['route', 'reply', 'status', 'message', 'close', 'contact_release'] as const).map((a) => may(u, a));
    assert.deepEqual(row(user('dispatcher')), [true, true, true, true, true, true]);
    assert.deepEqual(row(user('department', 'sanitation')), [false, true, true, true, true, false]);
    assert.deepEqual(row(user('site', null, GARDEN)), [false, true, true, true, true, false]);
    assert.deepEqual(row(user('supervisor')), [false, false, false, false, false, false]);
    assert.deepEqual(row(user('administrator')), [false, false, false, false, false, false]);
  });

  test('the complainant: hidden from department and site officers unless released or shared; masked hints', () => {
    const complaint = { kind: 'complaint' as const, contact: { name: '王女士', phone: '13800000000' } };
    const shared = { kind: 'complaint' as const, contact: { name: '王女士', phone: '13800000000', shareWithOffice: true } as never };
    const help = { kind: 'help' as const, contact: { name: '王女士' } };
    const officer = user('department', 'sanitation');
    assert.equal(complaintProtected(officer, complaint, false), true);
    assert.equal(complaintProtected(user('site', null, GARDEN), complaint, false), true);
    assert.equal(complaintProtected(officer, complaint, true), false, 'released by the dispatcher');
    assert.equal(complaintProtected(officer, shared, false), false, 'the resident agreed');
    assert.equal(complaintProtected(officer, help, false), false, 'not a complaint');
    assert.equal(complaintProtected(user('dispatcher'), complaint, false), false);
    assert.equal(complaintProtected(user('supervisor'), complaint, false), false);
    assert.deepEqual(maskContact({ name: '王女士', phone: '+86 138-0000-5678', email: 'wang@example.com' }), { name: '王**', phone: '861****5678', email: 'w***@example.com' });
    assert.deepEqual(maskContact({ name: '张', phone: '13812345678' }), { name: '张*', phone: '138****5678' });
  });
});

for (const config of storageConfigs()) {
  describe(`scopeClause agrees with sees() (${config.name})`, () => {
    let server: RunningServer;
    before(async () => {
      server = await start(config);
      const api = server.apiBase;
      // Requests and conversations at several sites, routed by the catalogue to several departments.
      for (const site of [GARDEN, LAKESIDE]) {
        for (const service of ['noise', 'garbage']) {
          const body = service === 'noise' ? noiseRequest({ site }) : noiseRequest({ site, service, type: 'complaint', fields: {} });
          const res = await call(api, '/requests', { body });
          if (res.status !== 201) {
            // A service whose fields differ: file the plain noise request instead.
            assert.equal((await call(api, '/requests', { body: noiseRequest({ site }) })).status, 201);
          }
        }
        assert.equal((await call(api, '/conversations', { body: { site, locale: 'zh-CN' } })).status, 201);
      }
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    for (const table of ['requests', 'conversations'] as const) {
      test(`${table}: every role's clause selects exactly what sees() allows`, async () => {
        const rows = await server.db.query<{ id: string; site_id: string; department_id: string }>(`SELECT id, site_id, department_id FROM ${table}`);
        assert.ok(rows.length >= 2);
        for (const u of USERS) {
          const clause = scopeClause(u, table, 2, 't');
          const got = await server.db.query<{ id: string }>(`SELECT t.id FROM ${table} t WHERE t.id <> $1 AND ${clause.sql} ORDER BY t.id`, ['-', ...clause.params]);
          const want = rows.filter((r) => sees(u, r)).map((r) => r.id).sort();
          assert.deepEqual(got.map((r) => r.id), want, `${u.role} ${u.departmentId ?? u.siteId ?? ''}`);
        }
      });
    }

    test('contactSearchClause is valid SQL for every role', async () => {
      for (const u of USERS) await server.db.query(`SELECT r.id FROM requests r WHERE ${contactSearchClause(u, 'r')}`);
    });
  });
}
