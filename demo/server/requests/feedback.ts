/**
 * Ratings (the return visit): every rating and comment is its own record in request_feedback with
 * its time, round and department; `requests.feedback` mirrors the latest. A reopen starts a new
 * round (one rating per answer) and erases nothing; the timeline and the metrics read them all.
 */
import type { Feedback, FeedbackInput, RequestStatus, TimelineEntry } from '../../../src/client/protocol.js';
import { LIMITS } from '../../../src/client/protocol.js';
import type { Queryable } from '../storage/db.js';
import { text, type Locale } from '../catalogue/catalog.js';
import type { Texts } from '../catalogue/seed-data.js';
import { M, say } from '../messages.js';
import type { Metrics } from '../staff/staff-api.js';
import type { Clock } from '../loop/clock.js';
import { recordLoopEvent } from '../loop/events.js';
import { levelCode, type RatingChannel } from '../loop/ratings-api.js';

export interface FeedbackRow {
  id: string;
  round: number;
  at: Date;
  rating: number;
  resolved: boolean;
  comment: string | null;
  status: RequestStatus;
  department_id: string;
  after_timeline_id: string | null;
  /** 'widget' | 'any_device' | 'return_visit' (migration 15). */
  channel: RatingChannel;
}

/** What a rated request needs from its row. */
interface Rated {
  id: string;
  status: RequestStatus;
  department_id: string;
  locale: string;
  feedback_round: number;
}

export const feedbackOut = (f: FeedbackRow): Feedback => ({
  rating: Number(f.rating),
  resolved: f.resolved,
  ...(f.comment ? { comment: f.comment } : {}),
  at: new Date(f.at).toISOString(),
});

/** Every rating of a request, oldest first. */
export function feedbackRows(q: Queryable, requestId: string): Promise<FeedbackRow[]> {
  return q.query<FeedbackRow & Record<string, unknown>>(
    `SELECT id::text AS id, round, at, rating, resolved, comment, status, department_id, after_timeline_id::text AS after_timeline_id, channel
     FROM request_feedback WHERE request_id = $1 ORDER BY id`, [requestId]);
}

/** The rating of the answer the resident rates now, if given. */
export const currentRating = (rows: FeedbackRow[], r: Pick<Rated, 'feedback_round'>) => rows.find((f) => f.round === Number(r.feedback_round));

/**
 * Stores a rating (inside the request's transaction, row locked) at the loop's clock, with the
 * `rated` loop event; returns it as the protocol shows it. What it leads to (redo, resolved) is
 * loop/ratings.ts afterRating.
 */
export async function recordFeedback(
  q: Queryable,
  r: Rated,
  input: FeedbackInput,
  how: { clock: Clock; channel: RatingChannel; actorId?: string | null },
): Promise<Feedback> {
  const at = how.clock.now();
  const comment = input.comment?.trim() ? input.comment.slice(0, LIMITS.commentMax) : null;
  const last = await q.query<{ id: string | null }>('SELECT max(id)::text AS id FROM request_timeline WHERE request_id = $1', [r.id]);
  await q.query(
    `INSERT INTO request_feedback (request_id, round, at, rating, resolved, comment, status, department_id, after_timeline_id, channel, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [r.id, r.feedback_round, at, input.rating, input.resolved, comment, r.status, r.department_id, last[0]?.id ?? null, how.channel, how.actorId ?? null],
  );
  await recordLoopEvent(q, how.clock, {
    requestId: r.id, type: 'rated', officeId: r.department_id, actorId: how.actorId ?? null,
    detail: { level: input.rating, code: levelCode(input.rating), solved: input.resolved, channel: how.channel, round: Number(r.feedback_round) },
  });
  const feedback: Feedback = { rating: input.rating, resolved: input.resolved, ...(comment ? { comment } : {}), at: at.toISOString() };
  await q.query('UPDATE requests SET feedback = $2, updated_at = now() WHERE id = $1', [r.id, JSON.stringify(feedback)]);
  return feedback;
}

/** The note of a rating entry, for clients that show only `status` and `note` (in the request's language). */
function ratingNote(f: FeedbackRow, locale: string): string {
  return say(locale, M.ratingNote(Number(f.rating), f.resolved, f.comment));
}

/** Puts each rating right after the timeline entry it followed (ids, not clocks: clocks can tie or cross). */
export function withRatings(entries: { id: string; entry: TimelineEntry }[], ratings: FeedbackRow[], locale: string): TimelineEntry[] {
  const rated = (f: FeedbackRow): TimelineEntry => ({
    at: new Date(f.at).toISOString(),
    status: f.status,
    note: ratingNote(f, locale),
    feedback: { rating: Number(f.rating), resolved: f.resolved, ...(f.comment ? { comment: f.comment } : {}) },
  });
  const placed = new Set<FeedbackRow>();
  const out: TimelineEntry[] = [];
  for (const { id, entry } of entries) {
    out.push(entry);
    for (const f of ratings) {
      if (f.after_timeline_id === id) {
        out.push(rated(f));
        placed.add(f);
      }
    }
  }
  for (const f of ratings) if (!placed.has(f)) out.push(rated(f));
  return out;
}

/* ---------------------------------------------------------------- metrics */

const round2 = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.round(Number(n) * 100) / 100);
const UNHAPPY = '(f.rating <= 2 OR NOT f.resolved)';

/** The rating part of `GET /staff/metrics`: every rating counts, a reopened request's earlier ones too. */
export async function ratingMetrics(
  q: Queryable,
  locale: Locale,
  /** The caller's scope on `requests r` (staff/scope.ts scopeClause, parameters from $1): only ratings of requests they see count. */
  scope: { sql: string; params: unknown[] } = { sql: 'true', params: [] },
): Promise<Pick<Metrics, 'satisfactionByDepartment' | 'satisfactionBySite' | 'solvedRate' | 'ratings' | 'unhappyRatings'>> {
  const F = `(SELECT f.* FROM request_feedback f JOIN requests r ON r.id = f.request_id WHERE ${scope.sql})`;
  const grouped = (key: 'f.department_id' | 'r.site_id', table: 'departments' | 'sites') =>
    q.query<{ id: string; names: Texts; average: number; count: number; solved: number; unhappy: number }>(
      `SELECT g.id, g.names, avg(f.rating)::float8 AS average, count(*)::int AS count,
              avg(CASE WHEN f.resolved THEN 1 ELSE 0 END)::float8 AS solved, count(*) FILTER (WHERE ${UNHAPPY})::int AS unhappy
       FROM ${F} f JOIN requests r ON r.id = f.request_id JOIN ${table} g ON g.id = ${key}
       GROUP BY g.id, g.names ORDER BY g.id`, scope.params);
  const entry = (r: { average: number; count: number; solved: number; unhappy: number }) => ({
    average: round2(r.average), count: Number(r.count), solvedRate: round2(r.solved), unhappy: Number(r.unhappy),
  });
  const byDept = await grouped('f.department_id', 'departments');
  const bySite = await grouped('r.site_id', 'sites');
  const all = (await q.query<{ count: number; average: number | null; not_solved: number; unhappy: number }>(
    `SELECT count(*)::int AS count, avg(f.rating)::float8 AS average, count(*) FILTER (WHERE NOT f.resolved)::int AS not_solved,
            count(*) FILTER (WHERE ${UNHAPPY})::int AS unhappy FROM ${F} f`, scope.params))[0]!;
  const latest = (await q.query<{ requests: number; average: number | null; solved: number | null }>(
    `SELECT count(*)::int AS requests, avg(rating)::float8 AS average, avg(CASE WHEN resolved THEN 1 ELSE 0 END)::float8 AS solved
     FROM (SELECT DISTINCT ON (request_id) rating, resolved FROM ${F} x ORDER BY request_id, id DESC) l`, scope.params))[0]!;
  const levels = await q.query<{ rating: number; n: number }>(`SELECT rating, count(*)::int AS n FROM ${F} x GROUP BY rating`, scope.params);
  const byRating: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const l of levels) byRating[String(l.rating)] = Number(l.n);
  const unhappy = await q.query<FeedbackRow & { reference: string; request_status: RequestStatus; reopened: boolean; department_names: Texts; site_id: string; site_names: Texts } & Record<string, unknown>>(
    `SELECT f.at, f.rating, f.resolved, f.comment, f.department_id, r.reference, r.status AS request_status, f.round < r.feedback_round AS reopened,
            d.names AS department_names, r.site_id, s.names AS site_names
     FROM ${F} f JOIN requests r ON r.id = f.request_id JOIN departments d ON d.id = f.department_id JOIN sites s ON s.id = r.site_id
     WHERE ${UNHAPPY} ORDER BY f.at DESC, f.id DESC LIMIT 20`, scope.params);
  return {
    satisfactionByDepartment: byDept.map((r) => ({ department: { id: r.id, name: text(r.names, locale) }, ...entry(r) })),
    satisfactionBySite: bySite.map((r) => ({ site: { id: r.id, name: text(r.names, locale) }, ...entry(r) })),
    solvedRate: round2(latest.solved),
    ratings: {
      count: Number(all.count),
      requests: Number(latest.requests),
      byRating,
      notSolved: Number(all.not_solved),
      unhappy: Number(all.unhappy),
      averageAll: round2(all.average),
      averageLatest: round2(latest.average),
    },
    unhappyRatings: unhappy.map((u) => ({
      reference: u.reference,
      at: new Date(u.at).toISOString(),
      rating: Number(u.rating),
      resolved: u.resolved,
      ...(u.comment ? { comment: u.comment } : {}),
      department: { id: u.department_id, name: text(u.department_names, locale) },
      site: { id: u.site_id, name: text(u.site_names, locale) },
      status: u.request_status,
      reopened: u.reopened,
    })),
  };
}
