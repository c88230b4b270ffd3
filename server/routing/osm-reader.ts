/**
 * Reads the routable part of an OpenStreetMap `.osm.pbf` extract.
 *
 * Two streaming passes keep memory bounded by the road network rather than by the file: the first
 * keeps `highway=*` ways (with only the tags the profiles read) and the ids of the nodes they use;
 * the second keeps coordinates for just those nodes. A PBF file is a sequence of independent blocks,
 * so re-reading it is cheaper than holding every node of the extract.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { OSMTransform } from 'osm-pbf-parser-node';

/** Way tags the profiles and the graph builder look at; every other tag is dropped while parsing. */
export const ROUTING_TAG_KEYS = [
  'highway',
  'name',
  'ref',
  'oneway',
  'oneway:bicycle',
  'junction',
  'maxspeed',
  'maxspeed:forward',
  'maxspeed:backward',
  'access',
  'foot',
  'bicycle',
  'vehicle',
  'motor_vehicle',
  'motorcar',
  'motorroad',
  'cycleway',
  'cycleway:left',
  'cycleway:right',
  'cycleway:both',
  'sidewalk',
  'surface',
  'area',
] as const;

export type OsmTags = Readonly<Record<string, string>>;

export interface OsmWay {
  id: number;
  nodeIds: number[];
  tags: OsmTags;
}

export interface OsmRoadData {
  ways: OsmWay[];
  /** Coordinates of the nodes the ways use, `[lng, lat]`; ids absent here were outside the extract. */
  nodeCoords: Map<number, [number, number]>;
  /** Nodes and ways of any kind seen in the file, for progress and sanity checks. */
  counts: { nodesInFile: number; waysInFile: number };
}

/** `[minLng, minLat, maxLng, maxLat]`; nodes outside are treated as missing (ways are cut there). */
export type BBox = [number, number, number, number];

export interface ReadOsmOptions {
  bbox?: BBox;
  /** Called after each parsed block; `pass` 1 collects ways, pass 2 collects node coordinates. */
  onProgress?: (progress: { pass: 1 | 2; nodes: number; ways: number }) => void;
}

export interface ParsedItem {
  type?: string;
  id?: number;
  lat?: number;
  lon?: number;
  refs?: number[];
  tags?: Record<string, string>;
}

export async function readOsmRoads(
  path: string,
  options: ReadOsmOptions = {},
): Promise<OsmRoadData> {
  await assertReadableFile(path);
  const ways: OsmWay[] = [];
  const neededNodes = new Set<number>();
  let nodesInFile = 0;
  let waysInFile = 0;

  await forEachBlock(
    path,
    { node: false, way: [...ROUTING_TAG_KEYS], relation: false },
    (items) => {
      for (const item of items) {
        if (item.type === 'node') nodesInFile++;
        if (item.type !== 'way') continue;
        waysInFile++;
        if (!item.tags?.highway || !item.refs || item.refs.length < 2) continue;
        ways.push({ id: item.id!, nodeIds: item.refs, tags: item.tags });
        for (const id of item.refs) neededNodes.add(id);
      }
      options.onProgress?.({ pass: 1, nodes: nodesInFile, ways: waysInFile });
    },
  );
  if (nodesInFile === 0 && waysInFile === 0) {
    throw new Error(`OSM file contains no nodes or ways: ${path}`);
  }

  const nodeCoords = new Map<number, [number, number]>();
  const bbox = options.bbox;
  let nodesSeen = 0;
  await forEachBlock(path, { node: false, way: false, relation: false }, (items) => {
    for (const item of items) {
      if (item.type !== 'node') continue;
      nodesSeen++;
      if (!neededNodes.has(item.id!)) continue;
      const lng = item.lon!;
      const lat = item.lat!;
      if (bbox && (lng < bbox[0] || lat < bbox[1] || lng > bbox[2] || lat > bbox[3])) continue;
      nodeCoords.set(item.id!, [lng, lat]);
    }
    options.onProgress?.({ pass: 2, nodes: nodesSeen, ways: ways.length });
  });

  return { ways, nodeCoords, counts: { nodesInFile, waysInFile } };
}

async function assertReadableFile(path: string): Promise<void> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
  } catch (cause) {
    throw new Error(`Cannot open OSM file ${path}: ${(cause as Error).message}`, { cause });
  }
  if (size === 0) throw new Error(`OSM file is empty: ${path}`);
}

export type TagFilter = boolean | string[];

/**
 * Streams the file through the parser, handing each decoded block to `onBlock`. Errors from the
 * file stream are forwarded into the parser (plain `.pipe()` would drop them and hang the loop), and
 * every parser failure is rethrown with the file name, because the parser's own messages
 * ("input format error") do not say which file or why.
 */
export async function forEachBlock(
  path: string,
  withTags: { node: TagFilter; way: TagFilter; relation: TagFilter },
  onBlock: (items: ParsedItem[]) => void,
): Promise<void> {
  const source = createReadStream(path);
  const parser = new OSMTransform({ withTags, withInfo: false });
  source.once('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let sawHeader = false;
  try {
    for await (const block of parser as AsyncIterable<ParsedItem[]>) {
      if (!sawHeader) {
        sawHeader = true;
        // The first block of a valid file is the OSMHeader, which has no `type`.
        if (block.length !== 1 || block[0].type !== undefined) {
          throw new Error('missing OSMHeader block');
        }
        continue;
      }
      onBlock(block);
    }
  } catch (cause) {
    const reason = (cause as Error).message;
    const hint = reason === 'input format error' ? 'truncated or corrupt' : reason;
    throw new Error(`Cannot read OSM file ${path}: not a valid .osm.pbf (${hint})`, { cause });
  } finally {
    source.destroy();
    parser.destroy();
  }
}
