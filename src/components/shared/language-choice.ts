/**
 * The resident's own choice of language, per backend and site: it overrides the site's `locale`
 * attribute (and the page's language) for that site until the resident changes it. Kept in
 * localStorage; where storage is blocked it lasts as long as the page. Small and free of Lit:
 * the launcher reads it before the resident shows intent.
 */
import { matchLocale, type Locale } from '../../i18n/locale.js';

const PREFIX = 'intake-widgets:locale:';

/** This page's choices: the answer where storage is blocked, and the same answer without a read each time. */
const memory = new Map<string, Locale | null>();

/** Tells the other elements of this page (a widget and an inline form for the same site) that a choice changed; the host hears nothing. */
export const languageChoices = new EventTarget();

function keyOf(endpoint: string, site: string): string {
  return `${PREFIX}${endpoint.replace(/\/+$/, '')}|${site}`;
}

/** The resident's language for this backend and site, or undefined when they have not chosen one. */
export function chosenLocale(endpoint: string, site: string): Locale | undefined {
  const key = keyOf(endpoint, site);
  if (!memory.has(key)) {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(key);
    } catch {
      // Blocked storage: no remembered choice.
    }
    memory.set(key, matchLocale(stored) ?? null);
  }
  return memory.get(key) ?? undefined;
}

/** Remembers (or, with undefined, forgets) the resident's language for this backend and site. */
export function chooseLocale(endpoint: string, site: string, locale: Locale | undefined): void {
  const key = keyOf(endpoint, site);
  if (memory.has(key) && (memory.get(key) ?? undefined) === locale) return;
  memory.set(key, locale ?? null);
  try {
    if (locale) localStorage.setItem(key, locale);
    else localStorage.removeItem(key);
  } catch {
    // Blocked or full storage: the choice holds for this page only.
  }
  languageChoices.dispatchEvent(new Event('change'));
}

/** Forgets what this page read (tests: a reload). @internal */
export function forgetLanguageChoices(): void {
  memory.clear();
}
