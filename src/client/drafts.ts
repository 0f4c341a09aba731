/**
 * Drafts: a half-typed form or message survives a reload. Kept per site, for seven days by
 * default; an expired draft reads as absent and is deleted.
 */
import type { ClientStore, StoredDraft } from './store.js';

export const DRAFT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export class Drafts {
  constructor(
    private readonly store: Promise<ClientStore>,
    private readonly scope: string,
    private readonly ttlMs = DRAFT_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Saves (or replaces) a draft; the value must be structured-cloneable (plain data). */
  async save(key: string, value: unknown): Promise<void> {
    const store = await this.store;
    await store.putDraft({ id: this.id(key), value, expiresAt: this.now() + this.ttlMs });
  }

  /** A draft record for this site, to store in another transaction (an upload's attachment with its acknowledgement). */
  entry(key: string, value: unknown): StoredDraft {
    return { id: this.id(key), value, expiresAt: this.now() + this.ttlMs };
  }

  /** The draft, or undefined when there is none or it expired. */
  async load<T>(key: string): Promise<T | undefined> {
    const store = await this.store;
    const draft = await store.getDraft(this.id(key));
    if (!draft) return undefined;
    if (draft.expiresAt <= this.now()) {
      await store.deleteDraft(draft.id);
      return undefined;
    }
    return draft.value as T;
  }

  async clear(key: string): Promise<void> {
    const store = await this.store;
    await store.deleteDraft(this.id(key));
  }

  /** Deletes every expired draft (of any site). */
  async purge(): Promise<void> {
    const store = await this.store;
    await store.purgeDrafts(this.now());
  }

  private id(key: string): string {
    return `${this.scope}|${key}`;
  }
}
