/**
 * The role × endpoint × item matrix (issue 16): real accounts signed in with real sessions
 * (demo accounts, plus a site officer and a supervisor of another street made by the
 * administrator), items at two sites routed to two departments, a complaint kept from the office
 * and one the resident agreed to share, a conversation at each site. Every staff endpoint on an
 * item answers 200/403/404 as docs/staff-api.md "Scopes and the complainant" says; bodies, the
 * queue, the metrics, the live queue stream and the conversation streams never carry an item out
 * of the caller's scope. On PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, LAKESIDE, noiseRequest, openSse, start, storageConfigs, waitFor, type SseReader } from './helpers.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

type Who = 'dispatcher' | 'market' | 'sanitation' | 'xinhua' | 'heping' | 'supervisor' | 'supHeping' | 'admin';
const WHO: Who[] = ['dispatcher', 'market', 'sanitation', 'xinhua', 'heping', 'supervisor', 'supHeping', 'admin'];
const ROLE: Record<Who, 'dispatcher' | 'department' | 'site' | 'supervisor' | 'administrator'> = {
  dispatcher: 'dispatcher', market: 'department', sanitation: 'department', xinhua: 'site', heping: 'site',
  supervisor: 'supervisor', supHeping: 'supervisor', admin: 'administrator',
};

/** Items: A (dept market-regulation, Garden), B (sanitation, Lakeside), C complaint at A's place, S complaint shared; conversations cA, cB. */
type Item = 'A' | 'B' | 'C' | 'S' | 'cA' | 'cB';
const REQUESTS: Item[] = ['A', 'B', 'C', 'S'];
const CONVERSATIONS: Item[] = ['cA', 'cB'];
/** Who sees what — written out, not computed with scope.ts. */
const SEES: Record<Who, Item[]> = {
  dispatcher: ['A', 'B', 'C', 'S', 'cA', 'cB'],
  market: ['A', 'C', 'S', 'cA'],
  sanitation: ['B', 'cB'],
  xinhua: ['A', 'C', 'S', 'cA'],
  heping: ['B', 'cB'],
  supervisor: ['A', 'B', 'C', 'S', 'cA', 'cB'],
  supHeping: ['B', 'cB'],
  admin: [],
};
const WRITES: Record<string, Who[]> = {
  route: ['dispatcher'],
  answer: ['dispatcher', 'market', 'sanitation', 'xinhua', 'heping'],
  release: ['dispatcher'],
};

/** What a write answers: 404 out of scope, else 2xx when the role may, else 403. */
const expected = (who: Who, item: Item, allowed: Who[], ok: number) => (!SEES[who].includes(item) ? 404 : allowed.includes(who) ? ok : 403);

for (const config of storageConfigs()) {
  describe(`scopes: role × endpoint × item (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    const token: Partial<Record<Who, string>> = {};
    const as = (who: Who) => bearer(token[who]!);
    const ref: Partial<Record<Item, string>> = {};
    const id: Partial<Record<Item, string>> = {};
    const convToken: Partial<Record<Item, string>> = {};
    let attachmentB = '';
    let attachmentA = '';

    const signIn = async (login: string, password: string) => {
      const res = await call(api, '/staff/session', { body: { login, password } });
      assert.equal(res.status, 201, `sign in ${login}: ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    };
    const upload = async (site: string) => {
      const form = new FormData();
      form.append('file', new Blob([PNG as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'photo.png');
      const res = await fetch(`${api}/attachments?site=${encodeURIComponent(site)}`, { method: 'POST', body: form });
      assert.equal(res.status, 201);
      return ((await res.json()) as { id: string }).id;
    };
    const file = async (body: Record<string, unknown>) => {
      const res = await call(api, '/requests', { body: noiseRequest(body) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; reference: string };
    };
    const route = async (item: Item, department: string) => {
      const path = REQUESTS.includes(item) ? `/staff/requests/${ref[item]}/route` : `/staff/conversations/${id[item]}/route`;
      const res = await call(api, path, { body: { department }, headers: as('dispatcher') });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      token.dispatcher = await signIn('dispatcher', 'demo-dispatcher');
      token.market = await signIn('market', 'demo-market');
      token.sanitation = await signIn('sanitation', 'demo-sanitation');
      token.xinhua = await signIn('xinhua', 'demo-xinhua');
      token.supervisor = await signIn('supervisor', 'demo-supervisor');
      token.admin = await signIn('admin', 'demo-admin');
      for (const [login, role, site] of [['heping-officer', 'site', 'riverside/heping'], ['heping-supervisor', 'supervisor', 'riverside/heping']] as const) {
        const made = await call(api, '/staff/accounts', { body: { login, displayName: login, role, site, password: 'a long test password 1' }, headers: as('admin') });
        assert.equal(made.status, 201, JSON.stringify(made.body));
      }
      token.heping = await signIn('heping-officer', 'a long test password 1');
      token.supHeping = await signIn('heping-supervisor', 'a long test password 1');

      attachmentA = await upload(GARDEN);
      attachmentB = await upload(LAKESIDE);
      const a = await file({ type: 'consultation', attachments: [attachmentA] });
      const b = await file({ type: 'consultation', site: LAKESIDE, attachments: [attachmentB] });
      const c = await file({});
      const s = await file({ contact: { name: '李先生', phone: '13900001111', preferred: 'phone', shareWithOffice: true } });
      Object.assign(ref, { A: a.reference, B: b.reference, C: c.reference, S: s.reference });
      Object.assign(id, { A: a.id, B: b.id, C: c.id, S: s.id });
      for (const [item, site] of [['cA', GARDEN], ['cB', LAKESIDE]] as const) {
        const conv = await call(api, '/conversations', { body: { site, locale: 'zh-CN' } });
        assert.equal(conv.status, 201);
        id[item] = conv.body.id;
        convToken[item] = conv.body.token;
        const said = await call(api, `/conversations/${conv.body.id}/messages`, { body: { clientId: `hello-${item}-1`, text: '你好' }, headers: bearer(conv.body.token) });
        assert.equal(said.status, 201);
      }
      for (const item of ['A', 'C', 'S', 'cA'] as const) await route(item, 'market-regulation');
      for (const item of ['B', 'cB'] as const) await route(item, 'sanitation');
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('GET an item: 200 in scope, 404 out of scope (never 403), for every role', async () => {
      for (const who of WHO) {
        for (const item of REQUESTS) {
          const res = await call(api, `/staff/requests/${ref[item]}`, { headers: as(who) });
          assert.equal(res.status, SEES[who].includes(item) ? 200 : 404, `${who} GET request ${item}`);
          if (res.status === 404) assert.equal(res.body.error.code, 'not_found');
        }
        for (const item of CONVERSATIONS) {
          const res = await call(api, `/staff/conversations/${id[item]}`, { headers: as(who) });
          assert.equal(res.status, SEES[who].includes(item) ? 200 : 404, `${who} GET conversation ${item}`);
        }
      }
      // An unknown reference answers the same 404 as one out of scope.
      const unknown = await call(api, '/staff/requests/RS-0000-0000-0', { headers: as('market') });
      const hidden = await call(api, `/staff/requests/${ref.B}`, { headers: as('market') });
      assert.deepEqual([unknown.status, unknown.body.error.code], [hidden.status, hidden.body.error.code]);
    });

    test('the queue and the metrics hold only what the caller sees', async () => {
      const mine = new Set(Object.values(id));
      for (const who of WHO) {
        const queue = await call(api, '/staff/queue?limit=500', { headers: as(who) });
        assert.equal(queue.status, 200, who);
        const got = (queue.body.items as { id: string }[]).map((i) => i.id).filter((x) => mine.has(x)).sort();
        assert.deepEqual(got, SEES[who].map((i) => id[i]!).sort(), `${who}'s queue`);
        // Searching by the complainant's phone finds nothing for the office it is kept from.
        const byPhone = await call(api, '/staff/queue?q=13800000000&limit=500', { headers: as(who) });
        const found = (byPhone.body.items as { id: string }[] | undefined ?? []).map((i) => i.id);
        if (who === 'market' || who === 'xinhua') assert.ok(!found.includes(id.C!), `${who} cannot find the complaint by the hidden phone`);
        const metrics = await call(api, '/staff/metrics', { headers: as(who) });
        assert.equal(metrics.status, 200);
        const open = Object.values(metrics.body.openByStatus as Record<string, number>).reduce((a, b) => a + b, 0);
        const openConversations = metrics.body.openConversations as number;
        const visible = SEES[who];
        assert.equal(open, visible.filter((i) => REQUESTS.includes(i)).length, `${who}: open requests counted`);
        assert.equal(openConversations, visible.filter((i) => CONVERSATIONS.includes(i)).length, `${who}: open conversations counted`);
      }
    });

    test('the complainant: hidden from the office, on demand for others, shown after release; every showing audited', async () => {
      const detail = async (who: Who, item: Item) => (await call(api, `/staff/requests/${ref[item]}`, { headers: as(who) })).body;
      const reveal = (who: Who, item: Item) => call(api, `/staff/requests/${ref[item]}/contact`, { method: 'POST', headers: as(who) });
      for (const who of WHO) {
        for (const item of REQUESTS) {
          if (!SEES[who].includes(item)) {
            assert.equal((await reveal(who, item)).status, 404, `${who} contact of ${item}`);
            continue;
          }
          const d = await detail(who, item);
          assert.equal(d.contact, null, 'never in the detail');
          const office = ROLE[who] === 'department' || ROLE[who] === 'site';
          const kept = office && item === 'C';
          assert.equal(d.contactHidden, kept ? 'complaint' : 'on_demand', `${who} ${item} contactHidden`);
          assert.ok(!JSON.stringify(d).includes('13800000000') && !JSON.stringify(d).includes('wang@example.com'), `${who} ${item}: no contact in the body`);
          if (kept) assert.equal(d.contactHint, undefined, 'no hint of a protected complainant');
          else assert.equal(d.contactHint.phone, item === 'S' ? '139****1111' : '138****0000');
          const shown = await reveal(who, item);
          assert.equal(shown.status, kept ? 403 : 200, `${who} reveals ${item}`);
          if (kept) assert.equal(shown.body.error.code, 'forbidden');
          else assert.equal(shown.body.contact.phone, item === 'S' ? '13900001111' : '13800000000');
        }
      }
      // Only the dispatcher releases; then the office sees it.
      for (const who of WHO.filter((w) => w !== 'dispatcher')) {
        const res = await call(api, `/staff/requests/${ref.C}/contact-release`, { body: { note: '需要回访' }, headers: as(who) });
        assert.equal(res.status, SEES[who].includes('C') ? 403 : 404, `${who} releases`);
      }
      const released = await call(api, `/staff/requests/${ref.C}/contact-release`, { body: { note: '核实需要，经中心同意' }, headers: as('dispatcher') });
      assert.equal(released.status, 200);
      assert.equal(released.body.contactRelease.note, '核实需要，经中心同意');
      const after = await detail('market', 'C');
      assert.equal(after.contactHidden, 'on_demand');
      assert.equal((await reveal('market', 'C')).body.contact.name, '王女士');
      // Every showing logged, the release too.
      const log = await call(api, `/staff/audit?target=${encodeURIComponent(`request:${ref.C}`)}&limit=500`, { headers: as('supervisor') });
      assert.equal(log.status, 200, JSON.stringify(log.body));
      const actions = (log.body.entries as { action: string; actor: { login?: string } | null }[]).map((e) => e.action);
      assert.ok(actions.filter((a) => a === 'contact_view').length >= 3, `contact_view logged each time: ${actions}`);
      assert.equal(actions.filter((a) => a === 'contact_release').length, 1);
    });

    test('writes: 403 for a role that may not, 404 out of scope, 2xx otherwise; each audited', async () => {
      for (const item of REQUESTS) {
        for (const who of WHO) {
          const base = `/staff/requests/${ref[item]}`;
          const routed = await call(api, `${base}/route`, { body: { department: item === 'B' ? 'sanitation' : 'market-regulation' }, headers: as(who) });
          assert.equal(routed.status, expected(who, item, WRITES.route!, 200), `${who} route ${item}`);
          const replied = await call(api, `${base}/reply`, { body: { text: `答复 ${who}` }, headers: as(who) });
          assert.equal(replied.status, expected(who, item, WRITES.answer!, 200), `${who} reply ${item}`);
          if (replied.status === 200) assert.equal(replied.body.contact, null, 'the answer of a write has no contact either');
          const now = (await call(api, base, { headers: as('dispatcher') })).body.nextStatuses as string[];
          const next = ['in_progress', 'resolved', 'replied'].find((s) => now.includes(s))!;
          const status = await call(api, `${base}/status`, { body: { status: next }, headers: as(who) });
          assert.equal(status.status, expected(who, item, WRITES.answer!, 200), `${who} status ${item} → ${next}`);
        }
      }
      for (const item of CONVERSATIONS) {
        for (const who of WHO) {
          const base = `/staff/conversations/${id[item]}`;
          const msg = await call(api, `${base}/messages`, { body: { text: `您好 ${who}` }, headers: as(who) });
          assert.equal(msg.status, expected(who, item, WRITES.answer!, 201), `${who} message ${item}`);
          const typing = await call(api, `${base}/typing`, { body: { typing: true }, headers: as(who) });
          assert.equal(typing.status, expected(who, item, WRITES.answer!, 204), `${who} typing ${item}`);
          const read = await call(api, `${base}/read`, { body: { upTo: 1 }, headers: as(who) });
          assert.equal(read.status, expected(who, item, WRITES.answer!, 204), `${who} read ${item}`);
          const routed = await call(api, `${base}/route`, { body: { department: item === 'cB' ? 'sanitation' : 'market-regulation' }, headers: as(who) });
          assert.equal(routed.status, expected(who, item, WRITES.route!, 200), `${who} route ${item}`);
          const events = await fetch(`${api}${base}/events?token=${token[who]}`);
          assert.equal(events.status, SEES[who].includes(item) ? 200 : 404, `${who} events ${item}`);
          await events.body?.cancel();
        }
        // Closing last: a supervisor may not, an officer of another department gets 404, the owner's officer may.
        assert.equal((await call(api, `/staff/conversations/${id[item]}/close`, { method: 'POST', headers: as('supervisor') })).status, 403);
        const outsider: Who = item === 'cA' ? 'sanitation' : 'market';
        assert.equal((await call(api, `/staff/conversations/${id[item]}/close`, { method: 'POST', headers: as(outsider) })).status, 404);
        const owner: Who = item === 'cA' ? 'market' : 'sanitation';
        assert.equal((await call(api, `/staff/conversations/${id[item]}/close`, { method: 'POST', headers: as(owner) })).status, 200);
      }
      // The audit names each action with its target.
      const log = await call(api, `/staff/audit?target=${encodeURIComponent(`request:${ref.A}`)}&limit=500`, { headers: as('supervisor') });
      const actions = new Set((log.body.entries as { action: string }[]).map((e) => e.action));
      for (const a of ['route', 'reply', 'status']) assert.ok(actions.has(a), `audit has ${a}: ${[...actions]}`);
      const convLog = await call(api, `/staff/audit?target=${encodeURIComponent(`conversation:${id.cA}`)}&limit=500`, { headers: as('supervisor') });
      const convActions = new Set((convLog.body.entries as { action: string }[]).map((e) => e.action));
      for (const a of ['message', 'route', 'close']) assert.ok(convActions.has(a), `conversation audit has ${a}: ${[...convActions]}`);
    });

    test('attachments and the resident status page: a staff session reads only items in its scope', async () => {
      const get = (who: Who, attachment: string) => fetch(`${api}/attachments/${attachment}`, { headers: as(who) });
      for (const who of WHO) {
        for (const [item, attachment] of [['A', attachmentA], ['B', attachmentB]] as const) {
          const res = await get(who, attachment);
          assert.equal(res.status, SEES[who].includes(item) ? 200 : 404, `${who} attachment of ${item}`);
          await res.body?.cancel();
          const page = await call(api, `/requests/${ref[item]}`, { headers: as(who) });
          assert.equal(page.status, SEES[who].includes(item) ? 200 : 404, `${who} resident page of ${item}`);
        }
      }
    });

    test('live: each console\'s stream carries only its items; routed away → gone, and nothing after', async () => {
      const streams = {} as Record<Who, SseReader>;
      for (const who of WHO) {
        streams[who] = await openSse(`${api}/staff/stream?token=${token[who]}`);
        assert.equal(streams[who].status, 200);
        await streams[who].untilComment('connected');
      }
      // A new chat at each site, routed to each department; a request arrives at each site.
      const fresh: string[] = [];
      for (const [site, department] of [[GARDEN, 'market-regulation'], [LAKESIDE, 'sanitation']] as const) {
        const conv = await call(api, '/conversations', { body: { site, locale: 'zh-CN' } });
        fresh.push(conv.body.id);
        await call(api, `/staff/conversations/${conv.body.id}/route`, { body: { department }, headers: as('dispatcher') });
      }
      const newA = await file({ type: 'consultation' });
      const newB = await file({ type: 'consultation', site: LAKESIDE });
      await call(api, `/staff/requests/${newA.reference}/route`, { body: { department: 'market-regulation' }, headers: as('dispatcher') });
      await call(api, `/staff/requests/${newB.reference}/route`, { body: { department: 'sanitation' }, headers: as('dispatcher') });
      const lastOf = (s: SseReader, itemId: string) => s.events.filter((e) => e.data?.item?.id === itemId || e.data?.id === itemId).at(-1);
      await streams.dispatcher.until(() => lastOf(streams.dispatcher, newA.id)?.data.item?.routedTo?.id === 'market-regulation' && lastOf(streams.dispatcher, newB.id)?.data.item?.routedTo?.id === 'sanitation', 20_000, 'dispatcher sees both routes');
      await streams.market.until(() => lastOf(streams.market, newA.id)?.data.item?.routedTo?.id === 'market-regulation', 20_000, 'market sees its request');
      // The catalogue routes noise to sanitation; the dispatcher moved it to market: sanitation's console was told.
      await streams.sanitation.until(() => lastOf(streams.sanitation, newA.id)?.event === 'gone', 20_000, 'sanitation is told the request left it');
      await streams.market.until(() => lastOf(streams.market, fresh[0]!)?.data.item?.routedTo?.id === 'market-regulation', 20_000, 'market gets its new chat');
      await streams.sanitation.until(() => lastOf(streams.sanitation, fresh[1]!)?.data.item?.routedTo?.id === 'sanitation', 20_000, 'sanitation gets its new chat');

      // Move A's new request from market to sanitation: market's console is told it is gone.
      await call(api, `/staff/requests/${newA.reference}/route`, { body: { department: 'sanitation' }, headers: as('dispatcher') });
      await streams.market.until(() => lastOf(streams.market, newA.id)?.event === 'gone', 20_000, 'gone for market');
      const gone = lastOf(streams.market, newA.id)!;
      assert.deepEqual(gone.data, { item: 'request', id: newA.id, reference: newA.reference });
      await streams.sanitation.until(() => lastOf(streams.sanitation, newA.id)?.data.item?.routedTo?.id === 'sanitation', 20_000, 'sanitation gets it');
      // Later changes never reach market.
      const marketCount = streams.market.events.length;
      await call(api, `/staff/requests/${newA.reference}/reply`, { body: { text: '已安排' }, headers: as('sanitation') });
      await streams.dispatcher.until(() => lastOf(streams.dispatcher, newA.id)?.data.item?.status === 'replied', 20_000, 'dispatcher sees the reply');
      await streams.sanitation.until(() => lastOf(streams.sanitation, newA.id)?.data.item?.status === 'replied', 20_000, 'sanitation sees its reply');
      assert.ok(!streams.market.events.slice(marketCount).some((e) => e.data?.item?.id === newA.id || e.data?.id === newA.id), 'nothing more about it for market');

      // Over the whole run: no stream ever carried an item out of its scope, except as `gone`.
      const allowed = (who: Who, e: { event: string; data: { item?: { site: { id: string }; routedTo: { id: string } } } }) => {
        if (e.event !== 'queue') return true;
        const it = e.data.item!;
        const site = it.site.id;
        const dept = it.routedTo.id;
        switch (who) {
          case 'dispatcher': case 'supervisor': return true;
          case 'market': return dept === 'market-regulation';
          case 'sanitation': return dept === 'sanitation';
          case 'xinhua': return site.startsWith('riverside/xinhua/') || site === 'riverside/xinhua';
          case 'heping': case 'supHeping': return site.startsWith('riverside/heping/') || site === 'riverside/heping';
          case 'admin': return false;
        }
      };
      for (const who of WHO) {
        for (const e of streams[who].events) assert.ok(allowed(who, e), `${who} got ${e.event} ${JSON.stringify(e.data).slice(0, 200)}`);
      }
      assert.equal(streams.admin.events.length, 0, 'an administrator is sent no resident items');
      assert.ok(streams.xinhua.events.some((e) => e.data?.item?.id === newA.id), 'the site officer follows its site across departments');
      assert.ok(!streams.xinhua.events.some((e) => e.data?.item?.id === newB.id));
      for (const who of WHO) streams[who].close();
    });

    test('only a console that can answer counts as staff on duty (not a supervisor\'s or an administrator\'s)', async () => {
      const onDuty = async () => (await call(api, '/conversations', { body: { site: GARDEN, locale: 'zh-CN' } })).body.staffOnDuty as boolean;
      const readers = [await openSse(`${api}/staff/stream?token=${token.supervisor}`), await openSse(`${api}/staff/stream?token=${token.admin}`)];
      for (const r of readers) await r.untilComment('connected');
      // Earlier tests' consoles are gone once their presence is removed.
      await waitFor(async () => ((await onDuty()) === false ? true : null), 20_000, 'nobody who answers on duty');
      const market = await openSse(`${api}/staff/stream?token=${token.market}`);
      await market.untilComment('connected');
      assert.equal(await onDuty(), true);
      for (const r of [...readers, market]) r.close();
    });

    test('a conversation stream ends with `gone` when the chat is routed out of the caller\'s scope', async () => {
      const conv = await call(api, '/conversations', { body: { site: GARDEN, locale: 'zh-CN' } });
      const cid = conv.body.id as string;
      await call(api, `/staff/conversations/${cid}/route`, { body: { department: 'market-regulation' }, headers: as('dispatcher') });
      const market = await openSse(`${api}/staff/conversations/${cid}/events?token=${token.market}`);
      const xinhua = await openSse(`${api}/staff/conversations/${cid}/events?token=${token.xinhua}`);
      assert.equal(market.status, 200);
      await call(api, `/conversations/${cid}/messages`, { body: { clientId: 'before-route-1', text: '在吗？' }, headers: bearer(conv.body.token) });
      await market.until((ev) => ev.some((e) => e.event === 'message' && e.data.message.text === '在吗？'), 20_000, 'market gets the message');
      await call(api, `/staff/conversations/${cid}/route`, { body: { department: 'sanitation' }, headers: as('dispatcher') });
      await market.until((ev) => ev.some((e) => e.event === 'gone'), 20_000, 'gone');
      assert.deepEqual(market.events.at(-1)!.data, { conversation: cid });
      await call(api, `/conversations/${cid}/messages`, { body: { clientId: 'after-route-1', text: '后来的消息' }, headers: bearer(conv.body.token) });
      // The site officer still sees it (same site) and gets the later message; market never does.
      await xinhua.until((ev) => ev.some((e) => e.event === 'message' && e.data.message.text === '后来的消息'), 20_000, 'xinhua follows');
      assert.ok(!market.events.some((e) => e.event === 'message' && e.data.message.text === '后来的消息'));
      assert.equal((await fetch(`${api}/staff/conversations/${cid}/events?token=${token.market}`)).status, 404, 'reopening is 404');
      market.close();
      xinhua.close();
    });
  });
}
