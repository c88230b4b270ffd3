/**
 * An uploaded boundary file (GeoJSON) read into area records: a pure function of the text, run in
 * the CPU pool so a city's 20 MB of polygons never holds the event loop. Geometries go back as
 * JSON text (what the database reads anyway), which crosses between threads as one string rather
 * than as millions of cloned arrays.
 */
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../../http/validate.js';
import { parseBoundaryCollection, type BoundaryFields } from './boundary-files.js';
import type { BoundaryRecord } from './boundaries.repository.js';

export interface BoundaryUploadInput {
  text: string;
  fields: BoundaryFields;
}

/** A record whose geometry is GeoJSON text. */
export type UploadedBoundary = Omit<BoundaryRecord, 'geometry'> & { geometry: string };

export type BoundaryUploadResult =
  | { records: UploadedBoundary[]; suggestedLevel: 'district' | 'subdistrict' }
  /** A refusal a person can act on (an Error's class does not survive the thread boundary). */
  | { refused: string };

export function readBoundaryUpload(input: BoundaryUploadInput): BoundaryUploadResult {
  if (jsonNestsDeeperThan(input.text, MAX_JSON_DEPTH)) {
    return { refused: `The file is nested more than ${MAX_JSON_DEPTH} levels deep; it is not a boundary file` };
  }
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch (error) {
    return { refused: `The file is not valid JSON: ${(error as Error).message.slice(0, 200)}` };
  }
  try {
    const parsed = parseBoundaryCollection(json, input.fields);
    return {
      suggestedLevel: parsed.level,
      records: parsed.records.map((r) => ({ ...r, geometry: JSON.stringify(r.geometry) })),
    };
  } catch (error) {
    return { refused: (error as Error).message };
  }
}
