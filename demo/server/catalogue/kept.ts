/**
 * The catalogue as filing a request reads it, kept in memory per database and catalogue version
 * (issue 19): sites, services, departments, the routing rules, the current privacy notice's version
 * and the working-day calendar, read once per version in one consistent snapshot instead of five
 * statements per request. Which version is current comes from catalog.ts `keptStamp` — from memory
 * on PGlite (forgotten on the notice every edit sends in its own transaction), read (coalesced) on
 * PostgreSQL — so an edit reaches the very next request, in this process or another.
 */
import type { Db, Queryable } from '../storage/db.js';
import { WorkingCalendar, type CalendarData } from '../loop/calendar.js';
import { catalogueStamp } from './store.js';
import { keptStamp, type DepartmentRow, type ServiceRow, type SiteRow } from './catalog.js';

export interface KeptCatalogue {
  /** The version it was read at (`version` and when it was made). */
  stamp: { version: number; at: string };
  sites: Map<string, SiteRow>;
  services: Map<string, ServiceRow>;
  departments: Map<string, DepartmentRow>;
  /** The intake centre's department (the first marked dispatch, by sort and id). */
  dispatch: DepartmentRow | undefined;
  /** The current privacy notice's version; null when there is none. */
  consentVersion: string | null;
  calendar: WorkingCalendar;
  /** route() of catalog.ts from memory: the nearest site's rule, else the service's owner, else dispatch. */
  route(siteId: string, serviceId: string | null): DepartmentRow;
}

interface Holder {
  key: string;
  value: Promise<KeptCatalogue>;
}
const keptByDb = new WeakMap<Queryable, Holder>();

const stampKey = (s: { version: number; at: string }) => `${s.version}\n${s.at}`;

/**
 * The kept catalogue of the current version (read once per version; calls at once share the read).
 * `tx`: the caller's open transaction (Open311, a work order), which the version and, when it is
 * new, the catalogue are read in — PGlite runs one transaction at a time, so another would wait
 * for this one for ever.
 */
export async function keptCatalogue(db: Db, tx?: Queryable): Promise<KeptCatalogue> {
  const stamp = tx ? await catalogueStamp(tx) : await keptStamp(db);
  const key = stampKey(stamp);
  const held = keptByDb.get(db);
  if (held?.key === key) return held.value;
  if (tx) return readKeptIn(tx, db.engine);
  const holder: Holder = {
    key,
    value: readKept(db).then(
      (kept) => {
        // Read in a snapshot of its own: it may be of a newer version than the one that asked for it.
        if (keptByDb.get(db) === holder) holder.key = stampKey(kept.stamp);
        return kept;
      },
      (err: unknown) => {
        if (keptByDb.get(db) === holder) keptByDb.delete(db);
        throw err;
      },
    ),
  };
  keptByDb.set(db, holder);
  return holder.value;
}

/** Everything in one transaction (repeatable read on PostgreSQL): the tables and the version agree. */
async function readKept(db: Db): Promise<KeptCatalogue> {
  return db.tx(async (q) => readKeptIn(q, db.engine, true));
}

async function readKeptIn(q: Queryable, engine: Db['engine'], own = false): Promise<KeptCatalogue> {
  if (own && engine === 'postgres') await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const state = (await q.query<{ version: string | number; at: string; calendar: CalendarData | null; consent: string | null }>(
    `SELECT version, updated_at::text AS at, calendar, (SELECT version FROM consent_notices WHERE current LIMIT 1) AS consent
     FROM catalogue_state WHERE id = 1`))[0];
  const sites = await q.query<SiteRow & Record<string, unknown>>('SELECT * FROM sites');
  const services = await q.query<ServiceRow & Record<string, unknown>>('SELECT * FROM services');
  const departments = await q.query<DepartmentRow & { sort: number } & Record<string, unknown>>('SELECT * FROM departments ORDER BY sort, id');
  const rules = await q.query<{ service_id: string; site_id: string; department_id: string }>('SELECT service_id, site_id, department_id FROM routing_rules');
  return makeKept(
    { version: Number(state?.version ?? 0), at: state?.at ?? '' },
    sites, services, departments, rules, state?.consent ?? null, new WorkingCalendar(state?.calendar ?? { years: [] }),
  );
}

function makeKept(
  stamp: KeptCatalogue['stamp'],
  siteRows: SiteRow[],
  serviceRows: ServiceRow[],
  departmentRows: DepartmentRow[],
  ruleRows: { service_id: string; site_id: string; department_id: string }[],
  consentVersion: string | null,
  calendar: WorkingCalendar,
): KeptCatalogue {
  const sites = new Map(siteRows.map((s) => [s.id, s]));
  const services = new Map(serviceRows.map((s) => [s.id, s]));
  const departments = new Map(departmentRows.map((d) => [d.id, d]));
  const dispatch = departmentRows.find((d) => d.is_dispatch);
  const rules = new Map(ruleRows.map((r) => [`${r.service_id}\n${r.site_id}`, r.department_id]));
  const routes = new Map<string, DepartmentRow>();
  const route = (siteId: string, serviceId: string | null): DepartmentRow => {
    const key = `${serviceId ?? ''}\n${siteId}`;
    const known = routes.get(key);
    if (known) return known;
    let found: DepartmentRow | undefined;
    const service = serviceId ? services.get(serviceId) : undefined;
    if (service) {
      // The site and its parents, nearest first (at most 10 levels, as siteChain reads them).
      let site = sites.get(siteId);
      for (let depth = 0; site && depth < 10 && !found; depth++) {
        found = departments.get(rules.get(`${service.id}\n${site.id}`) ?? '');
        site = site.parent_id ? sites.get(site.parent_id) : undefined;
      }
      found ??= departments.get(service.department_id);
    }
    found ??= dispatch;
    if (!found) throw new Error('no dispatch department seeded');
    routes.set(key, found);
    return found;
  };
  return { stamp, sites, services, departments, dispatch, consentVersion, calendar, route };
}
