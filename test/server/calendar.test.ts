/**
 * The working-day calendar's arithmetic (demo/server/loop/calendar.ts) on the demo city's own
 * calendar (demo-city.json: the 2026 notice, 2027 provisional): holidays, make-up working days,
 * 23:59 before a holiday, a holiday, a make-up Saturday, office hours, DST in a non-China zone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WorkingCalendar, addDays, weekday, zonedInstant, type CalendarData } from '../../demo/server/loop/calendar.js';
import { checkCatalogue } from '../../demo/server/catalogue/catalogue-file.js';
import { computeDeadlines, dueState, overdue, promiseDuration } from '../../demo/server/loop/deadlines.js';
import type { ServiceRow, SiteRow } from '../../demo/server/catalogue/catalog.js';

const city = JSON.parse(readFileSync(new URL('../../demo/server/catalogue/demo-city.json', import.meta.url), 'utf8')) as { calendar: CalendarData };
const cal = new WorkingCalendar(city.calendar);
const SH = 'Asia/Shanghai';
/** A Shanghai wall time as an instant. */
const sh = (s: string) => new Date(`${s}+08:00`);
/** An instant as a Shanghai wall time, `YYYY-MM-DD HH:MM:SS`. */
const wall = (d: Date, tz = SH) => new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'medium' }).format(d);
const OFFICE = [
  { days: [1, 2, 3, 4, 5], opens: '08:30', closes: '12:00' },
  { days: [1, 2, 3, 4, 5], opens: '13:30', closes: '17:30' },
];

test('the demo calendar is a valid city file section with 2026 official and 2027 marked provisional', () => {
  const text = readFileSync(new URL('../../demo/server/catalogue/demo-city.json', import.meta.url), 'utf8');
  const checked = checkCatalogue(text);
  assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.problems));
  const years = checked.value.calendar!.years;
  assert.deepEqual(years.map((y) => [y.year, y.provisional ?? false]), [[2026, false], [2027, true]]);
});

test('day kinds: holidays, make-up working days, weekends', () => {
  assert.equal(cal.kind('2026-10-01'), 'holiday');
  assert.equal(cal.kind('2026-10-10'), 'makeup', 'Saturday 10 October 2026 is worked (调休)');
  assert.equal(cal.kind('2026-01-04'), 'makeup', 'Sunday 4 January 2026 is worked');
  assert.equal(cal.kind('2026-10-11'), 'weekend');
  assert.equal(cal.kind('2026-10-12'), 'working');
  assert.equal(cal.kind('2026-02-23'), 'holiday', 'the last day of the Spring Festival, a Monday');
  assert.equal(cal.kind('2027-02-08'), 'holiday', '2027 Spring Festival (provisional)');
  assert.equal(cal.kind('2028-01-03'), 'working', 'a year without data counts Monday–Friday');
  assert.equal(weekday('2026-12-02'), 3);
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
});

test('7 working days: the filing day is not counted; the end of the 7th working day after it', () => {
  // Wednesday 2 December 2026 → Thu 3, Fri 4, Mon 7, Tue 8, Wed 9, Thu 10, Fri 11.
  assert.equal(wall(cal.addWorkingDays(sh('2026-12-02T10:00:00'), 7, SH)), '2026-12-11 23:59:59');
  assert.equal(cal.addWorkingDays(sh('2026-12-02T10:00:00'), 7, SH).toISOString(), '2026-12-11T15:59:59.999Z');
  // Filed at 00:01 the same day: the same limit.
  assert.equal(wall(cal.addWorkingDays(sh('2026-12-02T00:01:00'), 7, SH)), '2026-12-11 23:59:59');
});

test('filed at 23:59 the day before a holiday: the count starts after the National Day week, with the make-up Saturday', () => {
  // 30 September 2026 23:59 → holidays 1–7 October; Thu 8, Fri 9, Sat 10 (worked), Mon 12, Tue 13, Wed 14, Thu 15.
  assert.equal(wall(cal.addWorkingDays(sh('2026-09-30T23:59:00'), 7, SH)), '2026-10-15 23:59:59');
  // One minute later, on the holiday itself: the same limit.
  assert.equal(wall(cal.addWorkingDays(sh('2026-10-01T00:00:00'), 7, SH)), '2026-10-15 23:59:59');
  // 1 working day from the eve of the Spring Festival (Sat 14 Feb is worked; 15–23 off): Tue 24.
  assert.equal(wall(cal.addWorkingDays(sh('2026-02-13T23:59:00'), 1, SH)), '2026-02-14 23:59:59');
  assert.equal(wall(cal.addWorkingDays(sh('2026-02-14T23:59:00'), 1, SH)), '2026-02-24 23:59:59');
});

test('filed on a make-up Saturday: the Saturday is the filing day, counting starts on Monday', () => {
  assert.equal(wall(cal.addWorkingDays(sh('2026-10-10T15:00:00'), 1, SH)), '2026-10-12 23:59:59');
  // 15 working days across the New Year of 2027 (provisional: 1 January off).
  assert.equal(wall(cal.addWorkingDays(sh('2026-12-21T09:00:00'), 15, SH)), '2027-01-12 23:59:59');
});

test('working hours: office hours of working days only, a make-up day keeps Monday\'s hours', () => {
  const place = { timeZone: SH, officeHours: OFFICE };
  // Friday 16:30 + 4 working hours: 1 h Friday, then Monday 08:30–11:30.
  assert.equal(wall(cal.addWorkingHours(sh('2026-12-04T16:30:00'), 4, place)), '2026-12-07 11:30:00');
  // Filed on 1 October: nothing until Thursday 8 October 08:30; its 7.5 office hours, then Friday from 08:30.
  assert.equal(wall(cal.addWorkingHours(sh('2026-10-01T09:00:00'), 8, place)), '2026-10-09 09:00:00');
  // Friday 9 October 17:00 + 2 h: 0.5 h Friday, 1.5 h on the make-up Saturday from 08:30.
  assert.equal(wall(cal.addWorkingHours(sh('2026-10-09T17:00:00'), 2, place)), '2026-10-10 10:00:00');
  // Filed at lunch: counting starts when the office opens again.
  assert.equal(wall(cal.addWorkingHours(sh('2026-12-02T12:10:00'), 1, place)), '2026-12-02 14:30:00');
  // Without office hours a working day counts whole: Friday 20:00 + 8 h → 4 h Friday, Monday 04:00.
  assert.equal(wall(cal.addWorkingHours(sh('2026-12-04T20:00:00'), 8, { timeZone: SH })), '2026-12-07 04:00:00');
});

test('clock hours: nights, weekends and holidays count', () => {
  assert.equal(wall(cal.add(sh('2026-09-30T23:00:00'), { hours: 2 }, { timeZone: SH })), '2026-10-01 01:00:00');
  assert.equal(wall(cal.add(sh('2026-09-30T23:00:00'), { hours: 24 }, { timeZone: SH })), '2026-10-01 23:00:00');
});

test('across DST in a non-China zone: the end of a working day is local midnight, office hours stay local', () => {
  const NY = 'America/New_York';
  const empty = new WorkingCalendar({ years: [] });
  // Clocks go forward on Sunday 8 March 2026. Friday 6 March + 1 working day: end of Monday 9 March, EDT (UTC−4).
  assert.equal(empty.addWorkingDays(new Date('2026-03-06T15:00:00-05:00'), 1, NY).toISOString(), '2026-03-10T03:59:59.999Z');
  // Clocks go back on Sunday 1 November 2026: end of Monday 2 November, EST (UTC−5).
  assert.equal(empty.addWorkingDays(new Date('2026-10-30T15:00:00-04:00'), 1, NY).toISOString(), '2026-11-03T04:59:59.999Z');
  // Office hours 09:00–17:00 local on both sides of the change.
  const place = { timeZone: NY, officeHours: [{ days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' }] };
  assert.equal(wall(empty.addWorkingHours(new Date('2026-03-06T16:00:00-05:00'), 2, place), NY), '2026-03-09 10:00:00');
  // A clock time the change skips (02:30 on 8 March) comes after the gap.
  assert.equal(zonedInstant('2026-03-08', 150, NY).toISOString(), '2026-03-08T07:30:00.000Z');
  assert.equal(zonedInstant('2026-11-01', 90, NY).toISOString(), '2026-11-01T05:30:00.000Z', 'the first 01:30 of the day');
});

test('a request\'s deadlines by class: urgent 2 h, utilities 24 h, general 7 working days, complex 15; the reply never after the resolution', () => {
  const site = { id: 's', timezone: SH, office_hours: OFFICE, reply_hours: 16 } as unknown as SiteRow;
  const service = (over: Partial<ServiceRow> & { deadline?: unknown }) => ({ reply_hours: null, round_the_clock: false, ...over }) as unknown as ServiceRow;
  const at = sh('2026-09-30T23:59:00');
  const general = computeDeadlines(cal, at, site, service({}));
  assert.equal(general.class, 'general');
  assert.equal(wall(general.resolveBy), '2026-10-15 23:59:59');
  // The site's promise, 16 h = 2 working days: Thursday 8 and Friday 9 October.
  assert.equal(wall(general.replyBy), '2026-10-09 23:59:59');
  const urgent = computeDeadlines(cal, at, site, service({ reply_hours: 2, round_the_clock: true }));
  assert.equal(urgent.class, 'urgent');
  assert.equal(wall(urgent.resolveBy), '2026-10-01 01:59:00');
  assert.equal(urgent.replyBy.getTime(), urgent.resolveBy.getTime());
  const utilities = computeDeadlines(cal, at, site, service({ reply_hours: 24, round_the_clock: true }));
  assert.equal(utilities.class, 'utilities');
  assert.equal(wall(utilities.resolveBy), '2026-10-01 23:59:00');
  const complex = computeDeadlines(cal, sh('2026-12-02T10:00:00'), site, service({ deadline: { class: 'complex', replyWithin: { workingHours: 4 } } }));
  assert.equal(wall(complex.resolveBy), '2026-12-23 23:59:59');
  assert.equal(wall(complex.replyBy), '2026-12-02 15:30:00');
  assert.deepEqual(promiseDuration(16, false), { workingDays: 2 });
  assert.deepEqual(promiseDuration(4, false), { workingHours: 4 });
});

test('overdue and due soon: the reply\'s limit while awaited, then the resolution\'s', () => {
  const row = { status: 'routed', first_reply_at: null, reply_by: '2026-12-03T10:00:00Z', resolve_by: '2026-12-10T10:00:00Z' };
  assert.equal(overdue(row, new Date('2026-12-03T09:59:00Z')), null);
  assert.equal(overdue(row, new Date('2026-12-03T10:01:00Z')), 'reply');
  assert.equal(dueState(row, new Date('2026-12-03T08:00:00Z'), new Date('2026-12-03T12:00:00Z')), 'soon');
  assert.equal(dueState(row, new Date('2026-12-03T04:00:00Z'), new Date('2026-12-03T08:00:00Z')), null);
  const replied = { ...row, status: 'replied', first_reply_at: '2026-12-03T11:00:00Z' };
  assert.equal(overdue(replied, new Date('2026-12-05T00:00:00Z')), null, 'replied late, not overdue for the resolution yet');
  assert.equal(overdue(replied, new Date('2026-12-11T00:00:00Z')), 'resolve');
  assert.equal(overdue({ ...replied, status: 'resolved' }, new Date('2026-12-11T00:00:00Z')), null);
});
