import { describe, expect, it } from 'vitest';
import { toWgs84 } from '../../../server/geo/coords.js';
import { parseCoordinateQuery } from '../../../server/modules/search/coordinate-query.js';
import { contextForms, foldText, pinyinForms } from '../../../server/modules/search/search-text.js';
import { foldedForms, prepareQuery, TextIndex, TIER } from '../../../server/modules/search/text-index.js';

describe('foldText and pinyinForms', () => {
  it('folds full-width, case, spaces and punctuation; spells pinyin and initials', () => {
    expect(foldText('ＡＢＣ 东城·东华门（１号）')).toBe('abc东城东华门1号');
    expect(foldText('东华门')).toBe('东华门');
    expect(pinyinForms('东华门1号')).toEqual({ full: 'donghuamen1hao', initials: 'dhm1h', polyphonic: false });
    expect(pinyinForms('绿')).toMatchObject({ full: 'lv', initials: 'l' });
    expect(pinyinForms('kfc')).toBeNull();
    expect(pinyinForms('')).toBeNull();
  });

  it('spells polyphonic names in context as well (什刹海 shichahai, 银行 yinhang)', () => {
    const perCharacter = pinyinForms('什刹海银行2号');
    expect(perCharacter?.polyphonic).toBe(true);
    expect(perCharacter?.full).not.toBe('shichahaiyinhang2hao');
    expect(contextForms('什刹海银行2号')).toEqual({
      full: 'shichahaiyinhang2hao',
      initials: 'schyh2h',
      polyphonic: true,
    });
    const forms = foldedForms({ name: '重庆银行' });
    expect(forms).toMatchObject({ contextFull: 'chongqingyinhang', contextInitials: 'cqyh', needsContext: false });
    // Left for later when asked, and no second spelling where the first is already right.
    expect(foldedForms({ name: '重庆银行' }, false)).toMatchObject({ contextFull: '', needsContext: true });
    expect(foldedForms({ name: '东华门' })).toMatchObject({ contextFull: '', needsContext: false });
  });

  it('keeps characters outside the BMP without splitting their surrogate pairs', () => {
    expect(foldText('驿站😀')).toBe('驿站');
    const forms = pinyinForms('𠀀站');
    expect(forms?.full.endsWith('zhan')).toBe(true);
  });
});

describe('TextIndex', () => {
  const index = TextIndex.of(
    ['东华门暖心驿站', '东华门', '王府井港湾', '景山', '重庆银行'].map((name, i) =>
      foldedForms({ name, address: i === 3 ? '东华门大街' : null, nameEn: i === 2 ? 'Wangfujing Haven' : null }),
    ),
  );
  const tiersOf = (q: string) => {
    const m = index.match(prepareQuery(q));
    return Object.fromEntries(m.items.map((i) => [i, m.tiers[i]]));
  };

  it('ranks whole name, prefix, inside and address', () => {
    expect(tiersOf('东华门')).toEqual({ 0: TIER.namePrefix, 1: TIER.exact, 3: TIER.address });
    expect(tiersOf('暖心')).toEqual({ 0: TIER.nameInside });
    expect(tiersOf('dhm')).toEqual({ 0: TIER.pinyinPrefix, 1: TIER.exact });
    expect(tiersOf('nxyz')).toEqual({ 0: TIER.pinyinInside });
    expect(tiersOf('wangfujing')).toEqual({ 2: TIER.namePrefix });
    expect(tiersOf('海')).toEqual({});
  });

  it('finds a polyphonic name by its reading in context', () => {
    expect(tiersOf('yinhang')).toEqual({ 4: TIER.pinyinInside });
    expect(tiersOf('cqyh')).toEqual({ 4: TIER.exact });
  });

  it('one Latin letter matches pinyin by its start only (no "n" inside nuanxin)', () => {
    expect(tiersOf('n')).toEqual({ 2: TIER.nameInside });
    expect(tiersOf('j')).toEqual({ 2: TIER.nameInside, 3: TIER.pinyinPrefix });
  });

  it('an empty index matches nothing', () => {
    expect(TextIndex.of([]).match(prepareQuery('a')).items).toEqual([]);
  });
});

describe('parseCoordinateQuery', () => {
  const wgs = (q: string) => {
    const parsed = parseCoordinateQuery(q);
    if (parsed.kind !== 'coordinate') throw new Error(`${q}: ${parsed.kind}`);
    return parsed.coordinate;
  };

  it('reads unmarked WGS-84 in either order, full-width too', () => {
    expect(wgs('116.39,39.91')).toMatchObject({ datum: 'WGS84', wgs84: [116.39, 39.91] });
    expect(wgs('39.91 116.39')).toMatchObject({ wgs84: [116.39, 39.91], latFirst: true });
    expect(wgs('１１６．３９，３９．９１').wgs84).toEqual([116.39, 39.91]);
    // Null Island and the antimeridian are positions too.
    expect(wgs('0.0,0.0').wgs84).toEqual([0, 0]);
    expect(wgs('-180.0,-90').wgs84).toEqual([-180, -90]);
  });

  it('converts marked GCJ-02 and BD-09 with coords.ts', () => {
    expect(wgs('gcj:116.404,39.915').wgs84).toEqual(toWgs84([116.404, 39.915], 'GCJ02'));
    expect(wgs('GCJ02: 116.404, 39.915').datum).toBe('GCJ02');
    expect(wgs('百度 116.41,39.92').wgs84).toEqual(toWgs84([116.41, 39.92], 'BD09'));
    expect(wgs('https://api.map.baidu.com/marker?location=39.92,116.41&title=x').wgs84).toEqual(
      toWgs84([116.41, 39.92], 'BD09'),
    );
    expect(wgs('geo:39.91,116.39;u=10').wgs84).toEqual([116.39, 39.91]);
  });

  it('leaves names alone and refuses what was meant as coordinates but cannot be', () => {
    expect(parseCoordinateQuery('东华门').kind).toBe('none');
    expect(parseCoordinateQuery('7 11').kind).toBe('none');
    expect(parseCoordinateQuery('百度大厦').kind).toBe('none');
    expect(parseCoordinateQuery('gcj')).toEqual({ kind: 'none' });
    expect(parseCoordinateQuery('gcj:abc')).toEqual({ kind: 'problem', problem: 'coordinates_unreadable' });
    expect(parseCoordinateQuery('116.4,95.5')).toEqual({ kind: 'problem', problem: 'coordinates_out_of_range' });
    expect(parseCoordinateQuery('gcj:200,39.9')).toEqual({ kind: 'problem', problem: 'coordinates_out_of_range' });
  });
});
