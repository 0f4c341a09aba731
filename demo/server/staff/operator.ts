/**
 * The operator's work on an item (docs/staff-api.md, "Assignment, notes, signatures"):
 * claim and assign requests and conversations, staff notes (internal or resident-visible),
 * attachments read through the staff session, and the settings of how replies are signed.
 *
 * Rules: an officer (dispatcher, department, site) claims an item in their scope; only the
 * dispatcher assigns it to someone else, and only to an officer whose scope covers it (422
 * otherwise); whoever has it, or the dispatcher, takes it off (`account: null`). Supervisors and
 * administrators read; administrators set the signature (`PUT /staff/settings`). Every item is
 * loaded through visibleRequest/visibleConversation (404 out of scope); every action is audited.
 */
import type { Context, Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import { localeOf, type ServerContext } from '../context.js';
import { HttpError, newId, notFound } from '../http.js';
import { staffBody } from './field-messages.js';
import { findRequest, staffDetail, type RequestRow } from '../requests/requests.js';
import { pickLocale } from '../catalogue/catalog.js';
import type { Queryable } from '../storage/db.js';
import { audit, requireRole, staffOf, type StaffUser } from './identity.js';
import { protectDetail, sees, visibleConversation, visibleRequest, type Scoped } from './scope.js';
import {
  AssignInputSchema,
  NoteInputSchema,
  StaffSettingsInputSchema,
  type AssigneesResponse,
  type SignaturePreview,
  type StaffSettings,
} from './staff-api.js';
import { noteAccepted, requireLead } from '../loop/dispatch.js';
import { people, personById, signatureMode, signaturePerson, signatureText, DEFAULT_SIGNATURE, type Person, type SignatureMode } from './operator-detail.js';

/** Roles that work on items (claim them, are assigned them, write notes). */
const OFFICERS: readonly Person['role'][] = ['dispatcher', 'department', 'site'];

const asUser = (p: Person): StaffUser => ({ ...p, sessionId: '' });

/** People whose scope covers the item and who may work on it. */
async function assignable(q: Queryable, row: Scoped): Promise<Person[]> {
  return (await people(q)).filter((p) => OFFICERS.includes(p.role) && sees(asUser(p), row));
}

type Kind = 'request' | 'conversation';

async function setAssignee(ctx: ServerContext, kind: Kind, id: string, assignee: string | null) {
  const table = kind === 'request' ? 'requests' : 'conversations';
  await ctx.db.tx(async (q) => {
    await q.query(`UPDATE ${table} SET assignee_id = $2, assigned_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END WHERE id = $1`, [id, assignee]);
    await ctx.hub.publishQueue(q, { item: kind, id });
  });
}

async function claim(ctx: ServerContext, c: Context, kind: Kind, row: Scoped & { id: string; assignee_id?: string | null }, targetId: string) {
  const user = requireRole(c, ...OFFICERS);
  if (row.assignee_id && row.assignee_id !== user.id && user.role !== 'dispatcher') {
    throw new HttpError('conflict', 'Someone else has it; ask the dispatcher to reassign it');
  }
  if (kind === 'request') requireLead(user, row);
  await setAssignee(ctx, kind, row.id, user.id);
  // 首接: an office claiming it accepts it (loop/dispatch.ts).
  if (kind === 'request') await noteAccepted(ctx.db, ctx.clock, row.id, user, 'claim');
  await audit(ctx, user, 'claim', { kind, id: targetId }, { previous: row.assignee_id ?? null });
}

async function assign(ctx: ServerContext, c: Context, kind: Kind, row: Scoped & { id: string; assignee_id?: string | null }, targetId: string) {
  const user = staffOf(c);
  const { body } = await staffBody(c, AssignInputSchema);
  if (body.account === null) {
    // Taking it off: the dispatcher, or whoever has it.
    if (user.role !== 'dispatcher' && row.assignee_id !== user.id) throw new HttpError('forbidden', 'Only the dispatcher or the assignee can do this');
  } else {
    if (user.role !== 'dispatcher') throw new HttpError('forbidden', 'Only the dispatcher assigns items to others; claim it to take it');
    const person = await personById(ctx.db, body.account);
    if (!person || !OFFICERS.includes(person.role) || !sees(asUser(person), row)) {
      throw new HttpError('validation_failed', 'This person cannot see this item', { account: 'Choose someone whose scope covers this item' });
    }
  }
  await setAssignee(ctx, kind, row.id, body.account);
  await audit(ctx, user, 'assign', { kind, id: targetId }, { account: body.account, previous: row.assignee_id ?? null });
}

async function assigneesOut(ctx: ServerContext, row: Scoped): Promise<AssigneesResponse> {
  return { people: (await assignable(ctx.db, row)).map((p) => ({ id: p.id, name: p.displayName, role: p.role })) };
}

export function registerOperator(app: Hono, ctx: ServerContext): void {
  /* ------------------------------------------------------------ assignment */

  app.post('/staff/requests/:reference/claim', async (c) => {
    const r = await visibleRequest(ctx, staffOf(c), c.req.param('reference'));
    await claim(ctx, c, 'request', r as RequestRow & { assignee_id?: string | null }, r.reference);
    return c.json(await detailFor(ctx, c, r.reference));
  });

  app.post('/staff/requests/:reference/assign', async (c) => {
    const r = await visibleRequest(ctx, staffOf(c), c.req.param('reference'));
    await assign(ctx, c, 'request', r as RequestRow & { assignee_id?: string | null }, r.reference);
    return c.json(await detailFor(ctx, c, r.reference));
  });

  app.get('/staff/requests/:reference/assignees', async (c) => {
    const r = await visibleRequest(ctx, staffOf(c), c.req.param('reference'));
    return c.json(await assigneesOut(ctx, r));
  });

  app.post('/staff/conversations/:id/claim', async (c) => {
    const conv = await visibleConversation(ctx, staffOf(c), c.req.param('id'));
    await claim(ctx, c, 'conversation', conv as typeof conv & { assignee_id?: string | null }, conv.id);
    return c.json(await conversationAssignee(ctx.db, conv.id));
  });

  app.post('/staff/conversations/:id/assign', async (c) => {
    const conv = await visibleConversation(ctx, staffOf(c), c.req.param('id'));
    await assign(ctx, c, 'conversation', conv as typeof conv & { assignee_id?: string | null }, conv.id);
    return c.json(await conversationAssignee(ctx.db, conv.id));
  });

  app.get('/staff/conversations/:id/assignees', async (c) => {
    const conv = await visibleConversation(ctx, staffOf(c), c.req.param('id'));
    return c.json(await assigneesOut(ctx, conv));
  });

  /* ------------------------------------------------------------ notes */

  app.post('/staff/requests/:reference/notes', async (c) => {
    const user = requireRole(c, ...OFFICERS);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    const { body } = await staffBody(c, NoteInputSchema);
    // An assisting office (协办) contributes internal notes; only the lead office writes to the resident.
    if (body.visibility === 'resident') requireLead(user, r);
    const id = newId();
    await ctx.db.tx(async (q) => {
      let timelineId: string | null = null;
      if (body.visibility === 'resident') {
        // The resident reads it in the timeline, beside status notes (and so does an Open311 app).
        const rows = await q.query<{ id: string }>(
          'INSERT INTO request_timeline (request_id, status, department_id, note) VALUES ($1, $2, $3, $4) RETURNING id::text AS id',
          [r.id, r.status, r.department_id, body.text]);
        timelineId = rows[0]?.id ?? null;
        await q.query('UPDATE requests SET updated_at = now() WHERE id = $1', [r.id]);
      }
      await q.query(
        'INSERT INTO request_notes (id, request_id, author_id, author_name, visibility, text, timeline_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [id, r.id, user.id, user.displayName, body.visibility, body.text, timelineId]);
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
    });
    await audit(ctx, user, 'note', { kind: 'request', id: r.reference }, { visibility: body.visibility, note: id });
    return c.json(await detailFor(ctx, c, r.reference), 201);
  });

  /* ------------------------------------------------------------ attachments */

  // The bytes of one of the request's files, for whoever may see the request (never a public URL).
  app.get('/staff/requests/:reference/attachments/:id', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    const rows = await ctx.db.query<{ id: string; name: string; type: string; path: string | null; data: Uint8Array | null }>(
      'SELECT id, name, type, path, data FROM attachments WHERE id = $1 AND request_id = $2', [c.req.param('id'), r.id]);
    const row = rows[0];
    if (!row) throw notFound('Attachment');
    const data = row.path ? await readFile(row.path).catch(() => null) : row.data;
    if (!data) throw notFound('Attachment');
    await audit(ctx, user, 'attachment_view', { kind: 'request', id: r.reference }, { attachment: row.id, name: row.name });
    return new Response(new Uint8Array(data), {
      headers: {
        'content-type': row.type,
        'content-length': String(data.byteLength),
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        // Opened as a blob in the console; never run as a page of this origin.
        'content-security-policy': "default-src 'none'; img-src 'self' data: blob:; style-src 'unsafe-inline'; sandbox",
      },
    });
  });

  /* ------------------------------------------------------------ signatures */

  app.get('/staff/requests/:reference/signature', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    const mode = await signatureMode(ctx.db, r.site_id);
    const me = (await personById(ctx.db, user.id)) ?? user;
    const office = await ctx.db.query<{ names: Record<string, string> }>('SELECT names FROM departments WHERE id = $1', [r.department_id]);
    const locale = pickLocale(r.locale);
    const officeName = office[0]?.names[locale] ?? office[0]?.names['zh-CN'] ?? '';
    const out: SignaturePreview = { mode, signature: signatureText(officeName, signaturePerson(mode, me, locale)) ?? officeName };
    return c.json(out);
  });

  app.get('/staff/settings', async (c) => {
    requireRole(c, 'administrator', 'supervisor', 'dispatcher');
    return c.json(await settingsOut(ctx.db));
  });

  app.put('/staff/settings', async (c) => {
    const user = requireRole(c, 'administrator');
    const { body } = await staffBody(c, StaffSettingsInputSchema);
    if (body.scope !== 'global') {
      const site = await ctx.db.query('SELECT 1 FROM sites WHERE id = $1', [body.scope]);
      if (!site.length) throw new HttpError('validation_failed', 'Unknown site', { scope: "'global' or a site id" });
    }
    const before = await ctx.db.query<{ signature: string | null }>('SELECT signature FROM staff_settings WHERE scope = $1', [body.scope]);
    if (body.signature === null && body.scope !== 'global') {
      await ctx.db.query('DELETE FROM staff_settings WHERE scope = $1', [body.scope]);
    } else {
      await ctx.db.query(
        `INSERT INTO staff_settings (scope, signature, updated_at, updated_by) VALUES ($1, $2, now(), $3)
         ON CONFLICT (scope) DO UPDATE SET signature = EXCLUDED.signature, updated_at = now(), updated_by = EXCLUDED.updated_by`,
        [body.scope, body.signature ?? DEFAULT_SIGNATURE, user.id]);
    }
    await audit(ctx, user, 'settings_change', { kind: 'settings', id: body.scope }, { signature: body.signature, previous: before[0]?.signature ?? null });
    return c.json(await settingsOut(ctx.db));
  });
}

/** The detail after a change, with the contact kept back as for every staff answer (scope.ts). */
async function detailFor(ctx: ServerContext, c: Context, reference: string) {
  return protectDetail(ctx, staffOf(c), await staffDetail(ctx.db, (await findRequest(ctx.db, reference))!, localeOf(c), ctx.clock.now()));
}

async function conversationAssignee(q: Queryable, id: string) {
  const rows = await q.query<{ assignee_id: string | null; assigned_at: Date | null }>('SELECT assignee_id, assigned_at FROM conversations WHERE id = $1', [id]);
  const row = rows[0];
  const p = row?.assignee_id ? await personById(q, row.assignee_id) : null;
  return {
    assignee: row?.assignee_id ? { id: row.assignee_id, name: p?.displayName ?? row.assignee_id } : null,
    assignedAt: row?.assigned_at ? new Date(row.assigned_at).toISOString() : null,
  };
}

async function settingsOut(q: Queryable): Promise<StaffSettings> {
  const rows = await q.query<{ scope: string; signature: SignatureMode | null }>('SELECT scope, signature FROM staff_settings ORDER BY scope');
  const out: StaffSettings = { global: { signature: DEFAULT_SIGNATURE }, sites: {} };
  for (const r of rows) {
    if (!r.signature) continue;
    if (r.scope === 'global') out.global.signature = r.signature;
    else out.sites[r.scope] = { signature: r.signature };
  }
  return out;
}
