/**
 * Coverage of people: with a population layer, each area's demand is the people in its cells at
 * the slot (day type × hour) of the instant asked about, and the covered part is the people
 * within reach of the stations counted then. The cells are counted in the CPU pool.
 */
import type { AppDatabase } from '../../db/client.js';
import type { PopulationSlot } from '../../db/schema/demand.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import { deploymentDate, deploymentTime } from '../holidays/hours-context.js';
import type { DemandLayerRecord } from '../demand/demand.repository.js';
import { dayTypeOfDate } from '../demand/population/population-import.js';
import type { DayType } from '../demand/population/population-set.js';
import { populationStore } from '../demand/population/population-store.js';
import type { PopulationCoverageInput } from '../demand/population/population-coverage.js';
import type { AreaScope, CoverageSites, StationScheduleRow } from './coverage.repository.js';
import { reachedSegments } from './network-coverage.js';
import { readDataVersions } from './results-cache.repository.js';
import { sharedArray } from '../../work/shared-memory.js';

export interface SlotChoice {
  /** Index into the layer's slots (and each cell's weights). */
  index: number;
  day_type: PopulationSlot['day_type'];
  hour: number | null;
  /** What the instant asked for (its date is the answer's instant). */
  requested: { day_type: DayType; hour: number };
  /** False when the layer has no slot for that day type and hour and the nearest one stands in. */
  exact: boolean;
}

/** Day types to try, in order, when the layer lacks the one asked for. */
const STAND_INS: Record<DayType, DayType[]> = {
  workday: ['workday', 'weekend', 'holiday'],
  weekend: ['weekend', 'holiday', 'workday'],
  holiday: ['holiday', 'weekend', 'workday'],
};

/**
 * The slot for a local date and hour: the same day type (else the nearest kind of day: a holiday
 * is more like a weekend than a workday) and the nearest hour around the clock (02:00 takes 23:00
 * before 06:00: night population is closer to late evening's).
 */
export function chooseSlot(slots: PopulationSlot[], date: string, hour: number): SlotChoice {
  const dayType = dayTypeOfDate(date);
  const requested = { day_type: dayType, hour };
  if (slots.length <= 1) {
    return {
      index: 0,
      day_type: slots[0]?.day_type ?? null,
      hour: slots[0]?.hour ?? null,
      requested,
      // One slot stands for every instant; it is exact when it says nothing more, or says this.
      exact:
        slots.length === 1 &&
        (slots[0]!.day_type === null || slots[0]!.day_type === dayType) &&
        (slots[0]!.hour === null || slots[0]!.hour === hour),
    };
  }
  const forType =
    STAND_INS[dayType]
      .map((t) => slots.map((s, i) => ({ s, i })).filter(({ s }) => s.day_type === t))
      .find((list) => list.length > 0) ??
    slots.map((s, i) => ({ s, i })).filter(({ s }) => s.day_type === null);
  const candidates = forType.length ? forType : slots.map((s, i) => ({ s, i }));
  const distance = (h: number | null) =>
    h === null ? 24 : Math.min(Math.abs(h - hour), 24 - Math.abs(h - hour));
  const best = candidates.reduce((a, b) =>
    distance(b.s.hour) < distance(a.s.hour) ||
    (distance(b.s.hour) === distance(a.s.hour) && (b.s.hour ?? 0) < (a.s.hour ?? 0))
      ? b
      : a,
  );
  return {
    index: best.i,
    day_type: best.s.day_type,
    hour: best.s.hour,
    requested,
    exact:
      (best.s.day_type === null || best.s.day_type === dayType) &&
      (best.s.hour === null || best.s.hour === hour),
  };
}

/** The slot for an instant, read on the deployment's wall clock. */
export function slotAt(layer: DemandLayerRecord, at: Date): SlotChoice {
  return chooseSlot(layer.slots, deploymentDate(at), Number(deploymentTime(at).slice(0, 2)));
}

/** How the answer describes the population used (with the source to cite). */
export function describePopulation(layer: DemandLayerRecord, choice: SlotChoice) {
  const used = layer.slots[choice.index];
  return {
    kind: 'population' as const,
    cell_m: layer.cell_m,
    slot: {
      day_type: choice.day_type,
      hour: choice.hour,
      total: used ? Math.round(used.total) : null,
    },
    requested: choice.requested,
    exact: choice.exact,
    note_en: choice.exact
      ? null
      : `The layer has no population for a ${choice.requested.day_type} at ${choice.requested.hour}:00; ${choice.day_type ?? 'its'} ${choice.hour ?? ''}${choice.hour === null ? '' : ':00'} stands in.`,
    note_zh: choice.exact ? null : `图层没有该时段的人口数据，以最接近的时段代替。`,
    citation: layer.citation,
  };
}

export interface PeopleQuestion {
  sites: CoverageSites;
  slot: number;
}

export interface AreaPeople {
  total: number;
  covered: number;
}

/** A people question's inputs, read from the database (or its caches) and ready to count. */
export interface PeopleInputs {
  codes: string[];
  input: PopulationCoverageInput;
}

/**
 * Reads what `countPeople` needs (cells, their areas, each question's weights and sites): a few
 * queries, most answered from the population store. Done before a long statement is sent, so the
 * counting in the CPU pool can overlap it (PGlite answers one statement at a time).
 * `codes` are the areas the caller reports; cells in no such area are not counted.
 */
export async function loadPeopleInputs(
  db: AppDatabase,
  layer: DemandLayerRecord,
  scope: AreaScope,
  codes: string[],
  stations: StationScheduleRow[],
  questions: PeopleQuestion[],
): Promise<PeopleInputs> {
  const store = populationStore(db);
  const { areas } = await readDataVersions(db);
  const [positions, level] = await Promise.all([
    store.cellPositions(layer),
    store.levelAssignment(layer, scope.level, areas),
  ]);
  const scopeIndex = new Map(codes.map((c, i) => [c, i]));
  const toScope = level.codes.map((c) => scopeIndex.get(c) ?? -1);
  const areaOf = sharedArray(Int32Array, level.areaOf.length);
  for (let i = 0; i < areaOf.length; i++) {
    const a = level.areaOf[i]!;
    areaOf[i] = a < 0 ? -1 : toScope[a]!;
  }
  const byId = new Map(stations.map((s) => [s.id, s]));
  const radiusM = questions[0]?.sites.radiusM ?? 0;
  return {
    codes,
    input: {
      lngs: positions.lngs,
      lats: positions.lats,
      areaOf,
      areaCount: codes.length,
      radiusM,
      questions: await Promise.all(
        questions.map(async (q) => {
          const weights = await store.slotWeights(layer, q.slot);
          if (q.sites.network) {
            return {
              weights,
              segments: reachedSegments(q.sites.network.graph, q.sites.network.reach),
            };
          }
          const sites: number[] = [];
          for (const id of q.sites.stationIds) {
            const s = byId.get(id);
            if (s) sites.push(s.lng, s.lat);
          }
          for (const [lng, lat] of q.sites.extraSites) sites.push(lng, lat);
          return { weights, sites: Float64Array.from(sites) };
        }),
      ),
    },
  };
}

/** People in and within reach per area code, for each question, counted in the CPU pool. */
export async function countPeople({
  codes,
  input,
}: PeopleInputs): Promise<Array<Map<string, AreaPeople>>> {
  const answers = await runCpuTask('populationCoverage', input);
  return answers.map(
    (a) => new Map(codes.map((code, i) => [code, { total: a.total[i]!, covered: a.covered[i]! }])),
  );
}

/**
 * People in and within reach, per area code of the scope, for each question (all with the same
 * rule). `codes` are the areas the caller reports; cells in no such area are not counted.
 */
export async function peopleByArea(
  db: AppDatabase,
  layer: DemandLayerRecord,
  scope: AreaScope,
  codes: string[],
  stations: StationScheduleRow[],
  questions: PeopleQuestion[],
): Promise<Array<Map<string, AreaPeople>>> {
  return countPeople(await loadPeopleInputs(db, layer, scope, codes, stations, questions));
}
