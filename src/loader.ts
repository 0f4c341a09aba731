/**
 * The classic script tag (dist/intake-widgets.iife.js): a loader of a few hundred bytes. It finds
 * its own `<script>` tag and the folder it came from, keeps `window.IntakeWidgets` a queue until
 * the API arrives, and loads the ES build's chunks from beside itself — first the embed chunk
 * (the API over the tag) and the launcher, then, on intent, only what the widget imports: the
 * panel, the active locale, the Open311 adapter only for `transport="open311"`.
 *
 * Integrity: the loader carries the sha384 of each piece it loads before intent and of one small
 * table module (chunks/pieces-*.js) with the sha384 of every other chunk (scripts/build.mjs writes
 * them in at build time; the table is loaded, checked, on intent), so a page that pins the loader
 * with `integrity` has every further piece pinned
 * too (an unpinned loader loads the same pieces without their hashes). Each piece and its
 * static imports are fetched as `<link rel="modulepreload" integrity>`
 * (checked by the browser, allowed by a `script-src 'self'` policy, no inline script, no blob:,
 * no Trusted Types sink) and imported only once every one of them has loaded; a piece that fails
 * its hash is refused by the browser, its import never runs, and the console says which one.
 * The chunks' own dynamic imports ask this loader first through `Symbol.for('intake-widgets.load')`
 * (vite.config.ts rewrites them), so the pieces loaded on intent are checked the same way.
 */
/** [file under dist/, sha384, indexes (in the whole list) of the chunks it imports statically]. */
type Piece = [string, string, number[]];
interface Chunks {
  /** Index in `f` of the chunk with the embed API (src/embed.ts), and the name its `install` has there. */
  e: number;
  x: string;
  /** The pieces loaded before intent (the embed chunk and its static imports), first in the whole list. */
  f: Piece[];
  /**
   * The table of every other piece: [file, sha384] of a small module (chunks/pieces-*.js, written
   * by scripts/build.mjs) whose default export is the rest of the list. Loaded, with its hash, the
   * first time a chunk outside `f` is asked for (on intent).
   */
  t: [string, string];
}
declare const __INTAKE_CHUNKS__: Chunks;

type Load = (url: string) => Promise<void> | undefined;
const KEY = Symbol.for('intake-widgets.load');
const hooks = globalThis as unknown as Record<symbol, Load | undefined>;
const log = (message: string) => console.error(`[intake-widgets] ${message}`);

// Outside a browser (a server-side render importing the package, a test runner): nothing to load.
const browser = typeof document !== 'undefined' && typeof navigator !== 'undefined';
/** WebKit, in every browser on iOS too (Chromium's and Firefox's engines say Chrom… or Firefox). */
const webkit = browser && /AppleWebKit/.test(navigator.userAgent) && !/Chrom|Firefox/.test(navigator.userAgent);
const current = browser ? document.currentScript : null;
const script = !browser
  ? null
  : current instanceof HTMLScriptElement
    ? current
    : document.querySelector<HTMLScriptElement>('script[data-endpoint][src*="intake-widgets"], script[data-site][src*="intake-widgets"]');

if (script?.src) {
  const { e, x, f, t } = __INTAKE_CHUNKS__;
  // Pinned with `integrity`: every piece is checked too. Unpinned (a page that trusts whatever the
  // server sends, or a dev server that rewrites the files it serves, as the demo's Vite does), the
  // pieces load the same way without a hash.
  const pinned = script.integrity !== '';
  const base = new URL('.', script.src).href;
  const loading = new Map<string, Promise<void>>();

  const preload = ([file, integrity, deps]: Piece): Promise<void> => {
    let done = loading.get(file);
    if (!done) {
      const url = base + file;
      const refused = () => new Error(`refused ${url}: it failed to load or does not match its integrity hash ${integrity} (dist/integrity.json); nothing from it runs`);
      // Dependencies first: each URL enters the module map through its own checked link.
      const before = deps.map((i) => preload(f[i]!));
      // WebKit loads a modulepreload whose hash is wrong (test/components/loader.test.ts): there
      // the file is fetched with its hash first (fetch() checks it), the link then finds it cached.
      const checked = webkit && pinned
        ? fetch(url, { integrity, credentials: script.crossOrigin === 'use-credentials' ? 'include' : 'same-origin' }).then((r) => {
            if (!r.ok) throw refused();
          }, () => Promise.reject(refused()))
        : Promise.resolve();
      done = Promise.all([
        ...before,
        checked.then(
          () =>
            new Promise<void>((resolve, reject) => {
              const link = document.createElement('link');
              link.onload = () => resolve();
              link.onerror = () => reject(refused());
              link.rel = 'modulepreload';
              link.href = url;
              if (pinned) link.integrity = integrity;
              if (script.crossOrigin !== null) link.crossOrigin = script.crossOrigin;
              if (script.nonce) link.nonce = script.nonce;
              document.head.append(link);
            }),
        ),
      ]).then(() => undefined);
      done.catch((error: Error) => log(error.message));
      loading.set(file, done);
    }
    return done;
  };
  // A template literal: a dev server that rewrites imports (the demo's Vite) leaves it as it is.
  const load = <T>(file: string) => import(/* @vite-ignore */ `${base}${file}`) as Promise<T>;
  let table: Promise<unknown> | undefined;
  const find = (url: string) => f.find(([file]) => base + file === url);

  const previous = hooks[KEY];
  hooks[KEY] = (url) => {
    // Not beside this loader: another copy's (or none).
    if (!url.startsWith(base + 'chunks/')) return previous?.(url);
    const piece = find(url);
    if (piece) return preload(piece);
    table ??= preload([t[0], t[1], []]).then(() => load<{ default: Piece[] }>(t[0])).then((rest) => f.push(...rest.default));
    return table.then(() => {
      const more = find(url);
      // Beside this loader but not among its pieces: not this build's, so not run.
      if (!more) throw new Error(`refused ${url}: not a piece of this build`);
      return preload(more);
    });
  };

  const w = window as { IntakeWidgets?: unknown };
  w.IntakeWidgets ??= [];
  preload(f[e]!)
    .then(() => load<Record<string, typeof import('./embed.js').install>>(f[e]![0]))
    .then((api) => api[x]!(script))
    .catch((error: unknown) => log(`not loaded: ${String(error)}`));
}
