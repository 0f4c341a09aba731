// What every demo portal shares: the language (./lang.js, applied first), the backend address
// (./demo-config.js), the large-text switch, and loading the widget's script once the intake
// elements know their endpoint (config.json arrives after the page has parsed; a real site
// would write the address straight into its HTML).
import { lang, isEnglish, applyLanguage } from './lang.js';
import { config } from './demo-config.js';

export { lang, isEnglish, applyLanguage, config };

const LARGE_TEXT_KEY = 'intake-demo:large-text';
const INTAKE_TAGS = 'intake-widget, intake-form, intake-status, intake-chat, intake-ask';

function readLargeText() {
  try {
    return localStorage.getItem(LARGE_TEXT_KEY) === '1';
  } catch {
    return false;
  }
}

/** Large text for older residents: the page's own text and every intake element. */
export function setLargeText(on) {
  document.documentElement.classList.toggle('large-text', on);
  for (const el of document.querySelectorAll(INTAKE_TAGS)) el.toggleAttribute('large-text', on);
  for (const el of document.querySelectorAll('script[data-site]')) {
    if (on) el.dataset.largeText = '';
    else delete el.dataset.largeText;
  }
  for (const button of document.querySelectorAll('[data-large-text-toggle]')) button.setAttribute('aria-pressed', String(on));
  try {
    localStorage.setItem(LARGE_TEXT_KEY, on ? '1' : '0');
  } catch {
    // private mode: the switch still works for this page
  }
}

setLargeText(readLargeText());
for (const button of document.querySelectorAll('[data-large-text-toggle]')) {
  button.addEventListener('click', () => setLargeText(button.getAttribute('aria-pressed') !== 'true'));
}

/** Appends a script tag with the given attributes (`data-*` included); resolves when it has run. */
export function addScript(attributes) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    for (const [name, value] of Object.entries(attributes)) {
      if (value === true) script.setAttribute(name, '');
      else if (value !== false && value != null) script.setAttribute(name, value);
    }
    script.addEventListener('load', () => resolve(script), { once: true });
    script.addEventListener('error', () => reject(new Error(`could not load ${attributes.src}`)), { once: true });
    document.head.append(script);
  });
}

/** Shows `text` in every element marked `data-snippet="name"`. */
export function showSnippet(name, text) {
  for (const el of document.querySelectorAll(`[data-snippet="${name}"]`)) el.textContent = text;
}

/** The exact lines a web team would paste for the ES module embed with these attributes. */
export function moduleSnippet(attributes, tag = 'intake-widget') {
  const attrs = Object.entries(attributes).map(([name, value]) => ` ${name}="${value}"`).join('');
  return `<script type="module" src="${new URL('/dist/intake-widgets.js', location.href).href}"></script>\n<${tag}${attrs}></${tag}>`;
}
