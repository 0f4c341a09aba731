/**
 * Text the database cannot store (U+0000, lone surrogates) and bodies nested too deep: every
 * endpoint answers with a 4xx naming the problem, never a 500 (issue 15, items 7 and 10).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, noiseRequest, start, storageConfigs, type JsonAnswer } from './helpers.js';

const NUL = '\u0000';
const LONE = '\ud800';

/** Sends `text` as the raw JSON body (JSON.stringify writes a lone surrogate as the escape `\ud800`). */
const post = (base: string, path: string, value: unknown, headers: Record<string, string> = {}) =>
  call(base, path, { raw: JSON.stringify(value), headers: { 'content-type': 'application/json', ...headers } });

function refused(res: JsonAnswer, field: string | null, what: string) {
  assert.equal(res.status, 422, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error.code, 'validation_failed', what);
  if (field) assert.ok(res.body.error.fields?.[field], `${what}: fields.${field} in ${JSON.stringify(res.body.error)}`);
}

/** A raw HTTP/1.1 request (fetch refuses to send a NUL in a header); answers the status line's code. */
function rawRequest(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m && data.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(Number(m[1]));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
  });
}

for (const config of storageConfigs()) {
  describe(`hostile input (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let staff: Record<string, string>;
    let request: { reference: string; accessToken: string };
    let conv: { id: string; token: string };
    before(async () => {
      server = await start(config);
      api = server.apiBase;
      staff = bearer(server.staffToken);
      request = (await call(api, '/requests', { body: noiseRequest() })).body;
      conv = (await call(api, '/conversations', { body: { site: GARDEN } })).body;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    for (const [name, bad] of [['U+0000', `噪音${NUL}扰民`], ['a lone surrogate', `噪音${LONE}扰民`]] as const) {
      test(`${name} in any JSON body field → 422 with the field's path, never 500`, async () => {
        const r = `/requests/${request.reference}`;
        const c = `/conversations/${conv.id}`;
        const own = bearer(request.accessToken);
        const talk = bearer(conv.token);
        const cases: [string, unknown, string | null, Record<string, string>?][] = [
          ['/requests', noiseRequest({ description: bad }), 'description'],
          ['/requests', noiseRequest({ contact: { name: bad, phone: '13800000000' } }), 'contact.name'],
          ['/requests', noiseRequest({ fields: { source: 'construction', occurred_at: '2026-11-27T23:00', location: { address: bad } } }), 'fields.location.address'],
          ['/requests', noiseRequest({ page: { url: 'https://garden.example.gov/', title: bad } }), 'page.title'],
          // An unknown key is ignored, but it still goes into the idempotency record (JSONB).
          ['/requests', noiseRequest({ extra: { deep: [bad] } }), 'extra.deep.0'],
          ['/requests', noiseRequest({ [`key${bad}`]: 1 }), null],
          ['/conversations', { site: GARDEN, topic: bad }, 'topic'],
          [`${c}/messages`, { clientId: 'nul-message-1', text: bad }, 'text', talk],
          [`${c}/typing`, { typing: true, note: bad }, 'note', talk],
          [`${r}/feedback`, { rating: 2, resolved: false, comment: bad }, 'comment', own],
          [`${r}/reopen`, { reason: bad }, 'reason', own],
          [`/staff${r}/reply`, { text: bad }, 'text', staff],
          [`/staff${r}/route`, { department: 'dispatch', note: bad }, 'note', staff],
          [`/staff${r}/status`, { status: 'in_progress', note: bad }, 'note', staff],
          [`/staff${c}/messages`, { text: bad }, 'text', staff],
        ];
        for (const [path, body, field, headers] of cases) refused(await post(api, path, body, headers), field, `POST ${path} ${field}`);
        // Nothing of it was stored, and the conversation still takes messages.
        const ok = await post(api, `${c}/messages`, { clientId: `after-bad-${name === 'U+0000' ? 'nul' : 'surrogate'}`, text: '还在吗' }, talk);
        assert.equal(ok.status, 201);
      });
    }

    test('U+0000 in a query string or a path id → 422, never 500', async () => {
      const own = bearer(request.accessToken);
      const cases: [string, string | null, Record<string, string>?][] = [
        [`/answers?site=${GARDEN}&q=%E5%99%AA%00`, 'q'],
        [`/catalog?site=${encodeURIComponent(GARDEN)}%00`, 'site'],
        [`/catalog?site=${GARDEN}&locale=en%00`, 'locale'],
        [`/requests/RS%00?locale=en`, null, own],
        [`/requests/${request.reference}?locale=%00`, 'locale', own],
        [`/conversations/abc%00/messages?after=0`, null, bearer(conv.token)],
        [`/attachments/abc%00`, null, own],
        [`/staff/queue?q=%00`, 'q', staff],
        [`/staff/requests/RS%00`, null, staff],
      ];
      for (const [path, field, headers] of cases) refused(await call(api, path, { headers }), field, `GET ${path}`);
      const o311 = await call(server.open311Base, `/requests.json?jurisdiction_id=${GARDEN}%00`);
      assert.equal(o311.status, 400, JSON.stringify(o311.body));
      assert.ok(Array.isArray(o311.body) && o311.body[0].code === 400 && /jurisdiction_id/.test(o311.body[0].description), JSON.stringify(o311.body));
    });

    test('U+0000 in an Open311 form field → 400 in the Open311 format, never 500', async () => {
      const form = new URLSearchParams({ jurisdiction_id: GARDEN, service_code: 'noise', description: `噪音${NUL}扰民`, address_string: '新华路12号', lat: '31.2', long: '121.4',
      'attribute[source]': 'construction', 'attribute[occurred_at]': '2026-11-27T23:00' });
      const res = await call(server.open311Base, '/requests.json', { raw: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.ok(Array.isArray(res.body) && /description/.test(res.body[0].description), JSON.stringify(res.body));
    });

    test('U+0000 in a header (X-Intake-Contact) is refused, never 500', async () => {
      const status = await rawRequest(server.port,
        `GET /api/v1/requests/${request.reference} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Intake-Contact: 138${NUL}00000000\r\nConnection: close\r\n\r\n`);
      assert.ok(status >= 400 && status < 500, `status ${status}`);
    });

    test('a body nested deeper than 32 → 400 bad_request before anything recurses', async () => {
      const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
      const bodies: [string, string, Record<string, string>?][] = [
        ['/requests', JSON.stringify(noiseRequest()).replace(/}$/, `,"x":${deep(5000)}}`)],
        ['/conversations', `{"site":"${GARDEN}","x":${deep(5000)}}`],
        [`/requests/${request.reference}/feedback`, `{"rating":3,"resolved":true,"x":${deep(5000)}}`, bearer(request.accessToken)],
        [`/requests/${request.reference}/reopen`, `{"x":${deep(5000)}}`, bearer(request.accessToken)],
        ['/conversations', `{"site":"${GARDEN}","x":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`],
      ];
      for (const [path, raw, headers] of bodies) {
        const res = await call(api, path, { raw, headers: { 'content-type': 'application/json', ...headers } });
        assert.equal(res.status, 400, `${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        assert.equal(res.body.error.code, 'bad_request');
        assert.match(res.body.error.message, /deep/i);
      }
      // Brackets inside strings do not count, and 32 levels are accepted.
      const strings = await call(api, '/conversations', { raw: JSON.stringify({ site: GARDEN, topic: '[[[['.repeat(40) }), headers: { 'content-type': 'application/json' } });
      assert.equal(strings.status, 201, JSON.stringify(strings.body));
      const ok = await call(api, '/conversations', { raw: `{"site":"${GARDEN}","x":${deep(31)}}`, headers: { 'content-type': 'application/json' } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
    });
  });
}
