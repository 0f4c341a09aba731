/** A Server-Sent Events response: `retry:`, heartbeat comments, and clean-up when the client leaves. */
import type { Context } from 'hono';
import type { ServerContext } from './context.js';

export interface SseWriter {
  event(name: string, data: unknown, id?: number): void;
  comment(text: string): void;
  /** Ends the stream from the server's side (what was written is sent first). */
  close(): void;
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
