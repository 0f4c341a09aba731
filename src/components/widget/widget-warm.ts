/**
 * Warms the widget's client at intent, in parallel with the panel's code: the launcher calls
 * `warm(this)` as it imports the panel, so the client's code and the site's catalogue are on
 * their way while the views download. A small chunk of its own (with the client registry), never
 * in the views' chunk. The panel's `ready()` makes the same client (same options, so the same
 * instance from the registry) and takes the catalogue already asked for.
 */
import type { Catalog } from '../../client/protocol.js';
import type { IntakeClientApi, IntakeClientOptions } from '../../client/types.js';
import { resolveLocale } from '../../i18n/locale.js';
import { clientFor } from '../shared/client-registry.js';
import type { IntakeWidget } from './widget.component.js';

/** The catalogue asked for at intent, per client; the panel takes it once (then asks as before). */
const warming = new WeakMap<IntakeClientApi, Promise<Catalog>>();
/** Widgets already warmed: a second intent asks nothing again. */
const warmed = new WeakSet<IntakeWidget>();

/** The options of the client the widget makes from its attributes (the panel's and warm()'s). */
export function clientOptions(host: IntakeWidget, locale: string): IntakeClientOptions {
  const { endpoint, site, transport, jurisdiction, apiKey } = host;
  return { endpoint, site, locale, transport, ...(jurisdiction ? { jurisdiction } : {}), ...(apiKey ? { apiKey } : {}) };
}

/** The client the widget uses: the page's, or one made from its attributes (undefined without endpoint and site). */
export function widgetClient(host: IntakeWidget, locale: string): Promise<IntakeClientApi | undefined> {
  if (host.client) return Promise.resolve(host.client);
  return host.endpoint && host.site ? clientFor(clientOptions(host, locale)) : Promise.resolve(undefined);
}

/** The catalogue warm() asked this client for, once (a second call asks the client again). */
export function takeCatalog(client: IntakeClientApi): Promise<Catalog> {
  const early = warming.get(client);
  warming.delete(client);
  return early ?? client.catalog();
}

/** Starts the client and its catalogue fetch without waiting for the views. Never throws. */
export function warm(host: IntakeWidget): void {
  if (warmed.has(host)) return;
  warmed.add(host);
  widgetClient(host, resolveLocale(host.activeLocale)).then(
    (client) => {
      if (!client || warming.has(client)) return;
      const catalog = client.catalog();
      // The panel reports a failure when it takes the promise; no unhandled rejection meanwhile.
      catalog.catch(() => undefined);
      warming.set(client, catalog);
    },
    // The panel's ready() asks again and reports it.
    () => undefined,
  );
}
