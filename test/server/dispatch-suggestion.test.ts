/**
 * The dispatch suggestion (issue 18, loop/dispatch-suggestion.ts), with real sessions of the demo
 * accounts: a request is suggested a service and department when filed, a chat on the resident's
 * first message and again as they write, until staff decide; the explicit confirm routes as
 * suggested and is audited; routing elsewhere (route control, 改派 after a return, a work order from
 * the chat) records the change with its rank; the metrics' accuracy is computed from the decisions,
 * within the caller's scope; a department officer never sees a suggestion of an item outside it.
 * On PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import type { DispatchSuggestion, SuggestionMetrics } from '../../demo/server/loop/dispatch-suggestion-api.js';
import { GARDEN, bearer, call, noiseRequest, start, storageConfigs, uniqueKey } from './helpers.js';

type Who = 'dispatcher' | 'market' | 'sanitation' | 'supervisor' | 'transport';

for (const config of storageConfigs()) {
  describe(`dispatch suggestion (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    const token: Partial<Record<Who, string>> = {};
    const as = (who: Who) => bearer(token[who]!);
    const signIn = async (login: string, password: string) => {
      const res = await call(api, '/staff/session', { body: { login, password } });
      assert.equal(res.status, 201, `sign in ${login}: ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    };
    const post = (who: Who, path: string, body: unknown = {}) => call(api, path, { body, headers: as(who) });
    const get = (who: Who, path: string) => call(api, path, { headers: as(who) });
    const file = async (description: string) => {
      const res = await call(api, '/requests', { body: noiseRequest({ description }) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; reference: string };
    };
    const chat = async () => {
      const res = await call(api, '/conversations', { body: { site: GARDEN, locale: 'zh-CN' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; token: string };
    };
    const say = async (conv: { id: string; token: string }, text: string) => {
      const res = await call(api, `/conversations/${conv.id}/messages`, { body: { clientId: uniqueKey('c'), text }, headers: bearer(conv.token) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    const requestSuggestion = async (reference: string, who: Who = 'dispatcher') => {
      const res = await get(who, `/staff/requests/${reference}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.suggestion as DispatchSuggestion | null;
    };
    const chatSuggestion = async (id: string, who: Who = 'dispatcher') => {
      const res = await get(who, `/staff/conversations/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.conversation.suggestion as DispatchSuggestion | null;
    };
    const metrics = async (who: Who) => {
      const res = await get(who, '/staff/metrics');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.dispatchSuggestions as SuggestionMetrics;
    };
    /** What the metrics must say, counted here from the decisions as the API shows them. */
    const expected = (list: (DispatchSuggestion | null)[]) => {
      const decided = list.filter((s) => s?.decision);
      const top1 = decided.filter((s) => s!.decision!.rank === 1).length;
      const top3 = decided.filter((s) => s!.decision!.rank !== null).length;
      return { decided: decided.length, top1, top3, top1Rate: decided.length ? Math.round((top1 / decided.length) * 10000) / 10000 : null, top3Rate: decided.length ? Math.round((top3 / decided.length) * 10000) / 10000 : null };
    };

    // Shared by the tests below, in order.
    let potHole: { id: string; reference: string };
    let rubbish: { id: string; reference: string };
    let dispute: { id: string; token: string };
    let bins: { id: string; token: string };
    let insurance: { id: string; token: string };

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      token.dispatcher = await signIn('dispatcher', 'demo-dispatcher');
      token.market = await signIn('market', 'demo-market');
      token.sanitation = await signIn('sanitation', 'demo-sanitation');
      token.supervisor = await signIn('supervisor', 'demo-supervisor');
      const admin = await signIn('admin', 'demo-admin');
      const made = await call(api, '/staff/accounts', {
        body: { login: 'transport-officer', displayName: 'transport officer', role: 'department', department: 'transport', password: 'a long test password 1' },
        headers: bearer(admin),
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      token.transport = await signIn('transport-officer', 'a long test password 1');
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('a request is suggested a service and department when filed, from its description', async () => {
      // Filed as noise (routed to sanitation) although it is about a road hazard.
      potHole = await file('小区门口的井盖塌陷了，路面有个大坑，晚上很危险');
      const s = await requestSuggestion(potHole.reference);
      assert.ok(s, 'the staff detail carries the suggestion');
      assert.ok(s.suggestions.length >= 1 && s.suggestions.length <= 3, `top 3 at most: ${JSON.stringify(s.suggestions)}`);
      assert.equal(s.suggestions[0]!.service.id, 'road-hazard', JSON.stringify(s.suggestions));
      assert.equal(s.suggestions[0]!.department.id, 'transport', 'the department the site routes that service to');
      assert.equal(s.suggestions[0]!.department.name, '区交通运输局', 'named in the console language');
      assert.ok(s.suggestions[0]!.confidence > 0 && s.suggestions[0]!.confidence <= 1, 'a confidence in (0, 1]');
      assert.match(s.model, /^suggest/, 'the ranking version is kept');
      assert.equal(s.decision, null, 'nobody has decided yet');
      const own = await get('dispatcher', `/staff/requests/${potHole.reference}/suggestion`);
      assert.deepEqual(own.body.suggestion, s, 'the suggestion endpoint answers the same');
      const en = await call(api, `/staff/requests/${potHole.reference}/suggestion`, { headers: { ...as('dispatcher'), 'accept-language': 'en' } });
      assert.equal(en.body.suggestion.suggestions[0].department.name, 'District Transport Bureau', 'names in English for an English console');
    });

    test('confirming routes as suggested, records the decision and is audited; only the dispatcher may', async () => {
      const path = `/staff/requests/${potHole.reference}/suggestion/confirm`;
      assert.equal((await post('supervisor', path)).status, 403, 'a supervisor reads only');
      assert.equal((await post('market', path)).status, 404, 'outside the market bureau’s scope: as if it did not exist');
      assert.equal((await post('sanitation', path)).status, 403, 'the office it is routed to may not route it');
      const res = await post('dispatcher', path);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.routedTo.id, 'transport', 'routed where the suggestion said');
      const d = res.body.suggestion.decision;
      assert.equal(d.outcome, 'confirmed');
      assert.equal(d.rank, 1);
      assert.equal(d.via, 'confirm');
      assert.equal(d.department.id, 'transport');
      assert.ok(d.by?.name, 'who decided');
      assert.ok(res.body.moves.some((m: { type: string; to: { id: string } | null }) => m.to?.id === 'transport'), 'a move like any routing');
      const audited = await server.db.query<{ actor_name: string | null; detail: Record<string, unknown> }>(
        "SELECT actor_name, detail FROM audit_log WHERE action = 'route' AND target_kind = 'request' AND target_id = $1", [potHole.reference]);
      assert.ok(audited.some((r) => r.detail.suggestion === 'confirmed' && r.detail.department === 'transport' && r.actor_name), `audited as a route that confirmed the suggestion: ${JSON.stringify(audited)}`);
      // Now the transport bureau's: it sees the suggestion; the sanitation office no longer does.
      assert.equal((await get('sanitation', `/staff/requests/${potHole.reference}/suggestion`)).status, 404, 'out of scope after the move');
      assert.equal((await requestSuggestion(potHole.reference, 'transport'))?.decision?.outcome, 'confirmed');
    });

    test('routing elsewhere records the change; a re-dispatch after a return replaces the first decision', async () => {
      rubbish = await file('垃圾桶满了好几天都没人来清运，臭得不行');
      const before = await requestSuggestion(rubbish.reference);
      assert.equal(before?.suggestions[0]?.service.id, 'rubbish-collection', JSON.stringify(before));
      const routed = await post('dispatcher', `/staff/requests/${rubbish.reference}/route`, { department: 'market-regulation' });
      assert.equal(routed.status, 200, JSON.stringify(routed.body));
      const d = routed.body.suggestion.decision;
      assert.equal(d.outcome, 'changed', 'routed away from the suggested department');
      assert.equal(d.department.id, 'market-regulation', 'and to what');
      assert.equal(d.via, 'route');
      const rankOfMarket = before!.suggestions.findIndex((x) => x.department.id === 'market-regulation');
      assert.equal(d.rank, rankOfMarket < 0 ? null : rankOfMarket + 1, 'the rank of the chosen department among the suggestions');

      // The transport bureau returns the pot hole it was confirmed to; the dispatcher sends it on: the latest counts.
      const returned = await post('transport', `/staff/requests/${potHole.reference}/return`, { reason: 'not_our_duty' });
      assert.equal(returned.status, 200, JSON.stringify(returned.body));
      const again = await post('dispatcher', `/staff/requests/${potHole.reference}/route`, { department: 'housing' });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.suggestion.decision.outcome, 'changed', 'the office that returned it showed the first decision wrong');
      assert.equal(again.body.suggestion.decision.department.id, 'housing');
    });

    test('a chat is suggested on the first message and updated as the resident writes, until staff decide', async () => {
      dispute = await chat();
      assert.equal(await chatSuggestion(dispute.id), null, 'nothing written yet: no suggestion');
      assert.equal((await post('dispatcher', `/staff/conversations/${dispute.id}/suggestion/confirm`)).status, 409, 'nothing to confirm');
      await say(dispute, '你好');
      const first = await chatSuggestion(dispute.id);
      assert.ok(first, 'suggested on the first message (maybe empty: a greeting says nothing)');
      await say(dispute, '楼上邻居天天吵架，还漏水到我家，想请社区调解纠纷');
      const second = await chatSuggestion(dispute.id);
      assert.equal(second?.suggestions[0]?.service.id, 'neighbour-dispute', JSON.stringify(second));
      assert.equal(second?.suggestions[0]?.department.id, 'xinhua-office', 'the street office the garden’s routing names');
      assert.ok(second!.updatedAt >= first!.updatedAt && second!.createdAt === first!.createdAt, 'the same suggestion, updated');
      assert.equal((await post('market', `/staff/conversations/${dispute.id}/suggestion/confirm`)).status, 404, 'outside the market bureau’s scope');
      const res = await post('dispatcher', `/staff/conversations/${dispute.id}/suggestion/confirm`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.conversation.routedTo.id, 'xinhua-office', 'routed as suggested');
      assert.equal(res.body.conversation.suggestion.decision.outcome, 'confirmed');
      assert.equal(res.body.conversation.suggestion.decision.service.id, 'neighbour-dispute');
      await say(dispute, '另外小区垃圾也没人清运');
      const after = await chatSuggestion(dispute.id);
      assert.deepEqual(after?.suggestions, res.body.conversation.suggestion.suggestions, 'decided: no longer updated');
    });

    test('a chat routed elsewhere, and a chat made into a work order, record their decisions', async () => {
      bins = await chat();
      await say(bins, '我们楼下的垃圾桶坏了，垃圾满地');
      const s = await chatSuggestion(bins.id);
      assert.equal(s?.suggestions[0]?.department.id, 'sanitation', JSON.stringify(s));
      const routed = await post('dispatcher', `/staff/conversations/${bins.id}/route`, { department: 'market-regulation' });
      assert.equal(routed.status, 200, JSON.stringify(routed.body));
      assert.equal(routed.body.conversation.suggestion.decision.outcome, 'changed');
      assert.equal(routed.body.conversation.suggestion.decision.department.id, 'market-regulation');

      insurance = await chat();
      await say(insurance, '医保异地就医怎么报销？');
      assert.equal((await chatSuggestion(insurance.id))?.suggestions[0]?.service.id, 'medical-insurance');
      const order = await post('dispatcher', `/staff/conversations/${insurance.id}/work-order`, { service: 'medical-insurance' });
      assert.equal(order.status, 201, JSON.stringify(order.body));
      const d = (await chatSuggestion(insurance.id))?.decision;
      assert.equal(d?.outcome, 'confirmed', 'the service chosen routes to the suggested department');
      assert.equal(d?.via, 'work_order');
      assert.equal(d?.service?.id, 'medical-insurance');
      assert.ok(await requestSuggestion(order.body.reference), 'the work order is a request with its own suggestion');
    });

    test('the metrics give the accuracy from the decisions, within the caller’s scope', async () => {
      const all = [
        await requestSuggestion(potHole.reference), await requestSuggestion(rubbish.reference),
        await chatSuggestion(dispute.id), await chatSuggestion(bins.id), await chatSuggestion(insurance.id),
      ];
      const m = await metrics('dispatcher');
      const want = expected(all);
      assert.equal(m.decided, want.decided, 'every decided item of the test (no other is decided)');
      assert.equal(m.top1, want.top1);
      assert.equal(m.top3, want.top3);
      assert.equal(m.top1Rate, want.top1Rate);
      assert.equal(m.top3Rate, want.top3Rate);
      assert.equal(want.top1, 2, 'the dispute and the insurance chat kept the suggestion');
      assert.ok(m.suggested >= 6, 'undecided items count as suggested only');
      assert.equal(m.requests.decided + m.conversations.decided, m.decided);
      assert.equal(m.conversations.top1, 2);
      assert.equal(m.byMonth.reduce((n, x) => n + x.decided, 0), m.decided, 'the months add up');
      assert.match(m.byMonth[0]!.month, /^\d{4}-\d{2}$/);
      assert.ok(m.byModel.some((x) => x.model === m.model), 'per ranking version, the current one among them');

      // The market bureau: only what is routed to it — the rubbish request and the bins chat, both changed.
      const market = await metrics('market');
      assert.deepEqual([market.decided, market.top1], [2, 0], JSON.stringify(market));
      assert.equal((await get('market', `/staff/conversations/${dispute.id}/suggestion`)).status, 404, 'never a suggestion outside its scope');
      assert.equal((await get('market', `/staff/requests/${potHole.reference}`)).status, 404);
      // The sanitation office: nothing decided is routed to it now.
      assert.equal((await metrics('sanitation')).decided, 0);
    });
  });
}
