/**
 * Instant answers (`GET /answers`): the knowledge base ranked for a resident's question.
 *
 * The question is read by understand.ts (Traditional → Simplified, Cantonese and typos mended,
 * ICU words + character bigrams, everyday meanings, English stems and near words). Each answer is
 * one document across its locales (question and keywords count double, the answer text less), so
 * a question in any language finds it; it is given in the asked locale where it is written in it,
 * else in the fallback (`langs` says so). BM25 ranks; the service ranking (suggest.ts) adds its
 * view — an answer of the service the question is about comes before one of another service — and
 * an answer that shares only filler or single characters with the question is not offered.
 */
import type { Answer } from '../../../src/client/protocol.js';
import type { Queryable } from '../storage/db.js';
import type { Locale } from './catalog.js';
import { catalogueStamp } from './store.js';
import { toHongKong } from './locales.js';
import { rankServices } from './suggest.js';
import { Index, queryTerms, readingGeneration, type Terms } from './understand.js';

/** The terms of a question (for tests and tools): understand.ts's `queryTerms`. */
export const terms = queryTerms;

interface KnowledgeRow {
  id: string;
  locale: string;
  question: string;
  answer: string;
  keywords: string;
  service_id: string | null;
  url: string | null;
}

interface AnswerDoc {
  id: string;
  service: string | null;
  rows: KnowledgeRow[];
}

/** Where a text the city has not written in the asked locale is taken from (issue 18). */
const FALLBACK: Record<string, string[]> = { 'zh-HK': ['zh-CN'], ug: ['zh-CN'], en: ['zh-CN'], 'zh-CN': ['en'] };

/** How much the service ranking adds to an answer's own match (0–1). */
const SERVICE_WEIGHT = 0.35;
/** Offered at all: the share of the question's words an answer matches, at least. */
const LOW = 0.1;
/** Below this share an answer is offered only when it is about a service near the best one (NEAR of its score). */
const HIGH = 0.3;
const NEAR = 0.6;
/** An answer of the service the question is surely about may match less of its words. */
const SURE_LOW = 0.06;

let cached: { key: string; index: Index<AnswerDoc> } | undefined;

async function answerIndex(q: Queryable): Promise<Index<AnswerDoc>> {
  const stamp = await catalogueStamp(q);
  const key = `${stamp.version} ${stamp.at} ${readingGeneration()}`;
  if (cached?.key === key) return cached.index;
  const rows = await q.query<KnowledgeRow & Record<string, unknown>>(
    'SELECT id, locale, question, answer, keywords, service_id, url FROM knowledge ORDER BY sort, id');
  const byId = new Map<string, AnswerDoc>();
  for (const r of rows) {
    // A row's id is `<answer id>.<locale>`.
    const id = r.id.endsWith(`.${r.locale}`) ? r.id.slice(0, -r.locale.length - 1) : r.id;
    const doc = byId.get(id) ?? { id, service: r.service_id, rows: [] };
    doc.rows.push(r);
    byId.set(id, doc);
  }
  const index = new Index<AnswerDoc>([...byId.values()], (d) => [
    [d.rows.map((r) => r.question), 2],
    [d.rows.map((r) => r.keywords), 2],
    [d.rows.map((r) => r.answer), 0.5],
  ]);
  cached = { key, index };
  return index;
}

/** How much of a score comes from words (bigrams, dictionary words, meanings), not single characters. */
function wordMatch(terms: Terms, tf: Map<string, number>): number {
  let sum = 0;
  for (const [t, w] of terms) if (w >= 0.5 && tf.has(t)) sum += w;
  return sum;
}

export async function searchAnswers(q: Queryable, query: string, locale: Locale, limit = 5): Promise<Answer[]> {
  const index = await answerIndex(q);
  const wanted = index.expand(queryTerms(query));
  if (!wanted.size) return [];
  const { scored, max } = index.rank(wanted);
  if (!scored.length || !max) return [];
  // The service the question is surely about: the first, sure of itself or standing well clear of the second.
  const services = new Map((await rankServices(q, query)).map((s, i, all) => [
    s.service,
    { relative: s.score / all[0]!.score, sure: i === 0 && (s.confidence >= 0.6 || s.score >= 3 * (all[1]?.score ?? 0)) },
  ]));
  const ranked = scored
    .filter(({ doc }) => wordMatch(wanted, doc.tf) > 0)
    .map(({ doc, score }) => {
      const own = score / max;
      const about = doc.item.service ? services.get(doc.item.service) : undefined;
      return { doc, own, about, total: own + SERVICE_WEIGHT * (about?.relative ?? 0) };
    })
    // Not offered: a weak match of an answer about a service the question is not about.
    .filter((s) => s.own >= (s.about?.sure ? SURE_LOW : LOW) && (s.own >= HIGH || (s.about !== undefined && s.about.relative >= NEAR)))
    .sort((a, b) => b.total - a.total);
  return ranked.slice(0, limit).map(({ doc, total }) => {
    const rows = doc.item.rows;
    const row = rows.find((r) => r.locale === locale) ?? (FALLBACK[locale] ?? []).map((l) => rows.find((r) => r.locale === l)).find(Boolean) ?? rows[0]!;
    // zh-HK without the city's own text: its zh-CN through OpenCC, which counts as zh-HK (locales.ts).
    const derived = locale === 'zh-HK' && row.locale === 'zh-CN';
    const answer: Answer = {
      id: row.id,
      question: derived ? toHongKong(row.question) : row.question,
      answer: derived ? toHongKong(row.answer) : row.answer,
      score: Math.round(Math.min(1, total / (1 + SERVICE_WEIGHT)) * 1000) / 1000,
    };
    if (row.locale !== locale && !derived) answer.langs = { question: row.locale, answer: row.locale };
    if (row.url) answer.url = row.url;
    if (row.service_id) answer.service = row.service_id;
    return answer;
  });
}

