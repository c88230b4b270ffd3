import { describe, expect, it } from 'vitest';
import {
  createHolidayCalendar,
  describeState,
  holidayInfo,
  NO_HOLIDAYS,
  provisionalHolidaysOf,
  scheduleStateAt,
  weekTable,
  type StationSchedule,
} from '../../../server/hours/index.js';
import { bj } from './helpers.js';

const PH_OFF = 'Mo-Su 08:00-18:00; PH off';

/** 2027 as the State Council style notice would publish it (a test calendar, not the real one). */
const WITH_2027 = createHolidayCalendar({
  id: 'test-2027',
  publishedThrough: '2027-12-31',
  days: [
    ...['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'].map(
      (date) => ({ date, kind: 'holiday' as const, name: '春节', nameEn: 'Spring Festival' }),
    ),
    { date: '2027-02-13', kind: 'workday', name: '春节', nameEn: 'Spring Festival' },
  ],
});

describe('a calendar that ends: after published_through', () => {
  it('computes the statutory days of 2027 (春节 初一 is 6 Feb; 除夕 to 初三 off)', () => {
    const days = provisionalHolidaysOf(2027);
    const named = (name: string) => [...days].filter(([, h]) => h.name === name).map(([d]) => d);
    expect(named('春节')).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
    expect(named('元旦')).toEqual(['2027-01-01']);
    expect(named('清明')).toEqual(['2027-04-05']);
    expect(named('劳动节')).toEqual(['2027-05-01', '2027-05-02']);
    expect(named('端午')).toEqual(['2027-06-09']);
    expect(named('中秋')).toEqual(['2027-09-15']);
    expect(named('国庆节')).toEqual(['2027-10-01', '2027-10-02', '2027-10-03']);
  });

  it('marks 2027 dates unknown, festivals provisional, and no make-up workdays', () => {
    expect(holidayInfo('2027-02-06')).toEqual({
      holiday: true,
      name: '春节',
      nameEn: 'Spring Festival',
      makeupWorkday: false,
      known: false,
      provisional: true,
    });
    expect(holidayInfo('2027-02-13')).toEqual({ holiday: false, makeupWorkday: false, known: false });
    expect(holidayInfo('2026-12-31')).toEqual({ holiday: false, makeupWorkday: false });
  });

  it('does not promise a `PH off` station open on 春节 2027 and says the holidays are not known', () => {
    const state = scheduleStateAt({ openingHours: PH_OFF }, bj('2027-02-06T10:00'));
    expect(state).toMatchObject({
      open: false,
      unknown: false,
      reason: 'holiday',
      holiday: { name: '春节', provisional: true },
      holidaysKnown: false,
    });
    expect(describeState(state, bj('2027-02-06T10:00'), 'zh')).toBe('今日休息（春节，安排尚未公布）');
    const week = weekTable({ openingHours: PH_OFF }, '2027-02-04', 3);
    expect(week.map((d) => [d.date, d.closed, d.holidaysKnown, d.holiday?.provisional])).toEqual([
      ['2027-02-04', false, false, undefined],
      ['2027-02-05', true, false, true],
      ['2027-02-06', true, false, true],
    ]);
  });

  it('knows 2027 once it is imported: published days, make-up workdays, no provisional marks', () => {
    const schedule: StationSchedule = { openingHours: 'Mo-Fr 08:00-18:00; PH off', calendar: WITH_2027 };
    const festival = scheduleStateAt(schedule, bj('2027-02-10T10:00'));
    expect(festival.holiday).toEqual({ name: '春节', nameEn: 'Spring Festival' });
    expect(festival.holidaysKnown).toBeUndefined();
    expect(festival.open).toBe(false);
    // 13 Feb 2027 is a Saturday worked in lieu: open like the Friday before it.
    expect(scheduleStateAt(schedule, bj('2027-02-13T10:00'))).toMatchObject({ open: true, reason: 'holiday' });
  });

  it('observes no holiday with HOLIDAY_CALENDAR=none, and every date is known', () => {
    const state = scheduleStateAt({ openingHours: PH_OFF, calendar: NO_HOLIDAYS }, bj('2027-02-06T10:00'));
    expect(state.open).toBe(true);
    expect(state.holidaysKnown).toBeUndefined();
    expect(state.holiday).toBeUndefined();
  });
});

describe('the engine in another zone', () => {
  it('reads hours on Europe/Andorra wall clocks, across the spring DST change', () => {
    const schedule: StationSchedule = { openingHours: 'Mo-Su 09:00-17:00', timeZone: 'Europe/Andorra', calendar: NO_HOLIDAYS };
    // 08:30 UTC on 4 Mar 2026 is 09:30 in Andorra (UTC+1): open, closing 17:00 local = 16:00 UTC.
    const winter = scheduleStateAt(schedule, new Date('2026-03-04T08:30:00Z'));
    expect(winter.open).toBe(true);
    expect(winter.nextChange).toEqual(new Date('2026-03-04T16:00:00Z'));
    // After 29 Mar (UTC+2): 07:30 UTC is 09:30 local.
    expect(scheduleStateAt(schedule, new Date('2026-04-01T07:30:00Z')).open).toBe(true);
    expect(scheduleStateAt(schedule, new Date('2026-04-01T06:30:00Z')).open).toBe(false);
  });
});
