/**
 * Idempotency records: (site, scope, key) → request hash and the stored answer, kept ≥ 30 days.
 * The record is inserted first, in the same transaction as the work: a concurrent request with the
 * same key waits on the unique key, then finds the committed answer — one record, one request.
 */
import type { Context } from 'hono';
import type { Db, Queryable } from './db.js';
import { HttpError } from '../http.js';
import { LIMITS } from '../../../src/client/protocol.js';

export const IDEMPOTENCY_DAYS = 30;

export interface IdempotencyTarget {
  site: string;
  scope: string;
  key: string;
  hash: string;
}

export interface Stored<T> {
  status: number;
  body: T;
}

/** The `Idempotency-Key` header: required (400 without it) on the calls that create something. */
export function idempotencyKey(c: Context): string {
  const key = c.req.header('idempotency-key')?.trim();
  if (!key) throw new HttpError('bad_request', 'The Idempotency-Key header is required');
  if (key.length > LIMITS.idempotencyKeyMax || !/^[\x21-\x7e]+$/.test(key)) {
    throw new HttpError('bad_request', `Idempotency-Key must be 1–${LIMITS.idempotencyKeyMax} visible ASCII characters`);
  }
  return key;
}

/** Runs `work` once per key: a repeat with the same body gets the stored answer with 200. */
export async function withIdempotency<T>(
  db: Db,
  target: IdempotencyTarget | null,
  work: (q: Queryable) => Promise<Stored<T>>,
): Promise<Stored<T>> {
  if (!target) return db.tx(work);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.tx(async (q) => {
        const inserted = await q.query(
          `INSERT INTO idempotency (site, scope, key, request_hash) VALUES ($1, $2, $3, $4)
           ON CONFLICT (site, scope, key) DO NOTHING RETURNING key`,
          [target.site, target.scope, target.key, target.hash],
        );
        if (!inserted.length) {
          const rows = await q.query<{ request_hash: string; status: number | null; response: T | null }>(
            'SELECT request_hash, status, response FROM idempotency WHERE site = $1 AND scope = $2 AND key = $3',
            [target.site, target.scope, target.key],
          );
          const row = rows[0];
          if (!row || row.status === null || row.response === null) throw new RetryLater();
          if (row.request_hash !== target.hash) {
            throw new HttpError('conflict', 'This Idempotency-Key was used with a different body');
          }
          return { status: 200, body: row.response };
        }
        const result = await work(q);
        await q.query('UPDATE idempotency SET status = $4, response = $5 WHERE site = $1 AND scope = $2 AND key = $3', [
          target.site, target.scope, target.key, result.status, JSON.stringify(result.body),
        ]);
        return result;
      });
    } catch (err) {
      // A serialization hiccup or a record seen mid-flight: try again a few times.
      const retriable = err instanceof RetryLater || (err as { code?: string }).code === '23505' || (err as { code?: string }).code === '40001';
      if (!retriable || attempt >= 20) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 + attempt * 20));
    }
  }
}

class RetryLater extends Error {}

export async function expireIdempotency(db: Db): Promise<void> {
  await db.query('DELETE FROM idempotency WHERE created_at < now() - make_interval(days => $1)', [IDEMPOTENCY_DAYS]);
}
