/** Writes the seed data; safe to run at every start (upserts, nothing duplicated). */
import type { Db } from '../storage/db.js';
import { CONSENT, DEPARTMENTS, KNOWLEDGE, ROUTING_RULES, SERVICES, SITES } from './seed-data.js';

export async function seed(db: Db): Promise<void> {
  await db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(727102)');
    for (const [i, d] of DEPARTMENTS.entries()) {
      await q.query(
        `INSERT INTO departments (id, names, phone, is_dispatch, sort) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET names = EXCLUDED.names, phone = EXCLUDED.phone, is_dispatch = EXCLUDED.is_dispatch, sort = EXCLUDED.sort`,
        [d.id, JSON.stringify(d.names), d.phone, d.dispatch ?? false, i],
      );
    }
    for (const [i, s] of SITES.entries()) {
      await q.query(
        `INSERT INTO sites (id, parent_id, level, names, office_hours, reply_hours, phone, sort) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET parent_id = EXCLUDED.parent_id, level = EXCLUDED.level, names = EXCLUDED.names,
           office_hours = EXCLUDED.office_hours, reply_hours = EXCLUDED.reply_hours, phone = EXCLUDED.phone, sort = EXCLUDED.sort`,
        [s.id, s.parent, s.level, JSON.stringify(s.names), JSON.stringify(s.officeHours), s.replyHours, s.phone, i],
      );
    }
    for (const [i, s] of SERVICES.entries()) {
      await q.query(
        `INSERT INTO services (id, department_id, names, groups, descriptions, kinds, keywords, fields, reply_hours, round_the_clock, sort)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET department_id = EXCLUDED.department_id, names = EXCLUDED.names, groups = EXCLUDED.groups,
           descriptions = EXCLUDED.descriptions, kinds = EXCLUDED.kinds, keywords = EXCLUDED.keywords, fields = EXCLUDED.fields,
           reply_hours = EXCLUDED.reply_hours, round_the_clock = EXCLUDED.round_the_clock, sort = EXCLUDED.sort`,
        [s.id, s.department, JSON.stringify(s.names), JSON.stringify(s.group), JSON.stringify(s.description), s.kinds,
          JSON.stringify(s.keywords), JSON.stringify(s.fields), s.replyHours ?? null, s.roundTheClock ?? false, i],
      );
    }
    for (const r of ROUTING_RULES) {
      await q.query(
        `INSERT INTO routing_rules (service_id, site_id, department_id) VALUES ($1, $2, $3)
         ON CONFLICT (service_id, site_id) DO UPDATE SET department_id = EXCLUDED.department_id`,
        [r.service, r.site, r.department],
      );
    }
    for (const k of KNOWLEDGE) {
      for (const [locale, [question, answer, keywords]] of [['zh-CN', k.zh], ['en', k.en]] as const) {
        await q.query(
          `INSERT INTO knowledge (id, locale, question, answer, keywords, service_id) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO UPDATE SET question = EXCLUDED.question, answer = EXCLUDED.answer, keywords = EXCLUDED.keywords, service_id = EXCLUDED.service_id`,
          [`${k.id}.${locale}`, locale, question, answer, keywords ?? '', k.service ?? null],
        );
      }
    }
    await q.query('UPDATE consent_notices SET current = false WHERE version <> $1', [CONSENT.version]);
    await q.query(
      `INSERT INTO consent_notices (version, texts, current) VALUES ($1, $2, true)
       ON CONFLICT (version) DO UPDATE SET texts = EXCLUDED.texts, current = true`,
      [CONSENT.version, JSON.stringify(CONSENT.texts)],
    );
  });
}
