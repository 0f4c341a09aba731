import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import type { FieldValue } from '../../src/client/protocol.js';
import { dbName, deleteDb } from '../helpers/fake-backend.js';

// The widget's open311 transport against the reference server's own Open311 door
// (`<apiBase without /api/v1>/open311/v2`), started on first use by the runner's /__server.
describe('open311 transport against the reference server’s door', () => {
  let door = '';
  let client: IntakeClient;
  let db: string;

  before(async function () {
    this.timeout(120_000);
    const body = (await (await fetch('/__server')).json()) as { api?: string; error?: string };
    if (!body.api) throw new Error(`The reference server did not start: ${body.error}`);
    door = `${body.api.replace(/\/api\/v1\/?$/, '')}/open311/v2`;
  });

  beforeEach(async () => {
    db = dbName('open311-real');
    client = new IntakeClient({ endpoint: door, site: 'riverside/xinhua/garden', jurisdiction: 'riverside/xinhua/garden', transport: 'open311', locale: 'en', dbName: db, retry: { baseMs: 50, capMs: 500 } });
    await client.ready;
  });

  afterEach(async () => {
    client.close();
    await deleteDb(db);
  });

  it('reads the services as a catalogue, files a request and reads its status and agency', async function () {
    this.timeout(90_000);
    const catalog = await client.catalog();
    expect(catalog.capabilities).to.include({ chat: false, answers: false });
    expect(catalog.services.length).to.be.greaterThan(0);
    const service = catalog.services[0]!;
    // The door's request_type attribute becomes the service's kinds, not a field.
    expect(service.fields.map((f) => f.id)).to.not.include('request_type');
    expect(service.fields.find((f) => f.id === 'reply_promise')?.readOnly).to.equal(true);
    const fields: Record<string, FieldValue> = {};
    for (const field of service.fields) {
      if (!field.required || field.readOnly) continue;
      if (field.type === 'location') fields[field.id] = { lat: 31.2, lng: 121.5, address: 'Garden Road 3' };
      else if (field.type === 'single') fields[field.id] = field.options![0]!.value;
      else if (field.type === 'multi') fields[field.id] = [field.options![0]!.value];
      else if (field.type === 'number') fields[field.id] = 1;
      else if (field.type === 'datetime') fields[field.id] = '2026-11-27T23:00:00+08:00';
      else fields[field.id] = 'Test value';
    }
    const delivery = await client.submitRequest({
      service: service.id,
      type: service.kinds[0]!,
      description: 'Street light out on Garden Road, filed over Open311.',
      fields,
      consentVersion: catalog.consent.version,
    });
    const created = await delivery.done;
    expect(created.reference).to.match(/^RS-/);
    const detail = await client.getRequest(created.reference);
    expect(detail.reference).to.equal(created.reference);
    expect(detail.status).to.be.oneOf(['received', 'routed']);
    expect(detail.routedTo.name).to.be.a('string').and.not.equal('');
    expect(detail.description).to.equal('Street light out on Garden Road, filed over Open311.');
  });
});
