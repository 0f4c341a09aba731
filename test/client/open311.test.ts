import { expect } from '@open-wc/testing';
import * as v from 'valibot';
import { IntakeClient } from '../../src/client/client.js';
import { IntakeError } from '../../src/client/errors.js';
import { CatalogSchema, type RequestCreated } from '../../src/client/protocol.js';
import {
  Open311Transport,
  buildCatalog,
  detailOf,
  mapService,
  open311Error,
  type Open311AttemptLog,
  type Open311Definition,
  type Open311Service,
  type Open311ServiceRequest,
} from '../../src/client/transports/open311.js';
import { dbName, deleteDb, seeded, until } from '../helpers/fake-backend.js';

// Served raw by the fake (the test runner turns .json files into modules).
const FIXTURES = '/open311-fake/_fixtures';
const FAST = { baseMs: 20, capMs: 250 };

async function fixture<T>(name: string): Promise<T> {
  const response = await fetch(`${FIXTURES}/${name}`);
  if (!response.ok) throw new Error(`fixture ${name}: ${response.status}`);
  return (await response.json()) as T;
}

/** A handle on test/helpers/open311-fake.mjs. */
class Open311Fake {
  readonly id = `o311-${Math.random().toString(36).slice(2, 10)}`;
  readonly endpoint = `${location.origin}/open311-fake/${this.id}/v2`;
  static async create(config: Record<string, unknown> = {}): Promise<Open311Fake> {
    const fake = new Open311Fake();
    await fake.control({ action: 'reset', config });
    return fake;
  }
  async control(body: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(`/open311-fake/${this.id}/_control`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`control ${String(body.action)}: ${response.status}`);
    return response.json();
  }
  state(): Promise<{ requests: (Open311ServiceRequest & { _form: [string, string][] })[]; posts: number; dropped: number; calls: Record<string, number> }> {
    return this.control({ action: 'state' }) as never;
  }
}

/** An attempt log in memory, so tests do not share localStorage. */
function memoryLog(): Open311AttemptLog {
  const attempts = new Map<string, ReturnType<Open311AttemptLog['get']>>();
  const claimed = new Set<string>();
  return {
    get: (key) => attempts.get(key),
    put: (attempt) => void attempts.set(attempt.key, attempt),
    delete: (key) => void attempts.delete(key),
    claimed: () => new Set(claimed),
    claim: (id) => void claimed.add(id),
  };
}

describe('open311: the specification’s examples', () => {
  it('keeps the spec’s invalid JSON as text, and the fixed list differs only in quoted ids', async () => {
    const original = await (await fetch(`${FIXTURES}/services.spec-original.txt`)).text();
    expect(() => JSON.parse(original)).to.throw();
    const fixed = JSON.parse(original.replace(/"service_code":(0\d+)/g, '"service_code":"$1"'));
    expect(fixed).to.deep.equal(await fixture('services.json'));
  });

  it('parses services and a definition with every datatype into a render-ready catalogue', async () => {
    const services = await fixture<Open311Service[]>('services.json');
    const definition = await fixture<Open311Definition>('service-definition-all.json');
    const { catalog } = buildCatalog(services, new Map([['001', definition]]), { site: 'city/test', locale: 'en' });
    expect(v.safeParse(CatalogSchema, catalog).success).to.equal(true);
    expect(catalog.capabilities).to.include({ chat: false, answers: false, feedback: false, attachments: false });
    expect(catalog.services.map((s) => s.id)).to.deep.equal(['001', '002', '003']); // leading zeros kept
    const cans = catalog.services[0]!;
    expect(cans.group).to.equal('sanitation');
    expect(cans.keywords).to.deep.equal(['lorem', 'ipsum', 'dolor']);
    expect(cans.fields.map((f) => [f.id, f.type, f.required, f.readOnly])).to.deep.equal([
      ['whishetn', 'single', true, false],
      ['whispawn', 'text', false, false],
      ['cancount', 'number', false, false],
      ['since', 'datetime', false, false],
      ['cankinds', 'multi', true, false], // order 5 before order 6
      ['details', 'textarea', false, false],
      ['notice', 'text', false, true], // variable: false → information
      ['location', 'location', true, false], // GeoReport v2 requires a location
    ]);
    expect(cans.fields[0]!.options).to.deep.equal([
      { value: '123', label: 'Ford' },
      { value: '124', label: 'Chrysler' },
    ]);
    expect(cans.fields[0]!.label).to.equal('What is the ticket/tag/DL number?');
    expect(cans.fields[1]!.hint).to.equal('The number on the can, if any');
    expect(cans.fields[4]!.options!.map((o) => o.value)).to.deep.equal(['garbage', 'recycling', 'compost']);
    expect(catalog.requestTypes.map((t) => t.id)).to.deep.equal(['help']);
  });

  it('maps the spec’s own service definition (numeric keys) as printed', async () => {
    const definition = await fixture<Open311Definition>('service-definition-spec.json');
    const { service } = mapService({ service_code: 'DMV66', service_name: 'DMV' } as Open311Service, definition, 'en');
    expect(service.fields[0]).to.include({ id: 'whishetn', type: 'single', required: true });
    expect(service.fields[0]!.options!.map((o) => o.value)).to.deep.equal(['123', '124']);
  });

  it('reads the spec’s request list: status, notes, agency and expected time', async () => {
    const list = await fixture<Open311ServiceRequest[]>('requests.json');
    const closed = detailOf(v.parse(v.array(v.any()), list)[0] as Open311ServiceRequest, { id: 's', name: 'S' });
    expect(closed.reference).to.equal('638344');
    expect(closed.status).to.equal('closed');
    expect(closed.replies[0]!.text).to.equal('Duplicate request.');
    expect(closed.replyBy).to.equal(new Date('2010-04-15T06:37:38-08:00').toISOString());
    expect(closed.service.id).to.equal('006');
    expect(closed.description).to.equal('');
    const open = detailOf(list[1]!, { id: 's', name: 'S' });
    expect(open.status).to.equal('received');
    expect(open.replies).to.deep.equal([]);
  });

  it('turns the spec’s error body into a typed error, and named parameters into field errors', async () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    const forbidden = open311Error({ status: 403, headers }, JSON.stringify(await fixture('error-403.json')));
    expect(forbidden.code).to.equal('forbidden');
    expect(forbidden.message).to.contain('Invalid api_key');
    expect(forbidden.retryable).to.equal(false);
    const { map } = mapService({ service_code: '001' } as Open311Service, await fixture('service-definition-all.json'), 'en');
    const body = [
      { code: 400, description: 'attribute[WHISHETN] is required' },
      { code: 400, description: 'attribute[CANKINDS][]: Choose from the list' },
      { code: 400, description: 'email: Not a valid email address' },
      { code: 400, description: 'lat: A number from -90 to 90' },
      { code: 400, description: 'phone is not valid' },
    ];
    const invalid = open311Error({ status: 400, headers }, JSON.stringify(body), map);
    expect(invalid.code).to.equal('validation_failed');
    expect(invalid.fields).to.deep.equal({
      'fields.whishetn': 'is required',
      'fields.cankinds': 'Choose from the list',
      'contact.email': 'Not a valid email address',
      'fields.location': 'A number from -90 to 90',
      'contact.phone': 'is not valid',
    });
    const general = open311Error({ status: 400, headers }, JSON.stringify([{ code: 400, description: 'General service error' }]));
    expect(general.code).to.equal('bad_request');
    expect(general.fields).to.equal(undefined);
  });
});

describe('open311: the client against a fake GeoReport v2 server', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  function client(fake: Open311Fake, extra: { apiKey?: string; tokenPollMs?: number; listsLog?: Open311AttemptLog } = {}): IntakeClient {
    const db = dbName('open311');
    const transport = new Open311Transport({
      endpoint: fake.endpoint,
      site: 'city/test',
      locale: 'en',
      timeoutMs: 8000,
      apiKey: extra.apiKey,
      tokenPollMs: extra.tokenPollMs ?? 50,
      tokenWaitMs: 10_000,
      attemptLog: extra.listsLog ?? memoryLog(),
    });
    const c = new IntakeClient({ endpoint: fake.endpoint, site: 'city/test', locale: 'en', transport: 'open311', dbName: db, retry: FAST, flushIntervalMs: 300, random: seeded(3), transportImpl: transport });
    cleanup.push(() => c.close(), () => deleteDb(db), () => fake.control({ action: 'drop' }));
    return c;
  }

  const cans = {
    service: '001',
    type: 'help' as const,
    description: 'Three cans left on the pavement of 8th Ave since Monday.',
    fields: { whishetn: '123', cankinds: ['garbage', 'recycling'], cancount: 3, location: { lat: 37.7622, lng: -122.4651, address: '8TH AVE and JUDAH ST' } },
    contact: { name: 'Jane Doe', email: 'jane@example.org', preferred: 'email' as const },
    consentVersion: 'open311',
  };

  it('files a request form-encoded, then reads its status, notes and agency', async function () {
    this.timeout(90_000);
    const fake = await Open311Fake.create();
    const c = client(fake);
    const catalog = await c.catalog();
    expect(c.capabilities.chat).to.equal(false);
    expect(catalog.services).to.have.length(3);
    const delivery = await c.submitRequest(cans);
    const created = await delivery.done;
    expect(created.reference).to.match(/^\d+$/);
    const state = await fake.state();
    expect(state.requests).to.have.length(1);
    const form = state.requests[0]!._form;
    expect(form).to.deep.include.members([
      ['service_code', '001'],
      ['attribute[WHISHETN]', '123'],
      ['attribute[CANKINDS][]', 'garbage'],
      ['attribute[CANKINDS][]', 'recycling'],
      ['attribute[CANCOUNT]', '3'],
      ['lat', '37.7622'],
      ['long', '-122.4651'],
      ['address_string', '8TH AVE and JUDAH ST'],
      ['first_name', 'Jane'],
      ['last_name', 'Doe'],
      ['email', 'jane@example.org'],
      ['description', cans.description],
    ]);
    expect(form.map(([k]) => k)).to.not.include('api_key');
    expect(form.map(([k]) => k)).to.not.include('jurisdiction_id');

    await fake.control({ action: 'update', id: created.reference, agency_responsible: 'Sanitation Department', status_notes: 'Crew sent.', expected_datetime: '2030-01-02T09:00:00Z' });
    let detail = await c.getRequest(created.reference);
    expect(detail.status).to.equal('routed');
    expect(detail.routedTo.name).to.equal('Sanitation Department');
    expect(detail.replies.map((r) => r.text)).to.deep.equal(['Crew sent.']);
    expect(detail.replyBy).to.equal('2030-01-02T09:00:00.000Z');
    await fake.control({ action: 'update', id: created.reference, status: 'closed', status_notes: 'Cans removed.' });
    detail = await c.getRequest(created.reference);
    expect(detail.status).to.equal('closed');
    expect(detail.replies[0]!.text).to.equal('Cans removed.');
    expect((await c.knownRequests())[0]!.reference).to.equal(created.reference);
  });

  it('follows a batch token to the id, saying "received, waiting for a number" meanwhile', async function () {
    this.timeout(90_000);
    const fake = await Open311Fake.create({ batch: 3 });
    const c = client(fake);
    const waiting: string[] = [];
    c.on('waiting-for-reference', (e) => waiting.push(e.detail.key));
    const flagged: boolean[] = [];
    c.on('delivery', (e) => {
      if (e.detail.waitingForReference) flagged.push(true);
    });
    const delivery = await c.submitRequest({ ...cans, fields: { whishetn: '124', cankinds: ['compost'], location: { address: 'Judah St' } } });
    const created = await delivery.done;
    expect(waiting).to.deep.equal([delivery.key]);
    expect(flagged.length).to.be.greaterThan(0);
    const state = await fake.state();
    expect(state.requests).to.have.length(1);
    expect(created.reference).to.equal(state.requests[0]!.service_request_id);
    expect((delivery as unknown as { waitingForReference: boolean }).waitingForReference).to.equal(false);
    expect((await c.getRequest(created.reference)).reference).to.equal(created.reference);
  });

  it('a lost POST answer does not file a second request: the retry finds and adopts the first', async function () {
    this.timeout(90_000);
    const fake = await Open311Fake.create({ dropAnswers: 2 });
    const c = client(fake);
    const delivery = await c.submitRequest(cans);
    const created: RequestCreated = await delivery.done;
    const state = await fake.state();
    expect(state.dropped).to.equal(1); // the second try looked first, and never posted
    expect(state.posts).to.equal(1);
    expect(state.requests).to.have.length(1);
    expect(created.reference).to.equal(state.requests[0]!.service_request_id);
    expect(state.calls['GET requests.json']).to.be.greaterThan(0);
  });

  it('adopts each lost request once: two identical reports stay two', async function () {
    this.timeout(90_000);
    const fake = await Open311Fake.create({ dropAnswers: 2 });
    const c = client(fake);
    const first = await (await c.submitRequest(cans)).done;
    const second = await (await c.submitRequest(cans)).done;
    const state = await fake.state();
    expect(state.requests).to.have.length(2);
    expect(first.reference).to.not.equal(second.reference);
  });

  it('documented limit: a server that does not list requests can get a second one after a lost answer', async function () {
    this.timeout(90_000);
    const fake = await Open311Fake.create({ dropAnswers: 1, listsRequests: false });
    const c = client(fake);
    await (await c.submitRequest(cans)).done;
    expect((await fake.state()).requests).to.have.length(2);
  });

  it('puts Open311 errors next to the fields they name', async function () {
    this.timeout(90_000);
    const fake = await Open311Fake.create();
    const c = client(fake);
    await c.catalog();
    const delivery = await c.submitRequest({ ...cans, fields: { cankinds: ['glass'] } });
    const error = await delivery.done.then(() => undefined, (e: unknown) => e as IntakeError);
    expect(error).to.be.instanceOf(IntakeError);
    expect(error!.code).to.equal('validation_failed');
    expect(error!.status).to.equal(400);
    expect(Object.keys(error!.fields ?? {}).sort()).to.deep.equal(['fields.cankinds', 'fields.location', 'fields.whishetn']);
    expect((await fake.state()).requests).to.have.length(0);
  });

  it('sends api_key when configured, and a missing key is refused with 403', async function () {
    this.timeout(90_000);
    const fake = await Open311Fake.create({ apiKey: 'k-123' });
    const without = client(fake);
    const refused = await (await without.submitRequest(cans)).done.then(() => undefined, (e: unknown) => e as IntakeError);
    expect(refused!.code).to.equal('forbidden');
    const keyed = client(fake, { apiKey: 'k-123' });
    await (await keyed.submitRequest(cans)).done;
    const state = await fake.state();
    expect(state.requests).to.have.length(1);
    expect(state.requests[0]!._form).to.deep.include(['api_key', 'k-123']);
  });

  it('refuses HTML in the description before queueing, and what Open311 lacks with `unsupported`', async function () {
    this.timeout(90_000);
    const fake = await Open311Fake.create();
    const c = client(fake);
    const html = await c.submitRequest({ ...cans, description: 'Cans <b>everywhere</b>' }).then(() => undefined, (e: unknown) => e as IntakeError);
    expect(html!.code).to.equal('validation_failed');
    expect(html!.fields).to.have.property('description');
    for (const call of [() => c.answers('bins'), () => c.startConversation(), () => c.sendFeedback('1', { rating: 5, resolved: true }), () => c.reopen('1')]) {
      const error = await call().then(() => undefined, (e: unknown) => e as IntakeError);
      expect(error!.code).to.equal('unsupported');
    }
    expect((await fake.state()).posts).to.equal(0);
  });

  it('builds the open311 transport from options (transport, jurisdiction, apiKey)', async function () {
    this.timeout(90_000);
    const fake = await Open311Fake.create();
    const db = dbName('open311-opts');
    const c = new IntakeClient({ endpoint: fake.endpoint, site: 'city/test', locale: 'en', transport: 'open311', jurisdiction: 'city.gov', apiKey: 'xyz', dbName: db, retry: FAST });
    cleanup.push(() => c.close(), () => deleteDb(db), () => fake.control({ action: 'drop' }));
    const created = await (await c.submitRequest(cans)).done;
    const form = (await fake.state()).requests[0]!._form;
    expect(form).to.deep.include.members([['jurisdiction_id', 'city.gov'], ['api_key', 'xyz']]);
    await until(async () => (await c.knownRequests()).length === 1, 'the known request');
    expect(created.reference).to.be.a('string');
  });
});
