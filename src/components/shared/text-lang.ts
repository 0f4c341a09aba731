import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

const HAN = /\p{Script=Han}/gu;
const ARABIC = /\p{Script=Arabic}/gu;
const LATIN = /\p{Script=Latin}/gu;

/**
 * The language a server text is written in. First what the server declares for it (`langs` on
 * the object carrying it: a text the city has not translated yet, given in a fallback locale).
 * Without that (an older server, an Open311 one), a guess from its script: Han → zh (zh-HK when
 * the server answered in zh-HK), Arabic script → ug, Latin → en. Undefined when the text has no
 * letters (digits, a reference): it keeps the view's language.
 */
export function textLang(text: string, serverLocale?: string, declared?: string): string | undefined {
  if (declared) return declared;
  const han = text.match(HAN)?.length ?? 0;
  const arabic = text.match(ARABIC)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (!han && !arabic && !latin) return undefined;
  if (han >= arabic && han >= latin) return serverLocale?.startsWith('zh') ? serverLocale : 'zh-CN';
  return arabic >= latin ? 'ug' : 'en';
}

const walked = new WeakMap<object, Map<string, string>>();
const NONE: ReadonlyMap<string, string> = new Map();

/**
 * Every text of a server answer (a catalogue, a request, an answer) whose locale it declares,
 * by its words: `{name: "垃圾清运", langs: {name: "zh-CN"}}` gives "垃圾清运" → "zh-CN". Read once
 * per answer. The same words in two places are the same language, so a view looks a text up
 * wherever it shows it, without carrying the object it came from.
 */
export function declaredLangs(answer: object | undefined): ReadonlyMap<string, string> {
  if (!answer) return NONE;
  let found = walked.get(answer);
  if (!found) {
    found = new Map();
    collect(answer, found, 0);
    walked.set(answer, found);
  }
  return found;
}

function collect(node: unknown, found: Map<string, string>, depth: number): void {
  if (!node || typeof node !== 'object' || depth > 8) return;
  if (Array.isArray(node)) {
    for (const item of node) collect(item, found, depth + 1);
    return;
  }
  const object = node as Record<string, unknown>;
  const langs = object['langs'];
  if (langs && typeof langs === 'object') {
    for (const [key, lang] of Object.entries(langs)) {
      const text = object[key];
      if (typeof text === 'string' && text && typeof lang === 'string' && lang) found.set(text, lang);
    }
  }
  for (const [key, value] of Object.entries(object)) if (key !== 'langs' && value && typeof value === 'object') collect(value, found, depth + 1);
}

/**
 * Server text in its own voice and direction: `<bdi lang dir="auto">`, so a Chinese "？" stays at
 * its end inside Uyghur. `declared` is the locale the server gave for it (see `textLang`).
 */
export function serverText(text: string, serverLocale?: string, declared?: string): TemplateResult {
  const lang = textLang(text, serverLocale, declared);
  return html`<bdi lang=${ifDefined(lang)} dir="auto">${text}</bdi>`;
}

/**
 * A translated sentence with server text inside it (a department, a site name): the sentence in
 * the view's language, the server's words in theirs. `translate` gets a marker where they go.
 */
export function sentenceWith(translate: (value: string) => string, text: string, serverLocale?: string, declared?: string): TemplateResult {
  const MARK = '\u2063';
  const [before = '', after = ''] = translate(MARK).split(MARK);
  return html`${before}${serverText(text, serverLocale, declared)}${after}`;
}

const formats = new Map<string, { format: (date: Date) => string; dir: 'auto' | 'ltr' }>();

/**
 * Dates and times as the locale writes them. An engine without the locale's data (Chromium has
 * no Uyghur: it gives "09:01 PM", shown as "PM 09:01" right to left) gets plain digits on a
 * 24-hour clock instead, "2026-12-01 21:01", kept left to right.
 */
export function dateTimeFormat(locale: string, style: 'time' | 'datetime' | 'date', timeZone?: string): { format: (date: Date) => string; dir: 'auto' | 'ltr' } {
  const id = `${locale}|${style}|${timeZone}`;
  const known = formats.get(id);
  if (known) return known;
  const options: Intl.DateTimeFormatOptions =
    style === 'time' ? { hour: '2-digit', minute: '2-digit', timeZone } : style === 'date' ? { dateStyle: 'long', timeZone } : { dateStyle: 'medium', timeStyle: 'short', timeZone };
  let made: { format: (date: Date) => string; dir: 'auto' | 'ltr' };
  if (Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0) {
    const format = new Intl.DateTimeFormat(locale, options);
    made = { format: (date) => format.format(date), dir: 'auto' };
  } else {
    const parts = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    made = {
      format: (date) => {
        const p = Object.fromEntries(parts.formatToParts(date).map((x) => [x.type, x.value]));
        const day = `${p['year']}-${p['month']}-${p['day']}`;
        const time = `${p['hour']}:${p['minute']}`;
        return style === 'time' ? time : style === 'date' ? day : `${day} ${time}`;
      },
      dir: 'ltr',
    };
  }
  formats.set(id, made);
  return made;
}
