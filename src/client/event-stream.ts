/**
 * A conversation's live events: Server-Sent Events resumed with `Last-Event-ID` (the browser does
 * it on its own reconnects; a fresh EventSource asks for `?after=seq`), every stored event
 * delivered once and in order (deduplicated by `seq`), and — when the stream keeps failing —
 * polling `messages?after=seq` with backoff until streaming works again. Catches up when the
 * device comes back online or the page becomes visible.
 */
import * as v from 'valibot';
import { STREAM_EVENT_NAMES, StreamEventSchema, type ConversationEvent, type StreamEvent } from './protocol.js';
import { toIntakeError, type IntakeError } from './errors.js';
import { backoffDelay, type RetryOptions } from './retry.js';
import type { ConversationRef, Transport } from './transports/transport.js';

/** How the stream is doing, for the connection state. */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'polling' | 'closed';

export interface EventStreamOptions {
  transport: Transport;
  conversation: ConversationRef;
  /** Deliver events with a seq above this (0: from the start). */
  after: number;
  handler: (event: StreamEvent) => void;
  retry?: RetryOptions;
  /** Stream failures in a row (with no event in between) before falling back to polling (default 3). */
  maxStreamFailures?: number;
  /** Polling interval while polling works (default 5 s). */
  pollIntervalMs?: number;
  /** While polling, how often to try the stream again (default 60 s). */
  streamRetryMs?: number;
  onState?(state: StreamState, error?: IntakeError): void;
  random?: () => number;
  /** The EventSource constructor (tests may pass another; default the browser's). */
  eventSource?: typeof EventSource;
}

/** A stream that stayed open this long counts as having worked, even without events. */
const HEALTHY_MS = 10_000;

export class EventStream {
  private lastSeq: number;
  private source: EventSource | undefined;
  private openedAt = 0;
  private failures = 0;
  private pollFailures = 0;
  private mode: 'stream' | 'poll' = 'stream';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private streamRetryAt = 0;
  private polling: Promise<void> | undefined;
  private readonly controller = new AbortController();
  private closed = false;
  private state: StreamState = 'connecting';

  constructor(private readonly options: EventStreamOptions) {
    this.lastSeq = Math.max(0, options.after);
  }

  /** The highest seq delivered so far. */
  get seq(): number {
    return this.lastSeq;
  }

  /** Whether events currently come from the stream or from polling. */
  get transportMode(): 'stream' | 'poll' {
    return this.mode;
  }

  start(): void {
    if (this.closed) return;
    const Source = this.options.eventSource ?? (typeof EventSource !== 'undefined' ? EventSource : undefined);
    if (!Source || this.options.transport.eventsUrl(this.options.conversation, this.lastSeq) === null) {
      this.startPolling();
      return;
    }
    this.openSource();
  }

  /** Fetches what was missed (deduplicated), and reopens a closed stream. Safe to call any time. */
  async catchUp(): Promise<void> {
    if (this.closed) return;
    await this.pollOnce().catch(() => undefined);
    if (this.mode === 'stream' && !this.source && !this.closed) {
      this.clearTimer();
      this.openSource();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    this.controller.abort();
    this.source?.close();
    this.source = undefined;
    this.setState('closed');
  }

  private openSource(): void {
    const Source = this.options.eventSource ?? EventSource;
    const url = this.options.transport.eventsUrl(this.options.conversation, this.lastSeq);
    if (url === null) {
      this.startPolling();
      return;
    }
    this.mode = 'stream';
    this.setState(this.failures > 0 ? 'reconnecting' : 'connecting');
    const source = new Source(url);
    this.source = source;
    source.onopen = () => {
      if (source !== this.source) return;
      this.openedAt = Date.now();
      this.setState('open');
    };
    for (const name of STREAM_EVENT_NAMES) {
      source.addEventListener(name, (event) => {
        if (source !== this.source) return;
        if (name !== 'typing') this.failures = 0;
        this.receive((event as MessageEvent<unknown>).data);
      });
    }
    source.onerror = () => {
      if (source !== this.source || this.closed) return;
      if (this.openedAt && Date.now() - this.openedAt >= HEALTHY_MS) this.failures = 0;
      this.openedAt = 0;
      this.failures += 1;
      const limit = this.options.maxStreamFailures ?? 3;
      if (this.failures >= limit) {
        source.close();
        this.source = undefined;
        this.startPolling();
      } else if (source.readyState === 2 /* CLOSED: the browser gave up (HTTP error, wrong type) */) {
        source.close();
        this.source = undefined;
        this.setState('reconnecting');
        this.later(backoffDelay(this.failures, this.options.retry, undefined, this.options.random), () => this.openSource());
      } else {
        // CONNECTING: the browser reconnects by itself, sending Last-Event-ID.
        this.setState('reconnecting');
      }
    };
  }

  private startPolling(): void {
    this.mode = 'poll';
    this.streamRetryAt = Date.now() + (this.options.streamRetryMs ?? 60_000);
    this.setState('polling');
    this.clearTimer();
    this.later(0, () => this.pollLoop());
  }

  private async pollLoop(): Promise<void> {
    if (this.closed || this.mode !== 'poll') return;
    let delay = this.options.pollIntervalMs ?? 5000;
    try {
      const more = await this.pollOnce();
      this.pollFailures = 0;
      if (more) delay = 0;
      this.setState('polling');
    } catch (thrown) {
      const error = toIntakeError(thrown);
      if (this.closed) return;
      this.pollFailures += 1;
      delay = backoffDelay(this.pollFailures, this.options.retry, error.retryAfter, this.options.random);
      this.setState('reconnecting', error);
    }
    if (this.closed) return;
    const Source = this.options.eventSource ?? (typeof EventSource !== 'undefined' ? EventSource : undefined);
    if (Source && Date.now() >= this.streamRetryAt && this.pollFailures === 0) {
      // Give the stream another chance; one more failure brings polling back.
      this.failures = Math.max(0, (this.options.maxStreamFailures ?? 3) - 1);
      this.openSource();
      return;
    }
    this.later(delay, () => this.pollLoop());
  }

  /** One catch-up request; true when the server has more than it sent. */
  private pollOnce(): Promise<boolean> {
    // Concurrent catch-ups share one request.
    if (this.polling) return this.polling.then(() => false);
    const run = (async () => {
      const page = await this.options.transport.poll(this.options.conversation, this.lastSeq, { signal: this.controller.signal });
      for (const event of [...page.events].sort((a, b) => a.seq - b.seq)) this.deliver(event);
      return page.events.length > 0 && this.lastSeq < page.lastSeq;
    })();
    this.polling = run.then(() => undefined, () => undefined).finally(() => (this.polling = undefined));
    return run;
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return; // A broken event is skipped; catch-up by seq fills any gap it leaves.
    }
    const parsed = v.safeParse(StreamEventSchema, json);
    if (!parsed.success) return;
    const event = parsed.output;
    if (event.type === 'typing') this.emit(event);
    else this.deliver(event as ConversationEvent);
  }

  private deliver(event: ConversationEvent): void {
    if (this.closed || event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.emit(event);
  }

  private emit(event: StreamEvent): void {
    try {
      this.options.handler(event);
    } catch (error) {
      // A handler bug must not stop the stream.
      setTimeout(() => {
        throw error;
      });
    }
  }

  private setState(state: StreamState, error?: IntakeError): void {
    if (this.state === state && !error) return;
    this.state = state;
    this.options.onState?.(state, error);
  }

  private later(ms: number, fn: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) fn();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
