/** The console's i18n (demo/console/i18n.ts) in a browser: languages, `<html lang>`, re-rendering, times. */
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { dateTime, i18n, initialLanguage, language, LocalizeController, setLanguage, shortDateTime, t } from '../../demo/console/i18n.js';

class LocalizedProbe extends LitElement {
  private readonly l10n = new LocalizeController(this);
  override render() {
    void this.l10n;
    return html`<p>${t('common:kind.complaint')}</p>`;
  }
}
customElements.define('localized-probe', LocalizedProbe);

describe('console i18n', () => {
  afterEach(async () => {
    localStorage.removeItem('intake-console.lang');
    await setLanguage('zh-CN');
    localStorage.removeItem('intake-console.lang');
  });

  it('loads every namespace file of both languages', () => {
    expect(i18n.hasResourceBundle('zh-CN', 'common')).to.equal(true);
    expect(i18n.hasResourceBundle('en', 'common')).to.equal(true);
    expect(t('common:status.received')).to.equal(i18n.getFixedT('zh-CN')('common:status.received'));
  });

  it('starts in simplified Chinese; ?lang= and a saved choice win', () => {
    localStorage.removeItem('intake-console.lang');
    expect(initialLanguage('')).to.equal('zh-CN');
    expect(initialLanguage('?lang=en')).to.equal('en');
    expect(initialLanguage('?lang=fr')).to.equal('zh-CN');
    localStorage.setItem('intake-console.lang', 'en');
    expect(initialLanguage('')).to.equal('en');
    expect(initialLanguage('?lang=zh-CN')).to.equal('zh-CN');
  });

  it('switching the language saves it, sets <html lang> and re-renders components', async () => {
    const el = await fixture<LocalizedProbe>(html`<localized-probe></localized-probe>`);
    expect(el.shadowRoot!.textContent).to.contain('投诉');
    await setLanguage('en');
    await el.updateComplete;
    expect(language()).to.equal('en');
    expect(document.documentElement.lang).to.equal('en');
    expect(localStorage.getItem('intake-console.lang')).to.equal('en');
    expect(el.shadowRoot!.textContent).to.contain('Complaint');
    await setLanguage('zh-CN');
    await el.updateComplete;
    expect(document.documentElement.lang).to.equal('zh-CN');
    expect(el.shadowRoot!.textContent).to.contain('投诉');
  });

  it('dates carry the time, in the time zone given', async () => {
    const at = '2026-03-03T06:05:00Z';
    expect(dateTime(at, 'Asia/Shanghai')).to.contain('14:05');
    expect(dateTime(at, 'Asia/Shanghai')).to.contain('2026');
    expect(dateTime(at, 'Asia/Urumqi')).to.contain('12:05');
    expect(shortDateTime(at, 'Asia/Shanghai', new Date('2026-03-03T10:00:00Z'))).to.equal('14:05');
    expect(shortDateTime(at, 'Asia/Shanghai', new Date('2026-03-05T10:00:00Z'))).to.contain('14:05');
    await setLanguage('en');
    expect(dateTime(at, 'Asia/Shanghai')).to.match(/Mar.*14:05/);
    expect(dateTime(at, 'Not/AZone')).to.be.a('string');
  });
});
