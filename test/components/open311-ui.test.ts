// The widget's views on an Open311 GeoReport v2 backend: what they offer (capabilities all false),
// "received, waiting for a number", the status an agency gives (department, reply-by time, notes),
// Open311 errors on the fields they name; and two fixes in My requests (the "What you wrote"
// chevron, a request filed in the form joining the list without a reload).
//
// The catalogue, the request details and the errors are made by the transport's own mapping
// (buildCatalog, detailOf, open311Error) from the GeoReport v2 specification's examples; the last
// test drives the real client against the fake GeoReport v2 server (test/helpers/open311-fake.mjs).
import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/components/widget/widget.js';
import '../../src/components/form/form.js';
import '../../src/components/status/status.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import type { IntakeForm } from '../../src/components/form/form.component.js';
import type { IntakeStatus } from '../../src/components/status/status.component.js';
import type { Catalog, RequestDetail } from '../../src/client/protocol.js';
import type { IntakeClientOptions } from '../../src/client/types.js';
import {
  buildCatalog,
  detailOf,
  mapService,
  open311Error,
  type Open311Definition,
  type Open311Service,
  type Open311ServiceRequest,
} from '../../src/client/transports/open311.js';
import { FakeClient, makeRequestCatalog } from '../helpers/fake-client.js';
import { mountTemplate } from './mount.js';
import { $, $$, WAIT, deepActive, fill, next, pick, textOf, toStep } from '../helpers/view-driver.js';

const SITE = 'city/test';

/* ------------------------------------------------------------------ helpers */

/** Whether `selector` matches (a boolean: a failing assertion must not carry a DOM node to the runner). */
function has(el: HTMLElement, selector: string): boolean {
  return el.shadowRoot!.querySelector(selector) !== null;
}
/** The tab labels a widget shows. */
function tabs(widget: IntakeWidget): string[] {
  return $$(widget, '[role="tab"]').map((t) => (t.textContent ?? '').trim());
}

/** The GeoReport v2 specification's examples, served raw by the fake (the runner would make modules of .json). */
async function fixture<T>(name: string): Promise<T> {
  const response = await fetch(`/open311-fake/_fixtures/${name}`);
  if (!response.ok) throw new Error(`fixture ${name}: ${response.status}`);
  return (await response.json()) as T;
}

interface Spec {
  services: Open311Service[];
  definitions: Map<string, Open311Definition>;
  catalog: Catalog;
  requests: Open311ServiceRequest[];
}

/** The catalogue the open311 transport makes of the specification's services (as the fake serves them). */
async function spec(locale = 'en'): Promise<Spec> {
  const services = await fixture<Open311Service[]>('services.json');
  const all = await fixture<Open311Definition>('service-definition-all.json');
  const definition = await fixture<Open311Definition>('service-definition-spec.json');
  const definitions = new Map<string, Open311Definition>([
    ['001', { ...all, service_code: '001' }],
    ['002', { ...definition, service_code: '002' }],
    ['003', { service_code: '003', attributes: [] }],
  ]);
  const { catalog } = buildCatalog(services, definitions, { site: SITE, locale });
  const requests = await fixture<Open311ServiceRequest[]>('requests.json');
  return { services, definitions, catalog, requests };
}

/** A FakeClient that says it speaks Open311, with a catalogue that can be held back. */
class Open311FakeClient extends FakeClient {
  override readonly options: Readonly<IntakeClientOptions> = { endpoint: 'https://city.test/open311/v2', site: SITE, transport: 'open311' };
  /** While set, catalog() waits for it (the first render, before the services arrive). */
  gate?: Promise<void>;
  override async catalog(): Promise<Catalog> {
    if (this.gate) await this.gate;
    return super.catalog();
  }
  /** What the client says while an Open311 `batch` server has the request but no number yet. */
  waitForNumber(key: string, state: 'sending' | 'retrying' = 'sending'): void {
    this.dispatchEvent(new CustomEvent('delivery', { detail: { key, kind: 'request', state, waitingForReference: true } }));
  }
}

/** A request detail as the open311 transport reads it from a GeoReport v2 answer. */
function open311Detail(raw: Open311ServiceRequest, overrides: Partial<Open311ServiceRequest> = {}, extra: Partial<RequestDetail> = {}): RequestDetail {
  return { ...detailOf({ ...raw, ...overrides }, { id: SITE, name: SITE }), ...extra };
}

function know(client: FakeClient, detail: RequestDetail, type: RequestDetail['type'] = 'complaint'): void {
  client.known.push({ reference: detail.reference, accessToken: '', service: detail.service.id, type, createdAt: detail.createdAt });
  client.requests.set(detail.reference, detail);
}

async function mountStatus(client: FakeClient, locale = 'en'): Promise<IntakeStatus> {
  const wrapper = await mountTemplate(html`<intake-status locale=${locale} .client=${client}></intake-status>`);
  const el = wrapper.querySelector('intake-status')!;
  await waitUntil(() => $(el, '.body') && !$(el, '.body [role="status"].muted'), 'status ready', WAIT);
  return el;
}

async function mountForm(client: FakeClient): Promise<IntakeForm> {
  const wrapper = await mountTemplate(html`<intake-form locale="en" .client=${client}></intake-form>`);
  const el = wrapper.querySelector('intake-form')!;
  await waitUntil(() => $(el, 'form'), 'form ready', WAIT);
  return el;
}

async function mountWidget(client: FakeClient, attrs: { transport?: string } = {}): Promise<IntakeWidget> {
  const wrapper = await mountTemplate(
    html`<intake-widget endpoint="https://city.test/open311/v2" site=${SITE} locale="en" transport=${attrs.transport ?? 'intake'} .client=${client}></intake-widget>`,
  );
  return wrapper.querySelector('intake-widget') as IntakeWidget;
}

/** Picks a service and waits for the form to take it (it first looks for a draft saved for that service). */
async function chooseService(form: IntakeForm, code: string): Promise<void> {
  await toStep(form, 'service');
  await pick(form, `input[name="service"][value="${code}"]`);
  await waitUntil(() => (form as unknown as { draft: { service?: string } }).draft.service === code, `service ${code} chosen`, WAIT);
}

/** Service 003 of the specification (no attributes: only the location GeoReport v2 requires), anonymous. */
async function fileCurbDefect(form: IntakeForm): Promise<void> {
  await chooseService(form, '003');
  await next(form);
  await toStep(form, 'details');
  await fill(form, '#f-description', 'The curb ramp at 8th Ave and Judah St is cracked.');
  await fill(form, '#f-fields-location', '8TH AVE and JUDAH ST');
  await next(form);
  await toStep(form, 'contact');
  await pick(form, 'input[name="contact"][value="anonymous"]');
  await pick(form, '#f-consent');
  await next(form);
  await toStep(form, 'check');
  await next(form);
}

const reached: string[] = [];
afterEach(() => {
  localStorage.removeItem(`intake-widgets:requests:${SITE}`);
  for (const site of reached.splice(0)) localStorage.removeItem(`intake-widgets:requests:${site}`);
});

/* ------------------------------------------------------------------ tests */

describe('Open311 in the widget: what it offers', () => {
  it('shows only Form and My requests, from the first render (before the services arrive), Form first', async () => {
    const { catalog } = await spec();
    const client = new Open311FakeClient({ catalog });
    let release!: () => void;
    client.gate = new Promise<void>((resolve) => (release = resolve));
    // No transport attribute: the client it was given speaks Open311, and that is enough.
    const el = await mountWidget(client);
    await el.open();
    await el.updateComplete;
    expect(tabs(el), 'before the catalogue').to.deep.equal(['Form', 'My requests']);
    expect($(el, '#tab-form')!.getAttribute('aria-selected')).to.equal('true');
    expect(has(el, 'intake-chat'), 'no chat view is ever made').to.equal(false);

    release();
    const form = $(el, 'intake-form') as IntakeForm;
    await waitUntil(() => $$(form, 'input[name="service"]').length === 3, 'catalogue in', WAIT);
    expect(has(el, '.site'), 'an Open311 catalogue has no site name to show (only its id)').to.equal(false);
    expect(tabs(el), 'after the catalogue').to.deep.equal(['Form', 'My requests']);
    expect(has(el, 'intake-chat')).to.equal(false);
    expect(client.conversationsStarted).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('an intake backend still shows Chat before its catalogue arrives (the rule is Open311 only)', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const el = await mountWidget(client);
    await el.open();
    await el.updateComplete;
    expect(tabs(el)).to.deep.equal(['Chat', 'Form', 'My requests']);
  });

  it('the form offers no upload when attachments is false and asks for no instant answers when answers is false', async () => {
    const withFiles = await mountForm(new FakeClient({ catalog: makeRequestCatalog({ capabilities: { attachments: true, answers: true } }) }));
    await pick(withFiles, 'input[name="kind"][value="complaint"]');
    await next(withFiles);
    await pick(withFiles, 'input[name="service"][value="rubbish"]');
    await next(withFiles);
    await toStep(withFiles, 'details');
    expect($$(withFiles, 'input[type="file"]').length, 'the same service offers its photos field when uploads are taken').to.equal(1);

    const client = new FakeClient({ catalog: makeRequestCatalog({ capabilities: { attachments: false, answers: false } }) });
    client.answersResult = [{ id: 'a1', question: 'When are bins emptied?', answer: 'Every morning.', score: 1 }];
    const el = await mountForm(client);
    await pick(el, 'input[name="kind"][value="complaint"]');
    await next(el);
    await pick(el, 'input[name="service"][value="rubbish"]');
    await next(el);
    await toStep(el, 'details');
    expect($$(el, 'input[type="file"]').length, 'no file input').to.equal(0);
    expect(has(el, '[data-type="file"]'), 'no file field').to.equal(false);
    await fill(el, '#f-description', 'The bins on Garden Road were not emptied this week.');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(client.answerQueries, 'no instant answers asked for').to.deep.equal([]);
    expect(has(el, '.answers')).to.equal(false);
    await fill(el, '#f-fields-location', '12 Garden Road');
    await pick(el, 'input[name="bin_type"][value="o1"]');
    await next(el);
    await toStep(el, 'contact');
    await pick(el, 'input[name="contact"][value="anonymous"]');
    await pick(el, '#f-consent');
    await next(el);
    await toStep(el, 'check');
    expect(textOf(el, '.summary-list')).to.not.contain('Photos');
    await next(el);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    expect(client.submitted[0]!.draft.fields).to.not.have.property('photos');
    expect(client.submitted[0]!.draft.attachments).to.deep.equal([]);
  });

  it('a backend with one kind of request (Open311: no kinds) starts on the service, not on a one-option question', async () => {
    const { catalog } = await spec();
    expect(catalog.requestTypes.map((r) => r.id)).to.deep.equal(['help']);
    const el = await mountForm(new Open311FakeClient({ catalog }));
    await toStep(el, 'service');
    expect($$(el, 'input[name="service"]').map((i) => (i as HTMLInputElement).value)).to.deep.equal(['001', '002', '003']);
    expect(has(el, '.actions .link'), 'nothing to start again yet').to.equal(false);
  });
});

describe('Open311: received, waiting for a number', () => {
  it('the form says the request was received and its number is coming, then shows the number; My requests says the same, then lists it', async () => {
    const { catalog } = await spec();
    const client = new Open311FakeClient({ catalog });
    const el = await mountWidget(client, { transport: 'open311' });
    await el.openForm();
    const form = await waitUntil(() => $(el, 'intake-form'), 'form view', WAIT).then(() => $(el, 'intake-form') as IntakeForm);
    const status = $(el, 'intake-status') as IntakeStatus;
    await fileCurbDefect(form);
    await waitUntil(() => client.submitted.length === 1, 'handed to the outbox', WAIT);
    const key = client.submitted[0]!.key;
    expect(textOf(form, '.pending-state'), 'before the server answers').to.contain('on its way');

    client.waitForNumber(key);
    await waitUntil(() => $(form, '.pending-state')?.dataset['state'] === 'waiting-for-reference', 'waiting for a number', WAIT);
    expect(textOf(form, '.step-title')).to.equal('Request received');
    expect(textOf(form, '.pending-state')).to.contain('is giving it a reference number');
    expect(has(form, '.reference-number'), 'no number before it exists').to.equal(false);
    await expect(form).to.be.accessible();

    // The outbox gave the token back to be followed later: a way to look now, not "try again".
    client.waitForNumber(key, 'retrying');
    await waitUntil(() => textOf(form, '.received .button') === 'Check for the number now', 'check-now button', WAIT);
    $<HTMLButtonElement>(form, '.received .button')!.click();
    expect(client.retried).to.deep.equal([key]);

    // My requests, meanwhile: the request is there, honestly without a number.
    $<HTMLButtonElement>(el, '#tab-status')!.click();
    await waitUntil(() => $(status, '[data-waiting]'), 'waiting item in My requests', WAIT);
    expect(textOf(status, '[data-waiting]')).to.contain('Request received');
    expect(textOf(status, '[data-waiting]')).to.contain('Number to follow');
    expect(textOf(status, '.empty'), 'not "nothing sent"').to.equal('');
    await expect(status).to.be.accessible();

    client.ackRequest(key, '638401');
    await waitUntil(() => $(status, '[data-reference="638401"]'), 'the number joins the list without a reload', WAIT);
    expect(has(status, '[data-waiting]')).to.equal(false);
    expect(textOf(status, '.announcement')).to.equal('Your request now has its reference number: 638401');

    $<HTMLButtonElement>(el, '#tab-form')!.click();
    await waitUntil(() => $(form, '.reference-number'), 'confirmation', WAIT);
    expect(textOf(form, '.reference-number')).to.equal('638401');
    expect(textOf(form, '.announcement'), 'said in the live region').to.equal('Your request now has its reference number: 638401');
    await expect(form).to.be.accessible();
  });

  it('after a reload, a request still waiting for its number is shown as such (the client lists its outbox)', async () => {
    const { catalog } = await spec();
    const client = new Open311FakeClient({ catalog });
    // IntakeClient's pending() (not part of IntakeClientApi; the fake's own `pending` is its chat map, unused here).
    Object.assign(client, {
      pending: async () => [
        { key: 'req-waiting', kind: 'request', waitingForReference: true },
        { key: 'req-queued', kind: 'request', waitingForReference: false },
      ],
    });
    // The outbox has the request (the form asks it by key after a reload).
    client.requestStates.set('req-waiting', 'sending');
    const drafts = client.drafts;
    drafts.set('form:current', '003');
    drafts.set('form:003', { step: 'check', kind: 'help', service: '003', description: 'Cracked ramp', values: {}, files: {}, contact: { anonymous: true, name: '', phone: '', email: '', preferred: '' }, consent: true, submittedKey: 'req-waiting' });
    const status = await mountStatus(client);
    await waitUntil(() => $(status, '[data-waiting]'), 'waiting item', WAIT);
    expect($$(status, '[data-waiting]').map((i) => i.dataset['waiting'])).to.deep.equal(['req-waiting']);
    const form = await mountTemplate(html`<intake-form locale="en" .client=${client}></intake-form>`).then((w) => w.querySelector('intake-form')!);
    await waitUntil(() => $(form, '.pending-state')?.dataset['state'] === 'waiting-for-reference', 'form restored as waiting', WAIT);
  });

  it('a request filed without any number (a `blackbox` service) never shows a blank number', async () => {
    const { catalog } = await spec();
    const client = new Open311FakeClient({ catalog });
    const form = await mountForm(client);
    await fileCurbDefect(form);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    client.ackRequest(client.submitted[0]!.key, '');
    await waitUntil(() => $(form, '.no-number'), 'received without a number', WAIT);
    expect(textOf(form, '.step-title')).to.equal('Request received');
    expect(textOf(form, '.no-number')).to.contain('gives it no reference number');
    expect(has(form, '.reference-number')).to.equal(false);
    await expect(form).to.be.accessible();

    const status = await mountStatus(client);
    await waitUntil(() => $(status, '.request.no-number'), 'listed without a number', WAIT);
    expect(textOf(status, '.request.no-number .ref')).to.equal('Request received, without a number');
    for (const ref of $$(status, '.ref')) expect((ref.textContent ?? '').trim(), 'no blank number').to.not.equal('');
    expect(client.lookups.map((l) => l.reference), 'nothing asked for an empty number').to.not.include('');
  });
});

describe('Open311: the status an agency gives', () => {
  it('shows the department, the reply-by time in the locale, and the notes; offers no rating, "solved?" or reopening', async () => {
    const { catalog, requests } = await spec();
    const client = new Open311FakeClient({ catalog });
    const due = '2010-04-21T17:00:00-08:00';
    const open = open311Detail(requests[1]!, { agency_responsible: 'Department of Public Works', status_notes: 'A crew is on the way.', expected_datetime: due });
    know(client, open);
    const el = await mountStatus(client);
    const item = await waitUntil(() => $(el, '[data-reference="638349"] .badge'), 'listed', WAIT).then(() => $(el, '[data-reference="638349"]')!);
    expect((item.textContent ?? '').replace(/\s+/g, ' ')).to.contain('Department: Department of Public Works');
    expect((item.textContent ?? '').replace(/\s+/g, ' '), 'the kind the resident chose, not the transport\'s stand-in').to.contain('Complaint');
    // Open311 reads are public: the lookup asks for the number only.
    expect(has(el, '#f-lookup-contact')).to.equal(false);
    expect(textOf(el, '.lookup')).to.contain('Enter its reference number');

    item.click();
    await waitUntil(() => $(el, '.detail'), 'detail', WAIT);
    expect(textOf(el, '.department')).to.equal('Department of Public Works');
    expect(textOf(el, '.reply-due')).to.equal(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(due)));
    expect($(el, '.reply-due time')!.getAttribute('datetime')).to.equal(new Date(due).toISOString());
    expect(textOf(el, '.reply-text')).to.equal('A crew is on the way.');
    expect(textOf(el, '.reply-meta')).to.contain('Department of Public Works');
    expect(textOf(el, '.badge')).to.equal('Sent to a department');
    await expect(el).to.be.accessible();

    el.setLocale('zh-CN');
    await waitUntil(() => textOf(el, '.reply-due') === new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(due)), 'reply-by time in zh-CN', WAIT);

    // Closed, and even a detail that claims a rating is due: feedback is false, so no return visit.
    const closed = open311Detail(requests[1]!, { agency_responsible: 'Department of Public Works', status: 'closed', status_notes: 'Ramp repaired.' }, { awaitingFeedback: true, canReopen: true });
    client.requests.set('638349', closed);
    el.setLocale('en');
    // What the widget calls when My requests is shown (the timer skips hidden pages, as test pages may be).
    await el.reload();
    await waitUntil(() => textOf(el, '.reply-text') === 'Ramp repaired.', 'refreshed', WAIT);
    expect(textOf(el, '.facts .badge')).to.equal('Closed');
    expect(has(el, '.rate'), 'no rating').to.equal(false);
    expect(has(el, 'input[name="rating"]')).to.equal(false);
    expect(has(el, 'input[name="resolved"]'), 'no "was it solved?"').to.equal(false);
    expect(has(el, '.reopen'), 'no reopening').to.equal(false);
    expect(textOf(el, '.no-feedback')).to.contain('does not take ratings');
    expect(has(el, '.reply-due'), 'no reply-by time once closed').to.equal(false);
    expect(client.feedbacks).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('a request no agency has taken yet says so instead of a blank department', async () => {
    const { catalog, requests } = await spec();
    const client = new Open311FakeClient({ catalog });
    know(client, open311Detail(requests[1]!));
    const el = await mountStatus(client);
    await waitUntil(() => $(el, '[data-reference="638349"] .badge'), 'listed', WAIT);
    expect(textOf(el, '[data-reference="638349"]')).to.contain('Department: Not assigned yet');
    $<HTMLButtonElement>(el, '[data-reference="638349"]')!.click();
    await waitUntil(() => $(el, '.detail'), 'detail', WAIT);
    expect(textOf(el, '.department')).to.equal('Not assigned yet');
    expect(textOf(el, '.badge')).to.equal('Received');
  });
});

describe('Open311: errors', () => {
  it('an error naming a field lands on that field, GOV.UK style, in the resident\'s words; nothing typed is lost', async () => {
    const { catalog, services, definitions } = await spec();
    const client = new Open311FakeClient({ catalog });
    const form = await mountForm(client);
    await chooseService(form, '001');
    await next(form);
    await toStep(form, 'details');
    const description = 'Three cans left on the pavement of 8th Ave since Monday.';
    await fill(form, '#f-description', description);
    await pick(form, 'input[name="whishetn"][value="124"]');
    await pick(form, 'input[name="cankinds"][value="garbage"]');
    await fill(form, '#f-fields-location', '8TH AVE and JUDAH ST');
    await next(form);
    await toStep(form, 'contact');
    await pick(form, 'input[name="contact"][value="reply"]');
    await fill(form, '#f-contact-email', 'jane@example.org');
    await pick(form, '#f-consent');
    await next(form);
    await toStep(form, 'check');
    await next(form);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);

    // The server's answer, read by the transport's own error mapping.
    const { map } = mapService(services[0]!, definitions.get('001'), 'en');
    const body = JSON.stringify([
      { code: 400, description: 'attribute[WHISHETN] is required' },
      { code: 400, description: 'email is not a valid email address' },
    ]);
    const error = open311Error({ status: 400, headers: new Headers({ 'content-type': 'application/json' }) }, body, map);
    expect(error.fields).to.deep.equal({ 'fields.whishetn': 'is required', 'contact.email': 'is not a valid email address' });
    client.refuse(client.submitted[0]!.key, error);

    await toStep(form, 'details');
    await waitUntil(() => deepActive()?.classList.contains('error-summary'), 'summary focused', WAIT);
    expect(textOf(form, '#f-fields-whishetn-error')).to.equal('Error: Choose What is the ticket/tag/DL number?');
    expect($(form, '#f-fields-whishetn')!.getAttribute('aria-invalid')).to.equal('true');
    expect(textOf(form, '.error-summary')).to.contain('Email address: is not a valid email address');
    // What the resident typed and chose is all still there.
    expect($<HTMLTextAreaElement>(form, '#f-description')!.value).to.equal(description);
    expect($<HTMLInputElement>(form, 'input[name="whishetn"][value="124"]')!.checked).to.equal(true);
    expect($<HTMLInputElement>(form, 'input[name="cankinds"][value="garbage"]')!.checked).to.equal(true);
    expect($<HTMLInputElement>(form, '#f-fields-location')!.value).to.equal('8TH AVE and JUDAH ST');
    await expect(form).to.be.accessible();

    await next(form);
    await toStep(form, 'contact');
    expect($<HTMLInputElement>(form, '#f-contact-email')!.value).to.equal('jane@example.org');
    expect(textOf(form, '#f-contact-email-error')).to.equal('Error: Email address: is not a valid email address');
  });

  it('an error naming no field (a refused api_key) gets a clear word, on the check page, with every answer kept', async () => {
    const { catalog } = await spec();
    const client = new Open311FakeClient({ catalog });
    const form = await mountForm(client);
    await fileCurbDefect(form);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    const body = JSON.stringify(await fixture<unknown>('error-403.json'));
    client.refuse(client.submitted[0]!.key, open311Error({ status: 403, headers: new Headers() }, body));
    await toStep(form, 'check');
    await waitUntil(() => $(form, '.notice.problem'), 'problem shown', WAIT);
    expect(textOf(form, '.notice.problem')).to.contain('Your request was not accepted');
    expect(textOf(form, '.notice.problem')).to.contain('does not accept requests from this website');
    expect(textOf(form, '.summary-list')).to.contain('The curb ramp at 8th Ave and Judah St is cracked.');
    expect(textOf(form, '.summary-list')).to.contain('8TH AVE and JUDAH ST');
    await expect(form).to.be.accessible();
  });
});

describe('My requests: fixes', () => {
  it('"What you wrote" has a visible chevron that turns when opened and is mirrored right to left', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const detail = open311Detail((await spec()).requests[1]!, { description: 'The ramp is cracked.' });
    client.known.push({ reference: detail.reference, accessToken: 'x', service: 'rubbish', type: 'help', createdAt: detail.createdAt });
    client.requests.set(detail.reference, detail);
    const angle = (el: HTMLElement): number => {
      const summary = $(el, '.description summary')!;
      const matrix = new DOMMatrix(getComputedStyle(summary, '::before').transform);
      return Math.round((Math.atan2(matrix.b, matrix.a) * 180) / Math.PI);
    };
    for (const [locale, closed, opened] of [['en', -45, 45], ['ug', 45, -45]] as const) {
      const el = await mountStatus(client, locale);
      // The turn is animated; a background test page never runs transitions, so they are switched off here.
      const still = new CSSStyleSheet();
      still.replaceSync('*, *::before { transition: none !important; }');
      el.shadowRoot!.adoptedStyleSheets = [...el.shadowRoot!.adoptedStyleSheets, still];
      await waitUntil(() => $(el, `[data-reference="${detail.reference}"] .badge`), 'listed', WAIT);
      $<HTMLButtonElement>(el, `[data-reference="${detail.reference}"]`)!.click();
      await waitUntil(() => $(el, '.description summary'), 'detail', WAIT);
      const summary = $(el, '.description summary')!;
      const before = getComputedStyle(summary, '::before');
      expect(before.content, `${locale}: drawn`).to.not.equal('none');
      expect(parseFloat(before.inlineSize || before.width), `${locale}: has a size`).to.be.greaterThan(4);
      expect(parseFloat(before.borderBottomWidth), `${locale}: a stroke`).to.be.greaterThan(1);
      expect(angle(el), `${locale}: closed`).to.equal(closed);
      summary.click();
      await waitUntil(() => angle(el) === opened, `${locale}: turns when opened (${angle(el)})`, WAIT);
      expect($<HTMLDetailsElement>(el, '.description')!.open).to.equal(true);
      expect(textOf(el, '.description-text')).to.equal('The ramp is cracked.');
    }
  });

  it('a request filed in the form joins My requests at once, without a reload', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const el = await mountWidget(client);
    reached.push(SITE);
    await el.showStatus();
    const status = await waitUntil(() => $(el, 'intake-status'), 'status view', WAIT).then(() => $(el, 'intake-status') as IntakeStatus);
    await waitUntil(() => $(status, '.empty'), 'empty list', WAIT);

    await el.openForm({ service: 'library', type: 'consultation' });
    const form = $(el, 'intake-form') as IntakeForm;
    await toStep(form, 'details');
    await fill(form, '#f-description', 'Is the library open on Sundays?');
    await next(form);
    await toStep(form, 'contact');
    await pick(form, 'input[name="contact"][value="anonymous"]');
    await pick(form, '#f-consent');
    await next(form);
    await toStep(form, 'check');
    await next(form);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    client.ackRequest(client.submitted[0]!.key, 'GC-20250301-0042');
    await waitUntil(() => $(status, '[data-reference="GC-20250301-0042"]'), 'listed at once', WAIT);

    // And a request filed elsewhere (another tab) joins when the tab is shown again.
    client.known.unshift({ reference: 'GC-20250301-0043', accessToken: 'secret', service: 'library', type: 'consultation', createdAt: new Date().toISOString() });
    client.requests.set('GC-20250301-0043', { ...client.requests.get('GC-20250301-0042')!, reference: 'GC-20250301-0043' });
    $<HTMLButtonElement>(el, '#tab-status')!.click();
    await waitUntil(() => $(status, '[data-reference="GC-20250301-0043"]'), 'read again when the tab is shown', WAIT);
  });
});

describe('Open311: the widget against a GeoReport v2 server (the fake, from the specification)', () => {
  it('files through the form, says "received, waiting for a number", shows the number, then the agency, reply-by time and notes', async function () {
    this.timeout(60_000);
    const id = `o311-ui-${Math.random().toString(36).slice(2, 10)}`;
    const control = async (body: Record<string, unknown>): Promise<{ requests: Open311ServiceRequest[] }> => {
      const response = await fetch(`/open311-fake/${id}/_control`, { method: 'POST', body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`control ${String(body['action'])}: ${response.status}`);
      return response.json() as Promise<{ requests: Open311ServiceRequest[] }>;
    };
    await control({ action: 'reset', config: { batch: 3 } });
    // A site of its own: its outbox and known requests are this test's only.
    const site = `city/${id}`;
    reached.push(site);
    const wrapper = await mountTemplate(
      html`<intake-widget endpoint=${`${location.origin}/open311-fake/${id}/v2`} site=${site} transport="open311" locale="en"></intake-widget>`,
    );
    const el = wrapper.querySelector('intake-widget') as IntakeWidget;
    try {
      await el.open();
      await el.updateComplete;
      expect(tabs(el), 'first render').to.deep.equal(['Form', 'My requests']);
      const form = $(el, 'intake-form') as IntakeForm;
      await waitUntil(() => $$(form, 'input[name="service"]').length === 3, 'services from services.json', { timeout: 20000 });
      expect(tabs(el)).to.deep.equal(['Form', 'My requests']);
      await fileCurbDefect(form);
      await waitUntil(() => $(form, '.pending-state')?.dataset['state'] === 'waiting-for-reference', 'received, waiting for a number', { timeout: 20000 });
      expect(textOf(form, '.step-title')).to.equal('Request received');
      await waitUntil(() => $(form, '.reference-number'), 'the number, once the token gives it', { timeout: 20000 });
      const { requests } = await control({ action: 'state' });
      expect(requests).to.have.length(1);
      const reference = requests[0]!.service_request_id!;
      expect(textOf(form, '.reference-number')).to.equal(reference);
      expect(textOf(form, '.announcement')).to.contain(reference);

      const due = '2030-01-02T09:00:00Z';
      await control({ action: 'update', id: reference, agency_responsible: 'Department of Public Works', status_notes: 'A crew is on the way.', expected_datetime: due });
      $<HTMLButtonElement>(el, '#tab-status')!.click();
      const status = $(el, 'intake-status') as IntakeStatus;
      await waitUntil(() => textOf(status, `[data-reference="${reference}"]`).includes('Department of Public Works'), 'agency in the list', { timeout: 20000 });
      $<HTMLButtonElement>(status, `[data-reference="${reference}"]`)!.click();
      await waitUntil(() => $(status, '.detail'), 'detail', WAIT);
      expect(textOf(status, '.department')).to.equal('Department of Public Works');
      expect(textOf(status, '.reply-text')).to.equal('A crew is on the way.');
      expect(textOf(status, '.reply-due')).to.equal(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(due)));
      expect(has(status, '.rate')).to.equal(false);
      await expect(el).to.be.accessible();
    } finally {
      el.panel?.client?.close();
      await control({ action: 'drop' });
    }
  });
});
