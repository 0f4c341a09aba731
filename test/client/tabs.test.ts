import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import type { Delivery } from '../../src/client/types.js';
import { FakeBackend, dbName, deleteDb, seeded } from '../helpers/fake-backend.js';

// Two clients over one IndexedDB in one page behave as two tabs: Web Locks and BroadcastChannel
// work across documents and within one alike.
describe('two tabs', () => {
  it('send one at a time, one record per item, and both see every outcome', async function () {
    this.timeout(90_000);
    // Faults come on once the conversation exists. Starting one is the only call here outside the
    // outbox this test is about: four tries under a random key, so with 30 % faults per try all
    // four fail about once in 120 runs — the likely cause of a "Load failed" seen once in WebKit.
    const fake = await FakeBackend.create('tabs', { seed: 21 });
    const faults = { saveThenFail: 0.2, busy: 0.1, delay: 0.1, maxDelayMs: 500 };
    const db = dbName('tabs');
    const options = { endpoint: fake.endpoint, site: 'test/site', dbName: db, retry: { baseMs: 20, capMs: 200 }, flushIntervalMs: 300 };
    const a = new IntakeClient({ ...options, random: seeded(1) });
    const b = new IntakeClient({ ...options, random: seeded(2) });
    try {
      await Promise.all([a.ready, b.ready]);
      expect([a.outboxStorage, b.outboxStorage]).to.deep.equal(['indexeddb', 'indexeddb']);
      expect(typeof navigator.locks?.request, 'Web Locks').to.equal('function');
      // A set, not a counter: the start-up flush may have begun before these listeners.
      const active = new Set<string>();
      let most = 0;
      const sendersSeen = new Set<string>();
      for (const [name, c] of [['a', a], ['b', b]] as const) {
        c.on('sender', (e) => {
          if (e.detail.active) active.add(name);
          else active.delete(name);
          most = Math.max(most, active.size);
          if (e.detail.active) sendersSeen.add(name);
        });
      }
      const conversation = await a.startConversation();
      expect((await b.startConversation()).id).to.equal(conversation.id);
      await fake.configure(faults);

      // Every item reaches `sent` in both tabs, whichever of them delivered it.
      const sentIn = { a: new Set<string>(), b: new Set<string>() };
      a.on('delivery', (e) => e.detail.state === 'sent' && sentIn.a.add(e.detail.key));
      b.on('delivery', (e) => e.detail.state === 'sent' && sentIn.b.add(e.detail.key));

      const deliveries: Delivery<unknown>[] = [];
      const requestKeys: string[] = [];
      const texts: string[] = [];
      for (let i = 0; i < 40; i++) {
        const tab = i % 2 ? b : a;
        texts.push(`tab message ${i}`);
        deliveries.push(await tab.sendMessage(conversation, `tab message ${i}`));
        if (i % 5 === 0) {
          const request = await tab.submitRequest({ service: 'waste', type: 'help', description: `tab request ${i}`, consentVersion: 'v1' });
          requestKeys.push(request.key);
          deliveries.push(request);
        }
      }
      await Promise.all(deliveries.map((d) => d.done));

      expect(most).to.equal(1);
      const state = await fake.state();
      expect(state.conversations[conversation.id]!.messages.map((m) => m.text)).to.deep.equal(texts);
      expect(state.requests.map((r) => r.key).sort()).to.deep.equal(requestKeys.sort());
      expect(requestKeys.length).to.equal(8);
      expect(new Set(state.requests.map((r) => r.description)).size).to.equal(8);
      // Whichever tab sent them, both know the requests and neither has anything left.
      expect((await a.knownRequests()).length).to.equal(8);
      expect((await b.knownRequests()).length).to.equal(8);
      expect(await a.pending()).to.deep.equal([]);
      expect(sendersSeen.size).to.be.greaterThan(0);
      for (const d of deliveries) {
        expect(sentIn.a.has(d.key), `a saw ${d.key} sent`).to.equal(true);
        expect(sentIn.b.has(d.key), `b saw ${d.key} sent`).to.equal(true);
      }
    } finally {
      a.close();
      b.close();
      await deleteDb(db);
      await fake.drop();
    }
  });

  it('a second tab takes over when the sending tab closes', async function () {
    this.timeout(60_000);
    const fake = await FakeBackend.create('takeover', { seed: 8, delay: 1, maxDelayMs: 800 });
    const db = dbName('takeover');
    const options = { endpoint: fake.endpoint, site: 'test/site', dbName: db, retry: { baseMs: 20, capMs: 200 }, flushIntervalMs: 300 };
    const a = new IntakeClient(options);
    const b = new IntakeClient(options);
    try {
      await Promise.all([a.ready, b.ready]);
      const keys: string[] = [];
      for (let i = 0; i < 6; i++) keys.push((await a.submitRequest({ service: 'waste', type: 'help', description: `takeover ${i}`, consentVersion: 'v1' })).key);
      a.close();
      await b.flush();
      const deadline = Date.now() + 30_000;
      while ((await b.pending()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await b.pending()).to.deep.equal([]);
      const state = await fake.state();
      expect(state.requests.map((r) => r.key).sort()).to.deep.equal([...keys].sort());
    } finally {
      a.close();
      b.close();
      await deleteDb(db);
      await fake.drop();
    }
  });
});
