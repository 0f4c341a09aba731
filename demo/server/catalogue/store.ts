/**
 * The catalogue tables ↔ the city file (catalogue-file.ts): export, import (everything replaced in
 * one transaction), one entry written or removed, and the catalogue version every change bumps in
 * the same transaction (the resident catalogue's ETag, followed by every process at once).
 */
import type { Db, Queryable } from '../storage/db.js';
import { writeEndpoint, type Open311Endpoint } from '../delivery/config.js';
import type { DepartmentRow, ServiceRow, SiteRow } from './catalog.js';
import type { SeedField, Texts as RowTexts } from './seed-data.js';
import {
  CATALOGUE_FORMAT,
  CATALOGUE_VERSION,
  type AnswerEntry,
  type CatalogueFile,
  type DepartmentEntry,
  type FieldEntry,
  type Privacy,
  type Problem,
  type RouteEntry,
  type ServiceEntry,
  type Settings,
  type SiteEntry,
  type Texts,
  type CalendarEntry,
  type DeadlineEntry,
} from './catalogue-file.js';

/** Held by every catalogue write (and the first-start load), so two never interleave. */
export const CATALOGUE_LOCK = 727102;

/** The catalogue's version (1 before anything changed it). */
export async function catalogueVersion(q: Queryable): Promise<number> {
  const rows = await q.query<{ version: string | number }>('SELECT version FROM catalogue_state WHERE id = 1');
  return Number(rows[0]?.version ?? 0);
}

/**
 * The version and when it was made: a database made again (in memory, from a backup) can reach
 * the same version number with other contents, never at the same moment.
 */
export async function catalogueStamp(q: Queryable): Promise<{ version: number; at: string }> {
  const rows = await q.query<{ version: string | number; at: string }>('SELECT version, updated_at::text AS at FROM catalogue_state WHERE id = 1');
  return { version: Number(rows[0]?.version ?? 0), at: rows[0]?.at ?? '' };
}

/** Called in the transaction of every change. */
export async function bumpVersion(q: Queryable): Promise<number> {
  const rows = await q.query<{ version: string | number }>(
    "WITH bumped AS (UPDATE catalogue_state SET version = version + 1, updated_at = now() WHERE id = 1 RETURNING version) SELECT version, pg_notify('intake_catalogue', version::text) FROM bumped");
  return Number(rows[0]?.version ?? 0);
}

/* ------------------------------------------------------------ rows ↔ entries */

/** zh-CN first, then the other locales in order: the same file from the same catalogue. */
function texts(t: Record<string, string> | null | undefined): Texts {
  const out: Record<string, string> = {};
  if (!t) return out as Texts;
  if (typeof t['zh-CN'] === 'string') out['zh-CN'] = t['zh-CN'];
  for (const key of Object.keys(t).filter((k) => k !== 'zh-CN').sort()) out[key] = t[key]!;
  return out as Texts;
}

function keywords(k: Record<string, string[]> | null | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(k ?? {}).sort((a, b) => (a === 'zh-CN' ? -1 : b === 'zh-CN' ? 1 : a < b ? -1 : 1))) out[key] = [...k![key]!];
  return out;
}

export function fieldEntry(f: SeedField): FieldEntry {
  const out: FieldEntry = { id: f.id, type: f.type, labels: texts(f.label) };
  if (f.required !== undefined) out.required = f.required;
  if (f.hint) out.hints = texts(f.hint);
  if (f.options) out.options = f.options.map((o) => ({ value: o.value, labels: texts(o.label) }));
  for (const key of ['min', 'max', 'minLength', 'maxLength', 'maxFiles'] as const) {
    if (f[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = f[key];
  }
  return out;
}

/** What the tables keep (and requests.ts, open311.ts read): `label`, `hint`, `options[].label`. */
export function fieldRow(f: FieldEntry): SeedField {
  const out: SeedField = { id: f.id, type: f.type, label: f.labels as RowTexts };
  if (f.required !== undefined) out.required = f.required;
  if (f.hints) out.hint = f.hints as RowTexts;
  if (f.options) out.options = f.options.map((o) => ({ value: o.value, label: o.labels as RowTexts }));
  for (const key of ['min', 'max', 'minLength', 'maxLength', 'maxFiles'] as const) {
    if (f[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = f[key];
  }
  return out;
}

export function siteEntry(s: SiteRow, settings: Required<Settings>): SiteEntry {
  const out: SiteEntry = {
    id: s.id,
    parent: s.parent_id,
    level: s.level,
    names: texts(s.names),
    officeHours: s.office_hours.map((h) => ({ days: [...h.days], opens: h.opens, closes: h.closes })),
    replyHours: Number(s.reply_hours),
    phone: s.phone,
  };
  if (s.timezone !== settings.timezone) out.timezone = s.timezone;
  if (s.reference_prefix !== settings.referencePrefix) out.referencePrefix = s.reference_prefix;
  return out;
}

export function departmentEntry(d: DepartmentRow): DepartmentEntry {
  const out: DepartmentEntry = { id: d.id, names: texts(d.names), phone: d.phone };
  if (d.is_dispatch) out.dispatch = true;
  // Delivery into the department's own Open311 system (delivery/config.ts, migration 18).
  const open311 = (d as DepartmentRow & { open311?: Open311Endpoint | null }).open311;
  if (open311) out.open311 = open311;
  return out;
}

export function serviceEntry(s: ServiceRow): ServiceEntry {
  const out: ServiceEntry = {
    id: s.id,
    department: s.department_id,
    group: texts(s.groups),
    names: texts(s.names),
    descriptions: texts(s.descriptions),
    kinds: [...s.kinds],
    keywords: keywords(s.keywords as Record<string, string[]>),
    fields: s.fields.map(fieldEntry),
  };
  if (s.reply_hours !== null && s.reply_hours !== undefined) out.replyHours = Number(s.reply_hours);
  if (s.round_the_clock) out.roundTheClock = true;
  const deadline = (s as ServiceRow & { deadline?: DeadlineEntry | null }).deadline;
  if (deadline) out.deadline = deadlineEntry(deadline);
  return out;
}

/** Keys in the file's order (jsonb keeps its own): the same file from the same catalogue. */
function deadlineEntry(d: DeadlineEntry): DeadlineEntry {
  const out: DeadlineEntry = { class: d.class };
  if (d.replyWithin) out.replyWithin = d.replyWithin;
  if (d.resolveWithin) out.resolveWithin = d.resolveWithin;
  return out;
}

function calendarEntry(c: CalendarEntry): CalendarEntry {
  const out = {} as CalendarEntry;
  if (c.dueSoon) out.dueSoon = c.dueSoon;
  out.years = c.years.map((y) => {
    const year = { year: y.year } as CalendarEntry['years'][number];
    if (y.provisional !== undefined) year.provisional = y.provisional;
    if (y.source !== undefined) year.source = y.source;
    year.holidays = y.holidays.map((h) => {
      const holiday: (typeof year.holidays)[number] = { from: h.from };
      if (h.to) holiday.to = h.to;
      if (h.names) holiday.names = texts(h.names);
      return holiday;
    });
    year.workdays = [...y.workdays];
    return year;
  });
  return out;
}

interface KnowledgeRow {
  id: string;
  locale: string;
  question: string;
  answer: string;
  keywords: string;
  service_id: string | null;
  url: string | null;
  sort: number;
}

/** Answers are kept one row per locale (`<id>.<locale>`), as the search reads them. */
function answerEntries(rows: KnowledgeRow[]): AnswerEntry[] {
  const byId = new Map<string, { service: string | null; url: string | null; q: Record<string, string>; a: Record<string, string>; k: Record<string, string> }>();
  for (const r of rows) {
    const id = r.id.endsWith(`.${r.locale}`) ? r.id.slice(0, -r.locale.length - 1) : r.id;
    let entry = byId.get(id);
    if (!entry) {
      entry = { service: r.service_id, url: r.url, q: {}, a: {}, k: {} };
      byId.set(id, entry);
    }
    entry.q[r.locale] = r.question;
    entry.a[r.locale] = r.answer;
    if (r.keywords) entry.k[r.locale] = r.keywords;
  }
  return [...byId].map(([id, e]) => {
    const out: AnswerEntry = { id, service: e.service, questions: texts(e.q), answers: texts(e.a) };
    if (e.url) out.url = e.url;
    if (Object.keys(e.k).length) out.keywords = texts(e.k);
    return out;
  });
}

/* ------------------------------------------------------------ export */

async function settingsOf(q: Queryable): Promise<Required<Settings>> {
  const rows = await q.query<{ settings: Settings }>('SELECT settings FROM catalogue_state WHERE id = 1');
  const s = rows[0]?.settings ?? {};
  return { timezone: s.timezone ?? 'Asia/Shanghai', referencePrefix: s.referencePrefix ?? 'RS' };
}

export async function currentPrivacy(q: Queryable): Promise<Privacy | null> {
  const rows = await q.query<{ version: string; texts: Texts }>('SELECT version, texts FROM consent_notices WHERE current LIMIT 1');
  return rows[0] ? { version: rows[0].version, texts: texts(rows[0].texts) } : null;
}

/** The whole catalogue as a city file. */
export async function exportCatalogue(q: Queryable): Promise<CatalogueFile> {
  const settings = await settingsOf(q);
  const sites = await q.query<SiteRow & Record<string, unknown>>('SELECT * FROM sites ORDER BY sort, id');
  const departments = await q.query<DepartmentRow & Record<string, unknown>>('SELECT * FROM departments ORDER BY sort, id');
  const services = await q.query<ServiceRow & Record<string, unknown>>('SELECT * FROM services ORDER BY sort, id');
  const routes = await q.query<{ service_id: string; site_id: string; department_id: string }>(
    'SELECT service_id, site_id, department_id FROM routing_rules ORDER BY sort, service_id, site_id');
  const knowledge = await q.query<KnowledgeRow & Record<string, unknown>>(
    'SELECT id, locale, question, answer, keywords, service_id, url, sort FROM knowledge ORDER BY sort, id');
  const privacy = await currentPrivacy(q);
  const calendar = (await q.query<{ calendar: CalendarEntry | null }>('SELECT calendar FROM catalogue_state WHERE id = 1'))[0]?.calendar;
  return {
    format: CATALOGUE_FORMAT,
    version: CATALOGUE_VERSION,
    settings,
    sites: sites.map((s) => siteEntry(s, settings)),
    departments: departments.map(departmentEntry),
    services: services.map(serviceEntry),
    routes: routes.map((r) => ({ service: r.service_id, site: r.site_id, department: r.department_id })),
    answers: answerEntries(knowledge),
    privacy: privacy ?? { version: '0', texts: { 'zh-CN': '' } as Texts },
    ...(calendar ? { calendar: calendarEntry(calendar) } : {}),
  };
}

/* ------------------------------------------------------------ references */

/** What still refers to a site, department or service, outside the tables an import rewrites. */
export interface Reference {
  table: string;
  count: number;
  /** Requests and conversations not closed yet. */
  open?: number;
  /** A few of the referring ids (services, sites, routes). */
  ids?: string[];
}

const CATALOGUE_TABLES = new Set(['routing_rules', 'knowledge']);

/** Every row of any table that has a foreign key to `table`(id) = `id` (other rooms' tables too). */
export async function referencesTo(q: Queryable, table: 'sites' | 'departments' | 'services', id: string, options: { skipCatalogue?: boolean; skip?: string[] } = {}): Promise<Reference[]> {
  const keys = await q.query<{ tbl: string; col: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col
     FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.contype = 'f' AND c.confrelid = $1::regclass ORDER BY 1, 2`, [table]);
  const out: Reference[] = [];
  for (const { tbl, col } of keys) {
    const name = tbl.replace(/^.*\./, '').replace(/"/g, '');
    if (options.skipCatalogue && CATALOGUE_TABLES.has(name)) continue;
    if (options.skip?.includes(`${name}.${col}`)) continue;
    const quoted = `"${tbl.replace(/"/g, '').split('.').join('"."')}"`;
    const hasStatus = name === 'requests' || name === 'conversations';
    const rows = await q.query<{ n: number; open: number | null }>(
      `SELECT count(*)::int AS n, ${hasStatus ? `count(*) FILTER (WHERE status <> 'closed')::int` : 'NULL::int'} AS open FROM ${quoted} WHERE "${col.replace(/"/g, '')}" = $1`, [id]);
    const n = Number(rows[0]?.n ?? 0);
    if (!n) continue;
    const ref: Reference = { table: name === 'sites' ? 'sites (children)' : name, count: n };
    if (hasStatus) ref.open = Number(rows[0]?.open ?? 0);
    if (name === 'services' || name === 'sites') {
      ref.ids = (await q.query<{ id: string }>(`SELECT id FROM ${quoted} WHERE "${col.replace(/"/g, '')}" = $1 ORDER BY id LIMIT 5`, [id])).map((r) => r.id);
    }
    // Staff accounts by login: the administrator moves those people to another department or site first.
    if (name === 'staff_accounts') {
      ref.table = 'staff accounts';
      ref.ids = (await q.query<{ login: string }>(`SELECT login FROM ${quoted} WHERE "${col.replace(/"/g, '')}" = $1 ORDER BY lower(login) LIMIT 5`, [id])).map((r) => r.login);
    }
    out.push(ref);
  }
  return out;
}

/** "3 requests (1 open), services pension, medical-insurance". */
export function describeReferences(refs: Reference[]): string {
  return refs
    .map((r) => {
      if (r.table === 'requests' || r.table === 'conversations') return `${r.count} ${r.table}${r.open ? ` (${r.open} open)` : ''}`;
      if (r.ids) return `${r.table} ${r.ids.join(', ')}${r.count > r.ids.length ? ` and ${r.count - r.ids.length} more` : ''}`;
      return `${r.count} ${r.table.replace(/_/g, ' ')}`;
    })
    .join(', ');
}

/* ------------------------------------------------------------ writing entries */

export async function writeDepartment(q: Queryable, d: DepartmentEntry, sort: number | null): Promise<void> {
  if (d.dispatch) await q.query('UPDATE departments SET is_dispatch = false WHERE id <> $1 AND is_dispatch', [d.id]);
  await q.query(
    `INSERT INTO departments (id, names, phone, is_dispatch, sort) VALUES ($1, $2, $3, $4, COALESCE($5, (SELECT COALESCE(max(sort) + 1, 0) FROM departments)))
     ON CONFLICT (id) DO UPDATE SET names = EXCLUDED.names, phone = EXCLUDED.phone, is_dispatch = EXCLUDED.is_dispatch, sort = COALESCE($5, departments.sort)`,
    [d.id, JSON.stringify(d.names), d.phone, d.dispatch ?? false, sort],
  );
  await writeEndpoint(q, d.id, d.open311);
}

export async function writeSite(q: Queryable, s: SiteEntry, sort: number | null, settings: Required<Settings>, withParent = true): Promise<void> {
  await q.query(
    `INSERT INTO sites (id, parent_id, level, names, office_hours, reply_hours, phone, timezone, reference_prefix, sort)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, (SELECT COALESCE(max(sort) + 1, 0) FROM sites)))
     ON CONFLICT (id) DO UPDATE SET parent_id = ${withParent ? 'EXCLUDED.parent_id' : 'sites.parent_id'}, level = EXCLUDED.level, names = EXCLUDED.names,
       office_hours = EXCLUDED.office_hours, reply_hours = EXCLUDED.reply_hours, phone = EXCLUDED.phone,
       timezone = EXCLUDED.timezone, reference_prefix = EXCLUDED.reference_prefix, sort = COALESCE($10, sites.sort)`,
    [s.id, withParent ? s.parent : null, s.level, JSON.stringify(s.names), JSON.stringify(s.officeHours), s.replyHours, s.phone,
      s.timezone ?? settings.timezone, s.referencePrefix ?? settings.referencePrefix, sort],
  );
}

export async function writeService(q: Queryable, s: ServiceEntry, sort: number | null): Promise<void> {
  await q.query(
    `INSERT INTO services (id, department_id, names, groups, descriptions, kinds, keywords, fields, reply_hours, round_the_clock, sort, deadline)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, COALESCE($11, (SELECT COALESCE(max(sort) + 1, 0) FROM services)), $12)
     ON CONFLICT (id) DO UPDATE SET department_id = EXCLUDED.department_id, names = EXCLUDED.names, groups = EXCLUDED.groups,
       descriptions = EXCLUDED.descriptions, kinds = EXCLUDED.kinds, keywords = EXCLUDED.keywords, fields = EXCLUDED.fields,
       reply_hours = EXCLUDED.reply_hours, round_the_clock = EXCLUDED.round_the_clock, sort = COALESCE($11, services.sort), deadline = EXCLUDED.deadline`,
    [s.id, s.department, JSON.stringify(s.names), JSON.stringify(s.group), JSON.stringify(s.descriptions), s.kinds,
      JSON.stringify(s.keywords), JSON.stringify(s.fields.map(fieldRow)), s.replyHours ?? null, s.roundTheClock ?? false, sort,
      s.deadline ? JSON.stringify(s.deadline) : null],
  );
}

export async function writeRoute(q: Queryable, r: RouteEntry, sort: number | null): Promise<void> {
  await q.query(
    `INSERT INTO routing_rules (service_id, site_id, department_id, sort) VALUES ($1, $2, $3, COALESCE($4, (SELECT COALESCE(max(sort) + 1, 0) FROM routing_rules)))
     ON CONFLICT (service_id, site_id) DO UPDATE SET department_id = EXCLUDED.department_id, sort = COALESCE($4, routing_rules.sort)`,
    [r.service, r.site, r.department, sort],
  );
}

export async function writeAnswer(q: Queryable, a: AnswerEntry, sort: number | null): Promise<void> {
  const before = await q.query<{ sort: number }>(`SELECT sort FROM knowledge WHERE id LIKE $1 ESCAPE '\\' ORDER BY sort LIMIT 1`, [`${likeEscape(a.id)}.%`]);
  const at = sort ?? before[0]?.sort ?? Number((await q.query<{ n: number }>('SELECT COALESCE(max(sort) + 1, 0)::int AS n FROM knowledge'))[0]?.n ?? 0);
  await removeAnswer(q, a.id);
  for (const locale of Object.keys(a.questions)) {
    await q.query(
      `INSERT INTO knowledge (id, locale, question, answer, keywords, service_id, url, sort) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [`${a.id}.${locale}`, locale, a.questions[locale], a.answers[locale], a.keywords?.[locale] ?? '', a.service ?? null, a.url ?? null, at],
    );
  }
}

export async function removeAnswer(q: Queryable, id: string): Promise<number> {
  // An answer's rows are `<id>.<locale>`: the part after the last dot is a locale, never part of an id.
  const rows = await q.query<{ id: string; locale: string }>(`SELECT id, locale FROM knowledge WHERE id LIKE $1 ESCAPE '\\'`, [`${likeEscape(id)}.%`]);
  const mine = rows.filter((r) => r.id === `${id}.${r.locale}`).map((r) => r.id);
  if (mine.length) await q.query('DELETE FROM knowledge WHERE id = ANY($1)', [mine]);
  return mine.length;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * The privacy notice: a new version becomes the current one (residents agree again, requests.ts
 * refuses the old version); the same version corrects the texts in place.
 */
export async function writePrivacy(q: Queryable, p: Privacy): Promise<'new' | 'same'> {
  const existing = await q.query<{ current: boolean }>('SELECT current FROM consent_notices WHERE version = $1', [p.version]);
  await q.query('UPDATE consent_notices SET current = false WHERE version <> $1 AND current', [p.version]);
  await q.query(
    `INSERT INTO consent_notices (version, texts, current) VALUES ($1, $2, true)
     ON CONFLICT (version) DO UPDATE SET texts = EXCLUDED.texts, current = true`,
    [p.version, JSON.stringify(p.texts)],
  );
  return existing[0]?.current ? 'same' : 'new';
}

/* ------------------------------------------------------------ import */

export interface ImportCounts {
  sites: number;
  departments: number;
  services: number;
  routes: number;
  answers: number;
  /** Entries of the catalogue before that the file no longer has, removed. */
  removed: { sites: string[]; departments: string[]; services: string[] };
  privacy: 'new' | 'same';
}

/** Entries the file drops that something else (requests, accounts …) still refers to. */
export class ImportConflict extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/**
 * Replaces the whole catalogue with `file` (already checked) in the transaction `q`. Sites,
 * departments and services the file no longer has are removed, unless something still refers to
 * them: then nothing is changed and each is reported.
 */
export async function importCatalogue(q: Queryable, file: CatalogueFile): Promise<ImportCounts> {
  await q.query('SELECT pg_advisory_xact_lock($1)', [CATALOGUE_LOCK]);
  const settings: Required<Settings> = { timezone: file.settings.timezone ?? 'Asia/Shanghai', referencePrefix: file.settings.referencePrefix ?? 'RS' };
  const keep = {
    sites: new Set(file.sites.map((s) => s.id)),
    departments: new Set(file.departments.map((d) => d.id)),
    services: new Set(file.services.map((s) => s.id)),
  };
  const removed = { sites: [] as string[], departments: [] as string[], services: [] as string[] };
  const problems: Problem[] = [];
  for (const table of ['sites', 'departments', 'services'] as const) {
    const ids = (await q.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY sort, id`)).map((r) => r.id).filter((id) => !keep[table].has(id));
    for (const id of ids) {
      // What the file itself rewrites (routes, answers, its own services and sites) does not hold it.
      const refs = await referencesTo(q, table, id, { skipCatalogue: true, skip: ['services.department_id', 'sites.parent_id'] });
      if (refs.length) problems.push({ path: table, message: `${table.slice(0, -1)} ${JSON.stringify(id)} is not in the file but is still referred to: ${describeReferences(refs)}` });
      removed[table].push(id);
    }
  }
  if (problems.length) throw new ImportConflict(problems);

  await q.query('DELETE FROM routing_rules');
  await q.query('DELETE FROM knowledge');
  for (const [i, d] of file.departments.entries()) {
    // The dispatch flag moves last, so one department has it at every moment.
    await writeDepartment(q, { ...d, dispatch: undefined }, i);
  }
  const dispatch = file.departments.find((d) => d.dispatch)!;
  await q.query('UPDATE departments SET is_dispatch = (id = $1)', [dispatch.id]);
  // Sites first without their parents (a parent may come later in the file), then the parents.
  for (const [i, s] of file.sites.entries()) await writeSite(q, s, i, settings, false);
  for (const s of file.sites) await q.query('UPDATE sites SET parent_id = $2 WHERE id = $1', [s.id, s.parent]);
  for (const [i, s] of file.services.entries()) await writeService(q, s, i);
  if (removed.services.length) await q.query('DELETE FROM services WHERE id = ANY($1)', [removed.services]);
  if (removed.sites.length) {
    await q.query('UPDATE sites SET parent_id = NULL WHERE id = ANY($1)', [removed.sites]);
    await q.query('DELETE FROM sites WHERE id = ANY($1)', [removed.sites]);
  }
  if (removed.departments.length) await q.query('DELETE FROM departments WHERE id = ANY($1)', [removed.departments]);
  for (const [i, r] of file.routes.entries()) await writeRoute(q, r, i);
  for (const [i, a] of file.answers.entries()) await writeAnswer(q, a, i);
  const privacy = await writePrivacy(q, file.privacy);
  await q.query('UPDATE catalogue_state SET settings = $1, calendar = $2 WHERE id = 1', [JSON.stringify(file.settings), file.calendar ? JSON.stringify(file.calendar) : null]);
  await bumpVersion(q);
  return {
    sites: file.sites.length,
    departments: file.departments.length,
    services: file.services.length,
    routes: file.routes.length,
    answers: file.answers.length,
    removed,
    privacy,
  };
}

/** The settings an entry is written with (a site without its own time zone takes the city's). */
export const catalogueSettings = settingsOf;

/** True when no catalogue has been loaded yet (a new database). */
export async function catalogueEmpty(db: Db | Queryable): Promise<boolean> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sites');
  return Number(rows[0]?.n ?? 0) === 0;
}
