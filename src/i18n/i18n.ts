/**
 * The library's own i18next instance: the host page's i18next (if any) is never touched. Only
 * the locales in use are loaded, each by a dynamic import so that it is its own chunk.
 */
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { DEFAULT_LOCALE, type Locale } from './locale.js';

export type Resources = Record<string, unknown>;

const loaders: Record<Locale, () => Promise<{ default: Resources }>> = {
  'zh-CN': () => import('./locales/zh-CN.json'),
  en: () => import('./locales/en.json'),
  'zh-HK': () => import('./locales/zh-HK.json'),
  ug: () => import('./locales/ug.json'),
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

const pending = new Map<string, Promise<void>>();

export function isLocaleLoaded(locale: Locale): boolean {
  return i18n.hasResourceBundle(locale, 'translation');
}

/** Loads a locale's strings once; later calls share the same promise. */
export function loadLocale(locale: Locale): Promise<void> {
  if (isLocaleLoaded(locale)) return Promise.resolve();
  let load = pending.get(locale);
  if (!load) {
    load = loaders[locale]().then((mod) => {
      i18n.addResourceBundle(locale, 'translation', mod.default, true, false);
    });
    load.catch(() => pending.delete(locale));
    pending.set(locale, load);
  }
  return load;
}

/** A site's own strings (office name, greeting…), laid over a locale's catalogue. */
export function overrideStrings(locale: Locale, strings: Resources): void {
  i18n.addResourceBundle(locale, 'translation', strings, true, true);
}

export function translatorFor(locale: Locale): TFunction {
  return i18n.getFixedT(locale);
}
