// Byte figures of the build, shared by the budget test (test/node/budgets.test.ts) and
// `npm run bench`. Reads dist/ and the Vite manifest (which chunk imports which).
import { readFileSync, existsSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { dirname, relative, resolve } from 'node:path';

export const budgetsFile = 'bench/budgets.json';

/** raw, gzip and brotli (quality 11, as CDNs serve static files) sizes of one file. */
export function sizeOf(path) {
  const bytes = readFileSync(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

const sum = (list) => list.reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip, brotli: a.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });

const LOCALE_CHUNK = /^src\/i18n\/locales\/([\w-]+)(?:\.views)?\.json$/;
/** Transport adapters other than the intake protocol's: a page loads one only when it speaks that protocol. */
const OTHER_TRANSPORT = /^src\/client\/transports\/open311\.ts$/;

/**
 * What opening the widget's chat loads on intent (the chat is the default tab): the modules the
 * launcher and the panel import dynamically on that path — the panel (with the chat, statically),
 * widget-warm (the client started beside it), the client that the client registry imports, and the
 * intake protocol's transport that the client's lazy transport imports — each with the chunks it
 * imports statically, and one locale. The manifest names group chunks, not modules, so a module's
 * chunk is found from the chunks' source maps.
 */
const CHAT_PATH_MODULES = ['src/components/widget/widget-panel.ts', 'src/components/widget/widget-warm.ts', 'src/client/client.ts', 'src/client/transports/intake.ts'];

/** The ES chunk the classic loader (dist/intake-widgets.iife.js) imports first. */
const CLASSIC_ENTRY = 'src/embed.ts';

/**
 * Measures the ES build as a browser loads it:
 * - beforeIntent: the entry and everything it imports statically (what loads with the tag);
 * - everything: all that the entry can reach, static and dynamic, with one locale (`locale`) and
 *   the intake protocol's transport (the Open311 adapter is its own chunk, loaded only for it);
 * - iife: the classic script file (a loader);
 * - classicBeforeIntent: what the classic tag loads before intent: the loader, the embed chunk and
 *   its static imports (the launcher);
 * - chatPath: before intent and what opening the chat loads (CHAT_PATH_MODULES, one locale);
 *   `modules` lists every source module in it (to check that no form or status code is on it);
 * - chunks: every ES chunk.
 * `builtAt`: the folder the build wrote (default `dist`), when `dist` is a copy of it.
 */
export function measure({ dist = 'dist', entry = 'src/define.ts', locale = 'zh-CN', builtAt = dist } = {}) {
  const manifestPath = `${dist}/.vite/manifest.json`;
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run npm run build`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (!manifest[entry]) throw new Error(`${entry} is not an entry in ${manifestPath}`);

  const staticSet = new Set();
  const visitStatic = (key) => {
    if (staticSet.has(key)) return;
    staticSet.add(key);
    for (const dep of manifest[key].imports ?? []) visitStatic(dep);
  };
  visitStatic(entry);

  const allSet = new Set();
  const visitAll = (key) => {
    if (allSet.has(key)) return;
    const lang = key.match(LOCALE_CHUNK)?.[1];
    if (lang && lang !== locale) return;
    if (OTHER_TRANSPORT.test(key)) return;
    allSet.add(key);
    for (const dep of [...(manifest[key].imports ?? []), ...(manifest[key].dynamicImports ?? [])]) visitAll(dep);
  };
  visitAll(entry);

  const fileSize = (key) => ({ key, file: manifest[key].file, ...sizeOf(`${dist}/${manifest[key].file}`) });
  // The classic tag before intent: the loader file, then the embed chunk and all it imports
  // statically (the loader preloads exactly that closure before it installs the API).
  const classicSet = new Set();
  const visitClassic = (key) => {
    if (classicSet.has(key)) return;
    classicSet.add(key);
    for (const dep of manifest[key].imports ?? []) visitClassic(dep);
  };
  if (manifest[CLASSIC_ENTRY]) visitClassic(CLASSIC_ENTRY);
  const loader = { file: 'intake-widgets.iife.js', ...sizeOf(`${dist}/intake-widgets.iife.js`) };

  // The chat path: each chunk's modules from its source map. Its sources are relative to where the
  // build wrote the chunk (`builtAt`: the bench measures a copy of dist/ made elsewhere).
  const modulesOf = new Map();
  for (const [key, { file }] of Object.entries(manifest)) {
    const mapPath = `${dist}/${file}.map`;
    const sources = existsSync(mapPath) ? JSON.parse(readFileSync(mapPath, 'utf8')).sources : [];
    modulesOf.set(key, sources.map((source) => relative('.', resolve(dirname(`${builtAt}/${file}`), source)).replaceAll('\\', '/')));
  }
  const chunkOf = (module) => [...modulesOf].find(([, modules]) => modules.includes(module))?.[0];
  const chatSet = new Set(staticSet);
  const visitChat = (key) => {
    if (chatSet.has(key) && !staticSet.has(key)) return;
    chatSet.add(key);
    for (const dep of manifest[key].imports ?? []) if (!chatSet.has(dep)) visitChat(dep);
  };
  for (const module of CHAT_PATH_MODULES) {
    const key = chunkOf(module);
    if (!key) throw new Error(`${module} is in no chunk of ${manifestPath} (sourcemaps missing?)`);
    visitChat(key);
  }
  const localeKey = `src/i18n/locales/${locale}.json`;
  if (manifest[localeKey]) chatSet.add(localeKey);
  const chatModules = [...chatSet].flatMap((k) => modulesOf.get(k) ?? []);
  const chunks = Object.keys(manifest).map(fileSize).sort((a, b) => b.brotli - a.brotli);
  return {
    beforeIntent: { ...sum([...staticSet].map(fileSize)), files: [...staticSet].map((k) => manifest[k].file) },
    everything: { ...sum([...allSet].map(fileSize)), files: [...allSet].map((k) => manifest[k].file) },
    iife: sizeOf(`${dist}/intake-widgets.iife.js`),
    classicBeforeIntent: { ...sum([loader, ...[...classicSet].map(fileSize)]), files: [loader.file, ...[...classicSet].map((k) => manifest[k].file)] },
    chatPath: { ...sum([...chatSet].map(fileSize)), files: [...chatSet].map((k) => manifest[k].file), modules: chatModules },
    chunks,
  };
}

export function readBudgets() {
  return JSON.parse(readFileSync(budgetsFile, 'utf8'));
}
