/**
 * Labels and formatting shared by the console's views, in the console's language (i18n.ts):
 * kinds and statuses from the `common` namespace, times with their date in a site's time zone.
 */
import type { FieldValue } from '../../src/client/protocol.js';
import { dateTime, fullDateTime, language, number, shortDateTime, t } from './i18n.js';

const STATUSES = new Set(['received', 'routed', 'in_progress', 'replied', 'resolved', 'closed', 'open', 'waiting']);
const KINDS = new Set(['consultation', 'help', 'complaint', 'suggestion']);

/** 待派单 / Received …; an unknown status as it is. */
export const statusLabel = (status: string) => (STATUSES.has(status) ? t(`common:status.${status}`) : status);
/** 投诉 / Complaint …; an unknown kind as it is. */
export const kindLabel = (kind: string) => (KINDS.has(kind) ? t(`common:kind.${kind}`) : kind);

/** "14:05" today, "3月3日 14:05" / "3 Mar, 14:05" otherwise; in `timeZone` (a site's) when given. */
export function shortTime(iso: string, now = new Date(), timeZone?: string): string {
  return shortDateTime(iso, timeZone, now);
}

/** Date and time to the second, with the zone (titles, tooltips). */
export function fullTime(iso: string, timeZone?: string): string {
  return fullDateTime(iso, timeZone);
}

/** Date and time, always both ("2026年3月3日 14:05"). */
export function dateAndTime(iso: string, timeZone?: string): string {
  return dateTime(iso, timeZone);
}

export function minutesLabel(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return t('common:none');
  if (minutes < 1) return t('common:duration.underMinute');
  if (minutes < 90) return t('common:duration.minutes', { n: number(Math.round(minutes)) });
  const hours = minutes / 60;
  if (hours < 48) return t('common:duration.hours', { n: number(hours, { maximumFractionDigits: 1, minimumFractionDigits: 1 }) });
  return t('common:duration.days', { n: number(hours / 24, { maximumFractionDigits: 1, minimumFractionDigits: 1 }) });
}

export function percent(share: number | null | undefined): string {
  return share === null || share === undefined ? t('common:none') : t('common:percent', { n: number(Math.round(share * 100)) });
}

export function rating(average: number | null | undefined): string {
  return average === null || average === undefined ? t('common:none') : average.toFixed(1);
}

/** A filled form value as one line of plain text. */
export function fieldText(value: FieldValue): string {
  if (Array.isArray(value)) return value.join(t('common:listSeparator'));
  if (typeof value === 'boolean') return value ? t('common:yes') : t('common:no');
  if (typeof value === 'object' && value !== null) {
    const parts = [value.address, value.lat !== undefined && value.lng !== undefined ? `${value.lat}, ${value.lng}` : '']
      .filter(Boolean);
    return parts.join(' · ');
  }
  return String(value);
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A time zone as people call it, in the console's language: Asia/Shanghai is 中国标准时间 /
 * China Standard Time (not its IANA id); a zone the browser does not know, as it is.
 */
export function zoneName(timeZone: string): string {
  try {
    const part = new Intl.DateTimeFormat(language(), { timeZone, timeZoneName: 'long' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
    return part?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}
