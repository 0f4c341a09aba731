// The demo portals are in Simplified Chinese; `?lang=en`, `?lang=zh-HK` or `?lang=ug` switches them
// to English, Traditional Chinese (Hong Kong) or Uyghur. Runs as soon as it is imported (before the
// widget's script mounts), so the page text, <html lang> and dir, the intake elements' `locale` and
// any script tag's `data-locale` all agree from the first paint. The widget's own language picker
// may then choose another language for the widget alone (remembered per site).
//
// Markup:  <h2 data-en="News">新闻</h2>            text swapped (leaf elements only)
//          <intake-ask topic="垃圾清运" data-en-topic="Rubbish collection">  any attribute swapped
//          <div data-lang-only="en" hidden>…</div>   whole blocks shown for one language
//          <a data-lang-switch href="?lang=en">English</a>  the switch: English (简体中文 on the
//                                                   English page), the other two languages beside it
// English words are in the markup (data-en, data-en-*); zh-HK and ug words in ./lang-zh-HK.js and
// ./lang-ug.js, keyed by the markup's zh-CN text (only the page's own language is loaded).

const params = new URLSearchParams(location.search);

/** Each language in its own name, as the widget's picker says them. */
const NAMES = { 'zh-CN': '简体中文', 'zh-HK': '繁體中文（香港）', en: 'English', ug: 'ئۇيغۇرچە' };

function matchLang(value) {
  const v = (value ?? '').toLowerCase();
  if (v === 'en' || v.startsWith('en-')) return 'en';
  if (v === 'zh-hk' || v === 'zh-tw' || v === 'zh-hant') return 'zh-HK';
  if (v === 'ug' || v.startsWith('ug-')) return 'ug';
  return 'zh-CN';
}

/** `zh-CN`, `zh-HK`, `en` or `ug`: the page's language and the widget's locale. */
export const lang = matchLang(params.get('lang'));
export const isEnglish = lang === 'en';
export const dir = lang === 'ug' ? 'rtl' : 'ltr';

const DICTIONARIES = { 'zh-HK': () => import('./lang-zh-HK.js'), ug: () => import('./lang-ug.js') };
/** zh-CN text → this page's language (zh-HK, ug); null for zh-CN and English. */
const words = DICTIONARIES[lang] ? (await DICTIONARIES[lang]()).default : null;

const INTAKE_TAGS = 'intake-widget, intake-form, intake-status, intake-chat, intake-ask';

/** The same page in `to`, keeping every other query parameter. */
function hrefFor(to) {
  const next = new URLSearchParams(location.search);
  if (to === 'zh-CN') next.delete('lang');
  else next.set('lang', to);
  const query = next.toString();
  return `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
}

function fillLink(a, to) {
  a.href = hrefFor(to);
  a.textContent = NAMES[to];
  a.lang = to;
  a.hreflang = to;
  a.dir = to === 'ug' ? 'rtl' : 'ltr';
}

/** Applies the language to `root` (the whole document by default); safe to call again on new content. */
export function applyLanguage(root = document) {
  const scope = root === document ? document.documentElement : root;
  const all = (selector) => [...(scope.matches?.(selector) ? [scope] : []), ...scope.querySelectorAll(selector)];

  if (isEnglish) {
    for (const el of all('[data-en]')) el.textContent = el.dataset.en;
    for (const el of all('*')) {
      for (const { name, value } of [...el.attributes]) {
        if (name.startsWith('data-en-')) el.setAttribute(name.slice('data-en-'.length), value);
      }
    }
  } else if (words) {
    for (const el of all('[data-en]')) {
      const said = words[el.textContent.trim()];
      if (said) el.textContent = said;
    }
    for (const el of all('*')) {
      for (const { name } of [...el.attributes]) {
        if (!name.startsWith('data-en-') || name === 'data-en-lang') continue;
        const target = name.slice('data-en-'.length);
        const said = words[el.getAttribute(target) ?? ''];
        if (said) el.setAttribute(target, said);
      }
    }
  }
  for (const el of all('[data-lang-only]')) el.hidden = el.dataset.langOnly !== (isEnglish ? 'en' : 'zh');
  for (const el of all(INTAKE_TAGS)) el.setAttribute('locale', lang);
  for (const el of all('script[data-site]')) el.dataset.locale = lang;
  for (const a of all('a[data-lang-switch]')) {
    const main = isEnglish ? 'zh-CN' : 'en';
    fillLink(a, main);
    // The two other languages, once, beside the switch.
    if (!a.nextElementSibling?.matches('[data-lang-more]')) {
      const more = document.createElement('span');
      more.dataset.langMore = '';
      more.className = 'lang-more';
      for (const to of Object.keys(NAMES).filter((l) => l !== lang && l !== main)) {
        const link = document.createElement('a');
        link.className = a.className;
        fillLink(link, to);
        more.append(link);
      }
      a.after(more);
    }
  }
  // Links to the other demo pages keep the language.
  if (lang !== 'zh-CN') {
    for (const a of all('a[data-keep-lang]')) {
      const url = new URL(a.href, location.href);
      url.searchParams.set('lang', lang);
      a.href = url.pathname + url.search + url.hash;
    }
  }
}

document.documentElement.lang = lang;
document.documentElement.dir = dir;
applyLanguage();
