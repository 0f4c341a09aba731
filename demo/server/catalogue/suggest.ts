/**
 * Which service a resident's words are about, and so which department should have them: the
 * ranking behind the form's service search (`GET /services/suggest`) and the dispatch suggestion
 * for every new chat and request (loop/dispatch-suggestion.ts). One ranking for both, so the
 * evaluation set (bench/eval/) measures what residents and dispatchers really get.
 *
 * Contract (issue 18): `suggestServices` answers the best services first, each with the department
 * the site's routing sends it to and a confidence in [0, 1]; an empty list when nothing matches.
 * The implementation below is the first, word-only one; catalogue/search.ts's segmentation,
 * synonyms, Traditional characters and typos replace it.
 */
import type { Queryable } from '../storage/db.js';
import { route, text, type Locale, type ServiceRow } from './catalog.js';
import { terms } from './search.js';

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

export async function suggestServices(q: Queryable, input: SuggestInput, limit = 3): Promise<ServiceSuggestion[]> {
  const wanted = terms(input.text);
  if (!wanted.size) return [];
  const services = await q.query<ServiceRow & Record<string, unknown>>('SELECT * FROM services ORDER BY sort, id');
  const scored = services
    .map((s) => {
      const words = [text(s.names, input.locale), text(s.names, 'zh-CN'), text(s.groups, input.locale), ...(s.keywords['zh-CN'] ?? []), ...(s.keywords.en ?? [])].join(' ');
      const have = terms(words);
      let score = 0;
      let max = 0;
      for (const [t, w] of wanted) {
        max += w;
        if (have.has(t)) score += w;
      }
      return { s, confidence: max ? score / max : 0 };
    })
    .filter((x) => x.confidence > 0)
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, limit);
  const out: ServiceSuggestion[] = [];
  for (const { s, confidence } of scored) {
    const dept = await route(q, input.site, s.id);
    out.push({ service: s.id, department: dept.id, confidence: Math.round(confidence * 1000) / 1000 });
  }
  return out;
}
