import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { ConversationEventSchema, ConversationSchema, EventsPageSchema, MessageSchema } from '../../src/client/protocol.js';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, openSse, start, storageConfigs, uniqueKey, waitFor } from './helpers.js';

for (const config of storageConfigs()) {
  describe(`conversations (${config.name})`, () => {
    let server: RunningServer;
    let api: string;
    before(async () => {
      server = await start(config, { heartbeatMs: 300 });
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    const open = async (locale = 'zh-CN') => {
      const res = await call(api, '/conversations', { body: { site: GARDEN, locale, page: { url: 'https://garden.example.gov/' } } });
      assert.equal(res.status, 201);
      return v.parse(ConversationSchema, res.body);
    };
    const say = (conv: { id: string; token: string }, text: string, clientId = uniqueKey('c')) =>
      call(api, `/conversations/${conv.id}/messages`, { body: { clientId, text }, headers: bearer(conv.token) });

    test('a conversation is idempotent by key and promises a reply when nobody is on duty', async () => {
      const key = uniqueKey();
      const a = await call(api, '/conversations', { body: { site: GARDEN }, headers: { 'idempotency-key': key } });
      const b = await call(api, '/conversations', { body: { site: GARDEN }, headers: { 'idempotency-key': key } });
      assert.equal(a.status, 201);
      assert.equal(b.status, 200);
      assert.equal(b.body.id, a.body.id);
      assert.equal(a.body.staffOnDuty, false);
      assert.match(a.body.replyPromise.text, /2个工作日/);
      const unknown = await call(api, '/conversations', { body: { site: 'nowhere' } });
      assert.equal(unknown.status, 404);
    });

    test('messages are deduplicated by clientId and numbered by seq; the first gets an acknowledgement', async () => {
      const conv = await open('en');
      const first = await say(conv, 'Hello', 'client-0001');
      assert.equal(first.status, 201);
      const message = v.parse(MessageSchema, first.body);
      assert.equal(message.seq, 1);
      assert.equal(message.clientId, 'client-0001');
      const repeat = await say(conv, 'Hello', 'client-0001');
      assert.equal(repeat.status, 200);
      assert.deepEqual(repeat.body, first.body);
      const page = await call(api, `/conversations/${conv.id}/messages?after=0&token=${conv.token}`);
      const events = v.parse(EventsPageSchema, page.body);
      // message, the status turning to waiting, the acknowledgement
      assert.equal(events.lastSeq, 3);
      assert.deepEqual(events.events.map((e) => e.type), ['message', 'status', 'message']);
      const ack = events.events[2]!;
      assert.equal(ack.type, 'message');
      assert.equal(ack.type === 'message' && ack.message.author, 'system');
      assert.match(ack.type === 'message' ? ack.message.text : '', /within 2 working days/);
      // Still waiting: no second status event.
      const second = await say(conv, 'Anyone?');
      assert.equal(second.body.seq, 4);
      const after3 = await call(api, `/conversations/${conv.id}/messages?after=3`, { headers: bearer(conv.token) });
      assert.deepEqual(after3.body.events.map((e: { seq: number }) => e.seq), [4]);
    });

    test('concurrent messages get gapless distinct seqs; concurrent duplicates are stored once', async () => {
      const conv = await open();
      const answers = await Promise.all([
        ...Array.from({ length: 8 }, (_, i) => say(conv, `m${i}`, `distinct-${i}-xyz`)),
        ...Array.from({ length: 4 }, () => say(conv, 'dup', 'duplicate-id-1')),
      ]);
      assert.ok(answers.every((a) => a.status === 201 || a.status === 200));
      const dupSeqs = new Set(answers.slice(8).map((a) => a.body.seq));
      assert.equal(dupSeqs.size, 1);
      const page = (await call(api, `/conversations/${conv.id}/messages?token=${conv.token}`)).body;
      const seqs = page.events.map((e: { seq: number }) => e.seq);
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
      // 8 distinct + 1 duplicate + 1 status (waiting) + 1 acknowledgement
      assert.equal(page.lastSeq, 11);
    });

    test('SSE: retry, events in order with id = seq, typing without id, heartbeats', async () => {
      const conv = await open();
      const stream = await openSse(`${api}/conversations/${conv.id}/events?token=${conv.token}`);
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
      for (let i = 1; i <= 5; i++) await say(conv, `message ${i}`);
      const events = await stream.until((e) => e.length >= 7);
      assert.equal(stream.retry, 3000);
      assert.deepEqual(events.map((e) => Number(e.id)), [1, 2, 3, 4, 5, 6, 7]);
      for (const e of events) {
        v.parse(ConversationEventSchema, e.data);
        assert.equal(e.event, e.data.type);
        assert.equal(Number(e.id), e.data.seq);
      }
      // Staff typing reaches the resident; the resident's own typing is not echoed back.
      assert.equal((await call(api, `/conversations/${conv.id}/typing`, { body: { typing: true }, headers: bearer(conv.token) })).status, 204);
      assert.equal((await call(api, `/staff/conversations/${conv.id}/typing`, { body: { typing: true }, headers: bearer(server.staffToken) })).status, 204);
      const typing = (await stream.until((e) => e.some((x) => x.event === 'typing'))).find((x) => x.event === 'typing')!;
      assert.equal(typing.id, undefined);
      assert.deepEqual(typing.data, { type: 'typing', author: 'staff', typing: true });
      await stream.untilComment('heartbeat');
      stream.close();
    });

    test('Last-Event-ID resume delivers exactly the missed events (and ?after= does the same)', async () => {
      const conv = await open();
      const first = await openSse(`${api}/conversations/${conv.id}/events?token=${conv.token}`);
      await say(conv, 'one');
      const seen = await first.until((e) => e.length >= 3);
      first.close();
      const lastId = seen.at(-1)!.id!;
      assert.equal(lastId, '3');
      await say(conv, 'two');
      await say(conv, 'three');
      const resumed = await openSse(`${api}/conversations/${conv.id}/events`, { ...bearer(conv.token), 'last-event-id': lastId });
      const got = await resumed.until((e) => e.length >= 2);
      await say(conv, 'four');
      const all = await resumed.until((e) => e.length >= 3);
      assert.deepEqual(all.map((e) => e.id), ['4', '5', '6']);
      assert.deepEqual(all.map((e) => e.data.message.text), ['two', 'three', 'four']);
      assert.equal(got[0]!.data.message.text, 'two');
      resumed.close();
      const byQuery = await openSse(`${api}/conversations/${conv.id}/events?token=${conv.token}&after=5`);
      const q = await byQuery.until((e) => e.length >= 1);
      assert.deepEqual(q.map((e) => e.id), ['6']);
      byQuery.close();
    });

    test('read receipts: staff read shows as a read event to the resident', async () => {
      const conv = await open();
      await say(conv, 'hello');
      const stream = await openSse(`${api}/conversations/${conv.id}/events?token=${conv.token}`);
      assert.equal((await call(api, `/staff/conversations/${conv.id}/read`, { body: { upTo: 1 }, headers: bearer(server.staffToken) })).status, 204);
      const read = (await stream.until((e) => e.some((x) => x.event === 'read'))).find((x) => x.event === 'read')!;
      assert.equal(read.data.by, 'staff');
      assert.equal(read.data.upTo, 1);
      assert.equal((await call(api, `/conversations/${conv.id}/read`, { body: { upTo: 99 }, headers: bearer(conv.token) })).status, 204);
      const mine = await stream.until((e) => e.some((x) => x.event === 'read' && x.data.by === 'resident'));
      assert.ok(mine.find((x) => x.event === 'read' && x.data.by === 'resident')!.data.upTo <= 4);
      stream.close();
    });

    test('staffOnDuty follows the staff stream; the acknowledgement says so', async () => {
      const staffStream = await openSse(`${api}/staff/stream?token=${server.staffToken}`);
      await staffStream.untilComment('connected');
      const conv = await open('en');
      assert.equal(conv.staffOnDuty, true);
      const catalog = await call(api, `/catalog?site=${GARDEN}`);
      assert.equal(catalog.body.capabilities.staffOnDuty, true);
      await say(conv, 'hi');
      const page = (await call(api, `/conversations/${conv.id}/messages?token=${conv.token}`)).body;
      assert.match(page.events[2].message.text, /shortly/);
      staffStream.close();
      await waitFor(async () => ((await call(api, `/catalog?site=${GARDEN}`)).body.capabilities.staffOnDuty === false ? true : null), 20_000, 'off duty');
    });

    test('wrong or missing conversation token → 401; unknown conversation → 404', async () => {
      const conv = await open();
      assert.equal((await call(api, `/conversations/${conv.id}/messages`, { body: { clientId: 'abcdefgh', text: 'x' } })).status, 401);
      assert.equal((await call(api, `/conversations/${conv.id}/messages`, { body: { clientId: 'abcdefgh', text: 'x' }, headers: bearer('nope') })).status, 401);
      const sse = await fetch(`${api}/conversations/${conv.id}/events?token=nope`);
      assert.equal(sse.status, 401);
      await sse.body?.cancel();
      assert.equal((await call(api, `/conversations/ffffffff/messages?token=${conv.token}`)).status, 404);
      const bad = await call(api, `/conversations/${conv.id}/messages`, { body: { clientId: 'short', text: '' }, headers: bearer(conv.token) });
      assert.equal(bad.status, 422);
      assert.ok(bad.body.error.fields.clientId);
      assert.ok(bad.body.error.fields.text);
      const cursor = await call(api, `/conversations/${conv.id}/messages?after=abc&token=${conv.token}`);
      assert.equal(cursor.status, 400);
    });

    test('GET /conversations/{id}: the conversation again with the header token, its status and lastSeq', async () => {
      const conv = await open('en');
      const fresh = await call(api, `/conversations/${conv.id}`, { headers: bearer(conv.token) });
      assert.equal(fresh.status, 200);
      const got = v.parse(ConversationSchema, fresh.body);
      assert.equal(got.id, conv.id);
      assert.equal(got.token, conv.token);
      assert.equal(got.createdAt, conv.createdAt);
      assert.equal(got.status, 'open');
      assert.equal(got.lastSeq, 0);
      assert.equal(got.staffOnDuty, false);
      assert.match(got.replyPromise.text, /2 working days/);
      await say(conv, 'hello');
      const later = (await call(api, `/conversations/${conv.id}`, { headers: bearer(conv.token) })).body;
      assert.equal(later.status, 'waiting');
      assert.equal(later.lastSeq, 3);
      // The header only: no credential in this URL.
      assert.equal((await call(api, `/conversations/${conv.id}?token=${conv.token}`)).status, 401);
      assert.equal((await call(api, `/conversations/${conv.id}`, { headers: bearer('wrong-token') })).status, 401);
      assert.equal((await call(api, `/conversations/ffffffffffff`, { headers: bearer(conv.token) })).status, 404);
    });

    test('status events follow the conversation: waiting, open, then status closed and closed last', async () => {
      const conv = await open();
      const stream = await openSse(`${api}/conversations/${conv.id}/events?token=${conv.token}`);
      await say(conv, 'question');
      await say(conv, 'more detail');
      const staff = bearer(server.staffToken);
      assert.equal((await call(api, `/staff/conversations/${conv.id}/messages`, { body: { text: 'answer' }, headers: staff })).status, 201);
      assert.equal((await call(api, `/staff/conversations/${conv.id}/messages`, { body: { text: 'and more' }, headers: staff })).status, 201);
      await say(conv, 'thanks');
      await call(api, `/staff/conversations/${conv.id}/close`, { method: 'POST', headers: staff });
      const events = await stream.until((e) => e.some((x) => x.event === 'closed'));
      stream.close();
      const statuses = events.filter((e) => e.event === 'status').map((e) => e.data.status);
      assert.deepEqual(statuses, ['waiting', 'open', 'waiting', 'closed']);
      assert.deepEqual(events.slice(-2).map((e) => e.event), ['status', 'closed']);
      for (const e of events) v.parse(ConversationEventSchema, e.data);
      const now = (await call(api, `/conversations/${conv.id}`, { headers: bearer(conv.token) })).body;
      assert.equal(now.status, 'closed');
      assert.equal(now.lastSeq, Number(events.at(-1)!.id));
      const detail = (await call(api, `/staff/conversations/${conv.id}`, { headers: staff })).body;
      assert.equal(detail.conversation.status, 'closed');
      // Closing again stores nothing more.
      await call(api, `/staff/conversations/${conv.id}/close`, { method: 'POST', headers: staff });
      assert.equal((await call(api, `/conversations/${conv.id}`, { headers: bearer(conv.token) })).body.lastSeq, now.lastSeq);
    });

    test('a closed conversation refuses new messages with 409', async () => {
      const conv = await open();
      await say(conv, 'bye');
      const stream = await openSse(`${api}/conversations/${conv.id}/events?token=${conv.token}`);
      await call(api, `/staff/conversations/${conv.id}/close`, { method: 'POST', headers: bearer(server.staffToken) });
      await stream.until((e) => e.some((x) => x.event === 'closed'));
      stream.close();
      const res = await say(conv, 'still there?');
      assert.equal(res.status, 409);
      // Its own code: the client offers a new conversation instead of retrying this one forever.
      assert.equal(res.body.error.code, 'conversation_closed');
      // A repeat of a message it already has is still answered with that message.
      const first = uniqueKey('c');
      const before = await open();
      assert.equal((await say(before, 'kept', first)).status, 201);
      await call(api, `/staff/conversations/${before.id}/close`, { method: 'POST', headers: bearer(server.staffToken) });
      assert.equal((await say(before, 'kept', first)).status, 200);
    });
  });
}

// Two server processes on one PostgreSQL: a message posted to one reaches the other's stream.
const pg = storageConfigs().find((c) => c.name === 'PostgreSQL');
describe('fan-out across two servers on one PostgreSQL', { skip: pg ? false : 'DATABASE_URL is not set' }, () => {
  let one: RunningServer;
  let two: RunningServer;
  before(async () => {
    one = await start(pg!, { staffToken: 'shared-staff-token' });
    two = await start(pg!, { staffToken: 'shared-staff-token' });
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await pg!.cleanup();
  });

  test('a message posted to one server arrives on the stream of the other', async () => {
    const conv = (await call(one.apiBase, '/conversations', { body: { site: GARDEN } })).body;
    const stream = await openSse(`${two.apiBase}/conversations/${conv.id}/events?token=${conv.token}`);
    await call(one.apiBase, `/conversations/${conv.id}/messages`, { body: { clientId: 'cross-0001', text: '跨进程' }, headers: bearer(conv.token) });
    const events = await stream.until((e) => e.length >= 2);
    assert.equal(events[0]!.data.message.text, '跨进程');
    await call(two.apiBase, `/staff/conversations/${conv.id}/messages`, { body: { text: '收到' }, headers: bearer('shared-staff-token') });
    // 1 message, 2 status waiting, 3 acknowledgement, 4 staff message, 5 status open
    const onOne = await openSse(`${one.apiBase}/conversations/${conv.id}/events?token=${conv.token}&after=3`);
    const staffMsg = await onOne.until((e) => e.length >= 1);
    assert.equal(staffMsg[0]!.data.message.author, 'staff');
    await stream.until((e) => e.length >= 3);
    stream.close();
    onOne.close();
  });

  test('a staff console on one server puts staff on duty for the other', async () => {
    const staffStream = await openSse(`${one.apiBase}/staff/stream?token=shared-staff-token`);
    await staffStream.untilComment('connected');
    const conv = (await call(two.apiBase, '/conversations', { body: { site: GARDEN } })).body;
    assert.equal(conv.staffOnDuty, true);
    const queue = await staffStream.until((e) => e.some((x) => x.event === 'queue' && x.data.item.id === conv.id));
    assert.ok(queue.length >= 1);
    staffStream.close();
  });
});
