import { describe, expect, it } from 'vitest';
import { weekTable } from '../../../server/hours/index.js';

const SPRING_FESTIVAL = { name: '春节', nameEn: 'Spring Festival' };
const dayShift = [{ from: '08:00', to: '18:00' }];

describe('weekTable', () => {
  it('shows the make-up Saturday open and the 春节 days closed', () => {
    const rows = weekTable({ openingHours: 'Mo-Fr 08:00-18:00; PH off' }, '2026-02-13', 4);
    expect(rows).toEqual([
      {
        date: '2026-02-13',
        weekday: 5,
        intervals: dayShift,
        makeupWorkday: false,
        unknown: false,
        closed: false,
      },
      {
        date: '2026-02-14',
        weekday: 6,
        intervals: dayShift,
        makeupWorkday: true,
        unknown: false,
        closed: false,
      },
      {
        date: '2026-02-15',
        weekday: 0,
        intervals: [],
        holiday: SPRING_FESTIVAL,
        makeupWorkday: false,
        unknown: false,
        closed: true,
      },
      {
        date: '2026-02-16',
        weekday: 1,
        intervals: [],
        holiday: SPRING_FESTIVAL,
        makeupWorkday: false,
        unknown: false,
        closed: true,
      },
    ]);
  });

  it('reopens on the first working day after the break', () => {
    const rows = weekTable({ openingHours: 'Mo-Fr 08:00-18:00; PH off' }, '2026-02-23', 2);
    expect(rows.map((row) => [row.date, row.closed, row.intervals])).toEqual([
      ['2026-02-23', true, []],
      ['2026-02-24', false, dayShift],
    ]);
  });

  it('splits an overnight range at midnight so each row describes its own date', () => {
    const [row] = weekTable({ openingHours: '22:00-06:00' }, '2026-03-10', 1);
    expect(row!.intervals).toEqual([
      { from: '00:00', to: '06:00' },
      { from: '22:00', to: '24:00' },
    ]);
  });

  it('shows override notes and closure reasons', () => {
    const rows = weekTable(
      {
        openingHours: 'Mo-Su 08:00-20:00; PH off',
        overrides: [
          {
            from: '2026-02-15',
            to: '2026-02-23',
            opening_hours: '24/7',
            note: '春节期间24小时开放',
          },
        ],
        closures: [
          { from: '2026-02-16T09:00:00+08:00', to: '2026-02-16T12:00:00+08:00', reason: '消毒' },
        ],
      },
      '2026-02-15',
      2,
    );
    expect(
      rows.map(({ date, intervals, override, closure }) => ({
        date,
        intervals,
        override,
        closure,
      })),
    ).toEqual([
      {
        date: '2026-02-15',
        intervals: [{ from: '00:00', to: '24:00' }],
        override: '春节期间24小时开放',
        closure: undefined,
      },
      {
        date: '2026-02-16',
        intervals: [
          { from: '00:00', to: '09:00' },
          { from: '12:00', to: '24:00' },
        ],
        override: '春节期间24小时开放',
        closure: '消毒',
      },
    ]);
  });

  it('marks days without published hours as unknown and closed', () => {
    const [row] = weekTable({ openingHours: null }, '2026-03-10', 1);
    expect(row).toMatchObject({ intervals: [], unknown: true, closed: true });
  });

  it('rejects bad arguments', () => {
    expect(() => weekTable({ openingHours: '24/7' }, '2026-13-01')).toThrow(RangeError);
    expect(() => weekTable({ openingHours: '24/7' }, '2026-03-10', 0)).toThrow(
      'weekTable: days must be an integer from 1 to 366, got 0',
    );
  });
});
