// npm run build: the ES build (code-split), the classic IIFE file, the type declarations, the
// element manifest and editor data (scripts/manifest.mjs), then hashed copies and SRI hashes
// (scripts/integrity.mjs).
import { build } from 'vite';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sri, writeIntegrity } from './integrity.mjs';
import { writeManifest } from './manifest.mjs';

process.env.INTAKE_BUILD = 'es';
await build({ configFile: 'vite.config.ts', mode: 'production' });
// The classic file is a loader of the ES chunks: it carries each chunk's name, sha384 and static
// imports (src/loader.ts), so the ES build comes first and its files are final before hashing.
process.env.INTAKE_CHUNKS = JSON.stringify(loaderChunks());
process.env.INTAKE_BUILD = 'iife';
await build({ configFile: 'vite.config.ts', mode: 'production' });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
writeManifest();
const { hashed } = writeIntegrity();
console.log(`built dist/intake-widgets.js, dist/intake-widgets.iife.js (hashed: ${Object.values(hashed).join(', ')}), dist/integrity.json, dist/types/, dist/custom-elements.json and editor data`);

/** The ES chunks as src/loader.ts reads them: { e: embed's index, f: [file, sha384, static imports][] }. */
function loaderChunks(dist = 'dist') {
  const manifest = JSON.parse(readFileSync(`${dist}/.vite/manifest.json`, 'utf8'));
  const keys = Object.keys(manifest).filter((key) => manifest[key].file.startsWith('chunks/')).sort();
  const at = new Map(keys.map((key, i) => [key, i]));
  const f = keys.map((key) => [
    manifest[key].file,
    sri(readFileSync(`${dist}/${manifest[key].file}`)),
    (manifest[key].imports ?? []).map((dep) => {
      if (!at.has(dep)) throw new Error(`${manifest[key].file} imports ${dep}, which is not a chunk`);
      return at.get(dep);
    }),
  ]);
  const e = at.get('src/embed.ts');
  if (e === undefined) throw new Error('the ES build has no embed chunk (src/embed.ts)');
  return { e, f };
}
