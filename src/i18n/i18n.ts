/**
 * The library's own i18next instance: the host page's i18next (if any) is never touched. Only
 * the locales in use are loaded, each by a dynamic import so that it is its own chunk. A locale's
 * strings come in two parts: `core` (the launcher, the panel, the chat, `<intake-ask>`:
 * locales/<locale>.json) and `views` (the form and My requests: locales/<locale>.views.json).
 */
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { DEFAULT_LOCALE, matchLocale, SUPPORTED_LOCALES, type Locale } from './locale.js';

export type Resources = Record<string, unknown>;

/** A part of a locale's strings (see above). */
export type StringsPart = 'core' | 'views';

/** Each part's chunk per locale. Replaced by tests to make a load fail. @internal */
export const stringsLoaders: Record<StringsPart, Record<Locale, () => Promise<{ default: Resources }>>> = {
  core: {
    'zh-CN': () => import('./locales/zh-CN.json'),
    en: () => import('./locales/en.json'),
    'zh-HK': () => import('./locales/zh-HK.json'),
    ug: () => import('./locales/ug.json'),
  },
  views: {
    'zh-CN': () => import('./locales/zh-CN.views.json'),
    en: () => import('./locales/en.views.json'),
    'zh-HK': () => import('./locales/zh-HK.views.json'),
    ug: () => import('./locales/ug.views.json'),
  },
};

export const i18n: I18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: DEFAULT_LOCALE,
  fallbackLng: false,
  resources: {},
  partialBundledLanguages: true,
  // Lit escapes text bindings itself; escaping here would show entities to residents.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The parts of each locale that are in. */
const loaded = new Map<Locale, Set<StringsPart>>();
const pending = new Map<string, Promise<void>>();
/** The parts asked for in any locale: a locale loaded later (a language switch) gets them all. */
const inUse = new Set<StringsPart>(['core']);

/** Whether `locale`'s strings for `parts` (the core by default) are in. */
export function isLocaleLoaded(locale: Locale, parts: readonly StringsPart[] = ['core']): boolean {
  const has = loaded.get(locale);
  return !!has && parts.every((part) => has.has(part)) && has.has('core');
}

/**
 * Loads a locale's strings once: its core, the `parts` asked for, and every part asked for
 * before in any locale (so a language switch finds the open view's strings too). Later calls
 * share the same promises. It fails only when the core or a part asked for fails: a part in use
 * elsewhere that cannot load is that view's to report (the panel offers Try again), and must not
 * keep the chat or the launcher's hint from opening.
 */
export function loadLocale(locale: Locale, parts: readonly StringsPart[] = []): Promise<void> {
  for (const part of parts) inUse.add(part);
  const needed = new Set<StringsPart>(['core', ...parts]);
  return Promise.all([...inUse].map((part) => (needed.has(part) ? loadPart(locale, part) : loadPart(locale, part).catch(() => undefined)))).then(() => undefined);
}

function loadPart(locale: Locale, part: StringsPart): Promise<void> {
  if (loaded.get(locale)?.has(part)) return Promise.resolve();
  const id = `${locale} ${part}`;
  let load = pending.get(id);
  if (!load) {
    load = stringsLoaders[part][locale]().then((mod) => {
      i18n.addResourceBundle(locale, 'translation', mod.default, true, false);
      const has = loaded.get(locale) ?? new Set<StringsPart>();
      has.add(part);
      loaded.set(locale, has);
      // Site strings given before this part was loaded are laid over it now.
      for (const strings of overrides.get(locale) ?? []) i18n.addResourceBundle(locale, 'translation', strings, true, true);
    });
    load.catch(() => pending.delete(id));
    pending.set(id, load);
  }
  return load;
}

/** Site strings per locale, kept so a locale loaded later gets them too. */
const overrides = new Map<Locale, Resources[]>();

/** A site's own strings (office name, greeting…), laid over a locale's catalogue. */
export function overrideStrings(locale: Locale, strings: Resources): void {
  const list = overrides.get(locale) ?? [];
  list.push(strings);
  overrides.set(locale, list);
  // Adding to a locale not loaded yet would make it look loaded: it is applied on load instead.
  if (isLocaleLoaded(locale)) i18n.addResourceBundle(locale, 'translation', strings, true, true);
}

/** `{"chat.greeting": "…"}` → `{chat: {greeting: "…"}}`; nested objects are kept as they are. */
function expand(flat: Resources): Resources {
  const out: Resources = {};
  for (const [key, value] of Object.entries(flat)) {
    const path = key.split('.');
    let node = out;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      node = (node[part] = next && typeof next === 'object' ? next : {}) as Resources;
    }
    const last = path[path.length - 1]!;
    const existing = node[last];
    node[last] = value && typeof value === 'object' && existing && typeof existing === 'object' ? { ...(existing as Resources), ...expand(value as Resources) } : value && typeof value === 'object' ? expand(value as Resources) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Resources {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Only strings and nested objects of strings are kept; anything else is reported. */
function onlyStrings(tree: Resources, path: string, report: (message: string) => void): Resources {
  const out: Resources = {};
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out[key] = value;
    else if (isPlainObject(value)) out[key] = onlyStrings(value, `${path}${key}.`, report);
    else report(`strings: "${path}${key}" is not text; ignored.`);
  }
  return out;
}

/**
 * Site strings in either form: per locale (`{"zh-CN": {"chat": {"greeting": "…"}}}`, keys nested
 * or dotted), or without locales (`{"chat.greeting": "…"}`), which then applies to every locale.
 * Returns the locales touched.
 */
export function applyStrings(strings: unknown, report: (message: string) => void = (m) => console.error(`[intake-widgets] ${m}`)): Locale[] {
  if (!isPlainObject(strings)) {
    if (strings != null) report('strings must be an object such as {"zh-CN": {"chat": {"greeting": "…"}}}; ignored.');
    return [];
  }
  const perLocale = new Map<Locale, Resources>();
  const everywhere: Resources = {};
  for (const [key, value] of Object.entries(strings)) {
    const locale = matchLocale(key);
    if (locale) {
      if (isPlainObject(value)) perLocale.set(locale, { ...(perLocale.get(locale) ?? {}), ...value });
      else report(`strings["${key}"] must be an object of strings; ignored.`);
    } else {
      everywhere[key] = value;
    }
  }
  const touched: Locale[] = [];
  if (Object.keys(everywhere).length > 0) {
    const tree = onlyStrings(expand(everywhere), '', report);
    for (const locale of SUPPORTED_LOCALES) overrideStrings(locale, tree);
    touched.push(...SUPPORTED_LOCALES);
  }
  for (const [locale, tree] of perLocale) {
    overrideStrings(locale, onlyStrings(expand(tree), `${locale}.`, report));
    if (!touched.includes(locale)) touched.push(locale);
  }
  return touched;
}

export function translatorFor(locale: Locale): TFunction {
  return i18n.getFixedT(locale);
}
