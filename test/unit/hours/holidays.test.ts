import { describe, expect, it } from 'vitest';
import { holidayInfo } from '../../../server/hours/index.js';

describe('holidayInfo (State Council calendar via chinese-days)', () => {
  it('names each kind of official holiday in 2026', () => {
    const names = Object.fromEntries(
      [
        '2026-01-01',
        '2026-02-17',
        '2026-04-05',
        '2026-05-01',
        '2026-06-19',
        '2026-09-25',
        '2026-10-01',
      ].map((date) => [date, holidayInfo(date).name]),
    );
    expect(names).toEqual({
      '2026-01-01': '元旦',
      '2026-02-17': '春节',
      '2026-04-05': '清明',
      '2026-05-01': '劳动节',
      '2026-06-19': '端午',
      '2026-09-25': '中秋',
      '2026-10-01': '国庆节',
    });
  });

  it('reports a Spring Festival day off with both names', () => {
    expect(holidayInfo('2026-02-17')).toEqual({
      holiday: true,
      name: '春节',
      nameEn: 'Spring Festival',
      makeupWorkday: false,
    });
    expect(holidayInfo('2026-10-01')).toMatchObject({ holiday: true, nameEn: 'National Day' });
  });

  it('counts weekends inside a holiday period as holidays (2026-02-15 is a Sunday)', () => {
    expect(holidayInfo('2026-02-15')).toMatchObject({ holiday: true, name: '春节' });
  });

  it('marks 调休 make-up Saturdays and Sundays as workdays, not holidays', () => {
    // 2026-02-14 (Sat) and 2026-01-04 (Sun) are official workdays in the 2026 notice.
    expect(holidayInfo('2026-02-14')).toEqual({
      holiday: false,
      name: '春节',
      nameEn: 'Spring Festival',
      makeupWorkday: true,
    });
    expect(holidayInfo('2026-01-04')).toMatchObject({
      holiday: false,
      makeupWorkday: true,
      name: '元旦',
    });
    expect(holidayInfo('2025-09-28')).toMatchObject({ makeupWorkday: true, name: '国庆节' });
  });

  it('treats ordinary days as ordinary, including dates opening_hours lists for China', () => {
    expect(holidayInfo('2026-02-24')).toEqual({ holiday: false, makeupWorkday: false });
    // opening_hours' own "cn" table has 妇女节 (8 Mar) as PH; it is not a day off for everyone.
    expect(holidayInfo('2026-03-08')).toEqual({ holiday: false, makeupWorkday: false });
    expect(holidayInfo('2026-03-07')).toEqual({ holiday: false, makeupWorkday: false });
  });

  it('rejects malformed or impossible dates', () => {
    expect(() => holidayInfo('2026-02-30')).toThrow(RangeError);
    expect(() => holidayInfo('17/02/2026')).toThrow('Invalid local date "17/02/2026"');
  });
});
