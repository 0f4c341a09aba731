/** What every route module gets: the database, the fan-out hub, limits and settings. */
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Db } from './storage/db.js';
import type { Hub } from './hub.js';
import type { Clock } from './loop/clock.js';
import { HttpError, RateLimiter, bearer } from './http.js';
import { localeFrom, type Locale } from './catalogue/locales.js';
import type { StaffUser } from './staff/identity.js';
import type { Sessions } from './accounts/sessions.js';
import type { SignInThrottle } from './accounts/throttle.js';

export interface ServerContext {
  db: Db;
  hub: Hub;
  limiter: RateLimiter;
  /** Staff sessions (accounts/sessions.ts): every staff call is checked against them. */
  sessions: Sessions;
  /** Wrong passwords slowed down per login and per address (accounts/throttle.ts). */
  signIn: SignInThrottle;
  /** Folder for attachment files (PGlite in a data folder); null keeps them in the database (`memory://`, PostgreSQL). */
  filesDir: string | null;
  heartbeatMs: number;
  /** Proxies in front of the server whose X-Forwarded-For is believed (0: none, the socket address counts). */
  trustProxy: number;
  /** The Open311 `api_key` POST requests.json must carry; null when none is configured. */
  open311ApiKey: string | null;
  log(message: string): void;
  /** Open SSE streams, closed when the server stops. */
  streams: Set<() => void>;
  /** Clean-up work (presence removal) the server waits for before closing the database. */
  pending: Set<Promise<unknown>>;
  /** The loop's clock (loop/clock.ts): deadlines and everything timed in the loop read it. */
  clock: Clock;
  /** Days without a rating before the return-visit list shows a resident (loop/ratings.ts; default 3). */
  returnVisitDays?: number;
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

const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:.]*:[0-9a-f:.]*)$/i;

/**
 * The client's address: the socket's, or — behind `trustProxy` trusted proxies — the entry of
 * X-Forwarded-For that the outermost trusted proxy added (entries further left are the client's own
 * claim and can be forged).
 */
export function clientAddress(c: Context, trustProxy = 0): string {
  if (trustProxy > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const entry = hops[Math.max(0, hops.length - trustProxy)];
    const address = entry?.replace(/^\[|\](?::\d+)?$/g, '').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
    if (address && IP.test(address)) return address;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The caller's locale: `?locale=` when it is one of ours, else Accept-Language (q-values weighed), else zh-CN (catalogue/locales.ts). */
export function localeOf(c: Context): Locale {
  return localeFrom(c.req.query('locale'), c.req.header('accept-language'));
}

/** The staff token of a call: the bearer token, or for event streams (EventSource sends no headers) `?token=`. */
function staffToken(c: Context, allowQueryToken: boolean): string | null {
  return bearer(c) ?? (allowQueryToken ? c.req.query('token') ?? null : null);
}

/** Paths under `/staff/` that need no session: signing in, and making the first administrator. */
export function openStaffPath(c: Context): boolean {
  return c.req.method === 'POST' && /\/staff\/(?:session|setup)$/.test(c.req.path);
}

/** The signed-in member of staff whose session token the call carries, or null. */
export async function staffCaller(ctx: ServerContext, c: Context, allowQueryToken = false): Promise<StaffUser | null> {
  const token = staffToken(c, allowQueryToken);
  if (!token) return null;
  const found = await ctx.sessions.lookup(token);
  return found.status === 'ok' ? found.user : null;
}

/** Whether the call carries a valid staff session token (residents' endpoints let staff read too). */
export async function isStaff(ctx: ServerContext, c: Context, allowQueryToken = false): Promise<boolean> {
  return (await staffCaller(ctx, c, allowQueryToken)) !== null;
}

/**
 * The signed-in member of staff, slowed down: past `staffFailures` unknown tokens from an address
 * every staff call from it is 429 for the rest of the window — a valid token too, or the answer
 * would tell. A token of a session that has ended (expired, signed out) is 401 but no failure:
 * it is a console to sign in again, not a guess.
 */
export async function requireStaff(ctx: ServerContext, c: Context, allowQueryToken = false): Promise<StaffUser> {
  const address = clientAddress(c, ctx.trustProxy);
  await ctx.limiter.checkFailures('staff', address);
  const token = staffToken(c, allowQueryToken);
  const found = token ? await ctx.sessions.lookup(token) : ({ status: 'unknown' } as const);
  if (found.status === 'ok') return found.user;
  if (found.status === 'unknown') await ctx.limiter.fail('staff', address);
  throw new HttpError('unauthorized', found.status === 'ended' ? 'This session has ended; sign in again' : 'Sign in to use the staff API');
}

/** The resident catalogue's path, and how many of its calls from one address count as one read. */
const CATALOGUE_PATH = '/api/v1/catalog';
export const CATALOGUE_CALLS_PER_READ = 50;

/** Counts one read in full against the caller's address (a catalogue call that had to look in the database for nothing). */
export async function chargeRead(ctx: ServerContext, c: Context): Promise<void> {
  await ctx.limiter.hitAddress(clientAddress(c, ctx.trustProxy), 'read');
}

/**
 * Every call counts against its client address's budget (reads and writes apart, all sites
 * together) before anything is parsed, so malformed bodies, unknown paths and refusals count
 * too. Calls with a valid staff session token are not counted: a busy console shares no budget
 * with residents behind the same address.
 */
export function addressBudget(ctx: ServerContext, refuse: (err: HttpError, c: Context) => Response): MiddlewareHandler {
  const catalogueCalls = new Map<string, number>();
  return async (c, next) => {
    const token = staffToken(c, true);
    // No query: the sessions this process has seen valid (a staff call's first one counts).
    if (!token || !ctx.sessions.knownValid(token)) {
      try {
        const address = clientAddress(c, ctx.trustProxy);
        const read = c.req.method === 'GET' || c.req.method === 'HEAD';
        if (read && c.req.path === CATALOGUE_PATH) {
          // The catalogue is public, the same for every resident of a site and answered from memory
          // (or 304): CATALOGUE_CALLS_PER_READ of its calls count as one read. Many residents share
          // one address (carrier NAT, an office, a kiosk) and every page view asks for it: counted
          // in full, one eager page would use up the budget their status look-ups and chats need.
          // An unknown site, which costs a look-up, counts in full (chargeRead in the handler).
          const n = (catalogueCalls.get(address) ?? 0) + 1;
          if (catalogueCalls.size > 10_000) catalogueCalls.clear();
          if (n >= CATALOGUE_CALLS_PER_READ) catalogueCalls.delete(address);
          else catalogueCalls.set(address, n);
          if (n === 1) {
            // Over budget: every catalogue call counts (and is refused) until the window ends.
            await ctx.limiter.hitAddress(address, 'read').catch((err: unknown) => {
              catalogueCalls.delete(address);
              throw err;
            });
          }
        } else {
          await ctx.limiter.hitAddress(address, read ? 'read' : 'write');
        }
      } catch (err) {
        if (err instanceof HttpError) return refuse(err, c);
        throw err;
      }
    }
    await next();
  };
}
