/**
 * Attachments: uploaded before the request or message that uses them, with the catalogue's limits;
 * the type is checked from the file's first bytes, not from what the browser claims. Stored as
 * files in the data folder with PGlite, in the database (`attachments.data`) for `memory://` and
 * for PostgreSQL — where several processes, on several machines, share the records and must all
 * read the bytes (at 5 MiB a file, bytea is fine); readable by staff and by the holder of the
 * owning request's access token or conversation's token.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import type { Attachment } from '../../../src/client/protocol.js';
import { ATTACHMENT_LIMITS, getSite, type Locale } from '../catalogue/catalog.js';
import { HttpError, bearer, localeHint, newId, notFound, readBody, sha256 } from '../http.js';
import { clientAddress, staffCaller, type ServerContext } from '../context.js';
import { M, say } from '../messages.js';
import { sees } from '../staff/scope.js';
import type { Queryable } from './db.js';

/** Uploads never attached to a request or message within this many hours are removed. */
export const ORPHAN_HOURS = 24;

/**
 * Bytes of uploads not yet claimed by a request or message that one client address may have
 * (all sites together; ten files at the 5 MiB limit): anonymous uploads cannot fill the disk.
 */
export const UNCLAIMED_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface AttachmentOptions {
  /** Default UNCLAIMED_UPLOAD_BYTES. */
  unclaimedUploadBytes?: number;
}

/**
 * Removes uploads that no request or message took within `hours`: the rows, then their files.
 * A claim racing the sweep waits on the row lock and the DELETE re-checks its condition, so a file
 * claimed at that moment stays. Returns how many were removed.
 */
export async function sweepOrphanAttachments(db: Queryable, hours = ORPHAN_HOURS): Promise<number> {
  const rows = await db.query<{ path: string | null }>(
    `DELETE FROM attachments WHERE request_id IS NULL AND conversation_id IS NULL
       AND created_at < now() - make_interval(hours => $1) RETURNING path`,
    [hours],
  );
  for (const { path } of rows) if (path) await rm(path, { force: true }).catch(() => undefined);
  return rows.length;
}

function sniff(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return null;
}

function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>]/g, '').trim().slice(0, 200);
  return cleaned || 'file';
}

/**
 * Stores an upload unless its address would then hold more than `max` unclaimed bytes (uploads
 * older than ORPHAN_HOURS no longer count, swept or not): 429 with Retry-After until the oldest
 * of them expires. One lock per address, so parallel uploads cannot pass the check together.
 */
async function storeWithinQuota(ctx: ServerContext, c: Context, max: number, row: unknown[], size: number): Promise<void> {
  const uploader = sha256(`upload\u0000${clientAddress(c, ctx.trustProxy)}`);
  await ctx.db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(727102, hashtext($1))', [uploader]);
    const [held] = await q.query<{ bytes: string | number | null; wait: string | number | null }>(
      `SELECT sum(size) AS bytes, extract(epoch FROM min(created_at) + make_interval(hours => $2) - now()) AS wait
       FROM attachments WHERE uploader = $1 AND request_id IS NULL AND conversation_id IS NULL
         AND created_at > now() - make_interval(hours => $2)`,
      [uploader, ORPHAN_HOURS],
    );
    if (Number(held?.bytes ?? 0) + size > max) {
      const en = localeHint(c) === 'en';
      const mb = max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MB` : `${max} B`;
      throw new HttpError('rate_limited', en
        ? `Files uploaded from here and not yet sent with a request or message are at their limit (${mb}): send them, or try again later`
        : `从此处上传但尚未随诉求或消息发送的文件已达上限（${mb}）：请先发送，或稍后再试`, undefined, Math.max(1, Number(held?.wait ?? 60)));
    }
    await q.query('INSERT INTO attachments (id, site_id, name, size, type, path, data, uploader) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [...row, uploader]);
  });
}

export function registerAttachments(app: Hono, ctx: ServerContext, options: AttachmentOptions = {}): void {
  const unclaimedMax = options.unclaimedUploadBytes ?? UNCLAIMED_UPLOAD_BYTES;
  app.post('/attachments', async (c) => {
    const siteId = c.req.query('site') ?? '';
    if (!siteId) throw new HttpError('validation_failed', 'Name the site', { site: 'Required' });
    const site = await getSite(ctx.db, siteId);
    if (!site) throw new HttpError('not_found', 'Unknown site', { site: 'Unknown site' });
    const type = c.req.header('content-type') ?? '';
    if (!/^multipart\/form-data\s*;/i.test(type)) throw new HttpError('unsupported_media_type', 'Upload the file as multipart/form-data, field "file"');
    const limits = ATTACHMENT_LIMITS;
    const bytes = await readBody(c, limits.maxBytes + 64 * 1024);
    let form: FormData;
    try {
      form = await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), { headers: { 'content-type': type } }).formData();
    } catch {
      throw new HttpError('bad_request', 'The upload is not valid multipart/form-data');
    }
    const file = form.get('file');
    if (!file || typeof file === 'string') throw new HttpError('validation_failed', 'Attach a file in the field "file"', { file: 'Required' });
    if (file.size > limits.maxBytes) throw new HttpError('payload_too_large', `Files may be at most ${limits.maxBytes} bytes`);
    if (file.size === 0) throw new HttpError('validation_failed', 'The file is empty', { file: 'Empty file' });
    const data = new Uint8Array(await file.arrayBuffer());
    const actual = sniff(data);
    if (!actual || !limits.types.includes(actual)) {
      throw new HttpError('unsupported_media_type', `Allowed types: ${limits.types.join(', ')}`);
    }
    const id = newId();
    const name = cleanName(file.name);
    let path: string | null = null;
    if (ctx.filesDir) {
      await mkdir(ctx.filesDir, { recursive: true });
      path = join(ctx.filesDir, id);
      await writeFile(path, data, { mode: 0o600 });
    }
    try {
      await storeWithinQuota(ctx, c, unclaimedMax, [id, site.id, name, data.byteLength, actual, path, path ? null : data], data.byteLength);
    } catch (err) {
      if (path) await rm(path, { force: true }).catch(() => undefined);
      throw err;
    }
    const out: Attachment = { id, name, size: data.byteLength, type: actual };
    return c.json(out, 201);
  });

  app.get('/attachments/:id', async (c) => {
    const id = c.req.param('id');
    const token = bearer(c);
    if (!token) throw new HttpError('unauthorized', 'A token is required');
    const rows = await ctx.db.query<{
      name: string; type: string; path: string | null; data: Uint8Array | null; request_hash: string | null; conversation_hash: string | null;
      site_id: string | null; department_id: string | null;
    }>(
      `SELECT a.name, a.type, a.path, a.data, r.access_token_hash AS request_hash, cv.token_hash AS conversation_hash,
              COALESCE(r.site_id, cv.site_id) AS site_id, COALESCE(r.department_id, cv.department_id) AS department_id
       FROM attachments a LEFT JOIN requests r ON r.id = a.request_id LEFT JOIN conversations cv ON cv.id = a.conversation_id
       WHERE a.id = $1`, [id]);
    const row = rows[0];
    if (!row) throw notFound('Attachment');
    const hash = sha256(token);
    if (hash !== row.request_hash && hash !== row.conversation_hash) {
      // Staff: only a file of a request or conversation in their scope (staff/scope.ts); another is 404, as if absent.
      const user = await staffCaller(ctx, c);
      if (!user) throw new HttpError('unauthorized', 'This token cannot read this attachment');
      if (!row.site_id || !row.department_id || !sees(user, { site_id: row.site_id, department_id: row.department_id })) throw notFound('Attachment');
    }
    // A file written by another process's data folder (before the bytes went into the database) may not be here.
    const data = row.path ? await readFile(row.path).catch(() => null) : row.data;
    if (!data) throw notFound('Attachment');
    return new Response(new Uint8Array(data), {
      headers: {
        'content-type': row.type,
        'content-length': String(data.byteLength),
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}

/** Attachment ids must exist, belong to the site and be unused (or already this owner's). */
export async function claimAttachments(q: Queryable, ids: string[], siteId: string, owner: { request?: string; conversation?: string }, field: string, language: Locale | boolean) {
  if (!ids.length) return;
  const unique = [...new Set(ids)];
  const rows = await q.query<{ id: string; site_id: string; request_id: string | null; conversation_id: string | null }>(
    'SELECT id, site_id, request_id, conversation_id FROM attachments WHERE id = ANY($1::text[]) FOR UPDATE', [unique]);
  const ok = unique.every((id) => {
    const row = rows.find((r) => r.id === id);
    return row && row.site_id === siteId && !row.request_id && !row.conversation_id;
  });
  // `true`/`false` is the older en-or-not form (Open311 still passes it).
  const locale: Locale = typeof language === 'boolean' ? (language ? 'en' : 'zh-CN') : language;
  if (!ok) throw new HttpError('validation_failed', say(locale, M.unknownAttachment), { [field]: say(locale, M.uploadAgain) });
  await q.query('UPDATE attachments SET request_id = $2, conversation_id = $3 WHERE id = ANY($1::text[])', [unique, owner.request ?? null, owner.conversation ?? null]);
}
