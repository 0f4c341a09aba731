/**
 * Staff sessions: an opaque random bearer token per sign-in (only its SHA-256 is stored), ended by
 * idle expiry (12 h without a call), absolute expiry (7 days after sign-in), signing out, signing
 * out everywhere, a password change or the account being disabled. Each staff call looks its
 * session up in the database (so every process sharing it agrees); a small in-memory cache of the
 * sessions seen lets the per-address budget (context.ts) exempt staff calls without a query.
 * Event streams of a session close when it ends: at once in this process, within `checkMs` in
 * the others.
 */
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../storage/db.js';
import { newId, sha256 } from '../http.js';
import type { Role, StaffUser } from '../staff/identity.js';

export interface SessionOptions {
  /** A session not used for this long ends, ms (default 12 h). */
  idleMs?: number;
  /** A session ends this long after sign-in however much it is used, ms (default 7 days). */
  maxMs?: number;
  /** How often open event streams are checked against the database (sessions ended by another process), ms (default 15 s). */
  checkMs?: number;
}

export const DEFAULT_IDLE_MS = 12 * 3600_000;
export const DEFAULT_MAX_MS = 7 * 24 * 3600_000;

export interface SessionGrant {
  token: string;
  sessionId: string;
  expiresAt: Date;
  absoluteExpiresAt: Date;
}

export type SessionLookup =
  | { status: 'ok'; user: StaffUser; expiresAt: Date; absoluteExpiresAt: Date }
  /** A real session that has ended (expired, signed out, revoked, account disabled). */
  | { status: 'ended' }
  /** No such token. */
  | { status: 'unknown' };

interface Cached {
  sessionId: string;
  accountId: string;
  /** Local clock: when the session ends unless used again. */
  until: number;
}

type SessionRow = {
  session_id: string;
  account_id: string;
  login: string;
  display_name: string;
  role: Role;
  department_id: string | null;
  site_id: string | null;
  valid: boolean;
  stale: boolean;
  last_used_at: Date | string;
  expires_at: Date | string;
  now: Date | string;
};

const ms = (d: Date | string) => new Date(d).getTime();

export class Sessions {
  readonly idleMs: number;
  readonly maxMs: number;
  readonly checkMs: number;
  /** By token hash. */
  private readonly cache = new Map<string, Cached>();
  /** Open event streams by session id. */
  private readonly streams = new Map<string, Set<() => void>>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private daily: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly db: Db,
    options: SessionOptions = {},
  ) {
    this.idleMs = Math.max(1, options.idleMs ?? DEFAULT_IDLE_MS);
    this.maxMs = Math.max(1, options.maxMs ?? DEFAULT_MAX_MS);
    this.checkMs = Math.max(10, options.checkMs ?? 15_000);
  }

  /** `last_used_at` is written at most this often (a query less on most calls). */
  private get touchMs(): number {
    return Math.min(60_000, this.idleMs / 10);
  }

  /** A new session for `accountId`; the token is returned once and only its hash is kept. */
  async issue(accountId: string, meta: { userAgent?: string | null; address?: string | null } = {}, q: Queryable = this.db): Promise<SessionGrant> {
    const token = randomBytes(32).toString('base64url');
    const sessionId = newId();
    const rows = await q.query<{ last_used_at: Date; expires_at: Date; now: Date }>(
      `INSERT INTO staff_sessions (id, token_hash, account_id, expires_at, user_agent, address_hash)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5, $6)
       RETURNING last_used_at, expires_at, now() AS now`,
      [sessionId, sha256(token), accountId, this.maxMs / 1000, meta.userAgent?.slice(0, 300) ?? null, meta.address ? sha256(`address:${meta.address}`) : null],
    );
    this.remember(sha256(token), sessionId, accountId, rows[0]!);
    return { token, sessionId, ...this.times(rows[0]!) };
  }

  /**
   * A session with a token chosen by the caller (the pre-issued `staffToken` of tests and the
   * demo): made, or renewed when it exists — on every start, by every process that shares it.
   */
  async issueFixed(token: string, accountId: string): Promise<void> {
    const rows = await this.db.query<{ id: string; last_used_at: Date; expires_at: Date; now: Date }>(
      `INSERT INTO staff_sessions (id, token_hash, account_id, expires_at, user_agent)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), 'pre-issued staff token')
       ON CONFLICT (token_hash) DO UPDATE SET account_id = excluded.account_id, expires_at = excluded.expires_at,
         last_used_at = now(), revoked_at = NULL
       RETURNING id, last_used_at, expires_at, now() AS now`,
      [newId(), sha256(token), accountId, this.maxMs / 1000],
    );
    this.remember(sha256(token), rows[0]!.id, accountId, rows[0]!);
  }

  /** Who holds `token`, if their session is still valid (and counts this call as use). */
  async lookup(token: string): Promise<SessionLookup> {
    const hash = sha256(token);
    const rows = await this.db.query<SessionRow>(
      `SELECT s.id AS session_id, a.id AS account_id, a.login, a.display_name, a.role, a.department_id, a.site_id,
         (s.revoked_at IS NULL AND NOT a.disabled AND s.expires_at > now() AND s.last_used_at > now() - make_interval(secs => $2)) AS valid,
         s.last_used_at < now() - make_interval(secs => $3) AS stale,
         s.last_used_at, s.expires_at, now() AS now
       FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
       WHERE s.token_hash = $1`,
      [hash, this.idleMs / 1000, this.touchMs / 1000],
    );
    const row = rows[0];
    if (!row || !row.valid) {
      this.cache.delete(hash);
      return { status: row ? 'ended' : 'unknown' };
    }
    if (row.stale) {
      const touched = await this.db.query<{ last_used_at: Date; now: Date }>(
        `UPDATE staff_sessions SET last_used_at = now() WHERE id = $1 RETURNING last_used_at, now() AS now`, [row.session_id]);
      if (touched[0]) Object.assign(row, touched[0]);
    }
    const user: StaffUser = {
      id: row.account_id,
      login: row.login,
      displayName: row.display_name,
      role: row.role,
      departmentId: row.department_id,
      siteId: row.site_id,
      sessionId: row.session_id,
    };
    this.remember(hash, row.session_id, row.account_id, row);
    return { status: 'ok', user, ...this.times(row) };
  }

  /**
   * Whether `token` belongs to a session this process has seen valid and that has not ended
   * since (as far as it knows): no query, for the per-address budget of every call.
   */
  knownValid(token: string): boolean {
    const hash = sha256(token);
    const hit = this.cache.get(hash);
    if (!hit) return false;
    if (hit.until > Date.now()) return true;
    this.cache.delete(hash);
    return false;
  }

  /** Ends one session (signing out). */
  async end(sessionId: string): Promise<void> {
    await this.db.query('UPDATE staff_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
    this.forget((c) => c.sessionId === sessionId);
    this.closeStreams(sessionId);
  }

  /** Ends every session of an account but `keep` (signing out everywhere, a password change, disabling). Returns how many ended. */
  async endAll(accountId: string, keep: string | null = null, q: Queryable = this.db): Promise<number> {
    const rows = await q.query<{ id: string }>(
      `UPDATE staff_sessions SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR id <> $2) RETURNING id`,
      [accountId, keep],
    );
    this.forget((c) => c.accountId === accountId && c.sessionId !== keep);
    for (const { id } of rows) this.closeStreams(id);
    return rows.length;
  }

  /** Registers an open event stream of `sessionId`; `finish` closes it. */
  track(sessionId: string, finish: () => void): void {
    let set = this.streams.get(sessionId);
    if (!set) this.streams.set(sessionId, (set = new Set()));
    set.add(finish);
  }

  untrack(sessionId: string, finish: () => void): void {
    const set = this.streams.get(sessionId);
    set?.delete(finish);
    if (set?.size === 0) this.streams.delete(sessionId);
  }

  /** Closes the streams of sessions that ended elsewhere or expired; drops old rows once a day. */
  start(): void {
    this.timer ??= setInterval(() => void this.check().catch(() => undefined), this.checkMs);
    this.timer.unref();
    this.daily ??= setInterval(() => void this.sweep().catch(() => undefined), 24 * 3600_000);
    this.daily.unref();
    void this.sweep().catch(() => undefined);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.daily) clearInterval(this.daily);
    this.timer = this.daily = null;
  }

  /** One check of the sessions with open streams (also what the timer runs). */
  async check(): Promise<void> {
    const now = Date.now();
    for (const [hash, c] of this.cache) if (c.until <= now) this.cache.delete(hash);
    const ids = [...this.streams.keys()];
    if (!ids.length) return;
    const rows = await this.db.query<{ id: string }>(
      `SELECT s.id FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
       WHERE s.id = ANY($1::text[]) AND s.revoked_at IS NULL AND NOT a.disabled AND s.expires_at > now()
         AND s.last_used_at > now() - make_interval(secs => $2)`,
      [ids, this.idleMs / 1000],
    );
    const alive = new Set(rows.map((r) => r.id));
    for (const id of ids) {
      if (alive.has(id)) continue;
      this.forget((c) => c.sessionId === id);
      this.closeStreams(id);
    }
  }

  /** Sessions that ended more than 30 days ago are of no more use (sign-ins stay in the audit log). */
  private async sweep(): Promise<void> {
    await this.db.query(
      `DELETE FROM staff_sessions WHERE coalesce(revoked_at, least(expires_at, last_used_at + make_interval(secs => $1))) < now() - interval '30 days'`,
      [this.idleMs / 1000],
    );
  }

  private closeStreams(sessionId: string): void {
    const set = this.streams.get(sessionId);
    if (!set) return;
    this.streams.delete(sessionId);
    for (const finish of [...set]) finish();
  }

  private forget(match: (c: Cached) => boolean): void {
    for (const [hash, c] of this.cache) if (match(c)) this.cache.delete(hash);
  }

  /** The end of the session unless used again, and its absolute end. */
  private times(row: { last_used_at: Date | string; expires_at: Date | string }): { expiresAt: Date; absoluteExpiresAt: Date } {
    const absolute = ms(row.expires_at);
    return { expiresAt: new Date(Math.min(absolute, ms(row.last_used_at) + this.idleMs)), absoluteExpiresAt: new Date(absolute) };
  }

  private remember(hash: string, sessionId: string, accountId: string, row: { last_used_at: Date | string; expires_at: Date | string; now: Date | string }): void {
    // In the local clock: the database's may differ from this machine's.
    const left = Math.min(ms(row.expires_at), ms(row.last_used_at) + this.idleMs) - ms(row.now);
    this.cache.set(hash, { sessionId, accountId, until: Date.now() + left });
  }
}
