/**
 * The outbox: every write a resident makes (a request, a message, feedback, a reopen) is stored
 * here with its idempotency key *before* anyone may call it saved, and stays until the server
 * acknowledges it. One tab per origin sends at a time (Web Locks); the others hear every change
 * over BroadcastChannel. Failed tries are retried with backoff and jitter; refusals (4xx) are not.
 */
import { IntakeError, toIntakeError } from './errors.js';
import { backoffDelay, type RetryOptions } from './retry.js';
import type { Acknowledged, ClientStore, OutboxItem, OutboxKind } from './store.js';
import type { ConversationInput, FeedbackInput, MessageInput, ReopenInput, RequestInput } from './protocol.js';
import { UPLOAD_REF, type DeliveryState } from './types.js';
import type { CallOptions, Transport } from './transports/transport.js';

/** A change of an item's state, local or heard from another tab. */
export interface OutboxUpdate {
  key: string;
  kind: OutboxKind;
  lane: string;
  state: DeliveryState;
  /** When `retrying`: the time of the next try. */
  nextTryAt?: number;
  /** When `sent`: the server's answer. */
  result?: unknown;
  /** When `failed` (or `retrying`): why. */
  error?: OutboxItem['error'];
}

export interface OutboxOptions {
  store: ClientStore;
  transport: Transport;
  scope: string;
  /** Web Locks name; one sender per name at a time. */
  lockName: string;
  /** BroadcastChannel name shared by the tabs of this scope. */
  channelName: string;
  retry?: RetryOptions;
  /** Lanes sent at once (default 4). Items within a lane always go one by one. */
  concurrency?: number;
  /** Longest wait between flushes while items are pending (default 30 s). */
  flushIntervalMs?: number;
  random?: () => number;
  /** Every state change, local or from another tab. */
  onUpdate(update: OutboxUpdate, remote: boolean): void;
  /** The outcome of a try, for the connection state: `ok`, or the error. */
  onAttempt?(outcome: 'ok' | IntakeError): void;
  /** This tab became (or stopped being) the sender. */
  onSender?(active: boolean): void;
  /** What to store with an acknowledgement (a known request, the conversation, an upload's attachment). */
  made?(item: OutboxItem, result: unknown): Acknowledged;
  /** The attachment id of an upload already acknowledged, if any. */
  uploaded?(key: string): Promise<string | undefined>;
  /** Progress of an upload under way. */
  onProgress?(key: string, loaded: number, total: number): void;
}

export { UPLOAD_REF };

/** `500` answers in a row after which an item is failed (shown with retry), so its lane goes on. */
export const MAX_SERVER_ERRORS = 5;

type ChannelMessage = { type: 'added' } | { type: 'update'; update: OutboxUpdate };

/** Keepalive bodies share a 64 KiB budget per page; stay well inside it. */
const KEEPALIVE_BUDGET = 48 * 1024;

export class Outbox {
  private readonly channel: BroadcastChannel | undefined;
  private readonly controller = new AbortController();
  private readonly sending = new Set<string>();
  private running: Promise<void> | undefined;
  private kicked = false;
  private wake: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private lastOrder = 0;
  /** The last flush found another tab sending: look again later, not in a tight loop. */
  private lockBusy = false;

  constructor(private readonly options: OutboxOptions) {
    if (typeof BroadcastChannel !== 'undefined' && options.store.kind === 'indexeddb') {
      this.channel = new BroadcastChannel(options.channelName);
      this.channel.onmessage = (event: MessageEvent<ChannelMessage>) => this.onChannel(event.data);
    }
  }

  /** Where items are kept. */
  get storage(): ClientStore['kind'] {
    return this.options.store.kind;
  }

  /** True while this tab is delivering the given item. */
  isSending(key: string): boolean {
    return this.sending.has(key);
  }

  /** A creation order that never goes backwards in this tab. */
  nextOrder(): number {
    const now = Date.now() * 1000;
    this.lastOrder = Math.max(now, this.lastOrder + 1);
    return this.lastOrder;
  }

  /** Stores an item; resolves once it is durable (as durable as the store). Then starts a flush. */
  async add(item: OutboxItem): Promise<void> {
    if (this.closed) throw new IntakeError('aborted', 'The client is closed');
    // After everything already stored, whichever tab stored it: a message typed in this tab after
    // one another tab has queued goes after it, even when both tabs' clocks give the same
    // millisecond (Firefox rounds Date.now) and the other tab's own counter is further on.
    const last = (await this.options.store.items(this.options.scope)).reduce((most, i) => Math.max(most, i.order), 0);
    if (item.order <= last) {
      item.order = last + 1;
      this.lastOrder = Math.max(this.lastOrder, item.order);
    }
    await this.options.store.putItem(item);
    this.options.onUpdate({ key: item.key, kind: item.kind, lane: item.lane, state: 'queued' }, false);
    this.post({ type: 'added' });
    void this.flush();
  }

  /** Items of this scope still waiting (including failed ones), oldest first. */
  pending(): Promise<OutboxItem[]> {
    return this.options.store.items(this.options.scope);
  }

  /** Makes an item due now; a failed item starts over. */
  async retryNow(key: string): Promise<void> {
    const item = await this.options.store.getItem(key);
    if (!item) return;
    const patch: Partial<OutboxItem> = { nextTryAt: 0, state: 'queued', error: undefined };
    if (item.state === 'failed') patch.attempts = 0;
    await this.options.store.updateItem(key, patch);
    this.announce({ key, kind: item.kind, lane: item.lane, state: 'queued' });
    this.post({ type: 'added' });
    await this.flush();
  }

  /** Drops an item the resident gave up on (typically a failed one). */
  async discard(key: string): Promise<void> {
    await this.options.store.deleteItem(key);
  }

  /**
   * Sends what is due. Only the tab holding the lock sends; in the others this returns at once
   * and the sender (told over BroadcastChannel) picks the items up.
   */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.kicked = true;
      this.wake?.();
      return this.running;
    }
    this.clearTimer();
    this.kicked = false;
    const run = this.runWithLock()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        if (this.closed) return;
        if (this.kicked) void this.flush();
        else void this.scheduleNext();
      });
    this.running = run;
    return run;
  }

  /**
   * On `pagehide`: small pending items go out with `keepalive`, so they may arrive even though the
   * page is going away. They stay in the outbox; the next flush repeats them with the same key and
   * the server answers with what it already has.
   */
  sendOnPageHide(): void {
    // Offline there is nothing to try: the next page sends them.
    if (this.closed || (typeof navigator !== 'undefined' && navigator.onLine === false)) return;
    void this.pending().then((items) => {
      let budget = KEEPALIVE_BUDGET;
      const lanes = new Set<string>();
      for (const item of items) {
        if (item.state === 'failed' || lanes.has(item.lane)) continue;
        // Those need a step first (an upload's id, a new conversation): the next flush does them.
        if (item.kind === 'upload' || item.uploads?.length || (item.kind === 'message' && !item.conversation)) continue;
        // Only each lane's first item: a later one could overtake it.
        lanes.add(item.lane);
        const size = JSON.stringify(item.body).length;
        if (size > budget) continue;
        budget -= size;
        this.call(item, { keepalive: true }).catch(() => undefined);
      }
    }).catch(() => undefined);
  }

  /** Stops sending; pending items stay stored for the next client. */
  close(): void {
    this.closed = true;
    this.controller.abort();
    this.clearTimer();
    this.wake?.();
    this.channel?.close();
  }

  private async runWithLock(): Promise<void> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (this.options.store.kind === 'memory' || !locks) {
      await this.drain();
      return;
    }
    let busy = false;
    await locks.request(this.options.lockName, { ifAvailable: true }, async (lock) => {
      if (!lock) {
        busy = true;
        return;
      }
      this.options.onSender?.(true);
      try {
        await this.drain();
      } finally {
        this.options.onSender?.(false);
      }
    });
    this.lockBusy = busy;
  }

  /** Sends due lane heads, a few lanes at once, until nothing is due. */
  private async drain(): Promise<void> {
    const inflight = new Map<string, Promise<void>>();
    const concurrency = Math.max(1, this.options.concurrency ?? 4);
    while (!this.closed) {
      this.kicked = false;
      const wake = new Promise<void>((resolve) => (this.wake = resolve));
      if (typeof navigator === 'undefined' || navigator.onLine !== false) {
        const now = Date.now();
        const items = await this.pending();
        const waiting = new Set(items.filter((i) => i.state !== 'failed').map((i) => i.key));
        for (const head of laneHeads(items)) {
          if (inflight.size >= concurrency) break;
          if (inflight.has(head.lane) || head.nextTryAt > now) continue;
          // A request goes once the uploads it carries are in (or one of them failed for good).
          if (head.uploads?.some((key) => waiting.has(key))) continue;
          const lane = head.lane;
          inflight.set(lane, this.deliver(head).finally(() => inflight.delete(lane)));
        }
      }
      if (inflight.size === 0) break;
      await Promise.race([...inflight.values(), wake]);
    }
    await Promise.all(inflight.values());
  }

  private async deliver(item: OutboxItem): Promise<void> {
    this.sending.add(item.key);
    this.announce({ key: item.key, kind: item.kind, lane: item.lane, state: 'sending' });
    try {
      const ready = await this.prepare(item);
      const result = await this.call(ready, { signal: this.controller.signal });
      await this.options.store.acknowledge(item.key, this.options.made?.(ready, result));
      this.options.onAttempt?.('ok');
      this.announce({ key: item.key, kind: item.kind, lane: item.lane, state: 'sent', result });
    } catch (thrown) {
      const error = toIntakeError(thrown);
      // Closing is not a failure: the item stays as it was for the next client.
      if (this.closed) return;
      this.options.onAttempt?.(error);
      // A 500 again and again is a body the server cannot take (not an outage: that is 502/503/504).
      const serverErrors = error.status === 500 ? (item.serverErrors ?? 0) + 1 : 0;
      if ((error.retryable || error.code === 'aborted') && serverErrors < MAX_SERVER_ERRORS) {
        const attempts = item.attempts + 1;
        const nextTryAt = Date.now() + backoffDelay(attempts, this.options.retry, error.retryAfter, this.options.random);
        const stored = await this.options.store.updateItem(item.key, { attempts, nextTryAt, serverErrors, state: 'retrying', error: error.toJSON() });
        if (stored) this.announce({ key: item.key, kind: item.kind, lane: item.lane, state: 'retrying', nextTryAt, error: error.toJSON() });
      } else {
        const stored = await this.options.store.updateItem(item.key, { state: 'failed', serverErrors: 0, error: error.toJSON() });
        if (stored) this.announce({ key: item.key, kind: item.kind, lane: item.lane, state: 'failed', error: error.toJSON() });
      }
    } finally {
      this.sending.delete(item.key);
    }
  }

  /**
   * What an item needs before its first try, stored so every try sends the same: a message queued
   * before its conversation existed gets the conversation; a request gets its uploads' ids.
   */
  private async prepare(item: OutboxItem): Promise<OutboxItem> {
    const { store } = this.options;
    if (item.kind === 'message' && !item.conversation && item.conversationKey) {
      const stored = await store.getConversation(item.scope);
      if (stored?.key !== item.conversationKey) throw new IntakeError('not_found', 'The conversation of this message was not created');
      const conversation = { id: stored.conversation.id, token: stored.conversation.token };
      await store.updateItem(item.key, { conversation });
      return { ...item, conversation };
    }
    if (item.kind === 'request' && item.uploads?.length) {
      const ids = new Map<string, string>();
      for (const key of item.uploads) {
        const id = await this.options.uploaded?.(key);
        if (!id) throw new IntakeError('upload_failed', 'A file of this request could not be uploaded', { fields: { attachments: key } });
        ids.set(`${UPLOAD_REF}${key}`, id);
      }
      const swap = (value: unknown): unknown =>
        Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? ids.get(v) ?? v : v)) : value;
      const body = item.body as RequestInput;
      const fields = Object.fromEntries(Object.entries(body.fields ?? {}).map(([k, v]) => [k, swap(v)])) as RequestInput['fields'];
      const ready = { ...body, fields, attachments: swap(body.attachments ?? []) as string[] };
      await store.updateItem(item.key, { body: ready, uploads: undefined });
      return { ...item, body: ready, uploads: undefined };
    }
    return item;
  }

  /** One try of one item, with its stored key and body. */
  private call(item: OutboxItem, options: CallOptions): Promise<unknown> {
    const { transport } = this.options;
    const auth = { accessToken: item.accessToken, contact: item.contact };
    switch (item.kind) {
      case 'request':
        return transport.createRequest(item.body as RequestInput, item.key, options);
      case 'message':
        if (!item.conversation) return Promise.reject(new IntakeError('bad_request', 'Message without a conversation'));
        return transport.postMessage(item.conversation, item.body as MessageInput, options);
      case 'feedback':
        return transport.sendFeedback(item.reference ?? '', item.body as FeedbackInput, item.key, auth, options);
      case 'reopen':
        return transport.reopen(item.reference ?? '', item.body as ReopenInput, item.key, auth, options);
      case 'conversation':
        return transport.createConversation(item.body as ConversationInput, item.key, options);
      case 'upload': {
        if (!item.file) return Promise.reject(new IntakeError('bad_request', 'Upload without a file'));
        const meta = item.body as { name: string; type: string };
        const file = new File([item.file], meta.name, { type: meta.type });
        return transport.upload(file, { ...options, onProgress: (loaded, total) => this.options.onProgress?.(item.key, loaded, total) });
      }
    }
  }

  private async scheduleNext(): Promise<void> {
    if (this.closed) return;
    const items = (await this.pending()).filter((i) => i.state !== 'failed');
    if (this.closed || items.length === 0 || this.running) return;
    const interval = this.options.flushIntervalMs ?? 30_000;
    const earliest = Math.min(...laneHeads(items).map((i) => i.nextTryAt));
    const floor = this.lockBusy ? Math.min(interval, 1000) : 0;
    const wait = Math.max(floor, Math.min(interval, earliest - Date.now()));
    this.clearTimer();
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private announce(update: OutboxUpdate): void {
    this.options.onUpdate(update, false);
    this.post({ type: 'update', update });
  }

  private post(message: ChannelMessage): void {
    if (this.closed || !this.channel) return;
    try {
      this.channel.postMessage(message);
    } catch {
      // A result that cannot be cloned is not worth breaking the sender for.
    }
  }

  private onChannel(message: ChannelMessage): void {
    if (this.closed || !message || typeof message !== 'object') return;
    if (message.type === 'update') this.options.onUpdate(message.update, true);
    else if (message.type === 'added') void this.flush();
  }
}

/** The first not-failed item of each lane, in order: the only one of its lane that may go. */
function laneHeads(items: OutboxItem[]): OutboxItem[] {
  const seen = new Set<string>();
  const heads: OutboxItem[] = [];
  for (const item of items) {
    if (item.state === 'failed' || seen.has(item.lane)) continue;
    seen.add(item.lane);
    heads.push(item);
  }
  return heads;
}
