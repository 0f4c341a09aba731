/**
 * Pulling a delivered request's status and comments back from the department's system, on a
 * schedule and on demand: `GET servicerequestupdates` (mySociety's extension) where offered, each
 * update applied once (delivery_updates), and `GET requests?service_request_id=…` for the status.
 * A comment becomes a reply the resident sees, signed by the department; statuses are mapped
 * (status-map.ts) onto ours with a note in the resident's language on the timeline.
 */
import type { RequestStatus } from '../../../src/client/protocol.js';
import { pickLocale } from '../catalogue/catalog.js';
import type { ServerContext } from '../context.js';
import { newId } from '../http.js';
import { answered } from '../loop/ratings.js';
import { addTimeline, setStatus, type RequestRow } from '../requests/requests.js';
import { STATUS_TRANSITIONS } from '../staff/staff-api.js';
import type { Queryable } from '../storage/db.js';
import { endpointOf } from './config.js';
import { DeliveryError, GeoReportClient, type RemoteUpdate } from './georeport.js';
import { backoff, type DeliveryTimings, type OutboxRow } from './outbox.js';
import { ourStatus, remoteStatus, statusNote } from './status-map.js';

type Ctx = Pick<ServerContext, 'db' | 'clock' | 'log' | 'hub'> & ServerContext;

/** Claims one delivered row due to be pulled (moves its next pull on, so no other process takes it). */
export async function claimPull(q: Queryable, now: Date, t: DeliveryTimings, onlyId?: string): Promise<OutboxRow | null> {
  const rows = await q.query<OutboxRow & Record<string, unknown>>(
    `UPDATE delivery_outbox o SET next_pull_at = $2
      WHERE o.id = (
        SELECT d.id FROM delivery_outbox d JOIN requests r ON r.id = d.request_id
         WHERE d.state = 'delivered' AND d.next_pull_at <= $1 AND r.status <> 'closed' AND ($3::text IS NULL OR d.id = $3)
         ORDER BY d.next_pull_at, d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED)
      RETURNING o.*`,
    [now, new Date(now.getTime() + t.pullEveryMs), onlyId ?? null]);
  return rows[0] ?? null;
}

/** The way from one status to another through the allowed moves (at most one step through in_progress). */
function path(from: RequestStatus, to: RequestStatus): RequestStatus[] | null {
  if (from === to) return [];
  if (STATUS_TRANSITIONS[from].includes(to)) return [to];
  if (STATUS_TRANSITIONS[from].includes('in_progress') && STATUS_TRANSITIONS.in_progress.includes(to)) return ['in_progress', to];
  return null;
}

/** Applies their status (and a comment) to our request in one transaction. */
async function apply(ctx: Ctx, q: Queryable, row: OutboxRow, raw: string | undefined, comment: string | undefined): Promise<boolean> {
  const r = (await q.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1 FOR UPDATE', [row.request_id]))[0];
  if (!r) return false;
  const locale = pickLocale(r.locale);
  const remote = remoteStatus(raw);
  const newRemote = remote !== null && remote !== remoteStatus(row.remote_status);
  let changed = false;
  const text = comment?.trim();
  // Only the office it is routed to moves the status; an earlier office's comments still reach the resident.
  const lead = r.department_id === row.department_id;
  if (text) {
    await q.query('INSERT INTO request_replies (id, request_id, department_id, text, author_id, signature) VALUES ($1, $2, $3, $4, NULL, NULL)',
      [newId(), r.id, row.department_id, text.slice(0, 4000)]);
    await q.query('UPDATE requests SET first_reply_at = COALESCE(first_reply_at, $2) WHERE id = $1', [r.id, ctx.clock.now()]);
    changed = true;
  }
  let current = r.status;
  let target = remote && lead ? ourStatus(remote) : null;
  if (!target && text && lead && (current === 'received' || current === 'routed' || current === 'in_progress')) target = 'replied';
  const steps = target ? path(current, target) : [];
  const note = remote && newRemote ? statusNote(remote, locale) : null;
  if (steps?.length) {
    for (const [i, step] of steps.entries()) {
      await setStatus(q, { ...r, status: current }, step, i === steps.length - 1 ? note : null);
      current = step;
    }
    if (current === 'replied' || current === 'resolved') await answered(ctx, q, r, current, null);
    changed = true;
  } else if (note) {
    await addTimeline(q, r.id, current, row.department_id, note);
    changed = true;
  }
  if (remote) await q.query('UPDATE delivery_outbox SET remote_status = $2 WHERE id = $1', [row.id, remote]);
  row.remote_status = remote ?? row.remote_status;
  if (changed) await ctx.hub.publishQueue(q, { item: 'request', id: r.id });
  return changed;
}

const OPEN = new Set(['open', 'for_triage', 'investigating', 'in_progress', 'action_scheduled', 'internal_referral', 'reopen']);
/** Open over there (null: nothing read yet, neither). */
const isOpen = (s: string | null) => (s === null ? null : OPEN.has(s));

export interface PullResult {
  applied: number;
  error: string | null;
}

/** One pull of a claimed row. */
export async function pull(ctx: Ctx, row: OutboxRow, t: DeliveryTimings, signal?: AbortSignal): Promise<PullResult> {
  const endpoint = await endpointOf(ctx.db, row.department_id);
  if (!endpoint) return { applied: 0, error: null };
  const client = new GeoReportClient(endpoint, signal);
  const now = ctx.clock.now();
  let applied = 0;
  try {
    let id = row.service_request_id;
    if (!id && row.token) {
      id = await client.fromToken(row.token);
      if (id) await ctx.db.query('UPDATE delivery_outbox SET service_request_id = $2 WHERE id = $1', [row.id, id]);
    }
    if (id) {
      let updatesOffered = row.updates_offered && endpoint.updates !== false;
      if (updatesOffered) {
        try {
          const since = row.updates_since ?? new Date(now.getTime() - t.pullEveryMs * 2);
          const updates = (await client.updatesBetween(since, now))
            .filter((u) => String(u.service_request_id ?? '') === id && u.update_id !== undefined)
            .sort((a, b) => String(a.updated_datetime ?? '').localeCompare(String(b.updated_datetime ?? '')));
          for (const u of updates) if (await applyUpdate(ctx, row, u)) applied++;
          // Overlapping windows: an update stamped just before `now` that arrives late is still seen (once: delivery_updates).
          await ctx.db.query('UPDATE delivery_outbox SET updates_since = $2 WHERE id = $1', [row.id, new Date(now.getTime() - 5 * 60_000)]);
        } catch (err) {
          if (!(err instanceof DeliveryError && (err.status === 404 || err.status === 400 || err.status === 501))) throw err;
          // Not offered: statuses and status_notes from GET requests only.
          updatesOffered = false;
          await ctx.db.query('UPDATE delivery_outbox SET updates_offered = false WHERE id = $1', [row.id]);
        }
      }
      const remote = await client.getRequest(id);
      if (remote) {
        const notes = !updatesOffered && typeof remote.status_notes === 'string' && remote.status_notes.trim() && remote.status_notes.trim() !== row.remote_notes
          ? remote.status_notes.trim() : undefined;
        const status = typeof remote.status === 'string' ? remote.status : undefined;
        // GeoReport's open/closed says less than an extended status already read: only a move between open and closed counts.
        if ((status && remoteStatus(status) !== null && isOpen(remoteStatus(status)) !== isOpen(remoteStatus(row.remote_status))) || notes) {
          const done = await ctx.db.tx((q) => apply(ctx, q, row, status, notes));
          if (done) applied++;
        }
        if (notes) await ctx.db.query('UPDATE delivery_outbox SET remote_notes = $2 WHERE id = $1', [row.id, notes]);
      }
    }
    // Closed over there: a later comment is rare, so it is asked six times less often (until it is closed here).
    const every = isOpen(remoteStatus(row.remote_status)) === false ? t.pullEveryMs * 6 : t.pullEveryMs;
    await ctx.db.query('UPDATE delivery_outbox SET pulled_at = $2, pull_error = NULL, pull_failures = 0, next_pull_at = $3 WHERE id = $1',
      [row.id, now, new Date(now.getTime() + every)]);
    return { applied, error: null };
  } catch (err) {
    const message = (err as Error).message.slice(0, 500);
    const failures = Number(row.pull_failures) + 1;
    await ctx.db.query('UPDATE delivery_outbox SET pull_error = $2, pull_failures = $3, next_pull_at = $4 WHERE id = $1',
      [row.id, message, failures, new Date(now.getTime() + Math.min(t.pullEveryMs, backoff(failures, t)))]);
    return { applied, error: message };
  }
}

async function applyUpdate(ctx: Ctx, row: OutboxRow, u: RemoteUpdate): Promise<boolean> {
  return ctx.db.tx(async (q) => {
    const fresh = await q.query('INSERT INTO delivery_updates (outbox_id, update_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING update_id',
      [row.id, String(u.update_id), ctx.clock.now()]);
    if (!fresh.length) return false;
    await apply(ctx, q, row, typeof u.status === 'string' ? u.status : undefined, typeof u.description === 'string' ? u.description : undefined);
    return true;
  });
}
