/**
 * Delivery into departments' own Open311 systems (issue 20). A request routed to a department with
 * an endpoint (delivery/config.ts) gets a row in `delivery_outbox` in the same transaction as the
 * routing (migration 18: one row per request and department, so routing it there again sends
 * nothing new). A worker posts due rows, each claimed with a lease on the loop clock so two
 * processes never both send; a POST whose answer was lost (a reset, a timeout, a 5xx, or a process
 * that died while sending) is first looked up by our reference in the department's `GET requests`
 * before it is sent again, or held for staff where the server cannot be asked. Failures are retried
 * with backoff and shown to staff; nothing is dropped. Delivered rows are pulled on a schedule and
 * on demand (delivery/pull.ts).
 */
import type { Clock } from '../loop/clock.js';
import type { ServerContext } from '../context.js';
import { getService, type Locale } from '../catalogue/catalog.js';
import { newId } from '../http.js';
import type { Queryable } from '../storage/db.js';
import type { RequestRow } from '../requests/requests.js';
import { endpointOf, type Open311Endpoint } from './config.js';
import { DeliveryError, GeoReportClient, type Params } from './georeport.js';

export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'held';

export interface OutboxRow {
  id: string;
  request_id: string;
  department_id: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: Date;
  lease_owner: string | null;
  lease_until: Date | null;
  uncertain: boolean;
  first_sent_at: Date | null;
  last_attempt_at: Date | null;
  last_error: string | null;
  service_request_id: string | null;
  token: string | null;
  delivered_at: Date | null;
  remote_status: string | null;
  remote_notes: string | null;
  updates_offered: boolean;
  updates_since: Date | null;
  next_pull_at: Date | null;
  pulled_at: Date | null;
  pull_error: string | null;
  pull_failures: number;
  created_at: Date;
}

export interface DeliveryTimings {
  /** First retry after this long; doubled each failure up to `maxBackoffMs` (default 30 s, 1 h). */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long a claim holds (default 2 min): a process that died while sending frees the row after it. */
  leaseMs: number;
  /** How often a delivered request's status and comments are pulled (default 10 min). */
  pullEveryMs: number;
}

export const DEFAULT_TIMINGS: DeliveryTimings = { backoffMs: 30_000, maxBackoffMs: 3_600_000, leaseMs: 120_000, pullEveryMs: 600_000 };

/** The n-th failure's wait (n from 1). */
export function backoff(failures: number, t: DeliveryTimings): number {
  return Math.min(t.maxBackoffMs, t.backoffMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

/** Wakes the worker of this server soon after a row is queued (it also runs on its own schedule). */
const wakers = new WeakMap<object, () => void>();
export function onQueued(ctx: object, wake: () => void): void {
  wakers.set(ctx, wake);
}

/** After a filing's statement queued a row (requests.ts writeFiling): the worker looks a moment later. */
export function wakeDelivery(ctx: object): void {
  const wake = wakers.get(ctx);
  if (wake) setTimeout(wake, 50).unref();
}

/**
 * The hook: called where a request is routed (filing, staffRoute), inside that transaction.
 * Departments without an endpoint get nothing; a request already queued for that department keeps its row.
 */
export async function queueDelivery(ctx: Pick<ServerContext, 'clock'>, q: Queryable, requestId: string, departmentId: string): Promise<void> {
  const endpoint = await endpointOf(q, departmentId);
  if (!endpoint) return;
  const now = ctx.clock.now();
  const rows = await q.query(
    `INSERT INTO delivery_outbox (id, request_id, department_id, state, next_attempt_at, created_at)
     VALUES ($1, $2, $3, 'pending', $4, $4) ON CONFLICT (request_id, department_id) DO NOTHING RETURNING id`,
    [newId(), requestId, departmentId, now]);
  if (rows.length) {
    const wake = wakers.get(ctx);
    // After the routing's transaction has committed (a moment later); the schedule catches it otherwise.
    if (wake) setTimeout(wake, 50).unref();
  }
}

/** Claims one due row (pending and due, or sending with its lease run out), or null. */
export async function claimDue(q: Queryable, clock: Clock, owner: string, t: DeliveryTimings, onlyId?: string): Promise<OutboxRow | null> {
  const now = clock.now();
  const rows = await q.query<OutboxRow & Record<string, unknown>>(
    `UPDATE delivery_outbox o SET state = 'sending', lease_owner = $1, lease_until = $3, attempts = o.attempts + 1,
        last_attempt_at = $2, first_sent_at = COALESCE(o.first_sent_at, $2),
        -- a row found still 'sending' was claimed by a process that never finished: its POST may have arrived
        uncertain = o.uncertain OR o.state = 'sending'
      WHERE o.id = (
        SELECT id FROM delivery_outbox
         WHERE ((state = 'pending' AND next_attempt_at <= $2) OR (state = 'sending' AND lease_until <= $2))
           AND ($4::text IS NULL OR id = $4)
         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING o.*`,
    [owner, now, new Date(now.getTime() + t.leaseMs), onlyId ?? null]);
  return rows[0] ?? null;
}

/** The form a department's system gets (FixMyStreet's shape: attribute[code], media_url per photo). */
export async function requestParams(q: Queryable, r: RequestRow, endpoint: Open311Endpoint): Promise<Params | string> {
  const code = endpoint.services[r.service_id] ?? endpoint.defaultServiceCode;
  if (!code) return `no service_code for our service ${r.service_id} (add it to the department's open311.services)`;
  const params: Params = [['service_code', code]];
  const service = await getService(q, r.service_id);
  const location = r.location ?? Object.values(r.fields).find((v): v is { lat?: number; lng?: number; address?: string } =>
    !!v && typeof v === 'object' && !Array.isArray(v) && ('lat' in v || 'address' in v)) ?? null;
  if (location?.lat !== undefined && location.lng !== undefined) params.push(['lat', String(location.lat)], ['long', String(location.lng)]);
  if (location?.address) params.push(['address_string', location.address]);
  // Our reference goes in the description always (the lost-answer lookup reads it back), and in an attribute where named.
  params.push(['description', `${r.description}\n\n${referenceLine(r.reference)}`]);
  if (endpoint.referenceAttribute) params.push([`attribute[${endpoint.referenceAttribute}]`, r.reference]);
  for (const [field, attr] of Object.entries(endpoint.attributes ?? {})) {
    const value = r.fields[field];
    if (value === undefined || value === null || (service && !service.fields.some((f) => f.id === field))) continue;
    const name = `attribute[${attr}]`;
    if (Array.isArray(value)) {
      for (const one of value) params.push([endpoint.multiValue === 'brackets' ? `${name}[]` : name, String(one)]);
    } else if (typeof value === 'object') {
      if ('address' in value && value.address) params.push([name, value.address]);
      else if ('lat' in value) params.push([name, `${value.lat},${value.lng}`]);
    } else params.push([name, String(value)]);
  }
  if (r.media_url) params.push(['media_url', r.media_url]);
  if (endpoint.sendContact && r.contact) {
    const [first, ...rest] = (r.contact.name ?? '').trim().split(/\s+/);
    if (first) params.push(['first_name', first], ['last_name', rest.join(' ')]);
    if (r.contact.phone) params.push(['phone', r.contact.phone]);
    if (r.contact.email) params.push(['email', r.contact.email]);
  }
  return params;
}

export const referenceLine = (reference: string) => `[${reference}]`;

export interface AttemptResult {
  state: DeliveryState;
  posted: boolean;
}

/**
 * One claimed row: look it up first when an earlier attempt may have arrived, else post it.
 * `force`: staff said to send it again although the earlier attempt could not be checked.
 */
export async function attempt(ctx: Pick<ServerContext, 'db' | 'clock' | 'log'>, row: OutboxRow, owner: string, t: DeliveryTimings, signal?: AbortSignal, force = false): Promise<AttemptResult> {
  const { db, clock } = ctx;
  const r = (await db.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1', [row.request_id]))[0];
  const endpoint = await endpointOf(db, row.department_id);
  const mine = 'id = $1 AND lease_owner = $2';
  const hold = async (why: string) => {
    await db.query(`UPDATE delivery_outbox SET state = 'held', lease_owner = NULL, lease_until = NULL, last_error = $3 WHERE ${mine}`, [row.id, owner, why]);
    return { state: 'held' as const, posted: false };
  };
  if (!r || !endpoint) return hold('the department has no Open311 endpoint any more');
  const params = await requestParams(db, r, endpoint);
  if (typeof params === 'string') return hold(params);
  const client = new GeoReportClient(endpoint, signal);
  const delivered = async (serviceRequestId: string | null, token: string | null) => {
    const now = clock.now();
    await db.query(
      `UPDATE delivery_outbox SET state = 'delivered', lease_owner = NULL, lease_until = NULL, last_error = NULL, uncertain = false,
          service_request_id = $3, token = $4, delivered_at = $5, next_pull_at = $6, updates_since = $7 WHERE ${mine}`,
      [row.id, owner, serviceRequestId, token, now, new Date(now.getTime() + t.pullEveryMs), new Date((row.first_sent_at ?? now).getTime() - 5 * 60_000)]);
    return { state: 'delivered' as const, posted: false };
  };
  const failed = async (err: unknown, sent: boolean) => {
    const message = err instanceof Error ? err.message : String(err);
    const next = new Date(clock.now().getTime() + backoff(row.attempts, t));
    await db.query(
      `UPDATE delivery_outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL, uncertain = uncertain OR $3, last_error = $4, next_attempt_at = $5 WHERE ${mine}`,
      [row.id, owner, sent, message.slice(0, 500), next]);
    return { state: 'pending' as const, posted: false };
  };

  if (row.uncertain && !force) {
    if (endpoint.lookup === false) return hold('the answer to an earlier POST was lost and this server is not looked up: check their system, then send it again');
    try {
      const since = new Date((row.first_sent_at ?? row.created_at).getTime() - 3600_000);
      const until = new Date(clock.now().getTime() + 3600_000);
      const found = (await client.requestsBetween(since, until)).find((x) => typeof x.description === 'string' && x.description.includes(referenceLine(r.reference)));
      if (found && (found.service_request_id || found.token)) return delivered(found.service_request_id ? String(found.service_request_id) : null, found.token ? String(found.token) : null);
    } catch (err) {
      if (err instanceof DeliveryError && err.status !== null && err.status >= 400 && err.status < 500) {
        return hold(`the answer to an earlier POST was lost and GET requests is refused (${err.message}): check their system, then send it again`);
      }
      return failed(err, false);
    }
  }
  // Still ours? (a lease that ran out mid-call would have let another process take it)
  const still = await db.query(`UPDATE delivery_outbox SET lease_until = $3 WHERE ${mine} AND state = 'sending' RETURNING id`, [row.id, owner, new Date(clock.now().getTime() + t.leaseMs)]);
  if (!still.length) return { state: 'sending', posted: false };
  try {
    const answer = await client.postRequest(params);
    const result = await delivered(answer.serviceRequestId, answer.token);
    return { ...result, posted: true };
  } catch (err) {
    const sent = err instanceof DeliveryError ? err.sent : true;
    ctx.log(`[delivery] ${r.reference} → ${row.department_id}: ${(err as Error).message}`);
    return { ...(await failed(err, sent)), posted: true };
  }
}

/* ---------------------------------------------------------------- for staff */

export interface DeliveryLine {
  department: { id: string; name: string };
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  serviceRequestId: string | null;
  token: string | null;
  deliveredAt: string | null;
  remoteStatus: string | null;
  pulledAt: string | null;
  nextPullAt: string | null;
  pullError: string | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function deliveryLines(q: Queryable, requestId: string, locale: Locale, text: (names: unknown, locale: Locale) => string): Promise<DeliveryLine[]> {
  const rows = await q.query<OutboxRow & { names: unknown } & Record<string, unknown>>(
    'SELECT o.*, d.names FROM delivery_outbox o JOIN departments d ON d.id = o.department_id WHERE o.request_id = $1 ORDER BY o.created_at, o.id', [requestId]);
  return rows.map((o) => ({
    department: { id: o.department_id, name: text(o.names, locale) },
    state: o.state,
    attempts: Number(o.attempts),
    lastError: o.last_error,
    lastAttemptAt: iso(o.last_attempt_at),
    nextAttemptAt: o.state === 'pending' || o.state === 'sending' ? iso(o.next_attempt_at) : null,
    serviceRequestId: o.service_request_id,
    token: o.token,
    deliveredAt: iso(o.delivered_at),
    remoteStatus: o.remote_status,
    pulledAt: iso(o.pulled_at),
    nextPullAt: o.state === 'delivered' ? iso(o.next_pull_at) : null,
    pullError: o.pull_error,
  }));
}
