/**
 * Runs the reference server's own benchmark (bench/server.ts) and its bare node:http baseline
 * (bench/server-baseline.ts) as child processes, one after the other, and parses their lines.
 */
import { spawn } from 'node:child_process';

export interface ServerRun {
  streams: number;
  openMs: number;
  deliveries: number;
  p50: number;
  p99: number;
  requests: number;
  requestsPerSecond: number;
  failed: number;
  concurrency: number;
  seconds: number;
}

export interface ServerFigures {
  reference: ServerRun;
  baseline: ServerRun | null;
  counts: Record<string, string>;
}

function run(script: string, env: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${script} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${script} exited with ${code}: ${err.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
}

export function parseServerOutput(out: string): ServerRun {
  const open = out.match(/(\d+) SSE streams open in (\d+) ms/);
  const sse = out.match(/SSE delivery over (\d+) deliveries: p50 ([\d.]+) ms, p99 ([\d.]+) ms/);
  const post = out.match(/POST \/requests: (\d+) in ([\d.]+) s → (\d+) requests\/s \((\d+) failed, (\d+) in flight\)/);
  if (!open || !sse || !post) throw new Error(`could not read the server benchmark's output:\n${out}`);
  return {
    streams: Number(open[1]),
    openMs: Number(open[2]),
    deliveries: Number(sse[1]),
    p50: Number(sse[2]),
    p99: Number(sse[3]),
    requests: Number(post[1]),
    seconds: Number(post[2]),
    requestsPerSecond: Number(post[3]),
    failed: Number(post[4]),
    concurrency: Number(post[5]),
  };
}

/** 1,000 streams by default; if that run fails or times out, once more with 200. */
export async function serverFigures(log: (line: string) => void): Promise<ServerFigures> {
  const tries: Record<string, string>[] = [{ STREAMS: process.env.STREAMS ?? '1000' }, { STREAMS: '200' }];
  let lastError: unknown;
  for (const counts of tries) {
    try {
      const reference = parseServerOutput(await run('bench/server.ts', counts, 300_000));
      let baseline: ServerRun | null = null;
      try {
        baseline = parseServerOutput(await run('bench/server-baseline.ts', counts, 120_000));
      } catch (error) {
        log(`server baseline failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { reference, baseline, counts };
    } catch (error) {
      lastError = error;
      log(`server benchmark with STREAMS=${counts['STREAMS']} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw lastError;
}
