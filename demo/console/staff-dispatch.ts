/**
 * Re-dispatch in the request view (issue 17; docs/staff-api.md, "Re-dispatch"): the lead office
 * (主办) and the first office (首接负责), assisting offices (协办); for the office handling it,
 * 退单 with a reason from the list and a note; for the dispatcher, a pending return's reason with
 * 改派给… (re-dispatch through `POST …/route`) and 驳回退单 (overrule), and the assisting-offices
 * editor; every move of the item listed. Strings: the `dispatch` namespace.
 *
 * @fires dispatch-changed - After a change the request view should load again.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { RETURN_REASONS } from '../../src/client/protocol.js';
import type { StaffMove, StaffRequestDetail } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { LocalizeController, dateTime, fullDateTime, number, t } from './i18n.js';
import { StaffApiError, type StaffClient } from './staff-client.js';
import type { Named } from './staff-queue.js';

/** Who is signed in, as far as this panel needs it (the server decides what is allowed). */
export interface DispatchUser {
  role: string;
  departmentId?: string | null;
}

/** Statuses an office may still return an item in (the server's rule, loop/dispatch.ts). */
const RETURNABLE = ['received', 'routed', 'in_progress'];

@customElement('staff-dispatch')
export class StaffDispatch extends LitElement {
  static override styles = [
    base,
    detail,
    css`
      :host { display: block; }
      .returned { border-inline-start: 4px solid var(--c-danger); }
      .offices { display: grid; gap: 0.25em; }
      fieldset { border: 0; margin: 0; padding: 0; display: grid; gap: 0.3em; }
      legend { padding: 0; font-weight: 600; margin-block-end: 0.2em; }
      .checks { display: grid; gap: 0.2em; }
      .checks label { display: flex; gap: 0.4em; align-items: center; font-weight: 400; }
      textarea { inline-size: 100%; }
      .error { color: var(--c-danger); font-weight: 600; }
      .field-error { color: var(--c-danger); font-size: 0.9em; }
      ol.timeline li.returned-move { border-inline-start-color: var(--c-danger); }
      h4 { margin-block-start: 0.7em; }
      .pending { display: grid; gap: 0.4em; }
    `,
  ];

  protected readonly l10n = new LocalizeController(this);

  @property({ attribute: false }) client?: StaffClient;
  @property({ attribute: false }) request?: StaffRequestDetail;
  @property({ attribute: false }) departments: Named[] = [];
  /** The signed-in person (unknown: the intake centre's dispatcher). */
  @property({ attribute: false }) user?: DispatchUser | null;

  @state() private busy = false;
  @state() private error = '';
  @state() private notice = '';
  @state() private noteError = '';
  /** The office has just returned it: out of its scope now, shown from the answer. */
  @state() private handedBack = false;

  private get myRole() {
    return this.user?.role ?? 'dispatcher';
  }

  /** A department officer of an assisting office (not the lead). */
  private get assisting() {
    const r = this.request;
    return !!r && this.myRole === 'department' && !!this.user?.departmentId && this.user.departmentId !== r.routedTo.id;
  }

  private reason(code: string) {
    return (RETURN_REASONS as readonly string[]).includes(code) ? t(`dispatch:reason.${code}`) : code;
  }

  private time(iso: string) {
    const zone = this.request?.timeZone;
    return html`<time datetime=${iso} title=${fullDateTime(iso, zone)}>${dateTime(iso, zone)}</time>`;
  }

  private message(e: unknown) {
    if (e instanceof StaffApiError) {
      if (e.status === 403) return t('dispatch:error.forbidden');
      if (e.status === 409) return t('dispatch:error.conflict');
      if (e.status === 422) return t('dispatch:error.invalid');
    }
    return t('dispatch:error.failed');
  }

  private async act(run: () => Promise<unknown>, notice: string, reload = true) {
    this.busy = true;
    this.error = '';
    this.notice = '';
    try {
      await run();
      this.notice = notice;
      this.dispatchEvent(new CustomEvent('item-changed', { bubbles: true, composed: true }));
      if (reload) this.dispatchEvent(new CustomEvent('dispatch-changed', { bubbles: true, composed: true }));
      return true;
    } catch (e) {
      this.error = this.message(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  private async returnIt(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const reason = String(data.get('reason') ?? '');
    const note = String(data.get('note') ?? '').trim();
    this.noteError = reason === 'other' && !note ? t('dispatch:return.noteRequired') : '';
    if (this.noteError) {
      form.querySelector<HTMLTextAreaElement>('#return-note')?.focus();
      return;
    }
    const r = this.request!;
    // The office no longer sees it once returned: no reload, the panel says where it went.
    if (await this.act(() => this.client!.returnRequest(r.reference, reason, note), t('dispatch:return.done'), false)) this.handedBack = true;
  }

  private async redispatch(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const department = String(data.get('department') ?? '');
    const name = this.departments.find((d) => d.id === department)?.name ?? department;
    await this.act(() => this.client!.routeRequest(this.request!.reference, department), t('dispatch:redispatch.done', { department: name }));
  }

  private async overrule(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const note = String(new FormData(form).get('note') ?? '').trim();
    if (!note) {
      this.error = t('dispatch:overrule.noteRequired');
      form.querySelector<HTMLTextAreaElement>('#overrule-note')?.focus();
      return;
    }
    await this.act(() => this.client!.overruleReturn(this.request!.reference, note), t('dispatch:overrule.done'));
  }

  private async saveOffices(event: SubmitEvent) {
    event.preventDefault();
    const assist = new FormData(event.target as HTMLFormElement).getAll('assist').map(String);
    await this.act(() => this.client!.setOffices(this.request!.reference, assist), t('dispatch:offices.done', { count: assist.length, n: number(assist.length) }));
  }

  override render() {
    const r = this.request;
    if (!r) return nothing;
    if (this.handedBack) {
      return html`<section class="card panel returned" aria-labelledby="dispatch-h">
        <h3 id="dispatch-h">${t('dispatch:title')}</h3>
        <p class="notice" role="status">${this.notice}</p>
        <p><a href="#/">${t('dispatch:return.backToQueue')}</a></p>
      </section>`;
    }
    return html`<section class="card panel ${r.returnPending ? 'returned' : ''}" aria-labelledby="dispatch-h" data-dispatch>
      <h3 id="dispatch-h">${t('dispatch:title')}</h3>
      <dl class="offices">
        <dt>${t('dispatch:lead')}</dt><dd data-lead>${r.routedTo.name}</dd>
        <dt>${t('dispatch:firstOffice')}</dt><dd data-first-office>${r.firstOffice ? r.firstOffice.name : t('dispatch:noFirstOffice')}</dd>
        ${r.assisting?.length ? html`<dt>${t('dispatch:assisting')}</dt><dd data-assisting>${r.assisting.map((d) => d.name).join(t('dispatch:separator'))}</dd>` : nothing}
        <dt>${t('dispatch:counts')}</dt><dd data-counts>${t('dispatch:countsText', { transfers: number(r.transfers ?? 0), returns: number(r.returns ?? 0) })}</dd>
      </dl>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${r.returnPending ? this.renderPending(r) : nothing}
      ${this.assisting ? html`<p class="hint" data-assist-hint>${t('dispatch:assistHint')}</p>` : nothing}
      ${!r.returnPending && !this.assisting && (this.myRole === 'department' || this.myRole === 'site') && RETURNABLE.includes(r.status) ? this.renderReturn() : nothing}
      ${this.myRole === 'dispatcher' && !r.returnPending ? this.renderOffices(r) : nothing}
      ${this.renderMoves(r.moves ?? [])}
    </section>`;
  }

  private renderPending(r: StaffRequestDetail) {
    const p = r.returnPending!;
    const choices = this.departments.filter((d) => d.id !== p.office.id && d.id !== r.routedTo.id);
    return html`<div class="pending" data-return-pending>
      <h4>${t('dispatch:pending.title', { office: p.office.name })}</h4>
      <dl>
        <dt>${t('dispatch:pending.reason')}</dt><dd data-reason=${p.reason}>${this.reason(p.reason)}</dd>
        ${p.note ? html`<dt>${t('dispatch:pending.note')}</dt><dd class="text">${p.note}</dd>` : nothing}
        <dt>${t('dispatch:pending.when')}</dt><dd>${this.time(p.at)}${p.by ? html` · ${p.by.name}` : nothing}</dd>
      </dl>
      ${this.myRole === 'dispatcher'
        ? html`<form @submit=${this.redispatch} aria-labelledby="redispatch-h">
              <h4 id="redispatch-h">${t('dispatch:redispatch.title')}</h4>
              <div class="inline">
                <div class="grow">
                  <label for="redispatch-department">${t('dispatch:redispatch.department')}</label>
                  <select id="redispatch-department" name="department">
                    ${choices.map((d) => html`<option value=${d.id}>${d.name}</option>`)}
                  </select>
                </div>
                <button type="submit" ?disabled=${this.busy}>${t('dispatch:redispatch.submit')}</button>
              </div>
            </form>
            <form @submit=${this.overrule} aria-labelledby="overrule-h">
              <h4 id="overrule-h">${t('dispatch:overrule.title')}</h4>
              <label for="overrule-note">${t('dispatch:overrule.note')}</label>
              <textarea id="overrule-note" name="note" rows="2" maxlength="2000"></textarea>
              <div class="buttons"><button type="submit" class="danger" ?disabled=${this.busy}>${t('dispatch:overrule.submit', { office: p.office.name })}</button></div>
            </form>`
        : html`<p class="hint">${t('dispatch:pending.waiting')}</p>`}
    </div>`;
  }

  private renderReturn() {
    return html`<form @submit=${this.returnIt} aria-labelledby="return-h" data-return-form novalidate>
      <h4 id="return-h">${t('dispatch:return.title')}</h4>
      <p class="hint">${t('dispatch:return.intro')}</p>
      <label for="return-reason">${t('dispatch:return.reason')}</label>
      <select id="return-reason" name="reason">
        ${RETURN_REASONS.map((code) => html`<option value=${code}>${this.reason(code)}</option>`)}
      </select>
      <label for="return-note">${t('dispatch:return.note')} <span class="hint">${t('dispatch:return.noteHint')}</span></label>
      <textarea id="return-note" name="note" rows="3" maxlength="2000" aria-invalid=${this.noteError ? 'true' : 'false'}
        aria-describedby=${this.noteError ? 'return-note-error' : nothing}></textarea>
      ${this.noteError ? html`<p class="field-error" id="return-note-error">${this.noteError}</p>` : nothing}
      <div class="buttons"><button type="submit" class="danger" ?disabled=${this.busy}>${t('dispatch:return.submit')}</button></div>
    </form>`;
  }

  private renderOffices(r: StaffRequestDetail) {
    const assisting = new Set((r.assisting ?? []).map((d) => d.id));
    const choices = this.departments.filter((d) => d.id !== r.routedTo.id && d.id !== 'dispatch');
    return html`<form @submit=${this.saveOffices} data-offices-form>
      <fieldset>
        <legend>${t('dispatch:offices.title')}</legend>
        <p class="hint">${t('dispatch:offices.hint', { lead: r.routedTo.name })}</p>
        <div class="checks">
          ${choices.map((d) => html`<label><input type="checkbox" name="assist" value=${d.id} ?checked=${assisting.has(d.id)} />${d.name}</label>`)}
        </div>
      </fieldset>
      <div class="buttons"><button type="submit" ?disabled=${this.busy}>${t('dispatch:offices.submit')}</button></div>
    </form>`;
  }

  private renderMoves(moves: StaffMove[]) {
    if (!moves.length) return nothing;
    return html`<section aria-labelledby="moves-h">
      <h4 id="moves-h">${t('dispatch:moves.title')}</h4>
      <ol class="timeline" data-moves>
        ${[...moves].reverse().map(
          (m) => html`<li data-move=${m.type} class=${m.type === 'returned' ? 'returned-move' : ''}>
            <span><strong>${t(`dispatch:move.${m.type}`)}</strong>${m.from || m.to ? html` · ${this.route(m)}` : nothing}</span>
            ${m.reason ? html`<span>${t('dispatch:moves.reason', { reason: this.reason(m.reason) })}</span>` : nothing}
            ${m.note ? html`<span class="text">${m.note}</span>` : nothing}
            <span class="when">${this.time(m.at)}${m.by ? html` · ${m.by.name}` : nothing}</span>
          </li>`,
        )}
      </ol>
    </section>`;
  }

  private route(m: StaffMove) {
    if (m.from && m.to) return t('dispatch:moves.fromTo', { from: m.from.name, to: m.to.name });
    return m.to ? t('dispatch:moves.to', { to: m.to.name }) : t('dispatch:moves.from', { from: m.from!.name });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-dispatch': StaffDispatch;
  }
}
