/**
 * Working-day arithmetic in a site's IANA time zone (Intl only), on the city's calendar of public
 * holidays and make-up working days (调休) per year (city file `calendar`, docs/staff-api.md,
 * "Deadlines"). The rules, followed everywhere:
 * - A working day is Monday–Friday, unless the year lists it as a holiday; a weekend day the year
 *   lists as a make-up working day is one. A year the calendar does not have counts Monday–Friday.
 * - `{workingDays: N}`: the filing day is never counted (期间开始之日不计算在内); the limit is the end
 *   (23:59:59.999, local) of the Nth working day after it. Filed at 23:59 or at 00:01, on a holiday
 *   or on a Sunday: the count starts with the next working day.
 * - `{workingHours: N}`: the site's office hours on working days (a make-up day keeps Monday's
 *   hours; a holiday has none); a site without office hours counts whole working days, 00:00–24:00.
 * - `{hours: N}`: clock hours, night, weekend and holiday included (urgent items, utilities).
 */

/** How long a time limit is: clock hours, working hours, or working days. */
export type Duration = { hours: number } | { workingHours: number } | { workingDays: number };

export interface CalendarYear {
  year: number;
  /** Not the official schedule yet (derived from the statutory holidays): shown as such to administrators. */
  provisional?: boolean;
  /** Where the dates come from (the State Council's notice), or why they are provisional. */
  source?: string;
  /** Days off, each a date or a range (`to` included). */
  holidays: { from: string; to?: string; names?: Record<string, string> }[];
  /** Weekend days that are working days (调休上班). */
  workdays: string[];
}

export interface CalendarData {
  /** When an item counts as due soon: this long before its limit (default 4 working hours). */
  dueSoon?: Duration;
  years: CalendarYear[];
}

export interface OfficeSlot {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  opens: string;
  closes: string;
}

export interface Place {
  timeZone: string;
  officeHours?: OfficeSlot[];
}

/** A calendar date in some zone, as YYYY-MM-DD text (compares and sorts as text). */
type LocalDate = string;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAY = 86_400_000;

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsFormats.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `at` in `timeZone`. */
export function wallClock(at: Date, timeZone: string): { date: LocalDate; hour: number; minute: number; second: number } {
  const p: Record<string, string> = {};
  for (const part of partsFormat(timeZone).formatToParts(at)) p[part.type] = part.value;
  return { date: `${p['year']}-${p['month']}-${p['day']}`, hour: Number(p['hour']) % 24, minute: Number(p['minute']), second: Number(p['second']) };
}

/** The zone's offset from UTC at `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(new Date(at), timeZone);
  const [y, m, d] = w.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, w.hour, w.minute, w.second);
  return asUtc - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time happens in `timeZone` (DST aware). A time the clocks skip (spring
 * forward) is taken after the gap; a time that happens twice (fall back) is the first one.
 */
export function zonedInstant(date: LocalDate, minutes: number, timeZone: string): Date {
  // A pure function of its three inputs, asked for the same few working days' opening and closing
  // times by every filing: each is worked out once (bounded).
  const key = `${timeZone} ${date} ${minutes}`;
  const known = instants.get(key);
  if (known !== undefined) return new Date(known);
  const at = findInstant(date, minutes, timeZone);
  if (instants.size >= 10_000) instants.clear();
  instants.set(key, at);
  return new Date(at);
}
const instants = new Map<string, number>();

function findInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  let guess = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(guess, timeZone);
  if (second !== guess) {
    // Across a change: the earlier reading that gives this wall time, else after the gap.
    const candidates = [guess, second].filter((t) => t + offsetAt(t, timeZone) === wall).sort((a, b) => a - b);
    guess = candidates[0] ?? Math.max(guess, second);
  }
  return guess;
}

/** The date `n` days after `date` (the calendar's, no zone involved). */
export function addDays(date: LocalDate, n: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d) + n * DAY);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekday(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export type DayKind = 'working' | 'weekend' | 'holiday' | 'makeup';

export class WorkingCalendar {
  private readonly holidays = new Set<LocalDate>();
  private readonly workdays = new Set<LocalDate>();
  readonly years: ReadonlySet<number>;
  readonly dueSoon: Duration;

  constructor(data: CalendarData = { years: [] }) {
    for (const year of data.years) {
      for (const h of year.holidays) {
        for (let d = h.from; d <= (h.to ?? h.from); d = addDays(d, 1)) this.holidays.add(d);
      }
      for (const w of year.workdays) this.workdays.add(w);
    }
    this.years = new Set(data.years.map((y) => y.year));
    this.dueSoon = data.dueSoon ?? { workingHours: 4 };
  }

  /** What a date is: a normal working day, a weekend, a public holiday, or a make-up working day. */
  kind(date: LocalDate): DayKind {
    if (this.holidays.has(date)) return 'holiday';
    if (this.workdays.has(date)) return 'makeup';
    return weekday(date) >= 6 ? 'weekend' : 'working';
  }

  isWorkingDay(date: LocalDate): boolean {
    const k = this.kind(date);
    return k === 'working' || k === 'makeup';
  }

  /** The end (23:59:59.999 local) of the `n`th working day after the day `from` falls on there. */
  addWorkingDays(from: Date, n: number, timeZone: string): Date {
    let date = wallClock(from, timeZone).date;
    let left = Math.max(1, Math.round(n));
    for (let guard = 0; guard < 3660 && left > 0; guard++) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) left--;
    }
    return new Date(zonedInstant(addDays(date, 1), 0, timeZone).getTime() - 1);
  }

  /** Office-hour slots of a date as [start, end) instants; none on a holiday or a day off. */
  private slots(date: LocalDate, place: Place): [number, number][] {
    const kind = this.kind(date);
    if (kind === 'holiday') return [];
    const hours = place.officeHours ?? [];
    if (!hours.length) {
      if (!this.isWorkingDay(date)) return [];
      return [[zonedInstant(date, 0, place.timeZone).getTime(), zonedInstant(addDays(date, 1), 0, place.timeZone).getTime()]];
    }
    // A make-up working day keeps Monday's hours (it stands in for a weekday).
    const day = kind === 'makeup' ? 1 : weekday(date);
    return hours
      .filter((h) => h.days.includes(day))
      .map((h) => [zonedInstant(date, toMinutes(h.opens), place.timeZone).getTime(), zonedInstant(date, toMinutes(h.closes), place.timeZone).getTime()] as [number, number])
      .sort((a, b) => a[0] - b[0]);
  }

  /** `hours` of office time after `from`, on working days only. */
  addWorkingHours(from: Date, hours: number, place: Place): Date {
    let left = Math.max(0, hours) * 3600_000;
    let t = from.getTime();
    let date = wallClock(from, place.timeZone).date;
    for (let guard = 0; guard < 3660; guard++) {
      for (const [open, close] of this.slots(date, place)) {
        if (t >= close) continue;
        const start = Math.max(t, open);
        const use = Math.min(close - start, left);
        left -= use;
        t = start + use;
        if (left <= 0) return new Date(t);
      }
      date = addDays(date, 1);
    }
    return new Date(t);
  }

  /** `from` plus a duration at a place. */
  add(from: Date, duration: Duration, place: Place): Date {
    if ('hours' in duration) return new Date(from.getTime() + duration.hours * 3600_000);
    if ('workingHours' in duration) return this.addWorkingHours(from, duration.workingHours, place);
    return this.addWorkingDays(from, duration.workingDays, place.timeZone);
  }
}
