/**
 * Delivery into departments' own Open311 systems, in the request view: one line per department
 * the request was sent to — its state, attempts, the last error, their id and status, the last
 * pull — and "Retry now" (sends what waits, pulls what was delivered). Nothing is shown for a
 * request that no configured department received. Strings: the `delivery` namespace.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StaffRequestDetail } from '../server/staff/staff-api.js';
import type { DeliveryLine, DeliveryState } from '../server/delivery/outbox.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { LocalizeController, dateTime, t } from './i18n.js';
import type { StaffClient } from './staff-client.js';

const STATE: Record<DeliveryState, () => string> = {
  pending: () => t('delivery:state.pending'),
  sending: () => t('delivery:state.sending'),
  delivered: () => t('delivery:state.delivered'),
  held: () => t('delivery:state.held'),
};

/**
 * @property client - the console's staff client
 * @property request - the request shown (its changes reload the lines)
 * @property staffRole - the signed-in role: supervisors and administrators read only
 */
@customElement('staff-delivery')
export class StaffDelivery extends LitElement {
  static override styles = [
    base,
    detail,
    css`
      :host { display: block; }
      .state-delivered { background: #e3f4e6; color: #1d5e2a; }
      .state-pending, .state-sending { background: #fff4d6; color: #6b4a00; }
      .state-held { background: #fde2e1; color: #8a1c14; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 0.75em; margin: 0.4em 0; }
      dt { color: var(--c-muted); }
      dd { margin: 0; overflow-wrap: anywhere; }
    `,
  ];

  protected readonly l10n = new LocalizeController(this);

  @property({ attribute: false }) client?: StaffClient;
  @property({ attribute: false }) request?: StaffRequestDetail;
  @property() staffRole = '';

  @state() private lines: DeliveryLine[] = [];
  @state() private error = '';
  @state() private busy = false;
  @state() private notice = '';

  protected override willUpdate(changed: PropertyValues<this>) {
    const before = changed.get('request') as StaffRequestDetail | undefined;
    const r = this.request;
    if ((changed.has('request') || changed.has('client')) && r && this.client && (!before || before.updatedAt !== r.updatedAt || before.reference !== r.reference)) {
      if (before && before.reference !== r.reference) this.lines = [];
      void this.load();
    }
  }

  async load(): Promise<void> {
    const reference = this.request?.reference;
    if (!reference || !this.client) return;
    try {
      const lines = await this.client.delivery(reference);
      if (reference === this.request?.reference) this.lines = lines;
      this.error = '';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async retry() {
    const reference = this.request?.reference;
    if (!reference || !this.client) return;
    this.busy = true;
    this.notice = '';
    try {
      this.lines = await this.client.retryDelivery(reference);
      this.notice = t('delivery:retried');
      this.error = '';
      // Its status or a comment may have come back: the request view reloads.
      this.dispatchEvent(new CustomEvent('delivery-changed', { bubbles: true, composed: true }));
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private when(iso: string | null) {
    return iso ? html`<time datetime=${iso}>${dateTime(iso, this.request?.timeZone)}</time>` : nothing;
  }

  private renderLine(l: DeliveryLine) {
    return html`<li data-delivery=${l.department.id} data-state=${l.state}>
      <span><strong>${l.department.name}</strong> <span class="badge state-${l.state}">${STATE[l.state]()}</span></span>
      <dl>
        <dt>${t('delivery:attempts')}</dt><dd data-attempts>${l.attempts}${l.lastAttemptAt ? html` · ${this.when(l.lastAttemptAt)}` : nothing}</dd>
        ${l.nextAttemptAt ? html`<dt>${t('delivery:nextAttempt')}</dt><dd>${this.when(l.nextAttemptAt)}</dd>` : nothing}
        ${l.lastError ? html`<dt>${t('delivery:lastError')}</dt><dd class="error" data-error>${l.lastError}</dd>` : nothing}
        ${l.serviceRequestId || l.token ? html`<dt>${t('delivery:theirId')}</dt><dd data-their-id>${l.serviceRequestId ?? l.token}</dd>` : nothing}
        ${l.remoteStatus ? html`<dt>${t('delivery:theirStatus')}</dt><dd data-their-status>${l.remoteStatus}</dd>` : nothing}
        ${l.pulledAt ? html`<dt>${t('delivery:pulled')}</dt><dd>${this.when(l.pulledAt)}</dd>` : nothing}
        ${l.pullError ? html`<dt>${t('delivery:pullError')}</dt><dd class="error">${l.pullError}</dd>` : nothing}
      </dl>
    </li>`;
  }

  override render() {
    if (!this.lines.length) return this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
    const mayRetry = this.staffRole !== 'supervisor' && this.staffRole !== 'administrator';
    return html`<section class="card panel" aria-labelledby="delivery-h">
      <h3 id="delivery-h">${t('delivery:title')}</h3>
      <p class="hint">${t('delivery:hint')}</p>
      <ol class="timeline">${this.lines.map((l) => this.renderLine(l))}</ol>
      <p class="notice" role="status">${this.notice}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${mayRetry ? html`<div class="buttons"><button type="button" data-retry ?disabled=${this.busy} @click=${this.retry}>${t('delivery:retry')}</button></div>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-delivery': StaffDelivery;
  }
}
