import { describe, expect, it } from 'vitest';
import { validateOpeningHours } from '../../../server/hours/index.js';

describe('validateOpeningHours', () => {
  it('accepts valid values and returns the normalised spelling', () => {
    expect(validateOpeningHours('mo-fr 08:00-18:00; ph off')).toEqual({
      ok: true,
      warnings: [],
      normalized: 'Mo-Fr 08:00-18:00; PH off',
    });
    for (const value of [
      '24/7',
      'Mo-Su 00:00-24:00',
      'off',
      '22:00-06:00',
      'Mo-Fr 08:00-18:00 || "call"',
    ]) {
      expect(validateOpeningHours(value), value).toMatchObject({ ok: true });
    }
  });

  it("passes on the library's warnings without rejecting", () => {
    const result = validateOpeningHours('Mo-Su 07:00-20:00; PH: off');
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings).toEqual([
      'Mo-Su 07:00-20:00; PH:  <--- (Please don’t use ":" after holiday.)',
    ]);
  });

  it("rejects invalid values with the library's message", () => {
    expect(validateOpeningHours('foo')).toEqual({
      ok: false,
      error:
        'fo <--- (Unexpected token: "f" This means that the syntax is not valid at that point or it is currently not supported.)',
    });
    expect(validateOpeningHours('Mo-Fr 25:00-26:00')).toEqual({
      ok: false,
      error: 'Mo-Fr 25:00 <--- (Time range starts outside of the current day)',
    });
    expect(validateOpeningHours('')).toMatchObject({
      ok: false,
      error: expect.stringContaining('The value contains nothing meaningful which can be parsed.'),
    });
    expect(validateOpeningHours('Mo-Fr 08:00-18:00; PH +2 days off')).toMatchObject({
      ok: false,
      error: expect.stringContaining(
        'There should be no reason to differ more than 1 days from a public holiday',
      ),
    });
  });

  it('rejects school holidays, which China has no calendar for', () => {
    expect(validateOpeningHours('Mo-Fr 08:00-18:00; SH off')).toEqual({
      ok: false,
      error:
        'School holidays (SH) are not defined for China; list the dates as a date override instead.',
    });
    // …but "SH" inside a comment is just text.
    expect(validateOpeningHours('Mo-Fr 08:00-18:00 "SH closed"')).toMatchObject({ ok: true });
  });

  it('never throws, whatever it is given', () => {
    const garbage: unknown[] = [
      null,
      undefined,
      42,
      {},
      '"',
      ';;;',
      '|| ||',
      'Mo-Fr 08:00-18:00 "open',
      '\u0000',
      'Mo-Fr 08:00-',
      'Mo-Fr 08:00-18:00; PH Mo-Fr 25:00-26:00',
    ];
    for (const value of garbage) {
      const result = validateOpeningHours(value);
      expect(result.ok, String(value)).toBe(false);
      expect(result.ok === false && result.error.length > 0).toBe(true);
    }
    expect(validateOpeningHours(null)).toEqual({
      ok: false,
      error: 'Opening hours must be a string.',
    });
  });
});
