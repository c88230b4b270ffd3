import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { geometry } from './geometry.js';

/** What one element of a population cell's `weights` stands for. */
export interface PopulationSlot {
  /** workday | weekend | holiday; null for a layer without day types. */
  day_type: 'workday' | 'weekend' | 'holiday' | null;
  /** Local hour 0–23 the raster describes; null for a layer without hours. */
  hour: number | null;
  /** People in the slot (sum over the stored cells). */
  total: number;
  /** The file the slot was read from (name only). */
  file: string;
}

/**
 * A planner's named demand: either a set of weighted points (delivery stations, sanitation
 * depots, taxi ranks…; `demand_points`) or a population raster, stored as its non-empty cells'
 * centres with one weight per slot (hour × day type; `demand_cells`). Coverage reports the
 * weighted share of this demand within reach of an open station.
 */
export const demandLayers = pgTable(
  'demand_layers',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description'),
    /** What the weights count, e.g. "riders" or "people"; shown next to shares. */
    weightLabel: text('weight_label'),
    /** File name or note the planner gave with the upload. */
    source: text('source'),
    pointCount: integer('point_count').notNull().default(0),
    totalWeight: real('total_weight').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** `points` (demand_points) or `population` (a raster's cells in demand_cells). */
    kind: text('kind').notNull().default('points'),
    /** Population: side of a stored cell in metres (the source's, or coarser when aggregated). */
    cellM: real('cell_m'),
    /** Population: the meaning of each element of `demand_cells.weights`, in order. */
    slots: jsonb('slots').$type<PopulationSlot[]>().notNull().default([]),
    /** Population: the source's CRS as read from the file (proj4 definition). */
    sourceCrs: text('source_crs'),
    /** The reference to cite wherever the layer's figures are shown. */
    citation: text('citation'),
    /**
     * When the last cell was written; null while a background load (first start) is still
     * writing, so coverage refuses the layer (503) instead of counting part of it.
     */
    loadedAt: timestamp('loaded_at', { withTimezone: true }).defaultNow(),
    /**
     * Why an uploaded raster could not be loaded (its job failed); null while loading or once
     * loaded. A failed layer is never counted: coverage refuses it naming this.
     */
    loadError: text('load_error'),
  },
  (t) => [check('demand_layers_kind_check', sql`${t.kind} in ('points', 'population')`)],
);

export const demandPoints = pgTable(
  'demand_points',
  {
    id: serial('id').primaryKey(),
    layerId: integer('layer_id')
      .notNull()
      .references(() => demandLayers.id, { onDelete: 'cascade' }),
    name: text('name'),
    weight: real('weight').notNull().default(1),
    geom: geometry('geom', 'Point').notNull(),
  },
  (t) => [
    index('demand_points_geom_gist').using('gist', t.geom),
    index('demand_points_layer_idx').on(t.layerId),
    check('demand_points_weight_check', sql`${t.weight} >= 0`),
  ],
);

/**
 * One row per non-empty raster cell of a population layer: its centre in WGS-84 and its people
 * per slot. PGlite has no PostGIS raster, and points with weights serve both engines (sums within
 * a distance, areas containing them); ~350 k cells × 36 slots for Beijing.
 */
export const demandCells = pgTable(
  'demand_cells',
  {
    layerId: integer('layer_id')
      .notNull()
      .references(() => demandLayers.id, { onDelete: 'cascade' }),
    /** row × width + column in the stored (possibly aggregated) grid. */
    cell: integer('cell').notNull(),
    geom: geometry('geom', 'Point').notNull(),
    /** People per slot (demand_layers.slots), float4. */
    weights: real('weights').array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.layerId, t.cell] }),
    index('demand_cells_geom_gist').using('gist', t.geom),
  ],
);
