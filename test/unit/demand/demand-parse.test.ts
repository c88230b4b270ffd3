import { describe, expect, it } from 'vitest';
import { parseDemandCsv } from '../../../server/modules/demand/demand-parse.js';

describe('parseDemandCsv (csv-parse)', () => {
  it('reads what spreadsheets write: BOM, CRLF, upper-case headers, quoted commas, blank lines', () => {
    const text = '\uFEFFLng,Lat,Weight,Name\r\n116.4,39.9,3,"国贸, 东门"\r\n\r\n116.5,39.8,,"say ""hi"""\r\n';
    expect(parseDemandCsv(text)).toEqual([
      { lng: 116.4, lat: 39.9, weight: 3, name: '国贸, 东门' },
      { lng: 116.5, lat: 39.8, weight: 1, name: 'say "hi"' },
    ]);
  });

  it('names the line of a bad value, counting blank lines', () => {
    expect(() => parseDemandCsv('lng,lat\n\n116.4,abc\n')).toThrow(/CSV line 3: lat/);
    expect(() => parseDemandCsv('lng,lat\n116.4\n')).toThrow(/CSV line 2: lng and lat are required/);
  });

  it('refuses an unclosed quote with its line, and a file without the lng/lat header', () => {
    expect(() => parseDemandCsv('lng,lat\n116.4,39.9\n"116.4,39.9\n')).toThrow(/CSV line 3: Quote Not Closed/);
    expect(() => parseDemandCsv('x1,y1\n1,2\n')).toThrow(/header naming the columns/);
  });
});
