/**
 * How well the server understands residents' words (issue 18): every question of the evaluation
 * sets (bench/eval/dev.json, written while the ranking was built; bench/eval/held-out.json, written
 * by someone who did not see the ranking and kept aside) goes through the real code on the demo
 * city, loaded into a fresh in-memory PGlite database:
 *
 * - answers: `searchAnswers` — is the labelled knowledge answer first (top-1) or among the first
 *   three (top-3)? Questions labelled `answer: null` have no answer in the knowledge base; for
 *   them we count how often an answer of another service is offered first ("wrong answer offered").
 * - service search: `suggestServices` — the labelled service first / among the first three (the
 *   same ranking serves the form's search, `GET /services/suggest`).
 * - dispatch: the department the site's routing gives the suggested services, against the
 *   department it gives the labelled service (the dispatch suggestion's figure).
 *
 * Run: `node --import tsx bench/eval.ts [--dev] [--compare] [--misses]` (also part of `npm run bench`, section `eval`).
 * test/server/eval.test.ts fails below the floors set from these figures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { openDb, type Db } from '../demo/server/storage/db.js';
import { seed } from '../demo/server/catalogue/seed.js';
import { searchAnswers } from '../demo/server/catalogue/search.js';
import { suggestServices } from '../demo/server/catalogue/suggest.js';
import { pickLocale, route } from '../demo/server/catalogue/catalog.js';
import { setSegmentation, type Segmentation } from '../demo/server/catalogue/understand.js';

export interface EvalItem {
  q: string;
  locale: string;
  service: string;
  answer: string | null;
  /** Where it was asked (routing is per site); default `riverside/xinhua/garden`. */
  site?: string;
}

export interface Rate {
  hits: number;
  of: number;
  /** hits / of, in per cent, one decimal. */
  percent: number;
}

export interface EvalFigures {
  set: string;
  questions: number;
  byLocale: Record<string, number>;
  answers: { top1: Rate; top3: Rate; wrongOffered: Rate };
  services: { top1: Rate; top3: Rate };
  dispatch: { top1: Rate; top3: Rate };
  /** Mean confidence of the first suggestion when it was right and when it was wrong. */
  confidence: { right: number; wrong: number };
  /** Milliseconds per question (answers + suggestion), median. */
  msPerQuestion: number;
  misses: Miss[];
}

export interface Miss {
  q: string;
  locale: string;
  what: 'answer' | 'service' | 'dispatch' | 'wrong-answer';
  expected: string | null;
  got: string[];
}

export const DEFAULT_SITE = 'riverside/xinhua/garden';
export const SETS = { dev: new URL('./eval/dev.json', import.meta.url), 'held-out': new URL('./eval/held-out.json', import.meta.url) };

export function loadSet(file: URL): EvalItem[] {
  const items = JSON.parse(readFileSync(file, 'utf8')) as EvalItem[];
  if (!Array.isArray(items)) throw new Error(`${file.pathname}: not a list of questions`);
  return items;
}

/** A fresh in-memory database with the demo city. */
export async function demoDb(): Promise<Db> {
  const db = await openDb({ dataDir: 'memory://' });
  await seed(db);
  return db;
}

const rate = (hits: number, of: number): Rate => ({ hits, of, percent: of ? Math.round((hits / of) * 1000) / 10 : 0 });
/** `pension-age.zh-CN` → `pension-age`: a knowledge row's id is the answer's id and its locale. */
const answerId = (id: string) => id.replace(/\.[A-Za-z]{2,3}(-[A-Za-z0-9]+)?$/, '');

export async function evaluate(db: Db, set: string, items: EvalItem[]): Promise<EvalFigures> {
  const departments = new Map<string, string>();
  const departmentOf = async (site: string, service: string) => {
    const key = `${site} ${service}`;
    if (!departments.has(key)) departments.set(key, (await route(db, site, service)).id);
    return departments.get(key)!;
  };
  const count = { a1: 0, a3: 0, aOf: 0, wrong: 0, nullOf: 0, s1: 0, s3: 0, d1: 0, d3: 0 };
  const conf = { right: [] as number[], wrong: [] as number[] };
  const times: number[] = [];
  const misses: Miss[] = [];
  const byLocale: Record<string, number> = {};
  for (const item of items) {
    byLocale[item.locale] = (byLocale[item.locale] ?? 0) + 1;
    const locale = pickLocale(item.locale);
    const site = item.site ?? DEFAULT_SITE;
    const t0 = performance.now();
    const answers = (await searchAnswers(db, item.q, locale, 3)).map((a) => ({ id: answerId(a.id), service: a.service ?? null }));
    const suggested = await suggestServices(db, { text: item.q, locale, site }, 3);
    times.push(performance.now() - t0);
    const got = answers.map((a) => a.id);
    if (item.answer) {
      count.aOf++;
      if (got[0] === item.answer) count.a1++;
      if (got.slice(0, 3).includes(item.answer)) count.a3++;
      else misses.push({ q: item.q, locale: item.locale, what: 'answer', expected: item.answer, got });
    } else {
      count.nullOf++;
      const first = answers[0];
      if (first && first.service !== item.service) {
        count.wrong++;
        misses.push({ q: item.q, locale: item.locale, what: 'wrong-answer', expected: null, got });
      }
    }
    const services = suggested.map((s) => s.service);
    if (services[0] === item.service) count.s1++;
    if (services.includes(item.service)) count.s3++;
    if (services[0] !== item.service) misses.push({ q: item.q, locale: item.locale, what: 'service', expected: item.service, got: services });
    if (suggested[0]) (services[0] === item.service ? conf.right : conf.wrong).push(suggested[0].confidence);
    const want = await departmentOf(site, item.service);
    const depts = suggested.map((s) => s.department);
    if (depts[0] === want) count.d1++;
    if (depts.includes(want)) count.d3++;
    else misses.push({ q: item.q, locale: item.locale, what: 'dispatch', expected: want, got: depts });
  }
  const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000 : 0);
  times.sort((a, b) => a - b);
  return {
    set,
    questions: items.length,
    byLocale,
    answers: { top1: rate(count.a1, count.aOf), top3: rate(count.a3, count.aOf), wrongOffered: rate(count.wrong, count.nullOf) },
    services: { top1: rate(count.s1, items.length), top3: rate(count.s3, items.length) },
    dispatch: { top1: rate(count.d1, items.length), top3: rate(count.d3, items.length) },
    confidence: { right: mean(conf.right), wrong: mean(conf.wrong) },
    msPerQuestion: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 100) / 100,
    misses,
  };
}

/** Every set that exists (held-out.json may not yet). */
export async function evaluateAll(only?: string[]): Promise<EvalFigures[]> {
  const db = await demoDb();
  try {
    const out: EvalFigures[] = [];
    for (const [name, file] of Object.entries(SETS)) if ((!only || only.includes(name)) && existsSync(file)) out.push(await evaluate(db, name, loadSet(file)));
    return out;
  } finally {
    await db.close();
  }
}

/** A set once per way of cutting Chinese into terms (ICU words, bigrams, both). */
export async function compareSegmentations(set: keyof typeof SETS = 'dev'): Promise<{ mode: Segmentation; figures: EvalFigures }[]> {
  const db = await demoDb();
  const out: { mode: Segmentation; figures: EvalFigures }[] = [];
  try {
    for (const mode of ['bigrams', 'icu', 'icu+bigrams'] as const) {
      setSegmentation(mode);
      out.push({ mode, figures: await evaluate(db, `${set}, ${mode}`, loadSet(SETS[set])) });
    }
  } finally {
    setSegmentation('icu+bigrams');
    await db.close();
  }
  return out;
}

export function renderEval(figures: EvalFigures[]): string {
  const pct = (r: Rate) => `${r.percent.toFixed(1)} % (${r.hits}/${r.of})`;
  const lines = ['Understanding residents\' words (bench/eval.ts; goal: dispatch top-3 ≥ 90 %, top-1 ≥ 75 %)', ''];
  for (const f of figures) {
    lines.push(`${f.set}: ${f.questions} questions (${Object.entries(f.byLocale).map(([l, n]) => `${l} ${n}`).join(', ')}), ${f.msPerQuestion} ms each (median)`);
    lines.push(`  answers         top-1 ${pct(f.answers.top1)}   top-3 ${pct(f.answers.top3)}   wrong answer offered where none fits ${pct(f.answers.wrongOffered)}`);
    lines.push(`  service search  top-1 ${pct(f.services.top1)}   top-3 ${pct(f.services.top3)}`);
    lines.push(`  dispatch        top-1 ${pct(f.dispatch.top1)}   top-3 ${pct(f.dispatch.top3)}`);
    lines.push(`  confidence of the first suggestion: ${f.confidence.right} when right, ${f.confidence.wrong} when wrong`);
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // --dev: the dev set only (while the ranking is being built, the held-out set stays unseen).
  const figures = await evaluateAll(process.argv.includes('--dev') ? ['dev'] : undefined);
  process.stdout.write(renderEval(figures));
  if (process.argv.includes('--compare')) {
    const sets = process.argv.includes('--dev') || !existsSync(SETS['held-out']) ? (['dev'] as const) : (['dev', 'held-out'] as const);
    for (const set of sets) for (const { figures: f } of await compareSegmentations(set))
      process.stdout.write(`${f.set}: answers ${f.answers.top1.percent}/${f.answers.top3.percent}, services ${f.services.top1.percent}/${f.services.top3.percent}, dispatch ${f.dispatch.top1.percent}/${f.dispatch.top3.percent}, wrong answer ${f.answers.wrongOffered.percent}\n`);
  }
  if (process.argv.includes('--misses')) {
    for (const f of figures) {
      if (f.set !== 'dev' && !process.argv.includes('--held-out-misses')) continue;
      process.stdout.write(`\nmisses (${f.set}):\n`);
      for (const m of f.misses) process.stdout.write(`  [${m.what}] ${m.locale} ${m.q} → expected ${m.expected ?? '(none)'}, got ${m.got.join(', ') || '(nothing)'}\n`);
    }
  }
}
