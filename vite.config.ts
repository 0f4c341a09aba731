/**
 * Library builds. One source, two outputs (scripts/build.mjs runs both):
 * - `es`:   dist/intake-widgets.js, code-split: the launcher first, views/client/locales as lazy chunks;
 * - `iife`: dist/intake-widgets.iife.js, one self-contained file for a classic <script> tag.
 * Decorators are legacy (`experimentalDecorators` in tsconfig.json), which Vite's transform lowers.
 */
import { defineConfig, type UserConfig } from 'vite';

const format = (process.env.INTAKE_BUILD ?? 'es') as 'es' | 'iife';

const shared: UserConfig = {
  publicDir: false,
  logLevel: 'warn',
  define: {
    // Lit's dev-mode warnings are for developers of this library, not for residents' browsers.
    'process.env.NODE_ENV': JSON.stringify('production'),
  },
  resolve: { conditions: ['production', 'browser', 'module', 'import', 'default'] },
};

export default defineConfig(
  format === 'iife'
    ? {
        ...shared,
        build: {
          outDir: 'dist',
          emptyOutDir: false,
          target: 'es2022',
          minify: true,
          sourcemap: true,
          lib: {
            entry: 'src/embed.ts',
            name: 'IntakeWidgetsBundle',
            formats: ['iife'],
            fileName: () => 'intake-widgets.iife.js',
          },
          rolldownOptions: { output: { codeSplitting: false } },
        },
      }
    : {
        ...shared,
        build: {
          outDir: 'dist',
          emptyOutDir: true,
          target: 'es2022',
          minify: true,
          sourcemap: true,
          // dist/.vite/manifest.json: which chunk loads which, for the byte budgets.
          manifest: true,
          lib: {
            entry: { 'intake-widgets': 'src/define.ts', index: 'src/index.ts' },
            formats: ['es'],
            fileName: (_format, name) => `${name}.js`,
          },
          rolldownOptions: {
            output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true },
          },
        },
      },
);
