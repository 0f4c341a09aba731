/**
 * Managing canned replies: a department officer keeps their department's, an administrator any
 * department's (a new one without a department is the intake centre's, shared). Lists what the
 * caller sees; the ones they may change (`editable`) have edit and delete.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { CannedReply } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { LocalizeController, dateTime, t } from './i18n.js';
import type { StaffClient } from './staff-client.js';
import type { Named } from './staff-queue.js';

/**
 * @summary The canned replies of the caller's department (administrators: every department), to add, edit and delete.
 * @property client - The StaffClient.
 * @property departments - Departments to choose from (administrators; loaded when not given); others write their own.
 * @property userRole - The caller's role: `administrator` chooses the department (asked of the server when not given).
 */
@customElement('staff-canned-manager')
export class StaffCannedManager extends LitElement {
  static override styles = [
    base,
    detail,
    css`
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.6em; }
      li { display: grid; gap: 0.2em; padding: 0.6em 0.8em; border: 1px solid var(--c-border); border-radius: 8px; background: var(--c-surface); }
      li .title { font-weight: 700; }
      li .dept { font-size: 0.85em; color: var(--c-muted); }
      .field { display: grid; gap: 0.25em; }
      .field input, .field select { width: 100%; }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  @property({ attribute: false }) departments: Named[] = [];
  @property({ attribute: 'user-role' }) userRole = '';

  @state() private replies: CannedReply[] | null = null;
  @state() private editing: CannedReply | null = null;
  @state() private error = '';
  @state() private notice = '';
  @state() private busy = false;
  @query('#canned-title') private titleInput?: HTMLInputElement;

  /** Re-renders on a language change. */
  protected readonly l10n = new LocalizeController(this);

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('client') && this.client) void this.load();
  }

  private async load() {
    try {
      // Standing alone (a console page), it asks who is signed in and, for administrators, the departments.
      if (!this.userRole) this.userRole = (await this.client!.me()).user.role;
      if (this.userRole === 'administrator' && !this.departments.length) this.departments = await this.client!.departments();
      this.replies = await this.client!.cannedReplies();
      this.error = '';
    } catch (e) {
      this.replies = [];
      this.error = (e as Error).message;
    }
  }

  private async edit(reply: CannedReply | null) {
    this.editing = reply;
    this.notice = '';
    await this.updateComplete;
    this.titleInput?.focus();
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const title = String(data.get('title') ?? '').trim();
    const text = String(data.get('text') ?? '').trim();
    const department = String(data.get('department') ?? '') || undefined;
    if (!title || !text || !this.client) {
      this.error = t('canned:manage.required');
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      if (this.editing) await this.client.updateCannedReply(this.editing.id, { title, text, ...(department ? { department } : {}) });
      else await this.client.createCannedReply({ title, text, ...(department ? { department } : {}) });
      this.notice = t(this.editing ? 'canned:manage.saved' : 'canned:manage.added', { title });
      this.editing = null;
      form.reset();
      await this.load();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private async deleteReply(reply: CannedReply) {
    if (!this.client || !confirm(t('canned:manage.confirmDelete', { title: reply.title }))) return;
    this.busy = true;
    this.error = '';
    try {
      await this.client.deleteCannedReply(reply.id);
      this.notice = t('canned:manage.deleted', { title: reply.title });
      if (this.editing?.id === reply.id) this.editing = null;
      await this.load();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const e = this.editing;
    const admin = this.userRole === 'administrator';
    return html`<article aria-labelledby="canned-h">
      <div class="head"><h2 id="canned-h">${t('canned:manage.heading')}</h2><p class="meta">${t('canned:manage.intro')}</p></div>
      <p class="notice" role="status">${this.notice}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="layout">
        <section class="main" aria-labelledby="canned-list-h">
          <h3 id="canned-list-h">${t('canned:manage.list')}</h3>
          ${this.replies === null
            ? html`<p class="muted">${t('canned:loading')}</p>`
            : this.replies.length
              ? html`<ul>${this.replies.map((r) => html`<li data-id=${r.id}>
                  <span class="title">${r.title}</span>
                  <span class="dept">${r.shared ? t('canned:shared') : r.department.name} · ${dateTime(r.updatedAt)}</span>
                  <span class="text">${r.text}</span>
                  ${r.editable
                    ? html`<div class="buttons">
                        <button type="button" class="secondary" @click=${() => this.edit(r)}>${t('canned:manage.edit')}<span class="visually-hidden"> ${r.title}</span></button>
                        <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.deleteReply(r)}>${t('canned:manage.delete')}<span class="visually-hidden"> ${r.title}</span></button>
                      </div>`
                    : nothing}
                </li>`)}</ul>`
              : html`<p class="muted">${t('canned:none')}</p>`}
        </section>
        <form class="side card panel" @submit=${this.save} aria-labelledby="canned-form-h">
          <h3 id="canned-form-h">${e ? t('canned:manage.editHeading') : t('canned:manage.addHeading')}</h3>
          ${admin
            ? html`<div class="field">
                <label for="canned-department">${t('canned:manage.department')}</label>
                <select id="canned-department" name="department">
                  ${this.departments.map((d) => html`<option value=${d.id} ?selected=${e ? d.id === e.department.id : false}>${d.name}</option>`)}
                </select>
              </div>`
            : nothing}
          <div class="field">
            <label for="canned-title">${t('canned:manage.title')}</label>
            <input id="canned-title" name="title" maxlength="100" required .value=${e?.title ?? ''} />
          </div>
          <div class="field">
            <label for="canned-text">${t('canned:manage.text')}</label>
            <textarea id="canned-text" name="text" rows="5" maxlength="2000" required aria-describedby="canned-text-hint" .value=${e?.text ?? ''}></textarea>
            <span id="canned-text-hint" class="hint">${t('canned:manage.placeholders')}</span>
          </div>
          <div class="buttons">
            ${e ? html`<button type="button" class="secondary" @click=${() => this.edit(null)}>${t('canned:manage.cancel')}</button>` : nothing}
            <button type="submit" ?disabled=${this.busy}>${e ? t('canned:manage.save') : t('canned:manage.add')}</button>
          </div>
        </form>
      </div>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-canned-manager': StaffCannedManager;
  }
}
