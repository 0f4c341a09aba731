// `npx vite demo/frameworks/react` (after `npm run build`): no React plugin needed, Vite 8
// compiles JSX itself (automatic runtime). `intake-widgets` resolves to this package's dist/.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: { target: 'es2022' },
});
