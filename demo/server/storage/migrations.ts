/**
 * Versioned schema migrations, applied in order at start inside one transaction each, under an
 * advisory lock so several processes starting together on one PostgreSQL apply each exactly once.
 */
import type { Db } from './db.js';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE sites (
  id text PRIMARY KEY,
  parent_id text REFERENCES sites(id),
  level text NOT NULL CHECK (level IN ('district', 'street', 'community')),
  names jsonb NOT NULL,
  office_hours jsonb NOT NULL DEFAULT '[]',
  reply_hours integer NOT NULL,
  phone text,
  timezone text NOT NULL DEFAULT 'Asia/Shanghai',
  reference_prefix text NOT NULL DEFAULT 'RS',
  sort integer NOT NULL DEFAULT 0
);

CREATE TABLE departments (
  id text PRIMARY KEY,
  names jsonb NOT NULL,
  phone text,
  is_dispatch boolean NOT NULL DEFAULT false,
  sort integer NOT NULL DEFAULT 0
);

CREATE TABLE services (
  id text PRIMARY KEY,
  department_id text NOT NULL REFERENCES departments(id),
  names jsonb NOT NULL,
  groups jsonb NOT NULL,
  descriptions jsonb NOT NULL,
  kinds text[] NOT NULL,
  keywords jsonb NOT NULL DEFAULT '{}',
  fields jsonb NOT NULL DEFAULT '[]',
  reply_hours integer,
  round_the_clock boolean NOT NULL DEFAULT false,
  sort integer NOT NULL DEFAULT 0
);

-- Routing narrowed by the site hierarchy: the rule of the nearest site up the chain wins.
CREATE TABLE routing_rules (
  service_id text NOT NULL REFERENCES services(id),
  site_id text NOT NULL REFERENCES sites(id),
  department_id text NOT NULL REFERENCES departments(id),
  PRIMARY KEY (service_id, site_id)
);

CREATE TABLE knowledge (
  id text PRIMARY KEY,
  locale text NOT NULL,
  question text NOT NULL,
  answer text NOT NULL,
  keywords text NOT NULL DEFAULT '',
  service_id text REFERENCES services(id),
  url text
);
CREATE INDEX knowledge_locale ON knowledge (locale);

CREATE TABLE consent_notices (
  version text PRIMARY KEY,
  texts jsonb NOT NULL,
  current boolean NOT NULL DEFAULT false
);

CREATE TABLE reference_counters (
  prefix text NOT NULL,
  day text NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (prefix, day)
);

CREATE TABLE requests (
  id text PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  site_id text NOT NULL REFERENCES sites(id),
  service_id text NOT NULL REFERENCES services(id),
  kind text NOT NULL,
  status text NOT NULL,
  department_id text NOT NULL REFERENCES departments(id),
  description text NOT NULL,
  fields jsonb NOT NULL DEFAULT '{}',
  contact jsonb,
  contact_phone text,
  contact_email text,
  consent_version text NOT NULL,
  locale text NOT NULL,
  page jsonb,
  access_token_hash text NOT NULL,
  reply_by timestamptz,
  first_reply_at timestamptz,
  feedback jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requests_updated ON requests (updated_at DESC);
CREATE INDEX requests_status ON requests (status);

CREATE TABLE request_timeline (
  id bigserial PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL,
  department_id text REFERENCES departments(id),
  note text
);
CREATE INDEX request_timeline_request ON request_timeline (request_id, id);

CREATE TABLE request_replies (
  id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  at timestamptz NOT NULL DEFAULT now(),
  department_id text NOT NULL REFERENCES departments(id),
  text text NOT NULL
);
CREATE INDEX request_replies_request ON request_replies (request_id, at);

CREATE TABLE conversations (
  id text PRIMARY KEY,
  site_id text NOT NULL REFERENCES sites(id),
  locale text NOT NULL,
  topic text,
  page jsonb,
  token_hash text NOT NULL,
  status text NOT NULL DEFAULT 'open',
  department_id text NOT NULL REFERENCES departments(id),
  last_seq integer NOT NULL DEFAULT 0,
  resident_read_seq integer NOT NULL DEFAULT 0,
  staff_read_seq integer NOT NULL DEFAULT 0,
  unread integer NOT NULL DEFAULT 0,
  preview text NOT NULL DEFAULT '',
  acknowledged boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_updated ON conversations (updated_at DESC);

CREATE TABLE conversation_events (
  conversation_id text NOT NULL REFERENCES conversations(id),
  seq integer NOT NULL,
  type text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  client_id text,
  data jsonb NOT NULL,
  PRIMARY KEY (conversation_id, seq),
  UNIQUE (conversation_id, client_id)
);

CREATE TABLE attachments (
  id text PRIMARY KEY,
  site_id text NOT NULL REFERENCES sites(id),
  name text NOT NULL,
  size integer NOT NULL,
  type text NOT NULL,
  path text,
  data bytea,
  request_id text REFERENCES requests(id),
  conversation_id text REFERENCES conversations(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_request ON attachments (request_id);

CREATE TABLE idempotency (
  site text NOT NULL,
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site, scope, key)
);
CREATE INDEX idempotency_created ON idempotency (created_at);

CREATE TABLE staff_presence (
  id text PRIMARY KEY,
  last_seen timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 2,
    name: 'shared rate limits, orphan sweep index, Open311 door',
    sql: `
-- Fixed-window counters shared by every process on one PostgreSQL; key is a hash (no addresses stored).
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  window_start bigint NOT NULL,
  count integer NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

CREATE INDEX attachments_orphans ON attachments (created_at) WHERE request_id IS NULL AND conversation_id IS NULL;

-- Where a request came in ('intake' protocol or 'open311'), and what only Open311 sends.
ALTER TABLE requests ADD COLUMN channel text NOT NULL DEFAULT 'intake';
ALTER TABLE requests ADD COLUMN location jsonb;
ALTER TABLE requests ADD COLUMN media_url text;
ALTER TABLE requests ADD COLUMN open311_token text UNIQUE;
CREATE INDEX requests_channel_created ON requests (channel, created_at DESC);
`,
  },
  {
    version: 3,
    name: 'every rating kept as its own record',
    sql: `
-- Each rating and comment is its own record with its time: a reopen no longer erases one.
-- Not in request_timeline: its notes are public to Open311 apps, a rating's comment is not.
CREATE TABLE request_feedback (
  id bigserial PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  round integer NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  resolved boolean NOT NULL,
  comment text,
  status text NOT NULL,
  department_id text NOT NULL REFERENCES departments(id),
  after_timeline_id bigint,
  UNIQUE (request_id, round)
);
CREATE INDEX request_feedback_at ON request_feedback (at DESC, id DESC);

-- Which answer the resident rates now: 1, and one more after each reopen (one rating per answer).
ALTER TABLE requests ADD COLUMN feedback_round integer NOT NULL DEFAULT 1;

-- The ratings given before: placed after the last timeline entry before them (not the resolve they caused).
INSERT INTO request_feedback (request_id, round, at, rating, resolved, comment, status, department_id, after_timeline_id)
SELECT r.id, 1, f.at, (r.feedback->>'rating')::int, COALESCE((r.feedback->>'resolved')::boolean, false),
       NULLIF(r.feedback->>'comment', ''), COALESCE(t.status, r.status), COALESCE(t.department_id, r.department_id), t.id
FROM requests r
CROSS JOIN LATERAL (SELECT COALESCE((r.feedback->>'at')::timestamptz, r.updated_at) AS at) f
LEFT JOIN LATERAL (
  SELECT id, status, department_id FROM request_timeline
  WHERE request_id = r.id AND at <= f.at
    AND note IS DISTINCT FROM '市民确认问题已解决' AND note IS DISTINCT FROM 'The resident confirmed it is solved'
  ORDER BY id DESC LIMIT 1
) t ON true
WHERE jsonb_typeof(r.feedback) = 'object' AND r.feedback ? 'rating'
`,
  },
  {
    version: 4,
    name: 'unclaimed upload bytes capped per client address',
    sql: `
-- Who uploaded a file not yet claimed: a hash of the client address (never the address itself),
-- so the unclaimed bytes per address can be capped; forgotten once a request or message claims it.
ALTER TABLE attachments ADD COLUMN uploader text;
CREATE INDEX attachments_unclaimed_uploader ON attachments (uploader, created_at) WHERE request_id IS NULL AND conversation_id IS NULL;
CREATE FUNCTION attachments_forget_uploader() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.request_id IS NOT NULL OR NEW.conversation_id IS NOT NULL THEN NEW.uploader := NULL; END IF; RETURN NEW; END $$;
CREATE TRIGGER attachments_forget_uploader BEFORE UPDATE OF request_id, conversation_id ON attachments
  FOR EACH ROW EXECUTE FUNCTION attachments_forget_uploader()
`,
  },
  {
    version: 5,
    name: 'audit log of staff actions',
    sql: `
-- Who did what, when (staff/identity.ts audit()). Append-only: rows are never changed or removed.
CREATE TABLE audit_log (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id text,
  actor_name text,
  actor_role text,
  action text NOT NULL,
  target_kind text,
  target_id text,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
`,
  },
  {
    version: 6,
    name: 'staff accounts, sessions, sign-in failures, setup tokens',
    sql: `
-- One row per member of staff (accounts/accounts.ts). The login is unique whatever its case; the
-- password is a self-describing scrypt hash (accounts/passwords.ts); null: no password sign-in
-- (the built-in account of the pre-issued staff token).
CREATE TABLE staff_accounts (
  id text PRIMARY KEY,
  login text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('dispatcher', 'department', 'site', 'supervisor', 'administrator')),
  department_id text REFERENCES departments(id),
  site_id text REFERENCES sites(id),
  password_hash text,
  disabled boolean NOT NULL DEFAULT false,
  built_in boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz,
  last_sign_in_at timestamptz
);
CREATE UNIQUE INDEX staff_accounts_login ON staff_accounts (lower(login));
CREATE INDEX staff_accounts_role ON staff_accounts (role) WHERE NOT disabled;

-- A signed-in session (accounts/sessions.ts): only the SHA-256 of its bearer token is kept.
CREATE TABLE staff_sessions (
  id text PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  account_id text NOT NULL REFERENCES staff_accounts(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  user_agent text,
  address_hash text
);
CREATE INDEX staff_sessions_account ON staff_sessions (account_id) WHERE revoked_at IS NULL;

-- Wrong passwords per login and per client address (accounts/throttle.ts); keys are hashes.
CREATE TABLE staff_sign_in_failures (
  key text PRIMARY KEY,
  count integer NOT NULL,
  last_failure_at timestamptz NOT NULL,
  locked_until timestamptz
);

-- One-time tokens that make the first administrator (POST /staff/setup); only hashes are kept.
CREATE TABLE staff_setup_tokens (
  token_hash text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
)
`,
  },
  {
    version: 7,
    name: 'complainant protection: contact releases',
    sql: `
-- The dispatcher's release of a complaint's contact to the office complained about (staff/scope.ts).
-- Append-only like the audit log; whether the resident agreed is contact->>'shareWithOffice'.
CREATE TABLE contact_releases (
  id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  at timestamptz NOT NULL DEFAULT now(),
  actor_id text,
  actor_name text,
  note text NOT NULL
);
CREATE INDEX contact_releases_request ON contact_releases (request_id, at)
`,
  },
  {
    version: 8,
    name: 'catalogue version, settings and order of routes and answers',
    sql: `
-- Bumped in the same transaction as every catalogue change (catalogue/store.ts): every process
-- reads it, so the resident catalogue (and its ETag) follows an edit at once, without a restart.
CREATE TABLE catalogue_state (
  id integer PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL DEFAULT 1,
  settings jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO catalogue_state (id) VALUES (1);

-- The order of the city file, kept for export.
ALTER TABLE routing_rules ADD COLUMN sort integer NOT NULL DEFAULT 0;
ALTER TABLE knowledge ADD COLUMN sort integer NOT NULL DEFAULT 0
`,
  },
  {
    version: 9,
    name: 'operator work on a request: assignee, notes, signed replies, settings',
    sql: `
-- Who works on it now (a staff account id; no foreign key: the built-in staff-token user has no row).
ALTER TABLE requests ADD COLUMN assignee_id text;
ALTER TABLE requests ADD COLUMN assigned_at timestamptz;
ALTER TABLE conversations ADD COLUMN assignee_id text;
ALTER TABLE conversations ADD COLUMN assigned_at timestamptz;
CREATE INDEX requests_assignee ON requests (assignee_id);
CREATE INDEX conversations_assignee ON conversations (assignee_id);

-- Notes by staff: 'internal' ones never leave the staff API; a 'resident' one is also a timeline entry.
CREATE TABLE request_notes (
  id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  at timestamptz NOT NULL DEFAULT now(),
  author_id text,
  author_name text,
  visibility text NOT NULL CHECK (visibility IN ('internal', 'resident')),
  text text NOT NULL,
  timeline_id bigint
);
CREATE INDEX request_notes_request ON request_notes (request_id, at);

-- Who wrote a reply, and the signature the resident sees (fixed when sent).
ALTER TABLE request_replies ADD COLUMN author_id text;
ALTER TABLE request_replies ADD COLUMN signature text;

-- Staff settings: 'global', or one site id (inherited down the site tree).
CREATE TABLE staff_settings (
  scope text PRIMARY KEY,
  signature text CHECK (signature IN ('office_name', 'office', 'office_number', 'office_initial')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
)
`,
  },
  {
    version: 10,
    name: 'work orders from chats, canned replies per department',
    sql: `
-- A request filed from a chat (转工单) names it; the chat lists its work orders from here.
ALTER TABLE requests ADD COLUMN conversation_id text REFERENCES conversations(id);
CREATE INDEX requests_conversation ON requests (conversation_id, created_at) WHERE conversation_id IS NOT NULL;

-- Canned replies of one department; the intake centre's (the dispatch department's) are shared with all.
CREATE TABLE canned_replies (
  id text PRIMARY KEY,
  department_id text NOT NULL REFERENCES departments(id),
  title text NOT NULL,
  text text NOT NULL,
  sort integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX canned_replies_department ON canned_replies (department_id, sort, id)
`,
  },
  {
    version: 11,
    name: 'the closed loop as events',
    sql: `
-- Every step of a request through the 12345 loop (loop/events.ts): dispatch, return, reply,
-- escalation, rating, return visit, merge… Append-only; the assessment is computed from these rows.
CREATE TABLE loop_events (
  seq bigserial PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  at timestamptz NOT NULL,
  type text NOT NULL,
  office_id text,
  actor_id text,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX loop_events_request ON loop_events (request_id, seq);
CREATE INDEX loop_events_office_at ON loop_events (office_id, at);
CREATE INDEX loop_events_type_at ON loop_events (type, at);
CREATE FUNCTION loop_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'loop_events is append-only'; END $$;
CREATE TRIGGER loop_events_append_only BEFORE UPDATE OR DELETE ON loop_events
  FOR EACH ROW EXECUTE FUNCTION loop_events_append_only()
`,
  },
  {
    version: 12,
    name: 'deadlines on a working-day calendar',
    sql: `
-- When the resolution is due (loop/deadlines.ts); reply_by (migration 1) is when the first reply is.
ALTER TABLE requests ADD COLUMN resolve_by timestamptz;
-- The service's deadline class when it was filed: urgent, utilities, general, complex.
ALTER TABLE requests ADD COLUMN deadline_class text;
CREATE INDEX requests_reply_by ON requests (reply_by) WHERE status NOT IN ('resolved', 'closed');
CREATE INDEX requests_resolve_by ON requests (resolve_by) WHERE status NOT IN ('resolved', 'closed');
-- A service's time limits (city file services[].deadline: class, replyWithin, resolveWithin).
ALTER TABLE services ADD COLUMN deadline jsonb;
-- The city's working-day calendar (city file "calendar"): public holidays and make-up working days per year.
ALTER TABLE catalogue_state ADD COLUMN calendar jsonb
`,
  },
  {
    version: 13,
    name: 'supervision: escalation of overdue items, 督办',
    sql: `
-- Escalated by the server or supervised by hand (loop/supervision.ts): how often, when last, the latest limit set.
ALTER TABLE requests ADD COLUMN escalation_level integer NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN escalated_at timestamptz;
ALTER TABLE requests ADD COLUMN supervised_until timestamptz;
CREATE INDEX requests_escalated ON requests (escalated_at) WHERE escalation_level > 0;
-- One escalation per deadline: two server processes sweeping at once insert the same row, one wins.
CREATE TABLE request_escalations (
  request_id text NOT NULL REFERENCES requests(id),
  which text NOT NULL CHECK (which IN ('reply', 'resolve')),
  due timestamptz NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (request_id, which, due)
);
-- A loop step shown to the resident as a code and data (protocol TimelineEntry.step), not prose.
ALTER TABLE request_timeline ADD COLUMN step jsonb
`,
  },
  {
    version: 14,
    name: 're-dispatch, lead and assisting offices, first office',
    sql: `
-- 协办: departments that assist the lead office (department_id); they see the item (staff/scope.ts).
ALTER TABLE requests ADD COLUMN assist_departments text[] NOT NULL DEFAULT '{}';
-- 退单 waiting for the dispatcher: the office that returned it, why, and when (loop/dispatch.ts).
ALTER TABLE requests ADD COLUMN returned_from text;
ALTER TABLE requests ADD COLUMN return_reason text;
ALTER TABLE requests ADD COLUMN return_note text;
ALTER TABLE requests ADD COLUMN returned_at timestamptz;
-- 首接负责: the first office that accepted it (its first 'accepted' loop event), kept until closed.
ALTER TABLE requests ADD COLUMN first_office text;
CREATE INDEX requests_returned ON requests (returned_at) WHERE returned_from IS NOT NULL;
-- A timeline entry that is a move between offices, in codes: {type, from, to, reason}.
ALTER TABLE request_timeline ADD COLUMN move jsonb
`,
  },
  {
    version: 15,
    name: 'ratings and return visits: channel, redo, appeals, calls',
    sql: `
-- Where a rating came from (loop/ratings.ts): 'widget' (the access token), 'any_device' (the
-- reference and the contact given when filing), 'return_visit' (an operator's call, 回访).
ALTER TABLE request_feedback ADD COLUMN channel text NOT NULL DEFAULT 'widget';
ALTER TABLE request_feedback ADD COLUMN actor_id text;

-- Sent back to be redone (退回重办) after a bad rating or "not solved": the round of that rating.
-- Set until the office answers again (a reply or a resolve); the queue's "redo" filter reads it.
ALTER TABLE requests ADD COLUMN redo_round integer;
CREATE INDEX requests_redo ON requests (redo_round) WHERE redo_round IS NOT NULL;

-- A supervisor's appeal against a rating (评价申诉), with the reason. Append-only: the rating still
-- counts in the raw figures; the assessment shows appealed ones apart.
CREATE TABLE rating_appeals (
  seq bigserial,
  id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  round integer NOT NULL,
  at timestamptz NOT NULL,
  actor_id text,
  actor_name text,
  reason text NOT NULL
);
CREATE INDEX rating_appeals_request ON rating_appeals (request_id, round);
CREATE FUNCTION rating_appeals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'rating_appeals is append-only'; END $$;
CREATE TRIGGER rating_appeals_append_only BEFORE UPDATE OR DELETE ON rating_appeals
  FOR EACH ROW EXECUTE FUNCTION rating_appeals_append_only();

-- Each return-visit call (回访) of an answer: reached or not; a reached call's rating is in
-- request_feedback (channel 'return_visit'). Three unreached calls: 'unreachable'. Append-only.
CREATE TABLE return_visits (
  seq bigserial,
  id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  round integer NOT NULL,
  at timestamptz NOT NULL,
  actor_id text,
  actor_name text,
  reached boolean NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('rated', 'no_answer', 'unreachable')),
  comment text
);
CREATE INDEX return_visits_request ON return_visits (request_id, round);
CREATE FUNCTION return_visits_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'return_visits is append-only'; END $$;
CREATE TRIGGER return_visits_append_only BEFORE UPDATE OR DELETE ON return_visits
  FOR EACH ROW EXECUTE FUNCTION return_visits_append_only()
`,
  },
  {
    version: 16,
    name: 'duplicates: followers and merges',
    sql: `
-- Residents following a request instead of filing a duplicate (loop/duplicates.ts), and the
-- residents of a merged item moved onto the item it was merged into. A follower reads the request
-- with their own access token (only its hash is kept) or the contact they gave.
CREATE TABLE request_followers (
  id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  access_token_hash text NOT NULL,
  contact_phone text,
  contact_email text,
  locale text NOT NULL,
  via text NOT NULL CHECK (via IN ('follow', 'merge')),
  from_request_id text REFERENCES requests(id),
  created_at timestamptz NOT NULL,
  UNIQUE (request_id, access_token_hash)
);
CREATE INDEX request_followers_token ON request_followers (access_token_hash);

-- A merged item points at the one it was merged into; its closing timeline entry is named.
ALTER TABLE requests ADD COLUMN merged_into text REFERENCES requests(id);
CREATE TABLE request_merges (
  from_id text PRIMARY KEY REFERENCES requests(id),
  into_id text NOT NULL REFERENCES requests(id),
  timeline_id bigint,
  actor_id text,
  note text,
  at timestamptz NOT NULL
);
CREATE INDEX request_merges_into ON request_merges (into_id)
`,
  },
  {
    version: 17,
    name: 'dispatch suggestions and the dispatcher decisions',
    sql: `
-- The dispatch suggestion of each request and chat (loop/dispatch-suggestion.ts): the top 3
-- [{service, department, confidence}] best first, the ranking's version, when it was made and last
-- updated (a chat's, with each resident message until decided); and the decision by staff: routed
-- to the first department ('confirmed') or elsewhere ('changed', rank 2-3 when it was one of the
-- others), by whom, how (confirm, route, work_order, overrule) and when. The metrics count these.
CREATE TABLE dispatch_suggestions (
  item_kind text NOT NULL CHECK (item_kind IN ('request', 'conversation')),
  item_id text NOT NULL,
  site_id text NOT NULL,
  suggestions jsonb NOT NULL,
  model text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  decision text CHECK (decision IN ('confirmed', 'changed')),
  decided_department text,
  decided_service text,
  decided_rank integer,
  decided_via text,
  decided_by text,
  decided_by_name text,
  decided_at timestamptz,
  PRIMARY KEY (item_kind, item_id)
);
CREATE INDEX dispatch_suggestions_created ON dispatch_suggestions (created_at)
`,
  },
  {
    version: 18,
    name: 'delivery into departments\' Open311 systems',
    sql: `
-- A department's Open311 endpoint from the city file (delivery/config.ts); null: not delivered to.
ALTER TABLE departments ADD COLUMN open311 jsonb;

-- One row per request and department it was routed to (delivery/outbox.ts): claimed with a lease
-- on the loop clock so two processes never both send; 'held' waits for staff (an answer lost where
-- the server cannot be asked); uncertain: an earlier POST may have arrived (looked up before sending again).
CREATE TABLE delivery_outbox (
  id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES requests(id),
  department_id text NOT NULL REFERENCES departments(id),
  state text NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'held')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  uncertain boolean NOT NULL DEFAULT false,
  first_sent_at timestamptz,
  last_attempt_at timestamptz,
  last_error text,
  service_request_id text,
  token text,
  delivered_at timestamptz,
  remote_status text,
  remote_notes text,
  updates_offered boolean NOT NULL DEFAULT true,
  updates_since timestamptz,
  next_pull_at timestamptz,
  pulled_at timestamptz,
  pull_error text,
  pull_failures integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  UNIQUE (request_id, department_id)
);
CREATE INDEX delivery_outbox_due ON delivery_outbox (state, next_attempt_at);
CREATE INDEX delivery_outbox_pull ON delivery_outbox (next_pull_at) WHERE state = 'delivered';

-- Each servicerequestupdates entry applied once (its update_id per delivery).
CREATE TABLE delivery_updates (
  outbox_id text NOT NULL REFERENCES delivery_outbox(id),
  update_id text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (outbox_id, update_id)
)
`,
  },
];

/** Applies every migration not applied yet, or those up to `upTo` (tests of a migration start below it). */
export async function migrate(db: Db, upTo = Infinity): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`).catch(async () => {
    // Two processes racing to create the table: the loser finds it made.
    await db.query('SELECT 1 FROM schema_migrations LIMIT 1');
  });
  for (const migration of MIGRATIONS.filter((m) => m.version <= upTo)) {
    await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(727101)');
      const done = await q.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.length) return;
      for (const statement of migration.sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
        await q.query(statement);
      }
      await q.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    });
  }
}
