/**
 * docs/protocol.md and src/client/protocol.ts must not drift apart: every JSON example in the
 * document names the schema it must satisfy (```json {schema=Name}) and is parsed with it; event
 * stream examples (```sse {schema=StreamEventSchema}) are parsed event by event; and every
 * endpoint keeps its section.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import * as protocol from '../../src/client/protocol.js';

const DOC = 'docs/protocol.md';
const text = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

/** The endpoints of Intake protocol v1; each must have a heading `METHOD /path`. */
const ENDPOINTS = [
  'GET /catalog',
  'GET /answers',
  'POST /requests',
  'GET /requests/{reference}',
  'POST /requests/{reference}/feedback',
  'POST /requests/{reference}/reopen',
  'GET /similar',
  'POST /requests/{reference}/follow',
  'POST /attachments',
  'GET /attachments/{id}',
  'POST /conversations',
  'GET /conversations/{id}',
  'POST /conversations/{id}/messages',
  'GET /conversations/{id}/events',
  'GET /conversations/{id}/messages',
  'POST /conversations/{id}/typing',
  'POST /conversations/{id}/read',
];

/** Sections that must not silently vanish (matched against headings, case-insensitive). */
const SECTIONS = ['Conventions', 'Errors', 'Idempotency', 'Capabilities', 'Request kinds and statuses',
  'Size limits', 'Rate limits', 'CORS', 'Privacy', 'Compatibility', 'Staff API'];

const MIN_JSON_EXAMPLES = 20;

interface Fence {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  info: string;
  schemaName: string | null;
  body: string;
}

/** CommonMark-style fenced blocks: up to 3 spaces of indent, ``` or ~~~, closed by the same run. */
function fences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, marker, info] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).exec(lines[j]!);
      if (close) break;
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!.trimStart());
    }
    const lang = info.trim().split(/[\s{]/)[0] ?? '';
    const schema = /\{\s*schema\s*=\s*([A-Za-z0-9_]+)\s*\}/.exec(info);
    out.push({ line: i + 1, lang, info: info.trim(), schemaName: schema ? schema[1]! : null, body: body.join('\n') });
    i = j;
  }
  return out;
}

const exported = new Map<string, unknown>(Object.entries(protocol));

function isSchema(value: unknown): value is v.GenericSchema {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'schema'
    && typeof (value as { '~run'?: unknown })['~run'] === 'function';
}

function schemaFor(fence: Fence): { schema: v.GenericSchema } | { problem: string } {
  if (!fence.schemaName) return { problem: `${DOC}:${fence.line}: \`\`\`${fence.lang} fence has no {schema=Name} in its info string` };
  const schema = exported.get(fence.schemaName);
  if (!isSchema(schema)) {
    return { problem: `${DOC}:${fence.line}: ${fence.schemaName} is not a valibot schema exported by src/client/protocol.ts` };
  }
  return { schema };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys in the example that the schema dropped: unknown to the protocol, most likely a typo. */
function droppedKeys(input: unknown, output: unknown, path = ''): string[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((item, i) => droppedKeys(item, output[i], `${path}[${i}]`));
  }
  if (isPlainObject(input) && isPlainObject(output)) {
    return Object.keys(input).flatMap((key) => {
      const at = path ? `${path}.${key}` : key;
      return key in output ? droppedKeys(input[key], output[key], at) : [at];
    });
  }
  return [];
}

/** Parses one JSON value with a schema; returns the problems (empty when it fits). */
function check(schema: v.GenericSchema, schemaName: string, where: string, json: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return [`${where}: not valid JSON: ${(err as Error).message}`];
  }
  const result = v.safeParse(schema, value);
  if (!result.success) {
    return result.issues.map((issue) => `${where}: ${schemaName}: ${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
  }
  return droppedKeys(value, result.output).map((key) => `${where}: ${schemaName} does not know the key "${key}"`);
}

interface SseBlock {
  line: number;
  fields: { name: string; value: string }[];
}

/** Splits an event stream into its blank-line-separated blocks, comments removed. */
function sseBlocks(body: string, firstLine: number): SseBlock[] {
  const blocks: SseBlock[] = [];
  let current: SseBlock | null = null;
  body.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line === '') {
      if (current) blocks.push(current);
      current = null;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    current ??= { line: firstLine + 1 + i, fields: [] };
    current.fields.push({ name, value });
  });
  if (current) blocks.push(current);
  return blocks;
}

function checkSse(fence: Fence, schema: v.GenericSchema, schemaName: string): { problems: string[]; events: number } {
  const problems: string[] = [];
  let events = 0;
  let lastId = 0;
  for (const block of sseBlocks(fence.body, fence.line)) {
    const where = `${DOC}:${block.line}`;
    const get = (name: string) => block.fields.filter((f) => f.name === name).map((f) => f.value);
    for (const f of block.fields) {
      if (!['id', 'event', 'data', 'retry'].includes(f.name)) problems.push(`${where}: unknown SSE field "${f.name}"`);
    }
    const retry = get('retry');
    if (retry.some((r) => !/^\d+$/.test(r))) problems.push(`${where}: retry must be a whole number of milliseconds`);
    const data = get('data');
    if (!data.length) {
      if (get('id').length || get('event').length) problems.push(`${where}: an event without data is never dispatched`);
      continue;
    }
    events++;
    const json = data.join('\n');
    const found = check(schema, schemaName, where, json);
    problems.push(...found);
    if (found.length) continue;
    const event = JSON.parse(json) as { type: string; seq?: number };
    const [name] = get('event');
    if (name !== event.type) problems.push(`${where}: event: "${name ?? '(none)'}" but the data's type is "${event.type}"`);
    if (!(protocol.STREAM_EVENT_NAMES as readonly string[]).includes(event.type)) {
      problems.push(`${where}: "${event.type}" is not one of STREAM_EVENT_NAMES`);
    }
    const [id] = get('id');
    if (event.type === 'typing') {
      if (id !== undefined) problems.push(`${where}: typing events are not stored and carry no id`);
    } else if (id !== String(event.seq)) {
      problems.push(`${where}: id: "${id ?? '(none)'}" must equal the event's seq ${event.seq}`);
    } else if (event.seq! <= lastId) {
      problems.push(`${where}: ids must increase (${event.seq} after ${lastId})`);
    } else {
      lastId = event.seq!;
    }
  }
  if (!events) problems.push(`${DOC}:${fence.line}: the sse example holds no events`);
  return { problems, events };
}

const all = fences(text);
const jsonFences = all.filter((f) => f.lang.toLowerCase().startsWith('json'));
const sseFences = all.filter((f) => f.lang.toLowerCase() === 'sse');

test('every json and sse fence names a schema exported by src/client/protocol.ts', () => {
  const problems: string[] = [];
  for (const fence of [...jsonFences, ...sseFences]) {
    if (fence.lang !== 'json' && fence.lang !== 'sse') problems.push(`${DOC}:${fence.line}: use \`\`\`json, not \`\`\`${fence.lang}`);
    const found = schemaFor(fence);
    if ('problem' in found) problems.push(found.problem);
  }
  assert.equal(problems.length, 0, `\n${problems.join('\n')}`);
});

test('no JSON hides in an unchecked fence', () => {
  const problems = all
    .filter((f) => !jsonFences.includes(f) && !sseFences.includes(f))
    .filter((f) => f.body.split('\n').some((line) => /^\s*[{[]/.test(line)))
    .map((f) => `${DOC}:${f.line}: a \`\`\`${f.lang || '(no language)'} fence holds JSON; move it into a \`\`\`json {schema=…} fence`);
  assert.equal(problems.length, 0, `\n${problems.join('\n')}`);
});

test('every JSON example parses with its schema', async (t) => {
  for (const fence of jsonFences) {
    await t.test(`${DOC}:${fence.line} ${fence.schemaName ?? '(no schema)'}`, () => {
      const found = schemaFor(fence);
      if ('problem' in found) assert.fail(found.problem);
      const problems = check(found.schema, fence.schemaName!, `${DOC}:${fence.line}`, fence.body);
      assert.equal(problems.length, 0, `\n${problems.join('\n')}`);
    });
  }
});

test('every event stream example parses event by event', async (t) => {
  assert.ok(sseFences.length >= 1, `${DOC} should show the event stream as it is sent (a \`\`\`sse fence)`);
  for (const fence of sseFences) {
    await t.test(`${DOC}:${fence.line} ${fence.schemaName ?? '(no schema)'}`, () => {
      const found = schemaFor(fence);
      if ('problem' in found) assert.fail(found.problem);
      const { problems } = checkSse(fence, found.schema, fence.schemaName!);
      assert.equal(problems.length, 0, `\n${problems.join('\n')}`);
    });
  }
});

test(`there are at least ${MIN_JSON_EXAMPLES} JSON examples`, () => {
  assert.ok(jsonFences.length >= MIN_JSON_EXAMPLES, `${DOC} has ${jsonFences.length} JSON examples`);
});

test('every endpoint and section keeps its heading', () => {
  const headings = text
    .split('\n')
    .filter((line) => /^#{1,6}\s/.test(line))
    .map((line) => line.replace(/^#+\s*/, '').replaceAll('`', '').trim());
  const missing = [
    ...ENDPOINTS.filter((endpoint) => !headings.some((h) => h === endpoint || h.startsWith(`${endpoint} `))),
    ...SECTIONS.filter((section) => !headings.some((h) => h.toLowerCase().includes(section.toLowerCase()))),
  ];
  assert.deepEqual(missing, [], `${DOC} is missing headings`);
});

test('the names the protocol fixes all appear in the text', () => {
  const words = [
    ...protocol.ERROR_CODES,
    ...protocol.REQUEST_KINDS,
    ...protocol.REQUEST_STATUSES,
    ...protocol.FIELD_TYPES,
    ...protocol.STREAM_EVENT_NAMES,
    'Idempotency-Key', 'Authorization', 'Last-Event-ID', 'Content-Type', 'Retry-After', 'X-Intake-Contact',
    'reference', 'accessToken', 'routedTo', 'clientId', 'seq', 'capabilities', 'website',
  ];
  const missing = words.filter((word) => !text.includes(`\`${word}\``));
  assert.deepEqual(missing, [], `${DOC} should name each of these (in backticks)`);
});

test('every error code is given its HTTP status in the errors table', () => {
  const statuses: Record<protocol.ErrorCode, number> = {
    bad_request: 400,
    validation_failed: 422,
    unauthorized: 401,
    forbidden: 403,
    not_found: 404,
    conflict: 409,
    conversation_closed: 409,
    payload_too_large: 413,
    unsupported_media_type: 415,
    rate_limited: 429,
    server_error: 500,
    unavailable: 503,
  };
  const wrong = protocol.ERROR_CODES.filter((code) => !new RegExp(`^\\| \`${code}\` \\| ${statuses[code]} \\|`, 'm').test(text));
  assert.deepEqual(wrong, [], 'each code needs a row "| `code` | status |" in the errors table');
});
