/**
 * 督办 in the request view: the item's escalation state (level, when, why), its supervision history
 * with the supervisors' notes (the office reads them here), and for supervisors and the dispatcher
 * the form: a note to the office and a new time limit, typed in the site's time zone. Strings: the
 * `supervise` namespace (locales/<lng>/supervise.json).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StaffRequestDetail } from '../server/staff/staff-api.js';
import type { DeadlineKind, Supervision, SupervisionStep } from '../server/loop/supervision-api.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { zoneName } from './format.js';
import { LocalizeController, dateTime, fullDateTime, t } from './i18n.js';
import type { StaffClient } from './staff-client.js';

/** The wall-clock parts of `at` in `timeZone`. */
function partsIn(at: Date, timeZone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at);
  const out: Record<string, number> = {};
  for (const p of parts) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** How far `timeZone` is ahead of UTC at `at`, ms. */
function offsetAt(at: Date, timeZone: string): number {
  const p = partsIn(at, timeZone);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(at.getTime() / 1000) * 1000;
}

/** A `datetime-local` value read as a wall-clock time in `timeZone`, as an instant. */
export function zonedToInstant(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let guess = wall - offsetAt(new Date(wall), timeZone);
  guess = wall - offsetAt(new Date(guess), timeZone);
  return new Date(guess);
}

/** An instant as a `datetime-local` value in `timeZone`. */
export function instantToZoned(at: Date, timeZone: string): string {
  const p = partsIn(at, timeZone);
  const two = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/**
 * @property client - the console's staff client
 * @property request - the request shown (its changes reload the supervision)
 * @property staffRole - the signed-in person's role: supervisors and the dispatcher get the form
 * @fires item-changed - after supervising (bubbles, composed): the console reloads the item and the queue
 */
@customElement('staff-supervise')
export class StaffSupervise extends LitElement {
  static override styles = [
    base,
    detail,
    css`
      :host { display: block; }
      .level { background: #fde2e1; color: #8a1c14; }
      ol.timeline li.escalated { border-inline-start-color: var(--c-danger); }
      ol.timeline li.supervised { border-inline-start-color: #c98a00; }
      dl { font-size: 0.9em; }
      textarea, input:not([type='radio']) { inline-size: 100%; box-sizing: border-box; }
      fieldset.choices { display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; }
      fieldset.choices legend { inline-size: 100%; }
    `,
  ];

  protected readonly l10n = new LocalizeController(this);

  @property({ attribute: false }) client?: StaffClient;
  @property({ attribute: false }) request?: StaffRequestDetail;
  @property() staffRole = '';

  @state() private data?: Supervision;
  @state() private error = '';
  @state() private fieldErrors: Record<string, string> = {};
  @state() private notice = '';
  @state() private busy = false;
  @state() private which: DeadlineKind = 'reply';

  protected override willUpdate(changed: PropertyValues<this>) {
    const before = changed.get('request') as StaffRequestDetail | undefined;
    const r = this.request;
    if ((changed.has('request') || changed.has('client')) && r && this.client
      && (!before || before.reference !== r.reference || before.updatedAt !== r.updatedAt || before.timeline.length !== r.timeline.length || !this.data)) {
      if (before?.reference !== r.reference) {
        this.data = undefined;
        this.notice = '';
        this.fieldErrors = {};
      }
      void this.load();
    }
  }

  async load(): Promise<void> {
    const reference = this.request?.reference;
    if (!reference || !this.client) return;
    try {
      const data = await this.client.supervision(reference);
      if (reference !== this.request?.reference) return;
      this.data = data;
      if (!data.resolveBy) this.which = 'reply';
      else if (this.which === 'reply' && (this.request.replies.length > 0 || data.replyBy === null)) this.which = 'resolve';
      this.error = '';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private get zone() {
    return this.data?.timeZone ?? this.request?.timeZone ?? 'Asia/Shanghai';
  }

  private time(iso: string) {
    return html`<time datetime=${iso} title=${fullDateTime(iso, this.zone)}>${dateTime(iso, this.zone)}</time>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = new FormData(form);
    const note = String(values.get('note') ?? '').trim();
    const which = (values.get('which') as DeadlineKind | null) ?? this.which;
    const limit = zonedToInstant(String(values.get('limit') ?? ''), this.zone);
    const errors: Record<string, string> = {};
    if (!note) errors.note = t('supervise:form.noteRequired');
    if (!limit) errors.limit = t('supervise:form.limitRequired');
    else if (limit.getTime() <= Date.now()) errors.limit = t('supervise:form.limitPast');
    this.fieldErrors = errors;
    this.notice = '';
    if (Object.keys(errors).length) {
      (form.querySelector(errors.note ? '#supervise-note' : '#supervise-limit') as HTMLElement | null)?.focus();
      return;
    }
    this.busy = true;
    try {
      const input = which === 'resolve' ? { note, resolveBy: limit!.toISOString() } : { note, replyBy: limit!.toISOString() };
      this.data = await this.client!.supervise(this.request!.reference, input);
      form.reset();
      this.notice = t('supervise:form.done', { office: this.data.office.name, limit: dateTime(limit!, this.zone) });
      this.dispatchEvent(new CustomEvent('item-changed', { bubbles: true, composed: true }));
    } catch (e) {
      const fields = (e as { fields?: Record<string, string> }).fields ?? {};
      if (fields.replyBy || fields.resolveBy) this.fieldErrors = { limit: fields.replyBy ?? fields.resolveBy! };
      else if (fields.note) this.fieldErrors = { note: fields.note };
      else this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private renderStep(s: SupervisionStep) {
    const which = t(`supervise:which.${s.which}`);
    return html`<li class=${s.type} data-step=${s.type}>
      <span><strong>${s.type === 'escalated' ? t('supervise:history.escalated', { which }) : t('supervise:history.supervised', { name: s.by?.name ?? '' })}</strong>
        <span class="badge level">${t('supervise:level', { level: s.level })}</span></span>
      <span>${s.type === 'escalated' ? t('supervise:history.passed', { which }) : t('supervise:history.newLimit', { which })} ${this.time(s.due)}</span>
      ${s.note ? html`<span class="text" data-note>${s.note}</span>` : nothing}
      <span class="when">${this.time(s.at)}</span>
    </li>`;
  }

  override render() {
    const d = this.data;
    if (!d) return this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
    const last = d.history.at(-1);
    const canForm = d.canSupervise && (this.staffRole === 'supervisor' || this.staffRole === 'dispatcher');
    const min = instantToZoned(new Date(Date.now() + 60_000), this.zone);
    return html`<section class="card panel" aria-labelledby="supervise-h" data-level=${d.level}>
      <h3 id="supervise-h">${t('supervise:title')}</h3>
      ${d.level > 0
        ? html`<p data-state><span class="badge level">${t('supervise:level', { level: d.level })}</span>
            ${last?.type === 'escalated'
              ? t('supervise:state.escalated', { which: t(`supervise:which.${last.which}`) })
              : t('supervise:state.supervised', { name: last?.by?.name ?? '' })}
            ${d.escalatedAt ? html`<span class="when">${this.time(d.escalatedAt)}</span>` : nothing}</p>`
        : html`<p class="muted" data-state>${t('supervise:state.none')}</p>`}
      <dl>
        <dt>${t('supervise:which.reply')}</dt><dd data-reply-by>${d.replyBy ? this.time(d.replyBy) : t('supervise:noLimit')}</dd>
        ${d.resolveBy ? html`<dt>${t('supervise:which.resolve')}</dt><dd data-resolve-by>${this.time(d.resolveBy)}</dd>` : nothing}
        <dt>${t('supervise:office')}</dt><dd>${d.office.name}</dd>
      </dl>
      ${d.history.length
        ? html`<h4>${t('supervise:history.title', { count: d.history.length })}</h4>
            <ol class="timeline" data-history>${[...d.history].reverse().map((s) => this.renderStep(s))}</ol>`
        : nothing}
      <p class="notice" role="status">${this.notice}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${canForm
        ? html`<form @submit=${this.submit} novalidate aria-labelledby="supervise-form-h">
            <h4 id="supervise-form-h">${t('supervise:form.title')}</h4>
            ${d.resolveBy
              ? html`<fieldset class="choices">
                  <legend>${t('supervise:form.which')}</legend>
                  ${(['reply', 'resolve'] as const).map((w) => html`<label><input type="radio" name="which" value=${w} ?checked=${this.which === w}
                    @change=${() => (this.which = w)} /> ${t(`supervise:which.${w}`)}</label>`)}
                </fieldset>`
              : nothing}
            <label for="supervise-note">${t('supervise:form.note')} <span class="hint">${t('supervise:form.noteHint')}</span></label>
            <textarea id="supervise-note" name="note" rows="3" maxlength="2000" aria-invalid=${this.fieldErrors.note ? 'true' : 'false'}
              aria-describedby=${this.fieldErrors.note ? 'supervise-note-error' : nothing}></textarea>
            ${this.fieldErrors.note ? html`<p class="error" id="supervise-note-error">${this.fieldErrors.note}</p>` : nothing}
            <label for="supervise-limit">${t('supervise:form.limit')} <span class="hint">${t('supervise:form.zone', { zone: zoneName(this.zone) })}</span></label>
            <input id="supervise-limit" name="limit" type="datetime-local" min=${min} aria-invalid=${this.fieldErrors.limit ? 'true' : 'false'}
              aria-describedby=${this.fieldErrors.limit ? 'supervise-limit-error' : nothing} />
            ${this.fieldErrors.limit ? html`<p class="error" id="supervise-limit-error">${this.fieldErrors.limit}</p>` : nothing}
            <p class="hint">${t('supervise:form.resident')}</p>
            <div class="buttons"><button type="submit" ?disabled=${this.busy}>${t('supervise:form.submit')}</button></div>
          </form>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-supervise': StaffSupervise;
  }
}
