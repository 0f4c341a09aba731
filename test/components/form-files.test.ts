// Issue 15, item 2: a photo picked offline is queued with the request, never dropped in silence;
// every step says where each file really is.
import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/components/form/form.js';
import type { IntakeForm } from '../../src/components/form/form.component.js';
import { mountTemplate } from './mount.js';
import { FakeClient, makeRequestCatalog, type DraftStore } from '../helpers/fake-client.js';
import { $, $$, WAIT, fill, next, pick, step, textOf, toStep } from '../helpers/view-driver.js';

async function mount(client: FakeClient): Promise<IntakeForm> {
  const wrapper = await mountTemplate(html`<intake-form locale="en" .client=${client}></intake-form>`);
  const el = wrapper.querySelector('intake-form')!;
  await waitUntil(() => $(el, 'form'), 'form ready', WAIT);
  return el;
}

async function choose(el: IntakeForm, file: File): Promise<void> {
  const input = $<HTMLInputElement>(el, '#f-fields-photos')!;
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

async function toDetails(el: IntakeForm): Promise<void> {
  await pick(el, 'input[name="kind"][value="complaint"]');
  await next(el);
  await toStep(el, 'service');
  await pick(el, 'input[name="service"][value="rubbish"]');
  await next(el);
  await toStep(el, 'details');
  await fill(el, '#f-description', 'The bins on Garden Road were not emptied this week.');
  await fill(el, '#f-fields-location', 'Garden Road');
  await pick(el, 'input[name="bin_type"][value="o1"]');
}

const photo = (name = 'photo.png') => new File([new Uint8Array([137, 80, 78, 71])], name, { type: 'image/png' });

/** queueUpload() held until release(): the bytes are still being saved on the device. */
class HeldClient extends FakeClient {
  calls = 0;
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  release(): void {
    this.open();
  }
  override async queueUpload(file: File) {
    this.calls++;
    await this.gate;
    return super.queueUpload(file);
  }
}

async function chooseMany(el: IntakeForm, files: File[]): Promise<void> {
  const input = $<HTMLInputElement>(el, '#f-fields-photos')!;
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

/** The request catalogue with the photo required. */
function requiredPhotoCatalog() {
  const catalog = makeRequestCatalog();
  return {
    ...catalog,
    services: catalog.services.map((s) => (s.id === 'rubbish' ? { ...s, fields: s.fields.map((f) => (f.id === 'photos' ? { ...f, required: true } : f)) } : s)),
  };
}

describe('<intake-form> files (issue 15)', () => {
  it('a photo picked offline waits with the request: Continue goes on, the check step says so, the request carries it', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toDetails(el);
    await choose(el, photo());
    await waitUntil(() => textOf(el, '.file-state').includes('Waiting to upload'), 'queued shown', WAIT);
    expect($(el, '.error-message')).to.equal(null);
    await next(el);
    await toStep(el, 'contact');
    await pick(el, 'input[name="contact"][value="anonymous"]');
    await pick(el, '#f-consent');
    await next(el);
    await toStep(el, 'check');
    expect(textOf(el, '.summary-list')).to.contain('photo.png (Waiting to upload: it goes with the request)');
    await next(el);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    const key = [...client.uploadStates.keys()][0]!;
    expect(client.submitted[0]!.draft.fields?.['photos']).to.deep.equal([`intake-upload:${key}`]);
  });

  it('an upload refused for good is said, blocks Continue, and shows "Not uploaded" on the check step', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toDetails(el);
    await choose(el, photo());
    await waitUntil(() => client.uploads.length === 1, 'queued', WAIT);
    client.uploads[0]!.fail();
    await waitUntil(() => textOf(el, '.file-state') === 'Not uploaded', 'failed shown', WAIT);
    await next(el);
    await waitUntil(() => textOf(el, '.error-summary').includes('photo.png could not be uploaded'), 'blocked', WAIT);
    expect(step(el)).to.equal('details');
  });

  it('after a reload the queued photo is still there, and shows uploaded once the outbox has sent it', async () => {
    const drafts: DraftStore = new Map();
    const first = new FakeClient({ catalog: makeRequestCatalog(), drafts });
    const el = await mount(first);
    await toDetails(el);
    await choose(el, photo());
    await waitUntil(() => ((drafts.get('form:rubbish') as { files?: Record<string, unknown[]> } | undefined)?.files?.['photos'] ?? []).length === 1, 'draft keeps the queued file', WAIT);
    el.remove();

    const second = new FakeClient({ catalog: makeRequestCatalog(), drafts });
    const key = ((drafts.get('form:rubbish') as { files: Record<string, { key: string }[]> }).files['photos']![0]!).key;
    second.uploadStates.set(key, { value: 'sent', attachment: { id: 'att-9', name: 'photo.png', size: 4, type: 'image/png' } });
    const again = await mount(second);
    await waitUntil(() => textOf(again, '.file-state') === 'Uploaded', 'uploaded after the reload', WAIT);
    expect($$(again, '.file')).to.have.length(1);
  });

  it('picking 3 files where 2 are allowed queues 2 and says why, even while the first are still being saved', async () => {
    const client = new HeldClient({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toDetails(el);
    await chooseMany(el, [photo('a.png'), photo('b.png'), photo('c.png')]);
    // Shown at once, before the device has saved them.
    await waitUntil(() => $$(el, '.file').length === 2, 'two files listed at once', WAIT);
    expect(textOf(el, '.file-state')).to.equal('Saving on this device…');
    expect(textOf(el, '#f-fields-photos-error')).to.contain('you can add 2 files at most');
    client.release();
    await waitUntil(() => $$(el, '.file-state').every((s) => s.textContent?.includes('Waiting to upload')), 'both queued', WAIT);
    expect(client.calls).to.equal(2);
    expect(client.uploads.map((u) => u.file.name)).to.deep.equal(['a.png', 'b.png']);
    expect($$(el, '.file-name').map((n) => n.textContent)).to.deep.equal(['a.png', 'b.png']);
  });

  it('a required photo chosen and Continue pressed at once goes on; the request waits for the file and carries its real key', async () => {
    const client = new HeldClient({ catalog: requiredPhotoCatalog() });
    const el = await mount(client);
    await toDetails(el);
    await choose(el, photo());
    await next(el);
    await toStep(el, 'contact');
    expect(textOf(el, '.error-summary')).to.equal('');
    await pick(el, 'input[name="contact"][value="anonymous"]');
    await pick(el, '#f-consent');
    await next(el);
    await toStep(el, 'check');
    expect(textOf(el, '.summary-list')).to.contain('photo.png (Saving on this device…)');
    await next(el);
    // Not sent with a key that does not exist yet: it waits for the device to have the file.
    expect(client.submitted).to.have.length(0);
    client.release();
    await waitUntil(() => client.submitted.length === 1, 'submitted once saved', WAIT);
    const key = [...client.uploadStates.keys()][0]!;
    expect(client.submitted[0]!.draft.fields?.['photos']).to.deep.equal([`intake-upload:${key}`]);
  });

  it('a file that cannot be saved on the device stays listed as not uploaded, with its error, and blocks Continue', async () => {
    const client = new HeldClient({ catalog: makeRequestCatalog() });
    client.queueUpload = async () => {
      throw Object.assign(new Error('quota'), { code: 'storage' });
    };
    const el = await mount(client);
    await toDetails(el);
    await choose(el, photo());
    await waitUntil(() => textOf(el, '.file-state') === 'Not uploaded', 'failed shown', WAIT);
    expect(textOf(el, '#f-fields-photos-error')).to.contain('photo.png could not be uploaded');
    await next(el);
    await waitUntil(() => textOf(el, '.error-summary').includes('photo.png could not be uploaded'), 'blocked', WAIT);
    expect(step(el)).to.equal('details');
  });

  it('a file removed while it is still being saved leaves nothing queued behind', async () => {
    const client = new HeldClient({ catalog: makeRequestCatalog() });
    const discarded: string[] = [];
    client.discard = async (key: string) => {
      discarded.push(key);
    };
    const el = await mount(client);
    await toDetails(el);
    await choose(el, photo());
    await waitUntil(() => $$(el, '.file').length === 1, 'listed', WAIT);
    $<HTMLButtonElement>(el, '.file button')!.click();
    await el.updateComplete;
    expect($$(el, '.file')).to.have.length(0);
    client.release();
    await waitUntil(() => discarded.includes([...client.uploadStates.keys()][0] ?? '-'), 'the saved upload dropped', WAIT);
    expect($$(el, '.file')).to.have.length(0);
  });

  it('a reload while a file is still being saved: the file is still listed, as not uploaded, never gone in silence', async () => {
    const drafts: DraftStore = new Map();
    const first = new HeldClient({ catalog: makeRequestCatalog(), drafts });
    const el = await mount(first);
    await toDetails(el);
    await choose(el, photo());
    await waitUntil(() => $$(el, '.file').length === 1, 'listed', WAIT);
    el.remove(); // the page goes before the device has the bytes

    const again = await mount(new FakeClient({ catalog: makeRequestCatalog(), drafts }));
    await waitUntil(() => textOf(again, '.file-state') === 'Not uploaded', 'still listed, not uploaded', WAIT);
    expect(textOf(again, '.file-name')).to.equal('photo.png');
    expect(textOf(again, '#f-fields-photos-error')).to.contain('photo.png could not be uploaded');
  });
});
