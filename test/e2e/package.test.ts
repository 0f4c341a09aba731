// The package as a web team gets it: `npm pack`, install the tarball into a scratch project
// outside the repository, resolve every `exports` entry, type-check code that uses the package's
// types, bundle an app with Vite, and load that app, the ES build and the IIFE build in Chromium.
// No network: the tarball's dependencies come from the npm cache (`npm install --offline`), or,
// when the cache lacks them, are linked from this repository's node_modules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { closeAll, launchChromium, REPO_ROOT, startReferenceServer, type ReferenceServer } from '../helpers/e2e.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

const SITE = 'riverside/xinhua/garden';
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

interface PackedFile {
  path: string;
}
interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  types: string;
  customElements: string;
  'web-types': string;
}

/** npm without the npm_* settings of an enclosing `npm test` run. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}

/** Links `name` and, recursively, its dependencies from the repository's node_modules. */
function linkFromRepo(name: string, into: string, seen = new Set<string>()): void {
  if (seen.has(name)) return;
  seen.add(name);
  const source = join(REPO_ROOT, 'node_modules', name);
  assert.ok(existsSync(source), `dependency ${name} is not in the repository's node_modules`);
  const target = join(into, name);
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(realpathSync(source), target, 'dir');
  }
  const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) linkFromRepo(dep, into, seen);
}

describe('npm pack → install in a scratch project → use it', () => {
  let work: string;
  let scratch: string;
  let installed: string;
  let installedBy = 'npm install --offline';
  let files: string[];
  let pkg: PackageJson;
  let api: ReferenceServer;
  let host: StaticServer;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'dist/intake-widgets.js')), 'run `npm run build` first');
    work = mkdtempSync(join(tmpdir(), 'intake-pack-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO_ROOT, env: npmEnv(), encoding: 'utf8' }),
    ) as { filename: string; files: PackedFile[] }[];
    const tarball = join(work, packed[0]!.filename);
    files = packed[0]!.files.map((f) => f.path);

    scratch = join(work, 'app');
    mkdirSync(join(scratch, 'src'), { recursive: true });
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball], {
      cwd: scratch, env: npmEnv(), encoding: 'utf8',
    });
    installed = join(scratch, 'node_modules/intake-widgets');
    if (install.status !== 0) {
      // The npm cache lacks a dependency (a machine that never installed it): unpack the tarball
      // as npm would and take the declared dependencies from this repository's node_modules.
      installedBy = 'tarball unpacked, dependencies linked from the repository (npm cache lacks them)';
      mkdirSync(installed, { recursive: true });
      execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
      const unpacked = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as PackageJson;
      for (const dep of Object.keys(unpacked.dependencies ?? {})) linkFromRepo(dep, join(scratch, 'node_modules'));
    }
    pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as PackageJson;

    host = await startStaticServer(scratch);
    api = await startReferenceServer({ allowedOrigins: [host.url] });
    browser = await launchChromium();
  });

  after(async () => {
    await closeAll();
    await host?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds the builds, types, manifest and editor data, and nothing from the sources', (t) => {
    t.diagnostic(`installed with: ${installedBy}`);
    for (const path of [
      'package.json', 'README.md', 'dist/index.js', 'dist/intake-widgets.js', 'dist/intake-widgets.iife.js',
      'dist/types/index.d.ts', 'dist/types/define.d.ts', 'dist/custom-elements.json',
      'dist/vscode.html-custom-data.json', 'dist/web-types.json', 'docs/protocol.md',
    ]) {
      assert.ok(files.includes(path), `${path} is in the tarball`);
    }
    const stray = files.filter((f) => /^(src|test|demo|bench|scripts|node_modules|coverage)\//.test(f) || f.startsWith('dist/.vite/') || f.startsWith('docs/screenshots/'));
    assert.deepEqual(stray, []);
    assert.ok(files.some((f) => f.startsWith('dist/chunks/')), 'the lazy chunks are in the tarball');
  });

  test('every path package.json names exists in the installed package', () => {
    const named: string[] = [pkg.types, pkg.customElements, pkg['web-types']];
    for (const target of Object.values(pkg.exports)) named.push(...(typeof target === 'string' ? [target] : Object.values(target)));
    for (const path of named) assert.ok(existsSync(join(installed, path)), `${path} (named in package.json) is installed`);
  });

  test('Node resolves every entry of the exports map from the scratch project', () => {
    const script = `for (const s of process.argv.slice(1)) console.log(import.meta.resolve(s));`;
    const specifiers = ['intake-widgets', 'intake-widgets/define', 'intake-widgets/intake-widgets.js', 'intake-widgets/intake-widgets.iife.js',
      'intake-widgets/custom-elements.json', 'intake-widgets/vscode.html-custom-data.json', 'intake-widgets/web-types.json', 'intake-widgets/package.json'];
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, ...specifiers], { cwd: scratch, encoding: 'utf8' });
    const resolved = out.trim().split('\n');
    assert.equal(resolved.length, specifiers.length);
    for (const url of resolved) {
      assert.ok(url.includes('/node_modules/intake-widgets/'), `${url} is inside the installed package`);
      assert.ok(existsSync(new URL(url)), `${url} exists`);
    }
  });

  test('TypeScript users get typed elements, events and options (bundler and NodeNext resolution)', () => {
    writeFileSync(join(scratch, 'src/types-check.ts'), `
      import { IntakeWidget, type IntakeAsk, type IntakeChat, type IntakeEventName, type IntakeFeedbackEvent, type IntakeForm, type IntakeRequestSubmittedEvent, type IntakeStatus, type StartChatOptions } from 'intake-widgets';
      import 'intake-widgets/define';
      const widget: IntakeWidget | null = document.querySelector('intake-widget');
      widget?.addEventListener('intake-request-submitted', (event) => {
        const reference: string = event.detail.reference;
        const typed: IntakeRequestSubmittedEvent = event;
        console.log(reference, typed.detail.service);
      });
      document.addEventListener('intake-error', (event) => console.log(event.detail.code));
      const chat = document.createElement('intake-chat');
      chat.endpoint = 'https://intake.example.gov/api/v1';
      // Every tag is in HTMLElementTagNameMap, so querySelector and createElement are typed.
      const tags: [IntakeChat | null, IntakeForm | null, IntakeStatus | null, IntakeAsk | null] = [
        document.querySelector('intake-chat'), document.querySelector('intake-form'),
        document.querySelector('intake-status'), document.querySelector('intake-ask'),
      ];
      const form = document.createElement('intake-form');
      form.service = 'bulky-waste';
      // Every event is in GlobalEventHandlersEventMap, with its detail.
      const names: IntakeEventName[] = ['intake-open', 'intake-close', 'intake-message-sent', 'intake-message-received'];
      chat.addEventListener('intake-message-sent', (event) => console.log(event.detail.clientId.length, tags, names));
      window.addEventListener('intake-feedback', (event: IntakeFeedbackEvent) => console.log(event.detail.rating + 1));
      // @ts-expect-error -- the map types the tag, so a misuse of its members is caught
      document.createElement('intake-widget').open = true;
      // @ts-expect-error -- the feedback detail has no such field
      widget?.addEventListener('intake-feedback', (event) => event.detail.nope);
      // @ts-expect-error -- position is 'bottom-end' | 'bottom-start'
      if (widget) widget.position = 'top-left';
      const options: StartChatOptions = { topic: 'Rubbish collection' };
      void widget?.startChat(options);
    `);
    for (const [module, moduleResolution] of [['ESNext', 'Bundler'], ['NodeNext', 'NodeNext']] as const) {
      writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'ES2022', module, moduleResolution, lib: ['ES2023', 'DOM', 'DOM.Iterable'], strict: true, noEmit: true, skipLibCheck: false, types: [] },
        files: ['src/types-check.ts'],
      }));
      const result = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: scratch, encoding: 'utf8' });
      assert.equal(result.status, 0, `tsc (${moduleResolution}) failed:\n${result.stdout}${result.stderr}`);
    }
  });

  async function open(path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    // Every file the page asks for must exist (the browser's own /favicon.ico aside).
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${host.url}${path}`);
    return { page, errors };
  }

  /** Opens the panel and waits for the chat composer: the lazy chunks and the catalogue loaded. */
  async function chatReady(page: Page): Promise<void> {
    await page.locator('intake-widget [part~="launcher"]').click({ timeout: 20000 });
    await page.locator('intake-widget textarea').waitFor({ state: 'visible', timeout: 20000 });
  }

  test('an app bundled by Vite from the installed package defines the tags and opens the chat', async () => {
    writeFileSync(join(scratch, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bundled</title></head>
      <body><h1>Bundled app</h1><intake-widget site="${SITE}" locale="en"></intake-widget>
      <script type="module" src="/src/main.ts"></script></body></html>`);
    writeFileSync(join(scratch, 'src/main.ts'), `
      import 'intake-widgets/define';
      import { IntakeWidget } from 'intake-widgets';
      const widget = document.querySelector('intake-widget')!;
      widget.endpoint = ${JSON.stringify(api.apiBase)};
      (window as unknown as { sameClass: Promise<boolean> }).sameClass = customElements.whenDefined('intake-widget').then(() => widget instanceof IntakeWidget);
    `);
    await build({
      configFile: false, root: scratch, base: './', logLevel: 'warn', cacheDir: join(scratch, '.vite'),
      build: { outDir: join(scratch, 'built'), emptyOutDir: true, target: 'es2022' },
    });
    const { page, errors } = await open('/built/index.html');
    await page.waitForFunction(() => customElements.get('intake-widget') !== undefined, null, { timeout: 20000 });
    await chatReady(page);
    assert.equal(await page.evaluate(() => (window as unknown as { sameClass: Promise<boolean> }).sameClass), true, 'the define entry and the main entry share one class');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the installed ES build loads unbundled from a module script (CDN style) and opens the chat', async () => {
    host.page('/es.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ES</title></head><body>
      <script type="module" src="/node_modules/intake-widgets/dist/intake-widgets.js"></script>
      <intake-widget endpoint="${api.apiBase}" site="${SITE}" locale="en"></intake-widget></body></html>`);
    const { page, errors } = await open('/es.html');
    await chatReady(page);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the installed IIFE build mounts the widget from a classic script tag and opens the chat', async () => {
    host.page('/iife.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>IIFE</title></head><body>
      <script src="/node_modules/intake-widgets/dist/intake-widgets.iife.js" data-endpoint="${api.apiBase}" data-site="${SITE}" data-locale="en" async></script>
      </body></html>`);
    const { page, errors } = await open('/iife.html');
    await chatReady(page);
    assert.equal(await page.evaluate(() => typeof (window as unknown as { IntakeWidgets?: { open?: unknown } }).IntakeWidgets?.open), 'function');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
