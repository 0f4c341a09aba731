/**
 * The staff console's strings (demo/console/i18n.ts): every namespace has the same keys in
 * simplified Chinese and English, every key a console file uses exists, every key is used, and no
 * console template shows text that does not come from i18next (the widget's rules,
 * test/i18n/keys.test.ts, for demo/console/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { literalText } from '../helpers/template-text.js';

const CONSOLE = 'demo/console';
const LOCALES = `${CONSOLE}/locales`;
const LANGUAGES = ['zh-CN', 'en'];
const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * Keys built at run time (t(`common:status.${status}`)): each prefix with every value it can
 * take. A new dynamic key must be listed here (one line per prefix), or its strings are reported
 * as unused; the prefix itself must appear in the code as `prefix${`.
 */
const DYNAMIC: Record<string, readonly string[]> = {
  'common:kind.': ['consultation', 'help', 'complaint', 'suggestion'],
  'common:status.': ['received', 'routed', 'in_progress', 'replied', 'resolved', 'closed', 'open', 'waiting'],
  'shell:role.': ['dispatcher', 'department', 'site', 'supervisor', 'administrator'],
  'shell:duty.': ['live', 'connecting', 'reconnecting', 'stopped'],
  'queue:sort.': ['updated', 'created', 'oldest', 'due'],
  'queue:due.': ['overdue', 'soon'],
  'ratings:level.': ['very_satisfied', 'satisfied', 'fairly_satisfied', 'dissatisfied', 'very_dissatisfied'],
  'ratings:channel.': ['widget', 'any_device', 'return_visit'],
  'metrics:level.': ['1', '2', '3', '4', '5'],
  'dispatch:reason.': ['not_our_duty', 'wrong_area', 'needs_other_office', 'duplicate', 'insufficient_info', 'other'],
  'dispatch:move.': ['dispatched', 'redispatched', 'returned', 'return_overruled', 'assist_added', 'assist_removed', 'accepted'],
  'supervise:which.': ['reply', 'resolve'],
  'audit:action.': ['sign_in', 'sign_in_failed', 'sign_out', 'sign_out_everywhere', 'account_create', 'account_change', 'account_disable', 'password_change', 'route', 'reply', 'status', 'note', 'message', 'close', 'assign', 'claim', 'contact_release', 'contact_view', 'attachment_view', 'work_order', 'merge', 'export', 'export_assessment', 'import', 'catalogue_change', 'settings_change', 'canned_change', 'supervise', 'account_create_system', 'password_reset', 'note_resident', 'assign_none', 'catalogue_create', 'catalogue_delete', 'settings_inherit', 'canned_create', 'canned_update', 'canned_delete', 'unknown', 'return', 'return_overrule', 'offices', 'rating_appeal', 'return_visit', 'return_visit_unreached', 'delivery_retry'],
  'audit:actionName.': ['sign_in', 'sign_in_failed', 'sign_out', 'sign_out_everywhere', 'account_create', 'account_change', 'account_disable', 'password_change', 'route', 'reply', 'status', 'note', 'message', 'close', 'assign', 'claim', 'contact_release', 'contact_view', 'attachment_view', 'work_order', 'merge', 'export', 'import', 'catalogue_change', 'settings_change', 'canned_change', 'supervise', 'return', 'return_overrule', 'offices', 'rating_appeal', 'return_visit', 'delivery_retry'],
  'audit:kind.': ['request', 'conversation', 'account', 'settings', 'catalogue', 'service', 'site', 'department', 'route', 'answer', 'privacy', 'canned_reply'],
  'audit:item.': ['request', 'conversation', 'account', 'settings', 'catalogue', 'service', 'site', 'department', 'route', 'answer', 'privacy', 'canned_reply'],
  'audit:field.': ['from', 'department', 'status', 'length', 'visibility', 'note', 'messageId', 'account', 'previous', 'kind', 'attachment', 'name', 'reference', 'service', 'force', 'version', 'section', 'id', 'change', 'before', 'signature', 'title', 'fields', 'login', 'displayName', 'role', 'source', 'session', 'sessionsEnded', 'changes', 'by', 'reason', 'after', 'site', 'disabled', 'password'],
  'audit:reason.': ['locked', 'unknown_login', 'no_password', 'wrong_password', 'disabled'],
  'audit:signature.': ['office_name', 'office', 'office_number', 'office_initial'],
  'settings:modeName.': ['office_name', 'office', 'office_number', 'office_initial'],
  'accounts:roleHint.': ['dispatcher', 'department', 'site', 'supervisor', 'administrator'],
  'accounts:me.': ['current', 'next', 'repeat'],
  'setup:': ['login', 'displayName', 'password', 'confirm'],
};

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree)
    .flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)))
    .sort();
}

function namespaces(lng: string): Map<string, Tree> {
  const out = new Map<string, Tree>();
  for (const file of readdirSync(join(LOCALES, lng)).filter((f) => f.endsWith('.json')).sort()) {
    out.set(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(LOCALES, lng, file), 'utf8')) as Tree);
  }
  return out;
}

/** Every console source file (not the locale files). */
function sources(dir = CONSOLE): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'locales') for (const [p, text] of sources(path)) out.set(p, text);
    } else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.set(path, readFileSync(path, 'utf8'));
    }
  }
  return out;
}

/** All keys of every namespace in one language, as 'ns:key' (plural suffixes kept). */
function allKeys(lng: string): string[] {
  return [...namespaces(lng)].flatMap(([ns, tree]) => keys(tree).map((k) => `${ns}:${k}`)).sort();
}

const base = (key: string) => key.replace(PLURAL, '');

test('console locales: both languages have the same namespaces and the same keys', () => {
  const [first, ...rest] = LANGUAGES.map((lng) => [lng, namespaces(lng)] as const);
  assert.ok(first![1].has('common'), 'a common namespace');
  for (const [lng, ns] of rest) assert.deepEqual([...ns.keys()], [...first![1].keys()], `namespaces of ${lng}`);
  const bases = new Map(LANGUAGES.map((lng) => [lng, new Set(allKeys(lng).map(base))]));
  const all = new Set([...bases.values()].flatMap((s) => [...s]));
  for (const [lng, own] of bases) assert.deepEqual([...all].filter((k) => !own.has(k)), [], `keys missing in ${lng}`);
  for (const lng of LANGUAGES) {
    for (const [ns, tree] of namespaces(lng)) {
      for (const key of keys(tree)) {
        const value = key.split('.').reduce<string | Tree>((node, part) => (node as Tree)[part]!, tree);
        assert.ok(typeof value === 'string' && value.trim() !== '', `${lng} ${ns}:${key} is empty`);
      }
    }
  }
});

test('console locales: plural keys have the forms each language needs (Intl.PluralRules)', () => {
  const plural = new Set(LANGUAGES.flatMap((lng) => allKeys(lng).filter((k) => PLURAL.test(k)).map(base)));
  for (const lng of LANGUAGES) {
    const own = new Set(allKeys(lng));
    for (const key of plural) {
      for (const category of new Intl.PluralRules(lng).resolvedOptions().pluralCategories) {
        assert.ok(own.has(`${key}_${category}`), `${lng} ${key}_${category}`);
      }
    }
  }
});

test('console locales: every key used exists, every key is used (literal, or dynamic as listed in DYNAMIC)', () => {
  const files = sources();
  assert.ok([...files.keys()].some((f) => f.endsWith('console-app.ts')), 'finds the console sources');
  const namespaceNames = [...namespaces('zh-CN').keys()];
  const used = new Set<string>();
  const code = [...files.values()].join('\n');
  for (const match of code.matchAll(/['"`]([a-z][\w-]*):([A-Za-z0-9_.-]+)['"`]/g)) {
    if (namespaceNames.includes(match[1]!)) used.add(`${match[1]}:${match[2]}`);
  }
  for (const prefix of Object.keys(DYNAMIC)) assert.ok(code.includes(`\`${prefix}\${`), `dynamic prefix ${prefix} is in the code`);
  for (const [prefix, values] of Object.entries(DYNAMIC)) for (const value of values) used.add(`${prefix}${value}`);
  const known = new Set(allKeys('zh-CN').map(base));
  assert.deepEqual([...known].filter((k) => !used.has(k)), [], 'keys no console code uses');
  assert.deepEqual([...used].filter((k) => !known.has(k)).sort(), [], 'keys used but in no zh-CN locale file');
});

test('console templates show no text that does not come from i18next', () => {
  const files = [...sources()];
  const templates = files.reduce((n, [, text]) => n + [...text.matchAll(/\bhtml`/g)].length, 0);
  assert.ok(templates > 40, `templates scanned: ${templates}`);
  const found = files.flatMap(([file, text]) => literalText(file, text));
  assert.deepEqual(found, []);
});

test('the template scan catches literal text and attributes', () => {
  const sample = 'html`<p title="Hello">Hi ${x}</p><span aria-label=${t("a")}>${y}</span><b>中文</b>`';
  assert.deepEqual(literalText('x', sample), ['x: title="Hello"', 'x: text "Hi"', 'x: text "中文"']);
});
