// npm run bench: builds first when dist/ is missing or older than src/, then runs bench/main.ts
// (TypeScript, through tsx). Not a test; takes a few minutes. See docs/performance.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const built = ['dist/intake-widgets.js', 'dist/intake-widgets.iife.js', 'dist/.vite/manifest.json'];
const stale = built.some((f) => !existsSync(f)) || Math.min(...built.map((f) => statSync(f).mtimeMs)) < newest('src');
let dist = stale ? 'older than src/ (not rebuilt: BENCH_NO_BUILD=1)' : 'up to date with src/';
if (stale && process.env.BENCH_NO_BUILD !== '1') {
  console.error('[bench] dist/ is missing or older than src/: npm run build');
  try {
    // Through the build lock where there is one: dist/ may be shared with other builds.
    const lock = process.env.INTAKE_BUILD_LOCK ?? '/tmp/intake-build.lock';
    const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;
    if (hasFlock) execFileSync('flock', [lock, process.execPath, 'scripts/build.mjs'], { stdio: 'inherit' });
    else execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    dist = 'built by this run';
  } catch (error) {
    if (built.some((f) => !existsSync(f))) throw error;
    // src/ may be mid-edit on a shared machine: measure the last good build and say so.
    console.error('[bench] the build failed: measuring the existing dist/ (older than src/)');
    dist = 'older than src/ (the build failed)';
  }
}

const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, BENCH_DIST: dist },
});
process.exit(run.status ?? 1);
