/**
 * Stations per area counted in memory from each station's derived area path (`area_codes`, every
 * level), which the service loads anyway to decide which stations are open. In SQL the same two
 * counts were two GIN-indexed subqueries per area: ~0.5 s of a 343-area table on PGlite.
 */
export interface StationCounts {
  total: number;
  open: number;
}

/**
 * Per area code: stations whose path holds it, and those of them among `countedIds` (what
 * `area_codes @> array[code]` and `id = any(countedIds)` counted).
 */
export function countStationsByArea(
  stations: ReadonlyArray<{ id: number; area_codes: string[] }>,
  countedIds: readonly number[],
): Map<string, StationCounts> {
  const counted = new Set(countedIds);
  const counts = new Map<string, StationCounts>();
  for (const s of stations) {
    const open = counted.has(s.id);
    // A path lists each area once; a Set guards against a repeated code counting twice.
    for (const code of new Set(s.area_codes)) {
      let c = counts.get(code);
      if (!c) counts.set(code, (c = { total: 0, open: 0 }));
      c.total++;
      if (open) c.open++;
    }
  }
  return counts;
}
