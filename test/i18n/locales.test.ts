import { expect } from '@open-wc/testing';
import { i18n, loadLocale } from '../../src/i18n/i18n.js';
import { directionOf, LAUNCHER_STRINGS, matchLocale, resolveLocale } from '../../src/i18n/locale.js';
import { LOCALE_TREES, zhCN, type Tree } from '../helpers/locale-trees.js';

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`))).sort();
}
function lookup(tree: Tree, path: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

const locales = LOCALE_TREES;

describe('locales', () => {
  it('every locale has exactly the keys of zh-CN', () => {
    const reference = keys(zhCN);
    for (const [name, tree] of Object.entries(locales)) expect(keys(tree), name).to.deep.equal(reference);
  });

  it('the launcher strings shown before i18next loads equal the catalogue', () => {
    for (const [name, tree] of Object.entries(locales)) {
      const strings = LAUNCHER_STRINGS[name as keyof typeof LAUNCHER_STRINGS];
      expect(strings.launcher, name).to.equal(lookup(tree, 'widget.launcher'));
      expect(strings.ask, name).to.equal(lookup(tree, 'ask.label'));
    }
  });

  it('locale: attribute, then <html lang>, then the browser, then zh-CN', () => {
    const doc = document.implementation.createHTMLDocument('x');
    const nav = (languages: string[]) => ({ languages, language: languages[0] ?? '' }) as unknown as Navigator;
    expect(resolveLocale('en', doc, nav(['zh-CN']))).to.equal('en');
    doc.documentElement.lang = 'zh-Hant-TW';
    expect(resolveLocale(null, doc, nav(['en']))).to.equal('zh-HK');
    doc.documentElement.lang = 'fr';
    expect(resolveLocale('de', doc, nav(['fr-FR', 'en-GB']))).to.equal('en');
    expect(resolveLocale(undefined, doc, nav(['fr']))).to.equal('zh-CN');
    expect(matchLocale('ug-CN')).to.equal('ug');
    expect(directionOf('ug')).to.equal('rtl');
    expect(directionOf('zh-CN')).to.equal('ltr');
  });

  it('uses its own i18next instance and loads only what is asked', async () => {
    await loadLocale('zh-HK');
    expect(i18n.getFixedT('zh-HK')('chat.send')).to.equal('發送');
    expect(i18n.hasResourceBundle('ug', 'translation')).to.equal(false);
    expect(i18n.getFixedT('en')('widget.launcherUnread', { label: 'Ask us', count: 2 })).to.satisfy((s: string) => s === 'widget.launcherUnread' || s === 'Ask us, 2 unread messages');
  });
});
