/**
 * Reference numbers, shared by the reference server (which makes them) and the widget (which
 * looks them up): one reading of what a resident typed, one check character, one format test.
 *
 * A reference is a prefix of letters, eight random characters and a check character, grouped to
 * be read over the phone: `RS-7KQ2-M9XD-4`. Older databases hold dated ones (`RS-20261202-0002`),
 * which are still read. Anything else is some other backend's number and is left as typed.
 */

/** Crockford's base32 without I, L, O and U: no two characters sound or look alike. */
export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const RANDOM_LENGTH = 8;

export type ReferenceFormat = 'current' | 'legacy' | 'other';

export interface ParsedReference {
  /** `current`: prefix, eight characters and a check; `legacy`: dated; `other`: not ours. */
  format: ReferenceFormat;
  /** The one spelling to send and show (`RS-7KQ2-M9XD-4`); for `other`, the text trimmed. */
  canonical: string;
  /** False when a current-format reference fails its check character: a typo. */
  valid: boolean;
}

/** Dashes, dots, underscores, slashes and spaces of every width (after NFKC). */
const SEPARATORS = /[\s\-_.·・/\\\u2010-\u2015\u2212\u30fc]+/g;
const LEGACY = /^([A-Z]{1,8})(\d{8})(\d{4,6})$/;
const CURRENT = /^([A-Z]{1,8})([0-9A-Z]{9})$/;

/** Multiplication by x in GF(32) modulo x⁵ + x² + 1. */
const times2 = (n: number) => ((n << 1) ^ (n & 16 ? 0b100101 : 0)) & 31;

/**
 * Damm's algorithm over GF(32) (r ← 2r + v): every single wrong character and every swap of two
 * different neighbours changes the result, because doubling is one-to-one and 2 ≠ 1.
 */
function fold(prefix: string, values: number[]): number {
  let r = 0;
  for (const ch of prefix) r = times2(r) ^ (ch.charCodeAt(0) - 65);
  for (const v of values) r = times2(r) ^ v;
  return r;
}

/** A new reference from eight random bytes (the caller's cryptographic source). */
export function makeReference(prefix: string, random: Uint8Array): string {
  const values = Array.from(random.subarray(0, RANDOM_LENGTH), (b) => b & 31);
  if (values.length < RANDOM_LENGTH) throw new RangeError(`makeReference needs ${RANDOM_LENGTH} random bytes`);
  const check = times2(fold(prefix, values));
  const body = values.map((v) => REFERENCE_ALPHABET[v]).join('');
  return `${prefix}-${body.slice(0, 4)}-${body.slice(4)}-${REFERENCE_ALPHABET[check]}`;
}

/** Reads a typed reference: any case, full-width forms, spaces and separators anywhere. */
export function parseReference(typed: string): ParsedReference {
  const trimmed = typed.normalize('NFKC').trim();
  const compact = trimmed.toUpperCase().replace(SEPARATORS, '');
  const legacy = LEGACY.exec(compact);
  if (legacy) return { format: 'legacy', canonical: `${legacy[1]}-${legacy[2]}-${legacy[3]}`, valid: true };
  const current = CURRENT.exec(compact);
  if (!current) return { format: 'other', canonical: trimmed, valid: true };
  const prefix = current[1]!;
  // Crockford's reading: O is 0, I and L are 1 (U stays a mistake).
  const body = current[2]!.replace(/O/g, '0').replace(/[IL]/g, '1');
  const canonical = `${prefix}-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8)}`;
  const values = [...body].map((ch) => REFERENCE_ALPHABET.indexOf(ch));
  const valid = !values.includes(-1) && fold(prefix, values) === 0;
  return { format: 'current', canonical, valid };
}

/** The canonical spelling of a typed reference (as typed, trimmed, when it is not one of ours). */
export function normalizeReference(typed: string): string {
  return parseReference(typed).canonical;
}
