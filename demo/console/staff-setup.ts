/**
 * The first administrator (`#/setup/<token>`): the one-time link printed when the server starts
 * without an administrator. `POST /staff/setup` makes the account and signs in; the element then
 * sends `staff-setup-done` (detail: the session) for the shell to start the console with.
 * Fields are checked before sending (focus on the first problem); the server's 422 shows at its
 * field; nothing typed is lost on an error.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { base } from './console-styles.js';
import { isLanguage, language, LANGUAGE_NAMES, LANGUAGES, LocalizeController, setLanguage, t } from './i18n.js';
import { setupFirstAdministrator, StaffApiError, type Session } from './staff-client.js';

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;
const PASSWORD_MIN = 10;
const FIELDS = ['login', 'displayName', 'password', 'confirm'] as const;
type Field = (typeof FIELDS)[number];

/** The token of a `#/setup/<token>` address, or null. */
export function setupTokenOf(hash: string): string | null {
  const m = /^#\/setup\/([^/?#]+)$/.exec(hash);
  return m ? decodeURIComponent(m[1]!) : null;
}

/** A server field problem (English) in the console's language. */
function serverProblem(field: string, message: string): string {
  if (message === 'Already in use') return t('setup:loginTaken');
  if (/^At least/.test(message)) return t('setup:tooShort');
  if (message === 'Must not be the login') return t('setup:notLogin');
  if (message === 'Required') return t('setup:required');
  if (field === 'login') return t('setup:loginRule');
  return message;
}

@customElement('staff-setup')
export class StaffSetup extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: block; }
      main { max-inline-size: 28em; inline-size: calc(100% - 2em); margin: 6vh auto; padding: 1.5em; display: grid; gap: 0.9em; }
      .head { display: flex; justify-content: space-between; align-items: center; gap: 0.6em; flex-wrap: wrap; }
      h1 { font-size: 1.35em; }
      form { display: grid; gap: 0.75em; }
      .field { display: grid; gap: 0.25em; }
      .field input { inline-size: 100%; }
      .hint { font-size: 0.85em; color: var(--c-muted); }
      .field .error { font-size: 0.88em; padding: 0.2em 0.5em; }
    `,
  ];

  @property({ attribute: 'api-base' }) apiBase = '';
  @property() token = '';
  @state() private errors: Partial<Record<Field, string>> = {};
  @state() private formError = '';
  @state() private busy = false;

  protected readonly l10n = new LocalizeController(this);

  private value(name: Field) {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${name}`)?.value ?? '';
  }

  private async submit(event: Event) {
    event.preventDefault();
    if (this.busy) return;
    const login = this.value('login').trim();
    const displayName = this.value('displayName').trim();
    const password = this.value('password');
    const confirm = this.value('confirm');
    const errors: Partial<Record<Field, string>> = {};
    if (!login) errors.login = t('setup:required');
    else if (!LOGIN.test(login)) errors.login = t('setup:loginRule');
    if (!displayName) errors.displayName = t('setup:required');
    if (!password) errors.password = t('setup:required');
    else if ([...password].length < PASSWORD_MIN) errors.password = t('setup:tooShort');
    else if (password.trim().toLowerCase() === login.toLowerCase()) errors.password = t('setup:notLogin');
    if (password && confirm !== password) errors.confirm = t('setup:mismatch');
    this.errors = errors;
    this.formError = '';
    if (Object.keys(errors).length) return this.focusError();
    this.busy = true;
    try {
      const session = await setupFirstAdministrator(this.apiBase, { token: this.token, login, displayName, password });
      this.dispatchEvent(new CustomEvent<Session>('staff-setup-done', { detail: session, bubbles: true, composed: true }));
    } catch (e) {
      const fields = e instanceof StaffApiError ? Object.entries(e.fields).filter(([k]) => (FIELDS as readonly string[]).includes(k)) : [];
      if (fields.length) {
        this.errors = Object.fromEntries(fields.map(([k, m]) => [k, serverProblem(k, m)]));
        await this.focusError();
      } else if (e instanceof StaffApiError && (e.status === 401 || e.status === 422)) {
        this.formError = t('setup:invalidLink');
      } else if (e instanceof StaffApiError && e.status === 409) {
        this.formError = t('setup:done');
      } else {
        this.formError = t('setup:failed', { message: (e as Error).message });
      }
    } finally {
      this.busy = false;
    }
  }

  private async focusError() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private field(name: Field, type: string, autocomplete: string, hint: string | null) {
    const error = this.errors[name];
    const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${name}>${t(`setup:${name}`)}</label>
      <input id=${name} name=${name} type=${type} autocomplete=${autocomplete} required
        autocapitalize=${name === 'login' ? 'none' : nothing} spellcheck=${name === 'login' ? 'false' : nothing}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described || nothing}
        @input=${() => {
          if (this.errors[name]) this.errors = { ...this.errors, [name]: undefined };
        }} />
      ${hint ? html`<span class="hint" id=${`${name}-hint`}>${hint}</span>` : nothing}
      ${error ? html`<p class="error" id=${`${name}-error`}>${error}</p>` : nothing}
    </div>`;
  }

  override render() {
    return html`<main class="card" aria-labelledby="setup-h">
      <div class="head">
        <h1 id="setup-h">${t('setup:heading')}</h1>
        <span>
          <label for="setup-lang" class="visually-hidden">${t('shell:language')}</label>
          <select id="setup-lang" @change=${(e: Event) => {
            const value = (e.target as HTMLSelectElement).value;
            if (isLanguage(value)) void setLanguage(value);
          }}>
            ${LANGUAGES.map((l) => html`<option value=${l} lang=${l} ?selected=${language() === l}>${LANGUAGE_NAMES[l]}</option>`)}
          </select>
        </span>
      </div>
      <p class="muted">${t('setup:intro')}</p>
      <form novalidate @submit=${this.submit}>
        ${this.field('login', 'text', 'username', t('setup:loginHint'))}
        ${this.field('displayName', 'text', 'name', t('setup:displayNameHint'))}
        ${this.field('password', 'password', 'new-password', t('setup:passwordHint'))}
        ${this.field('confirm', 'password', 'new-password', null)}
        ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
        <button type="submit" ?disabled=${this.busy}>${this.busy ? t('setup:busy') : t('setup:submit')}</button>
      </form>
    </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-setup': StaffSetup;
  }
  interface HTMLElementEventMap {
    'staff-setup-done': CustomEvent<Session>;
  }
}
