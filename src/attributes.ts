/**
 * The element's own attribute readers (`position`, `theme`, `transport`, `modes`): the part of the
 * config `<intake-widget>` needs before the resident shows intent, kept apart from `config.ts` so
 * the launcher's bytes do not carry the script-tag reader. A wrong value never breaks the host
 * page: it is reported with `console.error` (naming the attribute and the form expected) and
 * replaced by a safe default.
 */
import type { TransportKind } from './client/types.js';

export const POSITIONS = ['bottom-end', 'bottom-start'] as const;
export type Position = (typeof POSITIONS)[number];
export const MODES = ['chat', 'form', 'status'] as const;
export type Mode = (typeof MODES)[number];
export const THEMES = ['light', 'dark', 'auto'] as const;
export type Theme = (typeof THEMES)[number];
export const TRANSPORTS: readonly TransportKind[] = ['intake', 'open311'];

export type ErrorReporter = (message: string) => void;

export const defaultReport: ErrorReporter = (message) => console.error(`[intake-widgets] ${message}`);

function pick<T extends string>(value: string | null | undefined, allowed: readonly T[], fallback: T, attribute: string, report: ErrorReporter): T {
  if (value == null || value === '') return fallback;
  const v = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  report(`${attribute}="${value}" is not valid: expected one of ${allowed.map((a) => `"${a}"`).join(', ')}. Using "${fallback}".`);
  return fallback;
}

export function readPosition(value: string | null | undefined, attribute = 'position', report = defaultReport): Position {
  return pick(value, POSITIONS, 'bottom-end', attribute, report);
}

export function readTheme(value: string | null | undefined, attribute = 'theme', report = defaultReport): Theme {
  return pick(value, THEMES, 'light', attribute, report);
}

export function readTransport(value: string | null | undefined, attribute = 'transport', report = defaultReport): TransportKind {
  return pick(value, TRANSPORTS, 'intake', attribute, report);
}

/** `"chat form"` or `"chat,status"`: a subset of chat, form, status; empty means all. */
export function readModes(value: string | null | undefined, attribute = 'modes', report = defaultReport): Mode[] {
  if (value == null || value.trim() === '') return [...MODES];
  const words = value.toLowerCase().split(/[\s,]+/).filter(Boolean);
  const unknown = words.filter((w) => !(MODES as readonly string[]).includes(w));
  const modes = MODES.filter((m) => words.includes(m));
  if (unknown.length > 0 || modes.length === 0) {
    report(`${attribute}="${value}" is not valid: expected a space-separated subset of "chat form status"` +
      (modes.length ? `. Ignoring ${unknown.map((u) => `"${u}"`).join(', ')}.` : '. Using all of them.'));
  }
  return modes.length ? modes : [...MODES];
}

