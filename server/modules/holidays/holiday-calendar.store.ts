/**
 * The holiday calendar in memory, kept in step with the database.
 *
 * Loaded at start (seeding the `cn` calendar from `chinese-days` into an empty database), then
 * checked against `holiday_calendars.version` — one tiny query — at most every CHECK_INTERVAL_MS,
 * when a request that may evaluate hours comes. Only the first load is waited for: afterwards the
 * check runs beside the request, which answers from the loaded calendar. (Awaited, the check queued
 * behind whatever the database was busy with: on the embedded database, one connection, a nearest
 * search waited seconds behind a coverage statement.) An import on this instance reloads at once;
 * another instance sees it on its first request after CHECK_INTERVAL_MS plus that check's time.
 * The loaded calendar is handed to the hours engine through the hours context.
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { AppDatabase } from '../../db/client.js';
import { isDatabaseUnavailable, ServiceUnavailableError } from '../../http/errors.js';
import { builtInCalendarDays, NO_HOLIDAYS, type CalendarDay } from '../../hours/index.js';
import { calendarFromDays, hoursContext, setHoursContext } from './hours-context.js';
import { publishYears, readCalendarDays, readCalendarVersion } from './holidays.repository.js';

export type HolidayCalendarSetting = 'cn' | 'none';

const CHECK_INTERVAL_MS = 5_000;
export const BUILT_IN_SOURCE = 'chinese-days package';

/** Years in which `days` name at least two different holidays: the years a file publishes. */
export function yearsPublishedBy(days: CalendarDay[]): number[] {
  const names = new Map<number, Set<string>>();
  for (const day of days) {
    if (day.kind !== 'holiday') continue;
    const year = Number(day.date.slice(0, 4));
    if (!names.has(year)) names.set(year, new Set());
    names.get(year)!.add(day.name);
  }
  return [...names].filter(([, set]) => set.size >= 2).map(([year]) => year).sort((a, b) => a - b);
}

/** Seeds the `cn` calendar from `chinese-days` unless it exists; safe on several instances. */
export async function seedHolidayCalendar(db: AppDatabase, calendar = 'cn'): Promise<boolean> {
  const days = builtInCalendarDays();
  const done = await publishYears(db, calendar, days, yearsPublishedBy(days), BUILT_IN_SOURCE, {
    onlyIfNew: true,
  });
  return done !== null;
}

export class HolidayCalendarStore {
  private version: number | null = null;
  private checkedAt = 0;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly db: AppDatabase,
    readonly setting: HolidayCalendarSetting,
    private readonly log?: Logger,
  ) {
    if (setting === 'none') setHoursContext({ calendar: NO_HOLIDAYS });
  }

  /** Makes sure the calendar is loaded; starts a version check if the last is CHECK_INTERVAL_MS old. */
  async fresh(): Promise<void> {
    if (this.setting === 'none') return;
    if (this.version !== null && Date.now() - this.checkedAt < CHECK_INTERVAL_MS) return;
    if (!this.pending) {
      this.pending = this.check().finally(() => (this.pending = null));
      this.pending.catch((error) => {
        // Already loaded: keep answering from it (the check is retried on the next request).
        if (this.version !== null) this.log?.warn({ err: error }, 'holiday calendar version check failed; keeping the loaded one');
      });
    }
    // Loaded: answer from it now; the check runs beside this request.
    if (this.version !== null) return;
    await this.pending;
  }

  /** Reloads now (after an import on this instance). */
  async reload(): Promise<void> {
    this.checkedAt = 0;
    this.version = -1;
    await this.check();
  }

  private async check(): Promise<void> {
    let current = await readCalendarVersion(this.db, this.setting);
    if (!current) {
      if (await seedHolidayCalendar(this.db, this.setting)) {
        this.log?.info('seeded the holiday calendar from the chinese-days package');
      }
      current = await readCalendarVersion(this.db, this.setting);
    }
    this.checkedAt = Date.now();
    if (!current || current.version === this.version) return;
    const days = await readCalendarDays(this.db, this.setting);
    const id = `${this.setting}@${current.version}`;
    setHoursContext({ calendar: calendarFromDays(id, days, current.publishedThrough) });
    this.version = current.version;
    this.log?.info({ version: current.version, publishedThrough: current.publishedThrough }, 'holiday calendar loaded');
  }

  /** Express middleware: requests that evaluate hours see a current calendar (503 if none yet). */
  middleware(): RequestHandler {
    return async (_req, _res, next) => {
      try {
        await this.fresh();
        next();
      } catch (error) {
        next(
          isDatabaseUnavailable(error)
            ? new ServiceUnavailableError('The holiday calendar cannot be loaded; retry shortly')
            : error,
        );
      }
    };
  }
}

/** What /api/meta says about the calendar in use. */
export function holidayCalendarSummary() {
  const { calendar } = hoursContext();
  return {
    calendar: calendar.observesHolidays ? calendar.id.split('@')[0]! : 'none',
    version: calendar.id,
    /** Last date of the published arrangement; after it holidays are provisional (null: none). */
    published_through: calendar.publishedThrough,
  };
}
