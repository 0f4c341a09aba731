/**
 * 督办 in Chromium against the real server on a ManualClock: an item filed by a resident goes past
 * its reply-by time and the server escalates it; the supervisor finds it with the console's 督办
 * filter (badge), opens it, reads the escalation in the panel and supervises it with a note and a
 * new limit typed in the site's time zone; the sanitation officer reads the note in the same panel
 * and sees no form; the resident's status has both steps and not the note. Screenshots of the panel
 * at desktop and phone sizes; axe-clean.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../demo/server/loop/clock.js';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, type DemoServer } from '../helpers/e2e.js';
import { apiCall, axeViolations, signInAs } from '../helpers/console-e2e.js';
import type { RunningServer } from '../../demo/server/server.js';

let browser: Browser;
let demo: DemoServer;
let api: RunningServer;
const clock = new ManualClock();

before(async () => {
  api = (await startReferenceServer({ clock, demoAccounts: true, escalateMs: 0 })) as unknown as RunningServer;
  demo = await startDemoServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await closeAll();
});

/** Shanghai wall-clock time of `at` as a datetime-local value. */
const shanghai = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16);

async function openRequest(page: Page, reference: string) {
  await page.evaluate((ref) => (location.hash = `#/request/${ref}`), reference);
  await page.locator('staff-supervise [data-state]').waitFor({ timeout: 30000 });
}

test('overdue → escalated by the server → found with the 督办 filter → supervised with a note and a new limit; the office reads the note; the resident does not', async () => {
  const filed = await apiCall<{ reference: string; accessToken: string; replyBy: string }>(api as never, 'POST', '/requests', {
    site: 'riverside/xinhua/garden', service: 'noise', type: 'complaint', description: '工地夜里十一点还在施工，已经连续一周',
    fields: { source: 'construction', occurred_at: '2026-11-27T23:00', location: { address: '新华路12号' } },
    contact: { name: '王女士', phone: '13800000000', preferred: 'phone' }, consent: { version: '2026-01', given: true }, locale: 'zh-CN',
  });
  clock.set(new Date(filed.replyBy).getTime() + 60_000);
  const escalated = await api.escalateOverdue();
  assert.ok(escalated.some((e) => e.reference === filed.reference), 'escalated by the sweep');

  const errors: string[] = [];
  const supervisor = await signInAs(browser, demo, api as never, 'supervisor', { lang: 'zh-CN', errors });
  // The 督办 filter, kept in the address, shows it with its badge.
  await supervisor.locator('#filter-escalated').check({ force: true }).catch(async () => {
    await supervisor.locator('staff-queue button[aria-expanded]').first().click();
    await supervisor.locator('#filter-escalated').check();
  });
  await supervisor.waitForFunction(() => location.search.includes('escalated=1'));
  const badge = supervisor.locator(`staff-queue li:has-text("${filed.reference}") [data-escalation="1"]`);
  await badge.waitFor({ timeout: 30000 });
  assert.equal((await badge.textContent())?.trim(), '督办 1');

  await openRequest(supervisor, filed.reference);
  const panel = supervisor.locator('staff-supervise');
  assert.match((await panel.locator('[data-state]').textContent()) ?? '', /督办 1 次[\s\S]*系统已自动督办/);
  assert.equal(await panel.locator('[data-history] li[data-step="escalated"]').count(), 1);

  const limit = new Date(clock.now().getTime() + 2 * 24 * 3600_000);
  limit.setUTCSeconds(0, 0);
  await panel.locator('#supervise-note').fill('请两日内到现场核查并答复市民');
  await panel.locator('#supervise-limit').fill(shanghai(limit));
  await panel.locator('form button[type=submit]').click();
  await panel.locator('[data-history] li[data-step="supervised"] [data-note]').waitFor({ timeout: 30000 });
  assert.match((await panel.locator('[data-state]').textContent()) ?? '', /督办 2 次/);
  await panel.scrollIntoViewIfNeeded();
  await screenshot(supervisor, 'supervise-desktop-zh-CN');
  assert.deepEqual(await axeViolations(supervisor), [], 'axe on the request view with the panel');
  await supervisor.setViewportSize(VIEWPORTS.phone);
  await panel.scrollIntoViewIfNeeded();
  await screenshot(supervisor, 'supervise-phone-zh-CN');
  assert.deepEqual(await axeViolations(supervisor), [], 'axe at phone size');

  const office = await signInAs(browser, demo, api as never, 'sanitation', { lang: 'en', errors });
  await openRequest(office, filed.reference);
  const officePanel = office.locator('staff-supervise');
  assert.equal((await officePanel.locator('[data-step="supervised"] [data-note]').textContent())?.trim(), '请两日内到现场核查并答复市民');
  assert.equal(await officePanel.locator('form').count(), 0, 'the office has no form');
  await screenshot(office, 'supervise-office-desktop-en');

  const resident = await apiCall<{ replyBy: string; timeline: { step?: { code: string; due?: string } }[] }>(api as never, 'GET', `/requests/${filed.reference}`, undefined, { authorization: `Bearer ${filed.accessToken}` });
  assert.deepEqual(resident.timeline.filter((t) => t.step).map((t) => t.step!.code), ['escalated', 'supervised']);
  assert.equal(resident.replyBy, limit.toISOString(), 'the new limit is the resident’s reply-by');
  assert.ok(!JSON.stringify(resident).includes('现场核查'), 'the note never reaches the resident');
  assert.deepEqual(errors, []);
});
