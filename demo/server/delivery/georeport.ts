/**
 * A GeoReport v2 client on the server, speaking as deployed clients do (FixMyStreet's
 * perllib/Open311.pm): form-encoded POSTs with `attribute[code]`, `api_key` on POSTs,
 * `jurisdiction_id` on every call, one `media_url` per photo; answers read in XML (the required
 * format, default) or JSON; `service_request_id` or a `token` read from the POST's answer;
 * `GET requests.{fmt}?service_request_id=…`, `GET tokens/{token}.{fmt}` and mySociety's
 * `GET servicerequestupdates.{fmt}?start_date&end_date`.
 */
import type { Open311Endpoint } from './config.js';
import { XmlError, parseXml, type Plain } from './xml.js';

export type Params = [string, string][];

export interface RemoteRequest {
  service_request_id?: string;
  token?: string;
  status?: string;
  status_notes?: string;
  description?: string;
  updated_datetime?: string;
  requested_datetime?: string;
}

export interface RemoteUpdate {
  update_id: string;
  service_request_id: string;
  status?: string;
  description?: string;
  updated_datetime?: string;
  external_status_code?: string;
}

/** A call that failed. `sent`: the body may have reached the server (a lost answer), so sending again could file twice. */
export class DeliveryError extends Error {
  constructor(message: string, readonly sent: boolean, readonly status: number | null = null) {
    super(message);
  }
}

const TIMEOUT_MS = 15_000;

export class GeoReportClient {
  constructor(readonly endpoint: Open311Endpoint, private readonly signal?: AbortSignal) {}

  private get fmt(): 'xml' | 'json' {
    return this.endpoint.format ?? 'xml';
  }

  private url(path: string, params: Params = []): string {
    const base = this.endpoint.baseUrl.replace(/\/+$/, '');
    const all: Params = [...params];
    if (this.endpoint.jurisdiction) all.push(['jurisdiction_id', this.endpoint.jurisdiction]);
    const query = new URLSearchParams(all).toString();
    return `${base}/${path}.${this.fmt}${query ? `?${query}` : ''}`;
  }

  private async call(method: 'GET' | 'POST', path: string, params: Params): Promise<Plain> {
    const post = method === 'POST';
    const body = post ? [...params, ...(this.endpoint.apiKey ? [['api_key', this.endpoint.apiKey] as [string, string]] : [])] : [];
    if (post && this.endpoint.jurisdiction) body.push(['jurisdiction_id', this.endpoint.jurisdiction]);
    const url = post ? this.url(path).replace(/\?.*$/, '') : this.url(path, params);
    const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(this.signal ? [this.signal] : [])];
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: this.fmt === 'xml' ? 'text/xml, application/xml' : 'application/json',
          ...(post ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: post ? new URLSearchParams(body).toString() : undefined,
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      // Refused before anything went out: nothing was sent. Anything else (a reset, a timeout): maybe.
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const neverSent = cause === 'ECONNREFUSED' || cause === 'ENOTFOUND' || cause === 'EAI_AGAIN';
      throw new DeliveryError(`${method} ${path}: ${cause ?? (err as Error).name}${neverSent ? '' : ' (no answer)'}`, post && !neverSent);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new DeliveryError(`${method} ${path}: the answer broke off (${(err as Error).message})`, post);
    }
    if (!res.ok) {
      // A 5xx may have filed it before failing (a gateway's 502 after the server took it): only a 4xx surely did not.
      throw new DeliveryError(`${method} ${path}: HTTP ${res.status}${errorText(text, this.fmt)}`, post && res.status >= 500, res.status);
    }
    try {
      return this.fmt === 'xml' ? parseXml(text) : (JSON.parse(text) as Plain);
    } catch (err) {
      const why = err instanceof XmlError || err instanceof SyntaxError ? err.message : String(err);
      throw new DeliveryError(`${method} ${path}: the answer is not ${this.fmt.toUpperCase()} (${why})`, post, res.status);
    }
  }

  /** POST requests: the service_request_id, or the token to ask about later. */
  async postRequest(params: Params): Promise<{ serviceRequestId: string | null; token: string | null }> {
    const answer = await this.call('POST', 'requests', params);
    const first = list(answer)[0] as RemoteRequest | undefined;
    const id = str(first?.service_request_id);
    const token = str(first?.token);
    if (!id && !token) throw new DeliveryError('POST requests: the answer has no service_request_id or token', true);
    return { serviceRequestId: id, token };
  }

  /** GET tokens/{token}: the service_request_id once the server has made one. */
  async fromToken(token: string): Promise<string | null> {
    const first = list(await this.call('GET', `tokens/${encodeURIComponent(token)}`, []))[0] as RemoteRequest | undefined;
    return str(first?.service_request_id);
  }

  async getRequest(serviceRequestId: string): Promise<RemoteRequest | null> {
    const found = list(await this.call('GET', 'requests', [['service_request_id', serviceRequestId]])) as RemoteRequest[];
    return found.find((r) => str(r.service_request_id) === serviceRequestId) ?? found[0] ?? null;
  }

  /** GET requests in a window: the lost-answer lookup reads them for our reference. */
  async requestsBetween(start: Date, end: Date): Promise<RemoteRequest[]> {
    return list(await this.call('GET', 'requests', [['start_date', w3c(start)], ['end_date', w3c(end)]])) as RemoteRequest[];
  }

  async updatesBetween(start: Date, end: Date): Promise<RemoteUpdate[]> {
    const params: Params = [['start_date', w3c(start)], ['end_date', w3c(end)]];
    if (this.endpoint.apiKey) params.push(['api_key', this.endpoint.apiKey]);
    return (list(await this.call('GET', 'servicerequestupdates', params)) as unknown as RemoteUpdate[]).filter((u) => u && typeof u === 'object');
  }
}

/** GeoReport's dates: W3C, whole seconds, UTC. */
export const w3c = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function str(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** A list answer in any shape seen: an array, a wrapped one ({service_requests: […]}, {request: […]}), one object, or empty. */
export function list(answer: Plain): Record<string, Plain>[] {
  if (Array.isArray(answer)) return answer.filter((x): x is Record<string, Plain> => !!x && typeof x === 'object' && !Array.isArray(x));
  if (answer && typeof answer === 'object') {
    for (const key of ['service_requests', 'request', 'service_request_updates', 'request_update', 'requests']) {
      const inner = answer[key];
      if (inner !== undefined) return list(Array.isArray(inner) ? inner : [inner]);
    }
    return [answer];
  }
  return [];
}

/** The server's own error descriptions (GeoReport `[{code, description}]`, in XML or JSON), shortened. */
function errorText(text: string, fmt: 'xml' | 'json'): string {
  try {
    const parsed = fmt === 'xml' || text.trimStart().startsWith('<') ? parseXml(text) : (JSON.parse(text) as Plain);
    const items = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' ? list(parsed.errors ?? parsed.error ?? parsed) : [];
    const said = items
      .map((e) => (e && typeof e === 'object' && !Array.isArray(e) ? str(e.description) ?? str(e.detail) : null))
      .filter(Boolean)
      .join('; ');
    return said ? `: ${said.slice(0, 300)}` : '';
  } catch {
    return '';
  }
}
