/**
 * Wrong passwords slowed down, per login and per client address (every process sharing the
 * database counts together; only hashes of the keys are stored). After `perLogin` wrong passwords
 * for one login, or `perAddress` from one address, that key is locked for `lockMs`; each further
 * failure doubles the lock, up to `maxLockMs`. While locked every sign-in of the key answers 429
 * with Retry-After — the right password too, so the answer never tells whether a guess was
 * right. A right password clears its login's count (not the address's: one's own account must
 * not reset a spray over others). Counts are forgotten `forgetMs` after the last failure and lock.
 */
import type { Db } from '../storage/db.js';
import { HttpError, sha256 } from '../http.js';

export interface SignInLimits {
  /** Wrong passwords for one login before it is locked (default 5). */
  perLogin?: number;
  /** Wrong passwords from one client address, all logins together, before it is locked (default 20). */
  perAddress?: number;
  /** The first lock, ms (default 30 s); doubled by each failure after it. */
  lockMs?: number;
  /** The longest lock, ms (default 15 min). */
  maxLockMs?: number;
  /** A key's count is forgotten this long after its last failure and its lock, ms (default 15 min). */
  forgetMs?: number;
}

export interface ThrottleKeys {
  login: string;
  address: string;
}

type FailureRow = {
  count: number;
  last_failure_at: Date | string;
  locked_until: Date | string | null;
  now: Date | string;
};

const ms = (d: Date | string | null) => (d === null ? 0 : new Date(d).getTime());

export class SignInThrottle {
  private readonly perLogin: number;
  private readonly perAddress: number;
  private readonly lockMs: number;
  private readonly maxLockMs: number;
  private readonly forgetMs: number;

  constructor(
    private readonly db: Db,
    options: SignInLimits | false = {},
  ) {
    const off = options === false;
    this.perLogin = off ? Infinity : options.perLogin ?? 5;
    this.perAddress = off ? Infinity : options.perAddress ?? 20;
    this.lockMs = off ? 0 : options.lockMs ?? 30_000;
    this.maxLockMs = off ? 0 : Math.max(this.lockMs, options.maxLockMs ?? 15 * 60_000);
    this.forgetMs = off ? 0 : options.forgetMs ?? 15 * 60_000;
  }

  keys(login: string, address: string): ThrottleKeys {
    return { login: sha256(`login\u0000${login.trim().toLowerCase()}`), address: sha256(`address\u0000${address}`) };
  }

  /** 429 with Retry-After while either key is locked. */
  async check(keys: ThrottleKeys): Promise<void> {
    if (this.perLogin === Infinity && this.perAddress === Infinity) return;
    const rows = await this.db.query<{ wait_ms: number | string }>(
      `SELECT extract(epoch FROM max(locked_until) - now()) * 1000 AS wait_ms
       FROM staff_sign_in_failures WHERE key = ANY($1::text[]) AND locked_until > now()`,
      [[keys.login, keys.address]],
    );
    const wait = Number(rows[0]?.wait_ms ?? 0);
    if (wait > 0) throw lockedOut(wait);
  }

  /** Counts one wrong password for both keys (and locks them once over their budget). */
  async fail(keys: ThrottleKeys): Promise<void> {
    if (this.perLogin !== Infinity) await this.count(keys.login, this.perLogin);
    if (this.perAddress !== Infinity) await this.count(keys.address, this.perAddress);
  }

  /** The right password: the login's count starts again. */
  async succeeded(keys: ThrottleKeys): Promise<void> {
    if (this.perLogin === Infinity) return;
    await this.db.query('DELETE FROM staff_sign_in_failures WHERE key = $1', [keys.login]);
  }

  private async count(key: string, budget: number): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query(`INSERT INTO staff_sign_in_failures (key, count, last_failure_at) VALUES ($1, 0, now()) ON CONFLICT (key) DO NOTHING`, [key]);
      const row = (await q.query<FailureRow>(
        'SELECT count, last_failure_at, locked_until, now() AS now FROM staff_sign_in_failures WHERE key = $1 FOR UPDATE', [key]))[0]!;
      const now = ms(row.now);
      const forgotten = Math.max(ms(row.last_failure_at), ms(row.locked_until)) + this.forgetMs <= now;
      const count = (forgotten ? 0 : Number(row.count)) + 1;
      const lock = count >= budget ? Math.min(this.maxLockMs, this.lockMs * 2 ** Math.min(30, count - budget)) : 0;
      await q.query(
        `UPDATE staff_sign_in_failures SET count = $2, last_failure_at = now(),
           locked_until = CASE WHEN $3::float8 > 0 THEN now() + make_interval(secs => $3::float8) ELSE NULL END
         WHERE key = $1`,
        [key, count, lock / 1000],
      );
    });
    // Old rows are of no use; dropping them is best effort.
    void this.db.query(
      `DELETE FROM staff_sign_in_failures WHERE greatest(last_failure_at, coalesce(locked_until, last_failure_at)) < now() - make_interval(secs => $1)`,
      [this.forgetMs / 1000],
    ).catch(() => undefined);
  }
}

const lockedOut = (waitMs: number) =>
  new HttpError('rate_limited', 'Too many wrong passwords; try again later', undefined, waitMs / 1000);
