/**
 * Schemas and types of the ratings and return-visit endpoints (loop/ratings.ts), shared with the
 * console. Ratings are on the national five-level scale of 政务服务"好差评" (国办发〔2019〕51号):
 * 5 非常满意 very satisfied, 4 满意 satisfied, 3 基本满意 fairly satisfied, 2 不满意 dissatisfied,
 * 1 非常不满意 very dissatisfied; with "was it solved?" (已解决 / 未解决).
 */
import * as v from 'valibot';
import { LIMITS } from '../../../src/client/protocol.js';

/** The levels, best first, by their code; `level` numbers 5..1. */
export const RATING_LEVELS = ['very_satisfied', 'satisfied', 'fairly_satisfied', 'dissatisfied', 'very_dissatisfied'] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
export const levelCode = (rating: number): RatingLevel => RATING_LEVELS[5 - Math.min(5, Math.max(1, Math.round(rating)))]!;

/** Where a rating came from. */
export const RATING_CHANNELS = ['widget', 'any_device', 'return_visit'] as const;
export type RatingChannel = (typeof RATING_CHANNELS)[number];

/** A bad rating (不满意, 非常不满意) or "not solved" sends the item back to be redone (退回重办). */
export const sendsBack = (rating: number, solved: boolean) => rating <= 2 || !solved;

const Person = v.object({ id: v.nullable(v.string()), name: v.nullable(v.string()) });
const Office = v.object({ id: v.string(), name: v.string() });

export const RatingAppealSchema = v.object({ at: v.string(), by: Person, reason: v.string() });
export type RatingAppeal = v.InferOutput<typeof RatingAppealSchema>;

export const ReturnVisitCallSchema = v.object({
  at: v.string(),
  by: Person,
  reached: v.boolean(),
  outcome: v.picklist(['rated', 'no_answer', 'unreachable']),
  comment: v.optional(v.string()),
});
export type ReturnVisitCall = v.InferOutput<typeof ReturnVisitCallSchema>;

/** One answer's rating (one per round: a redo or a reopen starts the next round). */
export const RatedRoundSchema = v.object({
  round: v.number(),
  at: v.string(),
  rating: v.number(),
  level: v.picklist(RATING_LEVELS),
  solved: v.boolean(),
  comment: v.optional(v.string()),
  channel: v.picklist(RATING_CHANNELS),
  /** The office that gave the answer rated. */
  office: Office,
  /** It sent the item back to be redone. */
  sentBack: v.boolean(),
  appeals: v.array(RatingAppealSchema),
});
export type RatedRound = v.InferOutput<typeof RatedRoundSchema>;

/** `GET /staff/requests/{reference}/ratings`. */
export const RatingsViewSchema = v.object({
  reference: v.string(),
  /** The round the resident rates next. */
  round: v.number(),
  ratings: v.array(RatedRoundSchema),
  /** Sent back and not answered again yet: the office must answer by `due`. */
  redo: v.nullable(v.object({ round: v.number(), due: v.nullable(v.string()), office: Office })),
  /** Return-visit calls of every round, oldest first. */
  calls: v.array(v.intersect([ReturnVisitCallSchema, v.object({ round: v.number() })])),
  /** Whether the caller may appeal a rating (supervisors). */
  canAppeal: v.boolean(),
  /** Whether the caller may record a return-visit call (the dispatcher). */
  canCall: v.boolean(),
});
export type RatingsView = v.InferOutput<typeof RatingsViewSchema>;

/** `POST /staff/requests/{reference}/ratings/{round}/appeal`. */
export const AppealInputSchema = v.object({ reason: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(1000)) });
export type AppealInput = v.InferOutput<typeof AppealInputSchema>;

/** `POST /staff/requests/{reference}/return-visit`: reached with a rating, or not reached. */
export const ReturnVisitInputSchema = v.pipe(
  v.object({
    reached: v.boolean(),
    rating: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5))),
    solved: v.optional(v.boolean()),
    comment: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.commentMax))),
  }),
  v.forward(v.check((i) => !i.reached || i.rating !== undefined, 'Give the rating the resident gave'), ['rating']),
  v.forward(v.check((i) => !i.reached || i.solved !== undefined, 'Say whether the resident says it is solved'), ['solved']),
);
export type ReturnVisitInput = v.InferOutput<typeof ReturnVisitInputSchema>;

/** One resident to call on `GET /staff/return-visits`. */
export const ReturnVisitItemSchema = v.object({
  reference: v.string(),
  site: Office,
  service: Office,
  office: Office,
  /** When the answer to rate was given (a reply or a resolve). */
  answeredAt: v.string(),
  round: v.number(),
  /** Unreached calls so far for this answer (three: unreachable, off the list). */
  tries: v.number(),
  lastTry: v.nullable(v.string()),
  /** The phone masked (the whole number on demand: POST /staff/requests/{reference}/contact, audited). */
  phoneHint: v.string(),
});
export type ReturnVisitItem = v.InferOutput<typeof ReturnVisitItemSchema>;

export const ReturnVisitListSchema = v.object({ days: v.number(), items: v.array(ReturnVisitItemSchema) });
export type ReturnVisitList = v.InferOutput<typeof ReturnVisitListSchema>;

/** Unreached calls after which a resident is 'unreachable' and leaves the list. */
export const RETURN_VISIT_TRIES = 3;
