/**
 * GeoReport v2's XML (the format the specification requires; JSON is the server's option) read
 * into the shapes the JSON answers have, with the browser's own `DOMParser`: `<services><service>…`
 * → an array of objects, `<attributes><attribute>`, `<values><value>`, `<groups><group>` and a
 * `<media_url>` holding `<media_url>`s → arrays, leaf elements → their text. Everything stays a
 * string (`<metadata>true</metadata>`, `<order>1</order>`): the schemas read strings anyway.
 *
 * Shapes as servers write them: mySociety's open311-adapter (XML::Simple through its "Spark"
 * wrapper: `<service_requests><request>`, `<service_request_updates><request_update>`), FixMyStreet's
 * tests (`<service_requests_updates>`), 6aika's Django renderer (`<requests><request>`, lists of
 * `<list-item>`, errors under `<root>`). test/client/fixtures/open311/ has one of each.
 *
 * Its own chunk: open311.ts imports it only when a server answers in XML.
 */
import { IntakeError } from '../errors.js';

/** Elements whose children are a list, whatever their number. */
const LISTS = new Set(['services', 'attributes', 'values', 'groups', 'service_requests', 'requests', 'errors', 'service_request_updates', 'service_requests_updates', 'tokens']);

export type XmlValue = string | XmlValue[] | { [name: string]: XmlValue };

/**
 * An XML answer as the value its JSON twin would be. `list`: the caller expects an array, so the
 * root's children are the items (an empty `<service_requests/>` is `[]`).
 */
export function readOpen311Xml(text: string, list: boolean): XmlValue {
  if (typeof DOMParser === 'undefined') throw new IntakeError('invalid_response', 'This browser cannot read XML');
  const doc = new DOMParser().parseFromString(text.replace(/^\uFEFF/, ''), 'application/xml');
  const root = doc.documentElement;
  if (!root || root.nodeName === 'parsererror' || doc.getElementsByTagName('parsererror').length) {
    throw new IntakeError('invalid_response', 'The answer is not well-formed XML');
  }
  if (list) return elements(root).map(valueOf);
  return valueOf(root);
}

function elements(node: Element): Element[] {
  return Array.from(node.children);
}

function valueOf(element: Element): XmlValue {
  const children = elements(element);
  if (!children.length) return (element.textContent ?? '').trim();
  const name = element.localName;
  const same = children.every((c) => c.localName === children[0]!.localName);
  // A list by name, a <media_url> of <media_url>s, 6aika's <list-item>s, or one name repeated.
  if (LISTS.has(name) || (same && (children[0]!.localName === name || children[0]!.localName === 'list-item' || children.length > 1))) {
    return children.map(valueOf);
  }
  const out: { [name: string]: XmlValue } = {};
  const repeated = new Set<string>();
  for (const child of children) {
    const value = valueOf(child);
    const key = child.localName;
    const known = out[key];
    // A name given twice at one level is a list (repeated <media_url>).
    if (known === undefined) out[key] = value;
    else if (repeated.has(key)) (known as XmlValue[]).push(value);
    else {
      out[key] = [known, value];
      repeated.add(key);
    }
  }
  return out;
}
