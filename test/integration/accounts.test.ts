/** Accounts a union office can run itself: change my password, sign out everywhere, strength checks, admin reset. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, loginAs } from '../setup/auth.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  await createUser(db, { username: 'zhao', password: 'zhao-first-password', role: 'planner' });
  await createUser(db, { username: 'acct-admin', password: 'acct-admin-password', role: 'admin' });
});
afterAll(async () => {
  await server?.close();
});

const me = (cookie: string) => server.get('/api/me', { headers: { cookie } });
const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  server.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

describe('accounts', () => {
  it('changes my own password: the current one is required, an easy one refused, my other sessions end', async () => {
    const phone = await loginAs(server, 'zhao', 'zhao-first-password');
    const office = await loginAs(server, 'zhao', 'zhao-first-password');
    const wrong = await send('POST', '/api/me/password', office.headers, { current_password: 'not-my-password', new_password: 'lantern-river-autumn' });
    expect(wrong.status).toBe(403);
    for (const easy of ['aaaaaaaaaa', 'woaini1314', '1234567890', 'zhaozhaozhao']) {
      const refused = await send('POST', '/api/me/password', office.headers, { current_password: 'zhao-first-password', new_password: easy });
      expect(refused.status, easy).toBe(400);
      expect(refused.body.error).toMatch(/easy to guess|user name/);
    }
    const changed = await send('POST', '/api/me/password', office.headers, { current_password: 'zhao-first-password', new_password: 'lantern-river-autumn' });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ changed: true, ended_sessions: 1 });
    expect((await me(office.cookie)).status).toBe(200);
    expect((await me(phone.cookie)).status).toBe(401);
    await expect(loginAs(server, 'zhao', 'zhao-first-password')).rejects.toThrow(/401/);
    await loginAs(server, 'zhao', 'lantern-river-autumn');
  });

  it('signs out everywhere: every session of mine ends, this one included', async () => {
    const a = await loginAs(server, 'zhao', 'lantern-river-autumn');
    const b = await loginAs(server, 'zhao', 'lantern-river-autumn');
    const res = await send('DELETE', '/api/me/sessions', a.headers);
    expect(res.status).toBe(204);
    expect((await me(a.cookie)).status).toBe(401);
    expect((await me(b.cookie)).status).toBe(401);
  });

  it('an admin creating a user with an easy password is refused; an admin reset ends the user\'s sessions', async () => {
    const admin = await loginAs(server, 'acct-admin', 'acct-admin-password');
    const weak = await send('POST', '/api/users', admin.headers, { username: 'sun', password: 'password123', role: 'manager' });
    expect(weak.status).toBe(400);
    const created = await send('POST', '/api/users', admin.headers, { username: 'sun', password: 'sun-garden-lamp-7', role: 'planner' });
    expect(created.status).toBe(201);
    const sun = await loginAs(server, 'sun', 'sun-garden-lamp-7');
    const reset = await send('PATCH', `/api/users/${created.body.id}`, admin.headers, { password: 'temporary-reset-word-9' });
    expect(reset.status).toBe(200);
    expect((await me(sun.cookie)).status).toBe(401);
    await loginAs(server, 'sun', 'temporary-reset-word-9');
  });

  it('a password an admin chose (new account or reset) must be changed before anything else', async () => {
    const admin = await loginAs(server, 'acct-admin', 'acct-admin-password');
    const created = await send('POST', '/api/users', admin.headers, { username: 'qian', password: 'admin-chose-this-1', role: 'planner' });
    expect(created.status).toBe(201);
    const qian = await loginAs(server, 'qian', 'admin-chose-this-1');
    expect((await me(qian.cookie)).body.user.mustChangePassword).toBe(true);
    // Everything that needs the account says so, in the asker's language; public reads still answer.
    const blocked = await server.get('/api/me/stations', { headers: { cookie: qian.cookie } });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error).toContain('请先修改密码');
    expect(blocked.body.details).toEqual({ must_change_password: true });
    const blockedEn = await server.get('/api/demand-layers', { headers: { cookie: qian.cookie, 'accept-language': 'en' } });
    expect(blockedEn.body.error).toContain('Choose your own password first');
    expect((await server.get('/api/meta', { headers: { cookie: qian.cookie } })).status).toBe(200);
    // Choosing their own lifts it, in this session.
    const changed = await send('POST', '/api/me/password', qian.headers, { current_password: 'admin-chose-this-1', new_password: 'qian-own-kite-harbour' });
    expect(changed.status).toBe(200);
    expect((await me(qian.cookie)).body.user.mustChangePassword).toBe(false);
    expect((await server.get('/api/me/stations', { headers: { cookie: qian.cookie } })).status).toBe(200);
    // An admin's reset sets it again; an admin changing their own password through PATCH does not.
    await send('PATCH', `/api/users/${created.body.id}`, admin.headers, { password: 'admin-reset-word-22' });
    const afterReset = await loginAs(server, 'qian', 'admin-reset-word-22');
    expect((await me(afterReset.cookie)).body.user.mustChangePassword).toBe(true);
    const self = (await me(admin.cookie)).body.user;
    await send('PATCH', `/api/users/${self.id}`, admin.headers, { password: 'acct-admin-password-2' });
    const adminAgain = await loginAs(server, 'acct-admin', 'acct-admin-password-2');
    expect((await me(adminAgain.cookie)).body.user.mustChangePassword).toBe(false);
    await send('PATCH', `/api/users/${self.id}`, adminAgain.headers, { password: 'acct-admin-password' });
  });

  it('refuses both without a session (401) and without the CSRF token (403)', async () => {
    expect((await send('DELETE', '/api/me/sessions', {})).status).toBe(401);
    const s = await loginAs(server, 'acct-admin', 'acct-admin-password');
    expect((await send('DELETE', '/api/me/sessions', { cookie: s.cookie })).status).toBe(403);
    expect((await me(s.cookie)).status).toBe(200);
  });
});
