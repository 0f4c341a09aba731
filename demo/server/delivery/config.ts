/**
 * A department's Open311 endpoint, as the city's catalogue file gives it (`departments[].open311`,
 * catalogue/catalogue-file.ts) and the `departments.open311` column keeps it (migration 18).
 * Requests routed to such a department are posted to its system (delivery/outbox.ts).
 */
import * as v from 'valibot';
import type { Queryable } from '../storage/db.js';

const code = v.pipe(v.string(), v.minLength(1, 'is empty'), v.maxLength(200, 'is longer than 200 characters'));

export const Open311EndpointSchema = v.strictObject({
  /** The GeoReport v2 base, e.g. https://council.example/open311/v2 (services.xml is under it). */
  baseUrl: v.pipe(v.string(), v.url('is not a URL'), v.regex(/^https?:\/\//, 'starts with http:// or https://'), v.maxLength(500, 'is longer than 500 characters')),
  /** Sent with every POST (and with servicerequestupdates, as FixMyStreet does). A secret: the file holds it. */
  apiKey: v.optional(v.pipe(v.string(), v.maxLength(500, 'is longer than 500 characters'))),
  jurisdiction: v.optional(v.pipe(v.string(), v.maxLength(200, 'is longer than 200 characters'))),
  /** What the server speaks; XML is GeoReport's required format and the default. */
  format: v.optional(v.picklist(['xml', 'json'], 'is xml or json')),
  /** Our service id → their service_code. A request for a service not named here uses `defaultServiceCode`, else waits for staff. */
  services: v.record(v.string(), code),
  defaultServiceCode: v.optional(code),
  /** Our field id → their attribute code, sent as attribute[code]. Fields not named are only in the description. */
  attributes: v.optional(v.record(v.string(), code)),
  /** Several values of one attribute: repeated `attribute[x]=` (what mySociety's endpoint reads, default) or `attribute[x][]=`. */
  multiValue: v.optional(v.picklist(['repeat', 'brackets'], 'is repeat or brackets')),
  /** Their attribute that takes our reference (mySociety: fixmystreet_id); the reference is in the description always. */
  referenceAttribute: v.optional(code),
  /** Send the resident's name, phone and email (first_name, last_name, phone, email). Default: no. */
  sendContact: v.optional(v.boolean('is true or false')),
  /** The server offers mySociety's servicerequestupdates (comments and extended statuses). Default: yes. */
  updates: v.optional(v.boolean('is true or false')),
  /** Before sending again after an answer was lost, look the request up by our reference in GET requests (default: yes). */
  lookup: v.optional(v.boolean('is true or false')),
});
export type Open311Endpoint = v.InferOutput<typeof Open311EndpointSchema>;

/** The department's endpoint, or null (a department without one is not delivered to). */
export async function endpointOf(q: Queryable, departmentId: string): Promise<Open311Endpoint | null> {
  const rows = await q.query<{ open311: Open311Endpoint | null }>('SELECT open311 FROM departments WHERE id = $1', [departmentId]);
  const raw = rows[0]?.open311;
  if (!raw) return null;
  const parsed = v.safeParse(Open311EndpointSchema, raw);
  return parsed.success ? parsed.output : null;
}

/** Writes (or clears) a department's endpoint; called by the catalogue's department writes (catalogue/store.ts). */
export async function writeEndpoint(q: Queryable, departmentId: string, endpoint: Open311Endpoint | null | undefined): Promise<void> {
  await q.query('UPDATE departments SET open311 = $2 WHERE id = $1', [departmentId, endpoint ? JSON.stringify(endpoint) : null]);
}
