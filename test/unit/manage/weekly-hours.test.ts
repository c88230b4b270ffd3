import { describe, expect, it } from 'vitest';
import { validateOpeningHours } from '../../../server/hours/index.js';
import { parseWeekly, weeklyToOsm, type WeeklyHours } from '../../../client/src/views/manage/weekly-hours.js';

const r = (from: string, to: string) => ({ from, to });
const week = (...days: Array<Array<{ from: string; to: string }>>): WeeklyHours['days'] => days;

describe('weekly hours editor ↔ OSM opening_hours', () => {
  it('groups neighbouring days with the same hours and adds the holiday rule', () => {
    const workday = [r('08:00', '20:00')];
    const weekend = [r('09:00', '12:00'), r('14:00', '17:00')];
    const text = weeklyToOsm({
      days: week(workday, workday, workday, workday, workday, weekend, weekend),
      holiday: { kind: 'off' },
    });
    expect(text).toBe('Mo-Fr 08:00-20:00; Sa,Su 09:00-12:00,14:00-17:00; PH off');
    expect(validateOpeningHours(text)).toMatchObject({ ok: true, warnings: [] });
  });

  it('omits closed days, writes 24/7 and PH hours', () => {
    const open = [r('07:00', '19:00')];
    expect(weeklyToOsm({ days: week(open, [], open, [], [], [], []), holiday: { kind: 'same' } })).toBe(
      'Mo 07:00-19:00; We 07:00-19:00',
    );
    const allDay = Array.from({ length: 7 }, () => [r('00:00', '24:00')]);
    expect(weeklyToOsm({ days: allDay, holiday: { kind: 'hours', ranges: [r('10:00', '16:00')] } })).toBe(
      '24/7; PH 10:00-16:00',
    );
  });

  it('reads its own output back, and simple hand-written rules', () => {
    const text = 'Mo-Fr 08:00-20:00; Sa,Su 09:00-17:00; PH off';
    const parsed = parseWeekly(text)!;
    expect(parsed.days[0]).toEqual([r('08:00', '20:00')]);
    expect(parsed.days[6]).toEqual([r('09:00', '17:00')]);
    expect(parsed.holiday).toEqual({ kind: 'off' });
    expect(weeklyToOsm(parsed)).toBe(text);
    expect(parseWeekly('Mo-Su 08:00-18:00; Su off')!.days[6]).toEqual([]);
    expect(parseWeekly('24/7')!.days.every((d) => d[0]!.to === '24:00')).toBe(true);
  });

  it('gives up (null) on rules the table cannot show', () => {
    expect(parseWeekly('Mo-Fr 08:00-18:00; Jan-Mar Sa 10:00-12:00')).toBeNull();
    expect(parseWeekly('sunrise-sunset')).toBeNull();
    expect(parseWeekly('Mo[1] 10:00-12:00')).toBeNull();
  });
});
