/**
 * A small XML writer for the Open311 door: GeoReport v2's XML is the JSON answer with a root
 * element and one element per list item (`services` → `<service>`, the "Spark convention" the
 * specification and mySociety's endpoint use). Text is escaped; characters XML 1.0 cannot carry at
 * all (most C0 controls, U+FFFE, U+FFFF, lone surrogates) become U+FFFD.
 */

/** What a list's items are called in XML, by the list's name (the root's too). */
export const XML_ITEMS: Readonly<Record<string, string>> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  groups: 'group',
  endpoints: 'endpoint',
  formats: 'format',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
};

export const XML_TYPE = 'text/xml; charset=utf-8';

// Not allowed in XML 1.0 even as a character reference. Tab, LF and CR are allowed.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for element content: `&`, `<`, `>` escaped, CR kept as `&#13;` (a parser would turn it into LF). */
export function xmlText(value: string): string {
  return value
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: unknown, indent: string, out: string[]): void {
  if (!NAME.test(name)) throw new Error(`Not an XML element name: ${name}`);
  if (value === null || value === undefined) {
    out.push(`${indent}<${name}></${name}>`);
    return;
  }
  if (Array.isArray(value)) {
    const item = XML_ITEMS[name] ?? name.replace(/s$/, '');
    if (value.length === 0) {
      out.push(`${indent}<${name}>`, `${indent}</${name}>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const v of value) element(item, v, `${indent}  `, out);
    out.push(`${indent}</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    out.push(`${indent}<${name}>`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) element(k, v, `${indent}  `, out);
    out.push(`${indent}</${name}>`);
    return;
  }
  const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  out.push(`${indent}<${name}>${xmlText(text)}</${name}>`);
}

/**
 * The document for `root` holding `value` (the JSON answer): an array's items get the root's item
 * name (`service_requests` → `<request>`), an object's members become child elements in order,
 * `null` an empty element, booleans `true`/`false`.
 */
export function xmlDocument(root: string, value: unknown): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>'];
  element(root, value, '', out);
  return `${out.join('\n')}\n`;
}
