/**
 * `npm run server`: the reference intake server from the environment — PORT (8787), HOST
 * (127.0.0.1), INTAKE_DATA_DIR (.data/), DATABASE_URL (PostgreSQL instead of the embedded
 * database), INTAKE_STAFF_TOKEN (generated and printed when unset), INTAKE_ALLOWED_ORIGINS
 * (comma list, `*` for any; the demo origins by default), INTAKE_TRUST_PROXY (`1`, or the number of
 * trusted proxies in front: take the client address from X-Forwarded-For; off by default),
 * INTAKE_OPEN311_API_KEY (the `api_key` Open311 apps must send to file requests; none by default).
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_ORIGINS, startServer } from './server.js';

const env = process.env;
const port = Number(env.PORT ?? 8787);
const host = env.HOST ?? '127.0.0.1';
const dataDir = env.INTAKE_DATA_DIR || '.data';
const origins = env.INTAKE_ALLOWED_ORIGINS?.trim();
const allowedOrigins = origins === '*' ? '*' : origins ? origins.split(',').map((o) => o.trim()).filter(Boolean) : DEFAULT_ORIGINS;
const generated = !env.INTAKE_STAFF_TOKEN;
const staffToken = env.INTAKE_STAFF_TOKEN || randomBytes(18).toString('base64url');

const server = await startServer({
  port,
  host,
  dataDir,
  databaseUrl: env.DATABASE_URL || undefined,
  staffToken,
  allowedOrigins,
  trustProxy: /^(?:true|yes|on)$/i.test(env.INTAKE_TRUST_PROXY ?? '') ? 1 : Number(env.INTAKE_TRUST_PROXY ?? 0) || 0,
  open311ApiKey: env.INTAKE_OPEN311_API_KEY || undefined,
});

console.log(`listening on ${server.url}`);
console.log(`API base ${server.apiBase}`);
console.log(`storage: ${env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dataDir}`}`);
console.log(`Open311 door ${server.url}/open311/v2${env.INTAKE_OPEN311_API_KEY ? ' (api_key required to file)' : ''}`);
console.log(`allowed origins: ${allowedOrigins === '*' ? '*' : allowedOrigins.join(', ')}`);
if (generated) console.log(`staff token (generated; set INTAKE_STAFF_TOKEN to keep one): ${staffToken}`);

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
