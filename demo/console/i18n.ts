/// <reference types="vite/client" />
/**
 * The staff console's strings: its own i18next instance (the widget's is never touched), simplified
 * Chinese by default and English. One namespace per view: `locales/<language>/<namespace>.json`,
 * all bundled (found by import.meta.glob, so a new namespace file needs no change here). In a
 * component: `private readonly l10n = new LocalizeController(this);` and `t('<ns>:key', {…})`.
 *
 * The language: `?lang=` in the address, else the one chosen before (localStorage), else zh-CN.
 * `<html lang>` follows it.
 */
import i18next, { type i18n as I18n, type TOptions } from 'i18next';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
/** Each language's name in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

const STORAGE_KEY = 'intake-console.lang';

type Bundle = Record<string, unknown>;

/** Every `locales/<language>/<namespace>.json`, by language and namespace. */
function bundles(): Record<string, Record<string, Bundle>> {
  let modules: Record<string, { default: Bundle }>;
  try {
    modules = import.meta.glob<{ default: Bundle }>('./locales/*/*.json', { eager: true });
  } catch {
    // Served without Vite (no import.meta.glob): test/helpers/import-glob-plugin.mjs rewrites the
    // call for web-test-runner, so this only happens where neither runs.
    modules = {};
  }
  const out: Record<string, Record<string, Bundle>> = {};
  for (const [path, mod] of Object.entries(modules)) {
    const match = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    (out[match[1]!] ??= {})[match[2]!] = mod.default;
  }
  return out;
}

const resources = bundles();

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): Language | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isLanguage(saved) ? saved : null;
  } catch {
    return null;
  }
}

/** `?lang=`, else the saved choice, else zh-CN. */
export function initialLanguage(search = typeof location === 'undefined' ? '' : location.search): Language {
  const asked = new URLSearchParams(search).get('lang');
  return isLanguage(asked) ? asked : storedLanguage() ?? DEFAULT_LANGUAGE;
}

export const i18n: I18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: initialLanguage(),
  fallbackLng: false,
  supportedLngs: [...LANGUAGES],
  load: 'currentOnly',
  ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? { common: {} }),
  defaultNS: 'common',
  resources,
  // Lit escapes text bindings itself; escaping here would show entities.
  interpolation: { escapeValue: false },
  returnNull: false,
});

function followDocument(lng: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
}
followDocument(i18n.language);
i18n.on('languageChanged', followDocument);

/** A translated string: `t('queue:filter.status')`, `t('common:status.routed')`. */
export function t(key: string | string[], options?: TOptions): string {
  return i18n.t(key, options) as string;
}

export function language(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

/**
 * Switches the console's language: saved for next time, `?lang=` in the address (if there is
 * one) changed to match, `<html lang>` updated and every LocalizeController's host re-rendered.
 */
export async function setLanguage(lng: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  if (typeof location !== 'undefined') {
    const params = new URLSearchParams(location.search);
    if (params.has('lang') && params.get('lang') !== lng) {
      params.set('lang', lng);
      history.replaceState(history.state, '', `${location.pathname}?${params}${location.hash}`);
    }
  }
  await i18n.changeLanguage(lng);
}

/** Re-renders its host whenever the language changes. */
export class LocalizeController implements ReactiveController {
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected() {
    i18n.on('languageChanged', this.onChange);
  }

  hostDisconnected() {
    i18n.off('languageChanged', this.onChange);
  }
}

/* ------------------------------------------------------------ dates, times and numbers */

function date(iso: string | Date): Date | null {
  const at = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(options: Intl.DateTimeFormatOptions, timeZone?: string): Intl.DateTimeFormat {
  const key = `${language()}|${timeZone ?? ''}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(language(), { ...options, ...(timeZone ? { timeZone } : {}) });
    } catch {
      // An unknown time zone name: the browser's own.
      format = new Intl.DateTimeFormat(language(), options);
    }
    formats.set(key, format);
  }
  return format;
}

/** The calendar day of `at` in `timeZone` (for "is it today there?"). */
function dayIn(at: Date, timeZone?: string): string {
  return dateFormat({ year: 'numeric', month: '2-digit', day: '2-digit' }, timeZone).format(at);
}

/**
 * Date and time, always with the time, in `timeZone` (the site's, e.g. "Asia/Shanghai"):
 * "2026年3月3日 14:05" / "3 Mar 2026, 14:05".
 */
export function dateTime(iso: string | Date, timeZone?: string): string {
  const at = date(iso);
  if (!at) return String(iso);
  return dateFormat({ year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone).format(at);
}

/** Short form for lists: the time alone today, else the date without the year and the time. */
export function shortDateTime(iso: string | Date, timeZone?: string, now = new Date()): string {
  const at = date(iso);
  if (!at) return String(iso);
  if (dayIn(at, timeZone) === dayIn(now, timeZone)) {
    return dateFormat({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone).format(at);
  }
  return dateFormat({ month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone).format(at);
}

/** Everything, seconds and the zone's name too (for titles and tooltips). */
export function fullDateTime(iso: string | Date, timeZone?: string): string {
  const at = date(iso);
  if (!at) return String(iso);
  return dateFormat({ dateStyle: 'medium', timeStyle: 'long', hourCycle: 'h23' }, timeZone).format(at);
}

/** A number in the console's language. */
export function number(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(language(), options).format(value);
}
