import { expect } from '@open-wc/testing';
import { IntakeError } from '../../src/client/errors.js';
import type { RequestInput } from '../../src/client/protocol.js';
import { readOpen311Xml } from '../../src/client/transports/open311-xml.js';
import { loadLocale } from '../../src/i18n/i18n.js';
import zhCN from '../../src/i18n/locales/zh-CN.json';
import { Open311Transport, detailOf, open311Error, open311Status, type Open311AttemptLog, type Open311Update } from '../../src/client/transports/open311.js';

// The transport against bodies recorded from deployed Open311 servers (see
// test/client/fixtures/open311/README.md for where each shape comes from), replayed by a stand-in
// `fetch`: each test says which answer each call gets, and checks what the transport sent.
const FIXTURES = '/test/client/fixtures/open311';
const BASE = 'https://council.example/open311';
const realFetch = globalThis.fetch;

async function fixture(name: string): Promise<string> {
  // JSON bodies are kept as .json.txt: the test server would serve a .json file as a module.
  const response = await realFetch(`${FIXTURES}/${name}${name.endsWith('.json') ? '.txt' : ''}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`fixture ${name}: ${response.status}`);
  const text = await response.text();
  // The test server may serve .json as a module: such a body is not what any server sends.
  if (/^\s*(?:export|var|import)\s/.test(text)) throw new Error(`fixture ${name} was served as a module`);
  return text;
}

interface Answer {
  status?: number;
  type?: string;
  body: string;
  headers?: Record<string, string>;
}
type Route = [method: string, pattern: RegExp, answer: Answer | ((url: URL, body: URLSearchParams) => Answer)];
interface Sent {
  method: string;
  url: URL;
  body: URLSearchParams;
  accept: string;
}


/** Replaces `fetch` with the routes; unmatched calls answer 404 (a server without that resource). */
function replay(routes: Route[]): Sent[] {
  const sent: Sent[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const body = new URLSearchParams(init?.body instanceof URLSearchParams ? init.body : '');
    sent.push({ method, url, body, accept: new Headers(init?.headers).get('accept') ?? '' });
    const route = routes.find(([m, pattern]) => m === method && pattern.test(url.pathname + url.search));
    if (!route) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const answer = typeof route[2] === 'function' ? route[2](url, body) : route[2];
    return new Response(answer.body, { status: answer.status ?? 200, headers: { 'content-type': answer.type ?? (answer.body.trimStart().startsWith('<') ? 'text/xml' : 'application/json'), ...answer.headers } });
  }) as typeof fetch;
  return sent;
}

function memoryLog(): Open311AttemptLog & { attempts: Map<string, NonNullable<ReturnType<Open311AttemptLog['get']>>> } {
  const attempts = new Map<string, NonNullable<ReturnType<Open311AttemptLog['get']>>>();
  const claimed = new Set<string>();
  return {
    attempts,
    get: (key) => attempts.get(key),
    put: (attempt) => void attempts.set(attempt.key, attempt),
    delete: (key) => void attempts.delete(key),
    claimed: () => new Set(claimed),
    claim: (id) => void claimed.add(id),
  };
}

function transport(extra: Partial<ConstructorParameters<typeof Open311Transport>[0]> = {}): Open311Transport {
  return new Open311Transport({ endpoint: BASE, site: 'council', locale: 'en', timeoutMs: 5000, tokenPollMs: 10, tokenWaitMs: 200, attemptLog: memoryLog(), ...extra });
}

const bins: RequestInput = {
  site: 'council',
  service: 'BINS',
  type: 'help',
  description: 'Bins not emptied on Mannerheimintie since Monday.',
  fields: { bins: ['a', 'c'], location: { lat: 60.1699, lng: 24.9384, address: 'Mannerheimintie 1' } },
  contact: { name: 'Bob Mould', email: 'bob@example.org', preferred: 'email' },
  consent: { version: 'open311', given: true },
};

const xml = (body: string): Answer => ({ body, type: 'text/xml' });
const json = (body: string, status = 200): Answer => ({ body, status, type: 'application/json' });

afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('open311 exchanges: mySociety open311-adapter', () => {
  it('reads an XML-only server: services, groups, a definition without its automated attributes', async () => {
    const services = await fixture('adapter-services.xml');
    const definition = await fixture('adapter-service-bins.xml');
    const sent = replay([
      ['GET', /\/services\.xml/, xml(services)],
      ['GET', /\/services\/BINS\.xml/, xml(definition)],
    ]);
    const catalog = await transport().catalog();
    // .json first, 404, then .xml — and XML from then on.
    expect(sent.map((s) => s.url.pathname)).to.deep.equal(['/open311/services.json', '/open311/services.xml', '/open311/services/BINS.xml']);
    expect(sent[1]!.accept).to.contain('xml');
    const [binsService, pot] = catalog.services;
    expect(binsService!.group).to.equal('Waste');
    expect(binsService!.keywords).to.deep.equal(['bin', 'collection', 'Street cleaning']);
    expect(pot!.group).to.equal('highways');
    // server_set and hidden_field are not asked; the notice is plain text.
    expect(binsService!.fields.map((f) => [f.id, f.type, f.required, f.readOnly])).to.deep.equal([
      ['service_type', 'text', false, true],
      ['bins', 'multi', true, false],
      ['notice', 'text', false, true],
      ['location', 'location', true, false],
    ]);
    expect(binsService!.fields[1]!.options!.map((o) => o.value)).to.deep.equal(['a', 'b', 'c']);
    expect(binsService!.fields[2]!.label).to.equal('Put bins out by 7am on collection day.');
  });

  it('JSON and XML of the same definition make the same catalogue', async () => {
    const catalogs = [];
    for (const format of ['json', 'xml'] as const) {
      replay([
        ['GET', new RegExp(`/services\\.${format}`), { body: await fixture(`adapter-services.${format}`) }],
        ['GET', new RegExp(`/services/BINS\\.${format}`), { body: await fixture(`adapter-service-bins.${format}`) }],
      ]);
      catalogs.push(await transport({ format }).catalog());
    }
    expect(catalogs[1]!.services).to.deep.equal(catalogs[0]!.services);
  });

  it('auto: brackets refused as a validator dump → sent again with repeated attribute[bins], with the constant, without automated ones', async () => {
    const refusal = await fixture('adapter-error-brackets.json');
    const answer = await fixture('adapter-post-answer.xml');
    const sent = replay([
      ['GET', /\/services\/BINS\.xml/, xml(await fixture('adapter-service-bins.xml'))],
      ['GET', /\/services\.xml/, xml(await fixture('adapter-services.xml'))],
      ['GET', /\/requests\/1\.xml/, xml(await fixture('adapter-request.xml'))],
      ['POST', /\/requests\.xml/, (_url, body) => (body.getAll('attribute[bins][]').length ? { ...json(refusal, 400) } : xml(answer))],
    ]);
    const t = transport();
    await t.catalog();
    const created = await t.createRequest(bins, 'k1');
    expect(created.reference).to.equal('1');
    expect(created.replyPromise?.text).to.equal('This is a test service');
    const posts = sent.filter((s) => s.method === 'POST');
    expect(posts).to.have.length(2);
    expect(posts[0]!.body.getAll('attribute[bins][]')).to.deep.equal(['a', 'c']);
    expect(posts[1]!.body.getAll('attribute[bins]')).to.deep.equal(['a', 'c']);
    expect(posts[1]!.body.has('attribute[bins][]')).to.equal(false);
    expect(posts[1]!.body.get('attribute[service_type]')).to.equal('domestic');
    for (const name of ['attribute[easting]', 'attribute[asset_id]', 'attribute[notice]']) expect(posts[1]!.body.has(name), name).to.equal(false);
    // Known from then on: the next request goes repeated at once.
    await t.createRequest({ ...bins, description: 'Again next week.' }, 'k2');
    const third = sent.filter((s) => s.method === 'POST')[2]!;
    expect(third.body.getAll('attribute[bins]')).to.deep.equal(['a', 'c']);
  });

  it('multiValue "repeat" sends repeated names at once; "brackets" sends brackets and keeps the refusal, without its dump', async () => {
    const refusal = await fixture('adapter-error-brackets.xml');
    const routes: Route[] = [
      ['GET', /\/services\/BINS\.json/, json(await fixture('adapter-service-bins.json'))],
      ['POST', /\/requests\.json/, (_url, body) => (body.getAll('attribute[bins][]').length ? { body: refusal, status: 400, type: 'text/xml' } : json(`[{"service_request_id":7}]`))],
      ['GET', /\/requests\/7\.json/, json('[{"service_request_id":7,"status":"open"}]')],
    ];
    let sent = replay(routes);
    const created = await transport({ multiValue: 'repeat' }).createRequest(bins, 'r1');
    expect(created.reference).to.equal('7');
    expect(sent.filter((s) => s.method === 'POST').map((s) => s.body.getAll('attribute[bins]'))).to.deep.equal([['a', 'c']]);

    sent = replay(routes);
    const error = await transport({ multiValue: 'brackets' }).createRequest(bins, 'b1').then(() => undefined, (e: unknown) => e as IntakeError);
    expect(sent.filter((s) => s.method === 'POST')).to.have.length(1);
    expect(error).to.be.instanceOf(IntakeError);
    expect(error!.code).to.equal('validation_failed');
    expect(Object.keys(error!.fields!)).to.deep.equal(['fields.bins']);
    // The resident's words, never Data::Rx's: the first line naming bins is "found value is a reference".
    for (const text of [error!.message, ...Object.values(error!.fields!)]) {
      expect(text).to.not.match(/Failed|\$data|rx\/core|reference/);
      expect(text).to.contain('did not accept');
    }
    // Only "no value given for required entry attribute[bins]": the form's own "Choose …" word.
    const missing = open311Error({ status: 400, headers: new Headers({ 'content-type': 'application/json' }) }, JSON.stringify([{ code: 400, description: 'Failed tag:codesimply.com,2008:rx/core/rec: no value given for required entry attribute[bins] (error: [/rec/missing]) at $data' }]));
    expect(missing.fields).to.deep.equal({ 'fields.bins': 'required' });
  });

  it('the words for a dump are the resident’s language (zh-CN), from i18next', async () => {
    await loadLocale('zh-CN');
    const error = open311Error({ status: 400, headers: new Headers({ 'content-type': 'application/json' }) }, await fixture('adapter-error-brackets.json'), undefined, 'zh-CN');
    expect(error.fields).to.deep.equal({ 'fields.bins': zhCN.form.errors.notAccepted });
    expect(error.message).to.equal(zhCN.form.errors.notAccepted);
  });

  it('a refusal naming an attribute the resident cannot answer (a required server_set one) is no field’s error', async () => {
    const refusal = JSON.stringify([
      { code: 400, description: 'Error in input for POST_Service_Request' },
      { code: 400, description: 'Failed tag:codesimply.com,2008:rx/core/rec: no value given for required entry attribute[easting] (error: [/rec/missing]) at $data' },
    ]);
    replay([
      ['GET', /\/services\/BINS\.json/, json(await fixture('adapter-service-bins.json'))],
      ['POST', /\/requests\.json/, json(refusal, 400)],
    ]);
    const error = await transport({ multiValue: 'repeat' }).createRequest(bins, 'e1').then(() => undefined, (e: unknown) => e as IntakeError);
    expect([error!.code, error!.fields]).to.deep.equal(['bad_request', undefined]);
    expect(error!.message).to.contain('did not accept').and.not.contain('easting');
  });

  it('a required variable:false attribute without a value is not invented; one with a value is sent', async () => {
    const definition = JSON.parse(await fixture('adapter-service-bins.json')) as { attributes: Record<string, unknown>[] };
    definition.attributes.push({ code: 'fixed_no_value', datatype: 'string', required: 'true', variable: 'false', description: 'x', order: 6 });
    const sent = replay([
      ['GET', /\/services\/BINS\.json/, json(JSON.stringify(definition))],
      ['POST', /\/requests\.json/, json('[{"service_request_id":"8"}]')],
      ['GET', /\/requests\/8\.json/, json('[{"service_request_id":"8","status":"open"}]')],
    ]);
    await transport({ multiValue: 'repeat' }).createRequest(bins, 'c1');
    const post = sent.find((s) => s.method === 'POST')!;
    expect(post.body.get('attribute[service_type]')).to.equal('domestic');
    expect(post.body.has('attribute[fixed_no_value]')).to.equal(false);
  });

  it('reads a request with an extended status, photos as a list, and its servicerequestupdates as replies', async () => {
    const sent = replay([
      ['GET', /\/requests\/1\.xml/, xml(await fixture('adapter-request.xml'))],
      ['GET', /\/servicerequestupdates\.xml/, xml(await fixture('adapter-updates.xml'))],
    ]);
    const t = transport({ format: 'xml', apiKey: 'k' });
    const detail = await t.getRequest('1', {});
    expect(detail.status).to.equal('resolved'); // the newest update: fixed
    expect(detail.replies.map((r) => r.text)).to.deep.equal(['A crew will come on Thursday.', 'Collected: all three bins emptied.']);
    expect(detail.timeline.map((e) => e.status)).to.deep.equal(['received', 'in_progress', 'resolved']);
    const updates = sent.find((s) => s.url.pathname.endsWith('/servicerequestupdates.xml'))!;
    expect(updates.url.searchParams.get('start_date')).to.equal('2026-11-30T08:59:00Z');
    expect(updates.url.searchParams.get('api_key')).to.equal('k');
    expect(updates.url.searchParams.get('end_date')).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('JSON updates: ids as numbers or strings, media_url as "" or a list', async () => {
    replay([
      ['GET', /\/requests\/1\.json/, json('[{"service_request_id":1,"status":"open","requested_datetime":"2026-11-30T09:00:00Z","media_url":"https://photos.example.org/1.jpeg"}]')],
      ['GET', /\/servicerequestupdates\.json/, json(await fixture('adapter-updates.json'))],
    ]);
    const detail = await transport().getRequest('1', {});
    expect(detail.replies.map((r) => r.text)).to.deep.equal(['A crew will come on Thursday.', 'Collected: all three bins emptied.']);
    expect(detail.status).to.equal('resolved');
  });

  it('a server without servicerequestupdates is asked once, and the request still reads', async () => {
    const sent = replay([['GET', /\/requests\/1\.json/, json('[{"service_request_id":"1","status":"closed","status_notes":"Done."}]')]]);
    const t = transport();
    for (let i = 0; i < 2; i++) {
      const detail = await t.getRequest('1', {});
      expect(detail.status).to.equal('closed');
      expect(detail.replies.map((r) => r.text)).to.deep.equal(['Done.']);
    }
    // The format is known from the request's answer, so one 404 in .json says it: never asked again.
    expect(sent.filter((s) => s.url.pathname.includes('servicerequestupdates')).length).to.equal(1);
  });
});

describe('open311 exchanges: FixMyStreet shapes', () => {
  it('reads <service_requests_updates> with upper-case extended statuses', async () => {
    replay([
      ['GET', /\/requests\/1\.xml/, xml(await fixture('adapter-request.xml'))],
      ['GET', /\/servicerequestupdates\.xml/, xml(await fixture('fms-updates.xml'))],
    ]);
    const detail = await transport({ format: 'xml' }).getRequest('1', {});
    expect(detail.status).to.equal('closed');
    expect(detail.replies.map((r) => r.text)).to.deep.equal(['This is a note']);
  });

  it('maps every extended status', () => {
    const table: Record<string, string> = {
      open: 'received', for_triage: 'received', FOR_TRIAGE: 'received', investigating: 'in_progress', in_progress: 'in_progress', 'in progress': 'in_progress',
      planned: 'in_progress', action_scheduled: 'in_progress', internal_referral: 'in_progress', reopen: 'in_progress', REOPEN: 'in_progress',
      fixed: 'resolved', FIXED: 'resolved', closed: 'closed', duplicate: 'closed', not_councils_responsibility: 'closed', no_further_action: 'closed', cancelled: 'closed',
    };
    for (const [status, ours] of Object.entries(table)) expect(open311Status(status), status).to.equal(ours);
    expect(open311Status('unchanged')).to.equal(undefined);
    expect(open311Status('referred_to_veolia_streets')).to.equal(undefined);
    // A request whose own status is extended, without updates; an unknown one reads as received.
    const site = { id: 's', name: 'S' };
    expect(detailOf({ service_request_id: '1', status: 'investigating' }, site).status).to.equal('in_progress');
    expect(detailOf({ service_request_id: '1', status: 'no_further_action' }, site).status).to.equal('closed');
    expect(detailOf({ service_request_id: '1', status: 'something_new', agency_responsible: 'Highways' }, site).status).to.equal('routed');
    // An `unchanged` update keeps the status and still brings its words.
    const updates: Open311Update[] = [{ service_request_id: 1, update_id: 1, status: 'unchanged', description: 'Still looking.', updated_datetime: '2026-12-01T00:00:00Z' }];
    const detail = detailOf({ service_request_id: '1', status: 'in_progress' }, site, '', updates);
    expect([detail.status, detail.replies[0]!.text]).to.deep.equal(['in_progress', 'Still looking.']);
  });
});

describe('open311 exchanges: 6aika/issue-reporting', () => {
  const headers = new Headers({ 'content-type': 'application/json' });

  it('reads DRF error bodies: field names mapped, other messages kept, nothing raw', async () => {
    const fields = open311Error({ status: 400, headers }, await fixture('sixaika-error-fields.json'));
    expect(fields.code).to.equal('validation_failed');
    expect(fields.fields).to.deep.equal({ 'fields.location': 'A valid number is required.', 'contact.email': 'Enter a valid email address.' });
    expect(fields.message).to.contain('Service code BINS is invalid');
    const list = open311Error({ status: 400, headers }, await fixture('sixaika-error-list.json'));
    expect([list.code, list.message, list.fields]).to.deep.equal(['bad_request', 'Invalid API key', undefined]);
    const notFound = open311Error({ status: 404, headers }, '{"code":404,"detail":"Not found."}');
    expect([notFound.code, notFound.message]).to.deep.equal(['not_found', 'Not found.']);
    const body = await fixture('sixaika-error-fields.xml');
    const inXml = open311Error({ status: 400, headers: new Headers({ 'content-type': 'application/xml' }) }, body, undefined, 'en', readOpen311Xml(body, false));
    expect(inXml.fields).to.deep.equal({ 'contact.email': 'Enter a valid email address.', 'fields.location': 'A valid number is required.' });
  });

  it('a field error naming an attribute or description maps too; a traceback is never shown', () => {
    const body = JSON.stringify({ code: 400, detail: { description: ['This field may not be blank.'], 'attribute[bins]': ['Choose a valid option.'], first_name: ['Too long.'] } });
    const error = open311Error({ status: 400, headers }, body);
    expect(error.fields).to.deep.equal({ description: 'This field may not be blank.', 'fields.bins': 'Choose a valid option.', 'contact.name': 'Too long.' });
    const trace = open311Error({ status: 500, headers }, JSON.stringify({ code: 500, detail: 'Traceback (most recent call last):\n  File "views.py", line 3' }));
    expect(trace.code).to.equal('server_error');
    expect(trace.message).to.not.contain('Traceback');
  });

  it('the lost-answer lookup follows X-Next-Page-URL, skips items it cannot read, and adopts ours', async () => {
    const page1 = await fixture('sixaika-requests-page1.json');
    const page2 = await fixture('sixaika-requests-page2.json');
    const log = memoryLog();
    const sent = replay([
      ['GET', /\/requests\.json\?.*page=2/, json(page2)],
      ['GET', /\/requests\.json\?/, { body: page1, type: 'application/json', headers: { 'X-Next-Page-URL': `${BASE}/requests.json?service_code=BINS&page=2`, 'X-Page-Count': '2', 'X-Result-Count': '4' } }],
      ['GET', /\/requests\/Kq7ZmP2w\.json/, json(`[${page2.slice(1, -1)}]`)],
    ]);
    // An earlier try whose answer was lost, a few minutes ago by this device's clock.
    const first = Date.parse('2026-12-01T09:59:30Z');
    log.put({ key: 'lost', firstSentAt: first, lastSentAt: first });
    const t = transport({ attemptLog: log, lookupMarginMs: 1000 * 3600 * 24 * 365 * 5 });
    const created = await t.createRequest(bins, 'lost');
    expect(created.reference).to.equal('Kq7ZmP2w');
    expect(sent.filter((s) => s.method === 'POST')).to.have.length(0);
    expect(sent.map((s) => s.url.searchParams.get('page'))).to.include('2');
    expect(log.claimed().has('Kq7ZmP2w')).to.equal(true);
  });

  it('pages by X-Page-Count and page where no next URL is given, at most ten pages', async () => {
    const log = memoryLog();
    const sent = replay([['GET', /\/requests\.json\?/, { body: '[]', type: 'application/json', headers: { 'X-Page-Count': '50' } }], ['POST', /\/requests\.json/, json('[{"service_request_id":"N1"}]')]]);
    log.put({ key: 'p', firstSentAt: Date.now() - 1000, lastSentAt: Date.now() - 1000 });
    const created = await transport({ attemptLog: log }).createRequest(bins, 'p');
    expect(created.reference).to.equal('N1'); // nothing found: sent again
    const pages = sent.filter((s) => s.method === 'GET' && s.url.pathname.endsWith('/requests.json')).map((s) => s.url.searchParams.get('page'));
    expect(pages).to.deep.equal([null, '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });
});

describe('open311 exchanges: lenient reading', () => {
  it('a list with an item that is not a request still reads; an odd service does not drop the catalogue', async () => {
    replay([
      ['GET', /\/services\.json/, json('[{"service_code":"A","service_name":"A","metadata":false,"groups":["One","Two"]},{"service_name":"no code"},{"service_code":2,"metadata":"false","group":"x"}]')],
      ['GET', /\/requests\/A1\.json/, json('[{"service_request_id":{"x":1}},{"service_request_id":"A1","status":"open","media_url":["https://x.example/1.jpeg","https://x.example/2.jpeg"]}]')],
    ]);
    const t = transport();
    const catalog = await t.catalog();
    expect(catalog.services.map((s) => [s.id, s.group])).to.deep.equal([['A', 'One'], ['2', 'x']]);
    expect((await t.getRequest('A1', {})).reference).to.equal('A1');
  });

  it('the transport’s own words (location, consent, kinds) in Uyghur for ug', async () => {
    replay([['GET', /\/services\.json/, json('[{"service_code":"A","service_name":"A","metadata":false}]')]]);
    const catalog = await transport({ locale: 'ug' }).catalog();
    expect(catalog.consent.text).to.match(/^[\u0600-\u06FF]/);
    expect(catalog.requestTypes.map((t) => t.label)).to.deep.equal(['ياردەم سوراش']);
    expect(catalog.services[0]!.fields.at(-1)!.label).to.equal('ئورۇن');
  });

  it('XML that is not well-formed is an invalid answer (retried), not a crash', async () => {
    replay([['GET', /\/requests\/9\.xml/, xml('<service_requests><request><service_request_id>9</request>')]]);
    const error = await transport({ format: 'xml' }).getRequest('9', {}).then(() => undefined, (e: unknown) => e as IntakeError);
    expect(error!.code).to.equal('invalid_response');
    expect(error!.retryable).to.equal(true);
  });
});
