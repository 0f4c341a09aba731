/**
 * Who is calling the staff API: every member of staff is a person with a role and a scope
 * (docs/staff-api.md, "Accounts, sessions and scopes"). The `/staff/*` middleware puts the
 * signed-in person on the Hono context; handlers read it with `staffOf(c)` and check roles with
 * `requireRole(c, …)`. Every staff action is written to the append-only audit log with `audit()`.
 */
import type { Context } from 'hono';
import { HttpError, newId } from '../http.js';
import type { ServerContext } from '../context.js';

/**
 * dispatcher: the intake centre, sees and routes everything. department: an officer of one
 * department, sees what is routed to it. site: an officer of a street office or community, sees
 * what came from their site and the sites below it. supervisor: reads everything in their scope,
 * the audit log and the assessment figures. administrator: accounts, catalogue, settings.
 */
export const ROLES = ['dispatcher', 'department', 'site', 'supervisor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export interface StaffUser {
  /** Account id. */
  id: string;
  /** What they sign in with. */
  login: string;
  /** As residents and colleagues see them (replies are signed with it). */
  displayName: string;
  role: Role;
  /** Department officers: their department. Null for every other role. */
  departmentId: string | null;
  /** Site officers (and a supervisor of one street or community): the site whose subtree they see. Null: all sites. */
  siteId: string | null;
  /** The session this call came with (signing out ends it). */
  sessionId: string;
}

declare module 'hono' {
  interface ContextVariableMap {
    staff: StaffUser;
  }
}

/** The signed-in person of a `/staff/*` call (the middleware has checked the session). */
export function staffOf(c: Context): StaffUser {
  const user = c.get('staff');
  if (!user) throw new HttpError('unauthorized', 'Sign in to use the staff API');
  return user;
}

/** The signed-in person, if their role is one of `roles`; 403 otherwise. */
export function requireRole(c: Context, ...roles: Role[]): StaffUser {
  const user = staffOf(c);
  if (!roles.includes(user.role)) throw new HttpError('forbidden', 'Your role does not allow this');
  return user;
}

/**
 * What the audit log records. Add to the list rather than writing free text: the console
 * translates each action by name.
 */
export const AUDIT_ACTIONS = [
  'sign_in', 'sign_in_failed', 'sign_out', 'sign_out_everywhere',
  'account_create', 'account_change', 'account_disable', 'password_change',
  'route', 'reply', 'status', 'note', 'message', 'close', 'assign', 'claim',
  'contact_release', 'contact_view', 'attachment_view',
  'work_order', 'export', 'import', 'catalogue_change', 'settings_change',
  'merge',
  'canned_change',
  'rating_appeal', 'return_visit',
  'supervise',
  'return', 'return_overrule', 'offices',
  'delivery_retry',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditTarget {
  /** 'request', 'conversation', 'account', 'catalogue', 'service', 'site', 'department', … */
  kind: string;
  id: string;
}

/**
 * Appends one entry to the audit log (table `audit_log`, migration 5; never updated or deleted).
 * `actor` null: a call that is not signed in (a failed sign-in names the login in `detail`).
 */
export async function audit(
  ctx: ServerContext,
  actor: StaffUser | null,
  action: AuditAction,
  target: AuditTarget | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await ctx.db.query(
    `INSERT INTO audit_log (id, actor_id, actor_name, actor_role, action, target_kind, target_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [newId(), actor?.id ?? null, actor?.displayName ?? null, actor?.role ?? null, action, target?.kind ?? null, target?.id ?? null, JSON.stringify(detail)],
  );
}
