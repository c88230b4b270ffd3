/** Excel .xlsx in and out via exceljs: the first worksheet, first non-empty row as the header. */
import ExcelJS from 'exceljs';
import { badRequest } from '../../http/errors.js';
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

export async function readXlsx(bytes: Buffer): Promise<SourceTable> {
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
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest(`The .xlsx workbook could not be read: ${reason.slice(0, 200)}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.actualRowCount === 0) {
    throw badRequest('The .xlsx workbook has no data in its first worksheet');
  }
  if (sheet.actualRowCount > MAX_IMPORT_ROWS + 1) {
    throw badRequest(
      `The worksheet has more than ${MAX_IMPORT_ROWS} rows; split it into smaller files`,
    );
  }
  let header: { column: number; name: string }[] | null = null;
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (!header) {
      header = [];
      if (row.cellCount > MAX_IMPORT_COLUMNS) throw badRequest(tooManyColumns());
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        const name = String(cellValue(cell.value)).trim();
        if (name) header!.push({ column, name });
      });
      return;
    }
    const cells: Record<string, unknown> = {};
    for (const { column, name } of header) {
      const value = cellValue(row.getCell(column).value);
      cells[name] = typeof value === 'string' ? unescapeFormula(value) : value;
    }
    if (Object.values(cells).every((v) => String(v).trim() === '')) return;
    rows.push({ row: rowNumber, cells, problems: [] });
  });
  const columns = (header as { name: string }[] | null)?.map((h) => h.name) ?? [];
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
