// npm run build: the ES build (code-split), the classic IIFE file, the type declarations, the
// element manifest and editor data (scripts/manifest.mjs), then hashed copies and SRI hashes
// (scripts/integrity.mjs).
import { build } from 'vite';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { sri, writeIntegrity } from './integrity.mjs';
import { writeManifest } from './manifest.mjs';

// INTAKE_OUT_DIR (vite.config.ts): build somewhere else than dist/ (size experiments on a shared
// checkout); the type declarations, which only `npm run build` writes, then stay in dist/types.
const outDir = process.env.INTAKE_OUT_DIR ?? 'dist';
process.env.INTAKE_BUILD = 'es';
await build({ configFile: 'vite.config.ts', mode: 'production' });
// The classic file is a loader of the ES chunks: it carries each chunk's name, sha384 and static
// imports (src/loader.ts), so the ES build comes first and its files are final before hashing.
process.env.INTAKE_CHUNKS = JSON.stringify(loaderChunks(outDir));
process.env.INTAKE_BUILD = 'iife';
await build({ configFile: 'vite.config.ts', mode: 'production' });
if (outDir === 'dist') execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
writeManifest(outDir === 'dist' ? undefined : outDir);
const { hashed } = writeIntegrity(outDir === 'dist' ? undefined : outDir);
console.log(`built dist/intake-widgets.js, dist/intake-widgets.iife.js (hashed: ${Object.values(hashed).join(', ')}), dist/integrity.json, dist/types/, dist/custom-elements.json and editor data`);

/**
 * The ES chunks as src/loader.ts reads them: { e: embed's index, x: the name `install` has there,
 * f: [file, sha384, static imports][] of the pieces loaded before intent (the chunk with src/embed.ts
 * and its static imports, first in the whole list), t: [file, sha384] of chunks/pieces-<hash>.js, a module whose default export is the rest of
 * the list (every other chunk, with its hash), which the loader loads, checked, on intent }.
 */
function loaderChunks(dist = 'dist') {
  const manifest = JSON.parse(readFileSync(`${dist}/.vite/manifest.json`, 'utf8'));
  const all = Object.keys(manifest).filter((key) => manifest[key].file.startsWith('chunks/')).sort();
  if (!manifest['src/embed.ts']) throw new Error('the ES build has no embed chunk (src/embed.ts)');
  // The embed entry is a facade (`export{n as install,…}from"./config-….js"`) when its code went
  // into the config chunk: the loader then imports that chunk and takes `install` under the name
  // it has there (one file and one hash fewer before intent).
  let entry = 'src/embed.ts';
  let x = 'install';
  const facade = /^export\{([^}]*)\}from"\.\/([\w.-]+\.js)";?$/.exec(readFileSync(`${dist}/${manifest[entry].file}`, 'utf8').trim());
  const target = facade && all.find((key) => manifest[key].file === `chunks/${facade[2]}`);
  const local = facade?.[1].split(',').map((pair) => pair.split(' as ')).find(([, name]) => name === 'install')?.[0];
  if (target && local) [entry, x] = [target, local];
  // The embed chunk and its static imports: what the classic tag loads before intent.
  const early = [];
  const visit = (key) => {
    if (early.includes(key)) return;
    early.push(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  visit(entry);
  const keys = [...early, ...all.filter((key) => !early.includes(key))];
  const at = new Map(keys.map((key, i) => [key, i]));
  const f = keys.map((key) => [
    manifest[key].file,
    sri(readFileSync(`${dist}/${manifest[key].file}`)),
    (manifest[key].imports ?? []).map((dep) => {
      if (!at.has(dep)) throw new Error(`${manifest[key].file} imports ${dep}, which is not a chunk`);
      return at.get(dep);
    }),
  ]);
  const table = `export default${JSON.stringify(f.slice(early.length))};\n`;
  const file = `chunks/pieces-${createHash('sha256').update(table).digest('base64url').slice(0, 8)}.js`;
  writeFileSync(`${dist}/${file}`, table);
  return { e: 0, x, f: f.slice(0, early.length), t: [file, sri(Buffer.from(table))] };
}
