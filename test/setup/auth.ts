import type { AppDatabase } from '../../server/db/client.js';
import { createUser as createUserInDb } from '../../server/modules/auth/auth.service.js';
import type { Role } from '../../server/modules/auth/roles.js';
import type { TestServer } from './server.js';

export interface TestUser {
  id: number;
  username: string;
  password: string;
  role: Role;
}

/** A user straight in the database (the CLI's path); password at least 10 characters. */
export async function createUser(
  db: AppDatabase,
  user: { username: string; password: string; role: Role; stationIds?: number[] },
): Promise<TestUser> {
  const id = await createUserInDb(db, user);
  return { id, username: user.username, password: user.password, role: user.role };
}

export interface LoggedIn {
  /** `wp_session=…`, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
  /** Cookie + X-CSRF-Token + JSON content type: what every write test sends. */
  headers: Record<string, string>;
}

/** Signs in through the real endpoint; throws with the server's message when it refuses. */
export async function loginAs(server: TestServer, username: string, password: string): Promise<LoggedIn> {
  const res = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { csrfToken?: string; error?: string };
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${body.error}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const csrfToken = body.csrfToken!;
  return {
    cookie,
    csrfToken,
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
  };
}
