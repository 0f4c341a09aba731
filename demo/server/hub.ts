/**
 * Fan-out of conversation events and staff-queue changes to this process's SSE streams, driven by
 * LISTEN/NOTIFY so that a change made by any process reaches every process. Notifications carry
 * only ids and seqs; the events themselves are read from the database (in seq order, no gaps).
 */
import type { ConversationEvent, TypingEvent } from '../../src/client/protocol.js';
import type { Db, Queryable } from './storage/db.js';

export interface ConversationSubscriber {
  /** Who watches: their own typing is not echoed back. */
  viewer: 'resident' | 'staff';
  /** The highest seq already sent. */
  lastSent: number;
  send(event: ConversationEvent): void;
  typing(event: TypingEvent): void;
}

export interface QueueChange {
  item: 'request' | 'conversation';
  id: string;
  /** When the change moved the item (a route): its scope before, so a console that saw it is told it is gone (staff/scope.ts). */
  was?: { site_id: string; department_id: string; assist_departments?: string[] | null };
}

type Notice = { c: string; seq: number } | { c: string; typing: { author: 'resident' | 'staff' | 'system'; typing: boolean } };

export class Hub {
  readonly eventsChannel: string;
  readonly queueChannel: string;
  private readonly conversations = new Map<string, Set<ConversationSubscriber>>();
  private readonly queueListeners = new Set<(change: QueueChange) => void>();
  private readonly pumping = new Set<string>();
  private readonly dirty = new Set<string>();
  private stops: (() => Promise<void>)[] = [];
  private closed = false;

  constructor(
    private readonly db: Db,
    prefix: string,
    private readonly log: (message: string) => void,
  ) {
    this.eventsChannel = `${prefix}events`;
    this.queueChannel = `${prefix}queue`;
  }

  async start(): Promise<void> {
    this.stops.push(await this.db.listen(this.eventsChannel, (payload) => this.onEventNotice(payload)));
    this.stops.push(await this.db.listen(this.queueChannel, (payload) => this.onQueueNotice(payload)));
    // Notifications sent while the LISTEN connection was down are lost: catch every stream up.
    this.db.onListenRestored(() => {
      for (const id of this.conversations.keys()) void this.pump(id);
    });
  }

  async stop(): Promise<void> {
    this.closed = true;
    for (const stop of this.stops) await stop().catch(() => undefined);
    this.stops = [];
    this.conversations.clear();
    this.queueListeners.clear();
  }

  /* ------------------------------------------------------------ publishing (inside a transaction) */

  async publishEvent(q: Queryable, conversationId: string, seq: number): Promise<void> {
    await q.query('SELECT pg_notify($1, $2)', [this.eventsChannel, JSON.stringify({ c: conversationId, seq })]);
  }

  async publishTyping(conversationId: string, author: 'resident' | 'staff', typing: boolean): Promise<void> {
    await this.db.query('SELECT pg_notify($1, $2)', [this.eventsChannel, JSON.stringify({ c: conversationId, typing: { author, typing } })]);
  }

  async publishQueue(q: Queryable, change: QueueChange): Promise<void> {
    await q.query('SELECT pg_notify($1, $2)', [this.queueChannel, JSON.stringify(change)]);
  }

  /* ------------------------------------------------------------ subscribing */

  /** Subscribes and catches up from `subscriber.lastSent`; returns the unsubscribe function. */
  subscribe(conversationId: string, subscriber: ConversationSubscriber): () => void {
    let set = this.conversations.get(conversationId);
    if (!set) {
      set = new Set();
      this.conversations.set(conversationId, set);
    }
    set.add(subscriber);
    void this.pump(conversationId);
    return () => {
      const current = this.conversations.get(conversationId);
      current?.delete(subscriber);
      if (current && !current.size) this.conversations.delete(conversationId);
    };
  }

  onQueue(fn: (change: QueueChange) => void): () => void {
    this.queueListeners.add(fn);
    return () => this.queueListeners.delete(fn);
  }

  get streamCount(): number {
    let n = 0;
    for (const set of this.conversations.values()) n += set.size;
    return n;
  }

  /* ------------------------------------------------------------ delivery */

  private onEventNotice(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    const subs = this.conversations.get(notice.c);
    if (!subs) return;
    if ('typing' in notice) {
      const event: TypingEvent = { type: 'typing', author: notice.typing.author, typing: notice.typing.typing };
      for (const sub of subs) if (sub.viewer !== event.author) sub.typing(event);
      return;
    }
    void this.pump(notice.c);
  }

  private onQueueNotice(payload: string): void {
    let change: QueueChange;
    try {
      change = JSON.parse(payload) as QueueChange;
    } catch {
      return;
    }
    for (const fn of this.queueListeners) fn(change);
  }

  /** Reads the events after the lowest seq any subscriber has and hands each subscriber its missing ones. */
  private async pump(conversationId: string): Promise<void> {
    if (this.pumping.has(conversationId)) {
      this.dirty.add(conversationId);
      return;
    }
    this.pumping.add(conversationId);
    try {
      do {
        this.dirty.delete(conversationId);
        const subs = this.conversations.get(conversationId);
        if (!subs?.size || this.closed) break;
        const from = Math.min(...[...subs].map((s) => s.lastSent));
        const rows = await this.db.query<{ data: ConversationEvent }>(
          'SELECT data FROM conversation_events WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000',
          [conversationId, from],
        );
        for (const sub of subs) {
          for (const { data } of rows) {
            if (data.seq === sub.lastSent + 1) {
              sub.lastSent = data.seq;
              sub.send(data);
            }
          }
        }
        if (rows.length === 1000) this.dirty.add(conversationId);
      } while (this.dirty.has(conversationId));
    } catch (err) {
      if (!this.closed) this.log(`[hub] delivery failed: ${(err as Error).message}`);
    } finally {
      this.pumping.delete(conversationId);
    }
  }
}
