// Unit and component tests in real browsers: Chromium (with coverage), Firefox and WebKit.
// BROWSERS=chromium,firefox,webkit picks engines (scripts/test.mjs sets it per run).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { defaultReporter } from '@web/test-runner';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromiumPath, chromiumArgs, firefoxPath, webkitDriverPath, miniBrowserPath } from './test/helpers/browsers.mjs';
import { summaryReporter } from './test/helpers/summary-reporter.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const wanted = (process.env.BROWSERS ?? 'chromium').split(',').map((s) => s.trim()).filter(Boolean);

// Test helpers may add middleware and plugins (fake backends, the reference server).
const extra = existsSync(`${here}test/helpers/wtr-plugins.mjs`)
  ? await import('./test/helpers/wtr-plugins.mjs')
  : { plugins: [], middleware: [] };

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPort(port, timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not listen on ${port}`);
}

const browsers = [];
if (wanted.includes('chromium')) {
  browsers.push(chromeLauncher({ launchOptions: { executablePath: chromiumPath(), headless: true, args: chromiumArgs } }));
}
if (wanted.includes('firefox')) {
  browsers.push(puppeteerLauncher({
    launchOptions: { browser: 'firefox', executablePath: firefoxPath(), headless: true },
  }));
}
if (wanted.includes('webkit')) {
  const port = await freePort();
  const driver = spawn(webkitDriverPath(), [`--port=${port}`], { stdio: 'ignore' });
  process.on('exit', () => driver.kill());
  await waitForPort(port);
  browsers.push(webdriverLauncher({
    hostname: '127.0.0.1',
    port,
    path: '/',
    logLevel: 'error',
    capabilities: {
      browserName: 'MiniBrowser',
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': { binary: miniBrowserPath(), args: ['--automation'] },
    },
  }));
}

const coverage = wanted.length === 1 && wanted[0] === 'chromium' && process.env.COVERAGE !== '0';

export default {
  rootDir: here,
  files: ['test/**/*.test.ts', '!test/server/**', '!test/node/**', '!test/e2e/**'],
  nodeResolve: true,
  browsers,
  // One file at a time in every engine. WebDriver runs concurrent files in iframes, where its key
  // presses cannot reach; Firefox runs them in tabs and only the front tab gets keyboard focus;
  // Chromium's back tab is a hidden document, where no frame is rendered and ResizeObserver never
  // fires (the chat's resize test failed whenever its file ran beside another).
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 10 * 60 * 1000,
  browserStartTimeout: 60000,
  testFramework: { config: { timeout: 20000 } },
  coverage,
  coverageConfig: {
    include: ['src/**/*.ts'],
    exclude: ['src/i18n/locales/**'],
    report: true,
    reportDir: 'coverage',
    threshold: { statements: 70, branches: 60, functions: 60, lines: 70 },
  },
  middleware: [
    // Nothing the test server sends may be kept by a browser: an engine's cache once served a
    // test file as it was before a change (WebKit ran an old keys test in a later run).
    async (ctx, next) => {
      await next();
      ctx.set('Cache-Control', 'no-store');
    },
    ...(extra.middleware ?? []),
  ],
  plugins: [
    ...(extra.plugins ?? []),
    esbuildPlugin({ ts: true, json: true, tsconfig: `${here}tsconfig.json`, target: 'es2022' }),
  ],
  reporters: [defaultReporter(), summaryReporter({ label: wanted.join('+') })],
};
