import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { AttachmentSchema } from '../../src/client/protocol.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, noiseRequest, start, storageConfigs, type StorageConfig } from './helpers.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const PDF = new TextEncoder().encode('%PDF-1.4\n% test\n');

function upload(api: string, bytes: Uint8Array, name: string, type: string, site = GARDEN) {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
  return fetch(`${api}/attachments?site=${encodeURIComponent(site)}`, { method: 'POST', body: form });
}

const configs: (StorageConfig & { files?: boolean })[] = [...storageConfigs()];
// Attachments on disk: PGlite in a data folder.
configs.push({ name: 'PGlite data folder', options: {}, cleanup: async () => undefined, files: true });

for (const config of configs) {
  describe(`attachments (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let dir: string | null = null;
    before(async () => {
      if (config.files) dir = await mkdtemp(join(tmpdir(), 'intake-att-'));
      server = await start(config, dir ? { dataDir: dir } : {});
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('upload, attach to a request, read back by the owner and by staff only', async () => {
      const res = await upload(api, PNG, '../../etc/photo.png', 'image/png');
      assert.equal(res.status, 201);
      const att = v.parse(AttachmentSchema, await res.json());
      assert.equal(att.type, 'image/png');
      assert.equal(att.size, PNG.byteLength);
      assert.equal(att.name, 'photo.png');
      const pdf = v.parse(AttachmentSchema, await (await upload(api, PDF, '证明.pdf', 'application/pdf')).json());
      const created = await call(api, '/requests', {
        body: noiseRequest({ service: 'rubbish-collection', type: 'help', fields: { location: { address: 'a' }, bin_type: 'bulky', photos: [att.id] }, attachments: [pdf.id] }),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const detail = await call(api, `/requests/${created.body.reference}`, { headers: bearer(created.body.accessToken) });
      assert.deepEqual(detail.body.attachments.map((a: { id: string }) => a.id).sort(), [att.id, pdf.id].sort());
      const own = await fetch(`${api}/attachments/${att.id}`, { headers: bearer(created.body.accessToken) });
      assert.equal(own.status, 200);
      assert.equal(own.headers.get('content-type'), 'image/png');
      assert.match(own.headers.get('content-disposition') ?? '', /attachment/);
      assert.deepEqual(new Uint8Array(await own.arrayBuffer()), PNG);
      const staff = await fetch(`${api}/attachments/${pdf.id}`, { headers: bearer(server.staffToken) });
      assert.equal(staff.status, 200);
      await staff.body?.cancel();
      const other = (await call(api, '/requests', { body: noiseRequest() })).body;
      assert.equal((await fetch(`${api}/attachments/${att.id}`, { headers: bearer(other.accessToken) })).status, 401);
      assert.equal((await fetch(`${api}/attachments/${att.id}`)).status, 401);
      assert.equal((await fetch(`${api}/attachments/nope`, { headers: bearer(server.staffToken) })).status, 404);
      // Used once: it cannot be claimed by another request.
      const reuse = await call(api, '/requests', { body: noiseRequest({ attachments: [att.id] }) });
      assert.equal(reuse.status, 422);
      assert.ok(reuse.body.error.fields.attachments);
    });

    test('limits: size 413, type 415 (checked from the bytes), not multipart 415, no file 422, count 422', async () => {
      const big = new Uint8Array(5 * 1024 * 1024 + 10);
      big.set(PNG);
      const tooBig = await upload(api, big, 'big.png', 'image/png');
      assert.equal(tooBig.status, 413);
      assert.equal(((await tooBig.json()) as { error: { code: string } }).error.code, 'payload_too_large');
      const fake = await upload(api, new TextEncoder().encode('MZ not an image'), 'x.png', 'image/png');
      assert.equal(fake.status, 415);
      await fake.body?.cancel();
      const json = await call(api, `/attachments?site=${GARDEN}`, { body: { file: 'x' } });
      assert.equal(json.status, 415);
      const noFile = await fetch(`${api}/attachments?site=${GARDEN}`, { method: 'POST', body: new FormData() });
      assert.ok(noFile.status === 422 || noFile.status === 400, String(noFile.status));
      await noFile.body?.cancel();
      const unknownSite = await upload(api, PNG, 'a.png', 'image/png', 'atlantis');
      assert.equal(unknownSite.status, 404);
      await unknownSite.body?.cancel();
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push(((await (await upload(api, PNG, `${i}.png`, 'image/png')).json()) as { id: string }).id);
      const tooMany = await call(api, '/requests', { body: noiseRequest({ attachments: ids }) });
      assert.equal(tooMany.status, 422);
      assert.ok(tooMany.body.error.fields.attachments);
      assert.equal((await call(api, `/catalog?site=${GARDEN}`)).status, 200);
    });

    test('chat attachments are readable with the conversation token', async () => {
      const conv = (await call(api, '/conversations', { body: { site: GARDEN } })).body;
      const att = (await (await upload(api, PNG, 'p.png', 'image/png')).json()) as { id: string };
      const msg = await call(api, `/conversations/${conv.id}/messages`, { body: { clientId: 'with-file-1', text: '看图', attachments: [att.id] }, headers: bearer(conv.token) });
      assert.equal(msg.status, 201);
      assert.equal(msg.body.attachments[0].id, att.id);
      const read = await fetch(`${api}/attachments/${att.id}`, { headers: bearer(conv.token) });
      assert.equal(read.status, 200);
      await read.body?.cancel();
    });
  });
}
