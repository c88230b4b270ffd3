import { describe, expect, it } from 'vitest';
import { chooseSlot } from '../../../server/modules/coverage/population-figures.js';

const slot = (day_type: 'workday' | 'weekend' | 'holiday' | null, hour: number | null) => ({ day_type, hour, total: 1, file: 'f' });

describe('population slot for an instant', () => {
  it('a single slot that says its day type and hour is exact for that instant only', () => {
    const one = [slot('workday', 12)];
    expect(chooseSlot(one, '2026-03-04', 12)).toMatchObject({ index: 0, exact: true });
    expect(chooseSlot(one, '2026-03-04', 13)).toMatchObject({ index: 0, exact: false });
    expect(chooseSlot(one, '2026-03-07', 12)).toMatchObject({ index: 0, exact: false }); // a Saturday
  });

  it('a static layer (no day type, no hour) is exact at every instant', () => {
    expect(chooseSlot([slot(null, null)], '2026-03-07', 3)).toMatchObject({ index: 0, exact: true });
  });

  it('several slots: the same day type and nearest hour around the clock; a holiday takes the weekend’s', () => {
    const set = [slot('workday', 10), slot('workday', 18), slot('weekend', 10)];
    expect(chooseSlot(set, '2026-03-04', 17)).toMatchObject({ index: 1, exact: false });
    expect(chooseSlot(set, '2026-03-04', 10)).toMatchObject({ index: 0, exact: true });
    expect(chooseSlot(set, '2026-10-01', 10)).toMatchObject({ index: 2, exact: false }); // 国庆
  });
});
