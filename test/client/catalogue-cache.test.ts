import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import { IntakeTransport } from '../../src/client/transports/intake.js';
import { openStore } from '../../src/client/store.js';
import { keptCatalogId } from '../../src/client/kept-catalog.js';
import type { Catalog } from '../../src/client/protocol.js';
import { makeCatalog } from '../helpers/fake-client.js';
import { dbName, deleteDb, until } from '../helpers/fake-backend.js';

// The catalogue is kept on the device with its ETag (in the client's store, per endpoint, site
// and locale): a return visit has it at once and asks with If-None-Match whether it changed
// (304: the kept one stands; 200: the new one replaces it and a `catalog` event says so).
// Everything else (answers, a request's status, chat) stays `no-store`. The real round trip
// through a proxy is test/e2e/catalogue-cache.test.ts.

const ENDPOINT = 'http://intake.test/api/v1';
const SITE = 'riverside/xinhua/garden';

interface Seen {
  path: string;
  ifNoneMatch: string | null;
  cache: RequestCache | undefined;
}

/** A fetch stand-in for /catalog: answers with `current` and its ETag, 304 when asked with it. */
class CatalogueServer {
  seen: Seen[] = [];
  current: { catalog: Catalog; etag: string } = { catalog: makeCatalog(), etag: '"1-a"' };
  /** Held answers: each call waits until `release()`. */
  private held: (() => void)[] | null = null;
  private readonly original = window.fetch;

  install(): void {
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      const headers = new Headers(init?.headers);
      this.seen.push({ path: url.pathname.replace(/^\/api\/v1\//, ''), ifNoneMatch: headers.get('if-none-match'), cache: init?.cache });
      if (this.held) await new Promise<void>((resolve) => this.held!.push(resolve));
      if (!url.pathname.endsWith('/catalog')) return json({ error: { code: 'not_found', message: 'No' } }, 404);
      if (this.down) throw new TypeError('Failed to fetch');
      const { catalog, etag } = this.current;
      if (headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
      return json(catalog, 200, { etag });
    };
  }
  down = false;
  hold(): void {
    this.held = [];
  }
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const go of held) go();
  }
  restore(): void {
    window.fetch = this.original;
  }
  get catalogCalls(): Seen[] {
    return this.seen.filter((s) => s.path === 'catalog');
  }
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

describe('catalogue kept on the device with its ETag', () => {
  let server: CatalogueServer;
  let db: string;
  const clients: IntakeClient[] = [];
  const client = (locale = 'en'): IntakeClient => {
    const c = new IntakeClient({ endpoint: ENDPOINT, site: SITE, locale, dbName: db, flushIntervalMs: 60_000 });
    clients.push(c);
    return c;
  };
  /** Until the kept copy (with this ETag) is in IndexedDB. */
  const stored = async (etag: string, locale = 'en') => {
    const store = await openStore(db);
    try {
      return await until(async () => {
        const entry = await store.getDraft(keptCatalogId(`intake|${ENDPOINT}|${SITE}`, locale));
        return (entry?.value as { etag?: string } | undefined)?.etag === etag ? entry : undefined;
      }, `the kept catalogue ${etag}`);
    } finally {
      store.close();
    }
  };

  beforeEach(() => {
    db = dbName('catalogue');
    server = new CatalogueServer();
    server.install();
  });

  afterEach(async () => {
    server.release();
    server.restore();
    for (const c of clients.splice(0)) c.close();
    await deleteDb(db);
  });

  it('a return visit has the kept catalogue at once and the server answers 304 to its ETag', async () => {
    const first = client();
    const catalog = await first.catalog();
    expect(catalog.site.name).to.equal(server.current.catalog.site.name);
    expect(server.catalogCalls).to.deep.equal([{ path: 'catalog', ifNoneMatch: null, cache: 'no-cache' }]);
    await stored('"1-a"');
    first.close();

    // The next visit: the kept copy is the answer even while the server has not answered yet.
    server.hold();
    const again = client();
    const atOnce = await again.catalog();
    expect(atOnce).to.deep.equal(catalog);
    expect(again.capabilities).to.deep.equal(catalog.capabilities);
    await until(() => server.catalogCalls.length === 2, 'the revalidation');
    expect(server.catalogCalls[1]).to.deep.equal({ path: 'catalog', ifNoneMatch: '"1-a"', cache: 'no-store' });
    let changed = false;
    again.on('catalog', () => (changed = true));
    server.release();
    await stored('"1-a"');
    // 304: nothing new to announce; the kept copy stands.
    expect(await again.catalog()).to.deep.equal(catalog);
    expect(changed).to.equal(false);
  });

  it('a changed catalogue replaces the kept one and is announced', async () => {
    await client().catalog();
    await stored('"1-a"');
    server.current = { catalog: makeCatalog({ siteName: 'Garden Community (new office)', capabilities: { staffOnDuty: true } }), etag: '"2-b"' };

    const next = client();
    const announced = new Promise<Catalog>((resolve) => next.on('catalog', (event) => resolve(event.detail)));
    const atOnce = await next.catalog();
    expect(atOnce.site.name).to.not.equal('Garden Community (new office)');
    const fresh = await announced;
    expect(fresh.site.name).to.equal('Garden Community (new office)');
    expect(next.capabilities.staffOnDuty).to.equal(true);
    expect((await next.catalog()).site.name).to.equal('Garden Community (new office)');
    await stored('"2-b"');

    // Kept per locale: another language has nothing kept and waits for the server.
    const zh = client('zh-CN');
    const before = server.catalogCalls.length;
    await zh.catalog();
    expect(server.catalogCalls[before]!.ifNoneMatch).to.equal(null);
  });

  it('calls at once share one request (the launcher at intent and the panel)', async () => {
    const c = client();
    server.hold();
    const calls = [c.catalog(), c.catalog(), c.catalog()];
    await until(() => server.catalogCalls.length >= 1, 'the request');
    // The others are waiting on the same request, not on requests of their own.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.catalogCalls.length).to.equal(1);
    server.release();
    const [a, b, d] = await Promise.all(calls);
    expect(a).to.equal(b);
    expect(b).to.equal(d);
    expect(server.catalogCalls.length).to.equal(1);

    // With a kept copy: answered at once, and still one revalidation for calls at once.
    const later = client();
    await stored('"1-a"');
    server.hold();
    const more = await Promise.all([later.catalog(), later.catalog(), later.catalog()]);
    expect(more.map((x) => x.site.id)).to.deep.equal([SITE, SITE, SITE]);
    await until(() => server.catalogCalls.length === 2, 'the revalidation');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.catalogCalls.length).to.equal(2);
  });

  it('one caller giving up does not abort the shared request', async () => {
    const c = client();
    server.hold();
    const controller = new AbortController();
    const first = c.catalog({ signal: controller.signal });
    const second = c.catalog();
    controller.abort();
    const error = await first.then(() => undefined, (e: unknown) => e);
    expect((error as { code?: string }).code).to.equal('aborted');
    server.release();
    expect((await second).site.id).to.equal(SITE);
    expect(server.catalogCalls.length).to.equal(1);
  });

  it('a bad kept copy is dropped and never shown', async () => {
    const id = keptCatalogId(`intake|${ENDPOINT}|${SITE}`, 'en');
    const store = await openStore(db);
    const broken = { ...makeCatalog({ siteName: 'Damaged copy' }), services: 'not a list' };
    await store.putDraft({ id, value: { catalog: broken, etag: '"1-a"', checkedAt: Date.now() }, expiresAt: Date.now() + 60_000 });
    store.close();

    const c = client();
    const catalog = await c.catalog();
    expect(catalog.site.name).to.not.equal('Damaged copy');
    // Asked as if nothing were kept: no validator of the damaged copy went out.
    expect(server.catalogCalls[0]!.ifNoneMatch).to.equal(null);
    await stored('"1-a"');
  });

  it('offline, the kept copy is the answer; with nothing kept the error is', async () => {
    await client().catalog();
    await stored('"1-a"');
    server.down = true;
    const offline = client();
    expect((await offline.catalog()).site.id).to.equal(SITE);
    await until(() => offline.connection !== 'online', 'the failed revalidation');

    const elsewhere = new IntakeClient({ endpoint: ENDPOINT, site: 'elsewhere', locale: 'en', dbName: db });
    clients.push(elsewhere);
    const error = await elsewhere.catalog().then(() => undefined, (e: unknown) => e);
    expect((error as { code?: string }).code).to.equal('network');
  });

  it('asks for everything else with no-store', async () => {
    const transport = new IntakeTransport({ endpoint: ENDPOINT, site: SITE, locale: 'en', timeoutMs: 1000 });
    await transport.answers('bins').catch(() => undefined);
    await transport.getRequest('RS-7KQ2-M9XD-N', { accessToken: 'secret' }).catch(() => undefined);
    expect(server.seen.map((s) => [s.path, s.cache])).to.deep.equal([
      ['answers', 'no-store'],
      ['requests/RS-7KQ2-M9XD-N', 'no-store'],
    ]);
  });
});

describe('catalogue on the reference server: 304 on the wire', () => {
  let api = '';
  let db: string;

  before(async function () {
    this.timeout(120_000);
    const body = (await (await fetch('/__server')).json()) as { api?: string; error?: string };
    if (!body.api) throw new Error(`The reference server did not start: ${body.error}`);
    api = body.api;
  });

  afterEach(() => deleteDb(db));

  it('a second visit revalidates with the kept ETag (cross-origin: If-None-Match allowed, ETag exposed)', async function () {
    this.timeout(30_000);
    db = dbName('catalogue-real');
    const make = () => new IntakeClient({ endpoint: api, site: SITE, locale: 'en', dbName: db });
    const first = make();
    const catalog = await first.catalog();
    const id = keptCatalogId(`intake|${api.replace(/\/+$/, '')}|${SITE}`, 'en');
    const store = await openStore(db);
    const kept = await until(async () => (await store.getDraft(id))?.value as { etag?: string } | undefined, 'the kept copy');
    expect(kept.etag).to.match(/^"\d+-[\w-]+"$/);
    first.close();

    const seen: number[] = [];
    const original = window.fetch;
    window.fetch = async (input, init) => {
      const response = await original(input, init);
      if (String(input).includes('/catalog')) seen.push(response.status);
      return response;
    };
    const second = make();
    try {
      expect(await second.catalog()).to.deep.equal(catalog);
      await until(() => seen.length === 1, 'the revalidation');
      expect(seen).to.deep.equal([304]);
    } finally {
      window.fetch = original;
      second.close();
      store.close();
    }
  });
});

describe('catalogue over Open311: unaffected', () => {
  it('asks the Open311 server each time and keeps nothing', async function () {
    this.timeout(30_000);
    const id = `o311-${Math.random().toString(36).slice(2, 10)}`;
    const control = async (body: Record<string, unknown>) => (await fetch(`/open311-fake/${id}/_control`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<{ calls: Record<string, number> }>;
    await control({ action: 'reset', config: {} });
    const db = dbName('catalogue-open311');
    const endpoint = `${location.origin}/open311-fake/${id}/v2`;
    const c = new IntakeClient({ endpoint, site: 'city/test', locale: 'en', transport: 'open311', dbName: db });
    try {
      const first = await c.catalog();
      const second = await c.catalog();
      expect(second.services.map((s) => s.id)).to.deep.equal(first.services.map((s) => s.id));
      expect(c.capabilities.chat).to.equal(false);
      const calls = (await control({ action: 'state' })).calls;
      expect(calls['GET services.json']).to.equal(2);
      const store = await openStore(db);
      expect(await store.getDraft(keptCatalogId(`open311|${endpoint}|city/test`, 'en'))).to.equal(undefined);
      store.close();
    } finally {
      c.close();
      await control({ action: 'drop' });
      await deleteDb(db);
    }
  });
});
