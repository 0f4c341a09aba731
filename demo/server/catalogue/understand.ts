/**
 * Reading what residents write (issue 18), for instant answers (search.ts) and for the service
 * suggestion behind the form's search and dispatch (suggest.ts):
 *
 * 1. normalise: NFKC (full-width letters and digits), lower case, Traditional → Simplified
 *    (OpenCC, Hong Kong variant), Cantonese everyday words → the Mandarin ones the catalogue is
 *    written in (冇 → 没有, 點樣 → 怎么, 升降機 → 电梯), and a short list of the typos residents
 *    make most (拉圾 → 垃圾, 红路灯 → 红绿灯);
 * 2. cut into terms: Chinese words from ICU's dictionary (`Intl.Segmenter`), character bigrams
 *    (they survive a segmentation that cuts a compound the dictionary does not know, 楼|道|灯, and
 *    a one-character typo still leaves the other bigrams of a word), and single characters at a low
 *    weight; other scripts by words, English lightly stemmed;
 * 3. add everyday words' meanings (language-wide synonyms here; a city's own words per service
 *    live in the catalogue's `keywords`), and English words a letter away from a known word.
 *
 * bench/eval.ts measured the segmentations against each other (docs/performance.md); `segmentation`
 * lets it switch.
 */
import * as OpenCC from 'opencc-js';

export type Segmentation = 'icu+bigrams' | 'icu' | 'bigrams';
let segmentation: Segmentation = 'icu+bigrams';
/** For the evaluation only: which way Chinese is cut into terms. */
export function setSegmentation(mode: Segmentation): void {
  segmentation = mode;
  generation++;
  memo.clear();
}
let generation = 0;
/** Changes when the way of reading changes: an index built before is stale. */
export function readingGeneration(): number {
  return generation;
}

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });
const words = new Intl.Segmenter('zh', { granularity: 'word' });

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const RUNS = /[\u3400-\u9fff\uf900-\ufaff]+|[\p{L}\p{N}]+/gu;

/** Cantonese (after conversion to Simplified characters) → the Mandarin word; longest first. */
const CANTONESE: [string, string][] = [
  ['点样', '怎么'], ['乜嘢', '什么'], ['咩', '什么'], ['边度', '哪里'], ['边个', '谁'], ['几时', '什么时候'],
  ['唔该', ''], ['唔著', '不亮'], ['唔着', '不亮'], ['唔', '不'], ['冇', '没有'], ['咗', '了'], ['喺', '在'], ['嘅', '的'],
  ['啲', '些'], ['攞', '领取'], ['揾', '找'], ['嘈', '吵'], ['屋企', '家'], ['睇', '看'], ['畀', '给'],
  ['执笠', '倒闭'], ['升降机', '电梯'], ['梳化', '沙发'], ['街灯', '路灯'], ['水喉', '水龙头'], ['窿', '坑'],
  ['地盘', '工地'], ['泊车', '停车'], ['乱泊', '乱停'], ['幼稚园', '幼儿园'], ['饭堂', '食堂'], ['成日', '经常'],
  ['好嘈', '很吵'], ['冇人整', '没人修'], ['整返', '修好'], ['夜晚', '晚上'], ['小朋友', '孩子'],
];

/** Typos residents often make (same sound or shape), each only where it cannot be a real word. */
const TYPOS: [string, string][] = [
  ['拉圾', '垃圾'], ['垃级', '垃圾'], ['拉级', '垃圾'], ['红路灯', '红绿灯'], ['低包', '低保'], ['居往证', '居住证'],
  ['居注证', '居住证'], ['电悌', '电梯'], ['电第', '电梯'], ['燥音', '噪音'], ['躁音', '噪音'], ['医宝', '医保'],
  ['社宝', '社保'], ['井概', '井盖'], ['暂往证', '暂住证'], ['户扣', '户口'], ['幼儿圆', '幼儿园'], ['漏氺', '漏水'],
  ['报消', '报销'], ['退修', '退休'], ['消访', '消防'], ['疫描', '疫苗'], ['物叶', '物业'], ['养老经', '养老金'],
];

/**
 * Everyday Chinese words → words the catalogue uses (added to a question, never replacing what
 * it says). Language-wide only: a city's own words for its services belong in its catalogue.
 */
const ZH_MEANS: [RegExp, string][] = ([
  ['娃', '孩子'], ['宝宝', '孩子 儿童'], ['小孩', '孩子'], ['儿子', '孩子'], ['女儿', '孩子'],
  ['老人', '老年人'], ['长者', '老人'], ['爸妈', '父母 老人'],
  ['领(?!导)', '领取'], ['拿', '领取'], ['交钱', '缴费'], ['交(?!通|流|易|叉)', '缴费'], ['缴', '缴费'],
  ['坏', '故障 维修'], ['不亮', '故障 照明'], ['(?<!装)修', '维修'], ['漏', '漏水'],
  ['吵', '噪音'], ['声音(太|很|好|特别)?大', '噪音'], ['太响', '噪音'],
  ['没(有)?水', '停水'], ['断水', '停水'],
  ['多久', '时间'], ['多长时间', '时间 多久'], ['几点', '时间'], ['什么时候', '时间'],
  ['到哪一步', '进度'], ['处理到哪', '进度'],
  ['外省', '外地 异地'], ['外地', '异地'],
  ['报(?!名|警|道|纸|告)', '报销'], ['钱', '费用'],
  ['转(过去|走|到|出|入|回)', '转移'], ['(证|卡|照|手续)(要|该|应该)?(怎么|如何|去哪)办', '办理 申领'], ['不(想)?留(下)?(名|姓名|真名)', '匿名'], ['不(想)?(说|告诉)(名字|身份)', '匿名'],
] as [string, string][]).map(([re, means]) => [new RegExp(re), means]);

/** English words → a shared word (stemmed on both sides). */
const EN_MEANS: Record<string, string> = {
  elevator: 'lift', lifts: 'lift', trash: 'rubbish', garbage: 'rubbish', couch: 'sofa', sidewalk: 'pavement',
  apartment: 'flat', kid: 'child', kids: 'child', son: 'child', daughter: 'child', baby: 'child', children: 'child',
  jab: 'vaccine', shot: 'vaccine', vaccinated: 'vaccine', vaccination: 'vaccine', vaccines: 'vaccine',
  noisy: 'noise', loud: 'noise', gp: 'doctor', physician: 'doctor', enroll: 'enrol', enrollment: 'enrol',
  emptied: 'collect', pickup: 'collect', picked: 'collect', retire: 'retirement', retired: 'retirement',
  signal: 'light', lamp: 'light', streetlight: 'light', stomping: 'noise',
};

/** English phrases → a word the catalogue uses. */
const EN_PHRASES: [RegExp, string][] = [
  [/without (giving |leaving |saying )?(my |our |a )?(real )?name/, 'anonymous'], [/(no|not) (one|body) (came|come|has|have)/, 'missed'],
  [/(burn(ed|t)|flood(ed)?) (down|out)/, 'emergency hardship'], [/(lost|lose) (my|our) (job|income)/, 'hardship'],
  [/how long/, 'time'], [/(where|how) (is|do|can) .*(status|progress)/, 'track status'],
];

const EN_STOP = new Set(['which', 'go', 'goes', 'them', 'they', 'their', 'down', 'nothing', 'without', 'giving', 'after', 'before', 'because', 'want', 'need', 'know', 'us', 'here',
  'keep', 'keeps', 'kept', 'got', 'let', 'like', 'really', 'every', 'one', 'two', 'also', 'than', 'then', 'these', 'those', 'being', 'whom', 'why', 'am', 'were', 'll', 've', 're','the', 'a', 'an', 'is', 'are', 'was', 'be', 'been', 'to', 'of', 'in', 'on', 'for', 'and', 'or', 'my', 'our', 'i', 'im', 'we', 'you', 'your', 'do', 'does', 'did',
  'how', 'what', 'can', 'could', 'it', 'its', 'me', 'with', 'at', 'who', 'where', 'when', 'there', 'theres', 'get', 'has', 'have', 'had', 'this', 'that', 'there', 'any', 'all', 'from',
  'by', 'so', 'please', 'again', 'since', 'until', 'about', 'out', 'up', 'just', 'now', 'still', 'very', 'too', 'some', 'will', 'would', 'should', 'if', 'not', 'no', 'nobody', 'anyone', 'help']);
/** Chinese function words and the colloquial frame of a question (怎么办, 有没有): no meaning of their own. */
const ZH_STOP = new Set(['怎么', '怎么办', '怎么弄', '怎么样', '怎样', '如何', '什么', '可以', '哪里', '哪儿', '在哪', '请问', '我们', '我家', '我们家', '你们', '他们', '的', '了', '吗', '么', '呢', '吧', '啊', '呀',
  '怎', '是', '我', '你', '他', '她', '有', '在', '要', '能', '去', '一', '个', '把', '被', '给', '和', '跟', '就', '都', '也', '还', '又', '很', '太', '好', '这', '那', '这个', '那个',
  '有没有', '能不能', '可不可以', '是不是', '没人', '没有人', '没有', '没', '不', '人', '谁', '找谁', '谁管', '为什么', '干嘛', '已经', '一直', '老是', '天天', '每天', '几天', '好几', '三天',
  '办', '弄', '搞', '些', '得', '地', '着', '过', '啦', '哦', '嘛', '想', '让', '对', '说', '做', '上', '下', '里', '中', '多', '大', '小', '会', '需要', '应该', '现在']);

/** Characters that are not part of a meaningful bigram (了三, 修怎), unless the dictionary says so. */
const ZH_STOP_CHARS = new Set([...'的了吗么呢吧啊呀怎是我你他她在要能去个把被给和跟就都也还又很太这那没不人谁些得地着过啦哦嘛想让对说做会']);

/** Terms of one text, with weights: the text's meaning for ranking. */
export type Terms = Map<string, number>;

const memo = new Map<string, Terms>();

/** NFKC, lower case, Simplified, Cantonese → Mandarin, known typos mended. */
export function normalise(input: string): string {
  let s = input.normalize('NFKC').toLowerCase();
  if (CJK.test(s)) {
    s = toSimplified(s);
    for (const [from, to] of CANTONESE) s = s.split(from).join(to);
    for (const [from, to] of TYPOS) s = s.split(from).join(to);
  }
  return s;
}

export function stem(word: string): string {
  let w = word.replace(/'s$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && /(ch|sh|x|s)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ment')) w = w.slice(0, -4);
  else if (w.length > 5 && w.endsWith('tion')) w = w.slice(0, -3);
  // move / moving / moved → mov; collect / collection → collect
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss)$/.test(w)) w = w.slice(0, -1);
  return w;
}

function addTerm(out: Terms, term: string, weight: number): void {
  if (weight > (out.get(term) ?? 0)) out.set(term, weight);
}

function cjkTerms(run: string, out: Terms, scale: number): void {
  const chars = [...run];
  // For each character: the dictionary word it is in, when that word is two characters or more.
  const inWord: boolean[] = [];
  const starts = new Set<number>();
  if (segmentation !== 'bigrams') {
    let at = 0;
    for (const seg of words.segment(run)) {
      const n = [...seg.segment].length;
      starts.add(at);
      for (let k = 0; k < n; k++) inWord[at + k] = n > 1;
      at += n;
      if (!seg.isWordLike || ZH_STOP.has(seg.segment) || n < 2) continue;
      // A word the dictionary knows says more than a bigram.
      addTerm(out, seg.segment, 1.2 * scale);
    }
  }
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (!ZH_STOP.has(c)) addTerm(out, c, 0.25 * scale);
    if (segmentation === 'icu' || i + 1 >= chars.length) continue;
    const next = chars[i + 1]!;
    const bigram = c + next;
    if (ZH_STOP.has(bigram) || ZH_STOP_CHARS.has(c) || ZH_STOP_CHARS.has(next)) continue;
    // A bigram across two words the dictionary knows (老保 in 养老|保险) repeats them; one across a
    // character it could not place (楼|道|灯) may be the word it does not know.
    if (starts.has(i + 1) && inWord[i] && inWord[i + 1]) continue;
    addTerm(out, bigram, scale);
  }
}

function rawTerms(text: string, out: Terms, scale: number): void {
  for (const run of text.match(RUNS) ?? []) {
    if (CJK.test(run)) cjkTerms(run, out, scale);
    else if (/^[a-z0-9']+$/.test(run)) {
      if (EN_STOP.has(run) || run.length < 2) continue;
      const w = EN_MEANS[run] ?? run;
      addTerm(out, stem(w), scale);
      // The word as written, at half weight: a mapped word counts once, not twice.
      if (w !== run) addTerm(out, stem(run), scale / 2);
    } else addTerm(out, run, scale);
  }
}

/** What a document (a service, an answer) says: no synonyms added, they are added to questions. */
export function documentTerms(text: string): Terms {
  const out: Terms = new Map();
  rawTerms(normalise(text), out, 1);
  return out;
}

/** What a resident's question says: its own terms, and at a lower weight what its everyday words mean. */
export function queryTerms(text: string): Terms {
  const cached = memo.get(text);
  if (cached) return cached;
  const s = normalise(text);
  const out: Terms = new Map();
  rawTerms(s, out, 1);
  const meant: string[] = [];
  for (const [word, means] of ZH_MEANS) if (word.test(s)) meant.push(means);
  for (const [phrase, means] of EN_PHRASES) if (phrase.test(s)) meant.push(means);
  if (meant.length) {
    const extra: Terms = new Map();
    rawTerms(meant.join(' '), extra, 0.6);
    for (const [t, w] of extra) addTerm(out, t, w);
  }
  if (memo.size > 2000) memo.clear();
  memo.set(text, out);
  return out;
}

/** Counts of terms in a document (for BM25): every occurrence, no weights. */
export function termCounts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const s = normalise(text);
  for (const run of s.match(RUNS) ?? []) {
    if (CJK.test(run)) {
      const seen: Terms = new Map();
      cjkTerms(run, seen, 1);
      for (const t of seen.keys()) out.set(t, (out.get(t) ?? 0) + 1);
    } else if (/^[a-z0-9']+$/.test(run)) {
      const w = stem(EN_MEANS[run] ?? run);
      out.set(w, (out.get(w) ?? 0) + 1);
      if ((EN_MEANS[run] ?? run) !== run) out.set(stem(run), (out.get(stem(run)) ?? 0) + 1);
    } else out.set(run, (out.get(run) ?? 0) + 1);
  }
  return out;
}

/**
 * What nearWords keeps per vocabulary (an index's, which never changes once built): its Latin
 * words in the vocabulary's order, and each typo's nearest words once found, so a word residents
 * keep writing costs one look-up instead of an edit distance to every word (bounded; a full memo
 * starts again).
 */
const nearMemo = new WeakMap<ReadonlySet<string>, { latin: string[]; found: Map<string, string[]> }>();
const NEAR_MEMO_SIZE = 5_000;

/** Latin words of five letters or more that are not in `vocabulary`: the nearest ones (a typo's fix). */
export function nearWords(terms: Terms, vocabulary: ReadonlySet<string>): Terms {
  const out: Terms = new Map();
  let memo = nearMemo.get(vocabulary);
  for (const [t, w] of terms) {
    if (vocabulary.has(t) || !/^[a-z]{5,}$/.test(t)) continue;
    if (!memo) nearMemo.set(vocabulary, (memo = { latin: [...vocabulary].filter((v) => /^[a-z]+$/.test(v)), found: new Map() }));
    let near = memo.found.get(t);
    if (!near) {
      const max = t.length >= 8 ? 2 : 1;
      near = memo.latin.filter((v) => Math.abs(v.length - t.length) <= max && editDistance(t, v, max) <= max);
      if (memo.found.size >= NEAR_MEMO_SIZE) memo.found.clear();
      memo.found.set(t, near);
    }
    for (const v of near) addTerm(out, v, w * 0.7);
  }
  return out;
}

/** Damerau–Levenshtein (adjacent swaps), stopping early past `max`. */
function editDistance(a: string, b: string, max: number): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      best = Math.min(best, v);
    }
    if (best > max) return best;
  }
  return d[a.length]![b.length]!;
}

/** BM25 over field-weighted term counts; one index per set of documents. */
export interface Doc<T> {
  item: T;
  tf: Map<string, number>;
  length: number;
}

export class Index<T> {
  readonly docs: Doc<T>[];
  readonly vocabulary: Set<string>;
  private readonly df = new Map<string, number>();
  private readonly avg: number;

  /**
   * `fields` gives each document's texts with their weights; a field's texts are the same thing in
   * several locales, so a term counts as often as the locale that has it most, not once per locale
   * (zh-HK converted to Simplified is the zh-CN text again).
   */
  constructor(items: T[], fields: (item: T) => [string[], number][]) {
    this.docs = items.map((item) => {
      const tf = new Map<string, number>();
      for (const [variants, weight] of fields(item)) {
        const most = new Map<string, number>();
        for (const source of variants) for (const [t, n] of termCounts(source)) most.set(t, Math.max(most.get(t) ?? 0, n));
        for (const [t, n] of most) tf.set(t, (tf.get(t) ?? 0) + n * weight);
      }
      return { item, tf, length: [...tf.values()].reduce((a, b) => a + b, 0) };
    });
    this.vocabulary = new Set();
    for (const d of this.docs) for (const t of d.tf.keys()) {
      this.vocabulary.add(t);
      this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.avg = this.docs.reduce((a, d) => a + d.length, 0) / Math.max(this.docs.length, 1);
  }

  idf(term: string): number {
    const df = this.df.get(term) ?? 0;
    const n = this.docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The question's terms, with English typos' nearest known words added. */
  expand(terms: Terms): Terms {
    const near = nearWords(terms, this.vocabulary);
    if (!near.size) return terms;
    const out = new Map(terms);
    for (const [t, w] of near) addTerm(out, t, w);
    return out;
  }

  /** Each document's score for the question, best first; `max` is what a document matching every term would get. */
  rank(terms: Terms): { scored: { doc: Doc<T>; score: number }[]; max: number } {
    const k1 = 1.2;
    const b = 0.5;
    let max = 0;
    // What a document matching every word of the question would score (single characters left
    // out): a question of many words the documents do not know matches each of them less.
    for (const [t, w] of terms) if (w >= 0.5 || this.vocabulary.has(t)) max += w * this.idf(t) * (k1 + 1);
    const scored = this.docs
      .map((doc) => {
        let score = 0;
        for (const [t, w] of terms) {
          const f = doc.tf.get(t);
          if (!f) continue;
          score += w * this.idf(t) * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.length) / this.avg)));
        }
        return { doc, score };
      })
      .filter((s) => s.score > 0)
      .sort((x, y) => y.score - x.score);
    return { scored, max };
  }
}
