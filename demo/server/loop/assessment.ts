/**
 * The monthly assessment of every office (考核), computed only from the loop's events
 * (loop_events, loop/events.ts) — never from the items' current columns — so a rating, a transfer,
 * a return or an escalation can never vanish from the figures by a later change. docs/staff-api.md,
 * "Assessment", defines each figure; this file is that definition in code.
 *
 * The unit is an item at an office: each (item, office) pair belongs to the month (in the city's
 * time zone) of the item's first arrival at that office, and every figure about the pair — on
 * time or late, ratings, returns, escalations — counts in that month, whenever it happens.
 */
import type { Hono } from 'hono';
import { text, type Locale } from '../catalogue/catalog.js';
import type { Texts } from '../catalogue/seed-data.js';
import { localeOf, type ServerContext } from '../context.js';
import { HttpError } from '../http.js';
import type { Queryable } from '../storage/db.js';
import { audit, requireRole, type StaffUser } from '../staff/identity.js';
import { scopeClause } from '../staff/scope.js';
import type { LoopEventType } from './events.js';
import {
  ASSESSMENT_COLUMNS,
  columnValue,
  isRateColumn,
  type AssessmentColumn,
  type AssessmentFigures,
  type AssessmentMonth,
  type AssessmentResponse,
  type AssessmentRow,
  type OnTime,
} from './assessment-api.js';

/** Who reads the assessment: the intake centre and supervisors (in their site subtree). */
export const ASSESSMENT_ROLES = ['dispatcher', 'supervisor'] as const;

/* ---------------------------------------------------------------- months in a time zone */

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function wall(at: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partsFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at `at`, ms (Asia/Shanghai: +8 h). */
function offsetAt(at: number, timeZone: string): number {
  const w = wall(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/** The first instant of a month (`year`, `month` 1–12) in `timeZone`. */
export function monthStart(year: number, month: number, timeZone: string): Date {
  const local = Date.UTC(year, month - 1, 1);
  let at = local - offsetAt(local, timeZone);
  at = local - offsetAt(at, timeZone);
  return new Date(at);
}

/** `2026-12` for an instant, in `timeZone`. */
export function monthOf(at: Date, timeZone: string): string {
  const w = wall(at.getTime(), timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}`;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month before `2026-12` (`2026-11`), and its bounds. */
export function monthBounds(month: string, timeZone: string): { month: string; from: Date; until: Date; previous: string } {
  const m = MONTH.exec(month);
  if (!m) throw new HttpError('bad_request', 'month must be YYYY-MM, e.g. 2026-12');
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const next = mon === 12 ? [year + 1, 1] : [year, mon + 1];
  const prev = mon === 1 ? [year - 1, 12] : [year, mon - 1];
  return {
    month,
    from: monthStart(year, mon, timeZone),
    until: monthStart(next[0]!, next[1]!, timeZone),
    previous: `${prev[0]}-${String(prev[1]).padStart(2, '0')}`,
  };
}

/** The city's time zone: the catalogue's settings, else the district's (top site's), else Asia/Shanghai. */
export async function cityTimeZone(q: Queryable): Promise<string> {
  const settings = await q.query<{ tz: string | null }>("SELECT settings->>'timezone' AS tz FROM catalogue_state WHERE id = 1").catch(() => []);
  const district = await q.query<{ tz: string }>('SELECT timezone AS tz FROM sites WHERE parent_id IS NULL ORDER BY sort, id LIMIT 1');
  for (const tz of [settings[0]?.tz, district[0]?.tz]) {
    if (!tz) continue;
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return tz;
    } catch {
      /* not a zone this runtime knows: the next one */
    }
  }
  return 'Asia/Shanghai';
}

/* ---------------------------------------------------------------- one item's events → pairs */

/** The columns of loop_events the assessment reads. */
export interface AssessedEvent {
  seq: number;
  requestId: string;
  at: Date;
  type: LoopEventType | string;
  officeId: string | null;
  detail: Record<string, unknown>;
}

type Deadlines = { acceptBy?: number; replyBy?: number; resolveBy?: number };
type StepName = 'accepted' | 'replied' | 'resolved';
type StepState = { done: boolean; onTime: boolean | null };

interface Rating {
  level: number;
  solved: boolean;
  round: number | null;
  appealed: boolean;
  redone: boolean;
  answered: boolean;
}

interface Redo {
  answered: boolean;
  onTime: boolean;
}

/** One item at one office: what the office did with it, from the events. */
export interface Pair {
  requestId: string;
  office: string;
  /** The first arrival's time. */
  arrivedAt: Date;
  byTransfer: boolean;
  steps: Record<StepName, StepState>;
  /** When it last left the office (returned, moved, closed), with the deadlines then; null while the office has it. */
  left: { at: number; due: Deadlines } | null;
  ratings: Rating[];
  redos: Redo[];
  returned: number;
  returnsOverruled: number;
  transferredAway: number;
  reopened: number;
  escalated: number;
  supervised: number;
}

const ARRIVALS = new Set(['filed', 'dispatched', 'redispatched']);

const str = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);
const time = (value: unknown): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
};

/** Which deadline a step is measured against: accept-by if the deadlines set one, else the reply-by. */
function dueFor(step: StepName, d: Deadlines): number | undefined {
  if (step === 'accepted') return d.acceptBy ?? d.replyBy;
  return step === 'replied' ? d.replyBy : d.resolveBy;
}

/**
 * Walks one item's events (oldest first) into its (item, office) pairs. `dispatch`: the intake
 * centre's department ids (never assessed as an office). `now`: the clock, for steps not done yet.
 */
export function pairsOf(events: readonly AssessedEvent[], dispatch: ReadonlySet<string>, now: Date): { pairs: Pair[]; pending: (pair: Pair, step: StepName) => 'late' | 'pending' | null } {
  const pairs = new Map<string, Pair>();
  let holder: string | null = null;
  let lastHolder: string | null = null;
  let lastReturner: string | null = null;
  let finished = false;
  const deadlines: Deadlines = {};
  const isOffice = (id: string | null): id is string => id !== null && !dispatch.has(id);
  const pairOf = (office: string | null): Pair | undefined => (office ? pairs.get(office) : undefined);
  const leave = (pair: Pair | undefined, at: Date) => {
    if (pair && !pair.left) pair.left = { at: at.getTime(), due: { ...deadlines } };
  };
  const done = (pair: Pair | undefined, step: StepName, at: Date) => {
    if (!pair || pair.steps[step].done) return;
    const due = dueFor(step, deadlines);
    pair.steps[step] = { done: true, onTime: due === undefined ? null : at.getTime() <= due };
  };

  for (const e of events) {
    const d = e.detail ?? {};
    // The office an event concerns: the one it names, else whoever has the item (or had it last).
    const office = e.officeId ?? holder ?? lastHolder;
    if (ARRIVALS.has(e.type)) {
      const to: string | null = e.officeId ?? str(d.to);
      if (e.type === 'filed' && !to) continue;
      const from: string | null = str(d.from) ?? holder;
      if (from && from !== to && isOffice(from)) {
        const away = pairOf(from);
        if (away && !away.left) away.transferredAway++;
        leave(away, e.at);
      }
      if (isOffice(to)) {
        const existing = pairs.get(to);
        if (existing) existing.left = null;
        else {
          const before = [...pairs.keys()].some((id) => id !== to);
          pairs.set(to, {
            requestId: e.requestId, office: to, arrivedAt: e.at, byTransfer: e.type === 'redispatched' || before,
            steps: { accepted: { done: false, onTime: null }, replied: { done: false, onTime: null }, resolved: { done: false, onTime: null } },
            left: null, ratings: [], redos: [], returned: 0, returnsOverruled: 0, transferredAway: 0, reopened: 0, escalated: 0, supervised: 0,
          });
        }
        lastHolder = to;
      }
      holder = to;
      finished = false;
      continue;
    }
    const pair = pairOf(office);
    switch (e.type) {
      case 'deadline_set': {
        const acceptBy = time(d.acceptBy);
        const replyBy = time(d.replyBy);
        const resolveBy = time(d.resolveBy);
        if (acceptBy !== undefined) deadlines.acceptBy = acceptBy;
        if (replyBy !== undefined) deadlines.replyBy = replyBy;
        if (resolveBy !== undefined) deadlines.resolveBy = resolveBy;
        break;
      }
      case 'accepted':
        done(pair, 'accepted', e.at);
        break;
      case 'replied':
      case 'resolved':
        // Answering takes the item on; the step itself; and it answers any send-back still open.
        done(pair, 'accepted', e.at);
        done(pair, e.type, e.at);
        if (pair) {
          const due = e.type === 'replied' ? deadlines.replyBy : deadlines.resolveBy ?? deadlines.replyBy;
          for (const redo of pair.redos) {
            if (redo.answered) continue;
            redo.answered = true;
            redo.onTime = due === undefined || e.at.getTime() <= due;
          }
          for (const r of pair.ratings) if (r.redone) r.answered = true;
        }
        break;
      case 'returned':
        if (pair) pair.returned++;
        leave(pair, e.at);
        lastReturner = office;
        holder = null;
        break;
      case 'return_overruled': {
        const back = pairOf(e.officeId ?? lastReturner);
        if (back) {
          back.returnsOverruled++;
          back.left = null;
          holder = back.office;
          lastHolder = back.office;
        }
        break;
      }
      case 'escalated':
        if (pair) pair.escalated++;
        break;
      case 'supervised':
        if (pair) pair.supervised++;
        break;
      case 'rated':
        pair?.ratings.push({
          level: Math.min(5, Math.max(1, Math.round(Number(d.level) || 0))),
          solved: d.solved === true,
          round: typeof d.round === 'number' ? d.round : null,
          appealed: false, redone: false, answered: false,
        });
        break;
      case 'redo':
        if (pair) {
          pair.redos.push({ answered: false, onTime: false });
          const last = pair.ratings.at(-1);
          if (last && !last.redone) last.redone = true;
          pair.left = null;
          holder = pair.office;
        }
        finished = false;
        break;
      case 'appeal': {
        // The rating appealed: the one of `detail.round` if named, else the item's latest.
        const all = [...pairs.values()].flatMap((p) => p.ratings);
        const round = typeof d.round === 'number' ? d.round : null;
        const rated = (round !== null ? all.filter((r) => r.round === round).at(-1) : undefined) ?? all.at(-1);
        if (rated) rated.appealed = true;
        break;
      }
      case 'reopened':
        if (pair) {
          pair.reopened++;
          pair.left = null;
          holder = pair.office;
        }
        finished = false;
        break;
      case 'closed':
        leave(pairOf(holder), e.at);
        finished = true;
        break;
      case 'merged':
        // Merged into another item: its steps there are that item's; here nothing is due any more.
        if (str(d.into)) {
          for (const p of pairs.values()) if (!p.left) p.left = { at: e.at.getTime(), due: {} };
          finished = true;
        }
        break;
      default:
        break;
    }
  }

  const nowMs = now.getTime();
  const pending = (pair: Pair, step: StepName): 'late' | 'pending' | null => {
    // With the office now: late once due; moved on, closed or merged: late only if it left after it was due.
    if (!pair.left && !finished) {
      const due = dueFor(step, deadlines);
      if (due === undefined) return null;
      return nowMs > due ? 'late' : 'pending';
    }
    const left = pair.left;
    if (!left) return null;
    const due = dueFor(step, left.due);
    return due !== undefined && left.at > due ? 'late' : null;
  };
  return { pairs: [...pairs.values()], pending };
}

/* ---------------------------------------------------------------- figures */

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const share = (part: number, whole: number) => (whole > 0 ? round(part / whole) : null);

function emptyFigures(): AssessmentFigures {
  const step = (): OnTime => ({ onTime: 0, late: 0, pending: 0, rate: null });
  return {
    received: 0, byTransfer: 0,
    accepted: step(), replied: step(), resolved: step(),
    ratings: { count: 0, byLevel: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }, solved: 0, notSolved: 0, appealed: 0, average: null, solvedRate: null, satisfactionRate: null },
    bad: { count: 0, appealed: 0, redone: 0, answered: 0 },
    redo: { count: 0, answered: 0, answeredOnTime: 0 },
    returned: 0, returnsOverruled: 0, transferredAway: 0, reopened: 0, escalated: 0, supervised: 0,
    score: null,
  };
}

/** Weights of the composite score (in the spirit of 接诉即办's 响应率 / 解决率 / 满意率). */
export const SCORE_WEIGHTS = { replied: 0.2, solved: 0.4, satisfaction: 0.4 } as const;

/** Fills in the rates and the score from the counts. */
function finish(f: AssessmentFigures, levelSum: number): AssessmentFigures {
  for (const step of [f.accepted, f.replied, f.resolved]) step.rate = share(step.onTime, step.onTime + step.late);
  const r = f.ratings;
  r.average = r.count ? round(levelSum / r.count, 2) : null;
  r.solvedRate = share(r.solved, r.count);
  r.satisfactionRate = share((r.byLevel['3'] ?? 0) + (r.byLevel['4'] ?? 0) + (r.byLevel['5'] ?? 0), r.count);
  const parts: [number | null, number][] = [
    [f.replied.rate, SCORE_WEIGHTS.replied], [r.solvedRate, SCORE_WEIGHTS.solved], [r.satisfactionRate, SCORE_WEIGHTS.satisfaction],
  ];
  const weight = parts.reduce((sum, [rate, w]) => sum + (rate === null ? 0 : w), 0);
  f.score = weight ? round((100 * parts.reduce((sum, [rate, w]) => sum + (rate ?? 0) * w, 0)) / weight, 1) : null;
  return f;
}

/** Adds one pair to an office's (or the city's) figures; returns the sum of its rating levels. */
function add(f: AssessmentFigures, pair: Pair, pending: (pair: Pair, step: StepName) => 'late' | 'pending' | null): number {
  f.received++;
  if (pair.byTransfer) f.byTransfer++;
  for (const step of ['accepted', 'replied', 'resolved'] as const) {
    const s = pair.steps[step];
    const out = f[step];
    if (s.done) {
      if (s.onTime === true) out.onTime++;
      else if (s.onTime === false) out.late++;
    } else {
      const state = pending(pair, step);
      if (state === 'late') out.late++;
      else if (state === 'pending') out.pending++;
    }
  }
  let levels = 0;
  for (const r of pair.ratings) {
    f.ratings.count++;
    f.ratings.byLevel[String(r.level)] = (f.ratings.byLevel[String(r.level)] ?? 0) + 1;
    levels += r.level;
    if (r.solved) f.ratings.solved++;
    else f.ratings.notSolved++;
    if (r.appealed) f.ratings.appealed++;
    if (r.level <= 2) {
      f.bad.count++;
      if (r.appealed) f.bad.appealed++;
      if (r.redone) f.bad.redone++;
      if (r.redone && r.answered) f.bad.answered++;
    }
  }
  for (const redo of pair.redos) {
    f.redo.count++;
    if (redo.answered) f.redo.answered++;
    if (redo.answered && redo.onTime) f.redo.answeredOnTime++;
  }
  f.returned += pair.returned;
  f.returnsOverruled += pair.returnsOverruled;
  f.transferredAway += pair.transferredAway;
  f.reopened += pair.reopened;
  f.escalated += pair.escalated;
  f.supervised += pair.supervised;
  return levels;
}

interface Office {
  id: string;
  name: string;
}

/** Orders offices best first: score, then replied on time, then name; offices without figures last. */
function byScore(a: AssessmentRow, b: AssessmentRow): number {
  const s = (r: AssessmentRow) => r.score ?? -1;
  return s(b) - s(a) || (b.replied.rate ?? -1) - (a.replied.rate ?? -1) || b.received - a.received || a.office.name.localeCompare(b.office.name);
}

/** The figures of one month from pairs already walked. */
function monthFigures(month: { month: string; from: Date; until: Date }, offices: Office[], walked: { pairs: Pair[]; pending: (p: Pair, s: StepName) => 'late' | 'pending' | null }[]): AssessmentMonth {
  const rows = new Map<string, { figures: AssessmentFigures; levels: number }>();
  for (const o of offices) rows.set(o.id, { figures: emptyFigures(), levels: 0 });
  const totals = { figures: emptyFigures(), levels: 0 };
  const items = new Set<string>();
  const from = month.from.getTime();
  const until = month.until.getTime();
  for (const { pairs, pending } of walked) {
    for (const pair of pairs) {
      const at = pair.arrivedAt.getTime();
      if (at < from || at >= until) continue;
      const row = rows.get(pair.office);
      if (!row) continue; // a department no longer in the catalogue
      row.levels += add(row.figures, pair, pending);
      totals.levels += add(totals.figures, pair, pending);
      items.add(pair.requestId);
    }
  }
  const officeRows: AssessmentRow[] = offices.map((o) => {
    const row = rows.get(o.id)!;
    return { office: { id: o.id, name: o.name }, ...finish(row.figures, row.levels) };
  });
  officeRows.sort(byScore);
  return {
    month: month.month,
    from: month.from.toISOString(),
    until: month.until.toISOString(),
    offices: officeRows,
    totals: { items: items.size, ...finish(totals.figures, totals.levels) },
  };
}

/**
 * The assessment of `month` (`2026-12`) and the month before, for the items `user` sees
 * (scopeClause on the requests the events belong to).
 */
export async function assessment(q: Queryable, options: { user: StaffUser; month?: string; now: Date; locale: Locale }): Promise<AssessmentResponse> {
  const timeZone = await cityTimeZone(q);
  const current = monthBounds(options.month ?? monthOf(options.now, timeZone), timeZone);
  const previous = monthBounds(current.previous, timeZone);
  const departments = await q.query<{ id: string; names: Texts; is_dispatch: boolean }>('SELECT id, names, is_dispatch FROM departments ORDER BY sort, id');
  const dispatch = new Set(departments.filter((d) => d.is_dispatch).map((d) => d.id));
  const offices = departments.filter((d) => !d.is_dispatch).map((d) => ({ id: d.id, name: text(d.names, options.locale) }));

  // Every event of the items (in scope) that arrived at an office in either month; earlier events too.
  const scope = scopeClause(options.user, 'requests', 3, 'r');
  const rows = await q.query<{ seq: string | number; request_id: string; at: Date | string; type: string; office_id: string | null; detail: Record<string, unknown> | null }>(
    `SELECT e.seq, e.request_id, e.at, e.type, e.office_id, e.detail FROM loop_events e
     WHERE e.request_id IN (
       SELECT a.request_id FROM loop_events a JOIN requests r ON r.id = a.request_id
       WHERE a.type IN ('filed', 'dispatched', 'redispatched') AND a.office_id IS NOT NULL
         AND a.at >= $1 AND a.at < $2 AND ${scope.sql})
     ORDER BY e.request_id, e.seq`,
    [previous.from.toISOString(), current.until.toISOString(), ...scope.params],
  );
  const byRequest = new Map<string, AssessedEvent[]>();
  for (const r of rows) {
    const list = byRequest.get(r.request_id) ?? [];
    list.push({ seq: Number(r.seq), requestId: r.request_id, at: new Date(r.at), type: r.type, officeId: r.office_id, detail: r.detail ?? {} });
    byRequest.set(r.request_id, list);
  }
  const walked = [...byRequest.values()].map((events) => pairsOf(events, dispatch, options.now));
  return {
    ...monthFigures(current, offices, walked),
    timeZone,
    asOf: options.now.toISOString(),
    previous: monthFigures(previous, offices, walked),
  };
}

/* ---------------------------------------------------------------- CSV */

const HEADERS: Record<'office' | 'officeId' | 'month' | AssessmentColumn, Partial<Record<Locale, string>> & Record<'zh-CN' | 'en', string>> = {
  month: { 'zh-CN': '月份', en: 'Month' },
  officeId: { 'zh-CN': '单位编号', en: 'Office id' },
  office: { 'zh-CN': '承办单位', en: 'Office' },
  score: { 'zh-CN': '综合得分', en: 'Score' },
  received: { 'zh-CN': '受理件数', en: 'Received' },
  byTransfer: { 'zh-CN': '其中转派来件', en: 'Of which by transfer' },
  acceptedOnTime: { 'zh-CN': '按时签收', en: 'Accepted on time' },
  acceptedLate: { 'zh-CN': '超时签收', en: 'Accepted late' },
  acceptedRate: { 'zh-CN': '按时签收率(%)', en: 'Accepted on time (%)' },
  repliedOnTime: { 'zh-CN': '按时答复', en: 'Replied on time' },
  repliedLate: { 'zh-CN': '超时答复', en: 'Replied late' },
  repliedRate: { 'zh-CN': '按时答复率(%)', en: 'Replied on time (%)' },
  resolvedOnTime: { 'zh-CN': '按时办结', en: 'Resolved on time' },
  resolvedLate: { 'zh-CN': '超时办结', en: 'Resolved late' },
  resolvedRate: { 'zh-CN': '按时办结率(%)', en: 'Resolved on time (%)' },
  ratings: { 'zh-CN': '评价数', en: 'Ratings' },
  level5: { 'zh-CN': '非常满意', en: 'Very satisfied' },
  level4: { 'zh-CN': '满意', en: 'Satisfied' },
  level3: { 'zh-CN': '基本满意', en: 'Fairly satisfied' },
  level2: { 'zh-CN': '不满意', en: 'Dissatisfied' },
  level1: { 'zh-CN': '非常不满意', en: 'Very dissatisfied' },
  averageLevel: { 'zh-CN': '平均评价(1-5)', en: 'Average rating (1-5)' },
  solvedRate: { 'zh-CN': '解决率(%)', en: 'Solved (%)' },
  satisfactionRate: { 'zh-CN': '满意率(%)', en: 'Satisfied (%)' },
  ratingsAppealed: { 'zh-CN': '申诉中评价', en: 'Ratings under appeal' },
  bad: { 'zh-CN': '差评', en: 'Bad ratings' },
  badAppealed: { 'zh-CN': '差评申诉中', en: 'Bad ratings under appeal' },
  badRedone: { 'zh-CN': '差评退回重办', en: 'Bad ratings sent back' },
  badAnswered: { 'zh-CN': '差评重办已答复', en: 'Bad ratings answered again' },
  redo: { 'zh-CN': '退回重办', en: 'Sent back to redo' },
  redoAnswered: { 'zh-CN': '重办已答复', en: 'Redo answered' },
  redoAnsweredOnTime: { 'zh-CN': '重办按时答复', en: 'Redo answered on time' },
  returned: { 'zh-CN': '退单', en: 'Returns' },
  returnsOverruled: { 'zh-CN': '退单被驳回', en: 'Returns overruled' },
  transferredAway: { 'zh-CN': '改派转出', en: 'Transferred away' },
  reopened: { 'zh-CN': '重新打开', en: 'Reopened' },
  escalated: { 'zh-CN': '超时升级', en: 'Escalated' },
  supervised: { 'zh-CN': '督办', en: 'Supervised' },
};

const TOTAL_NAME: Record<Locale, string> = { 'zh-CN': '全市合计', en: 'City total', 'zh-HK': '全市合計', ug: 'پۈتۈن شەھەر بويىچە جەمئىي' };

/** A CSV cell: quoted when needed; text that a spreadsheet would run as a formula is defused. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvValue(f: AssessmentFigures, column: AssessmentColumn): number | null {
  const value = columnValue(f, column);
  if (value === null) return null;
  return isRateColumn(column) ? round(value * 100, 1) : value;
}

/** The month as CSV: a header row in `locale`, one row per office (league order), the city total. UTF-8 with a BOM. */
export function assessmentCsv(a: AssessmentMonth, locale: Locale): string {
  const head = (['month', 'officeId', 'office', ...ASSESSMENT_COLUMNS] as const).map((k) => HEADERS[k][locale] ?? HEADERS[k]['zh-CN']);
  const line = (id: string, name: string, f: AssessmentFigures) => [a.month, id, name, ...ASSESSMENT_COLUMNS.map((c) => csvValue(f, c))];
  const lines = [head, ...a.offices.map((r) => line(r.office.id, r.office.name, r)), line('', TOTAL_NAME[locale], a.totals)];
  return `\uFEFF${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}

/* ---------------------------------------------------------------- endpoints */

export function registerAssessment(app: Hono, ctx: ServerContext): void {
  // Supervisors and the intake centre; an office does not rank itself, an administrator sees no items (403).
  app.get('/staff/assessment', async (c) => {
    const user = requireRole(c, ...ASSESSMENT_ROLES);
    return c.json(await assessment(ctx.db, { user, month: c.req.query('month') || undefined, now: ctx.clock.now(), locale: localeOf(c) }));
  });

  app.get('/staff/assessment.csv', async (c) => {
    const user = requireRole(c, ...ASSESSMENT_ROLES);
    const locale = localeOf(c);
    const a = await assessment(ctx.db, { user, month: c.req.query('month') || undefined, now: ctx.clock.now(), locale });
    await audit(ctx, user, 'export', { kind: 'assessment', id: a.month }, { format: 'csv', offices: a.offices.length, site: user.siteId });
    return c.body(assessmentCsv(a, locale), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="assessment-${a.month}.csv"`,
      'cache-control': 'no-store',
    });
  });
}
