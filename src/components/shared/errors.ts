/** Reading the client's errors without importing its classes (components stay light). */

export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `{path: message}` of a 422 (IntakeError `fields`), or undefined. */
export function errorFields(error: unknown): Record<string, string> | undefined {
  const fields = (error as { fields?: unknown } | null)?.fields;
  if (!fields || typeof fields !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}
