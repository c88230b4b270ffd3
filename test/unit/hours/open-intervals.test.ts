import { describe, expect, it } from 'vitest';
import { isAlwaysOpen, openIntervals } from '../../../server/hours/index.js';
import { bj } from './helpers.js';

describe('openIntervals', () => {
  it('merges an overnight range across midnight and clips to the window', () => {
    expect(
      openIntervals(
        { openingHours: '22:00-06:00' },
        bj('2026-03-10T00:00'),
        bj('2026-03-12T00:00'),
      ),
    ).toEqual([
      [bj('2026-03-10T00:00'), bj('2026-03-10T06:00')],
      [bj('2026-03-10T22:00'), bj('2026-03-11T06:00')],
      [bj('2026-03-11T22:00'), bj('2026-03-12T00:00')],
    ]);
  });

  it('skips the 春节 days of a `PH off` station and keeps the make-up Saturday', () => {
    const spans = openIntervals(
      { openingHours: 'Mo-Fr 08:00-18:00; PH off' },
      bj('2026-02-13T00:00'),
      bj('2026-02-25T00:00'),
    );
    expect(spans).toEqual([
      [bj('2026-02-13T08:00'), bj('2026-02-13T18:00')],
      [bj('2026-02-14T08:00'), bj('2026-02-14T18:00')],
      [bj('2026-02-24T08:00'), bj('2026-02-24T18:00')],
    ]);
  });

  it('cuts closures out and excludes unknown time', () => {
    const spans = openIntervals(
      {
        openingHours: 'Mo-Fr 08:00-18:00 || "call"',
        closures: [
          {
            from: '2026-03-10T12:00:00+08:00',
            to: '2026-03-10T13:00:00+08:00',
            reason: '午休检修',
          },
        ],
      },
      bj('2026-03-10T00:00'),
      bj('2026-03-11T00:00'),
    );
    expect(spans).toEqual([
      [bj('2026-03-10T08:00'), bj('2026-03-10T12:00')],
      [bj('2026-03-10T13:00'), bj('2026-03-10T18:00')],
    ]);
  });

  it('is empty for an empty or reversed window', () => {
    expect(
      openIntervals({ openingHours: '24/7' }, bj('2026-03-10T12:00'), bj('2026-03-10T12:00')),
    ).toEqual([]);
    expect(
      openIntervals({ openingHours: '24/7' }, bj('2026-03-10T12:00'), bj('2026-03-10T11:00')),
    ).toEqual([]);
  });
});

describe('isAlwaysOpen', () => {
  const now = bj('2026-03-10T12:00');

  it('is true for 24/7 and its spellings', () => {
    for (const value of ['24/7', 'Mo-Su 00:00-24:00', '00:00-24:00']) {
      expect(isAlwaysOpen({ openingHours: value }, now), value).toBe(true);
    }
  });

  it('is false when holidays, hours or a coming closure interrupt it', () => {
    expect(isAlwaysOpen({ openingHours: '24/7; PH off' }, now)).toBe(false);
    expect(isAlwaysOpen({ openingHours: 'Mo-Su 08:00-20:00' }, now)).toBe(false);
    expect(isAlwaysOpen({ openingHours: null }, now)).toBe(false);
    const closure = {
      from: '2026-03-20T09:00:00+08:00',
      to: '2026-03-20T12:00:00+08:00',
      reason: '检修',
    };
    expect(isAlwaysOpen({ openingHours: '24/7', closures: [closure] }, now)).toBe(false);
    const override = { from: '2026-04-01', to: '2026-04-01', opening_hours: 'off' };
    expect(isAlwaysOpen({ openingHours: '24/7', overrides: [override] }, now)).toBe(false);
  });

  it('ignores closures and overrides that are over', () => {
    const closure = {
      from: '2026-03-01T09:00:00+08:00',
      to: '2026-03-01T12:00:00+08:00',
      reason: '检修',
    };
    const override = { from: '2026-02-01', to: '2026-02-02', opening_hours: 'off' };
    expect(
      isAlwaysOpen({ openingHours: '24/7', closures: [closure], overrides: [override] }, now),
    ).toBe(true);
  });
});
