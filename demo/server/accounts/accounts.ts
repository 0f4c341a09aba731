/**
 * Staff accounts (table `staff_accounts`, migration 6): one per person, with a login (unique
 * whatever its case), a display name, a role and a scope (a department for department officers, a
 * site for site officers and optionally supervisors), a scrypt password hash, and a disabled flag.
 * Also what is made at start: the built-in account of the pre-issued staff token, the demo
 * accounts, the first administrator from the environment, and one-time setup tokens.
 */
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../storage/db.js';
import { HttpError, newId, sha256 } from '../http.js';
import { audit, type Role, type StaffUser } from '../staff/identity.js';
import type { ServerContext } from '../context.js';
import type { Account, AccountCreateInput, AccountPatchInput } from './accounts-api.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { DEMO_ACCOUNTS, DEMO_TOKEN_LOGIN } from './demo-accounts.js';

export type AccountRow = {
  id: string;
  login: string;
  display_name: string;
  role: Role;
  department_id: string | null;
  site_id: string | null;
  password_hash: string | null;
  disabled: boolean;
  built_in: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  password_changed_at: Date | string | null;
  last_sign_in_at: Date | string | null;
};

/**
 * The account of the pre-issued staff token (`ServerOptions.staffToken`): a dispatcher of all
 * sites with no password, so nobody signs in as it; tests and the demo use its token. Its id is
 * the one the shared token had before accounts (staff/operator-detail.ts knows it).
 */
export const BUILT_IN_ID = 'staff-token';

const iso = (d: Date | string) => new Date(d).toISOString();

export function accountOut(r: AccountRow): Account {
  return {
    id: r.id,
    login: r.login,
    displayName: r.display_name,
    role: r.role,
    departmentId: r.department_id,
    siteId: r.site_id,
    disabled: r.disabled,
    builtIn: r.built_in,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    passwordChangedAt: r.password_changed_at ? iso(r.password_changed_at) : null,
    lastSignInAt: r.last_sign_in_at ? iso(r.last_sign_in_at) : null,
  };
}

/** The public part of an account, as a signed-in StaffUser of `sessionId`. */
export const userOf = (r: AccountRow, sessionId: string): StaffUser => ({
  id: r.id, login: r.login, displayName: r.display_name, role: r.role, departmentId: r.department_id, siteId: r.site_id, sessionId,
});

export const publicUser = (u: StaffUser) => ({ id: u.id, login: u.login, displayName: u.displayName, role: u.role, departmentId: u.departmentId, siteId: u.siteId });

export async function findByLogin(q: Queryable, login: string): Promise<AccountRow | null> {
  const rows = await q.query<AccountRow>('SELECT * FROM staff_accounts WHERE lower(login) = lower($1)', [login.trim()]);
  return rows[0] ?? null;
}

export async function findAccount(q: Queryable, id: string): Promise<AccountRow | null> {
  const rows = await q.query<AccountRow>('SELECT * FROM staff_accounts WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function listAccounts(q: Queryable): Promise<AccountRow[]> {
  return q.query<AccountRow>('SELECT * FROM staff_accounts ORDER BY built_in, lower(login)');
}

async function enabledAdministrators(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM staff_accounts WHERE role = 'administrator' AND NOT disabled`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Field errors of a role and its scope: department officers need a department, site officers a
 * site; supervisors may have a site; no other role has either. Unknown ids are errors too.
 */
export async function scopeProblems(q: Queryable, role: Role, department: string | null, site: string | null): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  if (role === 'department' && !department) fields.department = 'Department officers need a department';
  if (role !== 'department' && department) fields.department = 'Only department officers have a department';
  if (role === 'site' && !site) fields.site = 'Site officers need a site';
  if (role !== 'site' && role !== 'supervisor' && site) fields.site = 'Only site officers and supervisors have a site';
  if (department && !fields.department && !(await q.query('SELECT 1 FROM departments WHERE id = $1', [department])).length) fields.department = 'Unknown department';
  if (site && !fields.site && !(await q.query('SELECT 1 FROM sites WHERE id = $1', [site])).length) fields.site = 'Unknown site';
  return fields;
}

const invalid = (fields: Record<string, string>) => new HttpError('validation_failed', 'Some fields are not valid', fields);

/** Makes an account after checking it (422 with `fields`); the caller audits. */
export async function insertAccount(q: Queryable, input: AccountCreateInput): Promise<AccountRow> {
  const department = input.department ?? null;
  const site = input.site ?? null;
  const fields = await scopeProblems(q, input.role, department, site);
  const weak = passwordProblem(input.password, input.login);
  if (weak) fields.password = weak;
  if (await findByLogin(q, input.login)) fields.login = 'Already in use';
  if (Object.keys(fields).length) throw invalid(fields);
  const hash = await hashPassword(input.password);
  const rows = await q.query<AccountRow>(
    `INSERT INTO staff_accounts (id, login, display_name, role, department_id, site_id, password_hash, password_changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT DO NOTHING RETURNING *`,
    [newId(), input.login, input.displayName, input.role, department, site, hash],
  );
  if (!rows[0]) throw invalid({ login: 'Already in use' }); // made by another call meanwhile
  return rows[0];
}

export async function createAccount(ctx: ServerContext, actor: StaffUser, input: AccountCreateInput): Promise<AccountRow> {
  const row = await insertAccount(ctx.db, input);
  await audit(ctx, actor, 'account_create', { kind: 'account', id: row.id }, {
    login: row.login, displayName: row.display_name, role: row.role, departmentId: row.department_id, siteId: row.site_id,
  });
  return row;
}

/**
 * Changes what `patch` names. A new password or disabling ends the account's sessions (and
 * closes their streams); the last enabled administrator keeps the role and cannot be disabled.
 */
export async function changeAccount(ctx: ServerContext, actor: StaffUser, id: string, patch: AccountPatchInput): Promise<AccountRow> {
  const { before, after, ended } = await ctx.db.tx(async (q) => {
    const before = (await q.query<AccountRow>('SELECT * FROM staff_accounts WHERE id = $1 FOR UPDATE', [id]))[0];
    if (!before) throw new HttpError('not_found', 'Account not found');
    if (before.built_in && (patch.role !== undefined || patch.department !== undefined || patch.site !== undefined || patch.password !== undefined)) {
      throw new HttpError('conflict', 'The built-in account of the staff token can only be renamed, disabled or enabled');
    }
    const role = patch.role ?? before.role;
    // A role change drops a scope the new role cannot have, unless the call names one.
    const department = patch.department !== undefined ? patch.department : role === 'department' ? before.department_id : null;
    const site = patch.site !== undefined ? patch.site : role === 'site' || role === 'supervisor' ? before.site_id : null;
    const fields = await scopeProblems(q, role, department, site);
    if (patch.password !== undefined) {
      const weak = passwordProblem(patch.password, before.login);
      if (weak) fields.password = weak;
    }
    if (Object.keys(fields).length) throw invalid(fields);
    const disabled = patch.disabled ?? before.disabled;
    if (before.role === 'administrator' && !before.disabled && (role !== 'administrator' || disabled)) {
      // Locks every administrator row, so two calls cannot each remove "the other" last one.
      await q.query(`SELECT id FROM staff_accounts WHERE role = 'administrator' FOR UPDATE`);
      if ((await enabledAdministrators(q)) <= 1) throw new HttpError('conflict', 'The last administrator cannot be disabled or given another role');
    }
    const hash = patch.password !== undefined ? await hashPassword(patch.password) : null;
    const after = (await q.query<AccountRow>(
      `UPDATE staff_accounts SET display_name = $2, role = $3, department_id = $4, site_id = $5, disabled = $6,
         password_hash = coalesce($7, password_hash), password_changed_at = CASE WHEN $7::text IS NULL THEN password_changed_at ELSE now() END,
         updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, patch.displayName ?? before.display_name, role, department, site, disabled, hash],
    ))[0]!;
    const ended = hash !== null || (disabled && !before.disabled) ? await ctx.sessions.endAll(id, null, q) : 0;
    return { before, after, ended };
  });
  const target = { kind: 'account', id };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const compare: [string, unknown, unknown][] = [
    ['displayName', before.display_name, after.display_name],
    ['role', before.role, after.role],
    ['departmentId', before.department_id, after.department_id],
    ['siteId', before.site_id, after.site_id],
  ];
  for (const [name, from, to] of compare) if (from !== to) changes[name] = { from, to };
  if (Object.keys(changes).length) await audit(ctx, actor, 'account_change', target, { login: after.login, changes });
  if (after.disabled && !before.disabled) await audit(ctx, actor, 'account_disable', target, { login: after.login, sessionsEnded: ended });
  if (!after.disabled && before.disabled) await audit(ctx, actor, 'account_change', target, { login: after.login, changes: { disabled: { from: true, to: false } } });
  if (patch.password !== undefined) await audit(ctx, actor, 'password_change', target, { login: after.login, by: 'administrator', sessionsEnded: ended });
  return after;
}

/* ---------------------------------------------------------------- made at start */

export interface FirstAdmin {
  login: string;
  password: string;
  displayName?: string;
}

export interface AccountSetup {
  /** The pre-issued session token (tests, the demo); false: none (production). */
  staffToken: string | false;
  demoAccounts: boolean;
  firstAdmin?: FirstAdmin;
  /** Issue a one-time setup token while there is no administrator. */
  offerSetup: boolean;
  /** How long a setup token is valid, ms (default 24 h). */
  setupTokenMs?: number;
}

/** Accounts made at start; returns the setup token when one was issued. */
export async function prepareAccounts(ctx: ServerContext, setup: AccountSetup): Promise<{ setupToken: string | null }> {
  if (setup.demoAccounts) {
    for (const demo of DEMO_ACCOUNTS) {
      if (await findByLogin(ctx.db, demo.login)) continue;
      const hash = await hashPassword(demo.password);
      await ctx.db.query(
        `INSERT INTO staff_accounts (id, login, display_name, role, department_id, site_id, password_hash, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now()) ON CONFLICT DO NOTHING`,
        [newId(), demo.login, demo.displayName, demo.role, demo.departmentId, demo.siteId, hash],
      );
    }
  }
  if (setup.staffToken !== false) {
    let account = setup.demoAccounts ? (await findByLogin(ctx.db, DEMO_TOKEN_LOGIN))?.id : undefined;
    if (!account) {
      await ctx.db.query(
        `INSERT INTO staff_accounts (id, login, display_name, role, built_in) VALUES ($1, 'staff-token', 'Staff', 'dispatcher', true) ON CONFLICT DO NOTHING`,
        [BUILT_IN_ID],
      );
      account = BUILT_IN_ID;
    }
    await ctx.sessions.issueFixed(setup.staffToken, account);
  }
  if (setup.firstAdmin && (await enabledAdministrators(ctx.db)) === 0) await makeFirstAdmin(ctx, setup.firstAdmin);
  let setupToken: string | null = null;
  if (setup.offerSetup && (await enabledAdministrators(ctx.db)) === 0) setupToken = await issueSetupToken(ctx.db, setup.setupTokenMs ?? 24 * 3600_000);
  return { setupToken };
}

async function makeFirstAdmin(ctx: ServerContext, admin: FirstAdmin): Promise<void> {
  const existing = await findByLogin(ctx.db, admin.login);
  if (existing) {
    ctx.log(`[accounts] INTAKE_ADMIN_LOGIN ${admin.login} is an existing account that is not an enabled administrator: left as it is`);
    return;
  }
  const weak = passwordProblem(admin.password, admin.login);
  if (weak) throw new Error(`INTAKE_ADMIN_PASSWORD: ${weak}`);
  const row = await insertAccount(ctx.db, { login: admin.login, displayName: admin.displayName || admin.login, role: 'administrator', password: admin.password });
  await audit(ctx, null, 'account_create', { kind: 'account', id: row.id }, { login: row.login, displayName: row.display_name, role: row.role, source: 'environment' });
  ctx.log(`[accounts] first administrator ${row.login} made from the environment`);
}

/** A one-time token that makes the first administrator (`POST /staff/setup`); only its hash is kept. */
export async function issueSetupToken(db: Db, validMs: number): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await db.query(`INSERT INTO staff_setup_tokens (token_hash, expires_at) VALUES ($1, now() + make_interval(secs => $2))`, [sha256(token), validMs / 1000]);
  return token;
}
