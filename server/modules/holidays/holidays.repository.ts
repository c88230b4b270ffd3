import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { CalendarDay } from '../../hours/index.js';

export interface CalendarVersion {
  version: number;
  publishedThrough: string | null;
}

export async function readCalendarVersion(
  db: AppDatabase,
  calendar: string,
): Promise<CalendarVersion | null> {
  const [row] = await queryRows<{ version: string | number; published_through: string | null }>(
    db,
    sql`select version, published_through::text as published_through
        from holiday_calendars where calendar = ${calendar}`,
  );
  return row ? { version: Number(row.version), publishedThrough: row.published_through } : null;
}

export interface StoredDay extends CalendarDay {
  source: string;
}

export async function readCalendarDays(
  db: AppDatabase,
  calendar: string,
  year?: number,
): Promise<StoredDay[]> {
  const inYear = year === undefined ? sql`` : sql`and extract(year from date) = ${year}`;
  const rows = await queryRows<{
    date: string;
    kind: 'holiday' | 'workday';
    name_zh: string;
    name_en: string | null;
    source: string;
  }>(
    db,
    sql`select date::text as date, kind, name_zh, name_en, source from holidays
        where calendar = ${calendar} ${inYear} order by date`,
  );
  return rows.map((r) => ({
    date: r.date,
    kind: r.kind,
    name: r.name_zh,
    nameEn: r.name_en,
    source: r.source,
  }));
}

export async function readPublishedYears(
  db: AppDatabase,
  calendar: string,
): Promise<Array<{ year: number; source: string; published_at: string }>> {
  return queryRows(
    db,
    sql`select year, source, published_at::text as published_at from holiday_years
        where calendar = ${calendar} order by year`,
  );
}

const BATCH = 500;

/**
 * Publishes `years` of `calendar` in one transaction: their rows are replaced by `days` (days in
 * other years are added or updated one by one), the years are marked published, published_through
 * recomputed (the end of the last year in an unbroken run from the first published one) and the
 * version raised so that every instance reloads. `onlyIfNew` makes it a no-op when the calendar
 * already exists (the first-start seed, safe with several instances starting together).
 */
export async function publishYears(
  db: AppDatabase,
  calendar: string,
  days: CalendarDay[],
  years: number[],
  source: string,
  options: { onlyIfNew?: boolean } = {},
): Promise<CalendarVersion | null> {
  return db.transaction(async (tx) => {
    // The calendar row is the lock: concurrent imports (or seeds) of one calendar queue here.
    const created = await queryRows<{ calendar: string }>(
      tx as unknown as AppDatabase,
      sql`insert into holiday_calendars (calendar, version) values (${calendar}, 0)
          on conflict (calendar) do nothing returning calendar`,
    );
    if (options.onlyIfNew && created.length === 0) return null;
    await tx.execute(sql`select 1 from holiday_calendars where calendar = ${calendar} for update`);
    if (years.length > 0) {
      await tx.execute(
        sql`delete from holidays where calendar = ${calendar}
            and extract(year from date)::int in (${sql.join(years.map((y) => sql`${y}`), sql`, `)})`,
      );
    }
    for (let i = 0; i < days.length; i += BATCH) {
      const values = sql.join(
        days
          .slice(i, i + BATCH)
          .map((d) => sql`(${calendar}, ${d.date}::date, ${d.kind}, ${d.name}, ${d.nameEn ?? null}, ${source})`),
        sql`, `,
      );
      await tx.execute(
        sql`insert into holidays (calendar, date, kind, name_zh, name_en, source) values ${values}
            on conflict (calendar, date) do update set kind = excluded.kind, name_zh = excluded.name_zh,
              name_en = excluded.name_en, source = excluded.source, updated_at = now()`,
      );
    }
    for (const year of years) {
      await tx.execute(
        sql`insert into holiday_years (calendar, year, source) values (${calendar}, ${year}, ${source})
            on conflict (calendar, year) do update set source = excluded.source, published_at = now()`,
      );
    }
    const [row] = await queryRows<{ version: string | number; published_through: string | null }>(
      tx as unknown as AppDatabase,
      sql`with published as (
            select year, year - row_number() over (order by year) as run from holiday_years
            where calendar = ${calendar}
          ), first_run as (
            select max(year) as last from published
            where run = (select run from published order by year limit 1)
          )
          update holiday_calendars set version = version + 1, updated_at = now(),
            published_through = (select make_date(last, 12, 31) from first_run)
          where calendar = ${calendar}
          returning version, published_through::text as published_through`,
    );
    return { version: Number(row!.version), publishedThrough: row!.published_through };
  });
}
