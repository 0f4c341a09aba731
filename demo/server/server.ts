/**
 * The reference intake server: Hono on Node (small, standard Request/Response handlers, streaming
 * for SSE, no native build), storage in PGlite or PostgreSQL. `startServer()` runs it in-process
 * (tests, e2e, the demo); main.ts runs it from the environment.
 */
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Hono, type Context } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import type { AnswersResponse, ServiceSuggestResponse } from '../../src/client/protocol.js';
import { isDatabaseUnavailable, openDb, type Db } from './storage/db.js';
import { seed } from './catalogue/seed.js';
import { Hub } from './hub.js';
import { HttpError, RateLimiter, askedLocale, databaseAway, errorResponse, localeHint, newToken, unstorableInUrl, type RateLimitOptions } from './http.js';
import { addressBudget, chargeRead, localeOf, staffOnDuty, type ServerContext } from './context.js';
import { catalogueResponse, coalesce, getSite } from './catalogue/catalog.js';
import { staffOnDutyKept } from './sse.js';
import { searchAnswers } from './catalogue/search.js';
import { rankServices } from './catalogue/suggest.js';
import { registerRequests } from './requests/requests.js';
import { registerDuplicates } from './loop/duplicates.js';
import { registerConversations } from './conversations/conversations.js';
import { registerAttachments, sweepOrphanAttachments, type AttachmentOptions } from './storage/attachments.js';
import { open311ErrorResponse, registerOpen311 } from './open311/open311.js';
import { registerStaff } from './staff/staff.js';
import { registerAccounts } from './accounts/routes.js';
import { Sessions, type SessionOptions } from './accounts/sessions.js';
import { SignInThrottle, type SignInLimits } from './accounts/throttle.js';
import { prepareAccounts, type FirstAdmin } from './accounts/accounts.js';
import { registerCatalogueAdmin } from './catalogue/admin.js';
import { seedCannedReplies } from './staff/canned.js';
import { expireIdempotency } from './storage/idempotency.js';
import { systemClock, type Clock } from './loop/clock.js';
import { escalateOverdue } from './loop/supervision.js';
import { startDelivery, type DeliveryOptions, type DeliveryWorker } from './delivery/worker.js';
import { registerDelivery } from './delivery/routes.js';

export const DEFAULT_ORIGINS = ['http://127.0.0.1:8080', 'http://localhost:8080'];

export interface ServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** A folder (PGlite files and attachments) or `memory://` (default). Ignored for the database when `databaseUrl` is set. */
  dataDir?: string;
  /** postgres://… — use a PostgreSQL server. */
  databaseUrl?: string;
  /** PostgreSQL only: the schema to use (made when missing); tests use a fresh one per run. */
  databaseSchema?: string;
  /**
   * A staff session token issued at start for a built-in dispatcher account (all sites, no
   * password; in demo mode the demo dispatcher): a convenience for tests and the demo, not a way
   * to sign in. Generated when absent; `false` issues none (production: everyone signs in).
   */
  staffToken?: string | false;
  /** Demo mode: make the demo accounts of every role (accounts/demo-accounts.ts) when missing. */
  demoAccounts?: boolean;
  /** Made at start as an administrator when there is no enabled administrator (INTAKE_ADMIN_*). */
  firstAdmin?: FirstAdmin;
  /** Issue a one-time setup token at start while there is no enabled administrator (`RunningServer.setupToken`). */
  offerSetup?: boolean;
  /** How long a setup token is valid, ms (default 24 h). */
  setupTokenMs?: number;
  /** Staff session expiry (default 12 h idle, 7 days absolute). */
  sessions?: SessionOptions;
  /** Wrong passwords slowed down (default 5 per login, 20 per address, then 30 s locks doubling to 15 min); false: off. */
  signInLimits?: SignInLimits | false;
  /** Origins allowed by CORS; '*' allows any. Default: the demo origins. */
  allowedOrigins?: string[] | '*';
  /** false turns rate limits off. */
  rateLimit?: RateLimitOptions | false;
  /**
   * Take the client address from X-Forwarded-For, set by this many trusted proxies in front
   * (true = 1). Default off: the socket address counts, and the header is ignored.
   */
  trustProxy?: boolean | number;
  /** When set, `POST /open311/v2/requests.json` needs this `api_key`. */
  open311ApiKey?: string;
  /** Bytes of uploads not yet claimed that one client address may hold (default 50 MiB, all sites together). */
  unclaimedUploadBytes?: number;
  /** How often to remove uploads never attached within 24 h, ms (default hourly; also at start). */
  sweepMs?: number;
  /** How often to escalate overdue items (loop/supervision.ts), ms (default every minute); 0: never by itself (tests call `escalateOverdue`). */
  escalateMs?: number;
  /** SSE heartbeat comment interval, ms (default 15 000). */
  heartbeatMs?: number;
  /** No logging. */
  quiet?: boolean;
  /** The loop's clock (deadlines, overdue, escalation, assessment months); tests pass a ManualClock. Default: the system clock. */
  clock?: Clock;
  /** Days after a reply or resolution without a rating before a resident with a phone is on the return-visit list (default 3). */
  returnVisitDays?: number;
  /** Delivery into departments' Open311 systems (delivery/worker.ts): how often to look, backoff, leases, pulls; false: no worker. */
  delivery?: DeliveryOptions | false;
}

export interface RunningServer {
  /** http://host:port */
  url: string;
  /** http://host:port/api/v1 */
  apiBase: string;
  /** http://host:port/open311/v2 */
  open311Base: string;
  port: number;
  /** The pre-issued staff session token (`ServerOptions.staffToken`); '' when none was issued. */
  staffToken: string;
  /** The one-time token that makes the first administrator (`offerSetup`), or null. */
  setupToken: string | null;
  db: Db;
  /** The clock the loop runs on (ServerOptions.clock). */
  clock: Clock;
  /** Escalates overdue items now (what the periodic sweep does; tests call it after moving the clock). */
  escalateOverdue(): ReturnType<typeof escalateOverdue>;
  /** The delivery worker (null when `delivery: false`): `run()` sends and pulls what is due on the loop clock now. */
  delivery: DeliveryWorker | null;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir ?? 'memory://';
  const memory = dataDir === 'memory://';
  const log = options.quiet ? () => undefined : (message: string) => console.error(message);
  const db = await openDb({ dataDir, databaseUrl: options.databaseUrl, schema: options.databaseSchema });
  try {
    await seed(db);
    await seedCannedReplies(db);
    await expireIdempotency(db);
    await sweepOrphanAttachments(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const prefix = options.databaseSchema ? `${options.databaseSchema}_` : 'intake_';
  const hub = new Hub(db, prefix, log);
  await hub.start();

  const ctx: ServerContext = {
    db,
    hub,
    limiter: new RateLimiter(options.rateLimit, sharedLimits(options.rateLimit, db) ? db : null),
    sessions: new Sessions(db, options.sessions),
    signIn: new SignInThrottle(db, options.signInLimits),
    // On PostgreSQL the bytes go into the database too, so every process (on any machine) reads them.
    filesDir: memory || options.databaseUrl ? null : join(dataDir, 'attachments'),
    heartbeatMs: options.heartbeatMs ?? 15_000,
    trustProxy: options.trustProxy === true ? 1 : Math.max(0, Math.floor(Number(options.trustProxy) || 0)),
    open311ApiKey: options.open311ApiKey || null,
    log,
    streams: new Set(),
    pending: new Set(),
    clock: options.clock ?? systemClock,
    returnVisitDays: options.returnVisitDays ?? 3,
  };

  const staffToken = options.staffToken === false ? '' : options.staffToken || newToken();
  let setupToken: string | null;
  try {
    ({ setupToken } = await prepareAccounts(ctx, {
      staffToken: staffToken || false,
      demoAccounts: options.demoAccounts ?? false,
      firstAdmin: options.firstAdmin,
      offerSetup: options.offerSetup ?? false,
      setupTokenMs: options.setupTokenMs,
    }));
  } catch (err) {
    await hub.stop();
    await db.close();
    throw err;
  }
  ctx.sessions.start();

  const app = buildApp(ctx, options.allowedOrigins ?? DEFAULT_ORIGINS, { unclaimedUploadBytes: options.unclaimedUploadBytes });
  const daily = setInterval(() => void expireIdempotency(db).catch(() => undefined), 24 * 3600_000);
  daily.unref();
  const sweeping = setInterval(() => void sweepOrphanAttachments(db).catch((err: Error) => log(`[sweep] ${err.message}`)), options.sweepMs ?? 3600_000);
  sweeping.unref();
  const escalateMs = options.escalateMs ?? 60_000;
  const escalating = escalateMs > 0
    ? setInterval(() => void escalateOverdue(ctx).catch((err: Error) => log(`[escalate] ${err.message}`)), escalateMs)
    : null;
  escalating?.unref();
  const delivery = options.delivery === false ? null : startDelivery(ctx, options.delivery);

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  // The HTTP parser's own refusals (431 for an over-long URL, 400 for a malformed call) never reach
  // the app: answered here, as JSON and with the CORS headers, or the page sees only a CORS error.
  server.on('clientError', (err: Error, socket: Duplex) => answerClientError(err, socket, options.allowedOrigins ?? DEFAULT_ORIGINS));
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    apiBase: `${url}/api/v1`,
    open311Base: `${url}/open311/v2`,
    port,
    clock: ctx.clock,
    escalateOverdue: () => escalateOverdue(ctx),
    delivery,
    staffToken,
    setupToken,
    db,
    close() {
      closing ??= (async () => {
        clearInterval(daily);
        clearInterval(sweeping);
        if (escalating) clearInterval(escalating);
        await delivery?.stop();
        ctx.sessions.stop();
        for (const finish of [...ctx.streams]) finish();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          const s = server as ServerType & { closeAllConnections?: () => void };
          s.closeAllConnections?.();
        });
        await Promise.allSettled([...ctx.pending]);
        await hub.stop();
        await db.close();
      })();
      return closing;
    },
  };
}

/** Counters go to the database when asked, and by default on PostgreSQL (shared by processes). */
function sharedLimits(options: RateLimitOptions | false | undefined, db: Db): boolean {
  if (options === false) return false;
  return options?.shared ?? db.engine === 'postgres';
}

function originAllowed(origin: string, allowed: string[] | '*'): boolean {
  return allowed === '*' || allowed.includes(origin);
}

const CLIENT_ERRORS: Record<number, [string, string]> = {
  400: ['Bad Request', 'The call is not valid HTTP'],
  408: ['Request Timeout', 'The call took too long to arrive'],
  431: ['Request Header Fields Too Large', 'The address or the headers of the call are too large (at most 16 KiB together)'],
};

const ORIGIN_LINE = /\r\norigin:[ \t]*([^\r\n]*)\r\n/i;
/** Sockets already answered: the parser reports its error again for every later chunk. */
const answered = new WeakSet<Duplex>();

/** What Node's default clientError handler does, plus the error body and the CORS headers. */
function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex, allowed: string[] | '*'): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  const pending = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  // The call was not parsed: its Origin is read from the bytes that arrived. An over-long URL may
  // end a chunk before the headers do: then up to 64 KiB more, for at most a second, are read.
  let seen = err.rawPacket?.toString('latin1') ?? '';
  const enough = seen.length + 64 * 1024;
  if (ORIGIN_LINE.test(seen) || seen.includes('\r\n\r\n') || status !== 431 || !socket.readable) {
    writeClientError(socket, status, ORIGIN_LINE.exec(seen)?.[1], allowed);
    return;
  }
  const finish = () => {
    clearTimeout(timer);
    socket.removeListener('data', more);
    writeClientError(socket, status, ORIGIN_LINE.exec(seen)?.[1], allowed);
  };
  const more = (chunk: Buffer) => {
    seen += chunk.toString('latin1');
    if (ORIGIN_LINE.test(seen) || seen.includes('\r\n\r\n') || seen.length > enough) finish();
  };
  const timer = setTimeout(finish, 1000);
  socket.on('data', more);
}

function writeClientError(socket: Duplex, status: number, origin: string | undefined, allowed: string[] | '*'): void {
  if (!socket.writable) return;
  const [reason, message] = CLIENT_ERRORS[status]!;
  const body = JSON.stringify({ error: { code: 'bad_request', message } });
  origin = origin?.trim();
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    'Connection: close',
  ];
  if (origin && originAllowed(origin, allowed)) {
    lines.push(`Access-Control-Allow-Origin: ${allowed === '*' ? '*' : origin}`, 'Vary: Origin', 'Access-Control-Expose-Headers: Retry-After, Content-Disposition');
  }
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

export function buildApp(ctx: ServerContext, allowedOrigins: string[] | '*', attachments: AttachmentOptions = {}): Hono {
  const app = new Hono();
  const api = new Hono();

  let awayLogged = 0;
  const onError = (err: Error, c: Context) => {
    // An app-wide middleware (the address budget) can fail on an Open311 path: answer in its format.
    const respond = c.req.path.startsWith('/open311/') ? (e: HttpError) => open311ErrorResponse(e, c) : (e: HttpError) => errorResponse(e, askedLocale(c));
    if (err instanceof HttpError) return respond(err);
    // The database is away (restarting, connection lost): 503 + Retry-After, and the client retries with its same key.
    if (isDatabaseUnavailable(err)) {
      if (Date.now() - awayLogged > 5000) ctx.log(`[server] database unavailable (${err.message}); answering 503`);
      awayLogged = Date.now();
      return respond(databaseAway());
    }
    // Never a stack trace or SQL in a response; the log gets the route and the message only.
    ctx.log(`[server] ${c.req.method} ${c.req.routePath}: ${err.name}: ${err.message}`);
    return respond(new HttpError('server_error', 'Something went wrong on our side; please try again'));
  };
  app.onError(onError);
  api.onError(onError);

  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && !originAllowed(origin, allowedOrigins)) {
      const refused = new HttpError('forbidden', 'This origin is not allowed');
      return c.req.path.startsWith('/open311/') ? open311ErrorResponse(refused, c) : errorResponse(refused, askedLocale(c));
    }
    const cors: Record<string, string> = origin
      ? {
          'access-control-allow-origin': allowedOrigins === '*' ? '*' : origin,
          vary: 'Origin',
          'access-control-expose-headers': 'Retry-After, Content-Disposition, ETag',
        }
      : {};
    // Text the database cannot store (U+0000 in a path id or a query parameter) stops here, for every endpoint.
    const refusal = unstorableInUrl(c.req.url, localeHint(c));
    if (refusal) {
      c.res = c.req.path.startsWith('/open311/') ? open311ErrorResponse(refusal, c) : errorResponse(refusal);
    } else if (c.req.method === 'OPTIONS') {
      if (!origin) return c.body(null, 204);
      return c.body(null, 204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'access-control-allow-headers': 'Content-Type, Authorization, Idempotency-Key, X-Intake-Contact, Last-Event-ID, If-None-Match',
        'access-control-max-age': '600',
      });
    } else {
      await next();
    }
    // Set on the final response, so error responses and event streams (fresh Response objects
    // from onError and the SSE handler) carry them too.
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(cors)) headers.set(name, value);
    headers.set('x-content-type-options', 'nosniff');
    if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  });

  // Every call counts against its address's budget before anything is parsed (context.ts); after
  // the CORS block, so a 429 carries the CORS headers and the widget can read Retry-After.
  app.use('*', addressBudget(ctx, (err, c) => (c.req.path.startsWith('/open311/') ? open311ErrorResponse(err, c) : errorResponse(err, askedLocale(c)))));

  app.get('/', (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json({ name: 'intake reference server', apiBase: `${origin}/api/v1`, open311Base: `${origin}/open311/v2` });
  });

  api.get('/health', async (c) => {
    await ctx.db.query('SELECT 1');
    return c.json({ ok: true });
  });

  // Calls at once share one presence read that began after they came (catalogue/catalog.ts coalesce); on PGlite kept (sse.ts).
  const onDuty = coalesce(() => staffOnDuty(ctx));
  const onDutyNow = () => staffOnDutyKept(ctx, onDuty);
  api.get('/catalog', async (c) => {
    const site = c.req.query('site');
    if (!site) throw new HttpError('validation_failed', 'Name the site', { site: 'Required' });
    const answer = await catalogueResponse(c, ctx.db, site, localeOf(c), await onDutyNow());
    if (!answer) await chargeRead(ctx, c); // an unknown site cost a look-up: a whole read (context.ts)
    if (!answer) throw new HttpError('not_found', 'Unknown site', { site: 'Unknown site' });
    return answer;
  });

  api.get('/answers', async (c) => {
    const site = c.req.query('site');
    const q = c.req.query('q') ?? '';
    if (!site) throw new HttpError('validation_failed', 'Name the site', { site: 'Required' });
    if (q.length > 500) throw new HttpError('validation_failed', 'The question is too long', { q: 'At most 500 characters' });
    if (!(await getSite(ctx.db, site))) throw new HttpError('not_found', 'Unknown site', { site: 'Unknown site' });
    const answers = q.trim() ? await searchAnswers(ctx.db, q, localeOf(c)) : [];
    const out: AnswersResponse = { query: q, answers };
    return c.json(out);
  });

  // The form's service search (issue 18): the services ranked for what the resident typed, best
  // first, by the ranking behind the dispatch suggestion (catalogue/suggest.ts).
  api.get('/services/suggest', async (c) => {
    const site = c.req.query('site');
    const q = c.req.query('q') ?? '';
    if (!site) throw new HttpError('validation_failed', 'Name the site', { site: 'Required' });
    if (q.length > 500) throw new HttpError('validation_failed', 'The question is too long', { q: 'At most 500 characters' });
    if (!(await getSite(ctx.db, site))) throw new HttpError('not_found', 'Unknown site', { site: 'Unknown site' });
    // The ones that stand a chance: a tail below a tenth of the best score is left to the form's own match.
    const ranked = q.trim() ? (await rankServices(ctx.db, q)).filter((s, _, all) => s.score >= all[0]!.score / 10).slice(0, 10) : [];
    const out: ServiceSuggestResponse = { query: q, services: ranked.map(({ service, confidence }) => ({ service, confidence })) };
    return c.json(out);
  });

  registerRequests(api, ctx);
  registerConversations(api, ctx);
  registerAttachments(api, ctx, attachments);
  registerStaff(api, ctx);
  // After registerStaff, whose middleware signs in /staff/*: /similar, …/follow, the dispatcher's merge.
  registerDuplicates(api, ctx);
  registerDelivery(api, ctx);
  registerAccounts(api, ctx);
  registerCatalogueAdmin(api, ctx);

  api.notFound((c) => errorResponse(new HttpError('not_found', 'No such endpoint'), askedLocale(c)));
  app.route('/api/v1', api);
  app.route('/open311/v2', registerOpen311(ctx));
  app.notFound((c) =>
    c.req.path.startsWith('/open311/')
      ? open311ErrorResponse(new HttpError('not_found', 'No such endpoint (use .xml or .json)'), c)
      : errorResponse(new HttpError('not_found', 'No such endpoint'), askedLocale(c)));
  return app;
}
