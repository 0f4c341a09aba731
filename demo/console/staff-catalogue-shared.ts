/**
 * Pieces every catalogue editor uses: the path of a value inside an entry (as the server writes it
 * in a 422's `fields`), an input's id from that path, an error under the input that caused it, and
 * the per-locale text inputs (zh-CN required, en, then zh-HK and ug).
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { CatalogueFile, SiteEntry } from '../server/catalogue/catalogue-file.js';
import { t } from './i18n.js';

export type Key = string | number;
export type TextMap = Record<string, string>;

/** `fields[1].labels.zh-CN` — the same spelling as the server's (catalogue/json-positions.ts pathOf). */
export function pathOf(keys: readonly Key[]): string {
  let out = '';
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** An element id for the input of `path` (unique within one form). */
export const inputId = (path: string) => `in-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
export const errorId = (path: string) => `err-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/**
 * A path in words for the error summary: `fields[4].options[0].labels.zh-CN` →
 * "字段 5 › 选项 1 › 选项文字 › 简体中文". Unknown parts are shown as they are.
 */
export function pathLabel(path: string): string {
  const parts: string[] = [];
  const tokens = [...path.matchAll(/([A-Za-z_][\w-]*)(?:\[(\d+)\])?|\[(\d+)\]/g)];
  for (const m of tokens) {
    const key = m[1];
    const index = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? Number(m[3]) : null;
    if (key && index !== null) {
      if (key === 'fields') parts.push(t('catalogue:fields.number', { n: index + 1 }));
      else if (key === 'options') parts.push(t('catalogue:options.number', { n: index + 1 }));
      else if (key === 'officeHours') parts.push(t('catalogue:hours.slot', { n: index + 1 }));
      else parts.push(`${key}[${index}]`);
      continue;
    }
    if (!key) continue;
    parts.push(keyLabel(key) ?? key);
  }
  return parts.join(' › ') || path;
}

function keyLabel(key: string): string | undefined {
  switch (key) {
    case 'id': return t('catalogue:form.id');
    case 'names': return t('catalogue:form.name');
    case 'phone': return t('catalogue:form.phone');
    case 'parent': return t('catalogue:site.parent');
    case 'level': return t('catalogue:site.level');
    case 'timezone': return t('catalogue:site.timezone');
    case 'referencePrefix': return t('catalogue:site.referencePrefix');
    case 'replyHours': return t('catalogue:site.replyHours');
    case 'officeHours': return t('catalogue:hours.title');
    case 'opens': return t('catalogue:hours.opens');
    case 'closes': return t('catalogue:hours.closes');
    case 'days': return t('catalogue:hours.days');
    case 'dispatch': return t('catalogue:department.dispatch');
    case 'department': return t('catalogue:service.department');
    case 'group': return t('catalogue:service.group');
    case 'descriptions': return t('catalogue:service.description');
    case 'kinds': return t('catalogue:service.kinds');
    case 'keywords': return t('catalogue:service.keywords');
    case 'fields': return t('catalogue:fields.titlePlain');
    case 'type': return t('catalogue:fields.type');
    case 'labels': return t('catalogue:fields.label');
    case 'hints': return t('catalogue:fields.hints');
    case 'options': return t('catalogue:options.title');
    case 'value': return t('catalogue:options.value');
    case 'questions': return t('catalogue:answer.question');
    case 'answers': return t('catalogue:answer.answer');
    case 'service': return t('catalogue:answer.service');
    case 'url': return t('catalogue:answer.url');
    case 'version': return t('catalogue:privacy.version');
    case 'texts': return t('catalogue:privacy.texts');
    case 'zh-CN': return t('catalogue:locale.zh-CN');
    case 'en': return t('catalogue:locale.en');
    case 'zh-HK': return t('catalogue:locale.zh-HK');
    case 'ug': return t('catalogue:locale.ug');
    default: return undefined;
  }
}

/** What an editor gets from the catalogue view. */
export interface EditorContext {
  /** The whole catalogue as last loaded (other entries: departments to choose, sites above …). */
  file: CatalogueFile;
  /** Server (or local) problems by path inside the entry: `names.zh-CN` → "is empty". */
  errors: ReadonlyMap<string, string>;
  /** A new entry: its id can still be chosen. */
  isNew: boolean;
  /** Call after changing the draft in place. */
  changed(): void;
}

/** The locales a text can be written in: zh-CN always, the others when the city writes them. */
export const TEXT_LOCALES = ['zh-CN', 'en', 'zh-HK', 'ug'] as const;
export type TextLocale = (typeof TEXT_LOCALES)[number];

export function localeName(locale: TextLocale): string {
  switch (locale) {
    case 'zh-CN': return t('catalogue:locale.zh-CN');
    case 'en': return t('catalogue:locale.en');
    case 'zh-HK': return t('catalogue:locale.zh-HK');
    case 'ug': return t('catalogue:locale.ug');
  }
}

/** A name to show in lists: the console's language if written, else zh-CN. */
export function shown(texts: TextMap | undefined, lang: string): string {
  if (!texts) return '';
  return texts[lang] || texts['zh-CN'] || Object.values(texts)[0] || '';
}

/** aria-invalid and aria-describedby for the input of `path`, and the error under it. */
export function invalid(ctx: EditorContext, path: string) {
  return ctx.errors.has(path) ? 'true' : 'false';
}

export function errorAt(ctx: EditorContext, path: string): TemplateResult | typeof nothing {
  const message = ctx.errors.get(path);
  return message ? html`<p class="field-error" id=${errorId(path)}>${message}</p>` : nothing;
}

export const describedBy = (ctx: EditorContext, path: string, hint?: string) =>
  [ctx.errors.has(path) ? errorId(path) : '', hint ?? ''].filter(Boolean).join(' ') || nothing;

export interface TextsOptions {
  label: string;
  /** Path of the texts object in the entry (`names`, `fields[2].labels`). */
  path: string;
  multiline?: boolean;
  /** Rows of a multiline text (3 unless said). */
  rows?: number;
  max: number;
  /** The zh-CN text may be left empty (optional texts: hints, keywords). */
  optional?: boolean;
  hint?: string;
}

/**
 * One text in each locale: zh-CN (required unless optional) and en shown, zh-HK and ug folded
 * away until written in (or wrong). An emptied locale is removed, so the server never sees "".
 */
export function textsInput(ctx: EditorContext, holder: Record<string, unknown>, key: string, opts: TextsOptions): TemplateResult {
  const current = (holder[key] as TextMap | undefined) ?? {};
  const set = (locale: TextLocale, value: string) => {
    const next: TextMap = { ...((holder[key] as TextMap | undefined) ?? {}) };
    if (value === '' && (locale !== 'zh-CN' || opts.optional)) delete next[locale];
    else next[locale] = value;
    if (opts.optional && !Object.keys(next).length) delete holder[key];
    else holder[key] = next;
    ctx.changed();
  };
  const one = (locale: TextLocale) => {
    const path = `${opts.path}.${locale}`;
    const id = inputId(path);
    const required = locale === 'zh-CN' && !opts.optional;
    const dir = locale === 'ug' ? 'rtl' : 'auto';
    const common = {
      value: current[locale] ?? '',
      onInput: (e: Event) => set(locale, (e.target as HTMLInputElement | HTMLTextAreaElement).value),
    };
    return html`<div class="locale-row">
      <label for=${id}>${localeName(locale)}${required ? html` <span class="req">${t('catalogue:form.required')}</span>` : nothing}</label>
      ${opts.multiline
        ? html`<textarea id=${id} lang=${locale} dir=${dir} rows=${opts.rows ?? 3} maxlength=${opts.max} ?required=${required}
            aria-invalid=${invalid(ctx, path)} aria-describedby=${describedBy(ctx, path)}
            .value=${common.value} @input=${common.onInput}></textarea>`
        : html`<input id=${id} lang=${locale} dir=${dir} maxlength=${opts.max} ?required=${required}
            aria-invalid=${invalid(ctx, path)} aria-describedby=${describedBy(ctx, path)}
            .value=${common.value} @input=${common.onInput} />`}
      ${errorAt(ctx, path)}
    </div>`;
  };
  const more = ['zh-HK', 'ug'] as const;
  const open = more.some((l) => current[l] || ctx.errors.has(`${opts.path}.${l}`));
  const hintId = opts.hint ? `${inputId(opts.path)}-hint` : '';
  return html`<fieldset class="texts" aria-describedby=${hintId || nothing}>
    <legend>${opts.label}</legend>
    ${opts.hint ? html`<p class="hint" id=${hintId}>${opts.hint}</p>` : nothing}
    ${errorAt(ctx, opts.path)}
    <div class="locales">${one('zh-CN')}${one('en')}</div>
    <details ?open=${open}>
      <summary>${t('catalogue:form.moreLocales')}</summary>
      <div class="locales">${more.map(one)}</div>
    </details>
  </fieldset>`;
}

/** A plain input bound to `holder[key]`; empty means "left out" unless `keepEmpty`. */
export function textInput(
  ctx: EditorContext,
  holder: Record<string, unknown>,
  key: string,
  opts: { label: string; path: string; required?: boolean; max?: number; hint?: string; type?: string; readonly?: boolean; nullable?: boolean; keepEmpty?: boolean; inputmode?: string; pattern?: string },
): TemplateResult {
  const id = inputId(opts.path);
  const hintId = opts.hint ? `${id}-hint` : undefined;
  const value = holder[key];
  return html`<div class="field">
    <label for=${id}>${opts.label}${opts.required ? html` <span class="req">${t('catalogue:form.required')}</span>` : nothing}</label>
    <input id=${id} type=${opts.type ?? 'text'} maxlength=${opts.max ?? nothing} ?required=${!!opts.required} ?readonly=${!!opts.readonly}
      spellcheck="false" inputmode=${opts.inputmode ?? nothing}
      aria-invalid=${invalid(ctx, opts.path)} aria-describedby=${describedBy(ctx, opts.path, hintId)}
      .value=${value === undefined || value === null ? '' : String(value)}
      @input=${(e: Event) => {
        const text = (e.target as HTMLInputElement).value;
        if (text === '' && !opts.keepEmpty) {
          if (opts.nullable) holder[key] = null;
          else delete holder[key];
        } else holder[key] = text;
        ctx.changed();
      }} />
    ${opts.hint ? html`<p class="hint" id=${hintId}>${opts.hint}</p>` : nothing}
    ${errorAt(ctx, opts.path)}
  </div>`;
}

/** A whole number bound to `holder[key]` (left out when emptied, unless required). */
export function numberInput(
  ctx: EditorContext,
  holder: Record<string, unknown>,
  key: string,
  opts: { label: string; path: string; required?: boolean; min?: number; max?: number; hint?: string },
): TemplateResult {
  const id = inputId(opts.path);
  const hintId = opts.hint ? `${id}-hint` : undefined;
  const value = holder[key];
  return html`<div class="field">
    <label for=${id}>${opts.label}${opts.required ? html` <span class="req">${t('catalogue:form.required')}</span>` : nothing}</label>
    <input id=${id} type="number" inputmode="numeric" step="1" min=${opts.min ?? nothing} max=${opts.max ?? nothing} ?required=${!!opts.required}
      aria-invalid=${invalid(ctx, opts.path)} aria-describedby=${describedBy(ctx, opts.path, hintId)}
      .value=${typeof value === 'number' || typeof value === 'string' ? String(value) : ''}
      @input=${(e: Event) => {
        const text = (e.target as HTMLInputElement).value;
        if (text === '') delete holder[key];
        else holder[key] = Number(text);
        ctx.changed();
      }} />
    ${opts.hint ? html`<p class="hint" id=${hintId}>${opts.hint}</p>` : nothing}
    ${errorAt(ctx, opts.path)}
  </div>`;
}

export function checkbox(ctx: EditorContext, holder: Record<string, unknown>, key: string, opts: { label: string; path: string; hint?: string; trueOnly?: boolean }): TemplateResult {
  const id = inputId(opts.path);
  const hintId = opts.hint ? `${id}-hint` : undefined;
  return html`<div class="check">
    <input id=${id} type="checkbox" .checked=${holder[key] === true}
      aria-invalid=${invalid(ctx, opts.path)} aria-describedby=${describedBy(ctx, opts.path, hintId)}
      @change=${(e: Event) => {
        const on = (e.target as HTMLInputElement).checked;
        if (on) holder[key] = true;
        else if (opts.trueOnly) delete holder[key];
        else holder[key] = false;
        ctx.changed();
      }} />
    <label for=${id}>${opts.label}</label>
    ${opts.hint ? html`<p class="hint" id=${hintId}>${opts.hint}</p>` : nothing}
    ${errorAt(ctx, opts.path)}
  </div>`;
}

/** A choice among `options`; `''` (when `empty` is given) means "none" and is stored as `emptyValue`. */
export function selectInput(
  ctx: EditorContext,
  holder: Record<string, unknown>,
  key: string,
  opts: { label: string; path: string; options: { value: string; label: string }[]; required?: boolean; empty?: string; emptyValue?: null | undefined; hint?: string },
): TemplateResult {
  const id = inputId(opts.path);
  const hintId = opts.hint ? `${id}-hint` : undefined;
  const value = (holder[key] as string | null | undefined) ?? '';
  return html`<div class="field">
    <label for=${id}>${opts.label}${opts.required ? html` <span class="req">${t('catalogue:form.required')}</span>` : nothing}</label>
    <select id=${id} ?required=${!!opts.required} aria-invalid=${invalid(ctx, opts.path)} aria-describedby=${describedBy(ctx, opts.path, hintId)}
      @change=${(e: Event) => {
        const next = (e.target as HTMLSelectElement).value;
        if (next === '') {
          if (opts.emptyValue === null) holder[key] = null;
          else delete holder[key];
        } else holder[key] = next;
        ctx.changed();
      }}>
      ${opts.empty !== undefined ? html`<option value="" ?selected=${value === ''}>${opts.empty}</option>` : nothing}
      ${opts.options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.label}</option>`)}
    </select>
    ${opts.hint ? html`<p class="hint" id=${hintId}>${opts.hint}</p>` : nothing}
    ${errorAt(ctx, opts.path)}
  </div>`;
}

/** Sites in tree order (each after its parent), with their depth. */
export function siteTree(sites: readonly SiteEntry[]): { site: SiteEntry; depth: number }[] {
  const children = new Map<string | null, SiteEntry[]>();
  const ids = new Set(sites.map((s) => s.id));
  for (const s of sites) {
    const parent = s.parent !== null && ids.has(s.parent) ? s.parent : null;
    (children.get(parent) ?? children.set(parent, []).get(parent)!).push(s);
  }
  const out: { site: SiteEntry; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const s of children.get(parent) ?? []) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      out.push({ site: s, depth });
      walk(s.id, depth + 1);
    }
  };
  walk(null, 0);
  // A site in a loop of parents is never reached from the top: list it anyway, at the top.
  for (const s of sites) if (!seen.has(s.id)) out.push({ site: s, depth: 0 });
  return out;
}

/** The site and its parents, nearest first. */
export function siteChain(sites: readonly SiteEntry[], id: string): SiteEntry[] {
  const byId = new Map(sites.map((s) => [s.id, s]));
  const chain: SiteEntry[] = [];
  for (let next: string | null = id; next && chain.length < 20; next = byId.get(next)?.parent ?? null) {
    const site = byId.get(next);
    if (!site || chain.includes(site)) break;
    chain.push(site);
  }
  return chain;
}

/** Styles of the catalogue forms (shared by the view and its editors). */
export const formStyles = css`
  .entry { display: grid; gap: 1em; padding: 1em 1.2em 2em; max-width: 60em; }
  .field, .locale-row { display: grid; gap: 0.2em; min-width: 0; align-content: start; }
  input[readonly] { background: var(--c-bg); color: var(--c-muted); }
  .field input, .field select, .locale-row input, .locale-row textarea { width: 100%; }
  .field input[type='number'] { max-width: 12em; }
  .check { display: flex; gap: 0.5em; align-items: center; flex-wrap: wrap; }
  .check input { width: 1.25em; height: 1.25em; min-height: 0; margin: 0; }
  .check label { font-weight: 400; font-size: 1em; }
  .check .hint, .check .field-error { flex-basis: 100%; }
  fieldset { border: 1px solid var(--c-border); border-radius: 8px; margin: 0; padding: 0.6em 0.9em 0.9em; display: grid; gap: 0.6em; min-width: 0; }
  legend { font-weight: 700; padding: 0 0.3em; }
  fieldset.texts { gap: 0.5em; }
  .locales { display: grid; gap: 0.5em 0.8em; grid-template-columns: repeat(auto-fit, minmax(15em, 1fr)); }
  details > summary { cursor: pointer; color: var(--c-primary); font-size: 0.9em; padding: 0.2em 0; min-height: 1.6em; }
  details[open] > summary { margin-bottom: 0.4em; }
  details { display: grid; gap: 0.5em; }
  .req { color: var(--c-danger); font-weight: 400; font-size: 0.85em; }
  .hint { font-size: 0.85em; color: var(--c-muted); font-weight: 400; }
  .field-error { color: var(--c-danger); font-size: 0.88em; font-weight: 600; }
  [aria-invalid='true'] { border-color: var(--c-danger); box-shadow: 0 0 0 1px var(--c-danger); }
  .row2 { display: grid; gap: 0.8em; grid-template-columns: repeat(auto-fit, minmax(14em, 1fr)); }
  .tools { display: flex; gap: 0.4em; flex-wrap: wrap; align-items: center; }
  .tools button { font-size: 0.88em; }
  .card-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.8em; }
  .item-card { border: 1px solid var(--c-border); border-radius: 8px; padding: 0.7em 0.9em; display: grid; gap: 0.6em; background: #fbfcfd; }
  .item-card > details > summary { color: var(--c-text); font-size: 1em; min-height: 2em; display: list-item; }
  .item-card > details[open] > summary { margin-bottom: 0.6em; }
  .item-card > details { gap: 0.8em; }
  .days { display: flex; flex-wrap: wrap; gap: 0.3em 0.9em; }
  .days label { font-weight: 400; font-size: 0.95em; display: inline-flex; gap: 0.3em; align-items: center; min-height: 1.8em; }
  .days input { width: 1.15em; height: 1.15em; min-height: 0; margin: 0; }
  .warn { background: #fff4d6; border: 1px solid #e0b44a; border-radius: 6px; padding: 0.6em 0.8em; }
  .option-row { display: grid; gap: 0.5em; grid-template-columns: minmax(8em, 12em) minmax(0, 1fr) auto; align-items: end; }
  @media (max-width: 599.98px) { .option-row { grid-template-columns: minmax(0, 1fr); } }
`;

/**
 * The server's words for a problem (catalogue-file.ts, in English) in the console's language: the
 * common ones are translated, with their values; anything else is shown as the server wrote it.
 */
export function problemMessage(message: string): string {
  const exact: Record<string, () => string> = {
    'is empty': () => t('catalogue:problem.empty'),
    'is missing': () => t('catalogue:problem.missing'),
    'the zh-CN text is missing': () => t('catalogue:problem.zhMissing'),
    'a choice needs at least one option': () => t('catalogue:problem.noOption'),
    'name at least one weekday': () => t('catalogue:problem.noDay'),
    'name at least one kind': () => t('catalogue:problem.noKind'),
    'closes before it opens': () => t('catalogue:problem.closesFirst'),
    'min is above max': () => t('catalogue:problem.minMax'),
    'minLength is above maxLength': () => t('catalogue:problem.minMaxLength'),
    'is not a URL': () => t('catalogue:problem.url'),
  };
  if (exact[message]) return exact[message]();
  let m: RegExpExecArray | null;
  const bare = (v: string | undefined) => (v ?? '').replace(/^"|"$/g, '');
  if ((m = /^(.*) is not an id: /.exec(message))) return t('catalogue:problem.id', { value: bare(m[1]) });
  if ((m = /^(.*) is not a field id: /.exec(message))) return t('catalogue:problem.fieldId', { value: bare(m[1]) });
  if ((m = /^(.*) is not an option value: /.exec(message))) return t('catalogue:problem.optionValue', { value: bare(m[1]) });
  if ((m = /^(.*) is not a time of day /.exec(message))) return t('catalogue:problem.time', { value: bare(m[1]) });
  if ((m = /^unknown (site|department|service) "(.*)"$/.exec(message))) {
    const value = m[2];
    return m[1] === 'site' ? t('catalogue:problem.unknownSite', { value }) : m[1] === 'department' ? t('catalogue:problem.unknownDepartment', { value }) : t('catalogue:problem.unknownService', { value });
  }
  if ((m = /^longer than (\d+) characters/.exec(message))) return t('catalogue:problem.tooLong', { max: m[1] });
  return message;
}
