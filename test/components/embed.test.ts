import { expect, waitUntil } from '@open-wc/testing';
import { readConfig } from '../../src/config.js';
import { createApi, install } from '../../src/embed.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';

const WAIT = { timeout: 8000 };

function scriptTag(attrs: Record<string, string>): HTMLScriptElement {
  const script = document.createElement('script');
  for (const [k, v] of Object.entries(attrs)) script.setAttribute(k, v);
  return script;
}

function capture(): { errors: string[]; restore(): void } {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...a: unknown[]) => errors.push(a.join(' '));
  return { errors, restore: () => (console.error = original) };
}

describe('script-tag config', () => {
  it('reads data-* into one typed config', () => {
    const s = scriptTag({ 'data-endpoint': 'https://intake.example.gov/api/v1/', 'data-site': 'district-07/street-3', 'data-locale': 'en', 'data-position': 'bottom-start', 'data-modes': 'chat, status', 'data-theme': 'dark', 'data-transport': 'open311', 'data-large-text': '' });
    const config = readConfig((n) => s.getAttribute(n), 'data-');
    expect(config).to.deep.equal({ endpoint: 'https://intake.example.gov/api/v1', site: 'district-07/street-3', locale: 'en', position: 'bottom-start', modes: ['chat', 'status'], theme: 'dark', transport: 'open311', largeText: true, open: false });
  });

  it('a wrong value is reported naming the attribute and the expected form, with a safe default', () => {
    const s = scriptTag({ 'data-endpoint': 'javascript:alert(1)', 'data-site': 'bad site!', 'data-position': 'top', 'data-theme': 'pink', 'data-transport': 'soap', 'data-modes': 'fax', 'data-locale': '??' });
    const errors: string[] = [];
    const config = readConfig((n) => s.getAttribute(n), 'data-', (m) => errors.push(m));
    expect(config).to.include({ endpoint: '', site: '', position: 'bottom-end', theme: 'light', transport: 'intake' });
    expect(config.modes).to.deep.equal(['chat', 'form', 'status']);
    expect(config.locale).to.equal(undefined);
    for (const attr of ['data-endpoint', 'data-site', 'data-position', 'data-theme', 'data-transport', 'data-modes', 'data-locale']) {
      expect(errors.some((e) => e.startsWith(attr)), attr).to.equal(true);
    }
    expect(errors.find((e) => e.startsWith('data-position'))).to.contain('"bottom-end", "bottom-start"');
  });
});

describe('window.IntakeWidgets', () => {
  afterEach(() => {
    document.querySelectorAll('intake-widget').forEach((w) => w.remove());
    sessionStorage.clear();
  });

  it('missing endpoint or site: a clear console error and nothing mounted', () => {
    const { errors, restore } = capture();
    try {
      const api = createApi(scriptTag({ 'data-site': 'a/b' }));
      expect(api.mount()).to.equal(null);
      expect(document.querySelector('intake-widget')).to.equal(null);
      expect(errors.join('\n')).to.contain('data-endpoint is missing');
      expect(errors.join('\n')).to.contain('not mounted');
    } finally {
      restore();
    }
  });

  it('mounts one widget from data-*, runs calls queued before load, then works directly', async () => {
    const queue: unknown[] = [];
    const seen: string[] = [];
    const onOpen = () => seen.push('open');
    queue.push(['on', 'intake-open', onOpen], ['open']);
    const api = createApi(scriptTag({ 'data-endpoint': 'https://intake.test/api/v1', 'data-site': 'test/embed', 'data-locale': 'en', 'data-position': 'bottom-start', 'data-modes': 'chat' }), queue as never);
    const widget = api.mount() as IntakeWidget;
    expect(document.querySelectorAll('intake-widget')).to.have.length(1);
    expect(widget.getAttribute('site')).to.equal('test/embed');
    expect(widget.getAttribute('position')).to.equal('bottom-start');
    expect(widget.getAttribute('modes')).to.equal('chat');
    await waitUntil(() => seen.length === 1, 'queued open ran', WAIT);
    expect(widget.isOpen).to.equal(true);
    await api.close();
    expect(widget.isOpen).to.equal(false);
    api.off('intake-open', onOpen);
    await api.toggle();
    expect(widget.isOpen).to.equal(true);
    expect(seen).to.deep.equal(['open']);
    api.push(['close']);
    await waitUntil(() => !widget.isOpen, 'push after load runs now', WAIT);
  });

  it('install() replaces a queue array once and a second copy leaves it alone', async () => {
    const before = window.IntakeWidgets;
    try {
      window.IntakeWidgets = [['toggle']];
      const first = install(scriptTag({ 'data-endpoint': 'https://intake.test/api/v1', 'data-site': 'test/install' }));
      expect(first).to.not.equal(null);
      expect(window.IntakeWidgets).to.equal(first);
      expect(typeof (window.IntakeWidgets as unknown as { open: unknown }).open).to.equal('function');
      expect(install(scriptTag({ 'data-endpoint': 'https://other.test', 'data-site': 'x' }))).to.equal(null);
      await waitUntil(() => document.querySelector('intake-widget'), 'mounted after load', WAIT);
      expect(document.querySelectorAll('intake-widget')).to.have.length(1);
    } finally {
      window.IntakeWidgets = before;
    }
  });
});
