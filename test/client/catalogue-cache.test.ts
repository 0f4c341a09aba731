import { expect } from '@open-wc/testing';
import { IntakeTransport } from '../../src/client/transports/intake.js';

// The catalogue is the one answer the browser may keep: fetch cache mode `no-cache` stores it and
// asks again each time with If-None-Match (the server's ETag; 304 while unchanged). Everything
// else (answers, a request's status, chat) stays `no-store`. The real round trip, 304 on the
// wire, is test/e2e/catalogue-cache.test.ts.
describe('catalogue cache mode', () => {
  const original = window.fetch;
  afterEach(() => {
    window.fetch = original;
  });

  it('asks for the catalogue with no-cache and for everything else with no-store', async () => {
    const modes: Record<string, RequestCache | undefined> = {};
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      modes[new URL(String(input)).pathname.replace(/^\/api\/v1\//, '')] = init?.cache;
      return new Response(JSON.stringify({ error: { code: 'not_found', message: 'No' } }), { status: 404, headers: { 'content-type': 'application/json' } });
    };
    const transport = new IntakeTransport({ endpoint: 'http://intake.test/api/v1', site: 'riverside/xinhua/garden', locale: 'en', timeoutMs: 1000 });
    await transport.catalog().catch(() => undefined);
    await transport.answers('bins').catch(() => undefined);
    await transport.getRequest('RS-7KQ2-M9XD-N', { accessToken: 'secret' }).catch(() => undefined);
    expect(modes).to.deep.equal({ catalog: 'no-cache', answers: 'no-store', 'requests/RS-7KQ2-M9XD-N': 'no-store' });
  });
});
