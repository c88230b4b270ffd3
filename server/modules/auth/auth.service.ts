import crypto from 'node:crypto';
import type { AppDatabase } from '../../db/client.js';
import { badRequest, HttpError } from '../../http/errors.js';
import {
  assertUnderRateLimit,
  countRateLimitHit,
  rateLimitKey,
  type RateLimit,
} from '../rate-limits/rate-limits.service.js';
import {
  deleteExpiredSessions,
  deleteSession,
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

// Failed sign-ins only count: a manager who types well is never locked out by colleagues.
// Per address+name stops guessing one account; per name stops guessing it from many addresses;
// per address stops trying many names from one place.
const LOGIN_LIMITS: Array<{ limit: RateLimit; key: (ip: string, username: string) => string }> = [
  {
    limit: { bucket: 'login-ip-user', limit: 5, windowSeconds: 900, message: 'Too many failed sign-ins for this account from here.' },
    key: (ip, username) => rateLimitKey(ip, username.toLowerCase()),
  },
  {
    limit: { bucket: 'login-user', limit: 20, windowSeconds: 900, message: 'Too many failed sign-ins for this account.' },
    key: (_ip, username) => rateLimitKey(username.toLowerCase()),
  },
  {
    limit: { bucket: 'login-ip', limit: 50, windowSeconds: 900, message: 'Too many failed sign-ins from this address.' },
    key: (ip) => rateLimitKey(ip),
  },
];

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
  for (const { limit, key } of LOGIN_LIMITS) {
    await assertUnderRateLimit(db, limit, key(input.clientIp, input.username));
  }
  const user = await findUserCredentials(db, input.username);
  const valid = await verifyPassword(input.password, user?.password_hash ?? (await dummyPasswordHash()));
  if (!user || !valid || user.disabled) {
    for (const { limit, key } of LOGIN_LIMITS) {
      await countRateLimitHit(db, limit, key(input.clientIp, input.username));
    }
    throw new HttpError(401, 'Wrong user name or password');
  }
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
    user: { id: user.id, username: user.username, role: user.role, stationIds },
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
): Promise<number> {
  const problem = passwordProblem(input.password);
  if (problem) throw badRequest(problem);
  const stationIds = input.stationIds ?? [];
  await assertStationsExist(db, stationIds);
  if (await findUserCredentials(db, input.username)) {
    throw new HttpError(409, `User name "${input.username}" is taken`);
  }
  return insertUser(db, {
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    stationIds,
  });
}

export async function changeUser(
  db: AppDatabase,
  userId: number,
  input: { role?: Role; password?: string; disabled?: boolean; stationIds?: number[] },
): Promise<void> {
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) throw badRequest(problem);
  }
  if (input.stationIds) await assertStationsExist(db, input.stationIds);
  const found = await updateUser(db, userId, {
    role: input.role,
    disabled: input.disabled,
    stationIds: input.stationIds,
    passwordHash: input.password !== undefined ? await hashPassword(input.password) : undefined,
  });
  if (!found) throw new HttpError(404, `User not found: ${userId}`);
}
