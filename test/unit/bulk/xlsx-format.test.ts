import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS } from '../../../server/modules/bulk/source-table.js';
import { HttpError } from '../../../server/http/errors.js';
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

  it('refuses a sheet over the row cap with a 413 naming the limit', async () => {
    // A small cap for the test; the import passes MAX_IMPORT_ROWS.
    const rows = Array.from({ length: 11 }, (_, i) => [i]);
    const error = await readXlsx(await writeXlsx(['n'], rows), 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(413);
    expect((error as HttpError).message).toContain('more than 10 rows');
    expect((await readXlsx(await writeXlsx(['n'], rows.slice(1)), 10)).rows).toHaveLength(10);
    expect(MAX_IMPORT_ROWS).toBe(50_000);
  });

  it('refuses a zip bomb from its directory, before inflating anything', async () => {
    const bytes = await writeXlsx(['名称'], [['甲']]);
    // Make every central-directory entry claim 1 GB unpacked (what a bomb declares).
    for (let i = 0; i + 46 <= bytes.length; i++) {
      if (bytes.readUInt32LE(i) === 0x02014b50) bytes.writeUInt32LE(1 << 30, i + 24);
    }
    const error = await readXlsx(bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(413);
    expect((error as HttpError).message).toContain('unpacks to more than');
  });
});

describe('readXlsx whatever the order of the workbook parts', () => {
  it('reads a workbook whose worksheet comes before workbook.xml in the zip (exceljs itself writes so at times)', async () => {
    // JSZip comes with exceljs; it rewrites our own export with the worksheet first.
    const { default: JSZip } = await import('jszip');
    const written = await JSZip.loadAsync(await writeXlsx(['名称', '经度'], [['甲', 116.4]]));
    const names = Object.keys(written.files).filter((n) => !written.files[n]!.dir);
    const reordered = new JSZip();
    // The relations and shared strings first make exceljs parse the worksheet at once.
    const first = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', ...names.filter((n) => n.startsWith('xl/worksheets/'))];
    for (const name of [...first, ...names.filter((n) => !first.includes(n))]) {
      reordered.file(name, await written.files[name]!.async('uint8array'));
    }
    const bytes = Buffer.from(await reordered.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
    const table = await readXlsx(bytes);
    expect(table.columns).toEqual(['名称', '经度']);
    expect(table.rows[0]!.cells).toMatchObject({ 名称: '甲', 经度: 116.4 });
  });
});
