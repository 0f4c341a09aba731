/**
 * The language picker of the widget's header and of the inline views: a native `<select>` (the
 * platform's keyboard, screen-reader and touch behaviour, a phone's own wheel), each language in
 * its own name and marked with its `lang`, named by a label in the view's language.
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { loadLocale } from '../../i18n/i18n.js';
import { directionOf, resolveLocale, type Locale } from '../../i18n/locale.js';
import { chooseLocale, chosenLocale, languageChoices } from './language-choice.js';
import { viewOptions, type ViewHost } from './view-client.js';

/** Each language in its own name, in the order the picker offers them (not translated: a resident finds their own). */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  'zh-CN': '简体中文',
  'zh-HK': '繁體中文（香港）',
  en: 'English',
  ug: 'ئۇيغۇرچە',
};

export interface LanguagePickerOptions {
  /** Unique within the shadow root. */
  id: string;
  /** The language shown as chosen (the one being switched to, while it loads). */
  locale: Locale;
  /** "Language", in the view's language. */
  label: string;
  onChange: (locale: Locale) => void;
}

export function languagePicker({ id, locale, label, onChange }: LanguagePickerOptions): TemplateResult {
  return html`<span class="language">
    <label class="visually-hidden" for=${id}>${label}</label>
    <svg class="language-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 0c2.5 2.7 3.8 6 3.8 10s-1.3 7.3-3.8 10m0-20C9.5 4.7 8.2 8 8.2 12s1.3 7.3 3.8 10M2.5 9h19M2.5 15h19"
        fill="none"
        stroke="currentColor"
        stroke-width="1.8"
      />
    </svg>
    <svg class="language-chevron" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
    <select
      id=${id}
      class="language-select"
      part="language-picker"
      @change=${(event: Event) => onChange((event.target as HTMLSelectElement).value as Locale)}
    >
      ${(Object.keys(LANGUAGE_NAMES) as Locale[]).map(
        (l) => html`<option value=${l} lang=${l} dir=${directionOf(l)} .selected=${l === locale}>${LANGUAGE_NAMES[l]}</option>`,
      )}
    </select>
  </span>`;
}

export interface LanguageHost extends ViewHost, ReactiveControllerHost {
  locale?: string;
  /** Inside the widget's panel: the panel's header has the picker, and the panel says the language. */
  nested: boolean;
  hideLanguagePicker: boolean;
}

/**
 * An inline view's language: the resident's choice for its site (remembered, shared with the
 * widget and the other views of that site), else its `locale`. Renders the view's picker.
 */
export class ViewLanguage implements ReactiveController {
  /** The language the picker shows while its strings (and what `prepare` fetches) load. */
  private choosing?: Locale;
  private seenLocale?: string | null;
  private readonly onChoice = () => this.host.requestUpdate();

  constructor(
    private readonly host: LanguageHost,
    /** Fetched before the switch (the catalogue in the new language), so everything changes at once. */
    private readonly prepare: (locale: Locale) => Promise<unknown>,
  ) {
    host.addController(this);
  }

  /** The resident's choice for this view's site; none for a view in the widget's panel. */
  get chosen(): Locale | undefined {
    if (this.host.nested) return undefined;
    const { endpoint, site } = this.where();
    return chosenLocale(endpoint, site);
  }

  /** What the view is asked to speak (before detection): the resident's choice, else `locale`. */
  get requested(): string | undefined {
    return this.chosen ?? this.host.locale;
  }

  /** The supported locale the view speaks. */
  get locale(): Locale {
    return resolveLocale(this.requested);
  }

  /** The backend and site the choice is kept for: the view's (or its widget's), else its given client's. */
  private where(): { endpoint: string; site: string } {
    const { endpoint, site } = viewOptions(this.host);
    const given = this.host.client?.options;
    return { endpoint: endpoint || given?.endpoint || '', site: site || given?.site || '' };
  }

  hostConnected(): void {
    languageChoices.addEventListener('change', this.onChoice);
  }

  hostDisconnected(): void {
    languageChoices.removeEventListener('change', this.onChoice);
  }

  hostUpdate(): void {
    // The page switched `locale` while the view is on it (its own language menu): the newer
    // choice; the resident's earlier one is dropped.
    const locale = this.host.locale ?? null;
    if (this.seenLocale && locale && this.seenLocale !== locale && !this.host.nested) {
      const { endpoint, site } = this.where();
      chooseLocale(endpoint, site, undefined);
    }
    this.seenLocale = locale;
  }

  async choose(locale: Locale): Promise<void> {
    this.choosing = locale;
    this.host.requestUpdate();
    await Promise.all([loadLocale(locale).catch(() => undefined), this.prepare(locale).catch(() => undefined)]);
    if (this.choosing !== locale) return;
    this.choosing = undefined;
    const { endpoint, site } = this.where();
    chooseLocale(endpoint, site, locale);
    this.host.requestUpdate();
  }

  /** The picker, or nothing (in the widget's panel, or turned off with `hide-language-picker`). */
  render(label: string): TemplateResult | typeof nothing {
    if (this.host.nested || this.host.hideLanguagePicker) return nothing;
    return languagePicker({ id: 'language', locale: this.choosing ?? this.locale, label, onChange: (locale) => void this.choose(locale) });
  }
}

/**
 * The picker's look. Designers restyle it through `::part(language-picker)` or these hooks:
 * `--intake-language-picker-background`, `-color`, `-border-color`, `-radius`.
 */
export const languagePickerStyles = css`
  .language {
    --_lp-fg: var(--intake-language-picker-color, inherit);
    position: relative;
    display: inline-flex;
    align-items: center;
    flex: none;
    max-inline-size: 100%;
    color: var(--_lp-fg);
  }
  .language-icon,
  .language-chevron {
    position: absolute;
    inset-inline-start: 0.65em;
    inline-size: 1.1em;
    block-size: 1.1em;
    pointer-events: none;
  }
  .language-chevron {
    inset-inline-start: auto;
    inset-inline-end: 0.7em;
    inline-size: 1em;
    block-size: 1em;
  }
  .language-select {
    appearance: none;
    /* As wide as the chosen name, not the longest one (where supported): the header keeps one line of tools. */
    field-sizing: content;
    min-block-size: var(--intake-size-target, 44px);
    max-inline-size: 100%;
    margin: 0;
    padding-block: 0;
    padding-inline: 2.2em 2.1em;
    border: 2px solid var(--intake-language-picker-border-color, currentColor);
    border-radius: var(--intake-language-picker-radius, var(--intake-radius-full));
    background: var(--intake-language-picker-background, transparent);
    color: inherit;
    font: inherit;
    font-size: var(--intake-font-size-small);
    font-weight: var(--intake-font-weight-strong);
    text-overflow: ellipsis;
    cursor: pointer;
  }
  /* The open list is drawn by the platform on its own surface: its own colours, never the header's. */
  .language-select option {
    color: var(--intake-color-text);
    background: var(--intake-color-surface);
  }
  @media (forced-colors: active) {
    .language-select {
      border-color: ButtonText;
    }
    .language-select option {
      color: CanvasText;
      background: Canvas;
    }
  }
  /* An inline view's heading: the title, and the picker at its end (below it when there is no room). */
  .heading {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    column-gap: var(--intake-space-sm);
    border-block-end: 1px solid var(--_border);
  }
  .heading > .title {
    flex: 1 1 12em;
    border-block-end: 0;
  }
  .heading > .language {
    margin-inline: var(--intake-space-lg);
    margin-block: var(--intake-space-xs);
  }
  .heading > .title + .language {
    margin-inline-start: auto;
  }
  /* On the view's own surface, a field's border (3:1 against it), not the header's white one. */
  .heading .language-select {
    border-color: var(--intake-language-picker-border-color, var(--intake-color-border-strong));
    background: var(--intake-language-picker-background, var(--intake-color-surface));
  }
`;
