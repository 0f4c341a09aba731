import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import { IntakeError } from '../../src/client/errors.js';
import { FakeBackend, dbName, deleteDb, type FakeConfig } from '../helpers/fake-backend.js';

describe('bad answers become typed errors', () => {
  let fake: FakeBackend;
  let client: IntakeClient;
  let db: string;

  beforeEach(async () => {
    fake = await FakeBackend.create('responses');
    db = dbName('responses');
    client = new IntakeClient({ endpoint: fake.endpoint, site: 'test/site', dbName: db, retry: { baseMs: 10, capMs: 50 }, timeoutMs: 3000 });
    await client.ready;
  });

  afterEach(async () => {
    client.close();
    await deleteDb(db);
    await fake.drop();
  });

  async function catalogError(respond: NonNullable<FakeConfig['respond']>[string]): Promise<IntakeError> {
    await fake.configure({ respond: { catalog: respond } });
    const error = await client.catalog().then(() => undefined, (e: unknown) => e);
    expect(error, 'catalog() should reject').to.be.instanceOf(IntakeError);
    return error as IntakeError;
  }

  it('malformed JSON', async () => {
    expect((await catalogError({ body: '{"site": {' })).code).to.equal('invalid_response');
  });

  it('a truncated answer', async () => {
    expect((await catalogError({ body: '{"protocol":"1","locale":"en","site":{"id":"x","name":"X","replyPro' })).code).to.equal('invalid_response');
  });

  it('JSON of the wrong shape', async () => {
    const error = await catalogError({ body: { protocol: '1', locale: 'en', site: { id: 'x' } } });
    expect(error.code).to.equal('invalid_response');
    expect(error.message).to.contain('site');
  });

  it('an empty body', async () => {
    expect((await catalogError({ body: '' })).code).to.equal('invalid_response');
  });

  it('an oversized answer with a Content-Length', async () => {
    expect((await catalogError({ body: 'x', repeat: 2 * 1024 * 1024 })).code).to.equal('invalid_response');
  });

  it('an oversized streamed answer without a Content-Length', async () => {
    const error = await catalogError({ body: '[' + '1,'.repeat(1024 * 1024), chunked: true });
    expect(error.code).to.equal('invalid_response');
    expect(error.message).to.contain('larger');
  });

  it('HTML where JSON was promised', async () => {
    const error = await catalogError({ type: 'text/html', body: '<html><body>Proxy login</body></html>' });
    expect(error.code).to.equal('invalid_response');
    expect(error.message).to.contain('text/html');
  });

  it('JSON sent as text/plain', async () => {
    expect((await catalogError({ type: 'text/plain', body: '{}' })).code).to.equal('invalid_response');
  });

  it('an error status with an HTML body', async () => {
    const error = await catalogError({ status: 502, type: 'text/html', body: '<h1>Bad gateway</h1>' });
    expect(error.code).to.equal('server_error');
    expect(error.status).to.equal(502);
    expect(error.retryable).to.equal(true);
  });

  it('a 429 with Retry-After and a protocol error body', async () => {
    const error = await catalogError({ status: 429, headers: { 'Retry-After': '7' }, body: { error: { code: 'rate_limited', message: 'Slow down' } } });
    expect(error.code).to.equal('rate_limited');
    expect(error.retryAfter).to.equal(7);
    expect(error.message).to.equal('Slow down');
  });

  it('a reset connection', async () => {
    const error = await catalogError({ reset: true });
    expect(error.code).to.equal('network');
    expect(client.connection).to.equal('reconnecting');
  });

  it('a 404 with a code the client does not know', async () => {
    const error = await catalogError({ status: 404, body: { error: { code: 'site_retired', message: 'Gone' } } });
    expect(error.code).to.equal('site_retired');
    expect(error.retryable).to.equal(false);
  });

  it('ignores unknown fields', async () => {
    await fake.configure({ respond: { answers: { body: { query: 'q', answers: [], extra: { nested: true } } } } });
    expect(await client.answers('q')).to.deep.equal([]);
  });

  it('a malformed answer to a write is retried, never lost', async () => {
    await fake.configure({ respond: { requests: { body: '{"id":', times: 2 } } });
    const delivery = await client.submitRequest({ service: 'waste', type: 'help', description: 'garbled', consentVersion: 'v1' });
    const created = await delivery.done;
    expect(created.reference).to.match(/^REF-/);
    const state = await fake.state();
    expect(state.requests.length).to.equal(1);
  });

  it('an upload refused with a protocol error', async () => {
    await fake.configure({ respond: { attachments: { status: 413, body: { error: { code: 'payload_too_large', message: 'Too big' } } } } });
    const error = (await client.uploadAttachment(new File(['x'], 'a.txt')).then(() => undefined, (e: unknown) => e)) as IntakeError;
    expect(error).to.be.instanceOf(IntakeError);
    expect(error.code).to.equal('payload_too_large');
  });

  it('an upload answered with garbage', async () => {
    await fake.configure({ respond: { attachments: { status: 201, type: 'text/html', body: '<p>ok</p>' } } });
    const error = (await client.uploadAttachment(new File(['x'], 'a.txt')).then(() => undefined, (e: unknown) => e)) as IntakeError;
    expect(error.code).to.equal('invalid_response');
  });
});
