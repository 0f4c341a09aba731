// The theming playground: every control writes one token; the tokens the designer changed become
// one stylesheet (adopted by the page, so no inline styles) and the CSS snippet to copy.
import { config } from '../shared/demo-config.js';

const TAGS = ['intake-widget', 'intake-chat', 'intake-form', 'intake-status', 'intake-ask'];
const SELECTOR = TAGS.join(',\n');

const COLOURS = [
  ['primary', 'Primary'],
  ['primary-hover', 'Primary hover'],
  ['on-primary', 'On primary'],
  ['surface', 'Surface'],
  ['surface-alt', 'Surface alt'],
  ['text', 'Text'],
  ['muted', 'Muted text'],
  ['border', 'Border'],
  ['focus', 'Focus ring'],
  ['success', 'Success'],
  ['warning', 'Warning'],
  ['danger', 'Danger'],
];

/** [token, label, min, max, step, unit, default] */
const SLIDERS = [
  ['--intake-font-size-base', 'Font size', 12, 24, 1, 'px', 16],
  ['--intake-radius-sm', 'Radius small', 0, 16, 1, 'px', 6],
  ['--intake-radius-md', 'Radius medium', 0, 28, 1, 'px', 12],
  ['--intake-radius-lg', 'Radius large', 0, 32, 1, 'px', 18],
  ['--intake-launcher-size', 'Launcher size', 44, 88, 2, 'px', 56],
  ['--intake-launcher-offset', 'Launcher offset', 0, 64, 2, 'px', 20],
  ['--intake-panel-width', 'Panel width', 320, 560, 10, 'px', 380],
];

/** Text pairs need 4.5:1, borders and the focus ring 3:1. */
const PAIRS = [
  ['text', 'surface', 4.5],
  ['muted', 'surface', 4.5],
  ['on-primary', 'primary', 4.5],
  ['primary', 'surface', 4.5],
  ['danger', 'surface', 4.5],
  ['border', 'surface', 3],
  ['focus', 'surface', 3],
];

const $ = (id) => document.getElementById(id);
const elements = () => document.querySelectorAll(TAGS.join(','));
const changed = new Map();
const sheet = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

// Colour pickers
for (const [role, label] of COLOURS) {
  const wrap = document.createElement('label');
  wrap.className = 'colour';
  const input = document.createElement('input');
  input.type = 'color';
  input.id = `colour-${role}`;
  input.dataset.token = `--intake-color-${role}`;
  input.addEventListener('input', () => set(input.dataset.token, input.value));
  wrap.append(input, document.createTextNode(label));
  $('colours').append(wrap);
}

// Sliders
for (const [token, label, min, max, step, unit, value] of SLIDERS) {
  const wrap = document.createElement('label');
  wrap.className = 'slider';
  const input = document.createElement('input');
  Object.assign(input, { type: 'range', min, max, step, value });
  input.dataset.token = token;
  input.dataset.unit = unit;
  input.dataset.default = String(value);
  const output = document.createElement('output');
  output.textContent = `${value}${unit}`;
  input.addEventListener('input', () => {
    output.textContent = `${input.value}${unit}`;
    set(token, `${input.value}${unit}`);
  });
  wrap.append(document.createTextNode(label), output, input);
  $('sliders').append(wrap);
}

function set(token, value) {
  changed.set(token, value);
  apply();
}

function cssText() {
  if (changed.size === 0) return '/* Change a token to see your CSS here. */';
  const theme = $('theme').value;
  const lines = [...changed].map(([token, value]) => `  ${token}: ${value};`).join('\n');
  const scope = theme === 'dark' ? `:is(${TAGS.join(', ')})[theme='dark']` : SELECTOR;
  const note = theme === 'light' ? '' : `/* Values picked with theme="${theme}". */\n`;
  return `${note}${scope} {\n${lines}\n}`;
}

function apply() {
  const text = cssText();
  sheet.replaceSync(changed.size ? text : '');
  $('css').textContent = text;
  $('copy-status').textContent = '';
  requestAnimationFrame(refresh);
}

/** The colour a token has on the chat view now (theme defaults, or the designer's value). */
function tokenColour(role) {
  const probe = document.querySelector('intake-chat');
  const raw = getComputedStyle(probe).getPropertyValue(`--intake-color-${role}`).trim();
  return toHex(raw);
}

function toHex(colour) {
  const canvas = toHex.canvas ?? (toHex.canvas = document.createElement('canvas').getContext('2d'));
  canvas.fillStyle = '#000000';
  canvas.fillStyle = colour;
  return canvas.fillStyle.startsWith('#') ? canvas.fillStyle : '#000000';
}

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function ratio(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Pickers show the current value of every token the designer has not changed; contrast is recomputed. */
function refresh() {
  for (const input of document.querySelectorAll('#colours input')) {
    if (!changed.has(input.dataset.token)) input.value = tokenColour(input.dataset.token.slice('--intake-color-'.length));
  }
  const list = $('contrast');
  list.replaceChildren();
  for (const [fg, bg, min] of PAIRS) {
    const value = ratio(tokenColour(fg), tokenColour(bg));
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = `${fg} on ${bg}`;
    const result = document.createElement('span');
    const ok = value >= min;
    result.className = ok ? 'pass' : 'fail';
    result.textContent = `${value.toFixed(2)}:1 ${ok ? '✓' : `✗ needs ${min}`}`;
    item.append(name, result);
    list.append(item);
  }
}

$('locale').addEventListener('change', () => {
  const locale = $('locale').value;
  for (const el of elements()) el.setAttribute('locale', locale);
});
$('theme').addEventListener('change', () => {
  for (const el of elements()) el.setAttribute('theme', $('theme').value);
  apply();
});
$('large-text').addEventListener('change', () => {
  for (const el of elements()) el.toggleAttribute('large-text', $('large-text').checked);
  requestAnimationFrame(refresh);
});
$('reset').addEventListener('click', () => {
  changed.clear();
  for (const input of document.querySelectorAll('#sliders input')) {
    input.value = input.dataset.default;
    input.previousElementSibling.textContent = `${input.value}${input.dataset.unit}`;
  }
  apply();
});
$('open-widget').addEventListener('click', () => document.querySelector('intake-widget').open());
$('copy').addEventListener('click', async () => {
  const text = $('css').textContent;
  try {
    await navigator.clipboard.writeText(text);
    $('copy-status').textContent = 'Copied.';
  } catch {
    // Clipboard blocked (insecure origin, permissions): select the text for Ctrl+C instead.
    getSelection().selectAllChildren($('css'));
    $('copy-status').textContent = 'Selected: press Ctrl+C to copy.';
  }
});

// ?theme=dark&locale=ug&large-text&open: starting states (screenshots, links from the docs).
const params = new URLSearchParams(location.search);
if (params.get('locale')) $('locale').value = params.get('locale');
if (params.get('theme')) $('theme').value = params.get('theme');
if (params.has('large-text')) $('large-text').checked = true;
for (const id of ['locale', 'theme', 'large-text']) $(id).dispatchEvent(new Event('change'));

void config; // demo-config.js has given every data-demo-endpoint element its endpoint
await import('/dist/intake-widgets.js');
await Promise.all(TAGS.map((tag) => customElements.whenDefined(tag)));
apply();
if (params.has('open')) document.querySelector('intake-widget').open();
