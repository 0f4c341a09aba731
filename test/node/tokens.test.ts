/**
 * Static checks over the component styles (the css`` sources, not a browser):
 * - each component's private tokens (`--_x`) are both defined and used;
 * - no `rem` anywhere in src/ styles (the host page's root font size must not matter);
 * - every global token a component reads is defined in the light and dark themes;
 * - every token, component hook and part is documented in docs/theming.md;
 * - the default themes (and large text) meet WCAG 2.2 AA contrast.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COMPONENTS = join(ROOT, 'src/components');
const read = (path: string) => readFileSync(path, 'utf8');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The text of every css`` template in a source file, comments removed. */
function cssOf(path: string): string {
  const source = read(path);
  const blocks = [...source.matchAll(/\bcss`([\s\S]*?)`/g)].map((m) => m[1]!);
  return blocks.join('\n').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** Style files a component folder adopts: every *.styles.js / styles/*.js its modules import. */
function stylesOf(folder: string): string[] {
  const files = new Set<string>();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.styles.ts'))) {
    const path = join(folder, file);
    for (const m of read(path).matchAll(/from '([^']+(?:\.styles|styles\/shared|styles\/tokens)\.js)'/g)) {
      files.add(resolve(folder, m[1]!.replace(/\.js$/, '.ts')));
    }
  }
  return [...files];
}

const folders = readdirSync(COMPONENTS)
  .map((name) => join(COMPONENTS, name))
  .filter((path) => statSync(path).isDirectory() && readdirSync(path).some((f) => f.endsWith('.component.ts')));

const definedIn = (text: string, prefix: string) =>
  new Set([...text.matchAll(new RegExp(`(${prefix}[\\w-]+)\\s*:`, 'g'))].map((m) => m[1]!));
const usedIn = (text: string, prefix: string) =>
  new Set([...text.matchAll(new RegExp(`var\\(\\s*(${prefix}[\\w-]+)`, 'g'))].map((m) => m[1]!));

const lightText = read(join(ROOT, 'src/themes/light.ts'));
const darkText = read(join(ROOT, 'src/themes/dark.ts'));
const baseText = cssOf(join(ROOT, 'src/styles/tokens.ts'));
const docs = read(join(ROOT, 'docs/theming.md'));

/** Hook prefixes: `--intake-<component>-<property>` (the widget's launcher and panel, the field and button controls). */
const HOOK = /^--intake-(launcher|panel|chat|form|status|ask|field|button)-/;
/** Written at run time by the floating and visual-viewport controllers, not designer tokens. */
const RUNTIME = /^--intake-(available|viewport)-/;

test('every component defines the private tokens it uses, and uses those it defines', () => {
  assert.ok(folders.length >= 5, 'component folders found');
  for (const folder of folders) {
    const text = stylesOf(folder).map(cssOf).join('\n');
    const defined = definedIn(text, '--_');
    const used = usedIn(text, '--_');
    const name = relative(ROOT, folder);
    assert.deepEqual([...used].filter((t) => !defined.has(t)), [], `${name}: private tokens used but never defined`);
    assert.deepEqual([...defined].filter((t) => !used.has(t)), [], `${name}: private tokens defined but never used`);
  }
});

test('no rem unit in any style in src/', () => {
  const offenders: string[] = [];
  for (const path of walk(join(ROOT, 'src')).filter((p) => p.endsWith('.ts'))) {
    const text = cssOf(path);
    for (const m of text.matchAll(/[\d.]rem\b/g)) offenders.push(`${relative(ROOT, path)}: …${text.slice(Math.max(0, m.index! - 20), m.index! + 4)}`);
  }
  assert.deepEqual(offenders, []);
});

const lightTokens = new Set([...definedIn(lightText, '--intake-'), ...definedIn(baseText, '--intake-')]);
const darkOnly = definedIn(darkText, '--intake-');

test('light and dark themes define the same colour tokens', () => {
  assert.deepEqual([...definedIn(lightText, '--intake-')].sort(), [...darkOnly].sort());
});

test('every global token a component reads is defined in the light and dark themes', () => {
  const missing: string[] = [];
  for (const path of walk(join(ROOT, 'src')).filter((p) => /\.styles\.ts$|src\/styles\//.test(p))) {
    for (const token of usedIn(cssOf(path), '--intake-')) {
      if (HOOK.test(token) || RUNTIME.test(token)) continue;
      if (!lightTokens.has(token)) missing.push(`${relative(ROOT, path)}: ${token} (light)`);
      const dark = darkOnly.has(token) || (definedIn(baseText, '--intake-').has(token) && !definedIn(lightText, '--intake-').has(token));
      if (!dark) missing.push(`${relative(ROOT, path)}: ${token} (dark)`);
    }
  }
  assert.deepEqual(missing, []);
});

test('docs/theming.md documents every token, hook and part', () => {
  const names = new Set<string>(lightTokens);
  for (const path of walk(COMPONENTS).filter((p) => p.endsWith('.styles.ts'))) {
    for (const token of usedIn(cssOf(path), '--intake-')) if (HOOK.test(token)) names.add(token);
  }
  const undocumented = [...names].filter((name) => !docs.includes(`\`${name}\``));
  assert.deepEqual(undocumented, [], 'tokens and hooks missing from docs/theming.md');

  const parts = new Set<string>();
  for (const path of walk(COMPONENTS).filter((p) => p.endsWith('.ts') && !p.endsWith('.styles.ts'))) {
    for (const m of read(path).matchAll(/\bpart="([^"$]+)"/g)) for (const part of m[1]!.split(/\s+/)) if (!part.endsWith('-')) parts.add(part);
    // The launcher is built with DOM calls, not a template.
    for (const m of read(path).matchAll(/setAttribute\('part', '([^']+)'\)/g)) for (const part of m[1]!.split(/\s+/)) parts.add(part);
  }
  assert.ok(parts.has('launcher') && parts.has('panel'), 'parts found');
  const partsUndocumented = [...parts].filter((part) => !docs.includes(`\`${part}\``));
  assert.deepEqual(partsUndocumented, [], 'parts missing from docs/theming.md');
});

// WCAG 2.2 contrast over the token values.
type Palette = Record<string, string>;

function palette(text: string): Palette {
  const out: Palette = {};
  for (const m of text.matchAll(/(--intake-color-[\w-]+)\s*:\s*(#[0-9a-f]{6})\b/gi)) out[m[1]!.slice('--intake-color-'.length)] = m[2]!;
  return out;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/** [foreground, background, minimum]: text pairs 4.5, non-text (borders, focus ring) 3. */
const PAIRS: [string, string, number][] = [
  ['text', 'surface', 4.5],
  ['text', 'surface-alt', 4.5],
  ['muted', 'surface', 4.5],
  ['muted', 'surface-alt', 4.5],
  ['on-primary', 'primary', 4.5],
  ['on-primary', 'primary-hover', 4.5],
  ['primary', 'surface', 4.5],
  ['primary', 'surface-alt', 4.5],
  ['success', 'surface', 4.5],
  ['danger', 'surface', 4.5],
  ['danger', 'danger-surface', 4.5],
  ['warning', 'warning-surface', 4.5],
  ['surface', 'danger', 4.5],
  ['border', 'surface', 3],
  ['border-strong', 'surface', 3],
  ['focus', 'surface', 3],
  ['focus', 'surface-alt', 3],
  ['surface', 'primary', 4.5],
];

/** Large text lays `muted` on `text` and `border` on `border-strong` (src/styles/tokens.ts). */
function largeText(p: Palette): Palette {
  return { ...p, muted: p['text']!, border: p['border-strong']! };
}

test('the large-text rule overrides muted and border with the stronger tokens the contrast check assumes', () => {
  assert.match(baseText, /:host\(\[large-text\]\)\s*\{[^}]*--intake-color-muted:\s*var\(--intake-color-text\)/);
  assert.match(baseText, /:host\(\[large-text\]\)\s*\{[^}]*--intake-color-border:\s*var\(--intake-color-border-strong\)/);
});

for (const [name, colours] of [
  ['light', palette(lightText)],
  ['dark', palette(darkText)],
  ['light large text', largeText(palette(lightText))],
  ['dark large text', largeText(palette(darkText))],
] as const) {
  test(`${name} theme meets WCAG 2.2 AA contrast`, () => {
    const failures: string[] = [];
    for (const [fg, bg, min] of PAIRS) {
      assert.ok(colours[fg] && colours[bg], `${name}: ${fg} and ${bg} are hex colours`);
      const ratio = contrast(colours[fg]!, colours[bg]!);
      if (ratio < min) failures.push(`${fg} on ${bg}: ${ratio.toFixed(2)} < ${min}`);
    }
    assert.deepEqual(failures, []);
  });
}

test('docs/theming.md gives the light and dark value of every colour token', () => {
  const light = palette(lightText);
  const dark = palette(darkText);
  const wrong = Object.keys(light).filter((role) => !docs.includes(`| \`--intake-color-${role}\` | \`${light[role]}\` | \`${dark[role]}\` |`));
  assert.deepEqual(wrong, []);
});

test('the contrast formula matches known values', () => {
  assert.equal(contrast('#000000', '#ffffff').toFixed(1), '21.0');
  assert.equal(contrast('#777777', '#ffffff').toFixed(2), '4.48');
});
