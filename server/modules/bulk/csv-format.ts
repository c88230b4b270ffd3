/** CSV in and out: RFC 4180 quoting, UTF-8 (with BOM for Excel) or GB18030 as Excel in China saves. */
import { badRequest } from '../../http/errors.js';
import {
  MAX_IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  duplicateColumn,
  tooManyColumns,
  type SourceTable,
} from './source-table.js';

/** Decodes UTF-8, falling back to GB18030 (a superset of GBK) when the bytes are not valid UTF-8. */
export function decodeText(bytes: Buffer): {
  text: string;
  encoding: 'utf-8' | 'gb18030';
} {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return {
      text: new TextDecoder('gb18030').decode(bytes),
      encoding: 'gb18030',
    };
  }
}

/** The delimiter used most in the header line outside quotes: comma, semicolon or tab. */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r|\n|$/)).replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best![1] > 0 ? best![0] : ',';
}

interface CsvRecord {
  line: number;
  cells: string[];
}

/** Splits CSV text into records, each with the line it starts on; throws a 400 on broken quoting. */
export function parseCsvRecords(text: string, delimiter = detectDelimiter(text)): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && cell.trim() === '') {
      // A quoted field: runs to the next lone quote; "" is a literal quote; newlines are content.
      const openedOn = line;
      cell = '';
      i += 1;
      for (;;) {
        if (i >= text.length) {
          throw badRequest(
            `Broken CSV: the quoted field starting on line ${openedOn} is never closed (a " is missing)`,
          );
        }
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (c === '\n') line += 1;
        cell += c;
        i += 1;
      }
      while (text[i] === ' ') i += 1;
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
        throw badRequest(
          `Broken CSV on line ${line}: unexpected text after a closing quote (write "" for a quote inside a quoted field)`,
        );
      }
      continue;
    }
    if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
      if (records.length > MAX_IMPORT_ROWS + 1) {
        throw badRequest(
          `The file has more than ${MAX_IMPORT_ROWS} rows; split it into smaller files`,
        );
      }
    } else {
      cell += ch;
      i += 1;
    }
  }
  if (cell !== '' || cells.length) endRecord();
  return records;
}

/** Reads a CSV file whose first non-empty line is the header. */
export function readCsv(bytes: Buffer): SourceTable {
  const { text, encoding } = decodeText(bytes);
  const records = parseCsvRecords(text);
  const [header, ...body] = records;
  if (!header) throw badRequest('The CSV file is empty: expected a header line and data rows');
  if (header.cells.length > MAX_IMPORT_COLUMNS) throw badRequest(tooManyColumns());
  const columns = header.cells.map((c) => c.trim());
  const duplicate = duplicateColumn(columns);
  if (duplicate) throw badRequest(`The CSV header names the column "${duplicate}" twice`);
  const rows = body.map(({ line, cells }) => {
    const problems =
      cells.length > columns.length && cells.slice(columns.length).some((c) => c.trim() !== '')
        ? [
            {
              field: '(row)',
              problem: `the row has ${cells.length} cells but the header has ${columns.length} columns (an unquoted comma?)`,
            },
          ]
        : [];
    const values: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      if (column !== '') values[column] = unescapeFormula(cells[index] ?? '');
    });
    return { row: line, cells: values, problems };
  });
  const notes =
    encoding === 'gb18030' ? ['The file is not UTF-8; it was read as GB18030 (GBK).'] : [];
  return { columns: columns.filter((c) => c !== ''), rows, notes };
}

/**
 * OWASP's rule for CSV injection: a text cell starting with = + - @ TAB or CR gets a leading
 * apostrophe, so a spreadsheet shows it as text instead of running it as a formula. Numbers are
 * written as numbers (never escaped), so a negative coordinate stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes {@link escapeFormula} on import, so exports round-trip. */
export function unescapeFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

function quoteCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = escapeFormula(value);
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV text with a UTF-8 BOM (so Excel opens Chinese correctly) and CRLF line ends. */
export function writeCsv(columns: string[], rows: (string | number)[][]): Buffer {
  const lines = [columns, ...rows].map((cells) => cells.map(quoteCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
