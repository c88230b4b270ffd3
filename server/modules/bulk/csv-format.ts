/** CSV in and out: RFC 4180 quoting, UTF-8 (with BOM for Excel) or GB18030 as Excel in China saves. */
import { parse } from 'csv-parse';
import { HttpError, badRequest } from '../../http/errors.js';
import {
  MAX_IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  duplicateColumn,
  tooManyColumns,
  type SourceRow,
  type SourceTable,
} from './source-table.js';
import { streamingTextDecoder, type TextEncodingName } from './text-decoding.js';

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

/** Caps enforced while the file streams in; past one, reading stops and nothing more is kept. */
export interface CsvLimits {
  maxBytes: number;
  maxRows: number;
}

/**
 * The longest record in characters: 200 columns of the longest field (3,000 characters of
 * opening hours) fit easily; a quote never closed in a large file stops here rather than swallowing it.
 */
export const MAX_CSV_RECORD_CHARS = 1_000_000;

/**
 * Line breaks inside a record's cells: only a quoted field can hold one, and each moves the next
 * record a line down. Counted here because csv-parse's own line numbers (`info`) triple its cost.
 */
function lineBreaksIn(record: string[]): number {
  let breaks = 0;
  for (const cell of record) {
    if (!cell.includes('\n') && !cell.includes('\r')) continue;
    breaks += cell.match(/\r\n|\r|\n/g)!.length;
  }
  return breaks;
}

/** The header line is looked at (for its delimiter) within this many characters. */
const HEADER_SNIFF_CHARS = 64 * 1024;

/** An error of the file's own size or shape: reading stops there. */
const refusal = (status: 400 | 413, message: string) => new HttpError(status, message);

/** csv-parse's error codes → what a person can fix, with the line the record starts on. */
function csvProblem(error: { code?: string; lines?: number }, recordStart: number): HttpError {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return badRequest(
        `Broken CSV: the quoted field starting on line ${recordStart} is never closed (a " is missing)`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
      return badRequest(
        `Broken CSV on line ${error.lines ?? recordStart}: unexpected text after a closing quote (write "" for a quote inside a quoted field)`,
      );
    case 'INVALID_OPENING_QUOTE':
      return badRequest(
        `Broken CSV on line ${error.lines ?? recordStart}: a quote inside an unquoted field; quote the whole field and write "" for the quote`,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return refusal(
        413,
        `Broken CSV: the record starting on line ${recordStart} runs past ${MAX_CSV_RECORD_CHARS.toLocaleString('en')} characters (a quote never closed?)`,
      );
    default:
      return badRequest(`The CSV file could not be read: ${String((error as Error).message).slice(0, 200)}`);
  }
}

/**
 * Streams CSV records out of byte chunks (csv-parse): decoded as they come (UTF-8 or GB18030),
 * the delimiter taken from the header line, each record handed to `onRecord` with the line it
 * starts on, as it is parsed. The byte cap is checked per chunk and the row cap per record, so an
 * oversized file is refused after reading just past the cap. `source` is only ever paused, never
 * destroyed, so the caller can still answer the request it comes from. Resolves with the encoding.
 */
export async function readCsvRecords(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limits: CsvLimits,
  onRecord: (record: CsvRecord) => void,
): Promise<TextEncodingName> {
  const decoder = streamingTextDecoder();
  let parser: ReturnType<typeof parse> | null = null;
  let failure: unknown = null;
  let previousEnd = 0;
  let rows = 0;
  let head = '';
  const fail = (error: unknown) => {
    failure ??= error;
    parser?.destroy();
  };
  let markEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const start = (text: string) => {
    parser = parse({
      delimiter: detectDelimiter(text),
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      ltrim: true,
      rtrim: true,
      max_record_size: MAX_CSV_RECORD_CHARS,
    });
    // Records arrive synchronously while text is written, so the caps hold within a chunk.
    parser.on('data', (record: string[]) => {
      if (failure) return;
      const line = previousEnd + 1;
      previousEnd = line + lineBreaksIn(record);
      if (!record.some((c) => c !== '')) return;
      rows += 1;
      if (rows > limits.maxRows + 1) {
        return fail(refusal(413, `The file has more than ${limits.maxRows} rows; split it into smaller files`));
      }
      try {
        onRecord({ line, cells: record });
      } catch (error) {
        fail(error);
      }
    });
    parser.on('error', (error) => {
      fail(csvProblem(error as { code?: string; lines?: number }, previousEnd + 1));
      markEnded();
    });
    parser.on('end', markEnded);
    parser.on('close', markEnded);
  };
  const feed = (text: string, final = false) => {
    if (!parser) {
      head += text;
      if (!final && !/[\r\n]/.test(head) && head.length < HEADER_SNIFF_CHARS) return;
      start(head);
      text = head;
    }
    if (text) parser!.write(text);
  };
  let bytes = 0;
  try {
    for await (const chunk of source) {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) {
        throw refusal(413, `The file is larger than ${limits.maxBytes / 1024 / 1024} MB; split it into smaller files`);
      }
      feed(decoder.write(chunk));
      if (failure) break;
    }
    if (!failure) {
      feed(decoder.end(), true);
      (parser as ReturnType<typeof parse> | null)?.end();
    }
  } catch (error) {
    fail(error);
  }
  if (!failure && bytes === 0) throw badRequest('The request body is empty: send the file as the body');
  if (!failure) await ended;
  if (failure) throw failure;
  return decoder.encoding;
}

/** Records of a CSV text (tests, small inputs). */
export async function parseCsvRecords(text: string): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  const limits = { maxBytes: Number.MAX_SAFE_INTEGER, maxRows: MAX_IMPORT_ROWS };
  await readCsvRecords([Buffer.from(text, 'utf8')], limits, (record) => records.push(record));
  return records;
}

/**
 * Reads a CSV file whose first non-empty line is the header, as it streams in: the header's
 * column count and duplicate names are checked as soon as it is read (one pass), the rows
 * against the caps as they arrive.
 */
export async function readCsvStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limits: CsvLimits = { maxBytes: Number.MAX_SAFE_INTEGER, maxRows: MAX_IMPORT_ROWS },
): Promise<SourceTable> {
  const header = { columns: null as string[] | null };
  const rows: SourceRow[] = [];
  const encoding = await readCsvRecords(source, limits, ({ line, cells }) => {
    if (!header.columns) {
      if (cells.length > MAX_IMPORT_COLUMNS) throw refusal(400, tooManyColumns());
      const columns = (header.columns = cells.map((c) => c.trim()));
      const duplicate = duplicateColumn(columns);
      if (duplicate) throw refusal(400, `The CSV header names the column "${duplicate}" twice`);
      return;
    }
    const columns = header.columns;
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
    rows.push({ row: line, cells: values, problems });
  });
  const columns = header.columns;
  if (!columns) throw badRequest('The CSV file is empty: expected a header line and data rows');
  const notes = encoding === 'gb18030' ? ['The file is not UTF-8; it was read as GB18030 (GBK).'] : [];
  return { columns: columns.filter((c) => c !== ''), rows, notes };
}

/** Reads a CSV file held in memory (a body another parser already read; tests). */
export function readCsv(bytes: Buffer): Promise<SourceTable> {
  return readCsvStream([bytes]);
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
