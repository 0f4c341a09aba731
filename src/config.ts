/**
 * One typed config from element attributes or a script tag's `data-*` attributes. A wrong value
 * never breaks the host page: it is reported with `console.error` (naming the attribute and the
 * form expected) and replaced by a safe default.
 */
import type { TransportKind } from './client/types.js';
import { defaultReport, readModes, readPosition, readTheme, readTransport, type Mode, type Position, type Theme } from './attributes.js';

export * from './attributes.js';

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
