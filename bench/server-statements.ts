/**
 * How many SQL statements one `POST /requests` costs (BEGIN and COMMIT included), on the engine
 * bench/server.ts uses (PGlite in memory; PostgreSQL when DATABASE_URL is set). Prints
 * `POST /requests statements: N` and, with STATEMENTS_LIST=1, each statement.
 * Run: `node --import tsx bench/server-statements.ts`.
 */
import { randomBytes } from 'node:crypto';
import { dropSchema, statementStats } from '../demo/server/storage/db.js';
import { startServer } from '../demo/server/server.js';

const SITE = 'riverside/xinhua/garden';
const schema = process.env.DATABASE_URL ? `bench_${randomBytes(4).toString('hex')}` : undefined;
const server = await startServer({ quiet: true, rateLimit: false, databaseUrl: process.env.DATABASE_URL || undefined, databaseSchema: schema });
const body = JSON.stringify({
  site: SITE, service: 'noise', type: 'complaint', description: 'bench',
  fields: { source: 'construction', occurred_at: '2026-11-27T23:00', location: { address: 'x' } },
  consent: { version: '2026-01', given: true },
});
const post = async () => {
  const res = await fetch(`${server.apiBase}/requests`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': randomBytes(8).toString('hex') }, body });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`POST /requests answered ${res.status}`);
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
// Warm: the kept catalogue, the suggestion's index, the calendar.
for (let i = 0; i < 3; i++) await post();
await settle();
const ROUNDS = 5;
const before = statementStats.count;
statementStats.log = [];
for (let i = 0; i < ROUNDS; i++) await post();
// Work a request leaves for after its answer (the delivery outbox's wake, the suggestion) counts too.
await settle();
const list = statementStats.log;
statementStats.log = null;
const per = (statementStats.count - before) / ROUNDS;
console.log(`POST /requests statements: ${per}`);
if (process.env.STATEMENTS_LIST === '1') for (const s of list.slice(0, list.length / ROUNDS)) console.log(`  ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
await server.close();
if (schema && process.env.DATABASE_URL) await dropSchema(process.env.DATABASE_URL, schema);
process.exit(0);
