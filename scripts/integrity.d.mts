/** Types for scripts/integrity.mjs (used by test/e2e/integrity.test.ts). */
export interface Integrity {
  algorithm: 'sha384';
  /** Stable entry name → its content-hashed copy. */
  hashed: Record<string, string>;
  /** Path under dist/ → `sha384-…`. */
  files: Record<string, string>;
}
export const ENTRIES: string[];
export function sri(bytes: Uint8Array): string;
export function hashedName(name: string, bytes: Uint8Array): string;
export function writeIntegrity(dist?: string): Integrity;
