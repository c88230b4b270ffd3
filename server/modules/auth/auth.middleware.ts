/**
 * The auth contract every module uses:
 * - `authenticate(db)` (mounted once on the api router) reads the session cookie and sets `req.user`;
 * - `requireRole(...roles)` → 401 when anonymous, 403 when the role is not listed (admins always pass);
 * - `requireStationAccess(getStationId)` → admins always, managers for their assigned stations;
 * - `csrfProtection` → cookie-authenticated unsafe requests must send `X-CSRF-Token`.
 */
import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { AppDatabase } from '../../db/client.js';
import { HttpError } from '../../http/errors.js';
import { findSessionUser } from './auth.repository.js';
import { canEditStation, type AuthUser, type Role } from './roles.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The signed-in user; undefined for anonymous requests. */
      user?: AuthUser;
      /** The session behind `user` (cookie authentication). */
      authSession?: { id: number; csrfToken: string; expiresAt: string };
    }
  }
}

export const SESSION_COOKIE = 'wp_session';
export const CSRF_HEADER = 'X-CSRF-Token';

export const hashSessionToken = (token: string) =>
  crypto.createHash('sha256').update(token).digest('hex');

/** The session cookie's value, or undefined; no cookie-parser needed for one cookie. */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** httpOnly (scripts cannot read it), SameSite=Strict (not sent on cross-site requests), Secure on https. */
export function setSessionCookie(req: Request, res: Response, token: string, maxAgeSeconds: number) {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearSessionCookie(req: Request, res: Response) {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
}

/**
 * Sets `req.user` from a live session cookie; an unknown or expired cookie means anonymous.
 * Every answer to a signed-in request is that session's: `Cache-Control: no-store` by default, so
 * neither the browser's cache nor the service worker keeps it (a public route may loosen it).
 */
export function authenticate(db: AppDatabase): RequestHandler {
  return async (req, res, next) => {
    req.user = undefined;
    req.authSession = undefined;
    const token = readSessionCookie(req);
    if (!token) return next();
    const session = await findSessionUser(db, hashSessionToken(token));
    if (session) {
      const { sessionId, csrfToken, expiresAt, ...user } = session;
      req.user = user;
      req.authSession = { id: sessionId, csrfToken, expiresAt };
      res.setHeader('Cache-Control', 'no-store');
    }
    next();
  };
}

export const unauthenticated = () => new HttpError(401, 'Sign in first: this action needs an account');

/**
 * An admin chose this user's password (a new account, a reset) and knows it: nothing but changing
 * it (POST /api/me/password), reading /api/me or signing out until the user has.
 */
export const passwordChangeFirst = () =>
  new HttpError(403, 'Choose your own password first (POST /api/me/password)', { must_change_password: true }, {}, {
    zh: '请先修改密码：管理员设置的临时密码需要换成您自己的密码',
    en: 'Choose your own password first: the one an admin set is temporary',
  });

/** 401 when anonymous, 403 when the user's role is not one of `roles`; admins may do everything. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(unauthenticated());
    if (req.user.mustChangePassword) return next(passwordChangeFirst());
    if (req.user.role !== 'admin' && !roles.includes(req.user.role)) {
      return next(
        new HttpError(403, `Your role (${req.user.role}) may not do this; it needs: ${['admin', ...roles.filter((r) => r !== 'admin')].join(' or ')}`),
      );
    }
    next();
  };
}

/**
 * Admins always; managers only for stations assigned to them; everyone else 403 (401 if anonymous).
 * `getStationId` may throw (e.g. a 400 for a malformed id); the error is passed on.
 */
export function requireStationAccess(getStationId: (req: Request) => number): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(unauthenticated());
    if (req.user.mustChangePassword) return next(passwordChangeFirst());
    let stationId: number;
    try {
      stationId = getStationId(req);
    } catch (error) {
      return next(error);
    }
    if (!canEditStation(req.user, stationId)) {
      return next(new HttpError(403, `You do not manage station ${stationId}`));
    }
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must echo the session's CSRF token in X-CSRF-Token: a cross-site form
 * or script can make the browser send the cookie, but cannot read the token. Requests without a
 * session are left to `requireRole` (401) or are anonymous by design (worker reports).
 */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method) || !req.authSession) return next();
  const sent = Buffer.from(req.get(CSRF_HEADER) ?? '');
  const expected = Buffer.from(req.authSession.csrfToken);
  const ok = sent.length === expected.length && crypto.timingSafeEqual(sent, expected);
  if (!ok) {
    return next(
      new HttpError(403, `Missing or wrong ${CSRF_HEADER} header: reload the page and try again`),
    );
  }
  next();
};
