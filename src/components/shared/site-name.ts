/**
 * The site's name to show, or undefined when the backend gave none. An Open311 server knows no
 * site names: its catalogue carries the jurisdiction or site id (`riverside/xinhua`), which is no
 * name to a resident.
 */
import type { Catalog } from '../../client/protocol.js';
import type { TransportKind } from '../../client/types.js';

export function siteName(catalog: Catalog | undefined, transport?: TransportKind): string | undefined {
  const site = catalog?.site;
  const name = site?.name.trim();
  return site && name && transport !== 'open311' && name !== site.id ? name : undefined;
}
