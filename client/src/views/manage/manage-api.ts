/** The manager console's calls; types mirror the server's JSON. */
import { apiGet, apiSend, clearApiCache, setCsrfToken } from '../../lib/api/http.js';

import type { Closure, DateOverride } from '../../../../server/hours/types.js';
import type { Role } from '../../../../server/modules/auth/roles.js';
import type { AmenityStatus } from '../../../../server/modules/stations/amenities.js';

// The server's own types, so the console cannot drift from what the API sends (type-only: no code).
export type { AmenityStatus, Closure, DateOverride, Role };
export interface Me {
  id: number;
  username: string;
  role: Role;
  stationIds: number[];
  /** An admin chose the password: the console asks for a new one before anything else. */
  mustChangePassword?: boolean;
}
export interface Station {
  id: number;
  name: string;
  name_en: string | null;
  kind: string;
  address: string | null;
  lng: number;
  lat: number;
  district_code: string | null;
  amenities: Record<string, AmenityStatus>;
  opening_hours: string | null;
  hours_overrides: DateOverride[];
  closures: Closure[];
  phone: string | null;
  seats: number | null;
  verified_at: string | null;
  version: number;
}
export interface StationSummary {
  id: number;
  name: string;
  address: string | null;
  version: number;
  verified_at: string | null;
  open_reports: number;
}
export interface FieldChange {
  before: unknown;
  after: unknown;
}
export interface Change {
  id: number;
  username: string;
  action: string;
  changes: Record<string, FieldChange>;
  version: number;
  revert_of: number | null;
  created_at: string;
}
export interface Report {
  id: number;
  station_id: number;
  station_name: string;
  category: string;
  note: string | null;
  status: 'open' | 'resolved';
  created_at: string;
  resolved_by: string | null;
  outcome: ReportOutcome | null;
  reply: string | null;
}
export type ReportOutcome = 'resolved' | 'not_a_problem' | 'needs_union';
export interface HoursCheck {
  ok: boolean;
  error: string | null;
  warnings: string[];
  normalized: string | null;
  /** The text was a phrase (周一至周五 8:00-18:00); `normalized` is the OSM form stored. */
  from_phrase?: boolean;
  /** The part of a phrase that was not understood. */
  unparsed?: string | null;
  preview: {
    now: {
      open: boolean;
      unknown: boolean;
      next_change: string | null;
      text_zh: string;
      text_en: string;
      /** False past the published holiday arrangement. */
      holidays_known?: boolean;
    };
    week?: Array<{ date: string; holidaysKnown?: false }>;
  } | null;
}
export interface EditResult {
  station: Station;
  change_id: number | null;
  warnings: string[];
}

/** The signed-in user (and their CSRF token), or null. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const body = await apiGet<{ user: Me; csrfToken: string }>('/api/me');
    setCsrfToken(body.csrfToken);
    return body.user;
  } catch {
    return null;
  }
}

export async function login(username: string, password: string): Promise<Me> {
  const body = await apiSend<{ user: Me; csrfToken: string }>('POST', '/api/auth/login', { username, password });
  await clearApiCache();
  setCsrfToken(body.csrfToken);
  return body.user;
}

export async function logout() {
  try {
    await apiSend('POST', '/api/auth/logout');
  } finally {
    // Even when the network is gone: nothing of this session may stay behind on the device.
    setCsrfToken(null);
    await clearApiCache();
  }
}

export const myStations = (q = '') =>
  apiGet<{ stations: StationSummary[] }>(`/api/me/stations?limit=100${q ? `&q=${encodeURIComponent(q)}` : ''}`);
export const getStation = (id: number) => apiGet<{ station: Station }>(`/api/stations/${id}`);
export const saveStation = (id: number, version: number, patch: Partial<Station>) =>
  apiSend<EditResult>('PATCH', `/api/stations/${id}`, patch, { 'If-Match': `"${version}"` });
export const verifyStation = (id: number) => apiSend<EditResult>('POST', `/api/stations/${id}/verify`);
export const stationHistory = (id: number) => apiGet<{ changes: Change[] }>(`/api/stations/${id}/history`);
export const revertChange = (id: number, changeId: number, version: number) =>
  apiSend<EditResult>('POST', `/api/stations/${id}/revert/${changeId}`, { version });
export const checkHours = (body: {
  opening_hours: string;
  hours_overrides?: DateOverride[];
  closures?: Closure[];
  lng?: number;
  lat?: number;
}) =>
  apiSend<HoursCheck>('POST', '/api/hours/validate', body);
export const listReports = (status: 'open' | 'resolved') =>
  apiGet<{ reports: Report[] }>(`/api/reports?status=${status}`);
export const answerReport = (id: number, outcome: ReportOutcome, reply: string) =>
  apiSend('POST', `/api/reports/${id}/resolve`, { outcome, ...(reply.trim() ? { reply: reply.trim() } : {}) });
