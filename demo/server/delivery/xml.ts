/**
 * A small reader for GeoReport v2's XML: elements holding text or other elements, nothing carried in
 * attributes, no namespaces. Written by hand instead of adding an XML library: the answers are
 * simple, a reader of about a hundred lines is easy to check, and it refuses what such a library
 * would have to be configured against (DOCTYPE, so no entity expansion or external entities).
 *
 * `readXml` gives the root element; `toPlain` turns it into plain values as JSON answers look:
 * an element with text is a string, an element with children an object, and repeated children
 * (or the items of the lists GeoReport names: service_requests → request, …) arrays.
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    const named = NAMED[ref];
    if (named === undefined) throw new XmlError(`unknown entity ${whole}`);
    return named;
  });
}

const NAME = /^[A-Za-z_][\w.:-]*/;

/** The root element of an XML document; throws XmlError on anything malformed. */
export function readXml(source: string): XmlElement {
  let i = 0;
  const s = source.replace(/^\uFEFF/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const textEnd = lt === -1 ? s.length : lt;
    if (textEnd > i) {
      const chunk = s.slice(i, textEnd);
      if (stack.length) stack.at(-1)!.text += decode(chunk);
      else if (chunk.trim()) throw new XmlError('text outside the root element');
    }
    if (lt === -1) break;
    i = lt;
    if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i);
      if (end === -1) throw new XmlError('unterminated processing instruction');
      i = end + 2;
    } else if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i);
      if (end === -1) throw new XmlError('unterminated comment');
      i = end + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i);
      if (end === -1) throw new XmlError('unterminated CDATA');
      if (!stack.length) throw new XmlError('CDATA outside the root element');
      stack.at(-1)!.text += s.slice(i + 9, end);
      i = end + 3;
    } else if (s.startsWith('<!', i)) {
      throw new XmlError('DOCTYPE and declarations are not read');
    } else if (s.startsWith('</', i)) {
      const end = s.indexOf('>', i);
      if (end === -1) throw new XmlError('unterminated end tag');
      const name = s.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new XmlError(`</${name}> does not close <${open?.name ?? ''}>`);
      i = end + 1;
    } else {
      const end = tagEnd(s, i);
      const inner = s.slice(i + 1, end);
      const selfClosing = inner.endsWith('/');
      const name = NAME.exec(inner)?.[0];
      if (!name) throw new XmlError('an element without a name');
      const element: XmlElement = { name, children: [], text: '' };
      if (stack.length) stack.at(-1)!.children.push(element);
      else if (root) throw new XmlError('more than one root element');
      else root = element;
      if (!selfClosing) stack.push(element);
      i = end + 1;
    }
  }
  if (stack.length) throw new XmlError(`<${stack.at(-1)!.name}> is not closed`);
  if (!root) throw new XmlError('no root element');
  return root;
}

/** The `>` ending the tag at `from`, skipping quoted attribute values. */
function tagEnd(s: string, from: number): number {
  let quote: string | null = null;
  for (let j = from + 1; j < s.length; j++) {
    const ch = s[j]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return j;
  }
  throw new XmlError('unterminated tag');
}

export type Plain = string | Plain[] | { [key: string]: Plain };

/** The list elements of GeoReport v2 and the mySociety extension, always read as arrays. */
const LISTS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  service_request_updates: 'request_update',
  service_requests_updates: 'request_update',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  media_urls: 'media_url',
};

export function toPlain(element: XmlElement): Plain {
  if (!element.children.length) return element.text.trim();
  const item = LISTS[element.name];
  if (item && element.children.every((c) => c.name === item)) return element.children.map(toPlain);
  const out: Record<string, Plain> = {};
  const counts = new Map<string, number>();
  for (const c of element.children) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  for (const c of element.children) {
    const value = toPlain(c);
    if ((counts.get(c.name) ?? 0) > 1) {
      const list = (out[c.name] ??= []) as Plain[];
      list.push(value);
    } else out[c.name] = value;
  }
  return out;
}

/** Reads an XML document into plain values; the root's own name is dropped, as JSON answers have none. */
export function parseXml(source: string): Plain {
  return toPlain(readXml(source));
}
