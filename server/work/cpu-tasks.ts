/**
 * The pure functions the CPU pool runs, by name. Each takes and returns plain (structured-clone)
 * data; an expected refusal is returned as `{ refused }` rather than thrown, because an Error's
 * class does not survive the trip between threads.
 */
import {
  hoursContext,
  setHoursContextData,
  type HoursContextData,
} from '../modules/holidays/hours-context.js';
import { passwordStrengthProblem } from '../modules/auth/password-strength.js';
import { hoursPreview, type HoursPreviewInput } from '../modules/stations/hours-preview.js';
import { readOpeningHoursInput } from '../hours/index.js';
import {
  readBoundaryUpload,
  type BoundaryUploadInput,
} from '../modules/boundaries/boundary-upload.js';
import { TooManyPairsError } from '../modules/coverage/local-distance.js';
import {
  radiusCovering,
  type RadiusCoveringInput,
  type RadiusCoveringResult,
} from '../modules/coverage/radius-covering.js';
import {
  assignCellsToAreas,
  type CellAreasInput,
} from '../modules/demand/population/cell-areas.js';
import {
  demandGrid,
  type DemandGridInput,
} from '../modules/demand/population/demand-grid.js';
import {
  readRasterHeader,
  readRasterUpload,
} from '../modules/demand/population/raster-upload.js';
import { contractProfile } from '../routing/contraction/build-task.js';
import { networkSweep, type NetworkSweepInput } from '../modules/coverage/network-sweep-task.js';
import { multiSourceReach, type ReachGraphArrays } from '../modules/coverage/network-reach.js';
import {
  populationCoverage,
  type PopulationCoverageInput,
} from '../modules/demand/population/population-coverage.js';

export const CPU_TASKS = {
  passwordStrength: passwordStrengthProblem,
  radiusCovering(
    input: RadiusCoveringInput,
  ): { result: RadiusCoveringResult } | { refused: { maxPairs: number } } {
    try {
      return { result: radiusCovering(input) };
    } catch (error) {
      if (error instanceof TooManyPairsError) return { refused: { maxPairs: error.maxPairs } };
      throw error;
    }
  },
  /** The area of a level holding each population cell (once per layer, level and areas version). */
  assignCellsToAreas(input: CellAreasInput) {
    return assignCellsToAreas(input);
  },
  /** People within reach per area; the cell arrays come in shared memory (no copy). */
  populationCoverage(input: PopulationCoverageInput) {
    return populationCoverage(input);
  },
  /** A demand layer summed into map squares for one viewport (positions in shared memory). */
  demandGrid(input: DemandGridInput) {
    return demandGrid(input);
  },
  /** An uploaded population GeoTIFF's header (size, bands, CRS), checked before the job starts. */
  readRasterHeader(input: Parameters<typeof readRasterHeader>[0]) {
    return readRasterHeader(input);
  },
  /** An uploaded population GeoTIFF read whole into a one-slot layer (cells in WGS-84). */
  readRasterUpload(input: Parameters<typeof readRasterUpload>[0]) {
    return readRasterUpload(input);
  },
  /** `context`: the caller's time zone and holiday calendar (a worker starts with the defaults). */
  hoursPreview(input: HoursPreviewInput & { context: HoursContextData }) {
    const current = hoursContext();
    if (
      current.timeZone !== input.context.timeZone ||
      current.calendar.id !== input.context.calendar.id ||
      String(current.location) !== String(input.context.location)
    ) {
      setHoursContextData(input.context);
    }
    return hoursPreview(input);
  },
  /** Opening hours of an edit or an import (OSM or phrases), as they will be stored. */
  readHours(texts: string[]) {
    return texts.map((text) => readOpeningHoursInput(text));
  },
  /** One profile of a road graph contracted into a hierarchy, returned as its stored bytes. */
  contractProfile(input: Parameters<typeof contractProfile>[0]) {
    return contractProfile(input);
  },
  /** Network coverage's one multi-source search from the open stations (graph in shared memory). */
  networkReach(input: { graph: ReachGraphArrays; seedEdges: Int32Array; seedFractions: Float64Array; limitS: number }) {
    return multiSourceReach(input.graph, input.seedEdges, input.seedFractions, input.limitS);
  },
  /** Network coverage's sweep of the reached streets' band over the areas (graph in shared memory). */
  networkSweep(input: NetworkSweepInput) {
    return networkSweep(input);
  },
  /** An uploaded boundary GeoJSON: parsed and checked here, written by the caller. */
  readBoundaryUpload(input: BoundaryUploadInput) {
    return readBoundaryUpload(input);
  },
};

export type CpuTaskName = keyof typeof CPU_TASKS;
export type CpuTask<N extends CpuTaskName> = (typeof CPU_TASKS)[N];
export type CpuTaskResult<N extends CpuTaskName> = ReturnType<CpuTask<N>>;
