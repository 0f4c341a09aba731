/**
 * Schemas and types of the monthly assessment (考核, loop/assessment.ts), shared with the console.
 * docs/staff-api.md, "Assessment", defines every figure.
 */
import * as v from 'valibot';

const Named = v.object({ id: v.string(), name: v.string() });
const Rate = v.nullable(v.number());

/** A step done on time or late, or not done and not due yet; `rate` = onTime / (onTime + late). */
export const OnTimeSchema = v.object({ onTime: v.number(), late: v.number(), pending: v.number(), rate: Rate });
export type OnTime = v.InferOutput<typeof OnTimeSchema>;

/** The figures of one office (or of the city, added up) for one month. */
export const AssessmentFiguresSchema = v.object({
  /** Items whose first arrival at the office falls in the month (dispatched or redispatched to it). */
  received: v.number(),
  /** Of those, how many came by a transfer (改派) or after another office had it. */
  byTransfer: v.number(),
  accepted: OnTimeSchema,
  replied: OnTimeSchema,
  resolved: OnTimeSchema,
  ratings: v.object({
    /** Every rating, a reopened item's earlier ones too. */
    count: v.number(),
    /** Ratings per level, "1" (非常不满意) to "5" (非常满意), each present. */
    byLevel: v.record(v.string(), v.number()),
    solved: v.number(),
    notSolved: v.number(),
    /** Ratings under appeal (申诉): still counted above, shown apart here. */
    appealed: v.number(),
    /** Mean level, 1–5. */
    average: Rate,
    /** solved / count. */
    solvedRate: Rate,
    /** Ratings at levels 3–5 (基本满意 and better) / count. */
    satisfactionRate: Rate,
  }),
  /** Bad ratings (levels 1–2, 差评) and what followed. */
  bad: v.object({
    count: v.number(),
    /** Of those, under appeal. */
    appealed: v.number(),
    /** Of those, sent back to be redone (a `redo` before the next rating). */
    redone: v.number(),
    /** Of those sent back, answered again by the office (replied or resolved after the redo). */
    answered: v.number(),
  }),
  /** Every send-back (退回重办), whatever its cause, and the office's answer to it. */
  redo: v.object({ count: v.number(), answered: v.number(), answeredOnTime: v.number() }),
  /** Returns by the office (退单). */
  returned: v.number(),
  /** Of its returns, refused by the dispatcher (the office kept the item). */
  returnsOverruled: v.number(),
  /** Items moved from the office to another by the dispatcher (改派 out). */
  transferredAway: v.number(),
  reopened: v.number(),
  /** Overdue escalations by the server. */
  escalated: v.number(),
  /** Supervision by hand (督办). */
  supervised: v.number(),
  /** Composite, 0–100: replied on time 20 %, solved 40 %, satisfaction 40 % (weights of the rates there are). */
  score: Rate,
});
export type AssessmentFigures = v.InferOutput<typeof AssessmentFiguresSchema>;

export const AssessmentRowSchema = v.object({ office: Named, ...AssessmentFiguresSchema.entries });
export type AssessmentRow = v.InferOutput<typeof AssessmentRowSchema>;

export const AssessmentMonthSchema = v.object({
  /** `2026-12`. */
  month: v.string(),
  /** The month's first instant and the next month's, in the city's time zone, as ISO times. */
  from: v.string(),
  until: v.string(),
  offices: v.array(AssessmentRowSchema),
  /** The offices' figures added up (an item two offices had counts for each), plus distinct `items`. */
  totals: v.object({ items: v.number(), ...AssessmentFiguresSchema.entries }),
});
export type AssessmentMonth = v.InferOutput<typeof AssessmentMonthSchema>;

/** `GET /staff/assessment?month=2026-12`. */
export const AssessmentResponseSchema = v.object({
  ...AssessmentMonthSchema.entries,
  /** The city's IANA time zone the months are cut in. */
  timeZone: v.string(),
  /** The server's clock when computed: `pending` means not done and not due by then. */
  asOf: v.string(),
  previous: AssessmentMonthSchema,
});
export type AssessmentResponse = v.InferOutput<typeof AssessmentResponseSchema>;

/** The columns of the CSV export, in order (the console's sort keys too). */
export const ASSESSMENT_COLUMNS = [
  'score', 'received', 'byTransfer',
  'acceptedOnTime', 'acceptedLate', 'acceptedRate',
  'repliedOnTime', 'repliedLate', 'repliedRate',
  'resolvedOnTime', 'resolvedLate', 'resolvedRate',
  'ratings', 'level5', 'level4', 'level3', 'level2', 'level1', 'averageLevel', 'solvedRate', 'satisfactionRate', 'ratingsAppealed',
  'bad', 'badAppealed', 'badRedone', 'badAnswered', 'redo', 'redoAnswered', 'redoAnsweredOnTime',
  'returned', 'returnsOverruled', 'transferredAway', 'reopened', 'escalated', 'supervised',
] as const;
export type AssessmentColumn = (typeof ASSESSMENT_COLUMNS)[number];

/** One column's value of a row (rates as 0–1; null: nothing to count). */
export function columnValue(f: AssessmentFigures, column: AssessmentColumn): number | null {
  switch (column) {
    case 'score': return f.score;
    case 'received': return f.received;
    case 'byTransfer': return f.byTransfer;
    case 'acceptedOnTime': return f.accepted.onTime;
    case 'acceptedLate': return f.accepted.late;
    case 'acceptedRate': return f.accepted.rate;
    case 'repliedOnTime': return f.replied.onTime;
    case 'repliedLate': return f.replied.late;
    case 'repliedRate': return f.replied.rate;
    case 'resolvedOnTime': return f.resolved.onTime;
    case 'resolvedLate': return f.resolved.late;
    case 'resolvedRate': return f.resolved.rate;
    case 'ratings': return f.ratings.count;
    case 'level5': return f.ratings.byLevel['5'] ?? 0;
    case 'level4': return f.ratings.byLevel['4'] ?? 0;
    case 'level3': return f.ratings.byLevel['3'] ?? 0;
    case 'level2': return f.ratings.byLevel['2'] ?? 0;
    case 'level1': return f.ratings.byLevel['1'] ?? 0;
    case 'averageLevel': return f.ratings.average;
    case 'solvedRate': return f.ratings.solvedRate;
    case 'satisfactionRate': return f.ratings.satisfactionRate;
    case 'ratingsAppealed': return f.ratings.appealed;
    case 'bad': return f.bad.count;
    case 'badAppealed': return f.bad.appealed;
    case 'badRedone': return f.bad.redone;
    case 'badAnswered': return f.bad.answered;
    case 'redo': return f.redo.count;
    case 'redoAnswered': return f.redo.answered;
    case 'redoAnsweredOnTime': return f.redo.answeredOnTime;
    case 'returned': return f.returned;
    case 'returnsOverruled': return f.returnsOverruled;
    case 'transferredAway': return f.transferredAway;
    case 'reopened': return f.reopened;
    case 'escalated': return f.escalated;
    case 'supervised': return f.supervised;
  }
}

/** Whether a column is a share (0–1, shown as a percentage) rather than a count. */
export const isRateColumn = (column: AssessmentColumn) => /Rate$/.test(column);

/** Whether more is worse in this column (lower ranks first when sorting "best first"). */
export const LOWER_IS_BETTER: ReadonlySet<AssessmentColumn> = new Set<AssessmentColumn>([
  'acceptedLate', 'repliedLate', 'resolvedLate', 'level2', 'level1', 'bad', 'returned', 'returnsOverruled', 'transferredAway', 'reopened', 'escalated', 'supervised',
]);
