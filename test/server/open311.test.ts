/**
 * The reference server's Open311 GeoReport v2 door, driven by plain HTTP as an Open311 app drives
 * it: form-encoded POSTs, JSON answers, `[{code, description}]` errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, noiseRequest, start, storageConfigs } from './helpers.js';

type Pairs = [string, string][];

/** A GET on the door; the body parsed as JSON. */
async function get<T = any>(base: string, path: string): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(base + path);
  const type = res.headers.get('content-type') ?? '';
  assert.match(type, /application\/json/, `${path} answers JSON`);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

/** A form-encoded POST (as GeoReport v2 says), repeated names allowed. */
async function post<T = any>(base: string, path: string, pairs: Pairs, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method: 'POST', body: new URLSearchParams(pairs), headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

/** A noise report as an Open311 app files it. */
function noiseReport(extra: Pairs = []): Pairs {
  return [
    ['jurisdiction_id', GARDEN],
    ['service_code', 'noise'],
    ['attribute[source]', 'construction'],
    ['attribute[occurred_at]', '2026-11-27T23:00:00+08:00'],
    ['attribute[when][]', 'night'],
    ['attribute[when][]', 'weekend'],
    ['lat', '23.1291'],
    ['long', '113.2644'],
    ['address_string', '新华路12号'],
    ['description', 'Building work every night after 23:00 next to block 3.'],
    ['email', 'li@example.com'],
    ['first_name', 'Li'],
    ['last_name', 'Na'],
    ['phone', '13900000000'],
    ['media_url', 'https://photos.example.org/noise/1.jpg'],
    ...extra,
  ];
}

/** `[{code, description}]` with the given code, and nothing that looks like a stack or SQL. */
function open311Error(body: unknown, code: number, mentions?: RegExp) {
  assert.ok(Array.isArray(body), 'an array of errors');
  assert.ok(body.length >= 1);
  for (const e of body as { code: unknown; description: unknown }[]) {
    assert.deepEqual(Object.keys(e).sort(), ['code', 'description']);
    assert.equal(e.code, code);
    assert.equal(typeof e.description, 'string');
  }
  assert.doesNotMatch(JSON.stringify(body), /SELECT|INSERT|at .*\.ts:\d+|stack/i);
  if (mentions) assert.ok((body as { description: string }[]).some((e) => mentions.test(e.description)), `an error mentions ${mentions}`);
}

for (const config of storageConfigs()) {
  describe(`Open311 door (${config.name})`, () => {
    let server: RunningServer;
    let door: string;
    let api: string;
    const staff = () => bearer(server.staffToken);
    before(async () => {
      server = await start(config);
      door = server.open311Base;
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('services.json lists the catalogue’s services', async () => {
      const res = await get(door, '/services.json?jurisdiction_id=riverside&locale=en');
      assert.equal(res.status, 200);
      assert.ok(res.body.length >= 10);
      const noise = res.body.find((s: { service_code: string }) => s.service_code === 'noise');
      assert.deepEqual(Object.keys(noise).sort(), ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
      assert.equal(noise.service_name, 'Noise');
      assert.equal(noise.metadata, true);
      assert.equal(noise.type, 'realtime');
      assert.match(noise.keywords, /noise/);
      assert.equal(typeof noise.group, 'string');
      // No jurisdiction_id: the district.
      assert.equal((await get(door, '/services.json')).status, 200);
      const unknown = await get(door, '/services.json?jurisdiction_id=atlantis');
      assert.equal(unknown.status, 404);
      open311Error(unknown.body, 404, /jurisdiction_id/);
    });

    test('service definitions carry every datatype, list values, order and an informational attribute', async () => {
      const list = (await get(door, '/services.json?locale=en')).body as { service_code: string }[];
      const datatypes = new Set<string>();
      for (const s of list) {
        const def = await get(door, `/services/${s.service_code}.json?locale=en`);
        assert.equal(def.status, 200);
        assert.equal(def.body.service_code, s.service_code);
        def.body.attributes.forEach((a: { order: number; datatype: string }, i: number) => {
          assert.equal(a.order, i + 1);
          datatypes.add(a.datatype);
        });
      }
      assert.deepEqual([...datatypes].sort(), ['datetime', 'multivaluelist', 'number', 'singlevaluelist', 'string', 'text']);

      const noise = (await get(door, '/services/noise.json?locale=en')).body;
      const byCode = new Map<string, any>(noise.attributes.map((a: { code: string }) => [a.code, a]));
      assert.deepEqual(byCode.get('request_type').values.map((x: { key: string }) => x.key), ['complaint', 'consultation']);
      assert.equal(byCode.get('request_type').required, false);
      const source = byCode.get('source');
      assert.equal(source.datatype, 'singlevaluelist');
      assert.equal(source.required, true);
      assert.equal(source.variable, true);
      assert.equal(source.description, 'Source of the noise');
      assert.deepEqual(source.values[0], { key: 'construction', name: 'Building work' });
      assert.equal(byCode.get('occurred_at').datatype, 'datetime');
      assert.equal(byCode.get('when').datatype, 'multivaluelist');
      assert.ok(!byCode.has('location'), 'the location travels as lat/long/address_string, not as an attribute');
      const promise = byCode.get('reply_promise');
      assert.equal(promise.variable, false);
      assert.match(promise.description, /working day/);
      const dispute = (await get(door, '/services/neighbour-dispute.json')).body;
      assert.equal(dispute.attributes.find((a: { code: string }) => a.code === 'details').datatype, 'text');

      const missing = await get(door, '/services/nothing.json');
      assert.equal(missing.status, 404);
      open311Error(missing.body, 404, /service_code/);
      // XML is served too (test/server/open311-clients.test.ts); other extensions are not.
      const yaml = await get(door, '/services/noise.yaml.json');
      assert.equal(yaml.status, 404);
      open311Error(yaml.body, 404, /service_code/);
    });

    test('POST requests.json files into the same queue with the same routing; staff see the contact and fields', async () => {
      const res = await post(door, '/requests.json', noiseReport());
      assert.equal(res.status, 201);
      assert.equal(res.body.length, 1);
      const [answer] = res.body;
      assert.match(answer.service_request_id, /^RS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
      assert.equal(typeof answer.token, 'string');
      assert.match(answer.service_notice, /工作日|hours|小时/);

      const queue = await call(api, '/staff/queue?item=request', { headers: staff() });
      const item = queue.body.items.find((i: { reference: string }) => i.reference === answer.service_request_id);
      assert.ok(item, 'the request is in the staff queue');
      assert.equal(item.site.id, GARDEN);
      assert.equal(item.service.id, 'noise');
      assert.equal(item.kind, 'complaint');
      // The same route a widget request gets.
      const widget = await call(api, '/requests', { body: noiseRequest() });
      assert.equal(widget.status, 201);
      assert.equal(item.routedTo.id, widget.body.routedTo.id);

      const detail = (await call(api, `/staff/requests/${answer.service_request_id}?locale=en`, { headers: staff() })).body;
      assert.equal(detail.channel, 'open311');
      assert.equal(detail.mediaUrl, 'https://photos.example.org/noise/1.jpg');
      assert.equal(detail.contactHidden, 'on_demand', 'the contact is given on demand');
      const shown = (await call(api, `/staff/requests/${answer.service_request_id}/contact`, { method: 'POST', headers: staff() })).body;
      assert.deepEqual(shown.contact, { name: 'Li Na', email: 'li@example.com', phone: '13900000000', preferred: 'email' });
      const fields = Object.fromEntries(detail.fields.map((f: { id: string; value: unknown }) => [f.id, f.value]));
      assert.equal(fields.source, 'construction');
      assert.deepEqual(fields.when, ['night', 'weekend']);
      assert.deepEqual(fields.location, { lat: 23.1291, lng: 113.2644, address: '新华路12号' });
      assert.equal(detail.status, 'routed');

      const token = await get(door, `/tokens/${answer.token}.json`);
      assert.deepEqual(token.body, [{ service_request_id: answer.service_request_id, token: answer.token }]);
      const noToken = await get(door, '/tokens/not-a-token.json');
      assert.equal(noToken.status, 404);
      open311Error(noToken.body, 404);
    });

    test('requests/{id}.json follows the staff: open → closed, status_notes, agency, expected and updated times', async () => {
      const [filed] = (await post(door, '/requests.json', noiseReport(), { 'accept-language': 'en' })).body;
      const id = filed.service_request_id as string;
      const first = (await get(door, `/requests/${id}.json?locale=en`)).body[0];
      assert.equal(first.service_request_id, id);
      assert.equal(first.status, 'open');
      assert.equal(first.service_code, 'noise');
      assert.equal(first.service_name, 'Noise');
      assert.equal(typeof first.agency_responsible, 'string');
      assert.ok(first.agency_responsible.length > 0);
      assert.equal(first.status_notes, null);
      assert.ok(!Number.isNaN(Date.parse(first.requested_datetime)));
      assert.ok(Date.parse(first.expected_datetime) > Date.parse(first.requested_datetime));
      assert.equal(first.address, '新华路12号');
      assert.equal(first.lat, 23.1291);
      assert.equal(first.long, 113.2644);
      assert.equal(first.media_url, 'https://photos.example.org/noise/1.jpg');
      for (const key of ['email', 'phone', 'first_name', 'last_name', 'contact']) assert.ok(!(key in first), `no ${key} in a public answer`);

      const route = await call(api, `/staff/requests/${id}/route`, { body: { department: 'market-regulation', note: 'A business is the source' }, headers: staff() });
      assert.equal(route.status, 200);
      const routed = (await get(door, `/requests/${id}.json?locale=en`)).body[0];
      assert.equal(routed.agency_responsible, 'District Market Regulation Bureau');
      assert.equal(routed.status_notes, 'A business is the source');
      assert.ok(routed.updated_datetime >= first.updated_datetime);

      await call(api, `/staff/requests/${id}/reply`, { body: { text: 'We have told the builder to stop at 22:00.' }, headers: staff() });
      const replied = (await get(door, `/requests/${id}.json?locale=en`)).body[0];
      assert.equal(replied.status, 'open');
      assert.equal(replied.status_notes, 'We have told the builder to stop at 22:00.');

      await call(api, `/staff/requests/${id}/status`, { body: { status: 'resolved', note: 'Checked on site: quiet now.' }, headers: staff() });
      const resolved = (await get(door, `/requests/${id}.json`)).body[0];
      assert.equal(resolved.status, 'closed');
      assert.equal(resolved.status_notes, 'Checked on site: quiet now.');
      await call(api, `/staff/requests/${id}/status`, { body: { status: 'in_progress' }, headers: staff() });
      assert.equal((await get(door, `/requests/${id}.json`)).body[0].status, 'open');

      const unknown = await get(door, '/requests/RS-19990101-0001.json');
      assert.equal(unknown.status, 404);
      open311Error(unknown.body, 404, /service_request_id/);
    });

    test('GET requests.json: ids, service_code, status and date filters; widget requests are not listed', async () => {
      const [a] = (await post(door, '/requests.json', noiseReport())).body;
      const [b] = (await post(door, '/requests.json', [
        ['jurisdiction_id', GARDEN], ['service_code', 'water-outage'], ['attribute[since]', '2026-11-28T06:00'],
        ['attribute[households]', '12'], ['address_string', '新华路8号'], ['description', 'No water since six this morning.'],
      ])).body;
      const widget = await call(api, '/requests', { body: noiseRequest() });

      const byIds = (await get(door, `/requests.json?service_request_id=${a.service_request_id},${b.service_request_id},${widget.body.reference}`)).body;
      assert.deepEqual(byIds.map((r: { service_request_id: string }) => r.service_request_id).sort(), [a.service_request_id, b.service_request_id].sort());

      const water = (await get(door, `/requests.json?jurisdiction_id=${GARDEN}&service_code=water-outage`)).body;
      assert.ok(water.some((r: { service_request_id: string }) => r.service_request_id === b.service_request_id));
      assert.ok(water.every((r: { service_code: string }) => r.service_code === 'water-outage'));

      const all = (await get(door, '/requests.json')).body as { service_request_id: string; requested_datetime: string }[];
      assert.ok(all.some((r) => r.service_request_id === a.service_request_id), 'the district sees its communities');
      assert.ok(!all.some((r) => r.service_request_id === widget.body.reference), 'widget requests stay out of the public list');
      for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.requested_datetime >= all[i]!.requested_datetime, 'newest first');

      await call(api, `/staff/requests/${b.service_request_id}/status`, { body: { status: 'closed' }, headers: staff() });
      const closed = (await get(door, '/requests.json?status=closed')).body as { service_request_id: string; status: string }[];
      assert.ok(closed.some((r) => r.service_request_id === b.service_request_id));
      assert.ok(closed.every((r) => r.status === 'closed'));
      const open = (await get(door, '/requests.json?status=open')).body as { service_request_id: string; status: string }[];
      assert.ok(!open.some((r) => r.service_request_id === b.service_request_id));
      assert.equal((await get(door, '/requests.json?status=open,closed')).body.length, all.length);

      const future = (await get(door, '/requests.json?start_date=2100-01-01T00:00:00Z')).body;
      assert.deepEqual(future, []);
      const past = (await get(door, '/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-12-31T00:00:00Z')).body;
      assert.deepEqual(past, []);
      const badDate = await get(door, '/requests.json?start_date=yesterday');
      assert.equal(badDate.status, 400);
      open311Error(badDate.body, 400, /start_date/);
      const badStatus = await get(door, '/requests.json?status=pending');
      assert.equal(badStatus.status, 400);
      open311Error(badStatus.body, 400, /status/);
    });

    test('attribute parsing: multi values as attribute[code][] or repeated, numbers, dates from datetimes, request_type', async () => {
      const [filed] = (await post(door, '/requests.json', [
        ['jurisdiction_id', GARDEN], ['service_code', 'street-cleaning'],
        ['attribute[issue][]', 'litter'], ['attribute[issue]', 'tree'], ['attribute[issue][]', 'litter'],
        ['attribute[request_type]', 'suggestion'], ['attribute[unknown]', 'ignored'],
        ['lat', '23.1'], ['long', '113.2'], ['description', 'Litter under the trees by the school gate.'],
      ])).body;
      const detail = (await call(api, `/staff/requests/${filed.service_request_id}`, { headers: staff() })).body;
      const fields = Object.fromEntries(detail.fields.map((f: { id: string; value: unknown }) => [f.id, f.value]));
      assert.deepEqual(fields.issue, ['litter', 'tree']);
      assert.equal(detail.type, 'suggestion');
      assert.equal(detail.contact, null, 'no contact given: anonymous');

      const [water] = (await post(door, '/requests.json', [
        ['service_code', 'water-outage'], ['attribute[since]', '2026-11-28T06:00'], ['attribute[households]', '40'],
        ['lat', '23.1'], ['long', '113.2'], ['description', 'Low pressure in the whole building.'],
      ])).body;
      const waterDetail = (await call(api, `/staff/requests/${water.service_request_id}`, { headers: staff() })).body;
      assert.equal(waterDetail.site.id, 'riverside', 'no jurisdiction_id: the district');
      assert.equal(waterDetail.fields.find((f: { id: string }) => f.id === 'households').value, 40);
      assert.equal(waterDetail.type, 'help');

      const [rubbish] = (await post(door, '/requests.json', [
        ['jurisdiction_id', GARDEN], ['service_code', 'rubbish-collection'], ['attribute[bin_type]', 'kitchen'],
        ['attribute[missed_on]', '2026-11-27T07:00:00+08:00'], ['address_string', 'Block 3'], ['description', 'Food waste not collected.'],
      ])).body;
      const rubbishDetail = (await call(api, `/staff/requests/${rubbish.service_request_id}`, { headers: staff() })).body;
      assert.equal(rubbishDetail.fields.find((f: { id: string }) => f.id === 'missed_on').value, '2026-11-27');

      // A service without a location field still keeps the location an app sends.
      const [pension] = (await post(door, '/requests.json', [
        ['service_code', 'pension'], ['attribute[topics][]', (await firstOption('pension', 'topics'))],
        ['address_string', 'Heping Road 5'], ['description', 'When can I draw my pension?'],
      ])).body;
      const pensionDetail = (await call(api, `/staff/requests/${pension.service_request_id}?locale=en`, { headers: staff() })).body;
      assert.deepEqual(pensionDetail.fields.find((f: { id: string }) => f.id === 'location').value, { address: 'Heping Road 5' });
      assert.equal((await get(door, `/requests/${pension.service_request_id}.json`)).body[0].address, 'Heping Road 5');
    });

    async function firstOption(service: string, code: string): Promise<string> {
      const def = (await get(door, `/services/${service}.json`)).body;
      return def.attributes.find((a: { code: string }) => a.code === code).values[0].key;
    }

    test('errors: [{code, description}] with 400 / 404, naming the parameter', async () => {
      const cases: { pairs: Pairs; status: number; mentions: RegExp }[] = [
        { pairs: noiseReport().filter(([k]) => k !== 'service_code'), status: 400, mentions: /^service_code:/ },
        { pairs: [...noiseReport().filter(([k]) => k !== 'service_code'), ['service_code', 'nothing']], status: 404, mentions: /^service_code:/ },
        { pairs: [...noiseReport().filter(([k]) => k !== 'jurisdiction_id'), ['jurisdiction_id', 'atlantis']], status: 404, mentions: /^jurisdiction_id:/ },
        { pairs: noiseReport().filter(([k]) => k !== 'description'), status: 400, mentions: /^description:/ },
        { pairs: [...noiseReport().filter(([k]) => k !== 'description'), ['description', 'x'.repeat(4001)]], status: 400, mentions: /^description: .*4000/ },
        { pairs: [...noiseReport().filter(([k]) => k !== 'description'), ['description', 'Hello <b>there</b>']], status: 400, mentions: /^description: .*HTML/ },
        { pairs: noiseReport().filter(([k]) => !['lat', 'long', 'address_string'].includes(k)), status: 400, mentions: /^lat:/ },
        { pairs: [...noiseReport().filter(([k]) => k !== 'lat'), ['lat', '123']], status: 400, mentions: /^lat:/ },
        { pairs: noiseReport().filter(([k]) => k !== 'long'), status: 400, mentions: /^long:|^lat:/ },
        { pairs: [...noiseReport().filter(([k]) => k !== 'attribute[source]'), ['attribute[source]', 'aliens']], status: 400, mentions: /^attribute\[source\]:/ },
        { pairs: noiseReport().filter(([k]) => k !== 'attribute[source]'), status: 400, mentions: /^attribute\[source\]:/ },
        { pairs: [...noiseReport(), ['attribute[source]', 'business']], status: 400, mentions: /^attribute\[source\]:/ },
        { pairs: [...noiseReport(), ['attribute[request_type]', 'help']], status: 400, mentions: /^attribute\[request_type\]:/ },
        { pairs: [...noiseReport().filter(([k]) => k !== 'email'), ['email', 'not an email']], status: 400, mentions: /^email:/ },
        { pairs: [...noiseReport().filter(([k]) => k !== 'media_url'), ['media_url', 'javascript:alert(1)']], status: 400, mentions: /^media_url:/ },
      ];
      for (const { pairs, status, mentions } of cases) {
        const res = await post(door, '/requests.json', pairs, { 'accept-language': 'en' });
        assert.equal(res.status, status, `${mentions}: ${JSON.stringify(res.body)}`);
        open311Error(res.body, status, mentions);
        // Messages never echo what was sent.
        assert.doesNotMatch(JSON.stringify(res.body), /not an email|aliens|javascript:/);
      }
      const json = await fetch(`${door}/requests.json`, { method: 'POST', body: JSON.stringify({ service_code: 'noise' }), headers: { 'content-type': 'application/json' } });
      assert.equal(json.status, 400);
      open311Error(await json.json(), 400);
      const big = await post(door, '/requests.json', [...noiseReport(), ['padding', 'x'.repeat(70 * 1024)]]);
      assert.equal(big.status, 413);
      open311Error(big.body, 413);
      const nowhere = await get(door, '/nothing.json');
      assert.equal(nowhere.status, 404);
      open311Error(nowhere.body, 404);
      // An origin not on the allow-list gets the Open311 shape too.
      const refused = await fetch(`${door}/services.json`, { headers: { origin: 'http://evil.test' } });
      assert.equal(refused.status, 403);
      open311Error(await refused.json(), 403);
      // Multipart bodies are read like form-encoded ones.
      const form = new FormData();
      for (const [k, val] of noiseReport()) form.append(k, val);
      const multipart = await fetch(`${door}/requests.json`, { method: 'POST', body: form });
      assert.equal(multipart.status, 201);
      await multipart.body?.cancel();
    });
  });
}

describe('Open311 door with an api_key and rate limits', () => {
  const config = storageConfigs()[0]!;
  let server: RunningServer;
  before(async () => {
    server = await start(config, { open311ApiKey: 'app-key-123', rateLimit: { windowMs: 60_000, writes: 4, reads: 1000 } });
  });
  after(async () => server?.close());

  test('POST needs the api_key; reading does not', async () => {
    const door = server.open311Base;
    const none = await post(door, '/requests.json', noiseReport());
    assert.equal(none.status, 403);
    open311Error(none.body, 403, /api_key/);
    const wrong = await post(door, '/requests.json', [...noiseReport(), ['api_key', 'app-key-124']]);
    assert.equal(wrong.status, 403);
    open311Error(wrong.body, 403, /api_key/);
    const right = await post(door, '/requests.json', [...noiseReport(), ['api_key', 'app-key-123']]);
    assert.equal(right.status, 201);
    assert.equal((await get(door, `/requests/${right.body[0].service_request_id}.json`)).status, 200);
    assert.equal((await get(door, '/services.json')).status, 200);
  });

  test('the same write limit as the rest: 429 with Retry-After in the Open311 shape', async () => {
    const door = server.open311Base;
    // The api_key test above spent three of the four writes for this client and site.
    const statuses: number[] = [];
    let limited: { status: number; headers: Headers; body: unknown } | null = null;
    for (let i = 0; i < 2; i++) {
      const res = await post(door, '/requests.json', [...noiseReport(), ['api_key', 'app-key-123']]);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    assert.deepEqual(statuses, [201, 429]);
    open311Error(limited!.body, 429);
    assert.ok(Number(limited!.headers.get('retry-after')) >= 1);
  });
});
