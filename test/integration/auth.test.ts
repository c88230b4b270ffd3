import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db/client.js';
import { hashPassword, verifyPassword } from '../../server/modules/auth/passwords.js';
import { createUser, loginAs } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  const station = await newStation(db, { lng: 116.3975, lat: 39.9087 });
  await createUser(db, { username: 'admin', password: 'admin-password-1', role: 'admin' });
  await createUser(db, {
    username: 'wang',
    password: 'manager-password-1',
    role: 'manager',
    stationIds: [station.id],
  });
});

afterAll(async () => {
  await server?.close();
});

const login = (username: string, password: string, ip = '203.0.113.1') =>
  server.request('/api/auth/login', {
    method: 'POST',
    headers: { ...json, 'x-forwarded-for': ip },
    body: JSON.stringify({ username, password }),
  });

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('sign in, who am I, sign out', () => {
  it('sets an httpOnly SameSite cookie, stores only the token hash, and /api/me answers', async () => {
    const res = await login('wang', 'manager-password-1');
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^wp_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(res.body.user).toMatchObject({ username: 'wang', role: 'manager' });
    expect(res.body.user.stationIds).toHaveLength(1);
    expect(res.body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const token = setCookie.split(';')[0]!.split('=')[1]!;
    const stored = await queryRows<{ token_hash: string }>(
      server.database.handle.db,
      sql`select token_hash from sessions`,
    );
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
    const me = await server.get('/api/me', { headers: { cookie: setCookie.split(';')[0]! } });
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('wang');
    expect(me.body.csrfToken).toBe(res.body.csrfToken);
  });

  it('answers 401 to /api/me without a session or with a forged cookie', async () => {
    expect((await server.get('/api/me')).status).toBe(401);
    const forged = await server.get('/api/me', {
      headers: { cookie: 'wp_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(forged.status).toBe(401);
  });

  it('logout needs the CSRF token, then ends the session for good', async () => {
    const session = await loginAs(server, 'wang', 'manager-password-1');
    const withoutToken = await server.request('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: session.cookie },
    });
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.body.error).toContain('X-CSRF-Token');
    const out = await server.request('/api/auth/logout', { method: 'POST', headers: session.headers });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/wp_session=;/);
    expect((await server.get('/api/me', { headers: { cookie: session.cookie } })).status).toBe(401);
  });

  it('an expired session is anonymous', async () => {
    const session = await loginAs(server, 'wang', 'manager-password-1');
    await server.database.handle.db.execute(
      sql`update sessions set expires_at = now() - interval '1 second'`,
    );
    expect((await server.get('/api/me', { headers: { cookie: session.cookie } })).status).toBe(401);
  });

  it('rejects wrong passwords and unknown users with the same 401', async () => {
    const wrong = await login('wang', 'not-the-password', '203.0.113.9');
    const unknown = await login('nobody', 'not-the-password', '203.0.113.9');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toBe(unknown.body.error);
  });

  it('400s a malformed login body', async () => {
    const res = await server.request('/api/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'wang' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('password');
  });
});

describe('login rate limit (stored in the database)', () => {
  it('locks an account from an address after 5 failures, even with the right password, with Retry-After', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await login('admin', 'wrong-password-xx', '198.51.100.7')).status).toBe(401);
    }
    const locked = await login('admin', 'admin-password-1', '198.51.100.7');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Said in the asker's language: Chinese by default, English to an English browser.
    expect(locked.body.error).toMatch(/^此账户在这里登录失败次数过多。请 \d+ 分钟后再试。$/);
    const lockedEn = await server.request('/api/auth/login', {
      method: 'POST',
      headers: { ...json, 'x-forwarded-for': '198.51.100.7', 'accept-language': 'en-GB,en;q=0.9' },
      body: JSON.stringify({ username: 'admin', password: 'admin-password-1' }),
    });
    expect(lockedEn.body.error).toMatch(/^Too many failed sign-ins for this account from here\. Try again in \d+ min\.$/);
    // Another address is not locked out by that one.
    expect((await login('admin', 'admin-password-1', '198.51.100.8')).status).toBe(200);
    const [row] = await queryRows<{ n: number }>(
      server.database.handle.db,
      sql`select count(*)::int as n from rate_limit_counters where bucket = 'login-ip-user'`,
    );
    expect(row!.n).toBeGreaterThan(0);
  });
});

describe('login limits cannot be raced or aimed at a victim', () => {
  it('parallel guesses from one address get no more tries than serial ones (count and check are one step)', async () => {
    await createUser(server.database.handle.db, {
      username: 'racer',
      password: 'racer-password-1',
      role: 'planner',
    });
    // 199 wrong guesses and the right one, all at once from one address.
    const attempts = Array.from({ length: 200 }, (_, i) =>
      login('racer', i === 137 ? 'racer-password-1' : `wrong-guess-${i}`, '198.51.100.20'),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    const tried = statuses.filter((s) => s !== 429);
    // The serial budget is 5 tries per account and address; everything past it is refused unchecked.
    expect(tried.length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(195);
  });

  it('20 wrong passwords from strangers do not lock the real user out of a clean address', async () => {
    await createUser(server.database.handle.db, {
      username: 'victim',
      password: 'victim-password-1',
      role: 'manager',
    });
    const guesses = [];
    for (let address = 0; address < 4; address++)
      for (let i = 0; i < 5; i++) guesses.push(login('victim', `wrong-${i}`, `192.0.2.${address + 1}`));
    expect((await Promise.all(guesses)).map((r) => r.status)).toEqual(Array(20).fill(401));
    // Each guessing address is now refused for that account…
    expect((await login('victim', 'victim-password-1', '192.0.2.1')).status).toBe(429);
    // …but the real user, from their own address, signs in (slowed at most, never refused).
    const real = await login('victim', 'victim-password-1', '203.0.113.77');
    expect(real.status).toBe(200);
    expect(real.body.user.username).toBe('victim');
  });

  it('user names are one account whatever their case: sign-in, taken names and lock-out counters', async () => {
    const db = server.database.handle.db;
    await createUser(db, { username: 'Zhou', password: 'zhou-password-1', role: 'planner' });
    const lower = await login('zhou', 'zhou-password-1', '203.0.113.80');
    expect(lower.status).toBe(200);
    expect(lower.body.user.username).toBe('Zhou');
    expect((await login('ZHOU', 'zhou-password-1', '203.0.113.80')).status).toBe(200);

    const admin = await loginAs(server, 'admin', 'admin-password-1');
    const taken = await server.request('/api/users', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ username: 'zHOU', password: 'other-password-1', role: 'planner' }),
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toContain('taken');
    // Not even straight in the database: the unique index is on lower(username).
    await expect(
      db.execute(sql`insert into users (username, password_hash, role) values ('ZHOU', 'x', 'planner')`),
    ).rejects.toThrow();

    // Failures under any spelling count against the one account.
    for (const name of ['zhou', 'Zhou', 'ZHOU', 'zHou', 'zhoU'])
      expect((await login(name, 'wrong-password-x', '203.0.113.81')).status).toBe(401);
    expect((await login('Zhou', 'zhou-password-1', '203.0.113.81')).status).toBe(429);
  });
});

describe('user administration (admin)', () => {
  it('creates a manager with stations, who can then sign in; rejects weak passwords and taken names', async () => {
    const admin = await loginAs(server, 'admin', 'admin-password-1');
    const created = await server.request('/api/users', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ username: 'li', password: 'li-password-123', role: 'planner' }),
    });
    expect(created.status).toBe(201);
    expect((await loginAs(server, 'li', 'li-password-123')).csrfToken).toBeTruthy();
    const weak = await server.request('/api/users', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ username: 'zhao', password: 'short', role: 'planner' }),
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toContain('at least 10');
    const taken = await server.request('/api/users', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ username: 'li', password: 'li-password-123', role: 'planner' }),
    });
    expect(taken.status).toBe(409);
    const badStation = await server.request('/api/users', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ username: 'qian', password: 'qian-password-1', role: 'manager', stationIds: [999999] }),
    });
    expect(badStation.status).toBe(400);
    expect(badStation.body.error).toContain('No such station: 999999');
  });

  it('disabling a user ends their sessions', async () => {
    const admin = await loginAs(server, 'admin', 'admin-password-1');
    const li = await loginAs(server, 'li', 'li-password-123');
    const users = await server.get('/api/users', { headers: admin.headers });
    const id = users.body.users.find((u: { username: string }) => u.username === 'li').id;
    const res = await server.request(`/api/users/${id}`, {
      method: 'PATCH',
      headers: admin.headers,
      body: JSON.stringify({ disabled: true }),
    });
    expect(res.status).toBe(200);
    expect((await server.get('/api/me', { headers: { cookie: li.cookie } })).status).toBe(401);
    expect((await login('li', 'li-password-123', '203.0.113.50')).status).toBe(401);
  });
});
