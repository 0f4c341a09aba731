/** Labels and formatting for the console (an English staff tool, so no i18n here). */
import type { FieldValue } from '../../src/client/protocol.js';

const STATUS_LABELS: Record<string, string> = {
  received: 'Received',
  routed: 'Routed',
  in_progress: 'In progress',
  replied: 'Replied',
  resolved: 'Resolved',
  closed: 'Closed',
  open: 'Open',
  waiting: 'Waiting',
};

const KIND_LABELS: Record<string, string> = {
  consultation: 'Consultation',
  help: 'Help request',
  complaint: 'Complaint',
  suggestion: 'Suggestion',
};

export const statusLabel = (status: string) => STATUS_LABELS[status] ?? status;
export const kindLabel = (kind: string) => KIND_LABELS[kind] ?? kind;

const timeOnly = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

/** "14:05" today, "3 Mar 14:05" otherwise. */
export function shortTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return at.toDateString() === now.toDateString() ? timeOnly.format(at) : dateTime.format(at);
}

export function fullTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : full.format(at);
}

export function minutesLabel(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '–';
  if (minutes < 1) return '< 1 min';
  if (minutes < 90) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

export function percent(share: number | null | undefined): string {
  return share === null || share === undefined ? '–' : `${Math.round(share * 100)} %`;
}

export function rating(average: number | null | undefined): string {
  return average === null || average === undefined ? '–' : average.toFixed(1);
}

/** A filled form value as one line of plain text. */
export function fieldText(value: FieldValue): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
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
