/**
 * The administrators' catalogue API (docs/staff-api.md, "Catalogue"): export and import of the
 * city file, one entry written or removed, the privacy notice. Every change runs in one
 * transaction that bumps the catalogue version (store.ts), so the resident catalogue follows it
 * at once in every process; every change is in the audit log.
 */
import type { Context, Hono } from 'hono';
import type { ServerContext } from '../context.js';
import { HttpError, readBody } from '../http.js';
import type { Queryable } from '../storage/db.js';
import { audit, requireRole } from '../staff/identity.js';
import {
  SECTIONS,
  checkCatalogue,
  checkEntry,
  checkPrivacy,
  entryProblem,
  problemText,
  type Entry,
  type Problem,
  type Section,
} from './catalogue-file.js';
import { prettyJson } from './json-positions.js';
import {
  ImportConflict,
  bumpVersion,
  catalogueSettings,
  catalogueVersion,
  currentPrivacy,
  departmentEntry,
  describeReferences,
  exportCatalogue,
  importCatalogue,
  referencesTo,
  removeAnswer,
  serviceEntry,
  siteEntry,
  writeAnswer,
  writeDepartment,
  writePrivacy,
  writeRoute,
  writeService,
  writeSite,
  CATALOGUE_LOCK,
} from './store.js';
import type { DepartmentRow, ServiceRow, SiteRow } from './catalog.js';

/** A city file is far larger than an API body (64 KiB): up to 8 MiB. */
export const CATALOGUE_FILE_LIMIT = 8 * 1024 * 1024;
const ENTRY_LIMIT = 256 * 1024;

/** 422 with every problem: `fields` (path → message) as everywhere, plus `problems` with lines. */
function problemsResponse(c: Context, status: 409 | 422, message: string, problems: Problem[]): Response {
  const fields: Record<string, string> = {};
  for (const p of problems) fields[p.path || 'body'] ??= p.message;
  return c.json({ error: { code: status === 409 ? 'conflict' : 'validation_failed', message, fields, problems: problems.map((p) => ({ ...p, text: problemText(p) })) } }, status);
}

async function bodyText(c: Context, limit: number): Promise<string> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) throw new HttpError('unsupported_media_type', 'Send the body as application/json');
  return new TextDecoder('utf-8', { fatal: false }).decode(await readBody(c, limit));
}

class DryRun extends Error {
  constructor(readonly result: unknown) {
    super('dry run');
  }
}

const isSection = (s: string): s is Section => (SECTIONS as readonly string[]).includes(s);

/** A route's id in the URL: `<service>@<site>` (neither has an @). */
const routeId = (service: string, site: string) => `${service}@${site}`;

/** The entry as the file has it now; null when there is none. */
async function currentEntry(q: Queryable, section: Section, id: string): Promise<unknown> {
  switch (section) {
    case 'sites': {
      const rows = await q.query<SiteRow & Record<string, unknown>>('SELECT * FROM sites WHERE id = $1', [id]);
      return rows[0] ? siteEntry(rows[0], await catalogueSettings(q)) : null;
    }
    case 'departments': {
      const rows = await q.query<DepartmentRow & Record<string, unknown>>('SELECT * FROM departments WHERE id = $1', [id]);
      return rows[0] ? departmentEntry(rows[0]) : null;
    }
    case 'services': {
      const rows = await q.query<ServiceRow & Record<string, unknown>>('SELECT * FROM services WHERE id = $1', [id]);
      return rows[0] ? serviceEntry(rows[0]) : null;
    }
    case 'routes': {
      const [service, site] = splitRoute(id);
      const rows = await q.query<{ department_id: string }>('SELECT department_id FROM routing_rules WHERE service_id = $1 AND site_id = $2', [service, site]);
      return rows[0] ? { service, site, department: rows[0].department_id } : null;
    }
    case 'answers': {
      const file = await exportAnswer(q, id);
      return file;
    }
  }
}

async function exportAnswer(q: Queryable, id: string): Promise<unknown> {
  // Small and rare: read through the export, which knows how rows make an answer.
  const all = await exportCatalogue(q);
  return all.answers.find((a) => a.id === id) ?? null;
}

function splitRoute(id: string): [string, string] {
  const at = id.indexOf('@');
  if (at <= 0) throw new HttpError('not_found', 'A route is named <service>@<site>, e.g. neighbour-dispute@riverside/xinhua');
  return [id.slice(0, at), id.slice(at + 1)];
}

/** Top-level keys whose values differ, with before and after when they are small. */
function changes(before: unknown, after: unknown): Record<string, unknown> {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  const detail: Record<string, unknown> = { changed: keys };
  const small = JSON.stringify(keys.map((k) => [b[k], a[k]]));
  if (small.length <= 2000) {
    detail.before = Object.fromEntries(keys.filter((k) => k in b).map((k) => [k, b[k]]));
    detail.after = Object.fromEntries(keys.filter((k) => k in a).map((k) => [k, a[k]]));
  }
  return detail;
}

const exists = async (q: Queryable, table: 'sites' | 'departments' | 'services', id: string) =>
  (await q.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).length > 0;

/** The references one entry makes, checked against the catalogue in the database. */
async function entryReferenceProblems(q: Queryable, section: Section, entry: Entry<Section>): Promise<{ problems: Problem[]; conflict?: string }> {
  const problems: Problem[] = [];
  const need = async (key: string, table: 'sites' | 'departments' | 'services', id: string | null | undefined) => {
    if (id && !(await exists(q, table, id))) problems.push(entryProblem([key], `unknown ${table.slice(0, -1)} ${JSON.stringify(id)}`));
  };
  if (section === 'sites') {
    const s = entry as Entry<'sites'>;
    await need('parent', 'sites', s.parent);
    // The new parent must not be the site itself or one of the sites below it.
    for (let p = s.parent, guard = 0; p && guard < 50; guard++) {
      if (p === s.id) {
        problems.push(entryProblem(['parent'], `${JSON.stringify(s.parent)} is ${s.parent === s.id ? 'the site itself' : 'below this site'}: a site cannot be inside itself`));
        break;
      }
      p = (await q.query<{ parent_id: string | null }>('SELECT parent_id FROM sites WHERE id = $1', [p]))[0]?.parent_id ?? null;
    }
  } else if (section === 'departments') {
    const d = entry as Entry<'departments'>;
    const rows = await q.query<{ is_dispatch: boolean }>('SELECT is_dispatch FROM departments WHERE id = $1', [d.id]);
    if (rows[0]?.is_dispatch && !d.dispatch) {
      return { problems, conflict: `${JSON.stringify(d.id)} is the dispatch centre: mark another department "dispatch": true first` };
    }
  } else if (section === 'services') {
    await need('department', 'departments', (entry as Entry<'services'>).department);
  } else if (section === 'routes') {
    const r = entry as Entry<'routes'>;
    await need('service', 'services', r.service);
    await need('site', 'sites', r.site);
    await need('department', 'departments', r.department);
  } else if (section === 'answers') {
    await need('service', 'services', (entry as Entry<'answers'>).service);
  }
  return { problems };
}

async function writeEntry(q: Queryable, section: Section, entry: Entry<Section>): Promise<void> {
  switch (section) {
    case 'sites':
      return writeSite(q, entry as Entry<'sites'>, null, await catalogueSettings(q));
    case 'departments':
      return writeDepartment(q, entry as Entry<'departments'>, null);
    case 'services':
      return writeService(q, entry as Entry<'services'>, null);
    case 'routes':
      return writeRoute(q, entry as Entry<'routes'>, null);
    case 'answers':
      return writeAnswer(q, entry as Entry<'answers'>, null);
  }
}

/** A new privacy version when none is given: the date in the city's time zone, .2 .3 … when taken. */
async function nextPrivacyVersion(q: Queryable): Promise<string> {
  const { timezone } = await catalogueSettings(q);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const taken = new Set((await q.query<{ version: string }>('SELECT version FROM consent_notices')).map((r) => r.version));
  let version = day;
  for (let n = 2; taken.has(version); n++) version = `${day}.${n}`;
  return version;
}

export function registerCatalogueAdmin(app: Hono, ctx: ServerContext): void {
  app.get('/staff/catalogue', async (c) => {
    const user = requireRole(c, 'administrator', 'supervisor');
    const { file, version } = await ctx.db.tx(async (q) => ({ file: await exportCatalogue(q), version: await catalogueVersion(q) }));
    // Every read of the whole file is an export; `?download=1` marks the console's download button.
    await audit(ctx, user, 'export', { kind: 'catalogue', id: 'catalogue' }, { version, download: c.req.query('download') === '1' });
    const day = new Date().toISOString().slice(0, 10);
    return c.body(prettyJson(file), 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="catalogue-${day}.json"`,
      'x-catalogue-version': String(version),
    });
  });

  app.put('/staff/catalogue', async (c) => {
    const user = requireRole(c, 'administrator');
    const dryRun = ['1', 'true'].includes(c.req.query('dryRun') ?? '');
    const checked = checkCatalogue(await bodyText(c, CATALOGUE_FILE_LIMIT));
    if (!checked.ok) {
      const n = checked.problems.length;
      return problemsResponse(c, 422, `The catalogue file has ${n} problem${n === 1 ? '' : 's'}; nothing was changed`, checked.problems);
    }
    try {
      const result = await ctx.db.tx(async (q) => {
        const counts = await importCatalogue(q, checked.value);
        const out = { dryRun, version: dryRun ? await catalogueVersion(q) - 1 : await catalogueVersion(q), counts };
        if (dryRun) throw new DryRun(out);
        return out;
      });
      await audit(ctx, user, 'import', { kind: 'catalogue', id: 'catalogue' }, { version: result.version, ...result.counts });
      return c.json(result);
    } catch (err) {
      if (err instanceof DryRun) return c.json(err.result);
      if (err instanceof ImportConflict) {
        return problemsResponse(c, 409, 'The file leaves out entries that are still in use; nothing was changed', err.problems);
      }
      throw foreignKeyConflict(err);
    }
  });

  app.put('/staff/catalogue/privacy', async (c) => {
    const user = requireRole(c, 'administrator');
    const checked = checkPrivacy(await bodyText(c, ENTRY_LIMIT));
    if (!checked.ok) return problemsResponse(c, 422, 'The privacy notice is not valid', checked.problems);
    const result = await ctx.db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1)', [CATALOGUE_LOCK]);
      const before = await currentPrivacy(q);
      const version = checked.value.version ?? (await nextPrivacyVersion(q));
      if (version !== before?.version && (await q.query('SELECT 1 FROM consent_notices WHERE version = $1', [version])).length) {
        throw new HttpError('conflict', `Version ${version} was used before: give a new version, or none to have one made`);
      }
      const privacy = { version, texts: checked.value.texts };
      const kind = await writePrivacy(q, privacy);
      return { privacy: (await currentPrivacy(q))!, renewed: kind === 'new', version: await bumpVersion(q), before };
    });
    await audit(ctx, user, 'catalogue_change', { kind: 'privacy', id: result.privacy.version }, {
      section: 'privacy', id: result.privacy.version, change: result.renewed ? 'new_version' : 'texts', ...changes(result.before, result.privacy),
    });
    return c.json({ privacy: result.privacy, renewed: result.renewed, version: result.version });
  });

  app.put('/staff/catalogue/:section/:id{.+}', async (c) => {
    const user = requireRole(c, 'administrator');
    const section = c.req.param('section');
    if (!isSection(section)) throw new HttpError('not_found', `No catalogue section ${section} (${SECTIONS.join(', ')}, privacy)`);
    const id = c.req.param('id');
    const text = await bodyText(c, ENTRY_LIMIT);
    let value = text;
    // The id is the URL's; a body without one takes it.
    try {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        const o = body as Record<string, unknown>;
        // Put in front on the first line, so every line of the body keeps its number in problems.
        const add = (pairs: Record<string, string>) => {
          const members = Object.entries(pairs).map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(', ');
          value = Object.keys(o).length ? text.replace(/^\s*\{/, (m) => `${m}${members}, `) : `{${members}}`;
        };
        if (section === 'routes') {
          const [service, site] = splitRoute(id);
          if (!('service' in o) && !('site' in o)) add({ service, site });
        } else if (!('id' in o)) add({ id });
      }
    } catch {
      // Reported with its line by checkEntry.
    }
    const checked = checkEntry(section, value);
    if (!checked.ok) return problemsResponse(c, 422, `The ${section.slice(0, -1)} is not valid`, checked.problems);
    const entry = checked.value;
    const entryId = section === 'routes' ? routeId((entry as Entry<'routes'>).service, (entry as Entry<'routes'>).site) : (entry as { id: string }).id;
    if (entryId !== id) {
      const path = section === 'routes' ? 'service' : 'id';
      return problemsResponse(c, 422, `The ${section.slice(0, -1)} is not valid`, [entryProblem([path], `the body names ${JSON.stringify(entryId)} but the address ${JSON.stringify(id)}`)]);
    }
    const outcome = await ctx.db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1)', [CATALOGUE_LOCK]);
      const refs = await entryReferenceProblems(q, section, entry);
      if (refs.conflict) throw new HttpError('conflict', refs.conflict);
      if (refs.problems.length) return { problems: refs.problems, before: null, after: null, version: 0 };
      const before = await currentEntry(q, section, id);
      await writeEntry(q, section, entry);
      const after = await currentEntry(q, section, id);
      return { problems: null, before, after, version: await bumpVersion(q) };
    });
    if (outcome.problems) return problemsResponse(c, 422, `The ${section.slice(0, -1)} refers to what the catalogue does not have`, outcome.problems);
    await audit(ctx, user, 'catalogue_change', { kind: section.slice(0, -1), id }, {
      section, id, change: outcome.before ? 'replace' : 'create', ...changes(outcome.before, outcome.after),
    });
    return c.json({ entry: outcome.after, created: !outcome.before, version: outcome.version }, outcome.before ? 200 : 201);
  });

  app.delete('/staff/catalogue/:section/:id{.+}', async (c) => {
    const user = requireRole(c, 'administrator');
    const section = c.req.param('section');
    if (!isSection(section)) throw new HttpError('not_found', `No catalogue section ${section} (${SECTIONS.join(', ')})`);
    const id = c.req.param('id');
    const outcome = await ctx.db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1)', [CATALOGUE_LOCK]);
      const before = await currentEntry(q, section, id);
      if (!before) throw new HttpError('not_found', `No ${section.slice(0, -1)} ${JSON.stringify(id)} in the catalogue`);
      await remove(q, section, id);
      return { before, version: await bumpVersion(q) };
    }).catch((err: unknown) => {
      throw foreignKeyConflict(err);
    });
    await audit(ctx, user, 'catalogue_change', { kind: section.slice(0, -1), id }, { section, id, change: 'delete', before: outcome.before });
    return c.json({ deleted: id, version: outcome.version });
  });
}

async function remove(q: Queryable, section: Section, id: string): Promise<void> {
  if (section === 'routes') {
    const [service, site] = splitRoute(id);
    await q.query('DELETE FROM routing_rules WHERE service_id = $1 AND site_id = $2', [service, site]);
    return;
  }
  if (section === 'answers') {
    await removeAnswer(q, id);
    return;
  }
  if (section === 'departments') {
    const rows = await q.query<{ is_dispatch: boolean }>('SELECT is_dispatch FROM departments WHERE id = $1', [id]);
    if (rows[0]?.is_dispatch) throw new HttpError('conflict', `${JSON.stringify(id)} is the dispatch centre: mark another department "dispatch": true first`);
  }
  const refs = await referencesTo(q, section, id);
  if (refs.length) {
    const what = section.slice(0, -1);
    throw new HttpError('conflict', `The ${what} ${JSON.stringify(id)} is still in use: ${describeReferences(refs)}. Move or remove those first${
      refs.some((r) => r.table === 'requests' || r.table === 'conversations') ? ' (requests and conversations on record keep it: it cannot be removed, only renamed)' : ''}`);
  }
  await q.query(`DELETE FROM ${section} WHERE id = $1`, [id]);
}

/** A row of another room (an account, a canned reply …) still refers to what was to go. */
function foreignKeyConflict(err: unknown): unknown {
  const e = err as { code?: string; message?: string; detail?: string };
  if (e && e.code === '23503') return new HttpError('conflict', `Still in use elsewhere: ${e.detail ?? e.message ?? 'a row refers to it'}`);
  return err;
}
