/**
 * Elder mode (`large-text`) against the MIIT age-friendly specs, in every locale: on every view
 * of the open widget (chat, the form's five steps and errors, my requests with a reply and the rating
 * form) no visible text is under 18 px, no line height under 1.3, and every target is at least
 * 60×60 CSS px; the launcher grows in elder mode, never shrinks.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/components/widget/widget.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import { FakeClient, makeDetail, makeRequestCatalog } from '../helpers/fake-client.js';
import { mountTemplate } from './mount.js';

const WAIT = { timeout: 8000 };
const REF = 'GC-20250301-0001';
const LOCALES = ['zh-CN', 'en', 'zh-HK', 'ug'];

type View = HTMLElement & { updateComplete: Promise<boolean> };

/** Every element in the shadow trees under a root. */
function deepAll(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of Array.from(root.querySelectorAll('*'))) {
    out.push(el);
    if (el.shadowRoot) out.push(...deepAll(el.shadowRoot));
  }
  return out;
}

function shown(el: Element): boolean {
  const rect = el.getBoundingClientRect();
  // 1×1 boxes are the visually-hidden texts, read aloud but never seen.
  if (rect.width <= 1 || rect.height <= 1) return false;
  const style = getComputedStyle(el);
  return style.visibility !== 'hidden' && style.display !== 'none' && el.checkVisibility?.() !== false;
}

function describe_(el: Element): string {
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
  return `${el.tagName.toLowerCase()}${cls} "${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 24)}"`;
}

/** Elements holding visible text under 18 px, or with a line height under 1.3. */
function smallText(root: HTMLElement): string[] {
  const found = new Set<string>();
  for (const el of [root, ...deepAll(root.shadowRoot!)]) {
    const texts = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    const field = el.matches('input:not([type="radio"]):not([type="checkbox"]):not([type="file"]), textarea, select');
    if ((texts.length === 0 && !field) || !shown(el)) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const line = style.lineHeight === 'normal' ? 1.2 * size : parseFloat(style.lineHeight);
    if (size < 17.99) found.add(`${describe_(el)} ${size}px`);
    // A closed select shows one line in a 60 px box; Chromium's own style keeps its line-height normal.
    if (line / size < 1.299 && !el.matches('select')) found.add(`${describe_(el)} line-height ${(line / size).toFixed(2)}`);
  }
  return [...found];
}

/** Targets under 60×60 px. A radio or checkbox counts by its label; links inside running text are exempt (inline). */
function smallTargets(root: HTMLElement): string[] {
  const found: string[] = [];
  for (const el of [root, ...deepAll(root.shadowRoot!)]) {
    if (!el.matches('button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="tab"]') || !shown(el)) continue;
    if (el.matches('input[type="file"]') && getComputedStyle(el).opacity === '0') continue;
    if (el.matches('a') && el.closest('p, .bubble, .hint, .desc')) continue;
    let rect = el.getBoundingClientRect();
    if (el.matches('input[type="radio"], input[type="checkbox"]')) {
      const label = el.closest('label') ?? (el.id ? (el.getRootNode() as ShadowRoot).querySelector(`label[for="${el.id}"]`) : null);
      if (label) rect = label.getBoundingClientRect();
    }
    if (rect.width + 0.5 < 60 || rect.height + 0.5 < 60) found.push(`${describe_(el)} ${Math.round(rect.width)}×${Math.round(rect.height)}`);
  }
  return found;
}

function clientWithEverything(): FakeClient {
  const client = new FakeClient({ catalog: makeRequestCatalog(), drafts: new Map<string, unknown>([['chat:conversation', true]]) });
  client.historyValue = [
    { id: 'm-1', seq: 1, author: 'resident', text: 'The bins were not emptied.', at: '2025-03-01T02:00:00.000Z', delivery: 'read', clientId: 'c-1' },
    { id: 'm-2', seq: 2, author: 'staff', authorName: 'Sanitation Office', text: 'We are on it.', at: '2025-03-01T02:05:00.000Z' },
    { author: 'resident', text: 'Thank you', at: '2025-03-01T02:06:00.000Z', delivery: 'failed', clientId: 'c-2' },
  ];
  client.known.push({ reference: REF, accessToken: 'secret', service: 'rubbish', type: 'complaint', createdAt: '2025-03-01T02:00:00.000Z' });
  client.requests.set(
    REF,
    makeDetail(REF, {
      status: 'resolved',
      timeline: [
        { at: '2025-03-01T02:00:00.000Z', status: 'received' },
        { at: '2025-03-02T09:20:00.000Z', status: 'resolved' },
      ],
      replies: [{ id: 'r1', at: '2025-03-02T09:15:00.000Z', department: { id: 'sanitation', name: 'Sanitation Office' }, text: 'We emptied the bins.' }],
      awaitingFeedback: true,
      canReopen: true,
    }),
  );
  return client;
}

async function mountWidget(locale: string, largeText: boolean, client = clientWithEverything()): Promise<IntakeWidget> {
  const wrapper = await mountTemplate(html`<intake-widget
    endpoint="https://intake.test/api/v1"
    site="test/elder"
    locale=${locale}
    ?large-text=${largeText}
    .client=${client}
  ></intake-widget>`);
  const el = wrapper.querySelector('intake-widget') as IntakeWidget;
  await el.updateComplete;
  return el;
}

function inView(el: IntakeWidget, tag: string): View {
  return el.shadowRoot!.querySelector(`intake-${tag}`) as View;
}
function q<T extends HTMLElement = HTMLElement>(view: HTMLElement, selector: string): T | null {
  // A view's element is there before its code (the form and My requests load when their tab opens).
  return view.shadowRoot?.querySelector<T>(selector) ?? null;
}

/** Adds what is under the limits in one state to `problems` (every state is walked, then all are reported). */
async function check(el: IntakeWidget, state: string, problems: string[]): Promise<void> {
  await el.updateComplete;
  for (const view of Array.from(el.shadowRoot!.querySelectorAll('intake-chat, intake-form, intake-status'))) await (view as View).updateComplete;
  for (const animation of el.shadowRoot!.getAnimations?.() ?? []) animation.finish();
  problems.push(...smallText(el).map((p) => `${state}: text ${p}`), ...smallTargets(el).map((p) => `${state}: target ${p}`));
}

describe('elder mode (large-text) meets the MIIT age-friendly sizes', () => {
  afterEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  for (const locale of LOCALES) {
    it(`${locale}: every view: text 18 px+, line height 1.3+, targets 60×60+`, async () => {
      const problems: string[] = [];
      const el = await mountWidget(locale, true);
      await check(el, `${locale} closed`, problems);
      await el.open();
      const chat = inView(el, 'chat');
      await waitUntil(() => chat.shadowRoot?.querySelectorAll('.message').length, 'chat history', WAIT);
      await check(el, `${locale} chat`, problems);

      el.shadowRoot!.querySelector<HTMLButtonElement>('#tab-form')!.click();
      const form = inView(el, 'form');
      await waitUntil(() => q(form, 'form'), 'form ready', WAIT);
      await check(el, `${locale} form: kinds`, problems);
      q<HTMLButtonElement>(form, 'form button[type="submit"]')!.click();
      await waitUntil(() => q(form, '.error-summary'), 'errors', WAIT);
      await check(el, `${locale} form: errors`, problems);
      q<HTMLInputElement>(form, 'input[name="kind"][value="complaint"]')!.click();
      await form.updateComplete;
      q<HTMLButtonElement>(form, 'form button[type="submit"]')!.click();
      await waitUntil(() => q(form, 'form')?.dataset['step'] === 'service', 'service step', WAIT);
      await check(el, `${locale} form: services`, problems);
      const service = q<HTMLInputElement>(form, 'input[name="service"][value="everything"]')!;
      service.click();
      await waitUntil(() => service.checked && !q(form, '.error-summary'), 'service chosen', WAIT);
      await new Promise((r) => setTimeout(r, 0));
      q<HTMLButtonElement>(form, 'form button[type="submit"]')!.click();
      await waitUntil(() => q(form, 'form')?.dataset['step'] === 'details', 'details step', WAIT);
      await check(el, `${locale} form: details`, problems);
      const type = async (selector: string, value: string) => {
        const input = q<HTMLInputElement>(form, selector)!;
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await form.updateComplete;
      };
      await type('#f-description', 'The bins on Garden Road were not emptied this week.');
      await type('#f-fields-title', 'Bins');
      q<HTMLButtonElement>(form, 'form button[type="submit"]')!.click();
      await waitUntil(() => q(form, 'form')?.dataset['step'] === 'contact', 'contact step', WAIT);
      await check(el, `${locale} form: contact`, problems);
      q<HTMLInputElement>(form, 'input[name="contact"][value="anonymous"]')!.click();
      await form.updateComplete;
      q<HTMLInputElement>(form, '#f-consent')!.click();
      await form.updateComplete;
      q<HTMLButtonElement>(form, 'form button[type="submit"]')!.click();
      await waitUntil(() => q(form, 'form')?.dataset['step'] === 'check', 'check step', WAIT);
      await check(el, `${locale} form: check`, problems);

      el.shadowRoot!.querySelector<HTMLButtonElement>('#tab-status')!.click();
      const status = inView(el, 'status');
      await waitUntil(() => q(status, `[data-reference="${REF}"] .badge`), 'requests listed', WAIT);
      await check(el, `${locale} status: list`, problems);
      q<HTMLButtonElement>(status, `[data-reference="${REF}"]`)!.click();
      await waitUntil(() => q(status, '.rate'), 'rating form', WAIT);
      await check(el, `${locale} status: reply and rating`, problems);
      q<HTMLButtonElement>(status, '.rate button[type="submit"]')!.click();
      await waitUntil(() => q(status, '.error-summary'), 'rating errors', WAIT);
      await check(el, `${locale} status: rating errors`, problems);
      expect(problems, 'text under 18 px, line height under 1.3, targets under 60×60 px').to.deep.equal([]);
    });
  }

  it('the launcher is larger in elder mode, never smaller', async () => {
    for (const locale of LOCALES) {
      const plain = (await mountWidget(locale, false)).launcher!.getBoundingClientRect();
      const large = (await mountWidget(locale, true)).launcher!.getBoundingClientRect();
      expect(large.height, `${locale}: height ${plain.height} → ${large.height}`).to.be.above(plain.height);
      expect(large.width, `${locale}: width ${plain.width} → ${large.width}`).to.be.at.least(plain.width);
      expect(Math.min(large.width, large.height), `${locale}: 60×60`).to.be.at.least(60);
    }
  });
});
