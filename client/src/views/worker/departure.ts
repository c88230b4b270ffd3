/**
 * The worker's departure time: now, or today/tomorrow at a wall-clock time in the deployment's
 * zone (where the stations' hours are read), turned into the instant /api/nearest takes as `at`.
 */
import { localDate, localHour, zoneOffsetMinutes } from '../../lib/deployment.svelte.js';

export type DepartureDay = 'now' | 'today' | 'tomorrow';

export interface Departure {
  day: DepartureDay;
  /** HH:MM, 24-hour; ignored for now. */
  time: string;
}

export const LEAVE_NOW: Departure = { day: 'now', time: '' };

/** The next whole hour on the deployment's clock: a sensible first choice for "later". */
export function nextWholeHour(now = new Date()): string {
  return `${String((localHour(now) + 1) % 24).padStart(2, '0')}:00`;
}

/** The instant of a chosen departure, or null for now. Exact across a DST change (checked twice). */
export function departureInstant(departure: Departure, now = new Date()): Date | null {
  if (departure.day === 'now') return null;
  const match = /^(\d{2}):(\d{2})$/.exec(departure.time);
  if (!match) return null;
  const [y, m, d] = localDate(now).split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d + (departure.day === 'tomorrow' ? 1 : 0), Number(match[1]), Number(match[2]));
  let instant = wall - zoneOffsetMinutes(wall) * 60_000;
  instant = wall - zoneOffsetMinutes(instant) * 60_000;
  return new Date(instant);
}
