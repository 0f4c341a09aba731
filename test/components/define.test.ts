import { expect } from '@open-wc/testing';
import { LitElement } from 'lit';
import { defineAll } from '../../src/define.js';
import { define } from '../../src/components/shared/define.js';
import { IntakeWidget } from '../../src/components/widget/widget.component.js';

describe('polite registration', () => {
  it('registering twice (two copies of the script) does not throw and keeps the first', () => {
    defineAll();
    expect(() => defineAll()).to.not.throw();
    class SecondCopy extends LitElement {}
    expect(() => define('intake-widget', SecondCopy)).to.not.throw();
    expect(customElements.get('intake-widget')).to.equal(IntakeWidget);
  });

  it('an <intake-ask> on the page gets its code loaded (a page without one never loads it)', async () => {
    defineAll();
    const ask = document.createElement('intake-ask');
    document.body.append(ask);
    try {
      await customElements.whenDefined('intake-ask');
      expect(customElements.get('intake-ask')).to.be.a('function');
    } finally {
      ask.remove();
    }
  });

  it('an inline <intake-chat> on the page gets its code loaded', async () => {
    defineAll();
    const chat = document.createElement('intake-chat');
    document.body.append(chat);
    try {
      await customElements.whenDefined('intake-chat');
      expect(customElements.get('intake-chat')).to.be.a('function');
    } finally {
      chat.remove();
    }
  });
});
