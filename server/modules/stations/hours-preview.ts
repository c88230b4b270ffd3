/**
 * The live hours check as a pure function of plain data, so it can run in the CPU pool: parses the
 * value and every override's, then (when the value parses) the preview a manager sees.
 */
import {
  readOpeningHoursInput,
  type Closure,
  type DateOverride,
} from '../../hours/index.js';
import { describeStationHours } from './station-hours.js';
import type { StationRecord } from './stations.repository.js';

export interface HoursPreviewInput {
  opening_hours: string;
  hours_overrides: DateOverride[];
  closures: Closure[];
  /** Epoch milliseconds of the instant to preview at. */
  at: number;
  /** The station's position (sun events); absent: the deployment's centre. */
  lng?: number;
  lat?: number;
}

export function hoursPreview(input: HoursPreviewInput) {
  // An override whose hours do not parse is a bad request (as on save), named by its index.
  const overrides = input.hours_overrides.map((o) => ({ ...o, read: readOpeningHoursInput(o.opening_hours) }));
  const overrideErrors = overrides.flatMap((o, i) => (o.read.ok ? [] : [{ index: i, error: o.read.error }]));
  // OSM syntax or a phrase ("周一至周五 8:00-18:00"): the preview is of the OSM value it becomes.
  const read = readOpeningHoursInput(input.opening_hours);
  const preview =
    read.ok && overrideErrors.length === 0
      ? describeStationHours(
          {
            opening_hours: read.value,
            hours_overrides: overrides.map(({ read: r, ...o }) => ({ ...o, opening_hours: r.ok ? r.value : o.opening_hours })),
            closures: input.closures,
            lng: input.lng,
            lat: input.lat,
          } as StationRecord,
          new Date(input.at),
        )
      : null;
  return {
    overrideErrors,
    body: {
      ok: read.ok,
      error: read.ok ? null : read.error,
      /** When the text read as a phrase and a part of it did not: that part, as written. */
      unparsed: read.ok ? null : read.unparsed,
      warnings: read.ok ? read.warnings : [],
      /** The OSM value that will be stored (for a phrase: what it became). */
      normalized: read.ok ? read.normalized : null,
      from_phrase: read.ok ? read.fromPhrase : false,
      preview,
    },
  };
}
