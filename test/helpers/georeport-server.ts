/**
 * A small GeoReport v2 server of our own for the delivery tests: XML only (a .json call is a 404
 * in XML), no CORS headers (a browser could not call it from a portal), `api_key` required on POSTs
 * and on servicerequestupdates, every call recorded, failures on demand (a 500, a 400, or the
 * answer lost after the request was stored), and restartable on the same port with its data kept.
 * Shaped after what mySociety's open311-adapter answers: `<service_requests><request>…`,
 * `<service_request_updates><request_update>…`, `<errors><error><code/><description/>`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredRequest {
  service_request_id: string;
  token: string;
  service_code: string;
  description: string;
  status: string;
  status_notes: string;
  requested_datetime: string;
  updated_datetime: string;
  /** Every form pair as received (attribute[x] repeated, media_url, …). */
  params: [string, string][];
}

export interface StoredUpdate {
  update_id: string;
  service_request_id: string;
  status: string;
  description: string;
  updated_datetime: string;
}

export interface Received {
  method: string;
  path: string;
  params: [string, string][];
  headers: Record<string, string | string[] | undefined>;
}

export type Failure = 'error500' | 'refuse400' | 'lose_answer' | 'hang';

export interface GeoReportServerOptions {
  apiKey?: string;
  /** Answer POSTs with a token instead of the id (the id is then read at tokens/{token}.xml). */
  tokens?: boolean;
  /** Offer servicerequestupdates (default yes). */
  updates?: boolean;
  /** Offer GET requests with start_date/end_date (the lost-answer lookup; default yes). */
  listing?: boolean;
  /** The clock stamping requests and updates (tests on a ManualClock pass it). */
  now?: () => Date;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, value: string) => `<${name}>${esc(value)}</${name}>`;
const w3c = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class GeoReportServer {
  readonly requests = new Map<string, StoredRequest>();
  readonly updates: StoredUpdate[] = [];
  readonly received: Received[] = [];
  private failures: Failure[] = [];
  private server: Server | null = null;
  private hanging = new Set<ServerResponse>();
  private seq = 0;
  port = 0;

  constructor(readonly options: GeoReportServerOptions = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Starts (again, on the same port after a stop). */
  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const s = this.server;
    this.server = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The next POSTs fail this way, one each. */
  failNext(...failures: Failure[]): void {
    this.failures.push(...failures);
  }

  posts(): Received[] {
    return this.received.filter((r) => r.method === 'POST');
  }

  /** A comment and/or status from the department (servicerequestupdates), also its request's status. */
  addUpdate(serviceRequestId: string, update: { status?: string; description?: string }): StoredUpdate {
    const r = this.requests.get(serviceRequestId);
    if (!r) throw new Error(`no request ${serviceRequestId}`);
    const at = w3c(this.now());
    const u: StoredUpdate = { update_id: `u${++this.seq}`, service_request_id: serviceRequestId, status: update.status ?? 'OPEN', description: update.description ?? '', updated_datetime: at };
    this.updates.push(u);
    const s = u.status.toLowerCase();
    r.status = s === 'open' || s === 'reopen' || s === 'in_progress' || s === 'action_scheduled' || s === 'investigating' || s === 'for_triage' ? 'open' : 'closed';
    r.updated_datetime = at;
    return u;
  }

  setStatus(serviceRequestId: string, status: string, notes = ''): void {
    const r = this.requests.get(serviceRequestId)!;
    r.status = status;
    r.status_notes = notes;
    r.updated_datetime = w3c(this.now());
  }

  private send(res: ServerResponse, status: number, body: string): void {
    // No Access-Control-* headers at all, as the adapter and 6aika send none.
    res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(`<?xml version="1.0" encoding="utf-8"?>\n${body}`);
  }

  private error(res: ServerResponse, status: number, description: string): void {
    this.send(res, status, `<errors><error>${el('code', String(status))}${el('description', description)}</error></errors>`);
  }

  private requestXml(r: StoredRequest): string {
    return `<request>${el('service_request_id', r.service_request_id)}${el('status', r.status)}${el('status_notes', r.status_notes)}${el('service_code', r.service_code)}${el('description', r.description)}${el('requested_datetime', r.requested_datetime)}${el('updated_datetime', r.updated_datetime)}</request>`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const params = [...new URLSearchParams(req.method === 'POST' ? body : url.search)];
    this.received.push({ method: req.method ?? 'GET', path: url.pathname, params, headers: req.headers });
    const get = (name: string) => params.find(([k]) => k === name)?.[1];
    const path = url.pathname.replace(/^\/+/, '');
    if (!path.endsWith('.xml')) return this.error(res, 404, 'This server speaks XML only: use .xml');
    const name = path.slice(0, -4);
    const keyOk = !this.options.apiKey || get('api_key') === this.options.apiKey;

    if (req.method === 'POST' && name === 'requests') {
      if (!keyOk) return this.error(res, 403, 'Invalid api_key');
      const failure = this.failures.shift();
      if (failure === 'error500') return this.error(res, 500, 'Backend unavailable');
      if (failure === 'refuse400') return this.error(res, 400, 'service_code: not known');
      const code = get('service_code');
      const description = get('description');
      if (!code || !description) return this.error(res, 400, 'service_code and description are required');
      const at = w3c(this.now());
      const id = String(1000 + ++this.seq);
      const r: StoredRequest = { service_request_id: id, token: `tok-${id}`, service_code: code, description, status: 'open', status_notes: '', requested_datetime: at, updated_datetime: at, params };
      this.requests.set(id, r);
      if (failure === 'lose_answer') {
        // Stored, then the connection drops before any answer.
        req.socket.destroy();
        return;
      }
      if (failure === 'hang') {
        this.hanging.add(res);
        return;
      }
      const inner = this.options.tokens ? el('token', r.token) : el('service_request_id', id);
      return this.send(res, 200, `<service_requests><request>${inner}</request></service_requests>`);
    }
    if (req.method !== 'GET') return this.error(res, 405, 'Method not allowed');
    if (name === 'requests') {
      const ids = get('service_request_id');
      let found: StoredRequest[];
      if (ids) found = ids.split(',').map((id) => this.requests.get(id.trim())).filter((r): r is StoredRequest => !!r);
      else {
        if (this.options.listing === false) return this.error(res, 400, 'service_request_id is required');
        const start = get('start_date') ?? '0000';
        const end = get('end_date') ?? '9999';
        found = [...this.requests.values()].filter((r) => r.requested_datetime >= start && r.requested_datetime <= end);
      }
      return this.send(res, 200, `<service_requests>${found.map((r) => this.requestXml(r)).join('')}</service_requests>`);
    }
    const token = /^tokens\/([^/]+)$/.exec(name)?.[1];
    if (token) {
      const r = [...this.requests.values()].find((x) => x.token === decodeURIComponent(token));
      return this.send(res, 200, `<service_requests>${r ? `<request>${el('service_request_id', r.service_request_id)}${el('token', r.token)}</request>` : ''}</service_requests>`);
    }
    if (name === 'servicerequestupdates') {
      if (this.options.updates === false) return this.error(res, 404, 'Not found');
      if (!keyOk) return this.error(res, 403, 'Invalid api_key');
      const start = get('start_date') ?? '0000';
      const end = get('end_date') ?? '9999';
      const list = this.updates.filter((u) => u.updated_datetime >= start && u.updated_datetime <= end);
      return this.send(res, 200, `<service_request_updates>${list.map((u) =>
        `<request_update>${el('update_id', u.update_id)}${el('service_request_id', u.service_request_id)}${el('status', u.status)}${el('updated_datetime', u.updated_datetime)}${el('description', u.description)}<media_url></media_url></request_update>`).join('')}</service_request_updates>`);
    }
    return this.error(res, 404, 'Not found');
  }
}

export async function startGeoReportServer(options: GeoReportServerOptions = {}): Promise<GeoReportServer> {
  return new GeoReportServer(options).start();
}
