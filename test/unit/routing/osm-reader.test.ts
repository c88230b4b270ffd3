import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readOsmRoads,
  ROUTING_TAG_KEYS,
  type OsmRoadData,
} from '../../../server/routing/osm-reader.js';
import { extractPath } from './real-networks.js';

describe('readOsmRoads on the Andorra extract', () => {
  let andorra: OsmRoadData;
  beforeAll(async () => {
    andorra = await readOsmRoads(extractPath('andorra'));
  });

  it('sees every node and way in the file and keeps only highway ways', () => {
    expect(andorra.counts).toEqual({ nodesInFile: 69_644, waysInFile: 2_725 });
    expect(andorra.ways).toHaveLength(1_615);
    expect(andorra.ways.every((way) => way.tags.highway !== undefined)).toBe(true);
  });

  it('keeps only the tags the profiles read', () => {
    const allowed = new Set<string>(ROUTING_TAG_KEYS);
    const keys = new Set(andorra.ways.flatMap((way) => Object.keys(way.tags)));
    expect([...keys].filter((key) => !allowed.has(key))).toEqual([]);
    expect(keys).toContain('oneway');
    expect(keys).toContain('maxspeed');
  });

  it('keeps coordinates for exactly the nodes the ways use, all inside Andorra', () => {
    const used = new Set(andorra.ways.flatMap((way) => way.nodeIds));
    expect(andorra.nodeCoords.size).toBe(used.size);
    expect(andorra.nodeCoords.size).toBeLessThan(andorra.counts.nodesInFile);
    const outside = [...andorra.nodeCoords.values()].filter(
      ([lng, lat]) => lng < 1.3 || lng > 1.9 || lat < 42.3 || lat > 42.8,
    );
    expect(outside).toEqual([]);
  });

  it('drops nodes outside a bbox, leaving the ways to be cut there', async () => {
    const bbox: [number, number, number, number] = [1.5, 42.5, 1.55, 42.55];
    const clipped = await readOsmRoads(extractPath('andorra'), { bbox });
    expect(clipped.nodeCoords.size).toBeGreaterThan(100);
    expect(clipped.nodeCoords.size).toBeLessThan(andorra.nodeCoords.size);
    const outside = [...clipped.nodeCoords.values()].filter(
      ([lng, lat]) => lng < bbox[0] || lng > bbox[2] || lat < bbox[1] || lat > bbox[3],
    );
    expect(outside).toEqual([]);
  });

  it('reports progress for both passes', async () => {
    const passes = new Set<number>();
    await readOsmRoads(extractPath('bayfront_singapore'), {
      onProgress: ({ pass }) => passes.add(pass),
    });
    expect([...passes].sort()).toEqual([1, 2]);
  });
});

describe('readOsmRoads on the Singapore Bayfront extract', () => {
  it('reads a clipped city extract', async () => {
    const bayfront = await readOsmRoads(extractPath('bayfront_singapore'));
    expect(bayfront.counts).toEqual({ nodesInFile: 2_843, waysInFile: 468 });
    expect(bayfront.ways).toHaveLength(332);
    const [lng, lat] = bayfront.nodeCoords.values().next().value!;
    expect(lng).toBeCloseTo(103.86, 1);
    expect(lat).toBeCloseTo(1.29, 1);
  });
});

describe('readOsmRoads on bad files', () => {
  let dir: string;
  let original: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'osm-reader-'));
    original = readFileSync(extractPath('andorra'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const writeCopy = (name: string, bytes: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it.each([
    ['cut in the middle', 0.5],
    ['cut one byte short', -1],
    ['cut inside the header', 3],
  ])('rejects a truncated copy (%s) naming the file', async (_label, cut) => {
    const length =
      cut < 0 ? original.length + cut : cut < 1 ? Math.floor(original.length * cut) : cut;
    const path = writeCopy(`truncated-${length}.osm.pbf`, original.subarray(0, length));
    await expect(readOsmRoads(path)).rejects.toThrow(
      `Cannot read OSM file ${path}: not a valid .osm.pbf (truncated or corrupt)`,
    );
  });

  it('rejects a file that is not PBF at all', async () => {
    const path = writeCopy('notes.osm.pbf', 'this is a text file, not protobuf\n'.repeat(50));
    await expect(readOsmRoads(path)).rejects.toThrow(/not a valid \.osm\.pbf/);
  });

  it('rejects an empty file and a missing file with distinct messages', async () => {
    const empty = writeCopy('empty.osm.pbf', '');
    await expect(readOsmRoads(empty)).rejects.toThrow(`OSM file is empty: ${empty}`);
    const missing = join(dir, 'missing.osm.pbf');
    await expect(readOsmRoads(missing)).rejects.toThrow(`Cannot open OSM file ${missing}: ENOENT`);
  });
});
