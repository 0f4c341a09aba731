// npm run build: the ES build (code-split), the classic IIFE file, the type declarations, the
// element manifest and editor data (scripts/manifest.mjs), then hashed copies and SRI hashes
// (scripts/integrity.mjs).
import { build } from 'vite';
import { execFileSync } from 'node:child_process';
import { writeIntegrity } from './integrity.mjs';
import { writeManifest } from './manifest.mjs';

for (const format of ['es', 'iife']) {
  process.env.INTAKE_BUILD = format;
  await build({ configFile: 'vite.config.ts', mode: 'production' });
}
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
writeManifest();
const { hashed } = writeIntegrity();
console.log(`built dist/intake-widgets.js, dist/intake-widgets.iife.js (hashed: ${Object.values(hashed).join(', ')}), dist/integrity.json, dist/types/, dist/custom-elements.json and editor data`);
