// A fault-injecting fake intake backend, mounted in web-test-runner as Koa middleware at
// /fake/<scenario>/api/v1/… . Each scenario has its own state, reset and inspected over
// POST /fake/<scenario>/_control. Faults are decided by a seeded hash of (seed, key, attempt), so
// a run is reproducible whatever the timing: connection resets, delays, 503/429 with Retry-After,
// and "saved, then the answer is lost" (the key case for idempotency).

const scenarios = new Map();

const DEFAULT_CONFIG = {
  seed: 1,
  // Probabilities per try of a write (they add up; the rest goes through cleanly).
  reset: 0, // connection reset before anything is stored
  busy: 0, // 503 or 429 with Retry-After
  saveThenFail: 0, // stored, then the connection dies or a 500 comes back
  delay: 0, // a delay of 0..maxDelayMs before handling
  maxDelayMs: 3000,
  retryAfter: 1,
  // Event stream faults: cut the stream this many times, after 1..cutEvery events each, with a
  // half-written event; on reconnect replay this many events the client already has.
  sseCuts: 0,
  cutEvery: 5,
  replay: 0,
  retryMs: 100,
  pageSize: 50,
  // Raw answers by route name: {status, type, body (string), repeat, chunked, times}.
  respond: {},
};

function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function newState(config = {}) {
  return {
    config: { ...DEFAULT_CONFIG, ...config, respond: { ...(config.respond ?? {}) } },
    requests: new Map(), // key -> record
    byReference: new Map(),
    conversations: new Map(), // id -> conversation
    conversationKeys: new Map(), // key -> id
    actions: new Map(), // feedback/reopen key -> {kind, reference, body}
    attempts: new Map(), // key -> tries seen
    duplicates: 0, // writes that would have created a second record without the key
    inflight: 0,
    maxInflight: 0,
    sseConnections: 0,
    cutsDone: 0,
    counter: 0,
    calls: new Map(), // route -> count
  };
}

function scenario(id) {
  let state = scenarios.get(id);
  if (!state) {
    state = newState();
    scenarios.set(id, state);
  }
  return state;
}

const now = () => new Date().toISOString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function readBody(req, limit = 5 * 1024 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error('too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(ctx, status, body, headers = {}) {
  ctx.status = status;
  for (const [k, v] of Object.entries(headers)) ctx.set(k, String(v));
  if (body === undefined) {
    ctx.body = null;
    return;
  }
  ctx.set('Content-Type', 'application/json; charset=utf-8');
  ctx.set('Cache-Control', 'no-store');
  ctx.body = JSON.stringify(body);
}

function error(ctx, status, code, message, extra = {}) {
  const { headers, ...rest } = extra;
  send(ctx, status, { error: { code, message, ...rest } }, headers);
}

function cut(ctx) {
  ctx.status = 200; // only for the runner's log: nothing is sent
  ctx.respond = false;
  ctx.req.socket.destroy();
}

const department = { id: 'dispatch', name: 'Dispatch centre' };
const replyPromise = { hours: 48, text: 'We reply within 2 working days' };

function catalog(site, locale) {
  return {
    protocol: '1',
    locale,
    site: { id: site, name: 'Test site', parents: [], replyPromise, officeHours: [] },
    capabilities: { chat: true, answers: true, attachments: true, feedback: true, staffOnDuty: true },
    requestTypes: [{ id: 'consultation', label: 'Consultation', description: 'Ask' }],
    services: [{ id: 'waste', name: 'Waste collection', fields: [{ id: 'address', type: 'text', label: 'Address' }] }],
    consent: { version: 'v1', text: 'I agree' },
  };
}

function detail(record) {
  return {
    id: record.id,
    reference: record.reference,
    site: { id: record.body.site, name: 'Test site' },
    service: { id: record.body.service, name: 'Waste collection' },
    type: record.body.type,
    status: record.status,
    routedTo: department,
    description: record.body.description,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    timeline: [{ at: record.createdAt, status: 'received' }],
    replies: [],
    feedback: record.feedback ?? null,
    canReopen: true,
  };
}

function addEvent(conversation, event) {
  conversation.lastSeq += 1;
  const stored = { ...event, seq: conversation.lastSeq, at: now() };
  if (stored.type === 'message') stored.message = { ...stored.message, seq: stored.seq, at: stored.at };
  conversation.events.push(stored);
  for (const listener of conversation.listeners) listener(stored);
  return stored;
}

/** Decides the fault for one try of a write, from (seed, key, attempt) only. */
function rollFault(state, key) {
  const attempt = (state.attempts.get(key) ?? 0) + 1;
  state.attempts.set(key, attempt);
  const c = state.config;
  const r = rng(hash(`${c.seed}:${key}:${attempt}`));
  const roll = r();
  let edge = c.reset;
  if (roll < edge) return { kind: 'reset' };
  if (roll < (edge += c.busy)) return { kind: 'busy', status: r() < 0.5 ? 503 : 429 };
  if (roll < (edge += c.saveThenFail)) return { kind: 'saveThenFail', how: r() < 0.5 ? 'reset' : '500' };
  if (roll < (edge += c.delay)) return { kind: 'delay', ms: Math.floor(r() * c.maxDelayMs) };
  return { kind: 'none' };
}

function bearer(ctx) {
  const header = ctx.get('authorization');
  return header.startsWith('Bearer ') ? header.slice(7) : '';
}

/** Handles a write with faults around it; `apply` stores and returns [status, body]. */
async function faulty(ctx, state, key, apply) {
  const fault = rollFault(state, key);
  state.inflight += 1;
  state.maxInflight = Math.max(state.maxInflight, state.inflight);
  try {
    if (fault.kind === 'reset') return cut(ctx);
    if (fault.kind === 'busy') {
      const code = fault.status === 503 ? 'unavailable' : 'rate_limited';
      return error(ctx, fault.status, code, 'Busy', { headers: { 'Retry-After': state.config.retryAfter } });
    }
    if (fault.kind === 'delay') await sleep(fault.ms);
    const [status, body] = apply();
    if (fault.kind === 'saveThenFail') {
      if (fault.how === 'reset') return cut(ctx);
      return error(ctx, 500, 'server_error', 'Stored, but the answer was lost');
    }
    return send(ctx, status, body);
  } finally {
    state.inflight -= 1;
  }
}

function rawOverride(ctx, state, route) {
  const spec = state.config.respond[route];
  if (!spec) return false;
  if (spec.times !== undefined) {
    if (spec.times <= 0) return false;
    spec.times -= 1;
  }
  let body = spec.body ?? '';
  if (typeof body !== 'string') body = JSON.stringify(body);
  if (spec.repeat) body = body.repeat(spec.repeat);
  if (spec.reset) {
    cut(ctx);
    return true;
  }
  if (spec.chunked) {
    ctx.respond = false;
    const res = ctx.res;
    res.writeHead(spec.status ?? 200, { 'Content-Type': spec.type ?? 'application/json', 'Cache-Control': 'no-store' });
    const size = 64 * 1024;
    let at = 0;
    const pump = () => {
      while (at < body.length) {
        const ok = res.write(body.slice(at, at + size));
        at += size;
        if (!ok) return res.once('drain', pump);
      }
      res.end();
    };
    res.on('error', () => undefined);
    pump();
    return true;
  }
  ctx.status = spec.status ?? 200;
  if (spec.type !== null) ctx.set('Content-Type', spec.type ?? 'application/json');
  if (spec.headers) for (const [k, v] of Object.entries(spec.headers)) ctx.set(k, String(v));
  ctx.body = body;
  return true;
}

function summary(state) {
  const requests = [...state.requests.values()].map((r) => ({ key: r.key, reference: r.reference, description: r.body.description, attachments: r.body.attachments, fields: r.body.fields, contact: r.body.contact }));
  const conversations = {};
  for (const c of state.conversations.values()) {
    conversations[c.id] = {
      key: c.key,
      lastSeq: c.lastSeq,
      closed: !!c.closed,
      messages: c.events.filter((e) => e.type === 'message').map((e) => ({ seq: e.seq, clientId: e.message.clientId, text: e.message.text, author: e.message.author })),
    };
  }
  return {
    requests,
    conversations,
    actions: [...state.actions.entries()].map(([key, a]) => ({ key, ...a })),
    attempts: Object.fromEntries(state.attempts),
    calls: Object.fromEntries(state.calls),
    maxInflight: state.maxInflight,
    sseConnections: state.sseConnections,
    cutsDone: state.cutsDone,
  };
}

async function control(ctx, id) {
  const body = ctx.method === 'POST' ? JSON.parse((await readBody(ctx.req)).toString() || '{}') : { action: 'state' };
  const state = scenario(id);
  switch (body.action) {
    case 'reset':
      scenarios.set(id, newState(body.config));
      return send(ctx, 200, { ok: true });
    case 'config':
      Object.assign(state.config, body.config);
      return send(ctx, 200, { ok: true });
    case 'drop':
      for (const c of state.conversations.values()) for (const end of c.streams) end();
      scenarios.delete(id);
      return send(ctx, 200, { ok: true });
    case 'raw-event': {
      // Writes raw text to every open stream of a conversation (a garbled event, say).
      const conversation = state.conversations.get(body.conversation);
      if (!conversation) return error(ctx, 404, 'not_found', 'No such conversation');
      for (const write of conversation.rawWriters) write(body.text);
      return send(ctx, 200, { ok: true, streams: conversation.rawWriters.size });
    }
    case 'staff': {
      // Staff messages into a conversation: `count` of them, one every `intervalMs`.
      const conversation = state.conversations.get(body.conversation);
      if (!conversation) return error(ctx, 404, 'not_found', 'No such conversation');
      const count = body.count ?? 1;
      const interval = body.intervalMs ?? 0;
      (async () => {
        for (let i = 0; i < count; i++) {
          if (interval) await sleep(interval);
          addEvent(conversation, {
            type: 'message',
            message: { id: `m${conversation.lastSeq + 1}`, author: 'staff', authorName: 'Dispatch centre', text: `${body.text ?? 'staff'} ${i + 1}` },
          });
        }
      })();
      return send(ctx, 200, { ok: true });
    }
    case 'close': {
      // Staff end a conversation: `status: closed` then `closed`, as the reference server sends them.
      const conversation = state.conversations.get(body.conversation);
      if (!conversation) return error(ctx, 404, 'not_found', 'No such conversation');
      conversation.closed = true;
      addEvent(conversation, { type: 'status', status: 'closed' });
      addEvent(conversation, { type: 'closed' });
      return send(ctx, 200, { ok: true });
    }
    default:
      return send(ctx, 200, summary(state));
  }
}

async function api(ctx, state, parts) {
  const [head, second, third] = parts;
  const method = ctx.method;
  const route = `${method} ${head}${third ? `/${third}` : second ? '/:id' : ''}`;
  state.calls.set(route, (state.calls.get(route) ?? 0) + 1);
  const routeName = third ?? head;
  if (rawOverride(ctx, state, routeName)) return;

  if (method === 'GET' && head === 'catalog') {
    return send(ctx, 200, catalog(ctx.query.site ?? 'test', ctx.query.locale ?? 'en'));
  }
  if (method === 'GET' && head === 'answers') {
    const q = String(ctx.query.q ?? '');
    if (state.config.answersDelayMs) await sleep(state.config.answersDelayMs);
    return send(ctx, 200, { query: q, answers: q ? [{ id: 'a1', question: q, answer: `About ${q}`, score: 0.9 }] : [] });
  }
  if (method === 'POST' && head === 'attachments') {
    const raw = await readBody(ctx.req);
    const name = /filename="([^"]*)"/.exec(raw.toString('latin1'))?.[1] ?? 'file';
    return send(ctx, 201, { id: `att${++state.counter}`, name, size: raw.length, type: 'application/octet-stream' });
  }
  if (method === 'POST' && head === 'requests' && !second) {
    const key = ctx.get('idempotency-key');
    if (!key) return error(ctx, 400, 'bad_request', 'Idempotency-Key missing');
    const text = (await readBody(ctx.req)).toString();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return error(ctx, 400, 'bad_request', 'Malformed JSON');
    }
    if (body.service === 'unknown-service') {
      state.attempts.set(key, (state.attempts.get(key) ?? 0) + 1);
      return error(ctx, 422, 'validation_failed', 'Some fields need attention', { fields: { service: 'No such service here' } });
    }
    return faulty(ctx, state, key, () => {
      const existing = state.requests.get(key);
      if (existing) {
        if (existing.text !== text) return [409, { error: { code: 'conflict', message: 'Key reused with another body' } }];
        return [200, existing.created];
      }
      const n = ++state.counter;
      const at = now();
      const record = { key, text, body, id: `r${n}`, reference: `REF-${n}`, token: `tok-${n}-${key.slice(0, 6)}`, createdAt: at, updatedAt: at, status: 'routed' };
      record.created = { id: record.id, reference: record.reference, status: 'routed', routedTo: department, accessToken: record.token, createdAt: at, replyPromise };
      state.requests.set(key, record);
      state.byReference.set(record.reference, record);
      return [201, record.created];
    });
  }
  if (head === 'requests' && second) {
    const record = state.byReference.get(decodeURIComponent(second));
    if (!record) return error(ctx, 404, 'not_found', 'No such request');
    const token = bearer(ctx);
    const contact = ctx.get('x-intake-contact');
    const allowed = token === record.token || (contact && contact === record.body.contact?.phone);
    if (!allowed) return error(ctx, 401, 'unauthorized', 'Token or contact needed');
    if (method === 'GET' && !third) return send(ctx, 200, detail(record));
    if (method === 'POST' && (third === 'feedback' || third === 'reopen')) {
      const key = ctx.get('idempotency-key');
      const body = JSON.parse((await readBody(ctx.req)).toString() || '{}');
      return faulty(ctx, state, key, () => {
        if (!state.actions.has(key)) {
          state.actions.set(key, { kind: third, reference: record.reference, body });
          record.updatedAt = now();
          if (third === 'feedback') record.feedback = { ...body, at: record.updatedAt };
          else record.status = 'in_progress';
        }
        return [200, detail(record)];
      });
    }
  }
  if (method === 'POST' && head === 'conversations' && !second) {
    const key = ctx.get('idempotency-key');
    const body = JSON.parse((await readBody(ctx.req)).toString() || '{}');
    return faulty(ctx, state, `conversation:${key}`, () => {
      let id = state.conversationKeys.get(key);
      if (!id) {
        id = `c${++state.counter}`;
        state.conversationKeys.set(key, id);
        state.conversations.set(id, {
          id, key, token: `ctok-${id}`, site: body.site, createdAt: now(), events: [], lastSeq: 0, listeners: new Set(), streams: new Set(), rawWriters: new Set(), clientIds: new Map(),
        });
      }
      const c = state.conversations.get(id);
      return [201, { id: c.id, token: c.token, createdAt: c.createdAt, staffOnDuty: true, replyPromise }];
    });
  }
  if (head === 'conversations' && second) {
    const conversation = state.conversations.get(decodeURIComponent(second));
    if (!conversation) return error(ctx, 404, 'not_found', 'No such conversation');
    const token = bearer(ctx) || ctx.query.token;
    if (token !== conversation.token) return error(ctx, 401, 'unauthorized', 'Wrong token');
    if (method === 'POST' && third === 'messages') {
      const body = JSON.parse((await readBody(ctx.req)).toString() || '{}');
      const clientId = String(body.clientId ?? '');
      return faulty(ctx, state, clientId, () => {
        const known = conversation.clientIds.get(clientId);
        if (known) return [200, known.message];
        if (conversation.closed) return [409, { error: { code: 'conversation_closed', message: 'This conversation has ended' } }];
        const event = addEvent(conversation, {
          type: 'message',
          message: { id: `m${conversation.lastSeq + 1}`, clientId, author: 'resident', text: body.text, attachments: [] },
        });
        conversation.clientIds.set(clientId, event);
        return [201, event.message];
      });
    }
    if (method === 'GET' && third === 'messages') {
      const after = Number(ctx.query.after ?? 0);
      const events = conversation.events.filter((e) => e.seq > after).slice(0, state.config.pageSize);
      return send(ctx, 200, { events, lastSeq: conversation.lastSeq, staffOnDuty: true });
    }
    if (method === 'POST' && third === 'typing') {
      await readBody(ctx.req);
      return send(ctx, 204);
    }
    if (method === 'POST' && third === 'read') {
      const body = JSON.parse((await readBody(ctx.req)).toString() || '{}');
      addEvent(conversation, { type: 'read', by: 'resident', upTo: body.upTo });
      return send(ctx, 204);
    }
    if (method === 'GET' && third === 'events') return stream(ctx, state, conversation);
  }
  return error(ctx, 404, 'not_found', `No route ${method} ${parts.join('/')}`);
}

function stream(ctx, state, conversation) {
  ctx.respond = false;
  const res = ctx.res;
  const fromHeader = Number(ctx.get('last-event-id') || 0);
  const fromQuery = Number(ctx.query.after ?? 0);
  let cursor = Math.max(fromHeader || 0, fromQuery || 0);
  // Replay a few events the client already has, to prove it deduplicates.
  if (state.sseConnections > 0 && state.config.replay) cursor = Math.max(0, cursor - state.config.replay);
  state.sseConnections += 1;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.write(`retry: ${state.config.retryMs}\n\n`);
  const seeded = rng(hash(`${state.config.seed}:sse:${state.sseConnections}`));
  let budget = state.cutsDone < state.config.sseCuts ? 1 + Math.floor(seeded() * state.config.cutEvery) : Infinity;
  let open = true;
  const end = () => {
    if (!open) return;
    open = false;
    conversation.listeners.delete(write);
    conversation.streams.delete(end);
    conversation.rawWriters.delete(raw);
    clearInterval(ping);
  };
  const write = (event) => {
    if (!open || event.seq <= cursor) return;
    cursor = event.seq;
    res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    budget -= 1;
    if (budget <= 0) {
      state.cutsDone += 1;
      // A half-written event, then the line goes dead.
      const next = JSON.stringify({ type: 'message', seq: event.seq + 1 });
      res.write(`id: ${event.seq + 1}\nevent: message\ndata: ${next.slice(0, 10)}`);
      end();
      setTimeout(() => ctx.req.socket.destroy(), 5);
    }
  };
  const raw = (text) => open && res.write(text);
  conversation.rawWriters.add(raw);
  const ping = setInterval(() => open && res.write(': ping\n\n'), 15000);
  conversation.listeners.add(write);
  conversation.streams.add(end);
  ctx.req.on('close', end);
  for (const event of conversation.events.filter((e) => e.seq > cursor)) write(event);
}

/** The Koa middleware. */
export function fakeBackend() {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/fake/')) return next();
    const parts = ctx.path.split('/').slice(2); // [id, 'api', 'v1', ...] or [id, '_control']
    const id = parts[0];
    try {
      if (parts[1] === '_control') return await control(ctx, id);
      if (parts[1] !== 'api' || parts[2] !== 'v1') return error(ctx, 404, 'not_found', 'Unknown fake path');
      return await api(ctx, scenario(id), parts.slice(3));
    } catch (e) {
      if (ctx.respond === false) return;
      return error(ctx, e.status ?? 500, e.status === 413 ? 'payload_too_large' : 'server_error', String(e.message ?? e));
    }
  };
}
