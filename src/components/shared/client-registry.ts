/**
 * One client per backend and site on a page, made on first need by a dynamic import, so the
 * client's code stays out of the bytes loaded before the resident shows intent. A widget and an
 * inline chat for the same site share it (and so share one outbox sender).
 */
import type { IntakeClientApi, IntakeClientOptions } from '../../client/types.js';

const clients = new Map<string, Promise<IntakeClientApi>>();

export function clientFor(options: IntakeClientOptions): Promise<IntakeClientApi> {
  const key = JSON.stringify([options.endpoint, options.site, options.transport ?? 'intake', options.locale ?? '', options.jurisdiction ?? '', options.apiKey ?? '']);
  let client = clients.get(key);
  if (!client) {
    client = import('../../client/client.js').then(({ IntakeClient }) => new IntakeClient(options) as IntakeClientApi);
    client.catch(() => clients.delete(key));
    clients.set(key, client);
  }
  return client;
}
