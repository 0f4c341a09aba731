/** Sites, departments, services and the catalogue in a locale; routing; reply promises. */
import type { Catalog, Department, Field, OfficeHours, ReplyPromise, RequestKind, Service } from '../../../src/client/protocol.js';
import { REQUEST_KINDS } from '../../../src/client/protocol.js';
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { Db, Queryable } from '../storage/db.js';
import { REQUEST_TYPES, type SeedField, type Texts } from './seed-data.js';
import { catalogueStamp } from './store.js';
import { localText, localTexts, toHongKong, type Locale, type LocaleTexts } from './locales.js';
import { M, say } from '../messages.js';

// The locales and how a call's one is chosen live in locales.ts; re-exported for the rooms that import them from here.
export { pickLocale, type Locale } from './locales.js';

/** The text for `locale` (the city's, zh-HK derived from zh-CN, else the fallback order: locales.ts). */
export function text(texts: LocaleTexts | null | undefined, locale: Locale): string {
  return localText(texts, locale).text;
}

export interface SiteRow {
  id: string;
  parent_id: string | null;
  level: 'district' | 'street' | 'community';
  names: Texts;
  office_hours: OfficeHours[];
  reply_hours: number;
  phone: string | null;
  timezone: string;
  reference_prefix: string;
}

export interface ServiceRow {
  id: string;
  department_id: string;
  names: Texts;
  groups: Texts;
  descriptions: Texts;
  kinds: RequestKind[];
  keywords: Partial<Record<string, string[]>>;
  fields: SeedField[];
  reply_hours: number | null;
  round_the_clock: boolean;
}

export interface DepartmentRow {
  id: string;
  names: Texts;
  phone: string | null;
  is_dispatch: boolean;
}

export const ATTACHMENT_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxFiles: 3,
  types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
};

export async function getSite(q: Queryable, id: string): Promise<SiteRow | null> {
  const rows = await q.query<SiteRow & Record<string, unknown>>('SELECT * FROM sites WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** The site and its parents, nearest first (one query: at most 10 levels, so a loop in the data ends). */
export async function siteChain(q: Queryable, id: string): Promise<SiteRow[]> {
  const rows = await q.query<SiteRow & { chain_depth: number } & Record<string, unknown>>(
    `WITH RECURSIVE chain AS (
       SELECT s.*, 0 AS chain_depth FROM sites s WHERE s.id = $1
       UNION ALL
       SELECT s.*, chain.chain_depth + 1 FROM sites s JOIN chain ON s.id = chain.parent_id WHERE chain.chain_depth < 9
     ) SELECT * FROM chain ORDER BY chain_depth`, [id]);
  return rows.map(({ chain_depth: _depth, ...site }) => site as unknown as SiteRow);
}

export async function getService(q: Queryable, id: string): Promise<ServiceRow | null> {
  const rows = await q.query<ServiceRow & Record<string, unknown>>('SELECT * FROM services WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function getDepartment(q: Queryable, id: string): Promise<DepartmentRow | null> {
  const rows = await q.query<DepartmentRow & Record<string, unknown>>('SELECT * FROM departments WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function dispatchDepartment(q: Queryable): Promise<DepartmentRow> {
  const rows = await q.query<DepartmentRow & Record<string, unknown>>('SELECT * FROM departments WHERE is_dispatch ORDER BY sort LIMIT 1');
  if (!rows[0]) throw new Error('no dispatch department seeded');
  return rows[0];
}

export function departmentOut(d: DepartmentRow, locale: Locale): Department {
  return { id: d.id, ...localTexts(locale, { name: d.names }) };
}

/**
 * Service → department, narrowed by the site hierarchy (the rule of the nearest site wins), else
 * the service's owner, else the dispatch centre: never unrouted. One query for the first two (a
 * rule naming a department that is gone is passed over, as is an owner that is gone).
 */
export async function route(q: Queryable, siteId: string, serviceId: string | null): Promise<DepartmentRow> {
  if (serviceId) {
    const rows = await q.query<DepartmentRow & Record<string, unknown>>(
      `WITH RECURSIVE chain AS (
         SELECT id, parent_id, 0 AS depth FROM sites WHERE id = $1
         UNION ALL
         SELECT s.id, s.parent_id, chain.depth + 1 FROM sites s JOIN chain ON s.id = chain.parent_id WHERE chain.depth < 9
       ), picked AS (
         SELECT r.department_id, chain.depth AS rank FROM chain JOIN routing_rules r ON r.site_id = chain.id AND r.service_id = $2
         UNION ALL
         SELECT department_id, 100 FROM services WHERE id = $2
       )
       SELECT d.* FROM picked JOIN departments d ON d.id = picked.department_id ORDER BY picked.rank LIMIT 1`, [siteId, serviceId]);
    if (rows[0]) return rows[0];
  }
  return dispatchDepartment(q);
}

/** `route()` for every service of a catalogue at once, from rows already read (buildCatalog). */
function routeFrom(chain: SiteRow[], rules: Map<string, string>, departments: Map<string, DepartmentRow>, dispatch: DepartmentRow | undefined, service: ServiceRow): DepartmentRow {
  for (const site of chain) {
    const dept = departments.get(rules.get(`${service.id}\n${site.id}`) ?? '');
    if (dept) return dept;
  }
  const owner = departments.get(service.department_id);
  if (owner) return owner;
  if (!dispatch) throw new Error('no dispatch department seeded');
  return dispatch;
}

/** A promise counted in working hours (office hours) or, for emergencies, in clock hours. */
export function replyPromise(hours: number, roundTheClock: boolean, locale: Locale): ReplyPromise {
  return { hours, text: say(locale, replyPromiseTexts(hours, roundTheClock)) };
}

/** The promise in all four locales (messages.ts). */
export function replyPromiseTexts(hours: number, roundTheClock: boolean) {
  const days = hours / 8;
  return roundTheClock || hours < 8 || !Number.isInteger(days) ? M.replyWithinHours(hours) : M.replyWithinDays(days);
}

/** When a promise of `hours` made at `from` is due: clock hours, or hours inside the office hours. */
export function replyDue(from: Date, hours: number, roundTheClock: boolean, officeHours: OfficeHours[]): Date {
  if (roundTheClock || !officeHours.length) return new Date(from.getTime() + hours * 3600_000);
  // Sites are in China (UTC+8, no daylight saving): walk the office hours in local minutes.
  const offset = 8 * 60;
  let minutesLeft = hours * 60;
  let t = Math.floor(from.getTime() / 60_000) + offset; // local minutes since epoch
  for (let guard = 0; guard < 60 && minutesLeft > 0; guard++) {
    const dayStart = Math.floor(t / 1440) * 1440;
    const weekday = ((Math.floor(dayStart / 1440) + 3) % 7) + 1; // 1970-01-01 was a Thursday (4)
    const slots = officeHours
      .filter((h) => h.days.includes(weekday))
      .map((h) => [dayStart + toMinutes(h.opens), dayStart + toMinutes(h.closes)] as const)
      .sort((a, b) => a[0] - b[0]);
    for (const [open, close] of slots) {
      if (t >= close) continue;
      const start = Math.max(t, open);
      const use = Math.min(close - start, minutesLeft);
      minutesLeft -= use;
      t = start + use;
      if (minutesLeft <= 0) break;
    }
    if (minutesLeft > 0) t = dayStart + 1440;
  }
  return new Date((t - offset) * 60_000);
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function siteReplyPromise(site: SiteRow, locale: Locale): ReplyPromise {
  return replyPromise(site.reply_hours, false, locale);
}

export function fieldOut(f: SeedField, locale: Locale): Field {
  const { langs, ...texts } = f.hint ? localTexts(locale, { label: f.label, hint: f.hint }) : localTexts(locale, { label: f.label });
  const field: Field = { id: f.id, type: f.type, ...texts, required: f.required ?? false, readOnly: false };
  if (f.options) field.options = f.options.map((o) => ({ value: o.value, ...localTexts(locale, { label: o.label }) }));
  if (f.min !== undefined) field.min = f.min;
  if (f.max !== undefined) field.max = f.max;
  if (f.minLength !== undefined) field.minLength = f.minLength;
  if (f.maxLength !== undefined) field.maxLength = f.maxLength;
  if (f.maxFiles !== undefined) field.maxFiles = f.maxFiles;
  if (langs) field.langs = langs;
  return field;
}

export async function buildCatalog(q: Queryable, siteId: string, locale: Locale, staffOnDuty: boolean): Promise<Catalog | null> {
  const chain = await siteChain(q, siteId);
  const site = chain[0];
  if (!site || site.id !== siteId) return null;
  const services = await q.query<ServiceRow & Record<string, unknown>>('SELECT * FROM services ORDER BY sort, id');
  const consent = await q.query<{ version: string; texts: Texts }>('SELECT version, texts FROM consent_notices WHERE current LIMIT 1');
  // Routing read once for the whole chain, not once per service and level (route() does the same per request).
  const ruleRows = await q.query<{ service_id: string; site_id: string; department_id: string }>(
    'SELECT service_id, site_id, department_id FROM routing_rules WHERE site_id = ANY($1::text[])', [chain.map((c) => c.id)]);
  const rules = new Map(ruleRows.map((r) => [`${r.service_id}\n${r.site_id}`, r.department_id]));
  const departmentRows = await q.query<DepartmentRow & { sort: number } & Record<string, unknown>>('SELECT * FROM departments ORDER BY sort');
  const departments = new Map(departmentRows.map((d) => [d.id, d as DepartmentRow]));
  const dispatch = departmentRows.find((d) => d.is_dispatch);
  const servicesOut: Service[] = [];
  for (const s of services) {
    const dept = routeFrom(chain, rules, departments, dispatch, s);
    const { langs, ...texts } = localTexts(locale, { name: s.names, group: s.groups, description: s.descriptions });
    servicesOut.push({
      id: s.id,
      ...texts,
      kinds: s.kinds,
      keywords: keywordsIn(s.keywords, locale),
      department: departmentOut(dept, locale),
      fields: s.fields.map((f) => fieldOut(f, locale)),
      ...(langs ? { langs } : {}),
    });
  }
  return {
    protocol: '1',
    locale,
    site: {
      id: site.id,
      ...localTexts(locale, { name: site.names }),
      parents: chain.slice(1).reverse().map((p) => ({ id: p.id, ...localTexts(locale, { name: p.names }) })),
      timezone: site.timezone,
      officeHours: site.office_hours,
      replyPromise: siteReplyPromise(site, locale),
      phone: site.phone ?? undefined,
    },
    capabilities: { chat: true, answers: true, attachments: true, feedback: true, staffOnDuty },
    requestTypes: REQUEST_KINDS.map((id) => ({ id, ...localTexts(locale, { label: REQUEST_TYPES[id].label, description: REQUEST_TYPES[id].description }) })),
    services: servicesOut,
    limits: { descriptionMax: 4000, messageMax: 2000, attachments: { ...ATTACHMENT_LIMITS, types: [...ATTACHMENT_LIMITS.types] } },
    consent: consent[0] ? { version: consent[0].version, ...localTexts(locale, { text: consent[0].texts }) } : { version: '0', text: '' },
  };
}

/** A service's words for the form's search in `locale`: the city's, zh-HK from zh-CN, else the fallback's. */
function keywordsIn(keywords: ServiceRow['keywords'], locale: Locale): string[] {
  const own = keywords[locale];
  if (own?.length) return own;
  const zh = keywords['zh-CN'] ?? [];
  return locale === 'zh-HK' ? zh.map(toHongKong) : zh;
}

/**
 * One read for every call that waits: a call joins a read that starts after it came (never one
 * already under way, which may predate a change the caller has seen committed), so each answer is
 * as fresh as a read of its own, and 50 calls at once cost one or two reads instead of 50.
 */
export function coalesce<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const start = () => (running = read().finally(() => (running = null)));
  return () => {
    if (!running) return start();
    next ??= running.then(() => undefined, () => undefined).then(() => {
      next = null;
      return start();
    });
    return next;
  };
}

/**
 * Catalogues built, per database, catalogue version, site and locale, each kept as the JSON text of
 * its two answers (staff on duty or not), so a call costs no build and no serialising. Which version
 * is current: on PostgreSQL, where several processes share the database, it is read for every call
 * (coalesced: calls at once share a read that began after they came), and an edit in any process
 * bumps it in its own transaction, so no process serves an older catalogue after it. On PGlite,
 * which one process alone can open, it is kept in memory and forgotten on the notice bumpVersion
 * (store.ts) sends in the edit's own transaction (CATALOGUE_CHANNEL): PGlite hands it over while
 * the edit commits, before the edit's call is answered.
 */
interface Built { catalog: Catalog; text: Map<boolean, string> }
interface CatalogueCache {
  built: Map<string, Built>;
  read: () => Promise<{ version: number; at: string }>;
  /** PGlite: the current version while no notice has come since it was read. */
  stamp: { version: number; at: string } | null;
  /** Bumped by every notice: a version read while one came is not kept. */
  generation: number;
  listening: Promise<void> | null;
  /** Whether the LISTEN took: without it nothing would tell of a change, so the version is read each time. */
  listened: boolean;
}
const cacheByDb = new WeakMap<Queryable, CatalogueCache>();
const BUILT_MAX = 500;

/** The channel bumpVersion (store.ts) notifies on every catalogue change. */
export const CATALOGUE_CHANNEL = 'intake_catalogue';

function cacheOf(q: Queryable): CatalogueCache {
  let cache = cacheByDb.get(q);
  if (!cache) {
    cache = { built: new Map(), read: coalesce(() => catalogueStamp(q)), stamp: null, generation: 0, listening: null, listened: false };
    cacheByDb.set(q, cache);
  }
  return cache;
}

/** The current catalogue version: from memory on PGlite once listening, else read. */
async function currentStamp(q: Queryable, cache: CatalogueCache): Promise<{ version: number; at: string }> {
  const db = q as Partial<Db>;
  if (db.engine !== 'pglite' || !db.listen) return cache.read();
  if (cache.stamp) return cache.stamp;
  cache.listening ??= db.listen(CATALOGUE_CHANNEL, () => {
    cache.generation++;
    cache.stamp = null;
  }).then(() => {
    cache.listened = true;
  }, () => {
    cache.listening = null;
  });
  await cache.listening;
  const generation = cache.generation;
  const stamp = await catalogueStamp(q);
  if (generation === cache.generation && cache.listened) cache.stamp = stamp;
  return stamp;
}

/** The current catalogue version as GET /catalog knows it (kept.ts files requests against it). */
export function keptStamp(q: Queryable): Promise<{ version: number; at: string }> {
  return currentStamp(q, cacheOf(q));
}

/** `"<version>-<hash of when, site, locale, on duty>"`: a new catalogue version changes every ETag. */
export function catalogueEtag(stamp: { version: number; at: string }, siteId: string, locale: Locale, staffOnDuty: boolean): string {
  const version = stamp.version;
  const hash = createHash('sha256').update(`${stamp.at}\n${siteId}\n${locale}\n${staffOnDuty ? 1 : 0}`).digest('base64url').slice(0, 12);
  return `"${version}-${hash}"`;
}

/** If-None-Match holds `etag` (a list, weak or strong, or `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/**
 * GET /catalog: the catalogue with an ETag, or 304 when the caller's copy is current. `no-cache`:
 * a browser may keep it but asks each time (a catalogue can change at any moment).
 */
export async function catalogueResponse(c: Context, q: Queryable, siteId: string, locale: Locale, staffOnDuty: boolean): Promise<Response | null> {
  // Per database: two servers in one process (tests) have versions of their own.
  const cache = cacheOf(q);
  const stamp = await currentStamp(q, cache);
  const etag = catalogueEtag(stamp, siteId, locale, staffOnDuty);
  const headers = { etag, 'cache-control': 'no-cache' };
  const key = `${stamp.version}\n${stamp.at}\n${siteId}\n${locale}`;
  let built = cache.built.get(key);
  if (!built) {
    const fresh = await buildCatalog(q, siteId, locale, false);
    if (!fresh) return null;
    if (cache.built.size >= BUILT_MAX) cache.built.clear();
    cache.built.set(key, (built = { catalog: fresh, text: new Map() }));
  }
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  let body = built.text.get(staffOnDuty);
  if (body === undefined) {
    body = JSON.stringify({ ...built.catalog, capabilities: { ...built.catalog.capabilities, staffOnDuty } });
    built.text.set(staffOnDuty, body);
  }
  return c.body(body, 200, { ...headers, 'content-type': 'application/json' });
}
