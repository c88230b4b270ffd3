import crypto from 'node:crypto';
import type { AppDatabase } from '../../db/client.js';
import { badRequest, bilingualError, HttpError } from '../../http/errors.js';
import {
  chargeRateLimits,
  countRateLimitHit,
  rateLimitKey,
  readRateLimit,
  type RateLimit,
} from '../rate-limits/rate-limits.service.js';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  findPasswordHash,
  setOwnPassword,
  findUserCredentials,
  findUserStationIds,
  insertSession,
  insertUser,
  missingStationIds,
  updateUser,
} from './auth.repository.js';
import { hashSessionToken } from './auth.middleware.js';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import type { AuthUser, Role } from './roles.js';

/** Sessions end 12 h after sign-in (a working shift), whatever the activity. */
export const SESSION_TTL_SECONDS = 12 * 3600;

/** What the lock-out counters are keyed on: one account whatever the case it is typed in. */
export const normaliseUsername = (username: string) => username.trim().toLowerCase();

// Failed sign-ins only count (each attempt is charged before the password is checked and refunded
// when it was right, so parallel guesses cannot slip past the count). Refusals are aimed only at the
// guesser's own address: per address+name stops guessing one account from one place, per address
// stops trying many names from one place. Per name alone nothing is refused, or a stranger could
// lock a real user out by failing on purpose: failures for a name from anywhere only slow every
// attempt at that name (LOGIN_NAME_DELAY), the right password from a clean address still gets in.
const LOGIN_REFUSALS: Array<{ limit: RateLimit; key: (ip: string, name: string) => string }> = [
  {
    limit: { bucket: 'login-ip-user', limit: 5, windowSeconds: 900, message: { zh: '此账户在这里登录失败次数过多。', en: 'Too many failed sign-ins for this account from here.' } },
    key: (ip, name) => rateLimitKey(ip, name),
  },
  {
    limit: { bucket: 'login-ip', limit: 50, windowSeconds: 900, message: { zh: '这个网络地址登录失败次数过多。', en: 'Too many failed sign-ins from this address.' } },
    key: (ip) => rateLimitKey(ip),
  },
];

const LOGIN_NAME_FAILURES: RateLimit = {
  bucket: 'login-user',
  limit: Number.POSITIVE_INFINITY,
  windowSeconds: 900,
  message: { zh: '不会拒绝', en: 'never refused' },
};

/**
 * How long an attempt at a name waits, by the failures for that name in the window: none for the
 * first 5 (typos), then doubling from 100 ms up to 2 s. Serial guessing from many addresses slows to
 * one try per 2 s per connection; a real user waits 2 s at worst.
 */
export const LOGIN_NAME_DELAY = { free: 5, firstMs: 100, maxMs: 2000 } as const;

export function loginDelayMs(failuresForName: number): number {
  const over = failuresForName - LOGIN_NAME_DELAY.free;
  if (over <= 0) return 0;
  return Math.min(LOGIN_NAME_DELAY.maxMs, LOGIN_NAME_DELAY.firstMs * 2 ** Math.min(over - 1, 20));
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  user: AuthUser;
  expiresInSeconds: number;
}

export async function login(
  db: AppDatabase,
  input: { username: string; password: string; clientIp: string },
): Promise<LoginResult> {
  const name = normaliseUsername(input.username);
  const charge = await chargeRateLimits(
    db,
    LOGIN_REFUSALS.map(({ limit, key }) => ({ limit, key: key(input.clientIp, name) })),
  );
  const nameKey = rateLimitKey(name);
  const delay = loginDelayMs(await readRateLimit(db, LOGIN_NAME_FAILURES, nameKey));
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const user = await findUserCredentials(db, input.username);
  const valid = await verifyPassword(input.password, user?.password_hash ?? (await dummyPasswordHash()));
  if (!user || !valid || user.disabled) {
    // The charges stay: they were this failure.
    await countRateLimitHit(db, LOGIN_NAME_FAILURES, nameKey);
    throw bilingualError(401, { zh: '用户名或密码错误', en: 'Wrong user name or password' });
  }
  await charge.refund();
  await deleteExpiredSessions(db);
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await insertSession(db, {
    tokenHash: hashSessionToken(token),
    userId: user.id,
    csrfToken,
    ttlSeconds: SESSION_TTL_SECONDS,
  });
  const stationIds = await findUserStationIds(db, user.id);
  return {
    token,
    csrfToken,
    user: { id: user.id, username: user.username, role: user.role, stationIds, mustChangePassword: user.must_change_password },
    expiresInSeconds: SESSION_TTL_SECONDS,
  };
}

export async function logout(db: AppDatabase, sessionId: number): Promise<void> {
  await deleteSession(db, sessionId);
}

async function assertStationsExist(db: AppDatabase, stationIds: number[]) {
  const missing = await missingStationIds(db, stationIds);
  if (missing.length) throw badRequest(`No such station: ${missing.join(', ')}`);
}

export async function createUser(
  db: AppDatabase,
  input: { username: string; password: string; role: Role; stationIds?: number[] },
  /** True when an admin chose the password (the API): the user must pick their own at sign-in. */
  mustChangePassword = false,
): Promise<number> {
  const problem = await passwordProblem(input.password, input.username);
  if (problem) throw badRequest(problem);
  const stationIds = input.stationIds ?? [];
  await assertStationsExist(db, stationIds);
  const taken = () => new HttpError(409, `User name "${input.username}" is taken (names ignore case)`);
  if (await findUserCredentials(db, input.username)) throw taken();
  try {
    return await insertUser(db, {
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      stationIds,
      mustChangePassword,
    });
  } catch (error) {
    // Two admins creating the same name at once: the unique index on lower(username) decides.
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function changeUser(
  db: AppDatabase,
  userId: number,
  input: { role?: Role; password?: string; disabled?: boolean; stationIds?: number[] },
  /** Who made the change: a password an admin sets for someone else must be changed at sign-in. */
  by: { id: number },
): Promise<void> {
  if (input.password !== undefined) {
    const problem = await passwordProblem(input.password);
    if (problem) throw badRequest(problem);
  }
  if (input.stationIds) await assertStationsExist(db, input.stationIds);
  const found = await updateUser(db, userId, {
    role: input.role,
    disabled: input.disabled,
    stationIds: input.stationIds,
    passwordHash: input.password !== undefined ? await hashPassword(input.password) : undefined,
    passwordChosenByAdmin: by.id !== userId,
  });
  if (!found) throw new HttpError(404, `User not found: ${userId}`);
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: unknown } | undefined;
  return e?.code === '23505' || (e?.cause ? isUniqueViolation(e.cause) : false);
}

/**
 * A signed-in user changes their own password: the current one must be right; every other
 * session of theirs ends (a stolen session does not survive the change), this one stays.
 */
export async function changeOwnPassword(
  db: AppDatabase,
  user: { id: number; sessionId: number },
  input: { current_password: string; new_password: string },
): Promise<{ endedSessions: number }> {
  const account = await findPasswordHash(db, user.id);
  if (!account || !(await verifyPassword(input.current_password, account.password_hash))) {
    throw new HttpError(403, 'The current password is not right');
  }
  const problem = await passwordProblem(input.new_password, account.username);
  if (problem) throw badRequest(problem);
  const endedSessions = await setOwnPassword(db, user.id, await hashPassword(input.new_password), user.sessionId);
  return { endedSessions };
}

/** "Sign out everywhere": every session of the user, this one included. */
export async function endAllSessions(db: AppDatabase, userId: number): Promise<number> {
  return deleteUserSessions(db, userId);
}
