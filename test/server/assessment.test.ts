/**
 * The monthly assessment (loop/assessment.ts, GET /staff/assessment and .csv) computed from
 * recorded loop events only: each event written here with recordLoopEvent at its own time (the
 * other loop helpers write the same events from their endpoints). Month edges in the city's zone
 * (Asia/Shanghai), on-time exactly at the deadline and a millisecond after, an item dispatched in
 * one month and replied in the next, transfers and returns for both offices, every rating counted
 * after a reopen, appeals shown apart, pending against late, scope, roles, the CSV.
 * PGlite always, PostgreSQL too with DATABASE_URL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import type { RunningServer } from '../../demo/server/server.js';
import { ManualClock } from '../../demo/server/loop/clock.js';
import { recordLoopEvent, type LoopEventType } from '../../demo/server/loop/events.js';
import { AssessmentResponseSchema, type AssessmentResponse, type AssessmentRow } from '../../demo/server/loop/assessment-api.js';
import { monthBounds, monthOf } from '../../demo/server/loop/assessment.js';
import { bearer, call, GARDEN, LAKESIDE, start, storageConfigs } from './helpers.js';

const SAN = 'sanitation';
const MKT = 'market-regulation';
/** Asia/Shanghai: December 2026 starts at 2026-11-30T16:00Z. */
const DEC = Date.parse('2026-11-30T16:00:00.000Z');
const H = 3600_000;
const at = (ms: number) => ({ now: () => new Date(ms) });

test('months are cut in the city’s time zone', () => {
  const dec = monthBounds('2026-12', 'Asia/Shanghai');
  assert.equal(dec.from.toISOString(), '2026-11-30T16:00:00.000Z');
  assert.equal(dec.until.toISOString(), '2026-12-31T16:00:00.000Z');
  assert.equal(dec.previous, '2026-11');
  assert.equal(monthBounds('2027-01', 'Asia/Shanghai').previous, '2026-12');
  assert.equal(monthOf(new Date(DEC), 'Asia/Shanghai'), '2026-12');
  assert.equal(monthOf(new Date(DEC - 1), 'Asia/Shanghai'), '2026-11');
  // A zone with summer time: March 2026 in New York starts at 05:00Z (EST), April at 04:00Z (EDT).
  assert.equal(monthBounds('2026-03', 'America/New_York').from.toISOString(), '2026-03-01T05:00:00.000Z');
  assert.equal(monthBounds('2026-03', 'America/New_York').until.toISOString(), '2026-04-01T04:00:00.000Z');
});

for (const config of storageConfigs()) {
  describe(`assessment from loop events (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    const clock = new ManualClock(Date.parse('2027-01-10T00:00:00.000Z'));
    const token: Record<string, string> = {};
    let seq = 0;

    const signIn = async (login: string, password: string) => {
      const res = await call(api, '/staff/session', { body: { login, password } });
      assert.equal(res.status, 201, `sign in ${login}: ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    };
    /** A request row written directly (no filing hooks, so only the events below exist for it). */
    const item = async (site = GARDEN) => {
      const id = `asm-${randomBytes(6).toString('hex')}`;
      await server.db.query(
        `INSERT INTO requests (id, reference, site_id, service_id, kind, status, department_id, description, consent_version, locale, access_token_hash)
         VALUES ($1, $2, $3, 'noise', 'complaint', 'routed', 'sanitation', '测试', '2026-01', 'zh-CN', $4)`,
        [id, `AS-${++seq}-${randomBytes(3).toString('hex')}`, site, randomBytes(16).toString('hex')]);
      return id;
    };
    const ev = (requestId: string, when: number, type: LoopEventType, officeId: string | null, detail: Record<string, unknown> = {}) =>
      recordLoopEvent(server.db, at(when), { requestId, type, officeId, detail });
    /** Dispatched to `office` at `when` with a reply-by and resolve-by. */
    const dispatched = async (id: string, when: number, office: string, replyBy: number, resolveBy = replyBy + 72 * H) => {
      await ev(id, when, 'dispatched', office, { from: null, to: office, reason: null, by: 'routing' });
      await ev(id, when, 'deadline_set', office, { replyBy: new Date(replyBy).toISOString(), resolveBy: new Date(resolveBy).toISOString(), reason: 'filed' });
    };
    const get = async (query: string, who = 'dispatcher') => {
      const res = await call(api, `/staff/assessment?${query}`, { headers: bearer(token[who]!) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return v.parse(AssessmentResponseSchema, res.body);
    };
    const row = (a: { offices: AssessmentRow[] }, office: string) => {
      const r = a.offices.find((o) => o.office.id === office);
      assert.ok(r, `a row for ${office}`);
      return r;
    };

    before(async () => {
      server = await start(config, { demoAccounts: true, clock });
      api = server.apiBase;
      for (const login of ['dispatcher', 'supervisor', 'market', 'admin']) token[login] = await signIn(login, `demo-${login}`);
      const made = await call(api, '/staff/accounts', {
        body: { login: 'heping-sup', displayName: '和平督查', role: 'supervisor', site: 'riverside/heping', password: 'a long test password 1' },
        headers: bearer(token.admin!),
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      token.heping = await signIn('heping-sup', 'a long test password 1');
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    let dec: AssessmentResponse;

    test('received and on time, exactly at the deadline and a millisecond after; a month’s first instant', async () => {
      // November's last millisecond in Shanghai: November's.
      const nov = await item();
      await dispatched(nov, DEC - 1, SAN, DEC + 24 * H);
      // At December's first instant, replied exactly at the reply-by: on time.
      const exact = await item();
      await dispatched(exact, DEC, SAN, DEC + 24 * H);
      await ev(exact, DEC + H, 'accepted', SAN);
      await ev(exact, DEC + 24 * H, 'replied', SAN);
      await ev(exact, DEC + 72 * H + 24 * H, 'resolved', SAN);
      // A millisecond after the reply-by: late; resolved exactly at the resolve-by: on time.
      const late = await item();
      await dispatched(late, DEC + 2 * H, SAN, DEC + 26 * H);
      await ev(late, DEC + 26 * H + 1, 'replied', SAN);
      await ev(late, DEC + 26 * H + 72 * H, 'resolved', SAN);
      // Dispatched on 31 December at 23:00 Shanghai, replied on 2 January within the limit: December's, on time.
      const nye = await item();
      const lastHour = Date.parse('2026-12-31T15:00:00.000Z');
      await dispatched(nye, lastHour, SAN, lastHour + 60 * H);
      await ev(nye, lastHour + 40 * H, 'replied', SAN);

      dec = await get('month=2026-12');
      assert.equal(dec.month, '2026-12');
      assert.equal(dec.timeZone, 'Asia/Shanghai');
      assert.equal(dec.from, '2026-11-30T16:00:00.000Z');
      const san = row(dec, SAN);
      assert.equal(san.received, 3);
      assert.deepEqual({ ...san.replied }, { onTime: 2, late: 1, pending: 0, rate: 0.6667 });
      // The last one not resolved, its resolve-by (6 January) past by the clock (10 January): late.
      assert.deepEqual({ ...san.resolved }, { onTime: 2, late: 1, pending: 0, rate: 0.6667 });
      // Accepted: explicitly at +1 h, or by the reply itself (no accept-by: measured against the reply-by).
      assert.deepEqual({ ...san.accepted }, { onTime: 2, late: 1, pending: 0, rate: 0.6667 });
      assert.equal(dec.previous.month, '2026-11');
      assert.equal(row(dec.previous, SAN).received, 1);
      const jan = await get('month=2027-01');
      assert.equal(row(jan, SAN).received, 0, 'the item replied in January counts in December, when it came');
      assert.equal(row(jan.previous, SAN).received, 3, 'January’s previous month is December');
    });

    test('a transfer counts for both offices; a return for the one that returned it', async () => {
      const d6 = DEC + 5 * 24 * H;
      // Moved by the dispatcher before its reply was due: away from sanitation (no reply owed), received by market.
      const moved = await item();
      await dispatched(moved, d6, SAN, d6 + 24 * H);
      await ev(moved, d6 + 2 * H, 'redispatched', MKT, { from: SAN, to: MKT, reason: 'not_ours' });
      await ev(moved, d6 + 3 * H, 'deadline_set', MKT, { replyBy: new Date(d6 + 27 * H).toISOString(), reason: 'redispatched' });
      await ev(moved, d6 + 4 * H, 'replied', MKT);
      // Returned by sanitation (退单) after its reply-by passed, then sent to market by the centre.
      const returned = await item();
      await dispatched(returned, d6, SAN, d6 + 24 * H);
      await ev(returned, d6 + 30 * H, 'returned', SAN, { from: SAN, to: 'dispatch', reason: 'not_ours', note: '不属于本部门职责' });
      await ev(returned, d6 + 31 * H, 'redispatched', MKT, { from: 'dispatch', to: MKT, reason: 'not_ours' });
      await ev(returned, d6 + 31 * H, 'deadline_set', MKT, { replyBy: new Date(d6 + 55 * H).toISOString(), reason: 'redispatched' });
      await ev(returned, d6 + 50 * H, 'replied', MKT);
      await ev(returned, d6 + 51 * H, 'resolved', MKT);
      // A return the dispatcher overruled: the office keeps it and owes the reply.
      const kept = await item();
      await dispatched(kept, d6, SAN, d6 + 24 * H);
      await ev(kept, d6 + H, 'returned', SAN, { from: SAN, to: 'dispatch', reason: 'not_ours' });
      await ev(kept, d6 + 2 * H, 'return_overruled', SAN, { from: 'dispatch', to: SAN });
      await ev(kept, d6 + 3 * H, 'replied', SAN);

      const a = await get('month=2026-12');
      const san = row(a, SAN);
      const mkt = row(a, MKT);
      assert.equal(san.received, 3 + 3);
      assert.equal(san.transferredAway, 1);
      assert.equal(san.returned, 2);
      assert.equal(san.returnsOverruled, 1);
      // moved: left before due (not counted); returned: left after its reply-by (late); kept: on time.
      assert.deepEqual({ ...san.replied, rate: null }, { onTime: 2 + 1, late: 1 + 1, pending: 0, rate: null });
      assert.equal(mkt.received, 2);
      assert.equal(mkt.byTransfer, 2);
      assert.equal(mkt.transferredAway, 0);
      assert.equal(mkt.returned, 0);
      assert.deepEqual({ ...mkt.replied }, { onTime: 2, late: 0, pending: 0, rate: 1 });
      assert.equal(a.totals.received, san.received + mkt.received);
      assert.equal(a.totals.items, 3 + 3, 'distinct items: the moved ones once');
    });

    test('every rating counts, a reopened item’s earlier ones too; bad ratings, redo and appeals apart', async () => {
      const d10 = DEC + 9 * 24 * H;
      const rated = await item();
      await dispatched(rated, d10, MKT, d10 + 24 * H);
      await ev(rated, d10 + H, 'replied', MKT);
      await ev(rated, d10 + 2 * H, 'resolved', MKT);
      await ev(rated, d10 + 3 * H, 'rated', MKT, { level: 2, code: 'dissatisfied', solved: false, channel: 'widget', round: 1 });
      await ev(rated, d10 + 3 * H, 'redo', MKT, { round: 2 });
      await ev(rated, d10 + 3 * H, 'deadline_set', MKT, { replyBy: new Date(d10 + 30 * H).toISOString(), reason: 'redo' });
      await ev(rated, d10 + 20 * H, 'replied', MKT);
      await ev(rated, d10 + 21 * H, 'resolved', MKT);
      await ev(rated, d10 + 22 * H, 'rated', MKT, { level: 4, code: 'satisfied', solved: true, channel: 'widget', round: 2 });
      await ev(rated, d10 + 40 * H, 'reopened', MKT, {});
      await ev(rated, d10 + 50 * H, 'rated', MKT, { level: 5, code: 'very_satisfied', solved: true, channel: 'return_visit', round: 3 });
      // A very bad rating a supervisor put under appeal: still counted, and shown apart.
      const appealed = await item();
      await dispatched(appealed, d10, MKT, d10 + 24 * H);
      await ev(appealed, d10 + H, 'replied', MKT);
      await ev(appealed, d10 + 2 * H, 'rated', MKT, { level: 1, code: 'very_dissatisfied', solved: true, channel: 'any_device', round: 1 });
      await ev(appealed, d10 + 5 * H, 'appeal', MKT, { round: 1, reason: '诉求超出政策范围' });
      // Escalated by the server and supervised by hand.
      await ev(appealed, d10 + 30 * H, 'escalated', MKT, { by: 'system', which: 'resolve', due: new Date(d10 + 24 * H + 72 * H).toISOString() });
      await ev(appealed, d10 + 31 * H, 'supervised', MKT, { which: 'resolve', due: new Date(d10 + 200 * H).toISOString() });
      await ev(appealed, d10 + 31 * H, 'deadline_set', MKT, { resolveBy: new Date(d10 + 200 * H).toISOString(), reason: 'supervised' });

      const mkt = row(await get('month=2026-12'), MKT);
      assert.equal(mkt.ratings.count, 4);
      assert.deepEqual({ ...mkt.ratings.byLevel }, { '1': 1, '2': 1, '3': 0, '4': 1, '5': 1 });
      assert.equal(mkt.ratings.solved, 3);
      assert.equal(mkt.ratings.notSolved, 1);
      assert.equal(mkt.ratings.appealed, 1);
      assert.equal(mkt.ratings.average, 3);
      assert.equal(mkt.ratings.solvedRate, 0.75);
      assert.equal(mkt.ratings.satisfactionRate, 0.5);
      assert.deepEqual({ ...mkt.bad }, { count: 2, appealed: 1, redone: 1, answered: 1 });
      assert.deepEqual({ ...mkt.redo }, { count: 1, answered: 1, answeredOnTime: 1 });
      assert.equal(mkt.reopened, 1);
      assert.equal(mkt.escalated, 1);
      assert.equal(mkt.supervised, 1);
      // 4 replies on time of 4; score = 100 × (0.2 × 1 + 0.4 × 0.75 + 0.4 × 0.5) = 70.
      assert.equal(mkt.replied.rate, 1);
      assert.equal(mkt.score, 70);
      // Not resolved: the moved item (its first resolve-by kept) and the appealed one (moved to d10 + 200 h by the supervision), both past.
      assert.deepEqual({ ...mkt.resolved }, { onTime: 2, late: 2, pending: 0, rate: 0.5 });
    });

    test('not done: pending before the deadline, late after it, by the server’s clock', async () => {
      const soon = Date.parse('2027-01-09T00:00:00.000Z');
      const open = await item();
      await dispatched(open, soon, SAN, soon + 48 * H); // due 11 Jan, the clock says 10 Jan
      const overdue = await item();
      await dispatched(overdue, soon - 48 * H, SAN, soon - 24 * H);
      const jan = row(await get('month=2027-01'), SAN);
      assert.deepEqual({ ...jan.replied }, { onTime: 0, late: 1, pending: 1, rate: 0 });
      assert.equal(jan.replied.pending + jan.replied.late, jan.received);
      clock.advance(2 * 24 * H);
      const later = row(await get('month=2027-01'), SAN);
      assert.deepEqual({ ...later.replied }, { onTime: 0, late: 2, pending: 0, rate: 0 });
    });

    test('scope: a supervisor of a street sees the figures of its items only; roles', async () => {
      const d20 = DEC + 19 * 24 * H;
      const far = await item(LAKESIDE);
      await dispatched(far, d20, SAN, d20 + 24 * H);
      await ev(far, d20 + H, 'replied', SAN);
      const all = row(await get('month=2026-12'), SAN);
      const everyone = row(await get('month=2026-12', 'supervisor'), SAN);
      assert.deepEqual(everyone, all, 'a supervisor without a site sees what the dispatcher sees');
      const heping = await get('month=2026-12', 'heping');
      assert.equal(row(heping, SAN).received, 1);
      assert.deepEqual({ ...row(heping, SAN).replied }, { onTime: 1, late: 0, pending: 0, rate: 1 });
      assert.equal(row(heping, MKT).received, 0);
      assert.equal(heping.totals.items, 1);
      for (const who of ['market', 'admin']) {
        const res = await call(api, '/staff/assessment?month=2026-12', { headers: bearer(token[who]!) });
        assert.equal(res.status, 403, `${who}: ${JSON.stringify(res.body)}`);
        assert.equal((await call(api, '/staff/assessment.csv?month=2026-12', { headers: bearer(token[who]!) })).status, 403);
      }
      assert.equal((await call(api, '/staff/assessment?month=2026-13', { headers: bearer(token.dispatcher!) })).status, 400);
      assert.equal((await call(api, '/staff/assessment?month=2026-12')).status, 401);
      // No month: the clock's, in the city's zone.
      assert.equal((await get('')).month, monthOf(clock.now(), 'Asia/Shanghai'));
    });

    test('CSV: UTF-8 with a BOM, the header in the caller’s language, one row per office and the total, audited', async () => {
      const csv = async (locale: string) => {
        const res = await fetch(`${api}/staff/assessment.csv?month=2026-12&locale=${locale}`, { headers: bearer(token.supervisor!) });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
        assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="assessment-2026-12\.csv"/);
        const bytes = new Uint8Array(await res.arrayBuffer());
        assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark');
        return new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n').map((l) => l.split(','));
      };
      const zh = await csv('zh-CN');
      assert.deepEqual(zh[0]!.slice(0, 5), ['月份', '单位编号', '承办单位', '综合得分', '受理件数']);
      const json = await get('month=2026-12');
      assert.equal(zh.length, 1 + json.offices.length + 1);
      const san = zh.find((l) => l[1] === SAN)!;
      assert.equal(san[0], '2026-12');
      assert.equal(san[4], String(row(json, SAN).received));
      const replyRate = zh[0]!.indexOf('按时答复率(%)');
      assert.equal(san[replyRate], String(Math.round(row(json, SAN).replied.rate! * 1000) / 10));
      assert.equal(zh.at(-1)![2], '全市合计');
      assert.equal(zh.at(-1)![4], String(json.totals.received));
      const en = await csv('en');
      assert.deepEqual(en[0]!.slice(0, 5), ['Month', 'Office id', 'Office', 'Score', 'Received']);
      assert.equal(en.at(-1)![2], 'City total');
      const log = await call(api, '/staff/audit?action=export', { headers: bearer(token.supervisor!) });
      assert.equal(log.status, 200);
      const exports = (log.body.entries as { action: string; target: { kind: string; id: string } | null; detail: Record<string, unknown> }[])
        .filter((e) => e.target?.kind === 'assessment');
      assert.equal(exports.length, 2);
      assert.deepEqual(exports[0]!.target, { kind: 'assessment', id: '2026-12' });
      assert.equal(exports[0]!.detail.format, 'csv');
    });

    test('events are the record: nothing about an item’s current columns changes the figures', async () => {
      const before = await get('month=2026-12');
      await server.db.query(`UPDATE requests SET department_id = 'housing', status = 'closed', feedback = NULL WHERE id LIKE 'asm-%'`);
      const after = await get('month=2026-12');
      assert.deepEqual(after.offices, before.offices);
    });
  });
}
