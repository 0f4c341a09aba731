/**
 * Gives an element its translator: loads the element's locale (only that one), re-renders when
 * it arrives, when the language changes or when strings are overridden. Uses the library's own
 * i18next instance (../i18n/i18n.ts), never the page's.
 */
import type { TFunction, TOptions } from 'i18next';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { i18n, isLocaleLoaded, loadLocale, translatorFor, type StringsPart } from '../i18n/i18n.js';
import { directionOf, resolveLocale, type Locale } from '../i18n/locale.js';

export class LocalizeController implements ReactiveController {
  private current: Locale;
  private translate: TFunction;
  private changes = 0;
  private readonly refresh = () => {
    this.changes++;
    this.host.requestUpdate();
  };

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** The element's own `locale` attribute, read on each update. */
    private readonly requested: () => string | null | undefined,
    /** The parts of the strings it needs beside the core (the form and My requests: `views`). */
    private readonly parts: readonly StringsPart[] = [],
  ) {
    this.current = resolveLocale(requested());
    this.translate = translatorFor(this.current);
    host.addController(this);
  }

  get locale(): Locale {
    return this.current;
  }

  get dir(): 'ltr' | 'rtl' {
    return directionOf(this.current);
  }

  /** Counts language and string changes: a cached part of a render (`guard`) re-renders when it moves. */
  get revision(): number {
    return this.changes;
  }

  /** True once the active locale's strings (the parts this element needs) are in. */
  get ready(): boolean {
    return isLocaleLoaded(this.current, this.parts);
  }

  /** Resolves when the active locale is loaded. */
  loaded(): Promise<void> {
    return loadLocale(this.current, this.parts);
  }

  t(key: string, options?: TOptions): string {
    return String(this.translate(key, options ?? {}));
  }

  hostConnected(): void {
    i18n.on('languageChanged', this.refresh);
    i18n.store.on('added', this.refresh);
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  hostDisconnected(): void {
    i18n.off('languageChanged', this.refresh);
    i18n.store.off('added', this.refresh);
  }

  private sync(): void {
    const wanted = resolveLocale(this.requested());
    if (wanted !== this.current || !this.ready) {
      const changed = wanted !== this.current;
      this.current = wanted;
      this.translate = translatorFor(wanted);
      // The render under way already uses the new translator; a missing locale re-renders on arrival.
      if (changed || !isLocaleLoaded(wanted, this.parts)) {
        loadLocale(wanted, this.parts).then(this.refresh, (error: unknown) => console.error('[intake-widgets] could not load locale', wanted, error));
      }
    }
  }
}
