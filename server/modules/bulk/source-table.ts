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
