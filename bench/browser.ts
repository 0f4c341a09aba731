/**
 * The Chromium benchmarks (playwright-core driving the system Chromium with the test flags):
 * host-page impact, click → panel interactive, a long conversation, open/close memory.
 */
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../test/helpers/browsers.mjs';
import { startStaticServer, type StaticServer } from '../test/helpers/static-server.js';
import { benchPage, hostVariant, type HostVariant } from './pages.js';
import { median, percentile, ratio, round } from './stats.js';

const SITE = 'riverside/xinhua/garden';
const KEY_BUDGET_MS = Number(process.env.BENCH_KEY_BUDGET_MS ?? 90_000);

/** A device profile: CPU slowdown through CDP and a viewport. */
export interface Profile {
  name: 'phone' | 'desktop';
  cpuSlowdown: number;
  viewport: { width: number; height: number };
}

export const PHONE: Profile = { name: 'phone', cpuSlowdown: 4, viewport: { width: 412, height: 915 } };
export const DESKTOP: Profile = { name: 'desktop', cpuSlowdown: 1, viewport: { width: 1280, height: 800 } };

const bundle = async (entry: string): Promise<string> => {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'iife', target: 'es2022', write: false, logLevel: 'silent' });
  return out.outputFiles[0]!.text;
};

export class BenchBrowser {
  private constructor(
    readonly browser: Browser,
    readonly files: StaticServer,
    private readonly observers: string,
    private readonly probes: string,
    readonly api: string,
  ) {}

  static async start(distDir: string, api: string): Promise<BenchBrowser> {
    const path = chromiumPath();
    if (!path) throw new Error('Chromium not found: install Debian package chromium or set CHROME_PATH');
    const [observers, probes] = await Promise.all([bundle('bench/browser/observers.ts'), bundle('bench/browser/probes.ts')]);
    const files = await startStaticServer(distDir);
    // --expose-gc: window.gc() as a second way to collect garbage besides CDP.
    const browser = await chromium.launch({ executablePath: path, args: [...chromiumArgs, '--js-flags=--expose-gc'] });
    return new BenchBrowser(browser, files, observers, probes, api);
  }

  get version(): string {
    return this.browser.version();
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.files.close();
  }

  /** A fresh context (empty cache) and page with the profile's viewport and CPU slowdown. */
  async open(profile: Profile, script: 'observers' | 'probes'): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
    const context = await this.browser.newContext({ viewport: profile.viewport, deviceScaleFactor: 1 });
    await context.addInitScript({ content: script === 'observers' ? this.observers : this.probes });
    const page = await context.newPage();
    page.on('pageerror', (error) => process.stderr.write(`[bench] page error: ${error.message}\n`));
    page.on('console', (message) => {
      if (message.type() === 'error') process.stderr.write(`[bench] console error: ${message.text()}\n`);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
    return { context, page, cdp };
  }

  /* ------------------------------------------------------------- host-page impact */

  async hostImpact(rounds: number, settleMs = 4000): Promise<HostImpact> {
    const variants: HostVariant[] = ['plain', 'classic', 'module'];
    for (const v of variants) this.files.page(`/host-${v}.html`, hostVariant(v, this.api, SITE));
    const runs: Record<HostVariant, LoadFigures[]> = { plain: [], classic: [], module: [] };
    for (let r = 0; r < rounds; r++) {
      // Alternate the order each round so no variant always runs first or last.
      const order = variants.map((_, i) => variants[(i + r) % variants.length]!);
      for (const variant of order) {
        const { context, page, cdp } = await this.open(PHONE, 'observers');
        await cdp.send('Performance.enable');
        await page.goto(`${this.files.url}/host-${variant}.html`, { waitUntil: 'load' });
        // The widget mounts after load, when the browser is idle (≤ 1.5 s): wait well past that.
        await page.waitForTimeout(settleMs);
        const figures = (await page.evaluate('window.__impact()')) as Omit<LoadFigures, 'taskTime' | 'scriptTime'>;
        const metrics = (await cdp.send('Performance.getMetrics')).metrics;
        const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
        if (variant !== 'plain' && !figures.launcher) throw new Error(`host-page run (${variant}): the launcher never appeared`);
        runs[variant].push({ ...figures, taskTime: metric('TaskDuration'), scriptTime: metric('ScriptDuration') });
        await context.close();
      }
    }
    const keys = ['longTaskTotal', 'blockingTime', 'layoutShift', 'lcp', 'fcp', 'taskTime', 'scriptTime'] as const;
    const summary = {} as HostImpact['summary'];
    for (const variant of ['classic', 'module'] as const) {
      summary[variant] = {} as HostImpact['summary']['classic'];
      for (const key of keys) {
        const plain = median(runs.plain.map((x) => x[key]));
        const withWidget = median(runs[variant].map((x) => x[key]));
        // Difference: the median of the per-round differences (each round is one plain load and one widget load).
        const diffs = runs[variant].map((x, i) => x[key] - runs.plain[i]![key]);
        summary[variant][key] = { plain, widget: withWidget, difference: median(diffs), ratio: ratio(withWidget, plain) };
      }
    }
    return { rounds, profile: PHONE, settleMs, runs, summary };
  }

  /* ------------------------------------------------------------- click → interactive */

  async clickToInteractive(profile: Profile, repeats: number): Promise<ClickFigures> {
    this.files.page('/click.html', benchPage({ api: this.api, site: SITE }, 'zh-CN'));
    const cold: Timing[] = [];
    const warm: Timing[] = [];
    const plain: Timing[] = [];
    const chunks: ClickFigures['chunks'] = [];
    for (let i = 0; i < repeats; i++) {
      // A fresh context each time: an empty HTTP cache, so the first open fetches every chunk.
      const { context, page, cdp } = await this.open(profile, 'probes');
      const scripts: { url: string; at: number; cached: boolean }[] = [];
      await cdp.send('Network.enable');
      cdp.on('Network.responseReceived', (event) => {
        if (event.type !== 'Script') return;
        const r = event.response;
        scripts.push({ url: r.url, at: Date.now(), cached: Boolean(r.fromDiskCache || r.fromPrefetchCache || r.fromServiceWorker || r.fromEarlyHints) });
      });
      await page.goto(`${this.files.url}/click.html`, { waitUntil: 'load' });
      await page.evaluate('window.__bench.widgetReady()');
      await page.waitForTimeout(500);
      plain.push(await this.pointerClick(page, profile, 'plain'));
      const beforeIntent = scripts.length;
      cold.push(await this.pointerClick(page, profile, 'widget'));
      const onIntent = scripts.slice(beforeIntent);
      chunks.push({ beforeIntent, onIntent: onIntent.length, fromCache: scripts.filter((s) => s.cached).length });
      await page.evaluate('window.__bench.closeWidget()');
      // Off the launcher, so the next arrival is a new hover.
      await page.mouse.move(1, 1);
      await page.waitForTimeout(300);
      warm.push(await this.pointerClick(page, profile, 'widget'));
      await context.close();
    }
    const sum = (list: Timing[]) => ({
      openEvent: median(list.map((t) => t.openEvent)),
      focused: median(list.map((t) => t.focused)),
      painted: median(list.map((t) => t.painted)),
      fromDown: median(list.map((t) => t.fromDown)),
      fromArrival: median(list.map((t) => t.fromArrival)),
      ratio: ratio(median(list.map((t) => t.painted)), median(plain.map((p) => p.painted))),
    });
    const base = sum(plain);
    return {
      profile,
      repeats,
      input: CLICK_INPUT[profile.name],
      cold: sum(cold),
      warm: sum(warm),
      baseline: { focused: base.focused, painted: base.painted, fromDown: base.fromDown },
      chunks,
      runs: { cold, warm, plain },
    };
  }

  /**
   * A resident's click with real input: the pointer moves onto the target (pointerover/enter, the
   * launcher's hover intent), rests there `dwellMs`, is pressed for `pressMs`, released (click).
   */
  private async pointerClick(page: Page, profile: Profile, target: 'widget' | 'plain'): Promise<Timing> {
    const { dwellMs, pressMs } = CLICK_INPUT[profile.name];
    const at = (await page.evaluate(`window.__bench.armClick(${JSON.stringify(target)})`)) as { x: number; y: number };
    await page.mouse.move(at.x, at.y);
    if (dwellMs) await page.waitForTimeout(dwellMs);
    await page.mouse.down();
    await page.waitForTimeout(pressMs);
    await page.mouse.up();
    return (await page.evaluate('window.__bench.clickResult()')) as Timing;
  }

  /* ------------------------------------------------------------- long conversation */

  async conversation(profile: Profile, options: { size: number; small: number; repeats: number; keys: number }): Promise<ConversationFigures> {
    this.files.page('/conversation.html', benchPage(null));
    const big: number[] = [];
    const small: number[] = [];
    let rendered = 0;
    let keys: ConversationFigures['keystrokes'] | undefined;
    for (let i = 0; i < options.repeats; i++) {
      const { context, page } = await this.open(profile, 'probes');
      await page.goto(`${this.files.url}/conversation.html`, { waitUntil: 'load' });
      const typing = i === 0;
      let plainKeys: KeyTiming[] = [];
      if (typing) {
        await page.evaluate('window.__bench.focusPlainTextarea()');
        plainKeys = await this.type(page, options.keys);
      }
      // Warm-up: loads every chunk and the locale, so the figures below are rendering only.
      await page.evaluate('window.__bench.mountConversation(0)');
      await page.evaluate('window.__bench.openConversation(0)');
      await page.evaluate(`window.__bench.mountConversation(${options.small})`);
      small.push(((await page.evaluate(`window.__bench.openConversation(${options.small})`)) as OpenTiming).painted);
      let smallKeys: KeyTiming[] = [];
      if (typing) {
        await page.evaluate('window.__bench.focusComposer()');
        smallKeys = await this.type(page, options.keys);
      }
      await page.evaluate(`window.__bench.mountConversation(${options.size})`);
      const open = (await page.evaluate(`window.__bench.openConversation(${options.size})`)) as OpenTiming;
      big.push(open.painted);
      rendered = open.rendered;
      if (typing) {
        if (!(await page.evaluate('window.__bench.focusComposer()'))) throw new Error('could not focus the composer of the long conversation');
        const bigKeys = await this.type(page, options.keys);
        const sum = (list: KeyTiming[]) => ({
          median: median(list.map((k) => k.toPainted)),
          p95: percentile(list.map((k) => k.toPainted), 95),
          medianToFrame: median(list.map((k) => k.toFrame)),
        });
        const plainSum = sum(plainKeys);
        const smallSum = sum(smallKeys);
        const bigSum = sum(bigKeys);
        keys = {
          count: options.keys,
          measured: bigKeys.length,
          plainTextarea: plainSum,
          small: { ...smallSum, ratio: ratio(smallSum.median, plainSum.median) },
          large: { ...bigSum, ratio: ratio(bigSum.median, plainSum.median), p95Ratio: ratio(bigSum.p95, plainSum.p95) },
        };
      }
      await context.close();
    }
    const openBig = median(big);
    const openSmall = median(small);
    return {
      profile,
      size: options.size,
      small: options.small,
      rendered,
      open: { median: openBig, runs: big, baseline: openSmall, baselineRuns: small, ratio: ratio(openBig, openSmall) },
      keystrokes: keys!,
    };
  }

  /**
   * Presses `count` letter keys one by one, each after the previous one's frame was measured.
   * When keys are so slow that the series would run past KEY_BUDGET_MS, it stops after at least
   * 10 keys (the report shows how many were measured).
   */
  private async type(page: Page, count: number): Promise<KeyTiming[]> {
    await page.evaluate('window.__bench.startKeyProbe()');
    const letters = 'the bins were not emptied again ';
    const started = Date.now();
    for (let k = 0; k < count; k++) {
      if (k >= 10 && Date.now() - started > KEY_BUDGET_MS) break;
      const letter = letters[k % letters.length]!;
      await page.keyboard.press(letter === ' ' ? 'Space' : letter);
      await page.waitForFunction(`window.__bench.keyCount() >= ${k + 1}`, undefined, { polling: 'raf', timeout: 60_000 });
      await page.waitForTimeout(30);
    }
    return (await page.evaluate('window.__bench.stopKeyProbe()')) as KeyTiming[];
  }

  /* ------------------------------------------------------------- memory */

  async memory(profile: Profile, cycles: number): Promise<MemoryFigures> {
    this.files.page('/memory.html', benchPage({ api: this.api, site: SITE }));
    const { context, page, cdp } = await this.open(profile, 'probes');
    await page.goto(`${this.files.url}/memory.html`, { waitUntil: 'load' });
    await page.evaluate('window.__bench.widgetReady()');
    const heap = async () => {
      for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / (1024 * 1024);
    };
    const listeners = async () => {
      const count = async (expression: string) => {
        const { result } = await cdp.send('Runtime.evaluate', { expression });
        const { listeners: list } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId!, depth: 0 });
        await cdp.send('Runtime.releaseObject', { objectId: result.objectId! });
        return { scroll: list.filter((l) => l.type === 'scroll').length, resize: list.filter((l) => l.type === 'resize').length, total: list.length };
      };
      return { window: await count('window'), document: await count('document') };
    };
    // Warm-up: one cycle loads the panel, views, client and locale; one idle pass settles timers.
    await page.evaluate('window.__bench.cycles(2)');
    await page.waitForTimeout(1000);
    const beforeListeners = await listeners();
    // Noise floor: the same wait and GC with no cycles.
    const idleStart = await heap();
    await page.evaluate(`window.__bench.idleFrames(${cycles})`);
    const idleEnd = await heap();
    await page.evaluate('window.__bench.widgetReady()');
    await page.evaluate('document.querySelector("intake-widget").open()');
    await page.waitForTimeout(300);
    const openListeners = await listeners();
    const positioningWhileOpen = (await page.evaluate('window.__bench.positioning()')) as boolean;
    await page.evaluate('window.__bench.closeWidget()');
    const start = await heap();
    const t0 = Date.now();
    await page.evaluate(`window.__bench.cycles(${cycles})`);
    const cycleMs = Date.now() - t0;
    await page.waitForTimeout(1000);
    const end = await heap();
    const afterListeners = await listeners();
    const positioningAfterClose = (await page.evaluate('window.__bench.positioning()')) as boolean;
    await context.close();
    return {
      profile,
      cycles,
      cycleMs: round(cycleMs / cycles, 1),
      heapStartMB: round(start, 3),
      heapEndMB: round(end, 3),
      growthMB: round(end - start, 3),
      noiseFloorMB: round(idleEnd - idleStart, 3),
      listeners: { closed: beforeListeners, open: openListeners, afterCycles: afterListeners },
      autoUpdate: { whileOpen: positioningWhileOpen, afterClose: positioningAfterClose },
    };
  }
}

interface Timing {
  /** From the click event (pointerup). */
  openEvent: number;
  focused: number;
  painted: number;
  /** Next frame, from pointerdown. */
  fromDown: number;
  /** Next frame, from the pointer's arrival on the target. */
  fromArrival: number;
  pressMs: number;
}

/**
 * How the bench clicks: desktop, the pointer rests on the launcher 200 ms before the press (the
 * last approach of a mouse, when hover intent starts the chunks); phone, a tap (over and down at
 * once, no hover). Both pressed 80 ms, about a resident's press.
 */
export const CLICK_INPUT: Record<Profile['name'], { dwellMs: number; pressMs: number }> = {
  phone: { dwellMs: 0, pressMs: 80 },
  desktop: { dwellMs: 200, pressMs: 80 },
};

interface OpenTiming {
  lastRendered: number;
  painted: number;
  rendered: number;
}

interface KeyTiming {
  toFrame: number;
  toPainted: number;
}

export interface LoadFigures {
  longTaskCount: number;
  longTaskTotal: number;
  blockingTime: number;
  layoutShift: number;
  shifts: number;
  lcp: number;
  fcp: number;
  launcher: boolean;
  taskTime: number;
  scriptTime: number;
}

export interface Compared {
  plain: number;
  widget: number;
  difference: number;
  ratio: number | null;
}

export interface HostImpact {
  rounds: number;
  profile: Profile;
  settleMs: number;
  runs: Record<HostVariant, LoadFigures[]>;
  summary: Record<'classic' | 'module', Record<'longTaskTotal' | 'blockingTime' | 'layoutShift' | 'lcp' | 'fcp' | 'taskTime' | 'scriptTime', Compared>>;
}

export interface ClickFigures {
  profile: Profile;
  repeats: number;
  /** How the pointer click was made (see CLICK_INPUT). */
  input: { dwellMs: number; pressMs: number };
  cold: ClickSummary;
  warm: ClickSummary;
  /** The same real click on a plain button that shows a textarea. */
  baseline: { focused: number; painted: number; fromDown: number };
  /** Per cold page: scripts loaded before intent, on intent, and any served from the HTTP cache (must be 0: cold). */
  chunks: { beforeIntent: number; onIntent: number; fromCache: number }[];
  runs: { cold: Timing[]; warm: Timing[]; plain: Timing[] };
}

/** Medians over the pages; times from the click event unless named otherwise. */
export interface ClickSummary {
  openEvent: number;
  focused: number;
  painted: number;
  fromDown: number;
  fromArrival: number;
  ratio: number | null;
}

export interface ConversationFigures {
  profile: Profile;
  size: number;
  small: number;
  rendered: number;
  open: { median: number; runs: number[]; baseline: number; baselineRuns: number[]; ratio: number | null };
  keystrokes: {
    count: number;
    /** Keys measured in the long conversation (fewer than `count` when each took seconds). */
    measured: number;
    plainTextarea: { median: number; p95: number; medianToFrame: number };
    small: { median: number; p95: number; medianToFrame: number; ratio: number | null };
    large: { median: number; p95: number; medianToFrame: number; ratio: number | null; p95Ratio: number | null };
  };
}

export interface MemoryFigures {
  profile: Profile;
  cycles: number;
  cycleMs: number;
  heapStartMB: number;
  heapEndMB: number;
  growthMB: number;
  noiseFloorMB: number;
  listeners: Record<'closed' | 'open' | 'afterCycles', Record<'window' | 'document', { scroll: number; resize: number; total: number }>>;
  autoUpdate: { whileOpen: boolean; afterClose: boolean };
}
