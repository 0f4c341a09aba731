/**
 * `npm run server`: the reference intake server from the environment — PORT (8787), HOST
 * (127.0.0.1), INTAKE_DATA_DIR (.data/), DATABASE_URL (PostgreSQL instead of the embedded
 * database), INTAKE_ALLOWED_ORIGINS (comma list, `*` for any; the demo origins by default),
 * INTAKE_TRUST_PROXY (`1`, or the number of trusted proxies in front: take the client address from
 * X-Forwarded-For; off by default), INTAKE_OPEN311_API_KEY (the `api_key` Open311 apps must send
 * to file requests; none by default).
 *
 * Staff sign in with their accounts. The first administrator comes from INTAKE_ADMIN_LOGIN,
 * INTAKE_ADMIN_PASSWORD (at least 10 characters) and INTAKE_ADMIN_NAME, made at start when there
 * is no administrator; without them, a one-time setup token is printed at every start until an
 * administrator exists (INTAKE_CONSOLE_URL, when set, is printed as the setup link).
 *
 * Demo mode (INTAKE_DEMO=1, set by `npm start`): demo accounts for every role with public
 * passwords, and INTAKE_STAFF_TOKEN (generated when unset) pre-issued as the demo dispatcher's
 * session so the console opens signed in. Outside demo mode INTAKE_STAFF_TOKEN is ignored: there
 * is no shared staff token.
 */
import { DEFAULT_ORIGINS, startServer } from './server.js';

const env = process.env;
const port = Number(env.PORT ?? 8787);
const host = env.HOST ?? '127.0.0.1';
const dataDir = env.INTAKE_DATA_DIR || '.data';
const origins = env.INTAKE_ALLOWED_ORIGINS?.trim();
const allowedOrigins = origins === '*' ? '*' : origins ? origins.split(',').map((o) => o.trim()).filter(Boolean) : DEFAULT_ORIGINS;
const demo = /^(?:1|true|yes|on)$/i.test(env.INTAKE_DEMO ?? '');
const firstAdmin = env.INTAKE_ADMIN_LOGIN && env.INTAKE_ADMIN_PASSWORD
  ? { login: env.INTAKE_ADMIN_LOGIN, password: env.INTAKE_ADMIN_PASSWORD, displayName: env.INTAKE_ADMIN_NAME || undefined }
  : undefined;
if (!demo && env.INTAKE_STAFF_TOKEN) {
  console.warn('INTAKE_STAFF_TOKEN is ignored outside demo mode (INTAKE_DEMO=1): staff sign in with their accounts.');
}
if ((env.INTAKE_ADMIN_LOGIN || env.INTAKE_ADMIN_PASSWORD) && !firstAdmin) {
  console.warn('INTAKE_ADMIN_LOGIN and INTAKE_ADMIN_PASSWORD go together; neither is used.');
}

const server = await startServer({
  port,
  host,
  dataDir,
  databaseUrl: env.DATABASE_URL || undefined,
  staffToken: demo ? env.INTAKE_STAFF_TOKEN || undefined : false,
  demoAccounts: demo,
  firstAdmin,
  offerSetup: true,
  allowedOrigins,
  trustProxy: /^(?:true|yes|on)$/i.test(env.INTAKE_TRUST_PROXY ?? '') ? 1 : Number(env.INTAKE_TRUST_PROXY ?? 0) || 0,
  open311ApiKey: env.INTAKE_OPEN311_API_KEY || undefined,
});

console.log(`listening on ${server.url}`);
console.log(`API base ${server.apiBase}`);
console.log(`storage: ${env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dataDir}`}`);
console.log(`Open311 door ${server.url}/open311/v2${env.INTAKE_OPEN311_API_KEY ? ' (api_key required to file)' : ''}`);
console.log(`allowed origins: ${allowedOrigins === '*' ? '*' : allowedOrigins.join(', ')}`);
if (demo) console.log('demo mode: demo accounts for every role (see the landing page); the staff token signs in as the demo dispatcher');
if (server.setupToken) {
  const consoleUrl = env.INTAKE_CONSOLE_URL?.replace(/\/+$/, '');
  console.log(`
  No administrator yet. Make the first one, once, within 24 hours:
    ${consoleUrl ? `open ${consoleUrl}/#/setup/${server.setupToken}` : `open the staff console at #/setup/${server.setupToken}`}
    or POST ${server.apiBase}/staff/setup {"token":"${server.setupToken}","login":…,"displayName":…,"password":…}
  (a new token is printed at each start until an administrator exists; or set INTAKE_ADMIN_LOGIN and INTAKE_ADMIN_PASSWORD)
`);
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('shutdown failed:', (err as Error).message);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
