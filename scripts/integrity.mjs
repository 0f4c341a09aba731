/**
 * After the build: content-hashed copies of the two entry files next to their stable names
 * (dist/intake-widgets.<hash>.js, dist/intake-widgets.iife.<hash>.js — byte-identical, so they
 * can be cached as immutable) and dist/integrity.json with the sha384 Subresource Integrity hash
 * of every JavaScript file in dist/ (entries, hashed copies, chunks):
 *
 *   { "algorithm": "sha384",
 *     "hashed": { "intake-widgets.iife.js": "intake-widgets.iife.<hash>.js", … },
 *     "files": { "intake-widgets.iife.js": "sha384-…", "chunks/…": "sha384-…", … } }
 *
 * Run alone: `node scripts/integrity.mjs [distDir]`.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The files a page loads by name; chunks already carry a content hash in theirs. */
export const ENTRIES = ['intake-widgets.js', 'intake-widgets.iife.js'];
const HASHED = /^intake-widgets(\.iife)?\.[0-9a-f]{10}\.js$/;

export const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
/** The name of an entry's hashed copy: 10 hex digits of the content's sha384. */
export const hashedName = (name, bytes) => name.replace(/\.js$/, `.${createHash('sha384').update(bytes).digest('hex').slice(0, 10)}.js`);

export function writeIntegrity(dist = join(root, 'dist')) {
  // Hashed copies from an earlier build in the same folder would otherwise pile up.
  for (const name of readdirSync(dist)) if (HASHED.test(name)) rmSync(join(dist, name));
  const hashed = {};
  for (const entry of ENTRIES) {
    const bytes = readFileSync(join(dist, entry));
    hashed[entry] = hashedName(entry, bytes);
    copyFileSync(join(dist, entry), join(dist, hashed[entry]));
  }
  const files = {};
  const scripts = readdirSync(dist, { recursive: true })
    .map((name) => String(name).replaceAll('\\', '/'))
    .filter((name) => name.endsWith('.js') && !name.startsWith('types/') && !name.startsWith('.vite/'))
    .sort();
  for (const name of scripts) files[name] = sri(readFileSync(join(dist, name)));
  const integrity = { algorithm: 'sha384', hashed, files };
  writeFileSync(join(dist, 'integrity.json'), `${JSON.stringify(integrity, null, 2)}\n`);
  return integrity;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { hashed, files } = writeIntegrity(process.argv[2] ? resolve(process.argv[2]) : undefined);
  for (const [entry, copy] of Object.entries(hashed)) console.log(`${entry} → ${copy}  ${files[copy]}`);
}
