/**
 * What low-vision residents meet around the panel: 400 % zoom (a 320×200 CSS px screen) keeps
 * everything reachable in both text sizes, forced colours still show which tab is selected, no
 * focused host element is ever covered by the open panel or the closed launcher (Escape closes the
 * panel wherever focus is), and the page behind the phone sheet is out of the accessibility tree.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import '../../src/components/widget/widget.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import { FakeClient, makeRequestCatalog } from '../helpers/fake-client.js';
import { axTree } from '../helpers/live-regions.js';
import { mountTemplate } from './mount.js';

const WAIT = { timeout: 8000 };

async function resize(width: number, height: number): Promise<boolean> {
  try {
    await setViewport({ width, height });
    return true;
  } catch {
    return false;
  }
}

async function mountWidget(largeText: boolean, site = 'test/low-vision'): Promise<IntakeWidget> {
  const client = new FakeClient({ catalog: makeRequestCatalog() });
  const wrapper = await mountTemplate(html`<intake-widget endpoint="https://intake.test/api/v1" site=${site} locale="zh-CN" ?large-text=${largeText} .client=${client}></intake-widget>`);
  const el = wrapper.querySelector('intake-widget') as IntakeWidget;
  await el.updateComplete;
  return el;
}

function $<T extends HTMLElement = HTMLElement>(root: HTMLElement, selector: string): T | null {
  return root.shadowRoot!.querySelector<T>(selector);
}

async function openOnChat(el: IntakeWidget): Promise<HTMLTextAreaElement> {
  await el.open();
  await waitUntil(() => el.shadowRoot!.querySelector('intake-chat')?.shadowRoot?.querySelector('textarea'), 'chat ready', WAIT);
  const chat = el.shadowRoot!.querySelector('intake-chat') as HTMLElement & { updateComplete: Promise<boolean> };
  await chat.updateComplete;
  return chat.shadowRoot!.querySelector('textarea')!;
}

/** The composed ancestors of an element, up to the document. */
function ancestors(el: Element): Element[] {
  const out: Element[] = [];
  for (let n: Node | null = el.parentNode; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
    if (n instanceof Element) out.push(n);
  }
  return out;
}

/** Scroll containers a resident cannot scroll (overflow hidden/clip) that were scrolled anyway. */
function hiddenScroll(el: Element): string[] {
  return ancestors(el)
    .filter((a) => /hidden|clip/.test(getComputedStyle(a).overflowY) && a.scrollTop > 0)
    .map((a) => `${a.tagName.toLowerCase()}.${String(a.className)} scrollTop ${a.scrollTop}`);
}

/**
 * Whether a resident can bring the element into view: scrolled there through every container
 * (only those a resident can scroll count), it lies inside the screen.
 */
function reachable(el: HTMLElement): string | null {
  el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  const cheated = hiddenScroll(el);
  for (const a of ancestors(el)) if (/hidden|clip/.test(getComputedStyle(a).overflowY)) a.scrollTop = 0;
  if (cheated.length) return `${el.tagName.toLowerCase()}.${el.className}: only through ${cheated.join(', ')}`;
  const r = el.getBoundingClientRect();
  if (r.top < -0.5 || r.bottom > innerHeight + 0.5 || r.left < -0.5 || r.right > innerWidth + 0.5) return `${el.tagName.toLowerCase()}.${el.className} at ${Math.round(r.top)}–${Math.round(r.bottom)} of ${innerHeight}`;
  return null;
}

function overlap(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
}

describe('400 % zoom: everything stays reachable (WCAG 1.4.10)', () => {
  afterEach(async () => {
    localStorage.clear();
    sessionStorage.clear();
    await resize(800, 600);
  });

  for (const [width, height] of [[320, 200], [320, 256]] as const) {
    for (const largeText of [false, true]) {
      it(`${width}×${height}${largeText ? ', large text' : ''}: header, tabs and composer reachable, nothing scrolled out of reach`, async function () {
        if (!(await resize(width, height))) this.skip();
        const el = await mountWidget(largeText);
        const composer = await openOnChat(el);
        composer.focus();
        await waitUntil(() => el.shadowRoot!.activeElement !== null, 'composer focused', WAIT);
        // Focusing the composer must not have pushed the header out through an unscrollable box.
        expect(hiddenScroll($(el, '.close')!), 'after focusing the composer').to.deep.equal([]);
        const chat = el.shadowRoot!.querySelector('intake-chat')!;
        const targets = [
          $(el, '.close')!,
          $(el, '.large-text-toggle')!,
          ...Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>('.tab')),
          composer,
          chat.shadowRoot!.querySelector<HTMLElement>('button[type="submit"], .send')!,
        ];
        const problems = targets.map((t) => reachable(t)).filter((p): p is string => p !== null);
        expect(problems, `${width}×${height}`).to.deep.equal([]);
      });
    }
  }
});

describe('forced colours: the selected tab is distinguishable', () => {
  afterEach(async () => {
    await executeServerCommand('forced-colors', { active: false });
    localStorage.clear();
    sessionStorage.clear();
  });

  for (const largeText of [false, true]) {
    it(`the selected tab has a visible mark and the others none${largeText ? ' (large text)' : ''}`, async function () {
      if ((await executeServerCommand('forced-colors', { active: true })) !== true) this.skip();
      const el = await mountWidget(largeText);
      await openOnChat(el);
      expect(matchMedia('(forced-colors: active)').matches, 'emulated').to.equal(true);
      const tabs = Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>('.tab'));
      expect(tabs.length).to.be.at.least(2);
      const back = getComputedStyle($(el, '.tabs')!).backgroundColor;
      const mark = (tab: HTMLElement) => {
        const s = getComputedStyle(tab);
        const line = s.borderBottomStyle !== 'none' && parseFloat(s.borderBottomWidth) >= 2 && s.borderBottomColor !== back && s.borderBottomColor !== 'rgba(0, 0, 0, 0)';
        return { line, describe: `${s.borderBottomWidth} ${s.borderBottomStyle} ${s.borderBottomColor} on ${back}, text ${s.color}, background ${s.backgroundColor}` };
      };
      const selected = tabs.find((t) => t.getAttribute('aria-selected') === 'true')!;
      expect(mark(selected).line, `selected: ${mark(selected).describe}`).to.equal(true);
      for (const tab of tabs.filter((t) => t !== selected)) expect(mark(tab).line, `unselected: ${mark(tab).describe}`).to.equal(false);
    });
  }
});

describe('focus is never hidden under the widget (WCAG 2.4.11)', () => {
  let page: HTMLElement | undefined;
  afterEach(async () => {
    page?.remove();
    page = undefined;
    localStorage.clear();
    sessionStorage.clear();
    await resize(800, 600);
  });

  function hostLinks(count: number, columns: number): HTMLAnchorElement[] {
    page = document.createElement('div');
    page.style.cssText = `display:grid;grid-template-columns:repeat(${columns},1fr);gap:4px;padding:8px`;
    for (let i = 0; i < count; i++) {
      const a = document.createElement('a');
      a.href = `#host-${i}`;
      a.textContent = `host link ${i}`;
      a.style.cssText = 'display:block;padding:6px';
      page.append(a);
    }
    document.body.prepend(page);
    return Array.from(page.querySelectorAll('a'));
  }

  for (const largeText of [false, true]) {
    it(`desktop panel open: Tab into the page, 200 host links, none covered; Escape closes from the page${largeText ? ' (large text)' : ''}`, async function () {
      if (!(await resize(1280, 800))) this.skip();
      const links = hostLinks(200, 8);
      const el = await mountWidget(largeText, `test/focus-${largeText}`);
      await openOnChat(el);
      const panel = $(el, '.panel')!;
      const covered = (a: HTMLElement) => {
        const r = a.getBoundingClientRect();
        return (el.isOpen && overlap(r, panel.getBoundingClientRect())) || overlap(r, el.launcher.getBoundingClientRect());
      };
      // Tab out of the panel as a resident would.
      const seen: string[] = [];
      for (let i = 0; i < 80 && !links.includes(document.activeElement as HTMLAnchorElement); i++) {
        await sendKeys({ press: 'Tab' });
        seen.push(document.activeElement?.tagName ?? 'none');
      }
      // Firefox under puppeteer leaves links out of the Tab order (its profile): Tab left the
      // panel for the page (body) all the same; focus the first link there as Tab would elsewhere.
      if (!links.includes(document.activeElement as HTMLAnchorElement) && seen.includes('BODY')) links[0]!.focus();
      const first = document.activeElement as HTMLAnchorElement;
      expect(links.includes(first), `Tab reached the page (${seen.join(' ')})`).to.equal(true);
      await el.updateComplete;
      const hidden: string[] = [];
      if (covered(first)) hidden.push(first.textContent!);
      for (const a of links) {
        if (!el.isOpen) await el.open({ focus: false });
        a.focus();
        await el.updateComplete;
        if (covered(a)) hidden.push(a.textContent!);
      }
      expect(hidden, 'focused host links covered by the panel or the launcher').to.deep.equal([]);

      // Escape closes the open panel wherever focus is, and leaves focus where it was.
      const link = links[0]!;
      link.focus();
      await el.open({ focus: false });
      link.focus();
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !el.isOpen, 'Escape on the page closed the panel', WAIT);
      expect(document.activeElement).to.equal(link);
    });
  }

  it('closed launcher: 800 host links on a tall page, none covered when focused', async function () {
    if (!(await resize(1280, 800))) this.skip();
    const links = hostLinks(800, 1);
    const el = await mountWidget(false, 'test/focus-closed');
    const hidden: string[] = [];
    for (const a of links) {
      a.focus();
      await el.updateComplete;
      if (overlap(a.getBoundingClientRect(), el.launcher.getBoundingClientRect())) hidden.push(a.textContent!);
    }
    expect(hidden, 'focused host links under the launcher').to.deep.equal([]);
  });
});

describe('the phone sheet is modal: the page behind it leaves the accessibility tree', () => {
  let page: HTMLElement | undefined;
  afterEach(async () => {
    page?.remove();
    page = undefined;
    localStorage.clear();
    sessionStorage.clear();
    await resize(800, 600);
  });

  function hostPage(): void {
    page = document.createElement('nav');
    for (let i = 0; i < 60; i++) {
      const a = document.createElement('a');
      a.href = `#sheet-${i}`;
      a.textContent = `sheet host link ${i}`;
      page.append(a, ' ');
    }
    const already = document.createElement('p');
    already.id = 'already-inert';
    already.inert = true;
    already.textContent = 'inert before';
    page.append(already);
    document.body.prepend(page);
  }

  /** Chromium's tree; null where the engine has no such command (the DOM checks still run). */
  const tree = () => axTree().catch(() => null);
  const hostLinksInTree = async () => (await tree())!.filter((n) => n.role === 'link' && n.name.startsWith('sheet host link')).length;

  it('host links are gone while the sheet is open and back after close, exactly as before', async function () {
    if (!(await resize(390, 844))) this.skip();
    hostPage();
    const el = await mountWidget(false, 'test/sheet');
    const chromium = (await tree()) !== null;
    if (chromium) expect(await hostLinksInTree(), 'before').to.equal(60);
    const before = Array.from(document.querySelectorAll('[inert]')).map((e) => e.id || e.tagName);
    await openOnChat(el);
    expect($(el, '.panel')!.classList.contains('sheet'), 'phone sheet').to.equal(true);
    if (chromium) await waitUntil(async () => (await hostLinksInTree()) === 0, 'host links out of the tree while open', WAIT);
    expect(page!.closest('[inert]'), 'the page behind is inert').to.not.equal(null);
    expect(el.closest('[inert]'), 'the widget is not').to.equal(null);
    await el.close();
    if (chromium) expect(await hostLinksInTree(), 'after close').to.equal(60);
    expect(Array.from(document.querySelectorAll('[inert]')).map((e) => e.id || e.tagName), 'restored exactly').to.deep.equal(before);
    expect(document.getElementById('already-inert')!.inert, 'what was inert stays inert').to.equal(true);
  });

  it('removing the widget while the sheet is open never leaves the page inert', async function () {
    if (!(await resize(390, 844))) this.skip();
    hostPage();
    const el = await mountWidget(false, 'test/sheet-removed');
    await openOnChat(el);
    await waitUntil(() => page!.closest('[inert]'), 'inert while open', WAIT);
    el.remove();
    expect(Array.from(document.querySelectorAll('[inert]')).map((e) => e.id || e.tagName)).to.deep.equal(['already-inert']);
    if (await tree()) expect(await hostLinksInTree()).to.equal(60);
  });
});
