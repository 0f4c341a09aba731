/**
 * Accounts (账号管理, administrators): the list (search, role filter, disabled ones marked), a new
 * account, and one account's edit (name, role, scope, disable/enable, a new password), with the
 * server's 422 problems at their fields and nothing typed lost. `#/accounts`, `#/accounts/new`,
 * `#/accounts/<id>`.
 *
 * "My account" (`<staff-my-account>`, everyone, `#/me`): who is signed in, changing one's own
 * password, signing out everywhere (the shell does the signing out: a `sign-out` event).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Account, AccountPatchInput } from '../server/accounts/accounts-api.js';
import { base } from './console-styles.js';
import { dateTime, LocalizeController, t } from './i18n.js';
import { StaffApiError, type SessionUser, type StaffClient } from './staff-client.js';
import { treeOrder } from './staff-settings.js';

export const ROLE_NAMES = ['dispatcher', 'department', 'site', 'supervisor', 'administrator'] as const;
/** As passwords.ts: at least 10 characters, not the login. */
export const PASSWORD_MIN = 10;
const LOGIN = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

interface Named {
  id: string;
  name: string;
}

/** A field's problem from the server in the console's language (the server writes English). */
export function problemText(field: string, message: string): string {
  if (/^At least \d+/.test(message)) return t('accounts:problem.short', { n: PASSWORD_MIN });
  if (message === 'Must not be the login') return t('accounts:problem.isLogin');
  if (message === 'Already in use') return t('accounts:problem.taken');
  if (message === 'Wrong password') return t('accounts:problem.wrongPassword');
  if (message.startsWith('Must differ')) return t('accounts:problem.same');
  if (message === 'Required') return t('accounts:problem.required');
  if (/need a department/.test(message)) return t('accounts:problem.needDepartment');
  if (/need a site/.test(message)) return t('accounts:problem.needSite');
  if (field === 'login' && /letters, digits/.test(message)) return t('accounts:problem.login');
  return message;
}

/** Problems found before asking the server. */
function passwordCheck(password: string, login: string): string {
  if ([...password].length < PASSWORD_MIN) return t('accounts:problem.short', { n: PASSWORD_MIN });
  if (login && password.trim().toLowerCase() === login.trim().toLowerCase()) return t('accounts:problem.isLogin');
  return '';
}

const formStyles = css`
  :host { display: block; padding: 1em 1.2em 2em; max-inline-size: 72em; }
  h2 { font-size: 1.3em; }
  .edit { display: grid; gap: 0.8em; max-inline-size: 34em; padding: 1em; margin-block-start: 0.8em; }
  .field { display: grid; gap: 0.25em; }
  .field input, .field select { inline-size: 100%; }
  .hint { font-size: 0.85em; color: var(--c-muted); }
  .field .error { font-size: 0.88em; padding: 0.2em 0.5em; }
  .row { display: flex; gap: 0.5em; flex-wrap: wrap; align-items: center; }
  .ok { color: var(--c-ok); }
  fieldset { border: 1px solid var(--c-border); border-radius: 6px; padding: 0.6em 0.8em; display: grid; gap: 0.6em; }
  legend { font-weight: 600; font-size: 0.9em; padding-inline: 0.3em; }
`;

@customElement('staff-accounts')
export class StaffAccounts extends LitElement {
  static override styles = [
    base,
    formStyles,
    css`
      .tools { display: flex; gap: 0.6em 0.8em; flex-wrap: wrap; align-items: end; margin-block: 0.8em; }
      .tools .field { min-inline-size: 12em; flex: 1 1 12em; }
      table { border-collapse: collapse; inline-size: 100%; }
      th, td { text-align: start; padding: 0.45em 0.5em; border-block-end: 1px solid var(--c-border); vertical-align: top; }
      th { font-size: 0.85em; color: var(--c-muted); }
      tr.disabled td { color: var(--c-muted); }
      .login { font-family: ui-monospace, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
      .badge.off { background: #e7e9ec; color: #3d4450; }
      .head { display: flex; justify-content: space-between; gap: 0.6em; flex-wrap: wrap; align-items: center; }
      /* Phones: each account a block, the headings in front of the values. */
      @media (max-width: 599.98px) {
        thead { display: none; }
        table, tbody, tr, td { display: block; }
        tr { border-block-end: 1px solid var(--c-border); padding-block: 0.4em; }
        td { border: 0; padding: 0.1em 0; }
        td[data-label]::before { content: attr(data-label); color: var(--c-muted); font-size: 0.85em; margin-inline-end: 0.6em; }
      }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  /** The signed-in administrator (their own account cannot be disabled here). */
  @property({ attribute: false }) user?: SessionUser;
  @state() private accounts: Account[] = [];
  @state() private departments: Named[] = [];
  @state() private sites: Named[] = [];
  @state() private route: { view: 'list' } | { view: 'new' } | { view: 'edit'; id: string } = routeOf(location.hash);
  @state() private q = '';
  @state() private roleFilter = '';
  @state() private loadError = '';
  @state() private loading = true;
  /** The form being typed (kept across a refusal). */
  @state() private draft: Draft = emptyDraft();
  /** The staff member has typed into the form since it was (re)filled: a late load must not wipe it. */
  private touched = false;
  @state() private fieldErrors: Record<string, string> = {};
  @state() private formError = '';
  @state() private saving = false;
  @state() private saved = '';

  protected readonly l10n = new LocalizeController(this);
  private readonly onHash = () => {
    if (!/^#\/accounts(?:\/|$)/.test(location.hash)) return;
    this.route = routeOf(location.hash);
    this.resetForm();
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    void this.load();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
  }

  async load() {
    if (!this.client) return;
    this.loading = true;
    try {
      const [accounts, departments, sites] = await Promise.all([this.client.accounts(), this.client.departments(), this.client.sites()]);
      if (!this.user) this.user = (await this.client.me().catch(() => null))?.user;
      this.accounts = accounts;
      this.departments = departments;
      this.sites = treeOrder(sites);
      this.loadError = '';
      // Typed while the lists were loading (the form shows at once): kept, not replaced by an empty form.
      if (!this.touched) this.resetForm();
    } catch (e) {
      this.loadError = e instanceof StaffApiError && e.status === 403 ? t('accounts:forbidden') : t('accounts:loadFailed', { message: (e as Error).message });
    } finally {
      this.loading = false;
    }
  }

  private resetForm() {
    this.touched = false;
    this.fieldErrors = {};
    this.formError = '';
    const route = this.route;
    if (route.view === 'edit') {
      const a = this.accounts.find((x) => x.id === route.id);
      this.draft = a ? { login: a.login, displayName: a.displayName, role: a.role, department: a.departmentId ?? '', site: a.siteId ?? '', password: '', disabled: a.disabled } : emptyDraft();
    } else if (route.view === 'new') {
      this.draft = emptyDraft();
    }
  }

  private set<K extends keyof Draft>(key: K, value: Draft[K]) {
    this.draft = { ...this.draft, [key]: value };
    this.touched = true;
    if (this.fieldErrors[key]) {
      const { [key]: _gone, ...rest } = this.fieldErrors;
      this.fieldErrors = rest;
    }
    this.saved = '';
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (!this.client || this.saving) return;
    const d = this.draft;
    const route = this.route;
    const errors: Record<string, string> = {};
    if (route.view === 'new' && !LOGIN.test(d.login.trim())) errors.login = t('accounts:problem.login');
    if (!d.displayName.trim()) errors.displayName = t('accounts:problem.required');
    if (d.role === 'department' && !d.department) errors.department = t('accounts:problem.needDepartment');
    if (d.role === 'site' && !d.site) errors.site = t('accounts:problem.needSite');
    if (route.view === 'new' || d.password) {
      const weak = passwordCheck(d.password, d.login);
      if (weak) errors.password = weak;
    }
    this.fieldErrors = errors;
    this.formError = '';
    if (Object.keys(errors).length) {
      await this.focusFirstError();
      return;
    }
    this.saving = true;
    const department = d.role === 'department' ? d.department || null : null;
    const site = d.role === 'site' || d.role === 'supervisor' ? d.site || null : null;
    try {
      if (route.view === 'new') {
        const made = await this.client.createAccount({ login: d.login.trim(), displayName: d.displayName.trim(), role: d.role as Account['role'], department, site, password: d.password });
        this.accounts = [...this.accounts, made];
        this.saved = t('accounts:created', { login: made.login });
        history.pushState(null, '', `${location.pathname}${location.search}#/accounts/${encodeURIComponent(made.id)}`);
        this.route = { view: 'edit', id: made.id };
        this.resetForm();
      } else if (route.view === 'edit') {
        const before = this.accounts.find((a) => a.id === route.id);
        const patch: AccountPatchInput = {};
        if (!before || before.displayName !== d.displayName.trim()) patch.displayName = d.displayName.trim();
        if (!before || before.role !== d.role) patch.role = d.role as Account['role'];
        if (!before || before.departmentId !== department || patch.role) patch.department = department;
        if (!before || before.siteId !== site || patch.role) patch.site = site;
        if (!before || before.disabled !== d.disabled) patch.disabled = d.disabled;
        if (d.password) patch.password = d.password;
        const after = await this.client.updateAccount(route.id, patch);
        this.accounts = this.accounts.map((a) => (a.id === after.id ? after : a));
        this.saved = d.password ? t('accounts:savedWithPassword') : t('accounts:saved');
        this.draft = { ...this.draft, password: '' };
      }
    } catch (e) {
      if (e instanceof StaffApiError && Object.keys(e.fields).length) {
        this.fieldErrors = Object.fromEntries(Object.entries(e.fields).map(([k, m]) => [k, problemText(k, m)]));
        await this.focusFirstError();
      } else if (e instanceof StaffApiError && e.status === 409) {
        // The built-in account, or the last administrator (the server says which, in the console's language).
        const built = route.view === 'edit' && this.accounts.find((a) => a.id === route.id)?.builtIn;
        this.formError = built ? t('accounts:builtIn') : e.message;
      } else {
        this.formError = t('accounts:saveFailed', { message: (e as Error).message });
      }
    } finally {
      this.saving = false;
    }
  }

  private async focusFirstError() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  override render() {
    if (this.loadError) return html`<h2>${t('accounts:heading')}</h2><p class="error" role="alert">${this.loadError}</p>`;
    const route = this.route;
    if (route.view === 'list') return this.renderList();
    const account = route.view === 'edit' ? this.accounts.find((a) => a.id === route.id) : undefined;
    if (route.view === 'edit' && !account) {
      return html`<p><a href="#/accounts">${t('accounts:backToList')}</a></p>
        ${this.loading ? html`<p role="status">${t('accounts:loading')}</p>` : html`<p class="error" role="alert">${t('accounts:notFound')}</p>`}`;
    }
    return this.renderForm(account);
  }

  private renderList() {
    const q = this.q.trim().toLowerCase();
    const shown = this.accounts
      .filter((a) => !this.roleFilter || a.role === this.roleFilter)
      .filter((a) => !q || a.login.toLowerCase().includes(q) || a.displayName.toLowerCase().includes(q))
      .sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.displayName.localeCompare(b.displayName));
    return html`
      <div class="head">
        <h2 id="accounts-h">${t('accounts:heading')}</h2>
        <a href="#/accounts/new" class="new">${t('accounts:new')}</a>
      </div>
      <div class="tools" role="search" aria-label=${t('accounts:searchLabel')}>
        <div class="field">
          <label for="a-q">${t('accounts:search')}</label>
          <input id="a-q" type="search" .value=${this.q} @input=${(e: Event) => (this.q = (e.target as HTMLInputElement).value)} autocomplete="off" />
        </div>
        <div class="field">
          <label for="a-role">${t('accounts:role')}</label>
          <select id="a-role" @change=${(e: Event) => (this.roleFilter = (e.target as HTMLSelectElement).value)}>
            <option value="">${t('accounts:anyRole')}</option>
            ${ROLE_NAMES.map((r) => html`<option value=${r} ?selected=${this.roleFilter === r}>${t(`shell:role.${r}`)}</option>`)}
          </select>
        </div>
      </div>
      <p class="muted" role="status">${this.loading ? t('accounts:loading') : t('accounts:count', { count: shown.length })}</p>
      <table aria-labelledby="accounts-h">
        <thead><tr><th scope="col">${t('accounts:col.name')}</th><th scope="col">${t('accounts:col.login')}</th><th scope="col">${t('accounts:col.role')}</th><th scope="col">${t('accounts:col.scope')}</th><th scope="col">${t('accounts:col.lastSignIn')}</th></tr></thead>
        <tbody>
          ${shown.map(
            (a) => html`<tr class=${a.disabled ? 'disabled' : ''} data-login=${a.login}>
              <td><a href=${`#/accounts/${encodeURIComponent(a.id)}`}>${a.displayName}</a>
                ${a.disabled ? html` <span class="badge off">${t('accounts:disabled')}</span>` : nothing}
                ${a.builtIn ? html` <span class="badge kind">${t('accounts:builtInBadge')}</span>` : nothing}</td>
              <td class="login" data-label=${t('accounts:col.login')}>${a.login}</td>
              <td data-label=${t('accounts:col.role')}>${t(`shell:role.${a.role}`)}</td>
              <td data-label=${t('accounts:col.scope')}>${this.scopeText(a)}</td>
              <td data-label=${t('accounts:col.lastSignIn')}>${a.lastSignInAt ? dateTime(a.lastSignInAt) : t('accounts:never')}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }

  private scopeText(a: Pick<Account, 'role' | 'departmentId' | 'siteId'>) {
    if (a.role === 'department') return this.departments.find((d) => d.id === a.departmentId)?.name ?? a.departmentId ?? '';
    if (a.role === 'site' || a.role === 'supervisor') return a.siteId ? this.sites.find((s) => s.id === a.siteId)?.name ?? a.siteId : t('accounts:allSites');
    return t('accounts:allScope');
  }

  private error(field: string) {
    const message = this.fieldErrors[field];
    return message ? html`<p class="error" id=${`e-${field}`}>${message}</p>` : nothing;
  }

  private described(field: string, hint?: string) {
    const ids = [hint, this.fieldErrors[field] ? `e-${field}` : ''].filter(Boolean).join(' ');
    return ids || nothing;
  }

  private renderForm(account: Account | undefined) {
    const d = this.draft;
    const isNew = !account;
    const self = account && this.user?.id === account.id;
    return html`
      <p><a href="#/accounts">${t('accounts:backToList')}</a></p>
      <h2 id="form-h">${isNew ? t('accounts:newHeading') : t('accounts:editHeading', { name: account.displayName })}</h2>
      ${account ? html`<p class="muted">${t('accounts:meta', { created: dateTime(account.createdAt), signIn: account.lastSignInAt ? dateTime(account.lastSignInAt) : t('accounts:never') })}</p>` : nothing}
      <form class="edit card" novalidate aria-labelledby="form-h" @submit=${this.submit}>
        <div class="field">
          <label for="f-login">${t('accounts:field.login')}</label>
          <input id="f-login" name="login" .value=${d.login} ?readonly=${!isNew} autocomplete="off" autocapitalize="none" spellcheck="false" required
            aria-invalid=${this.fieldErrors.login ? 'true' : 'false'} aria-describedby=${this.described('login', 'h-login')}
            @input=${(e: Event) => this.set('login', (e.target as HTMLInputElement).value)} />
          <span class="hint" id="h-login">${isNew ? t('accounts:hint.login') : t('accounts:hint.loginFixed')}</span>
          ${this.error('login')}
        </div>
        <div class="field">
          <label for="f-name">${t('accounts:field.displayName')}</label>
          <input id="f-name" name="displayName" .value=${d.displayName} autocomplete="off" required maxlength="80"
            aria-invalid=${this.fieldErrors.displayName ? 'true' : 'false'} aria-describedby=${this.described('displayName', 'h-name')}
            @input=${(e: Event) => this.set('displayName', (e.target as HTMLInputElement).value)} />
          <span class="hint" id="h-name">${t('accounts:hint.displayName')}</span>
          ${this.error('displayName')}
        </div>
        <div class="field">
          <label for="f-role">${t('accounts:field.role')}</label>
          <select id="f-role" name="role" aria-invalid=${this.fieldErrors.role ? 'true' : 'false'} aria-describedby=${this.described('role', 'h-role')}
            ?disabled=${account?.builtIn} @change=${(e: Event) => this.set('role', (e.target as HTMLSelectElement).value)}>
            ${ROLE_NAMES.map((r) => html`<option value=${r} ?selected=${d.role === r}>${t(`shell:role.${r}`)}</option>`)}
          </select>
          <span class="hint" id="h-role">${t(`accounts:roleHint.${d.role}`)}</span>
          ${this.error('role')}
        </div>
        ${d.role === 'department'
          ? html`<div class="field">
              <label for="f-department">${t('accounts:field.department')}</label>
              <select id="f-department" name="department" required aria-invalid=${this.fieldErrors.department ? 'true' : 'false'} aria-describedby=${this.described('department')}
                @change=${(e: Event) => this.set('department', (e.target as HTMLSelectElement).value)}>
                <option value="">${t('accounts:choose')}</option>
                ${this.departments.map((x) => html`<option value=${x.id} ?selected=${d.department === x.id}>${x.name}</option>`)}
              </select>
              ${this.error('department')}
            </div>`
          : nothing}
        ${d.role === 'site' || d.role === 'supervisor'
          ? html`<div class="field">
              <label for="f-site">${t('accounts:field.site')}</label>
              <select id="f-site" name="site" aria-invalid=${this.fieldErrors.site ? 'true' : 'false'} aria-describedby=${this.described('site', 'h-site')}
                @change=${(e: Event) => this.set('site', (e.target as HTMLSelectElement).value)}>
                <option value="">${d.role === 'supervisor' ? t('accounts:allSites') : t('accounts:choose')}</option>
                ${this.sites.map((x) => html`<option value=${x.id} ?selected=${d.site === x.id}>${x.name}</option>`)}
              </select>
              <span class="hint" id="h-site">${t('accounts:hint.site')}</span>
              ${this.error('site')}
            </div>`
          : nothing}
        <div class="field">
          <label for="f-password">${isNew ? t('accounts:field.password') : t('accounts:field.newPassword')}</label>
          <input id="f-password" name="password" type="password" .value=${d.password} autocomplete="new-password" ?required=${isNew}
            aria-invalid=${this.fieldErrors.password ? 'true' : 'false'} aria-describedby=${this.described('password', 'h-password')}
            @input=${(e: Event) => this.set('password', (e.target as HTMLInputElement).value)} />
          <span class="hint" id="h-password">${isNew ? t('accounts:hint.password', { n: PASSWORD_MIN }) : t('accounts:hint.resetPassword', { n: PASSWORD_MIN })}</span>
          ${this.error('password')}
        </div>
        ${account
          ? html`<div class="field">
              <label class="row"><input type="checkbox" name="disabled" .checked=${d.disabled} ?disabled=${self}
                aria-describedby="h-disabled" @change=${(e: Event) => this.set('disabled', (e.target as HTMLInputElement).checked)} />${t('accounts:field.disabled')}</label>
              <span class="hint" id="h-disabled">${self ? t('accounts:hint.disabledSelf') : t('accounts:hint.disabled')}</span>
            </div>`
          : nothing}
        ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
        ${Object.keys(this.fieldErrors).length ? html`<p class="error" role="alert">${t('accounts:fixFields')}</p>` : nothing}
        <div class="row">
          <button type="submit" ?disabled=${this.saving}>${this.saving ? t('accounts:saving') : isNew ? t('accounts:create') : t('accounts:save')}</button>
          <span class="ok" role="status">${this.saved}</span>
        </div>
      </form>
    `;
  }
}

interface Draft {
  login: string;
  displayName: string;
  role: string;
  department: string;
  site: string;
  password: string;
  disabled: boolean;
}

const emptyDraft = (): Draft => ({ login: '', displayName: '', role: 'department', department: '', site: '', password: '', disabled: false });

function routeOf(hash: string): { view: 'list' } | { view: 'new' } | { view: 'edit'; id: string } {
  const m = /^#\/accounts\/(.+)$/.exec(hash);
  if (!m) return { view: 'list' };
  return m[1] === 'new' ? { view: 'new' } : { view: 'edit', id: decodeURIComponent(m[1]!) };
}

/** My account: own password, signing out everywhere. */
@customElement('staff-my-account')
export class StaffMyAccount extends LitElement {
  static override styles = [base, formStyles, css`dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1em; margin: 0.8em 0; } dd { margin: 0; }`];

  @property({ attribute: false }) client?: StaffClient;
  @property({ attribute: false }) user?: SessionUser;
  @state() private current = '';
  @state() private next = '';
  @state() private repeat = '';
  @state() private fieldErrors: Record<string, string> = {};
  @state() private formError = '';
  @state() private saving = false;
  @state() private saved = '';

  protected readonly l10n = new LocalizeController(this);

  override connectedCallback() {
    super.connectedCallback();
    if (!this.user && this.client) void this.client.me().then((me) => (this.user = me.user), () => undefined);
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (!this.client || this.saving) return;
    const errors: Record<string, string> = {};
    if (!this.current) errors.current = t('accounts:problem.required');
    const weak = passwordCheck(this.next, this.user?.login ?? '');
    if (weak) errors.next = weak;
    else if (this.next === this.current) errors.next = t('accounts:problem.same');
    if (!errors.next && this.repeat !== this.next) errors.repeat = t('accounts:problem.repeat');
    this.fieldErrors = errors;
    this.formError = '';
    this.saved = '';
    if (Object.keys(errors).length) return this.focusFirstError();
    this.saving = true;
    try {
      await this.client.changePassword(this.current, this.next);
      this.current = this.next = this.repeat = '';
      this.saved = t('accounts:me.changed');
    } catch (e) {
      if (e instanceof StaffApiError && Object.keys(e.fields).length) {
        this.fieldErrors = Object.fromEntries(Object.entries(e.fields).map(([k, m]) => [k, problemText(k, m)]));
        await this.focusFirstError();
      } else if (e instanceof StaffApiError && e.status === 429) {
        this.formError = t('accounts:me.locked');
      } else if (e instanceof StaffApiError && e.status === 409) {
        this.formError = t('accounts:me.noPassword');
      } else {
        this.formError = t('accounts:saveFailed', { message: (e as Error).message });
      }
    } finally {
      this.saving = false;
    }
  }

  private async focusFirstError() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private signOutEverywhere() {
    // The shell ends the sessions and shows the sign-in page.
    this.dispatchEvent(new CustomEvent('sign-out', { detail: { everywhere: true }, bubbles: true, composed: true }));
  }

  private input(field: 'current' | 'next' | 'repeat', autocomplete: string, hint?: string) {
    const error = this.fieldErrors[field];
    const describedBy = [hint, error ? `e-${field}` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${`p-${field}`}>${t(`accounts:me.${field}`)}</label>
      <input id=${`p-${field}`} type="password" autocomplete=${autocomplete} .value=${this[field]} required
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${describedBy || nothing}
        @input=${(e: Event) => {
          this[field] = (e.target as HTMLInputElement).value;
          if (this.fieldErrors[field]) {
            const { [field]: _gone, ...rest } = this.fieldErrors;
            this.fieldErrors = rest;
          }
        }} />
      ${hint ? html`<span class="hint" id=${hint}>${t('accounts:me.passwordHint', { n: PASSWORD_MIN })}</span>` : nothing}
      ${error ? html`<p class="error" id=${`e-${field}`}>${error}</p>` : nothing}
    </div>`;
  }

  override render() {
    const u = this.user;
    return html`
      <h2>${t('accounts:me.heading')}</h2>
      ${u
        ? html`<dl>
            <dt>${t('accounts:me.name')}</dt><dd>${u.displayName}</dd>
            <dt>${t('accounts:field.login')}</dt><dd>${u.login}</dd>
            <dt>${t('accounts:field.role')}</dt><dd>${t(`shell:role.${u.role}`)}</dd>
          </dl>`
        : nothing}
      <form class="edit card" novalidate aria-labelledby="pw-h" @submit=${this.submit}>
        <h3 id="pw-h">${t('accounts:me.passwordHeading')}</h3>
        <p class="hint">${t('accounts:me.passwordIntro')}</p>
        <input type="text" name="username" autocomplete="username" .value=${u?.login ?? ''} hidden />
        ${this.input('current', 'current-password')}
        ${this.input('next', 'new-password', 'h-next')}
        ${this.input('repeat', 'new-password')}
        ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
        <div class="row">
          <button type="submit" ?disabled=${this.saving}>${this.saving ? t('accounts:saving') : t('accounts:me.submit')}</button>
          <span class="ok" role="status">${this.saved}</span>
        </div>
      </form>
      <section class="edit card" aria-labelledby="out-h">
        <h3 id="out-h">${t('accounts:me.everywhereHeading')}</h3>
        <p class="hint">${t('accounts:me.everywhereIntro')}</p>
        <div class="row"><button type="button" class="danger" data-sign-out-everywhere @click=${this.signOutEverywhere}>${t('shell:signOutEverywhere')}</button></div>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-accounts': StaffAccounts;
    'staff-my-account': StaffMyAccount;
  }
}
