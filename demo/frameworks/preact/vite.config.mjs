// `npx vite demo/frameworks/preact` (after `npm run build`): no Preact plugin needed, Vite 8
// compiles JSX itself (automatic runtime from `preact`). `intake-widgets` resolves to this package's dist/.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022' },
});
