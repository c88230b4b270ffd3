/**
 * The engine must answer in the station's zone whatever the process zone is. This file switches
 * process.env.TZ at runtime (Node applies it immediately) and compares every answer with the
 * answer under Asia/Shanghai. It runs in its own vitest worker, so no other file sees the switch.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeState,
  openIntervals,
  scheduleStateAt,
  weekTable,
  type StationSchedule,
} from '../../../server/hours/index.js';
import { bj } from './helpers.js';

const ORIGINAL_TZ = process.env.TZ;
/** Central Beijing, `[lng, lat]`: where the sun is taken for these Beijing-time schedules. */
const BEIJING: [number, number] = [116.4074, 39.9042];
afterAll(() => {
  if (ORIGINAL_TZ === undefined) delete process.env.TZ;
  else process.env.TZ = ORIGINAL_TZ;
});

/** Process zones to try, with their UTC offset on 1 Jan 2026 as Date#getTimezoneOffset gives it. */
const PROCESS_ZONES = {
  'Asia/Shanghai': -480,
  UTC: 0,
  'America/New_York': 300,
  'Asia/Kolkata': -330,
};

const SCHEDULES: Record<string, StationSchedule> = {
  holidays: { openingHours: 'Mo-Fr 08:00-18:00; PH 10:00-16:00' },
  phOff: { openingHours: 'Mo-Su 08:00-20:00; PH off' },
  overnight: { openingHours: '22:00-06:00' },
  // 02:30 Beijing time on 8 Mar 2026 is 13:30 on the day New York skips 02:00-03:00.
  earlyMorning: { openingHours: 'Mo-Su 02:30-05:00' },
  overrideAndClosure: {
    openingHours: 'Mo-Su 08:00-20:00; PH off',
    overrides: [{ from: '2026-02-15', to: '2026-02-23', opening_hours: '24/7' }],
    closures: [
      { from: '2026-02-17T09:00:00+08:00', to: '2026-02-17T15:00:00+08:00', reason: '水管维修' },
    ],
  },
};
const INSTANTS = [
  '2026-02-14T10:00',
  '2026-02-17T12:00',
  '2026-03-08T03:00',
  '2026-03-10T23:00',
  '2026-10-01T09:00',
  '2026-11-01T01:30',
];

/** Everything the engine answers for the fixtures, as JSON, so that any drift shows. */
function answers(): string {
  const out: unknown[] = [];
  for (const [name, schedule] of Object.entries(SCHEDULES)) {
    for (const local of INSTANTS) {
      const now = bj(local);
      const state = scheduleStateAt(schedule, now);
      out.push([
        name,
        local,
        state,
        describeState(state, now, 'zh'),
        describeState(state, now, 'en'),
      ]);
    }
    out.push([name, weekTable(schedule, '2026-02-13', 4), weekTable(schedule, '2026-03-07', 3)]);
    out.push([name, openIntervals(schedule, bj('2026-03-07T00:00'), bj('2026-03-10T00:00'))]);
  }
  return JSON.stringify(out);
}

function inProcessZone<T>(zone: keyof typeof PROCESS_ZONES, run: () => T): T {
  process.env.TZ = zone;
  // Prove the switch took effect, or the comparison below would prove nothing.
  expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(PROCESS_ZONES[zone]);
  return run();
}

describe('independence from the process time zone', () => {
  const reference = inProcessZone('Asia/Shanghai', answers);

  it.each(['UTC', 'America/New_York', 'Asia/Kolkata'] as const)(
    'answers the same under TZ=%s',
    (zone) => {
      expect(inProcessZone(zone, answers)).toBe(reference);
    },
  );

  it('keeps an early-morning range intact on the day New York springs forward', () => {
    const table = inProcessZone('America/New_York', () =>
      weekTable(SCHEDULES.earlyMorning!, '2026-03-08', 1),
    );
    expect(table[0]!.intervals).toEqual([{ from: '02:30', to: '05:00' }]);
  });

  it('computes sunrise for Beijing in Beijing time (within a minute) under any process zone', () => {
    const sunrise = (zone: keyof typeof PROCESS_ZONES) =>
      inProcessZone(zone, () =>
        scheduleStateAt({ openingHours: 'sunrise-sunset', location: BEIJING }, bj('2026-06-21T03:00')),
      ).nextChange!;
    const inBeijing = sunrise('Asia/Shanghai');
    // Beijing's midsummer sunrise is about 04:46 local time.
    expect(inBeijing.getTime()).toBeGreaterThanOrEqual(bj('2026-06-21T04:40').getTime());
    expect(inBeijing.getTime()).toBeLessThanOrEqual(bj('2026-06-21T04:52').getTime());
    for (const zone of ['UTC', 'America/New_York'] as const) {
      expect(Math.abs(sunrise(zone).getTime() - inBeijing.getTime()), zone).toBeLessThanOrEqual(
        60_000,
      );
    }
  });
});
