/**
 * One request in detail: what the resident sent (form values as they chose them, attachments
 * fetched with the staff session), who works on it (claim, assign), notes (internal or for the
 * resident), replies signed as the site configured, the contact on demand, routing, status and
 * timeline. Strings: the `request` namespace (locales/<lng>/request.json).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Contact, RequestStatus } from '../../src/client/protocol.js';
import type { AssigneesResponse, FilledField, StaffRequestDetail } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { LocalizeController, dateTime, fullDateTime, number, t } from './i18n.js';
import './staff-canned-replies.js';
import './staff-dispatch.js';
import './staff-supervise.js';
import './staff-ratings.js';
import './staff-duplicates.js';
import './staff-delivery.js';
import './staff-suggestion.js';
import type { CannedContext, CannedInsertDetail } from './staff-canned-replies.js';
import type { StaffClient } from './staff-client.js';
import type { Named } from './staff-queue.js';

/** Who is signed in, as far as this view needs it (the server decides what is allowed). */
export interface Me {
  id: string;
  role: string;
  displayName?: string;
}

type Person = AssigneesResponse['people'][number];

/** A file of the request once fetched: its object URL (revoked when the view changes request). */
interface Fetched {
  url: string;
  type: string;
}

const PREVIEWABLE = /^image\/(png|jpe?g|gif|webp|avif)$/;

@customElement('staff-request')
export class StaffRequest extends LitElement {
  static override styles = [
    base,
    detail,
    css`
      .rated { background: #f1e6fb; color: #55207f; }
      ol.timeline li.unhappy { border-inline-start-color: var(--c-danger); }
    `,
  ];

  protected readonly l10n = new LocalizeController(this);

  @property({ attribute: false }) client?: StaffClient;
  @property() reference = '';
  @property({ attribute: false }) departments: Named[] = [];
  /** The signed-in person; unknown (the shared staff token) is treated as the intake centre's dispatcher. */
  @property({ attribute: false }) user?: Me | null;

  @state() private request?: StaffRequestDetail;
  @state() private error = '';
  @state() private notice = '';
  @state() private busy = false;
  @state() private signature = '';
  @state() private people: Person[] = [];
  @state() private contact: Contact | null = null;
  @state() private files: Record<string, Fetched> = {};
  @query('h2') private heading?: HTMLElement;
  @query('#reply-text') private replyText?: HTMLTextAreaElement;
  @query('#note-text') private noteText?: HTMLTextAreaElement;

  private get myRole() {
    return this.user?.role ?? 'dispatcher';
  }

  private get meId() {
    return this.user?.id ?? 'staff-token';
  }

  private get officer() {
    return ['dispatcher', 'department', 'site'].includes(this.myRole);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('reference') || changed.has('client')) && this.reference && this.client) {
      if (changed.has('reference')) {
        this.request = undefined;
        this.notice = '';
        this.contact = null;
        this.signature = '';
        this.people = [];
        this.forgetFiles();
      }
      void this.reload();
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.forgetFiles();
  }

  private forgetFiles() {
    for (const f of Object.values(this.files)) URL.revokeObjectURL(f.url);
    this.files = {};
  }

  /** Fetches the request again (after our own action, or when the queue says it changed). */
  async reload() {
    if (!this.client || !this.reference) return;
    const reference = this.reference;
    try {
      const request = await this.client.request(reference);
      if (reference !== this.reference) return;
      const first = !this.request;
      this.request = request;
      this.error = '';
      if (first) {
        void this.loadExtras(request);
        await this.updateComplete;
        this.heading?.focus();
      }
    } catch (e) {
      this.error = this.message(e);
    }
  }

  /** The signature preview, the people it can be assigned to, image previews. */
  private async loadExtras(request: StaffRequestDetail) {
    const client = this.client!;
    const reference = request.reference;
    const settle = <T>(p: Promise<T>) => p.catch(() => null);
    const [signature, people] = await Promise.all([
      this.officer ? settle(client.signature(reference)) : null,
      this.myRole === 'dispatcher' ? settle(client.requestAssignees(reference)) : null,
    ]);
    if (reference !== this.reference) return;
    if (signature) this.signature = signature.signature;
    if (people) this.people = people;
    for (const a of request.attachments) if (PREVIEWABLE.test(a.type)) void this.fetchFile(a.id, a.type);
  }

  private async fetchFile(id: string, type: string): Promise<Fetched | null> {
    if (this.files[id]) return this.files[id]!;
    const reference = this.reference;
    try {
      const blob = await this.client!.attachment(reference, id);
      if (reference !== this.reference) return null;
      const fetched = { url: URL.createObjectURL(new Blob([blob], { type })), type };
      this.files = { ...this.files, [id]: fetched };
      return fetched;
    } catch (e) {
      this.error = this.message(e);
      return null;
    }
  }

  private async openFile(id: string, type: string) {
    const f = await this.fetchFile(id, type);
    if (f) window.open(f.url, '_blank', 'noopener');
  }

  private async downloadFile(id: string, type: string, name: string) {
    const f = await this.fetchFile(id, type);
    if (!f) return;
    const a = document.createElement('a');
    a.href = f.url;
    a.download = name;
    a.rel = 'noopener';
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
  }

  private message(e: unknown): string {
    const err = e as { status?: number; message?: string };
    if (err.status === 0) return t('request:error.network');
    if (err.status === 403) return t('request:error.forbidden');
    if (err.status === 404) return t('request:error.notFound');
    return err.message || t('request:error.failed');
  }

  private async act(run: () => Promise<unknown>, notice: string) {
    this.busy = true;
    this.error = '';
    this.notice = '';
    try {
      await run();
      this.notice = notice;
      await this.reload();
      this.dispatchEvent(new CustomEvent('item-changed', { bubbles: true, composed: true }));
      return true;
    } catch (e) {
      this.error = this.message(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  private route(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const department = new FormData(form).get('department') as string;
    const name = this.departments.find((d) => d.id === department)?.name ?? department;
    void this.act(() => this.client!.routeRequest(this.reference, department), t('request:route.done', { department: name }));
  }

  private setStatus(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const status = data.get('status') as RequestStatus;
    const note = ((data.get('note') as string) ?? '').trim();
    void this.act(() => this.client!.setRequestStatus(this.reference, status, note || undefined), t('request:status.done', { status: t(`common:status.${status}`) })).then(
      (ok) => ok && form.reset(),
    );
  }

  private closeRequest() {
    void this.act(() => this.client!.setRequestStatus(this.reference, 'closed'), t('request:status.closed'));
  }

  private reply(event: SubmitEvent) {
    event.preventDefault();
    const text = this.replyText?.value.trim() ?? '';
    if (!text) {
      this.error = t('request:reply.empty');
      this.replyText?.focus();
      return;
    }
    void this.act(() => this.client!.replyToRequest(this.reference, text), t('request:reply.done')).then((ok) => {
      if (ok && this.replyText) this.replyText.value = '';
    });
  }

  private onCanned(event: CustomEvent<CannedInsertDetail>) {
    const box = this.replyText;
    if (!box) return;
    const start = box.selectionStart ?? box.value.length;
    box.setRangeText(event.detail.text, start, box.selectionEnd ?? start, 'end');
    box.focus();
  }

  private claim() {
    void this.act(() => this.client!.claimRequest(this.reference), t('request:assign.claimed'));
  }

  private release() {
    void this.act(() => this.client!.assignRequest(this.reference, null), t('request:assign.released'));
  }

  private assign(event: SubmitEvent) {
    event.preventDefault();
    const account = new FormData(event.target as HTMLFormElement).get('account') as string;
    if (!account) return;
    const name = this.people.find((p) => p.id === account)?.name ?? account;
    void this.act(() => this.client!.assignRequest(this.reference, account), t('request:assign.done', { name }));
  }

  private addNote(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = this.noteText?.value.trim() ?? '';
    const visibility = new FormData(form).get('visibility') === 'resident' ? 'resident' : 'internal';
    if (!text) {
      this.error = t('request:notes.empty');
      this.noteText?.focus();
      return;
    }
    const done = visibility === 'resident' ? t('request:notes.doneResident') : t('request:notes.doneInternal');
    void this.act(() => this.client!.addNote(this.reference, text, visibility), done).then((ok) => ok && form.reset());
  }

  private async showContact() {
    this.busy = true;
    this.error = '';
    try {
      this.contact = await this.client!.requestContact(this.reference);
      if (!this.contact) this.notice = t('request:contact.none');
    } catch (e) {
      const status = (e as { status?: number }).status;
      this.error = status === 403 ? t('request:contact.protected') : this.message(e);
    } finally {
      this.busy = false;
    }
  }

  private releaseContact(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const note = ((new FormData(form).get('note') as string) ?? '').trim();
    if (!note) {
      this.error = t('request:contact.releaseNoteMissing');
      form.querySelector('textarea')?.focus();
      return;
    }
    void this.act(() => this.client!.releaseContact(this.reference, note), t('request:contact.released')).then((ok) => ok && form.reset());
  }

  /* ------------------------------------------------------------ rendering */

  private time(iso: string) {
    const zone = this.request?.timeZone;
    return html`<time datetime=${iso} title=${fullDateTime(iso, zone)}>${dateTime(iso, zone)}</time>`;
  }

  private size(bytes: number) {
    if (bytes < 1024) return t('request:attachments.bytes', { n: number(bytes) });
    if (bytes < 1024 * 1024) return t('request:attachments.kb', { n: number(Math.round(bytes / 1024)) });
    return t('request:attachments.mb', { n: number(bytes / 1024 / 1024, { maximumFractionDigits: 1 }) });
  }

  private renderAssignment(r: StaffRequestDetail) {
    const mine = r.assignee?.id === this.meId;
    const dispatcher = this.myRole === 'dispatcher';
    return html`<div class="assignment" data-assignee=${r.assignee?.id ?? ''}>
      <span>${t('request:assign.label')}
        ${r.assignee
          ? html`<strong>${mine ? t('request:assign.you', { name: r.assignee.name }) : r.assignee.name}</strong>${r.assignedAt ? html` <span class="when">${this.time(r.assignedAt)}</span>` : nothing}`
          : html`<strong class="muted">${t('request:assign.nobody')}</strong>`}
      </span>
      <span class="buttons">
        ${this.officer && !mine && (!r.assignee || dispatcher)
          ? html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${this.claim}>${t('request:assign.claim')}</button>`
          : nothing}
        ${r.assignee && (mine || dispatcher)
          ? html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${this.release}>${t('request:assign.release')}</button>`
          : nothing}
      </span>
      ${dispatcher && this.people.length
        ? html`<form class="inline" @submit=${this.assign} aria-label=${t('request:assign.formLabel')}>
            <div class="grow">
              <label for="assign-account">${t('request:assign.to')}</label>
              <select id="assign-account" name="account">
                ${this.people.map((p) => html`<option value=${p.id} ?selected=${p.id === r.assignee?.id}>${p.name}</option>`)}
              </select>
            </div>
            <button type="submit" ?disabled=${this.busy}>${t('request:assign.submit')}</button>
          </form>`
        : nothing}
    </div>`;
  }

  private renderField(f: FilledField) {
    const shown = f.display ?? (typeof f.value === 'string' ? f.value : JSON.stringify(f.value));
    return html`<dt>${f.label}</dt>
      <dd data-field=${f.id}>
        <span class="text">${shown}</span>
        ${f.residentDisplay ? html`<br /><span class="hint">${t('request:fields.residentSaw', { text: f.residentDisplay })}</span>` : nothing}
        ${f.mapUrl ? html`<br /><a href=${f.mapUrl} target="_blank" rel="noopener noreferrer">${t('request:fields.map')}</a>` : nothing}
      </dd>`;
  }

  private renderAttachments(r: StaffRequestDetail) {
    if (!r.attachments.length) return nothing;
    return html`<section aria-labelledby="att-h">
      <h3 id="att-h">${t('request:attachments.title', { count: r.attachments.length })}</h3>
      <ul class="files">
        ${r.attachments.map((a) => {
          const f = this.files[a.id];
          const image = PREVIEWABLE.test(a.type);
          return html`<li data-attachment=${a.id}>
            ${image
              ? f
                ? html`<button type="button" class="thumb" @click=${() => this.openFile(a.id, a.type)} aria-label=${t('request:attachments.openNamed', { name: a.name })}>
                    <img src=${f.url} alt="" />
                  </button>`
                : html`<span class="thumb placeholder" aria-hidden="true"></span>`
              : nothing}
            <span class="file-name">${a.name} <span class="muted">(${this.size(a.size)})</span></span>
            <span class="buttons">
              ${image || a.type === 'application/pdf'
                ? html`<button type="button" class="secondary" @click=${() => this.openFile(a.id, a.type)}
                    aria-label=${t('request:attachments.openNamed', { name: a.name })}>${t('request:attachments.open')}</button>`
                : nothing}
              <button type="button" class="secondary" @click=${() => this.downloadFile(a.id, a.type, a.name)}
                aria-label=${t('request:attachments.downloadNamed', { name: a.name })}>${t('request:attachments.download')}</button>
            </span>
          </li>`;
        })}
      </ul>
    </section>`;
  }

  private renderNotes(r: StaffRequestDetail) {
    return html`<section aria-labelledby="notes-h">
      <h3 id="notes-h">${t('request:notes.title', { count: r.notes.length })}</h3>
      ${r.notes.length
        ? html`<ol class="timeline" data-notes>
            ${r.notes.map((n) => html`<li data-note=${n.visibility} class=${n.visibility === 'internal' ? 'internal' : ''}>
              <span><span class="badge ${n.visibility === 'internal' ? 'internal' : 'public'}">${n.visibility === 'internal' ? t('request:notes.internal') : t('request:notes.resident')}</span>
                ${n.author ? html` <strong>${n.author.name}</strong>` : nothing} <span class="when">${this.time(n.at)}</span></span>
              <span class="text">${n.text}</span>
            </li>`)}
          </ol>`
        : html`<p class="muted">${t('request:notes.none')}</p>`}
      ${this.officer
        ? html`<form class="card panel" @submit=${this.addNote} aria-labelledby="note-h">
            <h4 id="note-h">${t('request:notes.add')}</h4>
            <label for="note-text" class="visually-hidden">${t('request:notes.text')}</label>
            <textarea id="note-text" name="text" rows="2" maxlength="2000"></textarea>
            <fieldset class="choices">
              <legend>${t('request:notes.who')}</legend>
              <label><input type="radio" name="visibility" value="internal" checked /> ${t('request:notes.internalChoice')}</label>
              <label><input type="radio" name="visibility" value="resident" /> ${t('request:notes.residentChoice')}</label>
            </fieldset>
            <div class="buttons"><button type="submit" ?disabled=${this.busy}>${t('request:notes.submit')}</button></div>
          </form>`
        : nothing}
    </section>`;
  }

  private renderContact(r: StaffRequestDetail) {
    const shown = this.contact ?? r.contact;
    const hint = r.contactHint;
    const dispatcher = this.myRole === 'dispatcher';
    const canRelease = dispatcher && r.type === 'complaint' && r.contactHidden && !r.contactSharedWithOffice;
    return html`<section class="card panel" aria-labelledby="contact-h">
      <h3 id="contact-h">${t('request:contact.title')}</h3>
      ${shown && (shown.name || shown.phone || shown.email)
        ? html`<dl data-contact>
            ${shown.name ? html`<dt>${t('request:contact.name')}</dt><dd>${shown.name}</dd>` : nothing}
            ${shown.phone ? html`<dt>${t('request:contact.phone')}</dt><dd><a href="tel:${shown.phone}">${shown.phone}</a></dd>` : nothing}
            ${shown.email ? html`<dt>${t('request:contact.email')}</dt><dd>${shown.email}</dd>` : nothing}
            <dt>${t('request:contact.prefers')}</dt><dd>${this.preferred(shown.preferred)}</dd>
          </dl>`
        : r.contactHidden
          ? html`${hint && (hint.name || hint.phone || hint.email)
                ? html`<p class="muted" data-contact-hint>${[hint.name, hint.phone, hint.email].filter(Boolean).join(' · ')}</p>`
                : nothing}
              ${r.contactHidden === 'complaint' && !dispatcher
                ? html`<p class="muted">${t('request:contact.complaint')}</p>`
                : html`<p class="hint">${t('request:contact.onDemand')}</p>`}
              <div class="buttons">
                <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.showContact}>${t('request:contact.show')}</button>
              </div>`
          : html`<p class="muted">${t('request:contact.anonymous')}</p>`}
      ${r.contactRelease
        ? html`<p class="hint" data-released>${t('request:contact.releasedBy', { by: r.contactRelease.by, note: r.contactRelease.note })} ${this.time(r.contactRelease.at)}</p>`
        : nothing}
      ${canRelease && !r.contactRelease
        ? html`<form @submit=${this.releaseContact} aria-labelledby="release-h">
            <h4 id="release-h">${t('request:contact.release')}</h4>
            <label for="release-note">${t('request:contact.releaseNote')}</label>
            <textarea id="release-note" name="note" rows="2" maxlength="2000"></textarea>
            <div class="buttons"><button type="submit" class="secondary" ?disabled=${this.busy}>${t('request:contact.releaseSubmit')}</button></div>
          </form>`
        : nothing}
      <dl>
        <dt>${t('request:contact.language')}</dt><dd>${r.locale}</dd>
        ${r.page ? html`<dt>${t('request:contact.page')}</dt><dd>${r.page.title || r.page.url}<br /><span class="muted">${r.page.url}</span></dd>` : nothing}
        ${r.conversationId
          ? html`<dt>${t('conversation:linked.term')}</dt><dd><a href=${`#/conversation/${encodeURIComponent(r.conversationId)}`} data-conversation>${t('conversation:linked.open')}</a></dd>`
          : nothing}
      </dl>
    </section>`;
  }

  private preferred(p: string | undefined) {
    if (p === 'phone') return t('request:contact.byPhone');
    if (p === 'email') return t('request:contact.byEmail');
    return t('request:contact.noPreference');
  }

  override render() {
    const r = this.request;
    if (!r) {
      return html`<article>${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p class="muted">${t('request:loading', { reference: this.reference })}</p>`}</article>`;
    }
    const canned: CannedContext = { name: r.contact?.name ?? null, reference: r.reference, department: r.routedTo.name, agent: this.user?.displayName ?? null };
    return html`<article aria-labelledby="request-heading">
      <div class="head">
        <h2 id="request-heading" tabindex="-1">${r.reference}</h2>
        <div class="badges">
          <span class="badge status-${r.status}" data-status=${r.status}>${t(`common:status.${r.status}`)}</span>
          <span class="badge kind">${t(`common:kind.${r.type}`)}</span>
          <span>${t('request:routedTo')} <strong data-routed>${r.routedTo.name}</strong></span>
        </div>
        <p class="meta">${r.service.name} · ${r.site.name} · ${t('request:received')} ${this.time(r.createdAt)}${r.replyBy ? html` · ${t('request:replyDue')} ${this.time(r.replyBy)}` : nothing}</p>
        ${this.renderAssignment(r)}
      </div>
      <p class="notice" role="status">${this.notice}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="layout">
        <div class="main">
          <section aria-labelledby="desc-h">
            <h3 id="desc-h">${t('request:description')}</h3>
            <p class="text" data-description>${r.description}</p>
          </section>
          ${r.fields.length
            ? html`<section aria-labelledby="fields-h">
                <h3 id="fields-h">${t('request:fields.title')}</h3>
                <dl>${r.fields.map((f) => this.renderField(f))}</dl>
              </section>`
            : nothing}
          ${this.renderAttachments(r)}
          <section aria-labelledby="replies-h">
            <h3 id="replies-h">${t('request:reply.title', { count: r.replies.length })}</h3>
            ${r.replies.length
              ? html`<ol class="timeline">${r.replies.map(
                  (reply) => html`<li data-reply>
                    <span><strong>${reply.signature ?? reply.department.name}</strong> <span class="when">${this.time(reply.at)}</span></span>
                    ${reply.author ? html`<span class="hint">${t('request:reply.by', { name: reply.author.name })}</span>` : nothing}
                    <span class="text">${reply.text}</span>
                  </li>`,
                )}</ol>`
              : html`<p class="muted">${t('request:reply.none')}</p>`}
          </section>
          ${this.officer
            ? html`<form class="card panel" @submit=${this.reply} @canned-insert=${this.onCanned} aria-labelledby="reply-h">
                <h3 id="reply-h">${t('request:reply.form')}</h3>
                <label for="reply-text" class="visually-hidden">${t('request:reply.text')}</label>
                <textarea id="reply-text" name="text" rows="4" maxlength="4000" aria-describedby="reply-signed"
                  placeholder=${t('request:reply.placeholder')}></textarea>
                <p id="reply-signed" class="hint" data-signature>${this.signature ? t('request:reply.signedAs', { signature: this.signature }) : ''}</p>
                <div class="buttons">
                  <staff-canned-replies .client=${this.client} .context=${canned} .department=${r.routedTo.id}></staff-canned-replies>
                  <button type="submit" ?disabled=${this.busy}>${t('request:reply.send')}</button>
                </div>
              </form>`
            : nothing}
          ${this.renderNotes(r)}
          ${r.feedbackHistory.length // every rating is kept, a reopened request's earlier ones too; newest first
            ? html`<section aria-labelledby="feedback-h">
                <h3 id="feedback-h">${t('request:ratings.title', { count: r.feedbackHistory.length })}</h3>
                <ol class="timeline" data-ratings>
                  ${[...r.feedbackHistory].reverse().map(
                    (f, i) => html`<li data-rating=${f.rating} class=${f.rating <= 2 || !f.resolved ? 'unhappy' : ''}>
                      <span><strong>${t('request:ratings.stars', { rating: f.rating })}</strong> · ${f.resolved ? t('request:ratings.solved') : t('request:ratings.notSolved')}${i === 0 && r.feedbackHistory.length > 1 ? html` <span class="badge rated">${t('request:ratings.latest')}</span>` : nothing}</span>
                      ${f.comment ? html`<span class="text">${f.comment}</span>` : nothing}
                      <span class="when">${t('request:ratings.rated', { department: f.department.name })} · ${this.time(f.at)}</span>
                    </li>`,
                  )}
                </ol>
              </section>`
            : nothing}
        </div>
        <div class="side">
          <staff-suggestion .client=${this.client} item="request" .target=${r.reference} .suggestion=${r.suggestion ?? null} .current=${r.routedTo.id} .timeZone=${r.timeZone} ?canRoute=${this.myRole === 'dispatcher'} @dispatch-changed=${() => this.reload()}></staff-suggestion>
          <staff-dispatch .client=${this.client} .request=${r} .departments=${this.departments} .user=${this.user} @dispatch-changed=${() => this.reload()}></staff-dispatch>
          ${this.myRole === 'dispatcher'
            ? html`<form class="card panel" @submit=${this.route} aria-labelledby="route-h">
                <h3 id="route-h">${t('request:route.title')}</h3>
                <div class="inline">
                  <div class="grow">
                    <label for="route-department">${t('request:route.department')}</label>
                    <select id="route-department" name="department">
                      ${this.departments.map((d) => html`<option value=${d.id} ?selected=${d.id === r.routedTo.id}>${d.name}</option>`)}
                    </select>
                  </div>
                  <button type="submit" ?disabled=${this.busy}>${t('request:route.submit')}</button>
                </div>
              </form>`
            : nothing}
          ${this.officer
            ? html`<form class="card panel" @submit=${this.setStatus} aria-labelledby="status-h">
                <h3 id="status-h">${t('request:status.title')}</h3>
                ${r.nextStatuses.length
                  ? html`<div class="inline">
                        <div class="grow">
                          <label for="status-select">${t('request:status.moveTo')}</label>
                          <select id="status-select" name="status">
                            ${r.nextStatuses.map((s) => html`<option value=${s}>${t(`common:status.${s}`)}</option>`)}
                          </select>
                        </div>
                      </div>
                      <label for="status-note">${t('request:status.note')} <span class="hint">${t('request:status.noteHint')}</span></label>
                      <input id="status-note" name="note" maxlength="2000" />
                      <div class="buttons">
                        ${r.nextStatuses.includes('closed') && r.status !== 'closed'
                          ? html`<button type="button" class="danger" ?disabled=${this.busy} @click=${this.closeRequest}>${t('request:status.close')}</button>`
                          : nothing}
                        <button type="submit" ?disabled=${this.busy}>${t('request:status.submit')}</button>
                      </div>`
                  : html`<p class="muted">${t('request:status.none')}</p>`}
              </form>`
            : nothing}
          <staff-supervise .client=${this.client} .request=${r} .staffRole=${this.myRole}></staff-supervise>
          <staff-ratings .client=${this.client} .request=${r}></staff-ratings>
          <staff-duplicates .client=${this.client} .request=${r} .staffRole=${this.myRole}></staff-duplicates>
          <staff-delivery .client=${this.client} .request=${r} .staffRole=${this.myRole} @delivery-changed=${() => this.reload()}></staff-delivery>
          ${this.renderContact(r)}
          <section aria-labelledby="timeline-h">
            <h3 id="timeline-h">${t('request:timeline.title')}</h3>
            <ol class="timeline" data-timeline>
              ${[...r.timeline].reverse().map((e) =>
                e.feedback
                  ? html`<li data-rating=${e.feedback.rating} class=${e.feedback.rating <= 2 || !e.feedback.resolved ? 'unhappy' : ''}>
                      <span><span class="badge rated">${t('request:ratings.ratedBadge', { rating: e.feedback.rating })}</span> ${e.feedback.resolved ? t('request:ratings.solved') : t('request:ratings.notSolved')}</span>
                      ${e.feedback.comment ? html`<span class="text">${e.feedback.comment}</span>` : nothing}
                      ${this.time(e.at)}
                    </li>`
                  : html`<li>
                  <span><span class="badge status-${e.status}">${t(`common:status.${e.status}`)}</span>${e.department ? html` ${e.department.name}` : nothing}</span>
                  ${e.note ? html`<span class="text">${e.note}</span>` : nothing}
                  ${this.time(e.at)}
                </li>`,
              )}
            </ol>
          </section>
        </div>
      </div>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-request': StaffRequest;
  }
}
