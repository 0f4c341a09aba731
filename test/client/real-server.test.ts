import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import type { StreamEvent } from '../../src/client/protocol.js';
import { dbName, deleteDb, until } from '../helpers/fake-backend.js';

// Smoke test against the reference server (demo/server), started on first use by the
// test runner's /__server endpoint.
describe('against the reference server', () => {
  let api = '';
  let staffToken = '';
  let client: IntakeClient;
  let db: string;

  before(async function () {
    this.timeout(120_000);
    const response = await fetch('/__server');
    const body = (await response.json()) as { api?: string; staffToken?: string; error?: string };
    if (!body.api) throw new Error(`The reference server did not start: ${body.error}`);
    api = body.api;
    staffToken = body.staffToken ?? '';
  });

  beforeEach(async () => {
    db = dbName('real');
    client = new IntakeClient({ endpoint: api, site: 'riverside/xinhua/garden', locale: 'en', dbName: db, retry: { baseMs: 50, capMs: 500 } });
    await client.ready;
  });

  afterEach(async () => {
    client.close();
    await deleteDb(db);
  });

  it('reads the catalogue and files a request', async function () {
    this.timeout(30_000);
    const catalog = await client.catalog();
    expect(catalog.services.length).to.be.greaterThan(0);
    const service = catalog.services.find((s) => s.fields.every((f) => !f.required)) ?? catalog.services[0]!;
    const fields: Record<string, string> = {};
    for (const field of service.fields) if (field.required) fields[field.id] = field.type === 'single' ? field.options![0]!.value : 'Test value';
    const delivery = await client.submitRequest({
      service: service.id,
      type: service.kinds[0]!,
      description: 'The bins on Garden Road were not emptied this week.',
      fields,
      consentVersion: catalog.consent.version,
    });
    const created = await delivery.done;
    expect(created.reference).to.be.a('string');
    const detail = await client.getRequest(created.reference);
    expect(detail.reference).to.equal(created.reference);
    expect((await client.knownRequests())[0]!.reference).to.equal(created.reference);
  });

  it('round-trips a chat message and a staff reply', async function () {
    this.timeout(30_000);
    const conversation = await client.startConversation({ topic: 'bins' });
    const events: StreamEvent[] = [];
    const subscription = client.subscribe(conversation, (e) => events.push(e), { after: 0 });
    try {
      const delivery = await client.sendMessage(conversation, 'Hello, are the bins collected on Friday?');
      const message = await delivery.done;
      expect(message.clientId).to.equal(delivery.key);
      await until(() => events.some((e) => e.type === 'message' && e.message.clientId === delivery.key), 'my message on the stream');
      const reply = await fetch(`${api}/staff/conversations/${encodeURIComponent(conversation.id)}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${staffToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'Yes, every Friday morning.' }),
      });
      expect(reply.status).to.be.oneOf([200, 201]);
      await until(() => events.some((e) => e.type === 'message' && e.message.author === 'staff'), 'the staff reply on the stream');
      const seqs = events.filter((e): e is Extract<StreamEvent, { seq: number }> => 'seq' in e).map((e) => e.seq);
      expect(new Set(seqs).size).to.equal(seqs.length);
      const routed = await fetch(`${api}/staff/conversations/${encodeURIComponent(conversation.id)}/route`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${staffToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ department: 'sanitation' }),
      });
      expect(routed.status).to.equal(200);
      await until(() => events.some((e) => e.type === 'routed'), 'the routed event on the stream');
      const history = await client.history(conversation);
      expect(history.map((m) => m.author)).to.include.members(['resident', 'staff']);
      // Where the conversation went is part of the history, for the resident who comes back.
      const note = history.find((m) => m.routedTo !== undefined);
      expect(note?.author).to.equal('system');
      expect(note?.routedTo).to.be.a('string').and.not.equal('');
    } finally {
      subscription.close();
    }
  });
});
