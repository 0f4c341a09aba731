/**
 * The last catalogue per endpoint, site and locale, kept on the device with its ETag: a return
 * visit has it at once and asks the server only whether it changed (If-None-Match → 304).
 *
 * It lives in the drafts object store under a `catalogue|` id (no IndexedDB version upgrade: an
 * upgrade would wait until every other tab still on the old version closed its connection), with
 * an expiry refreshed on each answer, so the drafts purge forgets a site not visited for 30 days.
 * What is read back is checked like an answer from the network: a copy that does not match the
 * protocol (an older version's, or damaged) is deleted and never shown.
 */
import * as v from 'valibot';
import { CatalogSchema, type Catalog } from './protocol.js';
import type { ClientStore } from './store.js';

/** How long a kept catalogue lives without a visit. */
export const KEPT_CATALOG_MS = 30 * 24 * 60 * 60 * 1000;

export interface KeptCatalog {
  catalog: Catalog;
  /** The server's validator; none when it sent none (the copy is still shown at once). */
  etag?: string;
  /** When the server last said this copy is current (ms since epoch). */
  checkedAt: number;
}

const KeptSchema = v.object({
  catalog: CatalogSchema,
  etag: v.optional(v.pipe(v.string(), v.maxLength(200))),
  checkedAt: v.number(),
});

/** The store id of the catalogue of `scope` (`<transport>|<endpoint>|<site>`) in `locale`. */
export const keptCatalogId = (scope: string, locale: string): string => `catalogue|${scope}|${locale}`;

/** The kept copy, or undefined (none, or one that failed the check, which is deleted). */
export async function readKeptCatalog(store: ClientStore, id: string): Promise<KeptCatalog | undefined> {
  const entry = await store.getDraft(id);
  if (!entry) return undefined;
  const parsed = v.safeParse(KeptSchema, entry.value);
  if (parsed.success && entry.expiresAt > Date.now()) return parsed.output;
  await store.deleteDraft(id);
  return undefined;
}

export async function writeKeptCatalog(store: ClientStore, id: string, kept: KeptCatalog): Promise<void> {
  await store.putDraft({ id, value: kept, expiresAt: kept.checkedAt + KEPT_CATALOG_MS });
}

export async function dropKeptCatalog(store: ClientStore, id: string): Promise<void> {
  await store.deleteDraft(id);
}
