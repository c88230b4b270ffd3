/**
 * Covered share for each hour of one local day (the deployment's zone): the gaps planners miss are the night and holiday
 * ones. Hours with the same set of open stations share one computation.
 */
import type { AppDatabase } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import { findArea } from '../areas/areas.repository.js';
import { scopeAreaKm2, scopeCoverage } from './coverage.repository.js';
import type { TimelineQuery } from './coverage.schemas.js';
import { describeRule } from './coverage-rule.js';
import { resolveContext, scenarioSites, type RoadNetworkSource } from './coverage.service.js';
import { describeDay, openStationIds } from './open-stations.js';
import { deploymentInstant } from '../holidays/hours-context.js';
import { countPeople, loadPeopleInputs, slotAt, type AreaPeople } from './population-figures.js';
import { scopeCodes } from './population-scope.repository.js';

export async function coverageTimeline(
  db: AppDatabase,
  q: TimelineQuery,
  roadNetworks?: RoadNetworkSource,
) {
  // One area's own level (codes say nothing about their level in general).
  const level = q.area ? ((await findArea(db, q.area))?.level ?? q.level) : q.level;
  const hours = Array.from(
    { length: 24 },
    (_, h) => deploymentInstant(q.date, h * 60),
  );
  const ctx = await resolveContext(
    db,
    { rule: q.rule, level, area: q.area, demand: q.demand, at: hours[0] },
    hours[0]!,
    roadNetworks,
  );
  const unknownIds = (q.without ?? []).filter((id) => !ctx.stations.some((s) => s.id === id));
  if (unknownIds.length) throw notFound(`Stations not found (without=): ${unknownIds.slice(0, 10).join(', ')}`);
  // What-if: removed stations at no hour, added sites at every hour (assumed open around the clock).
  const what = { without: q.without, with: q.with };
  const openByHour = hours.map((at) => openStationIds(ctx.stations, at));
  const codes = await scopeCodes(db, ctx.scope);
  // Population: hour h weighs the people present at h (its slot) against the stations open at h.
  // Counted in the CPU pool while the database measures the areas below; the inputs are read
  // first (mostly cached), so those small queries do not wait behind the overlays.
  const layer = ctx.demandLayer?.kind === 'population' ? ctx.demandLayer : null;
  const slots = layer ? hours.map((at) => slotAt(layer, at)) : [];
  const peopleInputs = layer
    ? await loadPeopleInputs(
        db,
        layer,
        ctx.scope,
        codes,
        ctx.stations,
        await Promise.all(
          openByHour.map(async (ids, hour) => ({
            sites: await scenarioSites(db, ctx, what, ids),
            slot: slots[hour]!.index,
          })),
        ),
      )
    : null;
  const peopleAnswers = peopleInputs ? countPeople(peopleInputs) : null;
  // Kept from rejecting unobserved while the areas are measured; awaited (and thrown) below.
  peopleAnswers?.catch(() => {});
  const fixed = { areaKm2: await scopeAreaKm2(db, ctx.scope), codes, stations: ctx.stations };
  // Hours with the same open stations share one computation (a day has a handful of distinct sets).
  const results = new Map<string, Awaited<ReturnType<typeof scopeCoverage>>>();
  for (const ids of openByHour) {
    const key = ids.join(',');
    if (results.has(key)) continue;
    const sites = await scenarioSites(db, ctx, what, ids);
    const pointsLayer = ctx.demandLayer?.kind === 'points' ? ctx.demandLayer.id : undefined;
    results.set(key, await scopeCoverage(db, ctx.scope, sites, fixed, pointsLayer));
  }
  const people = peopleAnswers ? await peopleAnswers : null;
  const sumOf = (m: Map<string, AreaPeople>) => {
    let total = 0;
    let covered = 0;
    for (const v of m.values()) ((total += v.total), (covered += v.covered));
    return { total, covered };
  };
  const pct = (a: number, b: number) => (b > 0 ? Number(((100 * a) / b).toFixed(2)) : null);
  return {
    rule: describeRule(ctx.rule),
    day: describeDay(q.date),
    area: q.area ?? null,
    level,
    demand: ctx.demandLayer
      ? {
          id: ctx.demandLayer.id,
          name: ctx.demandLayer.name,
          kind: ctx.demandLayer.kind,
          weight_label: ctx.demandLayer.weight_label,
          ...(layer ? { citation: layer.citation, cell_m: layer.cell_m } : {}),
        }
      : null,
    computations: results.size,
    what_if:
      q.without?.length || q.with?.length
        ? { removed_station_ids: q.without ?? [], added_sites: q.with ?? [], added_open: 'all day' }
        : null,
    hours: openByHour.map((ids, hour) => {
      const r = results.get(ids.join(','))!;
      return {
        hour,
        at: hours[hour]!.toISOString(),
        stations_open: r.stations_open,
        area_km2: Number(r.area_km2.toFixed(3)),
        covered_km2: Number(r.covered_km2.toFixed(3)),
        covered_pct: pct(r.covered_km2, r.area_km2),
        ...(people
          ? (() => {
              const p = sumOf(people[hour]!);
              const slot = slots[hour]!;
              return {
                demand_total: Math.round(p.total),
                demand_covered: Math.round(p.covered),
                demand_covered_pct: pct(p.covered, p.total),
                population_slot: { day_type: slot.day_type, hour: slot.hour, exact: slot.exact },
              };
            })()
          : {
              demand_covered_pct:
                r.demand_total === null ? null : pct(r.demand_covered ?? 0, r.demand_total),
            }),
      };
    }),
  };
}
