// Browser-side handle on the fake backend (test/helpers/fake-backend.mjs): make a scenario,
// configure its faults, read what it stored.

export interface FakeConfig {
  seed?: number;
  reset?: number;
  busy?: number;
  saveThenFail?: number;
  delay?: number;
  maxDelayMs?: number;
  retryAfter?: number;
  sseCuts?: number;
  cutEvery?: number;
  replay?: number;
  retryMs?: number;
  pageSize?: number;
  answersDelayMs?: number;
  respond?: Record<string, { status?: number; type?: string | null; body?: unknown; repeat?: number; chunked?: boolean; times?: number; reset?: boolean; headers?: Record<string, string> }>;
}

export interface FakeState {
  requests: { key: string; reference: string; description: string; attachments?: string[]; fields?: Record<string, unknown>; contact?: Record<string, unknown> }[];
  conversations: Record<string, { key: string; lastSeq: number; closed?: boolean; messages: { seq: number; clientId?: string; text: string; author: string }[] }>;
  actions: { key: string; kind: string; reference: string }[];
  attempts: Record<string, number>;
  calls: Record<string, number>;
  maxInflight: number;
  sseConnections: number;
  cutsDone: number;
}

export class FakeBackend {
  readonly id: string;
  readonly endpoint: string;

  constructor(name = 'scenario') {
    this.id = `${name}-${Math.random().toString(36).slice(2, 10)}`;
    this.endpoint = `${location.origin}/fake/${this.id}/api/v1`;
  }

  static async create(name: string, config: FakeConfig = {}): Promise<FakeBackend> {
    const fake = new FakeBackend(name);
    await fake.control({ action: 'reset', config });
    return fake;
  }

  async control(body: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(`/fake/${this.id}/_control`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`control ${String(body.action)}: ${response.status}`);
    return response.json();
  }

  configure(config: FakeConfig): Promise<unknown> {
    return this.control({ action: 'config', config });
  }

  state(): Promise<FakeState> {
    return this.control({ action: 'state' }) as Promise<FakeState>;
  }

  staff(conversation: string, count: number, intervalMs = 0, text = 'staff'): Promise<unknown> {
    return this.control({ action: 'staff', conversation, count, intervalMs, text });
  }

  /** Staff close a conversation (`status: closed`, then `closed`); later messages get 409 `conversation_closed`. */
  close(conversation: string): Promise<unknown> {
    return this.control({ action: 'close', conversation });
  }

  drop(): Promise<unknown> {
    return this.control({ action: 'drop' });
  }
}

/** Polls `check` until it returns true (or a value), failing after `timeoutMs`. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 30_000, everyMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A seeded random source (mulberry32), for reproducible jitter. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function dbName(label: string): string {
  return `intake-test-${label}-${Math.random().toString(36).slice(2, 10)}`;
}

export function deleteDb(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}
