/**
 * The Open311 GeoReport v2 door (`/open311/v2/…`, JSON only; docs/open311.md): the same sites,
 * services, routing, validation, limits and staff queue as the intake protocol, spoken the way
 * existing Open311 apps speak. `jurisdiction_id` is the site id (default the district).
 */
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { Contact, FieldType, FieldValue, RequestKind, RequestStatus } from '../../../src/client/protocol.js';
import { ContactSchema, LIMITS, issuesToFields } from '../../../src/client/protocol.js';
import { isDatabaseUnavailable, type Queryable } from '../storage/db.js';
import { getService, getSite, replyPromise, text, type Locale, type ServiceRow, type SiteRow } from '../catalogue/catalog.js';
import type { SeedField, Texts } from '../catalogue/seed-data.js';
import { HttpError, JSON_LIMIT, databaseAway, isUnstorable, localeHint, newToken, readBody, safeEqual, unstorable } from '../http.js';
import { localeOf, type ServerContext } from '../context.js';
import { checkFields, insertRequest, type RequestRow } from '../requests/requests.js';

export const DEFAULT_JURISDICTION = 'riverside';
/** The attribute that carries the request kind (Open311 has none of its own). */
export const KIND_ATTRIBUTE = 'request_type';
/** The informational (`variable: false`) attribute that tells the reply promise. */
export const PROMISE_ATTRIBUTE = 'reply_promise';

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

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

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

/** `[{code, description}]`, one entry per field when fields are named ("email: Not a valid …"). */
export function open311ErrorResponse(err: HttpError): Response {
  const status = open311Status(err.status);
  const fields = err.fields ? Object.entries(err.fields) : [];
  const body = fields.length
    ? fields.map(([field, message]) => ({ code: status, description: `${open311Name(field)}: ${message}` }))
    : [{ code: status, description: err.message }];
  const headers: Record<string, string> = { ...JSON_TYPE };
  if (err.retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfter)));
  return new Response(JSON.stringify(body), { status, headers });
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

const iso = (d: Date | string) => new Date(d).toISOString();

function serviceOut(s: ServiceRow, locale: Locale): Open311Service {
  const keywords = s.keywords[locale] ?? s.keywords['zh-CN'] ?? [];
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
  const en = locale === 'en';
  const parts: string[] = [];
  if (f.hint) parts.push(text(f.hint, locale));
  if (f.type === 'date') parts.push(en ? 'A date, YYYY-MM-DD (a date and time is also accepted)' : '日期，格式 YYYY-MM-DD（也接受日期时间）');
  if (f.type === 'datetime') parts.push(en ? 'A date and time, e.g. 2026-11-27T23:00' : '日期和时间，例如 2026-11-27T23:00');
  if (f.type === 'phone') parts.push(en ? 'A phone number' : '电话号码');
  if (f.type === 'email') parts.push(en ? 'An email address' : '邮箱地址');
  if (f.type === 'number' && (f.min !== undefined || f.max !== undefined)) {
    parts.push(en ? `A number from ${f.min ?? '…'} to ${f.max ?? '…'}` : `数字，${f.min ?? '…'}至${f.max ?? '…'}`);
  }
  if (f.maxLength !== undefined) parts.push(en ? `At most ${f.maxLength} characters` : `最多${f.maxLength}个字`);
  return parts.length ? parts.join('. ') : null;
}

function serviceDefinition(s: ServiceRow, site: SiteRow, locale: Locale) {
  const en = locale === 'en';
  const attributes: Open311Attribute[] = [];
  let order = 0;
  attributes.push({
    variable: true,
    code: KIND_ATTRIBUTE,
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: en ? `When not given: ${defaultKind(s)}` : `不填时为 ${defaultKind(s)}`,
    order: ++order,
    description: en ? 'Kind of request' : '诉求类型',
    values: s.kinds.map((id) => ({ key: id, name: kindName(id, locale) })),
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

const KIND_NAMES: Record<RequestKind, Texts> = {
  consultation: { 'zh-CN': '咨询', en: 'Consultation' },
  help: { 'zh-CN': '求助', en: 'Help request' },
  complaint: { 'zh-CN': '投诉', en: 'Complaint' },
  suggestion: { 'zh-CN': '建议', en: 'Suggestion' },
};
const kindName = (kind: RequestKind, locale: Locale) => text(KIND_NAMES[kind], locale);

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
    media_url: r.media_url,
  };
}

/* ---------------------------------------------------------------- the door */

/** `name.json` → `name`; other formats are not served (XML is optional in GeoReport v2). */
function jsonName(c: Context, param: string, what: string): string {
  const raw = c.req.param(param) ?? '';
  const match = /^(.+)\.json$/.exec(raw);
  if (!match) throw new HttpError('not_found', `${what} not found (this server answers JSON only: use .json)`);
  return match[1]!;
}

async function jurisdiction(ctx: ServerContext, id: string | undefined | null): Promise<SiteRow> {
  const siteId = id?.trim() || DEFAULT_JURISDICTION;
  const site = siteId.length <= 200 ? await getSite(ctx.db, siteId) : null;
  if (!site) throw new HttpError('not_found', 'jurisdiction_id not found', { site: 'Unknown jurisdiction_id' });
  return site;
}

/** The POST body's fields as (name, value) pairs: form-encoded (as GeoReport v2 says) or multipart. */
async function formPairs(c: Context): Promise<[string, string][]> {
  const type = c.req.header('content-type') ?? '';
  const urlencoded = /^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(type);
  if (!urlencoded && !/^multipart\/form-data\s*;/i.test(type)) {
    throw new HttpError('unsupported_media_type', 'Send the fields as application/x-www-form-urlencoded');
  }
  const bytes = await readBody(c, JSON_LIMIT);
  if (urlencoded) return storable([...new URLSearchParams(new TextDecoder().decode(bytes))], c);
  let form: FormData;
  try {
    form = await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new HttpError('bad_request', 'The body is not valid multipart/form-data');
  }
  const pairs: [string, string][] = [];
  form.forEach((value, key) => {
    if (typeof value === 'string') pairs.push([key, value]);
  });
  return storable(pairs, c);
}

/** Fields the database cannot store (U+0000, a broken surrogate) are refused, naming the field. */
function storable(pairs: [string, string][], c: Context): [string, string][] {
  const bad = pairs.find(([key, value]) => isUnstorable(key) || isUnstorable(value));
  if (bad) throw unstorable(bad[0].replace(/\u0000/g, '\ufffd'), localeHint(c));
  return pairs;
}

const HTML = /<\s*\/?\s*[a-z!?][^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;
const DATETIME_PREFIX = /^(\d{4}-\d{2}-\d{2})T/;

/** Attribute values as our field values; type problems are left for checkFields to name. */
function attributeValue(f: SeedField, values: string[], en: boolean): FieldValue {
  if (f.type === 'multi') return [...new Set(values)];
  if (values.length > 1) throw bad(`fields.${f.id}`, en ? 'Give one value' : '只能填一个值');
  const raw = values[0]!.trim();
  if (f.type === 'number') {
    const n = Number(raw);
    return raw !== '' && Number.isFinite(n) ? n : raw;
  }
  if (f.type === 'date') return DATETIME_PREFIX.exec(raw)?.[1] ?? raw;
  return raw;
}

function parseCoordinate(raw: string, name: 'lat' | 'long', en: boolean): number {
  const n = Number(raw.trim());
  const max = name === 'lat' ? 90 : 180;
  if (!raw.trim() || !Number.isFinite(n) || Math.abs(n) > max) throw bad(name, en ? `A number from -${max} to ${max}` : `应为 -${max} 到 ${max} 之间的数字`);
  return n;
}

export function registerOpen311(ctx: ServerContext): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof HttpError) return open311ErrorResponse(err);
    if (isDatabaseUnavailable(err)) return open311ErrorResponse(databaseAway());
    // No stack, SQL or submitted text in a response or the log.
    ctx.log(`[open311] ${c.req.method} ${c.req.routePath}: ${err.name}: ${err.message}`);
    return open311ErrorResponse(new HttpError('server_error', 'Something went wrong on our side; please try again'));
  });

  app.get('/discovery.json', (c) => {
    const base = `${new URL(c.req.url).origin}/open311/v2/`;
    return c.json({
      changeset: '2026-01-01T00:00:00Z',
      contact: 'The intake centre of the district',
      key_service: 'An api_key is needed to file requests when the server is configured with one',
      endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: '2026-01-01T00:00:00Z', type: 'production', formats: ['application/json'] }],
    });
  });

  app.get('/services.json', async (c) => {
    await jurisdiction(ctx, c.req.query('jurisdiction_id'));
    const locale = localeOf(c);
    const rows = await ctx.db.query<ServiceRow & Record<string, unknown>>('SELECT * FROM services ORDER BY sort, id');
    return c.json(rows.map((s) => serviceOut(s, locale)));
  });

  app.get('/services/:file', async (c) => {
    const code = jsonName(c, 'file', 'service_code');
    const site = await jurisdiction(ctx, c.req.query('jurisdiction_id'));
    const service = code.length <= 200 ? await getService(ctx.db, code) : null;
    if (!service) throw new HttpError('not_found', 'service_code not found', { service: 'Unknown service_code' });
    return c.json(serviceDefinition(service, site, localeOf(c)));
  });

  app.post('/requests.json', async (c) => {
    const pairs = await formPairs(c);
    const one = (name: string) => {
      const found = pairs.filter(([k]) => k === name);
      if (found.length > 1) throw bad(name, `Give ${name} once`);
      const value = found[0]?.[1]?.trim();
      return value ? value : undefined;
    };
    const site = await jurisdiction(ctx, one('jurisdiction_id'));
    if (ctx.open311ApiKey) {
      const key = one('api_key') ?? c.req.query('api_key');
      if (!key || !safeEqual(key, ctx.open311ApiKey)) throw new HttpError('forbidden', 'api_key: missing or not valid');
    }
    const locale = localeOf(c);
    const en = locale === 'en';

    const code = one('service_code');
    if (!code) throw bad('service_code', en ? 'Required' : '必填');
    const service = code.length <= 200 ? await getService(ctx.db, code) : null;
    if (!service) throw new HttpError('not_found', 'service_code not found', { service: en ? 'Unknown service_code' : '服务事项不存在' });

    const description = one('description');
    if (!description) throw bad('description', en ? 'Required' : '必填');
    if (description.length > LIMITS.descriptionMax) throw bad('description', en ? `At most ${LIMITS.descriptionMax} characters` : `最多${LIMITS.descriptionMax}个字`);
    if (HTML.test(description)) throw bad('description', en ? 'Plain text only: no HTML' : '只能是纯文本，不能含 HTML');

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
    const kindValues = attributes.get(KIND_ATTRIBUTE);
    if (kindValues?.length) {
      const given = kindValues[0]!.trim() as RequestKind;
      if (kindValues.length > 1 || !service.kinds.includes(given)) throw bad('type', en ? `One of: ${service.kinds.join(', ')}` : `应为：${service.kinds.join('、')}`);
      kind = given;
    }

    const values: Record<string, FieldValue> = {};
    for (const f of service.fields) {
      const given = attributes.get(f.id)?.filter((x) => x.trim() !== '');
      if (!given?.length || f.type === 'location' || f.type === 'file') continue;
      values[f.id] = attributeValue(f, given, en);
    }

    // The location: lat and long together, or address_string.
    const latRaw = one('lat');
    const longRaw = one('long');
    if ((latRaw === undefined) !== (longRaw === undefined)) throw bad(latRaw === undefined ? 'lat' : 'long', en ? 'Send lat and long together' : 'lat 和 long 需同时提供');
    const address = one('address_string');
    if (address && address.length > 500) throw bad('address_string', en ? 'At most 500 characters' : '最多500个字');
    const place: { lat?: number; lng?: number; address?: string } = {};
    if (latRaw !== undefined && longRaw !== undefined) {
      place.lat = parseCoordinate(latRaw, 'lat', en);
      place.lng = parseCoordinate(longRaw, 'long', en);
    }
    if (address) place.address = address;
    const hasPlace = Object.keys(place).length > 0;
    const locationField = service.fields.find((f) => f.type === 'location');
    if (locationField?.required && !hasPlace) throw bad('lat', en ? 'A location is required: lat and long, or address_string' : '请提供地点：lat 和 long，或 address_string');
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
        const words: Record<string, string> = en
          ? { 'contact.name': 'At most 100 characters with last_name', 'contact.email': 'Not a valid email address', 'contact.phone': 'Not a valid phone number' }
          : { 'contact.name': '与 last_name 合计最多100个字', 'contact.email': '邮箱地址无效', 'contact.phone': '电话号码无效' };
        const fields = Object.fromEntries(Object.keys(issuesToFields(parsed.issues)).map((k) => [`contact.${k}`, words[`contact.${k}`] ?? (en ? 'Not valid' : '无效')]));
        throw new HttpError('bad_request', 'Some fields are not valid', fields);
      }
      contact = parsed.output;
    }

    const mediaUrl = one('media_url');
    if (mediaUrl) {
      let ok = mediaUrl.length <= 2000;
      try {
        ok &&= ['http:', 'https:'].includes(new URL(mediaUrl).protocol);
      } catch {
        ok = false;
      }
      if (!ok) throw bad('media_url', en ? 'An http(s) address of at most 2000 characters' : '应为 http(s) 网址，最多2000个字符');
    }

    const token = newToken();
    const created = await ctx.db.tx((q) =>
      insertRequest(ctx, q, {
        site, service, kind, description, fields, files: [], contact, consentVersion: 'open311', locale, page: null,
        channel: 'open311', location: !locationField && hasPlace ? place : null, mediaUrl: mediaUrl ?? null, open311Token: token,
      }),
    );
    return c.json([{ service_request_id: created.reference, token, service_notice: created.replyPromise?.text ?? null, account_id: null }], 201);
  });

  app.get('/requests.json', async (c) => {
    const site = await jurisdiction(ctx, c.req.query('jurisdiction_id'));
    const locale = localeOf(c);
    const list = (name: string) => (c.req.query(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const siteLike = `${site.id.replace(/[\\%_]/g, (m) => `\\${m}`)}/%`;
    const ids = list('service_request_id');
    let rows: Open311Row[];
    if (ids.length) {
      // With ids the other filters are ignored, as GeoReport v2 says.
      if (ids.length > 100) throw bad('service_request_id', 'At most 100 ids');
      rows = await ctx.db.query<Open311Row>(
        `${SELECT_ROWS} WHERE r.channel = 'open311' AND r.reference = ANY($1::text[]) AND (r.site_id = $2 OR r.site_id LIKE $3)
         ORDER BY r.created_at DESC`, [ids, site.id, siteLike]);
    } else {
      const date = (name: string) => {
        const raw = c.req.query(name);
        if (!raw) return null;
        const t = Date.parse(raw);
        if (Number.isNaN(t)) throw bad(name, 'A W3C date and time, e.g. 2026-11-27T00:00:00Z');
        return new Date(t);
      };
      const end = date('end_date');
      const start = date('start_date') ?? new Date((end ?? new Date()).getTime() - 90 * 24 * 3600_000);
      const statuses = list('status');
      if (statuses.some((s) => s !== 'open' && s !== 'closed')) throw bad('status', 'open, closed, or both');
      const wanted = statuses.length === 1 ? statuses[0]! : null;
      const codes = list('service_code');
      rows = await ctx.db.query<Open311Row>(
        `${SELECT_ROWS} WHERE r.channel = 'open311' AND (r.site_id = $1 OR r.site_id LIKE $2)
           AND r.created_at >= $3 AND ($4::timestamptz IS NULL OR r.created_at <= $4)
           AND ($5::text[] IS NULL OR r.service_id = ANY($5::text[]))
           AND ($6::text IS NULL OR ($6 = 'closed') = (r.status = ANY($7::text[])))
         ORDER BY r.created_at DESC LIMIT 1000`,
        [site.id, siteLike, start, end, codes.length ? codes : null, wanted, [...CLOSED]]);
    }
    const out: Open311ServiceRequest[] = [];
    for (const r of rows) out.push(await requestOut(ctx.db, r, locale));
    return c.json(out);
  });

  app.get('/requests/:file', async (c) => {
    const id = jsonName(c, 'file', 'service_request_id');
    await jurisdiction(ctx, c.req.query('jurisdiction_id'));
    const rows = id.length <= 64 ? await ctx.db.query<Open311Row>(`${SELECT_ROWS} WHERE r.channel = 'open311' AND r.reference = $1`, [id]) : [];
    if (!rows[0]) throw new HttpError('not_found', 'service_request_id not found');
    return c.json([await requestOut(ctx.db, rows[0], localeOf(c))]);
  });

  app.get('/tokens/:file', async (c) => {
    const token = jsonName(c, 'file', 'token');
    await jurisdiction(ctx, c.req.query('jurisdiction_id'));
    const rows = token.length <= 64 ? await ctx.db.query<{ reference: string }>(`SELECT reference FROM requests WHERE open311_token = $1`, [token]) : [];
    if (!rows[0]) throw new HttpError('not_found', 'token not found');
    return c.json([{ service_request_id: rows[0].reference, token }]);
  });

  return app;
}
