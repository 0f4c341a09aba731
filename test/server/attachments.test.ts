import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { AttachmentSchema } from '../../src/client/protocol.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, noiseRequest, start, storageConfigs, waitFor, type StorageConfig } from './helpers.js';

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

describe('orphan uploads are swept', () => {
  test('sweepOrphanAttachments removes uploads never attached within 24 h, with their files, and nothing else', async () => {
    const { openDb } = await import('../../demo/server/storage/db.js');
    const { seed } = await import('../../demo/server/catalogue/seed.js');
    const { sweepOrphanAttachments, ORPHAN_HOURS } = await import('../../demo/server/storage/attachments.js');
    const { writeFile, access } = await import('node:fs/promises');
    assert.equal(ORPHAN_HOURS, 24);
    const dir = await mkdtemp(join(tmpdir(), 'intake-sweep-'));
    const db = await openDb({ dataDir: 'memory://' });
    try {
      await seed(db);
      const conv = 'sweep-conversation';
      await db.query(
        `INSERT INTO conversations (id, site_id, locale, token_hash, department_id) VALUES ($1, $2, 'zh-CN', 'x', 'dispatch')`, [conv, GARDEN]);
      const add = async (id: string, hoursAgo: number, owner: string | null, onDisk: boolean) => {
        const path = onDisk ? join(dir, id) : null;
        if (path) await writeFile(path, PNG);
        await db.query(
          `INSERT INTO attachments (id, site_id, name, size, type, path, data, conversation_id, created_at)
           VALUES ($1, $2, 'a.png', $3, 'image/png', $4, $5, $6, now() - make_interval(hours => $7))`,
          [id, GARDEN, PNG.byteLength, path, path ? null : PNG, owner, hoursAgo]);
        return path;
      };
      const oldFile = await add('old-orphan-file', 25, null, true);
      await add('old-orphan-row', 48, null, false);
      const freshFile = await add('fresh-orphan', 23, null, true);
      const usedFile = await add('old-but-attached', 72, conv, true);
      assert.equal(await sweepOrphanAttachments(db), 2);
      const left = (await db.query<{ id: string }>('SELECT id FROM attachments ORDER BY id')).map((r) => r.id);
      assert.deepEqual(left, ['fresh-orphan', 'old-but-attached']);
      await assert.rejects(access(oldFile!));
      await access(freshFile!);
      await access(usedFile!);
      assert.equal(await sweepOrphanAttachments(db), 0);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the server sweeps on its timer (cleared on close)', async () => {
    const server = await start(storageConfigs()[0]!, { sweepMs: 50 });
    try {
      const res = await upload(server.apiBase, PNG, 'x.png', 'image/png');
      const { id } = (await res.json()) as { id: string };
      await server.db.query(`UPDATE attachments SET created_at = now() - interval '25 hours' WHERE id = $1`, [id]);
      await waitFor(async () => ((await server.db.query('SELECT 1 FROM attachments WHERE id = $1', [id])).length ? null : true), 20_000, 'the sweep');
    } finally {
      await server.close();
    }
  });
});

describe('attachments on PostgreSQL are shared by every server process', { skip: process.env.DATABASE_URL ? false : 'needs DATABASE_URL (the PostgreSQL pass)' }, () => {
  test('uploaded on server A (its own data folder), read on server B (another folder) by the owner and staff; swept from the database', async () => {
    const config = storageConfigs().find((c) => c.name === 'PostgreSQL')!;
    const dirA = await mkdtemp(join(tmpdir(), 'intake-a-'));
    const dirB = await mkdtemp(join(tmpdir(), 'intake-b-'));
    const a = await start(config, { dataDir: dirA });
    const b = await start(config, { dataDir: dirB, staffToken: a.staffToken });
    try {
      const att = v.parse(AttachmentSchema, await (await upload(a.apiBase, PNG, 'a.png', 'image/png')).json());
      const orphan = v.parse(AttachmentSchema, await (await upload(a.apiBase, PDF, 'left.pdf', 'application/pdf')).json());
      const created = await call(b.apiBase, '/requests', { body: noiseRequest({ attachments: [att.id] }) });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      // Machine A is gone, folder and all.
      await a.close();
      await rm(dirA, { recursive: true, force: true });
      const own = await fetch(`${b.apiBase}/attachments/${att.id}`, { headers: bearer(created.body.accessToken) });
      assert.equal(own.status, 200);
      assert.deepEqual(new Uint8Array(await own.arrayBuffer()), PNG);
      const staff = await fetch(`${b.apiBase}/attachments/${att.id}`, { headers: bearer(b.staffToken) });
      assert.equal(staff.status, 200);
      assert.deepEqual(new Uint8Array(await staff.arrayBuffer()), PNG);
      // The bytes are in the database, not in A's folder.
      const rows = await b.db.query<{ path: string | null; size: number }>('SELECT path, octet_length(data) AS size FROM attachments WHERE id = $1', [att.id]);
      assert.deepEqual(rows.map((r) => [r.path, Number(r.size)]), [[null, PNG.byteLength]]);
      const { sweepOrphanAttachments } = await import('../../demo/server/storage/attachments.js');
      await b.db.query(`UPDATE attachments SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`, [[att.id, orphan.id]]);
      assert.equal(await sweepOrphanAttachments(b.db), 1);
      assert.deepEqual((await b.db.query('SELECT id FROM attachments WHERE id = ANY($1)', [[att.id, orphan.id]])).map((r) => r.id), [att.id]);
    } finally {
      await a.close();
      await b.close();
      await config.cleanup();
      await rm(dirA, { recursive: true, force: true });
      await rm(dirB, { recursive: true, force: true });
    }
  });
});

for (const config of storageConfigs()) {
  describe(`unclaimed uploads are capped per client address (${config.name})`, () => {
    test('past the cap (all sites together) 429 with Retry-After; claimed or expired uploads free it; the address hash goes once claimed', async () => {
      // A cap of two small files, so the test does not upload 50 MB.
      const server = await start(config, { unclaimedUploadBytes: PNG.byteLength * 2 + 5 });
      try {
        const api = server.apiBase;
        const first = v.parse(AttachmentSchema, await (await upload(api, PNG, '1.png', 'image/png')).json());
        assert.equal((await upload(api, PNG, '2.png', 'image/png', 'riverside/heping/lakeside')).status, 201);
        const refused = await upload(api, PNG, '3.png', 'image/png');
        assert.equal(refused.status, 429);
        const retryAfter = Number(refused.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 24 * 3600, `Retry-After ${retryAfter}`);
        const body = (await refused.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'rate_limited');
        assert.match(body.error.message, /尚未随诉求或消息发送/);
        // Another site from the same address is no fresh budget.
        const elsewhere = await upload(api, PNG, '3.png', 'image/png', 'riverside/heping/lakeside');
        assert.equal(elsewhere.status, 429);
        await elsewhere.body?.cancel();
        // Claiming one frees its bytes, and the address hash is forgotten with it.
        const created = await call(api, '/requests', { body: noiseRequest({ attachments: [first.id] }) });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const claimed = await server.db.query<{ uploader: string | null }>('SELECT uploader FROM attachments WHERE id = $1', [first.id]);
        assert.equal(claimed[0]!.uploader, null);
        assert.equal((await upload(api, PNG, '3.png', 'image/png')).status, 201);
        assert.equal((await upload(api, PNG, '4.png', 'image/png')).status, 429);
        // Uploads older than the sweep's 24 hours no longer count, swept or not.
        await server.db.query(`UPDATE attachments SET created_at = now() - interval '25 hours' WHERE request_id IS NULL`);
        assert.equal((await upload(api, PNG, '5.png', 'image/png')).status, 201);
        const stored = await server.db.query<{ uploader: string | null }>('SELECT uploader FROM attachments WHERE request_id IS NULL LIMIT 1');
        assert.ok(stored[0]!.uploader && !stored[0]!.uploader.includes('127.0.0.1'), 'a hash, never the address');
        const { UNCLAIMED_UPLOAD_BYTES } = await import('../../demo/server/storage/attachments.js');
        assert.equal(UNCLAIMED_UPLOAD_BYTES, 50 * 1024 * 1024, 'the default cap');
      } finally {
        await server.close();
        await config.cleanup();
      }
    });
  });
}
