/** One request in detail: what the resident sent, routing, status moves, replies and timeline. */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { RequestStatus } from '../../src/client/protocol.js';
import type { StaffRequestDetail } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { bytes, fieldText, fullTime, kindLabel, shortTime, statusLabel } from './format.js';
import type { StaffClient } from './staff-client.js';
import type { Named } from './staff-queue.js';

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

  @property({ attribute: false }) client?: StaffClient;
  @property() reference = '';
  @property({ attribute: false }) departments: Named[] = [];

  @state() private request?: StaffRequestDetail;
  @state() private error = '';
  @state() private notice = '';
  @state() private busy = false;
  @query('h2') private heading?: HTMLElement;
  @query('#reply-text') private replyText?: HTMLTextAreaElement;

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('reference') || changed.has('client')) && this.reference && this.client) {
      if (changed.has('reference')) {
        this.request = undefined;
        this.notice = '';
      }
      void this.reload();
    }
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
        await this.updateComplete;
        this.heading?.focus();
      }
    } catch (e) {
      this.error = (e as Error).message;
    }
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
      this.error = (e as Error).message;
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
    void this.act(() => this.client!.routeRequest(this.reference, department), `Routed to ${name}.`);
  }

  private setStatus(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const status = data.get('status') as RequestStatus;
    const note = ((data.get('note') as string) ?? '').trim();
    void this.act(() => this.client!.setRequestStatus(this.reference, status, note || undefined), `Status set to ${statusLabel(status)}.`).then(
      (ok) => ok && form.reset(),
    );
  }

  private closeRequest() {
    void this.act(() => this.client!.setRequestStatus(this.reference, 'closed'), 'Request closed.');
  }

  private reply(event: SubmitEvent) {
    event.preventDefault();
    const text = this.replyText?.value.trim() ?? '';
    if (!text) {
      this.error = 'Write a reply first.';
      this.replyText?.focus();
      return;
    }
    void this.act(() => this.client!.replyToRequest(this.reference, text), 'Reply sent to the resident.').then((ok) => {
      if (ok && this.replyText) this.replyText.value = '';
    });
  }

  override render() {
    const r = this.request;
    if (!r) {
      return html`<article>${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p class="muted">Loading ${this.reference}…</p>`}</article>`;
    }
    return html`<article aria-labelledby="request-heading">
      <div class="head">
        <h2 id="request-heading" tabindex="-1">${r.reference}</h2>
        <div class="badges">
          <span class="badge status-${r.status}" data-status=${r.status}>${statusLabel(r.status)}</span>
          <span class="badge kind">${kindLabel(r.type)}</span>
          <span>to <strong data-routed>${r.routedTo.name}</strong></span>
        </div>
        <p class="meta">${r.service.name} · ${r.site.name} · received ${shortTime(r.createdAt)}${r.replyBy ? ` · reply due ${shortTime(r.replyBy)}` : ''}</p>
      </div>
      <p class="notice" role="status">${this.notice}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="layout">
        <div class="main">
          <section aria-labelledby="desc-h">
            <h3 id="desc-h">Description</h3>
            <p class="text" data-description>${r.description}</p>
          </section>
          ${r.fields.length
            ? html`<section aria-labelledby="fields-h">
                <h3 id="fields-h">Form</h3>
                <dl>${r.fields.map((f) => html`<dt>${f.label}</dt><dd class="text">${fieldText(f.value)}</dd>`)}</dl>
              </section>`
            : nothing}
          <section aria-labelledby="replies-h">
            <h3 id="replies-h">Replies (${r.replies.length})</h3>
            ${r.replies.length
              ? html`<ol class="timeline">${r.replies.map(
                  (reply) => html`<li data-reply>
                    <span><strong>${reply.department.name}</strong> <time class="when" datetime=${reply.at}>${fullTime(reply.at)}</time></span>
                    <span class="text">${reply.text}</span>
                  </li>`,
                )}</ol>`
              : html`<p class="muted">No reply yet.</p>`}
          </section>
          <form class="card panel" @submit=${this.reply} aria-labelledby="reply-h">
            <h3 id="reply-h">Reply to the resident</h3>
            <label for="reply-text" class="visually-hidden">Reply text</label>
            <textarea id="reply-text" name="text" rows="4" maxlength="4000"
              placeholder="The resident sees this reply in the widget and by reference number."></textarea>
            <div class="buttons"><button type="submit" ?disabled=${this.busy}>Send reply</button></div>
          </form>
          ${r.feedbackHistory.length // every rating is kept, a reopened request's earlier ones too; newest first
            ? html`<section aria-labelledby="feedback-h">
                <h3 id="feedback-h">Resident's ratings (${r.feedbackHistory.length})</h3>
                <ol class="timeline" data-ratings>
                  ${[...r.feedbackHistory].reverse().map(
                    (f, i) => html`<li data-rating=${f.rating} class=${f.rating <= 2 || !f.resolved ? 'unhappy' : ''}>
                      <span><strong>${f.rating} / 5</strong> · ${f.resolved ? 'solved' : 'not solved'}${i === 0 && r.feedbackHistory.length > 1 ? html` <span class="badge rated">latest</span>` : nothing}</span>
                      ${f.comment ? html`<span class="text">${f.comment}</span>` : nothing}
                      <span class="when">rated ${f.department.name} · <time datetime=${f.at}>${fullTime(f.at)}</time></span>
                    </li>`,
                  )}
                </ol>
              </section>`
            : nothing}
        </div>
        <div class="side">
          <form class="card panel" @submit=${this.route} aria-labelledby="route-h">
            <h3 id="route-h">Route</h3>
            <div class="inline">
              <div class="grow">
                <label for="route-department">Department</label>
                <select id="route-department" name="department">
                  ${this.departments.map((d) => html`<option value=${d.id} ?selected=${d.id === r.routedTo.id}>${d.name}</option>`)}
                </select>
              </div>
              <button type="submit" ?disabled=${this.busy}>Route</button>
            </div>
          </form>
          <form class="card panel" @submit=${this.setStatus} aria-labelledby="status-h">
            <h3 id="status-h">Status</h3>
            ${r.nextStatuses.length
              ? html`<div class="inline">
                    <div class="grow">
                      <label for="status-select">Move to</label>
                      <select id="status-select" name="status">
                        ${r.nextStatuses.map((s) => html`<option value=${s}>${statusLabel(s)}</option>`)}
                      </select>
                    </div>
                  </div>
                  <label for="status-note">Note <span class="hint">(optional, the resident sees it)</span></label>
                  <input id="status-note" name="note" maxlength="2000" />
                  <div class="buttons">
                    ${r.nextStatuses.includes('closed') && r.status !== 'closed'
                      ? html`<button type="button" class="danger" ?disabled=${this.busy} @click=${this.closeRequest}>Close request</button>`
                      : nothing}
                    <button type="submit" ?disabled=${this.busy}>Set status</button>
                  </div>`
              : html`<p class="muted">No further status.</p>`}
          </form>
          <section class="card panel" aria-labelledby="contact-h">
            <h3 id="contact-h">Resident</h3>
            ${r.contact && (r.contact.name || r.contact.phone || r.contact.email)
              ? html`<dl>
                  ${r.contact.name ? html`<dt>Name</dt><dd>${r.contact.name}</dd>` : nothing}
                  ${r.contact.phone ? html`<dt>Phone</dt><dd>${r.contact.phone}</dd>` : nothing}
                  ${r.contact.email ? html`<dt>Email</dt><dd>${r.contact.email}</dd>` : nothing}
                  <dt>Prefers</dt><dd>${r.contact.preferred ?? 'none'}</dd>
                </dl>`
              : html`<p class="muted">Anonymous: no contact given. The resident reads replies by reference.</p>`}
            <dl>
              <dt>Language</dt><dd>${r.locale}</dd>
              ${r.page ? html`<dt>From page</dt><dd>${r.page.title || r.page.url}<br /><span class="muted">${r.page.url}</span></dd>` : nothing}
            </dl>
          </section>
          ${r.attachments.length
            ? html`<section class="card panel" aria-labelledby="att-h">
                <h3 id="att-h">Attachments</h3>
                <ul>${r.attachments.map((a) => html`<li>${a.name} <span class="muted">(${a.type}, ${bytes(a.size)})</span></li>`)}</ul>
              </section>`
            : nothing}
          <section aria-labelledby="timeline-h">
            <h3 id="timeline-h">Timeline</h3>
            <ol class="timeline" data-timeline>
              ${[...r.timeline].reverse().map((t) =>
                t.feedback
                  ? html`<li data-rating=${t.feedback.rating} class=${t.feedback.rating <= 2 || !t.feedback.resolved ? 'unhappy' : ''}>
                      <span><span class="badge rated">Rated ${t.feedback.rating} / 5</span> ${t.feedback.resolved ? 'solved' : 'not solved'}</span>
                      ${t.feedback.comment ? html`<span class="text">${t.feedback.comment}</span>` : nothing}
                      <time datetime=${t.at}>${fullTime(t.at)}</time>
                    </li>`
                  : html`<li>
                  <span><span class="badge status-${t.status}">${statusLabel(t.status)}</span>${t.department ? html` ${t.department.name}` : nothing}</span>
                  ${t.note ? html`<span class="text">${t.note}</span>` : nothing}
                  <time datetime=${t.at}>${fullTime(t.at)}</time>
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
