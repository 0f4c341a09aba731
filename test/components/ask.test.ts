import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/ask/ask.js';
import type { IntakeAsk } from '../../src/components/ask/ask.component.js';
import '../../src/components/widget/widget.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import { mountTemplate } from './mount.js';
import { FakeClient } from '../helpers/fake-client.js';

const WAIT = { timeout: 8000 };

describe('<intake-ask>', () => {
  afterEach(() => sessionStorage.clear());

  it('shows a floating hint on hover and opens the widget chat with its topic on click', async () => {
    const client = new FakeClient();
    const wrapper = await mountTemplate(html`
      <section><h2>Rubbish</h2><intake-ask topic="Rubbish collection" locale="en"></intake-ask></section>
      <intake-widget endpoint="https://intake.test/api/v1" site="test/ask" locale="en" .client=${client}></intake-widget>
    `);
    const ask = wrapper.querySelector<IntakeAsk>('intake-ask')!;
    const widget = wrapper.querySelector<IntakeWidget>('intake-widget')!;
    const button = ask.shadowRoot!.querySelector('button')!;
    expect(button.textContent).to.contain('Ask about this');
    await expect(ask).to.be.accessible();

    // Hover rather than focus: a page in a background tab (files run side by side) gets no focus events.
    ask.shadowRoot!.querySelector('.wrap')!.dispatchEvent(new PointerEvent('pointerenter'));
    await waitUntil(() => !ask.shadowRoot!.querySelector<HTMLElement>('.hint')!.hidden, 'hint shown', WAIT);
    const hint = ask.shadowRoot!.querySelector<HTMLElement>('.hint')!;
    expect(hint.textContent).to.equal('Ask the city about “Rubbish collection”');
    expect(hint.getAttribute('role')).to.equal('tooltip');
    expect(button.getAttribute('aria-describedby')).to.equal('hint');
    await waitUntil(() => hint.style.top !== '', 'hint placed', WAIT);
    await expect(ask).to.be.accessible();
    button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitUntil(() => hint.hidden, 'Escape hides the hint', WAIT);

    button.click();
    await waitUntil(() => widget.isOpen && widget.shadowRoot!.querySelector('intake-chat'), 'widget open', WAIT);
    const chat = widget.shadowRoot!.querySelector<IntakeChat>('intake-chat')!;
    expect(chat.topic).to.equal('Rubbish collection');
    await widget.close();
  });

  it('says so when there is no widget to open', async () => {
    const ask = await fixture<IntakeAsk>(html`<intake-ask service="noise" locale="zh-CN"></intake-ask>`);
    expect(ask.shadowRoot!.querySelector('button')!.textContent).to.contain('问一问');
    const original = console.error;
    const errors: string[] = [];
    console.error = (...a: unknown[]) => errors.push(a.join(' '));
    try {
      let code = '';
      ask.addEventListener('intake-error', (e) => (code = e.detail.code));
      ask.shadowRoot!.querySelector('button')!.click();
      await waitUntil(() => code === 'no_widget', 'error event', WAIT);
      expect(errors.join()).to.contain('no <intake-widget>');
    } finally {
      console.error = original;
    }
  });
});
