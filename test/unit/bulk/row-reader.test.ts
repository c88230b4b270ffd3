import { describe, expect, it } from 'vitest';
import { resolveColumnMapping } from '../../../server/modules/bulk/bulk-fields.js';
import { amenityStatusOf, readStationRow } from '../../../server/modules/bulk/row-reader.js';

const read = (cells: Record<string, unknown>, datum: 'WGS84' | 'GCJ02' = 'WGS84') =>
  readStationRow({ row: 2, cells, problems: [] }, resolveColumnMapping(Object.keys(cells)), datum);

describe('resolveColumnMapping', () => {
  it('recognises Chinese and English headers, ignoring case, spaces and a unit in brackets', () => {
    const mapping = resolveColumnMapping(['站点名称', ' 经度(WGS84) ', 'LAT', '热水', '备注']);
    expect(mapping.scalars).toEqual({
      name: '站点名称',
      lng: ' 经度(WGS84) ',
      lat: 'LAT',
    });
    expect(mapping.amenities).toEqual({ hot_water: '热水' });
    expect(mapping.ignored).toEqual(['备注']);
  });

  it('lets the user mapping win over a recognised header', () => {
    const mapping = resolveColumnMapping(['名称', '简称'], { name: '简称' });
    expect(mapping.scalars.name).toBe('简称');
    expect(mapping.ignored).toEqual(['名称']);
  });
});

describe('readStationRow', () => {
  it('reads amenity marks in the forms union lists use', () => {
    expect(['有', '是', '✓', '√', '1', 'Yes'].map(amenityStatusOf)).toEqual(
      Array(6).fill('available'),
    );
    expect(['', '无', '否', '0', '×'].map(amenityStatusOf)).toEqual(Array(5).fill(null));
    expect(amenityStatusOf('故障')).toBe('out_of_order');
    expect(amenityStatusOf('缺货')).toBe('out_of_stock');
    expect(amenityStatusOf('也许')).toBeUndefined();
  });

  it('leaves absent columns undefined and clears optional fields on empty cells', () => {
    const { draft, problems } = read({ 编号: 'A1', 电话: '', 座位数: '12' });
    expect(problems).toEqual([]);
    expect(draft).toMatchObject({ external_id: 'A1', phone: null, seats: 12 });
    expect(draft.name).toBeUndefined();
    expect(draft.opening_hours).toBeUndefined();
  });

  it('validates opening hours with the hours engine', () => {
    const { problems } = read({ 名称: '甲', 开放时间: 'Mo-Fr 25:00-26:00' });
    expect(problems.map((p) => p.field)).toEqual(['opening_hours']);
  });

  it('converts GCJ-02 to WGS-84 and rejects out-of-range or swapped coordinates', () => {
    const { draft } = read({ 名称: '甲', 经度: '116.404', 纬度: '39.915' }, 'GCJ02');
    expect(draft.position![0]).toBeLessThan(116.404);
    expect(draft.position![0]).toBeGreaterThan(116.39);
    expect(read({ 名称: '甲', 经度: '39.9', 纬度: '116.4' }).problems[0]!.problem).toContain(
      'swapped',
    );
    expect(read({ 名称: '甲', 经度: '116.4', 纬度: '' }).problems[0]!.problem).toContain(
      'only one',
    );
  });

  it("checks lengths with the editor's limits, opening hours before parsing them", () => {
    const hours = read({ 名称: '甲', 开放时间: 'Mo-Fr 08:00-18:00; '.repeat(10_000) });
    expect(hours.problems).toEqual([
      { field: 'opening_hours', problem: 'longer than 1000 characters' },
    ]);
    expect(read({ 名称: '甲', 地址: 'a'.repeat(501) }).problems).toEqual([
      { field: 'address', problem: 'longer than 500 characters' },
    ]);
    expect(read({ 名称: '甲', 地址: 'a'.repeat(500) }).problems).toEqual([]);
  });

  it('a NUL or a lone surrogate in any cell is a problem naming the field', () => {
    expect(read({ 名称: 'a\u0000b', 编号: 'N1' }).problems).toEqual([
      { field: 'name', problem: expect.stringContaining('NUL') },
    ]);
    expect(read({ 名称: '甲', 备注: 'x\u0000' }).problems).toEqual([
      { field: '备注', problem: expect.stringContaining('NUL') },
    ]);
    expect(read({ 名称: '甲', 地址: 'bad \ud800 half' }).problems).toEqual([
      { field: 'address', problem: expect.stringContaining('surrogate') },
    ]);
    expect(read({ 名称: '甲', amenities: { hot_water: 'avail\u0000able' } }).problems).toEqual([
      { field: 'amenities', problem: expect.stringContaining('NUL') },
    ]);
  });
});

