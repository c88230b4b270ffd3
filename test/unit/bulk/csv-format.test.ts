import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../server/http/errors.js';
import { MAX_IMPORT_COLUMNS } from '../../../server/modules/bulk/source-table.js';
import {
  parseCsvRecords,
  readCsv,
  readCsvStream,
  writeCsv,
} from '../../../server/modules/bulk/csv-format.js';
import { streamingTextDecoder } from '../../../server/modules/bulk/text-decoding.js';

describe('parseCsvRecords', () => {
  it('keeps quoted commas, quotes and newlines, and numbers records by their first line', async () => {
    const records = await parseCsvRecords('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n\n last ,w');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['two\nlines', 'z'] },
      // Unquoted cells are trimmed as read (an import trims every cell anyway).
      { line: 6, cells: ['last', 'w'] },
    ]);
  });

  it('detects semicolon and tab delimiters from the header', async () => {
    expect((await parseCsvRecords('名称;经度\n甲;116.3'))[1]!.cells).toEqual(['甲', '116.3']);
    expect((await parseCsvRecords('名称\t经度\n甲\t116.3'))[1]!.cells).toEqual(['甲', '116.3']);
  });

  it('throws a 400 naming the line of an unclosed quote', async () => {
    try {
      await parseCsvRecords('a,b\nc,d\n"open,e\nf,g\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).message).toContain('starting on line 3');
    }
  });
});

describe('readCsv / writeCsv', () => {
  it('round-trips text that Excel would run as a formula, and strips the BOM', async () => {
    const bytes = writeCsv(
      ['名称', '备注'],
      [
        ['=HYPERLINK("x")', '-负号'],
        ['+1', '@home'],
      ],
    );
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8')).toContain(`"'=HYPERLINK(""x"")"`);
    const table = await readCsv(bytes);
    expect(table.columns).toEqual(['名称', '备注']);
    expect(table.rows.map((r) => r.cells)).toEqual([
      { 名称: '=HYPERLINK("x")', 备注: '-负号' },
      { 名称: '+1', 备注: '@home' },
    ]);
  });

  it('escapes every formula-leading cell the OWASP way, numbers excepted', async () => {
    const text = writeCsv(
      ['a', 'b', 'c', 'd'],
      [['-1+HYPERLINK("http://evil.example")', '\tx', '\r=1', -73.5]],
    ).toString('utf8');
    expect(text).toContain(`"'-1+HYPERLINK(""http://evil.example"")"`);
    expect(text).toContain(`'\tx`);
    expect(text).toContain(`"'\r=1"`);
    expect(text).toMatch(/,-73\.5\r\n$/);
    const table = await readCsv(Buffer.from(text));
    expect(table.rows[0]!.cells).toEqual({
      a: '-1+HYPERLINK("http://evil.example")',
      b: '\tx',
      c: '\r=1',
      d: '-73.5',
    });
  });

  it('flags a row with more cells than the header (an unquoted comma)', async () => {
    const table = await readCsv(Buffer.from('名称,地址\n甲,东城区,东单\n'));
    expect(table.rows[0]!.problems[0]!.problem).toContain('3 cells but the header has 2');
  });

  it('refuses a header naming a column twice', async () => {
    await expect(readCsv(Buffer.from('名称,名称\n甲,乙\n'))).rejects.toThrow('"名称" twice');
  });

  it('refuses a header with more columns than the documented cap, in linear time', async () => {
    const header = Array.from({ length: 60_000 }, (_, i) => `c${i}`).join(',');
    await expect(readCsv(Buffer.from(`${header}\n1\n`))).rejects.toThrow(
      `more than ${MAX_IMPORT_COLUMNS} columns`,
    );
    const atCap = Array.from({ length: MAX_IMPORT_COLUMNS }, (_, i) => `c${i}`).join(',');
    expect((await readCsv(Buffer.from(`${atCap}\n1\n`))).columns).toHaveLength(MAX_IMPORT_COLUMNS);
  });
});

describe('reading as the bytes stream in', () => {
  /** The bytes cut into `size`-byte chunks, as a socket delivers them (characters split too). */
  const chunked = (bytes: Buffer, size: number) =>
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

  it('decodes UTF-8 and GB18030 alike whatever the chunk boundaries, deciding on the first non-ASCII bytes', () => {
    const text = 'name,addr\nA,' + '东城区东单北大街'.repeat(3) + '\n';
    const gb = Buffer.from(new Uint8Array([...new TextEncoder().encode('name,addr\nA,')]));
    const gbBody = Buffer.from(
      // 东城区 in GB18030 (the same bytes as GBK).
      [0xb6, 0xab, 0xb3, 0xc7, 0xc7, 0xf8],
    );
    for (const size of [1, 2, 3, 7, 64]) {
      const utf8 = streamingTextDecoder();
      const out = chunked(Buffer.from(text), size).map((c) => utf8.write(c)).join('') + utf8.end();
      expect(out).toBe(text);
      expect(utf8.encoding).toBe('utf-8');
      const gbk = streamingTextDecoder();
      const gbOut = chunked(Buffer.concat([gb, gbBody]), size).map((c) => gbk.write(c)).join('') + gbk.end();
      expect(gbOut).toBe('name,addr\nA,东城区');
      expect(gbk.encoding).toBe('gb18030');
    }
  });

  it('drops a UTF-8 byte-order mark and refuses a file that turns from UTF-8 into something else', () => {
    const bom = streamingTextDecoder();
    expect(bom.write(Buffer.from('\uFEFF名称,经度\n', 'utf8')) + bom.end()).toBe('名称,经度\n');
    const mixed = streamingTextDecoder();
    mixed.write(Buffer.from('名称,经度\n', 'utf8'));
    expect(() => mixed.write(Buffer.from([0xb6, 0xab]))).toThrow('not valid UTF-8 throughout');
  });

  it('reads a file split into 1-byte chunks the same as whole', async () => {
    const text = '编号,名称,经度\r\nA-1,"甲,乙",116.3\nA-2,丙,116.4\n';
    const whole = await readCsv(Buffer.from(text));
    const split = await readCsvStream(chunked(Buffer.from(text), 1));
    expect(split).toEqual(whole);
    expect(split.rows.map((r) => r.row)).toEqual([2, 3]);
  });

  it('stops at the row cap with a 413, having read only a little past it', async () => {
    let pulled = 0;
    async function* endless() {
      yield Buffer.from('名称,经度,纬度\n');
      for (;;) {
        const chunk = Buffer.from('甲,116.3,39.9\n'.repeat(1000));
        pulled += chunk.length;
        yield chunk;
      }
    }
    const error = await readCsvStream(endless(), { maxBytes: 100 * 1024 * 1024, maxRows: 5000 }).catch((e) => e);
    expect(error.status).toBe(413);
    expect(error.message).toContain('more than 5000 rows');
    expect(pulled).toBeLessThan(200_000);
  });

  it('stops at the byte cap with a 413 naming it', async () => {
    const chunks = chunked(Buffer.from('名称\n' + 'x\n'.repeat(600_000)), 65_536);
    const error = await readCsvStream(chunks, { maxBytes: 1024 * 1024, maxRows: 1_000_000 }).catch((e) => e);
    expect(error.status).toBe(413);
    expect(error.message).toContain('larger than 1 MB');
  });
});
