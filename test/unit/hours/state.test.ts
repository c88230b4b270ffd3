import { describe, expect, it } from 'vitest';
import { scheduleStateAt, type StationSchedule } from '../../../server/hours/index.js';
import { bj } from './helpers.js';

const weekly = (openingHours: string | null): StationSchedule => ({ openingHours });
const SPRING_FESTIVAL = { name: '春节', nameEn: 'Spring Festival' };

describe('scheduleStateAt: public holidays from the State Council calendar', () => {
  it('closes a `PH off` station on 春节 (2026-02-17) and finds the reopening after the break', () => {
    expect(scheduleStateAt(weekly('Mo-Su 08:00-20:00; PH off'), bj('2026-02-17T10:00'))).toEqual({
      open: false,
      unknown: false,
      nextChange: bj('2026-02-24T08:00'),
      nextOpen: true,
      reason: 'holiday',
      holiday: SPRING_FESTIVAL,
      timeZone: 'Asia/Shanghai',
    });
  });

  it('keeps a station without PH rules open on 春节, still naming the holiday', () => {
    expect(scheduleStateAt(weekly('Mo-Su 08:00-20:00'), bj('2026-02-17T10:00'))).toEqual({
      open: true,
      unknown: false,
      nextChange: bj('2026-02-17T20:00'),
      nextOpen: false,
      reason: 'weekly',
      holiday: SPRING_FESTIVAL,
      timeZone: 'Asia/Shanghai',
    });
  });

  it('applies `PH off` on every kind of holiday, lunar ones included', () => {
    const schedule = weekly('Mo-Su 08:00-20:00; PH off');
    const holidays = [
      '2026-01-01',
      '2026-02-17',
      '2026-04-05',
      '2026-05-01',
      '2026-06-19',
      '2026-09-25',
      '2026-10-01',
    ];
    for (const date of holidays) {
      expect(scheduleStateAt(schedule, bj(`${date}T12:00`)), date).toMatchObject({
        open: false,
        reason: 'holiday',
      });
    }
    // 8 March is PH in opening_hours' own table for China but is not an official day off.
    expect(scheduleStateAt(schedule, bj('2026-03-08T12:00'))).toMatchObject({
      open: true,
      reason: 'weekly',
    });
  });

  it('uses `PH 10:00-16:00` on 国庆 (2026-10-01, a Thursday) and the weekday hours after', () => {
    const schedule = weekly('Mo-Fr 08:00-18:00; PH 10:00-16:00');
    expect(scheduleStateAt(schedule, bj('2026-10-01T09:00'))).toMatchObject({
      open: false,
      reason: 'holiday',
      holiday: { name: '国庆节', nameEn: 'National Day' },
      nextChange: bj('2026-10-01T10:00'),
      nextOpen: true,
    });
    expect(scheduleStateAt(schedule, bj('2026-10-01T12:00'))).toMatchObject({
      open: true,
      nextChange: bj('2026-10-01T16:00'),
    });
    expect(scheduleStateAt(schedule, bj('2026-10-09T09:00'))).toMatchObject({
      open: true,
      reason: 'weekly',
      nextChange: bj('2026-10-09T18:00'),
    });
  });

  it('finds the reopening after the 7-day 国庆 break', () => {
    expect(
      scheduleStateAt(weekly('Mo-Su 08:00-20:00; PH off'), bj('2026-10-01T12:00')),
    ).toMatchObject({
      open: false,
      nextChange: bj('2026-10-08T08:00'),
      nextOpen: true,
    });
  });
});

describe('scheduleStateAt: 调休 make-up workdays', () => {
  it('opens a Mo-Fr station on make-up Saturday 2026-02-14, but not on an ordinary Saturday', () => {
    const schedule = weekly('Mo-Fr 08:00-18:00');
    expect(scheduleStateAt(schedule, bj('2026-02-14T10:00'))).toEqual({
      open: true,
      unknown: false,
      nextChange: bj('2026-02-14T18:00'),
      nextOpen: false,
      reason: 'holiday',
      timeZone: 'Asia/Shanghai',
    });
    expect(scheduleStateAt(schedule, bj('2026-03-07T10:00'))).toMatchObject({
      open: false,
      reason: 'weekly',
      nextChange: bj('2026-03-09T08:00'),
    });
  });

  it("gives a make-up Saturday the Friday's hours", () => {
    const schedule = weekly('Mo-Th 08:00-18:00; Fr 08:00-16:00');
    expect(scheduleStateAt(schedule, bj('2026-02-14T15:00'))).toMatchObject({
      open: true,
      nextChange: bj('2026-02-14T16:00'),
    });
    expect(scheduleStateAt(schedule, bj('2026-02-14T17:00')).open).toBe(false);
  });

  it("gives a make-up Sunday (2026-01-04) the Monday's hours", () => {
    const schedule = weekly('Mo 09:00-12:00; Tu-Fr 08:00-18:00');
    expect(scheduleStateAt(schedule, bj('2026-01-04T10:00'))).toMatchObject({
      open: true,
      reason: 'holiday',
      nextChange: bj('2026-01-04T12:00'),
    });
  });
});

describe('scheduleStateAt: times of day', () => {
  const overnight = weekly('22:00-06:00');

  it('is open at 23:00 in a 22:00-06:00 range and closes at 06:00 the next day', () => {
    expect(scheduleStateAt(overnight, bj('2026-03-10T23:00'))).toMatchObject({
      open: true,
      nextChange: bj('2026-03-11T06:00'),
      nextOpen: false,
    });
  });

  it('is open at 05:00 (carried over from the evening before) and closes at 06:00', () => {
    expect(scheduleStateAt(overnight, bj('2026-03-10T05:00'))).toMatchObject({
      open: true,
      nextChange: bj('2026-03-10T06:00'),
    });
  });

  it('is closed at 07:00 and opens at 22:00', () => {
    expect(scheduleStateAt(overnight, bj('2026-03-10T07:00'))).toMatchObject({
      open: false,
      nextChange: bj('2026-03-10T22:00'),
      nextOpen: true,
    });
  });

  it('never changes for 24/7 or Mo-Su 00:00-24:00', () => {
    for (const value of ['24/7', 'Mo-Su 00:00-24:00']) {
      expect(scheduleStateAt(weekly(value), bj('2026-02-17T03:00')), value).toMatchObject({
        open: true,
        unknown: false,
        nextChange: null,
        nextOpen: null,
      });
    }
  });

  it('never opens for `off`', () => {
    expect(scheduleStateAt(weekly('off'), bj('2026-03-10T12:00'))).toMatchObject({
      open: false,
      unknown: false,
      nextChange: null,
      nextOpen: null,
      reason: 'weekly',
    });
  });
});

describe('scheduleStateAt: overrides and closures', () => {
  const springFestivalAllDay: StationSchedule = {
    openingHours: 'Mo-Su 08:00-20:00; PH off',
    overrides: [
      { from: '2026-02-15', to: '2026-02-23', opening_hours: '24/7', note: '春节期间24小时开放' },
    ],
  };

  it('lets a 24/7 override for 2026-02-15..23 beat `PH off`', () => {
    expect(scheduleStateAt(springFestivalAllDay, bj('2026-02-17T03:00'))).toEqual({
      open: true,
      unknown: false,
      nextChange: bj('2026-02-24T00:00'),
      nextOpen: false,
      reason: 'override',
      holiday: SPRING_FESTIVAL,
      comment: '春节期间24小时开放',
      timeZone: 'Asia/Shanghai',
    });
    expect(scheduleStateAt(springFestivalAllDay, bj('2026-02-24T09:00'))).toMatchObject({
      open: true,
      reason: 'weekly',
      nextChange: bj('2026-02-24T20:00'),
    });
  });

  it('lets a closure beat the override and reports when it ends', () => {
    const schedule: StationSchedule = {
      ...springFestivalAllDay,
      closures: [
        { from: '2026-02-17T09:00:00+08:00', to: '2026-02-17T15:00:00+08:00', reason: '水管维修' },
      ],
    };
    expect(scheduleStateAt(schedule, bj('2026-02-17T12:00'))).toEqual({
      open: false,
      unknown: false,
      nextChange: bj('2026-02-17T15:00'),
      nextOpen: true,
      reason: 'closure',
      holiday: SPRING_FESTIVAL,
      closure: { reason: '水管维修', until: bj('2026-02-17T15:00') },
      timeZone: 'Asia/Shanghai',
    });
    expect(scheduleStateAt(schedule, bj('2026-02-17T08:00'))).toMatchObject({
      open: true,
      nextChange: bj('2026-02-17T09:00'),
      nextOpen: false,
    });
  });

  it('reports the end of back-to-back closures, and no change while the station would be shut anyway', () => {
    const schedule: StationSchedule = {
      openingHours: 'Mo-Su 08:00-18:00',
      closures: [
        { from: '2026-03-10T06:00:00+08:00', to: '2026-03-10T09:00:00+08:00', reason: '停电' },
        { from: '2026-03-10T09:00:00+08:00', to: '2026-03-10T12:00:00+08:00', reason: '停电' },
      ],
    };
    expect(scheduleStateAt(schedule, bj('2026-03-10T07:00'))).toMatchObject({
      open: false,
      reason: 'closure',
      closure: { reason: '停电', until: bj('2026-03-10T12:00') },
      nextChange: bj('2026-03-10T12:00'),
      nextOpen: true,
    });
  });
});

describe('scheduleStateAt: unknown hours', () => {
  it('says unknown when no hours are published', () => {
    expect(scheduleStateAt(weekly(null), bj('2026-03-10T12:00'))).toEqual({
      open: false,
      unknown: true,
      nextChange: null,
      nextOpen: null,
      reason: 'none',
      timeZone: 'Asia/Shanghai',
    });
  });

  it('says unknown, with the reason, for stored hours that do not parse', () => {
    expect(scheduleStateAt(weekly('foo'), bj('2026-03-10T12:00'))).toMatchObject({
      unknown: true,
      reason: 'none',
      comment: expect.stringContaining('Unexpected token'),
    });
  });

  it("passes on the library's unknown state and comment (`||` fallback)", () => {
    expect(
      scheduleStateAt(weekly('Mo-Fr 08:00-18:00 || "call 12345"'), bj('2026-03-07T10:00')),
    ).toMatchObject({
      open: false,
      unknown: true,
      comment: 'call 12345',
      nextChange: bj('2026-03-09T08:00'),
      nextOpen: true,
    });
  });
});
