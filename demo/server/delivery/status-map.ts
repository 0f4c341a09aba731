/**
 * A department system's statuses mapped to ours: GeoReport's open/closed and the extended ones
 * of mySociety's servicerequestupdates (FIXED, IN_PROGRESS, ACTION_SCHEDULED, …; written in any
 * case, with _ or spaces), and the note the resident's timeline gets for each, in four locales.
 */
import type { RequestStatus } from '../../../src/client/protocol.js';
import type { Locale } from '../catalogue/catalog.js';

export type RemoteStatus =
  | 'open' | 'closed' | 'fixed' | 'in_progress' | 'action_scheduled' | 'investigating' | 'duplicate'
  | 'not_councils_responsibility' | 'no_further_action' | 'internal_referral' | 'reopen' | 'for_triage';

const OURS: Record<RemoteStatus, RequestStatus | null> = {
  // Still open over there: nothing to change here (a reopen is said as `reopen`).
  open: null,
  for_triage: 'in_progress',
  investigating: 'in_progress',
  in_progress: 'in_progress',
  action_scheduled: 'in_progress',
  internal_referral: 'in_progress',
  reopen: 'in_progress',
  fixed: 'resolved',
  closed: 'resolved',
  // Answered, not fixed: the resident reads why and may rate it or say it is not solved.
  duplicate: 'replied',
  not_councils_responsibility: 'replied',
  no_further_action: 'replied',
};

/** Their status, normalised (`NOT_COUNCILS_RESPONSIBILITY`, `not councils responsibility` → not_councils_responsibility); null when unknown. */
export function remoteStatus(raw: string | null | undefined): RemoteStatus | null {
  const s = (raw ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (s === 'not_responsible') return 'not_councils_responsibility';
  if (s === 'unable_to_fix') return 'no_further_action';
  if (s === 'planned') return 'action_scheduled';
  return s in OURS ? (s as RemoteStatus) : null;
}

export function ourStatus(remote: RemoteStatus): RequestStatus | null {
  return OURS[remote];
}

const NOTES: Record<RemoteStatus, Record<Locale, string>> = {
  open: { 'zh-CN': '承办部门系统：已受理', 'zh-HK': '承辦部門系統：已受理', en: "The department's system: open", ug: 'تارماق سىستېمىسى: قوبۇل قىلىندى' },
  for_triage: { 'zh-CN': '承办部门系统：待分拣', 'zh-HK': '承辦部門系統：待分流', en: "The department's system: waiting to be sorted", ug: 'تارماق سىستېمىسى: تەقسىملىنىشنى كۈتمەكتە' },
  investigating: { 'zh-CN': '承办部门系统：正在调查', 'zh-HK': '承辦部門系統：正在調查', en: "The department's system: investigating", ug: 'تارماق سىستېمىسى: تەكشۈرۈلمەكتە' },
  in_progress: { 'zh-CN': '承办部门系统：正在办理', 'zh-HK': '承辦部門系統：正在處理', en: "The department's system: in progress", ug: 'تارماق سىستېمىسى: بىر تەرەپ قىلىنماقتا' },
  action_scheduled: { 'zh-CN': '承办部门系统：已安排处理', 'zh-HK': '承辦部門系統：已安排處理', en: "The department's system: action scheduled", ug: 'تارماق سىستېمىسى: بىر تەرەپ قىلىش ئورۇنلاشتۇرۇلدى' },
  internal_referral: { 'zh-CN': '承办部门系统：已转内部处理', 'zh-HK': '承辦部門系統：已轉內部處理', en: "The department's system: passed on within the department", ug: 'تارماق سىستېمىسى: ئىچكى قىسىمغا يۆتكەلدى' },
  reopen: { 'zh-CN': '承办部门系统：重新办理', 'zh-HK': '承辦部門系統：重新處理', en: "The department's system: reopened", ug: 'تارماق سىستېمىسى: قايتا بىر تەرەپ قىلىنماقتا' },
  fixed: { 'zh-CN': '承办部门系统：已修复', 'zh-HK': '承辦部門系統：已修復', en: "The department's system: fixed", ug: 'تارماق سىستېمىسى: ئوڭشالدى' },
  closed: { 'zh-CN': '承办部门系统：已办结', 'zh-HK': '承辦部門系統：已完結', en: "The department's system: closed", ug: 'تارماق سىستېمىسى: تاماملاندى' },
  duplicate: { 'zh-CN': '承办部门系统：与已有诉求重复', 'zh-HK': '承辦部門系統：與已有個案重複', en: "The department's system: a duplicate of an earlier report", ug: 'تارماق سىستېمىسى: ئىلگىرىكى ئىنكاس بىلەن تەكرارلاندى' },
  not_councils_responsibility: { 'zh-CN': '承办部门系统：不属于本部门职责', 'zh-HK': '承辦部門系統：不屬本部門職責', en: "The department's system: not this department's responsibility", ug: 'تارماق سىستېمىسى: بۇ تارماقنىڭ مەسئۇلىيىتى ئەمەس' },
  no_further_action: { 'zh-CN': '承办部门系统：不再进一步处理', 'zh-HK': '承辦部門系統：不會再作跟進', en: "The department's system: no further action", ug: 'تارماق سىستېمىسى: ئارتۇق تەدبىر قوللىنىلمايدۇ' },
};

/** The timeline note for their status, in the request's locale. */
export function statusNote(remote: RemoteStatus, locale: Locale): string {
  return NOTES[remote][locale] ?? NOTES[remote]['zh-CN'];
}
