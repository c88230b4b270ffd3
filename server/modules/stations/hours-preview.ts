/**
 * The live hours check as a pure function of plain data, so it can run in the CPU pool: parses the
 * value and every override's, then (when the value parses) the preview a manager sees.
 */
import { validateOpeningHours, type Closure, type DateOverride } from '../../hours/index.js';
import { describeStationHours } from './station-hours.js';
import type { StationRecord } from './stations.repository.js';

export interface HoursPreviewInput {
  opening_hours: string;
  hours_overrides: DateOverride[];
  closures: Closure[];
  /** Epoch milliseconds of the instant to preview at. */
  at: number;
}

export function hoursPreview(input: HoursPreviewInput) {
  // An override whose hours do not parse is a bad request (as on save), named by its index.
  const overrideErrors = input.hours_overrides.flatMap((o, i) => {
    const result = validateOpeningHours(o.opening_hours);
    return result.ok ? [] : [{ index: i, error: result.error }];
  });
  const validation = validateOpeningHours(input.opening_hours);
  const preview =
    validation.ok && overrideErrors.length === 0
      ? describeStationHours(
          {
            opening_hours: input.opening_hours,
            hours_overrides: input.hours_overrides,
            closures: input.closures,
          } as StationRecord,
          new Date(input.at),
        )
      : null;
  return {
    overrideErrors,
    body: {
      ok: validation.ok,
      error: validation.ok ? null : validation.error,
      warnings: validation.ok ? validation.warnings : [],
      normalized: validation.ok ? validation.normalized : null,
      preview,
    },
  };
}
