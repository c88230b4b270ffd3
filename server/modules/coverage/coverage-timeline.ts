/**
 * Covered share for each hour of one Beijing day: the gaps planners miss are the night and holiday
 * ones. Hours with the same set of open stations share one computation.
 */
import type { AppDatabase } from '../../db/client.js';
import { coverageByArea } from './coverage.repository.js';
import type { TimelineQuery } from './coverage.schemas.js';
import { describeRule } from './coverage-rule.js';
import { radiusOf, resolveContext } from './coverage.service.js';
import { describeDay, openStationIds } from './open-stations.js';

export async function coverageTimeline(db: AppDatabase, q: TimelineQuery) {
  const level = q.area ? (q.area.length > 6 ? 'subdistrict' : 'district') : q.level;
  const hours = Array.from({ length: 24 }, (_, h) => new Date(`${q.date}T${String(h).padStart(2, '0')}:00:00+08:00`));
  const ctx = await resolveContext(db, { rule: q.rule, level, area: q.area, demand: q.demand, at: hours[0] }, hours[0]!);
  const openByHour = hours.map((at) => openStationIds(ctx.stations, at));
  const results = new Map<
    string,
    { covered: number; area: number; open: number; demandTotal: number | null; demandCovered: number | null }
  >();
  for (const ids of openByHour) {
    const key = ids.join(',');
    if (results.has(key)) continue;
    const rows = await coverageByArea(
      db,
      ctx.scope,
      { stationIds: ids, extraSites: [], radiusM: radiusOf(ctx.rule) },
      { demandLayerId: ctx.demandLayer?.id },
    );
    const sum = (pick: (r: (typeof rows)[number]) => number | null) => rows.reduce((s, r) => s + (pick(r) ?? 0), 0);
    results.set(key, {
      covered: sum((r) => r.covered_km2),
      area: sum((r) => r.area_km2),
      open: sum((r) => r.stations_open),
      demandTotal: ctx.demandLayer ? sum((r) => r.demand_total) : null,
      demandCovered: ctx.demandLayer ? sum((r) => r.demand_covered) : null,
    });
  }
  const pct = (a: number, b: number) => (b > 0 ? Number(((100 * a) / b).toFixed(2)) : null);
  return {
    rule: describeRule(ctx.rule),
    day: describeDay(q.date),
    area: q.area ?? null,
    level,
    demand: ctx.demandLayer ? { id: ctx.demandLayer.id, name: ctx.demandLayer.name } : null,
    computations: results.size,
    hours: openByHour.map((ids, hour) => {
      const r = results.get(ids.join(','))!;
      return {
        hour,
        at: hours[hour]!.toISOString(),
        stations_open: r.open,
        area_km2: Number(r.area.toFixed(3)),
        covered_km2: Number(r.covered.toFixed(3)),
        covered_pct: pct(r.covered, r.area),
        demand_covered_pct: r.demandTotal === null ? null : pct(r.demandCovered ?? 0, r.demandTotal),
      };
    }),
  };
}
