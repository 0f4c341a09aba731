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

/**
 * Statements sent to either engine from this process (BEGIN and COMMIT included), for the bench
 * (bench/server.ts prints them per request) and tests; `log` keeps their text while it is set.
 */
export const statementStats: { count: number; log: string[] | null } = { count: 0, log: null };
const counted = (sql: string) => {
  statementStats.count++;
  statementStats.log?.push(sql);
};

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
  /**
   * Calls `fn` each time listening resumes after the connection was lost (PostgreSQL restarted):
   * notifications sent meanwhile are gone, so a subscriber re-reads what it may have missed.
   */
  onListenRestored(fn: () => void): void;
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
  const run = async <T extends Row>(target: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) => {
    counted(sql);
    return (await target.query<T>(sql, params as unknown[] | undefined)).rows;
  };
  return {
    engine: 'pglite',
    query: (sql, params) => run(lite, sql, params),
    tx: (fn) => {
      counted('BEGIN');
      return lite.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) })).finally(() => counted('COMMIT'));
    },
    onListenRestored: () => undefined, // in process: never lost
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
  // A connection attempt that hangs (database host unreachable) fails after 10 s, as a 503.
  const pool = new pg.Pool({ ...clientOptions, max: 10, connectionTimeoutMillis: 10_000, keepAlive: true });
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));

  // One dedicated connection LISTENs for this process; handlers are fanned out in memory. When it
  // is lost (the database restarts), it is made again, with back-off, until it works or we close.
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const restored = new Set<() => void>();
  let listener: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const lost = (client: pg.Client, why: string) => {
    if (listener !== client) return; // a failed attempt, or an error after 'end': already handled
    listener = null;
    if (closed) return;
    console.error(`[db] listener lost (${why}); reconnecting`);
    void client.end().catch(() => undefined);
    reconnect(250);
  };
  const reconnect = (delay: number) => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      ensureListener().then(
        () => {
          for (const fn of restored) fn();
        },
        () => reconnect(Math.min(delay * 2, 5000)),
      );
    }, delay);
    retry.unref();
  };
  const connectListener = async (): Promise<pg.Client> => {
    const client = new pg.Client(clientOptions);
    client.on('notification', (msg) => {
      for (const fn of handlers.get(msg.channel) ?? []) fn(msg.payload ?? '');
    });
    client.on('error', (err) => lost(client, err.message));
    client.on('end', () => lost(client, 'connection ended'));
    try {
      await client.connect();
      for (const channel of handlers.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  };
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
      counted(sql);
      return (await pool.query(sql, params)).rows as T[];
    },
    async tx(fn) {
      // pg-pool drops its error listener while a client is checked out: without this one, a
      // connection lost mid-transaction is an unhandled 'error' event and ends the process. It is
      // attached in pg-pool's callback, not after an await: the FATAL of a restart can arrive in
      // the same socket read that handed the client over, before any promise continues.
      let broken: Error | undefined;
      const onError = (err: Error) => (broken ??= err);
      const client = await new Promise<pg.PoolClient>((resolve, reject) =>
        pool.connect((err, c) => {
          if (err || !c) return reject(err ?? new Error('no client'));
          c.on('error', onError);
          resolve(c);
        }));
      try {
        counted('BEGIN');
        await client.query('BEGIN');
        const result = await fn({ query: async <T extends Row>(sql: string, params?: unknown[]) => (counted(sql), (await client.query(sql, params)).rows as T[]) });
        counted('COMMIT');
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (!broken) await client.query('ROLLBACK').catch((e: Error) => (broken ??= e));
        throw err;
      } finally {
        client.removeListener('error', onError);
        client.release(broken); // a broken connection is discarded, not handed out again
      }
    },
    onListenRestored(fn) {
      restored.add(fn);
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
      if (retry) clearTimeout(retry);
      const l = listener;
      listener = null;
      await l?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when `err` says the database cannot be reached just now (down, restarting, the connection
 * lost): the caller gets 503 and retries, never 500. SQLSTATE class 08 (connection exception),
 * 57P01–57P03 (shut down, crashed, starting up) and 53300 (too many connections) count too.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300')) return true;
  if (typeof message === 'string' && /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/i.test(message)) return true;
  return Array.isArray(errors) && errors.some(isDatabaseUnavailable); // AggregateError: every address refused
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
