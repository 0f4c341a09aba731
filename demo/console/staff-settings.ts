/**
 * Settings (系统设置, administrators): how replies are signed for residents, for everywhere or
 * one site (its streets and communities inherit it unless they have their own), with a live
 * preview of the signature a resident sees. `GET/PUT /staff/settings` (staff/operator.ts).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SignatureModeValue, StaffSettings } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { language, LocalizeController, t } from './i18n.js';
import { StaffApiError, type StaffClient } from './staff-client.js';

export const SIGNATURE_MODES: readonly SignatureModeValue[] = ['office_name', 'office', 'office_number', 'office_initial'];

interface Site {
  id: string;
  name: string;
  parent: string | null;
  level: string;
}

/** What follows the office in a signature, as the server writes it (operator-detail.ts signaturePerson). */
export function signaturePreview(mode: SignatureModeValue, office: string, name: string, login: string, locale: string): string {
  const trimmed = name.trim();
  let person: string | null;
  switch (mode) {
    case 'office':
      person = null;
      break;
    case 'office_number':
      person = locale === 'en' ? `No. ${login}` : `工号 ${login}`;
      break;
    case 'office_initial': {
      const first = [...trimmed][0] ?? '';
      person = !first ? null : /[\u3400-\u9fff]/.test(first) ? `${first}*` : `${first.toUpperCase()}.`;
      break;
    }
    default:
      person = trimmed || null;
  }
  return person ? `${office} · ${person}` : office;
}

/** The mode a site uses: its own, else its parent's, …, else the global one. */
export function effectiveMode(settings: StaffSettings, sites: readonly Site[], siteId: string | null): { mode: SignatureModeValue; from: string } {
  const byId = new Map(sites.map((s) => [s.id, s]));
  let at = siteId;
  for (let hops = 0; at && hops < 20; hops++) {
    const own = settings.sites[at];
    if (own) return { mode: own.signature, from: at };
    at = byId.get(at)?.parent ?? null;
  }
  return { mode: settings.global.signature, from: 'global' };
}

/** Sites depth first (a street, then its communities), as the tree reads. */
export function treeOrder<T extends Site>(sites: readonly T[]): T[] {
  const ids = new Set(sites.map((s) => s.id));
  const children = new Map<string | null, T[]>();
  for (const s of sites) {
    const parent = s.parent && ids.has(s.parent) ? s.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: T[] = [];
  const walk = (parent: string | null) => {
    for (const s of children.get(parent) ?? []) {
      out.push(s);
      walk(s.id);
    }
  };
  walk(null);
  return out;
}

@customElement('staff-settings')
export class StaffSettingsView extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: block; padding: 1em 1.2em 2em; max-inline-size: 72em; }
      h2 { font-size: 1.3em; }
      .layout { display: grid; gap: 1em; margin-block-start: 0.8em; }
      @media (min-width: 900px) { .layout { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); align-items: start; } }
      form, .overview { padding: 1em; display: grid; gap: 0.8em; }
      .field { display: grid; gap: 0.25em; }
      .field select { inline-size: 100%; }
      fieldset { border: 1px solid var(--c-border); border-radius: 6px; padding: 0.6em 0.8em; display: grid; gap: 0.45em; margin: 0; }
      legend { font-weight: 600; font-size: 0.9em; padding-inline: 0.3em; }
      fieldset label { font-weight: 400; display: flex; gap: 0.5em; align-items: center; flex-wrap: wrap; }
      fieldset label input { margin: 0; flex: none; }
      .hint { font-size: 0.85em; color: var(--c-muted); }
      .preview { border: 1px dashed var(--c-border); border-radius: 8px; padding: 0.8em; background: var(--c-bg); display: grid; gap: 0.4em; }
      .bubble { background: var(--c-surface); border: 1px solid var(--c-border); border-radius: 10px; padding: 0.6em 0.8em; display: grid; gap: 0.35em; }
      .signature { font-size: 0.9em; color: var(--c-muted); text-align: end; }
      .row { display: flex; gap: 0.5em; flex-wrap: wrap; align-items: center; }
      .ok { color: var(--c-ok); }
      table { border-collapse: collapse; inline-size: 100%; font-size: 0.92em; }
      th, td { text-align: start; padding: 0.35em 0.4em; border-block-end: 1px solid var(--c-border); }
      td.level-street { padding-inline-start: 1.4em; }
      td.level-community { padding-inline-start: 2.6em; }
      button.link { background: none; border: 0; color: var(--c-primary); text-decoration: underline; padding: 0; min-height: 0; font-weight: 400; }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  @state() private settings?: StaffSettings;
  @state() private sites: Site[] = [];
  @state() private departments: { id: string; name: string }[] = [];
  @state() private scope = 'global';
  /** The choice being made: a mode, or '' (a site follows the level above). */
  @state() private choice: SignatureModeValue | '' = 'office_name';
  @state() private office = '';
  @state() private error = '';
  @state() private saving = false;
  @state() private saved = '';

  protected readonly l10n = new LocalizeController(this);

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    if (!this.client) return;
    try {
      const [settings, sites, departments] = await Promise.all([this.client.settings(), this.client.sites(), this.client.departments()]);
      this.settings = settings;
      this.sites = treeOrder(sites);
      this.departments = departments;
      if (!this.office) this.office = departments.find((d) => d.id !== 'dispatch')?.id ?? departments[0]?.id ?? '';
      this.pick(this.scope);
      this.error = '';
    } catch (e) {
      this.error = e instanceof StaffApiError && e.status === 403 ? t('settings:forbidden') : t('settings:loadFailed', { message: (e as Error).message });
    }
  }

  private pick(scope: string) {
    this.scope = scope;
    this.saved = '';
    const s = this.settings;
    if (!s) return;
    this.choice = scope === 'global' ? s.global.signature : s.sites[scope]?.signature ?? '';
  }

  private scopeName(scope: string) {
    return scope === 'global' ? t('settings:global') : this.sites.find((s) => s.id === scope)?.name ?? scope;
  }

  private parentOf(scope: string) {
    return this.sites.find((s) => s.id === scope)?.parent ?? null;
  }

  /** The mode the preview shows: the choice, or what the site inherits. */
  private shownMode(): SignatureModeValue {
    if (this.choice) return this.choice;
    if (!this.settings) return 'office_name';
    return effectiveMode(this.settings, this.sites, this.parentOf(this.scope)).mode;
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    if (!this.client || this.saving) return;
    this.saving = true;
    this.error = '';
    try {
      this.settings = await this.client.putSettings({ scope: this.scope, signature: this.choice || null });
      this.saved = t('settings:saved', { scope: this.scopeName(this.scope) });
    } catch (e) {
      this.error = t('settings:saveFailed', { message: e instanceof StaffApiError && e.fields.scope ? t('settings:unknownSite') : (e as Error).message });
    } finally {
      this.saving = false;
    }
  }

  override render() {
    if (!this.settings) {
      return html`<h2>${t('settings:heading')}</h2>${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p role="status">${t('settings:loading')}</p>`}`;
    }
    const settings = this.settings;
    const officeName = this.departments.find((d) => d.id === this.office)?.name ?? '';
    const mode = this.shownMode();
    const preview = signaturePreview(mode, officeName, t('settings:sample.name'), t('settings:sample.login'), language());
    const inherited = this.scope === 'global' ? null : effectiveMode(settings, this.sites, this.parentOf(this.scope));
    return html`
      <h2>${t('settings:heading')}</h2>
      <p class="muted">${t('settings:intro')}</p>
      <div class="layout">
        <form class="card" @submit=${this.save} aria-labelledby="sig-h">
          <h3 id="sig-h">${t('settings:signatureHeading')}</h3>
          <div class="field">
            <label for="s-scope">${t('settings:scope')}</label>
            <select id="s-scope" @change=${(e: Event) => this.pick((e.target as HTMLSelectElement).value)}>
              <option value="global" ?selected=${this.scope === 'global'}>${t('settings:global')}</option>
              ${this.sites.map((s) => html`<option value=${s.id} ?selected=${this.scope === s.id}>${s.name}</option>`)}
            </select>
            <span class="hint">${t('settings:scopeHint')}</span>
          </div>
          <fieldset>
            <legend>${t('settings:mode')}</legend>
            ${inherited
              ? html`<label><input type="radio" name="mode" value="" .checked=${this.choice === ''} @change=${() => (this.choice = '')} />
                  <span>${t('settings:inherit', { mode: t(`settings:modeName.${inherited.mode}`), from: inherited.from === 'global' ? t('settings:globalShort') : this.scopeName(inherited.from) })}</span></label>`
              : nothing}
            ${SIGNATURE_MODES.map(
              (m) => html`<label><input type="radio" name="mode" value=${m} .checked=${this.choice === m} @change=${() => (this.choice = m)} />
                <span>${t(`settings:modeName.${m}`)}</span> <span class="hint">${signaturePreview(m, officeName, t('settings:sample.name'), t('settings:sample.login'), language())}</span></label>`,
            )}
          </fieldset>
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
          <div class="row">
            <button type="submit" ?disabled=${this.saving}>${this.saving ? t('settings:saving') : t('settings:save')}</button>
            <span class="ok" role="status">${this.saved}</span>
          </div>
        </form>
        <section class="card overview" aria-labelledby="prev-h">
          <h3 id="prev-h">${t('settings:previewHeading')}</h3>
          <div class="field">
            <label for="s-office">${t('settings:previewOffice')}</label>
            <select id="s-office" @change=${(e: Event) => (this.office = (e.target as HTMLSelectElement).value)}>
              ${this.departments.map((d) => html`<option value=${d.id} ?selected=${this.office === d.id}>${d.name}</option>`)}
            </select>
          </div>
          <div class="preview" aria-live="polite">
            <span class="hint">${t('settings:previewLead')}</span>
            <div class="bubble">
              <p>${t('settings:sample.reply')}</p>
              <p class="signature" data-signature>${preview}</p>
            </div>
            <span class="hint">${t('settings:previewNote')}</span>
          </div>
          <h3 id="all-h">${t('settings:overview')}</h3>
          <table aria-labelledby="all-h">
            <thead><tr><th scope="col">${t('settings:scope')}</th><th scope="col">${t('settings:mode')}</th></tr></thead>
            <tbody>
              <tr><td><button type="button" class="link" @click=${() => this.pick('global')}>${t('settings:global')}</button></td><td>${t(`settings:modeName.${settings.global.signature}`)}</td></tr>
              ${this.sites.map((s) => {
                const own = settings.sites[s.id];
                const eff = effectiveMode(settings, this.sites, s.id);
                return html`<tr>
                  <td class=${`level-${s.level}`}><button type="button" class="link" @click=${() => this.pick(s.id)}>${s.name}</button></td>
                  <td>${own ? t(`settings:modeName.${own.signature}`) : t('settings:inherited', { mode: t(`settings:modeName.${eff.mode}`) })}</td>
                </tr>`;
              })}
            </tbody>
          </table>
        </section>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-settings': StaffSettingsView;
  }
}
