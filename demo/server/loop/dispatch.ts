/**
 * Re-dispatch without ball-kicking (issue 17; docs/staff-api.md, "Re-dispatch"):
 *
 * - 退单: the office an item is routed to (its department officer, or a site officer whose site
 *   covers it) returns it with a reason code (RETURN_REASONS) and a note (required for `other`).
 *   It goes back to the intake centre (the dispatch department) flagged as returned.
 * - 改派: the dispatcher sends it on with the existing `POST …/route` (a `redispatched` event
 *   from → to with the return's reason), or overrules the return (`…/return/overrule`): the office
 *   keeps it and must handle it.
 * - 主办 / 协办: the routed department is the lead; the dispatcher names assisting offices, which
 *   see the item (scope.ts), add internal notes as their contribution, and never answer the
 *   resident (reply, status, return, resident-visible notes: 403).
 * - 首接负责: the first office that accepted it (claimed it, replied or moved its status) stays
 *   responsible until it is closed: `firstOffice` beside `routedTo`.
 *
 * Every move is a loop event (events.ts) in the same transaction, with `detail {from, to, reason}`
 * (plus `note` for staff), and a timeline entry in codes for the resident (`move`), never a note.
 */
import type { Hono } from 'hono';
import { RETURN_REASONS, type Move, type ReturnReason } from '../../../src/client/protocol.js';
import { departmentOut, getDepartment, text, type Locale } from '../catalogue/catalog.js';
import type { Texts } from '../catalogue/seed-data.js';
import { localeOf, type ServerContext } from '../context.js';
import { HttpError } from '../http.js';
import { staffBody } from '../staff/field-messages.js';
import type { Queryable } from '../storage/db.js';
import { findRequest, staffDetail, type RequestRow } from '../requests/requests.js';
import { audit, staffOf, type StaffUser } from '../staff/identity.js';
import { protectDetail, visibleRequest } from '../staff/scope.js';
import { OfficesInputSchema, OverruleInputSchema, ReturnInputSchema, type ReturnPending, type StaffMove } from '../staff/staff-api.js';
import type { Clock } from './clock.js';
import { loopEvents, recordLoopEvent, type LoopEvent } from './events.js';
import { decideDispatch } from './dispatch-suggestion.js';

export { RETURN_REASONS };

/** The columns migration 14 adds to `requests`. */
export interface DispatchColumns {
  assist_departments?: string[] | null;
  returned_from?: string | null;
  return_reason?: string | null;
  return_note?: string | null;
  returned_at?: Date | string | null;
  first_office?: string | null;
}
type Row = RequestRow & DispatchColumns;

const MOVE_TYPES = ['dispatched', 'redispatched', 'returned', 'return_overruled', 'assist_added', 'assist_removed', 'accepted'] as const;
type MoveType = (typeof MOVE_TYPES)[number];

/** Statuses an office may still return an item in (not once it has answered). */
const RETURNABLE = ['received', 'routed', 'in_progress'];

/** The intake centre's department (the dispatcher's queue), if the catalogue marks one. */
export async function dispatchDepartment(q: Queryable): Promise<string | null> {
  const rows = await q.query<{ id: string }>('SELECT id FROM departments WHERE is_dispatch ORDER BY sort, id LIMIT 1');
  return rows[0]?.id ?? null;
}

async function department(q: Queryable, id: string | null | undefined, locale: Locale): Promise<{ id: string; name: string } | null> {
  if (!id) return null;
  const rows = await q.query<{ names: Texts }>('SELECT names FROM departments WHERE id = $1', [id]);
  return { id, name: text(rows[0]?.names, locale) };
}

async function addMoveEntry(q: Queryable, clock: Clock, r: Pick<RequestRow, 'id' | 'status'>, departmentId: string | null, move: { type: MoveType; from?: string | null; to?: string | null; reason?: string | null }) {
  const stored: Record<string, string> = { type: move.type };
  if (move.from) stored.from = move.from;
  if (move.to) stored.to = move.to;
  if (move.reason) stored.reason = move.reason;
  await q.query('INSERT INTO request_timeline (request_id, at, status, department_id, note, move) VALUES ($1, $2, $3, $4, NULL, $5)',
    [r.id, clock.now().toISOString(), r.status, departmentId, JSON.stringify(stored)]);
}

/** The timeline's stored move as the protocol's `Move`, with the offices' names. */
export async function moveOut(stored: unknown, dept: (id: string) => Promise<{ id: string; name: string }>): Promise<Move | undefined> {
  if (!stored || typeof stored !== 'object') return undefined;
  const m = stored as { type?: string; from?: string; to?: string; reason?: string };
  if (typeof m.type !== 'string') return undefined;
  const out: Move = { type: m.type };
  if (m.from) out.from = await dept(m.from);
  if (m.to) out.to = await dept(m.to);
  if (m.reason) out.reason = m.reason;
  return out;
}

/* ---------------------------------------------------------------- hooks */

/**
 * Called from filing (requests.ts insertRequest): the catalogue's routing is the first dispatch,
 * unless it left the item with the intake centre itself.
 */
export async function recordFiledRoute(q: Queryable, clock: Clock, requestId: string, departmentId: string): Promise<void> {
  if (departmentId === (await dispatchDepartment(q))) return;
  await recordLoopEvent(q, clock, { requestId, type: 'dispatched', officeId: departmentId, detail: { from: null, to: departmentId, reason: null, by: 'routing' } });
}

/**
 * Called from staffRoute (requests.ts) in its transaction, before the department changes:
 * records `dispatched` (its first dispatch to an office) or `redispatched` (改派: from → to, with
 * the pending return's reason), clears a pending return and drops the new lead from the assisting
 * offices. Returns the move for the timeline entry staffRoute writes. Refuses to route a returned
 * item back to the office that returned it (that is an overrule).
 */
export async function beforeRoute(q: Queryable, clock: Clock, r: Row, to: string, actor: StaffUser | null | undefined, note: string | null): Promise<Move | null> {
  const pending = r.returned_from ?? null;
  if (pending && pending === to) {
    throw new HttpError('validation_failed', 'This office returned it: overrule the return to keep it there', { department: 'Overrule the return to keep it with the office that returned it' });
  }
  const centre = await dispatchDepartment(q);
  const events = await loopEvents(q, r.id);
  const dispatchedBefore = events.some((e) => e.type === 'dispatched' || e.type === 'redispatched');
  let type: MoveType | null = null;
  let from: string | null = null;
  let reason: string | null = null;
  if (pending) {
    type = 'redispatched';
    from = pending;
    reason = r.return_reason ?? null;
  } else if (to !== r.department_id) {
    type = dispatchedBefore && r.department_id !== centre ? 'redispatched' : 'dispatched';
    from = r.department_id === centre && !dispatchedBefore ? null : r.department_id;
  }
  if (type) {
    await recordLoopEvent(q, clock, {
      requestId: r.id, type, officeId: to, actorId: actor?.id ?? null,
      detail: { from, to, reason, ...(note ? { note } : {}) },
    });
  }
  await q.query(
    `UPDATE requests SET returned_from = NULL, return_reason = NULL, return_note = NULL, returned_at = NULL,
       assist_departments = array_remove(assist_departments, $2::text) WHERE id = $1`, [r.id, to]);
  return type ? { type, ...(from ? { from: { id: from, name: '' } } : {}), to: { id: to, name: '' }, ...(reason ? { reason } : {}) } : null;
}

/** After staffRoute's own timeline entry: marks it as the move (codes only; the names are read back). */
export async function markRouteEntry(q: Queryable, requestId: string, move: Move | null): Promise<void> {
  if (!move) return;
  const stored: Record<string, string> = { type: move.type };
  if (move.from) stored.from = move.from.id;
  if (move.to) stored.to = move.to.id;
  if (move.reason) stored.reason = move.reason;
  await q.query('UPDATE request_timeline SET move = $2 WHERE id = (SELECT max(id) FROM request_timeline WHERE request_id = $1)', [requestId, JSON.stringify(stored)]);
}

/**
 * 首接: records `accepted` when an officer of the office it is routed to first takes it on (claim,
 * reply, status change) since it was last dispatched there; the first one ever makes that office
 * the first office (`first_office`). The dispatcher acting for the centre does not accept for an office.
 */
export async function noteAccepted(q: Queryable, clock: Clock, requestId: string, actor: { id: string; role?: string } | null | undefined, via: 'claim' | 'reply' | 'status'): Promise<void> {
  if (!actor || (actor.role !== 'department' && actor.role !== 'site')) return;
  const rows = await q.query<Row & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1', [requestId]);
  const r = rows[0];
  if (!r || r.returned_from) return;
  const office = r.department_id;
  if ((actor as { departmentId?: string | null }).departmentId && (actor as { departmentId?: string | null }).departmentId !== office) return;
  if (office === (await dispatchDepartment(q))) return;
  const events = await loopEvents(q, requestId);
  let since = -1;
  events.forEach((e, i) => {
    if ((e.type === 'dispatched' || e.type === 'redispatched') && e.officeId === office) since = i;
  });
  if (events.slice(since + 1).some((e) => e.type === 'accepted' && e.officeId === office)) return;
  const first = !events.some((e) => e.type === 'accepted');
  await recordLoopEvent(q, clock, { requestId, type: 'accepted', officeId: office, actorId: actor.id, detail: { from: null, to: office, reason: null, via, first } });
  if (first || !r.first_office) await q.query('UPDATE requests SET first_office = COALESCE(first_office, $2) WHERE id = $1', [requestId, office]);
}

/** 403 when `user` is an assisting office's officer (only the lead office answers the resident). */
export function requireLead(user: StaffUser, r: Pick<RequestRow, 'department_id'>): void {
  if (user.role === 'department' && user.departmentId !== r.department_id) {
    throw new HttpError('forbidden', 'An assisting office adds internal notes; the lead office answers the resident');
  }
}

/* ---------------------------------------------------------------- reading */

/** The staff detail's re-dispatch fields (staffDetail spreads them in). */
export async function dispatchDetail(q: Queryable, r: Row, locale: Locale) {
  const events = await loopEvents(q, r.id);
  const names = new Map<string, { id: string; name: string }>();
  const dept = async (id: string | null | undefined) => {
    if (!id) return null;
    if (!names.has(id)) names.set(id, (await department(q, id, locale))!);
    return names.get(id)!;
  };
  const people = new Map<string, { id: string; name: string } | null>();
  const person = async (id: string | null) => {
    if (!id) return null;
    if (!people.has(id)) {
      const rows = await q.query<{ display_name: string }>('SELECT display_name FROM staff_accounts WHERE id = $1', [id]).catch(() => []);
      people.set(id, { id, name: rows[0]?.display_name ?? id });
    }
    return people.get(id)!;
  };
  const moves: StaffMove[] = [];
  for (const e of events) {
    if (!(MOVE_TYPES as readonly string[]).includes(e.type)) continue;
    const d = e.detail as { from?: string | null; to?: string | null; reason?: string | null; note?: string | null };
    moves.push({
      type: e.type as MoveType,
      at: e.at.toISOString(),
      from: await dept(d.from),
      to: await dept(d.to ?? e.officeId),
      reason: d.reason ?? null,
      note: d.note ?? null,
      by: await person(e.actorId),
    });
  }
  let returnPending: ReturnPending | null = null;
  if (r.returned_from) {
    const last = [...events].reverse().find((e) => e.type === 'returned');
    returnPending = {
      office: (await dept(r.returned_from))!,
      reason: ((RETURN_REASONS as readonly string[]).includes(r.return_reason ?? '') ? r.return_reason : 'other') as ReturnReason,
      note: r.return_note ?? '',
      at: new Date(r.returned_at ?? last?.at ?? r.updated_at).toISOString(),
      by: await person(last?.actorId ?? null),
    };
  }
  const assisting = [];
  for (const id of r.assist_departments ?? []) assisting.push((await dept(id))!);
  return {
    firstOffice: await dept(r.first_office),
    redispatching: !!r.returned_from,
    assisting,
    returnPending,
    transfers: events.filter((e) => e.type === 'redispatched').length,
    returns: events.filter((e) => e.type === 'returned').length,
    moves,
  };
}

/** The resident's view: the first office and whether it is being dispatched again (no notes). */
export async function dispatchResident(q: Queryable, r: Row, locale: Locale): Promise<{ firstOffice?: { id: string; name: string }; redispatching?: true }> {
  const first = await department(q, r.first_office, locale);
  return { ...(first ? { firstOffice: first } : {}), ...(r.returned_from ? { redispatching: true as const } : {}) };
}

/** The queue item's fields. */
export async function dispatchQueueFields(q: Queryable, r: Row, locale: Locale) {
  return { firstOffice: await department(q, r.first_office, locale), returned: !!r.returned_from };
}

/**
 * Per office, from the loop events between `since` and `until` (the assessment reads these):
 * items returned by the office, sent on away from it (transfers out) and to it (transfers in).
 */
export async function officeMoveCounts(q: Queryable, since: Date, until: Date): Promise<Map<string, { returns: number; transfersOut: number; transfersIn: number }>> {
  const rows = await q.query<{ type: string; office_id: string | null; detail: { from?: string | null; to?: string | null } }>(
    `SELECT type, office_id, detail FROM loop_events WHERE type IN ('returned', 'redispatched') AND at >= $1 AND at < $2`, [since.toISOString(), until.toISOString()]);
  const out = new Map<string, { returns: number; transfersOut: number; transfersIn: number }>();
  const of = (id: string) => {
    if (!out.has(id)) out.set(id, { returns: 0, transfersOut: 0, transfersIn: 0 });
    return out.get(id)!;
  };
  for (const row of rows) {
    if (row.type === 'returned' && row.office_id) of(row.office_id).returns++;
    if (row.type === 'redispatched') {
      if (row.detail.from) of(row.detail.from).transfersOut++;
      if (row.detail.to) of(row.detail.to).transfersIn++;
    }
  }
  return out;
}

/* ---------------------------------------------------------------- endpoints */

async function lock(q: Queryable, id: string): Promise<Row> {
  const rows = await q.query<Row & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1 FOR UPDATE', [id]);
  return rows[0]!;
}

export function registerDispatch(app: Hono, ctx: ServerContext): void {
  const detailFor = async (user: StaffUser, reference: string, locale: Locale) =>
    protectDetail(ctx, user, await staffDetail(ctx.db, (await findRequest(ctx.db, reference))!, locale));

  // 退单: the office it is routed to gives it back to the intake centre, with a reason.
  app.post('/staff/requests/:reference/return', async (c) => {
    const user = staffOf(c);
    const r0 = (await visibleRequest(ctx, user, c.req.param('reference'))) as Row;
    if (user.role !== 'department' && user.role !== 'site') throw new HttpError('forbidden', 'Only the office handling it returns it; the dispatcher routes it');
    requireLead(user, r0);
    const { body } = await staffBody(c, ReturnInputSchema);
    const note = body.note?.trim() ?? '';
    await ctx.db.tx(async (q) => {
      const r = await lock(q, r0.id);
      if (r.returned_from) throw new HttpError('conflict', 'It has already been returned; the dispatcher decides');
      if (!RETURNABLE.includes(r.status)) throw new HttpError('conflict', 'Answered items cannot be returned');
      const centre = await dispatchDepartment(q);
      const office = r.department_id;
      if (office === centre) throw new HttpError('conflict', 'It is with the intake centre already');
      const at = ctx.clock.now().toISOString();
      await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'returned', officeId: office, actorId: user.id, detail: { from: office, to: centre, reason: body.reason, note } });
      await q.query(
        `UPDATE requests SET returned_from = $2, return_reason = $3, return_note = $4, returned_at = $5, department_id = COALESCE($6, department_id),
           assignee_id = NULL, assigned_at = NULL, updated_at = $5 WHERE id = $1`,
        [r.id, office, body.reason, note, at, centre]);
      await addMoveEntry(q, ctx.clock, r, office, { type: 'returned', from: office, reason: body.reason });
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id, was: { site_id: r.site_id, department_id: r.department_id, assist_departments: r.assist_departments ?? [] } });
    });
    await audit(ctx, user, 'return', { kind: 'request', id: r0.reference }, { from: r0.department_id, reason: body.reason, note });
    return c.json(await detailFor(user, r0.reference, localeOf(c)));
  });

  // The dispatcher refuses the return: the office keeps it and must handle it.
  app.post('/staff/requests/:reference/return/overrule', async (c) => {
    const user = staffOf(c);
    const r0 = (await visibleRequest(ctx, user, c.req.param('reference'))) as Row;
    if (user.role !== 'dispatcher') throw new HttpError('forbidden', 'Only the dispatcher decides on a return');
    const { body } = await staffBody(c, OverruleInputSchema);
    let office = '';
    await ctx.db.tx(async (q) => {
      const r = await lock(q, r0.id);
      if (!r.returned_from) throw new HttpError('conflict', 'It is not waiting on a return');
      office = r.returned_from;
      await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'return_overruled', officeId: office, actorId: user.id, detail: { from: r.department_id, to: office, reason: r.return_reason, note: body.note } });
      await q.query(
        `UPDATE requests SET department_id = $2, returned_from = NULL, return_reason = NULL, return_note = NULL, returned_at = NULL, updated_at = $3 WHERE id = $1`,
        [r.id, office, ctx.clock.now().toISOString()]);
      await addMoveEntry(q, ctx.clock, r, office, { type: 'return_overruled', to: office });
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id, was: { site_id: r.site_id, department_id: r.department_id } });
    });
    await decideDispatch(ctx.db, ctx.clock, { item: 'request', id: r0.id, department: office, via: 'overrule', actor: user });
    await audit(ctx, user, 'return_overrule', { kind: 'request', id: r0.reference }, { department: office, note: body.note });
    return c.json(await detailFor(user, r0.reference, localeOf(c)));
  });

  // 主办 / 协办: the dispatcher sets the assisting offices (the whole list).
  app.post('/staff/requests/:reference/offices', async (c) => {
    const user = staffOf(c);
    const r0 = (await visibleRequest(ctx, user, c.req.param('reference'))) as Row;
    if (user.role !== 'dispatcher') throw new HttpError('forbidden', 'Only the dispatcher names assisting offices');
    const { body } = await staffBody(c, OfficesInputSchema);
    const wanted = [...new Set(body.assist)];
    let added: string[] = [];
    let removed: string[] = [];
    await ctx.db.tx(async (q) => {
      const r = await lock(q, r0.id);
      const centre = await dispatchDepartment(q);
      const known = await q.query<{ id: string }>('SELECT id FROM departments WHERE id = ANY($1::text[])', [wanted]);
      const bad = wanted.find((id) => !known.some((k) => k.id === id) || id === centre || id === r.department_id);
      if (bad) {
        // Named as the console names it (the field problem is said again in the staff's language).
        const row = await getDepartment(q, bad);
        const name = row ? departmentOut(row, localeOf(c)).name || bad : bad;
        throw new HttpError('validation_failed', 'Not an office that can assist', { assist: `${name}: choose other offices than the lead and the intake centre` });
      }
      const before = r.assist_departments ?? [];
      added = wanted.filter((id) => !before.includes(id));
      removed = before.filter((id) => !wanted.includes(id));
      for (const id of added) await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'assist_added', officeId: id, actorId: user.id, detail: { from: null, to: id, reason: null, lead: r.department_id } });
      for (const id of removed) await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'assist_removed', officeId: id, actorId: user.id, detail: { from: id, to: null, reason: null, lead: r.department_id } });
      await q.query('UPDATE requests SET assist_departments = $2::text[], updated_at = $3 WHERE id = $1', [r.id, wanted, ctx.clock.now().toISOString()]);
      for (const id of added) await addMoveEntry(q, ctx.clock, r, id, { type: 'assist_added', to: id });
      for (const id of removed) await addMoveEntry(q, ctx.clock, r, id, { type: 'assist_removed', from: id });
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id, was: { site_id: r.site_id, department_id: r.department_id, assist_departments: before } });
    });
    if (added.length || removed.length) await audit(ctx, user, 'offices', { kind: 'request', id: r0.reference }, { lead: r0.department_id, added, removed });
    return c.json(await detailFor(user, r0.reference, localeOf(c)));
  });
}

export type { LoopEvent };
