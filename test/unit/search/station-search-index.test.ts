import { describe, expect, it } from 'vitest';
import {
  diffStations,
  StationSearchIndex,
} from '../../../server/modules/search/station-search-index.js';
import { foldedForms, prepareQuery, TextIndex } from '../../../server/modules/search/text-index.js';
import { StationSnapshot } from '../../../server/modules/stations/station-mirror.js';
import type { StationRecord } from '../../../server/modules/stations/stations.repository.js';

const NAMES = ['东华门驿站', '什刹海银行网点', '重庆饭店驿站', '景山工会港湾', '长辛店骑手之家', 'KFC 暖心站'];

const station = (id: number, name = `${NAMES[id % NAMES.length]}${id}号`): StationRecord =>
  ({ id, name, name_en: id % 5 === 0 ? `Post ${id}` : null, address: `地址${id}`, lng: 116.4, lat: 39.9 }) as StationRecord;

const snapshot = (version: number, stations: StationRecord[]) =>
  new StationSnapshot(version, new Map(stations.map((s) => [s.id, s])));

/** What a query finds, comparable across two indexes: item → tier and field. */
function found(text: TextIndex, q: string) {
  const m = text.match(prepareQuery(q));
  return [...m.items].sort((a, b) => a - b).map((i) => [i, m.tiers[i], m.fields[i]]);
}

describe('StationSearchIndex after an edit', () => {
  it('patches the newest index to exactly what a full build gives', async () => {
    const first = Array.from({ length: 60 }, (_, i) => station(i + 1));
    const one = await StationSearchIndex.of(snapshot(1, first));
    await one.complete;
    // Two renamed (new records), two removed (one of them the last), two added.
    const next = first
      .filter((s) => s.id !== 7 && s.id !== 60)
      .map((s) => (s.id === 3 || s.id === 20 ? station(s.id, `新名字银行${s.id}`) : s));
    next.push(station(61), station(62, '朝阳门外重庆驿站'));
    const two = await StationSearchIndex.of(snapshot(2, next));
    expect(two.patched).toBe(true);
    expect(two.converted).toBe(4);
    const full = TextIndex.of(two.stations.map((s) => foldedForms({ name: s.name, nameEn: s.name_en, address: s.address })));
    for (const q of ['东华门', 'dhm', 'yinhang', 'shichahai', 'chongqing', 'xmz', '新名字', 'z', '站', 'post', '地址6', 'kfc', '61号']) {
      expect(found(two.text, q), q).toEqual(found(full, q));
    }
    expect(found(two.text, '新名字').length).toBe(2);
  });

  it('diffs by record identity and gives up past the limit', () => {
    const a = [station(1), station(2), station(3)];
    expect(diffStations(a, a, 0)).toEqual([{ from: 0, count: 3 }]);
    const changed = station(2, '改');
    expect(diffStations(a, [a[0]!, changed, a[2]!], 1)).toEqual([
      { from: 0, count: 1 },
      { station: changed },
      { from: 2, count: 1 },
    ]);
    expect(diffStations(a, [a[0]!, changed, a[2]!], 0)).toBeNull();
    expect(diffStations(a, [], 3)).toEqual([]);
    expect(diffStations(a, [], 2)).toBeNull();
  });
});
