/**
 * Locale detection without i18next: small enough for the launcher, which is all that loads
 * before the resident shows intent. The full catalogues load later (./i18n.ts).
 */
export const SUPPORTED_LOCALES = ['zh-CN', 'en', 'zh-HK', 'ug'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const RTL_LOCALES: ReadonlySet<string> = new Set(['ug']);

/**
 * The strings the launcher and `<intake-ask>` show before i18next is loaded. They must equal
 * `widget.launcher` and `ask.label` in each locale file (test/i18n/locales.test.ts checks it).
 */
export const LAUNCHER_STRINGS: Record<Locale, { launcher: string; ask: string; unavailable: string; call: string }> = {
  'zh-CN': { launcher: '咨询·求助', ask: '问一问', unavailable: '暂时无法打开，请稍后再试。', call: '或拨打' },
  en: { launcher: 'Ask us', ask: 'Ask about this', unavailable: 'This cannot open right now. Please try again later.', call: 'Or call' },
  'zh-HK': { launcher: '諮詢·求助', ask: '問一問', unavailable: '暫時無法打開，請稍後再試。', call: '或致電' },
  ug: { launcher: 'سوئال سوراڭ', ask: 'بۇ ھەقتە سوراڭ', unavailable: 'ھازىر ئېچىلمىدى، كېيىن قايتا سىناڭ.', call: 'ياكى تېلېفون:' },
};

/** Maps any BCP 47 tag onto a supported locale, or undefined. `zh-TW`/`zh-Hant` → zh-HK. */
export function matchLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.trim().replace(/_/g, '-').toLowerCase();
  if (!lower) return undefined;
  const exact = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const [lang, ...rest] = lower.split('-');
  if (lang === 'zh') {
    if (rest.some((p) => p === 'hant' || p === 'hk' || p === 'tw' || p === 'mo')) return 'zh-HK';
    return 'zh-CN';
  }
  if (lang === 'en') return 'en';
  if (lang === 'ug') return 'ug';
  return undefined;
}

/** `locale` attribute → the page's `<html lang>` → the browser's languages → zh-CN. */
export function resolveLocale(attribute?: string | null, doc: Document = document, nav: Navigator = navigator): Locale {
  const fromAttr = matchLocale(attribute);
  if (fromAttr) return fromAttr;
  const fromPage = matchLocale(doc.documentElement.getAttribute('lang'));
  if (fromPage) return fromPage;
  for (const lang of nav.languages ?? [nav.language]) {
    const match = matchLocale(lang);
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
}
