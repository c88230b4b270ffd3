import { describe, expect, it } from 'vitest';
import { countStationsByArea } from '../../../server/modules/coverage/station-counts.js';

describe('stations per area, counted from their area paths', () => {
  const stations = [
    { id: 1, area_codes: ['110000', '110101', '110101001'] },
    { id: 2, area_codes: ['110000', '110101', '110101002'] },
    { id: 3, area_codes: ['110000', '110105'] },
    { id: 4, area_codes: [] }, // outside every area
  ];

  it('counts a station in every area of its path, at every level, and the open ones apart', () => {
    const counts = countStationsByArea(stations, [2, 3, 4]);
    expect(counts.get('110000')).toEqual({ total: 3, open: 2 });
    expect(counts.get('110101')).toEqual({ total: 2, open: 1 });
    expect(counts.get('110101001')).toEqual({ total: 1, open: 0 });
    expect(counts.get('110105')).toEqual({ total: 1, open: 1 });
    expect(counts.has('110106')).toBe(false);
  });

  it('counts a code repeated in one path once, as array containment does', () => {
    expect(countStationsByArea([{ id: 7, area_codes: ['a', 'a'] }], [7]).get('a')).toEqual({
      total: 1,
      open: 1,
    });
  });

  it('ignores counted ids that are not stations (what-if sites have none)', () => {
    expect(countStationsByArea(stations, [99]).get('110000')).toEqual({ total: 3, open: 0 });
  });
});
