/**
 * Schemas and types of the dispatch suggestion (loop/dispatch-suggestion.ts; docs/staff-api.md,
 * "Dispatch suggestion"), shared with the console: what the server suggests for a request or a
 * chat, what the dispatcher decided, and how often the suggestion was right (the metrics).
 */
import * as v from 'valibot';

const Named = v.object({ id: v.string(), name: v.string() });

/** One suggested service with the department the site's routing gives it and how sure the ranking is (0–1). */
export const SuggestedServiceSchema = v.object({
  service: Named,
  department: Named,
  confidence: v.number(),
});
export type SuggestedService = v.InferOutput<typeof SuggestedServiceSchema>;

/** How a decision was made: the explicit confirm, the route control, a work order from the chat, a return overruled. */
export const DECISION_VIAS = ['confirm', 'route', 'work_order', 'overrule'] as const;
export type DecisionVia = (typeof DECISION_VIAS)[number];

/**
 * The dispatcher's decision on a suggestion: `confirmed` — routed to the suggested (first)
 * department; `changed` — routed elsewhere (`department`, and `rank` 2–3 when that department was
 * one of the other suggestions, null when it was none of them). The latest routing by staff counts.
 */
export const DispatchDecisionSchema = v.object({
  outcome: v.picklist(['confirmed', 'changed']),
  department: Named,
  /** Chats made into a work order: the service chosen; requests: the request's service. */
  service: v.nullable(Named),
  rank: v.nullable(v.number()),
  via: v.picklist(DECISION_VIAS),
  by: v.nullable(Named),
  at: v.string(),
});
export type DispatchDecision = v.InferOutput<typeof DispatchDecisionSchema>;

/** The suggestion of one item (request or chat), best first (at most 3; empty: nothing matched). */
export const DispatchSuggestionSchema = v.object({
  suggestions: v.array(SuggestedServiceSchema),
  /** Which ranking made it (`suggest@<version>`): the metrics compare versions. */
  model: v.string(),
  createdAt: v.string(),
  /** Chats: updated with each resident message until staff decide. */
  updatedAt: v.string(),
  decision: v.nullable(DispatchDecisionSchema),
});
export type DispatchSuggestion = v.InferOutput<typeof DispatchSuggestionSchema>;

/** `GET /staff/requests/{reference}/suggestion`, `GET /staff/conversations/{id}/suggestion`. */
export const SuggestionResponseSchema = v.object({ suggestion: v.nullable(DispatchSuggestionSchema) });
export type SuggestionResponse = v.InferOutput<typeof SuggestionResponseSchema>;

/** Counts behind an accuracy figure. Rates are 0–1, null with nothing decided. */
export const AccuracyCountsSchema = v.object({
  /** Items with a suggestion. */
  suggested: v.number(),
  /** Of those, decided by staff. */
  decided: v.number(),
  /** Decided where the suggestion's first department was kept. */
  top1: v.number(),
  /** Decided where the department chosen was one of the (up to) three suggested. */
  top3: v.number(),
  top1Rate: v.nullable(v.number()),
  top3Rate: v.nullable(v.number()),
});
export type AccuracyCounts = v.InferOutput<typeof AccuracyCountsSchema>;

/** `dispatchSuggestions` in `GET /staff/metrics`: within the caller's scope, by the month the suggestion was made (city time). */
export const SuggestionMetricsSchema = v.object({
  ...AccuracyCountsSchema.entries,
  /** The ranking the server runs now. */
  model: v.string(),
  requests: AccuracyCountsSchema,
  conversations: AccuracyCountsSchema,
  /** Newest month first. */
  byMonth: v.array(v.object({ month: v.string(), ...AccuracyCountsSchema.entries })),
  /** Per ranking version, so an improvement shows as one. */
  byModel: v.array(v.object({ model: v.string(), ...AccuracyCountsSchema.entries })),
});
export type SuggestionMetrics = v.InferOutput<typeof SuggestionMetricsSchema>;
