/**
 * The dispatch suggestion (issue 18; docs/staff-api.md, "Dispatch suggestion"). For every new
 * request and every chat the server suggests the service and the department, with a confidence,
 * from what the resident wrote (catalogue/suggest.ts `suggestServices`, the same ranking as the
 * form's service search); staff see it beside the route control and confirm it with one click or
 * route elsewhere; the decision is kept, so how often the suggestion was right is a figure in the
 * metrics. Keyword dispatch with high error rates is the best-known failure of hotline systems:
 * this measures ours.
 *
 * - A request: suggested once when filed (insertRequest), from its description.
 * - A chat: suggested on the resident's first message and again with each one after it, from all
 *   their messages so far, until staff decide.
 * - A decision: the latest routing by staff — the explicit confirm, `POST …/route` (派单 and 改派
 *   after a return), a chat made into a work order (转工单: the service chosen and where it is
 *   routed), a return overruled (the office keeps it). `confirmed` when the department is the
 *   suggestion's first, `changed` otherwise, with the rank (2–3) when it was one of the others.
 *   A re-dispatch after a return replaces the first decision: the office that returned it showed
 *   that it was wrong. The catalogue's own routing at filing is not a decision.
 * - One row per item in `dispatch_suggestions` (migration 17): the top 3, the ranking's version,
 *   when it was made and updated, the decision.
 *
 * A suggestion never stands in the way: made in a savepoint, a failure of the ranking leaves the
 * request or the message filed without one.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import * as suggest from '../catalogue/suggest.js';
import { pickLocale, text, type Locale } from '../catalogue/catalog.js';
import type { Texts } from '../catalogue/seed-data.js';
import { localeOf, type ServerContext } from '../context.js';
import { HttpError } from '../http.js';
import type { Queryable } from '../storage/db.js';
import { findRequest, staffDetail, staffRoute } from '../requests/requests.js';
import { routeConversation, staffConversationDetail } from '../conversations/conversations.js';
import { audit, staffOf, type StaffUser } from '../staff/identity.js';
import { protectDetail, requireAction, scopeClause, visibleConversation, visibleRequest } from '../staff/scope.js';
import { cityTimeZone, monthOf } from './assessment.js';
import type { Clock } from './clock.js';
import type { KeptCatalogue } from '../catalogue/kept.js';
import type { AccuracyCounts, DecisionVia, DispatchSuggestion, SuggestionMetrics, SuggestionResponse } from './dispatch-suggestion-api.js';

export type { DispatchSuggestion, SuggestionMetrics } from './dispatch-suggestion-api.js';

export type SuggestedItem = 'request' | 'conversation';

/** How many suggestions are kept and shown. */
const KEEP = 3;
/** A chat's text is its resident messages; the ranking reads at most this much of it (the latest). */
const MAX_TEXT = 4000;

/**
 * Which ranking makes the suggestions: `suggest@<version>`. suggest.ts may export its own
 * `SUGGEST_VERSION`; else the version is a hash of the ranking's sources, so every change of the
 * ranking is a new version in the metrics without anyone remembering to bump a number.
 */
export const SUGGESTION_MODEL: string = (() => {
  const own = (suggest as { SUGGEST_VERSION?: unknown }).SUGGEST_VERSION;
  if (typeof own === 'string' && own) return `suggest@${own}`;
  try {
    const hash = createHash('sha256');
    for (const file of ['../catalogue/suggest.ts', '../catalogue/search.ts']) hash.update(readFileSync(new URL(file, import.meta.url)));
    return `suggest@${hash.digest('hex').slice(0, 10)}`;
  } catch {
    return 'suggest';
  }
})();

interface Stored {
  service: string;
  department: string;
  confidence: number;
}

interface SuggestionRow {
  item_kind: SuggestedItem;
  item_id: string;
  site_id: string;
  suggestions: Stored[];
  model: string;
  created_at: Date | string;
  updated_at: Date | string;
  decision: 'confirmed' | 'changed' | null;
  decided_department: string | null;
  decided_service: string | null;
  decided_rank: number | null;
  decided_via: DecisionVia | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * Runs `fn` so that its failure cannot spoil the caller's transaction (a savepoint, rolled back to
 * on error); outside a transaction the error is simply swallowed. Either way it is logged.
 */
async function guarded(q: Queryable, what: string, fn: () => Promise<void>): Promise<void> {
  let savepoint = true;
  try {
    await q.query('SAVEPOINT dispatch_suggestion');
  } catch {
    savepoint = false;
  }
  try {
    await fn();
    if (savepoint) await q.query('RELEASE SAVEPOINT dispatch_suggestion');
  } catch (e) {
    if (savepoint) await q.query('ROLLBACK TO SAVEPOINT dispatch_suggestion').catch(() => undefined);
    console.warn(`dispatch suggestion (${what}) left out:`, (e as Error).message);
  }
}

async function rank(q: Queryable, input: { text: string; locale: Locale; site: string }): Promise<Stored[]> {
  const found = await suggest.suggestServices(q, input, KEEP);
  return found.slice(0, KEEP).map((s) => ({ service: s.service, department: s.department, confidence: Math.max(0, Math.min(1, Number(s.confidence) || 0)) }));
}

async function store(q: Queryable, clock: Clock, item: SuggestedItem, id: string, site: string, suggestions: Stored[]): Promise<void> {
  const now = clock.now().toISOString();
  await q.query(
    `INSERT INTO dispatch_suggestions (item_kind, item_id, site_id, suggestions, model, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (item_kind, item_id) DO UPDATE SET suggestions = EXCLUDED.suggestions, model = EXCLUDED.model, updated_at = EXCLUDED.updated_at
       WHERE dispatch_suggestions.decision IS NULL`,
    [item, id, site, JSON.stringify(suggestions), SUGGESTION_MODEL, now]);
}

/* ---------------------------------------------------------------- hooks */

/** A suggestion made before its item is stored, to be written in the same statement (requests.ts fileRequest). */
export interface MadeSuggestion {
  suggestions: Stored[];
  model: string;
}

/**
 * A new request's suggestion, ranked before it is stored, from memory (the ranking's index and the
 * kept catalogue's routing, kept.ts): the request's own statement writes it, so it is there as
 * soon as the request is, and costs no statement of its own. A failure of the ranking is logged
 * and the request is filed without one, as before.
 */
export async function rankForRequest(db: Queryable, kept: KeptCatalogue, request: { site: string; locale: string; text: string }): Promise<MadeSuggestion | null> {
  try {
    const ranked = (await suggest.rankServices(db, request.text.slice(0, MAX_TEXT), kept.stamp)).slice(0, KEEP);
    const suggestions = ranked.map((s) => ({
      service: s.service,
      department: kept.route(request.site, s.service).id,
      confidence: Math.max(0, Math.min(1, Number(s.confidence) || 0)),
    }));
    return { suggestions, model: SUGGESTION_MODEL };
  } catch (e) {
    console.warn('dispatch suggestion (request) left out:', (e as Error).message);
    return null;
  }
}

/** Called from filing (requests.ts insertRequest, in its transaction): the request's suggestion, from its description. */
export async function suggestForRequest(q: Queryable, clock: Clock, request: { id: string; site: string; locale: string; text: string }): Promise<void> {
  await guarded(q, 'request', async () => {
    const suggestions = await rank(q, { text: request.text.slice(0, MAX_TEXT), locale: pickLocale(request.locale), site: request.site });
    await store(q, clock, 'request', request.id, request.site, suggestions);
  });
}

/**
 * Called after a resident's message is stored (conversations.ts postMessage, in its transaction):
 * the chat's suggestion from all the resident's messages so far; left alone once staff decided.
 */
export async function suggestForConversation(q: Queryable, clock: Clock, conversationId: string): Promise<void> {
  await guarded(q, 'conversation', async () => {
    const decided = await q.query("SELECT 1 FROM dispatch_suggestions WHERE item_kind = 'conversation' AND item_id = $1 AND decision IS NOT NULL", [conversationId]);
    if (decided.length) return;
    const conv = (await q.query<{ site_id: string; locale: string }>('SELECT site_id, locale FROM conversations WHERE id = $1', [conversationId]))[0];
    if (!conv) return;
    const rows = await q.query<{ text: string | null }>(
      `SELECT data->'message'->>'text' AS text FROM conversation_events
       WHERE conversation_id = $1 AND type = 'message' AND data->'message'->>'author' = 'resident' ORDER BY seq`, [conversationId]);
    const words = rows.map((r) => (r.text ?? '').trim()).filter(Boolean).join('\n').slice(-MAX_TEXT);
    if (!words) return;
    const suggestions = await rank(q, { text: words, locale: pickLocale(conv.locale), site: conv.site_id });
    await store(q, clock, 'conversation', conversationId, conv.site_id, suggestions);
  });
}

/**
 * Records staff's routing of an item as the decision on its suggestion (the latest counts). No
 * suggestion (an item from before migration 17, a chat routed before the resident wrote): nothing.
 * An unknown department: nothing (the route itself answers 422).
 */
export async function decideDispatch(
  q: Queryable,
  clock: Clock,
  d: { item: SuggestedItem; id: string; department: string; service?: string | null; via: DecisionVia; actor?: Pick<StaffUser, 'id' | 'displayName'> | null },
): Promise<void> {
  const rows = await q.query<SuggestionRow & Record<string, unknown>>('SELECT * FROM dispatch_suggestions WHERE item_kind = $1 AND item_id = $2', [d.item, d.id]);
  const row = rows[0];
  if (!row) return;
  if (!(await q.query('SELECT 1 FROM departments WHERE id = $1', [d.department])).length) return;
  const at = row.suggestions.findIndex((s) => s.department === d.department);
  const position = at < 0 ? null : at + 1;
  let service = d.service ?? null;
  if (!service && d.item === 'request') service = (await q.query<{ service_id: string }>('SELECT service_id FROM requests WHERE id = $1', [d.id]))[0]?.service_id ?? null;
  await q.query(
    `UPDATE dispatch_suggestions SET decision = $3, decided_department = $4, decided_service = $5, decided_rank = $6, decided_via = $7,
       decided_by = $8, decided_by_name = $9, decided_at = $10 WHERE item_kind = $1 AND item_id = $2`,
    [d.item, d.id, position === 1 ? 'confirmed' : 'changed', d.department, service, position, d.via, d.actor?.id ?? null, d.actor?.displayName ?? null, clock.now().toISOString()]);
}

/* ---------------------------------------------------------------- reading */

async function load(q: Queryable, item: SuggestedItem, id: string): Promise<SuggestionRow | null> {
  const rows = await q.query<SuggestionRow & Record<string, unknown>>('SELECT * FROM dispatch_suggestions WHERE item_kind = $1 AND item_id = $2', [item, id]);
  return rows[0] ?? null;
}

/** The item's suggestion with names in `locale`; null when it has none. */
export async function suggestionOut(q: Queryable, item: SuggestedItem, id: string, locale: Locale): Promise<DispatchSuggestion | null> {
  const row = await load(q, item, id);
  if (!row) return null;
  const cache = new Map<string, { id: string; name: string }>();
  const named = async (table: 'services' | 'departments', key: string) => {
    const k = `${table}:${key}`;
    if (!cache.has(k)) {
      const found = await q.query<{ names: Texts }>(`SELECT names FROM ${table} WHERE id = $1`, [key]);
      cache.set(k, { id: key, name: found[0] ? text(found[0].names, locale) : key });
    }
    return cache.get(k)!;
  };
  const suggestions = [];
  for (const s of row.suggestions) suggestions.push({ service: await named('services', s.service), department: await named('departments', s.department), confidence: s.confidence });
  return {
    suggestions,
    model: row.model,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    decision: row.decision && row.decided_department && row.decided_via && row.decided_at
      ? {
          outcome: row.decision,
          department: await named('departments', row.decided_department),
          service: row.decided_service ? await named('services', row.decided_service) : null,
          rank: row.decided_rank === null ? null : Number(row.decided_rank),
          via: row.decided_via,
          by: row.decided_by ? { id: row.decided_by, name: row.decided_by_name ?? row.decided_by } : null,
          at: iso(row.decided_at),
        }
      : null,
  };
}

/** The field the staff request and conversation details spread in (`suggestion`). */
export async function suggestionField(q: Queryable, item: SuggestedItem, id: string, locale: Locale): Promise<{ suggestion: DispatchSuggestion | null }> {
  return { suggestion: await suggestionOut(q, item, id, locale) };
}

/* ---------------------------------------------------------------- metrics */

interface Counted {
  decision: string | null;
  decided_rank: number | null;
}

function counts(rows: Counted[]): AccuracyCounts {
  const decided = rows.filter((r) => r.decision);
  const top1 = decided.filter((r) => Number(r.decided_rank) === 1).length;
  const top3 = decided.filter((r) => r.decided_rank !== null && Number(r.decided_rank) <= KEEP).length;
  const rate = (n: number) => (decided.length ? Math.round((n / decided.length) * 10000) / 10000 : null);
  return { suggested: rows.length, decided: decided.length, top1, top3, top1Rate: rate(top1), top3Rate: rate(top3) };
}

/**
 * `dispatchSuggestions` of `GET /staff/metrics`: how often the suggestion was right, over the items
 * the caller sees (staff/scope.ts scopeClause), overall, per kind, per month the suggestion was made
 * (city time) and per ranking version.
 */
export async function suggestionMetrics(q: Queryable, user: StaffUser): Promise<{ dispatchSuggestions: SuggestionMetrics }> {
  type Row = Counted & { kind: SuggestedItem; created_at: Date | string; model: string };
  const inRequests = scopeClause(user, 'requests', 1, 'r');
  const inChats = scopeClause(user, 'conversations', 1, 'c');
  const rows: Row[] = [
    ...(await q.query<Row & Record<string, unknown>>(
      `SELECT 'request' AS kind, s.created_at, s.model, s.decision, s.decided_rank FROM dispatch_suggestions s
       JOIN requests r ON r.id = s.item_id WHERE s.item_kind = 'request' AND ${inRequests.sql}`, inRequests.params)),
    ...(await q.query<Row & Record<string, unknown>>(
      `SELECT 'conversation' AS kind, s.created_at, s.model, s.decision, s.decided_rank FROM dispatch_suggestions s
       JOIN conversations c ON c.id = s.item_id WHERE s.item_kind = 'conversation' AND ${inChats.sql}`, inChats.params)),
  ];
  const zone = await cityTimeZone(q);
  const group = (key: (r: Row) => string) => {
    const out = new Map<string, Row[]>();
    for (const r of rows) {
      const k = key(r);
      if (!out.has(k)) out.set(k, []);
      out.get(k)!.push(r);
    }
    return out;
  };
  const months = [...group((r) => monthOf(new Date(r.created_at), zone)).entries()].sort((a, b) => b[0].localeCompare(a[0]));
  const models = [...group((r) => r.model).entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  return {
    dispatchSuggestions: {
      ...counts(rows),
      model: SUGGESTION_MODEL,
      requests: counts(rows.filter((r) => r.kind === 'request')),
      conversations: counts(rows.filter((r) => r.kind === 'conversation')),
      byMonth: months.map(([month, list]) => ({ month, ...counts(list) })),
      byModel: models.map(([model, list]) => ({ model, ...counts(list) })),
    },
  };
}

/* ---------------------------------------------------------------- endpoints */

export function registerDispatchSuggestions(app: Hono, ctx: ServerContext): void {
  const noSuggestion = (en: boolean) => new HttpError('conflict', en ? 'There is no suggestion to confirm' : '没有可确认的派单建议');

  app.get('/staff/requests/:reference/suggestion', async (c) => {
    const r = await visibleRequest(ctx, staffOf(c), c.req.param('reference'));
    const out: SuggestionResponse = await suggestionField(ctx.db, 'request', r.id, localeOf(c));
    return c.json(out);
  });

  app.get('/staff/conversations/:id/suggestion', async (c) => {
    const conv = await visibleConversation(ctx, staffOf(c), c.req.param('id'));
    const out: SuggestionResponse = await suggestionField(ctx.db, 'conversation', conv.id, localeOf(c));
    return c.json(out);
  });

  // Routes it where the suggestion says (its first department); already there: the decision is recorded, nothing moves.
  app.post('/staff/requests/:reference/suggestion/confirm', async (c) => {
    const user = staffOf(c);
    const r = await visibleRequest(ctx, user, c.req.param('reference'));
    requireAction(user, 'route');
    const locale = localeOf(c);
    const top = (await load(ctx.db, 'request', r.id))?.suggestions[0];
    if (!top) throw noSuggestion(locale === 'en');
    const pending = (r as { returned_from?: string | null }).returned_from;
    if (top.department !== r.department_id || pending) await staffRoute(ctx, r.reference, top.department, undefined, locale, user);
    await decideDispatch(ctx.db, ctx.clock, { item: 'request', id: r.id, department: top.department, service: r.service_id, via: 'confirm', actor: user });
    await audit(ctx, user, 'route', { kind: 'request', id: r.reference },
      { from: r.department_id, department: top.department, suggestion: 'confirmed', service: top.service, confidence: top.confidence, model: SUGGESTION_MODEL });
    const fresh = (await findRequest(ctx.db, r.reference))!;
    return c.json(await protectDetail(ctx, user, await staffDetail(ctx.db, fresh, locale, ctx.clock.now())));
  });

  app.post('/staff/conversations/:id/suggestion/confirm', async (c) => {
    const user = staffOf(c);
    const conv = await visibleConversation(ctx, user, c.req.param('id'));
    requireAction(user, 'route');
    const locale = localeOf(c);
    const top = (await load(ctx.db, 'conversation', conv.id))?.suggestions[0];
    if (!top) throw noSuggestion(locale === 'en');
    if (top.department !== conv.department_id) await routeConversation(ctx, conv.id, top.department, locale);
    await decideDispatch(ctx.db, ctx.clock, { item: 'conversation', id: conv.id, department: top.department, service: top.service, via: 'confirm', actor: user });
    await audit(ctx, user, 'route', { kind: 'conversation', id: conv.id },
      { from: conv.department_id, department: top.department, suggestion: 'confirmed', service: top.service, confidence: top.confidence, model: SUGGESTION_MODEL });
    return c.json(await staffConversationDetail(ctx.db, conv.id, locale));
  });
}
