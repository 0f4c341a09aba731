import { html, waitUntil } from '@open-wc/testing';
import '../../src/components/status/status.js';
import type { IntakeStatus } from '../../src/components/status/status.component.js';
import type { RequestDetail } from '../../src/client/protocol.js';
import { FakeClient, makeRequestCatalog } from '../helpers/fake-client.js';
import { mountTemplate } from './mount.js';

const WAIT = { timeout: 8000 };

/**
 * My requests with one known request (`detail`), opened on it: waits for its list item, clicks it
 * and waits until `ready` (a selector in the status view's shadow root) is there.
 */
export async function openRequest(detail: RequestDetail, locale: string, ready: string): Promise<IntakeStatus> {
  const client = new FakeClient({ catalog: makeRequestCatalog() });
  client.known.push({ reference: detail.reference, accessToken: 'secret', service: detail.service.id, type: detail.type, createdAt: detail.createdAt });
  client.requests.set(detail.reference, detail);
  const wrapper = await mountTemplate(html`<intake-status locale=${locale} .client=${client}></intake-status>`);
  const el = wrapper.querySelector('intake-status')!;
  const root = () => el.shadowRoot!;
  await waitUntil(() => root().querySelector(`[data-reference="${detail.reference}"] .badge`), 'list item', WAIT);
  root().querySelector<HTMLButtonElement>(`[data-reference="${detail.reference}"]`)!.click();
  await waitUntil(() => root().querySelector(ready), `${ready} shown`, WAIT);
  return el;
}
