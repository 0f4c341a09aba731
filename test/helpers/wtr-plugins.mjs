// Extra web-test-runner middleware for the client tests: the fault-injecting fake backend
// (/fake/<scenario>/api/v1/…) and, on demand, the real reference server (/__server answers with
// its API base, starting it the first time a test asks), and the fake Open311 server
// (/open311-fake/<scenario>/v2/…).
import { fakeBackend } from './fake-backend.mjs';
import { open311Fake } from './open311-fake.mjs';
import { axTreePlugin } from './ax-tree-plugin.mjs';
import { forcedColorsPlugin } from './forced-colors-plugin.mjs';
import { importGlobPlugin } from './import-glob-plugin.mjs';

let real; // Promise<{ api: string, stop(): Promise<void> } | { error: string }>

async function startReal() {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const mod = await tsImport('../../demo/server/server.ts', import.meta.url);
    const server = await mod.startServer({ port: 0, dataDir: 'memory://', allowedOrigins: '*', quiet: true });
    const address = server.url ?? server.origin ?? (server.port ? `http://127.0.0.1:${server.port}` : undefined);
    const api = server.api ?? server.apiBase ?? (address ? `${String(address).replace(/\/+$/, '')}/api/v1` : undefined);
    if (!api) return { error: 'startServer() gave no address', stop: async () => server.close?.() ?? server.stop?.() };
    return { api, staffToken: server.staffToken, stop: async () => (server.stop ? server.stop() : server.close?.()) };
  } catch (e) {
    return { error: String(e?.stack ?? e) };
  }
}

function realServer() {
  return async (ctx, next) => {
    if (ctx.path !== '/__server') return next();
    real ??= startReal();
    const result = await real;
    ctx.set('Content-Type', 'application/json');
    ctx.set('Cache-Control', 'no-store');
    ctx.status = result.api ? 200 : 503;
    ctx.body = JSON.stringify(result.api ? { api: result.api, staffToken: result.staffToken } : { error: result.error });
  };
}

export const middleware = [fakeBackend(), open311Fake(), realServer()];

export const plugins = [
  axTreePlugin(),
  forcedColorsPlugin(),
  importGlobPlugin(),
  {
    name: 'intake-real-server',
    async serverStop() {
      if (!real) return;
      const result = await real;
      await result.stop?.();
    },
  },
];
