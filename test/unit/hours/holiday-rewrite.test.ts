import { describe, expect, it } from 'vitest';
import { findHolidayReferences, settleHolidays } from '../../../server/hours/holiday-rewrite.js';

/** Settles `value` (already in normalised form, rules given) for a day. */
function settle(value: string, rules: string[], holiday: Record<number, boolean>): string {
  const references = findHolidayReferences(value, rules);
  if (!references) throw new Error(`rules do not tile "${value}"`);
  return settleHolidays(references, (dayOffset) => holiday[dayOffset] ?? false);
}

describe('PH rewriting', () => {
  const value = 'Mo-Fr 08:00-18:00; Sa,PH 10:00-16:00';
  const rules = ['Mo-Fr 08:00-18:00', 'Sa,PH 10:00-16:00'];

  it('turns a PH in a comma list into every day on a holiday, and drops it otherwise', () => {
    expect(settle(value, rules, { 0: true })).toBe('Mo-Fr 08:00-18:00; Mo-Su 10:00-16:00');
    expect(settle(value, rules, { 0: false })).toBe('Mo-Fr 08:00-18:00; Sa 10:00-16:00');
  });

  it('drops a rule that can no longer match, with its separator', () => {
    expect(settle('Mo-Su 08:00-20:00; PH off', ['Mo-Su 08:00-20:00', 'PH off'], {})).toBe(
      'Mo-Su 08:00-20:00',
    );
    expect(settle('PH off, Mo 10:00-12:00', ['PH off', 'Mo 10:00-12:00'], {})).toBe(
      'Mo 10:00-12:00',
    );
    expect(settle('PH 10:00-12:00', ['PH 10:00-12:00'], {})).toBe('off');
  });

  it('treats "PH Mo-Fr" as holidays that fall on Mo-Fr', () => {
    const rules = ['Mo-Su 08:00-18:00', 'PH Mo-Fr 10:00-12:00'];
    const andValue = rules.join('; ');
    expect(settle(andValue, rules, { 0: true })).toBe('Mo-Su 08:00-18:00; Mo-Fr 10:00-12:00');
    expect(settle(andValue, rules, { 0: false })).toBe('Mo-Su 08:00-18:00');
  });

  it('asks about yesterday for "PH +1 day" and tomorrow for "PH -1 day"', () => {
    const after = findHolidayReferences('PH +1 day,Sa off', ['PH +1 day,Sa off']);
    expect(after?.dayOffsets).toEqual([-1]);
    expect(settleHolidays(after!, (offset) => offset === -1)).toBe('Mo-Su off');
    expect(settleHolidays(after!, () => false)).toBe('Sa off');
    expect(findHolidayReferences('Sa,PH -1 day off', ['Sa,PH -1 day off'])?.dayOffsets).toEqual([
      1,
    ]);
  });

  it('leaves comments and nth-weekday lists alone', () => {
    const rules = ['Mo[1,3] 10:00-12:00 "PH; not a selector"', 'PH off'];
    expect(settle(rules.join('; '), rules, {})).toBe('Mo[1,3] 10:00-12:00 "PH; not a selector"');
  });

  it('has no references for a value without PH, and refuses texts that do not tile the value', () => {
    expect(findHolidayReferences('Mo-Fr 08:00-18:00', ['Mo-Fr 08:00-18:00'])?.dayOffsets).toEqual(
      [],
    );
    expect(
      findHolidayReferences('Mo-Fr 08:00-18:00; PH off', ['Mo-Fr 08:00-18:00', 'PH 10:00']),
    ).toBeUndefined();
  });
});
