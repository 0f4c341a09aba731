/**
 * The city's catalogue, for administrators: sites, departments, services, routing, instant
 * answers, the privacy notice, and import/export. Each section is a searchable list beside (on a
 * phone: before) the form of one entry. An entry is saved on its own; the server's problems show
 * at the input that caused them, and nothing typed is lost — the draft is kept for the tab until
 * it is saved or discarded, and leaving it unsaved asks first.
 *
 * Routes (hash): `#/catalogue/<section>[/<id>]`, `+new` for a new entry.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AnswerEntry, CatalogueFile, DepartmentEntry, Privacy, ServiceEntry, SiteEntry } from '../server/catalogue/catalogue-file.js';
import { base } from './console-styles.js';
import { LocalizeController, language, t } from './i18n.js';
import { answerForm, blankEntry, departmentForm, levelName, privacyForm, promiseText, serviceForm, siteForm } from './staff-catalogue-editors.js';
import { catalogueErrorText } from './staff-catalogue-import.js';
import './staff-catalogue-import.js';
import { routeChanges, routesDraft, routesForm, type RoutesDraft } from './staff-catalogue-routes.js';
import { formStyles, inputId, pathLabel, problemMessage, shown, siteTree, type EditorContext } from './staff-catalogue-shared.js';
import { CatalogueApiError, type StaffClient } from './staff-client.js';

export const CATALOGUE_SECTIONS = ['sites', 'departments', 'services', 'routes', 'answers', 'privacy', 'transfer'] as const;
export type CatalogueSection = (typeof CATALOGUE_SECTIONS)[number];
type ListSection = 'sites' | 'departments' | 'services' | 'routes' | 'answers';
type EntrySection = 'sites' | 'departments' | 'services' | 'answers';

const NEW = '+new';
const DRAFT_KEY = 'intake-console.catalogue-draft';

export interface CatalogueRoute {
  section: CatalogueSection;
  id: string | null;
}

/** `#/catalogue/services/noise` → { section: 'services', id: 'noise' }; null outside the catalogue. */
export function parseCatalogueRoute(hash: string): CatalogueRoute | null {
  const match = /^#\/catalogue(?:\/([a-z]+)(?:\/(.+))?)?\/?$/.exec(hash);
  if (!match) return null;
  const section = (CATALOGUE_SECTIONS as readonly string[]).includes(match[1] ?? '') ? (match[1] as CatalogueSection) : 'sites';
  let id: string | null = null;
  try {
    id = match[2] ? decodeURIComponent(match[2]) : null;
  } catch {
    id = null;
  }
  return { section, id };
}

export const catalogueHref = (section: CatalogueSection, id?: string | null) => `#/catalogue/${section}${id ? `/${encodeURIComponent(id)}` : ''}`;

function sectionName(section: CatalogueSection): string {
  switch (section) {
    case 'sites': return t('catalogue:section.sites');
    case 'departments': return t('catalogue:section.departments');
    case 'services': return t('catalogue:section.services');
    case 'routes': return t('catalogue:section.routes');
    case 'answers': return t('catalogue:section.answers');
    case 'privacy': return t('catalogue:section.privacy');
    case 'transfer': return t('catalogue:section.transfer');
  }
}

function newLabel(section: EntrySection): string {
  switch (section) {
    case 'sites': return t('catalogue:new.sites');
    case 'departments': return t('catalogue:new.departments');
    case 'services': return t('catalogue:new.services');
    case 'answers': return t('catalogue:new.answers');
  }
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

type Draft = SiteEntry | DepartmentEntry | ServiceEntry | AnswerEntry | RoutesDraft | Privacy;

interface StoredDraft {
  key: string;
  draft: Draft;
}

@customElement('staff-catalogue')
export class StaffCatalogue extends LitElement {
  static override styles = [
    base,
    formStyles,
    css`
      :host { display: block; background: var(--c-surface); min-height: 0; }
      .head { padding: 0.8em 1.2em 0; display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.6em; border-bottom: 1px solid var(--c-border); }
      .head h2 { font-size: 1.25em; }
      nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 0.2em; }
      nav a {
        display: inline-flex; align-items: center; min-height: 2.6em; padding: 0 0.8em; white-space: nowrap;
        color: var(--c-text); text-decoration: none; border-bottom: 3px solid transparent; font-weight: 600;
      }
      nav a[aria-current='page'] { color: var(--c-primary); border-bottom-color: var(--c-primary); }
      nav a:focus-visible { outline-offset: -3px; }
      .cols { display: grid; grid-template-columns: minmax(0, 1fr); min-height: 0; }
      .list { display: flex; flex-direction: column; min-width: 0; border-inline-end: 1px solid var(--c-border); }
      .list .bar { display: grid; gap: 0.4em; padding: 0.8em 0.9em; border-bottom: 1px solid var(--c-border); }
      .list .bar input { width: 100%; }
      .list .bar .row { display: flex; gap: 0.5em; align-items: center; justify-content: space-between; }
      .list ul { list-style: none; margin: 0; padding: 0; }
      .list li a {
        display: grid; gap: 0.1em; padding: 0.5em 0.9em; color: inherit; text-decoration: none;
        border-bottom: 1px solid var(--c-border); border-inline-start: 4px solid transparent;
      }
      .list li a:hover { background: #f0f3f7; }
      .list li a[aria-current='true'] { background: var(--c-selected); border-inline-start-color: var(--c-primary); }
      .list li a:focus-visible { outline-offset: -3px; }
      .list .name { font-weight: 600; overflow-wrap: anywhere; }
      .list .sub { font-size: 0.85em; color: var(--c-muted); overflow-wrap: anywhere; }
      .list .empty { padding: 1em 0.9em; }
      .depth-1 { padding-inline-start: 1.4em !important; }
      .depth-2 { padding-inline-start: 2.6em !important; }
      .depth-3 { padding-inline-start: 3.8em !important; }
      .tree-mark { color: var(--c-muted); margin-inline-end: 0.3em; }
      .editor { min-width: 0; }
      .button-link {
        display: inline-flex; align-items: center; min-height: 2.2em; padding: 0 0.8em; border-radius: 6px;
        border: 1px solid var(--c-primary); color: var(--c-primary); font-weight: 600; text-decoration: none; font-size: 0.9em; white-space: nowrap;
      }
      .editor-head { display: grid; gap: 0.3em; padding: 1em 1.2em 0; }
      .editor-head h3 { font-size: 1.2em; }
      .editor-head h3:focus { outline: none; }
      .editor-head h3:focus-visible { outline: 3px solid var(--c-focus); }
      .back { padding: 0.7em 1.2em 0; }
      .actions {
        position: sticky; bottom: 0; display: flex; gap: 0.5em; flex-wrap: wrap; align-items: center;
        padding: 0.7em 1.2em; background: var(--c-surface); border-top: 1px solid var(--c-border);
      }
      .actions .grow { flex: 1; }
      .dirty { color: #6b4a00; font-weight: 600; font-size: 0.9em; }
      .summary { margin: 0.8em 1.2em 0; }
      .summary ul { margin: 0.3em 0 0; padding-inline-start: 1.2em; }
      .summary button { background: none; border: 0; color: var(--c-danger); text-decoration: underline; padding: 0; min-height: 0; font-weight: 600; text-align: start; }
      .notice { margin: 0.8em 1.2em 0; color: var(--c-ok); font-weight: 600; }
      .notice:empty { display: none; }
      .placeholder { padding: 2em 1.2em; color: var(--c-muted); }
      .table-wrap { overflow-x: auto; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: start; padding: 0.4em 0.6em; border-bottom: 1px solid var(--c-border); vertical-align: middle; }
      thead th { font-size: 0.85em; color: var(--c-muted); }
      tbody th { font-weight: 400; }
      tbody th label { font-weight: 600; font-size: 1em; display: block; }
      tbody td select { max-width: 100%; }
      tr.own th label { color: var(--c-primary); }
      .own-badge { background: var(--c-selected); color: var(--c-primary); margin-inline-start: 0.4em; }
      /* Phones: the list, or one entry. */
      .cols.has-entry .list, .cols:not(.has-entry) .editor { display: none; }
      .cols.single .editor { display: block; }
      @media (min-width: 800px) {
        .cols { grid-template-columns: minmax(260px, 340px) minmax(0, 1fr); }
        .cols.has-entry .list, .cols:not(.has-entry) .editor { display: flex; }
        .cols:not(.has-entry) .editor, .cols .editor { display: block; }
        .cols.single { grid-template-columns: minmax(0, 1fr); }
        .back { display: none; }
      }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;

  @state() private file?: CatalogueFile;
  @state() private loadError = '';
  @state() private route: CatalogueRoute = parseCatalogueRoute(location.hash) ?? { section: 'sites', id: null };
  @state() private draft: Draft | null = null;
  @state() private errors: ReadonlyMap<string, string> = new Map();
  @state() private generalError = '';
  @state() private notice = '';
  @state() private busy = false;
  @state() private search: Partial<Record<CatalogueSection, string>> = {};
  @query('#entry-heading') private heading?: HTMLElement;

  private original = '';
  private openedKey = '';
  private currentHash = location.hash;
  private readonly l10n = new LocalizeController(this);

  /**
   * Listened to in the capture phase, so it runs before the console's own listener (which may
   * replace this view): staying puts the address back and the console never hears of the change.
   */
  private readonly onHash = (event: Event) => {
    const next = parseCatalogueRoute(location.hash);
    const leaving = !next || this.keyOf(next) !== this.keyOf(this.route);
    if (leaving && this.dirty) {
      if (!confirm(t('catalogue:unsaved.confirm'))) {
        history.replaceState(history.state, '', this.currentHash);
        event.stopImmediatePropagation();
        return;
      }
      this.forgetDraft();
      this.draft = null;
    }
    this.currentHash = location.hash;
    if (next) this.route = next;
  };

  private readonly onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!this.dirty) return;
    event.preventDefault();
    event.returnValue = '';
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash, true);
    // A followed link fires popstate before hashchange (the console listens to both).
    window.addEventListener('popstate', this.onHash, true);
    window.addEventListener('beforeunload', this.onBeforeUnload);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash, true);
    window.removeEventListener('popstate', this.onHash, true);
    window.removeEventListener('beforeunload', this.onBeforeUnload);
  }

  /** True while the open entry differs from what was saved. */
  get dirty(): boolean {
    return !!this.draft && JSON.stringify(this.draft) !== this.original;
  }

  private keyOf(route: CatalogueRoute) {
    return `${route.section}/${route.id ?? ''}`;
  }

  protected override willUpdate(changed: PropertyValues) {
    if (changed.has('client') && this.client) void this.load();
    if ((changed.has('route') || changed.has('file')) && this.file) this.open();
  }

  /** Fetches the whole catalogue again (after a save, an import, or on first show). */
  async load() {
    if (!this.client) return;
    try {
      this.file = await this.client.catalogue();
      this.loadError = '';
    } catch (e) {
      this.loadError = catalogueErrorText(e);
    }
  }

  /** Opens the routed entry as a draft (the one kept for this tab, if any). */
  private open() {
    const file = this.file!;
    const key = this.keyOf(this.route);
    const { section, id } = this.route;
    if (key === this.openedKey && this.draft) return;
    this.openedKey = key;
    this.errors = new Map();
    this.generalError = '';
    let saved: Draft | null = null;
    if (section === 'privacy') saved = file.privacy;
    else if (section === 'routes' && id) saved = file.services.some((s) => s.id === id) ? routesDraft(file, id) : null;
    else if (section !== 'transfer' && section !== 'routes' && id) {
      saved = id === NEW ? (blankEntry(section, file) as unknown as Draft) : ((file[section] as { id: string }[]).find((e) => e.id === id) as Draft | undefined) ?? null;
    }
    if (!saved) {
      this.draft = null;
      this.original = '';
      if (id && section !== 'transfer' && section !== 'privacy') this.generalError = t('catalogue:form.notFound', { id });
      return;
    }
    this.original = JSON.stringify(saved);
    const kept = this.storedDraft();
    if (kept && kept.key === key && JSON.stringify(kept.draft) !== this.original) {
      this.draft = kept.draft;
      this.notice = t('catalogue:unsaved.restored');
    } else {
      this.draft = clone(saved);
      this.notice = '';
    }
    if (id) void this.updateComplete.then(() => this.heading?.focus());
  }

  private storedDraft(): StoredDraft | null {
    try {
      const raw = sessionStorage.getItem(DRAFT_KEY);
      return raw ? (JSON.parse(raw) as StoredDraft) : null;
    } catch {
      return null;
    }
  }

  private keepDraft() {
    try {
      if (this.dirty) sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ key: this.openedKey, draft: this.draft }));
      else this.forgetDraft();
    } catch {
      // Storage full or off: the draft still lives in this page.
    }
  }

  private forgetDraft() {
    try {
      sessionStorage.removeItem(DRAFT_KEY);
    } catch {
      // Nothing kept.
    }
  }

  private readonly ctx = (): EditorContext => ({
    file: this.file!,
    errors: this.errors,
    isNew: this.route.id === NEW,
    changed: () => {
      this.notice = '';
      this.keepDraft();
      this.requestUpdate();
    },
  });

  /* ------------------------------------------------------------------------- saving */

  private async save(event: SubmitEvent) {
    event.preventDefault();
    if (!this.client || !this.file || !this.draft || this.busy) return;
    const { section, id } = this.route;
    this.generalError = '';
    const local = new Map<string, string>();
    if (section === 'privacy') {
      const draft = this.draft as Privacy;
      if (draft.version !== this.file.privacy.version && !confirm(t('catalogue:privacy.confirm', { version: draft.version }))) return;
    }
    let newId: string | null = null;
    if (id === NEW && section !== 'routes' && section !== 'privacy' && section !== 'transfer') {
      newId = (this.draft as { id: string }).id.trim();
      (this.draft as { id: string }).id = newId;
      if (!newId) local.set('id', t('catalogue:form.idMissing'));
      else if ((this.file[section] as { id: string }[]).some((e) => e.id === newId)) local.set('id', t('catalogue:form.idTaken', { id: newId }));
    }
    if (local.size) return this.showErrors(local);
    this.busy = true;
    try {
      if (section === 'privacy') await this.client.savePrivacy(this.draft as Privacy);
      else if (section === 'routes') {
        const changes = routeChanges(this.file, this.draft as RoutesDraft);
        for (const r of changes.put) await this.client.saveCatalogueEntry('routes', routeId(r.service, r.site), r);
        for (const r of changes.remove) await this.client.deleteCatalogueEntry('routes', routeId(r.service, r.site));
      } else if (section !== 'transfer') {
        await this.client.saveCatalogueEntry(section, newId ?? id!, this.draft);
      }
      this.original = JSON.stringify(this.draft);
      this.forgetDraft();
      this.errors = new Map();
      await this.load();
      this.notice = section === 'privacy' ? t('catalogue:privacy.published', { version: (this.draft as Privacy).version }) : t('catalogue:form.saved');
      if (newId) {
        this.openedKey = '';
        this.draft = null;
        this.currentHash = catalogueHref(section, newId);
        location.hash = this.currentHash;
      }
    } catch (e) {
      if (e instanceof CatalogueApiError && (Object.keys(e.fields).length || e.problems.length)) {
        const found = new Map<string, string>(Object.entries(e.fields).map(([path, message]) => [path, problemMessage(message)]));
        for (const p of e.problems) if (!found.has(p.path)) found.set(p.path, problemMessage(p.message));
        this.showErrors(found, section === 'routes');
      } else this.generalError = catalogueErrorText(e);
    } finally {
      this.busy = false;
    }
  }

  /** Shows problems at their inputs and moves the keyboard to the summary. */
  private async showErrors(errors: Map<string, string>, _routes = false) {
    this.errors = errors;
    this.notice = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#error-summary')?.focus();
  }

  private async deleteEntry() {
    if (!this.client || !this.file || this.busy) return;
    const { section, id } = this.route;
    if (!id || id === NEW || section === 'privacy' || section === 'transfer' || section === 'routes') return;
    if (!confirm(t('catalogue:form.confirmDelete', { name: this.entryName() }))) return;
    this.busy = true;
    this.generalError = '';
    try {
      await this.client.deleteCatalogueEntry(section, id);
      this.original = JSON.stringify(this.draft);
      this.forgetDraft();
      this.draft = null;
      await this.load();
      this.notice = t('catalogue:form.deleted');
      this.currentHash = catalogueHref(section);
      location.hash = this.currentHash;
    } catch (e) {
      this.generalError = catalogueErrorText(e);
    } finally {
      this.busy = false;
    }
  }

  private discard() {
    if (!this.dirty || !confirm(t('catalogue:unsaved.discardConfirm'))) return;
    this.forgetDraft();
    this.openedKey = '';
    this.draft = null;
    this.open();
  }

  private focusError(path: string) {
    const target = this.renderRoot.querySelector<HTMLElement>(`#${inputId(path)}`);
    if (!target) return;
    // A text in a folded locale: unfold it first.
    const details = target.closest('details');
    if (details) details.open = true;
    target.focus();
  }

  /* ------------------------------------------------------------------------- rendering */

  private entryName(): string {
    const lang = language();
    const d = this.draft as { names?: Record<string, string>; questions?: Record<string, string>; id?: string } | null;
    if (!d) return '';
    if (this.route.section === 'routes') return shown(this.file?.services.find((s) => s.id === (d as unknown as RoutesDraft).service)?.names, lang);
    return shown(d.names ?? d.questions, lang) || d.id || '';
  }

  override render() {
    void this.l10n;
    const { section } = this.route;
    return html`
      <div class="head">
        <h2 id="catalogue-h">${t('catalogue:title')}</h2>
        <nav aria-labelledby="catalogue-h">
          <ul>${CATALOGUE_SECTIONS.map((s) => html`<li><a href=${catalogueHref(s)} aria-current=${s === section ? 'page' : 'false'}>${sectionName(s)}</a></li>`)}</ul>
        </nav>
      </div>
      ${this.loadError ? html`<p class="error summary" role="alert">${this.loadError}</p>` : nothing}
      ${!this.file ? html`<p class="placeholder">${this.loadError ? '' : t('catalogue:loading')}</p>` : this.renderSection(this.file)}
    `;
  }

  private renderSection(file: CatalogueFile) {
    const { section, id } = this.route;
    if (section === 'transfer') {
      return html`<div class="cols single has-entry"><div class="editor"><staff-catalogue-transfer .client=${this.client} @catalogue-imported=${() => this.reloadAfterImport()}></staff-catalogue-transfer></div></div>`;
    }
    if (section === 'privacy') {
      return html`<div class="cols single has-entry"><div class="editor">${this.renderEditor(file)}</div></div>`;
    }
    return html`<div class="cols ${id ? 'has-entry' : ''}">
      <section class="list" aria-labelledby="list-h">${this.renderList(file, section)}</section>
      <section class="editor" aria-labelledby=${this.draft ? 'entry-heading' : nothing} aria-label=${this.draft ? nothing : t('catalogue:form.region')}>
        <p class="back"><a href=${catalogueHref(section)}>${t('catalogue:back', { section: sectionName(section) })}</a></p>
        ${this.draft ? this.renderEditor(file) : html`<p class="placeholder">${this.generalError || t('catalogue:form.pick')}</p>`}
      </section>
    </div>`;
  }

  private async reloadAfterImport() {
    this.openedKey = '';
    this.draft = null;
    this.forgetDraft();
    await this.load();
  }

  private renderList(file: CatalogueFile, section: ListSection): TemplateResult {
    const lang = language();
    const q = (this.search[section] ?? '').trim().toLowerCase();
    const match = (...texts: (string | Record<string, string> | undefined | null)[]) =>
      !q || texts.some((x) => (typeof x === 'string' ? x : Object.values(x ?? {}).join(' ')).toLowerCase().includes(q));
    const deptName = (d: string) => shown(file.departments.find((x) => x.id === d)?.names, lang) || d;
    const rows: { id: string; name: string; sub: string; depth?: number }[] = [];
    if (section === 'sites') {
      for (const { site, depth } of siteTree(file.sites)) {
        if (!match(site.id, site.names)) continue;
        rows.push({ id: site.id, name: shown(site.names, lang), sub: [levelName(site.level), promiseText(site.replyHours)].filter(Boolean).join(' · '), depth });
      }
    } else if (section === 'departments') {
      for (const d of file.departments) if (match(d.id, d.names, d.phone)) rows.push({ id: d.id, name: shown(d.names, lang), sub: [d.dispatch ? t('catalogue:department.dispatchShort') : '', d.phone ?? ''].filter(Boolean).join(' · ') });
    } else if (section === 'services' || section === 'routes') {
      for (const s of file.services) {
        if (!match(s.id, s.names, s.group, deptName(s.department))) continue;
        const rules = file.routes.filter((r) => r.service === s.id).length;
        rows.push({
          id: s.id,
          name: shown(s.names, lang),
          sub: section === 'routes'
            ? [deptName(s.department), rules ? t('catalogue:routes.rules', { count: rules }) : ''].filter(Boolean).join(' · ')
            : [shown(s.group, lang), t('catalogue:fields.count', { count: s.fields.length })].join(' · '),
        });
      }
    } else {
      for (const a of file.answers) {
        if (!match(a.id, a.questions, a.keywords, a.answers)) continue;
        const service = a.service ? file.services.find((s) => s.id === a.service) : undefined;
        rows.push({ id: a.id, name: shown(a.questions, lang), sub: service ? shown(service.names, lang) : t('catalogue:answer.noService') });
      }
    }
    const selected = this.route.id;
    const searchId = `search-${section}`;
    const canAdd = section !== 'routes';
    return html`
      <div class="bar">
        <div class="row">
          <h3 id="list-h">${sectionName(section)}</h3>
          ${canAdd ? html`<a class="button-link" href=${catalogueHref(section, NEW)}>${newLabel(section as EntrySection)}</a>` : nothing}
        </div>
        <label for=${searchId} class="visually-hidden">${t('catalogue:search.label', { section: sectionName(section) })}</label>
        <input id=${searchId} type="search" placeholder=${t('catalogue:search.placeholder')} .value=${this.search[section] ?? ''}
          @input=${(e: Event) => (this.search = { ...this.search, [section]: (e.target as HTMLInputElement).value })} />
        <p class="hint" aria-live="polite">${t('catalogue:search.count', { count: rows.length })}</p>
      </div>
      ${rows.length
        ? html`<ul aria-labelledby="list-h">${rows.map((r) => html`<li>
            <a href=${catalogueHref(section, r.id)} aria-current=${selected === r.id ? 'true' : 'false'} class=${r.depth ? `depth-${Math.min(r.depth, 3)}` : ''}>
              <span class="name">${r.depth ? html`<span class="tree-mark" aria-hidden="true">└</span>` : nothing}${r.name || r.id}</span>
              <span class="sub">${r.sub ? `${r.id} · ${r.sub}` : r.id}</span>
            </a>
          </li>`)}</ul>`
        : html`<p class="empty muted">${t('catalogue:search.none')}</p>`}
    `;
  }

  private renderEditor(file: CatalogueFile): TemplateResult {
    const { section, id } = this.route;
    const draft = this.draft!;
    const ctx = this.ctx();
    let body: TemplateResult;
    let title: string;
    switch (section) {
      case 'sites': body = siteForm(ctx, draft as SiteEntry); break;
      case 'departments': body = departmentForm(ctx, draft as DepartmentEntry); break;
      case 'services': body = serviceForm(ctx, draft as ServiceEntry); break;
      case 'answers': body = answerForm(ctx, draft as AnswerEntry); break;
      case 'routes': body = routesForm(ctx, draft as RoutesDraft); break;
      default: body = privacyForm(ctx, draft as Privacy, file.privacy);
    }
    if (section === 'privacy') title = t('catalogue:privacy.title');
    else if (id === NEW) title = newLabel(section as EntrySection);
    else if (section === 'routes') title = t('catalogue:routes.title', { service: this.entryName() });
    else title = this.entryName() || id || '';
    const errors = [...this.errors];
    const canDelete = id && id !== NEW && section !== 'routes' && section !== 'privacy';
    return html`<form class="entry-form" novalidate @submit=${this.save} aria-labelledby="entry-heading">
      <div class="editor-head">
        <h3 id="entry-heading" tabindex="-1">${title}</h3>
        ${id && id !== NEW && section !== 'privacy' ? html`<p class="hint">${t('catalogue:form.idIs', { id })}</p>` : nothing}
      </div>
      <p class="notice" role="status">${this.notice}</p>
      ${this.generalError ? html`<p class="error summary" role="alert">${this.generalError}</p>` : nothing}
      ${errors.length
        ? html`<div class="error summary" id="error-summary" tabindex="-1" role="alert">
            <strong>${t('catalogue:form.problems', { count: errors.length })}</strong>
            <ul>${errors.map(([path, message]) => html`<li>
              ${this.renderRoot.querySelector(`#${inputId(path)}`) || this.hasInput(path)
                ? html`<button type="button" @click=${() => this.focusError(path)}>${path ? pathLabel(path) : t('catalogue:form.wholeEntry')}</button>: ${message}`
                : html`${path ? `${pathLabel(path)}: ` : ''}${message}`}
            </li>`)}</ul>
          </div>`
        : nothing}
      <div class="entry">${body}</div>
      <div class="actions">
        <button type="submit" ?disabled=${this.busy}>${section === 'privacy' ? t('catalogue:privacy.publish') : t('catalogue:form.save')}</button>
        ${this.dirty ? html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${this.discard}>${t('catalogue:form.discard')}</button>` : nothing}
        <span class="grow">${this.dirty ? html`<span class="dirty">${t('catalogue:unsaved.badge')}</span>` : nothing}</span>
        ${canDelete ? html`<button type="button" class="danger" ?disabled=${this.busy} @click=${this.deleteEntry}>${t('catalogue:form.delete')}</button>` : nothing}
      </div>
    </form>`;
  }

  /** Paths whose input the editors render (so the summary can link to it before the first paint). */
  private hasInput(path: string): boolean {
    return /^(id|names|parent|level|phone|timezone|referencePrefix|replyHours|department|group|descriptions|questions|answers|keywords|service|url|version|texts|fields|officeHours)\b/.test(path);
  }
}

/** The id of a route in `/staff/catalogue/routes/:id`. */
export const routeId = (service: string, site: string) => `${service}@${site}`;

declare global {
  interface HTMLElementTagNameMap {
    'staff-catalogue': StaffCatalogue;
  }
}
