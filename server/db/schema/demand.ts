import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, real, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { geometry } from './geometry.js';

/**
 * A planner's named set of demand points (delivery stations, sanitation depots, taxi ranks…).
 * Coverage reports the weighted share of these points within reach of an open station.
 */
export const demandLayers = pgTable('demand_layers', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  /** What the weights count, e.g. "riders" or "workers"; shown next to shares. */
  weightLabel: text('weight_label'),
  /** File name or note the planner gave with the upload. */
  source: text('source'),
  pointCount: integer('point_count').notNull().default(0),
  totalWeight: real('total_weight').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

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
