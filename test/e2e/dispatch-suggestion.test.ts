// The dispatch suggestion end to end (issue 18), Chromium against the real server: a resident's
// request about a pot hole filed as noise (the catalogue routes it to sanitation) is suggested
// 道路险情 → 区交通运输局 in the dispatcher's request view, with its confidence and the other
// suggestions; one click confirms it, the request is routed there, the decision is shown; a chat
// opened in the console follows the resident's messages (the suggestion changes when they write),
// and the dispatcher confirms it too; the metrics' accuracy tile counts both decisions. Phone and
// desktop, zh-CN and en, axe-clean; screenshots test-results/screenshots/suggestion-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';
import { apiCall, axeViolations, signInAs } from '../helpers/console-e2e.js';

const GARDEN = 'riverside/xinhua/garden';

describe('dispatch suggestion end to end', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  const errors: string[] = [];

  const file = (description: string) =>
    apiCall<{ id: string; reference: string }>(api, 'POST', '/requests', {
      site: GARDEN, service: 'noise', type: 'complaint', description,
      fields: { source: 'construction', occurred_at: '2026-12-01T23:00', location: { address: '新华路12号' } },
      contact: { name: '王女士', phone: '13800000000', preferred: 'phone' },
      consent: { version: '2026-01', given: true }, locale: 'zh-CN',
    });
  const chat = () => apiCall<{ id: string; token: string }>(api, 'POST', '/conversations', { site: GARDEN, locale: 'zh-CN' });
  const say = (conv: { id: string; token: string }, text: string) =>
    apiCall(api, 'POST', `/conversations/${conv.id}/messages`, { clientId: `e2e-${randomUUID()}`, text }, { authorization: `Bearer ${conv.token}` });
  const open = async (page: Page, hash: string) => {
    await page.evaluate((h) => { location.hash = h; }, hash);
  };

  before(async () => {
    api = await startReferenceServer({ demoAccounts: true });
    demo = await startDemoServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await closeAll();
    assert.deepEqual(errors, [], 'no page errors');
  });

  test('the dispatcher sees the suggestion of a request and a chat and confirms them; the metrics count it', async () => {
    // Phone, Chinese: the request.
    const potHole = await file('小区门口的井盖塌陷了，路面有个大坑，晚上很危险');
    const phone = await signInAs(browser, demo, api, 'dispatcher', { viewport: VIEWPORTS.phone, lang: 'zh-CN', errors });
    await open(phone, `#/request/${potHole.reference}`);
    const panel = phone.locator('staff-request staff-suggestion');
    const best = panel.locator('[data-best]');
    await best.waitFor({ timeout: 30000 });
    assert.equal(await best.getAttribute('data-best'), 'transport');
    assert.match((await best.textContent())!.replace(/\s+/g, ' ').trim(), /^建议：道路险情（井盖、塌陷） → 区交通运输局（把握 \d+%）$/);
    assert.equal(await phone.locator('staff-request [data-routed]').textContent(), '区城市管理和环境卫生局', 'filed as noise: sanitation by the catalogue');
    assert.deepEqual(await axeViolations(phone), [], 'axe: request view with the suggestion (phone)');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(phone, 'suggestion-request-phone-zh');
    await panel.locator('[data-confirm]').click();
    await panel.locator('[data-decision="confirmed"]').waitFor({ timeout: 30000 });
    await phone.locator('staff-request [data-routed]', { hasText: '区交通运输局' }).waitFor({ timeout: 30000 });
    assert.equal(await panel.locator('[data-confirm]').count(), 0, 'confirmed: nothing left to press');
    await screenshot(phone, 'suggestion-request-phone-zh-confirmed');

    // Desktop, English: a chat whose suggestion follows the resident.
    const conv = await chat();
    await say(conv, '你好，我想咨询一下');
    const desk = await signInAs(browser, demo, api, 'dispatcher', { viewport: VIEWPORTS.desktop, lang: 'en', errors });
    await open(desk, `#/conversation/${conv.id}`);
    const chatPanel = desk.locator('staff-conversation staff-suggestion');
    await chatPanel.waitFor({ timeout: 30000 });
    await say(conv, '医保异地就医怎么报销？需要什么材料');
    const chatBest = chatPanel.locator('[data-best="social-security"]');
    await chatBest.waitFor({ timeout: 30000 });
    assert.match((await chatBest.textContent())!.replace(/\s+/g, ' ').trim(), /^Suggested: .+ → District .+ \(\d+ % sure\)$/);
    assert.deepEqual(await axeViolations(desk), [], 'axe: chat view with the suggestion (desktop)');
    await screenshot(desk, 'suggestion-chat-desktop-en');
    await chatPanel.locator('[data-confirm]').click();
    await chatPanel.locator('[data-decision="confirmed"]').waitFor({ timeout: 30000 });
    await desk.locator('staff-conversation [data-routed]', { hasText: 'Social Security' }).waitFor({ timeout: 30000 });

    // The metrics: both kept the suggested department.
    await open(desk, '#/');
    const tile = desk.locator('staff-suggestion-metrics [data-top1-rate]');
    await desk.locator('staff-metrics button.secondary').first().click();
    await desk.locator('staff-suggestion-metrics [data-decided]', { hasText: '2 /' }).waitFor({ timeout: 30000 });
    assert.equal((await tile.textContent())!.trim(), '100 %');
    await desk.locator('staff-suggestion-metrics').scrollIntoViewIfNeeded();
    assert.deepEqual(await axeViolations(desk), [], 'axe: metrics with the accuracy tile (desktop)');
    await screenshot(desk, 'suggestion-metrics-desktop-en');

    // The other two combinations, to look at: a request at desktop in Chinese, a chat at phone in English.
    const rubbish = await file('垃圾桶满了好几天都没人来清运，臭得不行');
    const deskZh = await signInAs(browser, demo, api, 'dispatcher', { viewport: VIEWPORTS.desktop, lang: 'zh-CN', errors });
    await open(deskZh, `#/request/${rubbish.reference}`);
    await deskZh.locator('staff-request staff-suggestion [data-best]').waitFor({ timeout: 30000 });
    await screenshot(deskZh, 'suggestion-request-desktop-zh');
    await open(deskZh, '#/');
    await deskZh.locator('staff-suggestion-metrics [data-top1-rate]').waitFor({ timeout: 30000 });
    await deskZh.locator('staff-suggestion-metrics').scrollIntoViewIfNeeded();
    await screenshot(deskZh, 'suggestion-metrics-desktop-zh');
    const conv2 = await chat();
    await say(conv2, '楼上邻居天天吵架，还漏水到我家，想请社区调解纠纷');
    const phoneEn = await signInAs(browser, demo, api, 'dispatcher', { viewport: VIEWPORTS.phone, lang: 'en', errors });
    await open(phoneEn, `#/conversation/${conv2.id}`);
    const p2 = phoneEn.locator('staff-conversation staff-suggestion');
    await p2.locator('[data-best]').waitFor({ timeout: 30000 });
    await p2.scrollIntoViewIfNeeded();
    assert.deepEqual(await axeViolations(phoneEn), [], 'axe: chat view (phone)');
    await screenshot(phoneEn, 'suggestion-chat-phone-en');
    await open(phoneEn, '#/');
    await phoneEn.locator('staff-suggestion-metrics [data-top1-rate]').waitFor({ timeout: 30000 });
    await phoneEn.locator('staff-suggestion-metrics').scrollIntoViewIfNeeded();
    await screenshot(phoneEn, 'suggestion-metrics-phone-en');
  });
});
