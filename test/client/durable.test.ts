// Issue 15 (client side): what a resident writes offline, into a closed chat, or with characters
// no store can keep, is never lost and never holds a conversation hostage.
import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import { FakeBackend, dbName, deleteDb, seeded, until } from '../helpers/fake-backend.js';

const FAST = { baseMs: 20, capMs: 200 };

/** Makes the browser say it is offline (navigator.onLine false, `offline` event) until `online()`. */
function goOffline(): { online(): void } {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
  window.dispatchEvent(new Event('offline'));
  return {
    online() {
      delete (navigator as unknown as Record<string, unknown>).onLine;
      window.dispatchEvent(new Event('online'));
    },
  };
}

describe('durable writes (issue 15)', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setup(label: string, config: Parameters<typeof FakeBackend.create>[1] = {}) {
    const fake = await FakeBackend.create(label, config);
    const db = dbName(label);
    const make = (): IntakeClient => {
      const c = new IntakeClient({ endpoint: fake.endpoint, site: 'test/site', locale: 'en', dbName: db, retry: FAST, flushIntervalMs: 300, random: seeded(3) });
      cleanup.push(() => c.close());
      return c;
    };
    cleanup.push(() => fake.drop(), () => deleteDb(db));
    return { fake, make };
  }

  it('starts a conversation offline: queued with its key, the messages behind it, created after a reload', async function () {
    this.timeout(30_000);
    const { fake, make } = await setup('offline-chat');
    const network = goOffline();
    cleanup.push(() => network.online());
    const before = make();
    await before.ready;
    // Offline, the conversation is still "started" at once: saved on this device, not refused.
    const conversation = await before.openConversation();
    const first = await before.sendMessage(conversation, 'first, written offline');
    const second = await before.sendMessage(conversation, 'second');
    expect((await before.history(conversation)).map((m) => m.text)).to.deep.equal(['first, written offline', 'second']);
    expect((await fake.state()).conversations).to.deep.equal({});
    before.close();

    // Reload, still offline: the same conversation, the same queued messages.
    const again = make();
    const same = await again.openConversation();
    expect(same.id).to.equal(conversation.id);
    expect((await again.history(same)).map((m) => m.clientId)).to.deep.equal([first.key, second.key]);
    again.close();

    // Reload online: created once, both messages in order.
    network.online();
    const after = make();
    const real = await after.startConversation();
    await until(async () => (await after.pending()).length === 0, 'the outbox to drain');
    const state = await fake.state();
    expect(Object.keys(state.conversations)).to.deep.equal([real.id]);
    expect(state.conversations[real.id]!.messages.map((m) => m.clientId)).to.deep.equal([first.key, second.key]);
    // Messages sent now go behind them in the same conversation.
    await (await after.sendMessage(await after.openConversation(), 'third')).done;
    expect((await fake.state()).conversations[real.id]!.messages.map((m) => m.text)).to.deep.equal(['first, written offline', 'second', 'third']);
  });

  it('turns a message to a closed conversation into a clear, final refusal (never an endless retry)', async function () {
    this.timeout(20_000);
    const { fake, make } = await setup('closed');
    const client = make();
    const conversation = await client.startConversation();
    await (await client.sendMessage(conversation, 'hello')).done;
    await fake.close(conversation.id);
    const late = await client.sendMessage(conversation, 'still there?');
    const error = await late.done.then(() => undefined, (e: unknown) => e as { code?: string });
    expect(error?.code).to.equal('conversation_closed');
    // After a reload the history still says the conversation ended.
    const history = await make().history(conversation);
    expect(history.filter((m) => m.closed).length).to.equal(1);
    // A new conversation takes over; the old one is forgotten.
    await client.forgetConversation();
    const next = await client.startConversation();
    expect(next.id).to.not.equal(conversation.id);
  });

  it('makes every text storable before it is queued (NUL removed, lone surrogates replaced)', async function () {
    this.timeout(20_000);
    const { fake, make } = await setup('storable');
    const client = make();
    const conversation = await client.startConversation();
    const message = await client.sendMessage(conversation, 'a\u0000b \uD800 c \uDC00 d 😀');
    await message.done;
    const request = await client.submitRequest({
      service: 'waste',
      type: 'help',
      description: 'bins\u0000 \uDBFF',
      fields: { address: '1\u0000 High St \uDFFF' },
      contact: { name: 'Li\u0000 \uD83D', phone: '13800000000', preferred: 'phone' },
      consentVersion: 'v1',
    });
    const { reference } = await request.done;
    await (await client.sendFeedback(reference, { rating: 2, resolved: false, comment: 'still\u0000 \uD800 full' })).done;
    await (await client.reopen(reference, 'again\u0000 \uDC00')).done;
    const state = await fake.state();
    expect(state.conversations[conversation.id]!.messages[0]!.text).to.equal('ab \uFFFD c \uFFFD d 😀');
    expect(state.requests[0]!.description).to.equal('bins \uFFFD');
    expect(state.requests[0]!.fields).to.deep.equal({ address: '1 High St \uFFFD' });
    expect(state.requests[0]!.contact?.name).to.equal('Li \uFFFD');
    const bodies = (state.actions as unknown as { kind: string; body: { comment?: string; reason?: string } }[]);
    expect(bodies.find((a) => a.kind === 'feedback')?.body.comment).to.equal('still \uFFFD full');
    expect(bodies.find((a) => a.kind === 'reopen')?.body.reason).to.equal('again \uFFFD');
  });

  it('an item the server keeps failing (500) turns failed, and the messages behind it go on', async function () {
    this.timeout(30_000);
    const { fake, make } = await setup('stuck');
    const client = make();
    const conversation = await client.startConversation();
    await fake.configure({ respond: { messages: { status: 500, body: { error: { code: 'server_error', message: 'boom' } }, times: 5 } } });
    const stuck = await client.sendMessage(conversation, 'never storable');
    const behind = await client.sendMessage(conversation, 'behind it');
    const failed = await stuck.done.then(() => undefined, (e: unknown) => e as { code?: string });
    expect(failed?.code).to.equal('server_error');
    await behind.done;
    const pending = await client.pending();
    expect(pending.map((p) => [p.key, p.state])).to.deep.equal([[stuck.key, 'failed']]);
    // Retry (the server is well again) delivers it; discard would drop it.
    await client.retryNow(stuck.key);
    await until(async () => (await client.pending()).length === 0, 'the retried item to be delivered');
    expect((await fake.state()).conversations[conversation.id]!.messages.map((m) => m.text)).to.deep.equal(['behind it', 'never storable']);
  });

  it('never queues a conversation a backend cannot have (Open311)', async () => {
    const db = dbName('open311-chat');
    const client = new IntakeClient({ endpoint: 'https://open311.invalid/v2', site: 'test/site', transport: 'open311', dbName: db });
    cleanup.push(() => client.close(), () => deleteDb(db));
    const error = await client.openConversation().then(() => undefined, (e: unknown) => e as { code?: string });
    expect(error?.code).to.equal('unsupported');
    expect(await client.pending()).to.deep.equal([]);
  });

  it('queues a photo picked offline with the request, which carries its id once uploaded, after a reload', async function () {
    this.timeout(30_000);
    const { fake, make } = await setup('upload');
    const network = goOffline();
    cleanup.push(() => network.online());
    const before = make();
    await before.ready;
    const photo = new File([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], 'photo.png', { type: 'image/png' });
    const upload = await before.queueUpload(photo);
    expect(upload.state).to.equal('queued');
    const request = await before.submitRequest({ service: 'waste', type: 'help', description: 'with a photo', consentVersion: 'v1', uploads: [upload.key] });
    before.close();

    network.online();
    const after = make();
    await until(async () => (await after.pending()).length === 0, 'the upload and the request to be delivered');
    const state = await fake.state();
    expect(state.requests.length).to.equal(1);
    expect(state.requests[0]!.key).to.equal(request.key);
    expect(state.requests[0]!.attachments).to.have.length(1);
    expect(state.requests[0]!.attachments![0]).to.match(/^att\d+$/);
    expect((await after.uploadState(upload.key))?.attachment?.id).to.equal(state.requests[0]!.attachments![0]);
  });

  it('a request queued offline is found by its key after a reload: waiting, then with the server\'s answer', async function () {
    this.timeout(30_000);
    const { fake, make } = await setup('request-state');
    const network = goOffline();
    cleanup.push(() => network.online());
    const before = make();
    await before.ready;
    const request = await before.submitRequest({ service: 'waste', type: 'help', description: 'queued offline', consentVersion: 'v1' });
    before.close();

    const after = make();
    expect((await after.requestState(request.key))?.state).to.equal('queued');
    network.online();
    await until(async () => (await after.requestState(request.key))?.created !== undefined, 'the answer stored with the acknowledgement');
    const [stored] = (await fake.state()).requests;
    expect(await after.requestState(request.key)).to.deep.include({ state: 'sent' });
    expect((await after.requestState(request.key))?.created?.reference).to.equal(stored!.reference);
    expect(await after.requestState('no-such-key')).to.equal(undefined);
  });
});
