/**
 * 回访 / 好差评: what a rating leads to, appeals, and the return-visit list (issue 17).
 *
 * - A rating (requests/feedback.ts recordFeedback, `rated` event) that is bad (不满意 2, 非常不满意 1)
 *   or "not solved" sends the item back to be redone (退回重办): status in_progress, the same office,
 *   a new reply limit, `redo` + `deadline_set` events, `requests.redo_round` set until the office
 *   answers again (a reply or a resolve: `answered`). A good, solved one on a replied item resolves it.
 * - Supervisors appeal a rating with a reason (rating_appeals, `appeal` event, audit); nothing is
 *   deleted and the rating still counts in the raw figures.
 * - Residents who left a phone and did not rate within `returnVisitDays` (default 3, on the loop's
 *   clock) of the answer are listed for a call; the operator's outcome is the rating (channel
 *   'return_visit'); three unreached calls make it 'unreachable' and it leaves the list.
 */
import type { Hono } from 'hono';
import type { ServerContext } from '../context.js';
import { localeOf } from '../context.js';
import type { Queryable } from '../storage/db.js';
import { HttpError, newId, notFound } from '../http.js';
import { staffBody } from '../staff/field-messages.js';
import { text, type Locale } from '../catalogue/catalog.js';
import type { Texts } from '../catalogue/seed-data.js';
import { M, say } from '../messages.js';
import type { FeedbackInput } from '../../../src/client/protocol.js';
import { recordLoopEvent } from './events.js';
import { loadCalendar, placeOf } from './deadlines.js';
import { getSite } from '../catalogue/catalog.js';
import { feedbackRows, recordFeedback } from '../requests/feedback.js';
import type { RequestRow } from '../requests/requests.js';
import { audit, requireRole, staffOf, type StaffUser } from '../staff/identity.js';
import { maskContact, scopeClause, visibleRequest } from '../staff/scope.js';
import {
  AppealInputSchema,
  RETURN_VISIT_TRIES,
  ReturnVisitInputSchema,
  levelCode,
  sendsBack,
  type RatingChannel,
  type RatingsView,
  type ReturnVisitCall,
  type ReturnVisitList,
} from './ratings-api.js';

/** The new limit of a redo: 5 working days on the site's working-day calendar (loop/calendar.ts). */
export const REDO_WITHIN = { workingDays: 5 } as const;
export const DEFAULT_RETURN_VISIT_DAYS = 3;
const DAY_MS = 24 * 3600_000;

/** What a rating needs from its request row. */
type Rated = Pick<RequestRow, 'id' | 'status' | 'department_id' | 'locale' | 'feedback_round' | 'site_id'>;

/** After a rating is stored (same transaction): redo for a bad or unsolved one, resolved for a good solved one. */
export async function afterRating(ctx: ServerContext, q: Queryable, r: Rated, input: Pick<FeedbackInput, 'rating' | 'resolved'>, actorId: string | null = null): Promise<void> {
  const now = ctx.clock.now();
  if (sendsBack(input.rating, input.resolved)) {
    const round = Number(r.feedback_round);
    const site = await getSite(q, r.site_id);
    const due = (await loadCalendar(q)).add(now, REDO_WITHIN, placeOf(site ?? { timezone: 'Asia/Shanghai', office_hours: [] }));
    const reason = input.rating <= 2 ? 'bad_rating' : 'not_solved';
    // The next answer is rated in a new round; the office must answer it by `due`.
    await q.query(
      `UPDATE requests SET status = 'in_progress', feedback_round = feedback_round + 1, redo_round = $2, reply_by = $3, updated_at = now() WHERE id = $1`,
      [r.id, round, due],
    );
    const note = say(r.locale, M.redoNote);
    await q.query(
      'INSERT INTO request_timeline (request_id, at, status, department_id, note, step) VALUES ($1, $2, $3, $4, $5, $6)',
      [r.id, now, 'in_progress', r.department_id, note, JSON.stringify({ code: 'redo', which: 'reply', due: due.toISOString() })],
    );
    await recordLoopEvent(q, ctx.clock, {
      requestId: r.id, type: 'redo', officeId: r.department_id, actorId,
      detail: { round, level: input.rating, code: levelCode(input.rating), solved: input.resolved, reason, due: due.toISOString() },
    });
    await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'deadline_set', officeId: r.department_id, actorId, detail: { replyBy: due.toISOString(), reason: 'redo' } });
    return;
  }
  if (r.status === 'replied') {
    await q.query(`UPDATE requests SET status = 'resolved', updated_at = now() WHERE id = $1`, [r.id]);
    await q.query('INSERT INTO request_timeline (request_id, at, status, department_id, note) VALUES ($1, $2, $3, $4, $5)',
      [r.id, now, 'resolved', r.department_id, say(r.locale, M.residentConfirmedSolved)]);
    await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'resolved', officeId: r.department_id, actorId, detail: { by: 'resident' } });
  }
}

/**
 * An office answered (a reply, or resolved): the `replied` / `resolved` loop event the return-visit
 * list counts from, and a redo is answered. Called inside the answer's transaction.
 */
export async function answered(ctx: ServerContext, q: Queryable, r: Pick<RequestRow, 'id' | 'department_id'>, type: 'replied' | 'resolved', actorId: string | null): Promise<void> {
  const rows = await q.query<{ redo_round: number | null }>('SELECT redo_round FROM requests WHERE id = $1', [r.id]);
  const redo = rows[0]?.redo_round ?? null;
  await recordLoopEvent(q, ctx.clock, { requestId: r.id, type, officeId: r.department_id, actorId, detail: redo === null ? {} : { redoRound: Number(redo) } });
  if (redo !== null) await q.query('UPDATE requests SET redo_round = NULL WHERE id = $1', [r.id]);
}

/* ---------------------------------------------------------------- reading */

const iso = (d: Date | string) => new Date(d).toISOString();

async function officeName(q: Queryable, id: string, locale: Locale) {
  const rows = await q.query<{ names: Texts }>('SELECT names FROM departments WHERE id = $1', [id]);
  return { id, name: text(rows[0]?.names, locale) };
}

/** Every round's rating, the redo state, appeals and calls of one request. */
export async function ratingsView(q: Queryable, r: RequestRow, user: StaffUser, locale: Locale): Promise<RatingsView> {
  const rows = await feedbackRows(q, r.id);
  const appeals = await q.query<{ round: number; at: Date; actor_id: string | null; actor_name: string | null; reason: string }>(
    'SELECT round, at, actor_id, actor_name, reason FROM rating_appeals WHERE request_id = $1 ORDER BY seq', [r.id]);
  const calls = await q.query<{ round: number; at: Date; actor_id: string | null; actor_name: string | null; reached: boolean; outcome: ReturnVisitCall['outcome']; comment: string | null }>(
    'SELECT round, at, actor_id, actor_name, reached, outcome, comment FROM return_visits WHERE request_id = $1 ORDER BY seq', [r.id]);
  const redoRounds = new Set((await q.query<{ round: number }>(
    `SELECT (detail->>'round')::int AS round FROM loop_events WHERE request_id = $1 AND type = 'redo'`, [r.id])).map((x) => Number(x.round)));
  const offices = new Map<string, { id: string; name: string }>();
  const office = async (id: string) => {
    if (!offices.has(id)) offices.set(id, await officeName(q, id, locale));
    return offices.get(id)!;
  };
  const ratings = [];
  for (const f of rows) {
    ratings.push({
      round: Number(f.round),
      at: iso(f.at),
      rating: Number(f.rating),
      level: levelCode(Number(f.rating)),
      solved: f.resolved,
      ...(f.comment ? { comment: f.comment } : {}),
      channel: f.channel,
      office: await office(f.department_id),
      sentBack: redoRounds.has(Number(f.round)),
      appeals: appeals.filter((a) => Number(a.round) === Number(f.round)).map((a) => ({ at: iso(a.at), by: { id: a.actor_id, name: a.actor_name }, reason: a.reason })),
    });
  }
  const redoRound = (r as RequestRow & { redo_round?: number | null }).redo_round;
  return {
    reference: r.reference,
    round: Number(r.feedback_round),
    ratings,
    redo: redoRound === null || redoRound === undefined ? null : { round: Number(redoRound), due: r.reply_by ? iso(r.reply_by) : null, office: await office(r.department_id) },
    calls: calls.map((c) => ({ round: Number(c.round), at: iso(c.at), by: { id: c.actor_id, name: c.actor_name }, reached: c.reached, outcome: c.outcome, ...(c.comment ? { comment: c.comment } : {}) })),
    canAppeal: user.role === 'supervisor',
    canCall: user.role === 'dispatcher',
  };
}

/** Residents to call: a phone given, answered at least `days` days ago (loop clock), not rated, not unreachable. */
export async function returnVisitList(ctx: ServerContext, user: StaffUser, days: number, locale: Locale): Promise<ReturnVisitList> {
  const before = new Date(ctx.clock.now().getTime() - days * DAY_MS);
  const scope = scopeClause(user, 'requests', 2, 'r');
  const rows = await ctx.db.query<RequestRow & { answered_at: Date; tries: number; last_try: Date | null; site_names: Texts; service_names: Texts; office_names: Texts } & Record<string, unknown>>(
    `SELECT r.*, a.at AS answered_at, s.names AS site_names, sv.names AS service_names, d.names AS office_names,
            (SELECT count(*)::int FROM return_visits v WHERE v.request_id = r.id AND v.round = r.feedback_round AND NOT v.reached) AS tries,
            (SELECT max(v.at) FROM return_visits v WHERE v.request_id = r.id AND v.round = r.feedback_round) AS last_try
     FROM requests r
     JOIN (SELECT request_id, max(at) AS at FROM loop_events WHERE type IN ('replied', 'resolved') GROUP BY request_id) a ON a.request_id = r.id
     JOIN sites s ON s.id = r.site_id JOIN services sv ON sv.id = r.service_id JOIN departments d ON d.id = r.department_id
     WHERE r.contact_phone IS NOT NULL AND r.status IN ('replied', 'resolved', 'closed') AND a.at <= $1
       AND NOT EXISTS (SELECT 1 FROM request_feedback f WHERE f.request_id = r.id AND f.round = r.feedback_round)
       AND NOT EXISTS (SELECT 1 FROM return_visits v WHERE v.request_id = r.id AND v.round = r.feedback_round AND v.outcome = 'unreachable')
       AND ${scope.sql}
     ORDER BY a.at, r.reference LIMIT 500`,
    [before, ...scope.params],
  );
  return {
    days,
    items: rows.map((r) => ({
      reference: r.reference,
      site: { id: r.site_id, name: text(r.site_names, locale) },
      service: { id: r.service_id, name: text(r.service_names, locale) },
      office: { id: r.department_id, name: text(r.office_names, locale) },
      answeredAt: iso(r.answered_at),
      round: Number(r.feedback_round),
      tries: Number(r.tries),
      lastTry: r.last_try ? iso(r.last_try) : null,
      phoneHint: maskContact(r.contact ?? {}).phone ?? '****',
    })),
  };
}

/* ---------------------------------------------------------------- endpoints */

const RATEABLE = ['replied', 'resolved', 'closed'];

export function registerRatings(app: Hono, ctx: ServerContext): void {
  const target = (r: RequestRow) => ({ kind: 'request', id: r.reference });
  const lock = async (q: Queryable, id: string) => (await q.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1 FOR UPDATE', [id]))[0]!;

  app.get('/staff/requests/:reference/ratings', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    return c.json(await ratingsView(ctx.db, r, user, localeOf(c)));
  });

  // A supervisor marks a rating as under appeal (评价申诉); recorded, never deleted.
  app.post('/staff/requests/:reference/ratings/:round/appeal', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    requireRole(c, 'supervisor');
    const round = Number(c.req.param('round'));
    const { body } = await staffBody(c, AppealInputSchema);
    const view = await ctx.db.tx(async (q) => {
      const row = await lock(q, r.id);
      const rated = (await feedbackRows(q, r.id)).find((f) => Number(f.round) === round);
      if (!Number.isInteger(round) || !rated) throw notFound('Rating');
      await q.query('INSERT INTO rating_appeals (id, request_id, round, at, actor_id, actor_name, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [newId(), r.id, round, ctx.clock.now(), user.id, user.displayName, body.reason]);
      await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'appeal', officeId: rated.department_id, actorId: user.id, detail: { round, level: Number(rated.rating), reason: body.reason } });
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
      return ratingsView(q, row, user, localeOf(c));
    });
    await audit(ctx, user, 'rating_appeal', target(r), { round, reason: body.reason });
    return c.json(view);
  });

  app.get('/staff/return-visits', async (c) => {
    const user = requireRole(c, 'dispatcher', 'supervisor');
    const asked = c.req.query('days');
    const days = asked === undefined ? ctx.returnVisitDays ?? DEFAULT_RETURN_VISIT_DAYS : Number(asked);
    if (!Number.isFinite(days) || days < 0 || days > 365) throw new HttpError('bad_request', 'days: 0 to 365');
    return c.json(await returnVisitList(ctx, user, days, localeOf(c)));
  });

  // The operator's call: reached with the resident's rating, or not reached (three times: unreachable).
  app.post('/staff/requests/:reference/return-visit', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    requireRole(c, 'dispatcher');
    const { body } = await staffBody(c, ReturnVisitInputSchema);
    const comment = body.comment?.trim() || null;
    let outcome: ReturnVisitCall['outcome'] = 'rated';
    const view = await ctx.db.tx(async (q) => {
      const row = await lock(q, r.id);
      const round = Number(row.feedback_round);
      const done = (await feedbackRows(q, r.id)).some((f) => Number(f.round) === round);
      const calls = await q.query<{ reached: boolean; outcome: string }>('SELECT reached, outcome FROM return_visits WHERE request_id = $1 AND round = $2', [r.id, round]);
      if (!RATEABLE.includes(row.status) || done || calls.some((x) => x.outcome === 'unreachable')) {
        throw new HttpError('conflict', 'This answer has been rated already or is not waiting for a return visit');
      }
      const channel: RatingChannel = 'return_visit';
      if (body.reached) {
        const input = { rating: body.rating!, resolved: body.solved!, ...(comment ? { comment } : {}) };
        await recordFeedback(q, row, input, { clock: ctx.clock, channel, actorId: user.id });
        await afterRating(ctx, q, row, input, user.id);
      } else {
        outcome = calls.filter((x) => !x.reached).length + 1 >= RETURN_VISIT_TRIES ? 'unreachable' : 'no_answer';
      }
      await q.query('INSERT INTO return_visits (id, request_id, round, at, actor_id, actor_name, reached, outcome, comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [newId(), r.id, round, ctx.clock.now(), user.id, user.displayName, body.reached, outcome, comment]);
      await recordLoopEvent(q, ctx.clock, {
        requestId: r.id, type: 'return_visit', officeId: row.department_id, actorId: user.id,
        detail: { round, reached: body.reached, outcome, ...(body.reached ? { level: body.rating, solved: body.solved } : { tries: calls.filter((x) => !x.reached).length + 1 }) },
      });
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
      return ratingsView(q, (await q.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1', [r.id]))[0]!, user, localeOf(c));
    });
    await audit(ctx, user, 'return_visit', target(r), { reached: body.reached, outcome, ...(body.reached ? { rating: body.rating, solved: body.solved } : {}) });
    return c.json(view);
  });
}
