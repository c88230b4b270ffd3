/** Admin-only calls of the console (users, creating and deleting stations); types mirror the server's JSON. */
import { apiGet, apiSend } from '../../lib/api/http.js';
import type { AmenityStatus, EditResult, Role } from './manage-api.js';

export const ROLES: Role[] = ['admin', 'planner', 'manager'];
export const DATUMS = ['WGS84', 'GCJ02', 'BD09'] as const;
export type Datum = (typeof DATUMS)[number];
/** The server refuses shorter passwords; checked here too so the admin learns before sending. */
export const MIN_PASSWORD_LENGTH = 10;

export type { UserSummary } from '../../../../server/modules/auth/auth.repository.js';
import type { UserSummary } from '../../../../server/modules/auth/auth.repository.js';

export interface NewStation {
  name: string;
  name_en: string | null;
  kind: string;
  address: string | null;
  lng: number;
  lat: number;
  datum: Datum;
  amenities: Record<string, AmenityStatus>;
  opening_hours: string | null;
  phone: string | null;
  seats: number | null;
}

export const listUsers = () => apiGet<{ users: UserSummary[] }>('/api/users');
export const createUser = (body: {
  username: string;
  password: string;
  role: Role;
  stationIds?: number[];
}) => apiSend<{ id: number }>('POST', '/api/users', body);
export const updateUser = (
  id: number,
  patch: { role?: Role; disabled?: boolean; stationIds?: number[]; password?: string },
) => apiSend<{ id: number }>('PATCH', `/api/users/${id}`, patch);

export const createStation = (body: NewStation) =>
  apiSend<EditResult>('POST', '/api/stations', body);
/** Sends the version the admin saw, so a station changed meanwhile is not deleted blind. */
export const deleteStation = (id: number, version: number) =>
  apiSend<void>('DELETE', `/api/stations/${id}`, { version });
