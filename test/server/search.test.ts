/**
 * Reading residents' words (issue 18): understand.ts's terms, instant answers and the service
 * ranking on the demo city, and `GET /services/suggest` (the form's service search).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDb, type Db } from '../../demo/server/storage/db.js';
import { seed } from '../../demo/server/catalogue/seed.js';
import { searchAnswers } from '../../demo/server/catalogue/search.js';
import { rankServices, suggestServices } from '../../demo/server/catalogue/suggest.js';
import { normalise, queryTerms } from '../../demo/server/catalogue/understand.js';
import type { RunningServer } from '../../demo/server/server.js';
import { call, GARDEN, start, storageConfigs } from './helpers.js';

const base = (id: string) => id.replace(/\.[^.]+$/, '');

describe('understand.ts (pure)', () => {
  test('Traditional characters, Cantonese words and typos become the catalogue\'s words', () => {
    assert.equal(normalise('養老金幾時可以攞'), '养老金什么时候可以领取');
    assert.equal(normalise('樓道燈壞咗冇人整'), '楼道灯坏了没有人整');
    assert.equal(normalise('拉圾好几天没人收'), '垃圾好几天没人收');
    assert.equal(normalise('ＧＰ'), 'gp');
  });

  test('ICU words and bigrams, filler left out, everyday meanings added at a lower weight', () => {
    const t = queryTerms('楼道灯坏了三天没人修怎么办');
    assert.ok(t.has('楼道') && t.has('道灯'), 'bigrams where the dictionary cuts 楼|道|灯');
    for (const filler of ['怎么办', '没人', '了三', '修怎']) assert.ok(!t.has(filler), filler);
    assert.ok((t.get('维修') ?? 0) > 0 && (t.get('维修') ?? 0) < 1, '修 means 维修, weighted below what was written');
    const en = queryTerms('My elevator is broken');
    assert.ok(en.has('lift') && en.has('broken') && !en.has('my'));
  });
});

describe('ranking on the demo city', () => {
  let db: Db;
  before(async () => {
    db = await openDb({ dataDir: 'memory://' });
    await seed(db);
  });
  after(async () => db?.close());

  test('the issue\'s misses: 楼道灯 offers no rubbish answers, 养老保险怎么领取 finds when to draw it, 路灯 finds a service', async () => {
    const light = await searchAnswers(db, '楼道灯坏了三天没人修怎么办', 'zh-CN');
    assert.ok(light.every((a) => a.service !== 'rubbish-collection'), JSON.stringify(light.map((a) => a.id)));
    assert.equal((await rankServices(db, '楼道灯坏了三天没人修怎么办'))[0]?.service, 'housing-repair');
    assert.equal(base((await searchAnswers(db, '养老保险怎么领取', 'zh-CN'))[0]!.id), 'pension-age');
    assert.equal((await rankServices(db, '路灯'))[0]?.service, 'housing-repair');
  });

  test('a question in another language or script finds the answer, given in the asked locale', async () => {
    const hk = await searchAnswers(db, '居住證點樣申請', 'zh-CN');
    assert.equal(hk[0]?.id, 'residence-permit-apply.zh-CN');
    const en = await searchAnswers(db, 'garbge not colected', 'en');
    assert.ok(en.some((a) => a.id === 'rubbish-missed.en'), JSON.stringify(en.map((a) => a.id)));
    const zhAskedInEnglish = await searchAnswers(db, 'how do I apply for a residence permit', 'zh-CN');
    assert.equal(zhAskedInEnglish[0]?.id, 'residence-permit-apply.zh-CN');
    assert.equal(zhAskedInEnglish[0]?.langs, undefined, 'written in the asked locale: no langs');
  });

  test('scores are between 0 and 1, best first; nonsense and blanks give nothing', async () => {
    for (const q of ['垃圾什么时候收', 'When is the rubbish collected?', '樓上鄰居好嘈']) {
      const answers = await searchAnswers(db, q, 'zh-CN');
      assert.ok(answers.length > 0 && answers.length <= 5, q);
      for (let i = 0; i < answers.length; i++) {
        assert.ok(answers[i]!.score > 0 && answers[i]!.score <= 1);
        if (i) assert.ok(answers[i - 1]!.score >= answers[i]!.score);
      }
    }
    assert.deepEqual(await searchAnswers(db, 'xyzzy plugh', 'en'), []);
    assert.deepEqual(await searchAnswers(db, '怎么办', 'zh-CN'), [], 'filler only');
    assert.deepEqual(await rankServices(db, '   '), []);
  });

  test('suggestServices keeps its contract: best first, routed per site, confidence in [0, 1]', async () => {
    const xinhua = await suggestServices(db, { text: '楼上邻居天天半夜吵', locale: 'zh-CN', site: GARDEN }, 3);
    assert.ok(xinhua.length >= 1 && xinhua.length <= 3);
    for (let i = 0; i < xinhua.length; i++) {
      assert.ok(xinhua[i]!.confidence >= 0 && xinhua[i]!.confidence <= 1);
      if (i) assert.ok(xinhua[i - 1]!.confidence >= xinhua[i]!.confidence);
    }
    const dispute = xinhua.find((s) => s.service === 'neighbour-dispute');
    assert.equal(dispute?.department, 'xinhua-office', 'routing narrowed by the street');
    const district = await suggestServices(db, { text: '邻居纠纷调解', locale: 'zh-CN', site: 'riverside' }, 1);
    assert.deepEqual(district.map((s) => [s.service, s.department]), [['neighbour-dispute', 'civil-affairs']]);
    assert.deepEqual(await suggestServices(db, { text: 'xyzzy', locale: 'en', site: GARDEN }), []);
  });

  test('a catalogue edit is read at once (the ranking is rebuilt for a new catalogue version)', async () => {
    assert.notEqual((await rankServices(db, '马蜂窝'))[0]?.service, 'street-cleaning');
    await db.query(`UPDATE services SET keywords = jsonb_set(keywords, '{zh-CN}', (keywords->'zh-CN') || '["马蜂窝"]'::jsonb) WHERE id = 'street-cleaning'`);
    await db.query('UPDATE catalogue_state SET version = version + 1, updated_at = now() WHERE id = 1');
    assert.equal((await rankServices(db, '马蜂窝'))[0]?.service, 'street-cleaning');
  });
});

for (const config of storageConfigs()) {
  describe(`GET /services/suggest (${config.name})`, () => {
    let server: RunningServer;
    before(async () => {
      server = await start(config);
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('ranks the services for a resident\'s words, best first', async () => {
      const q = encodeURIComponent('楼道灯坏了三天没人修');
      const { status, body } = await call(server.apiBase, `/services/suggest?site=${encodeURIComponent(GARDEN)}&locale=zh-CN&q=${q}`);
      assert.equal(status, 200);
      assert.equal(body.query, '楼道灯坏了三天没人修');
      assert.equal(body.services[0].service, 'housing-repair');
      assert.ok(body.services.length <= 10);
      for (const s of body.services) assert.deepEqual(Object.keys(s).sort(), ['confidence', 'service']);
      const hk = await call(server.apiBase, `/services/suggest?site=${encodeURIComponent(GARDEN)}&locale=zh-HK&q=${encodeURIComponent('街燈唔著')}`);
      assert.equal(hk.body.services[0].service, 'housing-repair');
    });

    test('an empty q gives no services; no site, a long q and an unknown site are refused', async () => {
      const site = encodeURIComponent(GARDEN);
      assert.deepEqual((await call(server.apiBase, `/services/suggest?site=${site}&q=`)).body, { query: '', services: [] });
      assert.equal((await call(server.apiBase, '/services/suggest?q=x')).status, 422);
      assert.equal((await call(server.apiBase, `/services/suggest?site=${site}&q=${'a'.repeat(501)}`)).status, 422);
      assert.equal((await call(server.apiBase, '/services/suggest?site=nowhere&q=x')).status, 404);
    });
  });
}
