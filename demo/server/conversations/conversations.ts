/** Chat: conversations, messages (deduplicated by clientId), gapless seq, SSE, polling, typing, read. */
import type { Context, Hono } from 'hono';
import type { Attachment, Conversation, ConversationEvent, EventsPage, Message } from '../../../src/client/protocol.js';
import { ConversationInputSchema, MessageInputSchema, ReadInputSchema, TypingInputSchema } from '../../../src/client/protocol.js';
import type { QueueItem, StaffConversation, StaffConversationDetail } from '../staff/staff-api.js';
import type { Queryable } from '../storage/db.js';
import { departmentOut, getDepartment, getService, getSite, pickLocale, replyPromiseTexts, route, siteReplyPromise, text, type Locale } from '../catalogue/catalog.js';
import { M, say } from '../messages.js';
import { HttpError, bearer, canonicalJson, jsonBody, newId, newToken, notFound, sha256 } from '../http.js';
import { staffOnDuty, type ServerContext } from '../context.js';
import { idempotencyKey, withIdempotency } from '../storage/idempotency.js';
import { claimAttachments } from '../storage/attachments.js';
import { sseResponse } from '../sse.js';
import { workOrdersOf } from './work-order.js';
import { assigneeOf } from '../staff/operator-detail.js';
import { suggestForConversation, suggestionField } from '../loop/dispatch-suggestion.js';

export interface ConversationRow {
  id: string;
  site_id: string;
  locale: string;
  topic: string | null;
  page: { url: string; title?: string } | null;
  token_hash: string;
  status: 'open' | 'waiting' | 'closed';
  department_id: string;
  last_seq: number;
  resident_read_seq: number;
  staff_read_seq: number;
  unread: number;
  preview: string;
  acknowledged: boolean;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export async function getConversation(q: Queryable, id: string, lock = false): Promise<ConversationRow | null> {
  if (id.length > 64) return null;
  const rows = await q.query<ConversationRow & Record<string, unknown>>(`SELECT * FROM conversations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ?? null;
}

type EventBody =
  | { type: 'message'; message: Omit<Message, 'seq' | 'at'> }
  | { type: 'routed'; department: { id: string; name: string } }
  | { type: 'status'; status: 'open' | 'waiting' | 'closed' }
  | { type: 'read'; by: 'resident' | 'staff' | 'system'; upTo: number }
  | { type: 'closed' };

/** Appends an event with the next seq (the conversation row is locked by the caller or here). */
export async function appendEvent(ctx: ServerContext, q: Queryable, conversationId: string, body: EventBody, clientId: string | null = null): Promise<ConversationEvent> {
  const rows = await q.query<{ last_seq: number }>(
    'UPDATE conversations SET last_seq = last_seq + 1, updated_at = now() WHERE id = $1 RETURNING last_seq', [conversationId]);
  const seq = Number(rows[0]!.last_seq);
  const at = new Date().toISOString();
  const event = (body.type === 'message'
    ? { type: 'message', seq, at, message: { ...body.message, seq, at } }
    : { ...body, seq, at }) as ConversationEvent;
  await q.query('INSERT INTO conversation_events (conversation_id, seq, type, at, client_id, data) VALUES ($1, $2, $3, $4, $5, $6)', [
    conversationId, seq, event.type, at, clientId, JSON.stringify(event),
  ]);
  await ctx.hub.publishEvent(q, conversationId, seq);
  return event;
}

async function attachmentsOf(q: Queryable, ids: string[]): Promise<Attachment[]> {
  if (!ids.length) return [];
  const rows = await q.query<{ id: string; name: string; size: number; type: string }>(
    'SELECT id, name, size, type FROM attachments WHERE id = ANY($1::text[]) ORDER BY id', [ids]);
  return rows.map((r) => ({ id: r.id, name: r.name, size: Number(r.size), type: r.type }));
}

/** The first answer to a resident's first message; `promise`: the site's reply promise in every locale (messages.ts). */
function ackText(locale: Locale, onDuty: boolean, promise: ReturnType<typeof replyPromiseTexts> | null): string {
  return say(locale, onDuty || !promise ? M.ackOnDuty : M.ackOffDuty(promise));
}

/** Sets the status and stores a `status` event, only when it actually changes. */
async function changeStatus(ctx: ServerContext, q: Queryable, conv: ConversationRow, status: ConversationRow['status']): Promise<void> {
  if (conv.status === status) return;
  await q.query('UPDATE conversations SET status = $2 WHERE id = $1', [conv.id, status]);
  await appendEvent(ctx, q, conv.id, { type: 'status', status });
  conv.status = status;
}

/** Posts a message; a repeated clientId returns the first one (`created: false`). */
export async function postMessage(
  ctx: ServerContext,
  conversationId: string,
  author: 'resident' | 'staff',
  input: { text: string; clientId?: string | null; attachments?: string[] },
): Promise<{ message: Message; created: boolean }> {
  const onDuty = author === 'resident' ? await staffOnDuty(ctx) : true;
  return ctx.db.tx(async (q) => {
    const conv = await getConversation(q, conversationId, true);
    if (!conv) throw notFound('Conversation');
    const locale = pickLocale(conv.locale);
    if (input.clientId) {
      const existing = await q.query<{ data: ConversationEvent }>(
        'SELECT data FROM conversation_events WHERE conversation_id = $1 AND client_id = $2', [conversationId, input.clientId]);
      const found = existing[0]?.data;
      if (found?.type === 'message') return { message: found.message, created: false };
    }
    // Its own code, so a client offers a new conversation rather than retrying this one.
    if (conv.status === 'closed') throw new HttpError('conversation_closed', say(locale, M.conversationClosed));
    const ids = input.attachments ?? [];
    await claimAttachments(q, ids, conv.site_id, { conversation: conv.id }, 'attachments', locale);
    const dept = await getDepartment(q, conv.department_id);
    const message: Omit<Message, 'seq' | 'at'> = {
      id: newId(),
      clientId: input.clientId ?? null,
      author,
      text: input.text,
      attachments: await attachmentsOf(q, ids),
    };
    if (author === 'staff' && dept) message.authorName = text(dept.names, locale);
    const event = await appendEvent(ctx, q, conv.id, { type: 'message', message }, input.clientId ?? null);
    // A resident's message leaves the conversation waiting for staff; a staff answer opens it again.
    await changeStatus(ctx, q, conv, author === 'resident' ? 'waiting' : 'open');
    if (author === 'resident') {
      await q.query(`UPDATE conversations SET unread = unread + 1, preview = $2 WHERE id = $1`, [conv.id, input.text.slice(0, 140)]);
      await suggestForConversation(q, ctx.clock, conv.id);
      if (!conv.acknowledged) {
        const site = await getSite(q, conv.site_id);
        const promise = site ? replyPromiseTexts(site.reply_hours, false) : null;
        await appendEvent(ctx, q, conv.id, { type: 'message', message: { id: newId(), clientId: null, author: 'system', text: ackText(locale, onDuty, promise), attachments: [] } });
        await q.query('UPDATE conversations SET acknowledged = true WHERE id = $1', [conv.id]);
      }
    }
    await ctx.hub.publishQueue(q, { item: 'conversation', id: conv.id });
    if (event.type !== 'message') throw new Error('unexpected event');
    return { message: event.message, created: true };
  });
}

export async function markRead(ctx: ServerContext, conversationId: string, by: 'resident' | 'staff', upTo: number): Promise<void> {
  await ctx.db.tx(async (q) => {
    const conv = await getConversation(q, conversationId, true);
    if (!conv) throw notFound('Conversation');
    const column = by === 'resident' ? 'resident_read_seq' : 'staff_read_seq';
    const current = by === 'resident' ? conv.resident_read_seq : conv.staff_read_seq;
    const target = Math.min(upTo, conv.last_seq);
    if (target <= current) return;
    await q.query(`UPDATE conversations SET ${column} = $2 WHERE id = $1`, [conv.id, target]);
    if (by === 'staff') {
      const rows = await q.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM conversation_events WHERE conversation_id = $1 AND type = 'message' AND seq > $2 AND data->'message'->>'author' = 'resident'`,
        [conv.id, target]);
      await q.query('UPDATE conversations SET unread = $2 WHERE id = $1', [conv.id, rows[0]?.n ?? 0]);
      await ctx.hub.publishQueue(q, { item: 'conversation', id: conv.id });
    }
    await appendEvent(ctx, q, conv.id, { type: 'read', by, upTo: target });
  });
}

export async function eventsAfter(q: Queryable, conversationId: string, after: number, max = 500): Promise<ConversationEvent[]> {
  const rows = await q.query<{ data: ConversationEvent }>(
    'SELECT data FROM conversation_events WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [conversationId, after, max]);
  return rows.map((r) => r.data);
}

/** `?after=` or `Last-Event-ID`, clamped to what exists. */
function cursor(c: Context, lastSeq: number): number {
  const raw = c.req.header('last-event-id') ?? c.req.query('after') ?? '0';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new HttpError('bad_request', 'after / Last-Event-ID must be a whole number');
  return Math.min(n, lastSeq);
}

/**
 * An SSE stream of one conversation for a resident or a staff member. `stillSees` (staff): asked
 * at each `routed` event after the stream opened; false ends the stream with a `gone` event, so
 * nothing after the conversation left the caller's scope reaches them.
 */
export async function conversationStream(
  ctx: ServerContext,
  c: Context,
  conv: ConversationRow,
  viewer: 'resident' | 'staff',
  stillSees?: (departmentId: string) => boolean,
): Promise<Response> {
  const after = cursor(c, conv.last_seq);
  const opened = Number(conv.last_seq);
  return sseResponse(ctx, c, (writer) => {
    let gone = false;
    return ctx.hub.subscribe(conv.id, {
      viewer,
      lastSent: after,
      send: (event) => {
        if (gone) return;
        writer.event(event.type, event, event.seq);
        if (stillSees && event.type === 'routed' && event.seq > opened && !stillSees(event.department.id)) {
          gone = true;
          writer.event('gone', { conversation: conv.id });
          writer.close();
        }
      },
      typing: (event) => {
        if (!gone) writer.event('typing', event);
      },
    });
  });
}

export async function conversationQueueItem(q: Queryable, conv: ConversationRow, locale: Locale): Promise<QueueItem> {
  const site = await getSite(q, conv.site_id);
  const dept = await getDepartment(q, conv.department_id);
  return {
    item: 'conversation',
    id: conv.id,
    site: { id: conv.site_id, name: text(site?.names, locale) },
    status: conv.status,
    routedTo: { id: conv.department_id, name: text(dept?.names, locale) },
    createdAt: iso(conv.created_at),
    updatedAt: iso(conv.updated_at),
    preview: conv.preview || conv.topic || '',
    unread: Number(conv.unread),
    assignee: await assigneeOf(q, (conv as ConversationRow & { assignee_id?: string | null }).assignee_id),
  };
}

export async function staffConversation(q: Queryable, conv: ConversationRow, locale: Locale): Promise<StaffConversation> {
  const site = await getSite(q, conv.site_id);
  const dept = await getDepartment(q, conv.department_id);
  return {
    id: conv.id,
    site: { id: conv.site_id, name: text(site?.names, locale) },
    locale: conv.locale,
    topic: conv.topic,
    page: conv.page ? { url: conv.page.url, title: conv.page.title ?? '' } : null,
    status: conv.status,
    routedTo: { id: conv.department_id, name: text(dept?.names, locale) },
    createdAt: iso(conv.created_at),
    updatedAt: iso(conv.updated_at),
    lastSeq: Number(conv.last_seq),
    unread: Number(conv.unread),
    residentReadUpTo: Number(conv.resident_read_seq),
    staffReadUpTo: Number(conv.staff_read_seq),
    workOrders: await workOrdersOf(q, conv.id, locale),
    ...(await suggestionField(q, 'conversation', conv.id, locale)),
  };
}

export async function staffConversationDetail(q: Queryable, id: string, locale: Locale): Promise<StaffConversationDetail> {
  const conv = await getConversation(q, id);
  if (!conv) throw notFound('Conversation');
  return { conversation: await staffConversation(q, conv, locale), events: await eventsAfter(q, id, 0, 5000) };
}

export async function routeConversation(ctx: ServerContext, id: string, departmentId: string, locale: Locale): Promise<StaffConversationDetail> {
  const dept = await getDepartment(ctx.db, departmentId);
  if (!dept) throw new HttpError('validation_failed', 'Unknown department', { department: 'Unknown department' });
  return ctx.db.tx(async (q) => {
    const conv = await getConversation(q, id, true);
    if (!conv) throw notFound('Conversation');
    const convLocale = pickLocale(conv.locale);
    await q.query('UPDATE conversations SET department_id = $2 WHERE id = $1', [id, dept.id]);
    // The `routed` event is the note: each client words it in its resident's language.
    await appendEvent(ctx, q, id, { type: 'routed', department: departmentOut(dept, convLocale) });
    await ctx.hub.publishQueue(q, { item: 'conversation', id, was: { site_id: conv.site_id, department_id: conv.department_id } });
    return staffConversationDetail(q, id, locale);
  });
}

export async function closeConversation(ctx: ServerContext, id: string, locale: Locale): Promise<StaffConversationDetail> {
  return ctx.db.tx(async (q) => {
    const conv = await getConversation(q, id, true);
    if (!conv) throw notFound('Conversation');
    if (conv.status !== 'closed') {
      // `status: closed` keeps a client that follows status events right; `closed` stays the last event.
      await changeStatus(ctx, q, conv, 'closed');
      await appendEvent(ctx, q, id, { type: 'closed' });
      await ctx.hub.publishQueue(q, { item: 'conversation', id });
    }
    return staffConversationDetail(q, id, locale);
  });
}

/* ---------------------------------------------------------------- resident routes */

export function registerConversations(app: Hono, ctx: ServerContext): void {
  app.post('/conversations', async (c) => {
    const { body, value } = await jsonBody(c, ConversationInputSchema);
    const locale = pickLocale(body.locale);
    const site = await getSite(ctx.db, body.site);
    if (!site) throw new HttpError('not_found', say(locale, M.unknownSite), { site: say(locale, M.unknownSite) });
    const onDuty = await staffOnDuty(ctx);
    const key = idempotencyKey(c);
    const result = await withIdempotency<Conversation>(ctx.db, { site: body.site, scope: 'conversations', key, hash: sha256(canonicalJson(value)) }, async (q) => {
      const topicService = body.topic ? await getService(q, body.topic) : null;
      const dept = await route(q, site.id, topicService?.id ?? null);
      const id = newId();
      const token = newToken();
      const now = new Date();
      await q.query(
        `INSERT INTO conversations (id, site_id, locale, topic, page, token_hash, status, department_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8)`,
        [id, site.id, locale, body.topic ?? null, body.page ? JSON.stringify(body.page) : null, sha256(token), dept.id, now],
      );
      await ctx.hub.publishQueue(q, { item: 'conversation', id });
      const conversation: Conversation = { id, token, createdAt: now.toISOString(), staffOnDuty: onDuty, replyPromise: siteReplyPromise(site, locale) };
      return { status: 201, body: conversation };
    });
    // staffOnDuty is the situation now, not when the conversation was first made.
    return c.json({ ...result.body, staffOnDuty: onDuty }, result.status as 200 | 201);
  });

  /** The conversation named in the path, for the holder of its token (header or `?token=`). */
  const residentConversation = async (c: Context, queryToken = true): Promise<ConversationRow> => {
    const token = bearer(c) ?? (queryToken ? c.req.query('token') : null) ?? null;
    if (!token) throw new HttpError('unauthorized', 'The conversation token is required');
    const conv = await getConversation(ctx.db, c.req.param('id') ?? '');
    if (!conv) throw notFound('Conversation');
    if (sha256(token) !== conv.token_hash) throw new HttpError('unauthorized', 'The conversation token does not match');
    return conv;
  };

  // The conversation again after a reload: the header token only (no credential in this URL).
  app.get('/conversations/:id', async (c) => {
    const conv = await residentConversation(c, false);
    const site = await getSite(ctx.db, conv.site_id);
    const locale = pickLocale(conv.locale);
    const out: Conversation = {
      id: conv.id,
      token: bearer(c)!,
      createdAt: iso(conv.created_at),
      staffOnDuty: await staffOnDuty(ctx),
      replyPromise: site ? siteReplyPromise(site, locale) : { hours: 0, text: '' },
      status: conv.status,
      lastSeq: Number(conv.last_seq),
    };
    return c.json(out);
  });

  app.post('/conversations/:id/messages', async (c) => {
    const conv = await residentConversation(c);
    const { body } = await jsonBody(c, MessageInputSchema);
    const { message, created } = await postMessage(ctx, conv.id, 'resident', body);
    return c.json(message, created ? 201 : 200);
  });

  app.get('/conversations/:id/messages', async (c) => {
    const conv = await residentConversation(c);
    const after = cursor(c, conv.last_seq);
    const page: EventsPage = { events: await eventsAfter(ctx.db, conv.id, after), lastSeq: Number(conv.last_seq), staffOnDuty: await staffOnDuty(ctx) };
    return c.json(page);
  });

  app.get('/conversations/:id/events', async (c) => {
    const conv = await residentConversation(c);
    return conversationStream(ctx, c, conv, 'resident');
  });

  app.post('/conversations/:id/typing', async (c) => {
    const conv = await residentConversation(c);
    const { body } = await jsonBody(c, TypingInputSchema);
    await ctx.hub.publishTyping(conv.id, 'resident', body.typing);
    return c.body(null, 204);
  });

  app.post('/conversations/:id/read', async (c) => {
    const conv = await residentConversation(c);
    const { body } = await jsonBody(c, ReadInputSchema);
    await markRead(ctx, conv.id, 'resident', body.upTo);
    return c.body(null, 204);
  });
}
