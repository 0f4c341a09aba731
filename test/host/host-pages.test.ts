/**
 * The widget as a guest on hostile host pages (issue 21): page zoom, a transformed body, a phone
 * page wider than the screen, inherited `!important` styles, a cookie banner in the launcher's
 * corner. Each case checks the launcher's and the panel's boxes against the visible viewport and
 * the host's scroll position before and after.
 */
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { sendMouse, setViewport } from '@web/test-runner-commands';
import '../../src/components/widget/widget.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import { FakeClient } from '../helpers/fake-client.js';

const WAIT = { timeout: 8000 };
let hostStyle: HTMLStyleElement | undefined;
let filler: HTMLElement | undefined;

/** The host page's own CSS (removed after each test). */
function hostCss(text: string): void {
  hostStyle = document.createElement('style');
  hostStyle.textContent = text;
  document.head.append(hostStyle);
}

/** A tall host page to scroll (and, with `width`, one wider than the screen). */
function tallPage(width?: number): void {
  filler = document.createElement('div');
  filler.style.blockSize = '4000px';
  if (width) filler.style.inlineSize = `${width}px`;
  document.body.prepend(filler);
}

/** setViewport is not available over WebDriver (WebKit). */
async function resize(width: number, height: number): Promise<boolean> {
  try {
    await setViewport({ width, height });
    return true;
  } catch {
    return false;
  }
}

async function mount(attrs: { textSize?: string } = {}): Promise<IntakeWidget> {
  return fixture<IntakeWidget>(html`<intake-widget
    endpoint="https://intake.test/api/v1"
    site="test/host"
    locale="en"
    text-size=${attrs.textSize ?? ''}
    .client=${new FakeClient()}
  ></intake-widget>`);
}

function part(el: IntakeWidget, name: string): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
}

/** The visible viewport (the visual viewport where there is one), in client coordinates. */
function visible(): { left: number; top: number; right: number; bottom: number } {
  const vv = window.visualViewport;
  const left = vv?.offsetLeft ?? 0;
  const top = vv?.offsetTop ?? 0;
  return { left, top, right: left + (vv?.width ?? innerWidth), bottom: top + (vv?.height ?? innerHeight) };
}

/** The element's box lies wholly inside the visible viewport (1 px for rounding). */
function expectOnScreen(element: Element, what: string): DOMRect {
  const box = element.getBoundingClientRect();
  const view = visible();
  const where = `${what} at ${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}x${Math.round(box.height)} in ${Math.round(view.right - view.left)}x${Math.round(view.bottom - view.top)}`;
  expect(box.width, where).to.be.greaterThan(0);
  expect(box.left, where).to.be.at.least(view.left - 1);
  expect(box.top, where).to.be.at.least(view.top - 1);
  expect(box.right, where).to.be.at.most(view.right + 1);
  expect(box.bottom, where).to.be.at.most(view.bottom + 1);
  return box;
}

/** Clicks the middle of an element like a resident would (Chromium, Firefox). */
async function click(element: Element): Promise<void> {
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)] });
}

function sendButton(el: IntakeWidget): HTMLElement {
  return el.shadowRoot!.querySelector('intake-chat')!.shadowRoot!.querySelector<HTMLElement>('[part~="send-button"]')!;
}

async function openByClick(el: IntakeWidget): Promise<HTMLElement> {
  await click(part(el, 'launcher'));
  await waitUntil(() => el.isOpen && el.shadowRoot!.querySelector('intake-chat')?.shadowRoot?.querySelector('textarea'), 'panel open', WAIT);
  const panel = part(el, 'panel');
  for (const animation of panel.getAnimations()) animation.finish();
  // The floating panel is placed after a frame.
  await waitUntil(() => panel.classList.contains('sheet') || panel.style.top !== '', 'panel placed', WAIT);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return panel;
}

describe('host pages', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(async () => {
    // The widget goes before the viewport changes back (its panel would follow the resize).
    fixtureCleanup();
    hostStyle?.remove();
    filler?.remove();
    hostStyle = filler = undefined;
    window.scrollTo(0, 0);
    sessionStorage.clear();
    await resize(800, 600);
  });

  it('page zoom 1.5 on a 1280x800 desktop: launcher and panel on screen', async () => {
    if (!(await resize(1280, 800))) return;
    hostCss('html { zoom: 1.5 }');
    const el = await mount();
    expectOnScreen(part(el, 'launcher'), 'launcher');
    const panel = await openByClick(el);
    expectOnScreen(panel, 'panel');
    expectOnScreen(sendButton(el), 'Send');
  });

  it('page zoom 1.5 on a 390x844 phone: the sheet fits the screen, Send included', async () => {
    if (!(await resize(390, 844))) return;
    hostCss('html { zoom: 1.5 }');
    const el = await mount();
    expectOnScreen(part(el, 'launcher'), 'launcher');
    const panel = await openByClick(el);
    const box = expectOnScreen(panel, 'sheet');
    expect(Math.round(box.height)).to.be.at.least(visible().bottom - visible().top - 2);
    expectOnScreen(sendButton(el), 'Send');
  });

  it('transformed body (scale 1.2): the launcher stays on screen and clickable, scroll position kept', async () => {
    hostCss('body { transform: scale(1.2); transform-origin: 0 0 }');
    tallPage(1200);
    const el = await mount();
    window.scrollTo(300, 1200);
    const before = [scrollX, scrollY];
    expectOnScreen(part(el, 'launcher'), 'launcher');
    const panel = await openByClick(el);
    expectOnScreen(panel, 'panel');
    expectOnScreen(sendButton(el), 'Send');
    expect([scrollX, scrollY], 'scroll after open').to.deep.equal(before);
    await click(el.shadowRoot!.querySelector('[part~="close-button"]')!);
    await waitUntil(() => !el.isOpen, 'closed', WAIT);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect([scrollX, scrollY], 'scroll after close').to.deep.equal(before);
    expectOnScreen(part(el, 'launcher'), 'launcher after close');
  });

  it('a phone page wider than the screen: launcher and sheet inside the screen, no padding written for a scrollbar', async () => {
    if (!(await resize(390, 844))) return;
    tallPage(556);
    const el = await mount();
    expectOnScreen(part(el, 'launcher'), 'launcher');
    const panel = await openByClick(el);
    expectOnScreen(panel, 'sheet');
    expectOnScreen(sendButton(el), 'Send');
    const padding = parseFloat(document.documentElement.style.paddingRight || '0');
    expect(padding).to.be.at.most(30);
  });

  it('inherited !important host styles and a centred footer decide nothing inside', async () => {
    const plain = await mount();
    const plainWidth = part(plain, 'launcher').getBoundingClientRect().width;
    plain.remove();
    hostCss(`* { font-size: 20px !important; line-height: 2 !important; font-family: 'Comic Sans MS', fantasy !important;
      letter-spacing: 3px !important; word-spacing: 9px !important; text-transform: uppercase !important;
      font-style: italic !important; white-space: pre !important; color: #f0f !important; text-indent: 40px !important }
      footer { text-align: center; direction: rtl }`);
    const footer = document.createElement('footer');
    document.body.append(footer);
    try {
      const el = document.createElement('intake-widget') as IntakeWidget;
      Object.assign(el, { endpoint: 'https://intake.test/api/v1', site: 'test/host', locale: 'en', client: new FakeClient() });
      footer.append(el);
      await el.updateComplete;
      const launcher = part(el, 'launcher');
      expect(Math.round(launcher.getBoundingClientRect().width), 'launcher width').to.equal(Math.round(plainWidth));
      const label = getComputedStyle(el.shadowRoot!.querySelector('.label')!);
      expect(label.fontSize).to.equal('16px');
      expect(label.letterSpacing).to.equal('normal');
      expect(label.textTransform).to.equal('none');
      expect(label.fontStyle).to.equal('normal');
      await el.open();
      await waitUntil(() => el.shadowRoot!.querySelector('intake-chat')?.shadowRoot?.querySelector('textarea'), 'chat', WAIT);
      const title = getComputedStyle(el.shadowRoot!.querySelector('#panel-title')!);
      expect(title.textAlign).to.be.oneOf(['start', 'left']);
      expect(title.direction).to.equal('ltr');
      expect(title.lineHeight).to.not.equal('40px');
      expect(title.whiteSpace).to.equal('normal');
      expect(title.textIndent).to.equal('0px');
      const chat = el.shadowRoot!.querySelector('intake-chat')!;
      const composer = getComputedStyle(chat.shadowRoot!.querySelector('textarea')!);
      expect(composer.fontSize).to.equal('16px');
      expect(composer.fontStyle).to.equal('normal');
    } finally {
      footer.remove();
    }
  });

  it('text-size="follow" follows a host toolbar\'s larger root font; without it the widget keeps 16px', async () => {
    hostCss('html { font-size: 20px }');
    const kept = await mount();
    expect(getComputedStyle(kept.shadowRoot!.querySelector('.label')!).fontSize).to.equal('16px');
    kept.remove();
    const el = await mount({ textSize: 'follow' });
    await waitUntil(() => getComputedStyle(el.shadowRoot!.querySelector('.label')!).fontSize === '20px', 'follows 20px', WAIT);
  });

  it('--intake-launcher-offset-block/-inline move the launcher', async () => {
    hostCss('intake-widget { --intake-launcher-offset-block: 100px; --intake-launcher-offset-inline: 40px }');
    const el = await mount();
    const box = part(el, 'launcher').getBoundingClientRect();
    expect(Math.round(visible().bottom - box.bottom)).to.equal(100);
    expect(Math.round(visible().right - box.right)).to.equal(40);
  });

  it('a cookie banner in the corner: the closed launcher moves above it, and its buttons take a real click', async () => {
    const banner = document.createElement('div');
    banner.className = 'cookie';
    banner.style.cssText = 'position:fixed;inset-inline:0;bottom:0;height:72px;background:#333;z-index:1000;display:flex;justify-content:flex-end;align-items:center;gap:8px;padding:0 16px';
    const reject = document.createElement('button');
    reject.textContent = 'Reject';
    const accept = document.createElement('button');
    accept.textContent = 'Accept';
    let clicked = '';
    reject.onclick = () => (clicked = 'reject');
    accept.onclick = () => {
      clicked = 'accept';
      banner.remove();
    };
    banner.append(reject, accept);
    document.body.append(banner);
    try {
      const el = await mount();
      const launcher = part(el, 'launcher');
      await waitUntil(() => launcher.getBoundingClientRect().bottom <= banner.getBoundingClientRect().top + 1, 'launcher above the banner', WAIT);
      expectOnScreen(launcher, 'launcher');
      await click(reject);
      expect(clicked).to.equal('reject');
      await click(accept);
      expect(clicked).to.equal('accept');
      await waitUntil(() => visible().bottom - launcher.getBoundingClientRect().bottom < 30, 'launcher back in its corner', WAIT);
    } finally {
      banner.remove();
    }
  });
});
