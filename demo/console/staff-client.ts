/**
 * The console's one door to the staff API: JSON calls with the bearer session token, and the two
 * Server-Sent Event streams (queue, conversation). Components use this; they never call fetch.
 */
import * as v from 'valibot';
import { t } from './i18n.js';
import { StreamEventSchema, type RequestStatus, type StreamEvent } from '../../src/client/protocol.js';
import type {
  AssigneesResponse,
  NoteInput,
  SignaturePreview,
  StaffSettings,
  StaffSettingsInput,
  DepartmentsResponse,
  Metrics,
  QueueItem,
  QueueItemKind,
  QueueResponse,
  QueueSort,
  SitesResponse,
  StaffConversationDetail,
  StaffRequestDetail,
  CannedRepliesResponse,
  CannedReply,
  CannedReplyInput,
  CannedReplyPatch,
  WorkOrderCreated,
  WorkOrderInput,
} from '../server/staff/staff-api.js';
import type { Catalog } from '../../src/client/protocol.js';
import type { DuplicatesResponse } from '../server/loop/duplicates.js';
import type { Supervision, SuperviseInput } from '../server/loop/supervision-api.js';
import type { AppealInput, RatingsView, ReturnVisitInput, ReturnVisitList } from '../server/loop/ratings-api.js';
import type { DeliveryLine } from '../server/delivery/outbox.js';
import type { Account, AccountCreateInput, AccountPatchInput, AccountsResponse, AuditResponse, SetupInput } from '../server/accounts/accounts-api.js';

/** `GET /staff/audit` filters: an account id, an action, an item (`targetKind` + `targetId`), a time range (ISO), a page. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  targetKind?: string;
  targetId?: string;
  since?: string;
  until?: string;
  before?: number;
  limit?: number;
}
import type { CatalogueFile, Privacy, Section } from '../server/catalogue/catalogue-file.js';
import type { AssessmentResponse } from '../server/loop/assessment-api.js';
import type { SuggestionResponse } from '../server/loop/dispatch-suggestion-api.js';

/** What an import answers: the counts of each section, what it removed, whether the privacy notice is new. */
export interface CatalogueImportResult {
  dryRun?: boolean;
  counts?: Partial<Record<Section, number>> & { removed?: Partial<Record<'sites' | 'departments' | 'services', string[]>>; privacy?: 'new' | 'same' };
}


export interface QueueFilters {
  /** Search: a reference, a phone number, a contact name or words of the text. */
  q?: string;
  status?: string;
  site?: string;
  kind?: string;
  department?: string;
  item?: QueueItemKind | '';
  /** Only the signed-in person's items / only items nobody has. */
  mine?: boolean;
  unassigned?: boolean;
  /** Only requests returned by an office and waiting for the dispatcher (退单). */
  returned?: boolean;
  /** Only items escalated or supervised (督办). */
  escalated?: boolean;
  /** Only requests past a limit, or due soon (loop/deadlines.ts). */
  due?: 'overdue' | 'soon' | '';
  sort?: QueueSort | '';
}

/** One page of the queue and how many items match in all. */
export interface QueuePage {
  items: QueueItem[];
  total: number;
  nextOffset: number | null;
}

/** The signed-in person (POST /staff/session, GET /staff/me). */
export interface SessionUser {
  id: string;
  login: string;
  displayName: string;
  role: string;
  departmentId: string | null;
  siteId: string | null;
}

export interface Session {
  token: string;
  expiresAt: string | null;
  user: SessionUser;
}

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export class StaffApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** A 422's problems by field name (`{ login: 'Already taken' }`). */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'StaffApiError';
  }
}

export const DEFAULT_API_BASE = 'http://127.0.0.1:8787/api/v1';

/** A refused catalogue change: the problems by path (`names.zh-CN`), and of a file by line. */
export class CatalogueApiError extends StaffApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    fields: Record<string, string>,
    readonly problems: { line?: number; column?: number; path: string; message: string }[],
  ) {
    super(status, code, message, fields);
    this.name = 'CatalogueApiError';
  }
}

/** Signs in with a login and password (POST /staff/session); 401 for a wrong pair, 429 when locked. */
export async function signInWithPassword(apiBase: string, login: string, password: string, locale: string): Promise<Session> {
  const client = new StaffClient(apiBase, '', locale);
  return client.createSession(login, password);
}

/** POST /staff/setup: makes the first administrator from the one-time setup link and signs them in (422 `fields`, 401 a used or unknown link, 409 an administrator exists). */
export async function setupFirstAdministrator(apiBase: string, input: SetupInput): Promise<Session> {
  let response: Response;
  try {
    response = await fetch(`${apiBase.replace(/\/+$/, '')}/staff/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(input),
    });
  } catch {
    throw new StaffApiError(0, 'network', t('common:error.network', { api: apiBase }));
  }
  const data = (await response.json().catch(() => null)) as
    | { token: string; expiresAt?: string; user: SessionUser; error?: { code?: string; message?: string; fields?: Record<string, string> } }
    | null;
  if (!response.ok || !data) {
    const error = data?.error;
    throw new StaffApiError(response.status, error?.code ?? 'http_error', error?.message ?? t('common:error.http', { status: response.status }), error?.fields ?? {});
  }
  return { token: data.token, expiresAt: data.expiresAt ?? null, user: data.user };
}

export class StaffClient {
  readonly apiBase: string;

  /** Names of departments, sites and services come in this locale (the console's language). */
  locale: string;

  /** Called when the server answers 401 to a signed-in call: the session has ended or expired. */
  onUnauthorized?: (error: StaffApiError) => void;

  /** The session token; replaced when the same person signs in again after it expired. */
  constructor(apiBase: string, public token: string, locale = 'en') {
    this.apiBase = apiBase.replace(/\/+$/, '');
    this.locale = locale;
  }

  private url(path: string, params: Record<string, string> = {}) {
    const query = new URLSearchParams({ ...params, locale: this.locale });
    return `${this.apiBase}${path}?${query}`;
  }

  private async call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, query: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    // Signing in: no session yet.
    if (!this.token) delete headers.authorization;
    let response: Response;
    try {
      response = await fetch(this.url(path, query), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new StaffApiError(0, 'network', t('common:error.network', { api: this.apiBase }));
    }
    const text = await response.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) {
      const error = (data as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null)?.error;
      const failure = new StaffApiError(response.status, error?.code ?? 'http_error', error?.message ?? t('common:error.http', { status: response.status }), error?.fields ?? {});
      if (response.status === 401 && this.token) this.onUnauthorized?.(failure);
      throw failure;
    }
    return data as T;
  }

  /* ------------------------------------------------ sessions (accounts/) */

  /** POST /staff/session: a new session for a login and password. */
  async createSession(login: string, password: string): Promise<Session> {
    const out = await this.call<{ token: string; expiresAt?: string; user: SessionUser }>('POST', '/staff/session', { login, password });
    return { token: out.token, expiresAt: out.expiresAt ?? null, user: out.user };
  }

  /** GET /staff/me: who this token signs in as, and until when. */
  async me(): Promise<{ user: SessionUser; expiresAt: string | null }> {
    const out = await this.call<{ user: SessionUser; expiresAt?: string }>('GET', '/staff/me');
    return { user: out.user, expiresAt: out.expiresAt ?? null };
  }

  /** DELETE /staff/session: ends this session. */
  async endSession(): Promise<void> {
    await this.call<null>('DELETE', '/staff/session');
  }

  /** POST /staff/sessions/revoke: ends every session of this person, on every device. */
  async endAllSessions(): Promise<void> {
    await this.call<unknown>('POST', '/staff/sessions/revoke', {});
  }

  /* ------------------------------------------------ accounts, own password, setup, audit (accounts/; staff-accounts.ts, staff-audit.ts) */

  /** POST /staff/me/password: 422 `fields.current` (wrong password) or `fields.next` (too weak); other sessions end. */
  async changePassword(current: string, next: string): Promise<void> {
    await this.call<null>('POST', '/staff/me/password', { current, next });
  }

  /** GET /staff/accounts (administrators). */
  async accounts(): Promise<Account[]> {
    return (await this.call<AccountsResponse>('GET', '/staff/accounts')).accounts;
  }

  createAccount(input: AccountCreateInput) {
    return this.call<Account>('POST', '/staff/accounts', input);
  }

  /** Only the fields given change; a new password or `disabled: true` ends the account's sessions. */
  updateAccount(id: string, patch: AccountPatchInput) {
    return this.call<Account>('PATCH', `/staff/accounts/${encodeURIComponent(id)}`, patch);
  }

  /** GET /staff/audit (supervisors, administrators): newest first; `next` is the `before` of the following page. */
  audit(filter: AuditFilter = {}) {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') query[key] = String(value);
    return this.call<AuditResponse>('GET', '/staff/audit', undefined, query);
  }

  async queue(filters: QueueFilters = {}): Promise<QueueItem[]> {
    return (await this.queuePage(filters)).items;
  }

  /** One page of the queue: `limit` items from `offset`, with the total. */
  async queuePage(filters: QueueFilters = {}, page: { limit?: number; offset?: number } = {}): Promise<QueuePage> {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(filters)) {
      if (value === true) query[key] = '1';
      else if (typeof value === 'string' && value.trim()) query[key] = value.trim();
    }
    if (page.limit) query.limit = String(page.limit);
    if (page.offset) query.offset = String(page.offset);
    const data = await this.call<QueueResponse>('GET', '/staff/queue', undefined, query);
    return { items: data.items, total: data.total ?? data.items.length, nextOffset: data.nextOffset ?? null };
  }

  async departments() {
    return (await this.call<DepartmentsResponse>('GET', '/staff/departments')).departments;
  }

  async sites() {
    return (await this.call<SitesResponse>('GET', '/staff/sites')).sites;
  }

  metrics() {
    return this.call<Metrics>('GET', '/staff/metrics');
  }

  request(reference: string) {
    return this.call<StaffRequestDetail>('GET', `/staff/requests/${encodeURIComponent(reference)}`);
  }

  routeRequest(reference: string, department: string, note?: string) {
    return this.call<unknown>('POST', `/staff/requests/${encodeURIComponent(reference)}/route`, { department, ...(note ? { note } : {}) });
  }

  /** The dispatch suggestion of a request or a chat (loop/dispatch-suggestion.ts). */
  suggestion(item: 'request' | 'conversation', id: string) {
    return this.call<SuggestionResponse>('GET', `/staff/${item === 'request' ? 'requests' : 'conversations'}/${encodeURIComponent(id)}/suggestion`);
  }

  /** Routes it as suggested (the suggestion's first department); audited as a route. */
  confirmSuggestion(item: 'request' | 'conversation', id: string) {
    return this.call<unknown>('POST', `/staff/${item === 'request' ? 'requests' : 'conversations'}/${encodeURIComponent(id)}/suggestion/confirm`, {});
  }

  /** 退单: the office gives it back to the dispatch centre (loop/dispatch.ts). */
  returnRequest(reference: string, reason: string, note: string) {
    return this.call<StaffRequestDetail>('POST', `/staff/requests/${encodeURIComponent(reference)}/return`, { reason, note });
  }

  /** The dispatcher refuses a return: the office keeps it. */
  overruleReturn(reference: string, note: string) {
    return this.call<StaffRequestDetail>('POST', `/staff/requests/${encodeURIComponent(reference)}/return/overrule`, { note });
  }

  /** 协办: the whole list of assisting offices. */
  setOffices(reference: string, assist: string[]) {
    return this.call<StaffRequestDetail>('POST', `/staff/requests/${encodeURIComponent(reference)}/offices`, { assist });
  }

  replyToRequest(reference: string, text: string) {
    return this.call<unknown>('POST', `/staff/requests/${encodeURIComponent(reference)}/reply`, { text });
  }

  setRequestStatus(reference: string, status: RequestStatus, note?: string) {
    return this.call<unknown>('POST', `/staff/requests/${encodeURIComponent(reference)}/status`, { status, ...(note ? { note } : {}) });
  }

  conversation(id: string) {
    return this.call<StaffConversationDetail>('GET', `/staff/conversations/${encodeURIComponent(id)}`);
  }

  sendMessage(id: string, text: string, clientId: string) {
    return this.call<unknown>('POST', `/staff/conversations/${encodeURIComponent(id)}/messages`, { text, clientId });
  }

  routeConversation(id: string, department: string) {
    return this.call<unknown>('POST', `/staff/conversations/${encodeURIComponent(id)}/route`, { department });
  }

  closeConversation(id: string) {
    return this.call<unknown>('POST', `/staff/conversations/${encodeURIComponent(id)}/close`, {});
  }

  typing(id: string, typing: boolean) {
    return this.call<unknown>('POST', `/staff/conversations/${encodeURIComponent(id)}/typing`, { typing });
  }

  markRead(id: string, upTo: number) {
    return this.call<unknown>('POST', `/staff/conversations/${encodeURIComponent(id)}/read`, { upTo });
  }

  /* ---------------------------------------- the catalogue (administrators; staff-catalogue*.ts) */

  /** A catalogue call; a refusal carries the server's `fields` and `problems` (CatalogueApiError). */
  private async catalogueCall(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: string, query: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.url(path, query), { method, headers, body });
    } catch {
      throw new CatalogueApiError(0, 'network', `Cannot reach the intake server at ${this.apiBase}.`, {}, []);
    }
    if (response.ok) return response;
    let error: { code?: string; message?: string; fields?: Record<string, string>; problems?: CatalogueApiError['problems'] } | undefined;
    try {
      error = ((await response.json()) as { error?: typeof error } | null)?.error;
    } catch {
      error = undefined;
    }
    throw new CatalogueApiError(response.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${response.status}.`, error?.fields ?? {}, error?.problems ?? []);
  }

  /** The whole city file (`GET /staff/catalogue`). */
  async catalogue(): Promise<CatalogueFile> {
    return (await (await this.catalogueCall('GET', '/staff/catalogue')).json()) as CatalogueFile;
  }

  /** The city file as a download (fetched with the session: no token in any address). */
  async exportCatalogue(): Promise<Blob> {
    const response = await this.catalogueCall('GET', '/staff/catalogue', undefined, { download: '1' });
    return new Blob([await response.text()], { type: 'application/json' });
  }

  /** Replaces the catalogue with a file's text; `dryRun` only checks it and counts what would change. */
  async importCatalogue(text: string, dryRun: boolean): Promise<CatalogueImportResult> {
    const response = await this.catalogueCall('PUT', '/staff/catalogue', text, dryRun ? { dryRun: '1' } : {});
    return (await response.json()) as CatalogueImportResult;
  }

  /** Creates or replaces one entry (`PUT /staff/catalogue/<section>/<id>`). */
  async saveCatalogueEntry(section: Section, id: string, entry: unknown): Promise<unknown> {
    const response = await this.catalogueCall('PUT', `/staff/catalogue/${section}/${encodeURIComponent(id)}`, JSON.stringify(entry));
    return response.json();
  }

  async deleteCatalogueEntry(section: Section, id: string): Promise<void> {
    await this.catalogueCall('DELETE', `/staff/catalogue/${section}/${encodeURIComponent(id)}`);
  }

  /** Publishes the privacy notice; a new version asks every resident to agree again. */
  async savePrivacy(privacy: Privacy): Promise<unknown> {
    return (await this.catalogueCall('PUT', '/staff/catalogue/privacy', JSON.stringify(privacy))).json();
  }

  /** 转工单: files a request from the chat (409 `conflict` when it already has one, unless `force`). */
  workOrder(id: string, input: WorkOrderInput) {
    return this.call<WorkOrderCreated>('POST', `/staff/conversations/${encodeURIComponent(id)}/work-order`, input);
  }

  /** A site's catalogue as residents get it (services with their groups, kinds and fields), in the console's language. */
  siteCatalog(site: string) {
    return this.call<Catalog>('GET', '/catalog', undefined, { site });
  }

  /** Canned replies the caller may use: their department's and the intake centre's shared ones (dispatchers: all). */
  async cannedReplies(filter: { department?: string; q?: string } = {}) {
    const query: Record<string, string> = {};
    if (filter.department) query.department = filter.department;
    if (filter.q) query.q = filter.q;
    return (await this.call<CannedRepliesResponse>('GET', '/staff/canned-replies', undefined, query)).replies;
  }

  createCannedReply(input: CannedReplyInput) {
    return this.call<CannedReply>('POST', '/staff/canned-replies', input);
  }

  updateCannedReply(id: string, patch: CannedReplyPatch) {
    return this.call<CannedReply>('PATCH', `/staff/canned-replies/${encodeURIComponent(id)}`, patch);
  }

  deleteCannedReply(id: string) {
    return this.call<null>('DELETE', `/staff/canned-replies/${encodeURIComponent(id)}`);
  }

  /* ------------------------------------------------ the operator's work (staff/operator.ts) */

  claimRequest(reference: string) {
    return this.call<StaffRequestDetail>('POST', `/staff/requests/${encodeURIComponent(reference)}/claim`, {});
  }

  /** `account` null: take it off whoever has it. */
  assignRequest(reference: string, account: string | null) {
    return this.call<StaffRequestDetail>('POST', `/staff/requests/${encodeURIComponent(reference)}/assign`, { account });
  }

  async requestAssignees(reference: string) {
    return (await this.call<AssigneesResponse>('GET', `/staff/requests/${encodeURIComponent(reference)}/assignees`)).people;
  }

  claimConversation(id: string) {
    return this.call<{ assignee: { id: string; name: string } | null }>('POST', `/staff/conversations/${encodeURIComponent(id)}/claim`, {});
  }

  assignConversation(id: string, account: string | null) {
    return this.call<{ assignee: { id: string; name: string } | null }>('POST', `/staff/conversations/${encodeURIComponent(id)}/assign`, { account });
  }

  async conversationAssignees(id: string) {
    return (await this.call<AssigneesResponse>('GET', `/staff/conversations/${encodeURIComponent(id)}/assignees`)).people;
  }

  addNote(reference: string, text: string, visibility: NoteInput['visibility']) {
    return this.call<StaffRequestDetail>('POST', `/staff/requests/${encodeURIComponent(reference)}/notes`, { text, visibility });
  }

  /** Possible duplicates of a request, its followers and merges (loop/duplicates.ts). */
  duplicates(reference: string) {
    return this.call<DuplicatesResponse>('GET', `/staff/requests/${encodeURIComponent(reference)}/duplicates`);
  }

  /** The dispatcher merges the request into another: closed as merged, its residents follow the other. */
  merge(reference: string, into: string, note?: string) {
    return this.call<StaffRequestDetail>('POST', `/staff/requests/${encodeURIComponent(reference)}/merge`, { into, ...(note ? { note } : {}) });
  }

  /** How a reply from the signed-in person would be signed now. */
  signature(reference: string) {
    return this.call<SignaturePreview>('GET', `/staff/requests/${encodeURIComponent(reference)}/signature`);
  }

  /** The resident's contact, on demand (each showing is logged). */
  async requestContact(reference: string) {
    return (await this.call<{ contact: StaffRequestDetail['contact'] }>('POST', `/staff/requests/${encodeURIComponent(reference)}/contact`, {})).contact;
  }

  /** Dispatcher: releases a complaint's contact to the office, with the reason. */
  releaseContact(reference: string, note: string) {
    return this.call<unknown>('POST', `/staff/requests/${encodeURIComponent(reference)}/contact-release`, { note });
  }

  /** 好差评: every round's rating, the redo state, appeals and return-visit calls (loop/ratings.ts). */
  ratings(reference: string) {
    return this.call<RatingsView>('GET', `/staff/requests/${encodeURIComponent(reference)}/ratings`);
  }

  /** Delivery into departments' Open311 systems: one line per department it was sent to (none: not delivered anywhere). */
  async delivery(reference: string): Promise<DeliveryLine[]> {
    return (await this.call<{ deliveries: DeliveryLine[] }>('GET', `/staff/requests/${encodeURIComponent(reference)}/delivery`)).deliveries;
  }

  /** "Retry now": sends what waits, pulls what was delivered; the lines after it. */
  async retryDelivery(reference: string): Promise<DeliveryLine[]> {
    return (await this.call<{ deliveries: DeliveryLine[] }>('POST', `/staff/requests/${encodeURIComponent(reference)}/delivery/retry`, {})).deliveries;
  }

  /** Supervisor: marks a round's rating as under appeal, with the reason. */
  appealRating(reference: string, round: number, input: AppealInput) {
    return this.call<RatingsView>('POST', `/staff/requests/${encodeURIComponent(reference)}/ratings/${round}/appeal`, input);
  }

  /** 回访: residents to call (dispatcher, supervisor). */
  returnVisits() {
    return this.call<ReturnVisitList>('GET', '/staff/return-visits');
  }

  /** Dispatcher: the call's outcome (reached with the rating, or not reached). */
  recordReturnVisit(reference: string, input: ReturnVisitInput) {
    return this.call<RatingsView>('POST', `/staff/requests/${encodeURIComponent(reference)}/return-visit`, input);
  }

  /** 督办: an item's escalations and supervisions (loop/supervision.ts). */
  supervision(reference: string) {
    return this.call<Supervision>('GET', `/staff/requests/${encodeURIComponent(reference)}/supervision`);
  }

  /** Supervisor or dispatcher: supervises it with a note to the office and a new time limit. */
  supervise(reference: string, input: SuperviseInput) {
    return this.call<Supervision>('POST', `/staff/requests/${encodeURIComponent(reference)}/supervise`, input);
  }

  settings() {
    return this.call<StaffSettings>('GET', '/staff/settings');
  }

  putSettings(input: StaffSettingsInput) {
    return this.call<StaffSettings>('PUT', '/staff/settings', input);
  }

  /** One of a request's files, fetched with the session (never a public URL, never a token in it). */
  async attachment(reference: string, id: string): Promise<Blob> {
    let response: Response;
    try {
      response = await fetch(this.url(`/staff/requests/${encodeURIComponent(reference)}/attachments/${encodeURIComponent(id)}`), {
        headers: { authorization: `Bearer ${this.token}` },
      });
    } catch {
      throw new StaffApiError(0, 'network', `Cannot reach the intake server at ${this.apiBase}.`);
    }
    if (!response.ok) throw new StaffApiError(response.status, 'http_error', `The server answered ${response.status}.`);
    return response.blob();
  }

  /** The month's assessment (`GET /staff/assessment`; no month: the server's current one). */
  assessment(month?: string): Promise<AssessmentResponse> {
    return this.call<AssessmentResponse>('GET', '/staff/assessment', undefined, month ? { month } : {});
  }

  /** The month's assessment as CSV, fetched with the session (UTF-8 with a BOM; audited as an export). */
  async assessmentCsv(month?: string): Promise<Blob> {
    let response: Response;
    try {
      response = await fetch(this.url('/staff/assessment.csv', month ? { month } : {}), { headers: { authorization: `Bearer ${this.token}` } });
    } catch {
      throw new StaffApiError(0, 'network', t('common:error.network', { api: this.apiBase }));
    }
    if (!response.ok) throw new StaffApiError(response.status, 'http_error', t('common:error.http', { status: response.status }));
    return new Blob([await response.arrayBuffer()], { type: 'text/csv;charset=utf-8' });
  }

  /** Live queue changes; also what keeps this staff member "on duty". Returns a stop function. */
  watchQueue(onItem: (item: QueueItem | null) => void, onState: (state: StreamState) => void): () => void {
    // `gone`: an item left this person's scope (routed elsewhere); null makes the console reload without it.
    return this.stream('/staff/stream', {}, ['queue', 'gone'], (name, data) => {
      const item = name === 'queue' ? (data as { item?: QueueItem } | null)?.item ?? null : null;
      onItem(item);
    }, onState);
  }

  /** A conversation's events as they happen; EventSource resumes with Last-Event-ID itself. */
  watchConversation(id: string, after: number, onEvent: (event: StreamEvent) => void, onState: (state: StreamState) => void): () => void {
    return this.stream(
      `/staff/conversations/${encodeURIComponent(id)}/events`,
      { after: String(after) },
      ['message', 'routed', 'status', 'read', 'closed', 'typing'],
      (_name, data) => {
        const parsed = v.safeParse(StreamEventSchema, data);
        if (parsed.success) onEvent(parsed.output);
      },
      onState,
    );
  }

  private stream(path: string, params: Record<string, string>, names: string[], onData: (name: string, data: unknown) => void, onState: (state: StreamState) => void) {
    const source = new EventSource(this.url(path, { ...params, token: this.token }));
    onState('connecting');
    source.onopen = () => onState('live');
    source.onerror = () => onState(source.readyState === EventSource.CLOSED ? 'stopped' : 'reconnecting');
    for (const name of names) {
      source.addEventListener(name, (event) => {
        let data: unknown = null;
        try {
          data = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          return;
        }
        onData(name, data);
      });
    }
    return () => {
      source.close();
      onState('stopped');
    };
  }
}
