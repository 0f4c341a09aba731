/**
 * Storage: one SQL dialect (PostgreSQL) on two engines — PGlite embedded in the data folder (or in
 * memory), or a PostgreSQL server through `pg` when a database URL is given. Parameterised SQL only.
 * Notifications (LISTEN/NOTIFY) carry chat and queue changes to every server process.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from './migrations.js';

export type Row = Record<string, unknown>;

/** Anything that runs a query: the database itself or an open transaction. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction (READ COMMITTED); rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to a notification channel; returns the unsubscribe function. */
  listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A folder for PGlite, `memory://` for an in-memory PGlite. */
  dataDir?: string;
  /** postgres://… — use a PostgreSQL server instead of PGlite. */
  databaseUrl?: string;
  /** PostgreSQL only: a schema to use (created when missing); tests use a fresh one per run. */
  schema?: string;
}

export async function openDb(options: OpenOptions): Promise<Db> {
  const db = options.databaseUrl ? await openPostgres(options.databaseUrl, options.schema) : await openPglite(options.dataDir ?? 'memory://');
  await migrate(db);
  return db;
}

async function openPglite(dataDir: string): Promise<Db> {
  const memory = dataDir === 'memory://' || dataDir === '';
  const dir = memory ? undefined : `${dataDir.replace(/\/+$/, '')}/pglite`;
  if (dir) mkdirSync(dir, { recursive: true });
  const lite = new PGlite(dir);
  await lite.waitReady;
  const run = async <T extends Row>(target: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) =>
    (await target.query<T>(sql, params as unknown[] | undefined)).rows;
  return {
    engine: 'pglite',
    query: (sql, params) => run(lite, sql, params),
    tx: (fn) => lite.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) })),
    async listen(channel, fn) {
      const stop = await lite.listen(channel, fn);
      return async () => {
        if (!lite.closed) await stop();
      };
    },
    close: () => lite.close(),
  };
}

const quoteIdent = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error('bad schema name');
  return `"${name}"`;
};

async function openPostgres(url: string, schema?: string): Promise<Db> {
  const clientOptions: pg.ClientConfig = { connectionString: url };
  if (schema) {
    const setup = new pg.Client(clientOptions);
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } finally {
      await setup.end();
    }
    clientOptions.options = `-c search_path=${schema}`;
  }
  const pool = new pg.Pool({ ...clientOptions, max: 10 });
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));

  // One dedicated connection LISTENs for this process; handlers are fanned out in memory.
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let listener: pg.Client | null = null;
  let closed = false;
  const connectListener = async (): Promise<pg.Client> => {
    const client = new pg.Client(clientOptions);
    client.on('notification', (msg) => {
      for (const fn of handlers.get(msg.channel) ?? []) fn(msg.payload ?? '');
    });
    client.on('error', (err) => {
      console.error('[db] listener error:', err.message);
      listener = null;
      if (!closed) setTimeout(() => void ensureListener().catch(() => undefined), 1000);
    });
    await client.connect();
    for (const channel of handlers.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    return client;
  };
  let connecting: Promise<pg.Client> | null = null;
  const ensureListener = async () => {
    if (listener) return listener;
    connecting ??= connectListener().then(
      (c) => ((listener = c), (connecting = null), c),
      (e: unknown) => {
        connecting = null;
        throw e;
      },
    );
    return connecting;
  };
  await ensureListener();

  return {
    engine: 'postgres',
    async query<T extends Row>(sql: string, params?: unknown[]) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async <T extends Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[] });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, fn) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        const client = await ensureListener();
        await client.query(`LISTEN ${quoteIdent(channel)}`);
      }
      set.add(fn);
      return async () => {
        set.delete(fn);
      };
    },
    async close() {
      closed = true;
      const l = listener;
      listener = null;
      await l?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/** Drops a schema made for a test run (PostgreSQL only). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
