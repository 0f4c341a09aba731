// web-test-runner has no import.meta.glob (a Vite feature the staff console uses to find its
// locale files, demo/console/i18n.ts): this plugin rewrites an eager
// `import.meta.glob('./dir/*/*.json', { eager: true })` into static imports of the files it
// matches, as Vite does, so console components can be tested in the browser too.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CALL = /import\.meta\.glob\s*(?:<[^>()]*(?:\{[^}]*\}[^>()]*)?>)?\s*\(\s*(['"])([^'"]+)\1\s*,\s*\{\s*eager\s*:\s*true\s*\}\s*\)/g;

/** Files under `dir` matching a glob of `*` segments (no `**`), as './…' paths. */
function expand(dir, pattern) {
  const parts = pattern.replace(/^\.\//, '').split('/');
  let found = [''];
  for (const part of parts) {
    const re = new RegExp(`^${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    found = found.flatMap((prefix) => {
      const at = join(dir, prefix);
      let names = [];
      try {
        names = readdirSync(at);
      } catch {
        return [];
      }
      return names.filter((n) => re.test(n)).map((n) => (prefix ? `${prefix}/${n}` : n));
    });
  }
  return found.filter((f) => statSync(join(dir, f)).isFile()).sort().map((f) => `./${f}`);
}

export function importGlobPlugin() {
  return {
    name: 'intake-import-glob',
    transform(context) {
      if (!/\.(ts|js)$/.test(context.path) || typeof context.body !== 'string' || !context.body.includes('import.meta.glob')) return;
      const dir = dirname(join(root, decodeURIComponent(context.path)));
      if (relative(root, dir).startsWith('..')) return;
      const imports = [];
      const body = context.body.replace(CALL, (_all, _q, pattern) => {
        const entries = expand(dir, pattern).map((file) => {
          const name = `__glob${imports.length}`;
          imports.push(`import ${name} from ${JSON.stringify(file)};`);
          return `${JSON.stringify(file)}: { default: ${name} }`;
        });
        return `({ ${entries.join(', ')} })`;
      });
      if (!imports.length) return;
      return { body: `${imports.join('\n')}\n${body}` };
    },
  };
}
