/** What every route module gets: the database, the fan-out hub, limits and settings. */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Db } from './db.js';
import type { Hub } from './hub.js';
import { HttpError, RateLimiter, bearer, safeEqual } from './http.js';
import { pickLocale, type Locale } from './catalog.js';

export interface ServerContext {
  db: Db;
  hub: Hub;
  limiter: RateLimiter;
  staffToken: string;
  /** Folder for attachment files; null keeps them in the database (`memory://`). */
  filesDir: string | null;
  heartbeatMs: number;
  log(message: string): void;
  /** Open SSE streams, closed when the server stops. */
  streams: Set<() => void>;
  /** Clean-up work (presence removal) the server waits for before closing the database. */
  pending: Set<Promise<unknown>>;
}

/** How long a staff console's presence lasts without a heartbeat. */
export const PRESENCE_TTL_SECONDS = 45;

export async function staffOnDuty(ctx: ServerContext): Promise<boolean> {
  const rows = await ctx.db.query<{ on: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM staff_presence WHERE last_seen > now() - make_interval(secs => $1)) AS on`,
    [PRESENCE_TTL_SECONDS],
  );
  return rows[0]?.on === true;
}

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function localeOf(c: Context): Locale {
  return pickLocale(c.req.query('locale') ?? c.req.header('accept-language')?.split(',')[0]);
}

export function isStaff(ctx: ServerContext, c: Context, allowQueryToken = false): boolean {
  const token = bearer(c) ?? (allowQueryToken ? c.req.query('token') ?? null : null);
  return token !== null && safeEqual(token, ctx.staffToken);
}

export function requireStaff(ctx: ServerContext, c: Context, allowQueryToken = false): void {
  if (!isStaff(ctx, c, allowQueryToken)) throw new HttpError('unauthorized', 'A valid staff token is required');
}

export function limit(ctx: ServerContext, c: Context, site: string, kind: 'read' | 'write'): void {
  ctx.limiter.hit(clientAddress(c), site, kind);
}
