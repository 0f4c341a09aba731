/**
 * The demo city speaks every locale (issue 18): every text object of demo-city.json — names,
 * groups, descriptions, keywords, field labels, hints and options, the answers, the privacy notice,
 * the holidays — has zh-CN, en and ug, written in their own scripts: ug in the Uyghur Arabic
 * alphabet (no Han, no letters Uyghur does not use, the hamza carrier ئ before a word's first
 * vowel), en without Han or Arabic, and the numbers of the zh-CN text in the ug one. The city's own
 * zh-HK overrides are Hong Kong Traditional (OpenCC's cn → hk leaves them as they are).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DEMO_CITY } from '../../demo/server/catalogue/seed.js';
import { toHongKong } from '../../demo/server/catalogue/locales.js';
import { scriptProblem } from '../helpers/scripts.js';

/** The 32 letters of Uyghur Ereb Yéziqi (with ئ), as Unicode writes them. */
const UYGHUR_LETTERS = 'ئاەبپتجچخدرزژسشغفقكگڭلمنھوۇۆۈۋېىي';
/** A word may not start with one of these bare: Uyghur writes ئ before a word's first vowel. */
const VOWELS = 'اەېىوۇۆۈ';
const ARABIC_LETTER = /\p{Script=Arabic}/u;
const ARABIC_PUNCTUATION = '،؛؟';

interface Found {
  path: string;
  texts: Record<string, unknown>;
}

/** Every object keyed by locale (the ones with a zh-CN entry), with where it is. */
function textObjects(node: unknown, path = ''): Found[] {
  if (Array.isArray(node)) {
    return node.flatMap((item, i) => {
      const id = item && typeof item === 'object' ? ((item as { id?: string; value?: string }).id ?? (item as { value?: string }).value) : undefined;
      return textObjects(item, `${path}[${id ?? i}]`);
    });
  }
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if ('zh-CN' in record) return [{ path, texts: record }];
  return Object.entries(record).flatMap(([k, v]) => textObjects(v, path ? `${path}.${k}` : k));
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : typeof v === 'string' ? [v] : []);
const numbers = (s: string): number[] => (s.match(/\d+/g) ?? []).map(Number);

/** What is wrong with one ug text (source: the zh-CN text, whose Latin names — WebP, APP — it may keep). */
function uyghurProblems(text: string, source: string): string[] {
  const problems: string[] = [];
  const names = new Set(source.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []);
  const words = text.replace(/[A-Za-z][A-Za-z0-9-]*/g, (w) => (names.has(w) ? ' ' : w)).replace(/(\d)([A-Z]{2,5})\b/g, '$1 $2');
  const script = scriptProblem(words, 'ug');
  if (script) problems.push(script);
  if (![...text].some((ch) => ARABIC_LETTER.test(ch))) problems.push('no Arabic letters');
  const foreign = [...new Set([...text].filter((ch) => ARABIC_LETTER.test(ch) && !UYGHUR_LETTERS.includes(ch) && !ARABIC_PUNCTUATION.includes(ch)))];
  if (foreign.length) problems.push(`letters Uyghur does not use: ${foreign.map((ch) => `${ch} U+${ch.codePointAt(0)!.toString(16).toUpperCase()}`).join(', ')}`);
  const bare = text.split(/[^\p{Script=Arabic}]+/u).filter((w) => w && VOWELS.includes(w[0]!));
  if (bare.length) problems.push(`a word starts with a vowel without ئ: ${bare.join(' ')}`);
  const missing = numbers(source).filter((n) => !numbers(text).includes(n));
  if (missing.length) problems.push(`numbers of the zh-CN text missing: ${missing.join(', ')}`);
  return problems;
}

/** Every problem of a catalogue file's texts, `path ug: problem`. */
function localeProblems(file: unknown): string[] {
  const problems: string[] = [];
  for (const { path, texts } of textObjects(file)) {
    const zh = strings(texts['zh-CN']).join(' ');
    for (const locale of ['en', 'ug']) {
      if (!strings(texts[locale]).some((s) => s.trim())) problems.push(`${path}: no ${locale} text`);
    }
    for (const s of strings(texts.en)) {
      const p = scriptProblem(s, 'en');
      if (p) problems.push(`${path} en: ${p}`);
    }
    const ug = strings(texts.ug);
    // Keywords are lists of words of their own (no number to carry over): each word is checked alone.
    for (const s of ug) for (const p of uyghurProblems(s, Array.isArray(texts.ug) ? '' : zh)) problems.push(`${path} ug: ${p}`);
    for (const s of strings(texts['zh-HK'])) {
      const p = scriptProblem(s, 'zh-HK');
      if (p) problems.push(`${path} zh-HK: ${p}`);
      if (toHongKong(s) !== s) problems.push(`${path} zh-HK: OpenCC would change it to ${toHongKong(s)}`);
      const missing = numbers(zh).filter((n) => !numbers(s).includes(n));
      if (missing.length) problems.push(`${path} zh-HK: numbers of the zh-CN text missing: ${missing.join(', ')}`);
    }
  }
  return problems;
}

describe('the demo city in every locale', () => {
  test('every text object has zh-CN, en and ug, each in its own script; zh-HK overrides are Hong Kong Traditional', async () => {
    const file: unknown = JSON.parse(await readFile(DEMO_CITY, 'utf8'));
    const found = textObjects(file);
    // Sites, departments, services (groups, names, descriptions, keywords, fields, options), 42 answers, privacy, holidays.
    assert.ok(found.length >= 340, `${found.length} text objects`);
    assert.equal(found.filter((f) => f.path.startsWith('answers[')).length, 42 * 3);
    assert.deepEqual(localeProblems(file), []);
    const overrides = found.filter((f) => typeof f.texts['zh-HK'] === 'string');
    assert.ok(overrides.length >= 20, `${overrides.length} zh-HK overrides`);
  });

  test('the check finds what it is for: a missing ug, Han or Latin in ug, a bare vowel, a Persian letter, a lost number, Simplified in zh-HK, Han in en', () => {
    const file = {
      sites: [{ id: 'a', names: { 'zh-CN': '花园社区', en: 'Garden', ug: 'گۈلباغ مەھەللىسى' } }],
      services: [
        { id: 'b', names: { 'zh-CN': '垃圾清运', en: 'Rubbish' } },
        { id: 'c', names: { 'zh-CN': '垃圾清运', en: 'Rubbish', ug: 'ئەخلەت 清运' } },
        { id: 'd', names: { 'zh-CN': '垃圾清运', en: 'Rubbish', ug: 'ئەخلەت trash' } },
        { id: 'e', names: { 'zh-CN': '医疗保险', en: 'Insurance', ug: 'ادەم سۇغۇرتىسى' } },
        { id: 'f', names: { 'zh-CN': '医疗保险', en: 'Insurance', ug: 'سۇغۇرتای' } },
        { id: 'g', names: { 'zh-CN': '2小时内', en: 'Within 2 hours', ug: 'سائەت ئىچىدە' } },
        { id: 'h', names: { 'zh-CN': '垃圾清运', 'zh-HK': '垃圾收集点', en: 'Rubbish', ug: 'ئەخلەت' } },
        { id: 'i', names: { 'zh-CN': '垃圾清运', en: 'Rubbish 垃圾', ug: 'ئەخلەت' } },
        { id: 'j', names: { 'zh-CN': '可上传（WebP，5MB）', en: 'WebP, 5 MB', ug: 'WebP، 5MB دىن ئاشمىسۇن' } },
      ],
    };
    const problems = localeProblems(file);
    const of = (id: string) => problems.filter((p) => p.startsWith(`services[${id}]`));
    assert.equal(problems.filter((p) => p.startsWith('sites')).length, 0, problems.join('\n'));
    assert.match(of('b').join(), /no ug text/);
    assert.match(of('c').join(), /Han in a ug text/);
    assert.match(of('d').join(), /Latin in a ug text: trash/);
    assert.match(of('e').join(), /starts with a vowel without ئ: ادەم/);
    assert.match(of('f').join(), /letters Uyghur does not use: ی U\+6CC/);
    assert.match(of('g').join(), /numbers of the zh-CN text missing: 2/);
    assert.match(of('h').join(), /zh-HK: .*点/);
    assert.match(of('i').join(), /Han in an en text/);
    assert.deepEqual(of('j'), [], 'names the zh-CN text has too (WebP, MB) are allowed');
  });
});
