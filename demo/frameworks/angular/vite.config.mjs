// `npx vite build demo/frameworks/angular` (after `npm run build`). Real Angular, built the
// smallest way: ngc (Angular's ahead-of-time compiler, @angular/compiler-cli) compiles the
// components to JavaScript, then Vite bundles it, with Angular's linker (the Babel plugin in
// @angular/compiler-cli) finishing the partially compiled @angular/* packages, so no JIT compiler
// ships. No Angular CLI, no @angular/build. `intake-widgets` resolves to this package's dist/.
import { transformAsync } from '@babel/core';
import { ConsoleLogger, LogLevel, NodeJSFileSystem } from '@angular/compiler-cli';
import { createEs2015LinkerPlugin } from '@angular/compiler-cli/linker/babel';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// Where ngc writes (tsconfig.json's outDir; INTAKE_NGC_OUT moves it, for the e2e test's temp folder).
const ngcOut = process.env.INTAKE_NGC_OUT ?? join(here, '../../../.tmp/angular-ngc');

function angular() {
  return {
    name: 'intake-example-angular',
    enforce: 'pre',
    buildStart() {
      const ngc = join(dirname(require.resolve('@angular/compiler-cli/package.json')), 'bundles/src/bin/ngc.js');
      execFileSync(process.execPath, [ngc, '-p', join(here, 'tsconfig.json'), '--outDir', ngcOut], { stdio: 'inherit' });
    },
    // index.html loads ./main.ts: serve ngc's main.js in its place (its imports sit beside it).
    // Packages imported by ngc's output resolve as if from here (the output may be in /tmp).
    async resolveId(id, importer) {
      if (importer && (id === './main.ts' || id === '/main.ts')) return join(ngcOut, 'main.js');
      if (importer?.startsWith(ngcOut) && !id.startsWith('.') && !id.startsWith('/')) {
        return this.resolve(id, join(here, 'main.ts'), { skipSelf: true });
      }
      return null;
    },
    async transform(code, id) {
      if (!/[\\/]@angular[\\/].*\.m?js$/.test(id) || !code.includes('ɵɵngDeclare')) return null;
      const linked = await transformAsync(code, {
        filename: id, babelrc: false, configFile: false, compact: false, sourceMaps: false,
        plugins: [createEs2015LinkerPlugin({ linkerJitMode: false, fileSystem: new NodeJSFileSystem(), logger: new ConsoleLogger(LogLevel.warn) })],
      });
      return linked?.code ? { code: linked.code, map: null } : null;
    },
  };
}

export default defineConfig({
  plugins: [angular()],
  build: { target: 'es2022' },
});
