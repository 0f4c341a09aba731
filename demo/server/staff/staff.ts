/** The staff API (`/api/v1/staff/…`): docs/staff-api.md, schemas in staff-api.ts. */
import type { Hono } from 'hono';
import { REQUEST_STATUSES, TypingInputSchema, ReadInputSchema } from '../../../src/client/protocol.js';
import type { ContactResponse, DepartmentsResponse, Metrics, QueueGoneEvent, QueueItem, SitesResponse } from './staff-api.js';
import { ContactReleaseInputSchema, RouteInputSchema, StaffMessageInputSchema, StaffReplyInputSchema, StatusInputSchema } from './staff-api.js';
import { text, type Locale } from '../catalogue/catalog.js';
import type { Texts } from '../catalogue/seed-data.js';
import { newId } from '../http.js';
import { staffBody } from './field-messages.js';
import { localeOf, openStaffPath, requireStaff, type ServerContext } from '../context.js';
import { requestQueueItem, staffDetail, staffReply, staffRoute, staffStatus, type RequestRow } from '../requests/requests.js';
import {
  closeConversation,
  conversationQueueItem,
  conversationStream,
  getConversation,
  markRead,
  postMessage,
  routeConversation,
  staffConversationDetail,
  type ConversationRow,
} from '../conversations/conversations.js';
import { sseResponse } from '../sse.js';
import { registerAssessment } from '../loop/assessment.js';
import { registerQueue } from './queue.js';
import { registerWorkOrders } from '../conversations/work-order.js';
import { registerCanned } from './canned.js';
import { registerOperator } from './operator.js';
import { registerDispatch, requireLead } from '../loop/dispatch.js';
import { registerRatings } from '../loop/ratings.js';
import { registerSupervision } from '../loop/supervision.js';
import { decideDispatch, registerDispatchSuggestions, suggestionMetrics } from '../loop/dispatch-suggestion.js';
import { ratingMetrics } from '../requests/feedback.js';
import { audit, staffOf, type StaffUser } from './identity.js';
import { contactFor, may, protectDetail, requireAction, scopeClause, sees, visibleConversation, visibleRequest, type Scoped } from './scope.js';

/**
 * What the live queue sends `user` about a changed item: the item if they see it; `gone` when it
 * has just left their scope (it was in it before this change: `was`); nothing otherwise.
 */
export async function queueChangeFor(
  ctx: ServerContext,
  user: StaffUser,
  change: { item: 'request' | 'conversation'; id: string; was?: Scoped },
  locale: Locale,
): Promise<{ item: QueueItem } | { gone: QueueGoneEvent } | null> {
  const row: (Scoped & { reference?: string } & Record<string, unknown>) | null = change.item === 'request'
    ? (await ctx.db.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1', [change.id]))[0] ?? null
    : ((await getConversation(ctx.db, change.id)) as (Scoped & Record<string, unknown>) | null);
  if (!row) return null;
  if (sees(user, row)) {
    const item = change.item === 'request'
      ? await requestQueueItem(ctx.db, row as unknown as RequestRow, locale, ctx.clock.now())
      : await conversationQueueItem(ctx.db, row as unknown as ConversationRow, locale);
    return { item };
  }
  if (change.was && sees(user, change.was)) {
    return { gone: { item: change.item, id: change.id, ...(typeof row.reference === 'string' ? { reference: row.reference } : {}) } };
  }
  return null;
}

export function registerStaff(app: Hono, ctx: ServerContext): void {
  // Every staff path needs the staff token; the SSE ones may carry it as ?token=.
  app.use('/staff/*', async (c, next) => {
    // Signing in and the first administrator's setup need no session (accounts/routes.ts).
    if (openStaffPath(c)) return next();
    c.set('staff', await requireStaff(ctx, c, c.req.method === 'GET' && /\/(stream|events)$/.test(c.req.path)));
    await next();
  });

  registerQueue(app, ctx);
  registerAssessment(app, ctx);
  registerWorkOrders(app, ctx);
  registerCanned(app, ctx);
  registerOperator(app, ctx);
  registerDispatch(app, ctx);
  registerRatings(app, ctx);
  registerSupervision(app, ctx);
  registerDispatchSuggestions(app, ctx);

  app.get('/staff/stream', (c) => {
    const user = staffOf(c);
    const locale = localeOf(c);
    const presenceId = newId();
    // Only a console that can answer residents counts as staff on duty (not a supervisor's or an administrator's).
    const answers = may(user, 'message');
    const beat = () => {
      if (!answers) return;
      void ctx.db.query(
        `INSERT INTO staff_presence (id, last_seen) VALUES ($1, now()) ON CONFLICT (id) DO UPDATE SET last_seen = now()`, [presenceId],
      ).catch(() => undefined);
    };
    return sseResponse(ctx, c, async (writer) => {
      if (answers) await ctx.db.query('INSERT INTO staff_presence (id, last_seen) VALUES ($1, now()) ON CONFLICT (id) DO UPDATE SET last_seen = now()', [presenceId]);
      writer.comment('connected');
      // Each change is filtered by the caller's scope; an item routed away from it is sent as `gone`.
      // One after another, so a later state is never overtaken by an earlier one.
      let chain: Promise<void> = Promise.resolve();
      const stop = ctx.hub.onQueue((change) => {
        chain = chain
          .then(() => queueChangeFor(ctx, user, change, locale))
          .then((out) => {
            if (out && 'item' in out) writer.event('queue', { item: out.item });
            else if (out) writer.event('gone', out.gone);
          })
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

  // Every request endpoint: 404 outside the caller's scope (visibleRequest), then 403 for a write
  // the role may not do; every answer's contact goes through protectDetail; every action is audited.
  const requestTarget = (r: RequestRow) => ({ kind: 'request', id: r.reference });

  app.get('/staff/requests/:reference', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    return c.json(await protectDetail(ctx, user, await staffDetail(ctx.db, r, localeOf(c), ctx.clock.now())));
  });

  app.post('/staff/requests/:reference/route', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    requireAction(user, 'route');
    const { body } = await staffBody(c, RouteInputSchema);
    const detail = await staffRoute(ctx, r.reference, body.department, body.note, localeOf(c), user);
    await audit(ctx, user, 'route', requestTarget(r), { from: r.department_id, department: detail.routedTo.id });
    return c.json(await protectDetail(ctx, user, detail));
  });

  app.post('/staff/requests/:reference/reply', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    requireAction(user, 'reply');
    requireLead(user, r);
    const { body } = await staffBody(c, StaffReplyInputSchema);
    const detail = await staffReply(ctx, r.reference, body.text, localeOf(c), user);
    await audit(ctx, user, 'reply', requestTarget(r), { department: r.department_id, length: body.text.length });
    return c.json(await protectDetail(ctx, user, detail));
  });

  app.post('/staff/requests/:reference/status', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    requireAction(user, 'status');
    requireLead(user, r);
    const { body } = await staffBody(c, StatusInputSchema);
    const detail = await staffStatus(ctx, r.reference, body.status, body.note, localeOf(c), user);
    await audit(ctx, user, body.status === 'closed' ? 'close' : 'status', requestTarget(r), { from: r.status, status: body.status });
    return c.json(await protectDetail(ctx, user, detail));
  });

  // The contact on demand: every showing is audited; a complaint's contact is 403 to the office it is about.
  app.post('/staff/requests/:reference/contact', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    const contact = await contactFor(ctx, user, r);
    if (contact) await audit(ctx, user, 'contact_view', requestTarget(r), { kind: r.kind, department: r.department_id });
    const out: ContactResponse = { contact };
    return c.json(out);
  });

  // The dispatcher lets the office see a complainant's contact, with the reason.
  app.post('/staff/requests/:reference/contact-release', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    requireAction(user, 'contact_release');
    const { body } = await staffBody(c, ContactReleaseInputSchema);
    await ctx.db.query('INSERT INTO contact_releases (id, request_id, actor_id, actor_name, note) VALUES ($1, $2, $3, $4, $5)',
      [newId(), r.id, user.id, user.displayName, body.note]);
    await audit(ctx, user, 'contact_release', requestTarget(r), { department: r.department_id, note: body.note });
    return c.json(await protectDetail(ctx, user, await staffDetail(ctx.db, r, localeOf(c), ctx.clock.now())));
  });

  /* ------------------------------------------------------------ conversations */

  const conversationTarget = (id: string) => ({ kind: 'conversation', id });

  app.get('/staff/conversations/:id', async (c) => {
    const conv = await visibleConversation(ctx, staffOf(c), c.req.param('id'));
    return c.json(await staffConversationDetail(ctx.db, conv.id, localeOf(c)));
  });

  app.post('/staff/conversations/:id/messages', async (c) => {
    const user = staffOf(c);
    const conv = await visibleConversation(ctx, user, c.req.param('id'));
    requireAction(user, 'message');
    const { body } = await staffBody(c, StaffMessageInputSchema);
    const { message, created } = await postMessage(ctx, conv.id, 'staff', { text: body.text, clientId: body.clientId ?? null });
    if (created) await audit(ctx, user, 'message', conversationTarget(conv.id), { department: conv.department_id, messageId: message.id });
    return c.json(message, created ? 201 : 200);
  });

  app.post('/staff/conversations/:id/route', async (c) => {
    const user = staffOf(c);
    const conv = await visibleConversation(ctx, user, c.req.param('id'));
    requireAction(user, 'route');
    const { body } = await staffBody(c, RouteInputSchema);
    await decideDispatch(ctx.db, ctx.clock, { item: 'conversation', id: conv.id, department: body.department, via: 'route', actor: user });
    const detail = await routeConversation(ctx, conv.id, body.department, localeOf(c));
    await audit(ctx, user, 'route', conversationTarget(conv.id), { from: conv.department_id, department: detail.conversation.routedTo.id });
    return c.json(detail);
  });

  app.post('/staff/conversations/:id/close', async (c) => {
    const user = staffOf(c);
    const conv = await visibleConversation(ctx, user, c.req.param('id'));
    requireAction(user, 'close');
    const detail = await closeConversation(ctx, conv.id, localeOf(c));
    if (conv.status !== 'closed') await audit(ctx, user, 'close', conversationTarget(conv.id), { department: conv.department_id });
    return c.json(detail);
  });

  // The stream ends (`gone`) once the conversation is routed out of the caller's scope.
  app.get('/staff/conversations/:id/events', async (c) => {
    const user = staffOf(c);
    const conv = await visibleConversation(ctx, user, c.req.param('id'));
    return conversationStream(ctx, c, conv, 'staff', (department) => sees(user, { site_id: conv.site_id, department_id: department }));
  });

  app.post('/staff/conversations/:id/typing', async (c) => {
    const user = staffOf(c);
    const conv = await visibleConversation(ctx, user, c.req.param('id'));
    requireAction(user, 'message');
    const { body } = await staffBody(c, TypingInputSchema);
    await ctx.hub.publishTyping(conv.id, 'staff', body.typing);
    return c.body(null, 204);
  });

  app.post('/staff/conversations/:id/read', async (c) => {
    const user = staffOf(c);
    const conv = await visibleConversation(ctx, user, c.req.param('id'));
    requireAction(user, 'message');
    const { body } = await staffBody(c, ReadInputSchema);
    await markRead(ctx, conv.id, 'staff', body.upTo);
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
    const rows = await ctx.db.query<{ id: string; names: Texts; parent_id: string | null; level: 'district' | 'street' | 'community'; timezone: string }>(
      'SELECT id, names, parent_id, level, timezone FROM sites ORDER BY sort, id');
    const out: SitesResponse = { sites: rows.map((r) => ({ id: r.id, name: text(r.names, locale), parent: r.parent_id, level: r.level, timeZone: r.timezone })) };
    return c.json(out);
  });

  // Counts only what the caller sees (an administrator sees no resident items: all zero).
  app.get('/staff/metrics', async (c) => {
    const user = staffOf(c);
    const locale = localeOf(c);
    const inScope = scopeClause(user, 'requests', 1);
    const byStatus = await ctx.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM requests WHERE status <> 'closed' AND ${inScope.sql} GROUP BY status`, inScope.params);
    const openByStatus: Record<string, number> = {};
    for (const s of REQUEST_STATUSES) if (s !== 'closed') openByStatus[s] = 0;
    for (const r of byStatus) openByStatus[r.status] = Number(r.n);
    const convScope = scopeClause(user, 'conversations', 1);
    const conversations = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE status <> 'closed' AND ${convScope.sql}`, convScope.params);
    const median = await ctx.db.query<{ m: number | null }>(
      `SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply_at - created_at) / 60))::float8 AS m
       FROM requests WHERE first_reply_at IS NOT NULL AND ${inScope.sql}`, inScope.params);
    const round = (n: number | null) => (n === null || n === undefined ? null : Math.round(Number(n) * 100) / 100);
    const out: Metrics = {
      openByStatus,
      openConversations: Number(conversations[0]?.n ?? 0),
      medianFirstReplyMinutes: round(median[0]?.m ?? null),
      // Every rating counts, a reopened request's earlier ones too (feedback.ts).
      ...(await ratingMetrics(ctx.db, locale, scopeClause(user, 'requests', 1, 'r'))),
      ...(await suggestionMetrics(ctx.db, user)),
    };
    return c.json(out);
  });
}
