import { describe, expect, it } from 'vitest';
import {
  describeState,
  scheduleStateAt,
  type StationSchedule,
} from '../../../server/hours/index.js';
import { bj } from './helpers.js';

/** Both texts for a schedule at a Beijing wall-clock time. */
function texts(schedule: StationSchedule, local: string): { zh: string; en: string } {
  const now = bj(local);
  const state = scheduleStateAt(schedule, now);
  return { zh: describeState(state, now, 'zh'), en: describeState(state, now, 'en') };
}

const dayShift: StationSchedule = { openingHours: 'Mo-Fr 08:00-18:00' };

describe('describeState', () => {
  it('counts down the last hour before closing', () => {
    expect(texts(dayShift, '2026-03-10T17:40')).toEqual({
      zh: '20分钟后关门',
      en: 'Closes in 20 min',
    });
  });

  it('gives the closing time while open', () => {
    expect(texts(dayShift, '2026-03-10T10:00')).toEqual({
      zh: '营业中 · 18:00 关门',
      en: 'Open · closes 18:00',
    });
  });

  it('says "tomorrow" for a closing time after midnight', () => {
    expect(texts({ openingHours: '22:00-06:00' }, '2026-03-10T23:00')).toEqual({
      zh: '营业中 · 明天 06:00 关门',
      en: 'Open · closes tomorrow 06:00',
    });
  });

  it('gives the next opening: soon, later today, tomorrow, or a weekday', () => {
    expect(texts(dayShift, '2026-03-10T07:30')).toEqual({
      zh: '30分钟后开门',
      en: 'Opens in 30 min',
    });
    expect(texts(dayShift, '2026-03-10T05:00')).toEqual({
      zh: '休息中 · 08:00 开门',
      en: 'Closed · opens 08:00',
    });
    expect(texts(dayShift, '2026-03-10T19:00')).toEqual({
      zh: '明天 08:00 开门',
      en: 'Opens tomorrow 08:00',
    });
    // Friday evening → Monday.
    expect(texts(dayShift, '2026-03-13T19:00')).toEqual({
      zh: '周一 08:00 开门',
      en: 'Opens Mon 08:00',
    });
  });

  it('says open 24 hours when nothing changes', () => {
    expect(texts({ openingHours: '24/7' }, '2026-03-10T03:00')).toEqual({
      zh: '24小时营业',
      en: 'Open 24 hours',
    });
  });

  it('names the holiday a station is closed for', () => {
    const schedule = { openingHours: 'Mo-Su 08:00-20:00; PH off' };
    expect(texts(schedule, '2026-02-17T10:00')).toEqual({
      zh: '今日休息（春节）',
      en: 'Closed today (Spring Festival)',
    });
    expect(texts(schedule, '2026-10-03T10:00')).toEqual({
      zh: '今日休息（国庆节）',
      en: 'Closed today (National Day)',
    });
  });

  it('gives a temporary closure its reason and end date', () => {
    const schedule: StationSchedule = {
      openingHours: '24/7',
      closures: [
        { from: '2026-12-01T09:00:00+08:00', to: '2026-12-03T00:00:00+08:00', reason: '设备检修' },
      ],
    };
    expect(texts(schedule, '2026-12-01T10:00')).toEqual({
      zh: '暂停开放：设备检修，至12月3日',
      en: 'Temporarily closed: 设备检修 until 3 Dec',
    });
  });

  it('gives the end time of a closure that ends today', () => {
    const schedule: StationSchedule = {
      openingHours: '24/7',
      closures: [
        {
          from: '2026-12-01T09:00:00+08:00',
          to: '2026-12-01T15:30:00+08:00',
          reason: 'pipe repair',
        },
      ],
    };
    expect(texts(schedule, '2026-12-01T10:00').en).toBe(
      'Temporarily closed: pipe repair until 15:30',
    );
  });

  it('admits when hours are missing or uncertain', () => {
    expect(texts({ openingHours: null }, '2026-03-10T10:00')).toEqual({
      zh: '暂无营业时间',
      en: 'Hours not published',
    });
    expect(
      texts({ openingHours: 'Mo-Fr 08:00-18:00 || "call 12345"' }, '2026-03-07T10:00'),
    ).toEqual({
      zh: '营业时间待确认：call 12345',
      en: 'Hours uncertain: call 12345',
    });
  });

  it('prints times in the station zone, not the zone of `now`', () => {
    // 10:00 UTC is 18:00 in Beijing: a Mo-Fr 08:00-18:00 station has just closed.
    const now = new Date('2026-03-10T10:00:00Z');
    const state = scheduleStateAt(dayShift, now);
    expect(describeState(state, now, 'en')).toBe('Opens tomorrow 08:00');
  });
});
