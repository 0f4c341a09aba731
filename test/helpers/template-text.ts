/**
 * Literal text in Lit `html` templates: the scan both locale key tests use (the widget's in
 * test/i18n/keys.test.ts, the console's in test/node/console-i18n.test.ts). Pure string work, so it
 * runs in a browser and in Node alike.
 */
/** Skips a `${…}` expression starting after `${`; returns the index after its `}`. */
function skipExpression(text: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
    } else if (c === '`') {
      i = skipTemplate(text, i + 1).end;
      continue;
    }
    i++;
  }
  return i;
}

/** Reads a template literal from after its opening backtick: its static parts and where it ends. */
function skipTemplate(text: string, start: number): { statics: string[]; end: number } {
  const statics: string[] = [];
  let current = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      current += text.slice(i, i + 2);
      i += 2;
    } else if (c === '`') {
      statics.push(current);
      return { statics, end: i + 1 };
    } else if (c === '$' && text[i + 1] === '{') {
      statics.push(current);
      current = '';
      i = skipExpression(text, i + 2);
    } else {
      current += c;
      i++;
    }
  }
  statics.push(current);
  return { statics, end: i };
}

const LETTERS = /[\p{L}]/u;
const TEXT_ATTRIBUTES = /\s(aria-label|aria-description|aria-placeholder|aria-roledescription|title|placeholder|alt)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>"']+))/g;

/** Literal user-facing text in the html`` templates of one file. */
export function literalText(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\bhtml`/g)) {
    const { statics } = skipTemplate(text, match.index! + match[0].length);
    // Joined with a marker where each expression stood, so `attr=${x}` reads as an expression.
    const joined = statics.join('\u0000');
    const withoutTags = joined.replace(/<[^>]*>/g, (tag) => {
      for (const attr of tag.matchAll(TEXT_ATTRIBUTES)) {
        const value = attr[3] ?? attr[4] ?? attr[5] ?? '';
        if (LETTERS.test(value.replace(/\u0000/g, ''))) found.push(`${file}: ${attr[1]}="${value}"`);
      }
      return '\u0000';
    });
    for (const piece of withoutTags.split('\u0000')) {
      const words = piece.replace(/&[a-z]+;|&#\d+;/g, '').trim();
      if (LETTERS.test(words)) found.push(`${file}: text "${words}"`);
    }
  }
  return found;
}
