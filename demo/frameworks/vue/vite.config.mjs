// `npx vite demo/frameworks/vue` (after `npm run build`): no Vue plugin needed — the template
// string is compiled at runtime by Vue's full build. `intake-widgets` resolves to this package's dist/.
import { defineConfig } from 'vite';

export default defineConfig({
  resolve: { alias: { vue: 'vue/dist/vue.esm-bundler.js' } },
  define: { __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  build: { target: 'es2022' },
});
