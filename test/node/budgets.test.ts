/**
 * Byte budgets (issues 9 and 19): before intent, the chat path (before intent and what opening the
 * chat loads: never the form or My requests), everything (one locale), the classic file (a
 * loader) and the classic tag before intent (the loader, its API and the launcher), in
 * brotli bytes, against the ceilings in bench/budgets.json. The figures come from
 * scripts/sizes.mjs, the same code `npm run bench` prints. Needs dist/ (npm test builds first);
 * when dist/ is missing this test builds it, and fails if the build fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain .mjs shared with the bench, no declarations
import { measure, readBudgets } from '../../scripts/sizes.mjs';

interface Size { raw: number; gzip: number; brotli: number }
interface Ceiling { brotli: number; goal?: number; limit?: number }

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(ROOT);

const needed = ['dist/.vite/manifest.json', 'dist/intake-widgets.js', 'dist/intake-widgets.iife.js'];
if (needed.some((f) => !existsSync(f))) {
  console.log('dist/ is missing: building it (npm run build)');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

test('bench/budgets.json names a brotli ceiling for each figure', () => {
  const { budgets } = readBudgets() as { budgets: Record<string, Ceiling> };
  for (const name of ['before-intent', 'chat-path', 'everything', 'iife', 'classic-before-intent']) {
    assert.equal(typeof budgets[name]?.brotli, 'number', `${name}: no brotli ceiling`);
    // A ceiling may sit below its goal (a goal met, the figure kept from growing back up to it).
    const goal = budgets[name]!.goal;
    if (goal !== undefined) assert.ok(goal > 0, `${name}: goal is not a byte count`);
    const limit = budgets[name]!.limit;
    if (limit !== undefined) assert.ok(goal === undefined || limit >= goal, `${name}: limit below its goal`);
  }
});

test('the build is within its byte budgets', () => {
  for (const f of needed) assert.ok(existsSync(f), `${f} is missing after the build`);
  const { budgets } = readBudgets() as { budgets: Record<string, Ceiling> };
  const figures = measure() as { beforeIntent: Size & { files: string[] }; chatPath: Size & { files: string[]; modules: string[] }; everything: Size & { files: string[] }; iife: Size; classicBeforeIntent: Size & { files: string[] } };
  assert.ok(figures.beforeIntent.files.length > 0 && figures.beforeIntent.brotli > 0, 'measured nothing before intent');
  assert.ok(figures.everything.brotli > figures.beforeIntent.brotli, 'everything measured no lazy chunk');
  assert.ok(figures.iife.brotli > 0, 'the IIFE file is empty');
  // The classic tag is a loader: before intent it loads its API and the launcher, never the panel.
  assert.ok(figures.classicBeforeIntent.files.includes('intake-widgets.iife.js') && figures.classicBeforeIntent.files.some((f) => f.startsWith('chunks/launcher-')), 'classic before intent: the loader and the launcher');
  assert.ok(!figures.classicBeforeIntent.files.some((f) => /chunks\/(panel|shared)-/.test(f)), `classic before intent loads the panel: ${figures.classicBeforeIntent.files.join(', ')}`);
  // The chat path: the panel with the chat and the client, never the form's or My requests' code.
  assert.ok(figures.chatPath.modules.includes('src/components/chat/chat.component.ts'), 'the chat path has no chat');
  const views = figures.chatPath.modules.filter((m) => /^src\/components\/(form|status)\//.test(m));
  assert.deepEqual(views, [], `the chat path loads the form or My requests: ${views.join(', ')}`);
  assert.ok(figures.chatPath.brotli > figures.beforeIntent.brotli && figures.chatPath.brotli < figures.everything.brotli, 'the chat path is between before intent and everything');
  const rows: [string, Size, Ceiling][] = [
    ['before-intent', figures.beforeIntent, budgets['before-intent']!],
    ['chat-path', figures.chatPath, budgets['chat-path']!],
    ['everything', figures.everything, budgets['everything']!],
    ['iife', figures.iife, budgets['iife']!],
    ['classic-before-intent', figures.classicBeforeIntent, budgets['classic-before-intent']!],
  ];
  const built = new Date(statSync('dist/.vite/manifest.json').mtimeMs).toISOString();
  console.log(`byte budgets (brotli, dist/ built ${built})`);
  const over: string[] = [];
  for (const [name, size, ceiling] of rows) {
    const goal = ceiling.goal !== undefined ? `, goal ${ceiling.goal} B (${kb(ceiling.goal)}) ${size.brotli <= ceiling.goal ? 'met' : 'not met'}` : '';
    const limit = ceiling.limit !== undefined ? `, limit ${ceiling.limit} B (${kb(ceiling.limit)}) ${size.brotli <= ceiling.limit ? 'met' : 'not met'}` : '';
    const within = size.brotli <= ceiling.brotli;
    console.log(`${name.padEnd(21)} ${String(size.brotli).padStart(7)} B (${kb(size.brotli)})  ceiling ${ceiling.brotli} B (${kb(ceiling.brotli)})${goal}${limit}  ${within ? 'ok' : 'OVER'}`);
    if (!within) over.push(`${name}: ${size.brotli} B brotli > ceiling ${ceiling.brotli} B`);
  }
  assert.deepEqual(over, [], `over budget:\n${over.join('\n')}`);
});
