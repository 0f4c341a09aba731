// A small static file server for tests: serves the repository (dist/, demo/, test pages) on
// loopback, with an optional per-path override so a test can serve its own HTML.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticServer {
  url: string;
  /** Serve `body` at `path` (e.g. '/page.html'); later calls replace it. */
  page(path: string, body: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startStaticServer(root = '.'): Promise<StaticServer> {
  const base = resolve(root);
  const pages = new Map<string, { body: string; headers: Record<string, string> }>();
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const own = pages.get(path);
    if (own) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...own.headers });
      res.end(own.body);
      return;
    }
    const file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    page(path, body, headers = {}) {
      pages.set(path, { body, headers });
    },
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
