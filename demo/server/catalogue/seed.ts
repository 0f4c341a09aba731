/**
 * The demo city (demo-city.json, a city file as any city would import) is loaded at first start,
 * into a database without a catalogue. Later starts leave the catalogue alone: administrators'
 * edits live in the database (docs/staff-api.md, "Catalogue").
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../storage/db.js';
import { checkCatalogue, problemText } from './catalogue-file.js';
import { CATALOGUE_LOCK, catalogueEmpty, importCatalogue } from './store.js';

export const DEMO_CITY = new URL('./demo-city.json', import.meta.url);

/** Loads `file` (the demo city by default) when the database has no catalogue yet; safe at every start. */
export async function seed(db: Db, file: URL | string = DEMO_CITY): Promise<boolean> {
  if (!(await catalogueEmpty(db))) return false;
  const text = await readFile(file, 'utf8');
  const checked = checkCatalogue(text);
  if (!checked.ok) throw new Error(`The catalogue file ${String(file)} is not valid:\n${checked.problems.map(problemText).join('\n')}`);
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [CATALOGUE_LOCK]);
    // Another process may have loaded it while this one waited for the lock.
    if (!(await catalogueEmpty(q))) return false;
    await importCatalogue(q, checked.value);
    return true;
  });
}
