/**
 * The first administrator's setup view (demo/console/staff-setup.ts) in a browser, with fetch
 * answering as the server would: fields checked before sending (focus on the first problem), the
 * server's 422 at its field, a used link, success signing in; axe on a phone and a desktop; both
 * languages. (Written by the accounts helper for its first version of the view.)
 */
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { resize } from '../helpers/viewport.js';
import { setLanguage } from '../../demo/console/i18n.js';
import '../../demo/console/staff-setup.js';
import { setupTokenOf, type StaffSetup } from '../../demo/console/staff-setup.js';
import type { Session } from '../../demo/console/staff-client.js';

const TOKEN = 'NhMejbsWhsqspNKnYQzPghY-AQmRZiNG';
const realFetch = window.fetch;
let answers: { status: number; body: unknown }[] = [];
let sent: { url: string; body: unknown }[] = [];

function fakeFetch() {
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), body: init?.body ? JSON.parse(String(init.body)) : null });
    const answer = answers.shift() ?? { status: 500, body: { error: { code: 'server_error', message: 'no answer' } } };
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
}

async function view(): Promise<StaffSetup> {
  return fixture<StaffSetup>(html`<staff-setup api-base="http://api.test/api/v1" token=${TOKEN}></staff-setup>`);
}

function fill(el: StaffSetup, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) (el.shadowRoot!.querySelector(`#${name}`) as HTMLInputElement).value = value;
}

const submit = (el: StaffSetup) => (el.shadowRoot!.querySelector('button[type="submit"]') as HTMLButtonElement).click();
const deepFocus = () => {
  let at: Element | null = document.activeElement;
  while (at?.shadowRoot?.activeElement) at = at.shadowRoot.activeElement;
  return at?.id ?? '';
};

describe('staff-setup', () => {
  beforeEach(async () => {
    answers = [];
    sent = [];
    fakeFetch();
    await setLanguage('en');
  });
  afterEach(() => {
    window.fetch = realFetch;
  });
  after(() => localStorage.removeItem('intake-console.lang'));

  it('reads the token from #/setup/<token> only', () => {
    expect(setupTokenOf(`#/setup/${TOKEN}`)).to.equal(TOKEN);
    expect(setupTokenOf('#/setup/')).to.equal(null);
    expect(setupTokenOf(`#/request/${TOKEN}`)).to.equal(null);
  });

  it('checks the fields before sending and focuses the first problem', async () => {
    const el = await view();
    fill(el, { login: '', displayName: 'Chief', password: 'short', confirm: 'other' });
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector('#login-error'));
    expect(sent).to.have.length(0);
    expect(el.shadowRoot!.querySelector('#password-error')!.textContent).to.contain('at least 10');
    expect(el.shadowRoot!.querySelector('#confirm-error')!.textContent).to.contain('differ');
    expect(el.shadowRoot!.querySelector('#login')!.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.querySelector('#login')!.getAttribute('aria-describedby')).to.equal('login-hint login-error');
    expect(deepFocus()).to.equal('login');
    await expect(el).to.be.accessible();
  });

  it('shows the server\'s 422 at its field, a used link as an alert, and signs in on success', async () => {
    const el = await view();
    let done: Session | null = null;
    el.addEventListener('staff-setup-done', (e) => (done = e.detail));
    fill(el, { login: 'chief', displayName: '区长办', password: 'chief-password-1', confirm: 'chief-password-1' });
    answers.push({ status: 422, body: { error: { code: 'validation_failed', message: 'Some fields are not valid', fields: { login: 'Already in use' } } } });
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector('#login-error'));
    expect(el.shadowRoot!.querySelector('#login-error')!.textContent).to.contain('already in use');
    expect(sent[0]!.url).to.equal('http://api.test/api/v1/staff/setup');
    expect(sent[0]!.body).to.deep.equal({ token: TOKEN, login: 'chief', displayName: '区长办', password: 'chief-password-1' });
    // Nothing typed is lost.
    expect((el.shadowRoot!.querySelector('#password') as HTMLInputElement).value).to.equal('chief-password-1');

    answers.push({ status: 401, body: { error: { code: 'unauthorized', message: 'This setup link is not valid' } } });
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'));
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('not valid');

    const user = { id: 'a1', login: 'chief', displayName: '区长办', role: 'administrator', departmentId: null, siteId: null };
    answers.push({ status: 201, body: { token: 'session-token', expiresAt: '2026-12-02T12:00:00.000Z', absoluteExpiresAt: '2026-12-09T00:00:00.000Z', user } });
    submit(el);
    await waitUntil(() => done);
    expect(done!.token).to.equal('session-token');
    expect(done!.user).to.deep.equal(user);
  });

  it('is in simplified Chinese by default and passes axe on a phone and a desktop', async () => {
    await setLanguage('zh-CN');
    for (const [width, height] of [[390, 844], [1280, 800]] as const) {
      await resize(width, height);
      fixtureCleanup();
      const el = await view();
      expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('设置第一位管理员');
      await expect(el).to.be.accessible();
    }
  });
});
