/**
 * Server content in every locale (issue 18): how a call's locale is chosen (?locale=,
 * Accept-Language with q-values, zh-TW/zh-Hant/zh-MO → zh-HK), the fallback order and `langs`,
 * zh-HK derived from zh-CN through OpenCC unless the city wrote its own, and — on a real server with
 * the demo city — the catalogue, answers, a request's detail and timeline, the chat's notices and
 * errors' messages in zh-CN, zh-HK, en and ug.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FALLBACK, LOCALES, localeFrom, localText, localTexts, matchLocale, pickLocale, toHongKong, type Locale } from '../../demo/server/catalogue/locales.js';
import { M, PROTOCOL_MESSAGES, restate, say, sayAgain } from '../../demo/server/messages.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, noiseRequest, start, storageConfigs, staffToken } from './helpers.js';
import { scriptProblem as checkScript } from '../helpers/scripts.js';

/** Whether `text` is written in the script of `locale` (test/helpers/scripts.ts: names and numbers allowed). */
const scriptProblem = (text: string, locale: Locale) => checkScript(text, locale);

describe('choosing the locale', () => {
  test('one tag: the four locales, Traditional Chinese tags → zh-HK, others → zh-CN', () => {
    const cases: [string | undefined, Locale][] = [
      ['zh-CN', 'zh-CN'], ['zh', 'zh-CN'], ['zh-SG', 'zh-CN'], ['zh-Hans', 'zh-CN'], ['zh-Hans-HK', 'zh-CN'],
      ['zh-HK', 'zh-HK'], ['zh-TW', 'zh-HK'], ['zh-MO', 'zh-HK'], ['zh-Hant', 'zh-HK'], ['zh-Hant-TW', 'zh-HK'], ['zh_TW', 'zh-HK'], ['yue', 'zh-HK'],
      ['en', 'en'], ['en-GB', 'en'], ['EN-us', 'en'],
      ['ug', 'ug'], ['ug-CN', 'ug'], ['ug-Arab-CN', 'ug'],
      ['fr', 'zh-CN'], ['', 'zh-CN'], [undefined, 'zh-CN'],
    ];
    for (const [tag, want] of cases) assert.equal(pickLocale(tag), want, String(tag));
    assert.equal(matchLocale('fr'), null);
  });

  test('Accept-Language: the highest q that is one of ours; q=0 never; the first of equals', () => {
    assert.equal(pickLocale('fr-FR, ug;q=0.9, en;q=0.8'), 'ug');
    assert.equal(pickLocale('en;q=0.2, zh-TW;q=0.9, zh-CN;q=0.5'), 'zh-HK');
    assert.equal(pickLocale('ug;q=0, en;q=0.1'), 'en');
    assert.equal(pickLocale('ug;q=0'), 'zh-CN');
    assert.equal(pickLocale('de, fr;q=0.9'), 'zh-CN');
    assert.equal(pickLocale('en, ug'), 'en');
    assert.equal(pickLocale('*;q=0.5, zh-Hant;q=0.6'), 'zh-HK');
    // ?locale= wins when it is one of ours; an unknown one leaves the header to decide.
    assert.equal(localeFrom('ug', 'en'), 'ug');
    assert.equal(localeFrom('fr', 'zh-HK,zh;q=0.8'), 'zh-HK');
    assert.equal(localeFrom(undefined, undefined), 'zh-CN');
  });
});

describe('texts and their fallback', () => {
  test('the fallback order is zh-HK → zh-CN, ug → zh-CN, en → zh-CN', () => {
    assert.deepEqual(FALLBACK, { 'zh-CN': [], 'zh-HK': ['zh-CN'], ug: ['zh-CN'], en: ['zh-CN'] });
    assert.deepEqual([...LOCALES], ['zh-CN', 'zh-HK', 'en', 'ug']);
  });

  test('a missing text falls back and says its locale; zh-HK is derived from zh-CN and counts as zh-HK', () => {
    const names = { 'zh-CN': '垃圾清运', en: 'Rubbish collection' };
    assert.deepEqual(localText(names, 'ug'), { text: '垃圾清运', lang: 'zh-CN' });
    assert.deepEqual(localText(names, 'en'), { text: 'Rubbish collection', lang: 'en' });
    assert.deepEqual(localText(names, 'zh-HK'), { text: '垃圾清運', lang: 'zh-HK' });
    // The city's own zh-HK beats the conversion.
    assert.deepEqual(localText({ ...names, 'zh-HK': '垃圾收集' }, 'zh-HK'), { text: '垃圾收集', lang: 'zh-HK' });
    assert.deepEqual(localTexts('ug', { name: names, group: { 'zh-CN': '环境', ug: 'مۇھىت' } }), { name: '垃圾清运', group: 'مۇھىت', langs: { name: 'zh-CN' } });
    assert.deepEqual(localTexts('en', { name: names }), { name: 'Rubbish collection' });
    assert.equal(toHongKong('我们将在2个工作日内答复'), '我們將在2個工作日內答覆');
  });

  test('every system message is written in all four locales, each in its own script (zh-HK in Hong Kong Traditional)', () => {
    const P = { 'zh-CN': '我们将在2个工作日内答复', 'zh-HK': '我們會在2個工作天內回覆', en: 'We reply within 2 working days', ug: '2 خىزمەت كۈنى ئىچىدە جاۋاب بېرىمىز' };
    let count = 0;
    for (const [key, m] of [...Object.entries(M), ...Object.entries(PROTOCOL_MESSAGES)]) {
      const written = typeof m === 'function' ? (key === 'ackOffDuty' ? (m as (p: typeof P) => typeof P)(P) : (m as (...a: unknown[]) => typeof P)(3, 3, 3)) : m;
      for (const locale of LOCALES) {
        const text = written[locale];
        assert.ok(text, `${key} in ${locale}`);
        const problem = scriptProblem(text, locale);
        assert.equal(problem, null, `${key} in ${locale}: ${text} (${problem})`);
      }
      assert.notEqual(written['zh-HK'], written['zh-CN'].replace(/\d+/g, ''), `${key}: zh-HK is written, not a copy`);
      count++;
    }
    assert.ok(count >= 50, `${count} messages`);
    // A note stored in the filing locale is said again in the asked one.
    assert.equal(restate(M.redoNote['zh-CN'], 'ug'), M.redoNote.ug);
    assert.equal(restate('工作人员自己写的话', 'ug'), '工作人员自己写的话');
    assert.equal(say('fr', M.conversationClosed), '本次会话已结束');
    // The protocol's English refusals said again in the caller's locale; other messages left alone.
    assert.equal(sayAgain('Body larger than 65536 bytes', 'ug'), 'يوللانغان مەزمۇن 65536 بايتتىن ئېشىپ كەتتى');
    assert.equal(sayAgain('Too many requests; try again later', 'zh-HK'), '請求過於頻繁，請稍後再試');
    assert.equal(sayAgain('Too many requests; try again later', 'en'), 'Too many requests; try again later');
    assert.equal(sayAgain('本次会话已结束', 'ug'), '本次会话已结束');
  });
});

for (const config of storageConfigs()) {
  describe(`server content in every locale (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let admin: string;
    const catalog = async (locale: string, headers: Record<string, string> = {}) => {
      const res = await call(api, `/catalog?site=${encodeURIComponent(GARDEN)}${locale ? `&locale=${locale}` : ''}`, { headers });
      assert.equal(res.status, 200);
      return res.body;
    };
    const putEntry = (path: string, body: unknown) => call(api, `/staff/catalogue/${path}`, { method: 'PUT', body, headers: bearer(admin), noKey: true });

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      admin = await staffToken(api);
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    /** Every server text of a catalogue with the locale it is in (its `langs` entry, else the catalogue's). */
    function textsOf(cat: any): { where: string; text: string; lang: string }[] {
      const out: { where: string; text: string; lang: string }[] = [];
      const add = (where: string, obj: any, keys: string[]) => {
        for (const k of keys) if (typeof obj?.[k] === 'string' && obj[k]) out.push({ where: `${where}.${k}`, text: obj[k], lang: obj.langs?.[k] ?? cat.locale });
      };
      add('site', cat.site, ['name']);
      cat.site.parents.forEach((p: any, i: number) => add(`site.parents[${i}]`, p, ['name']));
      add('site.replyPromise', cat.site.replyPromise, ['text']);
      cat.requestTypes.forEach((t: any) => add(`requestTypes.${t.id}`, t, ['label', 'description']));
      for (const s of cat.services) {
        add(`services.${s.id}`, s, ['name', 'group', 'description']);
        add(`services.${s.id}.department`, s.department, ['name']);
        for (const f of s.fields) {
          add(`services.${s.id}.${f.id}`, f, ['label', 'hint']);
          for (const o of f.options ?? []) add(`services.${s.id}.${f.id}.${o.value}`, o, ['label']);
        }
      }
      add('consent', cat.consent, ['text']);
      return out;
    }

    test('the catalogue in each locale: every text in its locale or marked with the one it fell back to', async () => {
      for (const locale of LOCALES) {
        const cat = await catalog(locale);
        assert.equal(cat.locale, locale);
        const texts = textsOf(cat);
        assert.ok(texts.length > 100, `${locale}: ${texts.length} texts`);
        for (const t of texts) {
          if (t.lang !== locale) assert.ok(FALLBACK[locale].includes(t.lang as Locale), `${locale} ${t.where} fell back to ${t.lang}`);
          const problem = scriptProblem(t.text, t.lang as Locale);
          assert.equal(problem, null, `${locale} ${t.where}: ${t.text} (${problem})`);
        }
        // The kinds and the reply promise are the server's own: never a fallback.
        for (const k of cat.requestTypes) assert.equal(k.langs, undefined, `${locale} ${k.id}`);
        assert.equal(cat.site.replyPromise.langs, undefined);
        assert.equal(cat.site.replyPromise.text, say(locale, M.replyWithinDays(cat.site.replyPromise.hours / 8)));
      }
      assert.equal((await catalog('zh-HK')).requestTypes[0].label, '查詢');
      assert.equal((await catalog('ug')).requestTypes[2].label, 'شىكايەت');
    });

    test('Accept-Language picks the catalogue locale when ?locale= is not given (zh-TW → zh-HK, q-values weighed)', async () => {
      assert.equal((await catalog('', { 'accept-language': 'zh-TW,zh;q=0.8' })).locale, 'zh-HK');
      assert.equal((await catalog('', { 'accept-language': 'fr;q=1, ug-CN;q=0.7, en;q=0.6' })).locale, 'ug');
      assert.equal((await catalog('', { 'accept-language': 'de' })).locale, 'zh-CN');
      assert.equal((await catalog('en', { 'accept-language': 'ug' })).locale, 'en');
      // Each locale has its own ETag.
      const tags = new Set<string>();
      for (const locale of LOCALES) tags.add((await call(api, `/catalog?site=${encodeURIComponent(GARDEN)}&locale=${locale}`)).headers.get('etag')!);
      assert.equal(tags.size, 4);
    });

    test('a text the city wrote only in zh-CN: ug and en fall back with langs, zh-HK is converted; a zh-HK override wins; an edit of zh-CN re-derives it', async () => {
      const exported = (await call(api, '/staff/catalogue', { headers: bearer(admin) })).body;
      const entry = exported.services.find((s: any) => s.id === 'street-cleaning');
      assert.ok(entry);
      const field0 = entry.fields[0];
      const simplified = { ...entry, names: { 'zh-CN': '道路清扫与垃圾收运' }, fields: [{ ...field0, labels: { 'zh-CN': '发生地点' } }, ...entry.fields.slice(1)] };
      assert.equal((await putEntry('services/street-cleaning', simplified)).status, 200);
      const find = async (locale: Locale) => (await catalog(locale)).services.find((s: any) => s.id === 'street-cleaning');
      const ug = await find('ug');
      assert.equal(ug.name, '道路清扫与垃圾收运');
      assert.deepEqual(ug.langs, { name: 'zh-CN' });
      assert.equal(ug.fields[0].label, '发生地点');
      assert.equal(ug.fields[0].langs?.label, 'zh-CN');
      // Texts the city did write in ug stay ug (no langs entry for them).
      assert.equal(ug.langs.group, undefined);
      const en = await find('en');
      assert.equal(en.langs?.name, 'zh-CN');
      assert.equal(en.name, '道路清扫与垃圾收运');
      let hk = await find('zh-HK');
      assert.equal(hk.name, '道路清掃與垃圾收運');
      assert.equal(hk.langs?.name, undefined, 'a derived zh-HK text counts as zh-HK');
      assert.equal(hk.fields[0].label, '發生地點');
      const zh = await find('zh-CN');
      assert.equal(zh.name, '道路清扫与垃圾收运');
      assert.equal(zh.langs, undefined);

      // The city's own zh-HK beats the conversion.
      assert.equal((await putEntry('services/street-cleaning', { ...simplified, names: { 'zh-CN': '道路清扫与垃圾收运', 'zh-HK': '街道清潔' } })).status, 200);
      assert.equal((await find('zh-HK')).name, '街道清潔');
      // An edit of zh-CN (no zh-HK given) is converted again.
      assert.equal((await putEntry('services/street-cleaning', { ...simplified, names: { 'zh-CN': '街道卫生' } })).status, 200);
      hk = await find('zh-HK');
      assert.equal(hk.name, '街道衞生', "OpenCC's Hong Kong form");
      // The export keeps only what the city wrote: no derived zh-HK.
      const again = (await call(api, '/staff/catalogue', { headers: bearer(admin) })).body;
      assert.deepEqual(again.services.find((s: any) => s.id === 'street-cleaning').names, { 'zh-CN': '街道卫生' });
      assert.equal((await putEntry('services/street-cleaning', entry)).status, 200);
    });

    test('answers in each locale: zh-HK in Traditional, a fallback marked with langs', async () => {
      for (const locale of LOCALES) {
        const res = await call(api, `/answers?site=${encodeURIComponent(GARDEN)}&q=${encodeURIComponent('垃圾什么时候清运')}&locale=${locale}`);
        assert.equal(res.status, 200);
        assert.ok(res.body.answers.length > 0, `${locale}: answers`);
        for (const a of res.body.answers) {
          for (const key of ['question', 'answer'] as const) {
            const lang = (a.langs?.[key] ?? locale) as Locale;
            if (lang !== locale) assert.ok(FALLBACK[locale].includes(lang), `${locale} ${a.id} ${key} fell back to ${lang}`);
            assert.equal(scriptProblem(a[key], lang), null, `${locale} ${a.id} ${key}: ${a[key]}`);
          }
          if (locale === 'zh-HK') assert.equal(a.langs, undefined, 'zh-HK is derived from zh-CN where the city wrote none');
        }
      }
    });

    test('a request filed in ug: the answer, its detail and timeline in each locale asked, the acknowledgement promise in ug', async () => {
      const filed = await call(api, '/requests', { body: noiseRequest({ locale: 'ug' }) });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      assert.equal(filed.body.replyPromise.text, say('ug', M.replyWithinDays(filed.body.replyPromise.hours / 8)));
      assert.equal(scriptProblem(filed.body.routedTo.name, (filed.body.routedTo.langs?.name ?? 'ug') as Locale), null);
      const reference = filed.body.reference;
      const token = filed.body.accessToken;
      // Staff reopen-able steps: a reply, then the resident's rating sends it back (a system note in ug).
      const staff = bearer(server.staffToken);
      assert.equal((await call(api, `/staff/requests/${reference}/reply`, { body: { text: 'OK' }, headers: staff })).status, 200);
      assert.equal((await call(api, `/requests/${reference}/feedback`, { body: { rating: 1, resolved: false }, headers: bearer(token) })).status, 200);
      for (const locale of LOCALES) {
        const res = await call(api, `/requests/${reference}?locale=${locale}`, { headers: bearer(token) });
        assert.equal(res.status, 200);
        const d = res.body;
        for (const [where, obj] of [['site', d.site], ['service', d.service], ['routedTo', d.routedTo]] as const) {
          const lang = (obj.langs?.name ?? locale) as Locale;
          if (lang !== locale) assert.ok(FALLBACK[locale].includes(lang), `${locale} ${where}`);
          assert.equal(scriptProblem(obj.name, lang), null, `${locale} ${where}: ${obj.name}`);
        }
        const notes = d.timeline.filter((t: any) => t.note).map((t: any) => t.note as string);
        assert.ok(notes.includes(say(locale, M.redoNote)), `${locale}: the redo note in ${locale}: ${notes.join(' | ')}`);
        assert.ok(notes.includes(say(locale, M.ratingNote(1, false, null))), `${locale}: the rating note in ${locale}`);
        for (const note of notes) assert.equal(scriptProblem(note, locale), null, `${locale} note: ${note}`);
      }
    });

    test("errors' messages in ug and zh-HK (and the field messages)", async () => {
      for (const locale of LOCALES) {
        const unknown = await call(api, '/requests', { body: noiseRequest({ locale, site: 'nowhere' }) });
        assert.equal(unknown.status, 404);
        assert.equal(unknown.body.error.message, say(locale, M.unknownSite));
        const invalid = await call(api, '/requests', { body: noiseRequest({ locale, fields: { source: 'nonsense' } }) });
        assert.equal(invalid.status, 422);
        assert.equal(invalid.body.error.message, say(locale, M.fieldsInvalid));
        for (const message of Object.values(invalid.body.error.fields) as string[]) assert.equal(scriptProblem(message, locale), null, `${locale}: ${message}`);
        const typo = await call(api, `/requests/RS-AAAA-AAAA-A?locale=${locale}`, { headers: bearer('x') });
        assert.equal(typo.status, 422);
        assert.equal(typo.body.error.message, say(locale, M.checkReference));
        const header = await call(api, '/requests/RS-AAAA-AAAA-A', { headers: { ...bearer('x'), 'accept-language': locale === 'zh-HK' ? 'zh-TW' : locale } });
        assert.equal(header.body.error.message, say(locale, M.checkReference));
      }
      // Refusals before any handler: a broken body, an unknown endpoint, a body the schema refuses.
      const broken = await call(api, '/requests', { raw: '{"site":', headers: { 'content-type': 'application/json', 'accept-language': 'ug' } });
      assert.equal(broken.status, 400);
      assert.equal(broken.body.error.message, say('ug', PROTOCOL_MESSAGES.bodyNotJson));
      const nowhere = await call(api, '/nowhere?locale=zh-HK');
      assert.equal(nowhere.status, 404);
      assert.equal(nowhere.body.error.message, '沒有這個介面');
      const schema = await call(api, '/conversations', { body: { locale: 'ug' } });
      assert.equal(schema.status, 422);
      assert.equal(schema.body.error.message, say('ug', M.fieldsInvalid));
      const ug = await call(api, '/requests', { body: noiseRequest({ locale: 'ug', site: 'nowhere' }) });
      assert.match(ug.body.error.message, /\p{Script=Arabic}/u);
      const hk = await call(api, '/requests', { body: noiseRequest({ locale: 'zh-HK', site: 'nowhere' }) });
      assert.equal(hk.body.error.message, '站點不存在');
    });

    test('the chat in ug and zh-HK: the promise and the acknowledgement in the chat\'s locale', async () => {
      for (const locale of ['ug', 'zh-HK'] as const) {
        const conv = await call(api, '/conversations', { body: { site: GARDEN, locale } });
        assert.equal(conv.status, 201);
        assert.equal(conv.body.replyPromise.text, say(locale, M.replyWithinDays(conv.body.replyPromise.hours / 8)));
        const posted = await call(api, `/conversations/${conv.body.id}/messages`, { body: { text: 'سالام', clientId: `client-${locale}` }, headers: bearer(conv.body.token) });
        assert.equal(posted.status, 201);
        const page = await call(api, `/conversations/${conv.body.id}/messages?after=0`, { headers: bearer(conv.body.token) });
        const system = page.body.events.filter((e: any) => e.type === 'message' && e.message.author === 'system').map((e: any) => e.message.text as string);
        assert.equal(system.length, 1);
        const promise = { 'zh-CN': '', 'zh-HK': '', en: '', ug: '', [locale]: conv.body.replyPromise.text } as Record<Locale, string>;
        assert.ok([say(locale, M.ackOnDuty), say(locale, M.ackOffDuty(promise))].includes(system[0]!), system[0]);
        assert.equal(scriptProblem(system[0]!, locale), null);
      }
    });
  });
}
