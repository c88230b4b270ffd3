/**
 * Who may do what. admin: everything (users, imports, every station); planner: read, analysis and
 * exports; manager: only the stations assigned to them.
 */
export const ROLES = ['admin', 'planner', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The signed-in user as routes see it on `req.user`. */
export interface AuthUser {
  id: number;
  username: string;
  role: Role;
  /** Stations assigned to a manager; empty for admins and planners (they are not per-station). */
  stationIds: number[];
  /** An admin chose the password: only changing it (or signing out) is allowed until then. */
  mustChangePassword?: boolean;
}

/** Whether `user` may change station `stationId`: admins always, managers when assigned. */
export function canEditStation(user: AuthUser | undefined, stationId: number): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  return user.role === 'manager' && user.stationIds.includes(stationId);
}
