// The demo portals are in Chinese; `?lang=en` switches them to English. Runs as soon as it is
// imported (before the widget's script mounts), so the page text, <html lang>, the intake
// elements' `locale` and any script tag's `data-locale` all agree from the first paint.
//
// Markup:  <h2 data-en="News">新闻</h2>            text swapped (leaf elements only)
//          <intake-ask topic="垃圾清运" data-en-topic="Rubbish collection">  any attribute swapped
//          <div data-lang-only="en" hidden>…</div>   whole blocks shown for one language
//          <a data-lang-switch href="?lang=en">English</a>  the switch (href and text set here)

const params = new URLSearchParams(location.search);

/** `en` or `zh-CN`: the page's language and the widget's locale. */
export const lang = params.get('lang') === 'en' ? 'en' : 'zh-CN';
export const isEnglish = lang === 'en';

const INTAKE_TAGS = 'intake-widget, intake-form, intake-status, intake-chat, intake-ask';

/** The same page in the other language, keeping every other query parameter. */
function otherLanguageHref() {
  const next = new URLSearchParams(location.search);
  if (isEnglish) next.delete('lang');
  else next.set('lang', 'en');
  const query = next.toString();
  return `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
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
  }
  for (const el of all('[data-lang-only]')) el.hidden = el.dataset.langOnly !== (isEnglish ? 'en' : 'zh');
  for (const el of all(INTAKE_TAGS)) el.setAttribute('locale', lang);
  for (const el of all('script[data-site]')) el.dataset.locale = lang;
  for (const a of all('a[data-lang-switch]')) {
    a.href = otherLanguageHref();
    a.textContent = isEnglish ? '中文' : 'English';
    a.lang = isEnglish ? 'zh-CN' : 'en';
    a.hreflang = a.lang;
  }
  // Links to the other demo pages keep the language.
  if (isEnglish) {
    for (const a of all('a[data-keep-lang]')) {
      const url = new URL(a.href, location.href);
      url.searchParams.set('lang', 'en');
      a.href = url.pathname + url.search + url.hash;
    }
  }
}

document.documentElement.lang = lang;
applyLanguage();
