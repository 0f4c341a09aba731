/**
 * The widget's catalogues as i18next holds them: each locale's two files (src/i18n/i18n.ts: the
 * core and the views' part) merged deep, since both have a `form` group. For the i18n tests.
 */
import enCore from '../../src/i18n/locales/en.json';
import ugCore from '../../src/i18n/locales/ug.json';
import zhCNCore from '../../src/i18n/locales/zh-CN.json';
import zhHKCore from '../../src/i18n/locales/zh-HK.json';
import enViews from '../../src/i18n/locales/en.views.json';
import ugViews from '../../src/i18n/locales/ug.views.json';
import zhCNViews from '../../src/i18n/locales/zh-CN.views.json';
import zhHKViews from '../../src/i18n/locales/zh-HK.views.json';

export type Tree = { [key: string]: string | Tree };

function both(core: Tree, views: Tree): Tree {
  const out: Tree = { ...core };
  for (const [k, v] of Object.entries(views)) out[k] = typeof v === 'object' && typeof out[k] === 'object' ? both(out[k] as Tree, v) : v;
  return out;
}

/** zh-CN's two parts, each as it is in its file. */
export const zhCNParts = { core: zhCNCore as Tree, views: zhCNViews as Tree };
export const zhCN: Tree = both(zhCNCore, zhCNViews);
export const LOCALE_TREES: Record<string, Tree> = { 'zh-CN': zhCN, en: both(enCore, enViews), 'zh-HK': both(zhHKCore, zhHKViews), ug: both(ugCore, ugViews) };
