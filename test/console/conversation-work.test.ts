/**
 * The operator's work on a chat in the console, in a browser with a stand-in StaffClient: the
 * canned-reply picker (type to filter, arrows, Enter inserts into the composer, never sends),
 * placeholders filled in, and 转工单 (the dialog prefilled from the chat, the filed reference
 * linked to #/request/…, a second one refused and shown), all axe-clean.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Catalog, ConversationEvent } from '../../src/client/protocol.js';
import type { CannedReply, StaffConversation, StaffConversationDetail, WorkOrder, WorkOrderInput } from '../../demo/server/staff/staff-api.js';
import { setLanguage } from '../../demo/console/i18n.js';
import { StaffApiError, type StaffClient } from '../../demo/console/staff-client.js';
import { fillPlaceholders, matches, type StaffCannedReplies } from '../../demo/console/staff-canned-replies.js';
import '../../demo/console/staff-canned-replies.js';
import type { StaffConversationView } from '../../demo/console/staff-conversation.js';
import '../../demo/console/staff-conversation.js';

const AT = '2026-12-01T08:00:00.000Z';
const reply = (id: string, title: string, text: string, department = { id: 'sanitation', name: '区城市管理和环境卫生局' }, shared = false): CannedReply => ({
  id, title, text, department, shared, sort: 0, updatedAt: AT, editable: false,
});
const REPLIES = [
  reply('r1', '问候', '{居民称呼}您好，这里是12345热线。', { id: 'dispatch', name: '受理中心' }, true),
  reply('r2', '垃圾清运', '{居民称呼}您好，已通知环卫今日清运，工单 {reference}。'),
  reply('r3', '夜间施工', '已安排执法人员夜间巡查。'),
];

function message(seq: number, author: 'resident' | 'staff' | 'system', text: string, extra: Record<string, unknown> = {}): ConversationEvent {
  return { type: 'message', seq, at: AT, message: { id: `m${seq}`, seq, at: AT, author, text, clientId: null, attachments: [], ...extra } } as ConversationEvent;
}

/** A StaffClient stand-in: what the conversation view and the picker call, recorded. */
function fakeClient() {
  const calls: { name: string; args: unknown[] }[] = [];
  const orders: WorkOrder[] = [];
  /** A work order another operator filed from this chat, which this console has not loaded. */
  const elsewhere = { reference: '' };
  const events: ConversationEvent[] = [message(1, 'resident', '小区门口垃圾三天没人收'), message(2, 'system', '您的问题已收到。'), message(3, 'resident', '在新华路12号')];
  const conversation = (): StaffConversation => ({
    id: 'c1', site: { id: 'riverside/xinhua/garden', name: '花园社区' }, locale: 'zh-CN', topic: null, page: null, status: 'waiting',
    routedTo: { id: 'dispatch', name: '受理中心' }, createdAt: AT, updatedAt: AT, lastSeq: events.length, unread: 0,
    residentReadUpTo: 0, staffReadUpTo: 3, workOrders: [...orders],
  });
  const catalog = {
    locale: 'zh-CN', site: { id: 'riverside/xinhua/garden', name: '花园社区' }, requestTypes: [], capabilities: {}, consent: { version: '1', text: '' },
    services: [
      { id: 'rubbish-collection', name: '生活垃圾清运', group: '环境卫生', kinds: ['complaint', 'help'], department: { id: 'sanitation', name: '区城市管理和环境卫生局' }, fields: [], keywords: [], description: '' },
      { id: 'noise', name: '噪音扰民', group: '生活', kinds: ['complaint', 'consultation'], fields: [], keywords: [], description: '' },
    ],
  } as unknown as Catalog;
  const client = {
    locale: 'zh-CN',
    calls,
    elsewhere,
    async conversation(): Promise<StaffConversationDetail> {
      calls.push({ name: 'conversation', args: [] });
      return { conversation: conversation(), events: [...events] };
    },
    watchConversation(_id: string, _after: number, _on: unknown, onState: (s: string) => void) {
      onState('live');
      return () => undefined;
    },
    async markRead() {},
    async typing() {},
    async cannedReplies(filter: unknown) {
      calls.push({ name: 'cannedReplies', args: [filter] });
      return REPLIES;
    },
    async sendMessage(...args: unknown[]) {
      calls.push({ name: 'sendMessage', args });
      return null;
    },
    async siteCatalog(site: string) {
      calls.push({ name: 'siteCatalog', args: [site] });
      return catalog;
    },
    async workOrder(id: string, input: WorkOrderInput) {
      calls.push({ name: 'workOrder', args: [id, input] });
      if (elsewhere.reference && !input.force) throw new StaffApiError(409, 'conflict', `该会话已转为工单 ${elsewhere.reference}`, { workOrder: elsewhere.reference });
      if (orders.length && !input.force) throw new StaffApiError(409, 'conflict', '该会话已转为工单', { workOrder: orders.at(-1)!.reference });
      const order: WorkOrder = {
        id: `q${orders.length + 1}`, reference: `RS-7KQ2-M9XD-${orders.length + 4}`, service: { id: input.service, name: '生活垃圾清运' },
        status: 'routed', routedTo: { id: 'sanitation', name: '区城市管理和环境卫生局' }, createdAt: AT,
      };
      orders.push(order);
      events.push(message(events.length + 1, 'system', `已转为工单，受理编号：${order.reference}`, { request: { reference: order.reference, service: input.service, type: 'complaint' } }));
      return { ...order, conversationId: id, messageSeq: events.length };
    },
    async claimConversation() {
      calls.push({ name: 'claim', args: [] });
      return { assignee: { id: 'u1', name: '张敏' } };
    },
    async conversationAssignees() {
      return [{ id: 'u1', name: '张敏' }];
    },
  };
  return client as typeof client & StaffClient;
}

describe('canned replies picker', () => {
  before(() => setLanguage('zh-CN'));

  it('fills placeholders, keeps unknown ones, and matches every word', () => {
    expect(fillPlaceholders('{居民称呼}您好，工单 {reference}，{不认识}', { name: '王女士', reference: 'RS-1' })).to.equal('王女士您好，工单 RS-1，{不认识}');
    expect(fillPlaceholders('{居民称呼}您好 {reference}', {}, '市民朋友')).to.equal('市民朋友您好 {reference}');
    expect(matches(REPLIES[1]!, '垃圾 清运')).to.equal(true);
    expect(matches(REPLIES[1]!, '垃圾 噪音')).to.equal(false);
  });

  it('keyboard: type to filter, arrows, Enter inserts the filled text (an event, nothing sent)', async () => {
    const client = fakeClient();
    const el = await fixture<StaffCannedReplies>(html`<staff-canned-replies .client=${client} .context=${{ reference: 'RS-9' }}></staff-canned-replies>`);
    const inserted: string[] = [];
    el.addEventListener('canned-insert', (e) => inserted.push(e.detail.text));
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.toggle')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    const search = el.shadowRoot!.querySelector('input')!;
    expect(el.shadowRoot!.activeElement).to.equal(search);
    expect(el.shadowRoot!.querySelectorAll('li')).to.have.length(3);
    await expect(el).to.be.accessible();
    await sendKeys({ type: '垃圾' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('li')).to.have.length(1);
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await el.updateComplete;
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(search.getAttribute('aria-activedescendant')).to.equal('canned-1');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(inserted).to.deep.equal(['市民朋友您好，已通知环卫今日清运，工单 RS-9。']);
    expect(el.shadowRoot!.querySelector('.picker')).to.equal(null);
    expect(client.calls.filter((c) => c.name === 'sendMessage')).to.have.length(0);
  });

  it('Escape closes and gives focus back to the button', async () => {
    const el = await fixture<StaffCannedReplies>(html`<staff-canned-replies .client=${fakeClient()}></staff-canned-replies>`);
    await el.show();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.picker')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(el.shadowRoot!.querySelector('button.toggle'));
  });
});

describe('conversation view: canned replies and 转工单', () => {
  before(() => setLanguage('zh-CN'));

  const settle = async (el: StaffConversationView) => {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 0));
      await el.updateComplete;
    }
  };

  it('a canned reply goes into the composer, editable; it is not sent', async () => {
    const client = fakeClient();
    const el = await fixture<StaffConversationView>(html`<staff-conversation .client=${client} conversationId="c1" .departments=${[]}></staff-conversation>`);
    await settle(el);
    const picker = el.shadowRoot!.querySelector('staff-canned-replies')!;
    await picker.show();
    await sendKeys({ type: '夜间' });
    await sendKeys({ press: 'Enter' });
    await settle(el);
    const box = el.shadowRoot!.querySelector<HTMLTextAreaElement>('#message-text')!;
    expect(box.value).to.equal('已安排执法人员夜间巡查。');
    expect(el.shadowRoot!.activeElement).to.equal(box);
    expect(client.calls.filter((c) => c.name === 'sendMessage')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('转工单: the dialog is prefilled from the chat; the filed reference links to the request; a second is refused', async () => {
    const client = fakeClient();
    const el = await fixture<StaffConversationView>(html`<staff-conversation .client=${client} conversationId="c1" .departments=${[]}></staff-conversation>`);
    await settle(el);
    const root = el.shadowRoot!;
    root.querySelector<HTMLButtonElement>('button.work-order')!.click();
    await settle(el);
    const dialog = root.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect(root.activeElement?.id).to.equal('wo-service');
    expect(root.querySelector<HTMLTextAreaElement>('#wo-description')!.value).to.equal('小区门口垃圾三天没人收\n在新华路12号');
    expect(root.querySelectorAll('#wo-service optgroup')).to.have.length(2);
    await expect(el).to.be.accessible();
    const service = root.querySelector<HTMLSelectElement>('#wo-service')!;
    service.value = 'rubbish-collection';
    service.dispatchEvent(new Event('change'));
    await settle(el);
    expect(root.querySelector('dialog [role="status"]')!.textContent).to.contain('区城市管理和环境卫生局');
    root.querySelector<HTMLInputElement>('#wo-contact-phone')!.value = '13900001111';
    root.querySelector<HTMLButtonElement>('dialog button[type="submit"]')!.click();
    await settle(el);
    const call = client.calls.find((c) => c.name === 'workOrder')!;
    expect(call.args[1]).to.deep.include({ service: 'rubbish-collection', kind: 'complaint', description: '小区门口垃圾三天没人收\n在新华路12号', force: false });
    expect((call.args[1] as WorkOrderInput).contact).to.deep.equal({ name: undefined, phone: '13900001111' });
    expect(dialog.open).to.equal(false);
    const link = root.querySelector<HTMLAnchorElement>('ul.orders a')!;
    expect(link.getAttribute('href')).to.equal('#/request/RS-7KQ2-M9XD-4');
    expect(root.activeElement).to.equal(link);
    expect(root.querySelector('[data-work-order]')!.textContent).to.equal('RS-7KQ2-M9XD-4');
    expect(root.querySelector('.notice')!.textContent).to.contain('RS-7KQ2-M9XD-4');
    // A second one: the server refuses; the dialog says which work order the chat already is.
    root.querySelector<HTMLButtonElement>('button.work-order')!.click();
    await settle(el);
    service.value = 'rubbish-collection';
    service.dispatchEvent(new Event('change'));
    await settle(el);
    expect(root.querySelector('dialog input[name="force"]')).to.not.equal(null);
    root.querySelector<HTMLButtonElement>('dialog button[type="submit"]')!.click();
    await settle(el);
    expect(dialog.open).to.equal(true);
    expect(root.querySelector('dialog [role="alert"]')!.textContent).to.contain('RS-7KQ2-M9XD-4');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await settle(el);
    expect(dialog.open).to.equal(false);
  });

  it('转工单 refused because another operator filed one meanwhile: the dialog links to it at once, nothing reloaded', async () => {
    const client = fakeClient();
    client.elsewhere.reference = 'RS-AAAA-BBBB-9';
    const el = await fixture<StaffConversationView>(html`<staff-conversation .client=${client} conversationId="c1" .departments=${[]}></staff-conversation>`);
    await settle(el);
    const root = el.shadowRoot!;
    root.querySelector<HTMLButtonElement>('button.work-order')!.click();
    await settle(el);
    const service = root.querySelector<HTMLSelectElement>('#wo-service')!;
    service.value = 'rubbish-collection';
    service.dispatchEvent(new Event('change'));
    await settle(el);
    const loads = client.calls.filter((c) => c.name === 'conversation').length;
    root.querySelector<HTMLButtonElement>('dialog button[type="submit"]')!.click();
    await settle(el);
    expect(root.querySelector('dialog [role="alert"]')!.textContent).to.contain('RS-AAAA-BBBB-9');
    expect(root.querySelector<HTMLAnchorElement>('dialog [role="alert"] a')!.getAttribute('href')).to.equal('#/request/RS-AAAA-BBBB-9');
    expect(client.calls.filter((c) => c.name === 'conversation').length, 'the chat is not loaded again').to.equal(loads);
    await expect(el).to.be.accessible();
  });

  it('claims the chat', async () => {
    const client = fakeClient();
    const el = await fixture<StaffConversationView>(html`<staff-conversation .client=${client} conversationId="c1" .departments=${[]}></staff-conversation>`);
    await settle(el);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.claim')!.click();
    await settle(el);
    expect(el.shadowRoot!.querySelector('[data-assignee]')!.textContent).to.equal('张敏');
  });

  it('speaks English too', async () => {
    await setLanguage('en');
    try {
      const el = await fixture<StaffConversationView>(html`<staff-conversation .client=${fakeClient()} conversationId="c1" .departments=${[]}></staff-conversation>`);
      await settle(el);
      expect(el.shadowRoot!.querySelector('button.work-order')!.textContent).to.equal('Make a work order');
      expect(el.shadowRoot!.querySelector('staff-canned-replies')!.shadowRoot!.querySelector('button')!.textContent).to.equal('Canned replies');
    } finally {
      await setLanguage('zh-CN');
    }
  });
});

describe('canned replies manager', () => {
  before(() => setLanguage('zh-CN'));

  function managerClient() {
    const replies: CannedReply[] = [
      { ...REPLIES[0]!, editable: false },
      { ...REPLIES[1]!, editable: true },
    ];
    const calls: { name: string; args: unknown[] }[] = [];
    return {
      calls,
      async cannedReplies() {
        return replies.map((r) => ({ ...r }));
      },
      async createCannedReply(input: { title: string; text: string; department?: string }) {
        calls.push({ name: 'create', args: [input] });
        const made = reply(`n${replies.length}`, input.title, input.text);
        replies.push({ ...made, editable: true });
        return made;
      },
      async updateCannedReply(id: string, patch: { title?: string; text?: string }) {
        calls.push({ name: 'update', args: [id, patch] });
        const r = replies.find((x) => x.id === id)!;
        Object.assign(r, patch);
        return r;
      },
      async deleteCannedReply(id: string) {
        calls.push({ name: 'delete', args: [id] });
        replies.splice(replies.findIndex((x) => x.id === id), 1);
        return null;
      },
    } as unknown as StaffClient & { calls: { name: string; args: unknown[] }[] };
  }

  it('adds, edits and deletes the department’s own; the shared ones are read-only; axe-clean', async () => {
    await import('../../demo/console/staff-canned-manager.js');
    const client = managerClient();
    const el = await fixture<HTMLElement & { updateComplete: Promise<boolean> }>(html`<staff-canned-manager .client=${client} user-role="department"></staff-canned-manager>`);
    const root = el.shadowRoot!;
    const settle = async () => {
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 0));
        await el.updateComplete;
      }
    };
    await settle();
    expect(root.querySelectorAll('li')).to.have.length(2);
    expect(root.querySelector('li[data-id="r1"] button')).to.equal(null);
    expect(root.querySelectorAll('li[data-id="r2"] button')).to.have.length(2);
    expect(root.querySelector('#canned-department')).to.equal(null);
    await expect(el).to.be.accessible();
    root.querySelector<HTMLInputElement>('#canned-title')!.value = '上门时间';
    root.querySelector<HTMLTextAreaElement>('#canned-text')!.value = '{居民称呼}您好，维修人员明天上门。';
    root.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await settle();
    expect(client.calls[0]).to.deep.equal({ name: 'create', args: [{ title: '上门时间', text: '{居民称呼}您好，维修人员明天上门。' }] });
    expect(root.querySelectorAll('li')).to.have.length(3);
    expect(root.querySelector('.notice')!.textContent).to.contain('上门时间');
    root.querySelector<HTMLButtonElement>('li[data-id="r2"] button.secondary')!.click();
    await settle();
    expect(root.activeElement?.id).to.equal('canned-title');
    const title = root.querySelector<HTMLInputElement>('#canned-title')!;
    expect(title.value).to.equal('垃圾清运');
    title.value = '垃圾清运（已改）';
    root.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await settle();
    expect(client.calls[1]!.name).to.equal('update');
    expect(root.querySelector('li[data-id="r2"] .title')!.textContent).to.equal('垃圾清运（已改）');
    const confirm = window.confirm;
    window.confirm = () => true;
    try {
      root.querySelector<HTMLButtonElement>('li[data-id="r2"] button.danger')!.click();
      await settle();
    } finally {
      window.confirm = confirm;
    }
    expect(client.calls[2]).to.deep.equal({ name: 'delete', args: ['r2'] });
    expect(root.querySelector('li[data-id="r2"]')).to.equal(null);
  });
});
