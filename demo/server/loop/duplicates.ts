/**
 * Duplicates (issue 17): while a resident fills the form, open requests for the same service at
 * the same or a nearby place are offered (`GET /similar`); "already reported — follow it instead"
 * makes them a follower (`POST /requests/{reference}/follow`) who reads the item with their own
 * token and gets every update; staff merge duplicates into one item (`POST /staff/requests/
 * {reference}/merge`), and everyone on the merged item follows the one it went into.
 *
 * Privacy: the residents' list tells only the service, the place (the site, and an address cut
 * to its street), the status and when — never a name, a contact, the description or the fields.
 * A follower sees the status, the departments, resident-visible notes and replies; never the
 * reporter's description, fields, files, contact or ratings.
 */
import type { Hono } from 'hono';
import * as v from 'valibot';
import type { RequestDetail, RequestStatus } from '../../../src/client/protocol.js';
import { FollowInputSchema } from '../../../src/client/protocol.js';
import type { FollowCreated, SimilarRequest, SimilarResponse } from '../../../src/client/protocol.js';
import { parseReference } from '../../../src/client/reference.js';
import { getService, getSite, pickLocale, siteChain, text, type Locale } from '../catalogue/catalog.js';
import type { Texts } from '../catalogue/seed-data.js';
import { localeOf, type ServerContext } from '../context.js';
import { localeFrom } from '../catalogue/locales.js';
import { M, say } from '../messages.js';
import { HttpError, canonicalJson, jsonBody, newId, newToken, notFound, sha256 } from '../http.js';
import { staffBody } from '../staff/field-messages.js';
import { findRequest, staffDetail, type RequestRow } from '../requests/requests.js';
import { normalPhone } from '../requests/contact.js';
import { audit, requireRole, staffOf } from '../staff/identity.js';
import { protectDetail, scopeClause, visibleRequest } from '../staff/scope.js';
import type { Queryable } from '../storage/db.js';
import { idempotencyKey, withIdempotency } from '../storage/idempotency.js';
import { recordLoopEvent } from './events.js';

/** `GET /staff/requests/{reference}/duplicates`: one possible duplicate as staff see it. */
export interface StaffSimilar {
  reference: string;
  site: { id: string; name: string };
  service: { id: string; name: string };
  routedTo: { id: string; name: string };
  kind: RequestRow['kind'];
  status: RequestStatus;
  createdAt: string;
  /** The first 140 characters of the description (staff see more than residents). */
  preview: string;
  followers: number;
  distanceM?: number;
}

/** `GET /staff/requests/{reference}/duplicates`: the console's "possible duplicates" panel. */
export interface DuplicatesResponse {
  reference: string;
  followers: number;
  mergedInto: string | null;
  mergedFrom: { reference: string; at: string }[];
  similar: StaffSimilar[];
}

/** Two points with coordinates count as the same place within this distance. */
export const SIMILAR_RADIUS_M = 500;
/** Only items filed within this many days are offered. */
export const SIMILAR_DAYS = 60;
const OPEN: RequestStatus[] = ['received', 'routed', 'in_progress', 'replied'];
const MAX_OFFERED = 5;

export interface Place {
  lat?: number;
  lng?: number;
  address?: string;
}

type Candidate = Pick<RequestRow, 'id' | 'reference' | 'site_id' | 'service_id' | 'kind' | 'status' | 'department_id' | 'description' | 'fields' | 'location' | 'created_at'>;

const hasPoint = (p: Place | null): p is Required<Pick<Place, 'lat' | 'lng'>> & Place => typeof p?.lat === 'number' && typeof p?.lng === 'number';

/** The place of a request: its location (Open311) or its location field's value. */
export function placeOf(r: Pick<RequestRow, 'location' | 'fields'>): Place | null {
  if (r.location && (hasPoint(r.location) || r.location.address)) return r.location;
  for (const value of Object.values(r.fields ?? {})) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const p = value as Place;
      if (hasPoint(p) || (typeof p.address === 'string' && p.address.trim())) return p;
    }
  }
  return null;
}

/** Metres between two points (haversine). */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * An address cut to its street (`新华路12号3单元` → `新华路`, `12 Xinhua Road, flat 3` → `Xinhua
 * Road`): a house number, a building or a flat never leaves the server. Null when no street is found.
 */
export function streetLevel(address: string | undefined): string | null {
  if (!address) return null;
  const zh = /([\p{Script=Han}]{1,12}?(?:大道|大街|胡同|路|街|巷|弄|道))/u.exec(address);
  if (zh) return zh[1]!;
  const en = /([A-Za-z][A-Za-z .'-]{0,40}?\b(?:Road|Street|Avenue|Lane|Boulevard|Way|Rd|St|Ave))\b/.exec(address.replace(/^\s*\d+[A-Za-z]?\s+/, ''));
  return en ? en[1]!.trim() : null;
}

/** The area searched: the nearest street at or above the site (a district searches itself only). */
async function areaOf(q: Queryable, siteId: string): Promise<string> {
  const chain = await siteChain(q, siteId);
  return chain.find((s) => s.level === 'street')?.id ?? siteId;
}

/**
 * Open items of the service around a place: in the street office's subtree; with coordinates on
 * both sides within SIMILAR_RADIUS_M; otherwise in the same community (or anywhere in the street
 * when the page is a street's or a district's), or on the same street of the address. Nearest first.
 */
export async function findSimilar(
  q: Queryable,
  opts: { siteId: string; serviceId: string; place: Place | null; now: Date; excludeId?: string; scope?: { sql: string; params: unknown[] }; residents?: boolean; limit?: number },
): Promise<{ row: Candidate; distance: number | null }[]> {
  const site = await getSite(q, opts.siteId);
  if (!site) return [];
  const root = await areaOf(q, site.id);
  const since = new Date(opts.now.getTime() - SIMILAR_DAYS * 86_400_000);
  const scope = opts.scope ?? { sql: 'true', params: [] };
  const rows = await q.query<Candidate & Record<string, unknown>>(
    `SELECT id, reference, site_id, service_id, kind, status, department_id, description, fields, location, created_at FROM requests
     WHERE service_id = $1 AND status = ANY($2::text[]) AND merged_into IS NULL AND created_at >= $3
       AND (site_id = $4 OR starts_with(site_id, $4 || '/')) AND id <> $5
       ${opts.residents ? "AND kind <> 'consultation'" : ''} AND ${scope.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + 5}`)}
     ORDER BY created_at DESC LIMIT 200`,
    [opts.serviceId, OPEN, since.toISOString(), root, opts.excludeId ?? '', ...scope.params],
  );
  const here = opts.place;
  const street = streetLevel(here?.address);
  const out: { row: Candidate; distance: number | null; same: boolean }[] = [];
  for (const row of rows) {
    const there = placeOf(row);
    const distance = hasPoint(here) && hasPoint(there) ? distanceM(here, there) : null;
    const same = row.site_id === site.id;
    const match = distance !== null
      ? distance <= SIMILAR_RADIUS_M
      : same || site.level !== 'community' || (street !== null && street === streetLevel(there?.address));
    if (match) out.push({ row, distance, same });
  }
  out.sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity) || Number(b.same) - Number(a.same) || +new Date(b.row.created_at) - +new Date(a.row.created_at));
  return out.slice(0, opts.limit ?? MAX_OFFERED);
}

async function nameOf(q: Queryable, table: 'sites' | 'services' | 'departments', id: string, locale: Locale) {
  const rows = await q.query<{ names: Texts }>(`SELECT names FROM ${table} WHERE id = $1`, [id]);
  return { id, name: text(rows[0]?.names, locale) };
}

/** How many residents follow a request (by the follow button or a merge). */
export async function followerCount(q: Queryable, requestId: string): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM request_followers WHERE request_id = $1', [requestId]);
  return Number(rows[0]?.n ?? 0);
}

/** A distance said roughly: to 50 m, never less than 50 (an exact one would point at a door). */
const roughly = (m: number | null) => (m === null ? undefined : Math.max(50, Math.round(m / 50) * 50));

/* ---------------------------------------------------------------- followers */

/** Whether a follower of `requestId` has this token or gave this contact. */
export async function followerMatches(q: Queryable, requestId: string, auth: { token?: string | null; contact?: string | null }): Promise<boolean> {
  if (auth.token) {
    const rows = await q.query('SELECT 1 FROM request_followers WHERE request_id = $1 AND access_token_hash = $2', [requestId, sha256(auth.token)]);
    return rows.length > 0;
  }
  const contact = auth.contact?.trim();
  if (!contact) return false;
  const phone = normalPhone(contact);
  const rows = await q.query('SELECT 1 FROM request_followers WHERE request_id = $1 AND (contact_email = $2 OR (length($3) >= 5 AND contact_phone = $3))',
    [requestId, contact.toLowerCase(), phone]);
  return rows.length > 0;
}

/** What a follower sees: the status, the departments, notes and replies; nothing the reporter wrote or gave. */
export function followerView(detail: RequestDetail): RequestDetail {
  return {
    ...detail,
    description: '',
    attachments: [],
    timeline: detail.timeline.filter((e) => !e.feedback),
    feedback: null,
    feedbackHistory: [],
    awaitingFeedback: false,
    canReopen: false,
    following: true,
  };
}

/** A merged item says where it went, in its closing entry and at the top; it is not rated or reopened. */
export async function mergeView(q: Queryable, r: RequestRow, detail: RequestDetail): Promise<RequestDetail> {
  const into = (r as RequestRow & { merged_into?: string | null }).merged_into;
  if (!into) return detail;
  const rows = await q.query<{ reference: string; at: Date }>(
    'SELECT t.reference, m.at FROM request_merges m JOIN requests t ON t.id = m.into_id WHERE m.from_id = $1', [r.id]);
  const m = rows[0];
  if (!m) return detail;
  const at = new Date(m.at).toISOString();
  return {
    ...detail,
    mergedInto: m.reference,
    awaitingFeedback: false,
    canReopen: false,
    timeline: detail.timeline.map((e) => (e.at === at && e.status === 'closed' && !e.feedback ? { ...e, mergedInto: m.reference } : e)),
  };
}

/* ---------------------------------------------------------------- merging */

const MergeInputSchema = v.object({
  into: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)),
  note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000))),
});

type Lockable = RequestRow & { merged_into?: string | null };

async function lock(q: Queryable, id: string): Promise<Lockable> {
  const rows = await q.query<Lockable & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1 FOR UPDATE', [id]);
  if (!rows[0]) throw notFound('Request');
  return rows[0];
}

/* ---------------------------------------------------------------- routes */

export function registerDuplicates(app: Hono, ctx: ServerContext): void {
  // Residents: open items like the one being filed. Counted like every read (the address budget).
  app.get('/similar', async (c) => {
    const locale = localeOf(c);
    const t = (m: Parameters<typeof say>[1]) => say(locale, m);
    const siteId = c.req.query('site');
    const serviceId = c.req.query('service');
    if (!siteId || !serviceId) throw new HttpError('validation_failed', t(M.nameSiteAndService), { ...(siteId ? {} : { site: t(M.required) }), ...(serviceId ? {} : { service: t(M.required) }) });
    if (siteId.length > 200 || serviceId.length > 200 || !(await getSite(ctx.db, siteId))) throw new HttpError('not_found', t(M.unknownSite), { site: t(M.unknownSite) });
    if (!(await getService(ctx.db, serviceId))) throw new HttpError('not_found', t(M.unknownService), { service: t(M.unknownService) });
    const num = (name: string, min: number, max: number) => {
      const raw = c.req.query(name);
      if (raw === undefined || raw === '') return undefined;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < min || n > max) throw new HttpError('validation_failed', t(M.notValidPlace), { [name]: `${min}…${max}` });
      return n;
    };
    const lat = num('lat', -90, 90);
    const lng = num('lng', -180, 180);
    const address = c.req.query('address')?.slice(0, 500);
    const place: Place | null = lat !== undefined && lng !== undefined ? { lat, lng, address } : address ? { address } : null;
    const found = await findSimilar(ctx.db, { siteId, serviceId, place, now: ctx.clock.now(), residents: true });
    const similar: SimilarRequest[] = [];
    for (const { row, distance } of found) {
      const street = streetLevel(placeOf(row)?.address);
      const distanceM = roughly(distance);
      similar.push({
        reference: row.reference,
        service: await nameOf(ctx.db, 'services', row.service_id, locale),
        place: await nameOf(ctx.db, 'sites', row.site_id, locale),
        ...(street ? { street } : {}),
        ...(distanceM !== undefined ? { distanceM } : {}),
        status: row.status,
        createdAt: new Date(row.created_at).toISOString(),
      });
    }
    const out: SimilarResponse = { similar };
    return c.json(out);
  });

  // "Already reported — follow it instead": a follower with their own token, optionally their contact.
  app.post('/requests/:reference/follow', async (c) => {
    const typed = c.req.param('reference');
    const parsed = typed.length <= 64 ? parseReference(typed) : null;
    const asked = localeFrom(c.req.query('locale'), c.req.header('accept-language'));
    if (!parsed || parsed.format === 'other' || !parsed.valid) {
      const check = say(asked, M.checkReference);
      throw new HttpError('validation_failed', check, { reference: check });
    }
    const key = idempotencyKey(c);
    const { body, value } = await jsonBody(c, FollowInputSchema, { allowEmpty: true });
    const locale = body.locale ? pickLocale(body.locale) : asked;
    const r0 = await findRequest(ctx.db, parsed.canonical);
    if (!r0 || r0.kind === 'consultation') throw new HttpError('not_found', say(locale, M.noSuchRequest));
    const target = { site: r0.site_id, scope: `follow:${r0.reference}`, key, hash: sha256(canonicalJson(value ?? {})) };
    const result = await withIdempotency<FollowCreated>(ctx.db, target, async (q) => {
      const r = await lock(q, r0.id);
      if (r.merged_into || !OPEN.includes(r.status)) {
        throw new HttpError('conflict', say(locale, M.followFinished));
      }
      const token = newToken();
      const now = ctx.clock.now();
      const phone = body.contact?.phone ? normalPhone(body.contact.phone) : null;
      const email = body.contact?.email ? body.contact.email.trim().toLowerCase() : null;
      await q.query(
        `INSERT INTO request_followers (id, request_id, access_token_hash, contact_phone, contact_email, locale, via, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'follow', $7)`,
        [newId(), r.id, sha256(token), phone, email, locale, now.toISOString()],
      );
      // No contact in the event: the loop's record tells that someone follows, not who.
      await recordLoopEvent(q, ctx.clock, { requestId: r.id, type: 'followed', officeId: r.department_id, detail: { via: 'follow', contact: phone !== null || email !== null } });
      await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
      return { status: 201, body: { reference: r.reference, accessToken: token, service: r.service_id, type: r.kind, createdAt: now.toISOString() } };
    });
    return c.json(result.body, result.status as 200 | 201);
  });

  /* ------------------------------------------------------------ staff */

  // The console's "possible duplicates" panel: similar open items in the caller's scope, with their text.
  app.get('/staff/requests/:reference/duplicates', async (c) => {
    const user = staffOf(c);
    const locale = localeOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference')) as Lockable;
    const found = await findSimilar(ctx.db, {
      siteId: r.site_id, serviceId: r.service_id, place: placeOf(r), now: ctx.clock.now(), excludeId: r.id, scope: scopeClause(user, 'requests', 1), limit: 10,
    });
    const similar: StaffSimilar[] = [];
    for (const { row, distance } of found) {
      const distanceM = roughly(distance);
      similar.push({
        reference: row.reference,
        site: await nameOf(ctx.db, 'sites', row.site_id, locale),
        service: await nameOf(ctx.db, 'services', row.service_id, locale),
        routedTo: await nameOf(ctx.db, 'departments', row.department_id, locale),
        kind: row.kind,
        status: row.status,
        createdAt: new Date(row.created_at).toISOString(),
        preview: row.description.slice(0, 140),
        followers: await followerCount(ctx.db, row.id),
        ...(distanceM !== undefined ? { distanceM } : {}),
      });
    }
    const into = r.merged_into ? (await ctx.db.query<{ reference: string }>('SELECT reference FROM requests WHERE id = $1', [r.merged_into]))[0]?.reference ?? null : null;
    const from = await ctx.db.query<{ reference: string; at: Date }>(
      'SELECT f.reference, m.at FROM request_merges m JOIN requests f ON f.id = m.from_id WHERE m.into_id = $1 ORDER BY m.at', [r.id]);
    const out: DuplicatesResponse = {
      reference: r.reference,
      followers: await followerCount(ctx.db, r.id),
      mergedInto: into,
      mergedFrom: from.map((f) => ({ reference: f.reference, at: new Date(f.at).toISOString() })),
      similar,
    };
    return c.json(out);
  });

  // The dispatcher merges a duplicate into another item: closed as merged, its residents follow the other.
  app.post('/staff/requests/:reference/merge', async (c) => {
    const user = staffOf(c);
    const locale = localeOf(c);
    const t = (m: Parameters<typeof say>[1]) => say(locale, m);
    const from0 = await visibleRequest(ctx, user, c.req.param('reference'));
    requireRole(c, 'dispatcher');
    const { body } = await staffBody(c, MergeInputSchema);
    const into0 = await visibleRequest(ctx, user, body.into).catch(() => {
      throw new HttpError('validation_failed', t(M.mergeNoReference), { into: t(M.mergeNoReference) });
    });
    if (into0.id === from0.id) {
      throw new HttpError('validation_failed', t(M.mergeIntoItself), { into: t(M.chooseAnotherRequest) });
    }
    const note = body.note?.trim() || null;
    await ctx.db.tx(async (q) => {
      // Locked in one order, so two merges of the same pair the other way round cannot deadlock.
      const [a, b] = [from0.id, into0.id].sort();
      const locked = new Map([[a!, await lock(q, a!)], [b!, await lock(q, b!)]]);
      const from = locked.get(from0.id)!;
      const into = locked.get(into0.id)!;
      if (from.merged_into || from.status === 'closed') {
        throw new HttpError('conflict', t(M.mergeClosed));
      }
      if (into.merged_into || into.status === 'closed') {
        throw new HttpError('conflict', t(M.mergeIntoClosed), { into: t(M.closedShort) });
      }
      const now = ctx.clock.now().toISOString();
      await q.query('UPDATE requests SET status = $2, merged_into = $3, updated_at = $4 WHERE id = $1', [from.id, 'closed', into.id, now]);
      const entry = await q.query<{ id: string | number }>(
        'INSERT INTO request_timeline (request_id, at, status, department_id, note) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [from.id, now, 'closed', from.department_id, note]);
      await q.query('INSERT INTO request_merges (from_id, into_id, timeline_id, actor_id, note, at) VALUES ($1, $2, $3, $4, $5, $6)',
        [from.id, into.id, entry[0]!.id, user.id, note, now]);
      // The merged item's resident (their token and contact), and everyone who followed it, follow the target now.
      await q.query(
        `INSERT INTO request_followers (id, request_id, access_token_hash, contact_phone, contact_email, locale, via, from_request_id, created_at)
         SELECT $1 || '-r', $2, access_token_hash, contact_phone, contact_email, locale, 'merge', id, $3 FROM requests WHERE id = $4
         ON CONFLICT (request_id, access_token_hash) DO NOTHING`,
        [newId(), into.id, now, from.id]);
      await q.query(
        `INSERT INTO request_followers (id, request_id, access_token_hash, contact_phone, contact_email, locale, via, from_request_id, created_at)
         SELECT id || '-' || $1, $2, access_token_hash, contact_phone, contact_email, locale, 'merge', $3, $4 FROM request_followers WHERE request_id = $3
         ON CONFLICT (request_id, access_token_hash) DO NOTHING`,
        [newId().slice(0, 8), into.id, from.id, now]);
      await recordLoopEvent(q, ctx.clock, { requestId: from.id, type: 'merged', officeId: from.department_id, actorId: user.id, detail: { into: into.reference } });
      await recordLoopEvent(q, ctx.clock, { requestId: into.id, type: 'merged', officeId: into.department_id, actorId: user.id, detail: { from: from.reference } });
      await ctx.hub.publishQueue(q, { item: 'request', id: from.id });
      await ctx.hub.publishQueue(q, { item: 'request', id: into.id });
    });
    await audit(ctx, user, 'merge', { kind: 'request', id: from0.reference }, { into: into0.reference, ...(note ? { note } : {}) });
    const merged = (await findRequest(ctx.db, from0.reference))!;
    return c.json(await protectDetail(ctx, user, await staffDetail(ctx.db, merged, locale)));
  });
}
