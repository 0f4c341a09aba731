/**
 * The "possible duplicates" panel of the request view (staff-duplicates) in a browser with a
 * stand-in StaffClient: the follower count, similar open items with their text, "合并到…" with a
 * note for the dispatcher (the merge sent, the item-changed event, the merged state shown), the
 * server's refusal shown; no merge for an officer; in Chinese and English; axe-clean.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { StaffRequestDetail } from '../../demo/server/staff/staff-api.js';
import type { DuplicatesResponse } from '../../demo/server/loop/duplicates.js';
import { setLanguage } from '../../demo/console/i18n.js';
import { StaffApiError, type StaffClient } from '../../demo/console/staff-client.js';
import type { StaffDuplicates } from '../../demo/console/staff-duplicates.js';
import '../../demo/console/staff-duplicates.js';

const REQUEST = {
  reference: 'RS-7KQ2-M9XD-N', status: 'routed', updatedAt: '2026-12-01T07:45:00.000Z', timeline: [], replies: [], timeZone: 'Asia/Shanghai',
} as unknown as StaffRequestDetail;

const SIMILAR = {
  reference: 'RS-9QXF-2MDK-7', site: { id: 'riverside/xinhua/garden', name: '花园社区' }, service: { id: 'street-cleaning', name: '道路保洁' },
  routedTo: { id: 'sanitation', name: '区城市管理和环境卫生局' }, kind: 'help' as const, status: 'routed' as const,
  createdAt: '2026-11-29T01:12:40.000Z', preview: '新华路口垃圾桶满了', followers: 1, distanceM: 150,
};

function fakeClient(refuse = false) {
  const merges: { reference: string; into: string; note?: string }[] = [];
  let state: DuplicatesResponse = { reference: REQUEST.reference, followers: 2, mergedInto: null, mergedFrom: [], similar: [SIMILAR] };
  return {
    merges,
    async duplicates() {
      return state;
    },
    async merge(reference: string, into: string, note?: string) {
      merges.push({ reference, into, note });
      if (refuse) throw new StaffApiError(409, 'conflict', '目标诉求已关闭，不能合并到已关闭的诉求', { into: '已关闭' });
      state = { ...state, mergedInto: into, similar: [] };
      return REQUEST;
    },
  };
}

const settle = async (el: StaffDuplicates) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
};

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('staff-duplicates (possible duplicates panel)', () => {
  before(async () => {
    await setLanguage('zh-CN');
  });

  it('shows followers and similar items with their text; the dispatcher merges with a note', async () => {
    const client = fakeClient();
    const el = await fixture<StaffDuplicates>(html`<staff-duplicates .client=${client as unknown as StaffClient} .request=${REQUEST} staffRole="dispatcher"></staff-duplicates>`);
    await settle(el);
    const root = el.shadowRoot!;
    expect(text(root.querySelector('[data-followers]'))).to.contain('2 位市民关注此诉求');
    const item = root.querySelector('[data-similar="RS-9QXF-2MDK-7"]')!;
    expect(text(item)).to.contain('新华路口垃圾桶满了');
    expect(text(item)).to.contain('约 150 米');
    await expect(el).to.be.accessible();
    let changed = 0;
    el.addEventListener('item-changed', () => changed++);
    const open = [...item.querySelectorAll('button')].find((b) => text(b).includes('合并到 RS-9QXF-2MDK-7'))!;
    open.click();
    await settle(el);
    const note = root.querySelector<HTMLTextAreaElement>('#merge-note')!;
    expect(note, 'the note form opens').to.exist;
    await expect(el).to.be.accessible();
    note.value = '同一地点的同一问题';
    root.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await settle(el);
    expect(client.merges).to.deep.equal([{ reference: REQUEST.reference, into: 'RS-9QXF-2MDK-7', note: '同一地点的同一问题' }]);
    expect(changed).to.equal(1);
    expect(text(root.querySelector('[role="status"]'))).to.contain('已合并到 RS-9QXF-2MDK-7');
    expect(text(root.querySelector('[data-merged-into]'))).to.contain('RS-9QXF-2MDK-7');
  });

  it('shows the server’s refusal at once', async () => {
    const client = fakeClient(true);
    const el = await fixture<StaffDuplicates>(html`<staff-duplicates .client=${client as unknown as StaffClient} .request=${REQUEST} staffRole="dispatcher"></staff-duplicates>`);
    await settle(el);
    const root = el.shadowRoot!;
    [...root.querySelectorAll('button')].find((b) => text(b).includes('合并到'))!.click();
    await settle(el);
    root.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await settle(el);
    expect(text(root.querySelector('[role="alert"]'))).to.equal('已关闭');
  });

  it('an officer reads the list but merges nothing; in English', async () => {
    await setLanguage('en');
    try {
      const el = await fixture<StaffDuplicates>(html`<staff-duplicates .client=${fakeClient() as unknown as StaffClient} .request=${REQUEST} staffRole="department"></staff-duplicates>`);
      await settle(el);
      const root = el.shadowRoot!;
      expect(text(root.querySelector('h3'))).to.equal('Possible duplicates');
      expect(text(root.querySelector('[data-followers]'))).to.contain('2 residents follow this request');
      expect(root.querySelector('[data-similar]'), 'the list is shown').to.exist;
      expect([...root.querySelectorAll('button')].filter((b) => text(b).includes('Merge')), 'no merge for an officer').to.have.length(0);
      await expect(el).to.be.accessible();
    } finally {
      await setLanguage('zh-CN');
    }
  });
});
