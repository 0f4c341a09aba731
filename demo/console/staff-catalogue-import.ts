/**
 * Import and export of the whole catalogue as one JSON file. Import: choose a file or paste it,
 * check it first (a dry run: every problem with its line and path, or the counts of what will be
 * written and removed), then confirm. Export: the file, fetched with the staff session and saved.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { base } from './console-styles.js';
import { LocalizeController, number, t } from './i18n.js';
import { formStyles, problemMessage } from './staff-catalogue-shared.js';
import { CatalogueApiError, type CatalogueImportResult, type StaffClient } from './staff-client.js';

type Problem = CatalogueApiError['problems'][number];

/** A staff API failure in words for the console. */
export function catalogueErrorText(e: unknown): string {
  if (e instanceof CatalogueApiError) {
    if (e.status === 0) return t('catalogue:error.network');
    if (e.status === 403) return t('catalogue:error.forbidden');
    return e.message || t('catalogue:error.http', { status: e.status });
  }
  return e instanceof Error ? e.message : String(e);
}

@customElement('staff-catalogue-transfer')
export class StaffCatalogueTransfer extends LitElement {
  static override styles = [
    base,
    formStyles,
    css`
      :host { display: block; }
      .wrap { display: grid; gap: 1.2em; padding: 1em 1.2em 2em; max-width: 60em; }
      section { display: grid; gap: 0.7em; }
      textarea { font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace; font-size: 0.85em; min-height: 12em; }
      .table-wrap { overflow-x: auto; }
      table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
      th, td { text-align: start; padding: 0.35em 0.6em; border-bottom: 1px solid var(--c-border); vertical-align: top; }
      td.path { font-family: ui-monospace, Menlo, monospace; overflow-wrap: anywhere; }
      td.line { font-variant-numeric: tabular-nums; white-space: nowrap; }
      .ok { color: var(--c-ok); font-weight: 600; }
      ul.counts { margin: 0; padding-inline-start: 1.2em; }
      button.link { background: none; border: 0; padding: 0; min-height: 1.8em; color: var(--c-primary); text-decoration: underline; font-weight: 600; text-align: start; }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;

  @state() private text = '';
  @state() private fileName = '';
  @state() private checking = false;
  @state() private importing = false;
  @state() private problems: Problem[] = [];
  @state() private checked?: CatalogueImportResult;
  @state() private checkedText = '';
  @state() private error = '';
  @state() private notice = '';
  @state() private exporting = false;
  @query('#result-h') private resultHeading?: HTMLElement;

  private readonly l10n = new LocalizeController(this);

  private async pick(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.fileName = file.name;
    this.setText(await file.text());
  }

  private setText(text: string) {
    this.text = text;
    if (text !== this.checkedText) {
      this.checked = undefined;
      this.problems = [];
    }
    this.notice = '';
    this.error = '';
  }

  private async check() {
    if (!this.client) return;
    if (!this.text.trim()) {
      this.error = t('catalogue:import.empty');
      return;
    }
    this.checking = true;
    this.error = '';
    this.notice = '';
    this.problems = [];
    this.checked = undefined;
    const text = this.text;
    try {
      this.checked = await this.client.importCatalogue(text, true);
      this.checkedText = text;
    } catch (e) {
      if (e instanceof CatalogueApiError && (e.problems.length || Object.keys(e.fields).length)) {
        this.problems = e.problems.length ? e.problems : Object.entries(e.fields).map(([path, message]) => ({ path, message }));
      } else this.error = catalogueErrorText(e);
    } finally {
      this.checking = false;
    }
    await this.updateComplete;
    this.resultHeading?.focus();
  }

  private async run() {
    if (!this.client || !this.checked || this.checkedText !== this.text) return;
    if (!confirm(t('catalogue:import.confirm'))) return;
    this.importing = true;
    this.error = '';
    try {
      const result = await this.client.importCatalogue(this.text, false);
      this.notice = t('catalogue:import.done', { summary: this.summary(result) });
      this.checked = undefined;
      this.checkedText = '';
      this.dispatchEvent(new CustomEvent('catalogue-imported', { bubbles: true, composed: true }));
    } catch (e) {
      if (e instanceof CatalogueApiError && e.problems.length) this.problems = e.problems;
      else this.error = catalogueErrorText(e);
    } finally {
      this.importing = false;
    }
  }

  /** Selects line `line` of the pasted text and scrolls it into view, to fix it there. */
  private goToLine(line: number) {
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('#import-text');
    if (!area) return;
    const lines = this.text.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    const height = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (line - 3) * height);
  }

  private summary(result: CatalogueImportResult): string {
    const c = result.counts ?? {};
    return t('catalogue:import.summary', {
      sites: number(c.sites ?? 0), departments: number(c.departments ?? 0), services: number(c.services ?? 0),
      routes: number(c.routes ?? 0), answers: number(c.answers ?? 0),
    });
  }

  private async download() {
    if (!this.client) return;
    this.exporting = true;
    this.error = '';
    try {
      const blob = await this.client.exportCatalogue();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `catalogue-${new Date().toISOString().slice(0, 10)}.json`;
      a.hidden = true;
      this.renderRoot.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.notice = t('catalogue:export.done', { name: a.download });
    } catch (e) {
      this.error = catalogueErrorText(e);
    } finally {
      this.exporting = false;
    }
  }

  override render() {
    void this.l10n;
    const c = this.checked?.counts;
    const removed = c?.removed ?? {};
    const removedList = (['sites', 'departments', 'services'] as const).flatMap((k) => (removed[k] ?? []).map((id) => ({ k, id })));
    return html`<div class="wrap">
      <section aria-labelledby="export-h">
        <h2 id="export-h">${t('catalogue:export.title')}</h2>
        <p class="hint">${t('catalogue:export.hint')}</p>
        <div class="tools"><button type="button" class="secondary" ?disabled=${this.exporting} @click=${this.download}>${t('catalogue:export.button')}</button></div>
      </section>
      <section aria-labelledby="import-h">
        <h2 id="import-h">${t('catalogue:import.title')}</h2>
        <p class="hint">${t('catalogue:import.hint')}</p>
        <div class="field">
          <label for="import-file">${t('catalogue:import.file')}</label>
          <input id="import-file" type="file" accept=".json,application/json" @change=${this.pick} />
        </div>
        <div class="field">
          <label for="import-text">${t('catalogue:import.paste')}</label>
          <textarea id="import-text" spellcheck="false" .value=${this.text} aria-describedby="import-text-hint"
            @input=${(e: Event) => this.setText((e.target as HTMLTextAreaElement).value)}></textarea>
          <p class="hint" id="import-text-hint">${this.fileName ? t('catalogue:import.fromFile', { name: this.fileName }) : t('catalogue:import.pasteHint')}</p>
        </div>
        <div class="tools">
          <button type="button" ?disabled=${this.checking || this.importing} @click=${this.check}>${this.checking ? t('catalogue:import.checking') : t('catalogue:import.check')}</button>
          <button type="button" class="danger" ?disabled=${!this.checked || this.checkedText !== this.text || this.importing} @click=${this.run}>
            ${this.importing ? t('catalogue:import.importing') : t('catalogue:import.run')}
          </button>
        </div>
        <div role="status" class="notice">${this.notice ? html`<p class="ok">${this.notice}</p>` : nothing}</div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${this.problems.length
          ? html`<h3 id="result-h" tabindex="-1">${t('catalogue:import.problems', { count: this.problems.length })}</h3>
              <div class="table-wrap">
                <table data-problems>
                  <thead><tr><th scope="col">${t('catalogue:import.line')}</th><th scope="col">${t('catalogue:import.path')}</th><th scope="col">${t('catalogue:import.message')}</th></tr></thead>
                  <tbody>${this.problems.map((p) => html`<tr>
                    <td class="line">${p.line
                      ? html`<button type="button" class="link" title=${t('catalogue:import.goToLine')} @click=${() => this.goToLine(p.line!)}>${p.column ? t('catalogue:import.lineColumn', { line: p.line, column: p.column }) : String(p.line)}</button>`
                      : t('common:none')}</td>
                    <td class="path">${p.path || t('catalogue:import.wholeFile')}</td>
                    <td>${problemMessage(p.message)}</td>
                  </tr>`)}</tbody>
                </table>
              </div>`
          : nothing}
        ${this.checked
          ? html`<h3 id="result-h" tabindex="-1">${t('catalogue:import.checked')}</h3>
              <p class="ok">${this.summary(this.checked)}</p>
              ${removedList.length
                ? html`<p class="warn">${t('catalogue:import.removes', { count: removedList.length })}</p>
                    <ul class="counts">${removedList.map((r) => html`<li>${r.id}</li>`)}</ul>`
                : nothing}
              ${c?.privacy === 'new' ? html`<p class="warn">${t('catalogue:import.newPrivacy')}</p>` : nothing}
              <p class="hint">${t('catalogue:import.confirmHint')}</p>`
          : nothing}
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-catalogue-transfer': StaffCatalogueTransfer;
  }
}
