// npm run build: the ES build (code-split), the classic IIFE file, and the type declarations.
import { build } from 'vite';
import { execFileSync } from 'node:child_process';

for (const format of ['es', 'iife']) {
  process.env.INTAKE_BUILD = format;
  await build({ configFile: 'vite.config.ts', mode: 'production' });
}
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/intake-widgets.js, dist/intake-widgets.iife.js and dist/types/');
