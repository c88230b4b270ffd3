import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_COLUMNS } from '../../../server/modules/bulk/source-table.js';
import { readXlsx, writeXlsx } from '../../../server/modules/bulk/xlsx-format.js';

describe('writeXlsx / readXlsx', () => {
  it('escapes formula-leading text cells (= + - @ TAB; CR becomes LF in the sheet XML), keeps numbers numeric, and reads them back', async () => {
    const bytes = await writeXlsx(
      ['a', 'b', 'c', 'd', 'e'],
      [['-1+HYPERLINK("http://evil.example")', '\tx', '+1', '@me', -73.5]],
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const row = workbook.worksheets[0]!.getRow(2);
    expect([1, 2, 3, 4, 5].map((i) => row.getCell(i).value)).toEqual([
      `'-1+HYPERLINK("http://evil.example")`,
      `'\tx`,
      `'+1`,
      `'@me`,
      -73.5,
    ]);
    const table = await readXlsx(bytes);
    expect(table.rows[0]!.cells).toEqual({
      a: '-1+HYPERLINK("http://evil.example")',
      b: '\tx',
      c: '+1',
      d: '@me',
      e: -73.5,
    });
  });

  it('refuses a header with more columns than the cap, and one naming a column twice', async () => {
    const wide = Array.from({ length: MAX_IMPORT_COLUMNS + 1 }, (_, i) => `c${i}`);
    await expect(readXlsx(await writeXlsx(wide, [wide]))).rejects.toThrow(
      `more than ${MAX_IMPORT_COLUMNS} columns`,
    );
    await expect(readXlsx(await writeXlsx(['名称', '名称'], [['甲', '乙']]))).rejects.toThrow(
      '"名称" twice',
    );
  });
});
