/**
 * The staff endpoints of delivery (docs/staff-api.md, "Delivery into departments' systems"):
 * `GET /staff/requests/{reference}/delivery` — one line per department the request was delivered
 * to (state, attempts, last error, their id, their status, last pull), for staff who see the
 * request (out of scope: 404); `POST …/delivery/retry` — "retry now": sends what waits (a held one
 * too: staff have checked), pulls what was delivered, and answers the lines after it.
 */
import type { Hono } from 'hono';
import { text } from '../catalogue/catalog.js';
import type { Texts } from '../catalogue/seed-data.js';
import { localeOf, type ServerContext } from '../context.js';
import { HttpError } from '../http.js';
import { audit, staffOf } from '../staff/identity.js';
import { visibleRequest } from '../staff/scope.js';
import { attempt, claimDue, deliveryLines } from './outbox.js';
import { claimPull, pull } from './pull.js';
import { workerOf } from './worker.js';

export function registerDelivery(app: Hono, ctx: ServerContext): void {
  const lines = (requestId: string, locale: ReturnType<typeof localeOf>) =>
    deliveryLines(ctx.db, requestId, locale, (names, l) => text(names as Texts, l));

  app.get('/staff/requests/:reference/delivery', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    return c.json({ deliveries: await lines(r.id, localeOf(c)) });
  });

  app.post('/staff/requests/:reference/delivery/retry', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    if (user.role === 'supervisor' || user.role === 'administrator') throw new HttpError('forbidden', 'Only the intake centre and the offices handling it send it again');
    const worker = workerOf(ctx);
    if (!worker) throw new HttpError('conflict', 'Delivery is not running on this server');
    const now = ctx.clock.now();
    await audit(ctx, user, 'delivery_retry', { kind: 'request', id: r.reference });
    // Held (an answer lost where the server cannot be asked): staff have checked their system, so it is sent without a lookup.
    const due = await ctx.db.query<{ id: string; state: string }>(
      `UPDATE delivery_outbox SET next_attempt_at = $2, state = CASE WHEN state = 'held' THEN 'pending' ELSE state END,
          uncertain = CASE WHEN state = 'held' THEN false ELSE uncertain END
        WHERE request_id = $1 AND state IN ('pending', 'held') RETURNING id, state`, [r.id, now]);
    await ctx.db.query(`UPDATE delivery_outbox SET next_pull_at = $2 WHERE request_id = $1 AND state = 'delivered'`, [r.id, now]);
    const t = worker.timings;
    for (const { id } of due) {
      const row = await claimDue(ctx.db, ctx.clock, worker.owner, t, id);
      if (row) await attempt(ctx, row, worker.owner, t);
    }
    const delivered = await ctx.db.query<{ id: string }>(`SELECT id FROM delivery_outbox WHERE request_id = $1 AND state = 'delivered'`, [r.id]);
    for (const { id } of delivered) {
      const row = await claimPull(ctx.db, now, t, id);
      if (row) await pull(ctx, row, t);
    }
    return c.json({ deliveries: await lines(r.id, localeOf(c)) });
  });
}
