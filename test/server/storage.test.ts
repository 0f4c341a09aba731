import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { CatalogSchema, AnswersResponseSchema, FIELD_TYPES } from '../../src/client/protocol.js';
import { openDb, type Db } from '../../demo/server/storage/db.js';
import { seed } from '../../demo/server/catalogue/seed.js';
import { MIGRATIONS } from '../../demo/server/storage/migrations.js';
import { replyDue, route } from '../../demo/server/catalogue/catalog.js';
import { searchAnswers, terms } from '../../demo/server/catalogue/search.js';
import { startServer, type RunningServer } from '../../demo/server/server.js';
import { call, GARDEN, start, storageConfigs } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`storage (${config.name})`, () => {
    let db: Db;
    before(async () => {
      db = await openDb({ dataDir: config.options.dataDir, databaseUrl: config.options.databaseUrl, schema: config.options.databaseSchema });
      await seed(db);
    });
    after(async () => {
      await db?.close();
      await config.cleanup();
    });

    test('migrations are recorded and applied once', async () => {
      const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => Number(r.version)), MIGRATIONS.map((m) => m.version));
      const { migrate } = await import('../../demo/server/storage/migrations.js');
      await migrate(db);
      assert.equal((await db.query('SELECT version FROM schema_migrations')).length, MIGRATIONS.length);
    });

    test('the seed is idempotent', async () => {
      const count = async () => (await db.query<{ n: number }>('SELECT (SELECT count(*) FROM knowledge) + (SELECT count(*) FROM services) + (SELECT count(*) FROM sites) AS n'))[0]!.n;
      const before1 = Number(await count());
      await seed(db);
      assert.equal(Number(await count()), before1);
      const kb = await db.query<{ locale: string; n: number }>('SELECT locale, count(*)::int AS n FROM knowledge GROUP BY locale ORDER BY locale');
      // Every answer in zh-CN, en and ug; zh-HK rows only where the city wrote its own (the rest is converted from zh-CN).
      assert.deepEqual(kb.map((r) => r.locale), ['en', 'ug', 'zh-CN', 'zh-HK']);
      assert.ok(kb.filter((r) => r.locale !== 'zh-HK').every((r) => r.n >= 40), JSON.stringify(kb));
      const depts = await db.query('SELECT id FROM departments');
      assert.ok(depts.length >= 10);
      const services = await db.query('SELECT id FROM services');
      assert.ok(services.length >= 15);
    });

    test('routing: owner, narrowed by site, dispatch as fallback', async () => {
      assert.equal((await route(db, GARDEN, 'pension')).id, 'social-security');
      assert.equal((await route(db, GARDEN, 'neighbour-dispute')).id, 'xinhua-office');
      assert.equal((await route(db, 'riverside/heping/lakeside', 'neighbour-dispute')).id, 'heping-office');
      assert.equal((await route(db, 'riverside', 'neighbour-dispute')).id, 'civil-affairs');
      assert.equal((await route(db, GARDEN, 'no-such-service')).id, 'dispatch');
      assert.equal((await route(db, GARDEN, null)).id, 'dispatch');
    });

    test('instant answers rank Chinese and English questions', async () => {
      const zh = await searchAnswers(db, '垃圾什么时候收', 'zh-CN');
      assert.equal(zh[0]!.id, 'rubbish-times.zh-CN');
      assert.equal((await searchAnswers(db, '居住证怎么办', 'zh-CN'))[0]!.id, 'residence-permit-apply.zh-CN');
      assert.equal((await searchAnswers(db, '楼上邻居太吵', 'zh-CN'))[0]!.id, 'noise-neighbour.zh-CN');
      assert.equal((await searchAnswers(db, '停水', 'zh-CN'))[0]!.id, 'water-outage-notice.zh-CN');
      const en = await searchAnswers(db, 'When is the rubbish collected?', 'en');
      assert.equal(en[0]!.id, 'rubbish-times.en');
      assert.equal((await searchAnswers(db, 'moving my pension to another city', 'en'))[0]!.id, 'pension-transfer.en');
      assert.ok(en.length <= 5);
      for (let i = 1; i < en.length; i++) assert.ok(en[i - 1]!.score >= en[i]!.score);
      assert.deepEqual(await searchAnswers(db, 'xyzzy plugh', 'en'), []);
      assert.deepEqual(await searchAnswers(db, '   ', 'zh-CN'), []);
    });

    test('reference counters are concurrency safe', async () => {
      const bump = () => db.tx((q) => q.query<{ last: number }>(
        `INSERT INTO reference_counters (prefix, day, last) VALUES ('TT', '20991231', 1)
         ON CONFLICT (prefix, day) DO UPDATE SET last = reference_counters.last + 1 RETURNING last`));
      const got = await Promise.all(Array.from({ length: 10 }, bump));
      assert.deepEqual(got.map((r) => Number(r[0]!.last)).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });
  });
}

describe('search terms and reply times (pure)', () => {
  test('Chinese becomes bigrams, English words', () => {
    const t = terms('垃圾清运 rubbish bins');
    assert.ok(t.has('垃圾') && t.has('清运') && t.has('圾清'));
    assert.ok(t.has('rubbish') && t.has('bin'));
  });

  test('reply due counts office hours; emergencies count the clock', () => {
    const hours = [{ days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' }];
    // Friday 2026-11-27 16:00 in China → 16 working hours → Tuesday 16:00.
    assert.equal(replyDue(new Date('2026-11-27T08:00:00Z'), 16, false, hours).toISOString(), '2026-12-01T08:00:00.000Z');
    assert.equal(replyDue(new Date('2026-11-28T08:00:00Z'), 2, true, hours).toISOString(), '2026-11-28T10:00:00.000Z');
  });
});

describe('catalogue and answers over HTTP', () => {
  const config = storageConfigs()[0]!;
  let server: RunningServer;
  before(async () => {
    server = await start(config);
  });
  after(async () => server?.close());

  test('the catalogue in zh-CN (default), en, and zh-CN for other locales', async () => {
    const zh = v.parse(CatalogSchema, (await call(server.apiBase, `/catalog?site=${GARDEN}`)).body);
    assert.equal(zh.locale, 'zh-CN');
    assert.equal(zh.site.name, '花园社区');
    assert.deepEqual(zh.site.parents.map((p) => p.id), ['riverside', 'riverside/xinhua']);
    assert.equal(zh.site.replyPromise.text, '我们将在2个工作日内答复');
    assert.ok(zh.site.phone);
    assert.ok(zh.site.officeHours.length >= 1);
    assert.deepEqual(zh.requestTypes.map((t) => t.id), ['consultation', 'help', 'complaint', 'suggestion']);
    assert.ok(zh.services.length >= 15);
    const types = new Set(zh.services.flatMap((s) => s.fields.map((f) => f.type)));
    assert.deepEqual([...types].sort(), [...FIELD_TYPES].sort());
    assert.equal(zh.consent.version, '2026-01');
    assert.deepEqual(zh.limits.attachments?.types, ['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);
    assert.equal(zh.limits.attachments?.maxFiles, 3);
    const en = v.parse(CatalogSchema, (await call(server.apiBase, `/catalog?site=${GARDEN}&locale=en-GB`)).body);
    assert.equal(en.locale, 'en');
    assert.equal(en.site.name, 'Garden Community');
    assert.equal(en.services.find((s) => s.id === 'noise')?.fields[0]?.label, 'Source of the noise');
    const fr = v.parse(CatalogSchema, (await call(server.apiBase, `/catalog?site=${GARDEN}&locale=fr`)).body);
    assert.equal(fr.locale, 'zh-CN');
    assert.equal(zh.services.find((s) => s.id === 'neighbour-dispute')?.department?.id, 'xinhua-office');
  });

  test('answers: top results with scores', async () => {
    const zh = v.parse(AnswersResponseSchema, (await call(server.apiBase, `/answers?site=${GARDEN}&q=${encodeURIComponent('医保怎么报销')}`)).body);
    assert.ok(zh.answers.length >= 1 && zh.answers.length <= 5);
    assert.ok(zh.answers[0]!.question.includes('报销'));
    assert.equal(zh.answers[0]!.service, 'medical-insurance');
    const en = v.parse(AnswersResponseSchema, (await call(server.apiBase, `/answers?site=${GARDEN}&locale=en&q=manhole+cover`)).body);
    assert.equal(en.answers[0]!.id, 'road-manhole.en');
    const empty = (await call(server.apiBase, `/answers?site=${GARDEN}&q=`)).body;
    assert.deepEqual(empty.answers, []);
  });
});

describe('PGlite in a data folder', () => {
  test('keeps data across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'intake-data-'));
    try {
      const first = await startServer({ dataDir: dir, quiet: true });
      const conv = (await call(first.apiBase, '/conversations', { body: { site: GARDEN } })).body;
      await first.close();
      const second = await startServer({ dataDir: dir, quiet: true });
      const page = await call(second.apiBase, `/conversations/${conv.id}/messages?token=${conv.token}`);
      assert.equal(page.status, 200);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
