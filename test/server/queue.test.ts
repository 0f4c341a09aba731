/** GET /staff/queue (demo/server/staff/queue.ts): search, filters, mine/unassigned, sort, pages with a total. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { QueueResponseSchema, type QueueResponse } from '../../demo/server/staff/staff-api.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, LAKESIDE, noiseRequest, start, storageConfigs, uniqueKey } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`staff queue (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    const staff = () => bearer(server.staffToken);
    const queue = async (query: string): Promise<QueueResponse> => {
      const res = await call(api, `/staff/queue?${query}`, { headers: staff() });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return v.parse(QueueResponseSchema, res.body);
    };
    const ids = (q: QueueResponse) => q.items.map((i) => i.id);
    const newRequest = async (overrides: Record<string, unknown> = {}) => {
      const res = await call(api, '/requests', { body: noiseRequest(overrides) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; reference: string };
    };

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('search: a reference in any case and spacing, or a piece of it', async () => {
      const mark = uniqueKey('ref');
      const made = await newRequest({ description: `${mark} 路灯不亮` });
      const other = await newRequest({ description: `${mark} 路灯不亮` });
      const [prefix, a, b, check] = made.reference.split('-') as [string, string, string, string];
      for (const typed of [made.reference, made.reference.toLowerCase(), `${prefix} ${a} ${b} ${check}`.toLowerCase(), `  ${prefix}${a}${b}${check} `, `${prefix}－${a}－${b}－${check}`]) {
        const found = await queue(`q=${encodeURIComponent(typed)}`);
        assert.deepEqual(ids(found), [made.id], typed);
        assert.equal(found.total, 1);
      }
      const piece = await queue(`q=${encodeURIComponent(`${a.toLowerCase()} ${b.slice(0, 2).toLowerCase()}`)}`);
      assert.ok(ids(piece).includes(made.id));
      assert.ok(!ids(piece).includes(other.id));
    });

    test('search: by phone (any spacing, or its end), by contact name, by text of a request or a chat', async () => {
      const mark = uniqueKey('txt');
      const phone = `139${String(Date.now()).slice(-8)}`;
      const byPhone = await newRequest({ description: `${mark} 楼道堆物`, contact: { name: '欧阳先生', phone, preferred: 'phone' } });
      const plain = await newRequest({ description: `${mark} 楼道灯坏了` });
      assert.deepEqual(ids(await queue(`q=${encodeURIComponent(`${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`)}`)), [byPhone.id]);
      assert.deepEqual(ids(await queue(`q=${encodeURIComponent(`+86 ${phone}`)}`)), [byPhone.id]);
      assert.ok(ids(await queue(`q=${phone.slice(-6)}`)).includes(byPhone.id));
      assert.deepEqual(ids(await queue(`q=${encodeURIComponent('欧阳')}`)), [byPhone.id]);
      assert.deepEqual(ids(await queue(`q=${encodeURIComponent(`${mark} 楼道灯`)}`)), [plain.id]);
      assert.deepEqual(new Set(ids(await queue(`q=${encodeURIComponent(mark.toUpperCase())}`))), new Set([byPhone.id, plain.id]), 'any case');
      // Percent and underscore are letters to search for, not patterns.
      assert.deepEqual(ids(await queue(`q=${encodeURIComponent('%')}`)), []);

      const conv = (await call(api, '/conversations', { body: { site: LAKESIDE, locale: 'zh-CN' } })).body as { id: string; token: string };
      const word = uniqueKey('chat');
      await call(api, `/conversations/${conv.id}/messages`, { body: { clientId: uniqueKey('c'), text: `你好，${word} 的垃圾没人收` }, headers: bearer(conv.token) });
      await call(api, `/conversations/${conv.id}/messages`, { body: { clientId: uniqueKey('c'), text: '还有别的事' }, headers: bearer(conv.token) });
      const found = await queue(`q=${encodeURIComponent(word)}`);
      assert.deepEqual(found.items.map((i) => [i.item, i.id]), [['conversation', conv.id]], 'an earlier message of the chat, not only its preview');
    });

    test('filters: status, kind, site, department, item; mine and unassigned', async () => {
      const mark = uniqueKey('flt');
      const garden = await newRequest({ description: `${mark} a` });
      const lakeside = await newRequest({ site: LAKESIDE, service: 'other', type: 'suggestion', fields: {}, description: `${mark} b` });
      const q = `q=${mark}`;
      assert.equal((await queue(q)).total, 2);
      assert.deepEqual(ids(await queue(`${q}&site=${GARDEN}`)), [garden.id]);
      assert.deepEqual(ids(await queue(`${q}&site=riverside/heping`)), [lakeside.id], 'a site matches the sites below it');
      assert.deepEqual(ids(await queue(`${q}&kind=suggestion`)), [lakeside.id]);
      const status = (await queue(q)).items.find((i) => i.id === garden.id)!.status;
      assert.ok(ids(await queue(`${q}&status=${status}`)).includes(garden.id));
      assert.deepEqual(ids(await queue(`${q}&status=closed`)), []);
      const department = (await queue(q)).items.find((i) => i.id === garden.id)!.routedTo.id;
      assert.ok(ids(await queue(`${q}&department=${department}`)).includes(garden.id));
      assert.deepEqual(ids(await queue(`${q}&item=conversation`)), []);

      // Whom the shared staff token signs in as (in demo mode: the demo dispatcher's account).
      const me = (await call(api, '/staff/me', { headers: staff() })).body as { user: { id: string } };
      await server.db.query('UPDATE requests SET assignee_id = $2 WHERE id = $1', [garden.id, me.user.id]);
      await server.db.query('UPDATE requests SET assignee_id = $2 WHERE id = $1', [lakeside.id, 'someone-else']);
      assert.deepEqual(ids(await queue(`${q}&mine=1`)), [garden.id]);
      assert.deepEqual(ids(await queue(`${q}&unassigned=1`)), []);
      await server.db.query('UPDATE requests SET assignee_id = NULL WHERE id = $1', [lakeside.id]);
      assert.deepEqual(ids(await queue(`${q}&unassigned=true`)), [lakeside.id]);
      assert.equal((await queue(`${q}&mine=0`)).total, 2);

      for (const bad of ['sort=soonest', 'due=late', 'mine=yes', 'kind=nonsense', 'offset=-1', 'limit=0', `q=${'x'.repeat(201)}`]) {
        assert.equal((await call(api, `/staff/queue?${bad}`, { headers: staff() })).status, 400, bad);
      }
    });

    test('sort: last change first, newest first, oldest first', async () => {
      const mark = uniqueKey('srt');
      const first = await newRequest({ description: `${mark} 1` });
      const second = await newRequest({ description: `${mark} 2` });
      const third = await newRequest({ description: `${mark} 3` });
      await server.db.query(`UPDATE requests SET created_at = now() - interval '3 hours', updated_at = now() - interval '3 hours' WHERE id = $1`, [first.id]);
      await server.db.query(`UPDATE requests SET created_at = now() - interval '2 hours', updated_at = now() WHERE id = $1`, [second.id]);
      await server.db.query(`UPDATE requests SET created_at = now() - interval '1 hours', updated_at = now() - interval '1 hours' WHERE id = $1`, [third.id]);
      assert.deepEqual(ids(await queue(`q=${mark}`)), [second.id, third.id, first.id], 'default: last change first');
      assert.deepEqual(ids(await queue(`q=${mark}&sort=updated`)), [second.id, third.id, first.id]);
      assert.deepEqual(ids(await queue(`q=${mark}&sort=created`)), [third.id, second.id, first.id]);
      assert.deepEqual(ids(await queue(`q=${mark}&sort=oldest`)), [first.id, second.id, third.id]);
    });

    test('scope: each person finds only what they may see, and a protected complainant not by phone or name', async () => {
      const mark = uniqueKey('scp');
      const phone = `137${String(Date.now()).slice(-8)}`;
      // Noise at the garden community is routed to sanitation (the city's routing rules).
      const complaint = await newRequest({ description: `${mark} 夜间施工`, contact: { name: '司马女士', phone, preferred: 'phone' } });
      const signIn = async (login: string) => {
        const res = await call(api, '/staff/session', { body: { login, password: `demo-${login}` } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return bearer(res.body.token as string);
      };
      const as = async (headers: Record<string, string>, query: string) => {
        const res = await call(api, `/staff/queue?${query}`, { headers });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return v.parse(QueueResponseSchema, res.body);
      };
      const sanitation = await signIn('sanitation');
      const market = await signIn('market');
      const xinhua = await signIn('xinhua');
      assert.deepEqual(ids(await as(sanitation, `q=${mark}`)), [complaint.id], 'the department it is routed to');
      assert.deepEqual(ids(await as(xinhua, `q=${mark}`)), [complaint.id], 'the street office above the community');
      const other = await as(market, `q=${mark}`);
      assert.deepEqual(ids(other), [], 'another department');
      assert.equal(other.total, 0, 'and the total does not count it either');
      assert.ok((await as(market, '')).items.every((i) => i.routedTo.id === 'market-regulation'));
      // The dispatcher finds the complainant by phone and name; the office does not (complaint, not released).
      assert.deepEqual(ids(await queue(`q=${phone}`)), [complaint.id]);
      assert.deepEqual(ids(await queue(`q=${encodeURIComponent('司马')}`)), [complaint.id]);
      assert.deepEqual(ids(await as(sanitation, `q=${phone}`)), []);
      assert.deepEqual(ids(await as(sanitation, `q=${encodeURIComponent('司马')}`)), []);
    });

    test('pages past 200 items: a total, offsets, no item twice, none left out', async () => {
      const mark = uniqueKey('page');
      const made = new Set<string>();
      for (let batch = 0; batch < 23; batch++) {
        const created = await Promise.all(Array.from({ length: 10 }, (_, i) => newRequest({ description: `${mark} ${batch * 10 + i}` })));
        for (const c of created) made.add(c.id);
      }
      const firstDefault = await queue(`q=${mark}`);
      assert.equal(firstDefault.total, 230);
      assert.equal(firstDefault.items.length, 200, 'the default page is 200');
      assert.equal(firstDefault.nextOffset, 200);
      const seen: string[] = [];
      let offset: number | null = 0;
      let pages = 0;
      while (offset !== null) {
        const page: QueueResponse = await queue(`q=${mark}&sort=oldest&limit=100&offset=${offset}`);
        assert.equal(page.total, 230);
        assert.equal(page.offset, offset);
        seen.push(...ids(page));
        offset = page.nextOffset ?? null;
        pages++;
      }
      assert.equal(pages, 3);
      assert.equal(seen.length, 230);
      assert.deepEqual(new Set(seen), made);
      const past = await queue(`q=${mark}&offset=400`);
      assert.deepEqual(past.items, []);
      assert.equal(past.nextOffset, null);
      assert.equal(past.total, 230);
    });
  });
}
