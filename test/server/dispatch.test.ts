/**
 * Re-dispatch without ball-kicking (issue 17, loop/dispatch.ts), with real sessions of the demo
 * accounts and two more department officers: 退单 by the office it is routed to (others 403/404,
 * a note required for `other`, once), back in the dispatcher's `returned` queue; 改派 through
 * `POST …/route` (not back to the office that returned it); overruling a return; 协办 offices that
 * see the item and add internal notes but never answer the resident; 首接负责 kept through moves;
 * transfers and returns per item and per office from the loop events; the resident's timeline in
 * codes without a staff note. On PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import { loopEvents } from '../../demo/server/loop/events.js';
import { officeMoveCounts } from '../../demo/server/loop/dispatch.js';
import { bearer, call, noiseRequest, start, storageConfigs } from './helpers.js';

type Who = 'dispatcher' | 'sanitation' | 'market' | 'xinhua' | 'supervisor' | 'housing' | 'water';
const SECRET = '内部备注：本局只管道路保洁，别让市民看见';

for (const config of storageConfigs()) {
  describe(`re-dispatch: 退单, 改派, 协办, 首接 (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    const token: Partial<Record<Who, string>> = {};
    const as = (who: Who) => bearer(token[who]!);
    const signIn = async (login: string, password: string) => {
      const res = await call(api, '/staff/session', { body: { login, password } });
      assert.equal(res.status, 201, `sign in ${login}: ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    };
    const file = async () => {
      const res = await call(api, '/requests', { body: noiseRequest() });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; reference: string; accessToken: string };
    };
    const post = (who: Who, path: string, body: unknown) => call(api, path, { body, headers: as(who) });
    const get = (who: Who, path: string) => call(api, path, { headers: as(who) });
    const resident = async (r: { reference: string; accessToken: string }) => {
      const res = await call(api, `/requests/${r.reference}`, { headers: bearer(r.accessToken) });
      assert.equal(res.status, 200, 'the resident reads their request');
      return res;
    };

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      token.dispatcher = await signIn('dispatcher', 'demo-dispatcher');
      token.sanitation = await signIn('sanitation', 'demo-sanitation');
      token.market = await signIn('market', 'demo-market');
      token.xinhua = await signIn('xinhua', 'demo-xinhua');
      token.supervisor = await signIn('supervisor', 'demo-supervisor');
      const admin = await signIn('admin', 'demo-admin');
      for (const department of ['housing', 'water'] as const) {
        const made = await call(api, '/staff/accounts', {
          body: { login: `${department}-officer`, displayName: `${department} officer`, role: 'department', department, password: 'a long test password 1' },
          headers: bearer(admin),
        });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        token[department] = await signIn(`${department}-officer`, 'a long test password 1');
      }
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('the office returns it with a reason; others may not; it waits in the dispatcher’s returned queue; the resident sees it in codes', async () => {
      const a = await file();
      const path = `/staff/requests/${a.reference}/return`;
      // The catalogue routed noise to sanitation: the first dispatch.
      const filed = await loopEvents(server.db, a.id);
      assert.deepEqual(filed.filter((e) => e.type === 'dispatched').map((e) => [e.type, e.officeId, e.detail.by]), [['dispatched', 'sanitation', 'routing']], 'filing records the routing as the first dispatch');

      assert.equal((await post('market', path, { reason: 'not_our_duty' })).status, 404, 'another department does not even see it');
      assert.equal((await post('supervisor', path, { reason: 'not_our_duty' })).status, 403, 'a supervisor reads only');
      assert.equal((await post('dispatcher', path, { reason: 'not_our_duty' })).status, 403, 'the dispatcher routes, never returns');
      const noNote = await post('sanitation', path, { reason: 'other' });
      assert.equal(noNote.status, 422, 'other needs a note');
      assert.ok(noNote.body.error?.fields?.note, 'the note is the field at fault');
      assert.equal((await post('sanitation', path, { reason: 'because' })).status, 422, 'a reason from the list only');

      const returned = await post('sanitation', path, { reason: 'not_our_duty', note: SECRET });
      assert.equal(returned.status, 200, JSON.stringify(returned.body));
      assert.equal(returned.body.routedTo.id, 'dispatch', 'back with the intake centre');
      assert.equal(returned.body.redispatching, true);
      assert.equal(returned.body.returnPending.office.id, 'sanitation');
      assert.equal(returned.body.returnPending.reason, 'not_our_duty');
      assert.equal(returned.body.returnPending.note, SECRET);
      assert.equal(returned.body.returns, 1);
      assert.equal(returned.body.transfers, 0);

      assert.equal((await get('sanitation', `/staff/requests/${a.reference}`)).status, 404, 'the office no longer sees it');
      assert.equal((await post('xinhua', path, { reason: 'wrong_area' })).status, 409, 'returned once; the dispatcher decides now');

      const queue = await get('dispatcher', '/staff/queue?returned=1');
      assert.equal(queue.status, 200);
      const refs = queue.body.items.map((i: { reference?: string }) => i.reference);
      assert.ok(refs.includes(a.reference), 'in the returned queue');
      assert.ok(queue.body.items.every((i: { returned?: boolean }) => i.returned === true), 'only returned items');

      const events = await loopEvents(server.db, a.id);
      const last = events.at(-1)!;
      assert.equal(last.type, 'returned');
      assert.equal(last.officeId, 'sanitation');
      assert.deepEqual({ from: last.detail.from, to: last.detail.to, reason: last.detail.reason }, { from: 'sanitation', to: 'dispatch', reason: 'not_our_duty' });

      const mine = await resident(a);
      assert.equal(mine.body.redispatching, true, 'the resident is told it is being dispatched again');
      const entry = mine.body.timeline.at(-1);
      assert.deepEqual({ type: entry.move.type, from: entry.move.from.id, reason: entry.move.reason }, { type: 'returned', from: 'sanitation', reason: 'not_our_duty' });
      assert.ok(entry.move.from.name.length > 0, 'the office by name');
      assert.ok(!JSON.stringify(mine.body).includes('内部备注'), 'the office’s note never reaches the resident');

      // 改派: not back to the office that returned it (that is an overrule), then to housing.
      const back = await post('dispatcher', `/staff/requests/${a.reference}/route`, { department: 'sanitation' });
      assert.equal(back.status, 422, 'routing back to the returning office is refused');
      const sent = await post('dispatcher', `/staff/requests/${a.reference}/route`, { department: 'housing' });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal(sent.body.routedTo.id, 'housing');
      assert.equal(sent.body.redispatching, false);
      assert.equal(sent.body.returnPending, null);
      assert.equal(sent.body.transfers, 1);
      assert.equal(sent.body.returns, 1);
      assert.deepEqual(sent.body.moves.map((m: { type: string }) => m.type), ['dispatched', 'returned', 'redispatched']);
      assert.equal(sent.body.moves[1].note, SECRET, 'staff read the office’s note in the moves');
      const redispatched = (await loopEvents(server.db, a.id)).at(-1)!;
      assert.equal(redispatched.type, 'redispatched');
      assert.equal(redispatched.officeId, 'housing');
      assert.deepEqual({ from: redispatched.detail.from, to: redispatched.detail.to, reason: redispatched.detail.reason }, { from: 'sanitation', to: 'housing', reason: 'not_our_duty' });
      assert.equal((await get('housing', `/staff/requests/${a.reference}`)).status, 200, 'the new office sees it');

      const now = await resident(a);
      assert.equal(now.body.redispatching, undefined, 'no longer being dispatched again');
      const move = now.body.timeline.at(-1).move;
      assert.deepEqual({ type: move.type, from: move.from.id, to: move.to.id, reason: move.reason }, { type: 'redispatched', from: 'sanitation', to: 'housing', reason: 'not_our_duty' });
      assert.equal(now.body.routedTo.id, 'housing');
    });

    test('the dispatcher overrules a return: the office keeps it; 首接 stays with the first office through a transfer', async () => {
      const b = await file();
      const claim = await post('sanitation', `/staff/requests/${b.reference}/claim`, {});
      assert.equal(claim.status, 200, JSON.stringify(claim.body));
      assert.equal(claim.body.firstOffice?.id, 'sanitation', 'claiming is accepting: the first office');
      const returned = await post('sanitation', `/staff/requests/${b.reference}/return`, { reason: 'wrong_area', note: '不在本辖区' });
      assert.equal(returned.status, 200);
      assert.equal(returned.body.assignee, null, 'the officer lets it go with the return');

      assert.equal((await post('sanitation', `/staff/requests/${b.reference}/return/overrule`, { note: 'x' })).status, 404, 'out of the office’s scope while returned');
      assert.equal((await post('xinhua', `/staff/requests/${b.reference}/return/overrule`, { note: 'x' })).status, 403, 'only the dispatcher overrules');
      assert.equal((await post('dispatcher', `/staff/requests/${b.reference}/return/overrule`, { note: '' })).status, 422, 'with a reason');
      const kept = await post('dispatcher', `/staff/requests/${b.reference}/return/overrule`, { note: '经核实属于你单位职责' });
      assert.equal(kept.status, 200, JSON.stringify(kept.body));
      assert.equal(kept.body.routedTo.id, 'sanitation', 'the office keeps it');
      assert.equal(kept.body.returnPending, null);
      assert.equal(kept.body.redispatching, false);
      assert.equal((await post('dispatcher', `/staff/requests/${b.reference}/return/overrule`, { note: 'again' })).status, 409, 'nothing to overrule now');
      assert.equal((await get('sanitation', `/staff/requests/${b.reference}`)).status, 200, 'the office sees it again');
      const overruled = (await loopEvents(server.db, b.id)).at(-1)!;
      assert.equal(overruled.type, 'return_overruled');
      assert.deepEqual({ to: overruled.detail.to, reason: overruled.detail.reason }, { to: 'sanitation', reason: 'wrong_area' });
      assert.equal((await resident(b)).body.timeline.at(-1).move.type, 'return_overruled');

      // The dispatcher moves it on; the market office replies; sanitation stays the first office.
      assert.equal((await post('dispatcher', `/staff/requests/${b.reference}/route`, { department: 'market-regulation' })).status, 200);
      const replied = await post('market', `/staff/requests/${b.reference}/reply`, { text: '已安排执法人员夜间巡查。' });
      assert.equal(replied.status, 200, JSON.stringify(replied.body));
      assert.equal(replied.body.firstOffice.id, 'sanitation', '首接负责: still the first office');
      assert.equal(replied.body.routedTo.id, 'market-regulation', 'beside who handles it now');
      assert.equal(replied.body.transfers, 1);
      assert.equal(replied.body.returns, 1);
      const accepted = (await loopEvents(server.db, b.id)).filter((e) => e.type === 'accepted');
      assert.deepEqual(accepted.map((e) => [e.officeId, e.detail.first, e.detail.via]), [['sanitation', true, 'claim'], ['market-regulation', false, 'reply']]);
      const queue = await get('market', `/staff/queue?q=${b.reference}`);
      assert.equal(queue.body.items[0]?.firstOffice?.id, 'sanitation', 'the queue shows the first office');
      const mine = await resident(b);
      assert.equal(mine.body.firstOffice.id, 'sanitation', 'the resident sees who is responsible');
      const replyAgain = await post('market', `/staff/requests/${b.reference}/status`, { status: 'resolved' });
      assert.equal(replyAgain.status, 200);
      assert.equal((await loopEvents(server.db, b.id)).filter((e) => e.type === 'accepted').length, 2, 'accepted once per dispatch');
      assert.equal((await post('market', `/staff/requests/${b.reference}/return`, { reason: 'not_our_duty' })).status, 409, 'an answered item is not returned');
    });

    test('assisting offices (协办) see the item and add internal notes; only the lead answers the resident', async () => {
      const c = await file();
      const offices = `/staff/requests/${c.reference}/offices`;
      assert.equal((await get('water', `/staff/requests/${c.reference}`)).status, 404, 'not yet an assisting office');
      assert.equal((await post('sanitation', offices, { assist: ['water'] })).status, 403, 'the dispatcher names them');
      assert.equal((await post('dispatcher', offices, { assist: ['sanitation'] })).status, 422, 'not the lead itself');
      assert.equal((await post('dispatcher', offices, { assist: ['nowhere'] })).status, 422, 'a known office');
      const set = await post('dispatcher', offices, { assist: ['water', 'housing'] });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.deepEqual(set.body.assisting.map((d: { id: string }) => d.id), ['water', 'housing']);

      assert.equal((await get('water', `/staff/requests/${c.reference}`)).status, 200, 'an assisting office sees it');
      const queue = await get('water', '/staff/queue');
      assert.ok(queue.body.items.some((i: { reference?: string }) => i.reference === c.reference), 'in the assisting office’s queue');
      assert.equal((await post('water', `/staff/requests/${c.reference}/notes`, { text: '管网无渗漏，供参考', visibility: 'internal' })).status, 201, 'a contribution as an internal note');
      assert.equal((await post('water', `/staff/requests/${c.reference}/notes`, { text: '您好', visibility: 'resident' })).status, 403, 'not to the resident');
      assert.equal((await post('water', `/staff/requests/${c.reference}/reply`, { text: '您好' })).status, 403, 'the lead replies');
      assert.equal((await post('water', `/staff/requests/${c.reference}/status`, { status: 'in_progress' })).status, 403, 'the lead moves the status');
      assert.equal((await post('water', `/staff/requests/${c.reference}/return`, { reason: 'not_our_duty' })).status, 403, 'the lead returns');
      assert.equal((await post('water', `/staff/requests/${c.reference}/claim`, {})).status, 403, 'the lead claims');
      assert.equal((await post('sanitation', `/staff/requests/${c.reference}/reply`, { text: '已处理' })).status, 200, 'the lead replies');

      const less = await post('dispatcher', offices, { assist: ['housing'] });
      assert.equal(less.status, 200);
      assert.equal((await get('water', `/staff/requests/${c.reference}`)).status, 404, 'removed: out of scope again');
      const events = (await loopEvents(server.db, c.id)).filter((e) => e.type.startsWith('assist_'));
      assert.deepEqual(events.map((e) => [e.type, e.officeId]), [['assist_added', 'water'], ['assist_added', 'housing'], ['assist_removed', 'water']]);
      const timeline = (await resident(c)).body.timeline.filter((e: { move?: { type: string } }) => e.move?.type.startsWith('assist_'));
      assert.deepEqual(timeline.map((e: { move: { type: string; to?: { id: string }; from?: { id: string } } }) => [e.move.type, e.move.to?.id ?? e.move.from?.id]),
        [['assist_added', 'water'], ['assist_added', 'housing'], ['assist_removed', 'water']]);
      // Routing to an assisting office makes it the lead and no longer an assistant.
      const lead = await post('dispatcher', `/staff/requests/${c.reference}/route`, { department: 'housing' });
      assert.deepEqual(lead.body.assisting, []);
    });

    test('transfers and returns per office come from the loop events', async () => {
      const counts = await officeMoveCounts(server.db, new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000));
      assert.deepEqual(counts.get('sanitation'), { returns: 2, transfersOut: 3, transfersIn: 0 });
      assert.equal(counts.get('housing')?.transfersIn, 2);
      assert.equal(counts.get('market-regulation')?.transfersIn, 1);
    });

    test('refusals and field problems are said in the language the console asks for (?locale=), in English without one', async () => {
      const a = await file();
      const zh = (who: Who, path: string, body: unknown) => post(who, `${path}?locale=zh-CN`, body);
      const hk = (who: Who, path: string, body: unknown) => post(who, `${path}?locale=zh-HK`, body);
      const path = `/staff/requests/${a.reference}/return`;

      const badReason = await zh('sanitation', path, { reason: 'because' });
      assert.equal(badReason.status, 422);
      assert.equal(badReason.body.error.message, '部分内容填写有误');
      assert.equal(badReason.body.error.fields.reason, '请从选项中选择', 'valibot’s English is not shown to staff');
      const noNote = await zh('sanitation', path, { reason: 'other' });
      assert.equal(noNote.body.error.fields.note, '请在说明中写明原因');
      const wrongRole = await zh('dispatcher', path, { reason: 'not_our_duty' });
      assert.deepEqual([wrongRole.status, wrongRole.body.error.message], [403, '只有承办单位可以退单；派单由派单员负责']);

      assert.equal((await post('sanitation', path, { reason: 'not_our_duty' })).status, 200);
      const again = await zh('xinhua', path, { reason: 'wrong_area' });
      assert.deepEqual([again.status, again.body.error.message], [409, '已退单，由派单员处理']);
      assert.equal((await hk('xinhua', path, { reason: 'wrong_area' })).body.error.message, '已退單，由派單員處理');
      assert.equal((await post('xinhua', path, { reason: 'wrong_area' })).body.error.message, 'It has already been returned; the dispatcher decides', 'no locale: English');

      const back = await zh('dispatcher', `/staff/requests/${a.reference}/route`, { department: 'sanitation' });
      assert.equal(back.status, 422);
      assert.equal(back.body.error.message, '该单位已退单：如仍由其办理，请驳回退单');
      assert.equal(back.body.error.fields.department, '如仍交退单的单位办理，请驳回退单');
      assert.equal((await zh('dispatcher', `/staff/requests/${a.reference}/route`, { department: 'housing' })).status, 200);
      const notWaiting = await zh('dispatcher', `/staff/requests/${a.reference}/return/overrule`, { note: '仍由原单位办理' });
      assert.deepEqual([notWaiting.status, notWaiting.body.error.message], [409, '该事项没有待处理的退单']);
      const lead = await zh('dispatcher', `/staff/requests/${a.reference}/offices`, { assist: ['housing'] });
      assert.equal(lead.status, 422);
      assert.equal(lead.body.error.message, '不能指定为协办单位');
      assert.equal(lead.body.error.fields.assist, '区住房和城乡建设局：请选择主办单位和受理中心以外的单位', 'the office by its name');
    });
  });
}
