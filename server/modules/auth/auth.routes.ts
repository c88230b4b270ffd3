import { Router } from 'express';
import type { AppDatabase } from '../../db/client.js';
import { z } from 'zod';
import type { ApiOperation } from '../../http/openapi.js';
import { IdResultSchema, JsonObjectSchema } from '../../http/openapi-schemas.js';
import { parseRequest } from '../../http/validate.js';
import {
  clearSessionCookie,
  csrfProtection,
  requireRole,
  setSessionCookie,
  unauthenticated,
} from './auth.middleware.js';
import { listUsers } from './auth.repository.js';
import {
  ChangePasswordBodySchema,
  CreateUserBodySchema,
  IdParamSchema,
  LoginBodySchema,
  UpdateUserBodySchema,
} from './auth.schemas.js';
import { changeOwnPassword, changeUser, createUser, endAllSessions, login, logout } from './auth.service.js';

/**
 * POST /auth/login: mounted before the api-wide csrfProtection, because a browser holding a stale
 * session cookie has no token yet; SameSite=Strict keeps other sites from posting it.
 */
export function loginRouter(db: AppDatabase): Router {
  const router = Router();
  router.post('/auth/login', async (req, res) => {
    const body = parseRequest(LoginBodySchema, req.body, 'body');
    const result = await login(db, { ...body, clientIp: req.ip ?? 'unknown' });
    setSessionCookie(req, res, result.token, result.expiresInSeconds);
    res.set('Cache-Control', 'no-store').json({
      user: result.user,
      csrfToken: result.csrfToken,
      expiresInSeconds: result.expiresInSeconds,
    });
  });
  return router;
}

/** Sign-out, who am I, and user administration (admins). */
export function accountRouter(db: AppDatabase): Router {
  const router = Router();

  router.post('/auth/logout', csrfProtection, async (req, res) => {
    if (req.authSession) await logout(db, req.authSession.id);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.get('/me', (req, res) => {
    if (!req.user || !req.authSession) throw unauthenticated();
    res.set('Cache-Control', 'no-store').json({
      user: req.user,
      csrfToken: req.authSession.csrfToken,
      expiresAt: req.authSession.expiresAt,
    });
  });

  router.post('/me/password', csrfProtection, async (req, res) => {
    if (!req.user || !req.authSession) throw unauthenticated();
    const body = parseRequest(ChangePasswordBodySchema, req.body, 'body');
    const { endedSessions } = await changeOwnPassword(db, { id: req.user.id, sessionId: req.authSession.id }, body);
    res.set('Cache-Control', 'no-store').json({ changed: true, ended_sessions: endedSessions });
  });

  // "Sign out everywhere": a phone left somewhere, a shared computer.
  router.delete('/me/sessions', csrfProtection, async (req, res) => {
    if (!req.user) throw unauthenticated();
    await endAllSessions(db, req.user.id);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.get('/users', requireRole('admin'), async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ users: await listUsers(db) });
  });

  router.post('/users', requireRole('admin'), csrfProtection, async (req, res) => {
    const body = parseRequest(CreateUserBodySchema, req.body, 'body');
    // The admin chose this password: the new user picks their own at first sign-in.
    const id = await createUser(db, body, true);
    res.status(201).json({ id });
  });

  router.patch('/users/:id', requireRole('admin'), csrfProtection, async (req, res) => {
    const id = parseRequest(IdParamSchema, req.params.id, 'params');
    const body = parseRequest(UpdateUserBodySchema, req.body, 'body');
    await changeUser(db, id, body, req.user!);
    res.json({ id });
  });

  return router;
}

const SessionSchema = z.object({
  user: JsonObjectSchema,
  csrfToken: z.string().describe(`send it as X-CSRF-Token with every write`),
  expiresInSeconds: z.number().int().optional(),
  expiresAt: z.string().optional(),
});
const UserIdParams = z.object({ id: IdParamSchema });

export const AUTH_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in; sets an httpOnly session cookie and returns the CSRF token for writes',
    tags: ['accounts'],
    body: LoginBodySchema,
    csrf: false,
    responses: {
      '200': { description: 'Signed in (Set-Cookie: wp_session)', schema: SessionSchema },
      '401': 'Wrong user name or password',
      '429': 'Too many failures',
    },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Sign out (ends the session)',
    tags: ['accounts'],
    responses: { '204': 'Signed out' },
  },
  {
    method: 'get',
    path: '/api/me',
    summary: 'The signed-in user, their stations and the CSRF token',
    tags: ['accounts'],
    access: 'session',
    responses: { '200': { description: 'The session', schema: SessionSchema } },
  },
  {
    method: 'post',
    path: '/api/me/password',
    summary: 'Change my password (the current one required; my other sessions end)',
    tags: ['accounts'],
    body: ChangePasswordBodySchema,
    access: 'session',
    responses: {
      '200': { description: 'Changed', schema: z.object({ changed: z.literal(true), ended_sessions: z.number().int() }) },
      '400': 'The new password is too short or too easy to guess',
      '403': 'The current password is not right',
    },
  },
  {
    method: 'delete',
    path: '/api/me/sessions',
    summary: 'Sign out everywhere: every session of mine ends, this one included',
    tags: ['accounts'],
    access: 'session',
    responses: { '204': 'Signed out everywhere' },
  },
  {
    method: 'get',
    path: '/api/users',
    summary: 'Users (admin)',
    tags: ['accounts'],
    access: ['admin'],
    responses: { '200': { description: 'Users', schema: z.object({ users: z.array(JsonObjectSchema) }) } },
  },
  {
    method: 'post',
    path: '/api/users',
    summary: 'Create a user (admin)',
    tags: ['accounts'],
    body: CreateUserBodySchema,
    access: ['admin'],
    responses: { '201': { description: 'Created', schema: IdResultSchema }, '409': 'User name taken' },
  },
  {
    method: 'patch',
    path: '/api/users/{id}',
    summary: 'Change role, password, stations or disable a user (admin)',
    tags: ['accounts'],
    params: UserIdParams,
    body: UpdateUserBodySchema,
    access: ['admin'],
    responses: {
      '200': { description: 'Changed', schema: IdResultSchema },
      '404': 'No such user',
      '409': 'User name taken',
    },
  },
];
