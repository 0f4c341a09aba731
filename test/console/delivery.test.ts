/**
 * The request view's delivery panel (issue 20, demo/console/staff-delivery.ts) with a stand-in
 * StaffClient: the line of a held delivery (state, attempts, last error) with "Retry now", which
 * calls the client and shows the delivered line after; supervisors get no button; a request that
 * went to no configured department shows nothing; axe-clean, in zh-CN and en.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { StaffRequestDetail } from '../../demo/server/staff/staff-api.js';
import type { DeliveryLine } from '../../demo/server/delivery/outbox.js';
import { setLanguage } from '../../demo/console/i18n.js';
import type { StaffClient } from '../../demo/console/staff-client.js';
import type { StaffDelivery } from '../../demo/console/staff-delivery.js';
import '../../demo/console/staff-delivery.js';

const REF = 'RS-7KQ2-M9XD-N';
const REQUEST = { reference: REF, updatedAt: '2026-12-01T07:45:00.000Z', timeline: [], replies: [], timeZone: 'Asia/Shanghai' } as unknown as StaffRequestDetail;
const OFFICE = { id: 'sanitation', name: '区城市管理和环境卫生局' };

const line = (extra: Partial<DeliveryLine> = {}): DeliveryLine => ({
  department: OFFICE, state: 'held', attempts: 2, lastError: 'the answer to an earlier POST was lost and GET requests is refused (HTTP 400): check their system, then send it again',
  lastAttemptAt: '2026-12-01T08:00:00.000Z', nextAttemptAt: null, serviceRequestId: null, token: null, deliveredAt: null,
  remoteStatus: null, pulledAt: null, nextPullAt: null, pullError: null, ...extra,
});

const settle = async (el: HTMLElement & { updateComplete: Promise<boolean> }) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
};
const $ = <T extends Element = HTMLElement>(el: Element, s: string) => el.shadowRoot!.querySelector<T>(s);

describe('staff-delivery (推送至承办部门系统)', () => {
  after(async () => {
    await setLanguage('zh-CN');
  });

  it('a held delivery: state, attempts and error; Retry now sends it and shows it delivered', async () => {
    await setLanguage('zh-CN');
    let retried = 0;
    const client = {
      async delivery() { return [line()]; },
      async retryDelivery() {
        retried++;
        return [line({ state: 'delivered', attempts: 3, lastError: null, serviceRequestId: '1001', remoteStatus: 'open', deliveredAt: '2026-12-01T08:05:00.000Z', pulledAt: '2026-12-01T08:05:00.000Z' })];
      },
    } as unknown as StaffClient;
    let changed = 0;
    const el = await fixture<StaffDelivery>(html`<staff-delivery .client=${client} .request=${REQUEST} staffRole="department" @delivery-changed=${() => changed++}></staff-delivery>`);
    await settle(el);
    const item = $(el, '[data-delivery="sanitation"]')!;
    expect(item.getAttribute('data-state')).to.equal('held');
    expect(item.textContent).to.contain(OFFICE.name).and.to.contain('已暂停：请核对对方系统').and.to.contain('check their system');
    expect($(el, '[data-attempts]')!.textContent).to.contain('2');
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '[data-retry]')!.click();
    await settle(el);
    expect(retried).to.equal(1);
    expect(changed).to.equal(1, 'the request view is told to reload');
    expect($(el, '[data-delivery]')!.getAttribute('data-state')).to.equal('delivered');
    expect($(el, '[data-their-id]')!.textContent).to.equal('1001');
    expect($(el, '[data-error]')).to.equal(null);
    expect($(el, '.notice')!.textContent).to.contain('已重新推送并同步');
    await expect(el).to.be.accessible();
  });

  it('supervisors read it without a retry button; in English', async () => {
    await setLanguage('en');
    const client = { async delivery() { return [line({ state: 'pending', nextAttemptAt: '2026-12-01T08:01:00.000Z', lastError: 'POST requests: HTTP 500: Backend unavailable' })]; } } as unknown as StaffClient;
    const el = await fixture<StaffDelivery>(html`<staff-delivery .client=${client} .request=${REQUEST} staffRole="supervisor"></staff-delivery>`);
    await settle(el);
    expect(el.shadowRoot!.textContent).to.contain("Delivery to the department's system").and.to.contain('Waiting to be sent').and.to.contain('Next attempt').and.to.contain('Backend unavailable');
    expect($(el, '[data-retry]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('nothing for a request no configured department received', async () => {
    const client = { async delivery() { return []; } } as unknown as StaffClient;
    const el = await fixture<StaffDelivery>(html`<staff-delivery .client=${client} .request=${REQUEST} staffRole="dispatcher"></staff-delivery>`);
    await settle(el);
    expect($(el, 'section')).to.equal(null);
  });
});
