// npm start: builds the library, starts the reference intake server (embedded database in .data/)
// and serves the demo (portals, staff console, theming playground) on another origin, so the
// widget talks to the backend across origins as it does on real sites.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'vite';

const host = process.env.HOST ?? '127.0.0.1';
const apiPort = Number(process.env.PORT ?? 8787);
const demoPort = Number(process.env.DEMO_PORT ?? 8080);
const dataDir = process.env.INTAKE_DATA_DIR ?? '.data';
const apiBase = `http://${host}:${apiPort}/api/v1`;

// Demo mode (INTAKE_DEMO=1): the server makes demo accounts for every role (listed on the landing
// page) and pre-issues this token as the demo dispatcher's session, kept across starts so the
// console link stays valid and opens signed in. A real deployment has no such token.
mkdirSync(dataDir, { recursive: true });
const tokenFile = `${dataDir}/demo-staff-token`;
const staffToken = process.env.INTAKE_STAFF_TOKEN
  ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
const token = staffToken || randomBytes(18).toString('base64url');
if (!staffToken && !process.env.INTAKE_STAFF_TOKEN) writeFileSync(tokenFile, token, { mode: 0o600 });

if (!process.env.SKIP_BUILD) {
  console.log('building the library …');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

const children = [];
if (existsSync('demo/server/main.ts')) {
  const origins = [`http://${host}:${demoPort}`, `http://localhost:${demoPort}`, `http://127.0.0.1:${demoPort}`];
  const server = spawn(process.execPath, ['--import', 'tsx', 'demo/server/main.ts'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PORT: String(apiPort),
      HOST: host,
      INTAKE_DATA_DIR: dataDir,
      INTAKE_DEMO: '1',
      INTAKE_STAFF_TOKEN: token,
      INTAKE_ALLOWED_ORIGINS: process.env.INTAKE_ALLOWED_ORIGINS ?? [...new Set(origins)].join(','),
    },
  });
  children.push(server);
  server.on('exit', (code) => {
    console.error(`reference server stopped (${code}); stopping the demo`);
    shutdown(code ?? 1);
  });
}

// Demo pages read where the backend is from here.
const demoConfig = {
  name: 'intake-demo-config',
  configureServer(server) {
    server.middlewares.use('/demo/config.json', (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ apiBase, staffToken: token }));
    });
  },
};

const vite = await createServer({
  configFile: false,
  root: process.cwd(),
  logLevel: 'warn',
  server: { host, port: demoPort, strictPort: true },
  plugins: [demoConfig],
  appType: 'mpa',
});
await vite.listen();

// The links below work only once the API answers: the server opens its database (and, on a
// first start, seeds the demo city) before it listens.
if (children.length) {
  let ready = false;
  for (let tries = 0; !ready && tries < 600; tries++) {
    ready = await fetch(`${apiBase}/health`).then((r) => r.ok, () => false);
    if (!ready) await new Promise((r) => setTimeout(r, 250));
  }
  if (!ready) console.warn('the reference server does not answer yet; the links below work once it does');
}

console.log(`
  Intake Widgets demo
  landing page     http://${host}:${demoPort}/demo/
  staff console    http://${host}:${demoPort}/demo/console/?api=${encodeURIComponent(apiBase)}&token=${token}
                   (signed in as the demo dispatcher; the other demo accounts are on the landing page)
  intake API       ${apiBase}
  data folder      ${dataDir}/ (kept between starts)
  Ctrl+C stops everything.
`);

function shutdown(code = 0) {
  for (const child of children) child.kill('SIGTERM');
  vite.close().finally(() => process.exit(code));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
