/**
 * Staff accounts and sessions (demo/server/accounts/): signing in and out, wrong passwords slowed
 * down per login and per address, idle and absolute expiry, signing out everywhere (and the
 * streams of ended sessions closing), disabled accounts, password hashes, the first administrator
 * from the environment and from a one-time setup token, the accounts API and the audit log.
 * PGlite always, PostgreSQL too with DATABASE_URL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import type { RunningServer } from '../../demo/server/server.js';
import { AccountSchema, AuditResponseSchema, MeResponseSchema, SessionResponseSchema } from '../../demo/server/accounts/accounts-api.js';
import { hashPassword, parseHash, verifyPassword } from '../../demo/server/accounts/passwords.js';
import { DEMO_ACCOUNTS } from '../../demo/server/accounts/demo-accounts.js';
import { sha256 } from '../../demo/server/http.js';
import { bearer, call, start, storageConfigs, waitFor, type StorageConfig } from './helpers.js';

const ADMIN = { login: 'Chief', password: 'chief-password-1', displayName: '区长办 管理员' };

/** An event stream read to its end: `ended` says whether the server has closed it. */
async function stream(url: string): Promise<{ status: number; ended: () => boolean; close: () => void }> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
  let ended = false;
  if (res.ok && res.body) {
    void (async () => {
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) void chunk;
        ended = true;
      } catch {
        /* aborted by us */
      }
    })();
  } else {
    await res.body?.cancel();
  }
  return { status: res.status, ended: () => ended, close: () => abort.abort() };
}

for (const config of storageConfigs()) {
  describe(`accounts and sessions (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let admin: string;
    const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });
    const signIn = (login: string, password: string, address = '198.51.100.1') =>
      call(api, '/staff/session', { body: { login, password }, headers: from(address, { 'user-agent': 'accounts-test' }) });
    const asAdmin = () => bearer(admin);
    const auditOf = async (query: string) => v.parse(AuditResponseSchema, (await call(api, `/staff/audit?${query}`, { headers: asAdmin() })).body).entries;

    before(async () => {
      server = await start(config, {
        trustProxy: true,
        firstAdmin: ADMIN,
        signInLimits: { perLogin: 3, perAddress: 6, lockMs: 1000, maxLockMs: 8000, forgetMs: 60_000 },
        sessions: { checkMs: 50 },
      });
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('the first administrator from the environment signs in, whatever the case of the login', async () => {
      const res = await signIn('chief', ADMIN.password);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const session = v.parse(SessionResponseSchema, res.body);
      assert.deepEqual({ ...session.user, id: '' }, { id: '', login: 'Chief', displayName: ADMIN.displayName, role: 'administrator', departmentId: null, siteId: null });
      assert.ok(new Date(session.expiresAt) <= new Date(session.absoluteExpiresAt));
      // 12 h idle, 7 days absolute by default.
      const left = (at: string) => new Date(at).getTime() - Date.now();
      assert.ok(Math.abs(left(session.expiresAt) - 12 * 3600_000) < 60_000, session.expiresAt);
      assert.ok(Math.abs(left(session.absoluteExpiresAt) - 7 * 24 * 3600_000) < 60_000, session.absoluteExpiresAt);
      admin = session.token;
      const me = v.parse(MeResponseSchema, (await call(api, '/staff/me', { headers: asAdmin() })).body);
      assert.equal(me.user.login, 'Chief');
      const made = await auditOf('action=account_create');
      assert.ok(made.some((e) => e.actor === null && e.detail.source === 'environment' && e.detail.login === 'Chief'));
      const signedIn = await auditOf('action=sign_in');
      assert.equal(signedIn[0]!.actor?.id, session.user.id);
      assert.deepEqual(signedIn[0]!.target, { kind: 'account', id: session.user.id });
    });

    test('passwords are stored as self-describing scrypt hashes; sessions only as token hashes', async () => {
      const [row] = await server.db.query<{ password_hash: string; id: string }>(`SELECT id, password_hash FROM staff_accounts WHERE login = 'Chief'`);
      assert.match(row!.password_hash, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
      assert.ok(!row!.password_hash.includes(ADMIN.password));
      const parsed = parseHash(row!.password_hash)!;
      assert.equal(parsed.salt.length, 16);
      assert.equal(parsed.key.length, 32);
      assert.equal(await verifyPassword(ADMIN.password, row!.password_hash), true);
      assert.equal(await verifyPassword(`${ADMIN.password}x`, row!.password_hash), false);
      // Same password, another salt; weaker parameters still verify (they may change later).
      assert.notEqual(await hashPassword(ADMIN.password), row!.password_hash);
      const weak = await hashPassword('old-password-1', { ln: 10, r: 8, p: 1 });
      assert.match(weak, /^\$scrypt\$ln=10,/);
      assert.equal(await verifyPassword('old-password-1', weak), true);
      const sessions = await server.db.query<{ token_hash: string; user_agent: string | null }>('SELECT token_hash, user_agent FROM staff_sessions WHERE account_id = $1', [row!.id]);
      assert.ok(sessions.some((s) => s.token_hash === sha256(admin) && s.user_agent === 'accounts-test'));
      const everything = JSON.stringify(await server.db.query('SELECT * FROM staff_sessions'));
      assert.ok(!everything.includes(admin), 'no token stored in clear');
    });

    test('accounts: administrators only; roles need their scope; unknown ids and short passwords are 422 with fields', async () => {
      const token = bearer(server.staffToken); // the built-in dispatcher
      assert.equal((await call(api, '/staff/accounts', { headers: token })).status, 403);
      assert.equal((await call(api, '/staff/accounts', { body: { login: 'x1', displayName: 'X', role: 'dispatcher', password: 'long-enough-1' }, headers: token })).status, 403);
      assert.equal((await call(api, '/staff/audit', { headers: token })).status, 403);
      const create = (body: Record<string, unknown>) => call(api, '/staff/accounts', { body, headers: asAdmin() });
      const fields = async (body: Record<string, unknown>) => {
        const res = await create(body);
        assert.equal(res.status, 422, JSON.stringify(res.body));
        return res.body.error.fields as Record<string, string>;
      };
      const base = { login: 'wang.lei', displayName: '王磊', role: 'department', password: 'market-pass-1' };
      assert.match((await fields({ ...base }))?.department ?? '', /need a department/);
      assert.equal((await fields({ ...base, department: 'atlantis' })).department, 'Unknown department');
      assert.match((await fields({ ...base, role: 'site', department: undefined })).site ?? '', /need a site/);
      assert.equal((await fields({ ...base, role: 'site', site: 'riverside/nowhere' })).site, 'Unknown site');
      assert.match((await fields({ ...base, role: 'dispatcher', department: 'housing' })).department ?? '', /Only department officers/);
      assert.match((await fields({ ...base, department: 'market-regulation', password: 'short' })).password ?? '', /At least 10 characters \(this one has 5\)/);
      assert.ok((await fields({ ...base, role: 'boss' })).role);
      assert.ok((await fields({ ...base, login: 'no spaces' })).login);
      const made = await create({ ...base, department: 'market-regulation' });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const account = v.parse(AccountSchema, made.body);
      assert.equal(account.departmentId, 'market-regulation');
      assert.equal(JSON.stringify(made.body).includes('scrypt'), false, 'no hash in answers');
      assert.equal((await fields({ ...base, login: 'WANG.LEI', department: 'market-regulation' })).login, 'Already in use');
      assert.equal((await create({ login: 'chen.jing', displayName: '陈静', role: 'site', site: 'riverside/xinhua', password: 'xinhua-pass-1' })).status, 201);
      assert.equal((await create({ login: 'zhao.gang', displayName: '赵刚', role: 'supervisor', site: 'riverside/heping', password: 'super-pass-12' })).status, 201);
      const list = (await call(api, '/staff/accounts', { headers: asAdmin() })).body.accounts as { login: string; builtIn: boolean }[];
      assert.deepEqual(list.map((a) => a.login), ['chen.jing', 'Chief', 'wang.lei', 'zhao.gang', 'staff-token']);
      assert.equal(list.at(-1)!.builtIn, true);
      const entry = (await auditOf(`action=account_create&target=account:${account.id}`))[0]!;
      assert.equal(entry.actor?.name, ADMIN.displayName);
      assert.deepEqual(entry.detail, { login: 'wang.lei', displayName: '王磊', role: 'department', departmentId: 'market-regulation', siteId: null });
      // The built-in account cannot sign in: it has no password.
      assert.equal((await signIn('staff-token', 'anything-at-all')).status, 401);
    });

    test('PATCH changes what it names and logs each change; the last administrator stays one', async () => {
      const [row] = await server.db.query<{ id: string }>(`SELECT id FROM staff_accounts WHERE login = 'wang.lei'`);
      const patch = (id: string, body: Record<string, unknown>) => call(api, `/staff/accounts/${id}`, { method: 'PATCH', body, headers: asAdmin() });
      const moved = await patch(row!.id, { department: 'sanitation', displayName: '王磊（城管）' });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.departmentId, 'sanitation');
      assert.equal((await patch(row!.id, { role: 'site' })).body.error.fields.site, 'Site officers need a site');
      assert.equal((await patch(row!.id, { department: 'atlantis' })).status, 422);
      assert.equal((await patch('no-such-account', { displayName: 'x' })).status, 404);
      const change = (await auditOf(`action=account_change&targetId=${row!.id}`))[0]!;
      assert.deepEqual(change.detail.changes, { displayName: { from: '王磊', to: '王磊（城管）' }, departmentId: { from: 'market-regulation', to: 'sanitation' } });
      const [chief] = await server.db.query<{ id: string }>(`SELECT id FROM staff_accounts WHERE login = 'Chief'`);
      assert.equal((await patch(chief!.id, { disabled: true })).status, 409);
      assert.equal((await patch(chief!.id, { role: 'dispatcher' })).status, 409);
      assert.equal((await patch('staff-token', { role: 'administrator' })).status, 409);
    });

    test('sign in and out; a signed-out token is refused; its stream closes', async () => {
      const res = await signIn('WANG.lei', 'market-pass-1');
      assert.equal(res.status, 201);
      const token = res.body.token as string;
      assert.equal(res.body.user.role, 'department');
      assert.equal((await call(api, '/staff/queue', { headers: bearer(token) })).status, 200);
      const live = await stream(`${api}/staff/stream?token=${token}`);
      assert.equal(live.status, 200);
      assert.equal((await call(api, '/staff/session', { method: 'DELETE', headers: bearer(token) })).status, 204);
      await waitFor(() => (live.ended() ? true : null), 5000, 'the stream of the ended session to close');
      const me = await call(api, '/staff/me', { headers: bearer(token) });
      assert.equal(me.status, 401);
      assert.equal(me.body.error.code, 'unauthorized');
      assert.equal((await stream(`${api}/staff/stream?token=${token}`)).status, 401);
      const out = (await auditOf('action=sign_out'))[0]!;
      assert.equal(out.actor?.name, '王磊（城管）');
    });

    test('wrong passwords: 401 alike for unknown logins; after 3 the login is locked (429, Retry-After growing), the right password too', async () => {
      const wrong = await signIn('chen.jing', 'not-the-password');
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong.body, (await signIn('nobody.here', 'not-the-password', '198.51.100.2')).body, 'unknown login answers the same');
      assert.equal((await signIn('chen.jing', 'not-the-password-2', '198.51.100.3')).status, 401);
      assert.equal((await signIn('chen.jing', 'not-the-password-3', '198.51.100.4')).status, 401);
      const locked = await signIn('chen.jing', 'xinhua-pass-1', '198.51.100.5');
      assert.equal(locked.status, 429, 'the right password during the lock');
      assert.equal(locked.body.error.code, 'rate_limited');
      const first = Number(locked.headers.get('retry-after'));
      assert.equal(first, 1);
      // Once the lock has passed, one more wrong password locks for twice as long.
      const unlocked = () => server.db.query(`SELECT 1 FROM staff_sign_in_failures WHERE locked_until < now() AND count = 3`).then((r) => (r.length ? true : null));
      await waitFor(unlocked, 5000, 'the first lock to pass');
      assert.equal((await signIn('chen.jing', 'not-the-password-4', '198.51.100.6')).status, 401);
      const again = await signIn('chen.jing', 'xinhua-pass-1', '198.51.100.7');
      assert.equal(again.status, 429);
      assert.equal(Number(again.headers.get('retry-after')), 2);
      const failed = await auditOf('action=sign_in_failed');
      const reasons = failed.filter((e) => e.detail.login === 'chen.jing').map((e) => e.detail.reason);
      assert.deepEqual(reasons, ['locked', 'wrong_password', 'locked', 'wrong_password', 'wrong_password', 'wrong_password']);
      assert.ok(failed.some((e) => e.detail.login === 'nobody.here' && e.detail.reason === 'unknown_login' && e.target === null));
      assert.ok(!JSON.stringify(failed).includes('not-the-password') && !JSON.stringify(failed).includes('xinhua-pass-1'), 'no password in the log');
      // After the lock the right password works and the count starts again.
      await waitFor(async () => ((await signIn('chen.jing', 'xinhua-pass-1', '198.51.100.8')).status === 201 ? true : null), 10_000, 'the second lock to pass');
      assert.equal((await signIn('chen.jing', 'wrong-once-more', '198.51.100.8')).status, 401);
      assert.equal((await signIn('chen.jing', 'xinhua-pass-1', '198.51.100.8')).status, 201);
    });

    test('wrong passwords per address: many logins from one address lock that address, not others', async () => {
      for (let i = 0; i < 6; i++) assert.equal((await signIn(`guess-${i}`, 'spray-password', '203.0.113.9')).status, 401);
      assert.equal((await signIn('zhao.gang', 'super-pass-12', '203.0.113.9')).status, 429);
      assert.equal((await signIn('zhao.gang', 'super-pass-12', '203.0.113.10')).status, 201);
    });

    test('signing out everywhere ends every session of the account and closes their streams', async () => {
      const one = (await signIn('zhao.gang', 'super-pass-12', '198.51.100.20')).body.token as string;
      const two = (await signIn('zhao.gang', 'super-pass-12', '198.51.100.21')).body.token as string;
      const other = (await signIn('chen.jing', 'xinhua-pass-1', '198.51.100.22')).body.token as string;
      const liveOne = await stream(`${api}/staff/stream?token=${one}`);
      const liveOther = await stream(`${api}/staff/stream?token=${other}`);
      const revoked = await call(api, '/staff/sessions/revoke', { body: {}, headers: bearer(two) });
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.ended >= 2, JSON.stringify(revoked.body));
      await waitFor(() => (liveOne.ended() ? true : null), 5000, 'the stream of the revoked session to close');
      assert.equal((await call(api, '/staff/me', { headers: bearer(one) })).status, 401);
      assert.equal((await call(api, '/staff/me', { headers: bearer(two) })).status, 401);
      assert.equal((await call(api, '/staff/me', { headers: bearer(other) })).status, 200, 'another person stays signed in');
      assert.equal(liveOther.ended(), false);
      liveOther.close();
      const entry = (await auditOf('action=sign_out_everywhere'))[0]!;
      assert.equal(entry.detail.sessionsEnded, revoked.body.ended);
    });

    test('a disabled account is signed out and refused; enabled again it signs in', async () => {
      const token = (await signIn('chen.jing', 'xinhua-pass-1', '198.51.100.30')).body.token as string;
      const live = await stream(`${api}/staff/stream?token=${token}`);
      const [row] = await server.db.query<{ id: string }>(`SELECT id FROM staff_accounts WHERE login = 'chen.jing'`);
      const off = await call(api, `/staff/accounts/${row!.id}`, { method: 'PATCH', body: { disabled: true }, headers: asAdmin() });
      assert.equal(off.body.disabled, true);
      await waitFor(() => (live.ended() ? true : null), 5000, 'the stream of the disabled account to close');
      assert.equal((await call(api, '/staff/queue', { headers: bearer(token) })).status, 401);
      const refused = await signIn('chen.jing', 'xinhua-pass-1', '198.51.100.30');
      assert.equal(refused.status, 403);
      assert.match(refused.body.error.message, /disabled/);
      assert.equal((await signIn('chen.jing', 'wrong-password-x', '198.51.100.31')).status, 401, 'a wrong password does not learn it is disabled');
      assert.ok((await auditOf(`action=account_disable&targetId=${row!.id}`))[0]!.detail.sessionsEnded as number >= 1);
      await call(api, `/staff/accounts/${row!.id}`, { method: 'PATCH', body: { disabled: false }, headers: asAdmin() });
      assert.equal((await signIn('chen.jing', 'xinhua-pass-1', '198.51.100.30')).status, 201);
    });

    test('a person changes their own password: other sessions end, this one goes on; an administrator reset ends all', async () => {
      const here = (await signIn('zhao.gang', 'super-pass-12', '198.51.100.40')).body.token as string;
      const elsewhere = (await signIn('zhao.gang', 'super-pass-12', '198.51.100.41')).body.token as string;
      const change = (body: Record<string, unknown>) => call(api, '/staff/me/password', { body, headers: bearer(here) });
      assert.equal((await change({ current: 'not-my-password', next: 'new-super-pass-1' })).body.error.fields.current, 'Wrong password');
      assert.match((await change({ current: 'super-pass-12', next: 'short' })).body.error.fields.next, /At least 10/);
      assert.equal((await change({ current: 'super-pass-12', next: 'new-super-pass-1' })).status, 204);
      assert.equal((await call(api, '/staff/me', { headers: bearer(here) })).status, 200);
      assert.equal((await call(api, '/staff/me', { headers: bearer(elsewhere) })).status, 401);
      assert.equal((await signIn('zhao.gang', 'super-pass-12', '198.51.100.42')).status, 401);
      assert.equal((await signIn('zhao.gang', 'new-super-pass-1', '198.51.100.42')).status, 201);
      const self = (await auditOf('action=password_change'))[0]!;
      assert.equal(self.detail.by, 'self');
      assert.ok(!JSON.stringify(self).includes('new-super-pass-1'));
      const [row] = await server.db.query<{ id: string }>(`SELECT id FROM staff_accounts WHERE login = 'zhao.gang'`);
      const live = await stream(`${api}/staff/stream?token=${here}`);
      const reset = await call(api, `/staff/accounts/${row!.id}`, { method: 'PATCH', body: { password: 'reset-by-admin-1' }, headers: asAdmin() });
      assert.equal(reset.status, 200);
      await waitFor(() => (live.ended() ? true : null), 5000, 'the stream to close after the reset');
      assert.equal((await call(api, '/staff/me', { headers: bearer(here) })).status, 401);
      assert.equal((await auditOf('action=password_change'))[0]!.detail.by, 'administrator');
      assert.equal((await signIn('zhao.gang', 'reset-by-admin-1', '198.51.100.43')).status, 201);
    });

    test('the audit log: newest first, filters, paging by seq', async () => {
      const all = await auditOf('limit=500');
      assert.ok(all.length > 20);
      for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.seq > all[i]!.seq);
      const page1 = v.parse(AuditResponseSchema, (await call(api, '/staff/audit?limit=3', { headers: asAdmin() })).body);
      assert.equal(page1.entries.length, 3);
      assert.equal(page1.next, page1.entries[2]!.seq);
      const page2 = v.parse(AuditResponseSchema, (await call(api, `/staff/audit?limit=3&before=${page1.next}`, { headers: asAdmin() })).body);
      assert.deepEqual(page2.entries.map((e) => e.seq), all.slice(3, 6).map((e) => e.seq));
      const [chief] = await server.db.query<{ id: string }>(`SELECT id FROM staff_accounts WHERE login = 'Chief'`);
      const byChief = await auditOf(`actor=${chief!.id}`);
      assert.ok(byChief.length > 0 && byChief.every((e) => e.actor?.id === chief!.id));
      assert.equal((await call(api, '/staff/audit?limit=9999', { headers: asAdmin() })).status, 400);
      // Supervisors read it too; site and department officers do not.
      const supervisor = (await signIn('zhao.gang', 'reset-by-admin-1', '198.51.100.50')).body.token as string;
      assert.equal((await call(api, '/staff/audit?limit=1', { headers: bearer(supervisor) })).status, 200);
      const officer = (await signIn('wang.lei', 'market-pass-1', '198.51.100.51')).body.token as string;
      assert.equal((await call(api, '/staff/audit', { headers: bearer(officer) })).status, 403);
    });
  });

  if (config.name === 'PostgreSQL') {
    describe('sessions across processes sharing one PostgreSQL', () => {
      test('signed in on one server, used on another; revoked on one, the other\'s stream closes', async () => {
        const own = storageConfigs().find((c) => c.name === 'PostgreSQL')!;
        const one = await start(own, { firstAdmin: ADMIN, sessions: { checkMs: 50 } });
        const two = await start(own, { sessions: { checkMs: 50 } });
        try {
          const token = (await call(one.apiBase, '/staff/session', { body: { login: ADMIN.login, password: ADMIN.password } })).body.token as string;
          assert.equal((await call(two.apiBase, '/staff/me', { headers: bearer(token) })).status, 200);
          const live = await stream(`${two.apiBase}/staff/stream?token=${token}`);
          assert.equal(live.status, 200);
          assert.equal((await call(one.apiBase, '/staff/sessions/revoke', { body: {}, headers: bearer(token) })).status, 200);
          await waitFor(() => (live.ended() ? true : null), 5000, 'the other process to close the stream');
          assert.equal((await call(two.apiBase, '/staff/me', { headers: bearer(token) })).status, 401);
        } finally {
          await two.close();
          await one.close();
          await own.cleanup();
        }
      });
    });
  }

  describe(`session expiry (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let own: StorageConfig;
    before(async () => {
      own = storageConfigs().find((c) => c.name === config.name)!;
      server = await start(own, { firstAdmin: ADMIN, sessions: { idleMs: 1500, maxMs: 4000, checkMs: 50 } });
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await own.cleanup();
    });
    const signIn = async () => (await call(api, '/staff/session', { body: { login: ADMIN.login, password: ADMIN.password } })).body.token as string;

    test('a session not used for the idle time ends, and its stream closes', async () => {
      const token = await signIn();
      assert.equal((await call(api, '/staff/me', { headers: bearer(token) })).status, 200);
      const live = await stream(`${api}/staff/stream?token=${token}`);
      assert.equal(live.status, 200);
      // The stream is not use: once the idle time has passed the session is over.
      const idle = () => server.db.query(`SELECT 1 FROM staff_sessions WHERE token_hash = $1 AND last_used_at < now() - interval '1.5 seconds'`, [sha256(token)]).then((r) => (r.length ? true : null));
      await waitFor(idle, 10_000, 'the idle time to pass');
      await waitFor(() => (live.ended() ? true : null), 5000, 'the stream to close');
      const me = await call(api, '/staff/me', { headers: bearer(token) });
      assert.equal(me.status, 401);
      assert.match(me.body.error.message, /ended/);
    });

    test('a session in use ends at its absolute expiry', async () => {
      const token = await signIn();
      const started = Date.now();
      let ok = 0;
      await waitFor(async () => {
        const status = (await call(api, '/staff/me', { headers: bearer(token) })).status;
        if (status === 200) ok++;
        return status === 401 ? true : null;
      }, 15_000, 'the absolute expiry');
      assert.ok(ok > 10, `used ${ok} times before it ended`);
      assert.ok(Date.now() - started >= 3500, `ended after ${Date.now() - started} ms`);
      const [row] = await server.db.query<{ over: boolean }>('SELECT expires_at <= now() AS over FROM staff_sessions WHERE token_hash = $1', [sha256(token)]);
      assert.equal(row!.over, true);
    });
  });

  describe(`the first administrator by setup token; demo accounts (${config.name})`, () => {
    test('a setup token is issued while there is no administrator, and works once', async () => {
      const own = storageConfigs().find((c) => c.name === config.name)!;
      const server = await start(own, { offerSetup: true, setupTokenMs: 60_000 });
      try {
        const api = server.apiBase;
        assert.match(server.setupToken ?? '', /^[A-Za-z0-9_-]{32}$/);
        const setup = (body: Record<string, unknown>) => call(api, '/staff/setup', { body: { login: 'first.admin', displayName: '第一位管理员', password: 'first-admin-pass', ...body } });
        assert.equal((await setup({ token: 'not-the-token' })).status, 401);
        assert.match((await setup({ token: server.setupToken, password: 'short' })).body.error.fields.password, /At least 10/);
        const made = await setup({ token: server.setupToken });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        const session = v.parse(SessionResponseSchema, made.body);
        assert.equal(session.user.role, 'administrator');
        assert.equal((await call(api, '/staff/accounts', { headers: bearer(session.token) })).status, 200);
        assert.equal((await setup({ token: server.setupToken, login: 'second.admin' })).status, 401, 'used once');
        const stored = await server.db.query<{ token_hash: string; used_at: Date | null }>('SELECT token_hash, used_at FROM staff_setup_tokens');
        assert.deepEqual(stored.map((r) => [r.token_hash === sha256(server.setupToken!), r.used_at !== null]), [[true, true]]);
        const log = v.parse(AuditResponseSchema, (await call(api, '/staff/audit?action=account_create', { headers: bearer(session.token) })).body);
        assert.equal(log.entries[0]!.detail.source, 'setup');
      } finally {
        await server.close();
        await own.cleanup();
      }
    });

    test('demo mode: an account for each role, the staff token signs in as the demo dispatcher; staffToken false issues none', async () => {
      const own = storageConfigs().find((c) => c.name === config.name)!;
      const server = await start(own, { demoAccounts: true, offerSetup: true });
      try {
        const api = server.apiBase;
        assert.equal(server.setupToken, null, 'the demo has an administrator');
        const me = (await call(api, '/staff/me', { headers: bearer(server.staffToken) })).body;
        assert.equal(me.user.login, 'dispatcher');
        assert.deepEqual(new Set(DEMO_ACCOUNTS.map((a) => a.role)), new Set(['dispatcher', 'department', 'site', 'supervisor', 'administrator']));
        for (const demo of DEMO_ACCOUNTS) {
          const res = await call(api, '/staff/session', { body: { login: demo.login, password: demo.password } });
          assert.equal(res.status, 201, demo.login);
          assert.deepEqual([res.body.user.role, res.body.user.departmentId, res.body.user.siteId], [demo.role, demo.departmentId, demo.siteId]);
        }
      } finally {
        await server.close();
      }
      const fresh = storageConfigs().find((c) => c.name === config.name)!;
      const again = await start(fresh, { staffToken: false });
      try {
        assert.equal(again.staffToken, '');
        assert.deepEqual(await again.db.query('SELECT * FROM staff_sessions'), []);
        assert.equal((await call(again.apiBase, '/staff/queue', { headers: bearer('') })).status, 401);
      } finally {
        await again.close();
        await fresh.cleanup();
        await own.cleanup();
      }
    });
  });
}
