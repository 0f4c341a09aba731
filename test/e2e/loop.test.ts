// The 12345 closed loop end to end (issue 17): one complaint around the whole loop in Chromium
// against the real reference server with a controllable clock (ManualClock: the test moves the
// loop's time; it never sleeps). Filed from the community portal (demo/community/, the widget's
// inline form and status), dispatched by the dispatcher to the wrong office, returned by it with a
// reason, re-dispatched, overdue and escalated, replied, resolved, rated 不满意, sent back to be
// redone, resolved again, rated 满意. At each step: the resident's view (the portal page's status
// widget), the queue of the console signed in as the relevant demo account (each in its own browser
// context), the audit log (the supervisor's #/audit view) and the month's assessment figures.
// Every wait is for a state; time limits are only a safety net for a slow, busy machine.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ManualClock } from '../../demo/server/loop/clock.js';
import type { AssessmentMonth, AssessmentRow } from '../../demo/server/loop/assessment-api.js';
import type { StaffRequestDetail } from '../../demo/server/staff/staff-api.js';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, waitFor, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';
import { go, openDesk, queueRow, waitInQueue, waitInView, type Desk, type DemoLogin } from '../helpers/loop-desks.js';

const SITE = 'riverside/xinhua/garden';
/** Wednesday 2 December 2026, 09:30 in Asia/Shanghai: a working day, mid-month, no holiday near. */
const START = new Date('2026-12-02T01:30:00Z');
const WRONG = 'market-regulation';
const RIGHT = 'sanitation'; // rubbish collection is the sanitation bureau's
const MONTH = '2026-12';
const MINUTE = 60_000;
const REPLY_1 = '已安排环卫作业队今天下午清运5号楼后的厨余垃圾桶，并加装一只垃圾桶。';
const REPLY_2 = '经复查，已将5号楼后厨余垃圾改为每天早晚各清运一次，并安排专人巡查。';

describe('the closed loop: one complaint from the community portal around the whole loop', () => {
  const clock = new ManualClock(START);
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  let resident: { context: BrowserContext; page: Page };
  const desks = {} as Record<'dispatcher' | 'market' | 'sanitation' | 'supervisor', Desk>;
  const pageErrors: string[] = [];
  let reference = '';
  const requestHash = () => `#/request/${encodeURIComponent(reference)}`;

  /* ------------------------------------------------------------ helpers */

  /** The portal page's own status widget (the "查询进度" section), not the floating one. */
  const status = (): Locator => resident.page.locator('#track intake-status');

  async function openPortal(): Promise<void> {
    await resident.page.goto(`${demo.url}/demo/community/?api=${encodeURIComponent(api.apiBase)}`);
    await resident.page.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 30000 });
  }

  /** Opens the complaint in the page's status widget (after a reload it lists the resident's requests). */
  async function openInStatus(): Promise<void> {
    const item = status().locator(`[data-reference="${reference}"]`);
    // The list may be drawn again as its details arrive (a click on the old drawing is lost): click
    // until the detail is open.
    await waitFor(async () => {
      if (await status().locator('.detail').isVisible()) return true;
      await item.click({ timeout: 10000 });
      return status().locator('.detail').waitFor({ timeout: 3000 }).then(() => true, () => false);
    }, { timeout: 45000, interval: 500, message: `${reference} opened in the status widget` });
  }

  /**
   * Waits until the resident's view of the complaint satisfies `check` (its text, lower-cased not):
   * the status widget refreshes while open; if it has not yet, the resident reloads the page.
   */
  async function residentSees(check: (text: string) => boolean, message: string, timeout = 60000): Promise<string> {
    const deadline = Date.now() + timeout;
    let last = '';
    for (let round = 0; ; round++) {
      if (round > 0) await openPortal();
      await openInStatus();
      try {
        return await waitFor(async () => {
          last = await status().locator('.detail').innerText();
          return check(last) ? last : '';
        }, { timeout: 8000, message });
      } catch {
        if (Date.now() > deadline) throw new Error(`resident view: ${message} not shown within ${timeout} ms. Last:\n${last}`);
      }
    }
  }

  /** The complaint as the given person's staff API sees it. */
  const detailAs = (login: keyof typeof desks) => desks[login].call<StaffRequestDetail>('GET', `/requests/${encodeURIComponent(reference)}`);

  /** Opens the complaint in a desk's console from its queue, as a person clicks it. */
  async function openFromQueue(desk: Desk): Promise<void> {
    await waitInQueue(desk, reference);
    await queueRow(desk, reference).locator('a').first().click();
    await desk.page.locator('staff-request h2').filter({ hasText: reference }).waitFor({ timeout: 30000 });
  }

  /** The audit log's actions for the complaint as the supervisor's console shows them (#/audit, filtered by the item). */
  async function auditActions(expected: string[]): Promise<string[]> {
    const sup = desks.supervisor;
    const hash = `#/audit/?kind=request&id=${encodeURIComponent(reference)}`;
    let actions: string[] = [];
    await waitInView(sup, hash, () => sup.page.locator('staff-audit ol.entries > li'), 'audit entries');
    await waitFor(async () => {
      actions = await sup.page.locator('staff-audit ol.entries > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action') ?? ''));
      if (expected.every((a) => actions.includes(a))) return true;
      await go(sup, '#/');
      await go(sup, hash);
      await sup.page.locator('staff-audit ol.entries > li').first().waitFor({ timeout: 20000 });
      return false;
    }, { timeout: 60000, interval: 500, message: `audit log has ${expected.join(', ')}` });
    return actions;
  }

  /** The queue items the person's staff API lists for the complaint with `query` (e.g. `escalated=1`). */
  async function queued(login: keyof typeof desks, query = ''): Promise<{ reference?: string; escalation?: { level: number }; returned?: boolean }[]> {
    const { items } = await desks[login].call<{ items: { reference?: string; escalation?: { level: number }; returned?: boolean }[] }>('GET', `/queue?item=request${query ? `&${query}` : ''}`);
    return items.filter((i) => i.reference === reference);
  }

  /** The month's assessment as the supervisor's staff API gives it, and the office's row. */
  async function assessment(): Promise<{ month: AssessmentMonth; office: (id: string) => AssessmentRow | undefined }> {
    const month = await desks.supervisor.call<AssessmentMonth>('GET', `/assessment?month=${MONTH}`);
    return { month, office: (id) => month.offices.find((o) => o.office.id === id) };
  }

  /**
   * The month's figures of one office as the supervisor's staff API gives them, checked against
   * `expected` (a path into the row, e.g. 'ratings.count', and its value); waits for them, since a
   * step's loop event may land a moment after its answer.
   */
  async function figures(officeId: string, expected: Record<string, number | null>): Promise<void> {
    let last: Record<string, unknown> = {};
    await waitFor(async () => {
      const row = (await assessment()).office(officeId);
      if (!row) return false;
      last = Object.fromEntries(Object.keys(expected).map((path) => [path, path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], row)]));
      return Object.entries(expected).every(([k, v]) => last[k] === v);
    }, { timeout: 30000, interval: 500, message: `assessment of ${officeId}: ${JSON.stringify(expected)} (last ${JSON.stringify(last)})` }).catch((error: Error) => {
      throw new Error(`${error.message}; last ${JSON.stringify(last)}`);
    });
  }

  /** The office's own console answers the resident in the request view: reply, then the new status. */
  async function replyInConsole(desk: Desk, text: string): Promise<void> {
    await desk.page.locator('#reply-text').fill(text);
    await desk.page.getByRole('button', { name: 'Send reply' }).click();
    await waitInView(desk, requestHash(), () => desk.page.locator('staff-request [data-reply]').filter({ hasText: text.slice(0, 12) }), 'the reply');
  }

  async function statusInConsole(desk: Desk, status: string, note: string): Promise<void> {
    await waitInView(desk, requestHash(), () => desk.page.locator(`#status-select option[value="${status}"]`), `${status} offered`);
    await desk.page.locator('#status-select').selectOption(status);
    await desk.page.locator('#status-note').fill(note);
    await desk.page.getByRole('button', { name: 'Set status' }).click();
    await waitInView(desk, requestHash(), () => desk.page.locator(`staff-request .badges [data-status="${status}"]`), `status ${status}`);
  }

  /** The resident rates the answer in the portal's status widget. */
  async function rate(level: '不满意' | '满意', solved: boolean, comment: string): Promise<void> {
    await residentSees(() => true, 'the detail');
    const form = status().locator('.rate');
    await waitFor(async () => {
      if (await form.isVisible()) return true;
      await openPortal();
      await openInStatus();
      return form.waitFor({ timeout: 8000 }).then(() => true, () => false);
    }, { timeout: 60000, interval: 500, message: 'the rating form' });
    // As a person picks them: by the level's name on the national five-level scale, and 已解决 / 未解决.
    await form.getByRole('radio', { name: level, exact: true }).check();
    await form.getByRole('radio', { name: solved ? '已解决' : '未解决', exact: true }).check();
    await form.locator('#f-comment').fill(comment);
    await form.locator('button[type="submit"]').click();
  }

  async function shots(page: Page, name: string): Promise<void> {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await status().scrollIntoViewIfNeeded();
      await screenshot(page, `loop-${name}-${size}`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  before(async () => {
    // escalateMs 0: the overdue sweep runs only when the test calls it, after moving the clock.
    api = await startReferenceServer({ demoAccounts: true, clock, escalateMs: 0 });
    demo = await startDemoServer();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`portal: ${error.message}`));
    resident = { context, page };
    for (const login of ['dispatcher', 'market', 'sanitation', 'supervisor'] as const satisfies readonly DemoLogin[]) {
      desks[login] = await openDesk(browser, demo.url, api, login, pageErrors);
    }
  });

  after(async () => {
    await closeAll();
  });

  /* ------------------------------------------------------------ the loop */

  test('filed from the community portal: the resident sees it received, the dispatcher has it in the queue', async () => {
    await openPortal();
    const form = resident.page.locator('#report intake-form');
    await form.locator('input[name="kind"][value="complaint"]').check({ timeout: 30000 });
    await form.locator('button[type="submit"]').click();
    await form.locator('#service-search').fill('垃圾');
    await form.locator('input[name="service"][value="rubbish-collection"]').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('#f-description').fill('花园路5号楼后面的厨余垃圾桶连续三天没有清运，已经满溢发臭。');
    await form.locator('#f-fields-location').fill('花园路5号楼');
    await form.locator('input[name="bin_type"][value="kitchen"]').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('input[name="contact"][value="reply"]').check();
    await form.locator('#f-contact-name').fill('李女士');
    await form.locator('#f-contact-phone').fill('13800001234');
    await form.locator('#f-consent').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('.summary-list').waitFor({ timeout: 20000 });
    await form.locator('button[type="submit"]').click();
    await form.locator('.reference-number').waitFor({ timeout: 30000 });
    reference = (await form.locator('.reference-number').innerText()).trim();
    assert.match(reference, /^[A-Z]+-/);

    // The resident's view: received, with the office it is routed to by the catalogue.
    const seen = await residentSees((t) => t.includes('已受理'), 'received');
    assert.ok(seen.includes('已受理'), seen);
    await shots(resident.page, 'filed');

    // The dispatcher's queue has it, live.
    await waitInQueue(desks.dispatcher, reference);
    const detail = await detailAs('dispatcher');
    assert.equal(detail.site.id, SITE);
    assert.equal(detail.service.id, 'rubbish-collection');
  });

  test('dispatched, by mistake, to the market regulation bureau: it is in their queue, not the sanitation officer\'s', async () => {
    const desk = desks.dispatcher;
    await openFromQueue(desk);
    await desk.page.locator('#route-department').selectOption(WRONG);
    await desk.page.getByRole('button', { name: 'Route', exact: true }).click();
    await waitInView(desk, requestHash(), () => desk.page.locator('staff-request [data-routed]').filter({ hasText: 'Market Regulation' }), 'routed to market regulation');
    assert.equal((await detailAs('dispatcher')).routedTo.id, WRONG);

    await waitInQueue(desks.market, reference);
    await waitInQueue(desks.sanitation, reference, false);
    const seen = await residentSees((t) => t.includes('区市场监督管理局'), 'routed to the market regulation bureau');
    assert.ok(seen.includes('已派单'), `the resident sees the dispatch: ${seen}`);
    await auditActions(['route']);
    await figures(WRONG, { received: 1, returned: 0 });
  });

  test('returned by the wrong office with a reason: back with the dispatcher, gone from the office\'s queue', async () => {
    // The market officer, in the request view's dispatch panel (staff-dispatch): the reason from the list and a note.
    const market = desks.market;
    await openFromQueue(market);
    await market.page.locator('#return-reason').selectOption('not_our_duty');
    await market.page.locator('#return-note').fill('垃圾清运属于环卫部门职责，不属于市场监管。');
    await market.page.getByRole('button', { name: 'Return to the dispatch centre' }).click();
    await market.page.locator('staff-dispatch [role="status"]').filter({ hasText: 'Returned' }).waitFor({ timeout: 30000 });
    clock.advance(10 * MINUTE);
    const detail = await detailAs('dispatcher');
    assert.equal((detail as { returnPending?: { reason: string } | null }).returnPending?.reason, 'not_our_duty', 'the return and its reason are with the dispatcher');
    await waitInQueue(market, reference, false);
    await waitInQueue(desks.dispatcher, reference);
    assert.equal((await queued('dispatcher', 'returned=1')).length, 1, 'in the dispatcher\'s returned list');
    // The resident sees, in plain words, who gave it back and why, and that it is being dispatched again.
    const seen = await residentSees((t) => t.includes('区市场监督管理局退回'), 'the return in plain words');
    assert.match(seen, /区市场监督管理局退回，正在重新派单\s+不属于原单位职责/, seen);
    assert.ok(!seen.includes('不属于市场监管'), 'the office\'s note to the dispatcher is not shown to the resident');
    await auditActions(['route', 'return']);
    await figures(WRONG, { received: 1, returned: 1 });
  });

  test('re-dispatched to the sanitation bureau in the console: in their queue, the resident sees to whom', async () => {
    // The dispatcher, in the dispatch panel: the return's reason shown, sent on (改派).
    const desk = desks.dispatcher;
    await openFromQueue(desk);
    await waitInView(desk, requestHash(), () => desk.page.locator('staff-dispatch [data-reason="not_our_duty"]'), 'the return\'s reason');
    await desk.page.locator('#redispatch-department').selectOption(RIGHT);
    await desk.page.getByRole('button', { name: 'Send', exact: true }).click();
    await waitInView(desk, requestHash(), () => desk.page.locator('staff-request [data-routed]').filter({ hasText: 'Sanitation' }), 'routed to sanitation');
    const detail = (await detailAs('dispatcher')) as StaffRequestDetail & { returnPending?: unknown; transfers?: number; returns?: number };
    assert.equal(detail.routedTo.id, RIGHT);
    assert.equal(detail.returnPending ?? null, null, 'the return is settled');
    assert.equal(detail.returns, 1, 'one return counted on the item');
    await waitInQueue(desks.sanitation, reference);
    await residentSees((t) => t.includes('转至区城市管理和环境卫生局'), 'moved on to the sanitation bureau');
    await auditActions(['route', 'return']);
    await figures(RIGHT, { received: 1, escalated: 0, 'ratings.count': 0 });
  });

  test('overdue: the clock passes the reply-by time, the sweep escalates it to the supervisor\'s queue and tells the resident', async () => {
    const before = await detailAs('sanitation');
    assert.ok(before.replyBy, 'a reply-by time');
    assert.ok(new Date(before.replyBy!) > clock.now(), `not overdue yet (${before.replyBy} after ${clock.now().toISOString()})`);
    assert.equal((await queued('supervisor', 'escalated=1')).length, 0, 'not escalated yet');
    clock.set(new Date(new Date(before.replyBy!).getTime() + MINUTE));
    const escalated = await api.escalateOverdue();
    assert.deepEqual(escalated.filter((e) => e.reference === reference).map((e) => e.which), ['reply'], 'escalated once, for the reply');
    assert.deepEqual(await api.escalateOverdue(), [], 'a second sweep escalates nothing more');
    const flagged = await queued('supervisor', 'escalated=1');
    assert.equal(flagged[0]?.escalation?.level, 1, 'in the supervisor\'s escalated queue at level 1');
    assert.equal((await queued('sanitation', 'escalated=1')).length, 1, 'flagged to the owning office too');
    // The supervisor's console: the 督办 filter of the queue has it with its level; the request
    // view's supervision panel says why.
    const sup = desks.supervisor;
    await go(sup, '#/');
    await sup.page.locator('#filter-escalated').check();
    await sup.page.waitForFunction(() => location.search.includes('escalated=1'));
    await waitInQueue(sup, reference);
    await queueRow(sup, reference).locator('[data-escalation="1"]').waitFor({ timeout: 30000 });
    await openFromQueue(sup);
    await waitInView(sup, requestHash(), () => sup.page.locator('staff-supervise [data-level="1"]'), 'the supervision panel at level 1');
    await screenshot(sup.page, 'loop-escalated-supervisor-desktop');
    await sup.page.locator('#filter-escalated').uncheck();
    await residentSees((t) => t.includes('已超过答复时限，热线中心正在督办'), 'overdue and followed up');
    await figures(RIGHT, { escalated: 1, 'replied.late': 1, 'replied.onTime': 0 });
  });

  test('replied by the sanitation officer in the console; the resident sees the reply', async () => {
    const desk = desks.sanitation;
    await openFromQueue(desk);
    await replyInConsole(desk, REPLY_1);
    await residentSees((t) => t.includes(REPLY_1.slice(0, 12)), 'the reply');
    await auditActions(['route', 'return', 'reply']);
  });

  test('resolved in the console; the resident sees it resolved and is asked to rate', async () => {
    clock.advance(2 * 3600_000);
    await statusInConsole(desks.sanitation, 'resolved', '垃圾桶已清运并加装');
    await residentSees((t) => t.includes('已办结'), 'resolved');
    await auditActions(['status']);
  });

  test('rated 不满意, not solved: sent back to be redone to the same office with a new time limit', async () => {
    clock.advance(3600_000);
    await rate('不满意', false, '第二天又满了，问题没有解决。');
    const redo = await waitFor(async () => {
      const d = await detailAs('supervisor');
      return d.status === 'in_progress' ? d : null;
    }, { timeout: 30000, message: 'back in progress after the bad rating' });
    assert.equal(redo.routedTo.id, RIGHT, 'to the same office');
    assert.ok(redo.replyBy && new Date(redo.replyBy) > clock.now(), `a new time limit (${redo.replyBy})`);
    assert.equal((await queued('sanitation', 'redo=1')).length, 1, 'in the office\'s redo list');
    await waitInQueue(desks.sanitation, reference);
    await residentSees((t) => t.includes('重新办理'), 'sent back to be redone');
    await figures(RIGHT, { 'ratings.count': 1, 'ratings.byLevel.2': 1, 'bad.count': 1, 'bad.redone': 1, 'bad.answered': 0, 'redo.count': 1, 'redo.answered': 0 });
  });

  test('redone: replied and resolved again in the console', async () => {
    clock.advance(24 * 3600_000);
    const desk = desks.sanitation;
    await openFromQueue(desk);
    await replyInConsole(desk, REPLY_2);
    await statusInConsole(desk, 'resolved', '已改为每天两次清运');
    assert.equal((await queued('sanitation', 'redo=1')).length, 0, 'the redo is answered');
    await residentSees((t) => t.includes(REPLY_2.slice(0, 12)) && t.includes('已办结'), 'the second answer, resolved');
    await figures(RIGHT, { 'bad.answered': 1, 'redo.answered': 1, 'redo.answeredOnTime': 1 });
  });

  test('rated 满意, solved: the item stays resolved; both ratings kept', async () => {
    clock.advance(3600_000);
    await rate('满意', true, '现在每天清运两次，谢谢。');
    const done = await waitFor(async () => {
      const d = await detailAs('supervisor');
      return d.feedbackHistory.length === 2 ? d : null;
    }, { timeout: 30000, message: 'the second rating stored' });
    assert.deepEqual(done.feedbackHistory.map((f) => [f.rating, f.resolved]), [[2, false], [4, true]]);
    assert.equal(done.status, 'resolved');
    // 首接负责: the first office that took it on (sanitation, by its reply; the market bureau only
    // returned it) stays the owner, in the office's console too, with both ratings beside it.
    assert.equal(done.firstOffice?.id, RIGHT, 'the first office to accept it owns it');
    const desk = desks.sanitation;
    await waitInView(desk, requestHash(), () => desk.page.locator('staff-request [data-ratings] li'), 'the ratings in the console');
    await waitInView(desk, requestHash(), () => desk.page.locator('staff-dispatch [data-first-office]').filter({ hasText: 'Sanitation' }), 'the first office');
    await waitFor(async () => (await desk.page.locator('staff-request [data-ratings] li').count()) === 2, { timeout: 30000, message: 'both ratings in the console' });
    await residentSees(() => true, 'the detail');
    await waitFor(async () => (await status().locator('.timeline li.rating').count()) === 2, { timeout: 30000, message: 'both ratings in the resident\'s timeline' });
    await shots(resident.page, 'rated');
  });

  test('the month\'s assessment: every step counted for the office it concerned', async () => {
    const { month, office } = await assessment();
    assert.equal(month.month, MONTH);
    const sanitation = office(RIGHT);
    const market = office(WRONG);
    assert.ok(sanitation && market, `both offices in the month: ${month.offices.map((o) => o.office.id)}`);
    assert.equal(market.returned, 1, 'the market bureau returned it once');
    assert.equal(sanitation.received, 1, 'the sanitation bureau received it');
    assert.equal(sanitation.escalated, 1, 'escalated once while with sanitation');
    assert.equal(sanitation.replied.late, 1, 'its first reply was late');
    assert.equal(sanitation.ratings.count, 2);
    assert.equal(sanitation.ratings.byLevel['2'], 1);
    assert.equal(sanitation.ratings.byLevel['4'], 1);
    assert.deepEqual([sanitation.ratings.solved, sanitation.ratings.notSolved], [1, 1]);
    assert.deepEqual([sanitation.bad.count, sanitation.bad.redone, sanitation.bad.answered], [1, 1, 1]);
    assert.deepEqual([sanitation.redo.count, sanitation.redo.answered], [1, 1]);
    assert.equal(month.totals.items, 1, 'one complaint in the city total');

    // The supervisor's console: 考核 from the menu, the month of the server's clock by default.
    const sup = desks.supervisor;
    await go(sup, '#/');
    await sup.page.getByRole('link', { name: 'Assessment', exact: true }).click();
    const levels = sup.page.locator(`staff-assessment table[data-table="levels"] tr[data-office="${RIGHT}"] td`);
    await levels.first().waitFor({ timeout: 30000 });
    assert.equal(await sup.page.locator('staff-assessment #month').inputValue(), MONTH);
    assert.deepEqual((await levels.allInnerTexts()).map((t) => t.trim()), ['0', '1', '0', '1', '0', '0'], '非常满意…非常不满意 and appealed for sanitation');
    const returned = sup.page.locator(`staff-assessment table[data-table="league"] tr[data-office="${WRONG}"] [data-cell="returned"]`);
    assert.equal((await returned.innerText()).trim(), '1', 'the market bureau\'s return in the league table');
    assert.equal((await sup.page.locator('staff-assessment [data-total="items"]').innerText()).trim(), '1');
    await screenshot(sup.page, 'loop-assessment-desktop', true);
  });

  test('the audit log has the whole loop; no page errors', async () => {
    const actions = await auditActions(['route', 'return', 'reply', 'status']);
    assert.ok(actions.filter((a) => a === 'route').length >= 2, `dispatched and re-dispatched: ${actions}`);
    await screenshot(desks.supervisor.page, 'loop-audit-desktop', true);
    assert.deepEqual(pageErrors, []);
  });
});
