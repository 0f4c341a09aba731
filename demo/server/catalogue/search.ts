/**
 * Instant answers: a small BM25 ranking that works for Chinese (no spaces between words: character
 * bigrams, plus single characters with a low weight) and English (words, lightly stemmed) alike.
 */
import type { Answer } from '../../../src/client/protocol.js';
import type { Queryable } from '../storage/db.js';
import type { Locale } from './catalog.js';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const STOP = new Set(['the', 'a', 'an', 'is', 'are', 'to', 'of', 'in', 'on', 'for', 'and', 'or', 'my', 'i', 'do', 'does', 'how', 'what', 'can', 'it', 'me', 'with', 'at', 'be', 'who', 'where', 'when', 'there', 'get']);
const CJK_STOP = new Set(['怎么', '什么', '可以', '哪里', '如何', '请问', '我们', '的', '了', '吗', '么', '怎', '是', '我', '有', '在', '要', '能', '去', '吧', '呢', '你', '一', '个']);

function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && /(ch|sh|x|s)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  // move / moving / moved → mov
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** Terms with weights: CJK bigrams (1) and single characters (0.3); latin words (1). */
export function terms(input: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (term: string, weight: number) => out.set(term, Math.max(out.get(term) ?? 0, weight));
  const lower = input.toLowerCase().normalize('NFKC');
  for (const run of lower.match(/[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g) ?? []) {
    if (CJK.test(run)) {
      const chars = [...run];
      for (let i = 0; i < chars.length; i++) {
        if (!CJK_STOP.has(chars[i]!)) add(chars[i]!, 0.3);
        if (i + 1 < chars.length) {
          const bigram = chars[i]! + chars[i + 1]!;
          if (!CJK_STOP.has(bigram)) add(bigram, 1);
        }
      }
    } else if (!STOP.has(run)) {
      add(stem(run), 1);
    }
  }
  return out;
}

function counts(input: string): Map<string, number> {
  const out = new Map<string, number>();
  const lower = input.toLowerCase().normalize('NFKC');
  for (const run of lower.match(/[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g) ?? []) {
    if (CJK.test(run)) {
      const chars = [...run];
      for (let i = 0; i < chars.length; i++) {
        out.set(chars[i]!, (out.get(chars[i]!) ?? 0) + 1);
        if (i + 1 < chars.length) out.set(chars[i]! + chars[i + 1]!, (out.get(chars[i]! + chars[i + 1]!) ?? 0) + 1);
      }
    } else {
      const w = stem(run);
      out.set(w, (out.get(w) ?? 0) + 1);
    }
  }
  return out;
}

interface KnowledgeRow {
  id: string;
  question: string;
  answer: string;
  keywords: string;
  service_id: string | null;
  url: string | null;
}

export async function searchAnswers(q: Queryable, query: string, locale: Locale, limit = 5): Promise<Answer[]> {
  const wanted = terms(query);
  if (!wanted.size) return [];
  const rows = await q.query<KnowledgeRow & Record<string, unknown>>(
    'SELECT id, question, answer, keywords, service_id, url FROM knowledge WHERE locale = $1', [locale]);
  // Question and keywords count more than the answer text.
  const docs = rows.map((r) => {
    const tf = new Map<string, number>();
    for (const [source, weight] of [[r.question, 2], [r.keywords, 2], [r.answer, 1]] as const) {
      for (const [t, n] of counts(source)) tf.set(t, (tf.get(t) ?? 0) + n * weight);
    }
    const length = [...tf.values()].reduce((a, b) => a + b, 0);
    return { row: r, tf, length };
  });
  const avg = docs.reduce((a, d) => a + d.length, 0) / Math.max(docs.length, 1);
  const df = new Map<string, number>();
  for (const t of wanted.keys()) df.set(t, docs.filter((d) => d.tf.has(t)).length);
  const k1 = 1.2;
  const b = 0.75;
  const maxPossible = [...wanted.entries()].reduce((a, [t, w]) => a + w * idf(df.get(t) ?? 0, docs.length) * (k1 + 1), 0);
  const scored = docs
    .map((d) => {
      let score = 0;
      for (const [t, w] of wanted) {
        const f = d.tf.get(t);
        if (!f) continue;
        score += w * idf(df.get(t) ?? 0, docs.length) * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.length) / avg)));
      }
      return { d, score };
    })
    .filter((s) => s.score > 0)
    .sort((a, b2) => b2.score - a.score);
  const floor = maxPossible * 0.12;
  return scored
    .filter((s) => s.score >= floor)
    .slice(0, limit)
    .map(({ d, score }) => {
      const answer: Answer = {
        id: d.row.id,
        question: d.row.question,
        answer: d.row.answer,
        score: Math.round(Math.min(1, score / maxPossible) * 1000) / 1000,
      };
      if (d.row.url) answer.url = d.row.url;
      if (d.row.service_id) answer.service = d.row.service_id;
      return answer;
    });
}

function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}
