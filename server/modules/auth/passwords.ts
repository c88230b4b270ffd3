import crypto from 'node:crypto';
// A kept strength estimator (zxcvbn's TypeScript port) rather than rules of our own.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

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

/**
 * Passwords people in China pick often that the English lists miss (published leak analyses);
 * zxcvbn finds them and their variations (case, suffixes, l33t) as dictionary words.
 */
const CHINESE_COMMON = [
  'woaini1314', '5201314', '1314520', 'woaini', 'woaini520', 'iloveyou', 'a123456789', 'qq123456789',
  '123456789a', 'aa123456789', 'abc123456789', '1qaz2wsx', '1qaz2wsx3edc', 'qwe123456', 'zxcvbnm123',
  '147258369', '159357', '123qwe', 'asd123456', 'woshishui', 'nihao123', 'zhongguo', 'beijing',
  'shanghai', 'huawei', 'xiaomi', 'taobao', 'weixin', 'baidu', 'qwertyuiop', 'asdfghjkl',
];

/** Built once, on first use: the dictionaries are a few MB. */
let strength: ZxcvbnFactory | null = null;
function strengthChecker(): ZxcvbnFactory {
  strength ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, chineseCommon: CHINESE_COMMON },
    graphs: common.adjacencyGraphs,
  });
  return strength;
}

/** zxcvbn's scale: 0–1 fall to a few thousand guesses; 2 needs about a million. */
const MIN_STRENGTH = 2;
/** Past this a password is long enough; checking more only costs time (zxcvbn grows with length). */
const STRENGTH_CHECK_CHARS = 64;

/**
 * A problem with a proposed password, or null when it is acceptable: a length, then strength as
 * zxcvbn estimates it (common passwords, keyboard runs, repeats, dates, the user's own name).
 */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (username && password.toLowerCase() === username.toLowerCase())
    return 'Password must not be the user name';
  const result = strengthChecker().check(password.slice(0, STRENGTH_CHECK_CHARS), username ? [username] : []);
  if (result.score < MIN_STRENGTH)
    return 'Password is too easy to guess (a common password, a keyboard run, a repeat or the user name); use several words or mix in something personal';
  return null;
}
