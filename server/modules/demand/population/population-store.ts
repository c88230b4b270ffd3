/**
 * A population layer's cells held in memory (shared arrays, so the CPU pool reads them without a
 * copy): positions once per layer, one slot's weights when a question needs it, and each level's
 * cell → area assignment (in the CPU pool, once per layer, level and areas version). Layers never change
 * after their import (a new import is a new id), so the layer id and import time key them.
 */
import type { AppDatabase } from '../../../db/client.js';
import type { DemandLayerRecord } from '../demand.repository.js';
import { runCpuTask } from '../../../work/cpu-pool.js';
import {
  levelOutlines,
  loadCellPositions,
  loadSlotWeights,
  type CellPositions,
} from './population.repository.js';
import { shapeRings } from '../../../geo/shape-rings.js';
import { sharedArray } from '../../../work/shared-memory.js';

/** Entries kept per kind; the oldest go first (a slot of Beijing at 100 m is ~1.7 MB). */
const MAX_SLOTS = 80;
const MAX_LAYERS = 3;
const MAX_LEVELS = 12;

export interface LevelAssignment {
  /** Area codes of the level, sorted. */
  codes: string[];
  /** Index into `codes` of each cell, or -1 outside every area. */
  areaOf: Int32Array;
}

class BoundedMap<V> {
  private readonly map = new Map<string, Promise<V>>();
  constructor(private readonly max: number) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    let value = this.map.get(key);
    if (!value) {
      value = load();
      // A failed load is not kept: the next question tries again.
      value.catch(() => this.map.delete(key));
      this.map.set(key, value);
      while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    }
    return value;
  }
}

export class PopulationStore {
  private readonly positions = new BoundedMap<CellPositions>(MAX_LAYERS);
  private readonly weights = new BoundedMap<Float32Array>(MAX_SLOTS);
  private readonly levels = new BoundedMap<LevelAssignment>(MAX_LEVELS);

  constructor(private readonly db: AppDatabase) {}

  private layerKey(layer: DemandLayerRecord) {
    return `${layer.id}@${layer.created_at}`;
  }

  cellPositions(layer: DemandLayerRecord): Promise<CellPositions> {
    return this.positions.get(this.layerKey(layer), () => loadCellPositions(this.db, layer.id));
  }

  slotWeights(layer: DemandLayerRecord, slot: number): Promise<Float32Array> {
    return this.weights.get(`${this.layerKey(layer)}#${slot}`, () =>
      loadSlotWeights(this.db, layer.id, slot),
    );
  }

  /** `areasVersion` changes with any boundary change, so a new outline gets a new assignment. */
  levelAssignment(
    layer: DemandLayerRecord,
    level: string,
    areasVersion: string,
  ): Promise<LevelAssignment> {
    return this.levels.get(`${this.layerKey(layer)}/${level}/${areasVersion}`, async () => {
      const [positions, outlines] = await Promise.all([
        this.cellPositions(layer),
        levelOutlines(this.db, level),
      ]);
      const codes = outlines.map((o) => o.code);
      const assigned = await runCpuTask('assignCellsToAreas', {
        lngs: positions.lngs,
        lats: positions.lats,
        areas: outlines.map((o) => ({ rings: shapeRings(o.shape) })),
      });
      const areaOf = sharedArray(Int32Array, assigned.length);
      areaOf.set(assigned);
      return { codes, areaOf };
    });
  }
}

const stores = new WeakMap<AppDatabase, PopulationStore>();

/** One store per database handle (tests open several). */
export function populationStore(db: AppDatabase): PopulationStore {
  let store = stores.get(db);
  if (!store) stores.set(db, (store = new PopulationStore(db)));
  return store;
}
