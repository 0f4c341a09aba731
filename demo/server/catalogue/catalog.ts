/** Sites, departments, services and the catalogue in a locale; routing; reply promises. */
import type { Catalog, Department, Field, OfficeHours, ReplyPromise, RequestKind, Service } from '../../../src/client/protocol.js';
import { REQUEST_KINDS } from '../../../src/client/protocol.js';
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { Queryable } from '../storage/db.js';
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

/** The site and its parents, nearest first. */
export async function siteChain(q: Queryable, id: string): Promise<SiteRow[]> {
  const chain: SiteRow[] = [];
  let next: string | null = id;
  while (next && chain.length < 10) {
    const site = await getSite(q, next);
    if (!site) break;
    chain.push(site);
    next = site.parent_id;
  }
  return chain;
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
 * the service's owner, else the dispatch centre: never unrouted.
 */
export async function route(q: Queryable, siteId: string, serviceId: string | null): Promise<DepartmentRow> {
  if (serviceId) {
    const chain = await siteChain(q, siteId);
    for (const site of chain) {
      const rules = await q.query<{ department_id: string }>(
        'SELECT department_id FROM routing_rules WHERE service_id = $1 AND site_id = $2', [serviceId, site.id]);
      const dept = rules[0] && (await getDepartment(q, rules[0].department_id));
      if (dept) return dept;
    }
    const service = await getService(q, serviceId);
    const owner = service && (await getDepartment(q, service.department_id));
    if (owner) return owner;
  }
  return dispatchDepartment(q);
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
  const servicesOut: Service[] = [];
  for (const s of services) {
    const dept = await route(q, siteId, s.id);
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
 * Catalogues built, per database, catalogue version, site and locale (the staff-on-duty flag is set per
 * call). The version is read from the database on every call, before the catalogue: an edit in
 * any process bumps it in its own transaction, so no process serves an older catalogue after it.
 */
const builtByDb = new WeakMap<Queryable, Map<string, Catalog>>();
const BUILT_MAX = 500;

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
  const stamp = await catalogueStamp(q);
  const etag = catalogueEtag(stamp, siteId, locale, staffOnDuty);
  const headers = { etag, 'cache-control': 'no-cache' };
  const key = `${stamp.version}\n${stamp.at}\n${siteId}\n${locale}`;
  // Per database: two servers in one process (tests) have versions of their own.
  let built = builtByDb.get(q);
  if (!built) builtByDb.set(q, (built = new Map()));
  let catalog = built.get(key);
  if (!catalog) {
    const fresh = await buildCatalog(q, siteId, locale, false);
    if (!fresh) return null;
    if (built.size >= BUILT_MAX) built.clear();
    built.set(key, fresh);
    catalog = fresh;
  }
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  return c.json({ ...catalog, capabilities: { ...catalog.capabilities, staffOnDuty } }, 200, headers);
}
