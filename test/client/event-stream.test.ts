import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import type { StreamEvent } from '../../src/client/protocol.js';
import { FakeBackend, dbName, deleteDb, seeded, until } from '../helpers/fake-backend.js';

describe('event stream', () => {
  let fake: FakeBackend;
  let client: IntakeClient;
  let db: string;

  afterEach(async () => {
    client?.close();
    await deleteDb(db);
    await fake?.drop();
  });

  async function setup(label: string, config: Parameters<typeof FakeBackend.create>[1], stream = {}) {
    fake = await FakeBackend.create(label, config);
    db = dbName(label);
    client = new IntakeClient({
      endpoint: fake.endpoint, site: 'test/site', dbName: db, retry: { baseMs: 20, capMs: 200 }, random: seeded(4),
      stream: { pollIntervalMs: 100, ...stream },
    });
    return client.startConversation();
  }

  function collect() {
    const seqs: number[] = [];
    const events: StreamEvent[] = [];
    const handler = (event: StreamEvent): void => {
      events.push(event);
      if ('seq' in event) seqs.push(event.seq);
    };
    return { seqs, events, handler };
  }

  it('survives 20 cuts mid-stream: 0 missed, 0 shown twice', async function () {
    this.timeout(90_000);
    const conversation = await setup('cuts', { seed: 9, sseCuts: 20, cutEvery: 4, replay: 3, retryMs: 50 });
    const { seqs, handler } = collect();
    const subscription = client.subscribe(conversation, handler, { after: 0 });
    try {
      await fake.staff(conversation.id, 100, 15);
      await until(() => seqs.length >= 100, '100 events', 60_000);
      // Let any late duplicate arrive before judging.
      await until(async () => (await fake.state()).cutsDone >= 20, '20 cuts', 30_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(seqs).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
      const state = await fake.state();
      expect(state.cutsDone).to.equal(20);
      expect(state.sseConnections).to.be.greaterThan(20);
    } finally {
      subscription.close();
    }
  });

  it('falls back to polling when the stream keeps failing, and still delivers each event once', async function () {
    this.timeout(60_000);
    const conversation = await setup('poll', { seed: 10, pageSize: 7, respond: { events: { status: 503, body: { error: { code: 'unavailable', message: 'no streams' } } } } }, { maxStreamFailures: 2 });
    await fake.staff(conversation.id, 10);
    const { seqs, handler } = collect();
    const subscription = client.subscribe(conversation, handler, { after: 0 });
    try {
      await until(() => seqs.length >= 10, 'the first 10 events');
      await fake.staff(conversation.id, 15, 5);
      await until(() => seqs.length >= 25, '25 events');
      expect(seqs).to.deep.equal(Array.from({ length: 25 }, (_, i) => i + 1));
      expect((await fake.state()).calls['GET conversations/messages']).to.be.greaterThan(2);
    } finally {
      subscription.close();
    }
  });

  it('starts after the history it already showed, and catches up when the page comes back', async () => {
    const conversation = await setup('after', { seed: 12 });
    await (await client.sendMessage(conversation, 'hello')).done;
    await fake.staff(conversation.id, 2);
    await until(async () => (await fake.state()).conversations[conversation.id]!.lastSeq === 3, 'staff replies');
    const history = await client.history(conversation);
    expect(history.length).to.equal(3);
    const { seqs, events, handler } = collect();
    const subscription = client.subscribe(conversation, handler);
    try {
      await fake.staff(conversation.id, 1);
      await until(() => seqs.length >= 1, 'the new event');
      document.dispatchEvent(new Event('visibilitychange'));
      window.dispatchEvent(new Event('online'));
      await client.markRead(conversation, 4);
      await until(() => seqs.length >= 2, 'the read event');
      expect(seqs).to.deep.equal([4, 5]);
      expect(events[1]).to.include({ type: 'read', by: 'resident', upTo: 4 });
      await client.setTyping(conversation, true);
    } finally {
      subscription.close();
    }
  });

  it('skips a malformed event without losing the ones after it', async () => {
    const conversation = await setup('garbled', { seed: 14 });
    const { seqs, handler } = collect();
    const subscription = client.subscribe(conversation, handler, { after: 0 });
    try {
      await fake.staff(conversation.id, 1);
      await until(() => seqs.length >= 1, 'the first event');
      // Not JSON, JSON of the wrong shape, an unknown event name: each is skipped.
      await fake.control({ action: 'raw-event', conversation: conversation.id, text: 'event: message\ndata: {"type":"mess\n\n' });
      await fake.control({ action: 'raw-event', conversation: conversation.id, text: 'event: message\ndata: {"type":"message","seq":"x"}\n\n' });
      await fake.control({ action: 'raw-event', conversation: conversation.id, text: 'event: surprise\ndata: {}\n\n' });
      await fake.staff(conversation.id, 2);
      await until(() => seqs.length >= 3, 'three events');
      expect(seqs).to.deep.equal([1, 2, 3]);
    } finally {
      subscription.close();
    }
  });
});
