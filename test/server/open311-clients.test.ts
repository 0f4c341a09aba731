/**
 * The Open311 door in XML and JSON, called exactly as real clients call it: FixMyStreet's
 * `perllib/Open311.pm` (XML by default, form-encoded POSTs with `api_key`, `jurisdiction_id`,
 * repeated `media_url` and `attribute[x]`, mySociety's `servicerequestupdates`), the SeeClickFix
 * open311-validator and Code for America's node client (test/server/fixtures/open311/README.md).
 * Every XML answer is parsed by a strict well-formedness parser and read the way each client
 * reads it (XML::Simple for FixMyStreet, MultiXml for the validator).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RunningServer } from '../../demo/server/server.js';
import { bearer, call, GARDEN, noiseRequest, start, storageConfigs } from './helpers.js';
import { elementPaths, multiXml, parseXml, xmlSimple, type Multi, type Simple } from './fixtures/open311/xml.js';
import {
  fixMyStreetError,
  fixMyStreetRequestId,
  fixMyStreetServiceRequest,
  fixMyStreetState,
  fixMyStreetUpdate,
  fixMyStreetUpdateId,
  fixMyStreetUpdatesQuery,
  nodeClientHeaders,
  nodeClientPostPath,
  validatorCreate,
  type Pairs,
} from './fixtures/open311/clients.js';

const API_KEY = 'fms-key-1';
const shape = (name: string) => readFileSync(new URL(`./fixtures/open311/shapes/${name}`, import.meta.url), 'utf8');

interface Answer {
  status: number;
  type: string;
  text: string;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function read(res: Response): Promise<Answer> {
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function postForm(url: string, pairs: Pairs, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams(pairs), headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** text/xml with its charset, well-formed; the parsed root. */
function xmlAnswer(a: Answer, status = 200) {
  assert.equal(a.status, status, a.text.slice(0, 300));
  assert.equal(a.type, 'text/xml; charset=utf-8');
  assert.ok(a.text.startsWith('<?xml version="1.0" encoding="utf-8"?>'));
  return parseXml(a.text);
}

function jsonAnswer<T = any>(a: Answer, status = 200): T {
  assert.equal(a.status, status, a.text.slice(0, 300));
  assert.match(a.type, /^application\/json/);
  return JSON.parse(a.text) as T;
}

/** Every element path of the real server's answer (one of shapes/) is in ours. */
function hasShapeOf(ours: string, fixture: string) {
  const mine = elementPaths(parseXml(ours));
  for (const path of elementPaths(parseXml(shape(fixture)))) assert.ok(mine.has(path), `${fixture}: ${path} is in the answer`);
}

/** A noise report as FixMyStreet sends it: two photos, a multi-value extra field repeated. */
const fmsNoise = (extra: Partial<Parameters<typeof fixMyStreetServiceRequest>[0]> = {}) =>
  fixMyStreetServiceRequest({
    serviceCode: 'noise',
    jurisdiction: GARDEN,
    apiKey: API_KEY,
    title: 'Drilling at night',
    detail: 'Building work every night after 23:00 next to block 3.',
    url: 'https://fixmystreet.example/report/4021',
    name: 'Li Na',
    email: 'li@example.com',
    lat: 23.1291,
    long: 113.2644,
    photos: ['https://fixmystreet.example/photo/4021.0.full.jpeg', 'https://fixmystreet.example/photo/4021.1.full.jpeg'],
    attributes: { source: 'construction', occurred_at: '2026-11-27T23:00:00+08:00', when: ['night', 'weekend'] },
    ...extra,
  });

for (const config of storageConfigs()) {
  describe(`Open311 door as real clients call it (${config.name})`, () => {
    let server: RunningServer;
    let door: string;
    let api: string;
    const staff = () => bearer(server.staffToken);
    before(async () => {
      server = await start(config, { open311ApiKey: API_KEY });
      door = server.open311Base;
      api = server.apiBase;
    });
    after(async () => {
      await server?.close();
      await config.cleanup();
    });

    test('FixMyStreet files over XML: send_service_request gets the id (not 0), both photos and the repeated attribute are kept', async () => {
      const answer = await postForm(`${door}/requests.xml`, fmsNoise());
      xmlAnswer(answer, 201);
      hasShapeOf(answer.text, 'adapter-post-request.xml');
      const id = fixMyStreetRequestId(answer.text);
      assert.notEqual(id, 0, 'FixMyStreet reads an id and will not send it again');
      assert.match(String(id), /^RS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);

      const detail = (await call(api, `/staff/requests/${id}`, { headers: staff() })).body;
      assert.equal(detail.channel, 'open311');
      assert.equal(detail.mediaUrl, 'https://fixmystreet.example/photo/4021.0.full.jpeg\nhttps://fixmystreet.example/photo/4021.1.full.jpeg');
      const fields = Object.fromEntries(detail.fields.map((f: { id: string; value: unknown }) => [f.id, f.value]));
      assert.deepEqual(fields.when, ['night', 'weekend']);
      assert.equal(fields.source, 'construction');
      assert.match(detail.description, /^title: Drilling at night\n\ndetail: Building work/);

      // The same report over JSON: the array form, whose first item a JSON client reads.
      const json = jsonAnswer(await postForm(`${door}/requests.json`, fmsNoise()), 201);
      assert.ok(Array.isArray(json));
      assert.match(json[0].service_request_id, /^RS-/);
      assert.equal(typeof json[0].token, 'string');
      // What FixMyStreet's XML reader makes of a JSON answer: nothing — why it got 0 before.
      assert.equal(fixMyStreetRequestId(JSON.stringify(json)), 0);

      // The token resolves in both formats, as get_service_request_id_from_token reads it.
      const token = await get(`${door}/tokens/${json[0].token}.xml?jurisdiction_id=${encodeURIComponent(GARDEN)}`);
      xmlAnswer(token);
      assert.equal(fixMyStreetRequestId(token.text), json[0].service_request_id);

      // GET requests/{id}.xml: one request, GeoReport v2's fields, the first photo as media_url.
      const one = await get(`${door}/requests/${id}.xml?jurisdiction_id=${encodeURIComponent(GARDEN)}`);
      xmlAnswer(one);
      hasShapeOf(one.text, 'adapter-requests.xml');
      const read = (xmlSimple(one.text).request as Record<string, Simple>[])[0]!;
      assert.equal(read.service_request_id, id);
      assert.equal(read.status, 'open');
      assert.equal(read.media_url, 'https://fixmystreet.example/photo/4021.0.full.jpeg');
      assert.equal(read.lat, '23.1291');
      assert.equal(read.status_notes, undefined, 'an empty element is undef to XML::Simple');
      const asJson = jsonAnswer(await get(`${door}/requests/${id}.json`))[0];
      for (const [k, value] of Object.entries(asJson)) {
        assert.equal(read[k], value === null ? undefined : String(value), `${k} is the same in XML and JSON`);
      }
    });

    test('errors on .xml calls are <errors><error><code/><description/></error></errors>, as FixMyStreet’s _process_error reads them', async () => {
      const missing = await postForm(`${door}/requests.xml`, fmsNoise().filter(([k]) => k !== 'service_code'), { 'accept-language': 'en' });
      xmlAnswer(missing, 400);
      hasShapeOf(missing.text, 'adapter-error.xml');
      assert.equal(fixMyStreetError(missing.text), '400: service_code: Required\n');

      const wrongKey = await postForm(`${door}/requests.xml`, fmsNoise({ apiKey: 'nope' }));
      xmlAnswer(wrongKey, 403);
      assert.match(fixMyStreetError(wrongKey.text), /^403: api_key/);

      const cases: [string, number][] = [
        ['/services/nothing.xml', 404],
        ['/requests/RS-0000-0000-0.xml', 404],
        ['/tokens/nothing.xml', 404],
        ['/services.xml?jurisdiction_id=atlantis', 404],
        ['/requests.xml?start_date=yesterday', 400],
        ['/servicerequestupdates.xml?end_date=soon', 400],
        ['/nothing.xml', 404],
        ['/services/noise.yaml', 404],
        ['/nothing', 404],
      ];
      for (const [path, status] of cases) {
        const res = await get(door + path);
        xmlAnswer(res, status);
        assert.match(fixMyStreetError(res.text), new RegExp(`^${status}: `), path);
      }
      // An origin not on the allow-list, a body too big: XML too on .xml paths.
      xmlAnswer(await get(`${door}/services.xml`, { origin: 'http://evil.test' }), 403);
      xmlAnswer(await postForm(`${door}/requests.xml`, [...fmsNoise(), ['padding', 'x'.repeat(70 * 1024)]]), 413);
      // .json paths keep the JSON shape.
      const jsonError = jsonAnswer(await get(`${door}/services/nothing.json`), 404);
      assert.deepEqual(Object.keys(jsonError[0]).sort(), ['code', 'description']);
    });

    test('XML escapes what residents write; characters XML cannot carry become U+FFFD', async () => {
      const text = 'Pipes & drains: "3" < \'5\' ]]> at no. 3\u0001 line one\r\nline two 噪音 شاۋقۇن';
      const pairs = fmsNoise().map(([k, val]): [string, string] => [k, k === 'description' ? text : val]);
      const id = fixMyStreetRequestId((await postForm(`${door}/requests.xml`, pairs)).text);
      assert.notEqual(id, 0);
      const one = await get(`${door}/requests/${id}.xml`);
      const root = xmlAnswer(one);
      const request = root.children.find((c) => c.name === 'request')!;
      assert.equal(request.children.find((c) => c.name === 'description')!.text, text.replace('\u0001', '\uFFFD'));
      assert.equal(jsonAnswer(await get(`${door}/requests/${id}.json`))[0].description, text, 'JSON keeps it as stored');
    });

    test('services and service definitions in XML and JSON say the same, in GeoReport v2’s shapes', async () => {
      const xml = await get(`${door}/services.xml?jurisdiction_id=${encodeURIComponent(GARDEN)}&locale=en`);
      xmlAnswer(xml);
      hasShapeOf(xml.text, 'adapter-services.xml');
      const json = jsonAnswer<{ service_code: string; service_name: string; metadata: boolean }[]>(await get(`${door}/services.json?jurisdiction_id=${encodeURIComponent(GARDEN)}&locale=en`));
      const services = xmlSimple(xml.text).service as Record<string, Simple>[];
      assert.deepEqual(services.map((s) => s.service_code), json.map((s) => s.service_code));
      assert.deepEqual(services.map((s) => s.service_name), json.map((s) => s.service_name));
      assert.ok(services.every((s) => s.metadata === 'true'));

      for (const s of json) {
        const defXml = await get(`${door}/services/${s.service_code}.xml?jurisdiction_id=${encodeURIComponent(GARDEN)}&locale=en`);
        xmlAnswer(defXml);
        hasShapeOf(defXml.text, 'adapter-service-definition.xml');
        const def = jsonAnswer(await get(`${door}/services/${s.service_code}.json?jurisdiction_id=${encodeURIComponent(GARDEN)}&locale=en`));
        const read = xmlSimple(defXml.text);
        assert.equal(read.service_code, def.service_code);
        const attributes = read.attributes as Record<string, Simple>[];
        assert.equal(attributes.length, def.attributes.length);
        def.attributes.forEach((a: Record<string, unknown>, i: number) => {
          const x = attributes[i]!;
          for (const k of ['code', 'datatype', 'description', 'order', 'required', 'variable']) assert.equal(x[k], String(a[k]), `${s.service_code} ${a.code} ${k}`);
          const values = (a.values as { key: string; name: string }[] | undefined) ?? [];
          assert.deepEqual((x.values as Record<string, Simple>[] | undefined) ?? [], values.map((val) => ({ key: val.key, name: val.name })));
        });
      }
    });

    test('servicerequestupdates: staff replies, notes and status changes as FixMyStreet fetches them, in its states', async () => {
      const id = fixMyStreetRequestId((await postForm(`${door}/requests.xml`, fmsNoise())).text) as string;
      const since = new Date(Date.now() - 2 * 3600_000);
      assert.equal((await call(api, `/staff/requests/${id}/route`, { body: { department: 'market-regulation', note: 'A business is the source' }, headers: staff() })).status, 200);
      assert.equal((await call(api, `/staff/requests/${id}/reply`, { body: { text: 'We have told the builder to stop at 22:00 & keep it so.' }, headers: staff() })).status, 200);
      assert.equal((await call(api, `/staff/requests/${id}/status`, { body: { status: 'resolved', note: 'Checked on site: quiet now.' }, headers: staff() })).status, 200);

      const query = fixMyStreetUpdatesQuery({ jurisdiction: GARDEN, apiKey: API_KEY, start: since, end: new Date(Date.now() + 60_000) });
      const xml = await get(`${door}/servicerequestupdates.xml?${query}`);
      xmlAnswer(xml);
      hasShapeOf(xml.text, 'adapter-updates.xml');
      const updates = (xmlSimple(xml.text).request_update as Record<string, Simple>[]).filter((u) => u.service_request_id === id);
      assert.deepEqual(updates.map((u) => [u.status, u.description]), [
        ['open', 'A business is the source'],
        ['in_progress', 'We have told the builder to stop at 22:00 & keep it so.'],
        ['fixed', 'Checked on site: quiet now.'],
      ]);
      assert.deepEqual(updates.map((u) => fixMyStreetState(u.status as string)), ['confirmed', 'in progress', 'fixed - council']);
      assert.deepEqual(updates.map((u) => u.external_status_code), ['routed', 'replied', 'resolved']);
      assert.equal(new Set(updates.map((u) => u.update_id)).size, 3, 'each update has its own id (FixMyStreet skips ids it has)');
      for (const u of updates) assert.ok(!Number.isNaN(Date.parse(u.updated_datetime as string)));
      // The same in JSON.
      const json = jsonAnswer<{ update_id: string; status: string }[]>(await get(`${door}/servicerequestupdates.json?${query}`));
      assert.deepEqual(json.filter((u) => updates.some((x) => x.update_id === u.update_id)).map((u) => u.status), ['open', 'in_progress', 'fixed']);
      // A window before it all: nothing for it.
      const before = fixMyStreetUpdatesQuery({ jurisdiction: GARDEN, start: new Date('2000-01-01T00:00:00Z'), end: new Date('2000-01-02T00:00:00Z') });
      const empty = await get(`${door}/servicerequestupdates.xml?${before}`);
      xmlAnswer(empty);
      assert.deepEqual(xmlSimple(empty.text), {}, '<service_request_updates> with no request_update');
      // Requests filed through the widget stay out, as in GET requests.
      const widget = await call(api, '/requests', { body: noiseRequest() });
      await call(api, `/staff/requests/${widget.body.reference}/reply`, { body: { text: 'A private answer' }, headers: staff() });
      const all = await get(`${door}/servicerequestupdates.xml?${query.replace(/jurisdiction_id=[^&]*/, 'jurisdiction_id=riverside')}`);
      assert.doesNotMatch(all.text, /A private answer/);
    });

    test('POST servicerequestupdates: a FixMyStreet comment becomes an internal note once; REOPEN reopens a resolved request', async () => {
      const id = fixMyStreetRequestId((await postForm(`${door}/requests.xml`, fmsNoise())).text) as string;
      const comment = fixMyStreetUpdate({
        serviceRequestId: id, jurisdiction: GARDEN, apiKey: API_KEY, status: 'OPEN', text: 'Still drilling at 01:00 tonight.',
        commentId: '38362', name: 'Li', email: 'li@example.com', at: new Date(), photo: 'https://fixmystreet.example/photo/c/38362.0.full.jpeg',
      });
      const posted = await postForm(`${door}/servicerequestupdates.xml`, comment);
      xmlAnswer(posted, 201);
      hasShapeOf(posted.text, 'adapter-post-update.xml');
      const updateId = fixMyStreetUpdateId(posted.text);
      assert.notEqual(updateId, 0);
      // Sent again (a retry): the same id, one note.
      assert.equal(fixMyStreetUpdateId((await postForm(`${door}/servicerequestupdates.xml`, comment)).text), updateId);
      let detail = (await call(api, `/staff/requests/${id}`, { headers: staff() })).body;
      const notes = detail.notes.filter((n: { text: string }) => n.text.includes('Still drilling'));
      assert.equal(notes.length, 1);
      assert.equal(notes[0].visibility, 'internal');
      assert.match(notes[0].text, /38362\.0\.full\.jpeg/);
      assert.doesNotMatch(JSON.stringify(notes), /li@example\.com/, 'the commenter’s email is not kept in the note');
      // Not public: the app's comment is not a status note.
      assert.equal(jsonAnswer(await get(`${door}/requests/${id}.json`))[0].status_notes, null);

      await call(api, `/staff/requests/${id}/reply`, { body: { text: 'The builder has stopped.' }, headers: staff() });
      assert.equal((await call(api, `/staff/requests/${id}/status`, { body: { status: 'resolved', note: 'Quiet now.' }, headers: staff() })).status, 200);
      const reopen = fixMyStreetUpdate({
        serviceRequestId: id, jurisdiction: GARDEN, apiKey: API_KEY, status: 'REOPEN', text: 'It started again.',
        commentId: '38363', name: 'Li Na', email: 'li@example.com', at: new Date(),
      });
      assert.notEqual(fixMyStreetUpdateId((await postForm(`${door}/servicerequestupdates.xml`, reopen)).text), 0);
      detail = (await call(api, `/staff/requests/${id}`, { headers: staff() })).body;
      assert.equal(detail.status, 'in_progress');
      assert.equal(jsonAnswer(await get(`${door}/requests/${id}.json`))[0].status, 'open');
      assert.ok(detail.notes.some((n: { text: string }) => /It started again\.\n\[Open311 status: REOPEN\]/.test(n.text)));

      // JSON works the same; refusals name the parameter, in XML for .xml.
      const json = jsonAnswer(await postForm(`${door}/servicerequestupdates.json`, fixMyStreetUpdate({ ...{ serviceRequestId: id, jurisdiction: GARDEN, apiKey: API_KEY, status: 'FIXED', text: 'Fixed now, thanks', commentId: '38364', name: 'Li', email: 'li@example.com', at: new Date() } })), 201);
      assert.equal(typeof json[0].update_id, 'string');
      const badStatus = await postForm(`${door}/servicerequestupdates.xml`, comment.map(([k, val]): [string, string] => [k, k === 'status' ? 'SOLVED' : val]), { 'accept-language': 'en' });
      xmlAnswer(badStatus, 400);
      assert.match(fixMyStreetError(badStatus.text), /^400: status: One of: UNCHANGED, OPEN, CLOSED, FIXED/);
      const unknown = await postForm(`${door}/servicerequestupdates.xml`, comment.map(([k, val]): [string, string] => [k, k === 'service_request_id' ? 'RS-0000-0000-0' : val]));
      xmlAnswer(unknown, 404);
      const widget = await call(api, '/requests', { body: noiseRequest() });
      const notOpen311 = await postForm(`${door}/servicerequestupdates.xml`, comment.map(([k, val]): [string, string] => [k, k === 'service_request_id' ? widget.body.reference : val]));
      xmlAnswer(notOpen311, 404);
      const noKey = await postForm(`${door}/servicerequestupdates.xml`, comment.filter(([k]) => k !== 'api_key'));
      xmlAnswer(noKey, 403);
    });

    test('answers in the language asked for: locale (query or form) and Accept-Language by quality', async () => {
      const names = async (headers: Record<string, string>, query = '') => {
        const xml = await get(`${door}/services.xml${query}`, headers);
        xmlAnswer(xml);
        return (xmlSimple(xml.text).service as Record<string, Simple>[]).find((s) => s.service_code === 'noise')!.service_name;
      };
      assert.equal(await names({}), '噪音扰民');
      assert.equal(await names({ 'accept-language': 'en-GB,en;q=0.9' }), 'Noise');
      assert.equal(await names({ 'accept-language': 'fr-FR, de;q=0.9, en;q=0.5' }), 'Noise', 'the first one the server has');
      assert.equal(await names({ 'accept-language': 'zh-CN;q=0.3, en;q=0.8' }), 'Noise', 'by quality, not by place');
      assert.equal(await names({ 'accept-language': 'en' }, '?locale=zh-CN'), '噪音扰民', 'locale wins');

      const required = async (pairs: Pairs, headers: Record<string, string>) =>
        fixMyStreetError((await postForm(`${door}/requests.xml`, pairs.filter(([k]) => k !== 'description'), headers)).text);
      assert.equal(await required([...fmsNoise(), ['locale', 'en']], {}), '400: description: Required\n', 'a form field locale');
      assert.equal(await required(fmsNoise(), { 'accept-language': 'en' }), '400: description: Required\n');
      assert.equal(await required(fmsNoise(), {}), '400: description: 必填\n');
      // zh-HK and ug, as catalogue/locales.ts reads the tags (zh-TW is the Traditional locale too).
      assert.equal(await required(fmsNoise(), { 'accept-language': 'zh-HK,zh;q=0.9' }), '400: description: 必須填寫\n');
      assert.equal(await required(fmsNoise(), { 'accept-language': 'zh-TW' }), '400: description: 必須填寫\n');
      assert.equal(await required(fmsNoise(), { 'accept-language': 'ug-CN' }), '400: description: چوقۇم تولدۇرۇلىدۇ\n');
      assert.equal(await required([...fmsNoise(), ['locale', 'ug']], { 'accept-language': 'en' }), '400: description: چوقۇم تولدۇرۇلىدۇ\n');
      assert.equal(await names({ 'accept-language': 'zh-HK' }), '噪音擾民', 'the catalogue in Traditional (OpenCC from zh-CN)');
      const hkNoise = (xmlSimple((await get(`${door}/services.xml?locale=zh-HK`)).text).service as Record<string, Simple>[]).find((s) => s.service_code === 'noise')!;
      assert.match(hkNoise.keywords as string, /噪音/);
      assert.doesNotMatch(hkNoise.keywords as string, /扰民|声音/, 'zh-HK keywords in Traditional characters');
      assert.equal(await names({ 'accept-language': 'ug' }), 'شاۋقۇن');
      assert.equal(await names({ 'accept-language': 'en' }, '?locale=klingon'), 'Noise', 'a locale the server does not have: the header decides');
    });

    test('the SeeClickFix validator: discovery in both formats, its URL joins, services, definitions and its create call', async () => {
      const discoveryUrl = `${door}/discovery`;
      const xml = await get(`${discoveryUrl}.xml`);
      xmlAnswer(xml);
      hasShapeOf(xml.text, 'spec-discovery.xml');
      const jsonRes = await get(`${discoveryUrl}.json`);
      assert.equal(jsonRes.type, 'application/json', "the validator's rule: discovery.json should be mime type application/json");
      const json = jsonAnswer(jsonRes);
      const x = (multiXml(xml.text).discovery as Record<string, Multi>);
      assert.ok(String(x.contact).trim() && String(json.contact).trim(), 'both formats have contacts');
      assert.ok(String(x.key_service).trim() && String(json.key_service).trim());
      for (const changeset of [x.changeset, json.changeset]) assert.ok(Date.parse(String(changeset)) < Date.now());
      const endpoint = (x.endpoints as Record<string, Multi>).endpoint as Record<string, Multi>;
      const formats = (endpoint.formats as Record<string, Multi>).format as Multi[];
      assert.ok(Array.isArray(formats), 'each endpoint should have an array of formats');
      assert.ok(formats.includes('text/xml'), 'all v2 endpoints should support xml');
      assert.deepEqual(json.endpoints[0].formats, ['text/xml', 'application/json']);
      assert.equal(endpoint.url, json.endpoints[0].url);
      assert.ok(!String(endpoint.url).endsWith('/'), 'the validator appends /services.xml');

      // Session#endpoint_array: each format of each endpoint; services.<fmt> unwrapped as services.service.
      let firstCode = '';
      for (const format of ['xml', 'json'] as const) {
        const res = await get(`${endpoint.url}/services.${format}?jurisdiction_id=${encodeURIComponent(GARDEN)}`);
        const services: { service_code: unknown; metadata: unknown }[] = format === 'xml'
          ? ((multiXml((xmlAnswer(res), res.text)).services as Record<string, Multi>).service as { service_code: Multi; metadata: Multi }[])
          : jsonAnswer(res);
        assert.ok(Array.isArray(services) && services.length > 0, 'there should be at least one service');
        assert.ok(services.every((s) => s.service_code));
        firstCode ||= String(services[0]!.service_code);
        for (const s of services) {
          if (!s.metadata || s.metadata === 'false') continue;
          const def = await get(`${endpoint.url}/services/${s.service_code}.${format}?jurisdiction_id=${encodeURIComponent(GARDEN)}`);
          if (format === 'xml') xmlAnswer(def);
          else jsonAnswer(def);
        }
      }
      // tests/create.rb: the answer should be something, and readable as XML.
      const created = await postForm(`${endpoint.url}/requests.xml`, validatorCreate({ apiKey: API_KEY, jurisdiction: GARDEN, serviceCode: firstCode, address: '新华路12号' }));
      assert.notEqual(created.text.trim(), '');
      parseXml(created.text);
      assert.match(created.type, /^text\/xml/);
    });

    test('Code for America’s node client: requests/json with everything in the query string and an empty body', async () => {
      const path = nodeClientPostPath({
        format: 'json', apiKey: API_KEY, jurisdiction: GARDEN,
        parameters: { service_code: 'noise', 'attribute[source]': 'dancing', 'attribute[occurred_at]': '2026-11-27T21:00', address_string: '210 East Centre Street', description: '广场舞太吵', media_url: 'http://twitpic.com/1n6s2k' },
      });
      const res = await fetch(`${door}/${path}`, { method: 'POST', headers: nodeClientHeaders('POST') });
      const got = await read(res);
      const body = jsonAnswer(got, 201);
      const id = body[0].service_request_id as string;
      const detail = (await call(api, `/staff/requests/${id}`, { headers: staff() })).body;
      assert.equal(detail.description, '广场舞太吵');
      assert.equal(detail.mediaUrl, 'http://twitpic.com/1n6s2k');
      // Its own call never carries service_code outside parameters: a readable 400 naming it, not a crash.
      const without = nodeClientPostPath({ format: 'json', apiKey: API_KEY, jurisdiction: GARDEN, parameters: { address_string: 'Block 3', description: 'Noise' } });
      const refused = await fetch(`${door}/${without}`, { method: 'POST', headers: nodeClientHeaders('POST') });
      assert.equal(refused.status, 400);
      assert.match((await refused.json())[0].description, /^service_code:/);
      // getServiceRequestList asks requests/json (GET, text/plain): the list.
      const list = await fetch(`${door}/requests/json?jurisdiction_id=${GARDEN}&service_code=noise`, { headers: nodeClientHeaders('GET') });
      assert.equal(list.status, 200);
      assert.ok((await list.json()).some((r: { service_request_id: string }) => r.service_request_id === id));
      // getServiceRequest and getServiceList use the dot as they should.
      assert.equal((await fetch(`${door}/requests/${id}.json?jurisdiction_id=${GARDEN}`, { headers: nodeClientHeaders('GET') })).status, 200);
    });
  });
}
