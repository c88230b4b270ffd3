/** Excel .xlsx in and out via exceljs: the first worksheet, first non-empty row as the header. */
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { HttpError, badRequest } from '../../http/errors.js';
import { escapeFormula, unescapeFormula } from './csv-format.js';
import {
  MAX_IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  duplicateColumn,
  tooManyColumns,
  type SourceRow,
  type SourceTable,
} from './source-table.js';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** A cell as plain text or number: rich text joined, formulas by their cached result, dates ISO. */
function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: ExcelJS.CellValue }).result;
    return result === undefined ? '' : cellValue(result);
  }
  if ('text' in value) return String((value as { text: unknown }).text);
  if ('error' in value) return '';
  return String(value);
}

/**
 * Largest total the workbook's parts may unpack to, as its zip directory declares them. Our
 * 50,000-row export unpacks to ~25 MB; a zip bomb (a few MB unpacking to gigabytes) is refused
 * before anything is inflated. Reading then streams, so a part that lies about its size still
 * stops at the row cap.
 */
export const MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024;

/** Sum of the uncompressed sizes the zip's central directory declares, or null if unreadable. */
export function declaredUnpackedBytes(bytes: Buffer): number | null {
  // End of central directory: signature 0x06054b50, within the last 22 + 65,535 bytes.
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= from; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const entries = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) return null;
    const size = bytes.readUInt32LE(at + 24);
    total += size === 0xffffffff ? Number.POSITIVE_INFINITY : size; // ZIP64: larger than 4 GB
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return total;
}

/** Rows between yields to the event loop, so other requests are served while a big file is read. */
const ROWS_PER_YIELD = 500;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Streams the first worksheet (exceljs WorkbookReader): the header's column count and the row
 * count are checked as rows arrive, so an oversized sheet is refused after reading just past the
 * cap instead of after loading the whole workbook.
 */
export async function readXlsx(bytes: Buffer, maxRows = MAX_IMPORT_ROWS): Promise<SourceTable> {
  if (bytes.subarray(0, 4).equals(OLE_MAGIC)) {
    throw badRequest(
      'This is an old Excel .xls file; save it as .xlsx (or CSV UTF-8) and upload again',
    );
  }
  if (!bytes.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw badRequest(
      'The file is not an .xlsx workbook (it does not start like one); check the format',
    );
  }
  const unpacked = declaredUnpackedBytes(bytes);
  if (unpacked !== null && unpacked > MAX_XLSX_UNPACKED_BYTES) {
    throw new HttpError(
      413,
      `The .xlsx workbook unpacks to more than ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB; split it into smaller files`,
    );
  }
  let header: { column: number; name: string }[] | null = null;
  const rows: SourceRow[] = [];
  let sheetRows = 0;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache', // dates are numbers with a date format
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    // exceljs names a worksheet from the workbook part, assuming that part comes first in the zip;
    // its own writer does not always put it first (seen on a busy machine: "reading 'sheets'" when
    // re-reading our own export). We read the first worksheet by position and need no name.
    const model = reader as unknown as { model?: { sheets?: unknown[] } };
    model.model ??= { sheets: [] };
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        sheetRows += 1;
        if (sheetRows > maxRows + 1) {
          throw new HttpError(
            413,
            `The worksheet has more than ${maxRows} rows; split it into smaller files`,
          );
        }
        if (sheetRows % ROWS_PER_YIELD === 0) await yieldToEventLoop();
        if (!header) {
          if (row.cellCount > MAX_IMPORT_COLUMNS) throw badRequest(tooManyColumns());
          const names: { column: number; name: string }[] = [];
          row.eachCell({ includeEmpty: false }, (cell, column) => {
            const name = String(cellValue(cell.value)).trim();
            if (name) names.push({ column, name });
          });
          if (names.length) header = names;
          continue;
        }
        const cells: Record<string, unknown> = {};
        for (const { column, name } of header) {
          const value = cellValue(row.getCell(column).value);
          cells[name] = typeof value === 'string' ? unescapeFormula(value) : value;
        }
        if (Object.values(cells).every((v) => String(v).trim() === '')) continue;
        rows.push({ row: row.number, cells, problems: [] });
      }
      break; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest(`The .xlsx workbook could not be read: ${reason.slice(0, 200)}`);
  }
  if (!header) throw badRequest('The .xlsx workbook has no data in its first worksheet');
  const columns = (header as { name: string }[]).map((h) => h.name);
  const duplicate = duplicateColumn(columns);
  if (duplicate) throw badRequest(`The worksheet header names the column "${duplicate}" twice`);
  return { columns, rows, notes: [] };
}

export async function writeXlsx(columns: string[], rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'warm-posts';
  const sheet = workbook.addWorksheet('stations', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.addRow(columns).font = { bold: true };
  // Text that Excel could take for a formula is escaped as in CSV; numbers stay numeric cells.
  for (const row of rows) {
    sheet.addRow(row.map((value) => (typeof value === 'string' ? escapeFormula(value) : value)));
  }
  sheet.columns.forEach((column, index) => {
    column.width = Math.min(40, Math.max(8, columns[index]!.length * 2 + 2));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
