/**
 * The forms of one catalogue entry: a site (with its office hours and reply promise), a
 * department, a service (with its form fields), an instant answer and the privacy notice. Each
 * renders into the catalogue view and changes the draft it is given in place.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { FieldType } from '../../src/client/protocol.js';
import type { AnswerEntry, DepartmentEntry, FieldEntry, OfficeHours, Privacy, ServiceEntry, SiteEntry } from '../server/catalogue/catalogue-file.js';
import { language, t } from './i18n.js';
import {
  checkbox,
  errorAt,
  inputId,
  numberInput,
  pathOf,
  selectInput,
  shown,
  siteChain,
  textInput,
  textsInput,
  type EditorContext,
  type TextMap,
} from './staff-catalogue-shared.js';

type Loose = Record<string, unknown>;
const loose = (x: object) => x as Loose;

const LEVELS = ['district', 'street', 'community'] as const;
export function levelName(level: string): string {
  return level === 'district' ? t('catalogue:level.district') : level === 'street' ? t('catalogue:level.street') : t('catalogue:level.community');
}

const DAY_KEYS = ['catalogue:day.1', 'catalogue:day.2', 'catalogue:day.3', 'catalogue:day.4', 'catalogue:day.5', 'catalogue:day.6', 'catalogue:day.7'];

const FIELD_TYPE_KEYS: Record<FieldType, string> = {
  text: 'catalogue:fieldType.text',
  textarea: 'catalogue:fieldType.textarea',
  number: 'catalogue:fieldType.number',
  date: 'catalogue:fieldType.date',
  datetime: 'catalogue:fieldType.datetime',
  single: 'catalogue:fieldType.single',
  multi: 'catalogue:fieldType.multi',
  location: 'catalogue:fieldType.location',
  file: 'catalogue:fieldType.file',
  phone: 'catalogue:fieldType.phone',
  email: 'catalogue:fieldType.email',
};
export const fieldTypeName = (type: FieldType) => t(FIELD_TYPE_KEYS[type]);

const KINDS = ['consultation', 'help', 'complaint', 'suggestion'] as const;

/** "16 working hours = 2 working days". */
export function promiseText(hours: number | undefined, roundTheClock = false): string {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) return '';
  if (roundTheClock || hours < 8 || !Number.isInteger(hours / 8)) return t('catalogue:promise.hours', { count: hours });
  return t('catalogue:promise.days', { count: hours / 8 });
}

function idInput(ctx: EditorContext, entry: Loose, hint: string): TemplateResult {
  return textInput(ctx, entry, 'id', { label: t('catalogue:form.id'), path: 'id', required: true, max: 120, readonly: !ctx.isNew, hint: ctx.isNew ? hint : t('catalogue:form.idFixed'), keepEmpty: true });
}

/* ------------------------------------------------------------------------------------- sites */

export function siteForm(ctx: EditorContext, site: SiteEntry): TemplateResult {
  const lang = language();
  const s = loose(site);
  // A site cannot be put under itself or under one of the sites below it.
  const below = (id: string) => siteChain(ctx.file.sites, id).some((p) => p.id === site.id);
  const parents = ctx.file.sites.filter((p) => p.id !== site.id && !below(p.id));
  return html`
    ${idInput(ctx, s, t('catalogue:site.idHint'))}
    ${textsInput(ctx, s, 'names', { label: t('catalogue:form.name'), path: 'names', max: 200 })}
    <div class="row2">
      ${selectInput(ctx, s, 'level', { label: t('catalogue:site.level'), path: 'level', required: true, options: LEVELS.map((l) => ({ value: l, label: levelName(l) })) })}
      ${selectInput(ctx, s, 'parent', {
        label: t('catalogue:site.parent'), path: 'parent', empty: t('catalogue:site.noParent'), emptyValue: null,
        options: parents.map((p) => ({ value: p.id, label: `${shown(p.names, lang)} (${levelName(p.level)})` })),
      })}
    </div>
    <div class="row2">
      ${textInput(ctx, s, 'phone', { label: t('catalogue:form.phone'), path: 'phone', max: 40, type: 'tel', nullable: true })}
      ${textInput(ctx, s, 'timezone', { label: t('catalogue:site.timezone'), path: 'timezone', max: 60, hint: t('catalogue:site.timezoneHint', { zone: ctx.file.settings?.timezone ?? 'Asia/Shanghai' }) })}
      ${textInput(ctx, s, 'referencePrefix', { label: t('catalogue:site.referencePrefix'), path: 'referencePrefix', max: 8, hint: t('catalogue:site.referencePrefixHint', { prefix: ctx.file.settings?.referencePrefix ?? 'RS' }) })}
    </div>
    <fieldset>
      <legend>${t('catalogue:site.promise')}</legend>
      ${numberInput(ctx, s, 'replyHours', {
        label: t('catalogue:site.replyHours'), path: 'replyHours', required: true, min: 1, max: 2160,
        hint: [t('catalogue:site.replyHoursHint'), promiseText(site.replyHours)].filter(Boolean).join(' '),
      })}
    </fieldset>
    ${officeHoursEditor(ctx, site)}
  `;
}

function officeHoursEditor(ctx: EditorContext, site: SiteEntry): TemplateResult {
  const hours = site.officeHours;
  const add = () => {
    hours.push({ days: [1, 2, 3, 4, 5], opens: '08:30', closes: '17:30' });
    ctx.changed();
  };
  const time = (h: OfficeHours, i: number, key: 'opens' | 'closes', label: string) => {
    const path = pathOf(['officeHours', i, key]);
    return html`<div class="field">
      <label for=${inputId(path)}>${label}</label>
      <input id=${inputId(path)} type="time" required .value=${h[key]} aria-invalid=${ctx.errors.has(path) ? 'true' : 'false'}
        @input=${(e: Event) => {
          h[key] = (e.target as HTMLInputElement).value;
          ctx.changed();
        }} />
      ${errorAt(ctx, path)}
    </div>`;
  };
  return html`<fieldset>
    <legend>${t('catalogue:hours.title')}</legend>
    <p class="hint">${t('catalogue:hours.hint')}</p>
    ${errorAt(ctx, 'officeHours')}
    ${hours.length ? nothing : html`<p class="muted">${t('catalogue:hours.none')}</p>`}
    <ol class="card-list">
      ${hours.map((h, i) => {
        const daysPath = pathOf(['officeHours', i, 'days']);
        return html`<li class="item-card">
          <fieldset>
            <legend>${t('catalogue:hours.slot', { n: i + 1 })}</legend>
            <div class="days" role="group" aria-label=${t('catalogue:hours.days')}>
              ${DAY_KEYS.map((key, d) => html`<label><input type="checkbox" .checked=${h.days.includes(d + 1)}
                  @change=${(e: Event) => {
                    const on = (e.target as HTMLInputElement).checked;
                    h.days = on ? [...new Set([...h.days, d + 1])].sort() : h.days.filter((x) => x !== d + 1);
                    ctx.changed();
                  }} />${t(key)}</label>`)}
            </div>
            ${errorAt(ctx, daysPath)}
            ${errorAt(ctx, pathOf(['officeHours', i]))}
            <div class="row2">
              ${time(h, i, 'opens', t('catalogue:hours.opens'))}
              ${time(h, i, 'closes', t('catalogue:hours.closes'))}
            </div>
            <div class="tools">
              <button type="button" class="danger" aria-label=${t('catalogue:hours.removeLabel', { n: i + 1 })}
                @click=${() => {
                  hours.splice(i, 1);
                  ctx.changed();
                }}>${t('catalogue:form.remove')}</button>
            </div>
          </fieldset>
        </li>`;
      })}
    </ol>
    <div class="tools"><button type="button" class="secondary" @click=${add}>${t('catalogue:hours.add')}</button></div>
  </fieldset>`;
}

/* ------------------------------------------------------------------------------- departments */

export function departmentForm(ctx: EditorContext, dept: DepartmentEntry): TemplateResult {
  const d = loose(dept);
  return html`
    ${idInput(ctx, d, t('catalogue:department.idHint'))}
    ${textsInput(ctx, d, 'names', { label: t('catalogue:form.name'), path: 'names', max: 200 })}
    ${textInput(ctx, d, 'phone', { label: t('catalogue:form.phone'), path: 'phone', max: 40, type: 'tel', nullable: true })}
    ${checkbox(ctx, d, 'dispatch', { label: t('catalogue:department.dispatch'), path: 'dispatch', hint: t('catalogue:department.dispatchHint'), trueOnly: true })}
  `;
}

/* ---------------------------------------------------------------------------------- services */

export function serviceForm(ctx: EditorContext, service: ServiceEntry): TemplateResult {
  const lang = language();
  const s = loose(service);
  const keywords = (locale: 'zh-CN' | 'en' | 'zh-HK' | 'ug', label: string) => {
    const path = pathOf(['keywords', locale]);
    const id = inputId(path);
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input id=${id} lang=${locale} dir=${locale === 'ug' ? 'rtl' : 'auto'} aria-describedby=${`${id}-hint`}
        aria-invalid=${ctx.errors.has(path) ? 'true' : 'false'}
        .value=${(service.keywords[locale] ?? []).join(locale.startsWith('zh') ? '、' : ', ')}
        @change=${(e: Event) => {
          const words = (e.target as HTMLInputElement).value.split(/[,，、;；\n]+/).map((w) => w.trim()).filter(Boolean);
          if (words.length) service.keywords[locale] = words;
          else delete service.keywords[locale];
          ctx.changed();
        }} />
      <p class="hint" id=${`${id}-hint`}>${t('catalogue:service.keywordsHint')}</p>
      ${errorAt(ctx, path)}
    </div>`;
  };
  return html`
    ${idInput(ctx, s, t('catalogue:service.idHint'))}
    ${textsInput(ctx, s, 'names', { label: t('catalogue:form.name'), path: 'names', max: 200 })}
    ${textsInput(ctx, s, 'group', { label: t('catalogue:service.group'), path: 'group', max: 200, hint: t('catalogue:service.groupHint') })}
    ${textsInput(ctx, s, 'descriptions', { label: t('catalogue:service.description'), path: 'descriptions', max: 1000, multiline: true })}
    ${selectInput(ctx, s, 'department', {
      label: t('catalogue:service.department'), path: 'department', required: true, hint: t('catalogue:service.departmentHint'),
      options: ctx.file.departments.map((d) => ({ value: d.id, label: shown(d.names, lang) })),
    })}
    <fieldset>
      <legend>${t('catalogue:service.kinds')}</legend>
      <div class="days">
        ${KINDS.map((k) => html`<label><input type="checkbox" .checked=${service.kinds.includes(k)}
            @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              service.kinds = on ? KINDS.filter((x) => x === k || service.kinds.includes(x)) : service.kinds.filter((x) => x !== k);
              ctx.changed();
            }} />${t(`common:kind.${k}`)}</label>`)}
      </div>
      ${errorAt(ctx, 'kinds')}
    </fieldset>
    <fieldset>
      <legend>${t('catalogue:service.keywords')}</legend>
      ${errorAt(ctx, 'keywords')}
      <div class="row2">${keywords('zh-CN', t('catalogue:locale.zh-CN'))}${keywords('en', t('catalogue:locale.en'))}</div>
    </fieldset>
    <fieldset>
      <legend>${t('catalogue:service.promise')}</legend>
      ${numberInput(ctx, s, 'replyHours', { label: t('catalogue:service.replyHours'), path: 'replyHours', min: 1, max: 2160,
        hint: [t('catalogue:service.replyHoursHint'), promiseText(service.replyHours, service.roundTheClock)].filter(Boolean).join(' ') })}
      ${checkbox(ctx, s, 'roundTheClock', { label: t('catalogue:service.roundTheClock'), path: 'roundTheClock', trueOnly: true })}
    </fieldset>
    ${fieldsEditor(ctx, service)}
  `;
}

function fieldsEditor(ctx: EditorContext, service: ServiceEntry): TemplateResult {
  const fields = service.fields;
  const lang = language();
  const move = (from: number, to: number, focusSelector: string, event: Event) => {
    const root = (event.currentTarget as Element).getRootNode() as Document | ShadowRoot;
    if (to < 0 || to >= fields.length) return;
    const [f] = fields.splice(from, 1);
    fields.splice(to, 0, f!);
    ctx.changed();
    // Keep the keyboard on the field that moved, at its new place (once it is drawn there).
    setTimeout(() => {
      const target = root.querySelector<HTMLElement>(`[data-field-index="${to}"] ${focusSelector}`);
      (target && !(target as HTMLButtonElement).disabled ? target : root.querySelector<HTMLElement>(`[data-field-index="${to}"] summary`))?.focus();
    }, 0);
  };
  const add = (event: Event) => {
    const root = (event.currentTarget as Element).getRootNode() as Document | ShadowRoot;
    let n = fields.length + 1;
    while (fields.some((f) => f.id === `field_${n}`)) n++;
    const field: FieldEntry = { id: `field_${n}`, type: 'text', labels: { 'zh-CN': '' } };
    openFields.add(field);
    fields.push(field);
    ctx.changed();
    setTimeout(() => {
      root.querySelector<HTMLElement>(`#${inputId(pathOf(['fields', fields.length - 1, 'labels', 'zh-CN']))}`)?.focus();
    }, 0);
  };
  return html`<fieldset>
    <legend>${t('catalogue:fields.title', { count: fields.length })}</legend>
    <p class="hint">${t('catalogue:fields.hint')}</p>
    ${errorAt(ctx, 'fields')}
    <ol class="card-list">
      ${repeat(fields, (f) => keyOf(f), (f, i) => {
        const name = shown(f.labels, lang) || f.id;
        const wrong = [...ctx.errors.keys()].some((p) => p.startsWith(`fields[${i}]`));
        return html`<li class="item-card" data-field-index=${i}>
          <details ?open=${openFields.has(f) || wrong} @toggle=${(e: Event) => {
            if ((e.target as HTMLDetailsElement).open) openFields.add(f);
            else openFields.delete(f);
          }}>
            <summary><strong>${t('catalogue:fields.number', { n: i + 1 })}</strong> ${name} · ${fieldTypeName(f.type)}${f.required ? ` · ${t('catalogue:fields.required')}` : ''}</summary>
            ${fieldEditor(ctx, f, i)}
          </details>
          <div class="tools">
            <button type="button" class="secondary" data-move="up" ?disabled=${i === 0} aria-label=${t('catalogue:fields.upLabel', { name })}
              @click=${(e: Event) => move(i, i - 1, '[data-move="up"]', e)}>${t('catalogue:fields.up')}</button>
            <button type="button" class="secondary" data-move="down" ?disabled=${i === fields.length - 1} aria-label=${t('catalogue:fields.downLabel', { name })}
              @click=${(e: Event) => move(i, i + 1, '[data-move="down"]', e)}>${t('catalogue:fields.down')}</button>
            <button type="button" class="danger" aria-label=${t('catalogue:fields.removeLabel', { name })}
              @click=${() => {
                fields.splice(i, 1);
                ctx.changed();
              }}>${t('catalogue:form.remove')}</button>
          </div>
        </li>`;
      })}
    </ol>
    <div class="tools"><button type="button" class="secondary" @click=${add}>${t('catalogue:fields.add')}</button></div>
  </fieldset>`;
}

/** Fields whose editor is unfolded (by object: they keep it when moved). */
const openFields = new WeakSet<object>();
const keys = new WeakMap<object, number>();
let nextKey = 0;
const keyOf = (x: object) => keys.get(x) ?? (keys.set(x, ++nextKey), nextKey);

const TYPES: FieldType[] = ['text', 'textarea', 'number', 'date', 'datetime', 'single', 'multi', 'location', 'file', 'phone', 'email'];

function fieldEditor(ctx: EditorContext, field: FieldEntry, i: number): TemplateResult {
  const f = loose(field);
  const p = (...keys: (string | number)[]) => pathOf(['fields', i, ...keys]);
  const setType = (type: FieldType) => {
    field.type = type;
    // Keep what still applies; options only on choices (one empty option to start), files only on files.
    if (type === 'single' || type === 'multi') field.options ??= [{ value: 'option_1', labels: { 'zh-CN': '' } }];
    else delete field.options;
    if (type !== 'file') delete field.maxFiles;
    if (type !== 'text' && type !== 'textarea') {
      delete field.minLength;
      delete field.maxLength;
    }
    if (type !== 'number' && type !== 'date') {
      delete field.min;
      delete field.max;
    }
    ctx.changed();
  };
  const typeId = inputId(p('type'));
  const bound = (key: 'min' | 'max', label: string) => {
    const path = p(key);
    const id = inputId(path);
    const date = field.type === 'date';
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input id=${id} type=${date ? 'date' : 'number'} .value=${field[key] === undefined ? '' : String(field[key])}
        aria-invalid=${ctx.errors.has(path) ? 'true' : 'false'}
        @input=${(e: Event) => {
          const text = (e.target as HTMLInputElement).value;
          if (text === '') delete field[key];
          else field[key] = date ? text : Number(text);
          ctx.changed();
        }} />
      ${errorAt(ctx, path)}
    </div>`;
  };
  return html`
    ${errorAt(ctx, p())}
    <div class="row2">
      ${textInput(ctx, f, 'id', { label: t('catalogue:fields.id'), path: p('id'), required: true, max: 64, hint: t('catalogue:fields.idHint'), keepEmpty: true })}
      <div class="field">
        <label for=${typeId}>${t('catalogue:fields.type')}</label>
        <select id=${typeId} aria-invalid=${ctx.errors.has(p('type')) ? 'true' : 'false'} @change=${(e: Event) => setType((e.target as HTMLSelectElement).value as FieldType)}>
          ${TYPES.map((type) => html`<option value=${type} ?selected=${type === field.type}>${fieldTypeName(type)}</option>`)}
        </select>
        ${errorAt(ctx, p('type'))}
      </div>
    </div>
    ${checkbox(ctx, f, 'required', { label: t('catalogue:fields.required'), path: p('required'), trueOnly: true })}
    ${textsInput(ctx, f, 'labels', { label: t('catalogue:fields.label'), path: p('labels'), max: 200 })}
    ${textsInput(ctx, f, 'hints', { label: t('catalogue:fields.hints'), path: p('hints'), max: 500, optional: true })}
    ${field.type === 'single' || field.type === 'multi' ? optionsEditor(ctx, field, i) : nothing}
    ${field.type === 'number' || field.type === 'date'
      ? html`<div class="row2">${bound('min', t('catalogue:fields.min'))}${bound('max', t('catalogue:fields.max'))}</div>`
      : nothing}
    ${field.type === 'text' || field.type === 'textarea'
      ? html`<div class="row2">
          ${numberInput(ctx, f, 'minLength', { label: t('catalogue:fields.minLength'), path: p('minLength'), min: 0 })}
          ${numberInput(ctx, f, 'maxLength', { label: t('catalogue:fields.maxLength'), path: p('maxLength'), min: 1 })}
        </div>`
      : nothing}
    ${field.type === 'file' ? numberInput(ctx, f, 'maxFiles', { label: t('catalogue:fields.maxFiles'), path: p('maxFiles'), min: 1, max: 10 }) : nothing}
  `;
}

function optionsEditor(ctx: EditorContext, field: FieldEntry, i: number): TemplateResult {
  const options = (field.options ??= []);
  const lang = language();
  return html`<fieldset>
    <legend>${t('catalogue:options.title')}</legend>
    ${errorAt(ctx, pathOf(['fields', i, 'options']))}
    <ol class="card-list">
      ${options.map((o, k) => {
        const name = shown(o.labels, lang) || o.value;
        return html`<li class="item-card">
          ${textInput(ctx, loose(o), 'value', { label: t('catalogue:options.value'), path: pathOf(['fields', i, 'options', k, 'value']), required: true, max: 64, keepEmpty: true })}
          ${textsInput(ctx, loose(o), 'labels', { label: t('catalogue:options.label'), path: pathOf(['fields', i, 'options', k, 'labels']), max: 200 })}
          <div class="tools">
            <button type="button" class="secondary" ?disabled=${k === 0} aria-label=${t('catalogue:options.upLabel', { name })}
              @click=${() => {
                options.splice(k - 1, 0, ...options.splice(k, 1));
                ctx.changed();
              }}>${t('catalogue:fields.up')}</button>
            <button type="button" class="secondary" ?disabled=${k === options.length - 1} aria-label=${t('catalogue:options.downLabel', { name })}
              @click=${() => {
                options.splice(k + 1, 0, ...options.splice(k, 1));
                ctx.changed();
              }}>${t('catalogue:fields.down')}</button>
            <button type="button" class="danger" aria-label=${t('catalogue:options.removeLabel', { name })}
              @click=${() => {
                options.splice(k, 1);
                ctx.changed();
              }}>${t('catalogue:form.remove')}</button>
          </div>
        </li>`;
      })}
    </ol>
    <div class="tools"><button type="button" class="secondary" @click=${() => {
      let n = options.length + 1;
      while (options.some((o) => o.value === `option_${n}`)) n++;
      options.push({ value: `option_${n}`, labels: { 'zh-CN': '' } });
      ctx.changed();
    }}>${t('catalogue:options.add')}</button></div>
  </fieldset>`;
}

/* ----------------------------------------------------------------------------------- answers */

export function answerForm(ctx: EditorContext, answer: AnswerEntry): TemplateResult {
  const lang = language();
  const a = loose(answer);
  return html`
    ${idInput(ctx, a, t('catalogue:answer.idHint'))}
    ${textsInput(ctx, a, 'questions', { label: t('catalogue:answer.question'), path: 'questions', max: 500, hint: t('catalogue:answer.questionHint') })}
    ${textsInput(ctx, a, 'keywords', { label: t('catalogue:answer.keywords'), path: 'keywords', max: 500, optional: true, hint: t('catalogue:answer.keywordsHint') })}
    ${textsInput(ctx, a, 'answers', { label: t('catalogue:answer.answer'), path: 'answers', max: 4000, multiline: true, rows: 6, hint: t('catalogue:answer.answerHint') })}
    ${selectInput(ctx, a, 'service', {
      label: t('catalogue:answer.service'), path: 'service', empty: t('catalogue:answer.noService'), emptyValue: null, hint: t('catalogue:answer.serviceHint'),
      options: ctx.file.services.map((s) => ({ value: s.id, label: shown(s.names, lang) })),
    })}
    ${textInput(ctx, a, 'url', { label: t('catalogue:answer.url'), path: 'url', max: 500, type: 'url', hint: t('catalogue:answer.urlHint') })}
  `;
}

/* ----------------------------------------------------------------------------------- privacy */

export function privacyForm(ctx: EditorContext, privacy: Privacy, published: Privacy): TemplateResult {
  const p = loose(privacy);
  const newVersion = privacy.version !== published.version;
  const textChanged = JSON.stringify(privacy.texts) !== JSON.stringify(published.texts);
  return html`
    <p>${t('catalogue:privacy.current', { version: published.version })}</p>
    ${textInput(ctx, p, 'version', { label: t('catalogue:privacy.version'), path: 'version', required: true, max: 40, hint: t('catalogue:privacy.versionHint'), keepEmpty: true })}
    ${newVersion
      ? html`<p class="warn" role="note">${t('catalogue:privacy.newVersionWarning', { version: privacy.version })}</p>`
      : textChanged
        ? html`<p class="warn" role="note">${t('catalogue:privacy.sameVersionWarning')}</p>`
        : nothing}
    ${textsInput(ctx, p, 'texts', { label: t('catalogue:privacy.texts'), path: 'texts', max: 4000, multiline: true, rows: 8 })}
  `;
}

/** A fresh entry for "New …" (zh-CN texts empty: the server says what is missing). */
export function blankEntry(section: 'sites' | 'departments' | 'services' | 'answers', file: { departments: DepartmentEntry[]; sites: SiteEntry[] }): Loose {
  const empty = (): TextMap => ({ 'zh-CN': '' });
  switch (section) {
    case 'sites':
      return { id: '', parent: file.sites[0]?.id ?? null, level: file.sites.length ? 'street' : 'district', names: empty(), officeHours: [
        { days: [1, 2, 3, 4, 5], opens: '08:30', closes: '12:00' }, { days: [1, 2, 3, 4, 5], opens: '13:30', closes: '17:30' },
      ], replyHours: 16, phone: null };
    case 'departments':
      return { id: '', names: empty(), phone: null };
    case 'services':
      return { id: '', department: file.departments.find((d) => d.dispatch)?.id ?? file.departments[0]?.id ?? '', group: empty(), names: empty(), descriptions: empty(), kinds: ['consultation', 'help', 'complaint'], keywords: {}, fields: [] };
    case 'answers':
      return { id: '', questions: empty(), answers: empty(), service: null };
  }
}
