/**
 * Accounts, sessions and the audit log of the staff API as valibot schemas and types: the server
 * checks bodies with them and the staff console imports them. docs/staff-api.md ("Accounts and
 * sessions", "Audit log") is their prose.
 */
import * as v from 'valibot';
import { ROLES } from '../staff/identity.js';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const Timestamp = v.pipe(v.string(), v.isoTimestamp());

export const RoleSchema = v.picklist(ROLES);

/** What one signs in with: 2–64 letters, digits, `.`, `_`, `-` or `@`, starting with a letter or digit; any case (compared without case). */
export const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;
export const LoginSchema = v.pipe(v.string('Required'), v.trim(), v.regex(LOGIN_PATTERN, '2–64 letters, digits, . _ - or @, starting with a letter or digit'));
export const DisplayNameSchema = v.pipe(v.string('Required'), v.trim(), v.minLength(1, 'Required'), v.maxLength(80, 'At most 80 characters'));
/** The length rules are checked by the server with a message that counts (passwords.ts). */
const PasswordText = v.pipe(v.string('Required'), v.maxLength(1000, 'Too long'));

/** The signed-in person as the API shows them. */
export const StaffUserSchema = v.object({
  id: Id,
  login: v.string(),
  displayName: v.string(),
  role: RoleSchema,
  /** Department officers: their department. */
  departmentId: v.nullable(v.string()),
  /** Site officers (and a supervisor of one street or community): their site. Null: all sites. */
  siteId: v.nullable(v.string()),
});
export type StaffUserPublic = v.InferOutput<typeof StaffUserSchema>;

/** `POST /staff/session` */
export const SignInInputSchema = v.object({ login: v.pipe(v.string('Required'), v.trim(), v.minLength(1, 'Required'), v.maxLength(64, 'Too long')), password: PasswordText });
export type SignInInput = v.InferOutput<typeof SignInInputSchema>;

/** `POST /staff/session` and `POST /staff/setup` → 201 */
export const SessionResponseSchema = v.object({
  /** The bearer token of this session (`Authorization: Bearer …`; event streams: `?token=…`). Shown once. */
  token: v.string(),
  /** When the session ends unless used before (idle expiry), never later than its absolute expiry. */
  expiresAt: Timestamp,
  /** The absolute end of the session, however much it is used. */
  absoluteExpiresAt: Timestamp,
  user: StaffUserSchema,
});
export type SessionResponse = v.InferOutput<typeof SessionResponseSchema>;

/** `GET /staff/me` */
export const MeResponseSchema = v.object({ user: StaffUserSchema, expiresAt: Timestamp, absoluteExpiresAt: Timestamp });
export type MeResponse = v.InferOutput<typeof MeResponseSchema>;

/** `POST /staff/me/password` */
export const PasswordChangeInputSchema = v.object({ current: PasswordText, next: PasswordText });
export type PasswordChangeInput = v.InferOutput<typeof PasswordChangeInputSchema>;

/** `POST /staff/setup`: the one-time setup token printed at start makes the first administrator. */
export const SetupInputSchema = v.object({
  token: v.pipe(v.string('Required'), v.minLength(1, 'Required'), v.maxLength(200, 'Too long')),
  login: LoginSchema,
  displayName: DisplayNameSchema,
  password: PasswordText,
});
export type SetupInput = v.InferOutput<typeof SetupInputSchema>;

/** One staff account, as administrators see it (never its password hash). */
export const AccountSchema = v.object({
  ...StaffUserSchema.entries,
  disabled: v.boolean(),
  /** The built-in account of the pre-issued staff token (tests, the demo): it has no password and cannot sign in. */
  builtIn: v.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  passwordChangedAt: v.nullable(Timestamp),
  lastSignInAt: v.nullable(Timestamp),
});
export type Account = v.InferOutput<typeof AccountSchema>;

/** `GET /staff/accounts` */
export const AccountsResponseSchema = v.object({ accounts: v.array(AccountSchema) });
export type AccountsResponse = v.InferOutput<typeof AccountsResponseSchema>;

/** `POST /staff/accounts` */
export const AccountCreateInputSchema = v.object({
  login: LoginSchema,
  displayName: DisplayNameSchema,
  role: v.picklist(ROLES, `One of ${ROLES.join(', ')}`),
  /** Required for department officers, refused for other roles. */
  department: v.optional(v.nullable(Id)),
  /** Required for site officers, allowed for supervisors, refused for other roles. */
  site: v.optional(v.nullable(Id)),
  password: PasswordText,
});
export type AccountCreateInput = v.InferOutput<typeof AccountCreateInputSchema>;

/** `PATCH /staff/accounts/{id}`: only the fields given change. A new `password` ends the account's sessions, as `disabled: true` does. */
export const AccountPatchInputSchema = v.object({
  displayName: v.optional(DisplayNameSchema),
  role: v.optional(v.picklist(ROLES, `One of ${ROLES.join(', ')}`)),
  department: v.optional(v.nullable(Id)),
  site: v.optional(v.nullable(Id)),
  disabled: v.optional(v.boolean('true or false')),
  password: v.optional(PasswordText),
});
export type AccountPatchInput = v.InferOutput<typeof AccountPatchInputSchema>;

/** `GET /staff/audit` query. */
export const AuditQuerySchema = v.object({
  /** An account id. */
  actor: v.optional(Id),
  /** One of AUDIT_ACTIONS (staff/identity.ts). */
  action: v.optional(Id),
  targetKind: v.optional(Id),
  targetId: v.optional(Id),
  /** `kind:id` in one (e.g. `request:RS-7KQ2-M9XD-N`'s id, `account:…`). */
  target: v.optional(Id),
  /** Entries at or after this time only (ISO 8601, e.g. the start of a day in the console's zone). */
  since: v.optional(Timestamp),
  /** Entries before this time only. */
  until: v.optional(Timestamp),
  /** Entries with a smaller `seq` only (the `next` of the page before). */
  before: v.optional(v.pipe(v.string(), v.regex(/^\d{1,18}$/, 'A sequence number'))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(500))),
});

export const AuditEntrySchema = v.object({
  /** Increasing with time; page with `before`. */
  seq: v.number(),
  id: v.string(),
  at: Timestamp,
  /** Null for calls not signed in (a failed sign-in, the first administrator made at start). */
  actor: v.nullable(v.object({ id: v.string(), name: v.nullable(v.string()), role: v.nullable(v.string()) })),
  action: v.string(),
  target: v.nullable(v.object({ kind: v.string(), id: v.string() })),
  detail: v.record(v.string(), v.unknown()),
});
export type AuditEntry = v.InferOutput<typeof AuditEntrySchema>;

/** `GET /staff/audit`: newest first; `next` is the `before` of the following page, null at the end. */
export const AuditResponseSchema = v.object({ entries: v.array(AuditEntrySchema), next: v.nullable(v.number()) });
export type AuditResponse = v.InferOutput<typeof AuditResponseSchema>;
