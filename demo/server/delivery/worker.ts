/**
 * The delivery worker of one server process: every `tickMs` (real time) it sends the outbox rows
 * due on the loop clock and pulls the delivered ones due; woken at once when a row is queued. Due
 * times, backoff and leases are on the loop clock (loop/clock.ts), so tests move time by hand.
 */
import type { ServerContext } from '../context.js';
import { newId } from '../http.js';
import { DEFAULT_TIMINGS, attempt, claimDue, onQueued, type DeliveryTimings } from './outbox.js';
import { claimPull, pull } from './pull.js';

export interface DeliveryOptions extends Partial<DeliveryTimings> {
  /** How often the worker looks for due work, ms of real time (default 5 s); 0: only when told (`run()`). */
  tickMs?: number;
}

export interface DeliveryWorker {
  /** Sends what is due and pulls what is due now; resolves when done (tests, "retry now"). */
  run(): Promise<{ sent: number; pulled: number }>;
  readonly timings: DeliveryTimings;
  readonly owner: string;
  stop(): Promise<void>;
}

const workers = new WeakMap<object, DeliveryWorker>();
export const workerOf = (ctx: object) => workers.get(ctx) ?? null;

export function startDelivery(ctx: ServerContext, options: DeliveryOptions = {}): DeliveryWorker {
  const timings: DeliveryTimings = { ...DEFAULT_TIMINGS, ...Object.fromEntries(Object.entries(options).filter(([k, v]) => k !== 'tickMs' && v !== undefined)) };
  const owner = newId();
  const abort = new AbortController();
  let running: Promise<{ sent: number; pulled: number }> | null = null;
  let again = false;
  let stopped = false;

  const once = async () => {
    let sent = 0;
    let pulled = 0;
    // Bounded per run, so one run never holds on for ever; the next tick goes on.
    for (let i = 0; i < 200 && !stopped; i++) {
      const row = await claimDue(ctx.db, ctx.clock, owner, timings);
      if (!row) break;
      await attempt(ctx, row, owner, timings, abort.signal);
      sent++;
    }
    for (let i = 0; i < 200 && !stopped; i++) {
      const row = await claimPull(ctx.db, ctx.clock.now(), timings);
      if (!row) break;
      await pull(ctx, row, timings, abort.signal);
      pulled++;
    }
    return { sent, pulled };
  };

  const run = (): Promise<{ sent: number; pulled: number }> => {
    if (stopped) return Promise.resolve({ sent: 0, pulled: 0 });
    if (running) {
      // A run is under way: it makes one more pass, so what was queued meanwhile is seen before it resolves.
      again = true;
      return running;
    }
    const p = (async () => {
      const total = { sent: 0, pulled: 0 };
      do {
        again = false;
        try {
          const done = await once();
          total.sent += done.sent;
          total.pulled += done.pulled;
        } catch (err) {
          if (!stopped) ctx.log(`[delivery] ${(err as Error).message}`);
        }
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = null;
      ctx.pending.delete(p);
    });
    running = p;
    ctx.pending.add(p);
    return p;
  };

  const tickMs = options.tickMs ?? 5000;
  const timer = tickMs > 0 ? setInterval(() => void run(), tickMs) : null;
  timer?.unref();
  // Woken when a row is queued, unless only told (tickMs 0: tests run it by hand).
  if (tickMs > 0) onQueued(ctx, () => void run());

  const worker: DeliveryWorker = {
    run,
    timings,
    owner,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      // An unanswered POST stays 'sending' with its lease: the next process looks it up before sending again.
      abort.abort();
      await running?.catch(() => undefined);
    },
  };
  workers.set(ctx, worker);
  return worker;
}
