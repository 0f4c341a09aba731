/**
 * The four locales the server answers residents in, how a call's locale is chosen, and which text
 * a locale gets when a city has not written one (docs/i18n.md, "Server texts").
 *
 * - `zh-CN` Simplified Chinese, every city writes it (the catalogue file requires it);
 * - `zh-HK` Traditional Chinese (Hong Kong): the city's own `zh-HK` text where it gives one, else
 *   derived from zh-CN through OpenCC's Hong Kong variant (cn → hk). A derived text counts as
 *   zh-HK (no `langs` entry): it is Traditional Hong Kong writing, only not written by hand;
 * - `en` English and `ug` Uyghur (Arabic script): the city's texts.
 *
 * Where a locale has no text the FALLBACK order is followed (zh-HK → zh-CN, ug → zh-CN,
 * en → zh-CN) and the response says which locale the text is in (`langs`, protocol.ts).
 */
import { Converter } from 'opencc-js/cn2t';
import type { Langs } from '../../../src/client/protocol.js';

export const LOCALES = ['zh-CN', 'zh-HK', 'en', 'ug'] as const;
export type Locale = (typeof LOCALES)[number];

/** Where each locale looks when a text is missing, in order (after its own text). */
export const FALLBACK: Record<Locale, readonly Locale[]> = {
  'zh-CN': [],
  'zh-HK': ['zh-CN'],
  ug: ['zh-CN'],
  en: ['zh-CN'],
};

/** Texts per locale as the tables keep them (any locale key; zh-CN is always there in a city's catalogue). */
export type LocaleTexts = Partial<Record<string, string>>;

export const isLocale = (s: unknown): s is Locale => typeof s === 'string' && (LOCALES as readonly string[]).includes(s);

/**
 * One language tag → one of ours, or null: zh-HK, zh-TW, zh-MO and any zh-Hant… → zh-HK (the
 * Traditional locale we have); zh, zh-CN, zh-SG, zh-Hans… → zh-CN; en… → en; ug… → ug.
 */
export function matchLocale(tag: string): Locale | null {
  const t = tag.trim().replace(/_/g, '-').toLowerCase();
  if (!t) return null;
  const [lang, ...rest] = t.split('-');
  if (lang === 'en') return 'en';
  if (lang === 'ug' || lang === 'uig') return 'ug';
  if (lang === 'zh' || lang === 'yue' || lang === 'zho' || lang === 'chi') {
    if (rest.includes('hant') || rest.some((p) => p === 'hk' || p === 'tw' || p === 'mo')) {
      return rest.includes('hans') ? 'zh-CN' : 'zh-HK';
    }
    // Cantonese without a script is written in Traditional characters where it is spoken.
    return lang === 'yue' && !rest.includes('hans') ? 'zh-HK' : 'zh-CN';
  }
  return null;
}

/**
 * A `?locale=` value, a body's `locale`, or a whole Accept-Language header (`ug,zh-CN;q=0.8`):
 * the tag with the highest q that is one of ours (the first of equal ones), else zh-CN.
 */
export function pickLocale(requested: string | undefined | null): Locale {
  return matchHeader(requested) ?? 'zh-CN';
}

/** Accept-Language parsed with q-values; null when no tag is one of ours (or q=0 for all). */
export function matchHeader(header: string | undefined | null): Locale | null {
  if (!header) return null;
  let best: { locale: Locale; q: number } | null = null;
  for (const part of header.slice(0, 1000).split(',')) {
    const [tag = '', ...params] = part.split(';');
    const qParam = params.map((p) => p.trim()).find((p) => /^q=/i.test(p));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const locale = matchLocale(tag);
    if (locale && (!best || q > best.q)) best = { locale, q };
  }
  return best?.locale ?? null;
}

/** `?locale=` when it names one of ours, else the Accept-Language header, else zh-CN. */
export function localeFrom(query: string | undefined | null, acceptLanguage: string | undefined | null): Locale {
  return matchHeader(query) ?? matchHeader(acceptLanguage) ?? 'zh-CN';
}

/* ------------------------------------------------------------ zh-CN → zh-HK */

let cn2hk: ((s: string) => string) | null = null;
/** Converted texts, so a catalogue built again (a new version) converts only what changed. */
const converted = new Map<string, string>();
const CONVERTED_MAX = 20_000;

/** zh-CN text in Hong Kong Traditional characters and wording (OpenCC cn → hk, phrase by phrase). */
export function toHongKong(text: string): string {
  if (!text || !/[\u3400-\u9fff]/.test(text)) return text;
  const hit = converted.get(text);
  if (hit !== undefined) return hit;
  cn2hk ??= Converter({ from: 'cn', to: 'hk' });
  const out = cn2hk(text);
  if (converted.size >= CONVERTED_MAX) converted.clear();
  converted.set(text, out);
  return out;
}

/* ------------------------------------------------------------ picking a text */

/**
 * The text for `locale` and the locale it is in: its own; for zh-HK the city's zh-HK or the
 * zh-CN converted (counted as zh-HK); then the FALLBACK order; then any text there is.
 */
export function localText(texts: LocaleTexts | null | undefined, locale: Locale): { text: string; lang: Locale | string } {
  const own = texts?.[locale];
  if (own) return { text: own, lang: locale };
  if (locale === 'zh-HK' && texts?.['zh-CN']) return { text: toHongKong(texts['zh-CN']), lang: 'zh-HK' };
  for (const next of FALLBACK[locale]) {
    const t = texts?.[next];
    if (t) return { text: t, lang: next };
  }
  for (const [lang, t] of Object.entries(texts ?? {})) if (t) return { text: t, lang };
  return { text: '', lang: locale };
}

/**
 * Several texts of one object at once, with the `langs` the protocol wants (only the ones not in
 * `locale`; absent when none): `{ id, ...localTexts(locale, { name: row.names }) }`.
 */
export function localTexts<K extends string>(locale: Locale, texts: Record<K, LocaleTexts | null | undefined>): Record<K, string> & { langs?: Langs } {
  const out = {} as Record<K, string> & { langs?: Langs };
  const langs: Record<string, string> = {};
  for (const key of Object.keys(texts) as K[]) {
    const picked = localText(texts[key], locale);
    (out as Record<K, string>)[key] = picked.text;
    if (picked.lang !== locale) langs[key] = picked.lang;
  }
  if (Object.keys(langs).length) out.langs = langs;
  return out;
}

/** A text written per locale in code (messages.ts): all four are always there. */
export type Written = Record<Locale, string>;
