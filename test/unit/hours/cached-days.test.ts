/**
 * Evaluated days are cached by the schedule's text (timeline.ts). Every part of a schedule that
 * changes the answer must be part of that key: here the same hours are asked about on the same
 * day, one changed part at a time, right after the unchanged schedule filled the cache.
 */
import { describe, expect, it } from 'vitest';
import {
  isAlwaysOpen,
  openIntervals,
  scheduleStateAt,
  type StationSchedule,
} from '../../../server/hours/index.js';
import { bj } from './helpers.js';

const BASE: StationSchedule = { openingHours: 'Mo-Su 08:00-20:00' };
const NOON = bj('2026-03-04T12:00');

describe('cached day evaluation answers for the schedule asked about, not an earlier one', () => {
  it('sees a closure added to the same hours', () => {
    expect(scheduleStateAt(BASE, NOON).open).toBe(true);
    const closed = scheduleStateAt(
      {
        ...BASE,
        closures: [
          { from: '2026-03-04T11:00:00+08:00', to: '2026-03-04T13:00:00+08:00', reason: '维修' },
        ],
      },
      NOON,
    );
    expect(closed.open).toBe(false);
    expect(closed.closure?.reason).toBe('维修');
    expect(scheduleStateAt(BASE, NOON).open).toBe(true);
  });

  it('sees an override, and a change of its note', () => {
    expect(scheduleStateAt(BASE, bj('2026-03-04T21:00')).open).toBe(false);
    const override = { from: '2026-03-04', to: '2026-03-04', opening_hours: '24/7', note: '延长' };
    const extended = scheduleStateAt({ ...BASE, overrides: [override] }, bj('2026-03-04T21:00'));
    expect(extended).toMatchObject({ open: true, reason: 'override', comment: '延长' });
    const renamed = scheduleStateAt(
      { ...BASE, overrides: [{ ...override, note: '寒潮延长' }] },
      bj('2026-03-04T21:00'),
    );
    expect(renamed.comment).toBe('寒潮延长');
  });

  it('sees different hours and a different station zone on the same date', () => {
    expect(scheduleStateAt(BASE, bj('2026-03-04T07:30')).open).toBe(false);
    expect(
      scheduleStateAt({ openingHours: 'Mo-Su 07:00-20:00' }, bj('2026-03-04T07:30')).open,
    ).toBe(true);
    // 07:30 in Beijing is 23:30 the day before in London: closed there under the same hours.
    const london = scheduleStateAt({ ...BASE, timeZone: 'Europe/London' }, bj('2026-03-04T16:30'));
    expect(london).toMatchObject({ open: true, timeZone: 'Europe/London' });
    expect(
      openIntervals({ ...BASE, timeZone: 'Europe/London' }, NOON, bj('2026-03-04T17:00')),
    ).toEqual([[bj('2026-03-04T16:00'), bj('2026-03-04T17:00')]]);
  });

  it('answers the same twice, and leaves shared segments unchanged by callers', () => {
    const first = scheduleStateAt(BASE, NOON);
    first.nextChange?.setTime(0);
    expect(scheduleStateAt(BASE, NOON)).toEqual({
      open: true,
      unknown: false,
      nextChange: bj('2026-03-04T20:00'),
      nextOpen: false,
      reason: 'weekly',
      timeZone: 'Asia/Shanghai',
    });
  });

  it('answers "always open" per date: a closure still to come is seen', () => {
    const allDay: StationSchedule = { openingHours: '24/7' };
    expect(isAlwaysOpen(allDay, NOON)).toBe(true);
    expect(
      isAlwaysOpen(
        {
          ...allDay,
          closures: [
            { from: '2026-03-10T09:00:00+08:00', to: '2026-03-10T12:00:00+08:00', reason: '检修' },
          ],
        },
        NOON,
      ),
    ).toBe(false);
    expect(isAlwaysOpen(allDay, NOON)).toBe(true);
  });
});
