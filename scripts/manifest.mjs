/**
 * Editor and tooling data from the JSDoc on the element classes (@tag, @event, @csspart,
 * @cssproperty) and their Lit properties, written to dist/ by `npm run build`:
 * - dist/custom-elements.json          Custom Elements Manifest ("customElements" in package.json)
 * - dist/vscode.html-custom-data.json  VS Code HTML custom data (`html.customData` setting)
 * - dist/web-types.json                JetBrains web-types ("web-types" in package.json)
 * Run alone: `node scripts/manifest.mjs [outDir]`.
 */
import { create, ts } from '@custom-elements-manifest/analyzer';
import { litPlugin } from '@custom-elements-manifest/analyzer/src/features/framework-plugins/lit/lit.js';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path) => readFileSync(join(root, path), 'utf8');

/** Every .ts file under a folder of src/, as repo-relative paths. */
function sourceFiles(dir) {
  return readdirSync(join(root, dir), { recursive: true })
    .filter((name) => String(name).endsWith('.ts'))
    .map((name) => join(dir, String(name)).replaceAll('\\', '/'));
}

/** The public event names (src/events/index.ts, INTAKE_EVENTS). */
function publicEvents() {
  const list = /INTAKE_EVENTS[^=]*=\s*\[([^\]]*)\]/.exec(read('src/events/index.ts'))?.[1] ?? '';
  return new Set([...list.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]));
}

/**
 * String-literal unions in src/ (`type X = 'a' | 'b'`, or `const XS = ['a', 'b'] as const;
 * type X = (typeof XS)[number]`), so attributes can offer their values.
 */
function literalUnions() {
  const unions = new Map();
  const strings = (text) => [...text.matchAll(/'([^']*)'/g)].map((v) => v[1]);
  for (const file of sourceFiles('src')) {
    const text = read(file);
    const arrays = new Map([...text.matchAll(/export const (\w+)\s*=\s*\[([^\]]*)\]\s*as const/g)].map((m) => [m[1], strings(m[2])]));
    for (const m of text.matchAll(/export type (\w+)\s*=\s*((?:\s*\|?\s*'[^']*')+)\s*;/g)) unions.set(m[1], strings(m[2]));
    for (const m of text.matchAll(/export type (\w+)\s*=\s*\(typeof (\w+)\)\[number\]/g)) {
      if (arrays.has(m[2])) unions.set(m[1], arrays.get(m[2]));
    }
  }
  return unions;
}

/** Global tokens (src/styles/tokens.ts, src/themes/light.ts) with their docs/theming.md notes. */
function globalTokens() {
  const names = new Set();
  for (const file of ['src/styles/tokens.ts', 'src/themes/light.ts']) {
    for (const m of read(file).matchAll(/^\s*(--intake-[a-z0-9-]+):/gm)) names.add(m[1]);
  }
  const notes = new Map();
  for (const m of read('docs/theming.md').matchAll(/^\| `(--intake-[a-z0-9-]+)` \|(.*)\|\s*$/gm)) {
    const cells = m[2].split('|').map((c) => c.trim());
    // Tables: light | dark | used for (colours), light | dark (shadows), default | notes (the rest).
    const last = cells.at(-1) ?? '';
    notes.set(m[1], { default: cells[0].replaceAll('`', ''), note: cells.length > 1 && !last.startsWith('`') ? last : '' });
  }
  return [...names].map((name) => {
    const doc = notes.get(name);
    const note = doc?.note ? `${doc.note[0].toUpperCase()}${doc.note.slice(1)}. ` : '';
    return { name, description: doc ? `${note}Global token (default ${doc.default}).` : 'Global token.' };
  });
}

/** Names of `@state()` fields: internal reactive state, not API. */
function stateFields(file) {
  return new Set([...read(file).matchAll(/@state\(\)\s+(?:private\s+|protected\s+)?(\w+)/g)].map((m) => m[1]));
}

/**
 * A plain custom element (the launcher, `<intake-widget>`) has no decorators to read: its
 * attributes come from its `ATTRIBUTES` map (attribute → property) and the accessors' docs.
 */
function mappedAttributes(file, decl) {
  const map = /const ATTRIBUTES = \{([\s\S]*?)\}/.exec(read(file));
  if (!map || decl.attributes?.length) return;
  decl.attributes = [...map[1].matchAll(/'?([\w-]+)'?:\s*'(\w+)'/g)].map(([, name, fieldName]) => {
    const field = decl.members.find((m) => m.name === fieldName);
    // Each property reads and writes its attribute.
    if (field) Object.assign(field, { attribute: name, reflects: true });
    const { type, default: value, description } = field ?? {};
    return { name, ...(type ? { type } : {}), ...(value ? { default: value } : {}), ...(description ? { description } : {}), fieldName };
  });
}

export function buildManifest() {
  const files = sourceFiles('src/components').filter((f) => f.endsWith('.component.ts')).sort();
  const modules = files.map((file) => ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, true));
  const raw = create({ modules, plugins: litPlugin() });

  const events = publicEvents();
  const unions = literalUnions();
  const tokens = globalTokens();
  const elements = [];
  for (const mod of raw.modules) {
    const internal = stateFields(mod.path);
    for (const decl of mod.declarations ?? []) {
      if (!decl.customElement) continue;
      decl.members = (decl.members ?? []).filter((m) => !m.static && m.privacy !== 'private' && m.privacy !== 'protected' && !internal.has(m.name));
      mappedAttributes(mod.path, decl);
      // intake-show-status and intake-requests-seen pass between the widget's own views; not API.
      decl.events = (decl.events ?? []).filter((e) => events.has(e.name));
      decl.cssParts ??= [];
      decl.cssProperties ??= [];
      elements.push(decl);
    }
  }
  elements.sort((a, b) => a.tagName.localeCompare(b.tagName));
  const widget = elements.find((e) => e.tagName === 'intake-widget');
  if (!widget) throw new Error('intake-widget not found by the analyzer');

  for (const el of elements) {
    // Shared attributes documented once, on the widget.
    for (const list of [el.attributes ?? [], el.members]) {
      for (const item of list) {
        if (item.description) continue;
        const same = widget.attributes.find((a) => a.name === (item.attribute ?? item.name) || a.fieldName === item.name);
        if (same?.description) item.description = same.description;
        else if (item.name === 'nested' || item.attribute === 'nested') item.description = 'Set by `<intake-widget>` on the views in its panel: inherit its tokens, no own heading.';
      }
    }
  }
  // The views in the panel read their hooks too: set on <intake-widget>, they reach them.
  const widgetProps = new Set(widget.cssProperties.map((p) => p.name));
  for (const view of elements.filter((e) => ['intake-chat', 'intake-form', 'intake-status'].includes(e.tagName))) {
    for (const prop of view.cssProperties) {
      if (!widgetProps.has(prop.name)) {
        widget.cssProperties.push({ ...prop, description: `${prop.description} (<${view.tagName}> in the panel)` });
        widgetProps.add(prop.name);
      }
    }
  }
  for (const el of elements) {
    const own = new Set(el.cssProperties.map((p) => p.name));
    el.cssProperties.push(...tokens.filter((t) => !own.has(t.name)));
  }

  const pkg = JSON.parse(read('package.json'));
  const manifest = {
    schemaVersion: '1.0.0',
    readme: 'README.md',
    modules: [
      {
        kind: 'javascript-module',
        path: 'dist/index.js',
        declarations: elements,
        exports: elements.map((el) => ({ kind: 'js', name: el.name, declaration: { name: el.name, module: 'dist/index.js' } })),
      },
      {
        kind: 'javascript-module',
        path: 'dist/intake-widgets.js',
        declarations: [],
        exports: elements.map((el) => ({ kind: 'custom-element-definition', name: el.tagName, declaration: { name: el.name, module: 'dist/index.js' } })),
      },
    ],
  };

  const valuesOf = (type) => {
    const text = (type?.text ?? '').replace(/\s*\|\s*undefined$/, '');
    if (unions.has(text)) return unions.get(text);
    const literals = [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]);
    return literals.length && /^('[^']*'\s*\|?\s*)+$/.test(text) ? literals : undefined;
  };
  const attributeValues = (el, attr) => {
    // `theme` is a plain string property (unknown words are reported, then light is used).
    if (attr.name === 'theme') return unions.get('Theme');
    const field = el.members.find((m) => m.name === attr.fieldName);
    return valuesOf(attr.type ?? field?.type);
  };
  const isBoolean = (attr) => /^boolean/.test(attr.type?.text ?? '');

  const vscode = {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: elements.map((el) => ({
      name: el.tagName,
      description: [
        el.description,
        el.events.length ? `Events: ${el.events.map((e) => `\`${e.name}\``).join(', ')}.` : '',
        el.cssParts.length ? `Parts: ${el.cssParts.map((p) => `\`${p.name}\``).join(', ')}.` : '',
      ].filter(Boolean).join('\n\n'),
      attributes: (el.attributes ?? []).map((attr) => {
        const values = attributeValues(el, attr);
        return {
          name: attr.name,
          description: attr.description ?? '',
          ...(isBoolean(attr) ? { valueSet: 'v' } : values ? { values: values.map((name) => ({ name })) } : {}),
        };
      }),
    })),
  };

  const webTypes = {
    $schema: 'https://json.schemastore.org/web-types',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    'js-types-syntax': 'typescript',
    contributions: {
      html: {
        elements: elements.map((el) => ({
          name: el.tagName,
          description: el.description,
          source: { module: pkg.name, symbol: el.name },
          attributes: (el.attributes ?? []).map((attr) => {
            const values = attributeValues(el, attr);
            return {
              name: attr.name,
              description: attr.description ?? '',
              ...(attr.default !== undefined ? { default: attr.default } : {}),
              value: isBoolean(attr)
                ? { kind: 'no-value', type: 'boolean' }
                : { kind: 'plain', type: values ? values.map((v) => `'${v}'`).join(' | ') : 'string', required: false },
            };
          }),
          js: {
            properties: el.members.filter((m) => m.kind === 'field').map((m) => ({ name: m.name, type: m.type?.text ?? 'unknown', description: m.description ?? '' })),
            events: el.events.map((e) => ({ name: e.name, type: e.type?.text ?? 'CustomEvent', description: e.description ?? '' })),
          },
          css: {
            parts: el.cssParts.map((p) => ({ name: p.name, description: p.description ?? '' })),
            properties: el.cssProperties.map((p) => ({ name: p.name, description: p.description ?? '' })),
          },
        })),
      },
    },
  };
  return { manifest, vscode, webTypes };
}

export function writeManifest(outDir = join(root, 'dist')) {
  const { manifest, vscode, webTypes } = buildManifest();
  mkdirSync(outDir, { recursive: true });
  const write = (name, data) => writeFileSync(join(outDir, name), `${JSON.stringify(data, null, 2)}\n`);
  write('custom-elements.json', manifest);
  write('vscode.html-custom-data.json', vscode);
  write('web-types.json', webTypes);
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  writeManifest(out);
  console.log(`wrote custom-elements.json, vscode.html-custom-data.json and web-types.json to ${out ?? 'dist/'}`);
}
