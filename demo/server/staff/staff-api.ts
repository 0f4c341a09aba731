/**
 * The staff API of the reference intake server (`/api/v1/staff/…`) as valibot schemas and types.
 * The server shapes its answers with them and the staff console (demo/console) imports them;
 * docs/staff-api.md is their prose.
 */
import * as v from 'valibot';
import {
  AttachmentSchema,
  ContactSchema,
  ConversationEventSchema,
  DepartmentSchema,
  FeedbackSchema,
  FieldTypeSchema,
  FieldValueSchema,
  MessageSchema,
  PageSchema,
  ReplySchema,
  RequestKindSchema,
  RequestStatusSchema,
  TimelineEntrySchema,
  LIMITS,
  RETURN_REASONS,
} from '../../../src/client/protocol.js';
import { DispatchSuggestionSchema, SuggestionMetricsSchema } from '../loop/dispatch-suggestion-api.js';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const Timestamp = v.pipe(v.string(), v.isoTimestamp());
const Named = v.object({ id: Id, name: v.string() });

export const QUEUE_ITEMS = ['request', 'conversation'] as const;
export const QueueItemKindSchema = v.picklist(QUEUE_ITEMS);
export type QueueItemKind = v.InferOutput<typeof QueueItemKindSchema>;

/** A conversation's status: open (someone is talking), waiting (the resident waits for staff), closed. */
export const CONVERSATION_STATUSES = ['open', 'waiting', 'closed'] as const;
export const ConversationStatusSchema = v.picklist(CONVERSATION_STATUSES);
export type ConversationStatus = v.InferOutput<typeof ConversationStatusSchema>;

/** One row of the staff queue: a request or a conversation. */
export const QueueItemSchema = v.object({
  item: QueueItemKindSchema,
  /** Request id or conversation id. */
  id: Id,
  /** Requests only: the reference the resident sees (`RS-7KQ2-M9XD-N`; older databases: `RS-20261128-0042`). */
  reference: v.optional(v.string()),
  site: Named,
  /** Requests only. */
  kind: v.optional(RequestKindSchema),
  /** Requests only. */
  service: v.optional(Named),
  /** A RequestStatus for requests, a ConversationStatus for conversations. */
  status: v.string(),
  routedTo: DepartmentSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** The start of the description or of the last resident message, as plain text. */
  preview: v.string(),
  /** Conversations only: resident messages staff have not marked read. */
  unread: v.optional(v.number()),
  /** Who works on it now (claimed or assigned); null: nobody. */
  assignee: v.optional(v.nullable(Named)),
  /** Requests: when the (next) reply and the resolution are due (loop/deadlines.ts). */
  replyBy: v.optional(v.nullable(Timestamp)),
  resolveBy: v.optional(v.nullable(Timestamp)),
  /** Requests: a limit has passed (`overdue`), or the next one is within the calendar's dueSoon window (`soon`). */
  due: v.optional(v.nullable(v.picklist(['overdue', 'soon']))),
  /** Requests: 首接负责, the first office that accepted it (null before any did). */
  firstOffice: v.optional(v.nullable(DepartmentSchema)),
  /** Requests: returned by an office (退单), waiting for the dispatcher to re-dispatch it or overrule. */
  returned: v.optional(v.boolean()),
  /** Requests escalated or supervised (督办): how many times, when last (loop/supervision.ts). Absent: never. */
  escalation: v.optional(v.object({ level: v.number(), at: Timestamp })),
});
export type QueueItem = v.InferOutput<typeof QueueItemSchema>;

export const QueueResponseSchema = v.object({
  items: v.array(QueueItemSchema),
  /** How many items match the filters in all (every page). */
  total: v.optional(v.number()),
  /** Where this page starts in the whole list. */
  offset: v.optional(v.number()),
  /** `offset` of the next page; null on the last one. */
  nextOffset: v.optional(v.nullable(v.number())),
});
export type QueueResponse = v.InferOutput<typeof QueueResponseSchema>;

/** How the queue is ordered: last change first (default), newest first, oldest first, the limit due first (`due`). */
export const QUEUE_SORTS = ['updated', 'created', 'oldest', 'due'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
const Flag = v.optional(v.pipe(v.picklist(['1', 'true', '0', 'false']), v.transform((s) => s === '1' || s === 'true')));

/**
 * Query of `GET /staff/queue`; every filter is optional. `site` also matches the sites below it.
 * `q`: a reference (any case or spacing), a phone number, a contact name or words of the text.
 */
export const QueueQuerySchema = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(200))),
  status: v.optional(v.string()),
  site: v.optional(v.string()),
  kind: v.optional(RequestKindSchema),
  department: v.optional(v.string()),
  item: v.optional(QueueItemKindSchema),
  mine: Flag,
  unassigned: Flag,
  /** Requests past a limit (`overdue`) or due within the dueSoon window (`soon`, overdue ones not included). */
  due: v.optional(v.picklist(['overdue', 'soon'])),
  /** Requests returned by an office and waiting for the dispatcher (退单). */
  returned: Flag,
  /** Requests sent back to be redone after a bad rating or "not solved" (退回重办), not answered again yet. */
  redo: Flag,
  /** Requests escalated or supervised (督办), for supervisors and the office. */
  escalated: Flag,
  sort: v.optional(v.picklist(QUEUE_SORTS)),
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.number(), v.integer(), v.minValue(1), v.maxValue(500))),
  offset: v.optional(v.pipe(v.string(), v.transform(Number), v.number(), v.integer(), v.minValue(0), v.maxValue(100000))),
});

/** `data` of the `queue` event on `GET /staff/stream`. */
export const QueueStreamEventSchema = v.object({ item: QueueItemSchema });
export type QueueStreamEvent = v.InferOutput<typeof QueueStreamEventSchema>;

/**
 * `data` of the `gone` event on `GET /staff/stream`: an item this console could see has left its
 * scope (routed to another department); remove it. Its later changes are not sent.
 */
export const QueueGoneEventSchema = v.object({ item: QueueItemKindSchema, id: Id, reference: v.optional(v.string()) });
export type QueueGoneEvent = v.InferOutput<typeof QueueGoneEventSchema>;

/** A form field as the resident filled it, with its label in the request's locale. */
export const FilledFieldSchema = v.object({
  id: v.string(),
  label: v.string(),
  type: FieldTypeSchema,
  value: FieldValueSchema,
  /** The value as the resident chose it, in the console's language: option labels, dates in the site's time zone, the address. */
  display: v.optional(v.string()),
  /** The same in the request's language, when that differs from `display`. */
  residentDisplay: v.optional(v.string()),
  /** Locations with a point: a map link. */
  mapUrl: v.optional(v.string()),
});
export type FilledField = v.InferOutput<typeof FilledFieldSchema>;

/** A note by staff on a request: `internal` ones residents never see; `resident` ones are also in the timeline. */
export const NOTE_VISIBILITIES = ['internal', 'resident'] as const;
export const StaffNoteSchema = v.object({
  id: Id,
  at: Timestamp,
  author: v.nullable(Named),
  visibility: v.picklist(NOTE_VISIBILITIES),
  text: v.string(),
});
export type StaffNote = v.InferOutput<typeof StaffNoteSchema>;

/** A reply as staff see it: the resident's shape plus who wrote it. */
export const StaffReplySchema = v.object({ ...ReplySchema.entries, author: v.optional(v.nullable(Named)) });
export type StaffReply = v.InferOutput<typeof StaffReplySchema>;

/* ---------------------------------------------------------------- re-dispatch (退单 / 改派 / 协办) */

/** A return waiting for the dispatcher: who returned it, why, their note. */
export const ReturnPendingSchema = v.object({
  office: DepartmentSchema,
  reason: v.picklist(RETURN_REASONS),
  note: v.string(),
  at: Timestamp,
  by: v.nullable(Named),
});
export type ReturnPending = v.InferOutput<typeof ReturnPendingSchema>;

/** One move between offices as staff see it (from the loop events). */
export const StaffMoveSchema = v.object({
  type: v.picklist(['dispatched', 'redispatched', 'returned', 'return_overruled', 'assist_added', 'assist_removed', 'accepted']),
  at: Timestamp,
  from: v.nullable(DepartmentSchema),
  to: v.nullable(DepartmentSchema),
  reason: v.nullable(v.string()),
  note: v.nullable(v.string()),
  by: v.nullable(Named),
});
export type StaffMove = v.InferOutput<typeof StaffMoveSchema>;

const DispatchNote = v.pipe(v.string(), v.trim(), v.maxLength(LIMITS.commentMax));

/** `POST /staff/requests/{reference}/return`: the office gives it back; a note is required with `other`. */
export const ReturnInputSchema = v.pipe(
  v.object({ reason: v.picklist(RETURN_REASONS), note: v.optional(DispatchNote, '') }),
  v.forward(v.check((i) => i.reason !== 'other' || i.note.length > 0, 'Say why in the note'), ['note']),
);
export type ReturnInput = v.InferInput<typeof ReturnInputSchema>;

/** `POST /staff/requests/{reference}/return/overrule`: the dispatcher's reason for keeping it with the office. */
export const OverruleInputSchema = v.object({ note: v.pipe(DispatchNote, v.minLength(1)) });
export type OverruleInput = v.InferInput<typeof OverruleInputSchema>;

/** `POST /staff/requests/{reference}/offices`: the whole list of assisting offices (协办). */
export const OfficesInputSchema = v.object({ assist: v.pipe(v.array(Id), v.maxLength(20)) });
export type OfficesInput = v.InferInput<typeof OfficesInputSchema>;

/** `GET /staff/requests/{reference}`: everything the resident sees, plus contact, fields, page. */
export const StaffRequestDetailSchema = v.object({
  id: Id,
  reference: Id,
  site: Named,
  service: Named,
  type: RequestKindSchema,
  status: RequestStatusSchema,
  routedTo: DepartmentSchema,
  description: v.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  replyBy: v.nullable(Timestamp),
  /** When it is due to be resolved; whether a limit has passed (loop/deadlines.ts). */
  resolveBy: v.optional(v.nullable(Timestamp)),
  overdue: v.optional(v.nullable(v.picklist(['reply', 'resolve']))),
  timeline: v.array(TimelineEntrySchema),
  replies: v.array(StaffReplySchema),
  attachments: v.array(AttachmentSchema),
  feedback: v.nullable(FeedbackSchema),
  /** Who works on it now; null: nobody (claim it, or a dispatcher assigns it). */
  assignee: v.nullable(Named),
  assignedAt: v.nullable(Timestamp),
  /** Staff notes, oldest first, internal and resident-visible. */
  notes: v.array(StaffNoteSchema),
  /** The site's time zone (IANA): times of the form's values are shown in it. */
  timeZone: v.string(),
  /** Every rating, oldest first, each with the department it rated; the last one is `feedback`. */
  feedbackHistory: v.array(v.object({ ...FeedbackSchema.entries, department: DepartmentSchema })),
  locale: v.string(),
  /**
   * Always null in this answer: the contact is given on demand (`POST …/contact`, audited).
   * Whether there is one is `contactHidden`.
   */
  contact: v.nullable(ContactSchema),
  /**
   * Absent when the resident stayed anonymous. `on_demand`: `POST …/contact` gives it to you
   * (each showing is audited); `complaint`: a complaint's contact is kept from the office
   * (department and site officers) until the dispatcher releases it or the resident agreed.
   */
  contactHidden: v.optional(v.picklist(['complaint', 'on_demand'])),
  /** With `contactHidden: 'on_demand'`: a masked hint (`王**`, `138****0000`, `w***@example.com`). */
  contactHint: v.optional(v.object({ name: v.optional(v.string()), phone: v.optional(v.string()), email: v.optional(v.string()) })),
  /** Complaints with a contact: whether the resident agreed to share it with the office. */
  contactSharedWithOffice: v.optional(v.boolean()),
  /** Complaints: the dispatcher's latest release of the contact to the office. */
  contactRelease: v.optional(v.object({ at: Timestamp, by: v.string(), note: v.string() })),
  fields: v.array(FilledFieldSchema),
  page: v.nullable(PageSchema),
  consentVersion: v.string(),
  /** Statuses the request may move to next with `POST …/status`. */
  nextStatuses: v.array(RequestStatusSchema),
  /** The door it came through: `intake` (the widget, the protocol) or `open311` (an Open311 app). */
  channel: v.optional(v.picklist(['intake', 'open311'])),
  /** Open311 only: the `media_url` the app sent (a link to its photo; the server does not fetch it). */
  mediaUrl: v.optional(v.string()),
  /** Filed from this chat (转工单): the conversation's id. */
  conversationId: v.optional(v.nullable(Id)),
  /** 首接负责: the first office that accepted it, responsible until closed (null before any did). */
  firstOffice: v.optional(v.nullable(DepartmentSchema)),
  /** True while returned and waiting for the dispatcher (the resident's view says so too). */
  redispatching: v.optional(v.boolean()),
  /** 协办: the assisting offices; `routedTo` is the lead (主办). */
  assisting: v.optional(v.array(DepartmentSchema)),
  /** The pending return (退单), while the dispatcher has not decided. */
  returnPending: v.optional(v.nullable(ReturnPendingSchema)),
  /** Times it was sent on to another office (改派) and returned by an office (退单). */
  transfers: v.optional(v.number()),
  returns: v.optional(v.number()),
  /** Every move between offices, oldest first, with the staff notes. */
  moves: v.optional(v.array(StaffMoveSchema)),
  /** The dispatch suggestion (service → department, confidence) and staff's decision on it (loop/dispatch-suggestion.ts). */
  suggestion: v.optional(v.nullable(DispatchSuggestionSchema)),
});
export type StaffRequestDetail = v.InferOutput<typeof StaffRequestDetailSchema>;

/** A request filed from a chat (转工单), as the chat lists it. */
export const WorkOrderSchema = v.object({
  id: Id,
  reference: Id,
  service: Named,
  status: RequestStatusSchema,
  routedTo: DepartmentSchema,
  createdAt: Timestamp,
});
export type WorkOrder = v.InferOutput<typeof WorkOrderSchema>;

export const StaffConversationSchema = v.object({
  id: Id,
  site: Named,
  locale: v.string(),
  topic: v.nullable(v.string()),
  page: v.nullable(PageSchema),
  status: ConversationStatusSchema,
  routedTo: DepartmentSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  lastSeq: v.number(),
  /** Resident messages after `staffReadUpTo`. */
  unread: v.number(),
  residentReadUpTo: v.number(),
  staffReadUpTo: v.number(),
  /** Requests filed from this chat (转工单), oldest first. */
  workOrders: v.optional(v.array(WorkOrderSchema)),
  /** The dispatch suggestion from the resident's messages so far, and staff's decision on it. */
  suggestion: v.optional(v.nullable(DispatchSuggestionSchema)),
});
export type StaffConversation = v.InferOutput<typeof StaffConversationSchema>;

/** `GET /staff/conversations/{id}`. */
export const StaffConversationDetailSchema = v.object({
  conversation: StaffConversationSchema,
  events: v.array(ConversationEventSchema),
});
export type StaffConversationDetail = v.InferOutput<typeof StaffConversationDetailSchema>;

/* ---------------------------------------------------------------- inputs */

export const RouteInputSchema = v.object({ department: Id, note: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.commentMax))) });
export type RouteInput = v.InferOutput<typeof RouteInputSchema>;

export const StaffReplyInputSchema = v.object({
  text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.descriptionMax)),
});
export type StaffReplyInput = v.InferOutput<typeof StaffReplyInputSchema>;

export const StatusInputSchema = v.object({
  status: RequestStatusSchema,
  note: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.commentMax))),
});
export type StatusInput = v.InferOutput<typeof StatusInputSchema>;

export const StaffMessageInputSchema = v.object({
  text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.messageMax)),
  /** Optional: lets the console retry safely (deduplicated like resident messages). */
  clientId: v.optional(v.pipe(v.string(), v.minLength(8), v.maxLength(LIMITS.clientIdMax))),
});
export type StaffMessageInput = v.InferOutput<typeof StaffMessageInputSchema>;

/** `POST /staff/requests/{reference}/contact-release` (dispatcher): why the office may now see the complainant. */
export const ContactReleaseInputSchema = v.object({ note: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.commentMax)) });
export type ContactReleaseInput = v.InferOutput<typeof ContactReleaseInputSchema>;

/** `POST /staff/requests/{reference}/contact`: the contact, shown on demand (audited `contact_view`); null when anonymous. */
export const ContactResponseSchema = v.object({ contact: v.nullable(ContactSchema) });
export type ContactResponse = v.InferOutput<typeof ContactResponseSchema>;

/** `POST …/assign`: an account id, or null to take it off whoever has it. */
export const AssignInputSchema = v.object({ account: v.nullable(Id) });
export type AssignInput = v.InferOutput<typeof AssignInputSchema>;

export const NoteInputSchema = v.object({
  text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.commentMax)),
  visibility: v.picklist(NOTE_VISIBILITIES),
});
export type NoteInput = v.InferOutput<typeof NoteInputSchema>;

/** `GET …/assignees`: people who may work on the item (their scope covers it). */
export const AssigneesResponseSchema = v.object({
  people: v.array(v.object({ id: Id, name: v.string(), role: v.string() })),
});
export type AssigneesResponse = v.InferOutput<typeof AssigneesResponseSchema>;

/** How replies are signed: office + display name, office alone, office + staff number, office + initial. */
export const SignatureModeSchema = v.picklist(['office_name', 'office', 'office_number', 'office_initial']);
export type SignatureModeValue = v.InferOutput<typeof SignatureModeSchema>;

/** `GET /staff/settings`: the global setting and each site's own (sites below inherit it). */
export const StaffSettingsSchema = v.object({
  global: v.object({ signature: SignatureModeSchema }),
  sites: v.record(v.string(), v.object({ signature: SignatureModeSchema })),
});
export type StaffSettings = v.InferOutput<typeof StaffSettingsSchema>;

/** `PUT /staff/settings`: one scope ('global' or a site id); `signature: null` removes a site's own setting. */
export const StaffSettingsInputSchema = v.object({
  scope: Id,
  signature: v.nullable(SignatureModeSchema),
});
export type StaffSettingsInput = v.InferOutput<typeof StaffSettingsInputSchema>;

/** `GET /staff/requests/{reference}/signature`: how a reply from you would be signed now. */
export const SignaturePreviewSchema = v.object({ mode: SignatureModeSchema, signature: v.string() });
export type SignaturePreview = v.InferOutput<typeof SignaturePreviewSchema>;

/** `POST /staff/conversations/{id}/messages` answers with the stored message. */
export const StaffMessageResponseSchema = MessageSchema;

/* ---------------------------------------------------------------- reference lists and metrics */

export const StaffDepartmentSchema = v.object({ id: Id, name: v.string(), phone: v.nullable(v.string()) });
export const DepartmentsResponseSchema = v.object({ departments: v.array(StaffDepartmentSchema) });
export type DepartmentsResponse = v.InferOutput<typeof DepartmentsResponseSchema>;

export const StaffSiteSchema = v.object({
  id: Id,
  name: v.string(),
  parent: v.nullable(v.string()),
  level: v.picklist(['district', 'street', 'community']),
  /** IANA time zone of the site (times of its items are shown in it), e.g. `Asia/Shanghai`. */
  timeZone: v.optional(v.string()),
});
export const SitesResponseSchema = v.object({ sites: v.array(StaffSiteSchema) });
export type SitesResponse = v.InferOutput<typeof SitesResponseSchema>;

const SatisfactionEntries = {
  /** Mean rating 1–5, or null when nothing was rated yet. */
  average: v.nullable(v.number()),
  count: v.number(),
  /** Share of ratings where the resident said it was solved, 0–1 (null with no ratings). */
  solvedRate: v.nullable(v.number()),
  /** Unhappy ratings: 1–2 stars or not solved. */
  unhappy: v.number(),
};
export const DepartmentSatisfactionSchema = v.object({ department: DepartmentSchema, ...SatisfactionEntries });
export type DepartmentSatisfaction = v.InferOutput<typeof DepartmentSatisfactionSchema>;
export const SiteSatisfactionSchema = v.object({ site: Named, ...SatisfactionEntries });
export type SiteSatisfaction = v.InferOutput<typeof SiteSatisfactionSchema>;

/** Every rating ever given, a reopened request's earlier ones included (they are kept). */
export const RatingsSummarySchema = v.object({
  count: v.number(),
  /** Requests with at least one rating. */
  requests: v.number(),
  /** Ratings per level, "1" to "5" (every level present, 0 when none). */
  byRating: v.record(v.string(), v.number()),
  /** Ratings where the resident said it was not solved. */
  notSolved: v.number(),
  /** Ratings of 1–2 stars or not solved. */
  unhappy: v.number(),
  /** Mean of every rating; null with none. */
  averageAll: v.nullable(v.number()),
  /** Mean of each request's latest rating; null with none. */
  averageLatest: v.nullable(v.number()),
});
export type RatingsSummary = v.InferOutput<typeof RatingsSummarySchema>;

/** One unhappy rating (1–2 stars or not solved), newest first in the metrics. */
export const UnhappyRatingSchema = v.object({
  reference: Id,
  at: Timestamp,
  rating: v.number(),
  resolved: v.boolean(),
  comment: v.optional(v.string()),
  /** The department that had the request when it was rated. */
  department: DepartmentSchema,
  site: Named,
  /** The request's status now. */
  status: RequestStatusSchema,
  /** The resident sent it back to be redone after this rating. */
  reopened: v.boolean(),
});
export type UnhappyRating = v.InferOutput<typeof UnhappyRatingSchema>;

export const MetricsSchema = v.object({
  /** Requests not closed, by status (every status present, 0 when none). */
  openByStatus: v.record(v.string(), v.number()),
  /** Conversations not closed. */
  openConversations: v.number(),
  /** Median minutes from a request's creation to its first reply; null before any reply. */
  medianFirstReplyMinutes: v.nullable(v.number()),
  satisfactionByDepartment: v.array(DepartmentSatisfactionSchema),
  satisfactionBySite: v.array(SiteSatisfactionSchema),
  /** Share of rated requests whose latest rating says solved, 0–1 (null with no ratings). */
  solvedRate: v.nullable(v.number()),
  ratings: RatingsSummarySchema,
  /** The newest unhappy ratings (at most 20). */
  unhappyRatings: v.array(UnhappyRatingSchema),
  /** How often the dispatch suggestion was right (top 1, within the top 3), in the caller's scope. */
  dispatchSuggestions: v.optional(SuggestionMetricsSchema),
});
export type Metrics = v.InferOutput<typeof MetricsSchema>;

/** Status moves allowed with `POST /staff/requests/{reference}/status`. */
export const STATUS_TRANSITIONS: Readonly<Record<v.InferOutput<typeof RequestStatusSchema>, readonly v.InferOutput<typeof RequestStatusSchema>[]>> = {
  received: ['routed', 'in_progress', 'closed'],
  routed: ['in_progress', 'replied', 'closed'],
  in_progress: ['replied', 'resolved', 'closed'],
  replied: ['in_progress', 'resolved', 'closed'],
  resolved: ['in_progress', 'closed'],
  closed: ['in_progress'],
};

/* ---------------------------------------------------------------- work orders from chats (转工单) */

/** `POST /staff/conversations/{id}/work-order`: files a request from the chat. */
export const WorkOrderInputSchema = v.object({
  service: Id,
  /** Default: the service's first kind. */
  kind: v.optional(RequestKindSchema),
  /** Default: the resident's messages in the chat, one a line. */
  description: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.descriptionMax))),
  /** Field values the operator knows; checked like the form's, but none is required (the chat is the record). */
  fields: v.optional(v.record(v.string(), FieldValueSchema), {}),
  /** What the resident said in the chat to be reached by; none unless given. */
  contact: v.optional(v.nullable(ContactSchema)),
  /** File another work order although the chat already has one. */
  force: v.optional(v.boolean(), false),
});
export type WorkOrderInput = v.InferInput<typeof WorkOrderInputSchema>;

/** 201 answer of `POST /staff/conversations/{id}/work-order` (200 for a repeated Idempotency-Key). */
export const WorkOrderCreatedSchema = v.object({
  ...WorkOrderSchema.entries,
  conversationId: Id,
  /** The seq of the system message that told the resident the reference. */
  messageSeq: v.number(),
});
export type WorkOrderCreated = v.InferOutput<typeof WorkOrderCreatedSchema>;

/* ---------------------------------------------------------------- canned replies */

/**
 * A canned reply of one department; the intake centre's (the dispatch department's) are `shared`
 * with everybody. Placeholders in `text` are filled in when inserted: `{居民称呼}` / `{name}` the
 * resident's name as given, `{reference}` / `{编号}` the request's reference, `{部门}` /
 * `{department}` the department, `{坐席}` / `{agent}` the member of staff.
 */
export const CannedReplySchema = v.object({
  id: Id,
  department: DepartmentSchema,
  shared: v.boolean(),
  title: v.string(),
  text: v.string(),
  sort: v.number(),
  updatedAt: Timestamp,
  /** The caller may change or delete it. */
  editable: v.boolean(),
});
export type CannedReply = v.InferOutput<typeof CannedReplySchema>;

export const CannedRepliesResponseSchema = v.object({ replies: v.array(CannedReplySchema) });
export type CannedRepliesResponse = v.InferOutput<typeof CannedRepliesResponseSchema>;

const CannedTitle = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));
const CannedText = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.messageMax));

/** `POST /staff/canned-replies`; `department` defaults to a department officer's own. */
export const CannedReplyInputSchema = v.object({
  department: v.optional(Id),
  title: CannedTitle,
  text: CannedText,
  sort: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100000))),
});
export type CannedReplyInput = v.InferInput<typeof CannedReplyInputSchema>;

/** `PATCH /staff/canned-replies/{id}`: what changes. */
export const CannedReplyPatchSchema = v.object({
  department: v.optional(Id),
  title: v.optional(CannedTitle),
  text: v.optional(CannedText),
  sort: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100000))),
});
export type CannedReplyPatch = v.InferInput<typeof CannedReplyPatchSchema>;
