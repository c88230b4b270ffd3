import crypto from 'node:crypto';
import { runCpuTask } from '../../work/cpu-pool.js';

/**
 * Password hashing with scrypt (memory-hard): N = 2^15, r = 8, p = 1 → 128·N·r = 32 MiB and
 * roughly 50–100 ms per hash on one core, the OWASP-recommended floor for scrypt. The parameters
 * are stored with each hash so they can be raised later without invalidating old passwords.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

// Node refuses scrypt above maxmem (32 MiB by default); 128·N·r is exactly 32 MiB, so leave room.
const MAX_MEMORY = 256 * 1024 * 1024;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

function scrypt(password: string, salt: Buffer, N: number, r: number, p: number, length: number) {
  return new Promise<Buffer>((resolve, reject) => {
    crypto.scrypt(password, salt, length, { N, r, p, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = crypto.randomBytes(saltLength);
  const key = await scrypt(password, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison; a malformed stored hash simply does not match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p), expected.length);
  return crypto.timingSafeEqual(key, expected);
}

/** Hashing a dummy on unknown usernames keeps response time from revealing which names exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password');
  return dummyHash;
}

export async function passwordProblem(password: string, username?: string): Promise<string | null> {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (username && password.toLowerCase() === username.toLowerCase())
    return 'Password must not be the user name';
  // zxcvbn builds its dictionaries (~0.5 s) and checks in tens of ms: CPU work, in the pool.
  return runCpuTask('passwordStrength', { password, username: username ?? null });
}
