/**
 * Intake protocol v1 as valibot schemas: the one definition that the client (in the browser)
 * and the reference server (on Node) both import. `docs/protocol.md` is its prose; a test parses
 * every JSON example there with these schemas so the two cannot drift apart.
 *
 * Objects are parsed with `v.object`, which drops unknown keys: both sides ignore fields they do
 * not know, as the protocol requires.
 */
import * as v from 'valibot';

export const PROTOCOL_VERSION = '1';

/* ------------------------------------------------------------------ shared pieces */

/** The four kinds of request, named as 12345 hotlines name them. */
export const REQUEST_KINDS = ['consultation', 'help', 'complaint', 'suggestion'] as const;
export const RequestKindSchema = v.picklist(REQUEST_KINDS);
export type RequestKind = v.InferOutput<typeof RequestKindSchema>;

/** A request's life: received → routed → in_progress → replied → resolved → closed. */
export const REQUEST_STATUSES = ['received', 'routed', 'in_progress', 'replied', 'resolved', 'closed'] as const;
export const RequestStatusSchema = v.picklist(REQUEST_STATUSES);
export type RequestStatus = v.InferOutput<typeof RequestStatusSchema>;

export const FIELD_TYPES = [
  'text', 'textarea', 'number', 'date', 'datetime', 'single', 'multi', 'location', 'file', 'phone', 'email',
] as const;
export const FieldTypeSchema = v.picklist(FIELD_TYPES);
export type FieldType = v.InferOutput<typeof FieldTypeSchema>;

/** Hard protocol limits; a backend may announce lower ones in the catalogue. */
export const LIMITS = {
  descriptionMax: 4000,
  messageMax: 2000,
  commentMax: 2000,
  fieldTextMax: 2000,
  idempotencyKeyMax: 128,
  clientIdMax: 128,
} as const;

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
/** ISO 8601 timestamp with time zone, as the server writes them. */
const Timestamp = v.pipe(v.string(), v.isoTimestamp());
const NonEmptyText = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));

/**
 * Which locale a server text is in, where it is not the response's own `locale` (a text the
 * city has not translated yet, given in the fallback locale): `{"name": "zh-CN"}` on the object
 * that carries `name`. Absent when every text of the object is in the response's locale. The
 * widget marks such a text with `lang`, for screen readers and fonts.
 */
export const LangsSchema = v.optional(v.record(v.string(), v.string()));
export type Langs = v.InferOutput<typeof LangsSchema>;

export const DepartmentSchema = v.object({ id: Id, name: v.string(), langs: LangsSchema });
export type Department = v.InferOutput<typeof DepartmentSchema>;

/* ------------------------------------------------------------------ errors */

export const ERROR_CODES = [
  'bad_request', // malformed JSON or query
  'validation_failed', // well-formed but invalid: see `fields`
  'unauthorized', // missing or wrong token
  'forbidden', // not allowed (CORS origin, api key)
  'not_found', // unknown site, service, reference, conversation
  'conflict', // same Idempotency-Key with a different body
  'conversation_closed', // 409: a message to a conversation staff closed (start a new one)
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited', // 429, with Retry-After
  'server_error',
  'unavailable', // 503, with Retry-After
] as const;
export const ErrorCodeSchema = v.picklist(ERROR_CODES);
export type ErrorCode = v.InferOutput<typeof ErrorCodeSchema>;

/** `{"error": {"code", "message", "fields"?}}`. `code` is kept as a string: servers may add codes. */
export const ErrorBodySchema = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    fields: v.optional(v.record(v.string(), v.string())),
  }),
});
export type ErrorBody = v.InferOutput<typeof ErrorBodySchema>;

/* ------------------------------------------------------------------ catalogue */

export const OfficeHoursSchema = v.object({
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7))),
  opens: v.pipe(v.string(), v.regex(/^\d{2}:\d{2}$/)),
  closes: v.pipe(v.string(), v.regex(/^\d{2}:\d{2}$/)),
});
export type OfficeHours = v.InferOutput<typeof OfficeHoursSchema>;

export const ReplyPromiseSchema = v.object({
  /** Working hours within which a first reply is promised. */
  hours: v.pipe(v.number(), v.minValue(0)),
  /** The promise in the requested locale, e.g. "We reply within 2 working days". */
  text: v.string(),
  langs: LangsSchema,
});
export type ReplyPromise = v.InferOutput<typeof ReplyPromiseSchema>;

export const SiteSchema = v.object({
  id: Id,
  name: v.string(),
  /** From the top (district) down to the direct parent. */
  parents: v.optional(v.array(v.object({ id: Id, name: v.string(), langs: LangsSchema })), []),
  timezone: v.optional(v.string(), 'Asia/Shanghai'),
  officeHours: v.optional(v.array(OfficeHoursSchema), []),
  replyPromise: ReplyPromiseSchema,
  phone: v.optional(v.string()),
  langs: LangsSchema,
});
export type Site = v.InferOutput<typeof SiteSchema>;

export const CapabilitiesSchema = v.object({
  chat: v.boolean(),
  answers: v.boolean(),
  attachments: v.boolean(),
  feedback: v.boolean(),
  /** Whether a person is answering chat right now; chat still takes messages when false. */
  staffOnDuty: v.optional(v.boolean(), false),
});
export type Capabilities = v.InferOutput<typeof CapabilitiesSchema>;

export const FieldOptionSchema = v.object({ value: v.string(), label: v.string(), langs: LangsSchema });
export type FieldOption = v.InferOutput<typeof FieldOptionSchema>;

export const FieldSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,63}$/)),
  type: FieldTypeSchema,
  label: v.string(),
  required: v.optional(v.boolean(), false),
  hint: v.optional(v.string()),
  /** For `single` and `multi`. */
  options: v.optional(v.array(FieldOptionSchema)),
  /** Number value bounds, or date bounds as ISO dates. */
  min: v.optional(v.union([v.number(), v.string()])),
  max: v.optional(v.union([v.number(), v.string()])),
  /** Text length bounds. */
  minLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  maxLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** For `file`: the number of files this field takes. */
  maxFiles: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** Shown as information rather than as an input (Open311 `variable: false`). */
  readOnly: v.optional(v.boolean(), false),
  langs: LangsSchema,
});
export type Field = v.InferOutput<typeof FieldSchema>;

export const ServiceSchema = v.object({
  id: Id,
  name: v.string(),
  group: v.optional(v.string(), ''),
  description: v.optional(v.string(), ''),
  /** The kinds of request this service takes. */
  kinds: v.optional(v.array(RequestKindSchema), [...REQUEST_KINDS]),
  /** Words residents use for it, to help the service search. */
  keywords: v.optional(v.array(v.string()), []),
  department: v.optional(DepartmentSchema),
  fields: v.optional(v.array(FieldSchema), []),
  langs: LangsSchema,
});
export type Service = v.InferOutput<typeof ServiceSchema>;

export const RequestTypeSchema = v.object({ id: RequestKindSchema, label: v.string(), description: v.string(), langs: LangsSchema });
export type RequestType = v.InferOutput<typeof RequestTypeSchema>;

export const AttachmentLimitsSchema = v.object({
  maxBytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  maxFiles: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** MIME types, e.g. `image/jpeg`, `application/pdf`. */
  types: v.array(v.string()),
});
export type AttachmentLimits = v.InferOutput<typeof AttachmentLimitsSchema>;

export const CatalogSchema = v.object({
  protocol: v.optional(v.string(), PROTOCOL_VERSION),
  locale: v.string(),
  site: SiteSchema,
  capabilities: CapabilitiesSchema,
  requestTypes: v.array(RequestTypeSchema),
  services: v.array(ServiceSchema),
  limits: v.optional(
    v.object({
      descriptionMax: v.optional(v.number(), LIMITS.descriptionMax),
      messageMax: v.optional(v.number(), LIMITS.messageMax),
      attachments: v.optional(AttachmentLimitsSchema),
    }),
    {},
  ),
  consent: v.object({ version: v.string(), text: v.string(), langs: LangsSchema }),
});
export type Catalog = v.InferOutput<typeof CatalogSchema>;

/* ------------------------------------------------------------------ instant answers */

export const AnswerSchema = v.object({
  id: Id,
  question: v.string(),
  answer: v.string(),
  url: v.optional(v.string()),
  service: v.optional(v.string()),
  score: v.number(),
  langs: LangsSchema,
});
export type Answer = v.InferOutput<typeof AnswerSchema>;

export const AnswersResponseSchema = v.object({ query: v.string(), answers: v.array(AnswerSchema) });
export type AnswersResponse = v.InferOutput<typeof AnswersResponseSchema>;

/* ------------------------------------------------------------------ service search */

/** One service for what the resident typed (`GET /services/suggest`): its id in the catalogue and how sure the ranking is (0–1). */
export const ServiceSuggestionSchema = v.object({ service: Id, confidence: v.pipe(v.number(), v.minValue(0), v.maxValue(1)) });
export type ServiceSuggestion = v.InferOutput<typeof ServiceSuggestionSchema>;

/** The services ranked for `query`, best first (at most 10); empty when nothing matches. */
export const ServiceSuggestResponseSchema = v.object({ query: v.string(), services: v.array(ServiceSuggestionSchema) });
export type ServiceSuggestResponse = v.InferOutput<typeof ServiceSuggestResponseSchema>;

/* ------------------------------------------------------------------ requests */

export const LocationValueSchema = v.object({
  lat: v.optional(v.pipe(v.number(), v.minValue(-90), v.maxValue(90))),
  lng: v.optional(v.pipe(v.number(), v.minValue(-180), v.maxValue(180))),
  address: v.optional(v.pipe(v.string(), v.maxLength(500))),
});
export type LocationValue = v.InferOutput<typeof LocationValueSchema>;

/** A form field's value: text, number, boolean, several options, a location, or attachment ids. */
export const FieldValueSchema = v.union([
  v.pipe(v.string(), v.maxLength(LIMITS.fieldTextMax)),
  v.number(),
  v.boolean(),
  v.array(v.pipe(v.string(), v.maxLength(200))),
  LocationValueSchema,
]);
export type FieldValue = v.InferOutput<typeof FieldValueSchema>;

export const ContactSchema = v.object({
  name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
  phone: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^\+?[0-9 ()-]{5,20}$/))),
  email: v.optional(v.pipe(v.string(), v.trim(), v.email(), v.maxLength(200))),
  preferred: v.optional(v.picklist(['phone', 'email', 'none']), 'none'),
  /**
   * Complaints: the resident agrees that the office complained about may see their name and
   * contact. Absent or false (the default): only the intake centre sees them, until its
   * dispatcher releases them to the office (docs/staff-api.md, "Scopes and the complainant").
   */
  shareWithOffice: v.optional(v.boolean()),
});
export type Contact = v.InferOutput<typeof ContactSchema>;
/** A contact as a client sends it (`preferred` defaults to `none`). */
export type ContactInput = v.InferInput<typeof ContactSchema>;

export const PageSchema = v.object({
  url: v.pipe(v.string(), v.maxLength(2000)),
  title: v.optional(v.pipe(v.string(), v.maxLength(500)), ''),
});
export type PageInfo = v.InferOutput<typeof PageSchema>;

/** Body of `POST /requests`. */
export const RequestInputSchema = v.object({
  site: Id,
  service: Id,
  type: RequestKindSchema,
  description: NonEmptyText(LIMITS.descriptionMax),
  fields: v.optional(v.record(v.string(), FieldValueSchema), {}),
  /** Absent or empty: anonymous. The resident still gets a reference and an access token. */
  contact: v.optional(ContactSchema),
  consent: v.object({ version: v.string(), given: v.literal(true) }),
  locale: v.optional(v.string(), 'zh-CN'),
  page: v.optional(PageSchema),
  attachments: v.optional(v.array(Id), []),
  /** Honeypot: people never fill it; a filled one gets a success-shaped answer and is not stored. */
  website: v.optional(v.string()),
});
export type RequestInput = v.InferInput<typeof RequestInputSchema>;
export type RequestInputParsed = v.InferOutput<typeof RequestInputSchema>;

/** Answer to `POST /requests` (201, or 200 for a repeat with the same Idempotency-Key). */
export const RequestCreatedSchema = v.object({
  id: Id,
  reference: Id,
  status: RequestStatusSchema,
  routedTo: DepartmentSchema,
  accessToken: v.string(),
  createdAt: Timestamp,
  replyPromise: v.optional(ReplyPromiseSchema),
  /** When the promised reply is due. */
  replyBy: v.optional(Timestamp),
  /** When it is due to be resolved (办结). */
  resolveBy: v.optional(Timestamp),
});
export type RequestCreated = v.InferOutput<typeof RequestCreatedSchema>;

/** Why an office returned an item (退单); the widget and the console translate each code. */
export const RETURN_REASONS = ['not_our_duty', 'wrong_area', 'needs_other_office', 'duplicate', 'insufficient_info', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/**
 * A move of the item between offices (派单, 退单, 改派, 协办), in codes the client puts in words:
 * `type` dispatched | redispatched | returned | return_overruled | assist_added | assist_removed;
 * `reason` one of RETURN_REASONS. Strings, so a newer server's code never breaks an older widget.
 */
export const MoveSchema = v.object({
  type: v.string(),
  from: v.optional(DepartmentSchema),
  to: v.optional(DepartmentSchema),
  reason: v.optional(v.string()),
});
export type Move = v.InferOutput<typeof MoveSchema>;

export const TimelineEntrySchema = v.object({
  at: Timestamp,
  status: RequestStatusSchema,
  department: v.optional(DepartmentSchema),
  note: v.optional(v.string()),
  /** A move between offices: to whom and why, in codes (no staff notes). */
  move: v.optional(MoveSchema),
  /** The closing entry of a merged request: the reference of the request it was merged into. */
  mergedInto: v.optional(Id),
  /** A rating entry (not a status change; `status` is the request's then): the resident's rating at `at`. */
  feedback: v.optional(v.object({ rating: v.number(), resolved: v.boolean(), comment: v.optional(v.string()) })),
  /**
   * A step of the 12345 loop (not a status change; `status` is the request's then), as a code the
   * widget words in the resident's language (`note` is the same in the request's, for older clients):
   * `escalated` overdue, the centre follows it up; `supervised` the centre supervises it, `due` the new limit.
   */
  step: v.optional(v.object({ code: v.string(), which: v.optional(v.picklist(['reply', 'resolve'])), due: v.optional(Timestamp) })),
});
export type TimelineEntry = v.InferOutput<typeof TimelineEntrySchema>;

export const ReplySchema = v.object({
  /** How the reply is signed, as the site configured it: the office and the person (`区市场监管局 · 王芳`); absent: the department alone. */
  signature: v.optional(v.string()),
  id: Id,
  at: Timestamp,
  department: DepartmentSchema,
  text: v.string(),
});
export type Reply = v.InferOutput<typeof ReplySchema>;

export const FeedbackInputSchema = v.object({
  rating: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
  resolved: v.boolean(),
  comment: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.commentMax))),
});
export type FeedbackInput = v.InferOutput<typeof FeedbackInputSchema>;

export const FeedbackSchema = v.object({ ...FeedbackInputSchema.entries, at: Timestamp });
export type Feedback = v.InferOutput<typeof FeedbackSchema>;

export const AttachmentSchema = v.object({
  id: Id,
  name: v.string(),
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  type: v.string(),
});
export type Attachment = v.InferOutput<typeof AttachmentSchema>;

/** Answer to `GET /requests/{reference}`. */
export const RequestDetailSchema = v.object({
  id: Id,
  reference: Id,
  site: v.object({ id: Id, name: v.string(), langs: LangsSchema }),
  service: v.object({ id: Id, name: v.string(), langs: LangsSchema }),
  type: RequestKindSchema,
  status: RequestStatusSchema,
  routedTo: DepartmentSchema,
  description: v.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  replyBy: v.optional(v.nullable(Timestamp)),
  timeline: v.array(TimelineEntrySchema),
  replies: v.array(ReplySchema),
  attachments: v.optional(v.array(AttachmentSchema), []),
  feedback: v.optional(v.nullable(FeedbackSchema), null),
  /** Every rating, oldest first (a reopened request's earlier ones too); the last one is `feedback`. */
  feedbackHistory: v.optional(v.array(FeedbackSchema)),
  /** True once a reply or resolution makes a rating meaningful and none has been given for that answer (again after a reopen and a new reply). */
  awaitingFeedback: v.optional(v.boolean(), false),
  canReopen: v.optional(v.boolean(), false),
  /** 首接负责: the first office that accepted it, responsible until it is closed (beside `routedTo`, who handles it now). */
  firstOffice: v.optional(DepartmentSchema),
  /** True while an office has returned it and the centre is dispatching it again. */
  redispatching: v.optional(v.boolean()),
  /** Read with a follower's token or contact (`POST …/follow`, or a merge): status, notes and replies only. */
  following: v.optional(v.boolean()),
  /** Merged into this request (its reference): follow that one; the resident is a follower of it. */
  mergedInto: v.optional(Id),
  /** When it is due to be resolved (办结), on the site's working-day calendar; null when none applies. */
  resolveBy: v.optional(v.nullable(Timestamp)),
  /** A time limit has passed (`reply` or `resolve`) and the centre is following it up; null while on time. */
  overdue: v.optional(v.nullable(v.picklist(['reply', 'resolve']))),
  /** The site's IANA time zone: the limits are shown in it. */
  timeZone: v.optional(v.string()),
});
export type RequestDetail = v.InferOutput<typeof RequestDetailSchema>;

export const ReopenInputSchema = v.object({ reason: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.commentMax))) });
export type ReopenInput = v.InferOutput<typeof ReopenInputSchema>;

/* ------------------------------------------------------------------ duplicates: similar, follow */

/** One open request like the one being filed (`GET /similar`): public facts only, nothing the resident wrote or gave. */
export const SimilarRequestSchema = v.object({
  reference: Id,
  service: v.object({ id: Id, name: v.string() }),
  /** The site it was filed for (a community or a street). */
  place: v.object({ id: Id, name: v.string() }),
  /** Its address cut to the street (`新华路`), when one was given. */
  street: v.optional(v.string()),
  /** Roughly how far (to 50 m), when both places have coordinates. */
  distanceM: v.optional(v.number()),
  status: RequestStatusSchema,
  createdAt: Timestamp,
});
export type SimilarRequest = v.InferOutput<typeof SimilarRequestSchema>;

export const SimilarResponseSchema = v.object({ similar: v.array(SimilarRequestSchema) });
export type SimilarResponse = v.InferOutput<typeof SimilarResponseSchema>;

/** Body of `POST /requests/{reference}/follow`: a contact lets the follower look it up from any device. */
export const FollowInputSchema = v.object({
  contact: v.optional(v.object({ phone: ContactSchema.entries.phone, email: ContactSchema.entries.email })),
  locale: v.optional(v.string()),
});
export type FollowInput = v.InferInput<typeof FollowInputSchema>;

/** Answer to `POST /requests/{reference}/follow`: the follower's own access token for `GET /requests/{reference}`. */
export const FollowCreatedSchema = v.object({
  reference: Id,
  accessToken: v.string(),
  service: Id,
  type: RequestKindSchema,
  createdAt: Timestamp,
});
export type FollowCreated = v.InferOutput<typeof FollowCreatedSchema>;

/* ------------------------------------------------------------------ conversations (chat) */

export const ConversationInputSchema = v.object({
  site: Id,
  locale: v.optional(v.string(), 'zh-CN'),
  topic: v.optional(v.pipe(v.string(), v.maxLength(200))),
  page: v.optional(PageSchema),
});
export type ConversationInput = v.InferInput<typeof ConversationInputSchema>;

export const ConversationSchema = v.object({
  id: Id,
  /** Bearer token for this conversation; also `?token=` on the event stream (EventSource sends no headers). */
  token: v.string(),
  createdAt: Timestamp,
  staffOnDuty: v.boolean(),
  replyPromise: ReplyPromiseSchema,
  /** Optional: the conversation's state now (`GET /conversations/{id}` sends it). */
  status: v.optional(v.picklist(['open', 'waiting', 'closed'])),
  /** Optional: the highest event `seq` now, 0 before any event (`GET /conversations/{id}` sends it). */
  lastSeq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
export type Conversation = v.InferOutput<typeof ConversationSchema>;

export const AUTHORS = ['resident', 'staff', 'system'] as const;
export const AuthorSchema = v.picklist(AUTHORS);
export type Author = v.InferOutput<typeof AuthorSchema>;

export const MessageInputSchema = v.object({
  clientId: v.pipe(v.string(), v.minLength(8), v.maxLength(LIMITS.clientIdMax)),
  text: NonEmptyText(LIMITS.messageMax),
  attachments: v.optional(v.array(Id), []),
});
export type MessageInput = v.InferInput<typeof MessageInputSchema>;

export const MessageSchema = v.object({
  id: Id,
  seq: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Present on resident messages: the id the client made before the first try. */
  clientId: v.optional(v.nullable(v.string())),
  author: AuthorSchema,
  /** Display name for staff (their department), absent for the resident. */
  authorName: v.optional(v.string()),
  text: v.string(),
  at: Timestamp,
  attachments: v.optional(v.array(AttachmentSchema), []),
  /**
   * On the system message of a work order filed from this chat (转工单): the request. The
   * conversation's token is its access token, so the chat's client adds it to My requests.
   */
  request: v.optional(v.object({ reference: Id, service: Id, type: RequestKindSchema })),
});
export type Message = v.InferOutput<typeof MessageSchema>;

const Seq = v.pipe(v.number(), v.integer(), v.minValue(1));

/** A stored conversation event; SSE `id:` and the polling cursor are its `seq`. */
export const ConversationEventSchema = v.variant('type', [
  v.object({ type: v.literal('message'), seq: Seq, at: Timestamp, message: MessageSchema }),
  v.object({ type: v.literal('routed'), seq: Seq, at: Timestamp, department: DepartmentSchema }),
  v.object({ type: v.literal('status'), seq: Seq, at: Timestamp, status: v.picklist(['open', 'waiting', 'closed']) }),
  v.object({ type: v.literal('read'), seq: Seq, at: Timestamp, by: AuthorSchema, upTo: Seq }),
  v.object({ type: v.literal('closed'), seq: Seq, at: Timestamp }),
]);
export type ConversationEvent = v.InferOutput<typeof ConversationEventSchema>;

/** Ephemeral: sent on the stream only, never stored, carries no `seq`. */
export const TypingEventSchema = v.object({ type: v.literal('typing'), author: AuthorSchema, typing: v.boolean() });
export type TypingEvent = v.InferOutput<typeof TypingEventSchema>;

export const StreamEventSchema = v.union([ConversationEventSchema, TypingEventSchema]);
export type StreamEvent = v.InferOutput<typeof StreamEventSchema>;

/** Answer to `GET /conversations/{id}/messages?after=seq` (catch-up and the polling fallback). */
export const EventsPageSchema = v.object({
  events: v.array(ConversationEventSchema),
  /** The highest seq in the conversation now. */
  lastSeq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  staffOnDuty: v.optional(v.boolean()),
});
export type EventsPage = v.InferOutput<typeof EventsPageSchema>;

export const TypingInputSchema = v.object({ typing: v.boolean() });
export const ReadInputSchema = v.object({ upTo: Seq });

/* ------------------------------------------------------------------ helpers */

/** The SSE event names, one per event `type`. */
export const STREAM_EVENT_NAMES = ['message', 'routed', 'status', 'read', 'closed', 'typing'] as const;

/** Formats valibot issues as `{field: message}` keyed by the dotted path (`contact.email`). */
export function issuesToFields(issues: readonly v.BaseIssue<unknown>[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = v.getDotPath(issue) ?? '_';
    fields[path] ??= issue.message;
  }
  return fields;
}
