/**
 * Text made storable before it is queued: a pasted U+0000 or a lone surrogate can never be stored
 * (PostgreSQL text refuses NUL; UTF-8 has no form for a lone surrogate), so a message holding one
 * would be refused, or retried, forever. NUL is removed; a lone surrogate becomes U+FFFD.
 */

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** One string, storable. */
export function storableText(text: string): string {
  return text.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** Every string in plain JSON-like data (objects, arrays), storable; other values as they are. */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => storable(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[storableText(key)] = storable(item);
    return out as T;
  }
  return value;
}
