/**
 * The form's data as the resident fills it in (kept as a draft), its checks, and its conversion
 * into the client's `RequestDraft`. No DOM, no Lit: tested through the form.
 */
import type { AttachmentLimits, Catalog, Field, FieldValue, RequestKind, Service } from '../../client/protocol.js';
import { LIMITS } from '../../client/protocol.js';
import { UPLOAD_REF, type RequestDraft } from '../../client/types.js';

export const STEPS = ['kind', 'service', 'details', 'contact', 'check'] as const;
export type Step = (typeof STEPS)[number];

export interface LocationDraft {
  address: string;
  lat?: number;
  lng?: number;
}

/**
 * A file the resident picked; `id` once the upload finished. `key` is its queued upload's key: the
 * bytes wait on the device (`queued`, offline too) until the server has them, after reloads too.
 * `saving` is shown at once, while the bytes are put on the device (a stand-in key until then).
 */
export interface FileItem {
  key: string;
  name: string;
  size: number;
  type: string;
  id?: string;
  loaded: number;
  state: 'saving' | 'queued' | 'uploading' | 'done' | 'failed';
}

export type DraftValue = string | string[] | LocationDraft;

export interface ContactDraft {
  /** undefined until chosen. */
  anonymous?: boolean;
  name: string;
  phone: string;
  email: string;
  preferred: '' | 'phone' | 'email';
  /** Complaints only: the office complained about may see the name and contact (unticked by default). */
  shareWithOffice?: boolean;
}

export interface FormDraft {
  kind?: RequestKind;
  service?: string;
  step: Step;
  description: string;
  values: Record<string, DraftValue>;
  /** Uploaded files per field id (`_attachments` for the general one). */
  files: Record<string, FileItem[]>;
  contact: ContactDraft;
  consent: boolean;
  /** Set once handed to the outbox: a reload then waits for it instead of offering a second send. */
  submittedKey?: string;
}

export const GENERAL_FILES = '_attachments';

export function emptyDraft(): FormDraft {
  return {
    step: 'kind',
    description: '',
    values: {},
    files: {},
    contact: { name: '', phone: '', email: '', preferred: '' },
    consent: false,
  };
}

/** A draft read back from storage: anything malformed falls back to empty. */
export function readDraft(value: unknown): FormDraft | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const raw = value as Partial<FormDraft>;
  const base = emptyDraft();
  return {
    ...base,
    ...raw,
    step: STEPS.includes(raw.step as Step) ? (raw.step as Step) : 'kind',
    values: raw.values && typeof raw.values === 'object' ? raw.values : {},
    files: raw.files && typeof raw.files === 'object' ? raw.files : {},
    contact: { ...base.contact, ...(raw.contact ?? {}) },
  };
}

/** Where an error path (client or server `fields` key) is shown: its step and element id. */
export function stepOfPath(path: string): Step | undefined {
  if (path === 'type' || path === 'kind') return 'kind';
  if (path === 'service') return 'service';
  if (path === 'description' || path.startsWith('fields.') || path.startsWith('attachments')) return 'details';
  if (path.startsWith('contact') || path.startsWith('consent')) return 'contact';
  return undefined;
}

/** Server and client paths onto the form's own keys (`consent.version` → `consent`, `type` → `kind`). */
export function normalisePath(path: string): string {
  if (path === 'type') return 'kind';
  if (path.startsWith('consent')) return 'consent';
  if (path.startsWith('attachments')) return `fields.${GENERAL_FILES}`;
  const field = /^fields\.([a-z][a-z0-9_]*)/.exec(path);
  if (field) return `fields.${field[1]}`;
  return path;
}

export function inputId(path: string): string {
  return `f-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

export const PHONE = /^\+?[0-9 ()-]{5,20}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What a check found: a translation key and its options. */
export interface Problem {
  key: string;
  options?: Record<string, unknown>;
}

export function isEmpty(value: DraftValue | undefined, files?: FileItem[]): boolean {
  if (files) return files.length === 0;
  if (value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return !value.address.trim() && (value.lat === undefined || value.lng === undefined);
}

export function fileLimit(field: Field | undefined, limits: AttachmentLimits | undefined): number {
  const max = limits?.maxFiles ?? 3;
  return field?.maxFiles ? Math.min(field.maxFiles, max) : max;
}

/** Checks one catalogue field's value. */
export function checkField(field: Field, value: DraftValue | undefined, files: FileItem[] | undefined, limits?: AttachmentLimits): Problem | undefined {
  if (field.readOnly) return undefined;
  const label = field.label;
  if (field.type === 'file') {
    const list = files ?? [];
    // Saving, queued and uploading files go with the request (it waits for them); a refused one must be dealt with.
    const failed = list.find((f) => f.state === 'failed');
    if (failed) return { key: 'form.errors.uploadFailed', options: { name: failed.name } };
    if (field.required && list.length === 0) return { key: 'form.errors.requiredFile', options: { label } };
    const max = fileLimit(field, limits);
    if (list.length > max) return { key: 'form.errors.tooManyFiles', options: { label, count: max } };
    return undefined;
  }
  if (isEmpty(value)) {
    if (!field.required) return undefined;
    const choice = field.type === 'single' || field.type === 'multi';
    return { key: choice ? 'form.errors.requiredChoice' : 'form.errors.required', options: { label } };
  }
  switch (field.type) {
    case 'text':
    case 'textarea': {
      const text = String(value);
      const max = field.maxLength ?? LIMITS.fieldTextMax;
      if (text.length > max) return { key: 'form.errors.tooLong', options: { label, count: max } };
      if (field.minLength !== undefined && text.trim().length < field.minLength) return { key: 'form.errors.tooShort', options: { label, count: field.minLength } };
      return undefined;
    }
    case 'number': {
      const text = String(value).trim().replace(',', '.');
      const n = Number(text);
      if (!text || !Number.isFinite(n)) return { key: 'form.errors.number', options: { label } };
      if (typeof field.min === 'number' && n < field.min) return { key: 'form.errors.min', options: { label, min: field.min } };
      if (typeof field.max === 'number' && n > field.max) return { key: 'form.errors.max', options: { label, max: field.max } };
      return undefined;
    }
    case 'date': {
      const text = String(value);
      if (!DATE.test(text) || Number.isNaN(Date.parse(text))) return { key: 'form.errors.date', options: { label } };
      if (typeof field.min === 'string' && text < field.min) return { key: 'form.errors.dateMin', options: { label, min: field.min } };
      if (typeof field.max === 'string' && text > field.max) return { key: 'form.errors.dateMax', options: { label, max: field.max } };
      return undefined;
    }
    case 'datetime':
      return Number.isNaN(new Date(String(value)).getTime()) ? { key: 'form.errors.datetime', options: { label } } : undefined;
    case 'single':
      return field.options?.some((o) => o.value === value) ? undefined : { key: 'form.errors.requiredChoice', options: { label } };
    case 'multi':
      return Array.isArray(value) && value.every((x) => field.options?.some((o) => o.value === x)) ? undefined : { key: 'form.errors.requiredChoice', options: { label } };
    case 'location':
      return undefined;
    case 'phone':
      return PHONE.test(String(value).trim()) ? undefined : { key: 'form.errors.phone', options: { label } };
    case 'email':
      return EMAIL.test(String(value).trim()) ? undefined : { key: 'form.errors.email', options: { label } };
  }
  return undefined;
}

/** A draft value as the protocol wants it, or undefined when empty. */
export function toFieldValue(field: Field, value: DraftValue | undefined, files: FileItem[] | undefined): FieldValue | undefined {
  if (field.type === 'file') {
    const ids = (files ?? []).map(fileRef).filter((id): id is string => !!id);
    return ids.length ? ids : undefined;
  }
  if (isEmpty(value)) return undefined;
  switch (field.type) {
    case 'number':
      return Number(String(value).trim().replace(',', '.'));
    case 'datetime':
      return new Date(String(value)).toISOString();
    case 'location': {
      const loc = value as LocationDraft;
      return {
        ...(loc.address.trim() ? { address: loc.address.trim() } : {}),
        ...(loc.lat !== undefined && loc.lng !== undefined ? { lat: loc.lat, lng: loc.lng } : {}),
      };
    }
    case 'multi':
      return value as string[];
    default:
      return String(value).trim();
  }
}

export function serviceOf(catalog: Catalog | undefined, id: string | undefined): Service | undefined {
  return id ? catalog?.services.find((s) => s.id === id) : undefined;
}

/** Files offered outside the service's own file fields (when the backend takes attachments). */
export function offersGeneralFiles(catalog: Catalog | undefined, service: Service | undefined): boolean {
  return !!catalog?.capabilities.attachments && !(service?.fields ?? []).some((f) => f.type === 'file');
}

/** The service's questions the form asks: no file field where the backend takes no uploads (Open311). */
export function formFields(catalog: Catalog | undefined, service: Service | undefined): Field[] {
  const fields = service?.fields ?? [];
  return catalog?.capabilities.attachments ? fields : fields.filter((f) => f.type !== 'file');
}

export function toRequestDraft(catalog: Catalog, draft: FormDraft): RequestDraft {
  const service = serviceOf(catalog, draft.service)!;
  const fields: Record<string, FieldValue> = {};
  for (const field of formFields(catalog, service)) {
    if (field.readOnly) continue;
    const value = toFieldValue(field, draft.values[field.id], draft.files[field.id]);
    if (value !== undefined) fields[field.id] = value;
  }
  const c = draft.contact;
  const contact = c.anonymous
    ? undefined
    : {
        ...(c.name.trim() ? { name: c.name.trim() } : {}),
        ...(c.phone.trim() ? { phone: c.phone.trim() } : {}),
        ...(c.email.trim() ? { email: c.email.trim() } : {}),
        preferred: c.preferred || (c.phone.trim() ? 'phone' : c.email.trim() ? 'email' : 'none'),
        ...(draft.kind === 'complaint' && c.shareWithOffice === true ? { shareWithOffice: true } : {}),
      } as const;
  const general = (draft.files[GENERAL_FILES] ?? []).map(fileRef).filter((id): id is string => !!id);
  return {
    service: service.id,
    type: draft.kind!,
    description: draft.description.trim(),
    fields,
    ...(contact ? { contact } : {}),
    consentVersion: catalog.consent.version,
    attachments: offersGeneralFiles(catalog, service) ? general : [],
  };
}

/** A file as a request carries it: its id once uploaded, else its queued upload (the request waits for it). */
function fileRef(file: FileItem): string | undefined {
  if (file.state === 'done' && file.id) return file.id;
  return file.state === 'queued' || file.state === 'uploading' ? `${UPLOAD_REF}${file.key}` : undefined;
}

/** Whether a file fits the announced type list (`image/*` style wildcards included). */
export function typeAllowed(type: string, types: readonly string[]): boolean {
  if (types.length === 0) return true;
  const lower = type.toLowerCase();
  return types.some((t) => {
    const allowed = t.toLowerCase();
    return allowed.endsWith('/*') ? lower.startsWith(allowed.slice(0, -1)) : allowed === lower;
  });
}
