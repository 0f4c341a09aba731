/**
 * Byte figures of the build (through scripts/sizes.mjs, the same code as the budget test): every
 * entry and chunk raw/gzip/brotli, before intent, the chat path (before intent and what opening the
 * chat loads), everything with one locale, the IIFE, and the budget beside each when
 * bench/budgets.json exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}

interface Measured {
  beforeIntent: Size & { files: string[] };
  everything: Size & { files: string[] };
  iife: Size;
  classicBeforeIntent: Size & { files: string[] };
  chatPath: Size & { files: string[] };
  chunks: (Size & { key: string; file: string })[];
}

interface SizesModule {
  measure(options?: { dist?: string; entry?: string; locale?: string; builtAt?: string }): Measured;
  sizeOf(path: string): Size;
  budgetsFile: string;
}

export interface ByteFigures {
  locale: string;
  entries: (Size & { name: string; file: string })[];
  chunks: (Size & { key: string; file: string })[];
  totals: { name: 'beforeIntent' | 'everything' | 'iife'; label: string; size: Size; budget?: Budget; files?: string[] }[];
  budgetsFile: string;
  budgetsFound: boolean;
}

/** A ceiling from bench/budgets.json, in bytes of the compression it names. */
export interface Budget {
  bytes: number;
  compression: 'brotli' | 'gzip' | 'raw';
  within: boolean;
  /** Issue 9's budget (brotli bytes) when the ceiling had to be set above it. */
  goal?: number;
}

const sizesUrl = new URL('../scripts/sizes.mjs', import.meta.url).href;

/** Finds a budget for `name` in whatever shape the budgets file has (number = brotli bytes). */
function findBudget(budgets: unknown, name: string): { bytes: number; compression: Budget['compression']; goal?: number } | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  const scopes: unknown[] = [budgets];
  if (budgets && typeof budgets === 'object') {
    for (const key of ['budgets', 'ceilings', 'limits']) {
      const inner = (budgets as Record<string, unknown>)[key];
      if (inner && typeof inner === 'object') scopes.push(inner);
    }
  }
  for (const scope of scopes) {
    if (!scope || typeof scope !== 'object') continue;
    const entry = Object.entries(scope as Record<string, unknown>).find(([k]) => norm(k) === norm(name));
    if (!entry) continue;
    const value = entry[1];
    if (typeof value === 'number') return { bytes: value, compression: 'brotli' };
    if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      const goal = typeof v['goal'] === 'number' ? { goal: v['goal'] } : {};
      for (const compression of ['brotli', 'gzip', 'raw'] as const) {
        if (typeof v[compression] === 'number') return { bytes: v[compression] as number, compression, ...goal };
      }
      for (const key of ['bytes', 'max', 'maxBytes', 'ceiling', 'budget']) {
        if (typeof v[key] === 'number') {
          const c = typeof v['compression'] === 'string' && ['brotli', 'gzip', 'raw'].includes(v['compression']) ? (v['compression'] as Budget['compression']) : 'brotli';
          return { bytes: v[key] as number, compression: c };
        }
      }
    }
  }
  return undefined;
}

export async function measureBytes(dist: string, locale = 'zh-CN', builtAt = dist): Promise<ByteFigures> {
  const sizes = (await import(sizesUrl)) as SizesModule;
  const measured = sizes.measure({ dist, locale, builtAt });
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, { file: string; isEntry?: boolean; name?: string }>;
  const entries = Object.entries(manifest)
    .filter(([, m]) => m.isEntry)
    .map(([key, m]) => ({ name: m.name ?? key, file: m.file, ...sizes.sizeOf(join(dist, m.file)) }));
  entries.push({ name: 'iife (classic script: the loader)', file: 'intake-widgets.iife.js', ...measured.iife });

  const budgetsPath = sizes.budgetsFile;
  const budgetsFound = existsSync(budgetsPath);
  const budgets: unknown = budgetsFound ? JSON.parse(readFileSync(budgetsPath, 'utf8')) : undefined;
  function budgetsFoundFor(name: string, size: Size): string {
    const found = budgetsFound ? findBudget(budgets, name) : undefined;
    if (!found) return '';
    const within = size[found.compression] <= found.bytes ? 'within' : 'OVER';
    const goal = found.goal !== undefined ? `, goal ${found.goal} B ${size.brotli <= found.goal ? 'met' : 'not met'}` : '';
    return ` (ceiling ${found.bytes} B ${found.compression}: ${within}${goal})`;
  }
  // What the classic tag costs before intent (issue 19: ≤ 6 KB, goal 4 KB; ceiling in bench/budgets.json).
  const classic = measured.classicBeforeIntent;
  const classicBudget = budgetsFoundFor('classic-before-intent', classic);
  entries.push({ name: `classic tag before intent${classicBudget}`, file: classic.files.join(' + '), raw: classic.raw, gzip: classic.gzip, brotli: classic.brotli });
  // The chat path (issue 19: ≤ 50 KB, goal 45 KB): before intent and what opening the chat loads.
  // A row here, as the classic tag's: the totals table (bench/report.ts) takes issue 9's three names.
  const chat = measured.chatPath;
  const chatBudget = budgetsFound ? findBudget(budgets, 'chat-path') : undefined;
  const chatRatio = chatBudget?.goal !== undefined ? `, ${(chat.brotli / chatBudget.goal).toFixed(2)}× the goal` : '';
  entries.push({ name: `chat path: before intent + opening the chat, ${locale}${budgetsFoundFor('chat-path', chat)}${chatRatio}`, file: chat.files.join(' + '), raw: chat.raw, gzip: chat.gzip, brotli: chat.brotli });
  const withBudget = (name: string, size: Size): Budget | undefined => {
    const found = budgetsFound ? findBudget(budgets, name) : undefined;
    return found ? { ...found, within: size[found.compression] <= found.bytes } : undefined;
  };
  const total = (name: 'beforeIntent' | 'everything' | 'iife', label: string, size: Size, files?: string[]) => {
    const budget = withBudget(name, size);
    return { name, label, size: { raw: size.raw, gzip: size.gzip, brotli: size.brotli }, ...(budget ? { budget } : {}), ...(files ? { files } : {}) };
  };
  return {
    locale,
    entries,
    chunks: measured.chunks,
    totals: [
      total('beforeIntent', 'before intent (ES entry + static imports)', measured.beforeIntent, measured.beforeIntent.files),
      total('everything', `everything (ES, all views, ${locale})`, measured.everything, measured.everything.files),
      total('iife', 'classic IIFE file', measured.iife),
    ],
    budgetsFile: budgetsPath,
    budgetsFound,
  };
}
