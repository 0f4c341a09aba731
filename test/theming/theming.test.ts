/**
 * Theming in a real browser: light, dark and auto themes, forced colours, reduced motion, large
 * text, and sizes that do not follow the host page's root font size. Media emulation is a
 * Chromium (DevTools) feature: those checks report themselves skipped elsewhere.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { mountTemplate } from '../components/mount.js';
import '../../src/components/widget/widget.js';
import '../../src/components/chat/chat.js';
import '../../src/components/form/form.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import { FakeClient } from '../helpers/fake-client.js';

const WAIT = { timeout: 8000 };

function $(root: Element, selector: string): HTMLElement {
  const found = root.shadowRoot!.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`${selector} not found`);
  return found;
}
const style = (el: Element) => getComputedStyle(el);
const px = (value: string) => parseFloat(value);

async function mount(attrs: { theme?: string; largeText?: boolean } = {}): Promise<IntakeWidget> {
  return fixture<IntakeWidget>(html`<intake-widget
    endpoint="https://intake.test/api/v1"
    site="test/theming"
    locale="en"
    theme=${attrs.theme ?? 'light'}
    ?large-text=${attrs.largeText ?? false}
    .client=${new FakeClient()}
  ></intake-widget>`);
}

async function openPanel(el: IntakeWidget): Promise<IntakeChat> {
  await el.open({ focus: false });
  await waitUntil(() => el.shadowRoot!.querySelector('intake-chat')?.shadowRoot?.querySelector('textarea'), 'chat ready', WAIT);
  for (const animation of el.shadowRoot!.querySelector('.panel')?.getAnimations() ?? []) animation.finish();
  const chat = el.shadowRoot!.querySelector('intake-chat') as IntakeChat;
  await chat.updateComplete;
  return chat;
}

/** emulateMedia works over the DevTools protocol only (Chromium); elsewhere it throws. */
async function emulate(media: Parameters<typeof emulateMedia>[0]): Promise<boolean> {
  try {
    await emulateMedia(media);
    return true;
  } catch {
    return false;
  }
}

const LIGHT = { surface: 'rgb(255, 255, 255)', primary: 'rgb(26, 86, 184)', text: 'rgb(27, 31, 36)' };
const DARK = { surface: 'rgb(28, 32, 39)', primary: 'rgb(138, 180, 255)', text: 'rgb(238, 241, 245)' };

afterEach(async () => {
  document.documentElement.style.removeProperty('font-size');
  await emulate({ colorScheme: 'light', reducedMotion: 'no-preference', forcedColors: 'none' });
});

describe('themes', () => {
  it('light is the default: light surfaces, primary launcher, dark text', async () => {
    const el = await mount();
    const chat = await openPanel(el);
    expect(style($(el, '.launcher')).backgroundColor).to.equal(LIGHT.primary);
    expect(style($(el, '.panel')).backgroundColor).to.equal(LIGHT.surface);
    expect(style($(chat, 'textarea')).color).to.equal(LIGHT.text);
    expect(style(el).colorScheme).to.equal('light');
  });

  it('theme="dark" switches every token, into the nested views too', async () => {
    const el = await mount({ theme: 'dark' });
    const chat = await openPanel(el);
    expect(style($(el, '.launcher')).backgroundColor).to.equal(DARK.primary);
    expect(style($(el, '.panel')).backgroundColor).to.equal(DARK.surface);
    expect(style($(chat, 'textarea')).color).to.equal(DARK.text);
    expect(style($(chat, 'textarea')).backgroundColor).to.equal(DARK.surface);
    expect(style(el).colorScheme).to.equal('dark');
  });

  it('switching the theme attribute at run time re-themes the open panel', async () => {
    const el = await mount();
    await openPanel(el);
    el.theme = 'dark';
    await el.updateComplete;
    expect(style($(el, '.panel')).backgroundColor).to.equal(DARK.surface);
    el.theme = 'light';
    await el.updateComplete;
    expect(style($(el, '.panel')).backgroundColor).to.equal(LIGHT.surface);
  });

  it('theme="auto" follows prefers-color-scheme (Chromium: emulated media)', async function () {
    if (!(await emulate({ colorScheme: 'dark' }))) this.skip();
    const el = await mount({ theme: 'auto' });
    await openPanel(el);
    expect(style($(el, '.panel')).backgroundColor).to.equal(DARK.surface);
    await emulate({ colorScheme: 'light' });
    expect(style($(el, '.panel')).backgroundColor).to.equal(LIGHT.surface);
  });

  it('theme="light" stays light when the system is dark (Chromium: emulated media)', async function () {
    if (!(await emulate({ colorScheme: 'dark' }))) this.skip();
    const el = await mount({ theme: 'light' });
    await openPanel(el);
    expect(style($(el, '.panel')).backgroundColor).to.equal(LIGHT.surface);
  });

  it('a designer token set on the element wins over the theme', async () => {
    const el = await mount({ theme: 'dark' });
    el.style.setProperty('--intake-color-primary', 'rgb(10, 110, 79)');
    await el.updateComplete;
    expect(style($(el, '.launcher')).backgroundColor).to.equal('rgb(10, 110, 79)');
    el.style.setProperty('--intake-launcher-background', 'rgb(1, 2, 3)');
    expect(style($(el, '.launcher')).backgroundColor).to.equal('rgb(1, 2, 3)');
  });
});

describe('forced colours and reduced motion', () => {
  /**
   * The DevTools media emulation has no forced-colors switch in this runner, so the test unwraps
   * the components' own `@media (forced-colors: active)` blocks and adopts them after the other
   * sheets: that checks those rules win the cascade and keep borders and focus visible.
   */
  function forceColors(root: ShadowRoot): void {
    const sheets = [...root.adoptedStyleSheets, ...[...root.querySelectorAll('style')].map((s) => s.sheet!)];
    const rules: string[] = [];
    for (const sheet of sheets) {
      for (const rule of sheet.cssRules) {
        if (rule instanceof CSSMediaRule && rule.conditionText.includes('forced-colors: active')) {
          for (const inner of rule.cssRules) rules.push(inner.cssText);
        }
      }
    }
    const forced = new CSSStyleSheet();
    forced.replaceSync(rules.join('\n'));
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, forced];
  }

  it('forced-colors rules keep the launcher, panel and field borders and the focus ring visible', async () => {
    const el = await mount();
    const chat = await openPanel(el);
    forceColors(el.shadowRoot!);
    forceColors(chat.shadowRoot!);
    for (const target of [$(el, '.launcher'), $(el, '.panel'), $(el, '.close'), $(chat, 'textarea'), $(chat, '.send')]) {
      const s = style(target);
      expect(s.borderBlockStartStyle, target.className).to.equal('solid');
      expect(px(s.borderBlockStartWidth), target.className).to.be.greaterThan(0);
      expect(s.borderBlockStartColor, target.className).not.to.equal('rgba(0, 0, 0, 0)');
    }
    const close = $(el, '.close');
    close.focus();
    if (close.matches(':focus-visible')) {
      expect(style(close).outlineStyle).to.equal('solid');
      expect(px(style(close).outlineWidth)).to.be.at.least(3);
    }
  });

  it('prefers-reduced-motion turns off transitions and the panel animation (Chromium)', async function () {
    if (!(await emulate({ reducedMotion: 'reduce' }))) this.skip();
    const el = await mount();
    expect(style($(el, '.launcher')).transitionDuration).to.equal('0s');
    expect(style(el).getPropertyValue('--intake-motion-duration').trim()).to.equal('0ms');
    await el.open({ focus: false });
    await waitUntil(() => el.shadowRoot!.querySelector('.panel'), 'panel', WAIT);
    expect(style($(el, '.panel')).animationName).to.equal('none');
  });
});

describe('sizes', () => {
  async function measure(rootSize: string) {
    document.documentElement.style.fontSize = rootSize;
    const el = await mount();
    const chat = await openPanel(el);
    const launcher = $(el, '.launcher').getBoundingClientRect();
    const panel = $(el, '.panel').getBoundingClientRect();
    const sizes = {
      launcher: [launcher.width, launcher.height],
      panel: [panel.width, panel.height],
      text: style($(chat, 'textarea')).fontSize,
      tab: $(el, '.tab').getBoundingClientRect().height,
    };
    el.remove();
    return sizes;
  }

  it('do not depend on the host page root font size (10px vs 24px)', async () => {
    const small = await measure('10px');
    const large = await measure('24px');
    expect(large).to.deep.equal(small);
    expect(small.text).to.equal('16px');
    expect(small.launcher[1]).to.be.at.least(56);
  });
});

describe('large text', () => {
  it('sets 20px text, 44px+ targets, muted text as strong as body text and a thicker focus ring', async () => {
    const el = await mount({ largeText: true });
    const chat = await openPanel(el);
    expect(style($(chat, 'textarea')).fontSize).to.equal('20px');
    expect(px(style($(el, '.panel')).fontSize)).to.be.at.least(20);
    for (const target of [$(el, '.tab'), $(el, '.close'), $(el, '.large-text-toggle'), $(chat, '.send'), $(chat, 'textarea')]) {
      const box = target.getBoundingClientRect();
      expect(box.height, target.className).to.be.at.least(44);
    }
    expect(style($(el, '.tab:not([aria-selected="true"])')).color).to.equal(LIGHT.text);
    // Reach the close button after a key press, so :focus-visible applies whatever the last test
    // did with the mouse (an outline-style of none still reports a 3px "medium" width). It is the
    // panel's first control (the language picker and the large-text toggle come after it) and
    // WebDriver has no Shift+Tab: Tab once from the toggle, then move focus from that
    // focus-visible control to the close button, which keeps it focus-visible in every engine.
    const close = $(el, '.close');
    $(el, '.large-text-toggle').focus();
    await sendKeys({ press: 'Tab' });
    close.focus();
    expect(el.shadowRoot!.activeElement).to.equal(close);
    expect(style(close).outlineStyle).to.equal('solid');
    expect(px(style(close).outlineWidth)).to.be.at.least(4);
  });

  it('keeps large text and strong contrast in the dark theme', async () => {
    const el = await mount({ theme: 'dark', largeText: true });
    const chat = await openPanel(el);
    expect(style($(chat, 'textarea')).fontSize).to.equal('20px');
    expect(style($(el, '.tab:not([aria-selected="true"])')).color).to.equal(DARK.text);
    expect(style($(chat, 'textarea')).borderBlockStartColor).to.equal('rgb(178, 187, 200)');
  });

  it('works on inline views too', async () => {
    const wrapper = await mountTemplate(html`<div>
      <intake-chat large-text endpoint="https://intake.test/api/v1" site="test/theming" locale="en" .client=${new FakeClient()}></intake-chat>
      <intake-form large-text endpoint="https://intake.test/api/v1" site="test/theming" locale="en" .client=${new FakeClient()}></intake-form>
    </div>`);
    const chat = wrapper.querySelector('intake-chat')!;
    const form = wrapper.querySelector('intake-form')!;
    expect(style(chat).fontSize).to.equal('20px');
    expect(style(form).fontSize).to.equal('20px');
    await waitUntil(() => chat.shadowRoot?.querySelector('.send'), 'chat ready', WAIT);
    expect($(chat, '.send').getBoundingClientRect().height).to.be.at.least(44);
  });
});
