/**
 * A demand layer on the map, bounded: the cells (population) or points (uploaded) inside one
 * viewport, summed into squares of a global power-of-two grid chosen from the zoom, at most
 * MAX_DEMAND_SQUARES of them, computed in the CPU pool and kept by layer version, slot, step and
 * the snapped box (layers never change after import: a new import is a new id).
 */
import crypto from 'node:crypto';
import type { AppDatabase } from '../../db/client.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import { WorkLimiter } from '../../work/work-limiter.js';
import { slotAt, type SlotChoice } from '../coverage/population-figures.js';
import { listDemandPoints, type DemandLayerRecord } from './demand.repository.js';
import { DEMAND_SQUARE_PX, MAX_DEMAND_SQUARES, type DemandSquaresQuery } from './demand-map.schemas.js';
import { gridStepForZoom, snapBbox, type Bbox } from './population/demand-grid.js';
import { populationStore } from './population/population-store.js';
import { sharedArray } from '../../work/shared-memory.js';

/** Answers kept (a few viewports × slots of the layers in use); the oldest go first. */
const MAX_KEPT = 64;

export interface DemandSquares {
  layer: {
    id: number;
    name: string;
    kind: 'points' | 'population';
    weight_label: string | null;
    cell_m: number | null;
    citation: string | null;
  };
  /** Population layers: the slot drawn for the instant (nearest standing in when not exact). */
  slot: { day_type: string | null; hour: number | null; exact: boolean; requested: SlotChoice['requested'] } | null;
  at: string;
  /** Square side in degrees, and the box the squares cover (the viewport snapped outwards). */
  step_deg: number;
  bbox: Bbox;
  /** [west, south, value, cells] per non-empty square; value = people (or the layer's weights). */
  squares: Array<[number, number, number, number]>;
  total: number;
  max: number;
  max_squares: number;
  /** True when the cap made the squares coarser than the zoom asked for. */
  coarsened: boolean;
  /** Population figures are modelled, not counted; said wherever they are drawn. */
  estimate: boolean;
}

export class DemandMap {
  private readonly kept = new Map<string, Promise<DemandSquares>>();
  private readonly points = new Map<string, Promise<{ lngs: Float64Array; lats: Float64Array; weights: Float32Array }>>();
  readonly limiter = new WorkLimiter({ concurrency: 2, queue: 8, what: 'demand map' });

  constructor(private readonly db: AppDatabase) {}

  private async positionsAndWeights(layer: DemandLayerRecord, slot: SlotChoice | null) {
    if (layer.kind === 'population') {
      const store = populationStore(this.db);
      const [positions, weights] = await Promise.all([
        store.cellPositions(layer),
        store.slotWeights(layer, slot!.index),
      ]);
      return { lngs: positions.lngs, lats: positions.lats, weights };
    }
    const key = `${layer.id}@${layer.created_at}`;
    let loaded = this.points.get(key);
    if (!loaded) {
      loaded = listDemandPoints(this.db, layer.id).then((rows) => {
        const n = rows.length;
        const lngs = sharedArray(Float64Array, n);
        const lats = sharedArray(Float64Array, n);
        const weights = sharedArray(Float32Array, n);
        rows.forEach((r, i) => ((lngs[i] = r.lng), (lats[i] = r.lat), (weights[i] = r.weight)));
        return { lngs, lats, weights };
      });
      loaded.catch(() => this.points.delete(key));
      this.points.set(key, loaded);
      while (this.points.size > 4) this.points.delete(this.points.keys().next().value!);
    }
    return loaded;
  }

  /** The squares for one viewport, and a key naming exactly what they were computed from (ETag). */
  async squares(layer: DemandLayerRecord, q: DemandSquaresQuery, now: Date) {
    const at = q.at ?? now;
    const slot = layer.kind === 'population' ? slotAt(layer, at) : null;
    const midLat = (q.bbox[1] + q.bbox[3]) / 2;
    // The layer's own cell in degrees of longitude at this latitude (points: no floor).
    const cellDeg = layer.cell_m ? layer.cell_m / (111_320 * Math.max(0.1, Math.cos((midLat * Math.PI) / 180))) : 0;
    const step = gridStepForZoom(q.zoom, DEMAND_SQUARE_PX, cellDeg);
    const bbox = snapBbox(q.bbox, step);
    const key = `${layer.id}@${layer.created_at}#${slot?.index ?? '-'}|${step}|${bbox.join(',')}`;
    let answer = this.kept.get(key);
    if (!answer) {
      answer = this.limiter.run(async () => {
        const data = await this.positionsAndWeights(layer, slot);
        const grid = await runCpuTask('demandGrid', { ...data, bbox, step, maxSquares: MAX_DEMAND_SQUARES });
        const squares: Array<[number, number, number, number]> = [];
        for (let k = 0; k < grid.squares.length; k += 4) {
          squares.push([
            Number(grid.squares[k]!.toFixed(7)),
            Number(grid.squares[k + 1]!.toFixed(7)),
            Number(grid.squares[k + 2]!.toFixed(1)),
            grid.squares[k + 3]!,
          ]);
        }
        return {
          layer: {
            id: layer.id,
            name: layer.name,
            kind: layer.kind,
            weight_label: layer.weight_label,
            cell_m: layer.cell_m,
            citation: layer.citation,
          },
          slot: slot && { day_type: slot.day_type, hour: slot.hour, exact: slot.exact, requested: slot.requested },
          at: at.toISOString(),
          step_deg: grid.step,
          bbox,
          squares,
          total: Math.round(grid.total),
          max: Math.round(grid.max * 10) / 10,
          max_squares: MAX_DEMAND_SQUARES,
          coarsened: grid.step > step,
          estimate: layer.kind === 'population',
        } satisfies DemandSquares;
      });
      // A failure (busy, database away) is not kept: the next viewport asks again.
      answer.catch(() => this.kept.delete(key));
      this.kept.set(key, answer);
      while (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    }
    const body = await answer;
    // `at` is the asker's; the squares are the slot's (the same for every hour it stands for).
    return { body: { ...body, at: at.toISOString() }, etag: `"dm-${crypto.createHash('sha256').update(`${key}|${at.toISOString()}`).digest('base64url').slice(0, 20)}"` };
  }
}
