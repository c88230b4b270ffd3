/**
 * Hours as people write them → OSM opening_hours. Each row: a real-world phrasing (union lists,
 * door notices, map listings; Chinese and English) and the OSM value it must become. Every
 * expected value must also be valid for the hours engine.
 */
import { describe, expect, it } from 'vitest';
import { phraseToOpeningHours } from '../../../server/hours/phrases.js';
import { validateOpeningHours } from '../../../server/hours/validate.js';

const TABLE: Array<[string, string]> = [
  ['周一至周五 8:00-18:00', 'Mo-Fr 08:00-18:00'],
  ['周一至周五8:00-18:00', 'Mo-Fr 08:00-18:00'],
  ['周一到周五 08:00—18:00', 'Mo-Fr 08:00-18:00'],
  ['周一～周五 8:00～18:00', 'Mo-Fr 08:00-18:00'],
  ['星期一至星期五 9:00-17:00', 'Mo-Fr 09:00-17:00'],
  ['礼拜一至礼拜六 8:30-17:30', 'Mo-Sa 08:30-17:30'],
  ['周一至五 8:00-18:00', 'Mo-Fr 08:00-18:00'],
  ['工作日 8:00-18:00', 'Mo-Fr 08:00-18:00'],
  ['工作日 8:00-18:00，周末 9:00-16:00', 'Mo-Fr 08:00-18:00; Sa,Su 09:00-16:00'],
  ['周末 10:00-16:00', 'Sa,Su 10:00-16:00'],
  ['双休日 9:00-15:00', 'Sa,Su 09:00-15:00'],
  ['周六、周日 9:00-12:00', 'Sa,Su 09:00-12:00'],
  ['周六、日 9:00-12:00', 'Sa,Su 09:00-12:00'],
  ['每天 7:00-19:00', 'Mo-Su 07:00-19:00'],
  ['每日 6:30-21:30', 'Mo-Su 06:30-21:30'],
  ['天天 8:00-20:00', 'Mo-Su 08:00-20:00'],
  ['全天', '24/7'],
  ['24小时', '24/7'],
  ['24小时营业', '24/7'],
  ['全天候开放', '24/7'],
  ['全天24小时开放', '24/7'],
  ['每天24小时', 'Mo-Su 00:00-24:00'],
  ['周一至周五 24小时', 'Mo-Fr 00:00-24:00'],
  ['８：００－１８：００', '08:00-18:00'],
  ['8:00-18:00', '08:00-18:00'],
  ['早8点至晚6点', '08:00-18:00'],
  ['早上8点到晚上8点', '08:00-20:00'],
  ['上午9点至下午5点', '09:00-17:00'],
  ['8点-18点', '08:00-18:00'],
  ['8点半-17点半', '08:30-17:30'],
  ['8时30分至17时30分', '08:30-17:30'],
  ['每天8:00-12:00、14:00-18:00', 'Mo-Su 08:00-12:00,14:00-18:00'],
  ['周一至周五 8:00-12:00，14:00-18:00', 'Mo-Fr 08:00-12:00,14:00-18:00'],
  ['周一至周五 8:00-18:00，午休 12:00-13:00', 'Mo-Fr 08:00-12:00,13:00-18:00'],
  ['周一至周五 8:00-18:00（午休12:00-13:00）', 'Mo-Fr 08:00-12:00,13:00-18:00'],
  ['工作日 8:30-17:30 中午休息 12:00-13:30', 'Mo-Fr 08:30-12:00,13:30-17:30'],
  ['周一至周五 8:00-18:00，节假日休息', 'Mo-Fr 08:00-18:00; PH off'],
  ['周一至周五 8:00-18:00；法定节假日休息', 'Mo-Fr 08:00-18:00; PH off'],
  ['每天 8:00-20:00，节假日照常', 'Mo-Su 08:00-20:00; PH 08:00-20:00'],
  ['每天 8:00-20:00，节假日正常开放', 'Mo-Su 08:00-20:00; PH 08:00-20:00'],
  ['周一至周五 9:00-17:00，节假日另行安排', 'Mo-Fr 09:00-17:00; PH unknown'],
  ['周一至周五 9:00-17:00 节假日另行通知', 'Mo-Fr 09:00-17:00; PH unknown'],
  ['周一至周六 8:00-18:00，周日休息', 'Mo-Sa 08:00-18:00; Su off'],
  ['周一闭馆，周二至周日 9:00-17:00', 'Mo off; Tu-Su 09:00-17:00'],
  ['周一至周五 7:00-19:00，周六 8:00-12:00，周日及节假日休息', 'Mo-Fr 07:00-19:00; Sa 08:00-12:00; Su off; PH off'],
  ['节假日 9:00-15:00', 'PH 09:00-15:00'],
  ['春节期间 2月15日至2月23日 24小时', 'Feb 15-23 00:00-24:00'],
  ['2月15日-2月23日 9:00-15:00', 'Feb 15-23 09:00-15:00'],
  ['2027年2月6日至2月12日 休息', '2027 Feb 06-12 off'],
  ['10月1日至7日 10:00-16:00', 'Oct 01-07 10:00-16:00'],
  ['营业时间：周一至周五 8:00-18:00', 'Mo-Fr 08:00-18:00'],
  ['开放时间: 每天 9:00-21:00', 'Mo-Su 09:00-21:00'],
  ['夜间 20:00-次日8:00', '20:00-08:00'],
  ['每天 18:00至次日6:00', 'Mo-Su 18:00-06:00'],
  ['Mon-Fri 8:00-18:00', 'Mo-Fr 08:00-18:00'],
  ['Mon-Fri 8am-6pm', 'Mo-Fr 08:00-18:00'],
  ['Monday to Friday 9:00-17:00', 'Mo-Fr 09:00-17:00'],
  ['Monday-Saturday 8:30-17:30', 'Mo-Sa 08:30-17:30'],
  ['Daily 7:00-22:00', 'Mo-Su 07:00-22:00'],
  ['Every day 7am-10pm', 'Mo-Su 07:00-22:00'],
  ['Weekdays 8:00-18:00, weekends 10:00-16:00', 'Mo-Fr 08:00-18:00; Sa,Su 10:00-16:00'],
  ['Open 24 hours', '24/7'],
  ['24/7', '24/7'],
  ['Mon-Fri 8:00-18:00, closed on public holidays', 'Mo-Fr 08:00-18:00; PH off'],
  ['Mon-Fri 8:00-18:00, lunch break 12:00-13:00', 'Mo-Fr 08:00-12:00,13:00-18:00'],
  ['Sat, Sun 9:00-12:00', 'Sa,Su 09:00-12:00'],
  ['Tue-Sun 9:00-17:00, Mon closed', 'Tu-Su 09:00-17:00; Mo off'],
];

const NOT_UNDERSTOOD: Array<[string, string]> = [
  ['夏季 6:00-20:00 冬季 7:00-19:00', '夏季'],
  ['看情况', '看情况'],
  ['周一至周五 上班时间', '上班时间'],
  ['每天 25:00-26:00', '25:00-26:00'],
];

describe('hours phrases → OSM opening_hours', () => {
  it(`has at least 60 phrasings in its table (${TABLE.length})`, () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
  });

  it.each(TABLE)('%s → %s', (phrase, osm) => {
    expect(phraseToOpeningHours(phrase)).toEqual({ ok: true, osm });
    const checked = validateOpeningHours(osm);
    expect(checked.ok, checked.ok ? '' : checked.error).toBe(true);
  });

  it.each(NOT_UNDERSTOOD)('%s is not understood, naming %s', (phrase, part) => {
    const result = phraseToOpeningHours(phrase);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.unparsed).toContain(part);
  });

  it('stays linear on long input (1,000 characters)', () => {
    const long = '周一至周五 8:00-18:00，'.repeat(60).slice(0, 1000);
    const t0 = performance.now();
    phraseToOpeningHours(long);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
