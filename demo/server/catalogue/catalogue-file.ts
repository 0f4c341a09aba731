/**
 * A city's catalogue as one JSON file (docs/staff-api.md, "Catalogue"): the format administrators
 * import and export, and the shape of each entry the per-entity endpoints take. Texts are objects
 * keyed by locale (`{"zh-CN": "…", "en": "…"}`), zh-CN required, any other locale welcome (zh-HK,
 * ug …). `checkCatalogue` reads the file's text and reports every problem with its line, column
 * and path: the schema first, then the references between sections.
 */
import * as v from 'valibot';
import { FIELD_TYPES, REQUEST_KINDS } from '../../../src/client/protocol.js';
import { isUnstorable } from '../http.js';
import { JsonSyntaxError, parseWithPositions, pathOf, positionOf, type Position } from './json-positions.js';
import { Open311EndpointSchema } from '../delivery/config.js';

export const CATALOGUE_FORMAT = 'intake-catalogue';
export const CATALOGUE_VERSION = 1;
export const SECTIONS = ['sites', 'departments', 'services', 'routes', 'answers'] as const;
export type Section = (typeof SECTIONS)[number];

/** zh-CN, en, zh-HK, ug, zh-Hant-TW … (BCP 47 language, optional script and region). */
const LOCALE = /^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2}|-\d{3})?$/;

const str = (max: number) =>
  v.pipe(
    v.string(),
    v.check((s) => !isUnstorable(s), 'contains a character that cannot be stored (U+0000 or a broken surrogate pair)'),
    v.maxLength(max, (i) => `longer than ${max} characters (${i.received.replace(/^"|"$/g, '')})`),
  );
const nonEmpty = (max: number) => v.pipe(str(max), v.check((s) => s.trim().length > 0, 'is empty'));

/** One text per locale; zh-CN always, the other locales optional (the widget falls back to zh-CN). */
const texts = (max: number, required = true) =>
  v.pipe(
    v.record(v.pipe(v.string(), v.regex(LOCALE, (i) => `${i.received} is not a locale (write zh-CN, en, zh-HK …)`)), nonEmpty(max)),
    v.check((t) => !required || typeof t['zh-CN'] === 'string', 'the zh-CN text is missing'),
    v.transform((t) => t as Texts),
  );
export type Texts = { 'zh-CN': string } & Record<string, string>;
const Texts = (max: number) => texts(max);
const OptionalTexts = (max: number) => texts(max, false) as v.GenericSchema<unknown, Record<string, string>>;

/** Lower-case words joined by - / _ (`riverside/xinhua`, `rubbish-collection`). */
const ENTRY_ID = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\/[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)*$/;
const entryId = v.pipe(
  v.string(),
  v.maxLength(120, 'longer than 120 characters'),
  v.regex(ENTRY_ID, (i) => `${i.received} is not an id: lower-case letters, digits, - and _, parts joined by /`),
);
const FIELD_ID = /^[a-z][a-z0-9_]{0,63}$/;

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const hhmm = v.pipe(v.string(), v.regex(HHMM, (i) => `${i.received} is not a time of day (HH:MM, 00:00–23:59)`));
export const OfficeHoursSchema = v.pipe(
  v.strictObject({
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    days: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1, 'weekdays are 1 (Monday) to 7 (Sunday)'), v.maxValue(7, 'weekdays are 1 (Monday) to 7 (Sunday)'))), v.minLength(1, 'name at least one weekday')),
    opens: hhmm,
    closes: hhmm,
  }),
  v.check((h) => !HHMM.test(h.opens) || !HHMM.test(h.closes) || h.opens < h.closes, 'closes before it opens'),
);
export type OfficeHours = v.InferOutput<typeof OfficeHoursSchema>;

const timezone = v.pipe(
  v.string(),
  v.check((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, (i) => `${i.received} is not an IANA time zone (e.g. Asia/Shanghai)`),
);
const referencePrefix = v.pipe(v.string(), v.regex(/^[A-Z]{1,8}$/, (i) => `${i.received} is not a reference prefix (1–8 capital letters)`));
const replyHours = v.pipe(v.number(), v.integer('is not a whole number of hours'), v.minValue(1, 'is under 1 hour'), v.maxValue(24 * 90, 'is over 90 days'));

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = v.pipe(
  v.string(),
  v.regex(DATE, (i) => `${i.received} is not a date (YYYY-MM-DD)`),
  v.check((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), (i) => `${i.received} is not a day of the calendar`),
);
const amount = (max: number) => v.pipe(v.number(), v.minValue(0.25, 'is under a quarter'), v.maxValue(max, `is over ${max}`));

/** A time limit (loop/calendar.ts): clock hours, working hours (office hours of working days) or working days. */
export const DurationSchema = v.union(
  [v.strictObject({ hours: amount(24 * 90) }), v.strictObject({ workingHours: amount(8 * 90) }), v.strictObject({ workingDays: v.pipe(v.number(), v.integer('is not a whole number of days'), v.minValue(1, 'is under 1 day'), v.maxValue(90, 'is over 90 days')) })],
  'is {"hours": N}, {"workingHours": N} or {"workingDays": N}',
);
export type DurationEntry = v.InferOutput<typeof DurationSchema>;

/** Kinds of time limit (docs/staff-api.md, "Deadlines"): urgent 2 hours, utilities 24 hours, general 7 working days, complex 15. */
export const DEADLINE_CLASSES = ['urgent', 'utilities', 'general', 'complex'] as const;
export const DeadlineSchema = v.strictObject({
  class: v.picklist(DEADLINE_CLASSES, (i) => `unknown deadline class ${i.received} (one of ${DEADLINE_CLASSES.join(', ')})`),
  /** The first reply; by default the reply promise (replyHours), never after the resolution. */
  replyWithin: v.optional(DurationSchema),
  /** Resolved (办结); by default the class's limit. */
  resolveWithin: v.optional(DurationSchema),
});
export type DeadlineEntry = v.InferOutput<typeof DeadlineSchema>;

/** One year of the working-day calendar: public holidays and make-up working days (调休). */
export const CalendarYearSchema = v.pipe(
  v.strictObject({
    year: v.pipe(v.number(), v.integer('is not a year'), v.minValue(2000, 'is before 2000'), v.maxValue(2200, 'is after 2200')),
    /** Not the official schedule yet (derived from the statutory holidays until the notice is out). */
    provisional: v.optional(v.boolean()),
    /** The notice the dates come from, or why they are provisional. */
    source: v.optional(str(1000)),
    holidays: v.array(v.pipe(
      v.strictObject({ from: isoDate, to: v.optional(isoDate), names: v.optional(Texts(100)) }),
      v.check((h) => !h.to || h.to >= h.from, 'ends before it starts'),
    )),
    /** Saturdays and Sundays that are working days. */
    workdays: v.array(isoDate),
  }),
  v.check((y) => [...y.holidays.flatMap((h) => [h.from, h.to ?? h.from]), ...y.workdays].every((d) => d.startsWith(`${y.year}-`)), (i) => `a date is not in ${(i.input as { year: number }).year}`),
  v.check((y) => y.workdays.every((d) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())), 'a make-up working day is a Saturday or a Sunday'),
  v.check((y) => y.workdays.every((d) => !y.holidays.some((h) => d >= h.from && d <= (h.to ?? h.from))), 'a day is both a holiday and a make-up working day'),
);
export type CalendarYearEntry = v.InferOutput<typeof CalendarYearSchema>;

export const CalendarSchema = v.strictObject({
  /** Due soon: this long before a limit (default {"workingHours": 4}). */
  dueSoon: v.optional(DurationSchema),
  years: v.array(CalendarYearSchema),
});
export type CalendarEntry = v.InferOutput<typeof CalendarSchema>;

export const SettingsSchema = v.strictObject({
  /** Sites' time zone unless a site says otherwise. */
  timezone: v.optional(timezone, 'Asia/Shanghai'),
  /** Letters before a reference (RS-7KQ2-M9XD-N) unless a site says otherwise. */
  referencePrefix: v.optional(referencePrefix, 'RS'),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;

export const SiteEntrySchema = v.strictObject({
  id: entryId,
  /** The site this one is part of (a street's district, a community's street); null at the top. */
  parent: v.nullable(entryId),
  level: v.picklist(['district', 'street', 'community'], (i) => `unknown level ${i.received} (district, street or community)`),
  names: Texts(200),
  /** When the office answers (the reply promise counts these hours). */
  officeHours: v.array(OfficeHoursSchema),
  /** The reply promise of the site: the first answer within these working hours (8 = one working day). */
  replyHours,
  phone: v.nullable(str(40)),
  /** Only when it differs from `settings.timezone`. */
  timezone: v.optional(timezone),
  /** Only when it differs from `settings.referencePrefix`. */
  referencePrefix: v.optional(referencePrefix),
});
export type SiteEntry = v.InferOutput<typeof SiteEntrySchema>;

export const DepartmentEntrySchema = v.strictObject({
  id: entryId,
  names: Texts(200),
  phone: v.nullable(str(40)),
  /** The intake centre: what no rule routes goes here. Exactly one department has it. */
  dispatch: v.optional(v.literal(true, 'is true or left out')),
  /** The department's own Open311 system: requests routed here are posted to it (delivery/config.ts). */
  open311: v.optional(Open311EndpointSchema),
});
export type DepartmentEntry = v.InferOutput<typeof DepartmentEntrySchema>;

const CHOICE_TYPES = ['single', 'multi'];
const bound = v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date bound is written YYYY-MM-DD'))], 'is a number, or a date as YYYY-MM-DD');
const count = (min: number) => v.pipe(v.number(), v.integer('is not a whole number'), v.minValue(min, `is under ${min}`));

export const FieldOptionSchema = v.strictObject({
  value: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, (i) => `${i.received} is not an option value: lower-case letters, digits, - and _`)),
  labels: Texts(200),
});

export const FieldEntrySchema = v.pipe(
  v.strictObject({
    id: v.pipe(v.string(), v.regex(FIELD_ID, (i) => `${i.received} is not a field id: a lower-case letter, then letters, digits and _`)),
    type: v.picklist(FIELD_TYPES, (i) => `unknown field type ${i.received} (one of ${FIELD_TYPES.join(', ')})`),
    labels: Texts(200),
    required: v.optional(v.boolean()),
    hints: v.optional(Texts(500)),
    /** For `single` and `multi` only. */
    options: v.optional(v.pipe(v.array(FieldOptionSchema), v.minLength(1, 'a choice needs at least one option'))),
    /** Number bounds, or date bounds as YYYY-MM-DD. */
    min: v.optional(bound),
    max: v.optional(bound),
    /** Text length bounds. */
    minLength: v.optional(count(0)),
    maxLength: v.optional(count(1)),
    /** For `file`: how many files the field takes. */
    maxFiles: v.optional(count(1)),
  }),
  v.check((f) => !f.options || CHOICE_TYPES.includes(f.type), (i) => `options on a ${(i.input as { type: string }).type} field: only single and multi fields have options`),
  v.check((f) => !!f.options || !CHOICE_TYPES.includes(f.type), (i) => `a ${(i.input as { type: string }).type} field needs its options`),
  v.check((f) => f.maxFiles === undefined || f.type === 'file', 'maxFiles is for file fields only'),
  v.check((f) => !(f.min !== undefined && f.max !== undefined && typeof f.min === typeof f.max && f.min > f.max), 'min is above max'),
  v.check((f) => !(f.minLength !== undefined && f.maxLength !== undefined && f.minLength > f.maxLength), 'minLength is above maxLength'),
);
export type FieldEntry = v.InferOutput<typeof FieldEntrySchema>;

export const ServiceEntrySchema = v.strictObject({
  id: entryId,
  /** The department in charge unless a route says otherwise. */
  department: entryId,
  /** The heading the widget lists it under. */
  group: Texts(200),
  names: Texts(200),
  descriptions: Texts(1000),
  kinds: v.pipe(
    v.array(v.picklist(REQUEST_KINDS, (i) => `unknown kind ${i.received} (one of ${REQUEST_KINDS.join(', ')})`)),
    v.minLength(1, 'name at least one kind'),
  ),
  /** Words residents use for it, per locale. */
  keywords: v.record(v.pipe(v.string(), v.regex(LOCALE, (i) => `${i.received} is not a locale`)), v.array(nonEmpty(100))),
  fields: v.array(FieldEntrySchema),
  /** A promise of its own (emergencies, utilities), shorter than the site's. */
  replyHours: v.optional(replyHours),
  /** The promise counts clock hours, not office hours. */
  roundTheClock: v.optional(v.boolean()),
  /** Time limits: the class and, optionally, limits of its own (loop/deadlines.ts). */
  deadline: v.optional(DeadlineSchema),
});
export type ServiceEntry = v.InferOutput<typeof ServiceEntrySchema>;

/** Service × site → department; the rule of the nearest site up the chain wins (sites below inherit it). */
export const RouteEntrySchema = v.strictObject({
  service: entryId,
  site: entryId,
  department: entryId,
});
export type RouteEntry = v.InferOutput<typeof RouteEntrySchema>;

/** One instant answer of the knowledge base, in each locale it is written in. */
export const AnswerEntrySchema = v.pipe(
  v.strictObject({
    id: entryId,
    /** The service it leads to ("file a request about …"). */
    service: v.optional(v.nullable(entryId)),
    url: v.optional(v.pipe(str(500), v.url('is not a URL'))),
    questions: Texts(500),
    answers: Texts(4000),
    /** More words to find it by, per locale (space-separated). */
    keywords: v.optional(OptionalTexts(500)),
  }),
  v.check((a) => Object.keys(a.answers).every((l) => l in a.questions) && Object.keys(a.questions).every((l) => l in a.answers),
    'questions and answers are written in different locales'),
);
export type AnswerEntry = v.InferOutput<typeof AnswerEntrySchema>;

export const PrivacySchema = v.strictObject({
  /** Changing it asks every resident to agree again. */
  version: v.pipe(v.string(), v.regex(/^[\w.-]{1,40}$/, (i) => `${i.received} is not a version (letters, digits, . _ -)`)),
  texts: Texts(4000),
});
export type Privacy = v.InferOutput<typeof PrivacySchema>;

export const CatalogueFileSchema = v.strictObject({
  format: v.literal(CATALOGUE_FORMAT, `is "${CATALOGUE_FORMAT}"`),
  version: v.literal(CATALOGUE_VERSION, `is ${CATALOGUE_VERSION} (the only version this server reads)`),
  settings: v.optional(SettingsSchema, {}),
  sites: v.pipe(v.array(SiteEntrySchema), v.minLength(1, 'a catalogue has at least one site')),
  departments: v.pipe(v.array(DepartmentEntrySchema), v.minLength(1, 'a catalogue has at least one department')),
  services: v.array(ServiceEntrySchema),
  routes: v.optional(v.array(RouteEntrySchema), []),
  answers: v.optional(v.array(AnswerEntrySchema), []),
  privacy: PrivacySchema,
  /** The working-day calendar deadlines count on (public holidays and 调休 per year). */
  calendar: v.optional(CalendarSchema),
});
export type CatalogueFile = v.InferOutput<typeof CatalogueFileSchema>;

export const ENTRY_SCHEMAS = {
  sites: SiteEntrySchema,
  departments: DepartmentEntrySchema,
  services: ServiceEntrySchema,
  routes: RouteEntrySchema,
  answers: AnswerEntrySchema,
} as const;
export type Entry<S extends Section> = v.InferOutput<(typeof ENTRY_SCHEMAS)[S]>;

/** One problem of a file or an entry: where it is and what is wrong. */
export interface Problem {
  /** 1-based; absent when the problem is not at one place (a section as a whole). */
  line?: number;
  column?: number;
  /** `services[3].fields[1].type`; '' for the whole file. */
  path: string;
  message: string;
}

/** `line 42: services[3].fields[1].type: unknown field type "dropdown"`. */
export function problemText(p: Problem): string {
  return `${p.line ? `line ${p.line}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`;
}

type Key = string | number;

function issueKeys(issue: v.BaseIssue<unknown>): Key[] {
  return (issue.path ?? []).map((item) => item.key as Key);
}

/** Valibot's issues as problems (the unknown-key message of a strict object made plain). */
function schemaProblems(issues: readonly v.BaseIssue<unknown>[], where: (keys: Key[]) => Position | undefined, prefix: Key[] = []): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const keys = [...prefix, ...issueKeys(issue)];
    let message = issue.message;
    if (issue.expected === 'never' && issue.kind === 'schema') message = `unknown key ${JSON.stringify(keys[keys.length - 1])}`;
    else if (issue.type === 'strict_object' || issue.type === 'object') message = issue.received === 'undefined' ? 'is missing' : `is ${issue.received}, an object was expected`;
    else if (issue.received === 'undefined' && /^Invalid (type|key)/.test(message)) message = 'is missing';
    else if (/^Invalid type: Expected (\w+) but received (.+)$/.exec(message)) {
      const [, expected, received] = /^Invalid type: Expected (\w+) but received (.+)$/.exec(message)!;
      message = `is ${received}, ${/^[aeiou]/.test(expected!) ? 'an' : 'a'} ${expected} was expected`;
    }
    const at = where(keys);
    out.push({ ...(at ? { line: at.line, column: at.column } : {}), path: pathOf(keys), message });
  }
  return out;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Reads JSON text: the syntax error (with its line), or the value and where each part of it is. */
function read(text: string): { ok: true; value: unknown; where: (keys: Key[]) => Position | undefined; duplicates: Problem[] } | { ok: false; problems: Problem[] } {
  try {
    const parsed = parseWithPositions(text);
    return {
      ok: true,
      value: parsed.value,
      where: (keys) => positionOf(parsed.positions, keys),
      duplicates: parsed.duplicates.map((d) => ({ line: d.at.line, column: d.at.column, path: d.path, message: 'this key is given twice in the same object' })),
    };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, problems: [{ line: err.line, column: err.column, path: '', message: `not valid JSON: ${err.message}` }] };
    throw err;
  }
}

/** The problems of a whole file's references: duplicates, unknown ids, cycles, the dispatch centre. */
export function referenceProblems(file: CatalogueFile, where: (keys: Key[]) => Position | undefined): Problem[] {
  const out: Problem[] = [];
  const add = (keys: Key[], message: string) => {
    const at = where(keys);
    out.push({ ...(at ? { line: at.line, column: at.column } : {}), path: pathOf(keys), message });
  };
  const ids = <T>(section: Section, list: T[], idOf: (x: T) => string) => {
    const seen = new Map<string, number>();
    list.forEach((x, i) => {
      const id = idOf(x);
      const first = seen.get(id);
      if (first !== undefined) add([section, i], `duplicate ${section === 'routes' ? 'route' : 'id'} ${JSON.stringify(id)} (also ${section}[${first}])`);
      else seen.set(id, i);
    });
    return seen;
  };
  const sites = ids('sites', file.sites, (s) => s.id);
  const departments = ids('departments', file.departments, (d) => d.id);
  const services = ids('services', file.services, (s) => s.id);
  ids('routes', file.routes, (r) => `${r.service} @ ${r.site}`);
  ids('answers', file.answers, (a) => a.id);

  file.sites.forEach((s, i) => {
    if (s.parent !== null && !sites.has(s.parent)) add(['sites', i, 'parent'], `unknown site ${JSON.stringify(s.parent)}`);
  });
  // A parent chain that comes back to where it started never reaches the top.
  const byId = new Map(file.sites.map((s) => [s.id, s]));
  file.sites.forEach((s, i) => {
    const seen = new Set<string>([s.id]);
    for (let p = s.parent; p !== null; p = byId.get(p)?.parent ?? null) {
      if (seen.has(p)) {
        if (p === s.id) add(['sites', i, 'parent'], `the parents of ${JSON.stringify(s.id)} come back to it`);
        break;
      }
      seen.add(p);
    }
  });
  const dispatch = file.departments.filter((d) => d.dispatch);
  if (dispatch.length === 0) add(['departments'], 'no department is the dispatch centre: mark one with "dispatch": true');
  file.departments.forEach((d, i) => {
    if (d.dispatch && dispatch[0] !== d) add(['departments', i, 'dispatch'], `only one dispatch centre (already ${JSON.stringify(dispatch[0]!.id)})`);
  });
  file.services.forEach((s, i) => {
    if (!departments.has(s.department)) add(['services', i, 'department'], `unknown department ${JSON.stringify(s.department)}`);
    out.push(...fieldProblems(s, (keys) => where(['services', i, ...keys])).map((p) => ({ ...p, path: pathOf(['services', i]) + (p.path.startsWith('[') ? '' : '.') + p.path })));
  });
  file.routes.forEach((r, i) => {
    if (!services.has(r.service)) add(['routes', i, 'service'], `unknown service ${JSON.stringify(r.service)}`);
    if (!sites.has(r.site)) add(['routes', i, 'site'], `unknown site ${JSON.stringify(r.site)}`);
    if (!departments.has(r.department)) add(['routes', i, 'department'], `unknown department ${JSON.stringify(r.department)}`);
  });
  file.answers.forEach((a, i) => {
    if (a.service && !services.has(a.service)) add(['answers', i, 'service'], `unknown service ${JSON.stringify(a.service)}`);
  });
  const years = new Map<number, number>();
  file.calendar?.years.forEach((y, i) => {
    const first = years.get(y.year);
    if (first !== undefined) add(['calendar', 'years', i, 'year'], `duplicate year ${y.year} (also calendar.years[${first}])`);
    else years.set(y.year, i);
  });
  return out;
}

/** Within one service: field ids and option values given twice. */
export function fieldProblems(service: ServiceEntry, where: (keys: Key[]) => Position | undefined): Problem[] {
  const out: Problem[] = [];
  const add = (keys: Key[], message: string) => {
    const at = where(keys);
    out.push({ ...(at ? { line: at.line, column: at.column } : {}), path: pathOf(keys), message });
  };
  const fieldIds = new Map<string, number>();
  service.fields.forEach((f, j) => {
    const first = fieldIds.get(f.id);
    if (first !== undefined) add(['fields', j, 'id'], `duplicate field id ${JSON.stringify(f.id)} (also fields[${first}])`);
    else fieldIds.set(f.id, j);
    const values = new Map<string, number>();
    f.options?.forEach((o, k) => {
      const firstOption = values.get(o.value);
      if (firstOption !== undefined) add(['fields', j, 'options', k, 'value'], `duplicate option value ${JSON.stringify(o.value)} (also options[${firstOption}])`);
      else values.set(o.value, k);
    });
  });
  return out;
}

const byLine = (a: Problem, b: Problem) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);

/** Checks a city file's text: every problem, sorted by line, or the file. */
export function checkCatalogue(text: string): Checked<CatalogueFile> {
  const got = read(text);
  if (!got.ok) return got;
  const parsed = v.safeParse(CatalogueFileSchema, got.value);
  if (!parsed.success) return { ok: false, problems: [...got.duplicates, ...schemaProblems(parsed.issues, got.where)].sort(byLine) };
  const problems = [...got.duplicates, ...referenceProblems(parsed.output, got.where)].sort(byLine);
  return problems.length ? { ok: false, problems } : { ok: true, value: parsed.output };
}

/** Checks one entry's text (a per-entity PUT body) against its section's schema. */
export function checkEntry<S extends Section>(section: S, text: string): Checked<Entry<S>> {
  const got = read(text);
  if (!got.ok) return got;
  const parsed = v.safeParse(ENTRY_SCHEMAS[section] as v.GenericSchema<unknown, Entry<S>>, got.value);
  if (!parsed.success) return { ok: false, problems: [...got.duplicates, ...schemaProblems(parsed.issues, got.where)].sort(byLine) };
  const problems = [...got.duplicates];
  if (section === 'services') problems.push(...fieldProblems(parsed.output as ServiceEntry, got.where));
  return problems.length ? { ok: false, problems: problems.sort(byLine) } : { ok: true, value: parsed.output };
}

/** Checks the privacy body (`{version?, texts}`). */
export const PrivacyInputSchema = v.strictObject({
  version: v.optional(PrivacySchema.entries.version),
  texts: PrivacySchema.entries.texts,
});
export function checkPrivacy(text: string): Checked<v.InferOutput<typeof PrivacyInputSchema>> {
  const got = read(text);
  if (!got.ok) return got;
  const parsed = v.safeParse(PrivacyInputSchema, got.value);
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.issues, got.where) };
  return got.duplicates.length ? { ok: false, problems: got.duplicates } : { ok: true, value: parsed.output };
}

/** A problem found outside the text (a reference to the database), at the entry's path. */
export function entryProblem(path: Key[], message: string): Problem {
  return { path: pathOf(path), message };
}
