/**
 * Supervision (督办). An item past its reply-by or resolve-by time and not done is escalated by the
 * server itself (`escalateOverdue`, swept periodically by server.ts and called directly by tests
 * after moving the clock): once per deadline, even with several processes sweeping (a unique row
 * per request, deadline and time in `request_escalations`, migration 13). Supervisors and the
 * dispatcher also supervise by hand with a note to the office and a new time limit
 * (`POST /staff/requests/{reference}/supervise`). Each step is a loop event (`escalated`,
 * `supervised`, `deadline_set`), a flag on the item (`escalation_level`, `escalated_at`,
 * `supervised_until`; the queue's `escalated=1`), a live queue change for the supervisors' and the
 * office's consoles, and a timeline entry the resident sees in their words (`step.code`).
 */
import type { Hono } from 'hono';
import type { Queryable } from '../storage/db.js';
import type { ServerContext } from '../context.js';
import type { RequestRow } from '../requests/requests.js';
import type { Texts } from '../catalogue/seed-data.js';
import { M, say } from '../messages.js';
import { text } from '../catalogue/catalog.js';
import { localeOf } from '../context.js';
import { HttpError } from '../http.js';
import { staffBody } from '../staff/field-messages.js';
import { audit, requireRole, staffOf, type StaffUser } from '../staff/identity.js';
import { visibleRequest } from '../staff/scope.js';
import { recordLoopEvent, type LoopEvent } from './events.js';
import { SuperviseInputSchema, type DeadlineKind, type Supervision, type SupervisionStep } from './supervision-api.js';

type Row = RequestRow & {
  resolve_by?: Date | string | null;
  escalation_level: number;
  escalated_at: Date | string | null;
  supervised_until: Date | string | null;
};

/** What the sweep needs of the server: the database, the hub (live queue) and the clock. */
export type SweepContext = Pick<ServerContext, 'db' | 'hub' | 'clock'>;

const iso = (d: Date | string) => new Date(d).toISOString();

/** Statuses in which the reply to the resident is still owed (with no reply sent yet). */
const REPLY_PENDING = ['received', 'routed', 'in_progress'];
/** Statuses in which the item is not resolved yet. */
const RESOLVE_PENDING = ['received', 'routed', 'in_progress', 'replied'];

const hasResolveBy = new WeakMap<object, Promise<boolean>>();
/** Whether `requests.resolve_by` exists (the deadlines' migration 12 adds it). */
function resolveByExists(db: ServerContext['db']): Promise<boolean> {
  let known = hasResolveBy.get(db);
  if (!known) {
    known = db
      .query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.columns
         WHERE table_name = 'requests' AND column_name = 'resolve_by' AND table_schema = current_schema()`,
      )
      .then((rows) => Number(rows[0]?.n ?? 0) > 0);
    hasResolveBy.set(db, known);
  }
  return known;
}

/** The deadlines of `row` that have passed at `now` with their step not done. */
function overdue(row: Row, now: Date): { which: DeadlineKind; due: Date }[] {
  const out: { which: DeadlineKind; due: Date }[] = [];
  if (row.reply_by && new Date(row.reply_by) <= now && !row.first_reply_at && REPLY_PENDING.includes(row.status)) {
    out.push({ which: 'reply', due: new Date(row.reply_by) });
  }
  if (row.resolve_by && new Date(row.resolve_by) <= now && RESOLVE_PENDING.includes(row.status)) {
    out.push({ which: 'resolve', due: new Date(row.resolve_by) });
  }
  return out;
}

/** The resident's words for older clients (the widget words `step` itself), in the request's language. */
function stepNote(code: 'escalated' | 'supervised', locale: string): string {
  return say(locale, code === 'escalated' ? M.escalatedNote : M.supervisedNote);
}

export interface Escalation {
  requestId: string;
  reference: string;
  which: DeadlineKind;
  due: string;
  level: number;
}

/**
 * Escalates every item whose reply-by or resolve-by time has passed (on `ctx.clock`) without the
 * step done, once per deadline. Safe to run in several processes at once: each item is locked
 * (others skip it until the next sweep) and each escalation is a unique row. Returns what it escalated.
 */
export async function escalateOverdue(ctx: SweepContext): Promise<Escalation[]> {
  const now = ctx.clock.now();
  const withResolve = await resolveByExists(ctx.db);
  const pending = (which: DeadlineKind, column: string, statuses: string[]) => `(r.${column} IS NOT NULL AND r.${column} <= $1
      AND r.status IN (${statuses.map((s) => `'${s}'`).join(', ')})${which === 'reply' ? ' AND r.first_reply_at IS NULL' : ''}
      AND NOT EXISTS (SELECT 1 FROM request_escalations e WHERE e.request_id = r.id AND e.which = '${which}' AND e.due = r.${column}))`;
  const conditions = [pending('reply', 'reply_by', REPLY_PENDING)];
  if (withResolve) conditions.push(pending('resolve', 'resolve_by', RESOLVE_PENDING));
  const candidates = await ctx.db.query<{ id: string }>(
    `SELECT r.id FROM requests r WHERE ${conditions.join(' OR ')} ORDER BY r.id LIMIT 500`, [now.toISOString()]);
  const done: Escalation[] = [];
  for (const { id } of candidates) {
    const escalated = await ctx.db.tx(async (q) => {
      // Locked by another process (sweeping or changing it): that one decides; the next sweep looks again.
      const row = (await q.query<Row & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1 FOR UPDATE SKIP LOCKED', [id]))[0];
      if (!row) return [];
      const out: Escalation[] = [];
      for (const { which, due } of overdue(row, now)) {
        // The due time as stored (not through JS), so it matches the sweep's NOT EXISTS exactly.
        const won = await q.query(
          `INSERT INTO request_escalations (request_id, which, due, at) SELECT id, $2, ${which === 'reply' ? 'reply_by' : 'resolve_by'}, $3 FROM requests WHERE id = $1
           ON CONFLICT DO NOTHING RETURNING request_id`,
          [row.id, which, now.toISOString()]);
        if (!won.length) continue;
        const level = await raiseLevel(q, row.id, now, null);
        await recordLoopEvent(q, ctx.clock, {
          requestId: row.id, type: 'escalated', officeId: row.department_id, actorId: null,
          detail: { by: 'system', which, due: due.toISOString(), level },
        });
        await addStep(q, row, now, 'escalated', { code: 'escalated', which, due: due.toISOString() });
        out.push({ requestId: row.id, reference: row.reference, which, due: due.toISOString(), level });
      }
      if (out.length) await ctx.hub.publishQueue(q, { item: 'request', id: row.id });
      return out;
    });
    done.push(...escalated);
  }
  return done;
}

/** One more escalation on the item; answers its level now. */
async function raiseLevel(q: Queryable, requestId: string, now: Date, supervisedUntil: Date | null): Promise<number> {
  const rows = await q.query<{ escalation_level: number }>(
    `UPDATE requests SET escalation_level = escalation_level + 1, escalated_at = $2, supervised_until = COALESCE($3, supervised_until)
     WHERE id = $1 RETURNING escalation_level`,
    [requestId, now.toISOString(), supervisedUntil?.toISOString() ?? null]);
  return Number(rows[0]!.escalation_level);
}

async function addStep(q: Queryable, row: RequestRow, now: Date, code: 'escalated' | 'supervised', step: Record<string, unknown>): Promise<void> {
  await q.query('INSERT INTO request_timeline (request_id, at, status, department_id, note, step) VALUES ($1, $2, $3, NULL, $4, $5)',
    [row.id, now.toISOString(), row.status, stepNote(code, row.locale), JSON.stringify(step)]);
}

/* ---------------------------------------------------------------- by hand */

/** Supervises `reference` by hand: the note to the office, the new limit as the item's deadline. */
export async function supervise(ctx: ServerContext, user: StaffUser, requestId: string, input: { note: string; replyBy?: string; resolveBy?: string }): Promise<void> {
  const now = ctx.clock.now();
  const which: DeadlineKind = input.resolveBy !== undefined ? 'resolve' : 'reply';
  const field = which === 'resolve' ? 'resolveBy' : 'replyBy';
  if ((input.replyBy === undefined) === (input.resolveBy === undefined)) {
    throw new HttpError('validation_failed', 'Give one new time limit', { [input.replyBy === undefined ? 'resolveBy' : 'replyBy']: 'Give either replyBy or resolveBy' });
  }
  const limit = new Date((input.resolveBy ?? input.replyBy)!);
  if (!(limit > now)) throw new HttpError('validation_failed', 'The new time limit must be in the future', { [field]: 'Must be later than now' });
  if (which === 'resolve' && !(await resolveByExists(ctx.db))) {
    throw new HttpError('validation_failed', 'This server has no resolve-by time yet', { resolveBy: 'Not supported on this server yet' });
  }
  const column = which === 'resolve' ? 'resolve_by' : 'reply_by';
  await ctx.db.tx(async (q) => {
    const row = (await q.query<Row & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1 FOR UPDATE', [requestId]))[0]!;
    if (row.status === 'closed') throw new HttpError('conflict', 'The request is closed');
    const previous = (row as Record<string, unknown>)[column] as Date | string | null | undefined;
    await q.query(`UPDATE requests SET ${column} = $2 WHERE id = $1`, [row.id, limit.toISOString()]);
    const level = await raiseLevel(q, row.id, now, limit);
    await recordLoopEvent(q, ctx.clock, {
      requestId: row.id, type: 'supervised', officeId: row.department_id, actorId: user.id,
      detail: { by: user.id, byName: user.displayName, which, due: limit.toISOString(), previous: previous ? iso(previous) : null, note: input.note, level },
    });
    await recordLoopEvent(q, ctx.clock, {
      requestId: row.id, type: 'deadline_set', officeId: row.department_id, actorId: user.id,
      detail: { [field]: limit.toISOString(), reason: 'supervised' },
    });
    await addStep(q, row, now, 'supervised', { code: 'supervised', which, due: limit.toISOString() });
    await ctx.hub.publishQueue(q, { item: 'request', id: row.id });
  });
}

/* ---------------------------------------------------------------- reading */

/** The queue item's `escalation` (requests.ts requestQueueItem): absent when never escalated. */
export function escalationOf(row: RequestRow): { escalation?: { level: number; at: string } } {
  const r = row as Partial<Row>;
  return r.escalation_level && r.escalated_at ? { escalation: { level: Number(r.escalation_level), at: iso(r.escalated_at) } } : {};
}

function stepOf(e: LoopEvent, names: Map<string, string>): SupervisionStep | null {
  const d = e.detail as { which?: DeadlineKind; due?: string; previous?: string | null; note?: string; level?: number; byName?: string };
  if ((e.type !== 'escalated' && e.type !== 'supervised') || !d.due) return null;
  return {
    at: e.at.toISOString(),
    type: e.type,
    by: e.actorId ? { id: e.actorId, name: names.get(e.actorId) ?? d.byName ?? e.actorId } : null,
    which: d.which === 'resolve' ? 'resolve' : 'reply',
    due: d.due,
    ...(e.type === 'supervised' ? { previous: d.previous ?? null, note: d.note ?? '' } : {}),
    level: Number(d.level ?? 0),
  };
}

/** An item's supervision as the console shows it (staff only: the notes are for the office). */
export async function supervisionOf(ctx: ServerContext, user: StaffUser, requestId: string, locale: ReturnType<typeof localeOf>): Promise<Supervision> {
  const row = (await ctx.db.query<Row & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1', [requestId]))[0]!;
  const events = await ctx.db.query<{ seq: string; at: Date; type: LoopEvent['type']; office_id: string | null; actor_id: string | null; detail: Record<string, unknown> }>(
    `SELECT seq, at, type, office_id, actor_id, detail FROM loop_events WHERE request_id = $1 AND type IN ('escalated', 'supervised') ORDER BY seq`, [requestId]);
  const actors = [...new Set(events.map((e) => e.actor_id).filter((a): a is string => !!a))];
  const names = new Map<string, string>();
  if (actors.length) {
    for (const a of await ctx.db.query<{ id: string; display_name: string }>('SELECT id, display_name FROM staff_accounts WHERE id = ANY($1)', [actors])) names.set(a.id, a.display_name);
  }
  const history = events
    .map((e) => stepOf({ seq: Number(e.seq), requestId, at: new Date(e.at), type: e.type, officeId: e.office_id, actorId: e.actor_id, detail: e.detail ?? {} }, names))
    .filter((s): s is SupervisionStep => s !== null);
  const office = (await ctx.db.query<{ names: Texts }>('SELECT names FROM departments WHERE id = $1', [row.department_id]))[0];
  const site = (await ctx.db.query<{ timezone: string }>('SELECT timezone FROM sites WHERE id = $1', [row.site_id]))[0];
  return {
    reference: row.reference,
    level: Number(row.escalation_level ?? 0),
    escalatedAt: row.escalated_at ? iso(row.escalated_at) : null,
    supervisedUntil: row.supervised_until ? iso(row.supervised_until) : null,
    replyBy: row.reply_by ? iso(row.reply_by) : null,
    resolveBy: row.resolve_by ? iso(row.resolve_by) : null,
    canSupervise: (user.role === 'supervisor' || user.role === 'dispatcher') && row.status !== 'closed',
    office: { id: row.department_id, name: text(office?.names, locale) },
    timeZone: site?.timezone ?? 'Asia/Shanghai',
    history,
  };
}

/* ---------------------------------------------------------------- endpoints */

export function registerSupervision(app: Hono, ctx: ServerContext): void {
  // Everyone who sees the item reads its supervision: the office reads the supervisor's note here.
  app.get('/staff/requests/:reference/supervision', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    return c.json(await supervisionOf(ctx, user, r.id, localeOf(c)));
  });

  app.post('/staff/requests/:reference/supervise', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    requireRole(c, 'supervisor', 'dispatcher');
    const { body } = await staffBody(c, SuperviseInputSchema);
    await supervise(ctx, user, r.id, body);
    await audit(ctx, user, 'supervise', { kind: 'request', id: r.reference }, {
      department: r.department_id, note: body.note, ...(body.resolveBy ? { resolveBy: new Date(body.resolveBy).toISOString() } : { replyBy: new Date(body.replyBy!).toISOString() }),
    });
    return c.json(await supervisionOf(ctx, user, r.id, localeOf(c)));
  });
}
