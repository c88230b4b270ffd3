import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../server/http/errors.js';
import { MAX_IMPORT_COLUMNS } from '../../../server/modules/bulk/source-table.js';
import { parseCsvRecords, readCsv, writeCsv } from '../../../server/modules/bulk/csv-format.js';

describe('parseCsvRecords', () => {
  it('keeps quoted commas, quotes and newlines, and numbers records by their first line', () => {
    const records = parseCsvRecords('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n\n last ,w');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['two\nlines', 'z'] },
      { line: 6, cells: [' last ', 'w'] },
    ]);
  });

  it('detects semicolon and tab delimiters from the header', () => {
    expect(parseCsvRecords('名称;经度\n甲;116.3')[1]!.cells).toEqual(['甲', '116.3']);
    expect(parseCsvRecords('名称\t经度\n甲\t116.3')[1]!.cells).toEqual(['甲', '116.3']);
  });

  it('throws a 400 naming the line of an unclosed quote', () => {
    try {
      parseCsvRecords('a,b\nc,d\n"open,e\nf,g\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).message).toContain('starting on line 3');
    }
  });
});

describe('readCsv / writeCsv', () => {
  it('round-trips text that Excel would run as a formula, and strips the BOM', () => {
    const bytes = writeCsv(
      ['名称', '备注'],
      [
        ['=HYPERLINK("x")', '-负号'],
        ['+1', '@home'],
      ],
    );
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8')).toContain(`"'=HYPERLINK(""x"")"`);
    const table = readCsv(bytes);
    expect(table.columns).toEqual(['名称', '备注']);
    expect(table.rows.map((r) => r.cells)).toEqual([
      { 名称: '=HYPERLINK("x")', 备注: '-负号' },
      { 名称: '+1', 备注: '@home' },
    ]);
  });

  it('escapes every formula-leading cell the OWASP way, numbers excepted', () => {
    const text = writeCsv(
      ['a', 'b', 'c', 'd'],
      [['-1+HYPERLINK("http://evil.example")', '\tx', '\r=1', -73.5]],
    ).toString('utf8');
    expect(text).toContain(`"'-1+HYPERLINK(""http://evil.example"")"`);
    expect(text).toContain(`'\tx`);
    expect(text).toContain(`"'\r=1"`);
    expect(text).toMatch(/,-73\.5\r\n$/);
    const table = readCsv(Buffer.from(text));
    expect(table.rows[0]!.cells).toEqual({
      a: '-1+HYPERLINK("http://evil.example")',
      b: '\tx',
      c: '\r=1',
      d: '-73.5',
    });
  });

  it('flags a row with more cells than the header (an unquoted comma)', () => {
    const table = readCsv(Buffer.from('名称,地址\n甲,东城区,东单\n'));
    expect(table.rows[0]!.problems[0]!.problem).toContain('3 cells but the header has 2');
  });

  it('refuses a header naming a column twice', () => {
    expect(() => readCsv(Buffer.from('名称,名称\n甲,乙\n'))).toThrow('"名称" twice');
  });

  it('refuses a header with more columns than the documented cap, in linear time', () => {
    const header = Array.from({ length: 60_000 }, (_, i) => `c${i}`).join(',');
    expect(() => readCsv(Buffer.from(`${header}\n1\n`))).toThrow(
      `more than ${MAX_IMPORT_COLUMNS} columns`,
    );
    const atCap = Array.from({ length: MAX_IMPORT_COLUMNS }, (_, i) => `c${i}`).join(',');
    expect(readCsv(Buffer.from(`${atCap}\n1\n`)).columns).toHaveLength(MAX_IMPORT_COLUMNS);
  });
});
