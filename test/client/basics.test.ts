import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import { IntakeError } from '../../src/client/errors.js';
import { backoffDelay, parseRetryAfter } from '../../src/client/retry.js';
import { FakeBackend, dbName, deleteDb } from '../helpers/fake-backend.js';

describe('retry', () => {
  it('uses full jitter below min(cap, base·2^(n-1))', () => {
    expect(backoffDelay(1, { baseMs: 1000, capMs: 300_000 }, undefined, () => 0.999)).to.be.below(1000);
    expect(backoffDelay(4, { baseMs: 1000, capMs: 300_000 }, undefined, () => 0.999)).to.be.within(7000, 8000);
    expect(backoffDelay(40, { baseMs: 1000, capMs: 300_000 }, undefined, () => 0.999)).to.be.within(299_000, 300_000);
    expect(backoffDelay(3, {}, undefined, () => 0)).to.equal(0);
  });

  it('honours Retry-After as a floor, within the cap', () => {
    expect(backoffDelay(1, { baseMs: 1000 }, 30, () => 0.5)).to.equal(30_000);
    expect(backoffDelay(1, { baseMs: 1000, capMs: 300_000 }, 3600, () => 0.5)).to.equal(300_000);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('120')).to.equal(120);
    expect(parseRetryAfter(null)).to.equal(undefined);
    expect(parseRetryAfter('soon')).to.equal(undefined);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).to.equal(10);
  });
});

describe('IntakeError', () => {
  it('knows what is worth retrying', () => {
    expect(new IntakeError('network', 'x').retryable).to.equal(true);
    expect(new IntakeError('timeout', 'x').retryable).to.equal(true);
    expect(new IntakeError('rate_limited', 'x', { status: 429 }).retryable).to.equal(true);
    expect(new IntakeError('server_error', 'x', { status: 502 }).retryable).to.equal(true);
    expect(new IntakeError('x', 'x', { status: 408 }).retryable).to.equal(true);
    expect(new IntakeError('validation_failed', 'x', { status: 422 }).retryable).to.equal(false);
    expect(new IntakeError('conflict', 'x', { status: 409 }).retryable).to.equal(false);
  });

  it('survives a round trip through JSON', () => {
    const e = IntakeError.fromJSON(new IntakeError('validation_failed', 'bad', { status: 422, fields: { a: 'b' } }).toJSON());
    expect(e).to.be.instanceOf(IntakeError);
    expect(e.fields).to.deep.equal({ a: 'b' });
    expect(e.status).to.equal(422);
  });
});

describe('IntakeClient basics', () => {
  let fake: FakeBackend;
  let client: IntakeClient;
  let db: string;

  beforeEach(async () => {
    fake = await FakeBackend.create('basics');
    db = dbName('basics');
    client = new IntakeClient({ endpoint: fake.endpoint, site: 'test/site', locale: 'en', dbName: db, retry: { baseMs: 10, capMs: 50 } });
    await client.ready;
  });

  afterEach(async () => {
    client.close();
    await deleteDb(db);
    await fake.drop();
  });

  it('reads the catalogue and learns the capabilities', async () => {
    expect(client.capabilities.chat).to.equal(false);
    const catalog = await client.catalog();
    expect(catalog.services[0]!.id).to.equal('waste');
    expect(client.capabilities.chat).to.equal(true);
    expect(client.connection).to.equal('online');
    expect(client.outboxStorage).to.equal('indexeddb');
  });

  it('aborts the previous instant-answers query when a new one starts', async () => {
    await fake.configure({ answersDelayMs: 300 });
    const first = client.answers('rubbish');
    const second = client.answers('rubbish bin');
    const firstError = await first.then(() => undefined, (e: unknown) => e);
    expect(firstError).to.be.instanceOf(IntakeError);
    expect((firstError as IntakeError).code).to.equal('aborted');
    const answers = await second;
    expect(answers[0]!.question).to.equal('rubbish bin');
  });

  it('honours a caller abort signal', async () => {
    await fake.configure({ answersDelayMs: 300 });
    const controller = new AbortController();
    const call = client.answers('q', { signal: controller.signal });
    controller.abort();
    const error = (await call.then(() => undefined, (e: unknown) => e)) as IntakeError;
    expect(error.code).to.equal('aborted');
  });

  it('files a request, remembers it, and reads it back with its token', async () => {
    const delivery = await client.submitRequest({ service: 'waste', type: 'consultation', description: 'Bins not emptied', consentVersion: 'v1' });
    expect(delivery.key).to.be.a('string');
    const created = await delivery.done;
    expect(created.reference).to.match(/^REF-/);
    expect(delivery.state).to.equal('sent');
    const known = await client.knownRequests();
    expect(known.map((k) => k.reference)).to.deep.equal([created.reference]);
    const detail = await client.getRequest(created.reference);
    expect(detail.description).to.equal('Bins not emptied');
    const feedback = await client.sendFeedback(created.reference, { rating: 5, resolved: true });
    expect((await feedback.done).feedback?.rating).to.equal(5);
    const reopened = await client.reopen(created.reference, 'Still not emptied');
    expect((await reopened.done).status).to.equal('in_progress');
    expect(await client.pending()).to.deep.equal([]);
  });

  it('refuses invalid input at once with field errors, queueing nothing', async () => {
    const error = (await client
      .submitRequest({ service: 'waste', type: 'consultation', description: '   ', consentVersion: 'v1', contact: { email: 'not-an-email', preferred: 'email' } })
      .then(() => undefined, (e: unknown) => e)) as IntakeError;
    expect(error.code).to.equal('validation_failed');
    expect(error.fields).to.have.property('description');
    expect(error.fields).to.have.property('contact.email');
    expect(await client.pending()).to.deep.equal([]);
  });

  it('does not retry a 422 and hands its field errors back', async () => {
    const delivery = await client.submitRequest({ service: 'unknown-service', type: 'help', description: 'x', consentVersion: 'v1' });
    const error = (await delivery.done.then(() => undefined, (e: unknown) => e)) as IntakeError;
    expect(error).to.be.instanceOf(IntakeError);
    expect(error.code).to.equal('validation_failed');
    expect(error.status).to.equal(422);
    expect(error.fields).to.deep.equal({ service: 'No such service here' });
    expect(delivery.state).to.equal('failed');
    await client.flush();
    const state = await fake.state();
    expect(state.attempts[delivery.key]).to.equal(1);
    const pending = await client.pending();
    expect(pending.map((p) => [p.key, p.state])).to.deep.equal([[delivery.key, 'failed']]);
    expect(pending[0]!.error?.fields).to.deep.equal({ service: 'No such service here' });
    await client.discard(delivery.key);
    expect(await client.pending()).to.deep.equal([]);
  });

  it('keeps drafts across clients and lets them expire', async () => {
    await client.saveDraft('form', { description: 'half typed' });
    const other = new IntakeClient({ endpoint: fake.endpoint, site: 'test/site', dbName: db });
    expect(await other.loadDraft('form')).to.deep.equal({ description: 'half typed' });
    await other.clearDraft('form');
    expect(await client.loadDraft('form')).to.equal(undefined);
    other.close();
  });

  it('resumes the conversation of this site after a reload', async () => {
    const conversation = await client.startConversation({ topic: 'bins' });
    const again = new IntakeClient({ endpoint: fake.endpoint, site: 'test/site', dbName: db });
    expect((await again.startConversation()).id).to.equal(conversation.id);
    again.close();
    const elsewhere = new IntakeClient({ endpoint: fake.endpoint, site: 'test/other', dbName: db });
    expect((await elsewhere.startConversation()).id).to.not.equal(conversation.id);
    elsewhere.close();
  });

  it('merges server history with unsent messages', async () => {
    const conversation = await client.startConversation();
    await (await client.sendMessage(conversation, 'first')).done;
    await fake.staff(conversation.id, 1);
    // The server now answers 503 to writes: the next message waits in the outbox.
    await fake.configure({ busy: 1, retryAfter: 1 });
    const waiting = await client.sendMessage(conversation, 'second');
    const history = await client.history(conversation);
    expect(history.map((m) => [m.author, m.text.startsWith('staff') ? 'staff' : m.text])).to.deep.equal([
      ['resident', 'first'],
      ['staff', 'staff'],
      ['resident', 'second'],
    ]);
    expect(history[0]!.delivery).to.equal('sent');
    expect(history[2]!.clientId).to.equal(waiting.key);
    expect(history[2]!.delivery).to.be.oneOf(['queued', 'sending', 'retrying']);
    await fake.configure({ busy: 0 });
    await client.retryNow(waiting.key);
    const message = await waiting.done;
    expect(message.seq).to.equal(3);
  });

  it('uploads with progress', async () => {
    const file = new File([new Uint8Array(200_000)], 'photo.jpg', { type: 'image/jpeg' });
    const seen: number[] = [];
    const attachment = await client.uploadAttachment(file, { onProgress: (loaded) => seen.push(loaded) });
    expect(attachment.name).to.equal('photo.jpg');
    expect(attachment.size).to.be.greaterThan(200_000);
  });

  it('dispatches delivery events through the states', async () => {
    const states: string[] = [];
    client.on('delivery', (event) => states.push(event.detail.state));
    await (await client.submitRequest({ service: 'waste', type: 'help', description: 'x', consentVersion: 'v1' })).done;
    expect(states[0]).to.equal('queued');
    expect(states).to.include('sending');
    expect(states.at(-1)).to.equal('sent');
  });
});
