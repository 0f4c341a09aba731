/**
 * The accounts room's endpoints (docs/staff-api.md, "Accounts and sessions", "Audit log"):
 * signing in and out, the signed-in person, their password, the first administrator's setup,
 * accounts (administrators) and the audit log (supervisors, administrators).
 */
import type { Context, Hono } from 'hono';
import * as v from 'valibot';
import { HttpError, bearer, sha256 } from '../http.js';
import { inStaffLocale, staffBody } from '../staff/field-messages.js';
import { clientAddress, type ServerContext } from '../context.js';
import { audit, requireRole, staffOf, type StaffUser } from '../staff/identity.js';
import {
  AccountCreateInputSchema,
  AccountPatchInputSchema,
  AuditQuerySchema,
  PasswordChangeInputSchema,
  SetupInputSchema,
  SignInInputSchema,
  type AccountsResponse,
  type AuditEntry,
  type AuditResponse,
  type MeResponse,
  type SessionResponse,
} from './accounts-api.js';
import { accountOut, changeAccount, createAccount, findAccount, findByLogin, insertAccount, listAccounts, publicUser, userOf, type AccountRow } from './accounts.js';
import { hashPassword, needsRehash, passwordProblem, standInHash, verifyPassword } from './passwords.js';
import type { SessionGrant } from './sessions.js';

const WRONG = 'Wrong login or password';

function sessionOut(grant: SessionGrant, user: StaffUser): SessionResponse {
  return { token: grant.token, expiresAt: grant.expiresAt.toISOString(), absoluteExpiresAt: grant.absoluteExpiresAt.toISOString(), user: publicUser(user) };
}

async function startSession(ctx: ServerContext, c: Context, row: AccountRow): Promise<{ grant: SessionGrant; user: StaffUser }> {
  const grant = await ctx.sessions.issue(row.id, { userAgent: c.req.header('user-agent') ?? null, address: clientAddress(c, ctx.trustProxy) });
  await ctx.db.query('UPDATE staff_accounts SET last_sign_in_at = now() WHERE id = $1', [row.id]);
  const user = userOf(row, grant.sessionId);
  await audit(ctx, user, 'sign_in', { kind: 'account', id: row.id }, { session: grant.sessionId });
  return { grant, user };
}

export function registerAccounts(app: Hono, ctx: ServerContext): void {
  /* ------------------------------------------------------------ sessions */

  app.post('/staff/session', async (c) => {
    const { body } = await staffBody(c, SignInInputSchema);
    const address = clientAddress(c, ctx.trustProxy);
    const keys = ctx.signIn.keys(body.login, address);
    const row = await findByLogin(ctx.db, body.login);
    const target = row ? { kind: 'account', id: row.id } : null;
    try {
      await ctx.signIn.check(keys);
    } catch (err) {
      await audit(ctx, null, 'sign_in_failed', target, { login: body.login, reason: 'locked' });
      throw err;
    }
    // The same work when the login is unknown or has no password: the time does not tell.
    const right = await verifyPassword(body.password, row?.password_hash ?? (await standInHash()));
    if (!row || !row.password_hash || !right) {
      await ctx.signIn.fail(keys);
      await audit(ctx, null, 'sign_in_failed', target, { login: body.login, reason: !row ? 'unknown_login' : !row.password_hash ? 'no_password' : 'wrong_password' });
      throw new HttpError('unauthorized', WRONG);
    }
    await ctx.signIn.succeeded(keys);
    if (row.disabled) {
      // Only someone who knows the password learns this.
      await audit(ctx, null, 'sign_in_failed', target, { login: body.login, reason: 'disabled' });
      throw new HttpError('forbidden', 'This account is disabled; ask an administrator');
    }
    if (needsRehash(row.password_hash)) {
      await ctx.db.query('UPDATE staff_accounts SET password_hash = $2 WHERE id = $1', [row.id, await hashPassword(body.password)]);
    }
    const { grant, user } = await startSession(ctx, c, row);
    return c.json(sessionOut(grant, user), 201);
  });

  app.get('/staff/me', async (c) => {
    const user = staffOf(c);
    const found = await ctx.sessions.lookup(bearer(c) ?? '');
    if (found.status !== 'ok') throw new HttpError('unauthorized', 'This session has ended; sign in again');
    const out: MeResponse = { user: publicUser(user), expiresAt: found.expiresAt.toISOString(), absoluteExpiresAt: found.absoluteExpiresAt.toISOString() };
    return c.json(out);
  });

  app.delete('/staff/session', async (c) => {
    const user = staffOf(c);
    await ctx.sessions.end(user.sessionId);
    await audit(ctx, user, 'sign_out', { kind: 'account', id: user.id }, { session: user.sessionId });
    return c.body(null, 204);
  });

  app.post('/staff/sessions/revoke', async (c) => {
    const user = staffOf(c);
    const ended = await ctx.sessions.endAll(user.id);
    await audit(ctx, user, 'sign_out_everywhere', { kind: 'account', id: user.id }, { sessionsEnded: ended });
    return c.json({ ended });
  });

  app.post('/staff/me/password', (c) => inStaffLocale(c, async () => {
    const user = staffOf(c);
    const { body } = await staffBody(c, PasswordChangeInputSchema);
    const row = await findAccount(ctx.db, user.id);
    if (!row?.password_hash) throw new HttpError('conflict', 'This account has no password to change');
    const keys = ctx.signIn.keys(row.login, clientAddress(c, ctx.trustProxy));
    await ctx.signIn.check(keys);
    if (!(await verifyPassword(body.current, row.password_hash))) {
      await ctx.signIn.fail(keys);
      throw new HttpError('validation_failed', 'Some fields are not valid', { current: 'Wrong password' });
    }
    const weak = passwordProblem(body.next, row.login) ?? (body.next === body.current ? 'Must differ from the current password' : null);
    if (weak) throw new HttpError('validation_failed', 'Some fields are not valid', { next: weak });
    await ctx.db.query(`UPDATE staff_accounts SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1`, [row.id, await hashPassword(body.next)]);
    // Signed in elsewhere with the old password: those sessions end; this one goes on.
    const ended = await ctx.sessions.endAll(row.id, user.sessionId);
    await audit(ctx, user, 'password_change', { kind: 'account', id: row.id }, { login: row.login, by: 'self', sessionsEnded: ended });
    return c.body(null, 204);
  }));

  /* ------------------------------------------------------------ the first administrator */

  app.post('/staff/setup', (c) => inStaffLocale(c, async () => {
    const address = clientAddress(c, ctx.trustProxy);
    await ctx.limiter.checkFailures('staff', address);
    const { body } = await staffBody(c, SetupInputSchema);
    const made = await ctx.db.tx(async (q) => {
      const token = (await q.query<{ token_hash: string }>(
        'SELECT token_hash FROM staff_setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() FOR UPDATE', [sha256(body.token)]))[0];
      if (!token) return null;
      const admins = await q.query(`SELECT 1 FROM staff_accounts WHERE role = 'administrator' AND NOT disabled LIMIT 1`);
      if (admins.length) throw new HttpError('conflict', 'There is an administrator already; ask them for an account');
      const row = await insertAccount(q, { login: body.login, displayName: body.displayName, role: 'administrator', password: body.password });
      // Every setup token is spent: there is an administrator now.
      await q.query('UPDATE staff_setup_tokens SET used_at = now() WHERE used_at IS NULL');
      return row;
    });
    if (!made) {
      await ctx.limiter.fail('staff', address);
      throw new HttpError('unauthorized', 'This setup link is not valid: used, expired or unknown');
    }
    await audit(ctx, null, 'account_create', { kind: 'account', id: made.id }, { login: made.login, displayName: made.display_name, role: made.role, source: 'setup' });
    const { grant, user } = await startSession(ctx, c, made);
    return c.json(sessionOut(grant, user), 201);
  }));

  /* ------------------------------------------------------------ accounts (administrators) */

  app.get('/staff/accounts', async (c) => {
    requireRole(c, 'administrator');
    const out: AccountsResponse = { accounts: (await listAccounts(ctx.db)).map(accountOut) };
    return c.json(out);
  });

  app.post('/staff/accounts', async (c) => {
    const actor = requireRole(c, 'administrator');
    const { body } = await staffBody(c, AccountCreateInputSchema);
    return c.json(accountOut(await inStaffLocale(c, () => createAccount(ctx, actor, body))), 201);
  });

  app.patch('/staff/accounts/:id', async (c) => {
    const actor = requireRole(c, 'administrator');
    const { body } = await staffBody(c, AccountPatchInputSchema);
    return c.json(accountOut(await inStaffLocale(c, () => changeAccount(ctx, actor, c.req.param('id'), body))));
  });

  /* ------------------------------------------------------------ audit log */

  app.get('/staff/audit', async (c) => {
    const reader = requireRole(c, 'supervisor', 'administrator');
    // A supervisor of a site reads what happened in its subtree: its items, its own staff (site
    // officers and supervisors there) and its sites' settings. Without a site: everything.
    const subtree = reader.role === 'supervisor' ? reader.siteId : null;
    const parsed = v.safeParse(AuditQuerySchema, c.req.query());
    if (!parsed.success) throw new HttpError('bad_request', 'Unknown filter value');
    const query = parsed.output;
    let { targetKind, targetId } = query;
    if (query.target) {
      const cut = query.target.indexOf(':');
      if (cut <= 0) throw new HttpError('bad_request', 'target is kind:id');
      targetKind = query.target.slice(0, cut);
      targetId = query.target.slice(cut + 1);
    }
    const limit = query.limit ?? 100;
    const rows = await ctx.db.query<{
      seq: string | number; id: string; at: Date | string; actor_id: string | null; actor_name: string | null; actor_role: string | null;
      action: string; target_kind: string | null; target_id: string | null; detail: Record<string, unknown> | string;
    }>(
      `SELECT * FROM audit_log
       WHERE ($1::text IS NULL OR actor_id = $1) AND ($2::text IS NULL OR action = $2)
         AND ($3::text IS NULL OR target_kind = $3) AND ($4::text IS NULL OR target_id = $4)
         AND ($5::bigint IS NULL OR seq < $5::bigint)
         AND ($7::timestamptz IS NULL OR at >= $7::timestamptz) AND ($8::timestamptz IS NULL OR at < $8::timestamptz)
         AND ($9::text IS NULL
           OR (target_kind = 'request' AND EXISTS (SELECT 1 FROM requests r WHERE r.reference = audit_log.target_id
                 AND (r.site_id = $9::text OR starts_with(r.site_id, $9::text || '/'))))
           OR (target_kind = 'conversation' AND EXISTS (SELECT 1 FROM conversations cv WHERE cv.id = audit_log.target_id
                 AND (cv.site_id = $9::text OR starts_with(cv.site_id, $9::text || '/'))))
           OR (target_kind = 'settings' AND (target_id = $9::text OR starts_with(target_id, $9::text || '/')))
           OR EXISTS (SELECT 1 FROM staff_accounts sa
                 WHERE (sa.id = audit_log.actor_id OR (audit_log.target_kind = 'account' AND sa.id = audit_log.target_id))
                   AND (sa.site_id = $9::text OR starts_with(sa.site_id, $9::text || '/'))))
       ORDER BY seq DESC LIMIT $6`,
      [query.actor ?? null, query.action ?? null, targetKind ?? null, targetId ?? null, query.before ?? null, limit + 1, query.since ?? null, query.until ?? null, subtree],
    );
    const entries: AuditEntry[] = rows.slice(0, limit).map((r) => ({
      seq: Number(r.seq),
      id: r.id,
      at: new Date(r.at).toISOString(),
      actor: r.actor_id ? { id: r.actor_id, name: r.actor_name, role: r.actor_role } : null,
      action: r.action,
      target: r.target_kind && r.target_id ? { kind: r.target_kind, id: r.target_id } : null,
      detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
    }));
    const out: AuditResponse = { entries, next: rows.length > limit ? entries[entries.length - 1]!.seq : null };
    return c.json(out);
  });
}
