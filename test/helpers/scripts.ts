/**
 * Is a text written in its locale's script? Shared by the server's locale test and the locale e2e
 * (issue 18). Names and numbers are allowed: references (RS-7KQ2-M9XD-4), phone numbers, digits,
 * punctuation, symbols and spaces never count; the letters left must be in the locale's script:
 * Han for zh-CN and zh-HK (for zh-HK, Hong Kong Traditional: OpenCC's hk → cn → hk round trip gives
 * the same characters back), Arabic script for ug, Latin for en.
 */
import { Converter as toTraditional } from 'opencc-js/cn2t';
import { Converter as toSimplified } from 'opencc-js/t2cn';

export type ScriptLocale = 'zh-CN' | 'zh-HK' | 'en' | 'ug';

const HAN = /\p{Script=Han}/u;
const ARABIC = /\p{Script=Arabic}/u;
const LATIN = /\p{Script=Latin}/u;
/** A reference number, a file type, a unit or a key as printed on keyboards: names, not words (RS-7KQ2-M9XD-4, 12345, 5MB, PDF, WebP, Shift+Enter, an address). */
const NAMES = /\b[A-Z]{1,8}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]\b|\b\d+(?:\.\d+)?\s?[kKMG]?B\b|\bWebP\b|\b(?:Enter|Shift|Ctrl|Alt|Esc|Tab)\b|\b[A-Z]{2,5}\b|\b\d+\b|https?:\/\/\S+|\S+@\S+/g;

let hk2cn: ((s: string) => string) | null = null;
let cn2hk: ((s: string) => string) | null = null;

/** The characters of a zh-HK text that are not Hong Kong Traditional forms (OpenCC would change them). */
export function notHongKong(text: string): string[] {
  hk2cn ??= toSimplified({ from: 'hk', to: 'cn' });
  cn2hk ??= toTraditional({ from: 'cn', to: 'hk' });
  const back = [...cn2hk(hk2cn(text))];
  const chars = [...text];
  if (back.length !== chars.length) return chars.filter((ch) => HAN.test(ch) && !back.includes(ch));
  return chars.filter((ch, i) => back[i] !== ch);
}

/** What is wrong with `text` as a text in `locale`, or null. */
export function scriptProblem(text: string, locale: ScriptLocale | string): string | null {
  const words = text.replace(NAMES, ' ');
  const han = [...words].filter((ch) => HAN.test(ch)).join('');
  const arabic = [...words].filter((ch) => ARABIC.test(ch)).join('');
  const latin = [...words].filter((ch) => LATIN.test(ch)).join('');
  switch (locale) {
    case 'ug':
      if (han) return `Han in a ug text: ${han}`;
      if (latin) return `Latin in a ug text: ${latin}`;
      return null;
    case 'en':
      if (han) return `Han in an en text: ${han}`;
      if (arabic) return `Arabic in an en text: ${arabic}`;
      return null;
    case 'zh-CN':
    case 'zh-HK': {
      if (arabic) return `Arabic in a ${locale} text: ${arabic}`;
      if (latin && !han) return `Latin in a ${locale} text: ${latin}`;
      if (locale === 'zh-HK') {
        const bad = notHongKong(text);
        if (bad.length) return `not Hong Kong Traditional: ${bad.join('')}`;
      } else {
        const traditional = [...text].filter((ch) => HAN.test(ch) && toSimplifiedChar(ch) !== ch);
        if (traditional.length) return `Traditional in a zh-CN text: ${traditional.join('')}`;
      }
      return null;
    }
    default:
      return null;
  }
}

function toSimplifiedChar(ch: string): string {
  hk2cn ??= toSimplified({ from: 'hk', to: 'cn' });
  return hk2cn(ch);
}
