/**
 * PostgreSQL restarted under load (issue 15, item 9): the server process stays up, answers 503
 * with Retry-After while the database is away (never 500), and recovers by itself, its LISTEN
 * connection too; every request a resident retried with its key exists exactly once.
 *
 * Runs in the PostgreSQL pass (DATABASE_URL set, as .ci/run does) on a throwaway cluster of its
 * own (initdb into a temp folder, as the `postgres` user, on a free port), so stopping it cannot
 * disturb the tests that share the DATABASE_URL cluster.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { bearer, call, GARDEN, noiseRequest, openSse, uniqueKey, waitFor } from './helpers.js';

// Debian's layout: /usr/lib/postgresql/<major>/bin; the newest installed major (15 on bookworm).
const BIN = `/usr/lib/postgresql/${(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : []).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))[0] ?? '15'}/bin`;

const skip = !process.env.DATABASE_URL
  ? 'runs in the PostgreSQL pass (set DATABASE_URL, as .ci/run does)'
  : !existsSync(`${BIN}/initdb`) || !existsSync(`${BIN}/pg_ctl`)
    ? `needs PostgreSQL's initdb and pg_ctl in ${BIN} (Debian package postgresql)`
    : process.getuid?.() !== 0
      ? 'needs root, to run initdb and pg_ctl as the postgres user'
      : spawnSync('id', ['-u', 'postgres']).status !== 0
        ? 'needs the postgres system user'
        : false;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** A PostgreSQL cluster of this test's own. */
class Cluster {
  port = 0;
  constructor(readonly dir: string) {}
  private pgctl(...args: string[]) {
    const run = spawnSync('runuser', ['-u', 'postgres', '--', `${BIN}/pg_ctl`, '-D', join(this.dir, 'data'), ...args], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`pg_ctl ${args.join(' ')}: ${run.stdout}${run.stderr}`);
  }
  async init() {
    chownSync(this.dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()));
    const init = spawnSync('runuser', ['-u', 'postgres', '--', `${BIN}/initdb`, '-D', join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'], { encoding: 'utf8', timeout: 120_000 });
    if (init.status !== 0) throw new Error(`initdb: ${init.stdout}${init.stderr}`);
    this.port = await freePort();
    this.start();
  }
  start() {
    this.pgctl('-w', '-t', '60', '-l', join(this.dir, 'log'), '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start');
  }
  stop(mode: 'fast' | 'immediate') {
    this.pgctl('-w', '-t', '60', '-m', mode, 'stop');
  }
  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }
}

interface Outcome {
  key: string;
  body: Record<string, unknown>;
  reference: string;
  statuses: number[];
  /** 503s that came without Retry-After. */
  missingRetryAfter: number;
}

describe('PostgreSQL restarted under load', { skip }, () => {
  let cluster: Cluster;
  let child: ChildProcess;
  let api: string;
  let staffToken = '';
  let log = '';
  let exited: number | null | string = null;
  let dataDir = '';
  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'intake-pg-'));
    cluster = new Cluster(dir);
    await cluster.init();
    dataDir = await mkdtemp(join(tmpdir(), 'intake-pgdata-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'test/server/fixtures/server-process.ts'], {
      env: { ...process.env, INTAKE_TEST_OPTIONS: JSON.stringify({ databaseUrl: cluster.url, dataDir, sweepMs: 3600_000 }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    child.on('exit', (code, signal) => (exited = signal ?? code));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const started = await waitFor(() => (out.includes('\n') ? JSON.parse(out.split('\n')[0]!) as { apiBase: string; staffToken: string } : exited !== null ? (() => { throw new Error(`server exited: ${log}`); })() : null), 120_000, 'the server process');
    api = started.apiBase;
    staffToken = started.staffToken;
  });
  after(async () => {
    if (child && exited === null) {
      child.kill('SIGTERM');
      await waitFor(() => (exited !== null ? true : null), 20_000, 'the server to stop').catch(() => child.kill('SIGKILL'));
    }
    if (cluster) {
      try {
        cluster.stop('immediate');
      } catch {
        /* already stopped */
      }
      await rm(cluster.dir, { recursive: true, force: true });
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  let live503 = 0;
  /** One resident: POSTs until acknowledged, honouring 503 + Retry-After (shortened for the test), same key every time. */
  async function resident(i: number, mode: string): Promise<Outcome> {
    const key = uniqueKey(`restart-${i}`);
    const body = noiseRequest({ description: `${mode} 第${i}号：夜间施工扰民` });
    const statuses: number[] = [];
    let missingRetryAfter = 0;
    for (let attempt = 0; attempt < 400; attempt++) {
      let res: Awaited<ReturnType<typeof call>> | null = null;
      try {
        res = await call(api, '/requests', { body, headers: { 'idempotency-key': key } });
      } catch {
        statuses.push(0); // no answer at all (the process died, or the connection dropped)
      }
      if (exited !== null) break; // the server is gone: the test reports it
      if (res) {
        statuses.push(res.status);
        if (res.status === 201 || res.status === 200) return { key, body, reference: (res.body as { reference: string }).reference, statuses, missingRetryAfter };
        if (res.status === 503) live503++;
        if (res.status === 503 && !res.headers.get('retry-after')) missingRetryAfter++;
        if (res.status !== 503 && res.status !== 429) return { key, body, reference: '', statuses, missingRetryAfter };
      }
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 150));
    }
    return { key, body, reference: '', statuses, missingRetryAfter };
  }

  for (const mode of ['fast', 'immediate'] as const) {
    test(`pg_ctl stop -m ${mode} with 50 POST /requests in flight: 503 + Retry-After meanwhile, then every request once`, { timeout: 240_000 }, async (t) => {
      // A chat stream open across the restart: it must get the messages sent after it.
      const conv = (await call(api, '/conversations', { body: { site: GARDEN } })).body;
      const stream = await openSse(`${api}/conversations/${conv.id}/events`, bearer(conv.token));
      assert.equal(stream.status, 200);

      const outcomes: Outcome[] = [];
      const settled: Promise<void>[] = [];
      // 50 residents, each filing two requests one after the other, so requests are in flight throughout.
      for (let i = 0; i < 50; i++) {
        settled.push((async () => {
          outcomes.push(await resident(i * 2, mode));
          outcomes.push(await resident(i * 2 + 1, mode));
        })());
      }
      await waitFor(() => (outcomes.length >= 5 ? true : null), 60_000, 'the first answers');
      cluster.stop(mode);
      const down = outcomes.length;
      // The database stays away long enough for calls to meet it down.
      live503 = 0;
      const seen503 = () => live503 >= 20; // residents' calls met the database down, not just one probe
      await waitFor(async () => {
        assert.equal(exited, null, `the server process exited (${exited}) when the database went down:\n${log.slice(-6000)}`);
        if (seen503()) return true;
        return null;
      }, 30_000, '503s while the database is down');
      const health = await call(api, '/health');
      assert.equal(health.status, 503, `health while down: ${health.status}`);
      assert.ok(Number(health.headers.get('retry-after')) >= 1, 'Retry-After on 503');
      assert.equal(health.body.error.code, 'unavailable');
      // The Open311 door too, in its own error format.
      const o311 = await call(api.replace('/api/v1', '/open311/v2'), `/services.json?jurisdiction_id=${GARDEN}`);
      assert.equal(o311.status, 503);
      assert.ok(Number(o311.headers.get('retry-after')) >= 1);
      assert.ok(Array.isArray(o311.body) && o311.body[0].code === 503, JSON.stringify(o311.body));
      const stoppedAt = Date.now();
      cluster.start();
      const restartMs = Date.now() - stoppedAt;
      await Promise.all(settled);

      assert.equal(exited, null, `the server process exited (${exited}):\n${log.slice(-2000)}`);
      assert.equal(outcomes.length, 100);
      const all = outcomes.flatMap((o) => o.statuses);
      assert.ok(!all.some((s) => s >= 500 && s !== 503), `statuses seen: ${[...new Set(all)].join(', ')}`);
      assert.ok(!all.includes(0), 'every call got an answer');
      assert.equal(outcomes.reduce((n, o) => n + o.missingRetryAfter, 0), 0, 'every 503 carries Retry-After');
      assert.ok(outcomes.every((o) => o.reference), `not acknowledged: ${outcomes.filter((o) => !o.reference).map((o) => o.statuses.join(' ')).join(' | ')}`);
      assert.ok(down < 100, 'the database went down while requests were still being sent');
      t.diagnostic(`${down} acknowledged before the stop; ${all.filter((s) => s === 503).length} answers 503 (all with Retry-After); restart took ${restartMs} ms; ${all.filter((s) => s === 200).length} repeats answered 200`);

      // Each acknowledged request exists exactly once, under the reference the resident was given.
      const refs = outcomes.map((o) => o.reference);
      assert.equal(new Set(refs).size, 100, 'no two residents got the same reference');
      const db = new pg.Client({ connectionString: cluster.url });
      await db.connect();
      try {
        const stored = (await db.query<{ reference: string }>('SELECT reference FROM requests WHERE reference = ANY($1)', [refs])).rows;
        assert.equal(stored.length, 100, 'every acknowledged reference is stored');
        const twice = (await db.query(`SELECT description FROM requests WHERE description LIKE $1 GROUP BY description HAVING count(*) > 1`, [`${mode} %`])).rows;
        assert.deepEqual(twice, [], 'no request stored twice');
        const all = (await db.query<{ n: string }>('SELECT count(*) AS n FROM requests WHERE description LIKE $1', [`${mode} %`])).rows[0]!;
        assert.equal(Number(all.n), 100, 'exactly the 100 requests filed');
        const keys = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM idempotency WHERE scope = 'requests' AND key = ANY($1)`, [outcomes.map((o) => o.key)])).rows[0]!;
        assert.equal(Number(keys.n), 100);
      } finally {
        await db.end();
      }
      // A repeat of any key gets the same request back.
      const again = outcomes[Math.floor(outcomes.length / 2)]!;
      const repeat = await call(api, '/requests', { body: again.body, headers: { 'idempotency-key': again.key } });
      assert.equal(repeat.status, 200);
      assert.equal(repeat.body.reference, again.reference);

      // SSE fan-out works again: the stream opened before the restart gets a staff reply sent after it.
      const reply = await waitFor(async () => {
        const res = await call(api, `/staff/conversations/${conv.id}/messages`, { body: { text: `重启后的回复 ${mode}` }, headers: bearer(staffToken) });
        return res.status === 201 || res.status === 200 ? res : res.status === 503 ? null : assert.fail(`staff message: ${res.status}`);
      }, 30_000, 'a staff message after the restart');
      const arrives = (text: string) => stream.until((events) => events.some((e) => e.event === 'message' && e.data.message.text === text), 30_000, `"${text}" on the stream opened before the restart`)
        .catch((err: Error) => assert.fail(`${err.message}; stream got ${JSON.stringify(stream.events)}; server log:\n${log.slice(-3000)}`));
      await arrives(`重启后的回复 ${mode}`);
      assert.ok(reply);
      // And the next one, which only a LISTEN connection made again can announce.
      assert.equal((await call(api, `/staff/conversations/${conv.id}/messages`, { body: { text: `第二条回复 ${mode}` }, headers: bearer(staffToken) })).status, 201);
      await arrives(`第二条回复 ${mode}`);
      stream.close();
    });
  }
});

describe('which database errors are "unavailable" (503), not 500', () => {
  test('connection refused or lost, shutdown and start-up, too many connections; not SQL errors', async () => {
    const { isDatabaseUnavailable } = await import('../../demo/server/storage/db.js');
    const err = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);
    for (const e of [
      err({ code: 'ECONNREFUSED' }), err({ code: 'ECONNRESET' }), err({ code: '57P01' }, 'terminating connection due to administrator command'),
      err({ code: '57P03' }, 'the database system is starting up'), err({ code: '08006' }), err({ code: '53300' }),
      new Error('Connection terminated unexpectedly'), new Error('Client has encountered a connection error and is not queryable'),
      new Error('timeout exceeded when trying to connect'), Object.assign(new AggregateError([err({ code: 'ECONNREFUSED' })], '')),
    ]) assert.equal(isDatabaseUnavailable(e), true, `${(e as { code?: string }).code ?? ''} ${e.message}`);
    for (const e of [err({ code: '23505' }, 'duplicate key'), err({ code: '42P01' }, 'relation does not exist'), err({ code: '22P05' }, 'unsupported Unicode escape'), new TypeError('x is undefined'), null, 'text']) {
      assert.equal(isDatabaseUnavailable(e), false, String(e));
    }
  });
});
