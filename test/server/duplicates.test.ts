/**
 * Duplicates (issue 17): GET /similar offers open items of the same service nearby and tells
 * nothing personal; POST /requests/{ref}/follow makes a follower who reads the item (status,
 * replies) with their own token or contact, never the reporter's words or contact; the
 * dispatcher's merge closes a duplicate, moves its residents onto the target (they read it with
 * their old token and are told in the timeline), records `merged` loop events and the audit;
 * refusals (itself, a closed target, roles). On PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import type { RunningServer } from '../../demo/server/server.js';
import { loopEvents } from '../../demo/server/loop/events.js';
import { FollowCreatedSchema, RequestDetailSchema, SimilarResponseSchema } from '../../src/client/protocol.js';
import { bearer, call, GARDEN, LAKESIDE, start, storageConfigs } from './helpers.js';

const STATION = 'riverside/xinhua/station';
const GARDEN_POINT = { lat: 31.2304, lng: 121.4737 };
/** About 200 m north of GARDEN_POINT. */
const NEAR = { lat: 31.2322, lng: 121.4737 };
/** About 2 km away. */
const FAR = { lat: 31.2484, lng: 121.4737 };

const cleaning = (overrides: Record<string, unknown> = {}, location: Record<string, unknown> = { address: '新华路12号3单元501室' }) => ({
  site: GARDEN,
  service: 'street-cleaning',
  type: 'help',
  description: '楼下垃圾三天没人清理，王大爷家门口堆满了',
  fields: { location, issue: ['litter'] },
  contact: { name: '王秀英', phone: '13800001234', email: 'wang.xiuying@example.com', preferred: 'phone' },
  consent: { version: '2026-01', given: true },
  locale: 'zh-CN',
  ...overrides,
});

for (const config of storageConfigs()) {
  describe(`duplicates: similar, follow, merge (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    let dispatcher: Record<string, string>;
    let sanitation: Record<string, string>;
    let supervisor: Record<string, string>;

    const file = async (body: Record<string, unknown>) => {
      const res = await call(api, '/requests', { body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; reference: string; accessToken: string };
    };
    const signIn = async (login: string) => {
      const res = await call(api, '/staff/session', { body: { login, password: `demo-${login}` } });
      assert.equal(res.status, 201, `sign in ${login}`);
      return bearer(res.body.token as string);
    };
    const similar = async (query: Record<string, string | number>) => {
      const qs = new URLSearchParams(Object.entries(query).map(([k, val]) => [k, String(val)]));
      const res = await call(api, `/similar?${qs}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return v.parse(SimilarResponseSchema, res.body).similar;
    };

    before(async () => {
      server = await start(config, { demoAccounts: true });
      api = server.apiBase;
      dispatcher = await signIn('dispatcher');
      sanitation = await signIn('sanitation');
      supervisor = await signIn('supervisor');
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('similar: the same service nearby, open, nothing personal; the radius decides when both have coordinates', async () => {
      const here = await file(cleaning({}, { address: '新华路12号3单元501室', ...GARDEN_POINT }));
      const near = await file(cleaning({ site: STATION, description: '新华路口垃圾桶满了' }, { address: '新华路30号', ...NEAR }));
      const far = await file(cleaning({ description: '远处的垃圾' }, { address: '和平路1号', ...FAR }));
      const noPoint = await file(cleaning({ description: '小区门口有垃圾' }));
      const otherStreet = await file(cleaning({ site: LAKESIDE, description: '湖边垃圾' }));
      const otherService = await file({ ...cleaning(), service: 'noise', type: 'complaint', fields: { source: 'construction', occurred_at: '2026-11-27T23:00', location: { address: '新华路12号' } } });
      const consultation = await file({ ...cleaning(), service: 'rubbish-collection', type: 'consultation', fields: { location: { address: '新华路12号' }, missed_on: '2026-11-27', bin_type: 'kitchen' } });

      const found = await similar({ site: GARDEN, service: 'street-cleaning', ...GARDEN_POINT, address: '新华路15号' });
      const refs = found.map((s) => s.reference);
      assert.ok(refs.includes(here.reference), 'the same place is offered');
      assert.ok(refs.includes(near.reference), 'a point 200 m away in the next community is offered');
      assert.ok(!refs.includes(far.reference), 'a point 2 km away is not');
      assert.ok(refs.includes(noPoint.reference), 'the same community without coordinates is offered');
      assert.ok(!refs.includes(otherStreet.reference), 'another street office is not searched');
      assert.ok(!refs.includes(otherService.reference) && !refs.includes(consultation.reference), 'only the same service');
      assert.equal(refs[0], here.reference, 'nearest first');
      const first = found[0]!;
      assert.equal(first.street, '新华路', 'the address only at street level');
      assert.equal(first.distanceM, 50, 'the distance rounded, never exact');
      assert.equal(first.place.id, GARDEN);
      const text = JSON.stringify(found);
      for (const secret of ['王秀英', '13800001234', 'wang.xiuying', '垃圾三天', '王大爷', '3单元', '501', '12号', '31.23', '121.47', 'litter']) {
        assert.ok(!text.includes(secret), `nothing personal in the offer: ${secret}`);
      }
      assert.ok(found.length <= 5, 'a few only');

      // A community page without coordinates: its own community's items, and the street's ones on the same street.
      const noCoords = (await similar({ site: STATION, service: 'street-cleaning' })).map((s) => s.reference);
      assert.ok(noCoords.includes(near.reference) && !noCoords.includes(noPoint.reference), 'without a place: the same community only');
      const sameStreet = (await similar({ site: STATION, service: 'street-cleaning', address: '新华路99号' })).map((s) => s.reference);
      assert.ok(sameStreet.includes(noPoint.reference), 'an address on the same street finds the next community’s item');
      // A street page: the whole street office's subtree.
      const street = (await similar({ site: 'riverside/xinhua', service: 'street-cleaning' })).map((s) => s.reference);
      assert.ok(street.includes(noPoint.reference) && street.includes(near.reference) && !street.includes(otherStreet.reference), 'a street page: the street office’s subtree');

      // Refusals: site and service named and known, numbers in range.
      assert.equal((await call(api, '/similar?service=street-cleaning')).status, 422);
      assert.equal((await call(api, `/similar?site=${GARDEN}&service=nope`)).status, 404);
      assert.equal((await call(api, `/similar?site=${GARDEN}&service=street-cleaning&lat=91&lng=0`)).status, 422);
    });

    test('follow: a follower with their own token and contact reads status and replies, never the reporter’s words; a loop event; idempotent', async () => {
      const reported = await file(cleaning({ description: '王大爷家门口的垃圾没人管' }));
      const key = 'follow-key-1';
      const res = await call(api, `/requests/${reported.reference}/follow`, { body: { contact: { phone: '139 0000 5678' } }, headers: { 'idempotency-key': key } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const followed = v.parse(FollowCreatedSchema, res.body);
      assert.equal(followed.reference, reported.reference);
      assert.notEqual(followed.accessToken, reported.accessToken);
      const again = await call(api, `/requests/${reported.reference}/follow`, { body: { contact: { phone: '139 0000 5678' } }, headers: { 'idempotency-key': key } });
      assert.equal(again.status, 200, 'a repeat with the same key is the same follow');
      assert.equal(again.body.accessToken, followed.accessToken);

      const reply = await call(api, `/staff/requests/${reported.reference}/reply`, { body: { text: '已安排环卫工人今天下午清理。' }, headers: dispatcher });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      for (const headers of [bearer(followed.accessToken), { 'x-intake-contact': '13900005678' }]) {
        const seen = await call(api, `/requests/${reported.reference}`, { headers });
        assert.equal(seen.status, 200, JSON.stringify(seen.body));
        const detail = v.parse(RequestDetailSchema, seen.body);
        assert.equal(detail.following, true);
        assert.equal(detail.status, 'replied');
        assert.equal(detail.replies[0]?.text, '已安排环卫工人今天下午清理。', 'the follower gets the reply');
        assert.equal(detail.description, '', 'never the reporter’s words');
        assert.equal(detail.awaitingFeedback, false);
        assert.ok(!JSON.stringify(seen.body).includes('王秀英') && !JSON.stringify(seen.body).includes('王大爷'), 'nothing of the reporter to a follower');
      }
      // The reporter's own view is unchanged.
      const own = await call(api, `/requests/${reported.reference}`, { headers: bearer(reported.accessToken) });
      assert.equal(own.body.following, undefined);
      assert.equal(own.body.description, '王大爷家门口的垃圾没人管');
      // A follower never rates or reopens the reporter's item.
      const rate = await call(api, `/requests/${reported.reference}/feedback`, { body: { rating: 1, resolved: false }, headers: bearer(followed.accessToken) });
      assert.equal(rate.status, 404);
      const events = await loopEvents(server.db, reported.id);
      const followedEvents = events.filter((e) => e.type === 'followed');
      assert.equal(followedEvents.length, 1, 'one followed event for one follow');
      assert.ok(!JSON.stringify(followedEvents).includes('5678'), 'no contact in the loop event');
      // Staff see the follower count.
      const dup = await call(api, `/staff/requests/${reported.reference}/duplicates`, { headers: sanitation });
      assert.equal(dup.status, 200, JSON.stringify(dup.body));
      assert.equal(dup.body.followers, 1);
      // Refusals: a wrong check character, an unknown reference, no key.
      assert.equal((await call(api, '/requests/RS-AAAA-AAAA-A/follow', { body: {} })).status, 422);
      assert.equal((await call(api, `/requests/${reported.reference}/follow`, { body: {}, noKey: true })).status, 400);
    });

    test('merge: the duplicate is closed as merged, its resident and followers follow the target, told in the timeline; events, audit; refusals', async () => {
      const target = await file(cleaning({ description: '新华路垃圾堆积' }));
      const dupe = await file(cleaning({ description: '新华路12号门口垃圾', contact: { name: '李四', phone: '13700007777', preferred: 'phone' } }));
      const follow = await call(api, `/requests/${dupe.reference}/follow`, { body: {} });
      assert.equal(follow.status, 201);
      const follower = follow.body.accessToken as string;

      // Staff see the candidate with its text in the panel.
      const panel = await call(api, `/staff/requests/${dupe.reference}/duplicates`, { headers: dispatcher });
      const candidate = panel.body.similar.find((s: { reference: string }) => s.reference === target.reference);
      assert.ok(candidate, 'the target is offered to staff as a possible duplicate');
      assert.equal(candidate.preview, '新华路垃圾堆积', 'staff see more: the description');

      // Refusals first.
      assert.equal((await call(api, `/staff/requests/${dupe.reference}/merge`, { body: { into: dupe.reference }, headers: dispatcher })).status, 422, 'not into itself');
      assert.equal((await call(api, `/staff/requests/${dupe.reference}/merge`, { body: { into: 'RS-AAAA-AAAA-A' }, headers: dispatcher })).status, 422, 'an unknown target');
      assert.equal((await call(api, `/staff/requests/${dupe.reference}/merge`, { body: { into: target.reference }, headers: sanitation })).status, 403, 'only the dispatcher merges');
      assert.equal((await call(api, `/staff/requests/${dupe.reference}/merge`, { body: { into: target.reference }, headers: supervisor })).status, 403);
      const closed = await file(cleaning({ description: '已关闭的' }));
      assert.equal((await call(api, `/staff/requests/${closed.reference}/status`, { body: { status: 'closed' }, headers: dispatcher })).status, 200);
      const intoClosed = await call(api, `/staff/requests/${dupe.reference}/merge`, { body: { into: closed.reference }, headers: dispatcher });
      assert.equal(intoClosed.status, 409, 'never into a closed item');
      assert.match(intoClosed.body.error.message, /关闭/);

      const merged = await call(api, `/staff/requests/${dupe.reference}/merge`, { body: { into: target.reference, note: '同一地点的同一问题' }, headers: dispatcher });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.equal(merged.body.status, 'closed');
      assert.equal((await call(api, `/staff/requests/${dupe.reference}/merge`, { body: { into: target.reference }, headers: dispatcher })).status, 409, 'merged once');
      assert.equal((await call(api, `/staff/requests/${target.reference}/merge`, { body: { into: dupe.reference }, headers: dispatcher })).status, 409, 'never into a merged item');

      // The duplicate's resident is told, in codes the widget words: the closing entry names the target.
      const told = v.parse(RequestDetailSchema, (await call(api, `/requests/${dupe.reference}`, { headers: bearer(dupe.accessToken) })).body);
      assert.equal(told.status, 'closed');
      assert.equal(told.mergedInto, target.reference);
      assert.equal(told.awaitingFeedback, false);
      assert.equal(told.canReopen, false);
      const entry = told.timeline.find((e) => e.mergedInto);
      assert.equal(entry?.mergedInto, target.reference);
      assert.equal(entry?.note, '同一地点的同一问题');
      assert.equal((await call(api, `/requests/${dupe.reference}/reopen`, { body: {}, headers: bearer(dupe.accessToken) })).status, 409, 'a merged item is not reopened');

      // A reply on the target reaches the duplicate's resident (old token, and contact) and its follower.
      assert.equal((await call(api, `/staff/requests/${target.reference}/reply`, { body: { text: '明天上午清运完毕。' }, headers: dispatcher })).status, 200);
      for (const headers of [bearer(dupe.accessToken), { 'x-intake-contact': '13700007777' }, bearer(follower)]) {
        const seen = await call(api, `/requests/${target.reference}`, { headers });
        assert.equal(seen.status, 200, JSON.stringify(seen.body));
        assert.equal(seen.body.following, true);
        assert.equal(seen.body.replies[0]?.text, '明天上午清运完毕。');
        assert.equal(seen.body.description, '');
      }
      // The target's own reporter never sees the duplicate's resident.
      const targetOwn = JSON.stringify((await call(api, `/requests/${target.reference}`, { headers: bearer(target.accessToken) })).body);
      assert.ok(!targetOwn.includes('李四') && !targetOwn.includes('13700007777'), 'the target’s reporter never sees the duplicate’s resident');

      // Loop events on both, the audit, the counts for staff.
      const fromEvents = (await loopEvents(server.db, dupe.id)).filter((e) => e.type === 'merged');
      const intoEvents = (await loopEvents(server.db, target.id)).filter((e) => e.type === 'merged');
      assert.deepEqual(fromEvents.map((e) => e.detail), [{ into: target.reference }]);
      assert.deepEqual(intoEvents.map((e) => e.detail), [{ from: dupe.reference }]);
      const auditLog = await call(api, `/staff/audit?action=merge`, { headers: await signIn('admin') });
      assert.equal(auditLog.status, 200, JSON.stringify(auditLog.body));
      assert.ok(auditLog.body.entries.some((e: { target: { id: string } | null; detail: { into?: string } }) => e.target?.id === dupe.reference && e.detail.into === target.reference), 'the merge is audited');
      const counts = await call(api, `/staff/requests/${target.reference}/duplicates`, { headers: dispatcher });
      assert.equal(counts.body.followers, 2, 'the duplicate’s resident and its follower');
      assert.deepEqual(counts.body.mergedFrom.map((m: { reference: string }) => m.reference), [dupe.reference]);
      const fromCounts = await call(api, `/staff/requests/${dupe.reference}/duplicates`, { headers: dispatcher });
      assert.equal(fromCounts.body.mergedInto, target.reference);
      // A merged item is offered to nobody.
      const offered = (await similar({ site: GARDEN, service: 'street-cleaning' })).map((s) => s.reference);
      assert.ok(!offered.includes(dupe.reference), 'a merged item is offered to nobody');
      // A finished item cannot be followed.
      assert.equal((await call(api, `/requests/${dupe.reference}/follow`, { body: {} })).status, 409);
    });
  });
}
