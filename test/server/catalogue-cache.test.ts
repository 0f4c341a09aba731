/**
 * The resident catalogue kept in memory (issue 19): built once per catalogue version, site and
 * locale and answered as kept text; on PGlite the version is kept too and forgotten on the notice
 * every catalogue change sends in its own transaction — so every edit path must reach the very next
 * call. Also: calls at once share one read that began after they came (coalesce), and the
 * catalogue's calls cost 1/CATALOGUE_CALLS_PER_READ of a read from the address's budget.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { coalesce } from '../../demo/server/catalogue/catalog.js';
import { CATALOGUE_CALLS_PER_READ } from '../../demo/server/context.js';
import { DEMO_CITY } from '../../demo/server/catalogue/seed.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, start, storageConfigs, staffToken } from './helpers.js';

describe('coalesce', () => {
  test('a call joins a read that starts after it came, never one already under way', async () => {
    let reads = 0;
    const gates: (() => void)[] = [];
    const read = coalesce(() => new Promise<number>((resolve) => {
      const n = ++reads;
      gates.push(() => resolve(n));
    }));
    const first = read();
    const [second, third] = [read(), read()];
    assert.equal(reads, 1, 'the later calls wait for the first read to end');
    gates.shift()!();
    assert.equal(await first, 1);
    await new Promise((r) => setImmediate(r));
    assert.equal(reads, 2, 'one more read for both');
    gates.shift()!();
    assert.deepEqual(await Promise.all([second, third]), [2, 2]);
    const fourth = read();
    assert.equal(reads, 3);
    gates.shift()!();
    assert.equal(await fourth, 3);
  });
});

for (const config of storageConfigs()) {
  describe(`catalogue kept in memory (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let admin = '';
    const catalog = (locale = 'zh-CN', headers: Record<string, string> = {}) =>
      fetch(`${api}/catalog?site=${encodeURIComponent(GARDEN)}&locale=${locale}`, { headers });
    const put = (path: string, body: unknown) => call(api, `/staff/catalogue/${path}`, { method: 'PUT', body, headers: bearer(admin), noKey: true });

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      admin = await staffToken(api);
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('every edit path reaches the very next call: entry writes, a route, the privacy notice, a whole import', async () => {
      const first = await catalog();
      const etag = first.headers.get('etag')!;
      assert.equal(first.headers.get('content-type'), 'application/json');
      const kept = await first.json();
      assert.equal((await catalog('zh-CN', { 'if-none-match': etag })).status, 304);
      assert.deepEqual(await (await catalog()).json(), kept, 'the kept text is the catalogue');

      const dept = await put('departments/water', { names: { 'zh-CN': '区水务局（缓存）', en: 'Water (cached)' }, phone: '020-8123-1010' });
      assert.equal(dept.status, 200, JSON.stringify(dept.body));
      const afterDept = await catalog('zh-CN', { 'if-none-match': etag });
      assert.equal(afterDept.status, 200);
      const etag2 = afterDept.headers.get('etag')!;
      assert.equal((await afterDept.json()).services.find((s: { id: string }) => s.id === 'water-outage').department.name, '区水务局（缓存）');
      assert.equal((await (await catalog('en')).json()).services.find((s: { id: string }) => s.id === 'water-outage').department.name, 'Water (cached)');

      const route = await put(`routes/water-outage@${GARDEN}`, { department: 'health' });
      assert.ok(route.status === 200 || route.status === 201, JSON.stringify(route.body));
      const afterRoute = await catalog('zh-CN', { 'if-none-match': etag2 });
      assert.equal(afterRoute.status, 200);
      const etag3 = afterRoute.headers.get('etag')!;
      assert.equal((await afterRoute.json()).services.find((s: { id: string }) => s.id === 'water-outage').department.id, 'health');

      const imported = await call(api, '/staff/catalogue', { method: 'PUT', raw: await readFile(DEMO_CITY, 'utf8'), headers: { ...bearer(admin), 'content-type': 'application/json' }, noKey: true });
      assert.equal(imported.status, 200, JSON.stringify(imported.body));
      const afterImport = await catalog('zh-CN', { 'if-none-match': etag3 });
      assert.equal(afterImport.status, 200);
      assert.equal((await afterImport.json()).services.find((s: { id: string }) => s.id === 'water-outage').department.id, 'water');
    });

    test('an unknown site is 404 every time (nothing kept for it)', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await fetch(`${api}/catalog?site=nowhere`)).status, 404);
    });

    if (config.name === 'PostgreSQL') {
      test('an edit made by another process reaches this one at once', async () => {
        const other = await start(config, { databaseSchema: (config.options as { databaseSchema: string }).databaseSchema });
        try {
          const before = await (await catalog()).json();
          const token = await staffToken(other.apiBase);
          const edit = await call(other.apiBase, '/staff/catalogue/departments/water', {
            method: 'PUT', body: { names: { 'zh-CN': '区水务局（另一进程）' }, phone: '020-8123-1010' }, headers: bearer(token), noKey: true });
          assert.equal(edit.status, 200, JSON.stringify(edit.body));
          const now = await (await catalog()).json();
          assert.notDeepEqual(now, before);
          assert.equal(now.services.find((s: { id: string }) => s.id === 'water-outage').department.name, '区水务局（另一进程）');
        } finally {
          await other.close();
        }
      });
    }
  });
}

describe('the catalogue and the per-address read budget', () => {
  const [config] = storageConfigs();
  let server: RunningServer;
  before(async () => {
    server = await start(config!, { rateLimit: { reads: 2, writes: 100 } });
  });
  after(async () => {
    await server?.close();
  });

  test(`${CATALOGUE_CALLS_PER_READ} catalogue calls cost one read; over budget each is refused; an unknown site costs a whole read`, async () => {
    const url = `${server.apiBase}/catalog?site=${encodeURIComponent(GARDEN)}`;
    for (let i = 0; i < 2 * CATALOGUE_CALLS_PER_READ; i++) assert.equal((await fetch(url)).status, 200, `call ${i + 1}`);
    const over = await fetch(url);
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get('retry-after')) > 0);
    assert.equal((await fetch(url)).status, 429, 'the next one too');
  });

  test('an unknown site counts as a whole read', async () => {
    const other = await start(config!, { rateLimit: { reads: 2, writes: 100 } });
    try {
      assert.equal((await fetch(`${other.apiBase}/catalog?site=nowhere`)).status, 404); // 1 (its share) + 1 (the look-up)
      assert.equal((await fetch(`${other.apiBase}/catalog?site=${encodeURIComponent(GARDEN)}`)).status, 200); // within its 50
      assert.equal((await fetch(`${other.apiBase}/catalog?site=nowhere`)).status, 429); // a third whole read
    } finally {
      await other.close();
    }
  });
});
