import { expect } from '@open-wc/testing';
import { IntakeClient } from '../../src/client/client.js';
import { FakeBackend, dbName, deleteDb } from '../helpers/fake-backend.js';

// Instant answers ask with the start of what was typed (issue 15, item 8): every keystroke of a
// long description used to put all of it in `GET /answers?q=` (422 past 500 characters, 431 past
// about 1,800 CJK characters, whose URL is nine bytes a character).

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const codePoints = (s: string) => Array.from(s).length;

/** A description of `length` characters that opens with `start` and goes on with `filler`. */
function long(start: string, filler: string, length = 5000): string {
  let text = start;
  while (text.length < length) text += filler;
  return text.slice(0, length);
}

const FIRST = 'Nobody has collected the rubbish on Garden Road for five days now.';
const SECOND = ' The bins by the north gate are full and the smell reaches the windows.';
const EN = long(FIRST + SECOND, ' The neighbours have asked the caretaker twice and nothing has happened since then');
const ZH = long('', '垃圾已经五天没有人清运了。');

describe('instant answers: a bounded question', () => {
  let fake: FakeBackend;
  let client: IntakeClient;
  let db: string;

  beforeEach(async () => {
    fake = await FakeBackend.create('answers-query');
    db = dbName('answers-query');
    client = new IntakeClient({ endpoint: fake.endpoint, site: 'test/site', locale: 'en', dbName: db });
    await client.ready;
  });

  afterEach(async () => {
    client.close();
    await deleteDb(db);
    await fake.drop();
  });

  /** The q the server got, as the fake backend echoes it. */
  const asked = async (text: string) => (await client.answers(text))[0]!.question;

  it('a 5,000-character description asks with its start, cut after a sentence', async () => {
    const q = await asked(EN);
    expect(q).to.equal((FIRST + SECOND).trim());
  });

  it('Chinese: at most 200 characters, cut after 。', async () => {
    const q = await asked(ZH);
    expect(codePoints(q)).to.be.at.most(200).and.above(150);
    expect(ZH.startsWith(q)).to.equal(true);
    expect(q.endsWith('。')).to.equal(true);
  });

  it('no sentence: cut between words; no word either: on a code point, never inside a surrogate pair', async () => {
    const words = 'abcdefghij '.repeat(500);
    expect(await asked(words)).to.equal('abcdefghij '.repeat(18).trim());
    const q = await asked(`${'a'.repeat(199)}😀${'b'.repeat(4800)}`);
    expect(codePoints(q)).to.equal(200);
    expect(q.endsWith('😀')).to.equal(true);
    expect(LONE_SURROGATE.test(q)).to.equal(false);
  });

  it('short text goes as typed (trimmed, spaces folded); NUL and lone surrogates are made sendable', async () => {
    expect(await asked('  rubbish  bins\n\nfull ')).to.equal('rubbish bins full');
    const q = await asked('rubbish\u0000 bins \uD800 full');
    expect(q).to.equal('rubbish bins \uFFFD full');
  });
});

describe('instant answers for a long description, against the reference server', () => {
  let api = '';

  before(async function () {
    this.timeout(120_000);
    const response = await fetch('/__server');
    const body = (await response.json()) as { api?: string; error?: string };
    if (!body.api) throw new Error(`The reference server did not start: ${body.error}`);
    api = body.api;
  });

  for (const [locale, text] of [['en', EN], ['zh-CN', ZH]] as const) {
    it(`${locale}: 5,000 characters still give the rubbish answers`, async function () {
      this.timeout(30_000);
      const db = dbName('answers-real');
      const client = new IntakeClient({ endpoint: api, site: 'riverside/xinhua/garden', locale, dbName: db });
      try {
        const answers = await client.answers(text);
        expect(answers.length).to.be.above(0);
        expect(answers[0]!.service).to.equal('rubbish-collection');
      } finally {
        client.close();
        await deleteDb(db);
      }
    });
  }
});
