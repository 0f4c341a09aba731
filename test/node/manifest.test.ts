/**
 * custom-elements.json and the editor data against the code: every attribute (a Lit @property
 * with an attribute, or a key of a plain element's `ATTRIBUTES` map), every public event a component emits, every `part` / `exportparts` in its
 * templates and every `--intake-*` its styles read must be in the manifest for that tag — so a
 * new part or hook without its JSDoc (@csspart, @cssproperty, @event) fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildManifest, type Manifest, type ManifestElement } from '../../scripts/manifest.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Set from JavaScript (viewport measurements), not for designers. */
const INTERNAL_PROPERTIES = new Set(['--intake-available-height', '--intake-available-width', '--intake-viewport-height', '--intake-viewport-left', '--intake-viewport-top', '--intake-viewport-width']);

interface CodeFacts {
  attributes: Set<string>;
  events: Set<string>;
  parts: Set<string>;
  properties: Set<string>;
}

/** What the code of one component folder declares, read from its .ts files. */
function factsOf(folder: string): CodeFacts {
  const facts: CodeFacts = { attributes: new Set(), events: new Set(), parts: new Set(), properties: new Set() };
  const dir = join('src/components', folder);
  for (const name of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts'))) {
    const source = read(join(dir, name)).replace(/\/\*[\s\S]*?\*\//g, '');
    if (name.endsWith('.component.ts')) {
      for (const m of /const ATTRIBUTES = \{([\s\S]*?)\}/.exec(source)?.[1]?.matchAll(/'?([\w-]+)'?:/g) ?? []) facts.attributes.add(m[1]!);
      for (const m of source.matchAll(/@property\(([^)]*)\)\s+(?:override\s+)?(\w+)/g)) {
        const options = m[1] ?? '';
        if (/attribute:\s*false/.test(options)) continue;
        facts.attributes.add(/attribute:\s*'([^']+)'/.exec(options)?.[1] ?? m[2]!.toLowerCase());
      }
    }
    for (const m of source.matchAll(/\bemit\(this(?:\.host)?,\s*'([a-z-]+)'/g)) facts.events.add(m[1]!);
    for (const m of source.matchAll(/\bpart="([^"$]+)"/g)) m[1]!.split(/\s+/).forEach((p) => facts.parts.add(p));
    for (const m of source.matchAll(/setAttribute\('part', '([^']+)'\)/g)) m[1]!.split(/\s+/).forEach((p) => facts.parts.add(p));
    for (const m of source.matchAll(/\bexportparts="([^"$]+)"/g)) m[1]!.split(/[\s,]+/).filter(Boolean).forEach((p) => facts.parts.add(p.split(':').pop()!));
    for (const m of source.matchAll(/var\((--intake-[a-z0-9-]+)/g)) if (!INTERNAL_PROPERTIES.has(m[1]!)) facts.properties.add(m[1]!);
  }
  return facts;
}

function elementsOf(manifest: Manifest): Map<string, ManifestElement> {
  return new Map(manifest.modules.flatMap((m) => m.declarations).map((d) => [d.tagName, d]));
}

/** Everything the code has that the manifest lacks, as readable lines. */
function missingFromManifest(manifest: Manifest): string[] {
  const elements = elementsOf(manifest);
  const problems: string[] = [];
  const names = (items: { name: string }[] | undefined) => new Set((items ?? []).map((i) => i.name));
  const compare = (tag: string, what: string, code: Set<string>, documented: Set<string>) => {
    for (const name of code) if (!documented.has(name)) problems.push(`<${tag}>: ${what} ${name} is missing`);
  };
  const viewEvents = new Set<string>();
  for (const folder of readdirSync(join(ROOT, 'src/components'))) {
    const component = readdirSync(join(ROOT, 'src/components', folder)).find((f) => f.endsWith('.component.ts'));
    if (!component) continue;
    const tag = /@tag (intake-[a-z-]+)/.exec(read(join('src/components', folder, component)))?.[1];
    const element = tag ? elements.get(tag) : undefined;
    if (!tag || !element) {
      problems.push(`${folder}/${component}: no element (add @tag) in the manifest`);
      continue;
    }
    const facts = factsOf(folder);
    compare(tag, 'attribute', facts.attributes, names(element.attributes));
    compare(tag, 'event', facts.events, names(element.events));
    compare(tag, 'part', facts.parts, names(element.cssParts));
    compare(tag, 'CSS property', facts.properties, names(element.cssProperties));
    if (['intake-chat', 'intake-form', 'intake-status'].includes(tag)) facts.events.forEach((e) => viewEvents.add(e));
  }
  // The views' events bubble out of <intake-widget> (composed), so they are its events too.
  const widget = elements.get('intake-widget');
  if (widget) compare('intake-widget', 'event (from its views)', viewEvents, names(widget.events));
  return problems;
}

const { manifest, vscode, webTypes } = buildManifest();
const elements = elementsOf(manifest);

test('the manifest names every element the package defines', () => {
  const tags = [...elements.keys()].sort();
  assert.deepEqual(tags, ['intake-ask', 'intake-chat', 'intake-form', 'intake-status', 'intake-widget']);
  for (const element of elements.values()) assert.ok(element.description, `<${element.tagName}> has a description`);
  const definitions = manifest.modules.flatMap((m) => m.exports).filter((e) => e.kind === 'custom-element-definition');
  assert.deepEqual(definitions.map((d) => d.name).sort(), tags);
});

test('every attribute, event, part and CSS property in the code is in the manifest', () => {
  assert.deepEqual(missingFromManifest(manifest), []);
});

test('the check notices a part, an event or an attribute that lost its documentation', () => {
  const doctored = structuredClone(manifest);
  const chat = elementsOf(doctored).get('intake-chat')!;
  chat.cssParts = chat.cssParts.filter((p) => p.name !== 'bubble');
  chat.events = chat.events.filter((e) => e.name !== 'intake-message-sent');
  const form = elementsOf(doctored).get('intake-form')!;
  form.attributes = (form.attributes ?? []).filter((a) => a.name !== 'service');
  const problems = missingFromManifest(doctored);
  assert.ok(problems.includes('<intake-chat>: part bubble is missing'), problems.join('\n'));
  assert.ok(problems.includes('<intake-chat>: event intake-message-sent is missing'), problems.join('\n'));
  assert.ok(problems.includes('<intake-form>: attribute service is missing'), problems.join('\n'));
});

test('the widget documents its contract: attributes, methods and events with detail types', () => {
  const widget = elements.get('intake-widget')!;
  const attributes = new Set((widget.attributes ?? []).map((a) => a.name));
  for (const name of ['endpoint', 'site', 'locale', 'position', 'modes', 'theme', 'open', 'transport', 'large-text']) {
    assert.ok(attributes.has(name), `attribute ${name}`);
  }
  const methods = new Set(widget.members.filter((m) => m.kind === 'method').map((m) => m.name));
  for (const name of ['open', 'close', 'toggle', 'startChat', 'openForm', 'showStatus']) assert.ok(methods.has(name), `method ${name}()`);
  for (const event of widget.events) assert.match(event.type?.text ?? '', /^Intake\w+Event$/, `${event.name} names its event type`);
  for (const element of elements.values()) {
    for (const attribute of element.attributes ?? []) assert.ok(attribute.description, `<${element.tagName} ${attribute.name}> has a description`);
  }
});

test('VS Code custom data and web-types carry every element, attribute and value', () => {
  for (const element of elements.values()) {
    const attributes = (element.attributes ?? []).map((a) => a.name).sort();
    const tag = vscode.tags.find((t) => t.name === element.tagName);
    assert.ok(tag, `VS Code data has <${element.tagName}>`);
    assert.deepEqual(tag.attributes.map((a) => a.name).sort(), attributes);
    const web = webTypes.contributions.html.elements.find((e) => e.name === element.tagName);
    assert.ok(web, `web-types has <${element.tagName}>`);
    assert.deepEqual(web.attributes.map((a) => a.name).sort(), attributes);
    assert.deepEqual(web.js.events.map((e) => e.name).sort(), element.events.map((e) => e.name).sort());
    assert.deepEqual(web.css.parts.map((p) => p.name).sort(), element.cssParts.map((p) => p.name).sort());
  }
  const widget = vscode.tags.find((t) => t.name === 'intake-widget')!;
  const values = (name: string) => widget.attributes.find((a) => a.name === name)?.values?.map((v) => v.name);
  assert.deepEqual(values('position'), ['bottom-end', 'bottom-start']);
  assert.deepEqual(values('theme'), ['light', 'dark', 'auto']);
  assert.equal(widget.attributes.find((a) => a.name === 'large-text')?.valueSet, 'v');
});

test('package.json points tools at the generated files, and the build wrote the current ones', () => {
  const pkg = JSON.parse(read('package.json')) as { customElements?: string; 'web-types'?: string; files: string[] };
  assert.equal(pkg.customElements, './dist/custom-elements.json');
  assert.equal(pkg['web-types'], './dist/web-types.json');
  assert.ok(pkg.files.includes('dist'), '"files" ships dist/');
  const built = join(ROOT, 'dist/custom-elements.json');
  if (!existsSync(built)) return assert.fail('dist/custom-elements.json is missing: run `npm run build`');
  assert.deepEqual(JSON.parse(readFileSync(built, 'utf8')), manifest, 'dist/custom-elements.json is stale: run `npm run build`');
  assert.deepEqual(JSON.parse(read('dist/vscode.html-custom-data.json')), vscode);
  assert.deepEqual(JSON.parse(read('dist/web-types.json')), webTypes);
});
