/**
 * Every error answer carries the CORS headers for an allowed origin, including what the Node HTTP
 * server refuses before the app sees the call (431 for an over-long URL, 400 for a malformed
 * request) and 413 (issue 15, item 8): otherwise the host page's console shows a CORS error and
 * the widget cannot read the status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { RunningServer } from '../../demo/server/server.js';
import { GARDEN, noiseRequest, start, storageConfigs } from './helpers.js';

const ORIGIN = 'http://allowed.test';

/** A raw HTTP/1.1 exchange: the status and the headers of the answer (lower-case names). */
function raw(port: number, head: string, rest = ''): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    // `rest` is written once `head` has gone out, so it usually arrives as a chunk of its own.
    const socket = connect(port, '127.0.0.1', () => socket.write(head, () => rest && socket.write(rest)));
    let data = '';
    const done = () => {
      const [top = '', ...rest] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = top.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    };
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('error', (err) => (data ? done() : reject(err)));
    socket.on('close', done);
  });
}

describe('CORS headers on every error', () => {
  const config = storageConfigs()[0]!;
  let server: RunningServer;
  before(async () => {
    server = await start(config);
  });
  after(async () => server?.close());

  test('a description of 2,000 CJK characters as ?q= → 431 with CORS headers and an error body', async () => {
    const q = '噪'.repeat(2000); // 18 KB percent-encoded: past Node's 16 KiB header limit
    const res = await fetch(`${server.apiBase}/answers?site=${encodeURIComponent(GARDEN)}&q=${encodeURIComponent(q)}`, { headers: { origin: ORIGIN } });
    assert.equal(res.status, 431);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'bad_request');
    assert.match(body.error.message, /too large/i);
    // A page origin that is not allowed gets no CORS headers, as for every other call.
    const other = await fetch(`${server.apiBase}/answers?site=${GARDEN}&q=${encodeURIComponent(q)}`, { headers: { origin: 'http://evil.test' } });
    assert.equal(other.status, 431);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    await other.body?.cancel();
    // And the server still serves.
    const ok = await fetch(`${server.apiBase}/answers?site=${GARDEN}&q=${encodeURIComponent('噪音')}`, { headers: { origin: ORIGIN } });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  });

  test('431 when the Origin header arrives after the over-long URL, in a later chunk', async () => {
    // 2,000 characters (18 KB) and 12,000 (108 KB: Node reads at most 64 KiB at a time, so the
    // chunk the parser fails on cannot hold the headers).
    for (const n of [2000, 12_000]) {
      const url = `/api/v1/answers?site=${encodeURIComponent(GARDEN)}&q=${encodeURIComponent('噪'.repeat(n))}`;
      const res = await raw(server.port, `GET ${url} HTTP/1.1\r\n`, `Host: 127.0.0.1\r\nOrigin: ${ORIGIN}\r\nConnection: close\r\n\r\n`);
      assert.equal(res.status, 431, `${n}`);
      assert.equal(res.headers['access-control-allow-origin'], ORIGIN, `${n}`);
      assert.equal(JSON.parse(res.body).error.code, 'bad_request');
    }
  });

  test('a request the HTTP parser refuses (a NUL in a header) → 400 with CORS headers', async () => {
    const res = await raw(server.port, `GET /api/v1/catalog?site=${GARDEN} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${ORIGIN}\r\nX-Intake-Contact: 1\u00003\r\n\r\n`);
    assert.equal(res.status, 400);
    assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
    assert.equal(JSON.parse(res.body).error.code, 'bad_request');
  });

  test('413 for a JSON body over 64 KiB and for a file over the limit carry CORS headers', async () => {
    const big = await fetch(`${server.apiBase}/requests`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', 'idempotency-key': 'cors-413-json' },
      body: JSON.stringify(noiseRequest({ description: 'x'.repeat(70_000) })),
    });
    assert.equal(big.status, 413);
    assert.equal(big.headers.get('access-control-allow-origin'), ORIGIN);
    await big.body?.cancel();
    const file = new Uint8Array(6 * 1024 * 1024);
    file.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const form = new FormData();
    form.append('file', new Blob([file], { type: 'image/png' }), 'big.png');
    const upload = await fetch(`${server.apiBase}/attachments?site=${encodeURIComponent(GARDEN)}`, { method: 'POST', headers: { origin: ORIGIN }, body: form });
    assert.equal(upload.status, 413);
    assert.equal(upload.headers.get('access-control-allow-origin'), ORIGIN);
    await upload.body?.cancel();
  });
});
