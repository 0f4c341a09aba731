/**
 * `GET /staff/queue`: the staff queue of requests and conversations (docs/staff-api.md, "Queue"):
 * filters, search (reference in any spelling, phone, contact name, text), three orders, pages with
 * a total. Only what the caller may see (scope.ts): both tables get the caller's scopeClause, and
 * a search by phone or name finds only contacts the caller may be shown.
 */
import type { Hono } from 'hono';
import * as v from 'valibot';
import { REQUEST_STATUSES } from '../../../src/client/protocol.js';
import { parseReference } from '../../../src/client/reference.js';
import { CONVERSATION_STATUSES, QueueQuerySchema, type QueueItem, type QueueResponse, type QueueSort } from './staff-api.js';
import { HttpError } from '../http.js';
import type { Locale } from '../catalogue/catalog.js';
import { localeOf, type ServerContext } from '../context.js';
import { requestQueueItem, type RequestRow } from '../requests/requests.js';
import { normalPhone } from '../requests/contact.js';
import { conversationQueueItem, type ConversationRow } from '../conversations/conversations.js';
import { staffOf, type StaffUser } from './identity.js';
import { dueSortSql, nextDueSql, overdueSql, soonThresholds } from '../loop/deadlines.js';
import { contactSearchAllowed, contactSearchClause, scopeClause } from './scope.js';

export type QueueQuery = v.InferOutput<typeof QueueQuerySchema>;

const DEFAULT_LIMIT = 200;

/** The loop clock's now and, per site, until when a limit counts as due soon. */
interface DueWindow {
  now: Date;
  siteIds: string[];
  until: string[];
}

const ORDER: Record<QueueSort, string> = {
  updated: 'updated_at DESC, id DESC',
  created: 'created_at DESC, id DESC',
  oldest: 'created_at ASC, id ASC',
  // The limit that counts first; items without one (conversations, resolved) after, newest change first.
  due: 'due_at ASC NULLS LAST, updated_at DESC, id DESC',
};

/** `%text%` for LIKE, with LIKE's own characters taken literally. */
const contains = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** Collects the parameters of one statement; `p(value)` answers its placeholder. */
class Params {
  readonly values: unknown[] = [];
  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** The caller's scope for `table` (as `alias`), numbered after what is there. */
  scope(user: StaffUser, table: 'requests' | 'conversations', alias: string): string {
    const clause = scopeClause(user, table, this.values.length + 1, alias);
    this.values.push(...clause.params);
    return `(${clause.sql})`;
  }
}

/** The search box read once: a whole reference, a reference fragment, phone digits, words. */
function readSearch(q: string | undefined) {
  const text = q?.normalize('NFKC').trim() ?? '';
  if (!text) return null;
  const parsed = parseReference(text);
  const compact = text.toUpperCase().replace(/[\s\-_.·・/\\\u2010-\u2015\u2212\u30fc]+/g, '');
  const digits = normalPhone(text);
  return {
    like: contains(text),
    reference: parsed.format === 'other' ? null : parsed.canonical,
    // A piece of a reference ("7kq2 m9xd"): letters and digits, at least four.
    fragment: /^[0-9A-Z]{4,}$/.test(compact) ? contains(compact) : null,
    // A phone number, whole or in part: at least four digits and nothing but digits and separators.
    phone: digits.length >= 4 && /^[\d\s+()\-.]+$/.test(text) ? contains(digits) : null,
  };
}

function requestWhere(user: StaffUser, query: QueueQuery, search: ReturnType<typeof readSearch>, params: Params, due: DueWindow): string[] {
  const where = [query.status ? `r.status = ${params.p(query.status)}` : `r.status <> 'closed'`];
  if (query.site) {
    const site = params.p(query.site);
    where.push(`(r.site_id = ${site}::text OR starts_with(r.site_id, ${site}::text || '/'))`);
  }
  if (query.kind) where.push(`r.kind = ${params.p(query.kind)}`);
  if (query.department) where.push(`r.department_id = ${params.p(query.department)}`);
  if (query.mine) where.push(`r.assignee_id = ${params.p(user.id)}`);
  if (query.unassigned) where.push('r.assignee_id IS NULL');
  // Past a limit, or due within the calendar's dueSoon window at the item's site (loop/deadlines.ts).
  if (query.due) {
    const now = `${params.p(due.now.toISOString())}::timestamptz`;
    const overdue = overdueSql('r', now);
    if (query.due === 'overdue') where.push(overdue);
    else {
      const until = `(SELECT s.until FROM unnest(${params.p(due.siteIds)}::text[], ${params.p(due.until)}::timestamptz[]) AS s(site_id, until) WHERE s.site_id = r.site_id)`;
      where.push(`NOT ${overdue} AND ${nextDueSql('r')} <= ${until}`);
    }
  }
  // 退单 waiting for the dispatcher (loop/dispatch.ts).
  if (query.returned) where.push('r.returned_from IS NOT NULL');
  if (query.redo) where.push('r.redo_round IS NOT NULL');
  if (query.escalated) where.push('r.escalation_level > 0');
  if (search) {
    const any: string[] = [`r.description ILIKE ${params.p(search.like)}`];
    if (search.reference) any.push(`r.reference = ${params.p(search.reference)}`);
    if (search.fragment) any.push(`replace(r.reference, '-', '') LIKE ${params.p(search.fragment)}`);
    if (contactSearchAllowed(user)) {
      const contact = [`r.contact->>'name' ILIKE ${params.p(search.like)}`];
      if (search.phone) contact.push(`r.contact_phone LIKE ${params.p(search.phone)}`);
      any.push(`((${contact.join(' OR ')}) AND ${contactSearchClause(user, 'r')})`);
    }
    where.push(`(${any.join(' OR ')})`);
  }
  where.push(params.scope(user, 'requests', 'r'));
  return where;
}

function conversationWhere(user: StaffUser, query: QueueQuery, search: ReturnType<typeof readSearch>, params: Params): string[] {
  const where = [query.status ? `c.status = ${params.p(query.status)}` : `c.status <> 'closed'`];
  if (query.site) {
    const site = params.p(query.site);
    where.push(`(c.site_id = ${site}::text OR starts_with(c.site_id, ${site}::text || '/'))`);
  }
  if (query.department) where.push(`c.department_id = ${params.p(query.department)}`);
  if (query.mine) where.push(`c.assignee_id = ${params.p(user.id)}`);
  if (query.unassigned) where.push('c.assignee_id IS NULL');
  if (search) {
    const like = params.p(search.like);
    where.push(`(c.preview ILIKE ${like} OR c.topic ILIKE ${like} OR EXISTS (
      SELECT 1 FROM conversation_events e
      WHERE e.conversation_id = c.id AND e.type = 'message' AND e.data->'message'->>'text' ILIKE ${like}))`);
  }
  where.push(params.scope(user, 'conversations', 'c'));
  return where;
}

/** One page of the queue as `user` sees it, with the total over every page. */
export async function loadQueue(ctx: ServerContext, user: StaffUser, query: QueueQuery, locale: Locale): Promise<QueueResponse> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  const search = readSearch(query.q);
  const status = query.status;
  const wantRequests = query.item !== 'conversation' && (!status || (REQUEST_STATUSES as readonly string[]).includes(status));
  // Conversations have no kind: a kind filter leaves only requests.
  const wantConversations = query.item !== 'request' && !query.kind && !query.due && !query.returned && !query.escalated && !query.redo && (!status || (CONVERSATION_STATUSES as readonly string[]).includes(status));
  const params = new Params();
  const now = ctx.clock.now();
  const parts: string[] = [];
  if (wantRequests) {
    const due: DueWindow = query.due ? { now, ...(await soonThresholds(ctx.db, now)) } : { now, siteIds: [], until: [] };
    parts.push(`SELECT 'request'::text AS item, r.id, r.created_at, r.updated_at, ${dueSortSql('r')} AS due_at FROM requests r
      WHERE ${requestWhere(user, query, search, params, due).join('\n        AND ')}`);
  }
  if (wantConversations) {
    parts.push(`SELECT 'conversation'::text AS item, c.id, c.created_at, c.updated_at, NULL::timestamptz AS due_at FROM conversations c
      WHERE ${conversationWhere(user, query, search, params).join('\n        AND ')}`);
  }
  if (!parts.length) return { items: [], total: 0, offset, nextOffset: null };
  const matching = parts.join('\nUNION ALL\n');
  const counted = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${matching}) AS matching`, params.values);
  const total = Number(counted[0]?.n ?? 0);
  const page = await ctx.db.query<{ item: 'request' | 'conversation'; id: string }>(
    `SELECT item, id FROM (${matching}) AS matching ORDER BY ${ORDER[query.sort ?? 'updated']}
     LIMIT ${params.p(limit)} OFFSET ${params.p(offset)}`,
    params.values,
  );
  const items: QueueItem[] = [];
  const soon = new Map<string, Promise<Date>>();
  for (const row of page) {
    if (row.item === 'request') {
      const rows = await ctx.db.query<RequestRow & Record<string, unknown>>('SELECT * FROM requests WHERE id = $1', [row.id]);
      if (rows[0]) items.push(await requestQueueItem(ctx.db, rows[0], locale, now, soon));
    } else {
      const rows = await ctx.db.query<ConversationRow & Record<string, unknown>>('SELECT * FROM conversations WHERE id = $1', [row.id]);
      if (rows[0]) items.push(await conversationQueueItem(ctx.db, rows[0], locale));
    }
  }
  return { items, total, offset, nextOffset: offset + page.length < total ? offset + page.length : null };
}

export function registerQueue(app: Hono, ctx: ServerContext): void {
  app.get('/staff/queue', async (c) => {
    const query = v.safeParse(QueueQuerySchema, c.req.query());
    if (!query.success) throw new HttpError('bad_request', 'Unknown filter value');
    return c.json(await loadQueue(ctx, staffOf(c), query.output, localeOf(c)));
  });
}
