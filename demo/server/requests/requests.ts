/** Requests: create (idempotent), status for the resident, feedback, reopen; and the staff moves. */
import type { Context, Hono } from 'hono';
import type {
  Attachment,
  Contact,
  FieldValue,
  RequestKind,
  RequestCreated,
  RequestDetail,
  RequestStatus,
  TimelineEntry,
} from '../../../src/client/protocol.js';
import { FeedbackInputSchema, ReopenInputSchema, RequestInputSchema } from '../../../src/client/protocol.js';
import type { FilledField, QueueItem, StaffRequestDetail } from '../staff/staff-api.js';
import { STATUS_TRANSITIONS } from '../staff/staff-api.js';
import type { Queryable } from '../storage/db.js';
import {
  ATTACHMENT_LIMITS,
  departmentOut,
  getDepartment,
  getService,
  getSite,
  pickLocale,
  replyPromise,
  text,
  type DepartmentRow,
  type Locale,
  type ServiceRow,
  type SiteRow,
} from '../catalogue/catalog.js';
import type { SeedField, Texts } from '../catalogue/seed-data.js';
import { localeFrom, localTexts } from '../catalogue/locales.js';
import { M, restate, say } from '../messages.js';
import { randomBytes } from 'node:crypto';
import { makeReference, parseReference } from '../../../src/client/reference.js';
import { HttpError, bearer, canonicalJson, safeEqual, jsonBody, newId, newToken, notFound, readJson, sha256, validate } from '../http.js';
import { clientAddress, type ServerContext } from '../context.js';
import { staffSees } from '../staff/scope.js';
import { withIdempotency, idempotencyKey, type IdempotencyTarget, type Stored } from '../storage/idempotency.js';
import { keptCatalogue, type KeptCatalogue } from '../catalogue/kept.js';
import { currentRating, feedbackOut, feedbackRows, recordFeedback, withRatings } from './feedback.js';
import { afterRating, answered } from '../loop/ratings.js';
import { escalationOf } from '../loop/supervision.js';
import { followerMatches, followerView, mergeView } from '../loop/duplicates.js';
import { beforeRoute, dispatchDetail, dispatchQueueFields, dispatchResident, markRouteEntry, moveOut, noteAccepted } from '../loop/dispatch.js';
import { decideDispatch, rankForRequest, suggestionField, type MadeSuggestion } from '../loop/dispatch-suggestion.js';
import type { StaffUser } from '../staff/identity.js';
import { computeDeadlines, deadlinesOut, queueDueFields } from '../loop/deadlines.js';
import { recordLoopEvent } from '../loop/events.js';
import { queueDelivery, wakeDelivery } from '../delivery/outbox.js';
import { assigneeOf, notesOf, personById, signatureMode, signaturePerson, signatureText, withDisplay, type Person } from '../staff/operator-detail.js';

export interface RequestRow {
  id: string;
  reference: string;
  site_id: string;
  service_id: string;
  kind: RequestDetail['type'];
  status: RequestStatus;
  department_id: string;
  description: string;
  fields: Record<string, FieldValue>;
  contact: { name?: string; phone?: string; email?: string; preferred?: 'phone' | 'email' | 'none' } | null;
  contact_phone: string | null;
  contact_email: string | null;
  consent_version: string;
  locale: string;
  page: { url: string; title?: string } | null;
  access_token_hash: string;
  reply_by: Date | null;
  first_reply_at: Date | null;
  /** The latest rating (every one is in request_feedback). */
  feedback: { rating: number; resolved: boolean; comment?: string; at: string } | null;
  /** Which answer the resident rates now: one more after each reopen. */
  feedback_round: number;
  created_at: Date;
  updated_at: Date;
  channel: 'intake' | 'open311';
  location: { lat?: number; lng?: number; address?: string } | null;
  media_url: string | null;
  open311_token: string | null;
  /** Filed from this chat (转工单, migration 10). */
  conversation_id?: string | null;
  /** Merged into this request (migration 16, loop/duplicates.ts). */
  merged_into?: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();
export const normalPhone = (s: string) => s.replace(/\D/g, '').replace(/^(?:00)?86(?=1\d{10}$)/, '');
const normalEmail = (s: string) => s.trim().toLowerCase();

/* ---------------------------------------------------------------- field checks */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const PHONE = /^\+?[0-9 ()-]{5,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks field values against the service's fields; returns the known ones, or throws 422. */
export function checkFields(service: ServiceRow, values: Record<string, FieldValue>, locale: Locale, skip: readonly SeedField['type'][] = []): {
  fields: Record<string, FieldValue>;
  fileIds: string[];
} {
  const errors: Record<string, string> = {};
  const out: Record<string, FieldValue> = {};
  const fileIds: string[] = [];
  for (const f of service.fields) {
    if (skip.includes(f.type)) continue;
    const key = `fields.${f.id}`;
    const value = values[f.id];
    const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty) {
      if (f.required) errors[key] = say(locale, M.fieldRequired);
      continue;
    }
    const problem = checkValue(f, value, locale);
    if (problem) errors[key] = problem;
    else {
      out[f.id] = value;
      if (f.type === 'file') fileIds.push(...(value as string[]));
    }
  }
  if (Object.keys(errors).length) throw new HttpError('validation_failed', say(locale, M.fieldsInvalid), errors);
  return { fields: out, fileIds };
}

function checkValue(f: SeedField, value: FieldValue, locale: Locale): string | null {
  const t = (m: Parameters<typeof say>[1]) => say(locale, m);
  const wrong = t(M.notValidValue);
  const isText = typeof value === 'string';
  switch (f.type) {
    case 'text':
    case 'textarea': {
      if (!isText) return wrong;
      if (f.maxLength !== undefined && value.length > f.maxLength) return t(M.maxLength(f.maxLength));
      if (f.minLength !== undefined && value.trim().length < f.minLength) return t(M.minLength(f.minLength));
      return null;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return t(M.enterNumber);
      if (typeof f.min === 'number' && value < f.min) return t(M.notBelow(f.min));
      if (typeof f.max === 'number' && value > f.max) return t(M.notAbove(f.max));
      return null;
    }
    case 'date': {
      if (!isText || !DATE.test(value) || Number.isNaN(Date.parse(value))) return t(M.enterDate);
      if (typeof f.min === 'string' && value < f.min) return t(M.notBefore(f.min));
      if (typeof f.max === 'string' && value > f.max) return t(M.notAfter(f.max));
      return null;
    }
    case 'datetime':
      return isText && DATETIME.test(value) && !Number.isNaN(Date.parse(value)) ? null : t(M.enterDateTime);
    case 'single':
      return isText && f.options?.some((o) => o.value === value) ? null : t(M.chooseOne);
    case 'multi':
      return Array.isArray(value) && value.every((x) => f.options?.some((o) => o.value === x)) ? null : t(M.chooseFromOptions);
    case 'location': {
      if (typeof value !== 'object' || Array.isArray(value) || value === null) return t(M.giveLocation);
      const loc = value as { lat?: number; lng?: number; address?: string };
      const hasPoint = typeof loc.lat === 'number' && typeof loc.lng === 'number';
      const hasAddress = typeof loc.address === 'string' && loc.address.trim().length > 0;
      return hasPoint || hasAddress ? null : t(M.giveLocation);
    }
    case 'file': {
      if (!Array.isArray(value)) return wrong;
      const max = f.maxFiles ?? ATTACHMENT_LIMITS.maxFiles;
      return value.length > max ? t(M.maxFiles(max)) : null;
    }
    case 'phone':
      return isText && PHONE.test(value.trim()) ? null : t(M.enterPhone);
    case 'email':
      return isText && EMAIL.test(value.trim()) && value.length <= 200 ? null : t(M.enterEmail);
    default:
      return wrong;
  }
}

/* ---------------------------------------------------------------- reading */

/** A request by its reference, typed any way (case, dashes, spaces, full width: src/client/reference.ts). */
export async function findRequest(q: Queryable, reference: string): Promise<RequestRow | null> {
  if (reference.length > 64) return null;
  const rows = await q.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE reference = $1', [parseReference(reference).canonical]);
  return rows[0] ?? null;
}

async function names(q: Queryable, table: 'sites' | 'services' | 'departments', id: string, locale: Locale) {
  const rows = await q.query<{ names: Texts }>(`SELECT names FROM ${table} WHERE id = $1`, [id]);
  return { id, ...localTexts(locale, { name: rows[0]?.names }) };
}

export async function requestAttachments(q: Queryable, requestId: string): Promise<Attachment[]> {
  const rows = await q.query<{ id: string; name: string; size: number; type: string }>(
    'SELECT id, name, size, type FROM attachments WHERE request_id = $1 ORDER BY created_at, id', [requestId]);
  return rows.map((r) => ({ id: r.id, name: r.name, size: Number(r.size), type: r.type }));
}

const FEEDBACK_STATUSES: RequestStatus[] = ['replied', 'resolved', 'closed'];

export async function residentDetail(q: Queryable, r: RequestRow, locale: Locale, now: Date = new Date()): Promise<RequestDetail> {
  const timeline = await q.query<{ id: string; at: Date; status: RequestStatus; department_id: string | null; note: string | null; step: TimelineEntry['step'] | null; move: unknown }>(
    'SELECT id::text AS id, at, status, department_id, note, step, move FROM request_timeline WHERE request_id = $1 ORDER BY id', [r.id]);
  const replies = await q.query<{ id: string; at: Date; department_id: string; text: string; signature: string | null }>(
    'SELECT id, at, department_id, text, signature FROM request_replies WHERE request_id = $1 ORDER BY at, id', [r.id]);
  const deptCache = new Map<string, { id: string; name: string; langs?: Record<string, string> }>();
  const dept = async (id: string) => {
    if (!deptCache.has(id)) deptCache.set(id, await names(q, 'departments', id, locale));
    return deptCache.get(id)!;
  };
  const entries: { id: string; entry: TimelineEntry }[] = [];
  for (const t of timeline) {
    const entry: TimelineEntry = { at: iso(t.at), status: t.status };
    if (t.department_id) entry.department = await dept(t.department_id);
    // A note the server wrote (in the locale the request was filed in) is said again in the asked one.
    if (t.note) entry.note = restate(t.note, locale);
    if (t.step) entry.step = t.step;
    if (t.move) entry.move = await moveOut(t.move, dept);
    entries.push({ id: t.id, entry });
  }
  const ratings = await feedbackRows(q, r.id);
  const replyList = [];
  for (const rep of replies) {
    const department = await dept(rep.department_id);
    const signature = signatureText(department.name, rep.signature);
    replyList.push({ id: rep.id, at: iso(rep.at), department, text: rep.text, ...(signature ? { signature } : {}) });
  }
  const answered = FEEDBACK_STATUSES.includes(r.status);
  // One rating per answer: a reopen starts a new round, and the earlier ratings stay.
  const current = currentRating(ratings, r);
  return {
    id: r.id,
    reference: r.reference,
    site: await names(q, 'sites', r.site_id, locale),
    service: await names(q, 'services', r.service_id, locale),
    type: r.kind,
    status: r.status,
    routedTo: await dept(r.department_id),
    description: r.description,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    replyBy: r.reply_by ? iso(r.reply_by) : null,
    // Limits on the site's working-day calendar and whether one has passed (loop/deadlines.ts).
    ...(await deadlinesOut(q, r, now)),
    timeline: withRatings(entries, ratings, locale),
    replies: replyList,
    attachments: await requestAttachments(q, r.id),
    feedback: ratings.length ? feedbackOut(ratings.at(-1)!) : null,
    feedbackHistory: ratings.map(feedbackOut),
    awaitingFeedback: answered && !current,
    canReopen: answered && current?.resolved !== true,
    ...(await dispatchResident(q, r, locale)),
  };
}

export async function staffDetail(q: Queryable, r: RequestRow, locale: Locale, now: Date = new Date()): Promise<StaffRequestDetail> {
  const base = await residentDetail(q, r, locale, now);
  const service = await getService(q, r.service_id);
  const ratings = await feedbackRows(q, r.id);
  const ratedDepartments = new Map<string, { id: string; name: string }>();
  for (const f of ratings) if (!ratedDepartments.has(f.department_id)) ratedDepartments.set(f.department_id, await names(q, 'departments', f.department_id, locale));
  const filled: FilledField[] = [];
  // Values as the resident chose them: labels, the site's clock, addresses (operator-detail.ts).
  const timeZone = (await getSite(q, r.site_id))?.timezone ?? 'Asia/Shanghai';
  const requestLocale = pickLocale(r.locale);
  const fileNames = new Map((base.attachments ?? []).map((a) => [a.id, a.name]));
  for (const f of service?.fields ?? []) {
    const value = r.fields[f.id];
    if (value === undefined) continue;
    filled.push(withDisplay({ id: f.id, label: text(f.label, locale), type: f.type, value }, f, locale, requestLocale, timeZone, fileNames));
  }
  // Open311 sends a location even for services without a location field.
  if (r.location && !filled.some((f) => f.type === 'location')) {
    filled.push(withDisplay({ id: 'location', label: say(locale, M.locationLabel), type: 'location', value: r.location }, { type: 'location' }, locale, requestLocale, timeZone, fileNames));
  }
  const authors = await q.query<{ id: string; author_id: string | null }>('SELECT id, author_id FROM request_replies WHERE request_id = $1', [r.id]);
  const authorOf = new Map(authors.map((a) => [a.id, a.author_id]));
  const replies = [];
  for (const rep of base.replies) replies.push({ ...rep, author: await assigneeOf(q, authorOf.get(rep.id)) });
  const work = r as RequestRow & { assignee_id?: string | null; assigned_at?: Date | null };
  return {
    ...base,
    replyBy: base.replyBy ?? null,
    replies,
    assignee: await assigneeOf(q, work.assignee_id),
    assignedAt: work.assigned_at ? iso(work.assigned_at) : null,
    notes: await notesOf(q, r.id),
    timeZone,
    attachments: base.attachments ?? [],
    feedback: base.feedback ?? null,
    feedbackHistory: ratings.map((f) => ({ ...feedbackOut(f), department: ratedDepartments.get(f.department_id)! })),
    locale: r.locale,
    // Never here: staff get the contact on demand, audited (staff/scope.ts protectDetail, contactFor).
    contact: null,
    ...(r.contact && (r.contact.name || r.contact.phone || r.contact.email) ? { contactHidden: 'on_demand' as const } : {}),
    fields: filled,
    page: r.page ? { url: r.page.url, title: r.page.title ?? '' } : null,
    consentVersion: r.consent_version,
    nextStatuses: [...STATUS_TRANSITIONS[r.status]],
    channel: r.channel ?? 'intake',
    ...(r.media_url ? { mediaUrl: r.media_url } : {}),
    conversationId: r.conversation_id ?? null,
    ...(await dispatchDetail(q, r, locale)),
    ...(await suggestionField(q, 'request', r.id, locale)),
  };
}

/** `soon`: the due-soon moments per site, shared by the items of one queue page (queueDueFields). */
export async function requestQueueItem(q: Queryable, r: RequestRow, locale: Locale, now: Date = new Date(), soon?: Map<string, Promise<Date>>): Promise<QueueItem> {
  return {
    item: 'request',
    id: r.id,
    reference: r.reference,
    ...escalationOf(r),
    site: await names(q, 'sites', r.site_id, locale),
    kind: r.kind,
    service: await names(q, 'services', r.service_id, locale),
    status: r.status,
    routedTo: await names(q, 'departments', r.department_id, locale),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    preview: r.description.slice(0, 140),
    assignee: await assigneeOf(q, (r as RequestRow & { assignee_id?: string | null }).assignee_id),
    ...(await dispatchQueueFields(q, r, locale)),
    ...(await queueDueFields(q, r, now, soon)),
  };
}

/* ---------------------------------------------------------------- changing */

export async function addTimeline(q: Queryable, requestId: string, status: RequestStatus, departmentId: string | null, note: string | null) {
  await q.query('INSERT INTO request_timeline (request_id, status, department_id, note) VALUES ($1, $2, $3, $4)', [requestId, status, departmentId, note]);
}

/** Sets a status with its timeline entry; `extra` updates other columns in the same statement. */
export async function setStatus(q: Queryable, r: RequestRow, status: RequestStatus, note: string | null, departmentId?: string) {
  const dept = departmentId ?? r.department_id;
  await q.query('UPDATE requests SET status = $2, department_id = $3, updated_at = now() WHERE id = $1', [r.id, status, dept]);
  await addTimeline(q, r.id, status, dept, note);
}

/** The site's prefix when it is one the lookup can read back (letters only), else `RS`. */
const referencePrefix = (site: Pick<SiteRow, 'reference_prefix'>) => (/^[A-Z]{1,8}$/.test(site.reference_prefix) ? site.reference_prefix : 'RS');

/**
 * A new random reference (`RS-7KQ2-M9XD-4`): unguessable, and telling nothing of the day or the
 * count. 32⁸ of them per prefix, so a clash is all but impossible: the unique key refuses it and
 * the filing is made again with another (fileRequest, insertRequest).
 */
const newReference = (site: SiteRow) => makeReference(referencePrefix(site), randomBytes(8));

/** Attachment ids must exist, belong to the site and be unused (or already this owner's). */
export async function claimAttachments(q: Queryable, ids: string[], siteId: string, owner: { request?: string; conversation?: string }, field: string, language: Locale | boolean) {
  if (!ids.length) return;
  const unique = [...new Set(ids)];
  const rows = await q.query<{ id: string; site_id: string; request_id: string | null; conversation_id: string | null }>(
    'SELECT id, site_id, request_id, conversation_id FROM attachments WHERE id = ANY($1::text[]) FOR UPDATE', [unique]);
  const ok = unique.every((id) => {
    const row = rows.find((r) => r.id === id);
    return row && row.site_id === siteId && !row.request_id && !row.conversation_id;
  });
  // `true`/`false` is the older en-or-not form (Open311 still passes it).
  const locale: Locale = typeof language === 'boolean' ? (language ? 'en' : 'zh-CN') : language;
  if (!ok) throw new HttpError('validation_failed', say(locale, M.unknownAttachment), { [field]: say(locale, M.uploadAgain) });
  await q.query('UPDATE attachments SET request_id = $2, conversation_id = $3 WHERE id = ANY($1::text[])', [unique, owner.request ?? null, owner.conversation ?? null]);
}

/* ---------------------------------------------------------------- filing */

export interface NewRequest {
  site: SiteRow;
  service: ServiceRow;
  kind: RequestKind;
  description: string;
  /** Checked field values (checkFields). */
  fields: Record<string, FieldValue>;
  /** Attachment ids to claim. */
  files: string[];
  contact: Contact | null;
  consentVersion: string;
  locale: Locale;
  page: { url: string; title?: string } | null;
  /** Which door it came through: the intake protocol or Open311. */
  channel: 'intake' | 'open311';
  /** Open311: a location given beside a service that has no location field. */
  location?: { lat?: number; lng?: number; address?: string } | null;
  /** Open311: `media_url` as sent. */
  mediaUrl?: string | null;
  /** Open311: the token answered beside the id (`GET tokens/{token}.json`). */
  open311Token?: string | null;
}

/** One filing made ready in memory: what the statement writes and what the resident is answered. */
interface Filing {
  id: string;
  reference: string;
  accessToken: string;
  now: Date;
  dept: DepartmentRow;
  limits: ReturnType<typeof computeDeadlines>;
  created: RequestCreated;
}

/** Route, reference, deadlines and the answer, from the kept catalogue (catalogue/kept.ts): no statement. */
function prepareFiling(ctx: ServerContext, kept: KeptCatalogue, input: NewRequest): Filing {
  const { site, service, locale } = input;
  const now = ctx.clock.now();
  const dept = kept.route(site.id, service.id);
  const id = newId();
  const accessToken = newToken();
  const hours = service.reply_hours ?? site.reply_hours;
  // Reply and resolution limits on the city's working-day calendar (loop/deadlines.ts).
  const limits = computeDeadlines(kept.calendar, now, site, service);
  const reference = newReference(site);
  return {
    id, reference, accessToken, now, dept, limits,
    created: {
      id,
      reference,
      status: 'routed',
      routedTo: departmentOut(dept, locale),
      accessToken,
      createdAt: now.toISOString(),
      replyPromise: replyPromise(hours, service.round_the_clock, locale),
      replyBy: limits.replyBy.toISOString(),
      resolveBy: limits.resolveBy.toISOString(),
    },
  };
}

/**
 * Everything a new request is stored with, in ONE statement (data-modifying CTEs run together and
 * commit or fail together): with `idempotency`, the key's record with its answer first, and the rest
 * only when that record is new; the request with its deadlines; its two timeline entries; its loop
 * events (filed, dispatched unless routed to the intake centre, deadline_set) in that order; its
 * delivery outbox row when the department has an Open311 endpoint (delivery/outbox.ts); its
 * dispatch suggestion (ranked beforehand); and the staff queue's notice (hub.ts), sent at commit.
 * Answers whether it was stored (false: the key was there already; without a key, the reference was
 * taken, and nothing was written) and whether a delivery was queued. With a key, a taken reference
 * fails the statement (23505) and nothing is written either.
 */
async function writeFiling(
  ctx: ServerContext,
  q: Queryable,
  kept: KeptCatalogue,
  input: NewRequest,
  f: Filing,
  suggestion: MadeSuggestion | null,
  idempotency: IdempotencyTarget | null,
): Promise<{ stored: boolean; queued: boolean }> {
  const params: unknown[] = [];
  const $ = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const { site, service, locale, contact } = input;
  const at = $(f.now.toISOString(), 'timestamptz');
  const ctes: string[] = [];
  if (idempotency) {
    ctes.push(`idem AS (INSERT INTO idempotency (site, scope, key, request_hash, status, response)
      VALUES (${$(idempotency.site, 'text')}, ${$(idempotency.scope, 'text')}, ${$(idempotency.key, 'text')}, ${$(idempotency.hash, 'text')}, 201, ${$(JSON.stringify(f.created), 'jsonb')})
      ON CONFLICT (site, scope, key) DO NOTHING RETURNING key)`);
  }
  const values = [
    $(f.id, 'text'), $(f.reference, 'text'), $(site.id, 'text'), $(service.id, 'text'), $(input.kind, 'text'), `'routed'`, $(f.dept.id, 'text'),
    $(input.description, 'text'), $(JSON.stringify(input.fields), 'jsonb'), $(contact && JSON.stringify(contact), 'jsonb'),
    $(contact?.phone ? normalPhone(contact.phone) : null, 'text'), $(contact?.email ? normalEmail(contact.email) : null, 'text'),
    $(input.consentVersion, 'text'), $(locale, 'text'), $(input.page ? JSON.stringify(input.page) : null, 'jsonb'), $(sha256(f.accessToken), 'text'),
    $(f.limits.replyBy.toISOString(), 'timestamptz'), at, at, $(input.channel, 'text'), $(input.location ? JSON.stringify(input.location) : null, 'jsonb'),
    $(input.mediaUrl ?? null, 'text'), $(input.open311Token ?? null, 'text'), $(f.limits.resolveBy.toISOString(), 'timestamptz'), $(f.limits.class, 'text'),
  ];
  ctes.push(`r AS (INSERT INTO requests (id, reference, site_id, service_id, kind, status, department_id, description, fields, contact,
      contact_phone, contact_email, consent_version, locale, page, access_token_hash, reply_by, created_at, updated_at,
      channel, location, media_url, open311_token, resolve_by, deadline_class)
    SELECT ${values.join(', ')}${idempotency ? ' FROM idem' : ' ON CONFLICT (reference) DO NOTHING'} RETURNING id)`);
  const dept = $(f.dept.id, 'text');
  ctes.push(`t AS (INSERT INTO request_timeline (request_id, at, status, department_id, note)
    SELECT r.id, ${at}, x.status, x.department_id, NULL FROM r, (VALUES (1, 'received', NULL::text), (2, 'routed', ${dept})) AS x(n, status, department_id) ORDER BY x.n)`);
  // The loop (loop/events.ts): filed; the catalogue's routing as the first dispatch (loop/dispatch.ts recordFiledRoute); the limits set.
  const events: string[] = [`(1, 'filed', NULL::text, ${$(JSON.stringify({ channel: input.channel, kind: input.kind, service: service.id, site: site.id }), 'jsonb')})`];
  if (f.dept.id !== kept.dispatch?.id) events.push(`(2, 'dispatched', ${dept}, ${$(JSON.stringify({ from: null, to: f.dept.id, reason: null, by: 'routing' }), 'jsonb')})`);
  events.push(`(3, 'deadline_set', ${dept}, ${$(JSON.stringify({ reason: 'filed', class: f.limits.class, replyBy: f.limits.replyBy.toISOString(), resolveBy: f.limits.resolveBy.toISOString() }), 'jsonb')})`);
  ctes.push(`e AS (INSERT INTO loop_events (request_id, at, type, office_id, actor_id, detail)
    SELECT r.id, ${at}, x.type, x.office_id, NULL, x.detail FROM r, (VALUES ${events.join(', ')}) AS x(n, type, office_id, detail) ORDER BY x.n)`);
  // Delivery into the department's own system (delivery/outbox.ts queueDelivery), read where it is kept.
  ctes.push(`o AS (INSERT INTO delivery_outbox (id, request_id, department_id, state, next_attempt_at, created_at)
    SELECT ${$(newId(), 'text')}, r.id, d.id, 'pending', ${at}, ${at} FROM r JOIN departments d ON d.id = ${dept}
    WHERE d.open311 IS NOT NULL AND jsonb_typeof(d.open311) = 'object'
    ON CONFLICT (request_id, department_id) DO NOTHING RETURNING id)`);
  if (suggestion) {
    ctes.push(`s AS (INSERT INTO dispatch_suggestions (item_kind, item_id, site_id, suggestions, model, created_at, updated_at)
      SELECT 'request', r.id, ${$(site.id, 'text')}, ${$(JSON.stringify(suggestion.suggestions), 'jsonb')}, ${$(suggestion.model, 'text')}, ${at}, ${at} FROM r
      ON CONFLICT (item_kind, item_id) DO NOTHING)`);
  }
  const notice = `pg_notify(${$(ctx.hub.queueChannel, 'text')}, ${$(JSON.stringify({ item: 'request', id: f.id }), 'text')})`;
  const rows = await q.query<{ id: string; queued: number }>(
    `WITH ${ctes.join(',\n')}
     SELECT r.id, (SELECT count(*) FROM o)::int AS queued, ${notice} AS notified FROM r`, params);
  return { stored: rows.length > 0, queued: Number(rows[0]?.queued ?? 0) > 0 };
}

const retriable = (err: unknown) => ['23505', '40001', '40P01'].includes((err as { code?: string }).code ?? '');

/**
 * Stores a checked request with its route, reference, timeline and attachments, inside the caller's
 * transaction (Open311, a chat made into a work order): one statement (writeFiling), then the
 * attachments claimed. The delivery worker is woken at once; it looks 50 ms later, and its schedule
 * catches a row the caller's transaction commits after that.
 */
export async function insertRequest(ctx: ServerContext, q: Queryable, input: NewRequest): Promise<RequestCreated> {
  // Read in the caller's transaction: PGlite would wait for it for ever in another.
  const kept = await keptCatalogue(ctx.db, q);
  const suggestion = await rankForRequest(q, kept, { site: input.site.id, locale: input.locale, text: input.description });
  let f = prepareFiling(ctx, kept, input);
  for (let attempt = 0; ; attempt++) {
    const { stored, queued } = await writeFiling(ctx, q, kept, input, f, suggestion, null);
    if (stored) {
      if (queued) wakeDelivery(ctx);
      break;
    }
    // The reference was taken (all but impossible): nothing was written; again with another.
    if (attempt >= 5) throw new Error('no free reference');
    f = prepareFiling(ctx, kept, input);
  }
  await claimAttachments(q, input.files, input.site.id, { request: f.id }, 'attachments', input.locale);
  return f.created;
}

/**
 * POST /requests: filed once per Idempotency-Key (storage/idempotency.ts' contract: the same key and
 * body get the stored answer with 200, another body 409). Without attachments one statement does it
 * all, committing on its own; with them, that statement and the claim in one transaction.
 */
async function fileRequest(ctx: ServerContext, kept: KeptCatalogue, input: NewRequest, target: IdempotencyTarget): Promise<Stored<RequestCreated>> {
  const suggestion = await rankForRequest(ctx.db, kept, { site: input.site.id, locale: input.locale, text: input.description });
  for (let attempt = 0; ; attempt++) {
    const f = prepareFiling(ctx, kept, input);
    try {
      const { stored, queued } = input.files.length
        ? await ctx.db.tx(async (q) => {
            const done = await writeFiling(ctx, q, kept, input, f, suggestion, target);
            if (done.stored) await claimAttachments(q, input.files, input.site.id, { request: f.id }, 'attachments', input.locale);
            return done;
          })
        : await writeFiling(ctx, ctx.db, kept, input, f, suggestion, target);
      if (stored) {
        if (queued) wakeDelivery(ctx);
        return { status: 201, body: f.created };
      }
      const rows = await ctx.db.query<{ request_hash: string; status: number | null; response: RequestCreated | null }>(
        'SELECT request_hash, status, response FROM idempotency WHERE site = $1 AND scope = $2 AND key = $3', [target.site, target.scope, target.key]);
      const row = rows[0];
      if (row && row.status !== null && row.response !== null) {
        if (row.request_hash !== target.hash) throw new HttpError('conflict', 'This Idempotency-Key was used with a different body');
        return { status: 200, body: row.response };
      }
      // A record seen mid-flight (or gone since): try again.
      if (attempt >= 20) throw new Error('idempotency record not settled');
      await new Promise((resolve) => setTimeout(resolve, 20 + attempt * 20));
    } catch (err) {
      // A clash of references (23505), a serialization hiccup: again, with a new reference.
      if (!retriable(err) || attempt >= 20) throw err;
    }
  }
}

/* ---------------------------------------------------------------- routes */

export function registerRequests(app: Hono, ctx: ServerContext): void {
  app.post('/requests', async (c) => {
    const { value } = await readJson(c);
    // Honeypot: a filled `website` gets an answer shaped like success and nothing is stored.
    if (value && typeof value === 'object' && typeof (value as { website?: unknown }).website === 'string' && (value as { website: string }).website.trim()) {
      return c.json(await honeypotAnswer(ctx), 201);
    }
    const input = validate(RequestInputSchema, value);
    const locale = pickLocale(input.locale);
    const t = (m: Parameters<typeof say>[1]) => say(locale, m);
    // Site, service, privacy notice, routing and calendar from the kept catalogue (catalogue/kept.ts).
    const kept = await keptCatalogue(ctx.db);
    const site = kept.sites.get(input.site);
    if (!site) throw new HttpError('not_found', t(M.unknownSite), { site: t(M.unknownSite) });
    const service = kept.services.get(input.service);
    if (!service) throw new HttpError('not_found', t(M.unknownService), { service: t(M.unknownService) });
    if (!service.kinds.includes(input.type)) {
      throw new HttpError('validation_failed', t(M.kindNotTaken), { type: t(M.kindNotOffered) });
    }
    if (kept.consentVersion !== null && kept.consentVersion !== input.consent.version) {
      throw new HttpError('validation_failed', t(M.consentChanged), { 'consent.version': t(M.consentReadAgain) });
    }
    const { fields, fileIds } = checkFields(service, input.fields, locale);
    const allFiles = [...new Set([...input.attachments, ...fileIds])];
    if (allFiles.length > ATTACHMENT_LIMITS.maxFiles) {
      throw new HttpError('validation_failed', t(M.tooManyFiles), { attachments: t(M.maxFiles(ATTACHMENT_LIMITS.maxFiles)) });
    }
    const key = idempotencyKey(c);
    const contact = input.contact && (input.contact.name || input.contact.phone || input.contact.email) ? input.contact : null;
    const result = await fileRequest(ctx, kept, {
      site, service, kind: input.type, description: input.description, fields, files: allFiles, contact,
      consentVersion: input.consent.version, locale, page: input.page ?? null, channel: 'intake',
    }, { site: input.site, scope: 'requests', key, hash: sha256(canonicalJson(value)) });
    return c.json(result.body, result.status as 200 | 201);
  });

  /**
   * The resident's view: bearer accessToken, or `X-Intake-Contact` matching the contact given. A
   * reference that cannot be one of ours (a typo the check character catches) is a 422 at once,
   * before the database; a wrong reference and a wrong token or contact get one answer, after the
   * same work, so neither tells which references exist. Failed lookups by contact are counted per
   * address (RateLimiter.failures): guessing phone numbers or references is stopped early.
   */
  const residentRequest = async (c: Context, followers = false): Promise<RequestRow & { following?: boolean }> => {
    const asked = localeFrom(c.req.query('locale'), c.req.header('accept-language'));
    const typed = c.req.param('reference') ?? '';
    const parsed = typed.length <= 64 ? parseReference(typed) : null;
    if (!parsed || parsed.format === 'other' || !parsed.valid) {
      const check = say(asked, M.checkReference);
      throw new HttpError('validation_failed', check, { reference: check });
    }
    const token = bearer(c);
    const contact = c.req.header('x-intake-contact');
    if (!token && !contact) throw new HttpError('unauthorized', say(asked, M.tokenOrContact));
    const address = clientAddress(c, ctx.trustProxy);
    const byContact = !token;
    // Counted per address and per reference: guessing one reference's contact from many addresses stops too.
    const perReference = `reference:${parsed.canonical}`;
    if (byContact) {
      await ctx.limiter.checkFailures('lookup', address);
      await ctx.limiter.checkFailures('lookup', perReference);
    }
    const r = await findRequest(ctx.db, parsed.canonical);
    // Checked against a stand-in when there is no such request: the same work either way.
    const row = r ?? NO_REQUEST;
    let ok = false;
    // Staff read it too, when it is in their scope (staff/scope.ts).
    if (token) ok = sha256(token) === row.access_token_hash || (await staffSees(ctx, c, r));
    else if (contact) {
      const phone = normalPhone(contact);
      // Constant-time comparisons, both always made (no early exit tells which one is stored).
      const email = safeEqual(normalEmail(contact), row.contact_email ?? '\u0000');
      const byPhone = phone.length >= 5 && safeEqual(phone, row.contact_phone ?? '\u0000');
      ok = (!!row.contact_email && email) || (!!row.contact_phone && byPhone);
    }
    if (r && ok) return r;
    // A follower (loop/duplicates.ts) reads it with their own token or contact; never rates or reopens it.
    if (followers && (await followerMatches(ctx.db, r?.id ?? '', { token, contact }))) return { ...r!, following: true };
    if (byContact) {
      await ctx.limiter.fail('lookup', address);
      await ctx.limiter.fail('lookup', perReference);
    }
    throw new HttpError('not_found', say(asked, M.requestNotFound));
  };

  app.get('/requests/:reference', async (c) => {
    const r = await residentRequest(c, true);
    const detail = await mergeView(ctx.db, r, await residentDetail(ctx.db, r, pickLocale(c.req.query('locale') ?? r.locale), ctx.clock.now()));
    return c.json(r.following ? followerView(detail) : detail);
  });

  app.post('/requests/:reference/feedback', async (c) => {
    const r0 = await residentRequest(c);
    const key = idempotencyKey(c);
    const { body, value } = await jsonBody(c, FeedbackInputSchema);
    const locale = pickLocale(c.req.query('locale') ?? r0.locale);
    const target = { site: r0.site_id, scope: `feedback:${r0.reference}`, key, hash: sha256(canonicalJson(value)) };
    const result = await withIdempotency<RequestDetail>(ctx.db, target, async (q) => {
      const r = (await q.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1 FOR UPDATE', [r0.id]))[0]!;
      if (r.merged_into) throw new HttpError('conflict', say(locale, M.mergedFollowThat));
      if (!FEEDBACK_STATUSES.includes(r.status)) throw new HttpError('conflict', say(locale, M.feedbackNotYet));
      if (currentRating(await feedbackRows(q, r.id), r)) throw new HttpError('conflict', say(locale, M.feedbackGiven));
      // With the access token from the device it was filed on, or from any device with the reference and the contact.
      await recordFeedback(q, r, body, { clock: ctx.clock, channel: bearer(c) ? 'widget' : 'any_device' });
      // A bad rating or "not solved" sends it back to be redone; a good solved one resolves it (loop/ratings.ts).
      await afterRating(ctx, q, r, body);
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
      return { status: 200, body: await residentDetail(q, (await findRequest(q, r.reference))!, locale, ctx.clock.now()) };
    });
    return c.json(result.body, 200);
  });

  app.post('/requests/:reference/reopen', async (c) => {
    const r0 = await residentRequest(c);
    const key = idempotencyKey(c);
    const { body, value } = await jsonBody(c, ReopenInputSchema, { allowEmpty: true });
    const locale = pickLocale(c.req.query('locale') ?? r0.locale);
    const target = { site: r0.site_id, scope: `reopen:${r0.reference}`, key, hash: sha256(canonicalJson(value)) };
    const result = await withIdempotency<RequestDetail>(ctx.db, target, async (q) => {
      const r = (await q.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1 FOR UPDATE', [r0.id]))[0]!;
      if (r.merged_into) throw new HttpError('conflict', say(locale, M.mergedFollowThat));
      const current = currentRating(await feedbackRows(q, r.id), r);
      if (!FEEDBACK_STATUSES.includes(r.status) || current?.resolved === true) {
        throw new HttpError('conflict', say(locale, M.cannotReopen));
      }
      const reason = body.reason?.trim();
      const note = say(r.locale, M.reopenedNote) + (reason ? ` — ${reason}` : '');
      // The next answer is rated in a new round; every earlier rating stays (request_feedback).
      const rated = current ? ` (${say(r.locale, M.earlierRating(current.rating))})` : '';
      await q.query('UPDATE requests SET feedback_round = feedback_round + 1 WHERE id = $1', [r.id]);
      await setStatus(q, r, 'in_progress', note + rated);
      await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'reopened', officeId: r.department_id, detail: { by: 'resident', from: r.status } });
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
      return { status: 200, body: await residentDetail(q, (await findRequest(q, r.reference))!, locale, ctx.clock.now()) };
    });
    return c.json(result.body, 200);
  });
}

/** Compared when a reference finds nothing, so that path does the same work as a wrong contact. */
const NO_REQUEST: Pick<RequestRow, 'access_token_hash' | 'contact_email' | 'contact_phone'> = {
  access_token_hash: sha256(newToken()),
  contact_email: '\u0000',
  contact_phone: '\u0000',
};

async function honeypotAnswer(ctx: ServerContext): Promise<RequestCreated> {
  const now = new Date();
  const dispatch = await ctx.db.query<DepartmentRow & Record<string, unknown>>('SELECT * FROM departments WHERE is_dispatch LIMIT 1');
  return {
    id: newId(),
    reference: makeReference('RS', randomBytes(8)),
    status: 'received',
    routedTo: dispatch[0] ? departmentOut(dispatch[0], 'zh-CN') : { id: 'dispatch', name: '' },
    accessToken: newToken(),
    createdAt: now.toISOString(),
  };
}

/* ---------------------------------------------------------------- staff moves */

export async function staffRoute(ctx: ServerContext, reference: string, departmentId: string, note: string | undefined, locale: Locale, actor?: StaffUser) {
  const dept = await getDepartment(ctx.db, departmentId);
  if (!dept) throw new HttpError('validation_failed', 'Unknown department', { department: 'Unknown department' });
  return ctx.db.tx(async (q) => {
    const r = await lockRequest(q, reference);
    // 派单 / 改派 as loop events, a pending return cleared (loop/dispatch.ts).
    const move = await beforeRoute(q, ctx.clock, r, dept.id, actor, note?.trim() || null);
    await decideDispatch(q, ctx.clock, { item: 'request', id: r.id, department: dept.id, via: 'route', actor });
    await setStatus(q, r, 'routed', note?.trim() || null, dept.id);
    await queueDelivery(ctx, q, r.id, dept.id);
    await markRouteEntry(q, r.id, move);
    await ctx.hub.publishQueue(q, { item: 'request', id: r.id, was: { site_id: r.site_id, department_id: r.department_id } });
    return staffDetail(q, (await findRequest(q, reference))!, locale, ctx.clock.now());
  });
}

/** `author`: who writes it; the reply is signed as the request's site is configured (operator-detail.ts). */
export async function staffReply(ctx: ServerContext, reference: string, replyText: string, locale: Locale, author?: Pick<Person, 'id' | 'displayName' | 'login'> & { role?: string; departmentId?: string | null }) {
  return ctx.db.tx(async (q) => {
    const r = await lockRequest(q, reference);
    if (r.status === 'closed') throw new HttpError('conflict', 'The request is closed; move it back to in_progress first');
    const writer = author ? ((await personById(q, author.id)) ?? author) : null;
    const person = writer ? signaturePerson(await signatureMode(q, r.site_id), writer, pickLocale(r.locale)) : null;
    await q.query('INSERT INTO request_replies (id, request_id, department_id, text, author_id, signature) VALUES ($1, $2, $3, $4, $5, $6)',
      [newId(), r.id, r.department_id, replyText, author?.id ?? null, person]);
    await q.query('UPDATE requests SET first_reply_at = COALESCE(first_reply_at, $2) WHERE id = $1', [r.id, ctx.clock.now()]);
    await setStatus(q, r, 'replied', null);
    await noteAccepted(q, ctx.clock, r.id, author, 'reply');
    await answered(ctx, q, r, 'replied', author?.id ?? null);
    await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
    return staffDetail(q, (await findRequest(q, reference))!, locale, ctx.clock.now());
  });
}

export async function staffStatus(ctx: ServerContext, reference: string, status: RequestStatus, note: string | undefined, locale: Locale, actor?: StaffUser) {
  return ctx.db.tx(async (q) => {
    const r = await lockRequest(q, reference);
    if (!STATUS_TRANSITIONS[r.status].includes(status)) {
      throw new HttpError('conflict', `Cannot move from ${r.status} to ${status}`, { status: `Allowed: ${STATUS_TRANSITIONS[r.status].join(', ')}` });
    }
    await setStatus(q, r, status, note?.trim() || null);
    await noteAccepted(q, ctx.clock, r.id, actor, 'status');
    if (status === 'resolved') await answered(ctx, q, r, 'resolved', actor?.id ?? null);
    if (status === 'closed') await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'closed', officeId: r.department_id, actorId: actor?.id ?? null, detail: { from: r.status } });
    if (status === 'in_progress' && (r.status === 'resolved' || r.status === 'closed')) {
      await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'reopened', officeId: r.department_id, actorId: actor?.id ?? null, detail: { by: 'staff', from: r.status } });
    }
    await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
    return staffDetail(q, (await findRequest(q, reference))!, locale, ctx.clock.now());
  });
}

async function lockRequest(q: Queryable, reference: string): Promise<RequestRow> {
  const rows = await q.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE reference = $1 FOR UPDATE', [parseReference(reference.slice(0, 64)).canonical]);
  if (!rows[0]) throw notFound('Request');
  return rows[0];
}
