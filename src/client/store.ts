/**
 * Where the client keeps things on the device: the outbox, known requests, the resident's
 * conversation per site, and drafts. IndexedDB (through `idb`) when the browser allows it; an
 * in-memory copy with the same interface when it does not (some private modes), which the UI
 * shows as "keep this page open until sent".
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Conversation } from './protocol.js';
import type { DeliveryState, KnownRequest, OutboxStorage } from './types.js';
import type { ConversationRef } from './transports/transport.js';

/** The kinds of write the outbox carries. */
export type OutboxKind = 'request' | 'message' | 'feedback' | 'reopen' | 'conversation' | 'upload';

/** One write waiting for the server's acknowledgement. Holds only what the call needs. */
export interface OutboxItem {
  /** Idempotency-Key (requests, feedback, reopen) or clientId (messages). */
  key: string;
  kind: OutboxKind;
  /** `<transport>|<endpoint>|<site>`: a client only sends its own scope's items. */
  scope: string;
  /** Items in one lane go out one at a time, in `order` (a conversation's messages). */
  lane: string;
  /** Creation order; across tabs close enough, within one tab strictly increasing. */
  order: number;
  createdAt: number;
  /** The JSON body, exactly as sent on every try. */
  body: unknown;
  conversation?: ConversationRef;
  /** A message to a conversation still in the outbox: the key it is being created with. */
  conversationKey?: string;
  /** An upload: the file's bytes, kept here until the server has them (an ArrayBuffer: WebKit cannot store a Blob). */
  file?: ArrayBuffer | Blob;
  /** A request: keys of queued uploads it waits for; their ids go into the body before the first try. */
  uploads?: string[];
  /** Answers `500` in a row: a text the server can never store must not hold its lane forever. */
  serverErrors?: number;
  reference?: string;
  accessToken?: string;
  /** A rating from a device it was not filed on: the contact given when filing. */
  contact?: string;
  attempts: number;
  /** Not before this time (ms since epoch). */
  nextTryAt: number;
  /** Persisted state: `queued`, `retrying` or `failed` (`sending` and `sent` live in memory only). */
  state: Extract<DeliveryState, 'queued' | 'retrying' | 'failed'>;
  error?: { code: string; message: string; status?: number; fields?: Record<string, string>; retryAfter?: number };
}

export interface StoredKnownRequest extends KnownRequest {
  /** `<scope>|<reference>`. */
  id: string;
  scope: string;
}

export interface StoredConversation {
  scope: string;
  conversation: Conversation;
  /** The Idempotency-Key it was created with (its outbox lane): messages queued before it existed name it. */
  key?: string;
}

/** What is stored with an acknowledgement, in the same transaction. */
export interface Acknowledged {
  /** A request: remembered for My requests. */
  known?: StoredKnownRequest;
  /** A conversation: the site's conversation from now on. */
  conversation?: StoredConversation;
  /** An upload: its attachment, kept (as a draft) for the request that waits for it. */
  draft?: StoredDraft;
}

export interface StoredDraft {
  /** `<scope>|<key>`. */
  id: string;
  value: unknown;
  expiresAt: number;
}

/** What the client needs from storage; both implementations behave the same. */
export interface ClientStore {
  readonly kind: OutboxStorage;
  putItem(item: OutboxItem): Promise<void>;
  getItem(key: string): Promise<OutboxItem | undefined>;
  /** Items of a scope, oldest first. */
  items(scope: string): Promise<OutboxItem[]>;
  /** Changes a stored item; does nothing if it is gone (acknowledged or discarded meanwhile). */
  updateItem(key: string, patch: Partial<OutboxItem>): Promise<OutboxItem | undefined>;
  deleteItem(key: string): Promise<void>;
  /** Deletes an acknowledged item and stores what it made (request, conversation, upload) — in one transaction. */
  acknowledge(key: string, made?: Acknowledged): Promise<void>;
  knownRequests(scope: string): Promise<StoredKnownRequest[]>;
  getKnownRequest(id: string): Promise<StoredKnownRequest | undefined>;
  putKnownRequest(known: StoredKnownRequest): Promise<void>;
  getConversation(scope: string): Promise<StoredConversation | undefined>;
  putConversation(entry: StoredConversation): Promise<void>;
  deleteConversation(scope: string): Promise<void>;
  getDraft(id: string): Promise<StoredDraft | undefined>;
  putDraft(draft: StoredDraft): Promise<void>;
  deleteDraft(id: string): Promise<void>;
  /** Deletes drafts that expired before `now`. */
  purgeDrafts(now: number): Promise<void>;
  close(): void;
}

interface IntakeDb extends DBSchema {
  outbox: { key: string; value: OutboxItem; indexes: { scope: string } };
  requests: { key: string; value: StoredKnownRequest; indexes: { scope: string } };
  conversations: { key: string; value: StoredConversation };
  drafts: { key: string; value: StoredDraft; indexes: { expiresAt: number } };
}

const DB_VERSION = 1;

/** Opens IndexedDB, or falls back to memory when it is missing, refused or hangs. */
export async function openStore(dbName: string, options: { storage?: 'auto' | 'memory'; openTimeoutMs?: number } = {}): Promise<ClientStore> {
  if (options.storage === 'memory' || typeof indexedDB === 'undefined' || indexedDB === null) return new MemoryStore();
  try {
    const opening = openDB<IntakeDb>(dbName, DB_VERSION, {
      upgrade(db) {
        const outbox = db.createObjectStore('outbox', { keyPath: 'key' });
        outbox.createIndex('scope', 'scope');
        const requests = db.createObjectStore('requests', { keyPath: 'id' });
        requests.createIndex('scope', 'scope');
        db.createObjectStore('conversations', { keyPath: 'scope' });
        const drafts = db.createObjectStore('drafts', { keyPath: 'id' });
        drafts.createIndex('expiresAt', 'expiresAt');
      },
    });
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error('IndexedDB did not open in time'));
      }, options.openTimeoutMs ?? 5000);
    });
    // A connection that opens after we gave up is closed, so it cannot block later upgrades.
    opening.then((db) => (timedOut ? db.close() : undefined)).catch(() => undefined);
    try {
      return new IdbStore(await Promise.race([opening, timeout]));
    } finally {
      clearTimeout(timer);
    }
  } catch {
    return new MemoryStore();
  }
}

const byOrder = (a: OutboxItem, b: OutboxItem): number => a.order - b.order || (a.key < b.key ? -1 : 1);

class IdbStore implements ClientStore {
  readonly kind = 'indexeddb' as const;
  constructor(private readonly db: IDBPDatabase<IntakeDb>) {}

  async putItem(item: OutboxItem): Promise<void> {
    await this.db.put('outbox', item);
  }
  getItem(key: string): Promise<OutboxItem | undefined> {
    return this.db.get('outbox', key);
  }
  async items(scope: string): Promise<OutboxItem[]> {
    return (await this.db.getAllFromIndex('outbox', 'scope', scope)).sort(byOrder);
  }
  async updateItem(key: string, patch: Partial<OutboxItem>): Promise<OutboxItem | undefined> {
    const tx = this.db.transaction('outbox', 'readwrite');
    const current = await tx.store.get(key);
    let next: OutboxItem | undefined;
    if (current) {
      next = { ...current, ...patch, key };
      await tx.store.put(next);
    }
    await tx.done;
    return next;
  }
  async deleteItem(key: string): Promise<void> {
    await this.db.delete('outbox', key);
  }
  async acknowledge(key: string, made: Acknowledged = {}): Promise<void> {
    const tx = this.db.transaction(['outbox', 'requests', 'conversations', 'drafts'], 'readwrite');
    await tx.objectStore('outbox').delete(key);
    if (made.known) await tx.objectStore('requests').put(made.known);
    if (made.conversation) await tx.objectStore('conversations').put(made.conversation);
    if (made.draft) await tx.objectStore('drafts').put(made.draft);
    await tx.done;
  }
  knownRequests(scope: string): Promise<StoredKnownRequest[]> {
    return this.db.getAllFromIndex('requests', 'scope', scope);
  }
  getKnownRequest(id: string): Promise<StoredKnownRequest | undefined> {
    return this.db.get('requests', id);
  }
  async putKnownRequest(known: StoredKnownRequest): Promise<void> {
    await this.db.put('requests', known);
  }
  getConversation(scope: string): Promise<StoredConversation | undefined> {
    return this.db.get('conversations', scope);
  }
  async putConversation(entry: StoredConversation): Promise<void> {
    await this.db.put('conversations', entry);
  }
  async deleteConversation(scope: string): Promise<void> {
    await this.db.delete('conversations', scope);
  }
  getDraft(id: string): Promise<StoredDraft | undefined> {
    return this.db.get('drafts', id);
  }
  async putDraft(draft: StoredDraft): Promise<void> {
    await this.db.put('drafts', draft);
  }
  async deleteDraft(id: string): Promise<void> {
    await this.db.delete('drafts', id);
  }
  async purgeDrafts(now: number): Promise<void> {
    const tx = this.db.transaction('drafts', 'readwrite');
    let cursor = await tx.store.index('expiresAt').openCursor(IDBKeyRange.upperBound(now));
    while (cursor) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  }
  close(): void {
    this.db.close();
  }
}

/** Same behaviour, kept in this page only: gone on reload. Values are copied like IndexedDB does. */
export class MemoryStore implements ClientStore {
  readonly kind = 'memory' as const;
  private readonly outbox = new Map<string, OutboxItem>();
  private readonly requests = new Map<string, StoredKnownRequest>();
  private readonly conversations = new Map<string, StoredConversation>();
  private readonly drafts = new Map<string, StoredDraft>();

  async putItem(item: OutboxItem): Promise<void> {
    this.outbox.set(item.key, structuredClone(item));
  }
  async getItem(key: string): Promise<OutboxItem | undefined> {
    return copy(this.outbox.get(key));
  }
  async items(scope: string): Promise<OutboxItem[]> {
    return [...this.outbox.values()].filter((i) => i.scope === scope).map((i) => structuredClone(i)).sort(byOrder);
  }
  async updateItem(key: string, patch: Partial<OutboxItem>): Promise<OutboxItem | undefined> {
    const current = this.outbox.get(key);
    if (!current) return undefined;
    const next = structuredClone({ ...current, ...patch, key });
    this.outbox.set(key, next);
    return structuredClone(next);
  }
  async deleteItem(key: string): Promise<void> {
    this.outbox.delete(key);
  }
  async acknowledge(key: string, made: Acknowledged = {}): Promise<void> {
    this.outbox.delete(key);
    if (made.known) this.requests.set(made.known.id, structuredClone(made.known));
    if (made.conversation) this.conversations.set(made.conversation.scope, structuredClone(made.conversation));
    if (made.draft) this.drafts.set(made.draft.id, structuredClone(made.draft));
  }
  async knownRequests(scope: string): Promise<StoredKnownRequest[]> {
    return [...this.requests.values()].filter((r) => r.scope === scope).map((r) => structuredClone(r));
  }
  async getKnownRequest(id: string): Promise<StoredKnownRequest | undefined> {
    return copy(this.requests.get(id));
  }
  async putKnownRequest(known: StoredKnownRequest): Promise<void> {
    this.requests.set(known.id, structuredClone(known));
  }
  async getConversation(scope: string): Promise<StoredConversation | undefined> {
    return copy(this.conversations.get(scope));
  }
  async putConversation(entry: StoredConversation): Promise<void> {
    this.conversations.set(entry.scope, structuredClone(entry));
  }
  async deleteConversation(scope: string): Promise<void> {
    this.conversations.delete(scope);
  }
  async getDraft(id: string): Promise<StoredDraft | undefined> {
    return copy(this.drafts.get(id));
  }
  async putDraft(draft: StoredDraft): Promise<void> {
    this.drafts.set(draft.id, structuredClone(draft));
  }
  async deleteDraft(id: string): Promise<void> {
    this.drafts.delete(id);
  }
  async purgeDrafts(now: number): Promise<void> {
    for (const [id, draft] of this.drafts) if (draft.expiresAt <= now) this.drafts.delete(id);
  }
  close(): void {
    // Nothing to release; the maps go with the client.
  }
}

function copy<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}
