/**
 * The catalogue editor (demo/console/staff-catalogue.ts) in a browser, with the demo city's file
 * and a fake client: the site tree, a service's fields (add, move, type, save with the server's
 * 422 at the field that caused it, nothing typed lost), the unsaved-changes warning, routing with
 * the inherited department, the privacy notice's new version, import with a dry run; axe in each
 * view, on a phone and a desktop.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { resize } from '../helpers/viewport.js';
import city from '../../demo/server/catalogue/demo-city.json';
import type { CatalogueFile } from '../../demo/server/catalogue/catalogue-file.js';
import { setLanguage } from '../../demo/console/i18n.js';
import '../../demo/console/staff-catalogue.js';
import type { StaffCatalogue } from '../../demo/console/staff-catalogue.js';
import { CatalogueApiError, type StaffClient } from '../../demo/console/staff-client.js';

type Call = { method: string; section?: string; id?: string; body?: unknown; dryRun?: boolean };

class FakeCatalogueClient {
  file: CatalogueFile = JSON.parse(JSON.stringify(city)) as CatalogueFile;
  calls: Call[] = [];
  /** The next save answers this instead of succeeding. */
  refuse?: CatalogueApiError;

  async catalogue() {
    return JSON.parse(JSON.stringify(this.file)) as CatalogueFile;
  }
  async exportCatalogue() {
    this.calls.push({ method: 'export' });
    return new Blob([JSON.stringify(this.file)], { type: 'application/json' });
  }
  async importCatalogue(text: string, dryRun: boolean) {
    this.calls.push({ method: 'import', body: text, dryRun });
    if (text.includes('"dropdown"')) {
      throw new CatalogueApiError(422, 'validation_failed', 'The file has problems', {}, [
        { line: 3, column: 5, path: 'services[0].fields[1].type', message: 'unknown field type "dropdown"' },
        { line: 9, column: 1, path: 'departments', message: 'no department is the dispatch centre' },
      ]);
    }
    return { dryRun, counts: { sites: 6, departments: 13, services: 17, routes: 5, answers: 40, removed: { sites: [], departments: [], services: ['old-service'] }, privacy: 'same' as const } };
  }
  async saveCatalogueEntry(section: string, id: string, entry: unknown) {
    this.calls.push({ method: 'PUT', section, id, body: JSON.parse(JSON.stringify(entry)) });
    if (this.refuse) {
      const refusal = this.refuse;
      this.refuse = undefined;
      throw refusal;
    }
    const list = (this.file as unknown as Record<string, { id?: string; service?: string; site?: string }[]>)[section]!;
    const at = list.findIndex((e) => (section === 'routes' ? `${e.service}@${e.site}` : e.id) === id);
    if (at >= 0) list[at] = entry as never;
    else list.push(entry as never);
    return entry;
  }
  async deleteCatalogueEntry(section: string, id: string) {
    this.calls.push({ method: 'DELETE', section, id });
    const list = (this.file as unknown as Record<string, { id?: string; service?: string; site?: string }[]>)[section]!;
    const at = list.findIndex((e) => (section === 'routes' ? `${e.service}@${e.site}` : e.id) === id);
    list.splice(at, 1);
  }
  async savePrivacy(privacy: CatalogueFile['privacy']) {
    this.calls.push({ method: 'PUT', section: 'privacy', body: privacy });
    this.file.privacy = privacy;
    return privacy;
  }
}

const WAIT = { timeout: 5000 };

async function mount(hash: string, client = new FakeCatalogueClient()) {
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  const el = await fixture<StaffCatalogue>(html`<staff-catalogue .client=${client as unknown as StaffClient}></staff-catalogue>`);
  await waitUntil(() => el.shadowRoot!.querySelector('nav') && !el.shadowRoot!.textContent!.includes('正在加载'), 'catalogue loaded', WAIT);
  await el.updateComplete;
  return { el, client };
}

const $ = <T extends Element = HTMLElement>(el: StaffCatalogue, selector: string) => el.shadowRoot!.querySelector<T & HTMLElement>(selector);
const $$ = (el: StaffCatalogue, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];

async function go(el: StaffCatalogue, hash: string) {
  location.hash = hash;
  await new Promise((r) => setTimeout(r, 30));
  await el.updateComplete;
}

function type(input: HTMLInputElement | HTMLTextAreaElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

describe('catalogue editor', () => {
  const confirms: string[] = [];
  let answer = true;
  const realConfirm = window.confirm;

  beforeEach(async () => {
    await setLanguage('zh-CN');
    sessionStorage.removeItem('intake-console.catalogue-draft');
    confirms.length = 0;
    answer = true;
    window.confirm = (message?: string) => {
      confirms.push(String(message));
      return answer;
    };
    await resize(1280, 800);
  });

  afterEach(() => {
    window.confirm = realConfirm;
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  });

  after(async () => {
    localStorage.removeItem('intake-console.lang');
  });

  it('shows the sites as a tree (district → street → community), searchable, and passes axe', async () => {
    const { el } = await mount('#/catalogue/sites');
    const links = $$(el, '.list li a');
    expect(links.map((a) => a.querySelector('.name')!.textContent!.trim())).to.deep.equal(['河畔区', '└新华街道', '└花园社区', '└车站社区', '└和平街道', '└湖畔社区']);
    expect(links[2]!.className).to.contain('depth-2');
    const search = $<HTMLInputElement>(el, 'input[type=search]')!;
    type(search, 'garden');
    await el.updateComplete;
    expect($$(el, '.list li a').length).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('edits a site: office hours per weekday and the reply promise', async () => {
    const { el, client } = await mount('#/catalogue/sites/riverside%2Fxinhua%2Fgarden');
    expect($(el, '#entry-heading')!.textContent).to.equal('花园社区');
    const hours = $<HTMLInputElement>(el, '#in-replyHours')!;
    type(hours, '24');
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('承诺 3 个工作日内答复');
    // Saturday off in the first period, and a second period added.
    const saturday = $$(el, '.days')[0]!.querySelectorAll<HTMLInputElement>('input')[5]!;
    saturday.click();
    $$(el, 'button').find((b) => b.textContent!.trim() === '添加时段')!.click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
    ($(el, 'button[type=submit]') as HTMLButtonElement).click();
    await waitUntil(() => client.calls.length === 1, 'saved', WAIT);
    const saved = client.calls[0]!;
    expect(saved.section).to.equal('sites');
    expect(saved.id).to.equal('riverside/xinhua/garden');
    const body = saved.body as CatalogueFile['sites'][number];
    expect(body.replyHours).to.equal(24);
    expect(body.officeHours[0]!.days).to.deep.equal([1, 2, 3, 4, 5]);
    expect(body.officeHours).to.have.length(2);
    await waitUntil(() => $(el, '.notice')!.textContent!.includes('已保存'), 'saved notice', WAIT);
  });

  it("edits a service's fields: add, type, options, reorder; a 422 shows at the field and nothing typed is lost", async () => {
    const { el, client } = await mount('#/catalogue/services/noise');
    const before = (client.file.services.find((s) => s.id === 'noise')!).fields.length;
    $$(el, 'button').find((b) => b.textContent!.trim() === '添加字段')!.click();
    await el.updateComplete;
    const cards = () => $$(el, '[data-field-index]');
    expect(cards()).to.have.length(before + 1);
    const last = before;
    const label = $<HTMLInputElement>(el, `#in-fields_${last}__labels_zh-CN`)!;
    await waitUntil(() => el.shadowRoot!.activeElement === label, 'focus on the new label', WAIT);
    type(label, '楼层');
    const typeSelect = cards()[last]!.querySelector<HTMLSelectElement>('select')!;
    typeSelect.value = 'single';
    typeSelect.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(cards()[last]!.textContent).to.contain('选项');
    // Move it up once, with the keyboard staying on the button.
    cards()[last]!.querySelector<HTMLButtonElement>('[data-move="up"]')!.click();
    await el.updateComplete;
    expect(cards()[last - 1]!.textContent).to.contain('楼层');
    await waitUntil(() => (el.shadowRoot!.activeElement as HTMLElement | null)?.matches(`[data-field-index="${last - 1}"] [data-move="up"]`), 'focus follows the field', WAIT);

    client.refuse = new CatalogueApiError(422, 'validation_failed', 'invalid', { [`fields[${last - 1}].options[0].labels.zh-CN`]: 'is empty' }, []);
    ($(el, 'button[type=submit]') as HTMLButtonElement).click();
    await waitUntil(() => $(el, '#error-summary'), 'error summary', WAIT);
    const bad = $<HTMLInputElement>(el, `#in-fields_${last - 1}__options_0__labels_zh-CN`)!;
    expect(bad.getAttribute('aria-invalid')).to.equal('true');
    expect(bad.getAttribute('aria-describedby')).to.contain('err-');
    expect(el.shadowRoot!.getElementById(bad.getAttribute('aria-describedby')!)!.textContent).to.equal('不能为空');
    await waitUntil(() => el.shadowRoot!.activeElement?.id === 'error-summary', 'focus on the error summary', WAIT);
    // What was typed is still there.
    expect($<HTMLInputElement>(el, `#in-fields_${last - 1}__labels_zh-CN`)!.value).to.equal('楼层');
    await expect(el).to.be.accessible();

    // The summary's link goes to the input.
    $(el, '#error-summary button')!.click();
    expect(el.shadowRoot!.activeElement).to.equal(bad);
    type(bad, '一楼');
    ($(el, 'button[type=submit]') as HTMLButtonElement).click();
    await waitUntil(() => client.calls.length === 2 && !$(el, '#error-summary'), 'saved the second time', WAIT);
    const saved = client.calls[1]!.body as CatalogueFile['services'][number];
    expect(saved.fields[last - 1]!.type).to.equal('single');
    expect(saved.fields[last - 1]!.options![0]!.labels['zh-CN']).to.equal('一楼');
  });

  it('warns before leaving unsaved changes, keeps them for the tab, and restores them', async () => {
    const { el } = await mount('#/catalogue/departments/housing');
    type($<HTMLInputElement>(el, '#in-names_zh-CN')!, '区住建局');
    await el.updateComplete;
    expect(el.dirty).to.equal(true);
    expect(el.shadowRoot!.textContent).to.contain('有未保存的修改');
    answer = false;
    await go(el, '#/catalogue/departments/water');
    expect(confirms).to.have.length(1);
    expect(location.hash).to.equal('#/catalogue/departments/housing');
    expect($<HTMLInputElement>(el, '#in-names_zh-CN')!.value).to.equal('区住建局');
    // Gone and back (a reload of the view): the draft comes back.
    el.remove();
    const again = await mount('#/catalogue/departments/housing');
    expect($<HTMLInputElement>(again.el, '#in-names_zh-CN')!.value).to.equal('区住建局');
    expect($(again.el, '.notice')!.textContent).to.contain('已恢复');
  });

  it('adds a department (the id checked first), then a refused delete says why', async () => {
    const { el, client } = await mount('#/catalogue/departments');
    $(el, '.list .button-link')!.click();
    await new Promise((r) => setTimeout(r, 30));
    await el.updateComplete;
    expect($(el, '#entry-heading')!.textContent).to.equal('新增部门');
    const id = $<HTMLInputElement>(el, '#in-id')!;
    expect(id.readOnly).to.equal(false);
    type(id, 'water');
    type($<HTMLInputElement>(el, '#in-names_zh-CN')!, '区河长制办公室');
    ($(el, 'button[type=submit]') as HTMLButtonElement).click();
    await waitUntil(() => $(el, '#error-summary'), 'id taken', WAIT);
    expect(el.shadowRoot!.textContent).to.contain('编号“water”已被使用');
    expect(client.calls).to.have.length(0);
    type(id, 'river-chief');
    ($(el, 'button[type=submit]') as HTMLButtonElement).click();
    await waitUntil(() => location.hash === '#/catalogue/departments/river-chief', 'opened as saved', WAIT);
    expect(client.calls[0]).to.deep.include({ method: 'PUT', section: 'departments', id: 'river-chief' });
    await waitUntil(() => $(el, '#entry-heading')?.textContent === '区河长制办公室', 'heading', WAIT);
    expect($<HTMLInputElement>(el, '#in-id')!.readOnly).to.equal(true);

    client.deleteCatalogueEntry = async () => {
      throw new CatalogueApiError(409, 'conflict', 'The department "river-chief" is still in use: 2 requests (1 open)', {}, []);
    };
    $$(el, 'button').find((b) => b.textContent!.trim() === '删除此项')!.click();
    await waitUntil(() => $(el, '.error[role=alert]'), 'refusal shown', WAIT);
    expect($(el, '.error[role=alert]')!.textContent).to.contain('still in use');
    expect(confirms.some((c) => c.includes('区河长制办公室'))).to.equal(true);
  });

  it('routes a service per site, the inherited department visible', async () => {
    const { el, client } = await mount('#/catalogue/routes/neighbour-dispute');
    const row = (site: string) => $(el, `tr[data-site="${site}"]`)!;
    const garden = row('riverside/xinhua/garden').querySelector('select')!;
    expect(garden.selectedOptions[0]!.textContent).to.contain('新华街道办事处');
    expect(garden.selectedOptions[0]!.textContent).to.contain('来自新华街道');
    expect(row('riverside').querySelector('select')!.selectedOptions[0]!.textContent).to.contain('沿用默认');
    expect(row('riverside/xinhua').textContent).to.contain('本站点规则');
    await expect(el).to.be.accessible();
    // Garden gets its own rule; Heping's is removed.
    garden.value = 'civil-affairs';
    garden.dispatchEvent(new Event('change'));
    const heping = row('riverside/heping').querySelector('select')!;
    heping.value = '';
    heping.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(row('riverside/heping/lakeside').querySelector('select')!.selectedOptions[0]!.textContent).to.contain('沿用默认');
    ($(el, 'button[type=submit]') as HTMLButtonElement).click();
    await waitUntil(() => client.calls.length === 2, 'two calls', WAIT);
    expect(client.calls.map((c) => `${c.method} ${c.id}`)).to.deep.equal(['PUT neighbour-dispute@riverside/xinhua/garden', 'DELETE neighbour-dispute@riverside/heping']);
  });

  it('publishing a new privacy version warns that residents agree again', async () => {
    const { el, client } = await mount('#/catalogue/privacy');
    const version = $<HTMLInputElement>(el, '#in-version')!;
    expect(el.shadowRoot!.textContent).to.contain(`当前发布的版本：${client.file.privacy.version}`);
    type(version, '2027-01');
    await el.updateComplete;
    expect($(el, '.warn')!.textContent).to.contain('重新阅读并同意');
    await expect(el).to.be.accessible();
    answer = false;
    ($(el, 'button[type=submit]') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(confirms[0]).to.contain('2027-01');
    expect(client.calls).to.have.length(0);
    answer = true;
    ($(el, 'button[type=submit]') as HTMLButtonElement).click();
    await waitUntil(() => client.calls.length === 1, 'published', WAIT);
    expect((client.calls[0]!.body as { version: string }).version).to.equal('2027-01');
  });

  it('imports after a dry run: the problems by line, or the counts, then confirm', async () => {
    const { el, client } = await mount('#/catalogue/transfer');
    const transfer = el.shadowRoot!.querySelector('staff-catalogue-transfer')!;
    await transfer.updateComplete;
    const q = <T extends HTMLElement>(s: string) => transfer.shadowRoot!.querySelector<T>(s)!;
    const buttons = () => [...transfer.shadowRoot!.querySelectorAll<HTMLButtonElement>('.tools button')];
    type(q<HTMLTextAreaElement>('#import-text'), '{"type": "dropdown"}');
    await transfer.updateComplete;
    expect(buttons()[2]!.disabled, 'import before a check').to.equal(true);
    buttons()[1]!.click();
    await waitUntil(() => transfer.shadowRoot!.querySelector('table[data-problems]'), 'problems', WAIT);
    const rows = [...transfer.shadowRoot!.querySelectorAll('table[data-problems] tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows).to.deep.equal([
      ['第 3 行，第 5 列', 'services[0].fields[1].type', 'unknown field type "dropdown"'],
      ['第 9 行，第 1 列', 'departments', 'no department is the dispatch centre'],
    ]);
    await expect(el).to.be.accessible();
    // A problem's line selects that line of the text.
    type(q<HTMLTextAreaElement>('#import-text'), '{\n  "a": 1,\n  "type": "dropdown"\n}');
    await transfer.updateComplete;
    buttons()[1]!.click();
    await waitUntil(() => transfer.shadowRoot!.querySelector('table[data-problems] button'), 'line buttons', WAIT);
    transfer.shadowRoot!.querySelector<HTMLButtonElement>('table[data-problems] button')!.click();
    const area = q<HTMLTextAreaElement>('#import-text');
    expect(transfer.shadowRoot!.activeElement).to.equal(area);
    expect(area.value.slice(area.selectionStart, area.selectionEnd)).to.equal('  "type": "dropdown"');
    type(q<HTMLTextAreaElement>('#import-text'), JSON.stringify(client.file));
    await transfer.updateComplete;
    buttons()[1]!.click();
    await waitUntil(() => transfer.shadowRoot!.textContent!.includes('检查通过'), 'checked', WAIT);
    expect(transfer.shadowRoot!.textContent).to.contain('17 个事项');
    expect(transfer.shadowRoot!.textContent).to.contain('old-service');
    expect(buttons()[2]!.disabled).to.equal(false);
    buttons()[2]!.click();
    await waitUntil(() => transfer.shadowRoot!.textContent!.includes('导入完成'), 'imported', WAIT);
    expect(client.calls.filter((c) => c.method === 'import').map((c) => c.dryRun)).to.deep.equal([true, true, true, false]);
    expect(confirms).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('on a phone: the list, then the form, then back; English too', async function () {
    const sized = await resize(390, 844);
    // The whole test is about the phone layout: an engine that cannot set the size skips it (viewport.ts).
    if (!sized) this.skip();
    await setLanguage('en');
    const { el } = await mount('#/catalogue/services');
    expect(getComputedStyle($(el, '.list')!).display).to.not.equal('none');
    expect(getComputedStyle($(el, '.editor')!).display).to.equal('none');
    await go(el, '#/catalogue/services/parking');
    expect(getComputedStyle($(el, '.list')!).display).to.equal('none');
    expect($(el, '#entry-heading')!.textContent).to.equal('Parking and blocked roads');
    expect($(el, '.back a')!.textContent).to.contain('Back to Services');
    const wide = [...el.shadowRoot!.querySelectorAll<HTMLElement>('*')].filter((x) => x.getBoundingClientRect().right > 391).map((x) => `${x.tagName}#${x.id}`);
    expect(wide, 'wider than the phone').to.deep.equal([]);
    if (sized) expect(document.documentElement.scrollWidth).to.be.at.most(390);
    await expect(el).to.be.accessible();
    await go(el, '#/catalogue/services');
    expect(getComputedStyle($(el, '.list')!).display).to.not.equal('none');
  });
});
