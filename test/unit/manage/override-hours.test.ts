import { describe, expect, it } from 'vitest';
import { readOverrideHours, writeOverrideHours } from '../../../client/src/views/manage/override-hours.js';
import { validateOpeningHours } from '../../../server/hours/validate.js';

describe('date override hours as pickers', () => {
  it('reads the simple stored forms and writes them back unchanged', () => {
    for (const [stored, mode] of [
      ['off', 'closed'],
      ['00:00-24:00', 'allDay'],
      ['10:00-16:00', 'spans'],
      ['08:00-12:00,13:30-18:00', 'spans'],
      ['20:00-24:00', 'spans'],
    ] as const) {
      const form = readOverrideHours(stored);
      expect(form.mode, stored).toBe(mode);
      expect(writeOverrideHours(form), stored).toBe(stored);
    }
    expect(readOverrideHours('24/7').mode).toBe('allDay');
    expect(readOverrideHours('closed').mode).toBe('closed');
  });

  it('keeps anything else as its text, never rewriting it', () => {
    for (const stored of ['sunrise-sunset', '08:00-10:00,11:00-12:00,14:00-16:00', 'Mo 09:00-12:00', '10:00+']) {
      const form = readOverrideHours(stored);
      expect(form.mode, stored).toBe('custom');
      expect(writeOverrideHours(form)).toBe(stored);
    }
  });

  it('writes what the pickers give as valid opening hours, a closing time of midnight as 24:00', () => {
    const written = writeOverrideHours({ mode: 'spans', spans: [{ from: '18:00', to: '00:00' }], custom: '' });
    expect(written).toBe('18:00-24:00');
    for (const value of [written, 'off', '00:00-24:00', '08:00-12:00,13:30-18:00']) {
      expect(validateOpeningHours(value).ok, value).toBe(true);
    }
    // No span left: closed, not an empty value.
    expect(writeOverrideHours({ mode: 'spans', spans: [{ from: '', to: '' }], custom: '' })).toBe('off');
  });
});
