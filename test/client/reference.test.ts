// Reference numbers, the shared code (server and widget): reading what a resident typed, the
// check character, and the two formats (new random ones, and the dated ones of older databases).
import { expect } from '@open-wc/testing';
import { REFERENCE_ALPHABET, makeReference, normalizeReference, parseReference } from '../../src/client/reference.js';

/** Some references made the way the server makes them. */
function samples(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(makeReference('RS', crypto.getRandomValues(new Uint8Array(8))));
  return out;
}

describe('reference numbers', () => {
  it('are a prefix, eight random characters of an unambiguous alphabet and a check character, grouped for the phone', () => {
    expect(REFERENCE_ALPHABET).to.have.length(32);
    expect(REFERENCE_ALPHABET).not.to.match(/[ILOU]/);
    const reference = makeReference('RS', new Uint8Array([0, 1, 2, 3, 28, 29, 30, 31]));
    expect(reference).to.match(/^RS-0123-WXYZ-[0-9A-HJKMNP-TV-Z]$/);
    for (const r of samples(200)) {
      expect(r).to.match(/^RS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
      expect(parseReference(r)).to.deep.equal({ format: 'current', canonical: r, valid: true });
    }
    expect(new Set(samples(500)).size, 'random').to.equal(500);
  });

  it('catch every single wrong character and every swap of two neighbours', () => {
    for (const reference of samples(40)) {
      const chars = reference.replaceAll('-', '').split('');
      for (let i = 2; i < chars.length; i++) {
        for (const c of REFERENCE_ALPHABET) {
          if (c === chars[i]) continue;
          const typo = [...chars];
          typo[i] = c;
          expect(parseReference(typo.join('')).valid, `${reference}: ${c} at ${i}`).to.equal(false);
        }
      }
      // The prefix is covered too.
      expect(parseReference(`RX${chars.slice(2).join('')}`).valid).to.equal(false);
      for (let i = 2; i + 1 < chars.length; i++) {
        if (chars[i] === chars[i + 1]) continue;
        const swapped = [...chars];
        [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
        expect(parseReference(swapped.join('')).valid, `${reference}: swap ${i}`).to.equal(false);
      }
    }
  });

  it('read what a phone keyboard gives: any case, full width, spaces, missing or extra separators, O for 0 and I or L for 1', () => {
    const reference = makeReference('RS', new Uint8Array([1, 0, 7, 20, 9, 13, 27, 4]));
    const body = reference.slice(3).replaceAll('-', '');
    const fullWidth = [...reference].map((c) => (c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join('');
    const spellings = [
      reference,
      reference.toLowerCase(),
      `RS${body}`,
      ` rs ${body.slice(0, 4)} ${body.slice(4)} `,
      `RS--${body.slice(0, 4)}__${body.slice(4)}.`,
      fullWidth,
      `ＲＳ　${body}`,
      `RS-${body.replaceAll('0', 'O').replaceAll('1', 'l')}`,
      `RS-${body.replaceAll('1', 'I')}`,
    ];
    for (const typed of spellings) expect(normalizeReference(typed), JSON.stringify(typed)).to.equal(reference);
  });

  it('still read the dated references of older databases, in any of those spellings', () => {
    for (const typed of ['RS-20261202-0002', 'rs-20261202-0002', 'RS202612020002', 'ＲＳ－２０２６１２０２－０００２', 'rs 2026 1202 0002', ' RS-20261202--0002 ']) {
      expect(parseReference(typed), typed).to.deep.equal({ format: 'legacy', canonical: 'RS-20261202-0002', valid: true });
    }
    expect(normalizeReference('GC2025030100042')).to.equal('GC-20250301-00042');
  });

  it('leave anything else as typed (trimmed), for backends with numbers of their own', () => {
    expect(parseReference('  638344 ')).to.deep.equal({ format: 'other', canonical: '638344', valid: true });
    expect(parseReference('bd3f-99')).to.deep.equal({ format: 'other', canonical: 'bd3f-99', valid: true });
    expect(parseReference('')).to.deep.equal({ format: 'other', canonical: '', valid: true });
    // Our shape, with a character outside the alphabet: a typo, not another system's number.
    expect(parseReference('RS-7KQ2-M9XD-U').valid).to.equal(false);
  });
});
