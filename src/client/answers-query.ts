/**
 * The question instant answers ask with (`GET /answers?q=`): the start of what was typed. A whole
 * description in the URL is refused (the protocol's 500-character q, 431 for long CJK text, nine
 * URL bytes a character), and its start ranks the knowledge base as well as the whole.
 */
import { storableText } from './text.js';

/** Code points of the text that instant answers ask with: the start ranks as well as the whole. */
export const ANSWERS_QUERY_MAX = 200;

/**
 * The start of `text` as an instant-answers question: spaces folded, sendable (no NUL or lone
 * surrogate), at most ANSWERS_QUERY_MAX code points, cut after a sentence or between words
 * when one ends in the second half, else on a code point.
 */
export function answersQuery(text: string): string {
  const chars = Array.from(storableText(text).replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim());
  if (chars.length <= ANSWERS_QUERY_MAX) return chars.join('');
  const head = chars.slice(0, ANSWERS_QUERY_MAX);
  const last = (pattern: RegExp) => {
    for (let i = head.length - 1; i >= ANSWERS_QUERY_MAX / 2; i--) if (pattern.test(head[i]!)) return i;
    return -1;
  };
  const sentence = last(/[.!?;。！？；…]/);
  if (sentence >= 0) return head.slice(0, sentence + 1).join('');
  const word = chars[ANSWERS_QUERY_MAX] === ' ' ? ANSWERS_QUERY_MAX : last(/[ ,，、]/);
  return (word >= 0 ? head.slice(0, word) : head).join('').trim();
}
