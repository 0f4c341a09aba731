/**
 * Runs the reference server's own benchmark (bench/server.ts) and its bare node:http baseline
 * (bench/server-baseline.ts) as child processes, one after the other, and parses their lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface ServerRun {
  /** The reference server only: statements per POST /requests (bench/server.ts). */
  statements?: number;
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

/** POST /requests against the bare baseline of the same run (issue 19's goal: ≥ 0.5×). */
export interface PostFigure {
  requestsPerSecond: number;
  baselinePerSecond: number | null;
  /** requestsPerSecond / baselinePerSecond, two decimals; null without a baseline. */
  ratio: number | null;
  goal: 0.5;
  met: boolean | null;
  /** Statements per request the reference server sent while the requests ran (BEGIN/COMMIT included). */
  statements: number | null;
}

/** bench/server.ts on one engine, with the baseline run just before it. */
export interface EngineRun {
  engine: 'PGlite' | 'PostgreSQL';
  reference: ServerRun;
  baseline: ServerRun | null;
  post: PostFigure;
}

export interface ServerFigures {
  /** bench/server.ts on the engine DATABASE_URL picks (PostgreSQL when set, else PGlite): what report.ts prints. */
  reference: ServerRun;
  baseline: ServerRun | null;
  /** bench/server.ts on each engine (PGlite always; PostgreSQL when DATABASE_URL is set), each beside its own baseline. */
  engines?: EngineRun[];
  counts: Record<string, string>;
  /** autocannon, 50 connections, from this process against a server in another (per engine). */
  load?: LoadFigures[];
}

export interface LoadRun {
  requestsPerSecond: number;
  p99: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

export interface LoadFigures {
  engine: 'PGlite' | 'PostgreSQL';
  connections: number;
  seconds: number;
  catalogBytes: number;
  reference: { catalog: LoadRun; catalog304: LoadRun; post: LoadRun };
  baseline: { catalog: LoadRun; catalog304: LoadRun; post: LoadRun };
}

const SITE = 'riverside/xinhua/garden';
const POST_BODY = JSON.stringify({
  site: SITE, service: 'noise', type: 'complaint', description: 'bench',
  fields: { source: 'construction', occurred_at: '2026-11-27T23:00', location: { address: 'x' } },
  consent: { version: '2026-01', given: true },
});

function startTarget(script: string, env: Record<string, string | undefined>): Promise<{ api: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => (child.kill('SIGTERM'), reject(new Error(`${script} did not start within 60 s: ${err}`))), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const cut = out.indexOf('\n');
      if (cut < 0) return;
      clearTimeout(timer);
      resolve({ api: (JSON.parse(out.slice(0, cut)) as { api: string }).api, child });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${err.trim().split('\n').slice(-5).join('\n')}`)));
  });
}

async function stopTarget(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function cannon(options: autocannon.Options, seconds: number, connections: number): Promise<LoadRun> {
  await autocannon({ ...options, connections: 10, duration: 2 }); // warm-up (JIT, the kept catalogue)
  const r = await autocannon({ ...options, connections, duration: seconds });
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = count;
  return { requestsPerSecond: Math.round(r.requests.average), p99: r.latency.p99, statuses, errors: r.errors, timeouts: r.timeouts };
}

async function loadRuns(api: string, etag: string, seconds: number, connections: number) {
  const catalogUrl = `${api}/catalog?site=${encodeURIComponent(SITE)}&locale=zh-CN`;
  let n = 0;
  const tag = Math.random().toString(36).slice(2);
  return {
    catalog: await cannon({ url: catalogUrl }, seconds, connections),
    catalog304: await cannon({ url: catalogUrl, headers: { 'if-none-match': etag } }, seconds, connections),
    post: await cannon({
      url: `${api}/requests`, method: 'POST', headers: { 'content-type': 'application/json' }, body: POST_BODY,
      requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': `bench-${tag}-${++n}` } }) }],
    }, seconds, connections),
  };
}

/**
 * GET /catalog (200, and 304 to If-None-Match) and POST /requests under autocannon, 50 connections,
 * against the reference server on each engine (PGlite; PostgreSQL when DATABASE_URL is set) and
 * against the bare node:http baseline serving the same catalogue text, one after the other.
 */
export async function loadFigures(log: (line: string) => void): Promise<LoadFigures[]> {
  const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
  const connections = 50;
  const engines: LoadFigures['engine'][] = process.env.DATABASE_URL ? ['PGlite', 'PostgreSQL'] : ['PGlite'];
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const out: LoadFigures[] = [];
  try {
    for (const engine of engines) {
      log(`load: ${engine}`);
      // The per-address budget off: all of autocannon's calls come from one address, and a 429 costs
      // nothing to answer (the budget's own behaviour is test/server/catalogue-cache.test.ts's).
      const target = await startTarget('bench/server-target.ts', {
        DATABASE_URL: engine === 'PostgreSQL' ? process.env.DATABASE_URL : '',
        BENCH_RATE_LIMIT: process.env.BENCH_RATE_LIMIT ?? '0',
      });
      let catalogText = '';
      let reference;
      try {
        const res = await fetch(`${target.api}/catalog?site=${encodeURIComponent(SITE)}&locale=zh-CN`);
        catalogText = await res.text();
        reference = await loadRuns(target.api, res.headers.get('etag') ?? '', seconds, connections);
      } finally {
        await stopTarget(target.child);
      }
      const file = join(dir, 'catalog.json');
      writeFileSync(file, catalogText);
      const bare = await startTarget('bench/server-baseline.ts', { BASELINE_TARGET: '1', BASELINE_CATALOG_FILE: file });
      let baseline;
      try {
        baseline = await loadRuns(`${bare.api}/api/v1`, '"1-baseline"', seconds, connections);
      } finally {
        await stopTarget(bare.child);
      }
      out.push({ engine, connections, seconds, catalogBytes: Buffer.byteLength(catalogText), reference, baseline });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
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
  const statements = out.match(/POST \/requests statements: ([\d.]+) per request/);
  if (!open || !sse || !post) throw new Error(`could not read the server benchmark's output:\n${out}`);
  return {
    ...(statements ? { statements: Number(statements[1]) } : {}),
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

/** The POST figure beside its baseline, with the goal. */
export function postFigure(reference: ServerRun, baseline: ServerRun | null): PostFigure {
  const ratio = baseline && baseline.requestsPerSecond ? Math.round((reference.requestsPerSecond / baseline.requestsPerSecond) * 100) / 100 : null;
  return {
    requestsPerSecond: reference.requestsPerSecond,
    baselinePerSecond: baseline?.requestsPerSecond ?? null,
    ratio,
    goal: 0.5,
    met: ratio === null ? null : reference.requestsPerSecond >= 0.5 * baseline!.requestsPerSecond,
    statements: reference.statements ?? null,
  };
}

export function postLine(engine: EngineRun['engine'], run: ServerRun, p: PostFigure): string {
  const vs = p.baselinePerSecond === null ? 'no baseline' : `bare node:http ${p.baselinePerSecond} /s in the same run → ${p.ratio!.toFixed(2)}×`;
  const goal = p.met === null ? 'goal ≥ 0.5×: —' : `goal ≥ 0.5×: ${p.met ? 'met' : 'NOT met'}`;
  const statements = p.statements === null ? '' : `, ${p.statements} statements per request`;
  return `POST /requests on ${engine} (bench/server.ts, ${run.concurrency} in flight, ${run.failed} failed${statements}): ${p.requestsPerSecond} /s, ${vs}; ${goal}`;
}

/**
 * bench/server.ts on each engine (PGlite; PostgreSQL too when DATABASE_URL is set), each just after
 * a baseline run, so each ratio compares figures taken a minute apart on the same machine.
 * 1,000 streams by default; if a run fails or times out, once more with 200.
 */
export async function serverFigures(log: (line: string) => void): Promise<ServerFigures> {
  const tries: Record<string, string>[] = [{ STREAMS: process.env.STREAMS ?? '1000' }, { STREAMS: '200' }];
  const engines: EngineRun['engine'][] = process.env.DATABASE_URL ? ['PGlite', 'PostgreSQL'] : ['PGlite'];
  let lastError: unknown;
  for (const counts of tries) {
    try {
      const runs: EngineRun[] = [];
      for (const engine of engines) {
        let baseline: ServerRun | null = null;
        try {
          baseline = parseServerOutput(await run('bench/server-baseline.ts', counts, 120_000));
        } catch (error) {
          log(`server baseline failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        const env = { ...counts, DATABASE_URL: engine === 'PostgreSQL' ? process.env.DATABASE_URL! : '' };
        const reference = parseServerOutput(await run('bench/server.ts', env, 300_000));
        const post = postFigure(reference, baseline);
        runs.push({ engine, reference, baseline, post });
        log(postLine(engine, reference, post));
      }
      const main = runs.find((r) => r.engine === (process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'))!;
      let load: LoadFigures[] | undefined;
      try {
        load = await loadFigures(log);
      } catch (error) {
        log(`server load figures failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { reference: main.reference, baseline: main.baseline, engines: runs, counts, load };
    } catch (error) {
      lastError = error;
      log(`server benchmark with STREAMS=${counts['STREAMS']} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw lastError;
}
