/**
 * How an inline view finds its client: the `client` property, else one made (and shared) from
 * its own `endpoint`/`site` attributes or those of an enclosing `<intake-widget>`.
 */
import type { IntakeClientApi, TransportKind } from '../../client/types.js';
import { clientFor } from './client-registry.js';

export interface ViewHost extends HTMLElement {
  client?: IntakeClientApi;
  endpoint: string;
  site: string;
  transport?: TransportKind;
}

export function viewOptions(host: ViewHost): { endpoint: string; site: string } {
  const widget = host.closest('intake-widget');
  return {
    endpoint: host.endpoint || widget?.getAttribute('endpoint') || '',
    site: host.site || widget?.getAttribute('site') || '',
  };
}

export async function resolveClient(host: ViewHost, locale: string): Promise<IntakeClientApi | undefined> {
  if (host.client) return host.client;
  const { endpoint, site } = viewOptions(host);
  if (!endpoint || !site) return undefined;
  return clientFor({ endpoint, site, locale, ...(host.transport ? { transport: host.transport } : {}) });
}
