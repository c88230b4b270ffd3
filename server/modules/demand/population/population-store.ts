/**
 * A population layer's cells held in memory (shared arrays, so the CPU pool reads them without a
 * copy): positions once per layer, one slot's weights when a question needs it, and each level's
 * cell → area assignment (PostGIS, once per layer, level and areas version). Layers never change
 * after their import (a new import is a new id), so the layer id and import time key them.
 */
import type { AppDatabase } from '../../../db/client.js';
import type { DemandLayerRecord } from '../demand.repository.js';
import {
  cellAreas,
  loadCellPositions,
  loadSlotWeights,
  type CellPositions,
} from './population.repository.js';

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
  levelAssignment(layer: DemandLayerRecord, level: string, areasVersion: string): Promise<LevelAssignment> {
    return this.levels.get(`${this.layerKey(layer)}/${level}/${areasVersion}`, async () => {
      const [positions, pairs] = await Promise.all([
        this.cellPositions(layer),
        cellAreas(this.db, layer.id, level),
      ]);
      const codes = [...new Set(pairs.map((p) => p.code))].sort();
      const codeIndex = new Map(codes.map((c, i) => [c, i]));
      const areaOf = new Int32Array(new SharedArrayBuffer(positions.cells.length * 4)).fill(-1);
      // Both in cell order: one merge.
      let k = 0;
      for (const pair of pairs) {
        while (positions.cells[k]! < pair.cell) k++;
        if (positions.cells[k] === pair.cell) areaOf[k] = codeIndex.get(pair.code)!;
      }
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
