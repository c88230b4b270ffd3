/**
 * npm run import:holidays -- FILE|URL [--dry-run] [--format ics|csv]
 * Loads a year's public holidays and 调休 make-up workdays from iCalendar (.ics, as the holiday-cn
 * project publishes the State Council's notice) or CSV (`date,kind,name[,name_en]`, kind =
 * holiday|workday). Each year the file names at least two holidays in is published whole (its
 * stored rows replaced) and `published_through` moves on. A file with any problem changes nothing.
 * Running servers pick the change up within seconds (they check the calendar's version).
 */
import path from 'node:path';
import { loadConfig } from '../server/config.js';
import { detectFormat } from '../server/modules/holidays/holiday-files.js';
import { HolidayCalendarStore } from '../server/modules/holidays/holiday-calendar.store.js';
import { importHolidays } from '../server/modules/holidays/holidays.service.js';
import { setHoursContext } from '../server/modules/holidays/hours-context.js';
import { openConfiguredDatabase, readSource } from './lib/cli-database.js';

async function main() {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const formatIndex = args.indexOf('--format');
  const formatArg = formatIndex >= 0 ? args[formatIndex + 1] : undefined;
  const sources = args.filter((a, i) => !a.startsWith('--') && (formatIndex < 0 || i !== formatIndex + 1));
  if (sources.length !== 1 || (formatArg && formatArg !== 'ics' && formatArg !== 'csv')) {
    console.error('usage: npm run import:holidays -- FILE|URL [--dry-run] [--format ics|csv]');
    process.exit(2);
  }
  const source = sources[0]!;
  const config = loadConfig();
  setHoursContext({ timeZone: config.TIME_ZONE });
  const text = await readSource(source);
  const format = (formatArg as 'ics' | 'csv' | undefined) ?? detectFormat(source, text);
  const handle = await openConfiguredDatabase();
  try {
    const store = new HolidayCalendarStore(handle.db, config.HOLIDAY_CALENDAR);
    await store.fresh();
    const report = await importHolidays(handle.db, store, {
      text,
      format,
      source: path.basename(source),
      dryRun,
    });
    if (report.problems.length > 0) {
      console.error(`${source}: ${report.problems.length} problem(s); nothing was imported:`);
      for (const problem of report.problems.slice(0, 50)) console.error(`  ${problem}`);
      process.exitCode = 1;
      return;
    }
    const { days, holidays, workdays } = report.summary;
    console.log(
      `${dryRun ? 'dry run: would import' : 'imported'} ${days} dates (${holidays} days off, ${workdays} make-up workdays); ` +
        `years published: ${report.years.join(', ') || 'none'}; published through ${report.published_through ?? 'nothing'}`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(`import:holidays failed: ${error.message}`);
  process.exit(1);
});
