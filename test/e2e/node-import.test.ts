// Importing the package on a server (Next.js, Nuxt, Astro, SvelteKit render in Node) must be safe:
// every JavaScript entry of package.json "exports", and every chunk they may load, is imported by
// name in a plain Node process (no DOM), which must not throw, print, define anything, or add a
// global. In the browser the same files still define the tags (build-outputs.test.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/e2e.js';

interface PackageJson {
  name: string;
  exports: Record<string, string | Record<string, string>>;
}
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** The specifiers a server-side bundle would import: `intake-widgets`, `intake-widgets/define`… */
const entries = Object.entries(pkg.exports)
  .filter(([, target]) => (typeof target === 'string' ? target : target.import ?? '').endsWith('.js'))
  .map(([key]) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));

/** Imports `specifiers` in a fresh Node process; reports what it added to globalThis. */
function importInNode(specifiers: string[]) {
  const script = `
    const before = new Set(Reflect.ownKeys(globalThis));
    const exported = {};
    for (const specifier of ${JSON.stringify(specifiers)}) exported[specifier] = Object.keys(await import(specifier)).sort();
    // Anything scheduled by the import (a timer, a microtask) runs before the globals are compared.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const added = Reflect.ownKeys(globalThis).filter((key) => !before.has(key)).map(String);
    console.log(JSON.stringify({ added, exported }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60000 });
  // Node quotes the failing (minified, one-line) source: keep only the error's own lines.
  const stderr = run.stderr.split('\n').filter((line) => line.length < 400).join('\n');
  return { status: run.status, stderr, result: run.status === 0 ? (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { added: string[]; exported: Record<string, string[]> }) : undefined };
}

describe('importing the package in Node (server-side rendering)', () => {
  assert.ok(existsSync(join(REPO_ROOT, 'dist/intake-widgets.js')), 'run `npm run build` first');

  test('package.json names the entries this test imports', () => {
    assert.deepEqual(entries, ['intake-widgets', 'intake-widgets/define', 'intake-widgets/intake-widgets.js', 'intake-widgets/intake-widgets.iife.js']);
  });

  for (const specifier of entries) {
    test(`import('${specifier}') neither throws nor adds a global`, () => {
      const { status, stderr, result } = importInNode([specifier]);
      assert.equal(status, 0, `import('${specifier}') failed in Node:\n${stderr}`);
      assert.equal(stderr, '');
      assert.deepEqual(result!.added, []);
    });
  }

  test('the main entry still exports the element classes and the client', () => {
    const { status, stderr, result } = importInNode([pkg.name]);
    assert.equal(status, 0, stderr);
    for (const name of ['IntakeWidget', 'IntakeChat', 'IntakeForm', 'IntakeStatus', 'IntakeAsk', 'IntakeClient', 'INTAKE_EVENTS', 'SUPPORTED_LOCALES']) {
      assert.ok(result!.exported[pkg.name]!.includes(name), `${name} is exported`);
    }
  });

  test('every chunk (the lazily loaded views, client and locales) imports too', () => {
    const chunks = readdirSync(join(REPO_ROOT, 'dist/chunks')).filter((f) => f.endsWith('.js')).map((f) => `./dist/chunks/${f}`);
    assert.ok(chunks.length > 5, 'dist/chunks holds the chunks');
    const { status, stderr, result } = importInNode(chunks);
    assert.equal(status, 0, `a chunk failed in Node:\n${stderr}`);
    assert.equal(stderr, '');
    assert.deepEqual(result!.added, []);
  });
});
