/**
 * A reference server for the load figures (bench/server-figures.ts drives it with autocannon
 * from another process): PGlite in memory, or PostgreSQL when DATABASE_URL is set (a throwaway
 * schema, dropped on SIGTERM). The per-address read budget is on, as in a real deployment, unless
 * BENCH_RATE_LIMIT=0. Prints one line of JSON: {"api": …, "staffToken": …}.
 */
import { randomBytes } from 'node:crypto';
import { dropSchema } from '../demo/server/storage/db.js';
import { startServer } from '../demo/server/server.js';

const schema = process.env.DATABASE_URL ? `bench_${randomBytes(4).toString('hex')}` : undefined;
const server = await startServer({
  quiet: true,
  // The read budget as deployed (the catalogue's calls count 1/50 of a read, context.ts); writes
  // unbounded, since all of the bench's POSTs come from one address.
  rateLimit: process.env.BENCH_RATE_LIMIT === '0' ? false : { writes: Infinity },
  databaseUrl: process.env.DATABASE_URL || undefined,
  databaseSchema: schema,
  delivery: false,
  escalateMs: 0,
});
console.log(JSON.stringify({ api: server.apiBase, staffToken: server.staffToken }));
const stop = async () => {
  await server.close();
  if (schema && process.env.DATABASE_URL) await dropSchema(process.env.DATABASE_URL, schema);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
