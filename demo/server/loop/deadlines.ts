/**
 * Time limits of a request (docs/staff-api.md, "Deadlines"): `reply_by` (the first reply) and
 * `resolve_by` (办结), from the service's deadline class, counted on the city's working-day
 * calendar (calendar.ts) in the site's time zone at filing, and what is overdue or due soon now.
 */
import type { Queryable } from '../storage/db.js';
import type { ServiceRow, SiteRow } from '../catalogue/catalog.js';
import type { DeadlineEntry } from '../catalogue/catalogue-file.js';
import { WorkingCalendar, type CalendarData, type Duration, type Place } from './calendar.js';

export type DeadlineClass = DeadlineEntry['class'];

/** The classes' resolution limits when a service gives none. */
export const CLASS_LIMITS: Record<DeadlineClass, Duration> = {
  urgent: { hours: 2 },
  utilities: { hours: 24 },
  general: { workingDays: 7 },
  complex: { workingDays: 15 },
};

let cached: { text: string; calendar: WorkingCalendar } | null = null;

/** The city's calendar (catalogue_state.calendar); an empty one counts Monday–Friday. */
export async function loadCalendar(q: Queryable): Promise<WorkingCalendar> {
  const rows = await q.query<{ calendar: CalendarData | null }>('SELECT calendar FROM catalogue_state WHERE id = 1');
  const data = rows[0]?.calendar ?? { years: [] };
  const text = JSON.stringify(data);
  if (cached?.text !== text) cached = { text, calendar: new WorkingCalendar(data) };
  return cached.calendar;
}

export const placeOf = (site: Pick<SiteRow, 'timezone' | 'office_hours'>): Place => ({ timeZone: site.timezone || 'Asia/Shanghai', officeHours: site.office_hours });

/** A service's deadline: its own, else from its promise (round the clock ≤ 2 h urgent, else utilities), else general. */
export function serviceDeadline(service: Pick<ServiceRow, 'reply_hours' | 'round_the_clock'> & { deadline?: DeadlineEntry | null }): DeadlineEntry {
  if (service.deadline) return service.deadline;
  if (service.round_the_clock) return { class: (service.reply_hours ?? 24) <= 2 ? 'urgent' : 'utilities' };
  return { class: 'general' };
}

/** The reply promise as a duration: round the clock in hours; whole days of 8 hours in working days; else working hours. */
export function promiseDuration(hours: number, roundTheClock: boolean): Duration {
  if (roundTheClock) return { hours };
  return hours >= 8 && Number.isInteger(hours / 8) ? { workingDays: hours / 8 } : { workingHours: hours };
}

export interface Deadlines {
  class: DeadlineClass;
  replyBy: Date;
  resolveBy: Date;
}

/** Both limits of an item filed at `from` (the reply never after the resolution). */
export function computeDeadlines(calendar: WorkingCalendar, from: Date, site: SiteRow, service: ServiceRow): Deadlines {
  const deadline = serviceDeadline(service as ServiceRow & { deadline?: DeadlineEntry | null });
  const place = placeOf(site);
  const resolveBy = calendar.add(from, deadline.resolveWithin ?? CLASS_LIMITS[deadline.class], place);
  const reply = deadline.replyWithin ?? promiseDuration(service.reply_hours ?? site.reply_hours, service.round_the_clock);
  const replyBy = calendar.add(from, reply, place);
  return { class: deadline.class, replyBy: replyBy < resolveBy ? replyBy : resolveBy, resolveBy };
}

/** What a request row needs for its state. */
export interface DeadlineRow {
  status: string;
  first_reply_at?: Date | string | null;
  reply_by?: Date | string | null;
  resolve_by?: Date | string | null;
}

const OPEN = ['received', 'routed', 'in_progress'];
const UNRESOLVED = [...OPEN, 'replied'];

/**
 * Waiting for a reply: not answered, resolved or closed, and either never replied to or given a
 * reply limit after its first reply (sent back to be redone, a new limit by supervision).
 */
export const replyPending = (r: DeadlineRow) =>
  OPEN.includes(r.status) && (!r.first_reply_at || (!!r.reply_by && new Date(r.reply_by) > new Date(r.first_reply_at)));
export const resolvePending = (r: DeadlineRow) => UNRESOLVED.includes(r.status);

/** The limit that counts now: the reply's while it is awaited, then the resolution's; null once resolved. */
export function nextDue(r: DeadlineRow): { which: 'reply' | 'resolve'; at: Date } | null {
  if (replyPending(r) && r.reply_by) return { which: 'reply', at: new Date(r.reply_by) };
  if (resolvePending(r) && r.resolve_by) return { which: 'resolve', at: new Date(r.resolve_by) };
  return null;
}

/** Which limit has passed at `now`: the reply's, else the resolution's, else none. */
export function overdue(r: DeadlineRow, now: Date): 'reply' | 'resolve' | null {
  if (replyPending(r) && r.reply_by && new Date(r.reply_by) < now) return 'reply';
  if (resolvePending(r) && r.resolve_by && new Date(r.resolve_by) < now) return 'resolve';
  return null;
}

/** Overdue, due before `soonUntil`, or neither. */
export function dueState(r: DeadlineRow, now: Date, soonUntil: Date): 'overdue' | 'soon' | null {
  if (overdue(r, now)) return 'overdue';
  const next = nextDue(r);
  return next && next.at <= soonUntil ? 'soon' : null;
}

/**
 * The SQL of the limit that counts now for `requests` as `alias` (the same rule as nextDue):
 * sorts by what is due first, and compares with now for overdue and soon.
 */
export function nextDueSql(alias: string): string {
  const a = alias;
  return `(CASE WHEN ${a}.status IN ('received', 'routed', 'in_progress') AND ${a}.reply_by IS NOT NULL
      AND (${a}.first_reply_at IS NULL OR ${a}.reply_by > ${a}.first_reply_at) THEN ${a}.reply_by
    WHEN ${a}.status IN ('received', 'routed', 'in_progress', 'replied') THEN ${a}.resolve_by END)`;
}

/** Per site, the moment until which a limit counts as due soon (now + the calendar's dueSoon at that site). */
export async function soonThresholds(q: Queryable, now: Date): Promise<{ siteIds: string[]; until: string[]; calendar: WorkingCalendar }> {
  const calendar = await loadCalendar(q);
  const sites = await q.query<Pick<SiteRow, 'id' | 'timezone' | 'office_hours'>>('SELECT id, timezone, office_hours FROM sites');
  return {
    siteIds: sites.map((s) => s.id),
    until: sites.map((s) => calendar.add(now, calendar.dueSoon, placeOf(s)).toISOString()),
    calendar,
  };
}

/** Due soon until, at one site. */
export async function soonUntil(q: Queryable, now: Date, siteId: string): Promise<Date> {
  const calendar = await loadCalendar(q);
  const site = (await q.query<Pick<SiteRow, 'id' | 'timezone' | 'office_hours'>>('SELECT id, timezone, office_hours FROM sites WHERE id = $1', [siteId]))[0];
  return site ? calendar.add(now, calendar.dueSoon, placeOf(site)) : now;
}

/** The limits as the resident's status answer gives them (RequestDetail.resolveBy, overdue, timeZone). */
export async function deadlinesOut(q: Queryable, r: DeadlineRow & { site_id: string }, now: Date): Promise<{ resolveBy: string | null; overdue: 'reply' | 'resolve' | null; timeZone: string }> {
  const rows = await q.query<{ timezone: string }>('SELECT timezone FROM sites WHERE id = $1', [r.site_id]);
  return {
    resolveBy: r.resolve_by ? new Date(r.resolve_by).toISOString() : null,
    overdue: overdue(r, now),
    timeZone: rows[0]?.timezone || 'Asia/Shanghai',
  };
}

/**
 * New limits counted from `from` for an item already filed (sent back to be redone, reopened):
 * its service's class at its site, as at filing. The caller writes them and records `deadline_set`.
 */
export async function limitsFrom(q: Queryable, r: { site_id: string; service_id: string }, from: Date): Promise<Deadlines | null> {
  const site = (await q.query<SiteRow & Record<string, unknown>>('SELECT * FROM sites WHERE id = $1', [r.site_id]))[0];
  const service = (await q.query<ServiceRow & Record<string, unknown>>('SELECT * FROM services WHERE id = $1', [r.service_id]))[0];
  if (!site || !service) return null;
  return computeDeadlines(await loadCalendar(q), from, site, service);
}

/** SQL: a limit of `requests` as `alias` has passed at the placeholder `now` (the same rule as overdue()). */
export function overdueSql(alias: string, now: string): string {
  const a = alias;
  return `((${nextDueSql(a)} < ${now}) OR (${a}.status IN ('received', 'routed', 'in_progress', 'replied') AND ${a}.resolve_by < ${now}))`;
}

/** SQL: the limit to sort by, the earliest one still counting (nulls: none). */
export function dueSortSql(alias: string): string {
  const a = alias;
  return `LEAST(${nextDueSql(a)}, CASE WHEN ${a}.status IN ('received', 'routed', 'in_progress', 'replied') THEN ${a}.resolve_by END)`;
}

/** A queue item's limits and state at `now` (QueueItem.replyBy, resolveBy, due). */
/**
 * `soon` keeps each site's due-soon moment for one listing (a page of the queue asks once per site,
 * not once per item); without it every call looks it up.
 */
export async function queueDueFields(
  q: Queryable,
  r: DeadlineRow & { site_id: string },
  now: Date,
  soon: Map<string, Promise<Date>> = new Map(),
): Promise<{ replyBy: string | null; resolveBy: string | null; due: 'overdue' | 'soon' | null }> {
  const next = nextDue(r);
  let until: Promise<Date> | undefined;
  if (next || overdue(r, now)) {
    until = soon.get(r.site_id);
    if (!until) soon.set(r.site_id, (until = soonUntil(q, now, r.site_id)));
  }
  return {
    replyBy: r.reply_by ? new Date(r.reply_by).toISOString() : null,
    resolveBy: r.resolve_by ? new Date(r.resolve_by).toISOString() : null,
    due: until ? dueState(r, now, await until) : null,
  };
}
