/** What every format parser produces: named columns and rows of raw cell values. */

export interface CellProblem {
  field: string;
  problem: string;
}

export interface SourceRow {
  /** The number a person finds the row by: the spreadsheet/CSV line, or the GeoJSON feature number. */
  row: number;
  /** Raw values by column name; strings from CSV, typed values from xlsx and GeoJSON. */
  cells: Record<string, unknown>;
  /** `[lng, lat]` from a GeoJSON Point, in the file's declared datum. */
  position?: [number, number];
  /** Problems found while reading the row itself (bad geometry, too many cells). */
  problems: CellProblem[];
}

export interface SourceTable {
  columns: string[];
  rows: SourceRow[];
  /** Said back to the user, e.g. that a CSV was read as GB18030. */
  notes: string[];
}

export const BULK_FORMATS = ['csv', 'geojson', 'xlsx'] as const;
export type BulkFormat = (typeof BULK_FORMATS)[number];

/** Upper bound on rows per file: far above a district's list, low enough to stay a few seconds. */
export const MAX_IMPORT_ROWS = 50_000;

/**
 * Upper bound on columns: our export writes 35; a union list rarely has more than 50. Checked as
 * the header is read, so a 60,000-column header costs nothing before it is refused.
 */
export const MAX_IMPORT_COLUMNS = 200;

export function tooManyColumns(): string {
  return `The header has more than ${MAX_IMPORT_COLUMNS} columns; keep the columns an import reads (at most ${MAX_IMPORT_COLUMNS})`;
}

/** The first header named twice (empty headers ignored), found in one pass. */
export function duplicateColumn(columns: string[]): string | undefined {
  const seen = new Set<string>();
  for (const column of columns) {
    if (column === '') continue;
    if (seen.has(column)) return column;
    seen.add(column);
  }
  return undefined;
}
