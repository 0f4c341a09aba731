/**
 * Supervision (督办) in the staff API as valibot schemas and types, shared by the server
 * (loop/supervision.ts) and the console (staff-supervise.ts); docs/staff-api.md "Supervision".
 */
import * as v from 'valibot';
import { LIMITS } from '../../../src/client/protocol.js';

const Timestamp = v.pipe(v.string(), v.isoTimestamp());
const Named = v.object({ id: v.string(), name: v.string() });

/** Which time limit: the reply to the resident (reply-by) or the resolution (resolve-by). */
export const DEADLINE_KINDS = ['reply', 'resolve'] as const;
export const DeadlineKindSchema = v.picklist(DEADLINE_KINDS);
export type DeadlineKind = v.InferOutput<typeof DeadlineKindSchema>;

/** One step of an item's supervision, oldest first. */
export const SupervisionStepSchema = v.object({
  at: Timestamp,
  /** `escalated`: overdue, escalated by the server; `supervised`: a supervisor or the dispatcher supervised it by hand. */
  type: v.picklist(['escalated', 'supervised']),
  /** Who supervised; null for the server's escalation. */
  by: v.nullable(Named),
  which: DeadlineKindSchema,
  /** escalated: the limit that passed; supervised: the new limit set. */
  due: Timestamp,
  /** supervised: the limit before. */
  previous: v.optional(v.nullable(Timestamp)),
  /** supervised: the supervisor's note to the office (staff only, never shown to the resident). */
  note: v.optional(v.string()),
  /** The item's escalation level after this step. */
  level: v.number(),
});
export type SupervisionStep = v.InferOutput<typeof SupervisionStepSchema>;

/** `GET /staff/requests/{reference}/supervision` (and the answer of `POST …/supervise`). */
export const SupervisionSchema = v.object({
  reference: v.string(),
  /** How many times it was escalated or supervised; 0: never. */
  level: v.number(),
  /** When it was last escalated or supervised; null: never. */
  escalatedAt: v.nullable(Timestamp),
  /** The latest limit a supervisor set; null: none. */
  supervisedUntil: v.nullable(Timestamp),
  replyBy: v.nullable(Timestamp),
  /** Null where the server has no resolve-by for it (yet). */
  resolveBy: v.nullable(Timestamp),
  /** Whether the caller may supervise it (supervisor, dispatcher; not once closed). */
  canSupervise: v.boolean(),
  /** The office it is with. */
  office: Named,
  /** The site's time zone (IANA): limits are shown and typed in it. */
  timeZone: v.string(),
  history: v.array(SupervisionStepSchema),
});
export type Supervision = v.InferOutput<typeof SupervisionSchema>;

/** `POST /staff/requests/{reference}/supervise`: a note to the office and one new time limit (in the future). */
export const SuperviseInputSchema = v.object({
  note: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.commentMax)),
  replyBy: v.optional(Timestamp),
  resolveBy: v.optional(Timestamp),
});
export type SuperviseInput = v.InferOutput<typeof SuperviseInputSchema>;
