import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import type { Conversation, Message, RequestCreated, RequestDetail } from '../../src/client/protocol.js';
import type { Delivery } from '../../src/client/types.js';
import { FakeBackend, dbName, deleteDb, seeded, until } from '../helpers/fake-backend.js';

const FAST = { baseMs: 20, capMs: 250 };

describe('outbox through a faulty backend', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setup(label: string, config: Parameters<typeof FakeBackend.create>[1], extra: Partial<ConstructorParameters<typeof IntakeClient>[0]> = {}) {
    const fake = await FakeBackend.create(label, config);
    const db = dbName(label);
    const make = (): IntakeClient => {
      const c = new IntakeClient({ endpoint: fake.endpoint, site: 'test/site', locale: 'en', dbName: db, retry: FAST, flushIntervalMs: 500, random: seeded(7), timeoutMs: 8000, ...extra });
      cleanup.push(() => c.close());
      return c;
    };
    cleanup.push(() => fake.drop(), () => deleteDb(db));
    return { fake, db, make };
  }

  it('delivers 200 mixed operations: 0 lost, 0 duplicated, order kept per conversation', async function () {
    this.timeout(120_000);
    const { fake, make } = await setup('mixed', {
      seed: 42, reset: 0.12, busy: 0.12, saveThenFail: 0.15, delay: 0.05, maxDelayMs: 3000, retryAfter: 1,
    });
    const client = make();
    await client.ready;

    // Two conversations and one request to hang feedback on, made through the same faults.
    const conversations: Conversation[] = [];
    const other = make();
    conversations.push(await client.startConversation());
    conversations.push(await other.startConversation());
    const first = await (await client.submitRequest({ service: 'waste', type: 'help', description: 'op base', consentVersion: 'v1' })).done;

    const random = seeded(99);
    const messages: { conversation: string; key: string; text: string; delivery: Delivery<Message> }[] = [];
    const requests: { key: string; text: string; delivery: Delivery<RequestCreated> }[] = [];
    const actions: { key: string; delivery: Delivery<RequestDetail> }[] = [];
    for (let i = 0; i < 200; i++) {
      const roll = random();
      if (roll < 0.6) {
        const which = random() < 0.5 ? 0 : 1;
        const owner = which === 0 ? client : other;
        const text = `message ${i}`;
        const delivery = await owner.sendMessage(conversations[which]!, text);
        messages.push({ conversation: conversations[which]!.id, key: delivery.key, text, delivery });
      } else if (roll < 0.9) {
        const text = `request ${i}`;
        const delivery = await client.submitRequest({ service: 'waste', type: 'complaint', description: text, consentVersion: 'v1' });
        requests.push({ key: delivery.key, text, delivery });
      } else {
        const delivery = i % 2 ? await client.sendFeedback(first.reference, { rating: 4, resolved: false }) : await client.reopen(first.reference, `again ${i}`);
        actions.push({ key: delivery.key, delivery });
      }
    }

    await Promise.all([...messages, ...requests, ...actions].map((op) => op.delivery.done));
    const state = await fake.state();

    // Requests: one record per key, and no text stored twice.
    const wanted = requests.map((r) => r.key).sort();
    const stored = state.requests.filter((r) => r.description !== 'op base');
    expect(stored.map((r) => r.key).sort()).to.deep.equal(wanted);
    expect(new Set(stored.map((r) => r.description)).size).to.equal(stored.length);
    // Feedback and reopen: one record per key.
    expect(state.actions.map((a) => a.key).sort()).to.deep.equal(actions.map((a) => a.key).sort());
    // Messages: each exactly once, in the order sent, per conversation.
    for (const conversation of conversations) {
      const serverTexts = state.conversations[conversation.id]!.messages.map((m) => m.text);
      const sentTexts = messages.filter((m) => m.conversation === conversation.id).map((m) => m.text);
      expect(serverTexts).to.deep.equal(sentTexts);
    }
    // The faults really happened: some keys needed more than one try.
    expect(Object.values(state.attempts).filter((n) => n > 1).length).to.be.greaterThan(20);
    // Nothing left behind on the device.
    expect(await client.pending()).to.deep.equal([]);
    expect((await client.knownRequests()).length).to.equal(requests.length + 1);
  });

  it('delivers exactly once across a reload mid-send', async function () {
    this.timeout(60_000);
    const { fake, make } = await setup('reload', { seed: 3 });
    // Every first try is slow; the first client is "reloaded" while its try is under way.
    await fake.configure({ delay: 1, maxDelayMs: 1500 });
    const before = make();
    await before.ready;
    const delivery = await before.submitRequest({ service: 'waste', type: 'help', description: 'reload me', consentVersion: 'v1' });
    await until(async () => (await fake.state()).attempts[delivery.key] === 1, 'the first try to reach the server');
    before.close();
    await fake.configure({ delay: 0 });

    const after = make();
    await after.ready;
    const known = await until(async () => (await after.knownRequests())[0], 'the request to be acknowledged after the reload');
    const state = await fake.state();
    expect(state.requests.filter((r) => r.description === 'reload me').length).to.equal(1);
    expect(known.reference).to.equal(state.requests[0]!.reference);
    expect(await after.pending()).to.deep.equal([]);
  });

  it('keeps items until acknowledged, across a reload with the server down', async function () {
    this.timeout(60_000);
    const { fake, make } = await setup('down', { seed: 5, busy: 1, retryAfter: 1 });
    const before = make();
    const conversation = await (async () => {
      await fake.configure({ busy: 0 });
      const c = await before.startConversation();
      await fake.configure({ busy: 1 });
      return c;
    })();
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push((await before.sendMessage(conversation, `queued ${i}`)).key);
    await until(async () => (await before.pending()).every((p) => p.attempts > 0), 'a failed try of each lane head', 20_000).catch(() => undefined);
    before.close();

    const after = make();
    expect((await after.pending()).map((p) => p.key)).to.deep.equal(keys);
    await fake.configure({ busy: 0 });
    await after.flush();
    await until(async () => (await after.pending()).length === 0, 'the outbox to drain');
    const state = await fake.state();
    expect(state.conversations[conversation.id]!.messages.map((m) => m.clientId)).to.deep.equal(keys);
  });

  it('falls back to memory where IndexedDB is unavailable, and still delivers', async () => {
    const { fake, make } = await setup('memory', { seed: 11, saveThenFail: 0.5 }, { storage: 'memory' });
    const client = make();
    await client.ready;
    expect(client.outboxStorage).to.equal('memory');
    const delivery = await client.submitRequest({ service: 'waste', type: 'help', description: 'in memory', consentVersion: 'v1' });
    const created = await delivery.done;
    expect((await client.knownRequests())[0]!.reference).to.equal(created.reference);
    expect((await fake.state()).requests.length).to.equal(1);
    await client.saveDraft('d', { a: 1 });
    expect(await client.loadDraft('d')).to.deep.equal({ a: 1 });
  });

  it('uses memory when IndexedDB refuses to open (private modes)', async () => {
    const { make } = await setup('refused', { seed: 12 });
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function () {
      throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
    };
    try {
      const client = make();
      await client.ready;
      expect(client.outboxStorage).to.equal('memory');
      const created = await (await client.submitRequest({ service: 'waste', type: 'help', description: 'private mode', consentVersion: 'v1' })).done;
      expect(created.reference).to.match(/^REF-/);
    } finally {
      IDBFactory.prototype.open = open;
    }
  });

  it('queues while offline and says so', async () => {
    const { fake, make } = await setup('offline', { seed: 13 });
    const client = make();
    await client.ready;
    const states: string[] = [];
    client.on('connection', (e) => states.push(e.detail));
    // Simulate the browser going offline.
    const descriptor = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine');
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      window.dispatchEvent(new Event('offline'));
      expect(client.connection).to.equal('offline');
      const delivery = await client.submitRequest({ service: 'waste', type: 'help', description: 'offline', consentVersion: 'v1' });
      await client.flush();
      expect((await fake.state()).requests.length).to.equal(0);
      expect((await client.pending()).map((p) => p.key)).to.deep.equal([delivery.key]);
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
      window.dispatchEvent(new Event('online'));
      await delivery.done;
      expect(client.connection).to.equal('online');
      expect(states).to.deep.equal(['offline', 'online']);
    } finally {
      delete (navigator as unknown as Record<string, unknown>).onLine;
      if (descriptor && navigator.onLine !== true) Object.defineProperty(Navigator.prototype, 'onLine', descriptor);
    }
  });

  it('on pagehide sends pending items with keepalive, keeping them until acknowledged', async () => {
    const { fake, make } = await setup('pagehide', { seed: 19, busy: 1, retryAfter: 60 }, { retry: { baseMs: 60_000, capMs: 60_000 }, flushIntervalMs: 60_000 });
    const client = make();
    await client.ready;
    const delivery = await client.submitRequest({ service: 'waste', type: 'help', description: 'leaving', consentVersion: 'v1' });
    await until(() => delivery.state === 'retrying', 'the first try to fail');
    await fake.configure({ busy: 0 });
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    await until(async () => (await fake.state()).requests.length === 1, 'the keepalive try to arrive');
    // The answer to a keepalive call is not trusted to arrive: the item waits for a normal acknowledgement.
    expect((await client.pending()).map((p) => p.key)).to.deep.equal([delivery.key]);
    await client.retryNow(delivery.key);
    const created = await delivery.done;
    const state = await fake.state();
    expect(state.requests.map((r) => r.reference)).to.deep.equal([created.reference]);
    expect(await client.pending()).to.deep.equal([]);
  });

  it('reports reconnecting while tries fail, online once one succeeds', async () => {
    const { fake, make } = await setup('honest', { seed: 17, reset: 1 });
    const client = make();
    await client.ready;
    const delivery = await client.submitRequest({ service: 'waste', type: 'help', description: 'flaky', consentVersion: 'v1' });
    await until(() => client.connection === 'reconnecting', 'reconnecting');
    expect(delivery.state).to.be.oneOf(['retrying', 'sending']);
    await fake.configure({ reset: 0 });
    await delivery.done;
    expect(client.connection).to.equal('online');
  });
});
