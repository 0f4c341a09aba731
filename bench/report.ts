/** Renders bench results as plain-text tables (also used to write docs/performance.md's tables). */
import type { Results } from './main.js';
import type { Compared } from './browser.js';
import { ratio } from './stats.js';

type Row = (string | number)[];

function table(title: string, head: string[], rows: Row[]): string {
  const cells = [head, ...rows].map((r) => r.map(String));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [`\n${title}`, line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n') + '\n';
}

const bytes = (n: number) => n.toLocaleString('en-US');
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '—');
const x = (r: number | null) => (r === null || !Number.isFinite(r) ? '—' : `${r.toFixed(2)}×`);
const signed = (n: number, unit = ' ms', digits = 1) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}${unit}`;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

export function renderReport(r: Results): string {
  let out = '';
  const m = r.machine;
  out += `Intake Widgets bench — ${r.when}\n`;
  out += `machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGB} GB RAM, ${m.platform}, Node ${m.node}, Chromium ${m.chromium ?? '—'}; load average ${m.loadAverage.start.join('/')} at start, ${m.loadAverage.end.join('/')} at end; dist/ ${m.dist}\n`;

  if (r.bytes) {
    const b = r.bytes;
    out += table(
      'Bytes: entries (ES entry loads its chunks; the IIFE is self-contained)',
      ['entry', 'file', 'raw', 'gzip', 'brotli'],
      b.entries.map((e) => [e.name, e.file, bytes(e.raw), bytes(e.gzip), bytes(e.brotli)]),
    );
    out += table(
      'Bytes: ES chunks (largest brotli first)',
      ['chunk', 'raw', 'gzip', 'brotli'],
      b.chunks.map((c) => [c.file, bytes(c.raw), bytes(c.gzip), bytes(c.brotli)]),
    );
    const goal = { beforeIntent: r.goals.beforeIntentBrotli, everything: r.goals.everythingBrotli, iife: r.goals.iifeBrotli };
    out += table(
      `Bytes: totals — budget from ${b.budgetsFound ? b.budgetsFile : `issue 9 (no ${b.budgetsFile} yet)`}`,
      ['total', 'raw', 'gzip', 'brotli', 'budget', 'brotli / budget', 'within', 'issue 9 goal (brotli)', 'brotli / goal'],
      b.totals.map((t) => {
        const budget = t.budget ? { bytes: t.budget.bytes, compression: t.budget.compression } : { bytes: goal[t.name], compression: 'brotli' as const };
        const value = t.size[budget.compression];
        const target = t.budget?.goal ?? goal[t.name];
        return [t.label, bytes(t.size.raw), bytes(t.size.gzip), bytes(t.size.brotli), `${bytes(budget.bytes)} ${budget.compression}`, x(value / budget.bytes), value <= budget.bytes ? 'yes' : 'NO', bytes(target), `${x(t.size.brotli / target)}${t.size.brotli <= target ? ' met' : ' NOT met'}`];
      }),
    );
  }

  if (r.hostImpact) {
    const h = r.hostImpact;
    const rows: Row[] = [];
    const names: [keyof HostSummary, string, (n: number) => string, (n: number) => string][] = [
      ['longTaskTotal', 'long tasks, total', ms, (n) => signed(n)],
      ['blockingTime', 'blocking time (Σ task − 50 ms)', ms, (n) => signed(n)],
      ['layoutShift', 'layout shift (CLS sum)', (n) => n.toFixed(4), (n) => signed(n, '', 4)],
      ['lcp', 'LCP', ms, (n) => signed(n)],
      ['fcp', 'FCP', ms, (n) => signed(n)],
      ['taskTime', 'main-thread task time (CDP)', ms, (n) => signed(n)],
      ['scriptTime', 'script time (CDP)', ms, (n) => signed(n)],
    ];
    for (const variant of ['classic', 'module'] as const) {
      for (const [key, label, fmt, diff] of names) {
        const c: Compared = h.summary[variant][key];
        rows.push([variant === 'classic' ? 'IIFE script tag' : 'ES module', label, fmt(c.plain), fmt(c.widget), diff(c.difference), x(c.ratio)]);
      }
    }
    const blocking = Math.max(h.summary.classic.blockingTime.difference, h.summary.module.blockingTime.difference);
    const shift = Math.max(h.summary.classic.layoutShift.widget, h.summary.module.layoutShift.widget) - h.summary.classic.layoutShift.plain;
    out += table(
      `Host-page impact: Chromium, CPU slowed ${h.profile.cpuSlowdown}× (CDP Emulation.setCPUThrottlingRate, approximating a phone), ${h.profile.viewport.width}×${h.profile.viewport.height}, ${h.rounds} rounds of plain / IIFE / module loads, medians; each load watched ${h.settleMs / 1000} s after onload`,
      ['page', 'figure', 'plain page', 'with widget', 'difference', 'ratio'],
      rows,
    );
    out += `goal: no added blocking time — ${met(blocking <= r.goals.addedBlockingTimeMs)} (largest median difference ${signed(blocking)}); no added layout shift — ${met(shift <= 0)}\n`;
  }

  if (r.click?.length) {
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const c of r.click) {
      const p = `${c.profile.name} (CPU ${c.profile.cpuSlowdown}×)`;
      const goal = r.issue19Goals?.clickColdMs[c.profile.name];
      const coldGoal = goal === undefined ? '' : `≤ ${goal} ms: ${met(c.cold.painted <= goal)} (${x(c.cold.painted / goal)} of it)`;
      rows.push([p, 'cold (first open, chunks not in the HTTP cache)', ms(c.cold.openEvent), ms(c.cold.focused), ms(c.cold.painted), ms(c.cold.fromDown), x(c.cold.ratio), coldGoal]);
      rows.push([p, 'warm (second open, same page)', ms(c.warm.openEvent), ms(c.warm.focused), ms(c.warm.painted), ms(c.warm.fromDown), x(c.warm.ratio), '']);
      rows.push([p, 'baseline: plain button → div + textarea', '—', ms(c.baseline.focused), ms(c.baseline.painted), ms(c.baseline.fromDown), '1.00×', '']);
      const chunks = c.chunks ?? [];
      if (chunks.length) {
        const onIntent = chunks.map((k) => k.onIntent);
        const cached = chunks.reduce((n, k) => n + k.fromCache, 0);
        notes.push(`${c.profile.name}: ${c.input ? `pointer on the launcher ${c.input.dwellMs} ms before the press, pressed ${c.input.pressMs} ms; ` : ''}scripts fetched on intent per cold page ${Math.min(...onIntent)}–${Math.max(...onIntent)}, from the HTTP cache ${cached} (${cached === 0 ? 'cold' : 'NOT cold'})`);
      }
    }
    out += table(
      `Click on the launcher → panel interactive: a real pointer click (move onto the launcher, down, up: CDP input), reference server on loopback; times from the click event (pointerup) unless named; median of ${r.click[0]!.repeats} pages`,
      ['profile', 'open', 'intake-open event', 'composer focused', 'next frame', 'next frame from pointerdown', 'ratio to baseline', 'issue 19 goal'],
      rows,
    );
    if (notes.length) out += notes.map((n) => `${n}\n`).join('');
  }

  if (r.conversation?.length) {
    const rows: Row[] = [];
    for (const c of r.conversation) {
      const p = `${c.profile.name} (CPU ${c.profile.cpuSlowdown}×)`;
      rows.push([p, `open ${c.size.toLocaleString('en-US')} messages (last one rendered + frame)`, ms(c.open.median), `${c.small} messages: ${ms(c.open.baseline)}`, x(c.open.ratio), `≤ ${r.goals.openLongConversationMs} ms: ${met(c.open.median <= r.goals.openLongConversationMs)}`]);
      const k = c.keystrokes;
      if (k) {
        const limit = r.issue19Goals?.keystrokeRatio ?? 1.2;
        const byRatio = (value: number | null) => (c.profile.name === 'phone' && value !== null ? `; ≤ ${limit}× plain: ${met(value <= limit)}` : '');
        const smallP95 = ratio(k.small.p95, k.plainTextarea.p95);
        rows.push([p, `keystroke → next frame, median (${k.measured ?? k.count} keys${(k.measured ?? k.count) < k.count ? ', stopped early: too slow' : ''})`, ms(k.large.median), `plain textarea: ${ms(k.plainTextarea.median)}`, x(k.large.ratio), `≤ ${r.goals.keystrokeMs} ms: ${met(k.large.median <= r.goals.keystrokeMs)}${byRatio(k.large.ratio)}`]);
        rows.push([p, 'keystroke → next frame, p95', ms(k.large.p95), `plain textarea: ${ms(k.plainTextarea.p95)}`, x(k.large.p95Ratio), `≤ ${r.goals.keystrokeMs} ms: ${met(k.large.p95 <= r.goals.keystrokeMs)}${byRatio(k.large.p95Ratio)}`]);
        rows.push([p, `keystroke, ${c.small}-message conversation, median`, ms(k.small.median), `plain textarea: ${ms(k.plainTextarea.median)}`, x(k.small.ratio), byRatio(k.small.ratio).replace(/^; /, '')]);
        rows.push([p, `keystroke, ${c.small}-message conversation, p95`, ms(k.small.p95), `plain textarea: ${ms(k.plainTextarea.p95)}`, x(smallP95), byRatio(smallP95).replace(/^; /, '')]);
      }
    }
    out += table(
      `A ${r.conversation[0]!.size.toLocaleString('en-US')}-message conversation (fake client through the public \`client\` property; chunks already loaded; open: median of ${r.conversation.map((c) => `${c.open.runs.length} (${c.profile.name})`).join(', ')})`,
      ['profile', 'figure', 'value', 'baseline', 'ratio', 'goal'],
      rows,
    );
  }

  if (r.memory) {
    const mem = r.memory;
    const l = mem.listeners;
    out += table(
      `Memory: ${mem.cycles} open/close cycles, ${mem.profile.name} profile (CPU ${mem.profile.cpuSlowdown}×), forced GC (CDP HeapProfiler.collectGarbage), reference server`,
      ['figure', 'value', 'baseline / note'],
      [
        ['JS heap growth', `${signed(mem.growthMB, ' MB', 3)}`, `idle noise floor over the same frames: ${signed(mem.noiseFloorMB, ' MB', 3)}`],
        ['JS heap before → after', `${mem.heapStartMB.toFixed(2)} → ${mem.heapEndMB.toFixed(2)} MB`, `${mem.cycleMs} ms per cycle`],
        ['goal ≤ 0.5 MB', met(mem.growthMB <= r.goals.heapGrowthMB), ''],
        ['window scroll/resize listeners: closed → open → after cycles', `${l.closed.window.scroll}/${l.closed.window.resize} → ${l.open.window.scroll}/${l.open.window.resize} → ${l.afterCycles.window.scroll}/${l.afterCycles.window.resize}`, `all window listeners: ${l.closed.window.total} → ${l.open.window.total} → ${l.afterCycles.window.total}`],
        ['document listeners: closed → open → after cycles', `${l.closed.document.total} → ${l.open.document.total} → ${l.afterCycles.document.total}`, ''],
        ['floating-ui autoUpdate running', `open: ${mem.autoUpdate.whileOpen ? 'yes' : 'no'}; after close: ${mem.autoUpdate.afterClose ? 'YES (leak)' : 'no'}`, l.afterCycles.window.scroll === l.closed.window.scroll && l.afterCycles.window.resize === l.closed.window.resize && !mem.autoUpdate.afterClose ? 'no listener left behind' : 'LISTENERS LEFT BEHIND'],
      ],
    );
  }

  if (r.server) {
    const s = r.server.reference;
    const b = r.server.baseline;
    const rows: Row[] = [
      [`${s.streams.toLocaleString('en-US')} SSE streams: time to open all`, ms(s.openMs), b ? ms(b.openMs) : '—', x(b ? s.openMs / b.openMs : null)],
      [`SSE delivery p50 (${s.deliveries} deliveries)`, ms(s.p50), b ? ms(b.p50) : '—', x(b ? s.p50 / b.p50 : null)],
      ['SSE delivery p99', ms(s.p99), b ? ms(b.p99) : '—', x(b ? s.p99 / b.p99 : null)],
      [`POST /requests (${s.concurrency} in flight, ${s.failed} failed)`, `${s.requestsPerSecond} /s`, b ? `${b.requestsPerSecond} /s` : '—', x(b ? s.requestsPerSecond / b.requestsPerSecond : null)],
      ['goal: staff reply → every stream, p99 ≤ 50 ms', met(s.p99 <= 50), '', ''],
      ['goal: POST /requests ≥ 0.5× the baseline', b ? met(s.requestsPerSecond >= 0.5 * b.requestsPerSecond) : '—', '', ''],
    ];
    const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite in memory';
    out += table(`Reference server (bench/server.ts: ${engine}, staff replies, client in the same process)`, ['figure', 'reference server', 'bare node:http baseline', 'ratio'], rows);
    for (const l of r.server.load ?? []) {
      const rate = (run: { requestsPerSecond: number; statuses: Record<string, number>; timeouts: number }) =>
        `${run.requestsPerSecond.toLocaleString('en-US')} /s (${Object.entries(run.statuses).map(([code, n]) => `${n} × ${code}`).join(', ')}${run.timeouts ? `, ${run.timeouts} timeouts` : ''})`;
      const ratio = (a: number, b: number) => x(b ? a / b : null);
      out += table(
        `Reference server under load (${l.engine}; autocannon, ${l.connections} connections, ${l.seconds} s each, another process; catalogue ${l.catalogBytes.toLocaleString('en-US')} B; per-address budget off)`,
        ['figure', 'reference server', 'bare node:http baseline', 'ratio', 'goal'],
        [
          ['GET /catalog (200)', rate(l.reference.catalog), rate(l.baseline.catalog), ratio(l.reference.catalog.requestsPerSecond, l.baseline.catalog.requestsPerSecond),
            l.engine === 'PGlite' ? `≥ 1,000 /s: ${met(l.reference.catalog.requestsPerSecond >= 1000 && !l.reference.catalog.statuses['429'])}` : '—'],
          ['GET /catalog, If-None-Match (304)', rate(l.reference.catalog304), rate(l.baseline.catalog304), ratio(l.reference.catalog304.requestsPerSecond, l.baseline.catalog304.requestsPerSecond), ''],
          ['GET /catalog p99 latency', ms(l.reference.catalog.p99), ms(l.baseline.catalog.p99), ratio(l.reference.catalog.p99, l.baseline.catalog.p99), ''],
          ['POST /requests (201)', rate(l.reference.post), rate(l.baseline.post), ratio(l.reference.post.requestsPerSecond, l.baseline.post.requestsPerSecond),
            `≥ 0.5×: ${met(l.reference.post.requestsPerSecond >= 0.5 * l.baseline.post.requestsPerSecond)}`],
          ['POST /requests p99 latency', ms(l.reference.post.p99), ms(l.baseline.post.p99), ratio(l.reference.post.p99, l.baseline.post.p99), ''],
        ],
      );
    }
  }

  if (r.errors.length) {
    out += '\nMissing (failed sections):\n' + r.errors.map((e) => `- ${e.section}: ${e.message}`).join('\n') + '\n';
  }
  return out;
}

type HostSummary = Results extends { hostImpact?: infer H } ? (H extends { summary: { classic: infer S } } ? S : never) : never;

/**
 * The closing table: every figure issue 19 names, from this run, with its limit and goal and,
 * where the run measured one, its baseline and the ratio to it.
 */
export function renderIssue19(r: Results): string {
  const g = r.issue19Goals;
  if (!g) return '';
  const rows: Row[] = [];
  const kb = (n: number) => `${bytes(n)} B`;
  const under = (value: number | undefined, limit: number, goal?: number) =>
    value === undefined ? 'not measured' : `${value <= limit ? 'limit met' : 'limit NOT met'}${goal === undefined ? '' : value <= goal ? ', goal met' : ', goal not met'}`;
  const b = r.issue19Bytes;
  if (b) {
    rows.push(['classic tag before intent (brotli)', kb(b.classicBeforeIntent), `ES module before intent ${kb(b.beforeIntent)}`, x(b.classicBeforeIntent / b.beforeIntent), `≤ ${kb(g.classicBeforeIntent.limit)}`, `≤ ${kb(g.classicBeforeIntent.goal)}`, under(b.classicBeforeIntent, g.classicBeforeIntent.limit, g.classicBeforeIntent.goal)]);
    rows.push(['chat path: before intent + chat on intent (brotli)', b.chatPath === undefined ? 'not in scripts/sizes.mjs yet' : kb(b.chatPath), '', '', `≤ ${kb(g.chatPath.limit)}`, `≤ ${kb(g.chatPath.goal)}`, under(b.chatPath, g.chatPath.limit, g.chatPath.goal)]);
    rows.push(['everything, all views, one locale (brotli)', kb(b.everything), '', '', `≤ ${kb(g.everything.limit)}`, `≤ ${kb(g.everything.goal)}`, under(b.everything, g.everything.limit, g.everything.goal)]);
  } else rows.push(['bytes', 'not measured (BENCH_ONLY)', '', '', '', '', '']);
  for (const c of r.click ?? []) {
    const limit = g.clickColdMs[c.profile.name];
    rows.push([`click → panel interactive, cold, ${c.profile.name} (CPU ${c.profile.cpuSlowdown}×)`, ms(c.cold.painted), `plain button + textarea ${ms(c.baseline.painted)}`, x(c.cold.ratio), `≤ ${limit} ms`, '', under(c.cold.painted, limit)]);
  }
  if (!r.click?.length) rows.push(['click → panel interactive', 'not measured', '', '', '', '', '']);
  const phone = r.conversation?.find((c) => c.profile.name === 'phone')?.keystrokes;
  if (phone) {
    const p95Small = ratio(phone.small.p95, phone.plainTextarea.p95);
    rows.push(['keystroke → next frame, chat, phone, median (5,000 messages)', ms(phone.large.median), `plain textarea ${ms(phone.plainTextarea.median)}`, x(phone.large.ratio), `≤ ${g.keystrokeRatio}×`, '', under(phone.large.ratio ?? Infinity, g.keystrokeRatio)]);
    rows.push(['keystroke → next frame, chat, phone, p95 (5,000 messages)', ms(phone.large.p95), `plain textarea ${ms(phone.plainTextarea.p95)}`, x(phone.large.p95Ratio), `≤ ${g.keystrokeRatio}×`, '', under(phone.large.p95Ratio ?? Infinity, g.keystrokeRatio)]);
    rows.push(['keystroke → next frame, chat, phone, median (50 messages)', ms(phone.small.median), `plain textarea ${ms(phone.plainTextarea.median)}`, x(phone.small.ratio), `≤ ${g.keystrokeRatio}×`, '', under(phone.small.ratio ?? Infinity, g.keystrokeRatio)]);
    rows.push(['keystroke → next frame, chat, phone, p95 (50 messages)', ms(phone.small.p95), `plain textarea ${ms(phone.plainTextarea.p95)}`, x(p95Small), `≤ ${g.keystrokeRatio}×`, '', under(p95Small ?? Infinity, g.keystrokeRatio)]);
  } else rows.push(['keystroke → next frame, chat, phone', 'not measured', '', '', '', '', '']);
  const server = r.server;
  const pglite = server?.load?.find((l) => l.engine === 'PGlite');
  if (pglite) {
    const c = pglite.reference.catalog;
    const refused = Object.entries(c.statuses).filter(([code]) => code !== '200').map(([code, n]) => `${n} × ${code}`).join(', ');
    rows.push([`GET /catalog on PGlite, ${pglite.connections} connections`, `${bytes(c.requestsPerSecond)} /s${refused ? ` (${refused})` : ''}`, `bare node:http ${bytes(pglite.baseline.catalog.requestsPerSecond)} /s`, x(ratio(c.requestsPerSecond, pglite.baseline.catalog.requestsPerSecond)), `≥ ${bytes(g.catalogPerSecondPGlite)} /s`, '', c.requestsPerSecond >= g.catalogPerSecondPGlite && !refused ? 'limit met' : 'limit NOT met']);
  } else rows.push(['GET /catalog on PGlite', 'not measured', '', '', '', '', '']);
  const engines = server?.engines ?? (server ? [{ engine: process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite', reference: server.reference, baseline: server.baseline }] : []);
  for (const e of engines) {
    const rate = e.reference.requestsPerSecond;
    const base = e.baseline?.requestsPerSecond;
    const rr = base ? rate / base : null;
    rows.push([`POST /requests, ${e.engine} (${e.reference.concurrency} in flight)`, `${bytes(rate)} /s`, base ? `bare node:http ${bytes(base)} /s` : '—', x(rr), `≥ ${g.postRatio}×`, '', rr === null ? 'no baseline' : under(-rr, -g.postRatio)]);
  }
  for (const l of server?.load ?? []) {
    const rr = ratio(l.reference.post.requestsPerSecond, l.baseline.post.requestsPerSecond);
    rows.push([`POST /requests under autocannon, ${l.engine}, ${l.connections} connections`, `${bytes(l.reference.post.requestsPerSecond)} /s`, `bare node:http ${bytes(l.baseline.post.requestsPerSecond)} /s`, x(rr), `≥ ${g.postRatio}×`, '', rr === null ? 'no baseline' : under(-rr, -g.postRatio)]);
  }
  for (const e of engines) {
    rows.push([`${bytes(e.reference.streams)} SSE streams, staff reply → every stream, p99, ${e.engine}`, ms(e.reference.p99), e.baseline ? `bare node:http ${ms(e.baseline.p99)}` : '—', x(e.baseline ? ratio(e.reference.p99, e.baseline.p99) : null), `≤ ${g.sseP99Ms} ms`, '', under(e.reference.p99, g.sseP99Ms)]);
  }
  if (!engines.length) rows.push(['POST /requests, SSE p99', 'not measured', '', '', '', '', '']);
  return table(`issue 19: every figure and its goal (this run; load average ${r.machine.loadAverage.start.join('/')} at start, ${r.machine.loadAverage.end.join('/')} at end)`, ['figure', 'this run', 'baseline in the same run', 'ratio', 'limit', 'goal', 'verdict'], rows);
}
