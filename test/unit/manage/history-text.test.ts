import { describe, expect, it } from 'vitest';
import { hoursInWords, readableChange, type Vocabulary } from '../../../client/src/views/manage/history-text.js';
import { AMENITIES, STATION_KINDS } from '../../../server/modules/stations/amenities.js';

// The vocabulary the page gets from /api/meta.
const vocabulary: Vocabulary = { amenities: [...AMENITIES], kinds: [...STATION_KINDS] };

describe('hours in words', () => {
  it.each([
    ['Mo-Fr 08:00-18:00; PH off', '周一至周五 08:00–18:00；周六、周日休息；节假日休息', 'Mon–Fri 08:00–18:00; Sat, Sun closed; closed on public holidays'],
    ['Mo-Fr 08:00-12:00,13:00-18:00; Sa,Su 09:00-17:00', '周一至周五 08:00–12:00、13:00–18:00；周六、周日 09:00–17:00', 'Mon–Fri 08:00–12:00, 13:00–18:00; Sat, Sun 09:00–17:00'],
    ['24/7', '每天 24 小时', 'open 24/7'],
    ['08:00-20:00', '每天 08:00–20:00', 'every day 08:00–20:00'],
    ['Mo,We,Fr 09:00-11:00; PH 10:00-12:00', '周一、周三、周五 09:00–11:00；周二、周四、周六、周日休息；节假日 10:00–12:00', 'Mon, Wed, Fri 09:00–11:00; Tue, Thu, Sat, Sun closed; public holidays 10:00–12:00'],
  ])('%s', (osm, zh, en) => {
    expect(hoursInWords(osm, 'zh')).toBe(zh);
    expect(hoursInWords(osm, 'en')).toBe(en);
  });

  it('leaves what a week table cannot say to the stored text', () => {
    expect(hoursInWords('Jan-Mar Mo-Fr 08:00-18:00', 'zh')).toBeNull();
    expect(hoursInWords(null, 'zh')).toBeNull();
  });
});

describe('a change as a union office reads it', () => {
  it('amenities one line each, named from the vocabulary, statuses in words', () => {
    const lines = readableChange(
      'amenities',
      { before: { hot_water: 'available', microwave: 'available' }, after: { hot_water: 'available', microwave: 'out_of_order', phone_charging: 'available' } },
      vocabulary,
      'zh',
    );
    const microwave = AMENITIES.find((a) => a.key === 'microwave')!.zh;
    const charging = AMENITIES.find((a) => a.key === 'phone_charging')!.zh;
    expect(lines.map((l) => `${l.label}：${l.before} → ${l.after}`).sort()).toEqual(
      [`${microwave}：可用 → 故障`, `${charging}：没有 → 可用`].sort(),
    );
  });

  it('hours in words with the stored form beside them; kinds, positions, closures, dates readable', () => {
    const [hours] = readableChange('opening_hours', { before: '24/7', after: 'Mo-Fr 08:00-18:00; PH off' }, vocabulary, 'zh');
    expect(hours).toMatchObject({ label: '开放时间', before: '每天 24 小时', after: '周一至周五 08:00–18:00；周六、周日休息；节假日休息', afterExact: 'Mo-Fr 08:00-18:00; PH off' });
    expect(readableChange('kind', { before: 'warm_post', after: 'rider_home' }, vocabulary, 'en')[0]).toMatchObject({ label: 'Kind', before: 'Warm post', after: 'Rider home' });
    expect(readableChange('location', { before: [116.4, 39.9], after: [116.41, 39.91] }, vocabulary, 'zh')[0]!.after).toBe('116.410000, 39.910000');
    expect(readableChange('closures', { before: [], after: [{ from: '2027-01-01', to: '2027-01-03', reason: '维修' }] }, vocabulary, 'zh')[0]).toMatchObject({ label: '临时关闭', before: '—', after: '2027-01-01 至 2027-01-03：维修' });
    expect(readableChange('verified_at', { before: null, after: '2026-11-28T08:00:00Z' }, vocabulary, 'zh', () => '2026/11/28 16:00')[0]).toMatchObject({ label: '核实时间', before: '—', after: '2026/11/28 16:00' });
  });
});
