/**
 * Which service a resident's words are about, and so which department should have them: the
 * ranking behind the form's service search (`GET /services/suggest`) and the dispatch suggestion
 * for every new chat and request (loop/dispatch-suggestion.ts). One ranking for both, so the
 * evaluation set (bench/eval/) measures what residents and dispatchers really get.
 *
 * Contract (issue 18): `suggestServices` answers the best services first, each with the department
 * the site's routing sends it to and a confidence in [0, 1]; an empty list when nothing matches.
 *
 * Each service is a document made of what the catalogue says about it, in every locale: its name
 * and its keywords (the city's everyday words for it: 路灯, 倒垃圾, 退休金) count most, then the
 * questions its instant answers answer, its description and its group. The question is read by
 * understand.ts (Simplified, Cantonese, typos, segmentation, everyday meanings) and ranked by BM25.
 */
import type { Queryable } from '../storage/db.js';
import { route, type Locale, type ServiceRow } from './catalog.js';
import { catalogueStamp } from './store.js';
import { Index, queryTerms, readingGeneration, type Terms } from './understand.js';

export interface ServiceSuggestion {
  /** Service id. */
  service: string;
  /** The department the site's routing gives this service (routing rules, else its owner). */
  department: string;
  /** 0–1: how sure the ranking is; the console shows it, the metrics count how often it was right. */
  confidence: number;
}

export interface SuggestInput {
  /** What the resident wrote (a question, a description, the first chat messages). */
  text: string;
  locale: Locale;
  /** The site it came from: routing is per site. */
  site: string;
}

interface ServiceDoc {
  id: string;
}

interface AnswerWords {
  id: string;
  locale: string;
  service_id: string | null;
  question: string;
  keywords: string;
}

/** A text in each locale it is written in (a keyword list as one text). */
const all = (texts: Record<string, unknown> | null | undefined): string[] =>
  Object.values(texts ?? {}).map((t) => (Array.isArray(t) ? t.join(' ') : String(t ?? '')));

/** Built once per catalogue version, not per question. */
let cached: { key: string; index: Index<ServiceDoc> } | undefined;

/** `known`: the current version when the caller has it already (kept.ts), saving its read. */
export async function serviceIndex(q: Queryable, known?: { version: number; at: string }): Promise<Index<ServiceDoc>> {
  // Every change to the catalogue bumps its version (store.ts), in its own transaction.
  const stamp = known ?? (await catalogueStamp(q));
  const key = `${stamp.version} ${stamp.at} ${readingGeneration()}`;
  if (cached?.key === key) return cached.index;
  const services = await q.query<ServiceRow & Record<string, unknown>>('SELECT id, names, groups, descriptions, keywords FROM services ORDER BY sort, id');
  const answers = await q.query<AnswerWords & Record<string, unknown>>('SELECT id, locale, service_id, question, keywords FROM knowledge WHERE service_id IS NOT NULL ORDER BY id');
  // The questions its instant answers answer (each answer's locales as one text's variants).
  const asked = new Map<string, Map<string, string[]>>();
  for (const a of answers) {
    const id = a.id.endsWith(`.${a.locale}`) ? a.id.slice(0, -a.locale.length - 1) : a.id;
    const mine = asked.get(a.service_id!) ?? new Map<string, string[]>();
    mine.set(id, [...(mine.get(id) ?? []), `${a.question} ${a.keywords}`]);
    asked.set(a.service_id!, mine);
  }
  const index = new Index<ServiceDoc>(services.map((s) => ({ id: s.id })), (d) => {
    const s = services.find((x) => x.id === d.id)!;
    return [
      [all(s.names), 3],
      [all(s.keywords), 3],
      ...[...(asked.get(s.id)?.values() ?? [])].map((variants): [string[], number] => [variants, 1]),
      [all(s.descriptions), 1],
      [all(s.groups), 0.5],
    ];
  });
  cached = { key, index };
  return index;
}

/** Every service that matches, best first, with its score and confidence (no routing). */
export async function rankServices(q: Queryable, text: string, known?: { version: number; at: string }): Promise<{ service: string; score: number; confidence: number }[]> {
  const index = await serviceIndex(q, known);
  const terms: Terms = index.expand(queryTerms(text));
  if (!terms.size) return [];
  const { scored, max } = index.rank(terms);
  if (!scored.length || !max) return [];
  // Sure when the best explains much of the question and stands clear of the next one.
  const top = scored[0]!.score;
  const total = scored.slice(0, 5).reduce((a, s) => a + s.score, 0);
  return scored.map(({ doc, score }) => {
    const coverage = Math.min(1, (2 * score) / max);
    const share = score / total;
    const confidence = Math.sqrt(coverage * share) * (score / top) ** 0.5;
    return { service: doc.item.id, score, confidence: Math.round(Math.min(1, confidence) * 1000) / 1000 };
  });
}

export async function suggestServices(q: Queryable, input: SuggestInput, limit = 3): Promise<ServiceSuggestion[]> {
  const ranked = (await rankServices(q, input.text)).slice(0, limit);
  const out: ServiceSuggestion[] = [];
  for (const { service, confidence } of ranked) {
    const dept = await route(q, input.site, service);
    out.push({ service, department: dept.id, confidence });
  }
  return out;
}
