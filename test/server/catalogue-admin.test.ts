/**
 * The administrators' catalogue API (docs/staff-api.md, "Catalogue") on a real server and
 * database: export and import of the city file (round trip, problems by line, dry run, entries
 * still in use), one entry at a time taking effect on the next resident catalogue, its ETag and
 * 304, the privacy notice, roles, and — on PostgreSQL — a second process following at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DEMO_CITY } from '../../demo/server/catalogue/seed.js';
import { checkCatalogue } from '../../demo/server/catalogue/catalogue-file.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, start, storageConfigs } from './helpers.js';

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** The line of the `n`th occurrence (0-based) of `needle`. */
function lineOf(text: string, needle: string, n = 0): number {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${needle} occurs ${n + 1} times`);
  }
  return lineAt(text, at);
}

function replaceNth(text: string, needle: string, by: string, n = 0): string {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  return text.slice(0, at) + by + text.slice(at + needle.length);
}

describe('the city file format', () => {
  test('the demo city file is valid, and a syntax error names its line and column', async () => {
    const text = await readFile(DEMO_CITY, 'utf8');
    assert.equal(checkCatalogue(text).ok, true);
    const broken = replaceNth(text, '"level": "street",', '"level": "street"');
    const got = checkCatalogue(broken);
    assert.equal(got.ok, false);
    if (got.ok) return;
    assert.equal(got.problems.length, 1);
    // The comma is missing after "street": the next line's key is where the reader stops.
    assert.equal(got.problems[0]!.line, lineOf(text, '"level": "street",') + 1);
    assert.match(got.problems[0]!.message, /not valid JSON: expected "," or "}" after the value of "level"/);
    assert.equal(typeof got.problems[0]!.column, 'number');
  });
});

for (const config of storageConfigs()) {
  describe(`catalogue admin (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let demo: string;
    const tokens: Record<string, string> = {};
    const as = (who: string) => bearer(tokens[who]!);
    const json = (who: string) => ({ ...as(who), 'content-type': 'application/json' });
    const exportText = async () => {
      const res = await fetch(`${api}/staff/catalogue`, { headers: as('admin') });
      assert.equal(res.status, 200);
      return res.text();
    };
    const importText = (text: string, query = '') =>
      call(api, `/staff/catalogue${query}`, { method: 'PUT', raw: text, headers: json('admin'), noKey: true });
    const put = (path: string, body: unknown, who = 'admin') =>
      call(api, `/staff/catalogue/${path}`, { method: 'PUT', body, headers: as(who), noKey: true });
    const del = (path: string, who = 'admin') => call(api, `/staff/catalogue/${path}`, { method: 'DELETE', headers: as(who), noKey: true });
    const catalog = (locale = 'zh-CN', headers: Record<string, string> = {}) =>
      fetch(`${api}/catalog?site=${encodeURIComponent(GARDEN)}&locale=${locale}`, { headers });

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      demo = await readFile(DEMO_CITY, 'utf8');
      for (const [who, password] of [['admin', 'demo-admin'], ['supervisor', 'demo-supervisor'], ['market', 'demo-market']]) {
        const res = await call(api, '/staff/session', { body: { login: who, password } });
        assert.equal(res.status, 201, `${who} signs in: ${JSON.stringify(res.body)}`);
        tokens[who] = res.body.token;
      }
      tokens.dispatcher = server.staffToken;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('export: the whole city file as an attachment, for administrators and supervisors only, logged', async () => {
      const res = await fetch(`${api}/staff/catalogue`, { headers: as('admin') });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="catalogue-\d{4}-\d{2}-\d{2}\.json"$/);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      // The first start loaded the demo city file: its export is the same text.
      assert.equal(await res.text(), demo);
      assert.equal((await fetch(`${api}/staff/catalogue`, { headers: as('supervisor') })).status, 200);
      assert.equal((await call(api, '/staff/catalogue', { headers: as('dispatcher') })).status, 403);
      assert.equal((await call(api, '/staff/catalogue', { headers: as('market') })).status, 403);
      assert.equal((await call(api, '/staff/catalogue')).status, 401);
      const logged = await server.db.query<{ action: string; actor_role: string }>(
        `SELECT action, actor_role FROM audit_log WHERE action = 'export' AND target_kind = 'catalogue' ORDER BY seq`);
      assert.deepEqual(logged.map((r) => r.actor_role), ['administrator', 'supervisor']);
    });

    test('changes are for administrators only (403 for a supervisor, a dispatcher, a department officer)', async () => {
      for (const who of ['supervisor', 'dispatcher', 'market']) {
        assert.equal((await call(api, '/staff/catalogue', { method: 'PUT', raw: demo, headers: json(who), noKey: true })).status, 403, who);
        assert.equal((await put('departments/housing', { names: { 'zh-CN': '住建局' }, phone: null }, who)).status, 403, who);
        assert.equal((await del('routes/elderly-care@riverside/xinhua', who)).status, 403, who);
        assert.equal((await put('privacy', { texts: { 'zh-CN': '新的告知' } }, who)).status, 403, who);
      }
    });

    test('round trip: export → import → export is the same text, and a changed file comes back as written', async () => {
      const first = await exportText();
      const imported = await importText(first);
      assert.equal(imported.status, 200, JSON.stringify(imported.body));
      assert.deepEqual(imported.body.counts.removed, { sites: [], departments: [], services: [] });
      assert.equal(imported.body.counts.services, 17);
      assert.equal(imported.body.counts.answers, 42);
      assert.equal(await exportText(), first);
      const changed = replaceNth(first, '"names": {"zh-CN": "垃圾清运", "en": "Rubbish collection"', '"names": {"zh-CN": "垃圾清运", "en": "Bin collection"');
      assert.equal((await importText(changed)).status, 200);
      const again = await exportText();
      assert.equal(again, changed);
      assert.equal((await importText(first)).status, 200);
      const logged = await server.db.query<{ detail: { services: number } }>(`SELECT detail FROM audit_log WHERE action = 'import' ORDER BY seq DESC LIMIT 1`);
      assert.equal(logged[0]!.detail.services, 17);
    });

    test('import: every problem with its line, path and message; nothing changes', async () => {
      const version = (await catalog()).headers.get('etag');
      const cases: { name: string; text: string; line: number; path: string; message: RegExp }[] = [];
      const add = (name: string, needle: string, by: string, path: string, message: RegExp, n = 0, lineShift = 0) => {
        cases.push({ name, text: replaceNth(demo, needle, by, n), line: lineOf(demo, needle, n) + lineShift, path, message });
      };
      add('unknown field type', '"type": "single"', '"type": "dropdown"', 'services[0].fields[2].type', /^unknown field type "dropdown"/);
      add('route to an unknown service', '{"service": "elderly-care"', '{"service": "elderly-car"', 'routes[2].service', /^unknown service "elderly-car"$/);
      add('route to an unknown site', '"site": "riverside/heping", "department": "heping-office"', '"site": "riverside/hepin", "department": "heping-office"', 'routes[1].site', /^unknown site "riverside\/hepin"$/);
      add('route to an unknown department', '"department": "xinhua-office"}', '"department": "xinhua"}', 'routes[0].department', /^unknown department "xinhua"$/);
      add('a site whose parent is missing', '"parent": "riverside/heping"', '"parent": "riverside/hepin"', 'sites[5].parent', /^unknown site "riverside\/hepin"$/);
      add('a duplicate id', '"id": "riverside/xinhua/station"', '"id": "riverside/xinhua/garden"', 'sites[4]', /^duplicate id "riverside\/xinhua\/garden" \(also sites\[3\]\)$/, 0, -1);
      // A problem of a whole entry is at the line where the entry opens.
      add('options on a field that is not a choice', '"type": "text",\n          "labels": {\n            "zh-CN": "车牌号', '"type": "text", "options": [{"value": "a", "labels": {"zh-CN": "甲"}}],\n          "labels": {\n            "zh-CN": "车牌号',
        'services[5].fields[1]', /^options on a text field/, 0, -2);
      add('a text without zh-CN', '"names": {"zh-CN": "区教育局", "en": "District Education Bureau"', '"names": {"en": "District Education Bureau"',
        'departments[8].names', /^the zh-CN text is missing$/);
      add('an unknown key', '"replyHours": 24,', '"colour": "blue", "replyHours": 24,', 'services[3].colour', /^unknown key "colour"$/);
      add('a misspelt locale', '"en": "Heping Street"', '"english": "Heping Street"', 'sites[2].names.english', /is not a locale/);
      add('a time of day', '"opens": "09:00", "closes": "17:00"', '"opens": "9am", "closes": "17:00"', 'sites[5].officeHours[0].opens', /^"9am" is not a time of day/);
      for (const c of cases) {
        const res = await importText(c.text, '?dryRun=1');
        assert.equal(res.status, 422, c.name);
        const problem = res.body.error.problems.find((p: { path: string }) => p.path === c.path);
        assert.ok(problem, `${c.name}: ${JSON.stringify(res.body.error.problems)}`);
        assert.match(problem.message, c.message, c.name);
        assert.equal(problem.line, c.line, `${c.name}: ${problem.text}`);
        assert.equal(problem.text, `line ${problem.line}: ${c.path}: ${problem.message}`);
        assert.equal(res.body.error.fields[c.path], problem.message);
      }
      // Several problems at once, in the order of the file.
      const many = await importText(cases[0]!.text.replace('"parent": "riverside/heping"', '"parent": "nowhere"'));
      assert.equal(many.status, 422);
      // Schema problems come first; reference problems once the schema holds.
      assert.ok(many.body.error.problems.length >= 1);
      const malformed = await importText(`${demo.slice(0, 200)}`);
      assert.equal(malformed.status, 422);
      assert.match(malformed.body.error.problems[0].text, /^line \d+: not valid JSON/);
      assert.equal((await catalog()).headers.get('etag'), version, 'nothing changed');
      assert.equal(await exportText(), demo);
    });

    test('dry run: checks everything and says what would change, changes nothing', async () => {
      const etag = (await catalog()).headers.get('etag');
      const changed = replaceNth(demo, '"names": {"zh-CN": "垃圾清运"', '"names": {"zh-CN": "垃圾分类清运"');
      const res = await importText(changed, '?dryRun=1');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.dryRun, true);
      assert.equal(res.body.counts.services, 17);
      assert.equal(await exportText(), demo);
      assert.equal((await catalog()).headers.get('etag'), etag);
      const body = await (await catalog()).json();
      assert.equal(body.services.find((s: { id: string }) => s.id === 'rubbish-collection').name, '垃圾清运');
    });

    test('ETag: 304 while the catalogue is unchanged, 200 with a new ETag after a change; per locale', async () => {
      const first = await catalog();
      const etag = first.headers.get('etag')!;
      assert.match(etag, /^"\d+-[\w-]+"$/);
      assert.equal(first.headers.get('cache-control'), 'no-cache');
      const again = await catalog('zh-CN', { 'if-none-match': etag });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('etag'), etag);
      assert.equal(await again.text(), '');
      assert.equal((await catalog('zh-CN', { 'if-none-match': `W/${etag}, "other"` })).status, 304);
      const en = await catalog('en', { 'if-none-match': etag });
      assert.equal(en.status, 200);
      assert.notEqual(en.headers.get('etag'), etag);
      const edit = await put('departments/water', { names: { 'zh-CN': '区水务局（供水）', en: 'District Water Authority' }, phone: '020-8123-1010' });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      const changed = await catalog('zh-CN', { 'if-none-match': etag });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), etag);
      const body = await changed.json();
      assert.equal(body.services.find((s: { id: string }) => s.id === 'water-outage').department.name, '区水务局（供水）');
      if (config.name === 'PGlite') {
        // A database made again (here: another in memory) reaches the same version number with other
        // contents: its ETags differ all the same, so a browser's kept copy is never taken for it.
        const [a, b] = [await start(config), await start(config)];
        try {
          const url = (srv: RunningServer) => `${srv.apiBase}/catalog?site=${encodeURIComponent(GARDEN)}&locale=zh-CN`;
          const tagA = (await fetch(url(a))).headers.get('etag')!;
          const tagB = (await fetch(url(b))).headers.get('etag')!;
          assert.equal(tagA.split('-')[0], tagB.split('-')[0], 'same version number');
          assert.notEqual(tagA, tagB);
          assert.equal((await fetch(url(b), { headers: { 'if-none-match': tagA } })).status, 200);
        } finally {
          await a.close();
          await b.close();
        }
      }
    });

    test('one entry at a time: each change reaches the next resident catalogue without a restart, and is logged', async () => {
      // A new community below Garden's street, its own route for a service, and what residents see there.
      const site = await put('sites/riverside/xinhua/market', {
        parent: 'riverside/xinhua', level: 'community', names: { 'zh-CN': '市场社区', en: 'Market Community' },
        officeHours: [{ days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' }], replyHours: 24, phone: null,
      });
      assert.equal(site.status, 201, JSON.stringify(site.body));
      assert.equal(site.body.created, true);
      const there = await (await fetch(`${api}/catalog?site=${encodeURIComponent('riverside/xinhua/market')}&locale=en`)).json();
      assert.equal(there.site.name, 'Market Community');
      assert.deepEqual(there.site.parents.map((p: { id: string }) => p.id), ['riverside', 'riverside/xinhua']);
      assert.equal(there.site.replyPromise.hours, 24);
      // Inherited from the street: the route of riverside/xinhua.
      assert.equal(there.services.find((s: { id: string }) => s.id === 'elderly-care').department.id, 'xinhua-office');

      // A route at Garden wins over the street's.
      const route = await put(`routes/elderly-care@${GARDEN}`, { department: 'health' });
      assert.equal(route.status, 201, JSON.stringify(route.body));
      let garden = await (await catalog('en')).json();
      assert.equal(garden.services.find((s: { id: string }) => s.id === 'elderly-care').department.id, 'health');
      assert.equal((await del(`routes/elderly-care@${GARDEN}`)).status, 200);
      garden = await (await catalog('en')).json();
      assert.equal(garden.services.find((s: { id: string }) => s.id === 'elderly-care').department.id, 'xinhua-office');

      // A service: a new field with options, a name in a third locale; the widget's fields follow.
      const exported = JSON.parse(await exportText());
      const noise = exported.services.find((s: { id: string }) => s.id === 'noise');
      noise.names.en = 'Noise nuisance';
      noise.fields.push({ id: 'floor', type: 'single', labels: { 'zh-CN': '楼层', en: 'Floor' }, options: [{ value: 'low', labels: { 'zh-CN': '低层', en: 'Low' } }] });
      const service = await put('services/noise', noise);
      assert.equal(service.status, 200, JSON.stringify(service.body));
      garden = await (await catalog('en')).json();
      const seen = garden.services.find((s: { id: string }) => s.id === 'noise');
      assert.equal(seen.name, 'Noise nuisance');
      assert.deepEqual(seen.fields.at(-1), { id: 'floor', type: 'single', label: 'Floor', required: false, readOnly: false, options: [{ value: 'low', label: 'Low' }] });

      // Office hours and the reply promise of a site.
      const gardenSite = exported.sites.find((s: { id: string }) => s.id === GARDEN);
      const hours = await put(`sites/${GARDEN}`, { ...gardenSite, officeHours: [{ days: [1, 2, 3, 4, 5, 6, 7], opens: '08:00', closes: '20:00' }], replyHours: 8 });
      assert.equal(hours.status, 200);
      garden = await (await catalog('en')).json();
      assert.deepEqual(garden.site.officeHours, [{ days: [1, 2, 3, 4, 5, 6, 7], opens: '08:00', closes: '20:00' }]);
      assert.equal(garden.site.replyPromise.text, 'We reply within 1 working day');

      // An instant answer: found by the next search.
      const answer = await put('answers/pet-licence', {
        service: 'other', questions: { 'zh-CN': '养狗要办证吗？', en: 'Do I need a licence for my dog?' },
        answers: { 'zh-CN': '需要。请到派出所办理养犬登记证。', en: 'Yes: register your dog at the police station.' },
        keywords: { 'zh-CN': '养犬 狗证', en: 'dog licence pet' },
      });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      const found = await call(api, `/answers?site=${encodeURIComponent(GARDEN)}&q=${encodeURIComponent('dog licence')}&locale=en`);
      assert.equal(found.body.answers[0].id, 'pet-licence.en');
      assert.equal((await del('answers/pet-licence')).status, 200);
      const gone = await call(api, `/answers?site=${encodeURIComponent(GARDEN)}&q=${encodeURIComponent('dog licence')}&locale=en`);
      assert.ok(!gone.body.answers.some((a: { id: string }) => a.id.startsWith('pet-licence')));

      const logged = await server.db.query<{ target_kind: string; target_id: string; detail: { section: string; change: string; changed?: string[] } }>(
        `SELECT target_kind, target_id, detail FROM audit_log WHERE action = 'catalogue_change' ORDER BY seq`);
      const entry = (id: string, change: string) => logged.find((r) => r.target_id === id && r.detail.change === change);
      assert.ok(entry('riverside/xinhua/market', 'create'));
      assert.ok(entry(`elderly-care@${GARDEN}`, 'delete'));
      assert.deepEqual(entry('noise', 'replace')!.detail.changed, ['names', 'fields']);
      assert.deepEqual(entry(GARDEN, 'replace')!.detail.changed, ['officeHours', 'replyHours']);
      assert.equal(entry('noise', 'replace')!.detail.section, 'services');
    });

    test('one entry: checked as in the file, and its references against the catalogue', async () => {
      const bad = await put('services/noise-2', { department: 'nowhere', group: { 'zh-CN': '其他' }, names: { 'zh-CN': '噪音2' }, descriptions: { 'zh-CN': '…' }, kinds: ['complaint'], keywords: {}, fields: [] });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.error.problems[0].path, 'department');
      assert.equal(bad.body.error.problems[0].message, 'unknown department "nowhere"');
      const typed = await call(api, '/staff/catalogue/services/noise-2', {
        method: 'PUT', headers: json('admin'), noKey: true,
        raw: '{\n  "department": "sanitation",\n  "group": {"zh-CN": "其他"},\n  "names": {"zh-CN": "噪音2"},\n  "descriptions": {"zh-CN": "…"},\n  "kinds": ["complaint"],\n  "keywords": {},\n  "fields": [{"id": "x", "type": "dropdown", "labels": {"zh-CN": "甲"}}]\n}',
      });
      assert.equal(typed.status, 422);
      assert.equal(typed.body.error.problems[0].text.replace(/ \(one of.*$/, ''), 'line 8: fields[0].type: unknown field type "dropdown"');
      const mismatch = await put('departments/housing', { id: 'water', names: { 'zh-CN': '水务' }, phone: null });
      assert.equal(mismatch.status, 422);
      const loop = await put('sites/riverside', { parent: GARDEN, level: 'district', names: { 'zh-CN': '河畔区' }, officeHours: [], replyHours: 16, phone: '12345' });
      assert.equal(loop.status, 422);
      assert.match(loop.body.error.problems[0].message, /below this site/);
      const noDispatch = await put('departments/dispatch', { names: { 'zh-CN': '派单中心' }, phone: '12345' });
      assert.equal(noDispatch.status, 409);
      assert.match(noDispatch.body.error.message, /dispatch centre/);
      assert.equal((await put('unknown/thing', {})).status, 404);
      // Ids in the path may come percent-encoded (encodeURIComponent), slashes and @ too.
      const encoded = await put(`routes/${encodeURIComponent(`pension@${GARDEN}`)}`, { department: 'civil-affairs' });
      assert.equal(encoded.status, 201, JSON.stringify(encoded.body));
      assert.equal((await del(`routes/${encodeURIComponent(`pension@${GARDEN}`)}`)).status, 200);
      const site = (await call(api, '/staff/catalogue', { headers: as('admin') })).body.sites.find((s: { id: string }) => s.id === GARDEN);
      assert.equal((await put(`sites/${encodeURIComponent(GARDEN)}`, site)).status, 200);
    });

    test('removing what is still in use is refused with what uses it (409); unused entries go', async () => {
      // A request at Garden for pension: the service, the site and the department are on record.
      const filed = await call(api, '/requests', {
        body: { site: GARDEN, service: 'pension', type: 'consultation', description: '养老金咨询', fields: { topics: ['pay'] }, contact: { name: '李', phone: '13800000000' }, consent: { version: '2026-01', given: true } },
      });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      const service = await del('services/pension');
      assert.equal(service.status, 409);
      assert.match(service.body.error.message, /The service "pension" is still in use: .*1 requests \(1 open\)/);
      const department = await del('departments/social-security');
      assert.equal(department.status, 409);
      assert.match(department.body.error.message, /services medical-insurance, pension/);
      const site = await del('sites/riverside/xinhua');
      assert.equal(site.status, 409);
      assert.match(site.body.error.message, /sites \(children\) riverside\/xinhua\/garden/);
      assert.equal((await del('departments/dispatch')).status, 409);
      assert.equal((await del('sites/nowhere')).status, 404);
      // An import that leaves out the site with the request: refused, nothing changed.
      const file = JSON.parse(await exportText());
      file.sites = file.sites.filter((s: { id: string }) => s.id !== GARDEN);
      file.routes = file.routes.filter((r: { site: string }) => r.site !== GARDEN);
      const refused = await importText(JSON.stringify(file));
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.match(refused.body.error.problems[0].message, /site "riverside\/xinhua\/garden" is not in the file but is still referred to: .*requests/);
      assert.equal((await catalog()).status, 200);
      // Something unused goes: a new department without services, requests or routes.
      assert.equal((await put('departments/parks', { names: { 'zh-CN': '园林局', en: 'Parks' }, phone: null })).status, 201);
      const gone = await del('departments/parks');
      assert.equal(gone.status, 200);
      assert.equal((await server.db.query('SELECT 1 FROM departments WHERE id = $1', ['parks'])).length, 0);
    });

    test('privacy: a new version asks residents again; the same version corrects the text', async () => {
      const fix = await put('privacy', { version: '2026-01', texts: { 'zh-CN': '我们仅为办理您的诉求而收集所填信息。', en: 'We collect what you enter only to handle your request.' } });
      assert.equal(fix.status, 200, JSON.stringify(fix.body));
      assert.equal(fix.body.renewed, false);
      let body = await (await catalog('en')).json();
      assert.deepEqual(body.consent, { version: '2026-01', text: 'We collect what you enter only to handle your request.' });
      const renewed = await put('privacy', { texts: { 'zh-CN': '新的隐私告知。', en: 'A new privacy notice.' } });
      assert.equal(renewed.status, 200);
      assert.equal(renewed.body.renewed, true);
      const version = renewed.body.privacy.version;
      assert.match(version, /^\d{4}-\d{2}-\d{2}$/);
      body = await (await catalog('en')).json();
      assert.deepEqual(body.consent, { version, text: 'A new privacy notice.' });
      // A resident who agreed to the old notice is asked again.
      const old = await call(api, '/requests', {
        body: { site: GARDEN, service: 'other', type: 'consultation', description: '问一下', fields: {}, consent: { version: '2026-01', given: true } },
      });
      assert.equal(old.status, 422);
      assert.ok(old.body.error.fields['consent.version']);
      assert.equal((await put('privacy', { version: '2026-01', texts: { 'zh-CN': '旧的' } })).status, 409);
      const logged = await server.db.query<{ detail: { change: string } }>(`SELECT detail FROM audit_log WHERE action = 'catalogue_change' AND target_kind = 'privacy' ORDER BY seq`);
      assert.deepEqual(logged.map((r) => r.detail.change), ['texts', 'new_version']);
    });

    if (config.name === 'PostgreSQL') {
      test('a second process on the same database follows a change at once (ETag and content)', async () => {
        const other = await start(config);
        try {
          const url = `${other.apiBase}/catalog?site=${encodeURIComponent(GARDEN)}&locale=en`;
          const first = await fetch(url);
          const etag = first.headers.get('etag')!;
          assert.equal((await fetch(url, { headers: { 'if-none-match': etag } })).status, 304);
          assert.equal((await put('departments/education', { names: { 'zh-CN': '区教育局', en: 'Schools Bureau' }, phone: null })).status, 200);
          const next = await fetch(url, { headers: { 'if-none-match': etag } });
          assert.equal(next.status, 200);
          const body = await next.json();
          assert.equal(body.services.find((s: { id: string }) => s.id === 'school-enrolment').department.name, 'Schools Bureau');
        } finally {
          await other.close();
        }
      });
    }
  });
}
