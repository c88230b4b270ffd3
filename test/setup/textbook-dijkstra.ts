/**
 * The independent check for network reach: a plain Dijkstra, written the textbook way, straight
 * over the `road_edges` rows (no graph, no engine code). Seconds from every node reached within
 * `limitS` to the nearest of `sources` (`to_site`, the default), or from them (`from_site`).
 * Edge costs are rounded to float32 as the engine stores them, so equal means equal.
 */
import { queryRows, sql, type AppDatabase } from '../../server/db/client.js';

export type TextbookMode = 'walk' | 'drive';
export type TextbookDirection = 'to_site' | 'from_site';

export async function textbookNodeSeconds(
  db: AppDatabase,
  mode: TextbookMode,
  sources: number[],
  limitS: number,
  direction: TextbookDirection = 'to_site',
): Promise<Map<number, number>> {
  const edges = await queryRows<{
    source: number;
    target: number;
    fwd: number | null;
    bwd: number | null;
  }>(
    db,
    mode === 'walk'
      ? sql`select source, target, walk_fwd_s::float8 as fwd, walk_bwd_s::float8 as bwd from road_edges`
      : sql`select source, target, drive_fwd_s::float8 as fwd, drive_bwd_s::float8 as bwd from road_edges`,
  );
  // next[n]: the nodes m with a step to expand, and its seconds (m→n towards a site, n→m away).
  const next = new Map<number, Array<[number, number]>>();
  const add = (from: number, to: number, s: number | null) => {
    if (s === null) return;
    const [key, other] = direction === 'to_site' ? [to, from] : [from, to];
    if (!next.has(key)) next.set(key, []);
    next.get(key)!.push([other, Math.fround(s)]);
  };
  for (const e of edges) {
    add(e.source, e.target, e.fwd);
    add(e.target, e.source, e.bwd);
  }
  const dist = new Map<number, number>(sources.map((n) => [n, 0]));
  const done = new Set<number>();
  let frontier = [...sources];
  while (frontier.length) {
    frontier.sort((a, b) => dist.get(a)! - dist.get(b)!);
    const node = frontier.shift()!;
    if (done.has(node)) continue;
    done.add(node);
    for (const [other, s] of next.get(node) ?? []) {
      const d = dist.get(node)! + s;
      if (d <= limitS && d < (dist.get(other) ?? Infinity)) {
        dist.set(other, d);
        frontier = frontier.filter((n) => n !== other);
        frontier.push(other);
      }
    }
  }
  return dist;
}
