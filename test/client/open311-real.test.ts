import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import type { Catalog, FieldValue, RequestInput } from '../../src/client/protocol.js';
import { Open311Transport, type Open311AttemptLog } from '../../src/client/transports/open311.js';
import { dbName, deleteDb } from '../helpers/fake-backend.js';

// The widget's open311 transport against the reference server's own Open311 door
// (`<apiBase without /api/v1>/open311/v2`), started on first use by the runner's /__server.
describe('open311 transport against the reference server’s door', () => {
  let door = '';
  let api = '';
  let staffToken = '';
  let client: IntakeClient;
  let db: string;

  before(async function () {
    this.timeout(120_000);
    const body = (await (await fetch('/__server')).json()) as { api?: string; staffToken?: string; error?: string };
    if (!body.api) throw new Error(`The reference server did not start: ${body.error}`);
    api = body.api.replace(/\/+$/, '');
    staffToken = body.staffToken ?? '';
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

  /** Answers for a service's required fields, as a resident would give them. */
  function answers(catalog: Catalog, service = catalog.services[0]!): Record<string, FieldValue> {
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
    return fields;
  }

  it('reads the services as a catalogue, files a request and reads its status and agency', async function () {
    this.timeout(90_000);
    const catalog = await client.catalog();
    expect(catalog.capabilities).to.include({ chat: false, answers: false });
    expect(catalog.services.length).to.be.greaterThan(0);
    const service = catalog.services[0]!;
    // The door's request_type attribute becomes the service's kinds, not a field.
    expect(service.fields.map((f) => f.id)).to.not.include('request_type');
    expect(service.fields.find((f) => f.id === 'reply_promise')?.readOnly).to.equal(true);
    const delivery = await client.submitRequest({
      service: service.id,
      type: service.kinds[0]!,
      description: 'Street light out on Garden Road, filed over Open311.',
      fields: answers(catalog, service),
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
  async function staff(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${api}/staff${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${staffToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`staff ${path}: ${response.status} ${await response.text()}`);
  }

  const memoryLog = (): Open311AttemptLog => {
    const attempts = new Map<string, ReturnType<Open311AttemptLog['get']>>();
    const claimed = new Set<string>();
    return { get: (k) => attempts.get(k), put: (a) => void attempts.set(a.key, a), delete: (k) => void attempts.delete(k), claimed: () => new Set(claimed), claim: (id) => void claimed.add(id) };
  };

  for (const format of ['xml', 'json'] as const) {
    it(`in ${format.toUpperCase()}: files, and staff's route note and resolve reach the resident through servicerequestupdates`, async function () {
      this.timeout(90_000);
      const transport = new Open311Transport({ endpoint: door, site: 'riverside/xinhua/garden', jurisdiction: 'riverside/xinhua/garden', locale: 'en', timeoutMs: 15_000, format, attemptLog: memoryLog() });
      const catalog = await transport.catalog();
      const service = catalog.services[0]!;
      const input: RequestInput = {
        site: 'riverside/xinhua/garden',
        service: service.id,
        type: service.kinds[0]!,
        description: `Bins overflowing on Garden Road, filed over Open311 in ${format}.`,
        fields: answers(catalog),
        consent: { version: catalog.consent.version, given: true },
      };
      const created = await transport.createRequest(input, `real-${format}-${Date.now()}`);
      expect(created.reference).to.match(/^RS-/);
      await staff(`/requests/${encodeURIComponent(created.reference)}/route`, { department: 'xinhua-office', note: 'Passed to the street office cleaning team.' });
      await staff(`/requests/${encodeURIComponent(created.reference)}/status`, { status: 'in_progress' });
      await staff(`/requests/${encodeURIComponent(created.reference)}/status`, { status: 'resolved', note: 'The bins were emptied this morning.' });
      const detail = await transport.getRequest(created.reference, {});
      expect(detail.status).to.equal('resolved');
      expect(detail.routedTo.name).to.not.equal('');
      const texts = detail.replies.map((r) => r.text);
      expect(texts).to.include('The bins were emptied this morning.');
      expect(texts).to.include('Passed to the street office cleaning team.');
      expect(new Set(texts).size, 'no reply twice').to.equal(texts.length);
      expect(detail.timeline.map((e) => e.status)).to.include('resolved');
    });
  }
});
