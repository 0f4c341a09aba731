/**
 * What a member of staff may see and do, enforced here for every staff endpoint and event stream
 * (never by the console). docs/staff-api.md, "Scopes and the complainant", has the table.
 *
 * - dispatcher: every item, every action (route, reply, status, message, close, release contact).
 * - department: items routed to their department; reply, status, message, close; no route.
 * - site: items of their site and the sites below it (`a/b` covers `a/b` and `a/b/…`); the same
 *   actions as a department officer.
 * - supervisor: reads every item of their site subtree (siteId null: all sites), no writes.
 * - administrator: accounts, catalogue, settings; no resident items at all (least privilege):
 *   items answer 404, the queue is empty, the metrics count nothing.
 *
 * An item outside the caller's scope answers 404, as if it did not exist (never 403, which would
 * tell that it exists), and its events never reach them. A write the role may not do on an item
 * it sees answers 403 `forbidden`.
 *
 * The complainant: a complaint's contact is never shown to a department or site officer (the
 * office complained about) unless the dispatcher released it (`contact_releases`, migration 7) or
 * the resident agreed when filing (`contact.shareWithOffice`). For everyone, contact details are
 * given only on demand (`POST /staff/requests/{ref}/contact`), and each showing is audited.
 */
import type { Context } from 'hono';
import { staffCaller, type ServerContext } from '../context.js';
import { HttpError, notFound } from '../http.js';
import type { Queryable } from '../storage/db.js';
import { findRequest, type RequestRow } from '../requests/requests.js';
import { getConversation, type ConversationRow } from '../conversations/conversations.js';
import type { StaffRequestDetail } from './staff-api.js';
import type { Role, StaffUser } from './identity.js';

/** The columns scope is decided on; requests and conversations both have them. */
export interface Scoped {
  site_id: string;
  department_id: string;
  /** Requests: the assisting offices (协办, migration 14; loop/dispatch.ts) see it too. */
  assist_departments?: readonly string[] | null;
}

/** Whether `site` is `root` or below it (site ids are paths: `riverside/xinhua/garden`). */
export function siteWithin(site: string, root: string): boolean {
  return site === root || site.startsWith(`${root}/`);
}

/** Whether `user` may see an item (request or conversation row). */
export function sees(user: StaffUser, row: Scoped): boolean {
  switch (user.role) {
    case 'dispatcher':
      return true;
    case 'department':
      return user.departmentId !== null && (row.department_id === user.departmentId || (row.assist_departments ?? []).includes(user.departmentId));
    case 'site':
      return user.siteId !== null && siteWithin(row.site_id, user.siteId);
    case 'supervisor':
      return user.siteId === null || siteWithin(row.site_id, user.siteId);
    default:
      return false;
  }
}

/**
 * A SQL condition (to AND into a WHERE) limiting `table` to what `user` may see; its parameters
 * are numbered from `$firstParam`. `alias`: how the query names the table (default: its name).
 */
export function scopeClause(
  user: StaffUser,
  table: 'requests' | 'conversations',
  firstParam: number,
  alias: string = table,
): { sql: string; params: unknown[] } {
  const subtree = (siteId: string) => ({
    sql: `(${alias}.site_id = $${firstParam}::text OR starts_with(${alias}.site_id, $${firstParam}::text || '/'))`,
    params: [siteId],
  });
  switch (user.role) {
    case 'dispatcher':
      return { sql: 'true', params: [] };
    case 'department':
      if (user.departmentId === null) return { sql: 'false', params: [] };
      // An assisting office (协办) sees the request too; conversations have no assisting offices.
      return table === 'requests'
        ? { sql: `(${alias}.department_id = $${firstParam}::text OR $${firstParam}::text = ANY(${alias}.assist_departments))`, params: [user.departmentId] }
        : { sql: `${alias}.department_id = $${firstParam}::text`, params: [user.departmentId] };
    case 'site':
      return user.siteId === null ? { sql: 'false', params: [] } : subtree(user.siteId);
    case 'supervisor':
      return user.siteId === null ? { sql: 'true', params: [] } : subtree(user.siteId);
    default:
      return { sql: 'false', params: [] };
  }
}

/** The request with this reference, if `user` may see it; 404 otherwise (unknown or out of scope alike). */
export async function visibleRequest(ctx: ServerContext, user: StaffUser, reference: string): Promise<RequestRow> {
  const row = await findRequest(ctx.db, reference);
  if (!row || !sees(user, row)) throw notFound('Request');
  return row;
}

/** The conversation, if `user` may see it; 404 otherwise. */
export async function visibleConversation(ctx: ServerContext, user: StaffUser, id: string): Promise<ConversationRow> {
  const row = await getConversation(ctx.db, id);
  if (!row || !sees(user, row)) throw notFound('Conversation');
  return row;
}

/**
 * For the residents' endpoints that let staff read too (a request's status page, an attachment):
 * whether the call carries a staff session whose scope covers `row`. Null row: no.
 */
export async function staffSees(ctx: ServerContext, c: Context, row: Scoped | null): Promise<boolean> {
  if (!row) return false;
  const user = await staffCaller(ctx, c);
  return user !== null && sees(user, row);
}

/* ---------------------------------------------------------------- actions */

/** What staff do to an item. `typing` and `read` go with `message`: who may not answer may not type or mark read. */
export type ItemAction = 'route' | 'reply' | 'status' | 'message' | 'close' | 'contact_release';

const ACTIONS: Readonly<Record<Role, readonly ItemAction[]>> = {
  dispatcher: ['route', 'reply', 'status', 'message', 'close', 'contact_release'],
  department: ['reply', 'status', 'message', 'close'],
  site: ['reply', 'status', 'message', 'close'],
  supervisor: [],
  administrator: [],
};

/** Whether the role may do `action` to an item it sees. */
export function may(user: StaffUser, action: ItemAction): boolean {
  return ACTIONS[user.role].includes(action);
}

/** 403 `forbidden` unless the role may do `action` (check visibility first: out of scope is 404). */
export function requireAction(user: StaffUser, action: ItemAction): void {
  if (!may(user, action)) throw new HttpError('forbidden', 'Your role does not allow this');
}

/* ---------------------------------------------------------------- the complainant */

export interface ContactRelease {
  at: string;
  by: string;
  note: string;
}

/** The dispatcher's release of a request's contact to the office, if any (the latest). */
export async function contactRelease(q: Queryable, requestId: string): Promise<ContactRelease | null> {
  const rows = await q.query<{ at: Date; actor_name: string | null; note: string }>(
    'SELECT at, actor_name, note FROM contact_releases WHERE request_id = $1 ORDER BY at DESC, id DESC LIMIT 1', [requestId]);
  const r = rows[0];
  return r ? { at: new Date(r.at).toISOString(), by: r.actor_name ?? '', note: r.note } : null;
}

type ContactRow = Pick<RequestRow, 'kind' | 'contact'>;

const hasContact = (row: ContactRow) => !!row.contact && !!(row.contact.name || row.contact.phone || row.contact.email);

/** Whether the complaint rule keeps this request's contact from `user` (released or agreed: no). */
export function complaintProtected(user: StaffUser, row: ContactRow, released: boolean): boolean {
  if (row.kind !== 'complaint') return false;
  if (user.role !== 'department' && user.role !== 'site') return false;
  const shared = (row.contact as { shareWithOffice?: boolean } | null)?.shareWithOffice === true;
  return !shared && !released;
}

/** A masked hint of a contact (`王**`, `138****0000`, `w***@example.com`): enough to tell, not to call. */
export function maskContact(contact: NonNullable<RequestRow['contact']>): { name?: string; phone?: string; email?: string } {
  const out: { name?: string; phone?: string; email?: string } = {};
  if (contact.name) {
    const chars = [...contact.name.trim()];
    out.name = chars[0] + '*'.repeat(Math.max(1, Math.min(chars.length - 1, 3)));
  }
  if (contact.phone) {
    const digits = contact.phone.replace(/\D/g, '');
    out.phone = digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
  }
  if (contact.email) {
    const [local = '', domain = ''] = contact.email.split('@');
    out.email = `${local.charAt(0)}***@${domain}`;
  }
  return out;
}

/**
 * A staff answer about a request as `user` may have it: never the contact itself (that is
 * `POST …/contact`), but whether there is one and why it is hidden (`contactHidden`), a masked
 * hint when it may be shown on demand, the release if any; and for a complaint kept from an
 * office, its phone and email form fields left out too. Every staff answer that carries a
 * StaffRequestDetail goes through here.
 */
export async function protectDetail(ctx: ServerContext, user: StaffUser, detail: StaffRequestDetail, q: Queryable = ctx.db): Promise<StaffRequestDetail> {
  const rows = await q.query<RequestRow & Record<string, unknown>>('SELECT kind, contact FROM requests WHERE id = $1', [detail.id]);
  const row = rows[0];
  const out: StaffRequestDetail = { ...detail, contact: null };
  delete out.contactHidden;
  delete out.contactHint;
  delete out.contactRelease;
  if (!row || !hasContact(row)) return out;
  const release = row.kind === 'complaint' ? await contactRelease(q, detail.id) : null;
  const hidden = complaintProtected(user, row, release !== null);
  out.contactHidden = hidden ? 'complaint' : 'on_demand';
  if (!hidden) out.contactHint = maskContact(row.contact!);
  if (row.kind === 'complaint') out.contactSharedWithOffice = (row.contact as { shareWithOffice?: boolean }).shareWithOffice === true;
  if (release) out.contactRelease = release;
  if (hidden) out.fields = out.fields.filter((f) => f.type !== 'phone' && f.type !== 'email');
  return out;
}

/** The contact for `POST …/contact`: 403 when the complaint rule keeps it from `user`. */
export async function contactFor(ctx: ServerContext, user: StaffUser, row: RequestRow): Promise<NonNullable<StaffRequestDetail['contact']> | null> {
  if (!hasContact(row)) return null;
  const released = row.kind === 'complaint' && (await contactRelease(ctx.db, row.id)) !== null;
  if (complaintProtected(user, row, released)) {
    throw new HttpError('forbidden', 'A complaint’s contact is shown to the office only when the dispatcher releases it or the resident agreed');
  }
  const c = row.contact!;
  return {
    ...(c.name ? { name: c.name } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.email ? { email: c.email } : {}),
    preferred: c.preferred ?? 'none',
  };
}

/**
 * For the queue's search by phone or contact name (queue.ts): whether `user` may search by
 * contact at all (every role that sees items), and the SQL condition (alias `alias` for
 * `requests`, no parameters) a row must also meet for its contact to be matched — a complaint
 * kept from an office is never found by its resident's phone or name. AND both into the search
 * branch only: `(<text matches> OR (<contact matches> AND <contactSearchClause>))`.
 */
export function contactSearchAllowed(user: StaffUser): boolean {
  return user.role !== 'administrator';
}

export function contactSearchClause(user: StaffUser, alias = 'requests'): string {
  if (user.role !== 'department' && user.role !== 'site') return 'true';
  return `(${alias}.kind <> 'complaint' OR ${alias}.contact->>'shareWithOffice' = 'true'
    OR EXISTS (SELECT 1 FROM contact_releases cr WHERE cr.request_id = ${alias}.id))`;
}
