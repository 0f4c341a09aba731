/** A Server-Sent Events response: `retry:`, heartbeat comments, and clean-up when the client leaves. */
import type { Context } from 'hono';
import type { ServerContext } from './context.js';

export interface SseWriter {
  event(name: string, data: unknown, id?: number): void;
  comment(text: string): void;
  /** Ends the stream from the server's side (what was written is sent first). */
  close(): void;
}

/** Per server: bumped each time a staff stream has opened (its presence written) or ended. */
const staffStreamChanges = new WeakMap<ServerContext, number>();
const bumpStaffStreams = (ctx: ServerContext) => staffStreamChanges.set(ctx, (staffStreamChanges.get(ctx) ?? 0) + 1);
const onDutyKept = new WeakMap<ServerContext, { on: boolean; until: number; generation: number }>();

/**
 * Whether staff are on duty (`read`, context.ts staffOnDuty), for the catalogue's many calls. On
 * PGlite, which one process alone opens, every console's stream is one of this process's: "off"
 * is kept until a staff stream opens here, "on" for at most a second (a console that left is
 * seen as gone that much later; presence itself lasts 45 s without a heartbeat). On PostgreSQL a
 * console may be another process's: read each time.
 */
export async function staffOnDutyKept(ctx: ServerContext, read: () => Promise<boolean>): Promise<boolean> {
  if (ctx.db.engine !== 'pglite') return read();
  const generation = staffStreamChanges.get(ctx) ?? 0;
  const kept = onDutyKept.get(ctx);
  if (kept && kept.generation === generation && Date.now() < kept.until) return kept.on;
  const on = await read();
  if ((staffStreamChanges.get(ctx) ?? 0) === generation) onDutyKept.set(ctx, { on, until: on ? Date.now() + 1000 : Infinity, generation });
  return on;
}

/**
 * Starts the stream; `setup` runs once the stream is open and returns its clean-up. The heartbeat
 * also calls `onHeartbeat` (the staff stream keeps its presence alive with it).
 */
export function sseResponse(
  ctx: ServerContext,
  c: Context,
  setup: (writer: SseWriter) => Promise<() => void> | (() => void),
  onHeartbeat?: () => void,
): Response {
  const encoder = new TextEncoder();
  // A staff stream ends with its session (signed out, revoked, expired): accounts/sessions.ts closes it.
  const session = (c.get('staff') as { sessionId?: string } | undefined)?.sessionId;
  let finished = false;
  let cleanup: (() => void) | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;

  const finish = () => {
    if (finished) return;
    finished = true;
    if (timer) clearInterval(timer);
    ctx.streams.delete(finish);
    if (session) ctx.sessions.untrack(session, finish);
    try {
      cleanup?.();
    } catch {
      /* clean-up is best effort */
    }
    if (session) bumpStaffStreams(ctx);
    try {
      controllerRef?.close();
    } catch {
      /* already closed */
    }
  };

  const write = (chunk: string) => {
    if (finished || !controllerRef) return;
    try {
      controllerRef.enqueue(encoder.encode(chunk));
    } catch {
      finish();
    }
  };

  const writer: SseWriter = {
    event(name, data, id) {
      write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment(text) {
      write(`: ${text}\n\n`);
    },
    close() {
      finish();
    },
  };

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controllerRef = controller;
      ctx.streams.add(finish);
      if (session) ctx.sessions.track(session, finish);
      write('retry: 3000\n\n');
      timer = setInterval(() => {
        writer.comment('heartbeat');
        onHeartbeat?.();
      }, ctx.heartbeatMs);
      const signal = c.req.raw.signal;
      if (signal.aborted) return finish();
      signal.addEventListener('abort', finish, { once: true });
      try {
        const done = await setup(writer);
        if (session) bumpStaffStreams(ctx);
        if (finished) done();
        else cleanup = done;
      } catch (err) {
        ctx.log(`[sse] setup failed: ${(err as Error).message}`);
        finish();
      }
    },
    cancel() {
      finish();
    },
  });

  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
