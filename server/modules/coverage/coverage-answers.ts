/**
 * The planner endpoints' answers through the shared cache: each question is resolved (cheap
 * checks: areas, layer, which stations are open), keyed by its normalised parameters and the data
 * versions, and computed only on a miss, through its kind's limiter. Answers are the same as the
 * services' own; only the instant they were asked at is stamped on afterwards.
 */
import crypto from 'node:crypto';
import type { AppDatabase } from '../../db/client.js';
import { WorkLimiter } from '../../work/work-limiter.js';
import {
  findDemandLayer,
  listDemandLayers,
  type DemandLayerRecord,
} from '../demand/demand.repository.js';
import { hoursContext } from '../holidays/hours-context.js';
import { ruleText } from './coverage-rule.js';
import type { CoverageQuery, GapsQuery, SuggestQuery, TimelineQuery } from './coverage.schemas.js';
import {
  coverageReport,
  gapsCollection,
  resolveContext,
  type CoverageContext,
  type RoadNetworkSource,
} from './coverage.service.js';
import { coverageTimeline } from './coverage-timeline.js';
import { describeInstant } from './open-stations.js';
import { slotAt } from './population-figures.js';
import { ResultsCache, type CacheState } from './results-cache.js';
import { readDataVersions } from './results-cache.repository.js';
import { suggestSites } from './suggest.service.js';

export interface CoverageWorkOptions {
  /** Computations of one kind at once. */
  concurrency: number;
  /** Computations of one kind waiting; more get 503 + Retry-After. */
  queue: number;
}

const KINDS = {
  coverage: 'coverage',
  gaps: 'gap',
  timeline: '24-hour curve',
  suggest: 'site suggestion',
} as const;
type Kind = keyof typeof KINDS;

/** A short fingerprint of the open stations (what an instant changes in the answer). */
const idsHash = (ids: number[]) =>
  crypto.createHash('sha256').update(ids.join(',')).digest('base64url').slice(0, 22);

/**
 * The demand layer's version: layers are not edited in place (a new import is a new id), but the
 * id with its import time and size still names exactly the data an answer was computed from.
 */
function demandVersion(layer: DemandLayerRecord | null) {
  return layer ? `${layer.id}@${layer.created_at}#${layer.point_count}` : null;
}

/** The clock and holiday calendar that decide which stations are open (and on which days). */
function calendarVersion() {
  const { timeZone, calendar } = hoursContext();
  return { timeZone, calendar: calendar.id };
}

export class CoverageAnswers {
  private readonly cache: ResultsCache;
  private readonly limiters: Record<Kind, WorkLimiter>;

  constructor(
    private readonly db: AppDatabase,
    private readonly roadNetworks: RoadNetworkSource | undefined,
    options: CoverageWorkOptions,
  ) {
    this.cache = new ResultsCache(db);
    this.limiters = Object.fromEntries(
      Object.entries(KINDS).map(([kind, what]) => [kind, new WorkLimiter({ ...options, what })]),
    ) as Record<Kind, WorkLimiter>;
  }

  /** Versions first, then the context: an answer is never stored under an older version. */
  private async resolve<Q extends Parameters<typeof resolveContext>[1]>(q: Q, now: Date) {
    const versions = await readDataVersions(this.db);
    const ctx = await resolveContext(this.db, q, now, this.roadNetworks);
    const data = {
      versions,
      ...calendarVersion(),
      network: ctx.network?.info.id ?? null,
      open: idsHash(ctx.openIds),
      rule: ruleText(ctx.rule),
      demand: demandVersion(ctx.demandLayer),
      // People move through the day: the population slot (and the day type and hour asked for,
      // which the answer reports) belongs to the question as much as the open stations do.
      population:
        ctx.demandLayer?.kind === 'population'
          ? (({ index, requested }) => ({
              index,
              day_type: requested.day_type,
              hour: requested.hour,
            }))(slotAt(ctx.demandLayer, ctx.at))
          : null,
    };
    return { ctx, data };
  }

  private stamp(json: string, ctx: CoverageContext) {
    const body = JSON.parse(json);
    body.instant = describeInstant(ctx.at);
    return body;
  }

  async coverage(q: CoverageQuery, now: Date) {
    const { ctx, data } = await this.resolve(q, now);
    const { at: _at, format, simplify, ...rest } = q;
    const question = { ...rest, ...data, outlines: format === 'geojson' ? simplify : null };
    const answer = await this.cache.answer('coverage', question, this.limiters.coverage, () =>
      coverageReport(this.db, q, now, this.roadNetworks, ctx),
    );
    const body = this.stamp(answer.json, ctx);
    // What the figures were computed from, for a printed report to name (and a reader to compare).
    body.data_version = {
      stations: data.versions.stations,
      areas: data.versions.areas,
      demand: data.demand,
      road_network: data.network,
      calendar: data.calendar,
    };
    return { body, cache: answer.cache };
  }

  async gaps(q: GapsQuery, now: Date) {
    const { ctx, data } = await this.resolve(q, now);
    const { at: _at, ...rest } = q;
    const answer = await this.cache.answer('gaps', { ...rest, ...data }, this.limiters.gaps, () =>
      gapsCollection(this.db, q, now, this.roadNetworks, ctx),
    );
    const body = this.stamp(answer.json, ctx);
    for (const feature of body.features) feature.properties.at = body.instant.at;
    return { body, cache: answer.cache };
  }

  async suggest(q: SuggestQuery, now: Date) {
    const { ctx, data } = await this.resolve(q, now);
    const { at: _at, ...rest } = q;
    // Without a layer, the land that counts comes from the population layers and the road
    // network (suggest-demand.ts): a layer loaded later (first start) must ask a new question.
    const land = ctx.demandLayer
      ? null
      : {
          population: (await listDemandLayers(this.db))
            .filter((l) => l.kind === 'population' && !l.loading)
            .map(demandVersion),
          roads: (await this.roadNetworks?.current())?.info.id ?? null,
        };
    const answer = await this.cache.answer(
      'suggest',
      { ...rest, ...data, land },
      this.limiters.suggest,
      () => suggestSites(this.db, q, now, this.roadNetworks, undefined, ctx),
    );
    return { body: this.stamp(answer.json, ctx), cache: answer.cache };
  }

  async timeline(q: TimelineQuery): Promise<{ body: unknown; cache: CacheState }> {
    const versions = await readDataVersions(this.db);
    const network =
      q.rule.kind === 'network' ? ((await this.roadNetworks?.current())?.info.id ?? null) : null;
    const layer = q.demand === undefined ? null : await findDemandLayer(this.db, q.demand);
    const question = {
      ...q,
      rule: ruleText(q.rule),
      versions,
      network,
      demand: q.demand === undefined ? undefined : demandVersion(layer),
      ...calendarVersion(),
    };
    const answer = await this.cache.answer('timeline', question, this.limiters.timeline, () =>
      coverageTimeline(this.db, q, this.roadNetworks),
    );
    return { body: JSON.parse(answer.json), cache: answer.cache };
  }
}
