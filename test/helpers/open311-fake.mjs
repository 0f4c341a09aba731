// A fake Open311 GeoReport v2 server, written from the specification
// (http://wiki.open311.org/GeoReport_v2) and not from demo/server: JSON format only, form-encoded
// POST, `jurisdiction_id` optional, errors as [{code, description}] with 400/403/404. Mounted in
// web-test-runner as Koa middleware at /open311-fake/<scenario>/v2/… ; each scenario has its own
// state, reset, configured and inspected over POST /open311-fake/<scenario>/_control.
//
// Faults and variants, per scenario: `apiKey` (403 without it), `batch` (POST answers a token that
// gives the id after that many token reads), `blackbox` (POST answers no id and no token),
// `dropAnswers` (that many POSTs are stored, then the connection is cut: the answer is lost),
// `listsRequests: false` (GET requests.json answers [] — a server that does not list).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('./open311-fixtures/', import.meta.url));
const fixture = (name) => JSON.parse(readFileSync(`${fixtures}${name}`, 'utf8'));

const DEFAULT_CONFIG = {
  apiKey: null,
  batch: 0,
  blackbox: false,
  dropAnswers: 0,
  listsRequests: true,
};

const scenarios = new Map();

function newState(config = {}) {
  const services = fixture('services.json');
  const definitions = new Map([
    ['001', { ...fixture('service-definition-all.json'), service_code: '001' }],
    ['002', { ...fixture('service-definition-spec.json'), service_code: '002' }],
    ['003', { service_code: '003', attributes: [] }],
  ]);
  return {
    config: { ...DEFAULT_CONFIG, ...config },
    services,
    definitions,
    requests: [], // stored service requests (with `_form`: the pairs received)
    tokens: new Map(), // token -> {id, reads}
    posts: 0,
    dropped: 0,
    counter: 0,
    calls: {},
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

async function readBody(req, limit = 1024 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error('too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(ctx, status, body) {
  ctx.status = status;
  ctx.set('Content-Type', 'application/json; charset=utf-8');
  ctx.set('Cache-Control', 'no-store');
  ctx.body = JSON.stringify(body);
}

/** The specification's error shape: an array of {code, description}. */
function errors(ctx, status, ...descriptions) {
  send(ctx, status, descriptions.map((description) => ({ code: status, description })));
}

const w3c = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function publicRequest(r) {
  const { _form, ...rest } = r;
  return rest;
}

async function control(ctx, id) {
  const body = JSON.parse((await readBody(ctx.req)) || '{}');
  const state = scenario(id);
  switch (body.action) {
    case 'reset':
      scenarios.set(id, newState(body.config));
      return send(ctx, 200, { ok: true });
    case 'config':
      Object.assign(state.config, body.config);
      return send(ctx, 200, { ok: true });
    case 'drop':
      scenarios.delete(id);
      return send(ctx, 200, { ok: true });
    case 'update': {
      // What an agency does to a request: status, notes, agency, expected time.
      const r = state.requests.find((x) => x.service_request_id === body.id);
      if (!r) return errors(ctx, 404, 'service_request_id not found');
      for (const name of ['status', 'status_notes', 'agency_responsible', 'expected_datetime']) {
        if (name in body) r[name] = body[name];
      }
      r.updated_datetime = w3c(new Date());
      return send(ctx, 200, publicRequest(r));
    }
    default:
      return send(ctx, 200, {
        requests: state.requests,
        posts: state.posts,
        dropped: state.dropped,
        calls: state.calls,
        tokens: Object.fromEntries(state.tokens),
      });
  }
}

/** GeoReport v2 validation of POST requests.json, in the specification's terms. */
function validate(state, pairs, get, all) {
  const problems = [];
  const code = get('service_code');
  if (!code) return { status: 400, problems: ['service_code was not provided'] };
  const service = state.services.find((s) => s.service_code === code);
  if (!service) return { status: 404, problems: [`service_code ${code} was not found`] };
  const lat = get('lat');
  const long = get('long');
  const hasLatLong = lat !== undefined && long !== undefined;
  if (!hasLatLong && !get('address_string') && !get('address_id')) problems.push('lat/long, address_string or address_id is required');
  if (hasLatLong && (!Number.isFinite(Number(lat)) || Math.abs(Number(lat)) > 90)) problems.push('lat is not a valid latitude');
  if (hasLatLong && (!Number.isFinite(Number(long)) || Math.abs(Number(long)) > 180)) problems.push('long is not a valid longitude');
  const description = get('description') ?? '';
  if (description.length > 4000) problems.push('description is limited to 4,000 characters');
  if (/<[a-z!/][^>]*>/i.test(description)) problems.push('description may not contain html or code');
  const email = get('email');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push('email is not a valid email address');
  const definition = state.definitions.get(code);
  for (const a of definition?.attributes ?? []) {
    const variable = a.variable === true || a.variable === 'true';
    if (!variable) continue;
    const values = [...all(`attribute[${a.code}]`), ...all(`attribute[${a.code}][]`)].filter((x) => x !== '');
    const required = a.required === true || a.required === 'true';
    if (required && values.length === 0) {
      problems.push(`attribute[${a.code}] is required`);
      continue;
    }
    if (a.values && values.some((x) => !a.values.some((v) => String(v.key) === x))) problems.push(`attribute[${a.code}] is not one of the listed values`);
    if (a.datatype === 'number' && values.some((x) => !Number.isFinite(Number(x)))) problems.push(`attribute[${a.code}] must be a number`);
    if (a.datatype !== 'multivaluelist' && values.length > 1) problems.push(`attribute[${a.code}] takes one value`);
  }
  return { status: problems.length ? 400 : 200, problems, service };
}

async function api(ctx, state, parts) {
  const path = parts.join('/');
  const route = `${ctx.method} ${path.replace(/\/[^/]+\.json$/, '/:id.json')}`;
  state.calls[route] = (state.calls[route] ?? 0) + 1;
  const query = ctx.query;

  if (ctx.method === 'GET' && path === 'services.json') return send(ctx, 200, state.services);

  let m = /^services\/(.+)\.json$/.exec(path);
  if (ctx.method === 'GET' && m) {
    const definition = state.definitions.get(decodeURIComponent(m[1]));
    return definition ? send(ctx, 200, definition) : errors(ctx, 404, 'service_code was not found');
  }

  if (ctx.method === 'POST' && path === 'requests.json') {
    const type = ctx.get('content-type');
    if (!/^application\/x-www-form-urlencoded/i.test(type)) return errors(ctx, 400, 'POST must be application/x-www-form-urlencoded');
    const pairs = [...new URLSearchParams(await readBody(ctx.req))];
    const get = (name) => {
      const found = pairs.find(([k]) => k === name)?.[1];
      return found === '' ? undefined : found;
    };
    const all = (name) => pairs.filter(([k]) => k === name).map(([, v]) => v);
    state.posts += 1;
    if (state.config.apiKey && (get('api_key') ?? query.api_key) !== state.config.apiKey) {
      return send(ctx, 403, fixture('error-403.json'));
    }
    const { status, problems, service } = validate(state, pairs, get, all);
    if (status !== 200) return errors(ctx, status, ...problems);
    state.counter += 1;
    const now = new Date();
    const id = String(638400 + state.counter);
    const request = {
      service_request_id: id,
      status: 'open',
      status_notes: null,
      service_name: service.service_name,
      service_code: service.service_code,
      description: get('description') ?? null,
      agency_responsible: null,
      service_notice: 'The City will inspect within 24 hours',
      requested_datetime: w3c(now),
      updated_datetime: w3c(now),
      expected_datetime: null,
      address: get('address_string') ?? null,
      address_id: null,
      zipcode: null,
      lat: get('lat') !== undefined ? Number(get('lat')) : null,
      long: get('long') !== undefined ? Number(get('long')) : null,
      media_url: get('media_url') ?? null,
      _form: pairs,
    };
    state.requests.push(request);
    if (state.dropped < state.config.dropAnswers) {
      // Stored, then the answer is lost on the way back.
      // Headers and part of the body go out first: a connection cut before any byte arrives makes
      // browsers re-send the POST on their own (on a reused keep-alive connection), which would
      // test the browser, not the client.
      state.dropped += 1;
      ctx.respond = false;
      ctx.res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '4096' });
      ctx.res.write('[{"service_req');
      setTimeout(() => ctx.req.socket.destroy(), 20);
      return;
    }
    if (state.config.blackbox) return send(ctx, 201, [{ service_notice: request.service_notice, account_id: null }]);
    if (state.config.batch) {
      const token = `T${state.counter}x${Math.random().toString(36).slice(2, 8)}`;
      state.tokens.set(token, { id, reads: 0 });
      return send(ctx, 201, [{ token, service_notice: request.service_notice, account_id: null }]);
    }
    return send(ctx, 201, [{ service_request_id: id, service_notice: request.service_notice, account_id: null }]);
  }

  m = /^tokens\/(.+)\.json$/.exec(path);
  if (ctx.method === 'GET' && m) {
    const token = decodeURIComponent(m[1]);
    const entry = state.tokens.get(token);
    if (!entry) return errors(ctx, 404, 'token not found');
    entry.reads += 1;
    // The id appears once the batch has run (after `batch` reads).
    return send(ctx, 200, entry.reads >= state.config.batch ? [{ service_request_id: entry.id, token }] : [{ token }]);
  }

  if (ctx.method === 'GET' && path === 'requests.json') {
    if (!state.config.listsRequests) return send(ctx, 200, []);
    const ids = String(query.service_request_id ?? '').split(',').filter(Boolean);
    let list = state.requests;
    if (ids.length) list = list.filter((r) => ids.includes(r.service_request_id));
    else {
      const codes = String(query.service_code ?? '').split(',').filter(Boolean);
      const end = query.end_date ? Date.parse(String(query.end_date)) : Date.now();
      const start = query.start_date ? Date.parse(String(query.start_date)) : end - 90 * 24 * 3600_000;
      if (Number.isNaN(start) || Number.isNaN(end)) return errors(ctx, 400, 'start_date and end_date must be w3 date-times');
      if (end - start > 90 * 24 * 3600_000) return errors(ctx, 400, 'start_date to end_date may not span more than 90 days');
      const statuses = String(query.status ?? '').split(',').filter(Boolean);
      list = list.filter((r) => {
        const at = Date.parse(r.requested_datetime);
        return (!codes.length || codes.includes(r.service_code)) && at >= start && at <= end && (!statuses.length || statuses.includes(r.status));
      });
    }
    return send(ctx, 200, list.slice(0, 1000).map(publicRequest));
  }

  m = /^requests\/(.+)\.json$/.exec(path);
  if (ctx.method === 'GET' && m) {
    const r = state.requests.find((x) => x.service_request_id === decodeURIComponent(m[1]));
    return r ? send(ctx, 200, [publicRequest(r)]) : errors(ctx, 404, 'service_request_id not found');
  }

  return errors(ctx, 404, 'No such resource (this server answers JSON: use .json)');
}

/** The Koa middleware. */
export function open311Fake() {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/open311-fake/')) return next();
    const parts = ctx.path.split('/').slice(2); // [id, 'v2', ...] or [id, '_control']
    const id = parts[0];
    if (id === '_fixtures' && /^[\w.-]+$/.test(parts[1] ?? '')) {
      // The fixtures as raw text (the test runner would serve .json files as modules).
      ctx.set('Content-Type', 'text/plain; charset=utf-8');
      ctx.body = readFileSync(`${fixtures}${parts[1]}`, 'utf8');
      return;
    }
    try {
      if (parts[1] === '_control') return await control(ctx, id);
      if (parts[1] !== 'v2') return errors(ctx, 404, 'Unknown fake path');
      return await api(ctx, scenario(id), parts.slice(2));
    } catch (e) {
      if (ctx.respond === false) return;
      return errors(ctx, e.status ?? 400, 'General service error');
    }
  };
}
