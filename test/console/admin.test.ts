/**
 * The console's admin views in a browser with a fake client: the audit log (sentences in both
 * languages, item links, details, filters in the address, older pages, an item's trail), accounts
 * (list, search, create with the server's 422 at the field and nothing typed lost, disable), my
 * account (own password, sign out everywhere) and the reply-signature settings (live preview,
 * per-site inherit); axe on a phone and a desktop.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { resize } from '../helpers/viewport.js';
import { setLanguage } from '../../demo/console/i18n.js';
import '../../demo/console/staff-audit.js';
import '../../demo/console/staff-accounts.js';
import '../../demo/console/staff-settings.js';
import { filterOf, viewFromHash, type StaffAudit, type StaffAuditTrail } from '../../demo/console/staff-audit.js';
import type { StaffAccounts, StaffMyAccount } from '../../demo/console/staff-accounts.js';
import type { StaffSettingsView } from '../../demo/console/staff-settings.js';
import { StaffApiError, type AuditFilter, type StaffClient } from '../../demo/console/staff-client.js';
import type { Account, AuditEntry } from '../../demo/server/accounts/accounts-api.js';
import type { StaffSettings } from '../../demo/server/staff/staff-api.js';

const WAIT = { timeout: 5000 };
const at = (n: number) => new Date(Date.UTC(2026, 11, 1, 8, n)).toISOString();
const account = (id: string, login: string, displayName: string, role: Account['role'], extra: Partial<Account> = {}): Account => ({
  id, login, displayName, role, departmentId: null, siteId: null, disabled: false, builtIn: false,
  createdAt: at(0), updatedAt: at(0), passwordChangedAt: null, lastSignInAt: null, ...extra,
});

class FakeClient {
  calls: { method: string; args: unknown[] }[] = [];
  entries: AuditEntry[] = [
    { seq: 5, id: 'e5', at: at(50), actor: { id: 'u1', name: '王芳', role: 'dispatcher' }, action: 'route', target: { kind: 'request', id: 'RS-7KQ2-M9XD-N' }, detail: { from: 'dispatch', department: 'market-regulation' } },
    { seq: 4, id: 'e4', at: at(40), actor: { id: 'u2', name: '李明', role: 'department' }, action: 'contact_view', target: { kind: 'request', id: 'RS-7KQ2-M9XD-N' }, detail: { kind: 'complaint', department: 'market-regulation' } },
    { seq: 3, id: 'e3', at: at(30), actor: null, action: 'sign_in_failed', target: null, detail: { login: 'nobody', reason: 'unknown_login' } },
    { seq: 2, id: 'e2', at: at(20), actor: { id: 'u9', name: '孙丽', role: 'administrator' }, action: 'account_change', target: { kind: 'account', id: 'u2' }, detail: { login: 'li.ming', changes: { displayName: { from: '李明', to: '李明明' } } } },
    { seq: 1, id: 'e1', at: at(10), actor: { id: 'u9', name: '孙丽', role: 'administrator' }, action: 'settings_change', target: { kind: 'settings', id: 'riverside/xinhua' }, detail: { signature: 'office_initial', previous: null } },
  ];
  accountsList: Account[] = [
    account('u1', 'wang.fang', '王芳', 'dispatcher', { lastSignInAt: at(5) }),
    account('u2', 'li.ming', '李明', 'department', { departmentId: 'market-regulation' }),
    account('u3', 'old.hand', '老张', 'site', { siteId: 'riverside/xinhua', disabled: true }),
    account('u9', 'admin', '孙丽', 'administrator'),
  ];
  settingsValue: StaffSettings = { global: { signature: 'office_name' }, sites: { 'riverside/xinhua': { signature: 'office_initial' } } };
  /** The next write answers this instead. */
  refuse?: StaffApiError;

  private take() {
    const r = this.refuse;
    this.refuse = undefined;
    if (r) throw r;
  }
  async departments() {
    return [{ id: 'dispatch', name: '12345 受理中心' }, { id: 'market-regulation', name: '区市场监管局' }, { id: 'sanitation', name: '区环卫所' }];
  }
  async sites() {
    return [
      { id: 'riverside', name: '河畔区', parent: null, level: 'district', timeZone: 'Asia/Shanghai' },
      { id: 'riverside/xinhua', name: '新华街道', parent: 'riverside', level: 'street', timeZone: 'Asia/Shanghai' },
      { id: 'riverside/xinhua/garden', name: '花园社区', parent: 'riverside/xinhua', level: 'community', timeZone: 'Asia/Shanghai' },
    ];
  }
  async me() {
    return { user: { id: 'u9', login: 'admin', displayName: '孙丽', role: 'administrator', departmentId: null, siteId: null }, expiresAt: null };
  }
  async accounts() {
    return this.accountsList;
  }
  async audit(filter: AuditFilter = {}) {
    this.calls.push({ method: 'audit', args: [filter] });
    let list = this.entries.filter((e) => (!filter.actor || e.actor?.id === filter.actor) && (!filter.action || e.action === filter.action) && (!filter.targetId || e.target?.id === filter.targetId));
    if (filter.before !== undefined) list = list.filter((e) => e.seq < filter.before!);
    const limit = filter.limit ?? 100;
    const page = list.slice(0, limit);
    return { entries: page, next: list.length > limit ? page[page.length - 1]!.seq : null };
  }
  async createAccount(input: unknown) {
    this.calls.push({ method: 'createAccount', args: [input] });
    this.take();
    const made = account('u10', (input as { login: string }).login, (input as { displayName: string }).displayName, (input as { role: Account['role'] }).role);
    return made;
  }
  async updateAccount(id: string, patch: unknown) {
    this.calls.push({ method: 'updateAccount', args: [id, patch] });
    this.take();
    const before = this.accountsList.find((a) => a.id === id)!;
    return { ...before, ...(patch as object) } as Account;
  }
  async changePassword(current: string, next: string) {
    this.calls.push({ method: 'changePassword', args: [current, next] });
    this.take();
  }
  async settings() {
    return this.settingsValue;
  }
  async putSettings(input: { scope: string; signature: string | null }) {
    this.calls.push({ method: 'putSettings', args: [input] });
    const sites = { ...this.settingsValue.sites };
    if (input.signature === null) delete sites[input.scope];
    else if (input.scope !== 'global') sites[input.scope] = { signature: input.signature as 'office' };
    this.settingsValue = { global: input.scope === 'global' ? { signature: input.signature as 'office' } : this.settingsValue.global, sites };
    return this.settingsValue;
  }
}

const $ = <T extends HTMLElement = HTMLElement>(el: HTMLElement, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;
const $$ = (el: HTMLElement, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (el: HTMLElement) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}
function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}
const deepFocus = () => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a?.id ?? '';
};
const hash = (h: string) => history.replaceState(null, '', `${location.pathname}${location.search}${h}`);

describe('admin views', () => {
  beforeEach(async () => {
    await setLanguage('zh-CN');
    await resize(1280, 800);
  });
  afterEach(() => hash(''));
  after(() => localStorage.removeItem('intake-console.lang'));

  it('audit: the address gives the filters, and a reference means the request', () => {
    const view = viewFromHash('#/audit/?actor=u1&action=route&id=rs-7kq2-m9xd-n&from=2026-12-01&to=2026-12-01&kind=');
    expect(view).to.deep.equal({ actor: 'u1', action: 'route', id: 'rs-7kq2-m9xd-n', from: '2026-12-01', to: '2026-12-01' });
    const filter = filterOf(view);
    expect(filter.targetKind).to.equal('request');
    expect(filter.targetId).to.equal('RS-7KQ2-M9XD-N');
    expect(new Date(filter.until!).getTime() - new Date(filter.since!).getTime()).to.equal(24 * 3600_000);
    expect(viewFromHash('#/audit/?from=yesterday')).to.deep.equal({});
  });

  it('audit: entries as sentences with links and details, filters into the address, older pages; axe', async () => {
    hash('#/audit');
    const client = new FakeClient();
    const el = await fixture<StaffAudit>(html`<staff-audit .client=${client as unknown as StaffClient}></staff-audit>`);
    await waitUntil(() => $$(el, 'ol.entries > li').length === 5 && text(el).includes('区市场监管局'), 'entries', WAIT);
    const items = $$(el, 'ol.entries > li');
    expect(items[0]!.querySelector('.sentence')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('王芳 将工单 RS-7KQ2-M9XD-N派给 区市场监管局');
    expect(items[0]!.querySelector('a')!.getAttribute('href')).to.equal('#/request/RS-7KQ2-M9XD-N');
    expect(items[1]!.textContent).to.contain('李明 查看了工单 RS-7KQ2-M9XD-N的联系方式');
    expect(items[2]!.textContent).to.contain('账号 nobody 登录失败：账号不存在');
    expect(items[3]!.textContent).to.contain('孙丽 修改了账号 li.ming');
    expect(items[3]!.querySelector('dl')!.textContent).to.contain('姓名：李明 → 李明明');
    expect(items[4]!.textContent).to.contain('孙丽 将新华街道的答复署名改为“单位 + 姓氏”');
    expect(items[0]!.querySelector('time')!.getAttribute('datetime')).to.equal(at(50));
    await expect(el).to.be.accessible();

    choose($<HTMLSelectElement>(el, '#f-action'), 'route');
    $<HTMLButtonElement>(el, 'form button[type=submit]').click();
    await waitUntil(() => $$(el, 'ol.entries > li').length === 1, 'filtered', WAIT);
    expect(location.hash).to.equal('#/audit/?action=route');
    expect(client.calls.at(-1)!.args[0]).to.include({ action: 'route' });

    // Paging: "older" asks with before and appends.
    client.entries = [...client.entries, ...Array.from({ length: 60 }, (_, i) => ({ ...client.entries[4]!, seq: -i - 1, id: `x${i}` }))];
    $<HTMLButtonElement>(el, 'form button.secondary').click();
    await waitUntil(() => $$(el, 'ol.entries > li').length === 50, 'first page', WAIT);
    expect(location.hash).to.equal('#/audit');
    $<HTMLButtonElement>(el, 'button.older').click();
    await waitUntil(() => $$(el, 'ol.entries > li').length === 65, 'older page', WAIT);
    expect(client.calls.at(-1)!.args[0]).to.include({ before: client.entries[49]!.seq });
    expect($(el, 'button.older')).to.equal(null);

    await setLanguage('en');
    await el.updateComplete;
    expect($$(el, 'ol.entries > li')[0]!.textContent!.replace(/\s+/g, ' ')).to.contain('王芳 routed work order RS-7KQ2-M9XD-N to 区市场监管局');
    const sized = await resize(390, 844);
    await expect(el).to.be.accessible();
    if (sized) expect(document.documentElement.scrollWidth).to.be.at.most(390);
  });

  it('audit trail: one item, without the item named again; nothing for a role that may not read the log', async () => {
    const client = new FakeClient();
    const el = await fixture<StaffAuditTrail>(html`<staff-audit-trail target-kind="request" target-id="RS-7KQ2-M9XD-N" .client=${client as unknown as StaffClient}></staff-audit-trail>`);
    await waitUntil(() => $$(el, 'li').length === 2, 'trail', WAIT);
    expect(client.calls[0]!.args[0]).to.include({ targetKind: 'request', targetId: 'RS-7KQ2-M9XD-N' });
    expect($$(el, 'li')[1]!.textContent).to.contain('李明 查看了本事项的联系方式');
    await expect(el).to.be.accessible();
    const refusing = new FakeClient();
    refusing.audit = async () => {
      throw new StaffApiError(403, 'forbidden', 'no');
    };
    const hidden = await fixture<StaffAuditTrail>(html`<staff-audit-trail target-kind="request" target-id="RS-1" .client=${refusing as unknown as StaffClient}></staff-audit-trail>`);
    await new Promise((r) => setTimeout(r, 50));
    expect(hidden.shadowRoot!.children.length === 0 || !hidden.shadowRoot!.querySelector('section')).to.equal(true);
  });

  it('accounts: list, search and role filter, disabled marked; axe', async () => {
    hash('#/accounts');
    const el = await fixture<StaffAccounts>(html`<staff-accounts .client=${new FakeClient() as unknown as StaffClient}></staff-accounts>`);
    await waitUntil(() => $$(el, 'tbody tr').length === 4, 'list', WAIT);
    expect($$(el, 'tbody tr').at(-1)!.textContent).to.contain('已停用');
    expect($(el, 'tr[data-login="li.ming"]').textContent).to.contain('区市场监管局');
    type($<HTMLInputElement>(el, '#a-q'), '王');
    await el.updateComplete;
    expect($$(el, 'tbody tr').length).to.equal(1);
    type($<HTMLInputElement>(el, '#a-q'), '');
    choose($<HTMLSelectElement>(el, '#a-role'), 'site');
    await el.updateComplete;
    expect($$(el, 'tbody tr').map((r) => r.dataset.login)).to.deep.equal(['old.hand']);
    await expect(el).to.be.accessible();
    const sized = await resize(390, 844);
    await expect(el).to.be.accessible();
    if (sized) expect(document.documentElement.scrollWidth).to.be.at.most(390);
  });

  it('accounts: a new account checks fields first, shows the server 422 at its field and keeps what was typed', async () => {
    hash('#/accounts/new');
    const client = new FakeClient();
    const el = await fixture<StaffAccounts>(html`<staff-accounts .client=${client as unknown as StaffClient}></staff-accounts>`);
    await waitUntil(() => $(el, '#f-login'), 'form', WAIT);
    type($<HTMLInputElement>(el, '#f-login'), 'zhou.jie');
    type($<HTMLInputElement>(el, '#f-name'), '周杰');
    type($<HTMLInputElement>(el, '#f-password'), 'short');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await waitUntil(() => $(el, '#e-department'), 'client-side problems', WAIT);
    expect($(el, '#e-password').textContent).to.contain('至少需要 10 个字符');
    expect(deepFocus()).to.equal('f-department');
    expect(client.calls.filter((c) => c.method === 'createAccount')).to.have.length(0);
    choose($<HTMLSelectElement>(el, '#f-department'), 'sanitation');
    type($<HTMLInputElement>(el, '#f-password'), 'a-good-password');
    client.refuse = new StaffApiError(422, 'validation_failed', 'Some fields are not valid', { login: 'Already in use' });
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await waitUntil(() => $(el, '#e-login'), 'server problem', WAIT);
    expect($(el, '#e-login').textContent).to.contain('该账号已被使用');
    expect($<HTMLInputElement>(el, '#f-login').getAttribute('aria-describedby')).to.equal('h-login e-login');
    expect($<HTMLInputElement>(el, '#f-name').value).to.equal('周杰');
    expect($<HTMLInputElement>(el, '#f-password').value).to.equal('a-good-password');
    expect(client.calls.at(-1)!.args[0]).to.deep.equal({ login: 'zhou.jie', displayName: '周杰', role: 'department', department: 'sanitation', site: null, password: 'a-good-password' });
    await expect(el).to.be.accessible();
    type($<HTMLInputElement>(el, '#f-login'), 'zhou.jie2');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await waitUntil(() => location.hash === '#/accounts/u10', 'created', WAIT);
    expect(text(el)).to.contain('已创建账号 zhou.jie2');
  });

  it('accounts: what is typed into a new account while the lists still load is kept when they arrive', async () => {
    hash('#/accounts/new');
    const client = new FakeClient();
    let answer!: () => void;
    const late = new Promise<void>((resolve) => (answer = resolve));
    const accounts = client.accounts.bind(client);
    client.accounts = async () => {
      await late;
      return accounts();
    };
    const el = await fixture<StaffAccounts>(html`<staff-accounts .client=${client as unknown as StaffClient}></staff-accounts>`);
    await waitUntil(() => $(el, '#f-login'), 'form', WAIT);
    type($<HTMLInputElement>(el, '#f-login'), 'zhou.jie');
    type($<HTMLInputElement>(el, '#f-name'), '周杰');
    answer();
    await waitUntil(() => $(el, '#f-department option[value=sanitation]'), 'departments listed', WAIT);
    choose($<HTMLSelectElement>(el, '#f-department'), 'sanitation');
    type($<HTMLInputElement>(el, '#f-password'), 'a-good-password');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await waitUntil(() => client.calls.some((c) => c.method === 'createAccount'), 'account sent', WAIT);
    expect(client.calls.find((c) => c.method === 'createAccount')!.args[0]).to.deep.equal({ login: 'zhou.jie', displayName: '周杰', role: 'department', department: 'sanitation', site: null, password: 'a-good-password' });
  });

  it('accounts: editing disables an account and resets its password; one cannot disable oneself', async () => {
    hash('#/accounts/u2');
    const client = new FakeClient();
    const el = await fixture<StaffAccounts>(html`<staff-accounts .client=${client as unknown as StaffClient}></staff-accounts>`);
    await waitUntil(() => $(el, '#f-name') && $<HTMLInputElement>(el, '#f-name').value === '李明', 'form', WAIT);
    expect($<HTMLInputElement>(el, '#f-login').readOnly).to.equal(true);
    const box = $<HTMLInputElement>(el, 'input[name=disabled]');
    box.click();
    type($<HTMLInputElement>(el, '#f-password'), 'new-password-22');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await waitUntil(() => client.calls.some((c) => c.method === 'updateAccount'), 'saved', WAIT);
    expect(client.calls.at(-1)!.args).to.deep.equal(['u2', { disabled: true, password: 'new-password-22' }]);
    await waitUntil(() => text(el).includes('密码已重置'), 'saved message', WAIT);
    expect($<HTMLInputElement>(el, '#f-password').value).to.equal('');
    hash('#/accounts/u9');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await waitUntil(() => $<HTMLInputElement>(el, '#f-name')?.value === '孙丽', 'own account', WAIT);
    await waitUntil(() => $<HTMLInputElement>(el, 'input[name=disabled]').disabled, 'self not disabled', WAIT);
  });

  it('my account: checks the new password, shows a wrong current one at its field, signs out everywhere', async () => {
    const client = new FakeClient();
    const el = await fixture<StaffMyAccount>(html`<staff-my-account .client=${client as unknown as StaffClient}></staff-my-account>`);
    await waitUntil(() => text(el).includes('admin'), 'me', WAIT);
    type($<HTMLInputElement>(el, '#p-current'), 'old-password-1');
    type($<HTMLInputElement>(el, '#p-next'), 'new-password-1');
    type($<HTMLInputElement>(el, '#p-repeat'), 'new-password-2');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await waitUntil(() => $(el, '#e-repeat'), 'mismatch', WAIT);
    expect(client.calls).to.have.length(0);
    type($<HTMLInputElement>(el, '#p-repeat'), 'new-password-1');
    client.refuse = new StaffApiError(422, 'validation_failed', 'Some fields are not valid', { current: 'Wrong password' });
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await waitUntil(() => $(el, '#e-current'), 'wrong current', WAIT);
    expect($(el, '#e-current').textContent).to.contain('当前密码不正确');
    expect(deepFocus()).to.equal('p-current');
    expect($<HTMLInputElement>(el, '#p-next').value).to.equal('new-password-1');
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await waitUntil(() => text(el).includes('密码已修改'), 'changed', WAIT);
    let everywhere: boolean | undefined;
    el.addEventListener('sign-out', (e) => (everywhere = (e as CustomEvent<{ everywhere: boolean }>).detail.everywhere));
    $<HTMLButtonElement>(el, '[data-sign-out-everywhere]').click();
    expect(everywhere).to.equal(true);
  });

  it('settings: a live preview of the signature, a site inheriting or set on its own; axe', async () => {
    const client = new FakeClient();
    const el = await fixture<StaffSettingsView>(html`<staff-settings .client=${client as unknown as StaffClient}></staff-settings>`);
    await waitUntil(() => $(el, '[data-signature]'), 'settings', WAIT);
    expect($(el, '[data-signature]').textContent).to.equal('区市场监管局 · 王芳');
    choose($<HTMLSelectElement>(el, '#s-office'), 'sanitation');
    await el.updateComplete;
    expect($(el, '[data-signature]').textContent).to.equal('区环卫所 · 王芳');
    choose($<HTMLSelectElement>(el, '#s-office'), 'market-regulation');
    $<HTMLInputElement>(el, 'input[value=office_number]').click();
    await el.updateComplete;
    expect($(el, '[data-signature]').textContent).to.equal('区市场监管局 · 工号 wangfang');
    // The community inherits its street's own setting (office and initial).
    choose($<HTMLSelectElement>(el, '#s-scope'), 'riverside/xinhua/garden');
    await el.updateComplete;
    expect($<HTMLInputElement>(el, 'input[name=mode][value=""]').checked).to.equal(true);
    expect($(el, '[data-signature]').textContent).to.equal('区市场监管局 · 王*');
    expect(text(el)).to.contain('沿用上级：单位 + 姓氏（来自新华街道）');
    $<HTMLInputElement>(el, 'input[value=office]').click();
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await waitUntil(() => client.calls.length === 1, 'saved', WAIT);
    expect(client.calls[0]!.args[0]).to.deep.equal({ scope: 'riverside/xinhua/garden', signature: 'office' });
    await waitUntil(() => text(el).includes('已保存花园社区的署名设置'), 'saved message', WAIT);
    await expect(el).to.be.accessible();
    await setLanguage('en');
    const sized = await resize(390, 844);
    await el.updateComplete;
    expect($(el, '[data-signature]').textContent).to.equal('区市场监管局');
    await expect(el).to.be.accessible();
    if (sized) expect(document.documentElement.scrollWidth).to.be.at.most(390);
  });
});
