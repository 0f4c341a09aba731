// `npx vite demo/frameworks/svelte` (after `npm run build`): Svelte 5 components compiled by
// @sveltejs/vite-plugin-svelte. `intake-widgets` resolves to this package's dist/.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  // configFile: false: no svelte.config.js to look for; the options are all here.
  plugins: [svelte({ configFile: false })],
  build: { target: 'es2022' },
});
