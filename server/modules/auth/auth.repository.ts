import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { AuthUser, Role } from './roles.js';

export interface UserCredentials {
  id: number;
  username: string;
  role: Role;
  password_hash: string;
  disabled: boolean;
  must_change_password: boolean;
}

export interface UserSummary {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  station_ids: number[];
  created_at: string;
}

/** The account with this name, whatever the case it is typed in (names are unique ignoring case). */
export async function findUserCredentials(
  db: AppDatabase,
  username: string,
): Promise<UserCredentials | null> {
  const rows = await queryRows<UserCredentials>(
    db,
    sql`select id, username, role, password_hash, disabled_at is not null as disabled, must_change_password
        from users where lower(username) = lower(${username.trim()})`,
  );
  return rows[0] ?? null;
}

export async function findUserStationIds(db: AppDatabase, userId: number): Promise<number[]> {
  const rows = await queryRows<{ station_id: number }>(
    db,
    sql`select station_id from user_stations where user_id = ${userId} order by station_id`,
  );
  return rows.map((r) => Number(r.station_id));
}

/** Inserts a user and their station assignments in one transaction; returns the new id. */
export async function insertUser(
  db: AppDatabase,
  user: { username: string; passwordHash: string; role: Role; stationIds: number[]; mustChangePassword: boolean },
): Promise<number> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as AppDatabase;
    const [row] = await queryRows<{ id: number }>(
      t,
      sql`insert into users (username, password_hash, role, must_change_password)
          values (${user.username}, ${user.passwordHash}, ${user.role}, ${user.mustChangePassword}) returning id`,
    );
    await replaceUserStations(t, row!.id, user.stationIds);
    return row!.id;
  });
}

export async function replaceUserStations(db: AppDatabase, userId: number, stationIds: number[]) {
  await db.execute(sql`delete from user_stations where user_id = ${userId}`);
  if (stationIds.length === 0) return;
  await db.execute(
    sql`insert into user_stations (user_id, station_id)
        select ${userId}, unnest(${`{${stationIds.join(',')}}`}::int[]) on conflict do nothing`,
  );
}

/** Ids among `ids` that are not stations, to name them in a 400. */
export async function missingStationIds(db: AppDatabase, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{ id: number }>(
    db,
    sql`select x.id from unnest(${`{${ids.join(',')}}`}::int[]) as x(id)
        where not exists (select 1 from stations s where s.id = x.id)`,
  );
  return rows.map((r) => r.id);
}

export async function updateUser(
  db: AppDatabase,
  userId: number,
  changes: { role?: Role; passwordHash?: string; passwordChosenByAdmin?: boolean; disabled?: boolean; stationIds?: number[] },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as AppDatabase;
    const rows = await queryRows<{ id: number }>(
      t,
      sql`update users set
            role = coalesce(${changes.role ?? null}, role),
            password_hash = coalesce(${changes.passwordHash ?? null}, password_hash),
            must_change_password = case when ${changes.passwordHash ?? null}::text is null then must_change_password
                                        else ${changes.passwordChosenByAdmin ?? false} end,
            disabled_at = case when ${changes.disabled ?? null}::boolean is null then disabled_at
                               when ${changes.disabled ?? null}::boolean then coalesce(disabled_at, now())
                               else null end
          where id = ${userId} returning id`,
    );
    if (rows.length === 0) return false;
    if (changes.stationIds) await replaceUserStations(t, userId, changes.stationIds);
    // A new password or a disabled account ends every open session of that user.
    if (changes.passwordHash || changes.disabled) {
      await t.execute(sql`delete from sessions where user_id = ${userId}`);
    }
    return true;
  });
}

export async function listUsers(db: AppDatabase): Promise<UserSummary[]> {
  return queryRows<UserSummary>(
    db,
    sql`select u.id, u.username, u.role, u.disabled_at is not null as disabled,
          coalesce((select array_agg(us.station_id order by us.station_id) from user_stations us
                    where us.user_id = u.id), '{}') as station_ids,
          to_json(u.created_at) #>> '{}' as created_at
        from users u order by u.id`,
  );
}

export async function insertSession(
  db: AppDatabase,
  session: { tokenHash: string; userId: number; csrfToken: string; ttlSeconds: number },
): Promise<void> {
  await db.execute(
    sql`insert into sessions (token_hash, user_id, csrf_token, expires_at)
        values (${session.tokenHash}, ${session.userId}, ${session.csrfToken},
                now() + make_interval(secs => ${session.ttlSeconds}))`,
  );
}

export interface SessionUser extends AuthUser {
  sessionId: number;
  csrfToken: string;
  expiresAt: string;
}

/** The live session with this token hash and its (enabled) user, or null. */
export async function findSessionUser(db: AppDatabase, tokenHash: string): Promise<SessionUser | null> {
  const rows = await queryRows<{
    session_id: number;
    csrf_token: string;
    expires_at: string;
    id: number;
    username: string;
    role: Role;
    station_ids: number[];
    must_change_password: boolean;
  }>(
    db,
    sql`select s.id as session_id, s.csrf_token, to_json(s.expires_at) #>> '{}' as expires_at,
          u.id, u.username, u.role, u.must_change_password,
          coalesce((select array_agg(us.station_id order by us.station_id) from user_stations us
                    where us.user_id = u.id), '{}') as station_ids
        from sessions s join users u on u.id = s.user_id
        where s.token_hash = ${tokenHash} and s.expires_at > now() and u.disabled_at is null`,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    id: row.id,
    username: row.username,
    role: row.role,
    stationIds: row.station_ids.map(Number),
    mustChangePassword: row.must_change_password,
  };
}

export async function deleteSession(db: AppDatabase, sessionId: number): Promise<void> {
  await db.execute(sql`delete from sessions where id = ${sessionId}`);
}

/** Ends every session of a user ("sign out everywhere"). */
export async function deleteUserSessions(db: AppDatabase, userId: number): Promise<number> {
  const rows = await queryRows<{ id: number }>(db, sql`delete from sessions where user_id = ${userId} returning id`);
  return rows.length;
}

/** A new password hash, and every other session of the user ended, in one transaction. */
export async function setOwnPassword(db: AppDatabase, userId: number, passwordHash: string, keepSessionId: number): Promise<number> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as AppDatabase;
    await t.execute(sql`update users set password_hash = ${passwordHash}, must_change_password = false where id = ${userId}`);
    const ended = await queryRows<{ id: number }>(
      t,
      sql`delete from sessions where user_id = ${userId} and id <> ${keepSessionId} returning id`,
    );
    return ended.length;
  });
}

export async function findPasswordHash(db: AppDatabase, userId: number): Promise<{ username: string; password_hash: string } | null> {
  const rows = await queryRows<{ username: string; password_hash: string }>(
    db,
    sql`select username, password_hash from users where id = ${userId}`,
  );
  return rows[0] ?? null;
}

/** Housekeeping done at each login, so the table does not grow without bound. */
export async function deleteExpiredSessions(db: AppDatabase): Promise<void> {
  await db.execute(sql`delete from sessions where expires_at < now()`);
}
