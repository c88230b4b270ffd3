/**
 * A date override's hours as a manager sees them — closed all day, open all day, or one or two time
 * spans picked with time pickers — and the OSM `opening_hours` value they are stored as. Anything
 * else already stored (a rule written by hand or imported) stays as its text, "other".
 */
export type OverrideHoursMode = 'closed' | 'allDay' | 'spans' | 'custom';
export interface TimeSpan {
  from: string;
  to: string;
}
export interface OverrideHoursForm {
  mode: OverrideHoursMode;
  spans: TimeSpan[];
  /** The stored text when it is none of the simple forms. */
  custom: string;
}

/** Room for a lunch break; more is rare on a holiday and can still be written as text. */
export const MAX_OVERRIDE_SPANS = 2;
const SPAN = /^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export function readOverrideHours(value: string): OverrideHoursForm {
  const text = value.trim();
  const none: TimeSpan[] = [{ from: '09:00', to: '17:00' }];
  if (text === '' || text === 'off' || text === 'closed') return { mode: 'closed', spans: none, custom: '' };
  if (text === '24/7' || text === '00:00-24:00') return { mode: 'allDay', spans: none, custom: '' };
  const parts = text.split(/\s*,\s*/);
  if (parts.length <= MAX_OVERRIDE_SPANS && parts.every((p) => SPAN.test(p))) {
    return { mode: 'spans', spans: parts.map((p) => ({ from: p.slice(0, 5), to: p.slice(6, 11) })), custom: '' };
  }
  return { mode: 'custom', spans: none, custom: text };
}

export function writeOverrideHours(form: OverrideHoursForm): string {
  switch (form.mode) {
    case 'closed':
      return 'off';
    case 'allDay':
      return '00:00-24:00';
    case 'spans':
      return form.spans
        .filter((s) => s.from && s.to)
        .map((s) => `${s.from}-${s.to === '00:00' ? '24:00' : s.to}`)
        .join(',') || 'off';
    case 'custom':
      return form.custom.trim();
  }
}
