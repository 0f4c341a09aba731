/**
 * The Open311 GeoReport v2 door (`/open311/v2/…`, XML and JSON; docs/open311.md): the same sites,
 * services, routing, validation, limits and staff queue as the intake protocol, spoken the way
 * existing Open311 apps speak — FixMyStreet's client (XML by default, mySociety's
 * `servicerequestupdates` extension), the SeeClickFix validator, Code for America's node client.
 * `jurisdiction_id` is the site id (default the district).
 */
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { Contact, FieldType, FieldValue, RequestKind, RequestStatus } from '../../../src/client/protocol.js';
import { ContactSchema, LIMITS, issuesToFields } from '../../../src/client/protocol.js';
import { isDatabaseUnavailable, type Queryable } from '../storage/db.js';
import { getService, getSite, replyPromise, text, type Locale, type ServiceRow, type SiteRow } from '../catalogue/catalog.js';
import type { SeedField, Texts } from '../catalogue/seed-data.js';
import { HttpError, JSON_LIMIT, databaseAway, isUnstorable, localeHint, newToken, readBody, safeEqual, sha256, unstorable } from '../http.js';
import type { ServerContext } from '../context.js';
import { checkFields, setStatus, type RequestRow } from '../requests/requests.js';
import { insertRequest } from '../requests/filing.js';
import { recordLoopEvent } from '../loop/events.js';
import { toHongKong } from '../catalogue/locales.js';
import { XML_TYPE, xmlDocument } from './xml.js';
import { KIND_WORDS, W, doorLocale, pick } from './words.js';

export const DEFAULT_JURISDICTION = 'riverside';
/** The attribute that carries the request kind (Open311 has none of its own). */
export const KIND_ATTRIBUTE = 'request_type';
/** The informational (`variable: false`) attribute that tells the reply promise. */
export const PROMISE_ATTRIBUTE = 'reply_promise';
/** At most this many `media_url` values (one per photo, as FixMyStreet sends them). */
export const MEDIA_URL_MAX = 10;

/** Our field types as Open311 datatypes; `location` and `file` are not attributes (lat/long, media_url). */
export const DATATYPES: Partial<Record<FieldType, string>> = {
  text: 'string',
  phone: 'string',
  email: 'string',
  textarea: 'text',
  number: 'number',
  date: 'datetime',
  datetime: 'datetime',
  single: 'singlevaluelist',
  multi: 'multivaluelist',
};

/** Requests in these statuses are `closed` to Open311; the rest are `open`. */
const CLOSED: readonly RequestStatus[] = ['resolved', 'closed'];
/** The kind an Open311 request gets when it names none: the first of these the service takes. */
const KIND_PREFERENCE: readonly RequestKind[] = ['help', 'complaint', 'consultation', 'suggestion'];

/**
 * mySociety's extended statuses (open311-adapter's `status_extended`), as a client may send them
 * with a comment (`POST servicerequestupdates`, upper case from FixMyStreet) — any case is read.
 */
export const EXTENDED_STATUSES = [
  'unchanged', 'open', 'closed', 'fixed', 'in_progress', 'planned', 'action_scheduled', 'investigating', 'duplicate',
  'not_councils_responsibility', 'no_further_action', 'internal_referral', 'cancelled', 'reopen', 'for_triage',
] as const;
export type ExtendedStatus = (typeof EXTENDED_STATUSES)[number];

// RFC 8259 defines no charset parameter for JSON (always UTF-8); the validator compares it literally.
const JSON_TYPE = 'application/json';

/* ---------------------------------------------------------------- formats */

export type Format = 'json' | 'xml';

/**
 * The answer's format from the path: `….json` (or Code for America's node client's `requests/json`)
 * is JSON; everything else XML, GeoReport v2's required format — so an error on `….xml`, on an
 * unknown extension or on no extension at all is XML.
 */
export function formatOfPath(path: string): Format {
  return /[./]json$/i.test(path) ? 'json' : 'xml';
}

/** The XML root of each answer (the JSON answer is the same without it). */
type Root = 'services' | 'service_definition' | 'service_requests' | 'service_request_updates' | 'discovery' | 'errors';

function answer(format: Format, root: Root, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = format === 'xml' ? xmlDocument(root, body) : JSON.stringify(body);
  return new Response(text, { status, headers: { 'content-type': format === 'xml' ? XML_TYPE : JSON_TYPE, ...headers } });
}

/* ---------------------------------------------------------------- errors */

/** Our field paths as the Open311 parameter names an app sent. */
export function open311Name(field: string): string {
  if (field.startsWith('fields.')) return `attribute[${field.slice(7)}]`;
  const names: Record<string, string> = {
    site: 'jurisdiction_id',
    service: 'service_code',
    type: `attribute[${KIND_ATTRIBUTE}]`,
    'contact.name': 'first_name',
    'contact.email': 'email',
    'contact.phone': 'phone',
    attachments: 'media_url',
  };
  return names[field] ?? field;
}

/** Open311 statuses: 400 for anything the caller sent wrong, 403, 404; 413, 429 and 5xx as HTTP has them. */
function open311Status(status: number): number {
  if (status === 401 || status === 403) return 403;
  if (status === 404 || status === 413 || status === 429 || status >= 500) return status;
  return 400;
}

/**
 * `[{code, description}]` (JSON) or `<errors><error><code/><description/></error></errors>` (XML,
 * for a call on `….xml` or without `.json`), one entry per field when fields are named
 * ("email: Not a valid …"). Without a call to look at, JSON.
 */
export function open311ErrorResponse(err: HttpError, c?: { req: { path: string } }): Response {
  const status = open311Status(err.status);
  const fields = err.fields ? Object.entries(err.fields) : [];
  const body = fields.length
    ? fields.map(([field, message]) => ({ code: status, description: `${open311Name(field)}: ${message}` }))
    : [{ code: status, description: err.message }];
  const headers: Record<string, string> = {};
  if (err.retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfter)));
  return answer(c ? formatOfPath(c.req.path) : 'json', 'errors', body, status, headers);
}

const bad = (field: string, message: string) => new HttpError('bad_request', message, { [field]: message });

/* ---------------------------------------------------------------- shapes */

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: string;
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

export interface Open311ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: null;
  zipcode: null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** One entry of `GET servicerequestupdates` (mySociety's extension, as open311-adapter answers it). */
export interface Open311Update {
  update_id: string;
  service_request_id: string;
  status: ExtendedStatus;
  updated_datetime: string;
  description: string;
  media_url: string | null;
  /** Our own status (`routed`, `replied`…), which FixMyStreet keeps beside its own. */
  external_status_code: RequestStatus;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** The first of the `media_url` values kept (one per line): GeoReport v2 has one per request. */
const firstMediaUrl = (stored: string | null) => stored?.split('\n').find(Boolean) ?? null;

function serviceOut(s: ServiceRow, locale: Locale): Open311Service {
  // The city's words in the locale; zh-HK from zh-CN (as the widget's catalogue); else zh-CN's.
  const own = s.keywords[locale];
  const zh = s.keywords['zh-CN'] ?? [];
  const keywords = own?.length ? own : locale === 'zh-HK' ? zh.map(toHongKong) : zh;
  return {
    service_code: s.id,
    service_name: text(s.names, locale),
    description: text(s.descriptions, locale),
    // Every service has at least the request kind as an attribute.
    metadata: true,
    type: 'realtime',
    keywords: keywords.join(', '),
    group: text(s.groups, locale),
  };
}

function datatypeDescription(f: SeedField, locale: Locale): string | null {
  const parts: string[] = [];
  if (f.hint) parts.push(text(f.hint, locale));
  if (f.type === 'date') parts.push(W.dateFormat(locale));
  if (f.type === 'datetime') parts.push(W.dateTimeFormat(locale));
  if (f.type === 'phone') parts.push(W.phoneFormat(locale));
  if (f.type === 'email') parts.push(W.emailFormat(locale));
  if (f.type === 'number' && (f.min !== undefined || f.max !== undefined)) parts.push(W.numberRange(locale, String(f.min ?? '…'), String(f.max ?? '…')));
  if (f.maxLength !== undefined) parts.push(W.atMostChars(locale, f.maxLength));
  return parts.length ? parts.join(locale === 'en' ? '. ' : locale === 'ug' ? '. ' : '。') : null;
}

function serviceDefinition(s: ServiceRow, site: SiteRow, locale: Locale) {
  const attributes: Open311Attribute[] = [];
  let order = 0;
  attributes.push({
    variable: true,
    code: KIND_ATTRIBUTE,
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: W.whenNotGiven(locale, defaultKind(s)),
    order: ++order,
    description: W.kindOfRequest(locale),
    values: s.kinds.map((id) => ({ key: id, name: pick(locale, KIND_WORDS[id]) })),
  });
  for (const f of s.fields) {
    const datatype = DATATYPES[f.type];
    if (!datatype) continue;
    const attribute: Open311Attribute = {
      variable: true,
      code: f.id,
      datatype,
      required: f.required ?? false,
      datatype_description: datatypeDescription(f, locale),
      order: ++order,
      description: text(f.label, locale),
    };
    if (f.options) attribute.values = f.options.map((o) => ({ key: o.value, name: text(o.label, locale) }));
    attributes.push(attribute);
  }
  attributes.push({
    variable: false,
    code: PROMISE_ATTRIBUTE,
    datatype: 'string',
    required: false,
    datatype_description: null,
    order: ++order,
    description: replyPromise(s.reply_hours ?? site.reply_hours, s.round_the_clock, locale).text,
  });
  return { service_code: s.id, attributes };
}

function defaultKind(s: ServiceRow): RequestKind {
  return KIND_PREFERENCE.find((k) => s.kinds.includes(k)) ?? s.kinds[0] ?? 'help';
}

/* ---------------------------------------------------------------- reading requests */

interface Open311Row extends RequestRow {
  service_names: Texts;
  department_names: Texts;
  [key: string]: unknown;
}

const SELECT_ROWS = `SELECT r.*, s.names AS service_names, d.names AS department_names
  FROM requests r JOIN services s ON s.id = r.service_id JOIN departments d ON d.id = r.department_id`;

/** The newest note staff left: a reply's text or a status note, whichever came last. */
async function statusNotes(q: Queryable, requestId: string): Promise<string | null> {
  const rows = await q.query<{ note: string }>(
    `SELECT note FROM (
       SELECT at, id::text AS tie, note FROM request_timeline WHERE request_id = $1 AND note IS NOT NULL AND note <> ''
       UNION ALL
       SELECT at, id AS tie, text AS note FROM request_replies WHERE request_id = $1
     ) n ORDER BY at DESC, tie DESC LIMIT 1`,
    [requestId],
  );
  return rows[0]?.note ?? null;
}

async function requestOut(q: Queryable, r: Open311Row, locale: Locale): Promise<Open311ServiceRequest> {
  const service = await getService(q, r.service_id);
  const locationField = service?.fields.find((f) => f.type === 'location');
  const place = (locationField ? (r.fields[locationField.id] as { lat?: number; lng?: number; address?: string } | undefined) : undefined) ?? r.location ?? null;
  const site = await getSite(q, r.site_id);
  const hours = service && site ? service.reply_hours ?? site.reply_hours : null;
  return {
    service_request_id: r.reference,
    status: CLOSED.includes(r.status) ? 'closed' : 'open',
    status_notes: await statusNotes(q, r.id),
    service_name: text(r.service_names, locale),
    service_code: r.service_id,
    description: r.description,
    agency_responsible: text(r.department_names, locale),
    service_notice: hours !== null && service ? replyPromise(hours, service.round_the_clock, locale).text : null,
    requested_datetime: iso(r.created_at),
    updated_datetime: iso(r.updated_at),
    expected_datetime: r.reply_by ? iso(r.reply_by) : null,
    address: place?.address ?? null,
    address_id: null,
    zipcode: null,
    lat: typeof place?.lat === 'number' ? place.lat : null,
    long: typeof place?.lng === 'number' ? place.lng : null,
    media_url: firstMediaUrl(r.media_url),
  };
}

/** Our status as mySociety's extended one (what FixMyStreet's `map_state` reads). */
export function extendedStatus(status: RequestStatus, merged: boolean): ExtendedStatus {
  switch (status) {
    case 'received':
    case 'routed':
      return 'open';
    case 'in_progress':
    case 'replied':
      return 'in_progress';
    case 'resolved':
      return 'fixed';
    case 'closed':
      return merged ? 'duplicate' : 'closed';
  }
}

/* ---------------------------------------------------------------- the door */

/** `name.xml` / `name.json` → the name and the format; other extensions are not served. */
function fileName(c: Context, param: string, what: string): { name: string; format: Format } {
  const raw = c.req.param(param) ?? '';
  const match = /^(.+)\.(json|xml)$/.exec(raw);
  if (!match) throw new HttpError('not_found', `${what} not found (use .xml or .json)`);
  return { name: match[1]!, format: match[2] as Format };
}

async function jurisdiction(ctx: ServerContext, id: string | undefined | null, locale: Locale): Promise<SiteRow> {
  const siteId = id?.trim() || DEFAULT_JURISDICTION;
  const site = siteId.length <= 200 ? await getSite(ctx.db, siteId) : null;
  if (!site) throw new HttpError('not_found', 'jurisdiction_id not found', { site: W.unknownJurisdiction(locale) });
  return site;
}

/** `site/%` for LIKE: the sites below a site. */
const below = (site: SiteRow) => `${site.id.replace(/[\\%_]/g, (m) => `\\${m}`)}/%`;

/**
 * The POST's fields as (name, value) pairs: form-encoded (as GeoReport v2 says) or multipart, then
 * the query's for names the body does not carry (Code for America's node client sends them all
 * in the query string with an empty body).
 */
async function formPairs(c: Context): Promise<[string, string][]> {
  const type = c.req.header('content-type') ?? '';
  const urlencoded = /^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(type);
  if (!urlencoded && !/^multipart\/form-data\s*;/i.test(type)) {
    throw new HttpError('unsupported_media_type', 'Send the fields as application/x-www-form-urlencoded');
  }
  const bytes = await readBody(c, JSON_LIMIT);
  let pairs: [string, string][];
  if (urlencoded) {
    pairs = [...new URLSearchParams(new TextDecoder().decode(bytes))];
  } else {
    let form: FormData;
    try {
      form = await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), { headers: { 'content-type': type } }).formData();
    } catch {
      throw new HttpError('bad_request', 'The body is not valid multipart/form-data');
    }
    pairs = [];
    form.forEach((value, key) => {
      if (typeof value === 'string') pairs.push([key, value]);
    });
  }
  const inBody = new Set(pairs.map(([k]) => k));
  for (const pair of new URL(c.req.url).searchParams) if (!inBody.has(pair[0])) pairs.push(pair);
  return storable(pairs, c);
}

/** Fields the database cannot store (U+0000, a broken surrogate) are refused, naming the field. */
function storable(pairs: [string, string][], c: Context): [string, string][] {
  const bad = pairs.find(([key, value]) => isUnstorable(key) || isUnstorable(value));
  if (bad) throw unstorable(bad[0].replace(/\u0000/g, '\ufffd'), localeHint(c));
  return pairs;
}

/** One value of a form field (trimmed, empty as none); twice is refused. */
function oneOf(pairs: [string, string][], locale: () => Locale) {
  return (name: string): string | undefined => {
    const found = pairs.filter(([k]) => k === name);
    if (found.length > 1) throw bad(name, W.once(locale(), name));
    const value = found[0]?.[1]?.trim();
    return value ? value : undefined;
  };
}

/** Every `media_url` (also `media_url[]`), each an http(s) address of at most 2000 characters. */
function mediaUrls(pairs: [string, string][], locale: Locale): string[] {
  const urls = [...new Set(pairs.filter(([k]) => k === 'media_url' || k === 'media_url[]').map(([, value]) => value.trim()).filter(Boolean))];
  if (urls.length > MEDIA_URL_MAX) throw bad('media_url', W.tooMany(locale, MEDIA_URL_MAX));
  for (const url of urls) {
    let ok = url.length <= 2000;
    try {
      ok &&= ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw bad('media_url', W.mediaUrl(locale));
  }
  return urls;
}

const HTML = /<\s*\/?\s*[a-z!?][^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;
const DATETIME_PREFIX = /^(\d{4}-\d{2}-\d{2})T/;

/** Attribute values as our field values; type problems are left for checkFields to name. */
function attributeValue(f: SeedField, values: string[], locale: Locale): FieldValue {
  if (f.type === 'multi') return [...new Set(values)];
  if (values.length > 1) throw bad(`fields.${f.id}`, W.oneValue(locale));
  const raw = values[0]!.trim();
  if (f.type === 'number') {
    const n = Number(raw);
    return raw !== '' && Number.isFinite(n) ? n : raw;
  }
  if (f.type === 'date') return DATETIME_PREFIX.exec(raw)?.[1] ?? raw;
  return raw;
}

function parseCoordinate(raw: string, name: 'lat' | 'long', locale: Locale): number {
  const n = Number(raw.trim());
  const max = name === 'lat' ? 90 : 180;
  if (!raw.trim() || !Number.isFinite(n) || Math.abs(n) > max) throw bad(name, W.coordinate(locale, max));
  return n;
}

/** A W3C date-time query parameter, or null when not given. */
function dateParam(c: Context, name: string, locale: Locale): Date | null {
  const raw = c.req.query(name);
  if (!raw) return null;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw bad(name, W.dateTime(locale));
  return new Date(t);
}

/** The window of a list: `start_date`/`end_date`, by default the 90 days before the end (or now). */
function window(c: Context, locale: Locale): { start: Date; end: Date | null } {
  const end = dateParam(c, 'end_date', locale);
  const start = dateParam(c, 'start_date', locale) ?? new Date((end ?? new Date()).getTime() - 90 * 24 * 3600_000);
  return { start, end };
}

const FORMATS: readonly Format[] = ['xml', 'json'];

export function registerOpen311(ctx: ServerContext): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof HttpError) return open311ErrorResponse(err, c);
    if (isDatabaseUnavailable(err)) return open311ErrorResponse(databaseAway(), c);
    // No stack, SQL or submitted text in a response or the log.
    ctx.log(`[open311] ${c.req.method} ${c.req.routePath}: ${err.name}: ${err.message}`);
    return open311ErrorResponse(new HttpError('server_error', 'Something went wrong on our side; please try again'), c);
  });
  app.notFound((c) => open311ErrorResponse(new HttpError('not_found', 'No such endpoint (use .xml or .json)'), c));

  for (const format of FORMATS) {
    app.get(`/discovery.${format}`, (c) => {
      // No trailing slash: clients append `/services.xml` (the specification's example, the validator).
      const url = `${new URL(c.req.url).origin}/open311/v2`;
      const changeset = '2026-12-01T00:00:00Z';
      return answer(format, 'discovery', {
        changeset,
        contact: 'The intake centre of the district',
        key_service: 'An api_key is needed to file requests and comments when the server is configured with one',
        endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url, changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
      });
    });

    app.get(`/services.${format}`, async (c) => {
      const locale = doorLocale(c);
      await jurisdiction(ctx, c.req.query('jurisdiction_id'), locale);
      const rows = await ctx.db.query<ServiceRow & Record<string, unknown>>('SELECT * FROM services ORDER BY sort, id');
      return answer(format, 'services', rows.map((s) => serviceOut(s, locale)));
    });

    app.post(`/requests.${format}`, (c) => postRequest(c, format));
    app.get(`/requests.${format}`, (c) => listRequests(c, format));
    app.get(`/servicerequestupdates.${format}`, (c) => listUpdates(c, format));
    app.post(`/servicerequestupdates.${format}`, (c) => postUpdate(c, format));
  }

  app.get('/services/:file', async (c) => {
    const { name: code, format } = fileName(c, 'file', 'service_code');
    const locale = doorLocale(c);
    const site = await jurisdiction(ctx, c.req.query('jurisdiction_id'), locale);
    const service = code.length <= 200 ? await getService(ctx.db, code) : null;
    if (!service) throw new HttpError('not_found', 'service_code not found', { service: W.unknownService(locale) });
    return answer(format, 'service_definition', serviceDefinition(service, site, locale));
  });

  // Code for America's node client asks `requests/json` (a slash for the dot): read as `requests.json`.
  app.post('/requests/:file{json|xml}', (c) => postRequest(c, c.req.param('file') as Format));

  app.get('/requests/:file', async (c) => {
    const file = c.req.param('file');
    if (file === 'json' || file === 'xml') return listRequests(c, file);
    const { name: id, format } = fileName(c, 'file', 'service_request_id');
    const locale = doorLocale(c);
    await jurisdiction(ctx, c.req.query('jurisdiction_id'), locale);
    const rows = id.length <= 64 ? await ctx.db.query<Open311Row>(`${SELECT_ROWS} WHERE r.channel = 'open311' AND r.reference = $1`, [id]) : [];
    if (!rows[0]) throw new HttpError('not_found', 'service_request_id not found');
    return answer(format, 'service_requests', [await requestOut(ctx.db, rows[0], locale)]);
  });

  app.get('/tokens/:file', async (c) => {
    const { name: token, format } = fileName(c, 'file', 'token');
    await jurisdiction(ctx, c.req.query('jurisdiction_id'), doorLocale(c));
    const rows = token.length <= 64 ? await ctx.db.query<{ reference: string }>(`SELECT reference FROM requests WHERE open311_token = $1`, [token]) : [];
    if (!rows[0]) throw new HttpError('not_found', 'token not found');
    return answer(format, 'service_requests', [{ service_request_id: rows[0].reference, token }]);
  });

  /** `api_key` (form field, or the query) when the server is configured with one. */
  function checkKey(one: (name: string) => string | undefined) {
    if (!ctx.open311ApiKey) return;
    const key = one('api_key');
    if (!key || !safeEqual(key, ctx.open311ApiKey)) throw new HttpError('forbidden', 'api_key: missing or not valid');
  }

  /**
   * A POST's fields, read as both POSTs read them: `one(name)` (a field given at most once), the
   * locale (its `locale` field, else the door's), the jurisdiction, and the api_key checked.
   */
  async function postFields(c: Context) {
    const pairs = await formPairs(c);
    let locale: Locale = doorLocale(c);
    const one = oneOf(pairs, () => locale);
    locale = doorLocale(c, one('locale'));
    const site = await jurisdiction(ctx, one('jurisdiction_id'), locale);
    checkKey(one);
    return { pairs, one, locale, site };
  }

  async function postRequest(c: Context, format: Format): Promise<Response> {
    const { pairs, one, locale, site } = await postFields(c);

    const code = one('service_code');
    if (!code) throw bad('service_code', W.required(locale));
    const service = code.length <= 200 ? await getService(ctx.db, code) : null;
    if (!service) throw new HttpError('not_found', 'service_code not found', { service: W.unknownService(locale) });

    const description = one('description');
    if (!description) throw bad('description', W.required(locale));
    if (description.length > LIMITS.descriptionMax) throw bad('description', W.atMostChars(locale, LIMITS.descriptionMax));
    if (HTML.test(description)) throw bad('description', W.plainText(locale));

    // attribute[code]=v and attribute[code][]=v (multi-value), repeated as needed.
    const attributes = new Map<string, string[]>();
    for (const [name, value] of pairs) {
      const m = /^attribute\[([^\]]{1,200})\](\[\])?$/.exec(name);
      if (!m) continue;
      const list = attributes.get(m[1]!) ?? [];
      list.push(value);
      attributes.set(m[1]!, list);
    }
    let kind = defaultKind(service);
    const kindValues = attributes.get(KIND_ATTRIBUTE)?.filter((x) => x.trim() !== '');
    if (kindValues?.length) {
      const given = kindValues[0]!.trim() as RequestKind;
      if (kindValues.length > 1 || !service.kinds.includes(given)) throw bad('type', W.oneOf(locale, service.kinds));
      kind = given;
    }

    const values: Record<string, FieldValue> = {};
    for (const f of service.fields) {
      const given = attributes.get(f.id)?.filter((x) => x.trim() !== '');
      if (!given?.length || f.type === 'location' || f.type === 'file') continue;
      values[f.id] = attributeValue(f, given, locale);
    }

    // The location: lat and long together, or address_string.
    const latRaw = one('lat');
    const longRaw = one('long');
    if ((latRaw === undefined) !== (longRaw === undefined)) throw bad(latRaw === undefined ? 'lat' : 'long', W.latLongTogether(locale));
    const address = one('address_string');
    if (address && address.length > 500) throw bad('address_string', W.atMostChars(locale, 500));
    const place: { lat?: number; lng?: number; address?: string } = {};
    if (latRaw !== undefined && longRaw !== undefined) {
      place.lat = parseCoordinate(latRaw, 'lat', locale);
      place.lng = parseCoordinate(longRaw, 'long', locale);
    }
    if (address) place.address = address;
    const hasPlace = Object.keys(place).length > 0;
    const locationField = service.fields.find((f) => f.type === 'location');
    if (locationField?.required && !hasPlace) throw bad('lat', W.locationRequired(locale));
    if (locationField && hasPlace) values[locationField.id] = place;

    const { fields } = checkFields(service, values, locale, ['file']);

    const first = one('first_name') ?? '';
    const last = one('last_name') ?? '';
    const name = `${first} ${last}`.trim();
    const email = one('email');
    const phone = one('phone');
    let contact: Contact | null = null;
    if (name || email || phone) {
      const parsed = v.safeParse(ContactSchema, {
        ...(name ? { name } : {}),
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
        preferred: email ? 'email' : phone ? 'phone' : 'none',
      });
      if (!parsed.success) {
        // Our own words: the schema's messages would echo the submitted value back.
        const words: Record<string, string> = { 'contact.name': W.nameTooLong(locale), 'contact.email': W.badEmail(locale), 'contact.phone': W.badPhone(locale) };
        const fields = Object.fromEntries(Object.keys(issuesToFields(parsed.issues)).map((k) => [`contact.${k}`, words[`contact.${k}`] ?? W.notValid(locale)]));
        throw new HttpError('bad_request', 'Some fields are not valid', fields);
      }
      contact = parsed.output;
    }

    // One media_url per photo (FixMyStreet sends them so); kept one per line.
    const media = mediaUrls(pairs, locale);

    const token = newToken();
    const created = await ctx.db.tx((q) =>
      insertRequest(ctx, q, {
        site, service, kind, description, fields, files: [], contact, consentVersion: 'open311', locale, page: null,
        channel: 'open311', location: !locationField && hasPlace ? place : null, mediaUrl: media.length ? media.join('\n') : null, open311Token: token,
      }),
    );
    // FixMyStreet's client reads service_requests/request/service_request_id (XML) and stops there;
    // a JSON client reads the array's first item.
    return answer(format, 'service_requests', [{ service_request_id: created.reference, token, service_notice: created.replyPromise?.text ?? null, account_id: null }], 201);
  }

  async function listRequests(c: Context, format: Format): Promise<Response> {
    const locale = doorLocale(c);
    const site = await jurisdiction(ctx, c.req.query('jurisdiction_id'), locale);
    const list = (name: string) => (c.req.query(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const ids = list('service_request_id');
    let rows: Open311Row[];
    if (ids.length) {
      // With ids the other filters are ignored, as GeoReport v2 says.
      if (ids.length > 100) throw bad('service_request_id', W.tooMany(locale, 100));
      rows = await ctx.db.query<Open311Row>(
        `${SELECT_ROWS} WHERE r.channel = 'open311' AND r.reference = ANY($1::text[]) AND (r.site_id = $2 OR r.site_id LIKE $3)
         ORDER BY r.created_at DESC`, [ids, site.id, below(site)]);
    } else {
      const { start, end } = window(c, locale);
      const statuses = list('status');
      if (statuses.some((s) => s !== 'open' && s !== 'closed')) throw bad('status', W.openClosed(locale));
      const wanted = statuses.length === 1 ? statuses[0]! : null;
      const codes = list('service_code');
      rows = await ctx.db.query<Open311Row>(
        `${SELECT_ROWS} WHERE r.channel = 'open311' AND (r.site_id = $1 OR r.site_id LIKE $2)
           AND r.created_at >= $3 AND ($4::timestamptz IS NULL OR r.created_at <= $4)
           AND ($5::text[] IS NULL OR r.service_id = ANY($5::text[]))
           AND ($6::text IS NULL OR ($6 = 'closed') = (r.status = ANY($7::text[])))
         ORDER BY r.created_at DESC LIMIT 1000`,
        [site.id, below(site), start, end, codes.length ? codes : null, wanted, [...CLOSED]]);
    }
    const out: Open311ServiceRequest[] = [];
    for (const r of rows) out.push(await requestOut(ctx.db, r, locale));
    return answer(format, 'service_requests', out);
  }

  /**
   * mySociety's `GET servicerequestupdates`: what staff did to requests filed through Open311, in
   * the window, oldest first — every reply, every status note, every status change (not the two
   * entries made at filing, nor a reply's own `replied` entry). Staff texts only: an app's
   * comments stay internal.
   */
  async function listUpdates(c: Context, format: Format): Promise<Response> {
    const locale = doorLocale(c);
    const site = await jurisdiction(ctx, c.req.query('jurisdiction_id'), locale);
    const { start, end } = window(c, locale);
    const rows = await ctx.db.query<{ update_id: string; reference: string; at: Date; status: RequestStatus; description: string | null; merged: boolean }>(
      `WITH mine AS (
         SELECT id, reference, merged_into IS NOT NULL AS merged FROM requests
         WHERE channel = 'open311' AND (site_id = $1 OR site_id LIKE $2)
       ), steps AS (
         SELECT t.id, t.request_id, t.at, t.status, t.note,
                LAG(t.status) OVER (PARTITION BY t.request_id ORDER BY t.at, t.id) AS before
         FROM request_timeline t WHERE t.request_id IN (SELECT id FROM mine)
       )
       SELECT * FROM (
         SELECT 't' || s.id AS update_id, m.reference, s.at, s.status, s.note AS description, m.merged
         FROM steps s JOIN mine m ON m.id = s.request_id
         WHERE s.before IS NOT NULL
           AND NOT (s.before = 'received' AND s.status = 'routed' AND s.note IS NULL)
           AND ((s.note IS NOT NULL AND s.note <> '') OR (s.status <> s.before AND s.status <> 'replied'))
         UNION ALL
         SELECT 'r' || p.id, m.reference, p.at,
                COALESCE((SELECT t.status FROM request_timeline t WHERE t.request_id = p.request_id AND t.at <= p.at ORDER BY t.at DESC, t.id DESC LIMIT 1), 'replied'),
                p.text, m.merged
         FROM request_replies p JOIN mine m ON m.id = p.request_id
       ) u
       WHERE u.at >= $3 AND ($4::timestamptz IS NULL OR u.at <= $4)
       ORDER BY u.at, u.update_id LIMIT 1000`,
      [site.id, below(site), start, end]);
    const out: Open311Update[] = rows.map((u) => ({
      update_id: u.update_id,
      service_request_id: u.reference,
      status: extendedStatus(u.status, u.merged),
      updated_datetime: iso(u.at),
      description: u.description ?? '',
      media_url: null,
      external_status_code: u.status,
    }));
    return answer(format, 'service_request_updates', out);
  }

  /**
   * mySociety's `POST servicerequestupdates`: an app's comment on a request filed through Open311
   * (FixMyStreet sends its users' updates so). Kept as an internal note for staff (not public:
   * the commenter's name, email and phone are not stored); its status is noted with it, and
   * `REOPEN` reopens a resolved or closed request as the resident's reopen does. The same
   * `update_id` sent again is recorded once and answered with the same id.
   */
  async function postUpdate(c: Context, format: Format): Promise<Response> {
    const { pairs, one, locale, site } = await postFields(c);

    const reference = one('service_request_id');
    if (!reference) throw bad('service_request_id', W.required(locale));
    const clientId = one('update_id');
    if (!clientId) throw bad('update_id', W.required(locale));
    if (clientId.length > 200) throw bad('update_id', W.atMostChars(locale, 200));
    const statusRaw = one('status');
    if (!statusRaw) throw bad('status', W.required(locale));
    const status = statusRaw.toLowerCase() as ExtendedStatus;
    if (!EXTENDED_STATUSES.includes(status)) throw bad('status', W.oneOf(locale, EXTENDED_STATUSES.map((s) => s.toUpperCase())));
    const description = one('description') ?? '';
    if (description.length > LIMITS.descriptionMax) throw bad('description', W.atMostChars(locale, LIMITS.descriptionMax));
    if (HTML.test(description)) throw bad('description', W.plainText(locale));
    const when = one('updated_datetime');
    if (when && Number.isNaN(Date.parse(when))) throw bad('updated_datetime', W.dateTime(locale));
    const media = mediaUrls(pairs, locale);

    const found = reference.length <= 64
      ? await ctx.db.query<{ id: string }>(
        `SELECT id FROM requests WHERE channel = 'open311' AND reference = $1 AND (site_id = $2 OR site_id LIKE $3)`, [reference, site.id, below(site)])
      : [];
    if (!found[0]) throw new HttpError('not_found', 'service_request_id not found');
    const requestId = found[0].id;
    // The same comment sent again (a retry after a lost answer) finds its note by this id.
    const noteId = `o311-${sha256(`${requestId}\n${clientId}`).slice(0, 32)}`;
    const lines = [description, ...media];
    if (status !== 'open' && status !== 'unchanged') lines.push(`[Open311 status: ${status.toUpperCase()}]`);

    await ctx.db.tx(async (q) => {
      const r = (await q.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1 FOR UPDATE', [requestId]))[0]!;
      const inserted = await q.query<{ id: string }>(
        `INSERT INTO request_notes (id, request_id, author_id, author_name, visibility, text, timeline_id)
         VALUES ($1, $2, NULL, 'Open311', 'internal', $3, NULL) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [noteId, r.id, lines.filter(Boolean).join('\n')]);
      if (!inserted[0]) return;
      if (status === 'reopen' && CLOSED.includes(r.status) && !r.merged_into) {
        // As the resident's reopen: the next answer is rated in a new round; earlier ratings stay.
        await q.query('UPDATE requests SET feedback_round = feedback_round + 1 WHERE id = $1', [r.id]);
        await setStatus(q, r, 'in_progress', W.reopened(r.locale));
        await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'reopened', officeId: r.department_id, detail: { by: 'open311', from: r.status } });
      }
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
    });
    return answer(format, 'service_request_updates', [{ update_id: noteId }], 201);
  }

  return app;
}
