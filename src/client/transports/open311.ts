/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) behind the client's Transport
 * interface: services and service definitions become the catalogue, `POST requests.json` files,
 * `GET tokens/{token}.json` finds the id of a `batch` request, `GET requests/{id}.json` tracks.
 * Chat, instant answers, uploads, feedback and reopen do not exist there: they reject with
 * `IntakeError('unsupported')`. docs/open311.md has the mapping and its limits.
 *
 * Open311 has no idempotency key. So before sending a POST again for an outbox item whose earlier
 * try may have been stored, the transport looks for it (`GET requests.json` by service and time,
 * matching the description) and adopts it instead; what it sent is remembered per item key in an
 * attempt log (localStorage when there is one), written before each POST.
 */
import * as v from 'valibot';
import {
  CatalogSchema,
  LIMITS,
  REQUEST_KINDS,
  type AnswersResponse,
  type Attachment,
  type Catalog,
  type Conversation,
  type EventsPage,
  type Field,
  type FieldValue,
  type LocationValue,
  type Message,
  type RequestCreated,
  type RequestDetail,
  type RequestInput,
  type RequestKind,
  type RequestStatus,
  type Service,
} from '../protocol.js';
import { IntakeError, codeForStatus, toIntakeError } from '../errors.js';
import { errorFromResponse, parseBody, DEFAULT_MAX_BYTES } from '../http.js';
import { parseRetryAfter } from '../retry.js';
import { i18n } from '../../i18n/i18n.js';
import type { XmlValue } from './open311-xml.js';
import type { CallOptions, RequestAuth, Transport, TransportNotice } from './transport.js';

/* ------------------------------------------------------------------ options */

/** What the transport remembers about a POST it sent for an outbox item (keyed by the item key). */
export interface Open311Attempt {
  key: string;
  /** When the first POST went out (ms since epoch, this device's clock). */
  firstSentAt: number;
  lastSentAt: number;
  /** A `batch` answer's token, to follow instead of sending again. */
  token?: string;
  /** The id, once known: a later call only reads it back. */
  reference?: string;
}

/** Where attempts are kept; the default survives reloads (localStorage), else lives in memory. */
export interface Open311AttemptLog {
  get(key: string): Open311Attempt | undefined;
  put(attempt: Open311Attempt): void;
  delete(key: string): void;
  /** Ids this device already filed or adopted: a lookup never adopts one of them twice. */
  claimed(): Set<string>;
  claim(id: string): void;
}

export interface Open311TransportOptions {
  /** GeoReport v2 base URL, e.g. `https://city.example/open311/v2` (a trailing slash is ignored). */
  endpoint: string;
  site: string;
  locale: string;
  timeoutMs: number;
  /** Sent as `jurisdiction_id` when given (only multi-jurisdiction servers need it). */
  jurisdiction?: string;
  /** Sent as `api_key` on POST. Visible to anyone who opens a page that carries it. */
  apiKey?: string;
  /** How long one call follows a `batch` token before giving the item back to the outbox (default 20 s). */
  tokenWaitMs?: number;
  /** First wait between token polls (default 1 s; grows to 5 s). */
  tokenPollMs?: number;
  /** Margin around the first try when looking for a request whose answer was lost (default 1 h: clock skew). */
  lookupMarginMs?: number;
  attemptLog?: Open311AttemptLog;
  /**
   * How a `multivaluelist` answer is sent. `brackets`: `attribute[code][]=a&attribute[code][]=b`
   * (the specification's form; PHP and Rails servers read only this). `repeat`:
   * `attribute[code]=a&attribute[code]=b` (mySociety's open311-adapter, FixMyStreet's own client).
   * `auto` (default): brackets, and when the server refuses them for such an attribute (the
   * adapter's "found value is a reference", or "required" for an attribute that was sent), the
   * same request is sent again repeated (a 400 filed nothing) and the server is known as such.
   */
  multiValue?: 'auto' | 'brackets' | 'repeat';
  /** `json`, `xml`, or `auto` (default): JSON, and XML where a server has no JSON (404/406/415/501 on `.json`). */
  format?: 'auto' | 'json' | 'xml';
  /** Read replies from the mySociety `servicerequestupdates` extension where the server has it (default true). */
  updates?: boolean;
}

/** The item was received (a token came back) but the server has no id for it yet. Retried later. */
export class WaitingForReferenceError extends IntakeError {
  constructor(readonly token: string, retryAfter: number) {
    super('waiting_for_reference', 'Received; the server has not given it a number yet', { retryAfter });
  }
  override get retryable(): boolean {
    return true;
  }
}

/* ------------------------------------------------------------------ Open311 shapes (lenient) */

/** Ids may arrive as numbers (the spec's own examples do); kept as strings from here on. */
const IdValue = v.pipe(v.union([v.string(), v.number()]), v.transform(String));
const OptionalText = v.optional(v.nullable(v.pipe(v.union([v.string(), v.number()]), v.transform(String))));
/** Some servers send booleans as strings. */
const Bool = v.pipe(
  v.union([v.boolean(), v.string(), v.number()]),
  v.transform((value) => value === true || value === 1 || /^(true|1|yes)$/i.test(String(value).trim())),
);
const Order = v.pipe(v.union([v.number(), v.string()]), v.transform(Number));
const Text = v.pipe(v.union([v.string(), v.number()]), v.transform(String));
/** One value or a list of them (`groups`, `media_url`): always a list of non-empty strings. */
const TextList = v.optional(
  v.nullable(v.pipe(v.union([Text, v.array(v.nullable(Text))]), v.transform((x) => (Array.isArray(x) ? x : [x]).map((t) => (t ?? '').trim()).filter(Boolean)))),
);

/** A list read item by item: one odd item (another app's half-filled request) is left out, not fatal. */
function lenientList<T>(item: v.GenericSchema<unknown, T>) {
  return v.pipe(
    v.array(v.unknown()),
    v.transform((items): T[] =>
      items.flatMap((x) => {
        const r = v.safeParse(item, x);
        return r.success ? [r.output] : [];
      }),
    ),
  );
}

const ServiceSchema311 = v.object({
  service_code: IdValue,
  service_name: OptionalText,
  description: OptionalText,
  metadata: v.optional(v.nullable(Bool)),
  type: OptionalText,
  keywords: OptionalText,
  group: OptionalText,
  /** mySociety's adapter sends `groups: [...]` instead of `group` for services in several groups. */
  groups: TextList,
});
export type Open311Service = v.InferOutput<typeof ServiceSchema311>;

const AttributeSchema311 = v.object({
  variable: v.optional(v.nullable(Bool)),
  code: IdValue,
  datatype: v.string(),
  required: v.optional(v.nullable(Bool)),
  datatype_description: OptionalText,
  order: v.optional(v.nullable(Order)),
  description: OptionalText,
  values: v.optional(v.nullable(v.array(v.object({ key: IdValue, name: OptionalText })))),
  /** mySociety's `server_set` / `hidden_field`: not for the resident to answer. */
  automated: OptionalText,
});
export type Open311Attribute = v.InferOutput<typeof AttributeSchema311>;

const DefinitionSchema311 = v.object({ service_code: v.optional(IdValue), attributes: v.optional(v.nullable(v.array(AttributeSchema311))) });
export type Open311Definition = v.InferOutput<typeof DefinitionSchema311>;

const ServiceRequestSchema311 = v.object({
  service_request_id: v.optional(v.nullable(IdValue)),
  status: OptionalText,
  status_notes: OptionalText,
  service_name: OptionalText,
  service_code: v.optional(v.nullable(IdValue)),
  description: OptionalText,
  agency_responsible: OptionalText,
  service_notice: OptionalText,
  requested_datetime: OptionalText,
  updated_datetime: OptionalText,
  expected_datetime: OptionalText,
  address: OptionalText,
  lat: v.optional(v.nullable(v.union([v.number(), v.string()]))),
  long: v.optional(v.nullable(v.union([v.number(), v.string()]))),
  media_url: TextList,
});
export type Open311ServiceRequest = v.InferInput<typeof ServiceRequestSchema311>;
type ServiceRequest311 = v.InferOutput<typeof ServiceRequestSchema311>;

/** One entry of mySociety's `servicerequestupdates` (what FixMyStreet syncs comments and statuses with). */
const UpdateSchema311 = v.object({
  update_id: v.optional(v.nullable(IdValue)),
  service_request_id: IdValue,
  status: OptionalText,
  description: OptionalText,
  updated_datetime: OptionalText,
  media_url: TextList,
});
export type Open311Update = v.InferInput<typeof UpdateSchema311>;
type Update311 = v.InferOutput<typeof UpdateSchema311>;

const PostAnswerSchema311 = v.array(
  v.object({ service_request_id: v.optional(v.nullable(IdValue)), token: v.optional(v.nullable(IdValue)), service_notice: OptionalText }),
);
const TokenAnswerSchema311 = v.array(v.object({ service_request_id: v.optional(v.nullable(IdValue)), token: v.optional(v.nullable(IdValue)) }));

/* ------------------------------------------------------------------ mapping helpers */

/** Open311 datatypes as our field types. */
export const OPEN311_DATATYPES: Record<string, Field['type']> = {
  string: 'text',
  text: 'textarea',
  number: 'number',
  datetime: 'datetime',
  singlevaluelist: 'single',
  multivaluelist: 'multi',
};

/** The attribute our reference server uses for the request kind (docs/open311.md). */
const KIND_ATTRIBUTE = 'request_type';

/** A few words the transport itself must supply (Open311 has no such data); the form may relabel. */
const WORDS: Record<string, { location: string; consent: string; kinds: Record<RequestKind, string> }> = {
  en: {
    location: 'Location',
    consent: 'This report goes to a public Open311 list: its description and location can be read by anyone. Keep personal details out of the description.',
    kinds: { consultation: 'Consultation', help: 'Help request', complaint: 'Complaint', suggestion: 'Suggestion' },
  },
  'zh-CN': {
    location: '地点',
    consent: '此诉求将提交到公开的 Open311 列表：其描述和地点任何人都能看到。请不要在描述中写个人信息。',
    kinds: { consultation: '咨询', help: '求助', complaint: '投诉', suggestion: '建议' },
  },
  'zh-HK': {
    location: '地點',
    consent: '此訴求將提交到公開的 Open311 列表：其描述和地點任何人都能看到。請不要在描述中寫個人資料。',
    kinds: { consultation: '諮詢', help: '求助', complaint: '投訴', suggestion: '建議' },
  },
  ug: {
    location: 'ئورۇن',
    consent: 'بۇ ئىلتىماس ئاشكارا Open311 تىزىملىكىگە يوللىنىدۇ: ئۇنىڭ چۈشەندۈرۈشى ۋە ئورنىنى ھەركىم كۆرەلەيدۇ. چۈشەندۈرۈشكە شەخسىي ئۇچۇر يازماڭ.',
    kinds: { consultation: 'مەسلىھەت', help: 'ياردەم سوراش', complaint: 'شىكايەت', suggestion: 'تەكلىپ' },
  },
};
const words = (locale: string) => WORDS[locale] ?? WORDS[locale.split('-')[0] ?? ''] ?? WORDS['en']!;

/** An attribute code as a field id our schema takes (`WHISHETN` → `whishetn`); unique per service. */
function fieldIdFor(code: string, taken: Set<string>): string {
  let id = code.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+/, '');
  if (!/^[a-z]/.test(id)) id = `a_${id}`;
  id = id.slice(0, 60);
  let unique = id;
  for (let n = 2; taken.has(unique); n++) unique = `${id}_${n}`;
  taken.add(unique);
  return unique;
}

/** How a service's fields map back onto Open311 parameters. */
export interface ServiceMap {
  /** field id → attribute code */
  attributes: Map<string, { code: string; multi: boolean }>;
  locationField: string;
  /** Whether the service carries the request kind as `attribute[request_type]`. */
  kindAttribute: boolean;
  /** `variable: false`, `required: true` attributes whose definition gives the value: sent as they are. */
  constants: [code: string, value: string][];
  /** Codes the resident cannot answer (automated, `variable: false`): an error naming one is no field's. */
  fixed: string[];
}

/** Text for a label or hint: some servers put HTML in descriptions (`<p>…</p>`); shown as plain text. */
function plain(text: string | null | undefined): string {
  return (text ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface MappedService {
  service: Service;
  map: ServiceMap;
}

/** One service (and its definition, when it has one) as a catalogue service. Exported for tests. */
export function mapService(raw: Open311Service, rawDefinition: Open311Definition | undefined, locale: string): MappedService {
  // Parsed again here so raw JSON (numeric keys, string booleans) maps the same as a fetched answer.
  const s = v.parse(ServiceSchema311, raw);
  const definition = rawDefinition === undefined ? undefined : v.parse(DefinitionSchema311, rawDefinition);
  const taken = new Set<string>();
  const attributes = new Map<string, { code: string; multi: boolean }>();
  const fields: Field[] = [];
  let kinds: RequestKind[] = ['help'];
  let kindAttribute = false;
  const constants: [string, string][] = [];
  const fixed: string[] = [];
  const list = [...(definition?.attributes ?? [])]
    .map((a, index) => ({ a, index }))
    .sort((x, y) => (orderOf(x.a) - orderOf(y.a)) || x.index - y.index)
    .map(({ a }) => a);
  for (const a of list) {
    const type = OPEN311_DATATYPES[a.datatype.trim().toLowerCase()];
    if (!type) continue; // unknown datatypes are ignored
    const options = (a.values ?? []).map((value) => ({ value: value.key, label: value.name ?? value.key }));
    const variable = a.variable ?? true;
    // A required constant (`variable: false`) goes with every request: the server refuses it missing.
    if (!variable && a.required && options.length) constants.push([a.code, options[0]!.value]);
    if (!variable || a.automated?.trim()) fixed.push(a.code);
    // Set by the server or the app's own code (mySociety's `automated`): never asked of a resident.
    if (a.automated?.trim()) continue;
    // Our reference server's kind attribute: the form's own kind choice, not a field.
    if (variable && a.code === KIND_ATTRIBUTE && type === 'single' && options.length && options.every((o) => (REQUEST_KINDS as readonly string[]).includes(o.value))) {
      kinds = options.map((o) => o.value as RequestKind);
      kindAttribute = true;
      continue;
    }
    const id = fieldIdFor(a.code, taken);
    const label = plain(a.description) || a.code;
    const field: Field = { id, type: variable ? type : 'text', label, required: variable && (a.required ?? false), readOnly: !variable };
    const hint = plain(a.datatype_description);
    if (hint) field.hint = hint;
    if (variable && options.length) field.options = options;
    fields.push(field);
    if (variable) attributes.set(id, { code: a.code, multi: type === 'multi' });
  }
  // Every GeoReport v2 request needs a location (lat/long or address_string).
  const locationField = fieldIdFor('location', taken);
  fields.push({ id: locationField, type: 'location', label: words(locale).location, required: true, readOnly: false });
  const service: Service = {
    id: s.service_code,
    name: s.service_name?.trim() || s.service_code,
    // One group per service here: the first; the others are search words.
    group: s.group?.trim() || s.groups?.[0] || '',
    description: plain(s.description),
    kinds,
    keywords: [...(s.keywords ?? '').split(','), ...(s.groups ?? []).slice(1)].map((k) => k.trim()).filter(Boolean),
    fields,
  };
  return { service, map: { attributes, locationField, kindAttribute, constants, fixed } };
}

function orderOf(a: Open311Attribute): number {
  return typeof a.order === 'number' && Number.isFinite(a.order) ? a.order : Number.MAX_SAFE_INTEGER;
}

/** Builds the catalogue from a service list and the definitions fetched for it. Exported for tests. */
export function buildCatalog(
  services: Open311Service[],
  definitions: Map<string, Open311Definition>,
  options: { site: string; jurisdiction?: string; locale: string },
): { catalog: Catalog; maps: Map<string, ServiceMap> } {
  const maps = new Map<string, ServiceMap>();
  const mapped = services.map((s) => {
    const m = mapService(s, definitions.get(s.service_code), options.locale);
    maps.set(m.service.id, m.map);
    return m.service;
  });
  const used = new Set(mapped.flatMap((s) => s.kinds));
  const w = words(options.locale);
  const raw = {
    protocol: '1',
    locale: options.locale,
    site: { id: options.site, name: options.jurisdiction ?? options.site, replyPromise: { hours: 0, text: '' } },
    capabilities: { chat: false, answers: false, attachments: false, feedback: false, staffOnDuty: false },
    requestTypes: REQUEST_KINDS.filter((k) => used.has(k)).map((k) => ({ id: k, label: w.kinds[k], description: '' })),
    services: mapped,
    limits: { descriptionMax: LIMITS.descriptionMax, messageMax: LIMITS.messageMax },
    consent: { version: 'open311', text: w.consent },
  };
  const parsed = v.safeParse(CatalogSchema, raw);
  if (!parsed.success) throw new IntakeError('invalid_response', `The Open311 services do not make a catalogue at ${v.getDotPath(parsed.issues[0]!) ?? ''}`);
  return { catalog: parsed.output, maps };
}

/** Looks like HTML markup or an entity: GeoReport v2 descriptions are plain text. */
export const HTML_LIKE = /<\s*\/?\s*[a-z!?][^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;

/** Field problems Open311 would refuse, found before anything is queued. */
export function checkOpen311Request(input: RequestInput): Record<string, string> | undefined {
  if (HTML_LIKE.test(input.description)) return { description: 'Plain text only: no HTML' };
  return undefined;
}

/**
 * Open311's `open`/`closed` and mySociety's extended statuses (FixMyStreet, open311-adapter) as
 * ours; `IN_PROGRESS`, `in progress` and `in_progress` alike. Undefined: unknown or `unchanged`.
 */
const STATUSES: Record<string, RequestStatus> = {
  open: 'received',
  for_triage: 'received',
  investigating: 'in_progress',
  in_progress: 'in_progress',
  planned: 'in_progress',
  action_scheduled: 'in_progress',
  internal_referral: 'in_progress',
  reopen: 'in_progress',
  reopened: 'in_progress',
  fixed: 'resolved',
  closed: 'closed',
  duplicate: 'closed',
  not_councils_responsibility: 'closed',
  no_further_action: 'closed',
  cancelled: 'closed',
};
export function open311Status(status: string | null | undefined): RequestStatus | undefined {
  return STATUSES[(status ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_')];
}

function statusOf(r: ServiceRequest311, updates: Update311[] = []): RequestStatus {
  const newest = [...updates].reverse().find((u) => open311Status(u.status));
  const own = open311Status(r.status) ?? 'received';
  // A plain `open` says less than an update's `investigating`; an update newer than the request's wins.
  let status = newest && (own === 'received' || (Date.parse(newest.updated_datetime ?? '') || 0) >= (Date.parse(r.updated_datetime ?? '') || 0)) ? open311Status(newest.status)! : own;
  if (status === 'received' && r.agency_responsible?.trim()) status = 'routed';
  return status;
}

/** A W3C date-time as ISO 8601 UTC; undefined when missing or unreadable. */
function isoOf(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function department(r: ServiceRequest311): { id: string; name: string } {
  const name = r.agency_responsible?.trim() ?? '';
  return { id: name || 'open311', name };
}

/**
 * An Open311 service request as our request detail, with its `servicerequestupdates` (oldest
 * first) when the server has them: each update's status is a timeline step, its text a reply.
 * Exported for tests.
 */
export function detailOf(raw: Open311ServiceRequest, site: { id: string; name: string }, fallbackId = '', rawUpdates: Open311Update[] = []): RequestDetail {
  const r = v.parse(ServiceRequestSchema311, raw);
  const id = r.service_request_id ?? fallbackId;
  const updates = rawUpdates
    .flatMap((u) => {
      const parsed = v.safeParse(UpdateSchema311, u);
      return parsed.success && parsed.output.service_request_id === id ? [parsed.output] : [];
    })
    .sort((a, b) => (Date.parse(a.updated_datetime ?? '') || 0) - (Date.parse(b.updated_datetime ?? '') || 0));
  const status = statusOf(r, updates);
  const createdAt = isoOf(r.requested_datetime) ?? isoOf(r.updated_datetime) ?? new Date(0).toISOString();
  let updatedAt = isoOf(r.updated_datetime) ?? createdAt;
  const dept = department(r);
  const withDept = dept.name ? { department: dept } : {};
  const timeline: RequestDetail['timeline'] = [{ at: createdAt, status: 'received' }];
  if (dept.name) timeline.push({ at: createdAt, status: 'routed', department: dept });
  const replies: RequestDetail['replies'] = [];
  let last: RequestStatus = timeline[timeline.length - 1]!.status;
  for (const u of updates) {
    const at = isoOf(u.updated_datetime) ?? updatedAt;
    if (at > updatedAt) updatedAt = at;
    const step = open311Status(u.status);
    if (step && step !== last && step !== 'received') {
      timeline.push({ at, status: step, ...withDept });
      last = step;
    }
    const text = u.description?.trim();
    if (text) replies.push({ id: `${id}:update:${u.update_id ?? replies.length}`, at, department: dept, text });
  }
  if (status !== last && (status === 'closed' || status === 'resolved' || status === 'in_progress')) timeline.push({ at: updatedAt, status, ...withDept });
  const notes = r.status_notes?.trim();
  // status_notes: the newest word from the agency, unless an update already says it.
  if (notes && !replies.some((reply) => reply.text === notes)) replies.push({ id: `${id}:status_notes`, at: isoOf(r.updated_datetime) ?? updatedAt, department: dept, text: notes });
  return {
    id,
    reference: id,
    site,
    service: { id: r.service_code ?? '', name: r.service_name ?? r.service_code ?? '' },
    // Open311 has no request kinds.
    type: 'help',
    status,
    routedTo: dept,
    description: r.description ?? '',
    createdAt,
    updatedAt,
    replyBy: isoOf(r.expected_datetime) ?? null,
    timeline,
    replies,
    attachments: [],
    feedback: null,
    awaitingFeedback: false,
    canReopen: false,
  };
}

const PARAMETERS = ['lat', 'long', 'address_string', 'address_id', 'address', 'email', 'phone', 'first_name', 'last_name', 'description', 'service_code', 'media_url', 'jurisdiction_id', 'api_key'];

/** Our field path for an Open311 parameter name (`attribute[x]`, `lat`, `email`…); undefined for none. */
function pathOfName(name: string, map: ServiceMap | undefined): string | undefined {
  const attribute = /^attribute\[([^\]]+)\]/.exec(name);
  if (attribute) {
    const code = attribute[1]!;
    if (code === KIND_ATTRIBUTE && map?.kindAttribute) return 'type';
    // Not the resident's to answer (e.g. a required `server_set` easting): a refusal of the request, no field's.
    if (map?.fixed.includes(code)) return undefined;
    const id = map ? [...map.attributes].find(([, a]) => a.code === code)?.[0] : undefined;
    return `fields.${id ?? code.toLowerCase()}`;
  }
  const lead = name.toLowerCase();
  if (['lat', 'long', 'address_string', 'address_id', 'address', 'location'].includes(lead)) return `fields.${map?.locationField ?? 'location'}`;
  if (lead === 'email' || lead === 'phone') return `contact.${lead}`;
  if (lead === 'first_name' || lead === 'last_name') return 'contact.name';
  if (lead === 'description') return 'description';
  if (lead === 'service_code') return 'service';
  if (lead === 'media_url') return 'attachments';
  return undefined;
}

/** Where an Open311 error description names a parameter: our field path for it. Exported for tests. */
export function fieldOfDescription(description: string, map: ServiceMap | undefined): { path?: string; message: string } {
  const text = description.trim();
  const attribute = /attribute\[([^\]]+)\](?:\[\])?/.exec(text);
  let name: string | undefined;
  if (attribute) name = attribute[0];
  else {
    const lead = /^([a-z_]+)\b/i.exec(text)?.[1]?.toLowerCase();
    if (lead && PARAMETERS.includes(lead)) name = lead;
  }
  const path = name ? pathOfName(name, map) : undefined;
  // "name: message" → "message"; otherwise the server's words as they are (meant for the user).
  const message = name && text.startsWith(name) ? text.slice(name.length).replace(/^\s*[:：\-–]?\s*/, '') || text : text;
  return { path, message };
}

/**
 * Text meant for developers, not residents: a validator's dump (Data::Rx in mySociety's adapter:
 * `Failed //rec: found value is a reference (error: [...]) at $data->{"attribute[bins][]"}`,
 * Perl's Data::Dumper `$VAR1`, a Python traceback), or anything too long to be a message.
 */
const RAW = /\bFailed (?:tag:|\/\/)|\(error: \[|\$data\b|\$VAR\d|Error in (?:input|output) for|Traceback \(most recent|found value (?:is|isn)|matched none of|no value given for|unexpected entr/i;
export function isRawDump(text: string): boolean {
  return RAW.test(text) || text.length > 300;
}

/** "The city's system did not accept this": the resident's words for a refusal we cannot show as it is. */
function notAccepted(locale: string): string {
  return i18n.t('form.errors.notAccepted', { lng: locale, defaultValue: 'the city’s system did not accept this answer; check it and send again' });
}

/** One problem an error body names: a parameter name when the shape gives one, and its words. */
interface Problem {
  name?: string;
  text: string;
}

/**
 * Every shape of error body seen from deployed servers, as problems: the specification's
 * `[{code, description}]` (also in XML, `<errors><error>`), 6aika's Django REST framework
 * `{"code":400,"detail":{"lat":["A valid number is required."]}}`, `{"detail":["Invalid API key"]}`
 * and `{"detail":"Not found."}`, DRF's plain `{"email":["…"],"non_field_errors":["…"]}`.
 */
export function problemsOf(body: unknown, name?: string): Problem[] {
  if (body === null || body === undefined) return [];
  if (typeof body === 'string' || typeof body === 'number') {
    const text = String(body).trim();
    return text ? [{ ...(name ? { name } : {}), text }] : [];
  }
  if (Array.isArray(body)) return body.flatMap((item) => problemsOf(item, name));
  if (typeof body !== 'object') return [];
  const record = body as Record<string, unknown>;
  // {code, description}: the specification's entry (a field named `description` holds a list instead).
  if (typeof record['description'] === 'string') return problemsOf(record['description'], name);
  if ('detail' in record) return problemsOf(record['detail'], name);
  if ('errors' in record) return problemsOf(record['errors'], name);
  return Object.entries(record).flatMap(([key, value]) => (key === 'code' || key === 'status' ? [] : problemsOf(value, key === 'non_field_errors' ? name : key)));
}

/** Whether a body is XML rather than JSON (a leading `<`, after a BOM and white space). */
function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*</.test(text);
}

/** XML read into the JSON shapes; the reader is its own chunk, loaded only for a server that sends XML. */
async function readXml(text: string, list: boolean): Promise<XmlValue> {
  const { readOpen311Xml } = await import('./open311-xml.js');
  return readOpen311Xml(text, list);
}

/**
 * An Open311 error answer as an IntakeError, with field paths where the body names a parameter.
 * `xml`: the body already read from XML (see open311-xml.ts), for an XML answer.
 */
export function open311Error(response: { status: number; headers: Headers; statusText?: string }, text: string, map?: ServiceMap, locale = 'en', xml?: unknown): IntakeError {
  let body: unknown = xml;
  try {
    body ??= looksLikeXml(text) ? undefined : (JSON.parse(text) as unknown);
  } catch {
    // neither: the status speaks
  }
  const problems = body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && 'error' in body && !('errors' in body)) ? [] : problemsOf(body);
  if (!problems.length) return errorFromResponse(response, text);
  const fields: Record<string, string> = {};
  const messages: string[] = [];
  let raw = false;
  for (const problem of problems) {
    const dump = isRawDump(problem.text);
    raw ||= dump;
    let { path, message } = problem.name ? { path: pathOfName(problem.name, map), message: problem.text } : fieldOfDescription(problem.text, map);
    // A dump that says a value is missing: "required", which the form words as its own "Choose …".
    if (dump) message = /no value given for required/i.test(problem.text) ? 'required' : notAccepted(locale);
    else messages.push(problem.name && !path ? `${problem.name}: ${problem.text}` : problem.text);
    if (path) fields[path] ??= message;
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const named = Object.keys(fields).length > 0;
  const code = named && response.status === 400 ? 'validation_failed' : codeForStatus(response.status);
  // A dump is never the message: the resident's words instead; what it said stays in `cause` for developers.
  return new IntakeError(code, messages.join('; ') || (raw ? notAccepted(locale) : `HTTP ${response.status}`), {
    status: response.status,
    cause: { open311: problems },
    ...(named ? { fields } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  });
}

/** The problems an Open311 error was made of (see open311Error), for the transport's own checks. */
function problemsIn(error: IntakeError): Problem[] {
  const cause = (error as { cause?: unknown }).cause;
  return cause && typeof cause === 'object' && 'open311' in cause ? ((cause as { open311: Problem[] }).open311 ?? []) : [];
}

/* ------------------------------------------------------------------ the attempt log */

const LOG_PREFIX = 'intake-open311-attempt:';
const CLAIMED_PREFIX = 'intake-open311-claimed:';
/** Attempts and claimed ids older than this are forgotten. */
const LOG_TTL_MS = 30 * 24 * 3600_000;

/** localStorage when it works (it survives reloads, and writes at once, even on `pagehide`), else memory. */
export function defaultAttemptLog(scope: string): Open311AttemptLog {
  const memory = new Map<string, string>();
  let storage: Storage | undefined;
  try {
    storage = typeof localStorage !== 'undefined' ? localStorage : undefined;
    storage?.setItem(`${LOG_PREFIX}probe`, '1');
    storage?.removeItem(`${LOG_PREFIX}probe`);
  } catch {
    storage = undefined;
  }
  const read = (name: string): string | null => {
    try {
      return storage ? storage.getItem(name) : (memory.get(name) ?? null);
    } catch {
      return memory.get(name) ?? null;
    }
  };
  const write = (name: string, value: string | null): void => {
    try {
      if (!storage) throw new Error('no storage');
      if (value === null) storage.removeItem(name);
      else storage.setItem(name, value);
    } catch {
      if (value === null) memory.delete(name);
      else memory.set(name, value);
    }
  };
  const claimedName = `${CLAIMED_PREFIX}${scope}`;
  const readClaimed = (): [string, number][] => {
    try {
      const list = JSON.parse(read(claimedName) ?? '[]') as [string, number][];
      return Array.isArray(list) ? list.filter((e) => Array.isArray(e) && Date.now() - Number(e[1]) < LOG_TTL_MS) : [];
    } catch {
      return [];
    }
  };
  // Forget old attempts once per page.
  try {
    for (let i = (storage?.length ?? 0) - 1; i >= 0; i--) {
      const name = storage?.key(i);
      if (!name?.startsWith(LOG_PREFIX)) continue;
      const attempt = JSON.parse(storage?.getItem(name) ?? 'null') as Open311Attempt | null;
      if (!attempt || Date.now() - attempt.lastSentAt > LOG_TTL_MS) storage?.removeItem(name);
    }
  } catch {
    // best effort
  }
  return {
    get(key) {
      try {
        const raw = read(LOG_PREFIX + key);
        return raw ? (JSON.parse(raw) as Open311Attempt) : undefined;
      } catch {
        return undefined;
      }
    },
    put(attempt) {
      write(LOG_PREFIX + attempt.key, JSON.stringify(attempt));
    },
    delete(key) {
      write(LOG_PREFIX + key, null);
    },
    claimed() {
      return new Set(readClaimed().map(([id]) => id));
    },
    claim(id) {
      const list = readClaimed().filter(([known]) => known !== id);
      list.push([id, Date.now()]);
      write(claimedName, JSON.stringify(list.slice(-500)));
    },
  };
}

/* ------------------------------------------------------------------ the transport */

type Query = Record<string, string | undefined>;
type Format = 'json' | 'xml';

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
/** What a `.json` call answers on a server without JSON: the same call in `.xml` is tried once. */
const NO_FORMAT = new Set([404, 406, 415, 501]);
/** Pages of `GET requests` followed in one lookup (6aika lists 100 a page, newest first). */
const MAX_PAGES = 10;

interface CallExtra {
  form?: URLSearchParams;
  map?: ServiceMap;
  /** The answer is a list (XML: the root's children are its items). */
  list?: boolean;
  /** A whole URL to call as it is (a server's `X-Next-Page-URL`). */
  absolute?: string;
}

export class Open311Transport implements Transport {
  readonly kind = 'open311' as const;
  readonly supportsChat = false;
  /** Set by the client: hears "received, waiting for a number" while a call follows a token. */
  onNotice?: (notice: TransportNotice) => void;
  private readonly base: string;
  private readonly log: Open311AttemptLog;
  /** What the last catalogue said about each service, for mapping fields back on submit. */
  private readonly maps = new Map<string, ServiceMap>();
  private readonly definitionCache = new Map<string, Promise<Open311Definition | undefined>>();
  /** The format the server answers in, once known (from the option, or the first answer). */
  private format: Format | undefined;
  /** How this server reads multi-value attributes, once known. */
  private multiValue: 'brackets' | 'repeat' | undefined;
  /** Whether the server has `servicerequestupdates` (undefined: not asked yet). */
  private hasUpdates: boolean | undefined;

  constructor(private readonly options: Open311TransportOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
    this.log = options.attemptLog ?? defaultAttemptLog(`${this.base}|${options.jurisdiction ?? ''}`);
    if (options.format === 'json' || options.format === 'xml') this.format = options.format;
    if (options.multiValue === 'brackets' || options.multiValue === 'repeat') this.multiValue = options.multiValue;
    if (options.updates === false) this.hasUpdates = false;
  }

  /** A resource's URL: `path` without its format (`/services`), in `format` (default: the server's). */
  url(path: string, query: Query = {}, format: Format = this.format ?? 'json'): string {
    const params = new URLSearchParams();
    if (this.options.jurisdiction) params.set('jurisdiction_id', this.options.jurisdiction);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
    const qs = params.toString();
    return `${this.base}${path}.${format}${qs ? `?${qs}` : ''}`;
  }

  checkRequest(input: RequestInput): Record<string, string> | undefined {
    return checkOpen311Request(input);
  }

  /* ---------------------------------------------------------------- reads */

  async catalog(options: CallOptions = {}): Promise<Catalog> {
    const services = await this.get('/services', {}, lenientList(ServiceSchema311), options, true);
    const definitions = new Map<string, Open311Definition>();
    const wanted = services.filter((s) => s.metadata === true);
    // A few definitions at a time: a city may list dozens of services.
    for (let i = 0; i < wanted.length; i += 4) {
      const batch = wanted.slice(i, i + 4);
      const found = await Promise.all(batch.map((s) => this.definition(s.service_code, options, true)));
      batch.forEach((s, n) => {
        const d = found[n];
        if (d) definitions.set(s.service_code, d);
      });
    }
    const { catalog, maps } = buildCatalog(services, definitions, {
      site: this.options.site,
      jurisdiction: this.options.jurisdiction,
      locale: this.options.locale,
    });
    for (const [code, map] of maps) this.maps.set(code, map);
    return catalog;
  }

  async getRequest(reference: string, _auth: RequestAuth, options: CallOptions = {}): Promise<RequestDetail> {
    const list = await this.get(`/requests/${encodeURIComponent(reference)}`, {}, lenientList(ServiceRequestSchema311), options, true);
    const found = list.find((r) => r.service_request_id === reference) ?? list[0];
    if (!found) throw new IntakeError('not_found', 'No such request', { status: 404 });
    const updates = await this.updatesFor(found, reference, options);
    return detailOf(found, this.siteRef(), reference, updates);
  }

  /**
   * The request's entries in mySociety's `servicerequestupdates` (a council's answers often live
   * only there): asked once per page life whether the server has it; any failure is no updates.
   */
  private async updatesFor(r: ServiceRequest311, id: string, options: CallOptions): Promise<Update311[]> {
    if (this.hasUpdates === false) return [];
    const from = Date.parse(r.requested_datetime ?? '');
    const start = Number.isNaN(from) ? Date.now() - 90 * 86_400_000 : from - 60_000;
    try {
      const list = await this.get('/servicerequestupdates', {
        start_date: w3c(start),
        end_date: w3c(Date.now() + 60_000),
        ...(this.options.apiKey ? { api_key: this.options.apiKey } : {}),
      }, lenientList(UpdateSchema311), { ...options, timeoutMs: Math.min(options.timeoutMs ?? this.options.timeoutMs, 8000) }, true);
      this.hasUpdates = true;
      return list.filter((u) => u.service_request_id === id);
    } catch (thrown) {
      const error = toIntakeError(thrown);
      if (error.code === 'aborted' && options.signal?.aborted) throw error;
      // 404/400/501: not offered. Anything else: not now; the request itself still shows.
      if (error.status !== undefined && error.status < 500) this.hasUpdates = false;
      return [];
    }
  }

  /* ---------------------------------------------------------------- filing */

  /**
   * Files a request once. `key` is the outbox item's key: the transport remembers, per key, that
   * it sent a POST (before sending it), its token and its id, so a retry follows the token or
   * looks the request up instead of filing a second one.
   */
  async createRequest(input: RequestInput, key: string, options: CallOptions = {}): Promise<RequestCreated> {
    const earlier = this.log.get(key);
    if (options.keepalive && earlier) {
      // Leaving the page: a lookup cannot finish, and a blind second POST could file twice.
      throw new IntakeError('aborted', 'Not sent again while the page closes');
    }
    if (earlier?.reference) return this.created(earlier.reference, undefined, options);
    if (earlier?.token) return this.followToken(earlier, undefined, options);
    if (earlier) {
      const found = await this.findLost(input, earlier, options);
      if (found?.service_request_id) {
        this.remember({ ...earlier, reference: found.service_request_id });
        return createdFrom(found, found.service_request_id);
      }
    }

    const now = Date.now();
    const attempt: Open311Attempt = { key, firstSentAt: earlier?.firstSentAt ?? now, lastSentAt: now };
    let answer: v.InferOutput<typeof PostAnswerSchema311>;
    try {
      const map = await this.mapFor(input, options);
      const style = this.multiValue ?? 'brackets';
      this.log.put(attempt);
      try {
        answer = await this.post(this.form(input, map, style), map, options);
      } catch (thrown) {
        const error = toIntakeError(thrown);
        // A 400 filed nothing: a server that did not read `attribute[x][]` gets the repeated form once.
        if (style !== 'brackets' || this.multiValue || error.status !== 400 || !refusedBrackets(error, input, map)) throw error;
        answer = await this.post(this.form(input, map, 'repeat'), map, options);
        this.multiValue = 'repeat';
      }
    } catch (thrown) {
      const error = toIntakeError(thrown);
      // Refused for good: nothing was filed, so nothing to look for later.
      if (!error.retryable && error.code !== 'aborted' && error.status !== undefined) this.log.delete(key);
      throw error;
    }
    const first = answer.find((a) => a.service_request_id || a.token) ?? answer[0];
    const notice = first?.service_notice ?? undefined;
    if (first?.service_request_id) {
      this.remember({ ...attempt, reference: first.service_request_id });
      return this.created(first.service_request_id, notice, options);
    }
    if (first?.token) {
      const withToken = { ...attempt, token: first.token };
      this.log.put(withToken);
      return this.followToken(withToken, notice, options);
    }
    // A `blackbox` service: filed, but no id will ever come back; nothing to track.
    this.log.delete(key);
    return {
      id: '',
      reference: '',
      status: 'received',
      routedTo: { id: 'open311', name: '' },
      accessToken: '',
      createdAt: new Date(now).toISOString(),
      ...(notice ? { replyPromise: { hours: 0, text: notice } } : {}),
    };
  }

  private post(form: URLSearchParams, map: ServiceMap | undefined, options: CallOptions): Promise<v.InferOutput<typeof PostAnswerSchema311>> {
    return this.negotiate((format) => this.call('POST', this.url('/requests', {}, format), PostAnswerSchema311, options, { form, map, list: true }));
  }

  /** The id for a token: polled until it appears, for at most `tokenWaitMs` in one call. */
  private async followToken(attempt: Open311Attempt, notice: string | undefined, options: CallOptions): Promise<RequestCreated> {
    const token = attempt.token!;
    this.onNotice?.({ key: attempt.key, type: 'waiting_for_reference', token });
    const deadline = Date.now() + (this.options.tokenWaitMs ?? 20_000);
    let wait = this.options.tokenPollMs ?? 1000;
    for (;;) {
      try {
        const list = await this.get(`/tokens/${encodeURIComponent(token)}`, {}, TokenAnswerSchema311, options, true);
        const id = list.find((t) => t.service_request_id)?.service_request_id;
        if (id) {
          this.remember({ ...attempt, reference: id });
          return this.created(id, notice, options);
        }
      } catch (thrown) {
        const error = toIntakeError(thrown);
        // 404: some servers know a token only once it is processed; keep waiting. Others: the outbox decides.
        if (error.status !== 404) throw error;
      }
      if (Date.now() + wait > deadline) throw new WaitingForReferenceError(token, Math.max(5, Math.round(wait / 1000)));
      await sleep(wait, options.signal);
      wait = Math.min(5000, Math.round(wait * 1.5));
    }
  }

  /** The answer the outbox keeps: the id, with what a read adds (best effort: the id is what counts). */
  private async created(id: string, notice: string | undefined, options: CallOptions): Promise<RequestCreated> {
    try {
      const list = await this.get(`/requests/${encodeURIComponent(id)}`, {}, lenientList(ServiceRequestSchema311), {
        ...options,
        timeoutMs: Math.min(options.timeoutMs ?? this.options.timeoutMs, 8000),
      }, true);
      const found = list.find((r) => r.service_request_id === id) ?? list[0];
      if (found) return createdFrom(found, id, notice);
    } catch (thrown) {
      if (toIntakeError(thrown).code === 'aborted' && options.signal?.aborted) throw thrown;
    }
    return createdFrom({ service_request_id: id, service_notice: notice ?? null, media_url: [] }, id, notice);
  }

  /**
   * An earlier try's request, if the server lists it: same service, same description, in the time
   * window. Pages are followed (`X-Next-Page-URL`, or `X-Page-Count` with `page`), and an item that
   * is not a request we can read is left out: one odd request never makes the retry fail.
   */
  private async findLost(input: RequestInput, attempt: Open311Attempt, options: CallOptions): Promise<ServiceRequest311 | undefined> {
    const margin = this.options.lookupMarginMs ?? 3600_000;
    const from = attempt.firstSentAt - margin;
    const to = Date.now() + margin;
    const list: ServiceRequest311[] = [];
    const query = { service_code: input.service, start_date: w3c(from), end_date: w3c(to) };
    try {
      let page = await this.negotiate((format) => this.exchange('GET', this.url('/requests', query, format), lenientList(ServiceRequestSchema311), options, { list: true }));
      const seen = new Set<string>();
      for (let n = 1; ; n++) {
        list.push(...page.value);
        if (n >= MAX_PAGES) break;
        const next = nextPage(page.headers, this.url('/requests', query), n);
        if (!next || seen.has(next)) break;
        seen.add(next);
        page = await this.exchange('GET', next, lenientList(ServiceRequestSchema311), options, { list: true, absolute: next });
      }
    } catch (thrown) {
      const error = toIntakeError(thrown);
      // A server that cannot list requests: nothing to find; the POST goes again (see docs/open311.md).
      if (error.retryable || error.code === 'aborted') throw error;
      if (!list.length) return undefined;
    }
    const claimed = this.log.claimed();
    const wanted = normalise(input.description);
    const place = locationOf(input);
    const matches = list.filter((r) => {
      if (!r.service_request_id || claimed.has(r.service_request_id)) return false;
      if (r.service_code && r.service_code !== input.service) return false;
      if (normalise(r.description ?? '') !== wanted) return false;
      const at = r.requested_datetime ? Date.parse(r.requested_datetime) : NaN;
      if (!Number.isNaN(at) && (at < from || at > to)) return false;
      return samePlace(r, place);
    });
    matches.sort((a, b) => (Date.parse(a.requested_datetime ?? '') || 0) - (Date.parse(b.requested_datetime ?? '') || 0));
    return matches[0];
  }

  private remember(attempt: Open311Attempt): void {
    this.log.put(attempt);
    if (attempt.reference) this.log.claim(attempt.reference);
  }

  /** The service's map; after a reload, before any catalogue, learnt again from its definition. */
  private async mapFor(input: RequestInput, options: CallOptions): Promise<ServiceMap | undefined> {
    if (!this.maps.has(input.service)) {
      const definition = await this.definition(input.service, options, false);
      if (definition || Object.keys(input.fields ?? {}).length) this.maps.set(input.service, mapService({ service_code: input.service }, definition, this.options.locale).map);
    }
    return this.maps.get(input.service);
  }

  /** The form-encoded body of `POST requests`. */
  private form(input: RequestInput, map: ServiceMap | undefined, style: 'brackets' | 'repeat'): URLSearchParams {
    const form = new URLSearchParams();
    if (this.options.jurisdiction) form.set('jurisdiction_id', this.options.jurisdiction);
    if (this.options.apiKey) form.set('api_key', this.options.apiKey);
    form.set('service_code', input.service);
    const fields = input.fields ?? {};
    if (map?.kindAttribute && input.type) form.set(`attribute[${KIND_ATTRIBUTE}]`, input.type);
    for (const [code, value] of map?.constants ?? []) form.set(`attribute[${code}]`, value);
    for (const [id, value] of Object.entries(fields)) {
      if (isLocation(value)) {
        appendLocation(form, value);
        continue;
      }
      const attribute = map?.attributes.get(id);
      const code = attribute?.code ?? id;
      if (Array.isArray(value)) {
        for (const item of value) form.append(style === 'repeat' ? `attribute[${code}]` : `attribute[${code}][]`, item);
      } else if (value !== '' && value !== undefined && value !== null) {
        form.set(`attribute[${code}]`, String(value));
      }
    }
    form.set('description', input.description.trim().slice(0, LIMITS.descriptionMax));
    const contact = input.contact;
    if (contact?.name?.trim()) {
      const name = contact.name.trim();
      const space = name.indexOf(' ');
      form.set('first_name', space > 0 ? name.slice(0, space) : name);
      if (space > 0) form.set('last_name', name.slice(space + 1).trim());
    }
    if (contact?.email?.trim()) form.set('email', contact.email.trim());
    if (contact?.phone?.trim()) form.set('phone', contact.phone.trim());
    return form;
  }

  /** A service definition; undefined when the server has none for it (404). */
  private definition(code: string, options: CallOptions, fresh: boolean): Promise<Open311Definition | undefined> {
    const cached = fresh ? undefined : this.definitionCache.get(code);
    if (cached) return cached;
    const load = this.get(`/services/${encodeURIComponent(code)}`, {}, DefinitionSchema311, options, false).catch((thrown: unknown) => {
      const error = toIntakeError(thrown);
      if (error.status === 404) return undefined;
      this.definitionCache.delete(code);
      throw error;
    });
    this.definitionCache.set(code, load);
    return load;
  }

  private siteRef(): { id: string; name: string } {
    return { id: this.options.site, name: this.options.jurisdiction ?? this.options.site };
  }

  /* ---------------------------------------------------------------- what Open311 lacks */

  answers(_query: string, _options?: CallOptions): Promise<AnswersResponse> {
    return unsupported('Instant answers');
  }
  sendFeedback(): Promise<RequestDetail> {
    return unsupported('Feedback');
  }
  reopen(): Promise<RequestDetail> {
    return unsupported('Reopening a request');
  }
  upload(): Promise<Attachment> {
    return unsupported('Uploads (Open311 takes only a media_url the app hosts)');
  }
  createConversation(): Promise<Conversation> {
    return unsupported('Chat');
  }
  postMessage(): Promise<Message> {
    return unsupported('Chat');
  }
  eventsUrl(): null {
    return null;
  }
  poll(): Promise<EventsPage> {
    return unsupported('Chat');
  }
  typing(): Promise<void> {
    return unsupported('Chat');
  }
  read(): Promise<void> {
    return unsupported('Chat');
  }

  /* ---------------------------------------------------------------- HTTP */

  /** A GET in the server's format (found on the first call: `.json`, else `.xml`). */
  private get<T>(path: string, query: Query, schema: v.GenericSchema<unknown, T>, options: CallOptions, list: boolean): Promise<T> {
    return this.negotiate((format) => this.call('GET', this.url(path, query, format), schema, options, { list }));
  }

  /**
   * Runs a call in the known format; while none is known, in JSON and — when the server has no
   * such resource in JSON (404, 406, 415, 501) — once more in XML, which GeoReport v2 requires.
   * The first format that answers is kept for the page's life.
   */
  private async negotiate<T>(run: (format: Format) => Promise<T>): Promise<T> {
    if (this.format) return run(this.format);
    let first: IntakeError;
    try {
      const value = await run('json');
      this.format ??= 'json';
      return value;
    } catch (thrown) {
      first = toIntakeError(thrown);
      if (this.format || first.status === undefined || !NO_FORMAT.has(first.status)) throw first;
    }
    try {
      const value = await run('xml');
      this.format ??= 'xml';
      return value;
    } catch {
      throw first;
    }
  }

  private async call<T>(method: 'GET' | 'POST', url: string, schema: v.GenericSchema<unknown, T>, options: CallOptions, extra: CallExtra = {}): Promise<T> {
    return (await this.exchange(method, url, schema, options, extra)).value;
  }

  /** One call: no cookies, a timeout, a size guard, JSON or XML read, Open311 errors read into an IntakeError. */
  private async exchange<T>(method: 'GET' | 'POST', url: string, schema: v.GenericSchema<unknown, T>, options: CallOptions, extra: CallExtra = {}): Promise<{ value: T; headers: Headers }> {
    if (options.signal?.aborted) throw new IntakeError('aborted', 'The call was cancelled');
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs ?? this.options.timeoutMs);
    const onAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const xml = /\.xml(?:\?|$)/.test(extra.absolute ? '' : url) || (!!extra.absolute && this.format === 'xml');
    try {
      let response: Response;
      try {
        // A form body and these headers keep the POST a CORS "simple request" (no preflight).
        response = await fetch(url, {
          method,
          headers: { Accept: xml ? 'text/xml, application/xml' : 'application/json', 'Accept-Language': this.options.locale },
          body: extra.form,
          credentials: 'omit',
          mode: 'cors',
          cache: 'no-store',
          keepalive: options.keepalive ?? false,
          signal: controller.signal,
        });
      } catch (cause) {
        if (timedOut) throw new IntakeError('timeout', 'The server did not answer in time', { cause });
        if (options.signal?.aborted) throw new IntakeError('aborted', 'The call was cancelled', { cause });
        if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new IntakeError('offline', 'The device is offline', { cause });
        throw new IntakeError('network', 'The server could not be reached', { cause });
      }
      let text: string;
      try {
        const declared = Number(response.headers.get('content-length'));
        if (Number.isFinite(declared) && declared > DEFAULT_MAX_BYTES) throw new IntakeError('invalid_response', 'The answer is too large');
        text = await response.text();
        if (text.length > DEFAULT_MAX_BYTES) throw new IntakeError('invalid_response', 'The answer is too large');
      } catch (cause) {
        if (cause instanceof IntakeError) throw cause;
        if (timedOut) throw new IntakeError('timeout', 'The server did not answer in time', { cause });
        if (options.signal?.aborted) throw new IntakeError('aborted', 'The call was cancelled', { cause });
        throw new IntakeError('network', 'The answer was cut off', { cause });
      }
      const isXml = looksLikeXml(text);
      if (!response.ok) throw open311Error(response, text, extra.map, this.options.locale, isXml ? await readXml(text, false).catch(() => undefined) : undefined);
      const headers = response.headers;
      if (isXml) {
        // XML, asked for or not (some servers answer XML whatever the extension).
        const result = v.safeParse(schema, await readXml(text, extra.list ?? false));
        if (!result.success) throw new IntakeError('invalid_response', `The XML answer does not match GeoReport v2 at ${v.getDotPath(result.issues[0]!) ?? ''}`, { status: response.status });
        return { value: result.output, headers };
      }
      if (!JSON_TYPE.test(headers.get('content-type') ?? '') && /^\s*[[{]/.test(text)) {
        // Some Open311 servers label JSON as text: read it anyway.
        return { value: parseBody({ status: response.status, headers: new Headers({ 'content-type': 'application/json' }) }, text, schema), headers };
      }
      return { value: parseBody(response, text, schema), headers };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** The next page of a list: `X-Next-Page-URL` (6aika), a `Link: <…>; rel="next"`, or `page` below `X-Page-Count`. */
function nextPage(headers: Headers, current: string, page: number): string | undefined {
  const base = new URL(current, typeof location !== 'undefined' ? location.href : undefined);
  const header = headers.get('x-next-page-url')?.trim();
  if (header) return new URL(header, base).href;
  const link = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(headers.get('link') ?? '')?.[1];
  if (link) return new URL(link, base).href;
  const count = Number(headers.get('x-page-count'));
  if (Number.isFinite(count) && page < count) {
    base.searchParams.set('page', String(page + 1));
    return base.href;
  }
  return undefined;
}

/**
 * Whether a 400 says the server did not read `attribute[x][]` for a multi-value answer we sent:
 * it names that attribute in a validator's words ("found value is a reference" for the bracketed
 * name) or says the attribute is missing although it was sent.
 */
function refusedBrackets(error: IntakeError, input: RequestInput, map: ServiceMap | undefined): boolean {
  const codes = Object.entries(input.fields ?? {})
    .filter(([, value]) => Array.isArray(value) && value.length > 0)
    .map(([id]) => map?.attributes.get(id)?.code ?? id);
  if (!codes.length) return false;
  return problemsIn(error).some((p) => {
    const text = `${p.name ?? ''} ${p.text}`;
    return codes.some((code) => {
      const named = text.includes(`attribute[${code}]`);
      return named && (isRawDump(p.text) || /\brequired\b|\bmissing\b|not (?:been )?provided|no value/i.test(p.text));
    });
  });
}

/* ------------------------------------------------------------------ small helpers */

function unsupported<T>(what: string): Promise<T> {
  return Promise.reject(new IntakeError('unsupported', `${what} is not available on an Open311 backend`));
}

function createdFrom(r: ServiceRequest311, id: string, notice?: string): RequestCreated {
  const createdAt = isoOf(r.requested_datetime) ?? new Date().toISOString();
  const replyBy = isoOf(r.expected_datetime);
  const text = (notice ?? r.service_notice ?? '').trim();
  const hours = replyBy ? Math.max(0, Math.round((Date.parse(replyBy) - Date.parse(createdAt)) / 3600_000)) : 0;
  return {
    id,
    reference: id,
    status: statusOf(r),
    routedTo: department(r),
    // Open311 has no per-request credential: anyone with the id reads its public status.
    accessToken: '',
    createdAt,
    ...(text ? { replyPromise: { hours, text } } : {}),
    ...(replyBy ? { replyBy } : {}),
  };
}

function isLocation(value: FieldValue): value is LocationValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function locationOf(input: RequestInput): LocationValue | undefined {
  return Object.values(input.fields ?? {}).find(isLocation);
}

function appendLocation(form: URLSearchParams, place: LocationValue): void {
  if (typeof place.lat === 'number' && typeof place.lng === 'number') {
    form.set('lat', String(place.lat));
    form.set('long', String(place.lng));
  }
  if (place.address?.trim()) form.set('address_string', place.address.trim());
}

function samePlace(r: ServiceRequest311, place: LocationValue | undefined): boolean {
  if (!place) return true;
  const lat = r.lat === null || r.lat === undefined ? NaN : Number(r.lat);
  const lng = r.long === null || r.long === undefined ? NaN : Number(r.long);
  if (typeof place.lat === 'number' && typeof place.lng === 'number' && Number.isFinite(lat) && Number.isFinite(lng)) {
    return Math.abs(lat - place.lat) < 1e-4 && Math.abs(lng - place.lng) < 1e-4;
  }
  if (place.address && r.address) return normalise(place.address) === normalise(r.address);
  return true;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A W3C date-time without milliseconds, as GeoReport v2 asks (`2010-01-01T00:00:00Z`). */
function w3c(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new IntakeError('aborted', 'The call was cancelled'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new IntakeError('aborted', 'The call was cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
