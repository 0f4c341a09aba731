/**
 * One typed config from element attributes or a script tag's `data-*` attributes. A wrong value
 * never breaks the host page: it is reported with `console.error` (naming the attribute and the
 * form expected) and replaced by a safe default.
 */
import type { TransportKind } from './client/types.js';

export const POSITIONS = ['bottom-end', 'bottom-start'] as const;
export type Position = (typeof POSITIONS)[number];
export const MODES = ['chat', 'form', 'status'] as const;
export type Mode = (typeof MODES)[number];
export const THEMES = ['light', 'dark', 'auto'] as const;
export type Theme = (typeof THEMES)[number];
export const TRANSPORTS: readonly TransportKind[] = ['intake', 'open311'];

export interface WidgetConfig {
  endpoint: string;
  site: string;
  locale?: string;
  position: Position;
  modes: Mode[];
  theme: Theme;
  transport: TransportKind;
  largeText: boolean;
  open: boolean;
  /** Site strings from `data-strings` (JSON), laid over the catalogues. */
  strings?: Record<string, unknown>;
  /** Open311: `jurisdiction_id` and `api_key`, when the city's server needs them. */
  jurisdiction?: string;
  apiKey?: string;
}

export type ErrorReporter = (message: string) => void;

const defaultReport: ErrorReporter = (message) => console.error(`[intake-widgets] ${message}`);

function pick<T extends string>(value: string | null | undefined, allowed: readonly T[], fallback: T, attribute: string, report: ErrorReporter): T {
  if (value == null || value === '') return fallback;
  const v = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  report(`${attribute}="${value}" is not valid: expected one of ${allowed.map((a) => `"${a}"`).join(', ')}. Using "${fallback}".`);
  return fallback;
}

export function readPosition(value: string | null | undefined, attribute = 'position', report = defaultReport): Position {
  return pick(value, POSITIONS, 'bottom-end', attribute, report);
}

export function readTheme(value: string | null | undefined, attribute = 'theme', report = defaultReport): Theme {
  return pick(value, THEMES, 'light', attribute, report);
}

export function readTransport(value: string | null | undefined, attribute = 'transport', report = defaultReport): TransportKind {
  return pick(value, TRANSPORTS, 'intake', attribute, report);
}

/** `"chat form"` or `"chat,status"`: a subset of chat, form, status; empty means all. */
export function readModes(value: string | null | undefined, attribute = 'modes', report = defaultReport): Mode[] {
  if (value == null || value.trim() === '') return [...MODES];
  const words = value.toLowerCase().split(/[\s,]+/).filter(Boolean);
  const unknown = words.filter((w) => !(MODES as readonly string[]).includes(w));
  const modes = MODES.filter((m) => words.includes(m));
  if (unknown.length > 0 || modes.length === 0) {
    report(`${attribute}="${value}" is not valid: expected a space-separated subset of "chat form status"` +
      (modes.length ? `. Ignoring ${unknown.map((u) => `"${u}"`).join(', ')}.` : '. Using all of them.'));
  }
  return modes.length ? modes : [...MODES];
}

/** An absolute http(s) URL without a trailing slash, or '' (reported) when missing or wrong. */
export function readEndpoint(value: string | null | undefined, attribute = 'endpoint', report = defaultReport): string {
  const expected = 'an absolute http(s) URL such as "https://intake.example.gov/api/v1"';
  if (value == null || value.trim() === '') {
    report(`${attribute} is missing: expected ${expected}. Nothing can be sent without it.`);
    return '';
  }
  try {
    const url = new URL(value.trim());
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  report(`${attribute}="${value}" is not valid: expected ${expected}.`);
  return '';
}

const SITE_ID = /^[A-Za-z0-9][A-Za-z0-9._~/-]{0,199}$/;

/** A site id such as `district-07/street-3/community-12`, or '' (reported). */
export function readSite(value: string | null | undefined, attribute = 'site', report = defaultReport): string {
  const expected = 'a site id such as "district-07/street-3/community-12" (letters, digits, "-", "_", ".", "/")';
  if (value == null || value.trim() === '') {
    report(`${attribute} is missing: expected ${expected}.`);
    return '';
  }
  const site = value.trim();
  if (SITE_ID.test(site)) return site;
  report(`${attribute}="${value}" is not valid: expected ${expected}.`);
  return '';
}

/** A BCP 47 tag (`zh-CN`, `en`); anything else is reported and left to detection. */
export function readLocale(value: string | null | undefined, attribute = 'locale', report = defaultReport): string | undefined {
  if (value == null || value.trim() === '') return undefined;
  const tag = value.trim();
  if (/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(tag)) return tag;
  report(`${attribute}="${value}" is not valid: expected a language tag such as "zh-CN" or "en". Using the page's language.`);
  return undefined;
}

export function readBoolean(value: string | null | undefined, attribute: string, report = defaultReport): boolean {
  if (value == null) return false;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'true' || v === attribute.replace(/^data-/, '')) return true;
  if (v === 'false') return false;
  report(`${attribute}="${value}" is not valid: expected "true" or "false" (or the bare attribute). Using false.`);
  return false;
}

/** JSON text of an object (site strings); bad JSON or another type is reported and ignored. */
export function readStrings(value: string | null | undefined, attribute = 'strings', report = defaultReport): Record<string, unknown> | undefined {
  if (value == null || value.trim() === '') return undefined;
  const expected = 'a JSON object such as {"zh-CN": {"chat": {"greeting": "…"}}}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    report(`${attribute} is not valid JSON (${error instanceof Error ? error.message : String(error)}): expected ${expected}. Ignored.`);
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    report(`${attribute} is not valid: expected ${expected}. Ignored.`);
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

/**
 * Reads a whole config through `get(name)`; `prefix` is `'data-'` for a script tag. Missing or
 * wrong `endpoint`/`site` leave them '' so the caller can refuse to mount.
 */
export function readConfig(get: (name: string) => string | null, prefix = '', report = defaultReport): WidgetConfig {
  const name = (n: string) => `${prefix}${n}`;
  const config: WidgetConfig = {
    endpoint: readEndpoint(get(name('endpoint')), name('endpoint'), report),
    site: readSite(get(name('site')), name('site'), report),
    position: readPosition(get(name('position')), name('position'), report),
    modes: readModes(get(name('modes')), name('modes'), report),
    theme: readTheme(get(name('theme')), name('theme'), report),
    transport: readTransport(get(name('transport')), name('transport'), report),
    largeText: readBoolean(get(name('large-text')), name('large-text'), report),
    open: readBoolean(get(name('open')), name('open'), report),
  };
  const locale = readLocale(get(name('locale')), name('locale'), report);
  if (locale) config.locale = locale;
  const strings = readStrings(get(name('strings')), name('strings'), report);
  if (strings) config.strings = strings;
  const jurisdiction = get(name('jurisdiction'))?.trim();
  if (jurisdiction) config.jurisdiction = jurisdiction;
  const apiKey = get(name('api-key'))?.trim();
  if (apiKey) config.apiKey = apiKey;
  return config;
}
