/**
 * 转工单 as the resident sees it, against the real reference server (/__server): they chat in the
 * widget; an operator turns the chat into a work order; the chat shows the reference with a button
 * to follow it; the request is in My requests (the chat's token opens it), and the button opens
 * My requests on it.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { html } from 'lit';
import '../../src/components/widget/widget.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import { mountTemplate } from './mount.js';
import { dbName, deleteDb } from '../helpers/fake-backend.js';
import { IntakeClient } from '../../src/client/client.js';

const SITE = 'riverside/xinhua/garden';
const WAIT = { timeout: 15000 };

describe('a chat made into a work order, in the widget (reference server)', () => {
  let api = '';
  let staffToken = '';
  const db = dbName('work-order');

  before(async function () {
    this.timeout(120_000);
    const body = (await (await fetch('/__server')).json()) as { api?: string; staffToken?: string; error?: string };
    if (!body.api) throw new Error(`The reference server did not start: ${body.error}`);
    api = body.api;
    staffToken = body.staffToken ?? '';
  });
  after(() => deleteDb(db));

  const staff = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${api}/staff${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.ok, `${path}: ${res.status}`).to.equal(true);
    return (await res.json()) as T;
  };

  it('shows the reference with a button to My requests, where the request is', async function () {
    this.timeout(60_000);
    const client = new IntakeClient({ endpoint: api, site: SITE, locale: 'zh-CN', dbName: db });
    const wrapper = await mountTemplate(html`<intake-widget endpoint=${api} site=${SITE} locale="zh-CN" .client=${client}></intake-widget>`);
    const widget = wrapper.querySelector<IntakeWidget>('intake-widget')!;
    await widget.startChat();
    const chat = () => widget.shadowRoot!.querySelector('intake-chat')!;
    await waitUntil(() => chat()?.shadowRoot?.querySelector('textarea'), 'the chat', WAIT);
    const box = chat().shadowRoot!.querySelector('textarea')!;
    const words = `楼下垃圾桶满了三天没人清运 ${Date.now()}`;
    box.value = words;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));

    // The operator finds the chat and makes it a work order.
    let id = '';
    await waitUntil(async () => {
      const { items } = await staff<{ items: { item: string; id: string; preview: string }[] }>('/queue?item=conversation');
      id = items.find((i) => i.preview === words)?.id ?? '';
      return !!id;
    }, 'the chat in the queue', WAIT);
    const created = await staff<{ reference: string }>(`/conversations/${encodeURIComponent(id)}/work-order`, { service: 'rubbish-collection', kind: 'complaint' });

    // The chat shows it live, with a way to follow it.
    const follow = () => chat().shadowRoot!.querySelector<HTMLButtonElement>('button.follow');
    await waitUntil(() => follow(), 'the follow button', WAIT);
    const bubble = follow()!.closest('.message')!.querySelector('[part~="bubble"]')!;
    expect(bubble.textContent).to.contain(created.reference);
    expect(follow()!.textContent!.trim()).to.equal('查看办理进度');
    await expect(chat()).to.be.accessible();

    // It is among this browser's requests (the chat's token opens it), and the button opens My requests on it.
    await waitUntil(async () => (await client.knownRequests()).some((k) => k.reference === created.reference), 'kept for My requests', WAIT);
    expect((await client.getRequest(created.reference)).reference).to.equal(created.reference);
    follow()!.click();
    const status = () => widget.shadowRoot!.querySelector('intake-status');
    await waitUntil(() => status()?.shadowRoot?.textContent?.includes(created.reference), 'My requests shows the reference', WAIT);
    wrapper.remove();
    client.close();
  });
});
