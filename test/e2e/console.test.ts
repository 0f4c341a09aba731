// The staff console end to end: real reference server (in-memory database), the console served by
// Vite, Debian's Chromium. A resident (plain fetch, as the widget would) files a request and chats;
// the dispatcher answers in the console; the resident sees the answers through the public API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Catalog, EventsPage, Field, FieldValue, RequestCreated, RequestDetail } from '../../src/client/protocol.js';
import {
  closeAll,
  launchChromium,
  screenshot,
  startDemoServer,
  startReferenceServer,
  waitFor,
  type DemoServer,
  type ReferenceServer,
} from '../helpers/e2e.js';

const SITE = 'riverside/xinhua/garden';
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const XSS = '<img src=x onerror=alert(1)>';

describe('staff console', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;
  let catalog: Catalog;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  let request: RequestCreated;
  let routedTo = '';

  /* ------------------------------------------------------------ the resident's side: plain fetch */

  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${api.apiBase}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        // Every resident POST carries one, as the widget's outbox does.
        ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  function valueFor(field: Field): FieldValue | undefined {
    const option = field.options?.[0]?.value ?? 'x';
    switch (field.type) {
      case 'text': case 'textarea': return 'Outside number 12';
      case 'number': return typeof field.min === 'number' ? field.min : 1;
      case 'date': return '2026-01-05';
      case 'datetime': return '2026-01-05T09:30';
      case 'single': return option;
      case 'multi': return [option];
      case 'location': return { address: 'Xinhua Road 12' };
      case 'phone': return '13800000000';
      case 'email': return 'resident@example.org';
      default: return undefined;
    }
  }

  /** Files a request as the widget would: a service that takes the kind, required fields filled. */
  async function fileRequest(description: string): Promise<RequestCreated> {
    const needsFile = (s: Catalog['services'][number]) => s.fields.some((f) => f.required && f.type === 'file');
    const service = catalog.services.find((s) => s.kinds.includes('complaint') && !needsFile(s)) ?? catalog.services.find((s) => !needsFile(s))!;
    const fields: Record<string, FieldValue> = {};
    for (const field of service.fields) {
      const value = field.required && !field.readOnly ? valueFor(field) : undefined;
      if (value !== undefined) fields[field.id] = value;
    }
    return call<RequestCreated>('POST', '/requests', {
      site: SITE,
      service: service.id,
      type: service.kinds.includes('complaint') ? 'complaint' : service.kinds[0],
      description,
      fields,
      consent: { version: catalog.consent.version, given: true },
      locale: 'en',
      page: { url: 'https://garden.example.gov/notices', title: 'Notices' },
    });
  }

  /** The resident's own event stream, read with fetch (as the widget's EventStream does). */
  function residentStream(conversationId: string, token: string) {
    const events: { event: string; data: { type: string; [key: string]: unknown } }[] = [];
    const abort = new AbortController();
    void (async () => {
      const response = await fetch(`${api.apiBase}/conversations/${conversationId}/events?token=${encodeURIComponent(token)}`, {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
        signal: abort.signal,
      });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    })().catch(() => {});
    return { events, close: () => abort.abort() };
  }

  /* ------------------------------------------------------------ the console */

  const queueRow = (id: string) => page.locator(`staff-queue li[data-id="${id}"]`);

  async function signIn(target: Page, token = api.staffToken) {
    // English: the strings matched below are the console's English ones (zh-CN is its default).
    // A token in the address signs in by itself.
    await target.goto(`${demo.url}/demo/console/?api=${encodeURIComponent(api.apiBase)}&lang=en&token=${encodeURIComponent(token)}`);
  }

  /** Deepest focused element across shadow roots, as `tag#id`. */
  const focused = (target: Page) =>
    target.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` : '';
    });

  /** axe-core over the whole page (it walks open shadow roots); returns the violations, summarised. */
  async function axeViolations(target: Page): Promise<string[]> {
    if (!(await target.evaluate(() => 'axe' in window))) await target.addScriptTag({ path: AXE });
    const violations = await target.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
      const result = await axe.run(document);
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
    });
    return violations;
  }

  before(async () => {
    api = await startReferenceServer();
    demo = await startDemoServer();
    browser = await launchChromium();
    catalog = await call<Catalog>('GET', `/catalog?site=${encodeURIComponent(SITE)}&locale=en`);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  after(async () => {
    await closeAll();
  });

  test('a wrong token is refused with a clear message', async () => {
    await signIn(page, 'not-the-token');
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor({ timeout: 20000 });
    assert.equal(await page.locator('#token').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axeViolations(page), [], 'sign-in form');
  });

  test('signs in and goes on duty', async () => {
    await signIn(page);
    await page.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: 20000 });
    await page.locator('.duty.on').waitFor();
    assert.ok(!page.url().includes('token='), 'the token is removed from the address bar');
    // The queue stream is what marks staff as on duty; wait for the server to know it too.
    await waitFor(async () => (await call<Catalog>('GET', `/catalog?site=${encodeURIComponent(SITE)}`)).capabilities.staffOnDuty, {
      message: 'staff on duty',
    });
    await screenshot(page, 'console-signed-in-1280');
  });

  test('a new request arrives live; the dispatcher routes it and replies', async () => {
    request = await fileRequest('The rubbish by the east gate has not been collected for a week.');
    const row = queueRow(request.id);
    await row.waitFor({ timeout: 15000 });
    assert.match((await row.getAttribute('class')) ?? '', /\bnew\b/, 'a new arrival is highlighted');
    assert.match(await row.innerText(), new RegExp(request.reference));
    await screenshot(page, 'console-new-request-1280');

    await row.locator('a').click();
    await page.getByRole('heading', { name: request.reference }).waitFor();
    assert.equal(await focused(page), 'h2#request-heading', 'opening an item moves focus to its heading');
    assert.doesNotMatch((await row.getAttribute('class')) ?? '', /\bnew\b/, 'opened: no longer new');

    const select = page.locator('#route-department');
    const options = await select.locator('option').evaluateAll((els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, label: e.textContent ?? '' })));
    const target = options.find((o) => o.value !== request.routedTo.id)!;
    routedTo = target.value;
    await select.selectOption(target.value);
    await page.getByRole('button', { name: 'Route', exact: true }).click();
    await page.locator('staff-request [data-routed]').filter({ hasText: target.label }).waitFor();

    const reply = 'We have sent a sanitation crew; it will be collected today.';
    await page.getByLabel('Reply text').fill(reply);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('staff-request [data-reply]').filter({ hasText: reply }).waitFor();
    await page.locator('staff-request [data-status="replied"]').waitFor();
    await screenshot(page, 'console-request-detail-1280');
    assert.deepEqual(await axeViolations(page), [], 'queue and request detail');

    const publicView = await call<RequestDetail>('GET', `/requests/${request.reference}`, undefined, { authorization: `Bearer ${request.accessToken}` });
    assert.equal(publicView.routedTo.id, routedTo);
    assert.equal(publicView.status, 'replied');
    assert.ok(publicView.replies.some((r) => r.text === reply), 'the resident sees the reply');
    assert.ok(publicView.timeline.some((t) => t.status === 'routed' && t.department?.id === routedTo));
  });

  test('the dispatcher moves the request through its statuses', async () => {
    await page.locator('#status-select').selectOption('in_progress');
    await page.locator('#status-note').fill('Crew on the way');
    await page.getByRole('button', { name: 'Set status' }).click();
    await page.locator('staff-request [data-status="in_progress"]').waitFor();
    await page.locator('#status-select').selectOption('replied');
    await page.getByRole('button', { name: 'Set status' }).click();
    await page.locator('staff-request [data-status="replied"]').waitFor();
    const publicView = await call<RequestDetail>('GET', `/requests/${request.reference}`, undefined, { authorization: `Bearer ${request.accessToken}` });
    assert.ok(publicView.timeline.some((t) => t.status === 'in_progress' && t.note === 'Crew on the way'));
  });

  test('a chat message arrives live; the dispatcher answers; the resident sees it', async () => {
    const conversation = await call<{ id: string; token: string }>('POST', '/conversations', { site: SITE, locale: 'en' });
    const auth = { authorization: `Bearer ${conversation.token}` };
    const stream = residentStream(conversation.id, conversation.token);
    try {
      await call('POST', `/conversations/${conversation.id}/messages`, { clientId: randomUUID(), text: 'Hello, when is the bulky waste day?' }, auth);
      const row = queueRow(conversation.id);
      await row.waitFor({ timeout: 15000 });
      await row.locator('a').click();
      await page.locator('staff-conversation .msg[data-author="resident"]').filter({ hasText: 'bulky waste day' }).waitFor();

      // Typing, resident → console.
      await call('POST', `/conversations/${conversation.id}/typing`, { typing: true }, auth);
      await page.getByText('The resident is typing…').waitFor();

      // The console marks it read and types back; then answers with Enter.
      await waitFor(() => stream.events.some((e) => e.event === 'read' && e.data.by === 'staff'), { message: 'read receipt for the resident' });
      const answer = 'Bulky waste is collected every first Saturday.';
      await page.getByLabel('Message to the resident').fill(answer);
      await waitFor(() => stream.events.some((e) => e.event === 'typing' && e.data.author === 'staff' && e.data.typing === true), {
        message: 'staff typing seen by the resident',
      });
      await page.getByLabel('Message to the resident').press('Enter');
      await page.locator('staff-conversation .msg[data-author="staff"]').filter({ hasText: answer }).waitFor();
      assert.equal(await page.getByLabel('Message to the resident').inputValue(), '');

      await waitFor(
        () => stream.events.some((e) => e.event === 'message' && (e.data.message as { author: string; text: string }).author === 'staff' && (e.data.message as { text: string }).text === answer),
        { message: "the staff answer on the resident's stream" },
      );
      const polled = await call<EventsPage>('GET', `/conversations/${conversation.id}/messages?after=0`, undefined, auth);
      assert.ok(polled.events.some((e) => e.type === 'message' && e.message.author === 'staff' && e.message.text === answer));
      await screenshot(page, 'console-chat-1280');
      assert.deepEqual(await axeViolations(page), [], 'chat detail');

      await page.getByRole('button', { name: 'Close chat' }).click();
      await page.locator('staff-conversation [data-status="closed"]').waitFor();
      await waitFor(() => stream.events.some((e) => e.event === 'closed'), { message: 'closed event for the resident' });
    } finally {
      stream.close();
    }
  });

  test('resident text is shown as text, never as HTML', async () => {
    const conversation = await call<{ id: string; token: string }>('POST', '/conversations', { site: SITE, locale: 'en' });
    await call('POST', `/conversations/${conversation.id}/messages`, { clientId: randomUUID(), text: XSS }, { authorization: `Bearer ${conversation.token}` });
    const row = queueRow(conversation.id);
    await row.waitFor({ timeout: 15000 });
    assert.ok((await row.locator('.preview').textContent())?.includes(XSS), 'the queue preview shows the markup literally');
    await row.locator('a').click();
    const bubble = page.locator('staff-conversation .msg[data-author="resident"] .text');
    await bubble.waitFor();
    assert.equal(await bubble.textContent(), XSS);

    const xssRequest = await fileRequest(`Broken lamp ${XSS}`);
    await queueRow(xssRequest.id).waitFor({ timeout: 15000 });
    await queueRow(xssRequest.id).locator('a').click();
    await page.getByRole('heading', { name: xssRequest.reference }).waitFor();
    assert.equal(await page.locator('staff-request [data-description]').textContent(), `Broken lamp ${XSS}`);

    // Playwright's CSS engine pierces open shadow roots: no <img> anywhere, no alert.
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(dialogs, []);
  });

  test('metrics show the rating once the resident gives feedback', async () => {
    await call('POST', `/requests/${request.reference}/feedback`, { rating: 4, resolved: true, comment: 'Quick, thanks' }, {
      authorization: `Bearer ${request.accessToken}`,
    });
    await page.getByRole('link', { name: 'Overview' }).click();
    const cell = page.locator(`staff-metrics table[data-table="department"] tr[data-id="${routedTo}"] [data-average]`);
    await cell.waitFor({ timeout: 15000 });
    assert.equal((await cell.textContent())?.trim(), '4.0');
    const site = page.locator(`staff-metrics table[data-table="site"] tr[data-id="${SITE}"] [data-average]`);
    assert.equal((await site.textContent())?.trim(), '4.0');
    assert.match((await page.locator('staff-metrics [data-median]').textContent()) ?? '', /min|h|days/);
    assert.equal((await page.locator('staff-metrics [data-solved]').textContent())?.trim(), '100 %');
    await screenshot(page, 'console-metrics-1280');
    assert.deepEqual(await axeViolations(page), [], 'metrics');
  });

  test('a reopen keeps the rating: the detail and the metrics still show it; the redo is rated too, both kept', async () => {
    const rated = await fileRequest('The food-waste bins behind building 5 overflow every evening.');
    const resident = { authorization: `Bearer ${rated.accessToken}` };
    const asStaff = { authorization: `Bearer ${api.staffToken}` };
    await call('POST', `/staff/requests/${rated.reference}/reply`, { text: 'The bins were emptied this morning.' }, asStaff);
    await call('POST', `/requests/${rated.reference}/feedback`, { rating: 2, resolved: false, comment: 'Overflowing again by Tuesday evening' }, resident);
    // Not solved: sent back to be redone by itself (退回重办, issue 17); no reopen needed.

    await page.evaluate((hash) => (location.hash = hash), `#/request/${encodeURIComponent(rated.reference)}`);
    await page.getByRole('heading', { name: rated.reference }).waitFor();
    const ratings = page.locator('staff-request [data-ratings] li');
    await ratings.first().waitFor();
    assert.deepEqual(await ratings.evaluateAll((els) => els.map((e) => e.getAttribute('data-rating'))), ['2']);
    assert.match(await ratings.first().innerText(), /2 \/ 5[\s\S]*not solved[\s\S]*Overflowing again by Tuesday evening/);
    const timelineRating = page.locator('staff-request ol[data-timeline] li[data-rating="2"]');
    assert.match(await timelineRating.innerText(), /Rated 2 \/ 5[\s\S]*not solved/);

    await page.getByRole('link', { name: 'Overview' }).click();
    const unhappy = page.locator(`staff-metrics table[data-table="unhappy"] tr[data-reference="${rated.reference}"]`);
    await unhappy.waitFor({ timeout: 15000 });
    assert.match(await unhappy.innerText(), /Overflowing again by Tuesday evening/);
    assert.match(await unhappy.innerText(), /reopened/);
    const level = (n: number) => page.locator(`staff-metrics table[data-table="levels"] tr[data-level="${n}"] [data-count]`);
    assert.equal((await level(2).textContent())?.trim(), '1');

    // The redo: a new reply from the console, a second rating; both kept.
    await page.evaluate((hash) => (location.hash = hash), `#/request/${encodeURIComponent(rated.reference)}`);
    await page.getByRole('heading', { name: rated.reference }).waitFor();
    await page.getByLabel('Reply text').fill('Collection is now twice a day.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('staff-request [data-status="replied"]').waitFor();
    const redo = await call<RequestDetail>('GET', `/requests/${rated.reference}`, undefined, resident);
    assert.equal(redo.awaitingFeedback, true, 'the redo can be rated');
    await call('POST', `/requests/${rated.reference}/feedback`, { rating: 5, resolved: true }, resident);
    await waitFor(async () => (await ratings.count()) === 2, { message: 'both ratings in the detail' });
    assert.deepEqual(await ratings.evaluateAll((els) => els.map((e) => e.getAttribute('data-rating'))), ['5', '2'], 'newest first');
    await screenshot(page, 'console-ratings-1280');
    assert.deepEqual(await axeViolations(page), [], 'request detail with ratings');

    await page.getByRole('link', { name: 'Overview' }).click();
    await waitFor(async () => (await level(5).textContent())?.trim() === '1', { message: 'the 5 counted' });
    assert.equal((await level(2).textContent())?.trim(), '1', 'the 2 before the reopen still counts');
    assert.equal(await unhappy.count(), 1, 'the unhappy rating stays listed');
    await unhappy.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-metrics-ratings-1280');
    assert.deepEqual(await axeViolations(page), [], 'metrics with ratings');
  });

  test('filters narrow the queue', async () => {
    await page.locator('#filter-item').selectOption('conversation');
    await waitFor(async () => (await page.locator('staff-queue li[data-item="request"]').count()) === 0, { message: 'requests filtered out' });
    assert.ok((await page.locator('staff-queue li[data-item="conversation"]').count()) >= 1);
    await page.locator('#filter-item').selectOption('');
    // The request with the markup in it is still routed; everything else has moved on.
    await page.locator('#filter-status').selectOption('routed');
    await waitFor(async () => {
      const statuses = await page.locator('staff-queue li').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
      return statuses.length >= 1 && statuses.every((s) => s === 'routed');
    }, { message: 'only routed items' });
    await page.locator('#filter-status').selectOption('');
  });

  test('works on a phone-sized screen, by keyboard', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    phone.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(phone);
      await phone.locator(`staff-queue li[data-id="${request.id}"]`).waitFor({ timeout: 20000 });
      await screenshot(phone, 'console-queue-390');
      await phone.locator(`staff-queue li[data-id="${request.id}"] a`).focus();
      await phone.keyboard.press('Enter');
      await phone.getByRole('heading', { name: request.reference }).waitFor();
      assert.equal(await focused(phone), 'h2#request-heading');
      assert.equal(await phone.locator('staff-queue').isVisible(), false, 'the detail replaces the queue on a phone');
      await screenshot(phone, 'console-request-390');
      await phone.getByRole('link', { name: 'Back to the queue' }).click();
      await phone.locator('staff-queue').waitFor();
    } finally {
      await phone.close();
    }
    assert.deepEqual(pageErrors, []);
  });
});
