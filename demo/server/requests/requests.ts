/** Requests: create (idempotent), status for the resident, feedback, reopen; and the staff moves. */
import type { Context, Hono } from 'hono';
import type {
  Attachment,
  FieldValue,
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
  text,
  type DepartmentRow,
  type Locale,
  type ServiceRow,
} from '../catalogue/catalog.js';
import type { SeedField, Texts } from '../catalogue/seed-data.js';
import { localeFrom, localTexts } from '../catalogue/locales.js';
import { M, restate, say } from '../messages.js';
import { randomBytes } from 'node:crypto';
import { makeReference, parseReference } from '../../../src/client/reference.js';
import { HttpError, bearer, canonicalJson, safeEqual, jsonBody, newId, newToken, notFound, readJson, sha256, validate } from '../http.js';
import { clientAddress, type ServerContext } from '../context.js';
import { staffSees } from '../staff/scope.js';
import { withIdempotency, idempotencyKey } from '../storage/idempotency.js';
import { keptCatalogue } from '../catalogue/kept.js';
import { normalEmail, normalPhone } from './contact.js';
import { fileRequest } from './filing.js';
import { currentRating, feedbackOut, feedbackRows, recordFeedback, withRatings } from './feedback.js';
import { afterRating, answered } from '../loop/ratings.js';
import { escalationOf } from '../loop/supervision.js';
import { followerMatches, followerView, mergeView } from '../loop/duplicates.js';
import { beforeRoute, dispatchDetail, dispatchQueueFields, dispatchResident, markRouteEntry, moveOut, noteAccepted } from '../loop/dispatch.js';
import { decideDispatch, suggestionField } from '../loop/dispatch-suggestion.js';
import type { StaffUser } from '../staff/identity.js';
import { deadlinesOut, queueDueFields } from '../loop/deadlines.js';
import { recordLoopEvent } from '../loop/events.js';
import { queueDelivery } from '../delivery/outbox.js';
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
