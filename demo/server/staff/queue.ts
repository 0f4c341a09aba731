/** `GET /staff/queue`: the staff queue of requests and conversations (docs/staff-api.md, "Queue"). */
import type { Hono } from 'hono';
import * as v from 'valibot';
import { REQUEST_STATUSES } from '../../../src/client/protocol.js';
import type { QueueItem, QueueResponse } from './staff-api.js';
import { QueueQuerySchema } from './staff-api.js';
import { HttpError } from '../http.js';
import { localeOf, type ServerContext } from '../context.js';
import { requestQueueItem, type RequestRow } from '../requests/requests.js';
import { conversationQueueItem, type ConversationRow } from '../conversations/conversations.js';

const CONVERSATION_STATUSES = ['open', 'waiting', 'closed'];

export function registerQueue(app: Hono, ctx: ServerContext): void {
  app.get('/staff/queue', async (c) => {
    const query = v.safeParse(QueueQuerySchema, c.req.query());
    if (!query.success) throw new HttpError('bad_request', 'Unknown filter value');
    const { status, site, kind, department, item } = query.output;
    const max = query.output.limit ?? 200;
    const locale = localeOf(c);
    const items: QueueItem[] = [];
    const siteLike = site ? `${site.replace(/[\\%_]/g, (m) => `\\${m}`)}/%` : null;
    if (item !== 'conversation' && (!status || (REQUEST_STATUSES as readonly string[]).includes(status))) {
      const rows = await ctx.db.query<RequestRow & Record<string, unknown>>(
        `SELECT * FROM requests
         WHERE ($1::text IS NULL AND status <> 'closed' OR status = $1)
           AND ($2::text IS NULL OR site_id = $2 OR site_id LIKE $3)
           AND ($4::text IS NULL OR kind = $4)
           AND ($5::text IS NULL OR department_id = $5)
         ORDER BY updated_at DESC LIMIT $6`,
        [status ?? null, site ?? null, siteLike, kind ?? null, department ?? null, max],
      );
      for (const r of rows) items.push(await requestQueueItem(ctx.db, r, locale));
    }
    if (item !== 'request' && !kind && (!status || CONVERSATION_STATUSES.includes(status))) {
      const rows = await ctx.db.query<ConversationRow & Record<string, unknown>>(
        `SELECT * FROM conversations
         WHERE ($1::text IS NULL AND status <> 'closed' OR status = $1)
           AND ($2::text IS NULL OR site_id = $2 OR site_id LIKE $3)
           AND ($4::text IS NULL OR department_id = $4)
         ORDER BY updated_at DESC LIMIT $5`,
        [status ?? null, site ?? null, siteLike, department ?? null, max],
      );
      for (const r of rows) items.push(await conversationQueueItem(ctx.db, r, locale));
    }
    items.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
    const out: QueueResponse = { items: items.slice(0, max) };
    return c.json(out);
  });
}
