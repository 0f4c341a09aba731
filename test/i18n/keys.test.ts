/**
 * Every string a resident sees comes from i18next: no key missing from a locale, no key that no
 * code uses, and no literal text in a template. The sources are found by following imports from
 * the entry points (the test runs in a browser, which cannot list folders), so a new file is
 * checked as soon as anything imports it.
 */
import { expect } from '@open-wc/testing';
import { LOCALE_TREES, zhCN, zhCNParts, type Tree } from '../helpers/locale-trees.js';
import { literalText } from '../helpers/template-text.js';


// A locale is its two parts together (src/i18n/i18n.ts): the core and the views' strings.
const LOCALES = LOCALE_TREES;
const ENTRIES = ['src/index.ts', 'src/define.ts', 'src/embed.ts', 'src/components/widget/widget-panel.ts'];
const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * Keys built at run time (`t(`chat.state.${state}`)`): each prefix with every value it can take.
 * A new dynamic key must be listed here, or the test reports its strings as unused.
 */
const DYNAMIC: Record<string, readonly string[]> = {
  'chat.sender.': ['resident', 'staff', 'system'],
  'chat.state.': ['queued', 'sending', 'sent', 'read', 'retrying', 'failed'],
  'chat.connection.': ['offline', 'reconnecting'],
  'chat.error.': ['send', 'start', 'history'],
  'widget.tab.': ['chat', 'form', 'status'],
  'form.description.hint.': ['consultation', 'help', 'complaint', 'suggestion'],
  'form.contact.': ['name', 'phone', 'email'],
  'form.problem.': ['catalog', 'submit', 'send'],
  'form.kind.': ['consultation.label', 'help.label', 'complaint.label', 'suggestion.label', 'consultation.description', 'help.description', 'complaint.description', 'suggestion.description'],
  'form.files.': ['saving', 'queued', 'uploading', 'done', 'failed'],
  'status.state.': ['received', 'routed', 'in_progress', 'replied', 'resolved', 'closed'],
  'status.notice.': ['reply', 'rating'],
  'status.rate.stars.': ['1', '2', '3', '4', '5'],
  'status.move.': ['dispatched', 'redispatched', 'returned', 'return_overruled', 'assist_added', 'assist_removed'],
  'status.reason.': ['not_our_duty', 'wrong_area', 'needs_other_office', 'duplicate', 'insufficient_info', 'other'],
  'status.step.': ['supervised', 'redo'],
  'status.detail.': ['replyDue', 'resolveDue'],
  'status.detail.overdue.': ['reply', 'resolve'],
  'status.': ['lookup.problem', 'feedback.problem', 'reopen.problem', 'feedback.sent', 'feedback.queued', 'feedback.sending', 'reopen.sent', 'reopen.queued', 'reopen.sending'],
};

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree)
    .flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)))
    .sort();
}

/** Fetches a source file as served (TypeScript compiled to JavaScript; text and templates intact). */
async function source(path: string): Promise<string> {
  const response = await fetch(`/${path}`);
  if (!response.ok) throw new Error(`could not fetch ${path}: ${response.status}`);
  return response.text();
}

function resolve(from: string, spec: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of spec.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/').replace(/\.js$/, '.ts');
}

/** All of src/ reachable from the entry points, by relative static and dynamic imports. */
async function sources(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const queue = [...ENTRIES];
  while (queue.length) {
    const path = queue.shift()!;
    if (files.has(path)) continue;
    const text = await source(path);
    files.set(path, text);
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const spec = match[1]!;
      if (!spec.endsWith('.js') && !spec.endsWith('.ts')) continue;
      const target = resolve(path, spec);
      if (target.startsWith('src/') && !files.has(target)) queue.push(target);
    }
  }
  return files;
}

describe('translation keys and template text', () => {
  let files: Map<string, string>;
  before(async () => {
    files = await sources();
  });

  it('finds the component sources by following imports', () => {
    for (const name of ['chat', 'form', 'status', 'widget', 'ask']) {
      expect([...files.keys()].some((f) => f.startsWith(`src/components/${name}/${name}.component.ts`)), name).to.equal(true);
    }
  });

  it('every locale has every key of every other locale (no key missing anywhere)', () => {
    const all = new Set(Object.values(LOCALES).flatMap((tree) => keys(tree)));
    for (const [name, tree] of Object.entries(LOCALES)) {
      const own = new Set(keys(tree));
      const missing = [...all].filter((k) => !own.has(k));
      expect(missing, `missing in ${name}`).to.deep.equal([]);
    }
  });

  it('every locale has the plural forms its language needs (Intl.PluralRules)', () => {
    const bases = new Set(keys(zhCN).filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
    for (const [name, tree] of Object.entries(LOCALES)) {
      const own = new Set(keys(tree));
      const categories = new Intl.PluralRules(name).resolvedOptions().pluralCategories;
      for (const base of bases) for (const category of categories) expect(own.has(`${base}_${category}`), `${name} ${base}_${category}`).to.equal(true);
    }
  });

  it('every key is used by the code (literal keys, or dynamic keys listed in DYNAMIC)', () => {
    const used = new Set<string>();
    for (const text of files.values()) {
      for (const match of text.matchAll(/['"`]((?:widget|chat|ask|form|status)\.[A-Za-z0-9_.]+)['"`]/g)) used.add(match[1]!);
      // The dynamic prefixes must really be built in the code.
    }
    const all = [...files.values()].join('\n');
    for (const prefix of Object.keys(DYNAMIC)) expect(all.includes(`\`${prefix}\${`), `dynamic prefix ${prefix} is in the code`).to.equal(true);
    for (const [prefix, values] of Object.entries(DYNAMIC)) for (const value of values) used.add(`${prefix}${value}`);
    const unused = keys(zhCN)
      .map((k) => k.replace(PLURAL, ''))
      .filter((k, i, list) => list.indexOf(k) === i && !used.has(k));
    expect(unused, 'keys no code uses').to.deep.equal([]);
    // And no code uses a key the catalogue lacks.
    const known = new Set(keys(zhCN).map((k) => k.replace(PLURAL, '')));
    const unknown = [...used].filter((k) => !known.has(k) && !Object.keys(DYNAMIC).some((p) => k === p.slice(0, -1)));
    expect(unknown, 'keys used but not in the catalogue').to.deep.equal([]);
  });

  it('only the form and My requests use the views part: the launcher, panel and chat need only the core', () => {
    const core = new Set(keys(zhCNParts.core).map((k) => k.replace(PLURAL, '')));
    const views = new Set(keys(zhCNParts.views).map((k) => k.replace(PLURAL, '')));
    expect([...core].filter((k) => views.has(k)), 'a key in both parts').to.deep.equal([]);
    expect(Object.keys(zhCNParts.views).sort(), 'the views part').to.deep.equal(['form', 'status']);
    for (const [file, text] of files) {
      if (/^src\/components\/(form|status)\//.test(file)) continue;
      const fromViews = [...text.matchAll(/['"`]((?:widget|chat|ask|form|status)\.[A-Za-z0-9_.]+)['"`]/g)].map((m) => m[1]!).filter((k) => views.has(k));
      expect(fromViews, `${file} uses strings of the views part`).to.deep.equal([]);
    }
  });

  it('no template shows text that does not come from i18next', () => {
    const components = [...files.entries()].filter(([file]) => file.startsWith('src/components/'));
    const templates = components.reduce((n, [, text]) => n + [...text.matchAll(/\bhtml`/g)].length, 0);
    expect(templates, 'templates scanned').to.be.greaterThan(50);
    const found = components.flatMap(([file, text]) => literalText(file, text));
    expect(found).to.deep.equal([]);
  });

  it('the scan itself catches literal text and attributes', () => {
    const sample = 'html`<p title="Hello">Hi ${x}</p><span aria-label=${t("a")}>${y}</span><b>中文</b>`';
    expect(literalText('x', sample)).to.deep.equal(['x: title="Hello"', 'x: text "Hi"', 'x: text "中文"']);
  });
});
