/**
 * The operator's parts of a request as staff and residents read it: who works on it (assignee),
 * notes (internal or resident-visible), how replies are signed (staff settings, inherited down the
 * site tree), and form values as the resident chose them (option labels, the site's time zone,
 * addresses). Writing them is in operator.ts; this file only reads, so requests.ts can use it.
 */
import type { FieldValue } from '../../../src/client/protocol.js';
import { text, type Locale } from '../catalogue/catalog.js';
import { LIST_SEPARATOR, M, say } from '../messages.js';
import type { SeedField } from '../catalogue/seed-data.js';
import type { Queryable } from '../storage/db.js';
import type { FilledField, StaffNote } from './staff-api.js';

/** How a reply is signed for the resident: office and name, office alone, office and staff number, office and initial. */
export const SIGNATURE_MODES = ['office_name', 'office', 'office_number', 'office_initial'] as const;
export type SignatureMode = (typeof SIGNATURE_MODES)[number];
export const DEFAULT_SIGNATURE: SignatureMode = 'office_name';

/** The built-in dispatcher of the shared staff token (staff.ts) has no account row. */
export const BUILT_IN_STAFF = { id: 'staff-token', login: 'staff-token', displayName: 'Staff', role: 'dispatcher' as const, departmentId: null, siteId: null };

/** Someone staff work can be given to. */
export interface Person {
  id: string;
  login: string;
  displayName: string;
  role: 'dispatcher' | 'department' | 'site' | 'supervisor' | 'administrator';
  departmentId: string | null;
  siteId: string | null;
}

/** The accounts table (the accounts room, migration 6), if this database has it. */
async function accountsTable(q: Queryable): Promise<string | null> {
  for (const name of ['staff_accounts', 'accounts', 'staff_users']) {
    const rows = await q.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]);
    if (rows[0]?.t) return name;
  }
  return null;
}

interface AccountRow {
  id: string;
  login: string;
  display_name: string;
  role: Person['role'];
  department_id: string | null;
  site_id: string | null;
}

const person = (r: AccountRow): Person => ({
  id: r.id, login: r.login, displayName: r.display_name, role: r.role, departmentId: r.department_id ?? null, siteId: r.site_id ?? null,
});

/**
 * Active accounts; without an accounts table, the built-in staff-token dispatcher alone. With one,
 * the staff token's built-in row is in it when the token signs in as it (accounts.ts
 * prepareAccounts); in demo mode the token signs in as the demo dispatcher and there is no
 * built-in row, so no "Staff" that nobody signs in as is offered to assign work to.
 */
export async function people(q: Queryable): Promise<Person[]> {
  const table = await accountsTable(q);
  if (!table) return [BUILT_IN_STAFF];
  const cols = await q.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [table]);
  const has = (c: string) => cols.some((x) => x.column_name === c);
  const active = has('disabled_at') ? 'WHERE disabled_at IS NULL' : has('disabled') ? 'WHERE NOT disabled' : has('active') ? 'WHERE active' : '';
  const rows = await q.query<AccountRow & Record<string, unknown>>(`SELECT * FROM ${table} ${active} ORDER BY display_name, id`);
  return rows.map(person);
}

export async function personById(q: Queryable, id: string): Promise<Person | null> {
  return (await people(q)).find((p) => p.id === id) ?? null;
}

/** `{id, name}` of whoever has it now, or null. */
export async function assigneeOf(q: Queryable, assigneeId: string | null | undefined): Promise<{ id: string; name: string } | null> {
  if (!assigneeId) return null;
  const p = await personById(q, assigneeId);
  return { id: assigneeId, name: p?.displayName ?? assigneeId };
}

export async function notesOf(q: Queryable, requestId: string): Promise<StaffNote[]> {
  const rows = await q.query<{ id: string; at: Date; author_id: string | null; author_name: string | null; visibility: 'internal' | 'resident'; text: string }>(
    'SELECT id, at, author_id, author_name, visibility, text FROM request_notes WHERE request_id = $1 ORDER BY at, id', [requestId]);
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at).toISOString(),
    author: r.author_id ? { id: r.author_id, name: r.author_name ?? r.author_id } : null,
    visibility: r.visibility,
    text: r.text,
  }));
}

/* ---------------------------------------------------------------- signatures */

/** The signature mode for a site: its own setting, else its parent's, …, else the global one, else office and name. */
export async function signatureMode(q: Queryable, siteId: string | null): Promise<SignatureMode> {
  const rows = await q.query<{ scope: string; signature: SignatureMode | null }>('SELECT scope, signature FROM staff_settings');
  const byScope = new Map(rows.map((r) => [r.scope, r.signature]));
  let site = siteId;
  for (let hops = 0; site && hops < 20; hops++) {
    const own = byScope.get(site);
    if (own) return own;
    const parent = await q.query<{ parent_id: string | null }>('SELECT parent_id FROM sites WHERE id = $1', [site]);
    site = parent[0]?.parent_id ?? null;
  }
  return byScope.get('global') ?? DEFAULT_SIGNATURE;
}

/**
 * What follows the office in a reply's signature (null: the office alone), in the request's
 * language: the display name, a staff number (the login), or an initial.
 */
export function signaturePerson(mode: SignatureMode, author: Pick<Person, 'displayName' | 'login'>, locale: Locale): string | null {
  const name = author.displayName.trim();
  switch (mode) {
    case 'office':
      return null;
    case 'office_number':
      return say(locale, M.staffNumber(author.login));
    case 'office_initial': {
      const first = [...name][0] ?? '';
      if (!first) return null;
      // A Chinese name keeps the family name (王*); a Latin one its first letter (J.).
      return /[\u3400-\u9fff]/.test(first) ? `${first}*` : `${first.toUpperCase()}.`;
    }
    default:
      return name || null;
  }
}

/** The signature the resident sees: "区市场监管局 · 王芳", or undefined (the office alone, or an older reply). */
export const signatureText = (office: string, personPart: string | null | undefined) => (personPart ? `${office} · ${personPart}` : undefined);

/* ---------------------------------------------------------------- form values */

function formatDate(value: string, locale: Locale, timeZone: string, withTime: boolean): string {
  // A date alone is a calendar day: shown as written, not moved by a time zone.
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value);
  const when = withTime ? new Date(value) : new Date(`${value}T12:00:00Z`);
  if (Number.isNaN(when.getTime())) return value;
  const options: Intl.DateTimeFormatOptions = withTime
    ? { dateStyle: 'medium', timeStyle: 'short', timeZone: hasZone ? timeZone : 'UTC' }
    : { dateStyle: 'medium', timeZone: 'UTC' };
  // A time without a zone is what the resident typed on the site's clock: read it as such.
  const shown = withTime && !hasZone ? new Date(`${value.length === 16 ? `${value}:00` : value}Z`) : when;
  return new Intl.DateTimeFormat(locale, options).format(shown);
}

/** One value as words: option labels, dates in the site's zone, an address (or the point). */
export function fieldDisplay(f: Pick<SeedField, 'type' | 'options'>, value: FieldValue, locale: Locale, timeZone: string, fileNames: Map<string, string>): string {
  const label = (v: string) => text(f.options?.find((o) => o.value === v)?.label, locale) || v;
  switch (f.type) {
    case 'single':
      return typeof value === 'string' ? label(value) : String(value);
    case 'multi':
      return Array.isArray(value) ? value.map((x) => label(String(x))).join(say(locale, LIST_SEPARATOR)) : String(value);
    case 'date':
      return typeof value === 'string' ? formatDate(value, locale, timeZone, false) : String(value);
    case 'datetime':
      return typeof value === 'string' ? formatDate(value, locale, timeZone, true) : String(value);
    case 'location': {
      const loc = (value ?? {}) as { lat?: number; lng?: number; address?: string };
      if (loc.address?.trim()) return loc.address.trim();
      return typeof loc.lat === 'number' && typeof loc.lng === 'number' ? `${loc.lat.toFixed(5)}, ${loc.lng.toFixed(5)}` : '';
    }
    case 'file':
      return Array.isArray(value) ? value.map((id) => fileNames.get(String(id)) ?? String(id)).join(', ') : String(value);
    case 'number':
      return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : String(value);
    default:
      return Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }
}

/** A map link for a point (OpenStreetMap), when the location has one. */
export function mapUrl(value: FieldValue): string | undefined {
  const loc = (value ?? {}) as { lat?: number; lng?: number };
  if (typeof loc.lat !== 'number' || typeof loc.lng !== 'number') return undefined;
  return `https://www.openstreetmap.org/?mlat=${loc.lat}&mlon=${loc.lng}#map=18/${loc.lat}/${loc.lng}`;
}

/** Adds the words to a filled field: in the console's language, and the resident's when it differs. */
export function withDisplay(
  field: FilledField,
  f: Pick<SeedField, 'type' | 'options'>,
  locale: Locale,
  requestLocale: Locale,
  timeZone: string,
  fileNames: Map<string, string>,
): FilledField {
  const display = fieldDisplay(f, field.value, locale, timeZone, fileNames);
  const resident = requestLocale !== locale ? fieldDisplay(f, field.value, requestLocale, timeZone, fileNames) : display;
  const map = f.type === 'location' ? mapUrl(field.value) : undefined;
  return { ...field, display, ...(resident !== display ? { residentDisplay: resident } : {}), ...(map ? { mapUrl: map } : {}) };
}
