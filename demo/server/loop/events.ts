/**
 * The closed loop of a 12345 centre as recorded events (table `loop_events`, migration 11;
 * append-only): 受理 accept → 派单 dispatch → 办理 handle → 答复 reply → 督办 supervise → 办结 close →
 * 回访 return visit → 评价 rating. Every step of a request is one row; the resident's timeline, the
 * console, the return-visit list and the monthly assessment (考核) are all read from these rows, so
 * a rating, a transfer or an escalation can never vanish from the figures.
 */
import type { Queryable } from '../storage/db.js';
import type { Clock } from './clock.js';

export const LOOP_EVENT_TYPES = [
  /** Filed by the resident (or by staff from a chat / phone call). */
  'filed',
  /** Sent to an office (department) by the dispatcher or the catalogue's routing. */
  'dispatched',
  /** The office took it on (first acceptance makes it the 首接 office). */
  'accepted',
  /** Returned by an office that does not own it (退单), with a reason code and note. */
  'returned',
  /** The dispatcher refused a return: the office keeps it. */
  'return_overruled',
  /** Sent on to another office after a return or by the dispatcher (改派). */
  'redispatched',
  /** An assisting office (协办) added or removed. */
  'assist_added',
  'assist_removed',
  /** A reply to the resident. */
  'replied',
  /** Marked resolved by the office. */
  'resolved',
  /** Overdue: escalated by the server (detail.by = 'system') or supervised by hand (督办). */
  'escalated',
  'supervised',
  /** A time limit set or changed (detail.replyBy / detail.resolveBy, detail.reason). */
  'deadline_set',
  /** A deadline passed without the step done (detail.which = 'reply' | 'resolve'). */
  'overdue',
  /** A rating on the five-level scale (detail.level 1–5, detail.solved, detail.channel). */
  'rated',
  /** Sent back to be redone (退回重办) after a bad rating or "not solved". */
  'redo',
  /** A supervisor marked a rating as under appeal (detail.reason); never deleted. */
  'appeal',
  /** A return visit (回访) call recorded by an operator (detail.outcome). */
  'return_visit',
  /** Merged into another item (detail.into) / another item merged into this one (detail.from). */
  'merged',
  /** A resident started following this item instead of filing a duplicate. */
  'followed',
  'closed',
  'reopened',
] as const;
export type LoopEventType = (typeof LOOP_EVENT_TYPES)[number];

export interface LoopEvent {
  seq: number;
  requestId: string;
  at: Date;
  type: LoopEventType;
  /** The office (department id) the step concerns: who was dispatched to, who returned, who replied… */
  officeId: string | null;
  /** The staff account that did it; null for the resident or the server itself. */
  actorId: string | null;
  detail: Record<string, unknown>;
}

/** Records one step of the loop at the clock's time (inside the caller's transaction when given one). */
export async function recordLoopEvent(
  q: Queryable,
  clock: Clock,
  event: { requestId: string; type: LoopEventType; officeId?: string | null; actorId?: string | null; detail?: Record<string, unknown> },
): Promise<LoopEvent> {
  const at = clock.now();
  const rows = await q.query<{ seq: string | number }>(
    `INSERT INTO loop_events (request_id, at, type, office_id, actor_id, detail) VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq`,
    [event.requestId, at.toISOString(), event.type, event.officeId ?? null, event.actorId ?? null, JSON.stringify(event.detail ?? {})],
  );
  return {
    seq: Number(rows[0]!.seq),
    requestId: event.requestId,
    at,
    type: event.type,
    officeId: event.officeId ?? null,
    actorId: event.actorId ?? null,
    detail: event.detail ?? {},
  };
}

/** A request's events, oldest first. */
export async function loopEvents(q: Queryable, requestId: string): Promise<LoopEvent[]> {
  const rows = await q.query<{ seq: string | number; request_id: string; at: Date | string; type: LoopEventType; office_id: string | null; actor_id: string | null; detail: Record<string, unknown> }>(
    'SELECT seq, request_id, at, type, office_id, actor_id, detail FROM loop_events WHERE request_id = $1 ORDER BY seq',
    [requestId],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    requestId: r.request_id,
    at: new Date(r.at),
    type: r.type,
    officeId: r.office_id,
    actorId: r.actor_id,
    detail: r.detail ?? {},
  }));
}
