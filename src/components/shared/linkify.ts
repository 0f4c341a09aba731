/**
 * Splits resident or staff text into plain text and links. Only http:, https:, mailto: and tel:
 * become links; everything else (javascript:, data:, …) stays text. The caller renders the parts
 * with Lit text bindings, never as HTML.
 */
export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

// URL characters are ASCII only, so full-width punctuation (。，) ends a link.
const CANDIDATE = /\b(?:https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&()*+,;=%]+|mailto:[A-Za-z0-9\-._~@+%.?=&]+|tel:\+?[0-9][0-9()\-. ]*[0-9])/gi;
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);
// Punctuation that usually ends a sentence rather than a URL, including full-width forms.
const TRAILING = /[.,;:!?)\]}'"，。；：！？）】」』、]+$/u;

export function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    if (!SAFE_PROTOCOLS.has(url.protocol)) return undefined;
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    let candidate = match[0];
    const trailing = TRAILING.exec(candidate)?.[0] ?? '';
    if (trailing) candidate = candidate.slice(0, -trailing.length);
    // A phone number's spaces and dashes are for reading; the link needs only the digits.
    const href = safeHref(candidate.toLowerCase().startsWith('tel:') ? `tel:${candidate.slice(4).replace(/[^0-9+]/g, '')}` : candidate);
    if (!href) continue;
    const start = match.index ?? 0;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
