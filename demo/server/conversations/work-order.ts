/**
 * 转工单: an operator turns a chat into a work order. The request is filed with the form's own
 * code (checkFields, insertRequest), at the chat's site, in its language, routed as the catalogue
 * routes the service there; the chat's attachments go with it; the two are linked both ways; the
 * resident is told the reference in the chat. The chat's token becomes the request's access
 * token: the resident's chat client already holds it, so My requests can follow the request and
 * no new secret travels or is stored anywhere readable.
 */
import type { Context, Hono } from 'hono';
import type { Contact, Message } from '../../../src/client/protocol.js';
import { WorkOrderInputSchema, type WorkOrder, type WorkOrderCreated } from '../staff/staff-api.js';
import type { Queryable } from '../storage/db.js';
import type { Texts } from '../catalogue/seed-data.js';
import { getDepartment, getService, getSite, pickLocale, text, type Locale } from '../catalogue/catalog.js';
import { HttpError, canonicalJson, newId, sha256 } from '../http.js';
import { staffBody } from '../staff/field-messages.js';
import { localeOf, type ServerContext } from '../context.js';
import { M, say } from '../messages.js';
import { idempotencyKey, withIdempotency } from '../storage/idempotency.js';
import { checkFields } from '../requests/requests.js';
import { insertRequest } from '../requests/filing.js';
import { appendEvent, getConversation } from './conversations.js';
import { audit, requireRole } from '../staff/identity.js';
import { visibleConversation } from '../staff/scope.js';
import { decideDispatch } from '../loop/dispatch-suggestion.js';

/** Consent version recorded on a work order: the operator filed it, the resident never saw the form's notice. */
export const WORK_ORDER_CONSENT = 'work-order';

/** The requests filed from a chat, oldest first (shown in the staff conversation detail). */
export async function workOrdersOf(q: Queryable, conversationId: string, locale: Locale): Promise<WorkOrder[]> {
  const rows = await q.query<{ id: string; reference: string; status: WorkOrder['status']; created_at: Date; service: Texts; department: Texts; s_id: string; d_id: string }>(
    `SELECT r.id, r.reference, r.status, r.created_at, s.id AS s_id, s.names AS service, d.id AS d_id, d.names AS department
     FROM requests r JOIN services s ON s.id = r.service_id JOIN departments d ON d.id = r.department_id
     WHERE r.conversation_id = $1 ORDER BY r.created_at, r.id`, [conversationId]);
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    service: { id: r.s_id, name: text(r.service, locale) },
    status: r.status,
    routedTo: { id: r.d_id, name: text(r.department, locale) },
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** The resident's words in the chat, one message a line: the default description. */
async function residentText(q: Queryable, conversationId: string): Promise<string> {
  const rows = await q.query<{ text: string }>(
    `SELECT data->'message'->>'text' AS text FROM conversation_events
     WHERE conversation_id = $1 AND type = 'message' AND data->'message'->>'author' = 'resident' ORDER BY seq`, [conversationId]);
  return rows.map((r) => r.text.trim()).filter(Boolean).join('\n');
}

/** What the resident reads in the chat, in the chat's language. */
export function workOrderNotice(locale: Locale, reference: string, department: string): string {
  return say(locale, M.workOrderNotice(reference, department));
}

export async function fileWorkOrder(ctx: ServerContext, c: Context, conversationId: string): Promise<{ status: number; body: WorkOrderCreated }> {
  const user = requireRole(c, 'dispatcher', 'department', 'site');
  const conv0 = await visibleConversation(ctx, user, conversationId);
  const { body, value } = await staffBody(c, WorkOrderInputSchema);
  const locale = pickLocale(conv0.locale);
  const staffLocale0 = localeOf(c);
  const site = await getSite(ctx.db, conv0.site_id);
  const service = await getService(ctx.db, body.service);
  if (!site || !service) {
    throw new HttpError('validation_failed', say(staffLocale0, M.unknownService), { service: say(staffLocale0, M.unknownService) });
  }
  const kind = body.kind ?? service.kinds[0]!;
  if (!service.kinds.includes(kind)) {
    throw new HttpError('validation_failed', say(staffLocale0, M.kindNotTaken), { kind: say(staffLocale0, M.kindNotOffered) });
  }
  // The form's checks, with nothing required: the operator records what the resident said, the chat
  // is the rest. File fields are left out: the chat's own attachments go with the request.
  const relaxed = { ...service, fields: service.fields.map((f) => ({ ...f, required: false })) };
  const { fields } = checkFields(relaxed, body.fields ?? {}, locale, ['file']);
  const given = body.contact;
  const contact: Contact | null = given && (given.name || given.phone || given.email) ? given : null;
  const key = c.req.header('idempotency-key') ? idempotencyKey(c) : null;
  const target = key ? { site: conv0.site_id, scope: `work-order:${conv0.id}`, key, hash: sha256(canonicalJson(value)) } : null;

  const result = await withIdempotency<WorkOrderCreated>(ctx.db, target, async (q) => {
    // The chat's row lock: two clicks (or two operators) file one work order, one after the other.
    const conv = (await getConversation(q, conv0.id, true))!;
    const existing = await q.query<{ reference: string }>('SELECT reference FROM requests WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1', [conv.id]);
    if (existing[0] && !body.force) {
      throw new HttpError('conflict',
        say(staffLocale0, M.alreadyWorkOrder(existing[0].reference)),
        { workOrder: existing[0].reference });
    }
    const description = body.description ?? (await residentText(q, conv.id)).slice(0, 4000);
    if (!description) {
      throw new HttpError('validation_failed', say(staffLocale0, M.describeTheMatter), { description: say(staffLocale0, M.required) });
    }
    const created = await insertRequest(ctx, q, {
      site, service, kind, description, fields, files: [], contact,
      consentVersion: WORK_ORDER_CONSENT, locale, page: conv.page, channel: 'intake',
    });
    // Linked to the chat; the chat's token opens it (the token insertRequest made is never handed out).
    await q.query('UPDATE requests SET conversation_id = $2, access_token_hash = $3 WHERE id = $1', [created.id, conv.id, conv.token_hash]);
    await decideDispatch(q, ctx.clock, { item: 'conversation', id: conv.id, department: created.routedTo.id, service: service.id, via: 'work_order', actor: user });
    // The chat's files go with it (the chat keeps them too): the first work order takes them.
    await q.query('UPDATE attachments SET request_id = $2 WHERE conversation_id = $1 AND request_id IS NULL', [conv.id, created.id]);
    const message: Omit<Message, 'seq' | 'at'> = {
      id: newId(),
      clientId: null,
      author: 'system',
      text: workOrderNotice(locale, created.reference, created.routedTo.name),
      attachments: [],
      request: { reference: created.reference, service: service.id, type: kind },
    };
    const event = await appendEvent(ctx, q, conv.id, { type: 'message', message });
    await ctx.hub.publishQueue(q, { item: 'conversation', id: conv.id });
    const staffLocale = localeOf(c);
    const out: WorkOrderCreated = {
      id: created.id,
      reference: created.reference,
      service: { id: service.id, name: text(service.names, staffLocale) },
      status: created.status,
      routedTo: { id: created.routedTo.id, name: text((await getDepartment(q, created.routedTo.id))?.names, staffLocale) },
      createdAt: created.createdAt,
      conversationId: conv.id,
      messageSeq: event.seq,
    };
    return { status: 201, body: out };
  });
  if (result.status === 201) {
    await audit(ctx, user, 'work_order', { kind: 'conversation', id: conv0.id }, { reference: result.body.reference, service: service.id, kind, force: body.force ?? false });
  }
  return result;
}

export function registerWorkOrders(app: Hono, ctx: ServerContext): void {
  app.post('/staff/conversations/:id/work-order', async (c) => {
    const { status, body } = await fileWorkOrder(ctx, c, c.req.param('id'));
    return c.json(body, status as 200 | 201);
  });
}
