/**
 * Administrative boundaries straight from an OpenStreetMap extract: the `boundary=administrative`
 * relations of one admin_level, their outer and inner member ways joined end to end into closed
 * rings, and the rings made into (multi)polygons (each inner ring a hole of the outer ring holding
 * it). Three streaming passes (relations, then their ways, then those ways' nodes) keep memory
 * bounded by the boundaries, not by the extract.
 *
 * A relation whose rings cannot be closed (members cut off at the extract's edge) is skipped and
 * named in `skipped`: an extract of a city also holds pieces of its neighbours' boundaries.
 */
import { stat } from 'node:fs/promises';
import { createOSMStream } from 'osm-pbf-parser-node';
import type { BoundaryRecord } from './boundaries.repository.js';

interface Item {
  type?: string;
  id?: number;
  lat?: number;
  lon?: number;
  refs?: number[];
  tags?: Record<string, string>;
  members?: { type: string; ref: number; role: string }[];
}

export interface OsmBoundaryOptions {
  adminLevel: string;
  /** Tag holding the code; default `ref`, then `ISO3166-2`, then `r<relation id>` (osmium's type_id form). */
  codeTag?: string;
  /** Tag holding the name; default `name`. */
  nameTag?: string;
  nameEnTag?: string;
}

export interface OsmBoundaries {
  records: BoundaryRecord[];
  /** Relations of that admin_level that could not be made into areas, and why. */
  skipped: string[];
}

async function* items(path: string, relationTags: boolean): AsyncGenerator<Item> {
  try {
    for await (const block of createOSMStream(path, {
      withTags: { node: false, way: false, relation: relationTags },
      withInfo: false,
    }) as AsyncIterable<Item | Item[]>) {
      if (Array.isArray(block)) yield* block;
      else yield block;
    }
  } catch (cause) {
    const reason = (cause as Error).message;
    throw new Error(
      `Cannot read OSM file ${path}: not a valid .osm.pbf (${reason === 'input format error' ? 'truncated or corrupt' : reason})`,
      { cause },
    );
  }
}

export async function readOsmBoundaries(
  path: string,
  options: OsmBoundaryOptions,
): Promise<OsmBoundaries> {
  const info = await stat(path).catch((cause) => {
    throw new Error(`Cannot open OSM file ${path}: ${(cause as Error).message}`, { cause });
  });
  if (!info.isFile() || info.size === 0) throw new Error(`OSM file is empty or not a file: ${path}`);

  const relations: Item[] = [];
  for await (const item of items(path, true)) {
    if (
      item.type === 'relation' &&
      item.tags?.boundary === 'administrative' &&
      item.tags.admin_level === options.adminLevel
    ) {
      relations.push(item);
    }
  }
  if (relations.length === 0) {
    throw new Error(
      `${path}: no boundary=administrative relation with admin_level=${options.adminLevel}`,
    );
  }
  const wantedWays = new Set<number>();
  for (const r of relations) {
    for (const m of r.members ?? []) if (m.type === 'way' && m.role !== 'subarea') wantedWays.add(m.ref);
  }
  const ways = new Map<number, number[]>();
  const wantedNodes = new Set<number>();
  for await (const item of items(path, false)) {
    if (item.type === 'way' && wantedWays.has(item.id!) && item.refs) {
      ways.set(item.id!, item.refs);
      for (const n of item.refs) wantedNodes.add(n);
    }
  }
  const nodes = new Map<number, [number, number]>();
  for await (const item of items(path, false)) {
    if (item.type === 'node' && wantedNodes.has(item.id!)) nodes.set(item.id!, [item.lon!, item.lat!]);
  }

  const records: BoundaryRecord[] = [];
  const skipped: string[] = [];
  for (const r of relations) {
    const tags = r.tags!;
    const label = `relation ${r.id} ("${tags.name ?? '?'}")`;
    const name = tags[options.nameTag ?? 'name'];
    if (!name) {
      skipped.push(`${label}: tag "${options.nameTag ?? 'name'}" (the area name) is missing`);
      continue;
    }
    const code = options.codeTag ? tags[options.codeTag] : (tags.ref ?? tags['ISO3166-2'] ?? `r${r.id}`);
    if (!code) {
      skipped.push(`${label}: tag "${options.codeTag}" (the area code) is missing`);
      continue;
    }
    const geometry = assemble(r, ways, nodes);
    if (typeof geometry === 'string') {
      skipped.push(`${label}: ${geometry}`);
      continue;
    }
    records.push({
      code,
      name,
      name_en: tags[options.nameEnTag ?? 'name:en'] ?? null,
      pinyin: null,
      geometry,
    });
  }
  return { records, skipped };
}

type Ring = [number, number][];

/** The relation as a GeoJSON MultiPolygon, or why it cannot be one. */
function assemble(
  relation: Item,
  ways: Map<number, number[]>,
  nodes: Map<number, [number, number]>,
): { type: 'MultiPolygon'; coordinates: Ring[][] } | string {
  const byRole: Record<'outer' | 'inner', number[][]> = { outer: [], inner: [] };
  for (const m of relation.members ?? []) {
    if (m.type !== 'way' || m.role === 'subarea') continue;
    const refs = ways.get(m.ref);
    if (!refs) return `way ${m.ref} is not in the extract`;
    byRole[m.role === 'inner' ? 'inner' : 'outer'].push(refs);
  }
  if (byRole.outer.length === 0) return 'it has no outer ways';
  const toRings = (parts: number[][]): Ring[] | string => {
    const rings = joinRings(parts);
    if (typeof rings === 'string') return rings;
    const out: Ring[] = [];
    for (const ids of rings) {
      const ring: Ring = [];
      for (const id of ids) {
        const c = nodes.get(id);
        if (!c) return `node ${id} is not in the extract`;
        ring.push(c);
      }
      if (ring.length >= 4) out.push(ring);
    }
    return out;
  };
  const outers = toRings(byRole.outer);
  if (typeof outers === 'string') return outers;
  const inners = toRings(byRole.inner);
  if (typeof inners === 'string') return inners;
  if (outers.length === 0) return 'its outer ways enclose nothing';
  const polygons: Ring[][] = outers
    .map((ring) => ({ ring, area: Math.abs(signedArea(ring)) }))
    .sort((a, b) => a.area - b.area)
    .map(({ ring }) => [ring]);
  // Each hole goes to the smallest outer ring that holds its first point.
  for (const hole of inners) {
    const home = polygons.find((p) => pointInRing(hole[0]!, p[0]!));
    if (home) home.push(hole);
  }
  // GeoJSON's right-hand rule: outer rings counter-clockwise, holes clockwise.
  for (const polygon of polygons) {
    polygon.forEach((ring, i) => {
      if ((signedArea(ring) > 0) !== (i === 0)) ring.reverse();
    });
  }
  return { type: 'MultiPolygon', coordinates: polygons };
}

/** Joins ways (node id lists) end to end into closed rings, reversing ways where needed. */
export function joinRings(parts: number[][]): number[][] | string {
  const open = parts.filter((p) => p.length >= 2).map((p) => [...p]);
  const rings: number[][] = [];
  while (open.length) {
    let ring = open.pop()!;
    while (ring[0] !== ring[ring.length - 1]) {
      const end = ring[ring.length - 1];
      const i = open.findIndex((p) => p[0] === end || p[p.length - 1] === end);
      if (i < 0) return `its ring is not closed at node ${end} (a member is cut off at the extract's edge)`;
      const next = open.splice(i, 1)[0]!;
      if (next[0] !== end) next.reverse();
      ring = ring.concat(next.slice(1));
    }
    rings.push(ring);
  }
  return rings;
}

function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return sum / 2;
}

function pointInRing([x, y]: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
