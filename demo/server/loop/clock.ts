/**
 * The server's clock. Everything in the closed loop (deadlines, overdue, escalation, return-visit
 * lists, assessment months) asks `ctx.clock.now()` instead of `new Date()` or SQL `now()`, so tests
 * run an item through days and holidays without waiting: wait for states, never for times.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand: starts at `start` (default: the real time) and only moves when told. */
export class ManualClock implements Clock {
  private at: number;
  constructor(start: Date | number = Date.now()) {
    this.at = typeof start === 'number' ? start : start.getTime();
  }
  now(): Date {
    return new Date(this.at);
  }
  /** Moves forward by `ms` (never backwards). */
  advance(ms: number): Date {
    this.at += Math.max(0, ms);
    return this.now();
  }
  /** Jumps to `when` (later than now). */
  set(when: Date | number): Date {
    this.at = Math.max(this.at, typeof when === 'number' ? when : when.getTime());
    return this.now();
  }
}
