/** The staff API (`/api/v1/staff/…`): docs/staff-api.md, schemas in staff-api.ts. */
import type { Hono } from 'hono';
import { REQUEST_STATUSES, TypingInputSchema, ReadInputSchema } from '../../../src/client/protocol.js';
import type { DepartmentsResponse, Metrics, QueueItem, SitesResponse } from './staff-api.js';
import { RouteInputSchema, StaffMessageInputSchema, StaffReplyInputSchema, StatusInputSchema } from './staff-api.js';
import { text, type Locale } from '../catalogue/catalog.js';
import type { Texts } from '../catalogue/seed-data.js';
import { jsonBody, newId, notFound } from '../http.js';
import { localeOf, requireStaff, type ServerContext } from '../context.js';
import { findRequest, requestQueueItem, staffDetail, staffReply, staffRoute, staffStatus, type RequestRow } from '../requests/requests.js';
import {
  closeConversation,
  conversationQueueItem,
  conversationStream,
  getConversation,
  markRead,
  postMessage,
  routeConversation,
  staffConversationDetail,
} from '../conversations/conversations.js';
import { sseResponse } from '../sse.js';
import { registerQueue } from './queue.js';
import { registerWorkOrders } from '../conversations/work-order.js';
import { registerCanned } from './canned.js';
import { ratingMetrics } from '../requests/feedback.js';

export async function queueItemFor(ctx: ServerContext, item: 'request' | 'conversation', id: string, locale: Locale): Promise<QueueItem | null> {
  if (item === 'request') {
    const rows = await ctx.db.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1', [id]);
    return rows[0] ? requestQueueItem(ctx.db, rows[0], locale) : null;
  }
  const conv = await getConversation(ctx.db, id);
  return conv ? conversationQueueItem(ctx.db, conv, locale) : null;
}

export function registerStaff(app: Hono, ctx: ServerContext): void {
  // Every staff path needs the staff token; the SSE ones may carry it as ?token=.
  app.use('/staff/*', async (c, next) => {
    await requireStaff(ctx, c, c.req.method === 'GET' && /\/(stream|events)$/.test(c.req.path));
    // Until accounts (accounts/) sign people in, the shared token is the intake centre's dispatcher.
    c.set('staff', { id: 'staff-token', login: 'staff-token', displayName: 'Staff', role: 'dispatcher', departmentId: null, siteId: null, sessionId: 'staff-token' });
    await next();
  });

  registerQueue(app, ctx);
  registerWorkOrders(app, ctx);
  registerCanned(app, ctx);

  app.get('/staff/stream', (c) => {
    const locale = localeOf(c);
    const presenceId = newId();
    const beat = () => {
      void ctx.db.query(
        `INSERT INTO staff_presence (id, last_seen) VALUES ($1, now()) ON CONFLICT (id) DO UPDATE SET last_seen = now()`, [presenceId],
      ).catch(() => undefined);
    };
    return sseResponse(ctx, c, async (writer) => {
      await ctx.db.query('INSERT INTO staff_presence (id, last_seen) VALUES ($1, now()) ON CONFLICT (id) DO UPDATE SET last_seen = now()', [presenceId]);
      writer.comment('connected');
      const stop = ctx.hub.onQueue((change) => {
        void queueItemFor(ctx, change.item, change.id, locale)
          .then((item) => item && writer.event('queue', { item }))
          .catch(() => undefined);
      });
      return () => {
        stop();
        const gone = ctx.db.query('DELETE FROM staff_presence WHERE id = $1', [presenceId]).catch(() => undefined);
        ctx.pending.add(gone);
        void gone.finally(() => ctx.pending.delete(gone));
      };
    }, beat);
  });

  /* ------------------------------------------------------------ requests */

  app.get('/staff/requests/:reference', async (c) => {
    const r = await findRequest(ctx.db, c.req.param('reference'));
    if (!r) throw notFound('Request');
    return c.json(await staffDetail(ctx.db, r, localeOf(c)));
  });

  app.post('/staff/requests/:reference/route', async (c) => {
    const { body } = await jsonBody(c, RouteInputSchema);
    return c.json(await staffRoute(ctx, c.req.param('reference'), body.department, body.note, localeOf(c)));
  });

  app.post('/staff/requests/:reference/reply', async (c) => {
    const { body } = await jsonBody(c, StaffReplyInputSchema);
    return c.json(await staffReply(ctx, c.req.param('reference'), body.text, localeOf(c)));
  });

  app.post('/staff/requests/:reference/status', async (c) => {
    const { body } = await jsonBody(c, StatusInputSchema);
    return c.json(await staffStatus(ctx, c.req.param('reference'), body.status, body.note, localeOf(c)));
  });

  /* ------------------------------------------------------------ conversations */

  app.get('/staff/conversations/:id', async (c) => c.json(await staffConversationDetail(ctx.db, c.req.param('id'), localeOf(c))));

  app.post('/staff/conversations/:id/messages', async (c) => {
    const { body } = await jsonBody(c, StaffMessageInputSchema);
    const { message, created } = await postMessage(ctx, c.req.param('id'), 'staff', { text: body.text, clientId: body.clientId ?? null });
    return c.json(message, created ? 201 : 200);
  });

  app.post('/staff/conversations/:id/route', async (c) => {
    const { body } = await jsonBody(c, RouteInputSchema);
    return c.json(await routeConversation(ctx, c.req.param('id'), body.department, localeOf(c)));
  });

  app.post('/staff/conversations/:id/close', async (c) => c.json(await closeConversation(ctx, c.req.param('id'), localeOf(c))));

  app.get('/staff/conversations/:id/events', async (c) => {
    const conv = await getConversation(ctx.db, c.req.param('id'));
    if (!conv) throw notFound('Conversation');
    return conversationStream(ctx, c, conv, 'staff');
  });

  app.post('/staff/conversations/:id/typing', async (c) => {
    const conv = await getConversation(ctx.db, c.req.param('id'));
    if (!conv) throw notFound('Conversation');
    const { body } = await jsonBody(c, TypingInputSchema);
    await ctx.hub.publishTyping(conv.id, 'staff', body.typing);
    return c.body(null, 204);
  });

  app.post('/staff/conversations/:id/read', async (c) => {
    const { body } = await jsonBody(c, ReadInputSchema);
    await markRead(ctx, c.req.param('id'), 'staff', body.upTo);
    return c.body(null, 204);
  });

  /* ------------------------------------------------------------ lists and metrics */

  app.get('/staff/departments', async (c) => {
    const locale = localeOf(c);
    const rows = await ctx.db.query<{ id: string; names: Texts; phone: string | null }>('SELECT id, names, phone FROM departments ORDER BY sort, id');
    const out: DepartmentsResponse = { departments: rows.map((r) => ({ id: r.id, name: text(r.names, locale), phone: r.phone })) };
    return c.json(out);
  });

  app.get('/staff/sites', async (c) => {
    const locale = localeOf(c);
    const rows = await ctx.db.query<{ id: string; names: Texts; parent_id: string | null; level: 'district' | 'street' | 'community' }>(
      'SELECT id, names, parent_id, level FROM sites ORDER BY sort, id');
    const out: SitesResponse = { sites: rows.map((r) => ({ id: r.id, name: text(r.names, locale), parent: r.parent_id, level: r.level })) };
    return c.json(out);
  });

  app.get('/staff/metrics', async (c) => {
    const locale = localeOf(c);
    const byStatus = await ctx.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM requests WHERE status <> 'closed' GROUP BY status`);
    const openByStatus: Record<string, number> = {};
    for (const s of REQUEST_STATUSES) if (s !== 'closed') openByStatus[s] = 0;
    for (const r of byStatus) openByStatus[r.status] = Number(r.n);
    const conversations = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE status <> 'closed'`);
    const median = await ctx.db.query<{ m: number | null }>(
      `SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply_at - created_at) / 60))::float8 AS m
       FROM requests WHERE first_reply_at IS NOT NULL`);
    const round = (n: number | null) => (n === null || n === undefined ? null : Math.round(Number(n) * 100) / 100);
    const out: Metrics = {
      openByStatus,
      openConversations: Number(conversations[0]?.n ?? 0),
      medianFirstReplyMinutes: round(median[0]?.m ?? null),
      // Every rating counts, a reopened request's earlier ones too (feedback.ts).
      ...(await ratingMetrics(ctx.db, locale)),
    };
    return c.json(out);
  });
}
