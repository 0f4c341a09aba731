/**
 * Filing a request: made ready in memory from the kept catalogue (route, reference, deadlines, the
 * answer), then stored with everything that goes with it in one statement. POST /requests
 * (requests.ts) files through fileRequest; Open311 and a chat made into a work order through
 * insertRequest, inside their own transactions.
 */
import { randomBytes } from 'node:crypto';
import type { Contact, FieldValue, RequestCreated, RequestKind } from '../../../src/client/protocol.js';
import { makeReference } from '../../../src/client/reference.js';
import { departmentOut, replyPromise, type DepartmentRow, type Locale, type ServiceRow, type SiteRow } from '../catalogue/catalog.js';
import { keptCatalogue, type KeptCatalogue } from '../catalogue/kept.js';
import type { ServerContext } from '../context.js';
import { wakeDelivery } from '../delivery/outbox.js';
import { HttpError, newId, newToken, sha256 } from '../http.js';
import { computeDeadlines } from '../loop/deadlines.js';
import { rankForRequest, type MadeSuggestion } from '../loop/dispatch-suggestion.js';
import { claimAttachments } from '../storage/attachments.js';
import { isDatabaseUnavailable, type Queryable } from '../storage/db.js';
import type { IdempotencyTarget, Stored } from '../storage/idempotency.js';
import { normalEmail, normalPhone } from './contact.js';

const referencePrefix = (site: Pick<SiteRow, 'reference_prefix'>) => (/^[A-Z]{1,8}$/.test(site.reference_prefix) ? site.reference_prefix : 'RS');

/**
 * A new random reference (`RS-7KQ2-M9XD-4`): unguessable, and telling nothing of the day or the
 * count. 32⁸ of them per prefix, so a clash is all but impossible: the unique key refuses it and
 * the filing is made again with another (fileRequest, insertRequest).
 */
const newReference = (site: SiteRow) => makeReference(referencePrefix(site), randomBytes(8));

export interface NewRequest {
  site: SiteRow;
  service: ServiceRow;
  kind: RequestKind;
  description: string;
  /** Checked field values (checkFields). */
  fields: Record<string, FieldValue>;
  /** Attachment ids to claim. */
  files: string[];
  contact: Contact | null;
  consentVersion: string;
  locale: Locale;
  page: { url: string; title?: string } | null;
  /** Which door it came through: the intake protocol or Open311. */
  channel: 'intake' | 'open311';
  /** Open311: a location given beside a service that has no location field. */
  location?: { lat?: number; lng?: number; address?: string } | null;
  /** Open311: `media_url` as sent. */
  mediaUrl?: string | null;
  /** Open311: the token answered beside the id (`GET tokens/{token}.json`). */
  open311Token?: string | null;
}

/** One filing made ready in memory: what the statement writes and what the resident is answered. */
interface Filing {
  id: string;
  reference: string;
  accessToken: string;
  now: Date;
  dept: DepartmentRow;
  limits: ReturnType<typeof computeDeadlines>;
  created: RequestCreated;
}

/** Route, reference, deadlines and the answer, from the kept catalogue (catalogue/kept.ts): no statement. */
function prepareFiling(ctx: ServerContext, kept: KeptCatalogue, input: NewRequest): Filing {
  const { site, service, locale } = input;
  const now = ctx.clock.now();
  const dept = kept.route(site.id, service.id);
  const id = newId();
  const accessToken = newToken();
  const hours = service.reply_hours ?? site.reply_hours;
  // Reply and resolution limits on the city's working-day calendar (loop/deadlines.ts).
  const limits = computeDeadlines(kept.calendar, now, site, service);
  const reference = newReference(site);
  return {
    id, reference, accessToken, now, dept, limits,
    created: {
      id,
      reference,
      status: 'routed',
      routedTo: departmentOut(dept, locale),
      accessToken,
      createdAt: now.toISOString(),
      replyPromise: replyPromise(hours, service.round_the_clock, locale),
      replyBy: limits.replyBy.toISOString(),
      resolveBy: limits.resolveBy.toISOString(),
    },
  };
}

/**
 * Everything a new request is stored with, in ONE statement (data-modifying CTEs run together and
 * commit or fail together): with `idempotency`, the key's record with its answer first, and the rest
 * only when that record is new; the request with its deadlines; its two timeline entries; its loop
 * events (filed, dispatched unless routed to the intake centre, deadline_set) in that order; its
 * delivery outbox row when the department has an Open311 endpoint (delivery/outbox.ts); its
 * dispatch suggestion (ranked beforehand); and the staff queue's notice (hub.ts), sent at commit.
 * Answers whether it was stored (false: the key was there already; without a key, the reference was
 * taken, and nothing was written) and whether a delivery was queued. With a key, a taken reference
 * fails the statement (23505) and nothing is written either.
 */
async function writeFiling(
  ctx: ServerContext,
  q: Queryable,
  kept: KeptCatalogue,
  input: NewRequest,
  f: Filing,
  suggestion: MadeSuggestion | null,
  idempotency: IdempotencyTarget | null,
): Promise<Written> {
  return (await writeFilings(ctx, q, [{ kept, input, f, suggestion, idempotency }]))[0]!;
}

/** What writeFiling answers for one filing. */
interface Written {
  stored: boolean;
  queued: boolean;
}

/** One filing as a statement writes it. */
interface ToWrite {
  kept: KeptCatalogue;
  input: NewRequest;
  f: Filing;
  suggestion: MadeSuggestion | null;
  idempotency: IdempotencyTarget | null;
}

/**
 * writeFiling for several filings in ONE statement: each filing's CTEs are named with its place
 * (`r0`, `r1`…), so they stay apart, and a row per stored filing answers which were stored. The
 * statement commits or fails whole (FilingQueue says each filing's own answer then).
 */
async function writeFilings(ctx: ServerContext, q: Queryable, items: readonly ToWrite[]): Promise<Written[]> {
  const params: unknown[] = [];
  const $ = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const ctes: string[] = [];
  const answers: string[] = [];
  items.forEach(({ kept, input, f, suggestion, idempotency }, n) => {
    const { site, service, locale, contact } = input;
    const at = $(f.now.toISOString(), 'timestamptz');
    if (idempotency) {
      ctes.push(`idem${n} AS (INSERT INTO idempotency (site, scope, key, request_hash, status, response)
        VALUES (${$(idempotency.site, 'text')}, ${$(idempotency.scope, 'text')}, ${$(idempotency.key, 'text')}, ${$(idempotency.hash, 'text')}, 201, ${$(JSON.stringify(f.created), 'jsonb')})
        ON CONFLICT (site, scope, key) DO NOTHING RETURNING key)`);
    }
    const values = [
      $(f.id, 'text'), $(f.reference, 'text'), $(site.id, 'text'), $(service.id, 'text'), $(input.kind, 'text'), `'routed'`, $(f.dept.id, 'text'),
      $(input.description, 'text'), $(JSON.stringify(input.fields), 'jsonb'), $(contact && JSON.stringify(contact), 'jsonb'),
      $(contact?.phone ? normalPhone(contact.phone) : null, 'text'), $(contact?.email ? normalEmail(contact.email) : null, 'text'),
      $(input.consentVersion, 'text'), $(locale, 'text'), $(input.page ? JSON.stringify(input.page) : null, 'jsonb'), $(sha256(f.accessToken), 'text'),
      $(f.limits.replyBy.toISOString(), 'timestamptz'), at, at, $(input.channel, 'text'), $(input.location ? JSON.stringify(input.location) : null, 'jsonb'),
      $(input.mediaUrl ?? null, 'text'), $(input.open311Token ?? null, 'text'), $(f.limits.resolveBy.toISOString(), 'timestamptz'), $(f.limits.class, 'text'),
    ];
    const r = `r${n}`;
    ctes.push(`${r} AS (INSERT INTO requests (id, reference, site_id, service_id, kind, status, department_id, description, fields, contact,
        contact_phone, contact_email, consent_version, locale, page, access_token_hash, reply_by, created_at, updated_at,
        channel, location, media_url, open311_token, resolve_by, deadline_class)
      SELECT ${values.join(', ')}${idempotency ? ` FROM idem${n}` : ' ON CONFLICT (reference) DO NOTHING'} RETURNING id)`);
    const dept = $(f.dept.id, 'text');
    ctes.push(`t${n} AS (INSERT INTO request_timeline (request_id, at, status, department_id, note)
      SELECT ${r}.id, ${at}, x.status, x.department_id, NULL FROM ${r}, (VALUES (1, 'received', NULL::text), (2, 'routed', ${dept})) AS x(n, status, department_id) ORDER BY x.n)`);
    // The loop (loop/events.ts): filed; the catalogue's routing as the first dispatch (loop/dispatch.ts recordFiledRoute); the limits set.
    const events: string[] = [`(1, 'filed', NULL::text, ${$(JSON.stringify({ channel: input.channel, kind: input.kind, service: service.id, site: site.id }), 'jsonb')})`];
    if (f.dept.id !== kept.dispatch?.id) events.push(`(2, 'dispatched', ${dept}, ${$(JSON.stringify({ from: null, to: f.dept.id, reason: null, by: 'routing' }), 'jsonb')})`);
    events.push(`(3, 'deadline_set', ${dept}, ${$(JSON.stringify({ reason: 'filed', class: f.limits.class, replyBy: f.limits.replyBy.toISOString(), resolveBy: f.limits.resolveBy.toISOString() }), 'jsonb')})`);
    ctes.push(`e${n} AS (INSERT INTO loop_events (request_id, at, type, office_id, actor_id, detail)
      SELECT ${r}.id, ${at}, x.type, x.office_id, NULL, x.detail FROM ${r}, (VALUES ${events.join(', ')}) AS x(n, type, office_id, detail) ORDER BY x.n)`);
    // Delivery into the department's own system (delivery/outbox.ts queueDelivery), read where it is kept.
    ctes.push(`o${n} AS (INSERT INTO delivery_outbox (id, request_id, department_id, state, next_attempt_at, created_at)
      SELECT ${$(newId(), 'text')}, ${r}.id, d.id, 'pending', ${at}, ${at} FROM ${r} JOIN departments d ON d.id = ${dept}
      WHERE d.open311 IS NOT NULL AND jsonb_typeof(d.open311) = 'object'
      ON CONFLICT (request_id, department_id) DO NOTHING RETURNING id)`);
    if (suggestion) {
      ctes.push(`s${n} AS (INSERT INTO dispatch_suggestions (item_kind, item_id, site_id, suggestions, model, created_at, updated_at)
        SELECT 'request', ${r}.id, ${$(site.id, 'text')}, ${$(JSON.stringify(suggestion.suggestions), 'jsonb')}, ${$(suggestion.model, 'text')}, ${at}, ${at} FROM ${r}
        ON CONFLICT (item_kind, item_id) DO NOTHING)`);
    }
    const notice = `pg_notify(${$(ctx.hub.queueChannel, 'text')}, ${$(JSON.stringify({ item: 'request', id: f.id }), 'text')})`;
    answers.push(`(SELECT ${n} AS n, (SELECT count(*) FROM o${n})::int AS queued, ${notice} AS notified FROM ${r})`);
  });
  const rows = await q.query<{ n: number; queued: number }>(`WITH ${ctes.join(',\n')}\n${answers.join('\nUNION ALL ')}`, params);
  return items.map((_, n) => {
    const row = rows.find((x) => Number(x.n) === n);
    return { stored: row !== undefined, queued: Number(row?.queued ?? 0) > 0 };
  });
}

/** The most filings one statement writes. */
const MOST_AT_ONCE = 16;

/**
 * Group commit for POST /requests: a filing that arrives while the database writes others waits
 * for that statement and goes with the filings that came meanwhile in the next one (up to
 * MOST_AT_ONCE), so a burst costs a statement and a commit per group instead of per filing. Nothing
 * waits on a timer: alone, a filing is written as soon as this turn of the event loop ends. A group whose statement fails is written
 * again one filing at a time, so each gets its own answer or error (a taken reference is retried by
 * fileRequest with another) — unless the database is away, which is every filing's answer at
 * once. Two filings with the same Idempotency-Key are never written at the same time.
 * At most `parallel` statements at once: one on PGlite, which runs one at a time anyway; more on
 * PostgreSQL, whose pool overlaps them.
 */
class FilingQueue {
  private readonly waiting: (ToWrite & { done: (w: Written) => void; failed: (e: unknown) => void })[] = [];
  private running = 0;
  /** The Idempotency-Keys of the groups being written: a key's next filing waits for them. */
  private readonly writing = new Set<string>();

  constructor(
    private readonly ctx: ServerContext,
    private readonly parallel: number,
  ) {}

  write(item: ToWrite): Promise<Written> {
    return new Promise((done, failed) => {
      this.waiting.push({ ...item, done, failed });
      this.soon();
    });
  }

  private scheduled = false;
  /**
   * The next group starts once this turn of the event loop is over (setImmediate, no delay): the
   * filings whose requests were read in the same turn go together. On PGlite this is what makes
   * groups at all: its statements run to the end on this thread, so nothing arrives while one runs.
   */
  private soon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.parallel && this.waiting.length) {
      // A key already in this group or in one being written stays for a later group: one
      // statement never holds a key twice, and two groups at once (PostgreSQL) never wait on
      // each other's keys in opposite orders (a deadlock).
      const group: typeof this.waiting = [];
      const keys: string[] = [];
      for (let i = 0; i < this.waiting.length && group.length < MOST_AT_ONCE; ) {
        const item = this.waiting[i]!;
        const key = item.idempotency && JSON.stringify([item.idempotency.site, item.idempotency.scope, item.idempotency.key]);
        if (key && (keys.includes(key) || this.writing.has(key))) {
          i++;
          continue;
        }
        if (key) keys.push(key);
        group.push(item);
        this.waiting.splice(i, 1);
      }
      if (!group.length) return; // every waiting filing's key is being written: its group's end calls again
      this.running++;
      for (const key of keys) this.writing.add(key);
      void this.run(group).finally(() => {
        this.running--;
        for (const key of keys) this.writing.delete(key);
        if (this.waiting.length) this.soon();
      });
    }
  }

  private async run(group: typeof this.waiting): Promise<void> {
    try {
      const written = await writeFilings(this.ctx, this.ctx.db, group);
      group.forEach((item, i) => item.done(written[i]!));
    } catch (err) {
      // The database away (or its pool full): that is every filing's answer, at once (a 503 that
      // the client retries), not a wait of a connection timeout per filing.
      if (group.length === 1 || isDatabaseUnavailable(err)) return group.forEach((item) => item.failed(err));
      for (const item of group) {
        await writeFilings(this.ctx, this.ctx.db, [item]).then(([w]) => item.done(w!), item.failed);
      }
    }
  }
}

const queues = new WeakMap<ServerContext['db'], FilingQueue>();
function filingQueue(ctx: ServerContext): FilingQueue {
  let queue = queues.get(ctx.db);
  if (!queue) queues.set(ctx.db, (queue = new FilingQueue(ctx, ctx.db.engine === 'pglite' ? 1 : 2)));
  return queue;
}

const retriable = (err: unknown) => ['23505', '40001', '40P01'].includes((err as { code?: string }).code ?? '');

/**
 * Stores a checked request with its route, reference, timeline and attachments, inside the caller's
 * transaction (Open311, a chat made into a work order): one statement (writeFiling), then the
 * attachments claimed. The delivery worker is woken at once; it looks 50 ms later, and its schedule
 * catches a row the caller's transaction commits after that.
 */
export async function insertRequest(ctx: ServerContext, q: Queryable, input: NewRequest): Promise<RequestCreated> {
  // Read in the caller's transaction: PGlite would wait for it for ever in another.
  const kept = await keptCatalogue(ctx.db, q);
  const suggestion = await rankForRequest(q, kept, { site: input.site.id, locale: input.locale, text: input.description });
  let f = prepareFiling(ctx, kept, input);
  for (let attempt = 0; ; attempt++) {
    const { stored, queued } = await writeFiling(ctx, q, kept, input, f, suggestion, null);
    if (stored) {
      if (queued) wakeDelivery(ctx);
      break;
    }
    // The reference was taken (all but impossible): nothing was written; again with another.
    if (attempt >= 5) throw new Error('no free reference');
    f = prepareFiling(ctx, kept, input);
  }
  await claimAttachments(q, input.files, input.site.id, { request: f.id }, 'attachments', input.locale);
  return f.created;
}

/**
 * POST /requests: filed once per Idempotency-Key (storage/idempotency.ts' contract: the same key and
 * body get the stored answer with 200, another body 409). Without attachments one statement does it
 * all, committing on its own; with them, that statement and the claim in one transaction.
 */
export async function fileRequest(ctx: ServerContext, kept: KeptCatalogue, input: NewRequest, target: IdempotencyTarget): Promise<Stored<RequestCreated>> {
  const suggestion = await rankForRequest(ctx.db, kept, { site: input.site.id, locale: input.locale, text: input.description });
  for (let attempt = 0; ; attempt++) {
    const f = prepareFiling(ctx, kept, input);
    try {
      const { stored, queued } = input.files.length
        ? await ctx.db.tx(async (q) => {
            const done = await writeFiling(ctx, q, kept, input, f, suggestion, target);
            if (done.stored) await claimAttachments(q, input.files, input.site.id, { request: f.id }, 'attachments', input.locale);
            return done;
          })
        : await filingQueue(ctx).write({ kept, input, f, suggestion, idempotency: target });
      if (stored) {
        if (queued) wakeDelivery(ctx);
        return { status: 201, body: f.created };
      }
      const rows = await ctx.db.query<{ request_hash: string; status: number | null; response: RequestCreated | null }>(
        'SELECT request_hash, status, response FROM idempotency WHERE site = $1 AND scope = $2 AND key = $3', [target.site, target.scope, target.key]);
      const row = rows[0];
      if (row && row.status !== null && row.response !== null) {
        if (row.request_hash !== target.hash) throw new HttpError('conflict', 'This Idempotency-Key was used with a different body');
        return { status: 200, body: row.response };
      }
      // A record seen mid-flight (or gone since): try again.
      if (attempt >= 20) throw new Error('idempotency record not settled');
      await new Promise((resolve) => setTimeout(resolve, 20 + attempt * 20));
    } catch (err) {
      // A clash of references (23505), a serialization hiccup: again, with a new reference.
      if (!retriable(err) || attempt >= 20) throw err;
    }
  }
}
