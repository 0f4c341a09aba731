/**
 * Staff passwords: scrypt from node:crypto (memory-hard), a fresh 16-byte salt per password, kept
 * as a self-describing PHC-style string so the parameters can be raised later without breaking
 * the hashes already stored:
 *
 *   $scrypt$ln=15,r=8,p=1$<salt, base64>$<32-byte key, base64>
 *
 * ln is log2 of N: N = 2^15, r = 8, p = 1 take 32 MiB and about 50–100 ms per check on one core
 * (OWASP's suggested minimum for scrypt). A stored hash with weaker parameters than today's
 * still verifies; `needsRehash` tells the sign-in to store a new one.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

export const SCRYPT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** The length rules of a staff password (an explained error, never a silent cut). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** Why a password is not acceptable, or null when it is. */
export function passwordProblem(password: string, login?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `At least ${PASSWORD_MIN} characters (this one has ${length})`;
  if (length > PASSWORD_MAX) return `At most ${PASSWORD_MAX} characters`;
  if (login && password.trim().toLowerCase() === login.trim().toLowerCase()) return 'Must not be the login';
  return null;
}

function scrypt(password: string, salt: Buffer, params: ScryptParams, keylen: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  // Node refuses above maxmem (32 MiB by default, exactly what ln=15, r=8 needs): leave room.
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * params.p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCallback(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A new hash string for `password`. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, params, KEY_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const HASH = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/;

/** The parameters a stored hash was made with, or null when it is not one of ours. */
export function parseHash(stored: string): (ScryptParams & { salt: Buffer; key: Buffer }) | null {
  const m = HASH.exec(stored);
  if (!m) return null;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 10 || ln > 22 || r < 1 || p < 1) return null;
  return { ln, r, p, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

/** Whether `password` matches `stored`, compared in constant time; false for a hash we cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.key.length < 16) return false;
  const key = await scrypt(password, parsed.salt, parsed, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** True when `stored` was made with other parameters than today's (store a fresh hash after a sign-in). */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.ln !== SCRYPT_PARAMS.ln || parsed.r !== SCRYPT_PARAMS.r || parsed.p !== SCRYPT_PARAMS.p || parsed.key.length !== KEY_BYTES;
}

/**
 * A hash no password matches, checked when the login is unknown or has no password, so the
 * answer takes as long as for a real account (the time does not tell which logins exist).
 */
let standIn: Promise<string> | null = null;
export function standInHash(): Promise<string> {
  standIn ??= hashPassword(randomBytes(18).toString('base64'));
  return standIn;
}
