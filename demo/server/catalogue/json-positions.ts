/**
 * A JSON reader that remembers where every value stands, so that a problem in a city's catalogue
 * file can be reported with its line and column ("line 42: services[3].fields[1].type: …").
 * JSON.parse cannot tell positions, and the file is edited by hand: this is the same grammar
 * (RFC 8259), plus a note of each member's and element's line, column and path.
 */

export interface Position {
  line: number;
  column: number;
}

export interface Parsed {
  value: unknown;
  /** Path (as `pathOf` writes it) → where the member (its key) or element starts. */
  positions: Map<string, Position>;
  /** Keys given twice in one object (JSON.parse keeps the last silently; a file should not). */
  duplicates: { path: string; at: Position }[];
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

type Key = string | number;

/** `services[3].fields[1].type`; keys that are not plain words are quoted: `names["zh HK"]`. */
export function pathOf(keys: readonly Key[]): string {
  let out = '';
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

const MAX_DEPTH = 64;

export function parseWithPositions(text: string): Parsed {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const positions = new Map<string, Position>();
  const duplicates: Parsed['duplicates'] = [];
  const here = (): Position => ({ line, column: i - lineStart + 1 });
  const fail = (message: string): never => {
    const at = here();
    throw new JsonSyntaxError(message, at.line, at.column);
  };
  const describe = () => {
    if (i >= text.length) return 'the end of the file';
    const token = /^"(?:[^"\\\n]|\\.){0,40}"?|^[^\s,:[\]{}]{1,40}/.exec(text.slice(i, i + 60))?.[0] ?? text[i]!;
    return token.startsWith('"') ? token : JSON.stringify(token);
  };

  const space = () => {
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\n') {
        line++;
        lineStart = i + 1;
      } else if (ch !== ' ' && ch !== '\t' && ch !== '\r') break;
    }
  };

  const string = (): string => {
    // At the opening quote.
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('a text ("…") is not closed');
      const ch = text[i]!;
      const code = ch.charCodeAt(0);
      if (ch === '"') {
        i++;
        return out;
      }
      if (code < 0x20) fail(ch === '\n' ? 'a text ("…") runs past the end of its line: close it with "' : 'a control character inside a text: escape it');
      if (ch === '\\') {
        const next = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (next !== undefined && next in simple) {
          out += simple[next];
          i += 2;
        } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          i++;
          fail(`unknown escape \\${next ?? ''} in a text`);
        }
      } else {
        out += ch;
        i++;
      }
    }
  };

  const value = (keys: Key[], depth: number): unknown => {
    space();
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    const ch = text[i];
    if (ch === '{') {
      i++;
      const out: Record<string, unknown> = {};
      space();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(`expected a key in quotes, found ${describe()}`);
        const at = here();
        const key = string();
        const path = pathOf([...keys, key]);
        if (Object.hasOwn(out, key)) duplicates.push({ path, at });
        positions.set(path, at);
        space();
        if (text[i] !== ':') fail(`expected ":" after the key "${key}", found ${describe()}`);
        i++;
        const item = value([...keys, key], depth + 1);
        // Own property even for "__proto__": never the prototype.
        Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
        space();
        if (text[i] === ',') {
          i++;
          space();
          if (text[i] === '}') fail('a comma before "}": remove it');
          continue;
        }
        if (text[i] === '}') {
          i++;
          return out;
        }
        fail(`expected "," or "}" after the value of "${key}", found ${describe()}`);
      }
    }
    if (ch === '[') {
      i++;
      const out: unknown[] = [];
      space();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        space();
        positions.set(pathOf([...keys, out.length]), here());
        out.push(value([...keys, out.length], depth + 1));
        space();
        if (text[i] === ',') {
          i++;
          space();
          if (text[i] === ']') fail('a comma before "]": remove it');
          continue;
        }
        if (text[i] === ']') {
          i++;
          return out;
        }
        fail(`expected "," or "]" after an element, found ${describe()}`);
      }
    }
    if (ch === '"') return string();
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 40));
    if (number) {
      i += number[0].length;
      return Number(number[0]);
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    if (ch === "'") fail('texts are written in double quotes ("…"), not single quotes');
    return fail(`expected a value, found ${describe()}`);
  };

  // A byte order mark is allowed at the start (files saved by some editors carry one).
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  space();
  if (i >= text.length) fail('the file is empty');
  positions.set('', here());
  const out = value([], 0);
  space();
  if (i < text.length) fail(`unexpected ${describe()} after the end of the JSON value`);
  return { value: out, positions, duplicates };
}

/** Where `path` (or, when it has none, its nearest parent) starts. */
export function positionOf(positions: Map<string, Position>, keys: readonly Key[]): Position | undefined {
  for (let n = keys.length; n >= 0; n--) {
    const at = positions.get(pathOf(keys.slice(0, n)));
    if (at) return at;
  }
  return undefined;
}

/**
 * JSON for people to read and diff: two-space indent, and whatever fits in `width` columns on one
 * line (`"names": {"zh-CN": "河畔区", "en": "Riverside District"}`). The same value always
 * gives the same text.
 */
export function prettyJson(value: unknown, width = 110): string {
  const inline = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(inline).join(', ')}]`;
    if (x && typeof x === 'object') return `{${Object.entries(x).filter(([, y]) => y !== undefined).map(([k, y]) => `${JSON.stringify(k)}: ${inline(y)}`).join(', ')}}`;
    return JSON.stringify(x) ?? 'null';
  };
  const block = (x: unknown, indent: string, lead: number): string => {
    const one = inline(x);
    if (!x || typeof x !== 'object' || indent.length + lead + one.length <= width) return one;
    const inner = `${indent}  `;
    if (Array.isArray(x)) {
      if (!x.length) return '[]';
      return `[\n${x.map((y) => inner + block(y, inner, 0)).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(x).filter(([, y]) => y !== undefined);
    if (!entries.length) return '{}';
    return `{\n${entries.map(([k, y]) => `${inner}${JSON.stringify(k)}: ${block(y, inner, JSON.stringify(k).length + 2)}`).join(',\n')}\n${indent}}`;
  };
  return `${block(value, '', 0)}\n`;
}
