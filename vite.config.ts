/**
 * Library builds. One source, two outputs (scripts/build.mjs runs both):
 * - `es`:   dist/intake-widgets.js, code-split: the launcher first, views/client/locales as lazy chunks;
 * - `iife`: dist/intake-widgets.iife.js, one self-contained file for a classic <script> tag.
 * Decorators are legacy (`experimentalDecorators` in tsconfig.json), which Vite's transform lowers.
 */
import { defineConfig, type Plugin, type UserConfig } from 'vite';

// Squeezes the whitespace out of Lit's css`` and html`` templates in src/ (the minifier leaves
// template literals alone). CSS: comments dropped, whitespace collapsed and removed around
// { } ; , > and after ':'. HTML: whitespace runs with a line break become one space.
// Expressions inside ${…} are kept as they are (their own templates are squeezed too).
const TAG = /(?:^|[^\w$.])(css|html|svg)`$/;

function minifyCss(text: string): string {
  // Quoted strings (content: ', ') are kept as written; only the text between them is squeezed.
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/)
    .map((piece, i) =>
      i % 2
        ? piece
        : piece
            .replace(/\s+/g, ' ')
            .replace(/\s*([{};,>])\s*/g, '$1')
            .replace(/:\s+/g, ':')
            .replace(/;}/g, '}'),
    )
    .join('');
}

function minifyHtml(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Scans JS from `i` until `stop` (a closing `}` at depth 0, or the end); returns [out, index]. */
function scanCode(code: string, i: number, stopAtBrace: boolean): [string, number] {
  let out = '';
  let depth = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i);
      const stop = end < 0 ? code.length : end;
      out += code.slice(i, stop);
      i = stop;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end < 0 ? code.length : end + 2;
      out += code.slice(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < code.length && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
      out += code.slice(i, j + 1);
      i = j + 1;
    } else if (c === '`') {
      const kind = TAG.exec(code.slice(Math.max(0, i - 6), i + 1))?.[1];
      const [text, end] = scanTemplate(code, i + 1, kind);
      out += '`' + text;
      i = end;
    } else if (c === '{') {
      depth++;
      out += c;
      i++;
    } else if (c === '}') {
      if (stopAtBrace && depth === 0) return [out, i];
      depth--;
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return [out, i];
}

/** Scans a template literal body from `i` (after the backtick); returns [text with closing `, index after]. */
function scanTemplate(code: string, i: number, kind: string | undefined): [string, number] {
  let out = '';
  let part = '';
  const flush = () => {
    out += kind === 'css' ? minifyCss(part) : kind === 'html' || kind === 'svg' ? minifyHtml(part) : part;
    part = '';
  };
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') {
      part += code.slice(i, i + 2);
      i += 2;
    } else if (c === '`') {
      flush();
      return [out + '`', i + 1];
    } else if (c === '$' && code[i + 1] === '{') {
      flush();
      const [expr, end] = scanCode(code, i + 2, true);
      out += '${' + expr + '}';
      i = end + 1;
    } else {
      part += c;
      i++;
    }
  }
  throw new Error('unterminated template literal');
}

function minifyTemplates(): Plugin {
  return {
    name: 'intake-minify-templates',
    enforce: 'pre' as const,
    transform(code: string, id: string) {
      if (!/\/src\/.*\.ts$/.test(id) || !/(css|html|svg)`/.test(code)) return null;
      return { code: scanCode(code, 0, false)[0], map: null };
    },
  };
}

/**
 * Lit's published production modules, edited at build time (exact text of lit 3.3.3, lit-html
 * 3.3.3, @lit/reactive-element 2.1.2; the build fails if a Lit upgrade changes it):
 * - a guest adds no globals: Lit pushes its version onto `litHtmlVersions`,
 *   `reactiveElementVersions` and `litElementVersions` (read only by Lit's dev-mode "several
 *   copies" warning) and sets `litPropertyMetadata` (read only by standard decorators; ours are
 *   legacy, so a module-local map serves `finalize()`);
 * - importing on a server (SSR, Node) neither throws nor touches a DOM: the element base and the
 *   template walker are created only where `HTMLElement` and `document` exist.
 */
const LIT_EDITS: Record<string, [string, string][]> = {
  '@lit/reactive-element/reactive-element.js': [
    ['a.litPropertyMetadata??=new WeakMap;', 'litMetadata=new WeakMap;'],
    ['litPropertyMetadata.get(t)', 'litMetadata.get(t)'],
    ['class y extends HTMLElement{', 'class y extends(a.HTMLElement??class{}){'],
    [',(a.reactiveElementVersions??=[]).push("2.1.2");', ';'],
  ],
  'lit-html/lit-html.js': [
    ['l=document,', 'l=t.document??{createTreeWalker(){return{}}},'],
    [',(t.litHtmlVersions??=[]).push("3.3.3");', ';'],
  ],
  'lit-element/lit-element.js': [['(s.litElementVersions??=[]).push("4.2.2");', '']],
};

function politeLit(): Plugin {
  return {
    name: 'intake-polite-lit',
    enforce: 'pre' as const,
    transform(code: string, id: string) {
      const file = Object.keys(LIT_EDITS).find((name) => id.replaceAll('\\', '/').endsWith(`/node_modules/${name}`));
      if (!file) return null;
      let out = file.startsWith('@lit/reactive-element') ? `let litMetadata;${code}` : code;
      for (const [from, to] of LIT_EDITS[file]!) {
        if (!out.includes(from)) throw new Error(`intake-polite-lit: ${file} no longer contains ${from} (was Lit upgraded?)`);
        out = out.replace(from, to);
      }
      return { code: out, map: null };
    },
  };
}

/**
 * The ES chunks' dynamic imports ask the classic loader (src/loader.ts) first, when one is on the
 * page: `import(\`./x.js\`)` becomes a call of the hook the loader registers under
 * `Symbol.for('intake-widgets.load')` (a symbol: no window property), which preloads `x.js` and its
 * static imports with their integrity hashes and settles once they are verified; a refused piece
 * rejects, and the import never runs. Without a loader (the ES module path) the import runs as before.
 */
function loaderHook(): Plugin {
  return {
    name: 'intake-loader-hook',
    renderChunk(code: string) {
      const out = code.replace(/\bimport\((["'`])(\.\/[^"'`]+\.js)\1\)/g, (_m, _q: string, spec: string) =>
        `(globalThis[Symbol.for("intake-widgets.load")]?.(new URL(\`${spec}\`,import.meta.url).href)??Promise.resolve()).then(()=>import(\`${spec}\`))`);
      return out === code ? null : { code: out, map: null };
    },
  };
}

const format = (process.env.INTAKE_BUILD ?? 'es') as 'es' | 'iife';
// INTAKE_OUT_DIR: build somewhere else than dist/ (size experiments on a shared checkout).
const outDir = process.env.INTAKE_OUT_DIR ?? 'dist';

const shared: UserConfig = {
  publicDir: false,
  // INTAKE_MINIFY_TEMPLATES=0 leaves the templates as written (to compare when a build misbehaves).
  plugins: process.env.INTAKE_MINIFY_TEMPLATES === '0' ? [politeLit()] : [politeLit(), minifyTemplates()],
  logLevel: 'warn',
  define: {
    // Lit's dev-mode warnings are for developers of this library, not for residents' browsers.
    'process.env.NODE_ENV': JSON.stringify('production'),
  },
  resolve: { conditions: ['production', 'browser', 'module', 'import', 'default'] },
};

/**
 * Chunks by when they load, not by module. Each chunk is compressed on its own, so many small
 * chunks cost more than a few large ones (the views share Lit's templates, the same CSS words and
 * the same client calls). A group takes the modules it matches and what they import that no group
 * of higher priority took, so the order matters:
 * - the launcher: all a page loads before the resident shows intent;
 * - Lit, floating-ui and the translator: what `<intake-ask>` shares with the panel;
 * - the panel: views, client, protocol schemas — all loaded together when the panel opens.
 * Locales, the Open311 adapter, `<intake-ask>` (which needs only the launcher and the shared
 * chunk) and the script-tag config reader (only index.js exports it) stay chunks of their own.
 * Measured (brotli): everything 86.4 KB in 22 chunks → 77.5 KB in 12. The price: a page with only
 * an inline `<intake-chat>` now loads the whole panel chunk (all views and the client, about
 * 76 KB instead of about 59 KB with views and client in chunks of their own); the widget, which
 * loads all views on intent anyway, is the common case and the one the budgets measure.
 */
const LAUNCHER = /[\\/]src[\\/](define\.ts|attributes\.ts|events[\\/]|styles[\\/]|themes[\\/]|i18n[\\/]locale\.ts|components[\\/]widget[\\/]widget\.(component|styles)\.ts|components[\\/]shared[\\/](define|page-ready|known-flag|session-state)\.ts)/;
const SHARED = /[\\/]node_modules[\\/](lit|lit-html|lit-element|@lit[\\/]reactive-element|@floating-ui[\\/][^\\/]+|i18next)[\\/]|[\\/]src[\\/](controllers[\\/](floating|localize)\.ts|i18n[\\/]i18n\.ts)/;
/** Bundler helpers (the legacy-decorator `__decorate`), which every Lit view uses. */
const HELPER = /^\0(?!rolldown[\\/]runtime)/;
/** Not in the panel: locales, the Open311 adapter, `<intake-ask>` and the script-tag config reader (index.js only). */
const OWN_CHUNK = /[\\/]src[\\/](i18n[\\/]locales[\\/]|client[\\/]transports[\\/]open311(?:-[a-z]+)?\.ts|components[\\/]ask[\\/]|config\.ts|embed\.ts)/;
/** The client with its schemas and storage, and what warms it at intent (before the views arrive). */
const CLIENT = /[\\/]src[\\/](client[\\/]|components[\\/]shared[\\/](client-registry|view-client|request-notice)\.ts|components[\\/]widget[\\/]widget-warm\.ts)|[\\/]node_modules[\\/](valibot|idb)[\\/]/;
/** The form and My requests, and what only they use: loaded when their tab opens (or an inline one is on the page). */
const FORM = /[\\/]src[\\/]components[\\/](form[\\/]|shared[\\/](controls\.styles|errors)\.ts)/;
const STATUS = /[\\/]src[\\/]components[\\/]status[\\/]/;
/** The entry modules: a group that took one would take all it imports (index.ts exports every view). */
const ENTRY = /[\\/]src[\\/]index\.ts$/;
const inPanel = (id: string) => !OWN_CHUNK.test(id) && !LAUNCHER.test(id) && !SHARED.test(id) && !HELPER.test(id);
const SPLIT = process.env.INTAKE_SPLIT ?? 'views';
const CHUNK_GROUPS = [
  { name: 'ask', priority: 2, test: /[\\/]src[\\/]components[\\/]ask[\\/]/ },
  // The script-tag config reader and the classic tag's API (src/embed.ts, which the loader imports first).
  { name: 'config', priority: 2, test: /[\\/]src[\\/](config|embed)\.ts$/ },
  { name: 'launcher', priority: 6, test: LAUNCHER },
  { name: 'shared', priority: 5, test: (id: string) => (SHARED.test(id) || HELPER.test(id)) && !LAUNCHER.test(id) },
  ...(SPLIT === 'views' || SPLIT === 'viewsonly'
    ? [{ name: 'views', priority: 2, test: (id: string) => inPanel(id) && (FORM.test(id) || STATUS.test(id)) }]
    : SPLIT === 'each'
      ? [
          { name: 'form', priority: 2, test: (id: string) => inPanel(id) && FORM.test(id) },
          { name: 'status', priority: 2, test: (id: string) => inPanel(id) && STATUS.test(id) },
        ]
      : []),
  ...(SPLIT === 'none' || SPLIT === 'viewsonly' ? [] : [{ name: 'client', priority: 4, test: (id: string) => inPanel(id) && CLIENT.test(id) }]),
  { name: 'panel', priority: 3, test: (id: string) => inPanel(id) && !ENTRY.test(id) && (SPLIT === 'none' || !(FORM.test(id) || STATUS.test(id))) },
];

export default defineConfig(
  format === 'iife'
    ? {
        ...shared,
        // The ES chunks the loader may load: [file, sha384, indexes of its static imports][] and
        // the index of the embed entry, written by scripts/build.mjs after the ES build.
        define: { ...shared.define, __INTAKE_CHUNKS__: process.env.INTAKE_CHUNKS ?? '{"e":0,"f":[]}' },
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2022',
          minify: true,
          sourcemap: true,
          // The loader carries the ES chunks' file names, static imports and hashes (scripts/build.mjs).
          lib: {
            // An entry with no exports: the IIFE then assigns nothing, and IntakeWidgets stays
            // the page's one global (Vite still wants a name for the format).
            entry: 'src/loader.ts',
            name: 'IntakeWidgetsBundle',
            formats: ['iife'],
            fileName: () => 'intake-widgets.iife.js',
          },
          rolldownOptions: { output: { codeSplitting: false } },
        },
      }
    : {
        ...shared,
        plugins: [...(shared.plugins ?? []), loaderHook()],
        build: {
          outDir,
          emptyOutDir: true,
          target: 'es2022',
          minify: true,
          sourcemap: true,
          // dist/.vite/manifest.json: which chunk loads which, for the byte budgets.
          manifest: true,
          lib: {
            // embed: what the classic loader imports first (window.IntakeWidgets over its script tag).
            entry: { 'intake-widgets': 'src/define.ts', index: 'src/index.ts', embed: 'src/embed.ts' },
            formats: ['es'],
            fileName: (_format, name) => (name === 'embed' ? 'chunks/embed-[hash].js' : `${name}.js`),
          },
          rolldownOptions: {
            output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true, codeSplitting: { groups: CHUNK_GROUPS } },
          },
        },
      },
);
