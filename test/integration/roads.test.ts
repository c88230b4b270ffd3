/**
 * GET /api/roads on a real database: empty before any import, then the real Andorra network,
 * checked against the edges built in memory from the same file (boxes compared in JavaScript).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsmRoadNetwork } from '../../server/modules/routes/road-import.service.js';
import { startTestServer, type TestServer } from '../setup/server.js';
import { extractPath, loadRealNetwork, type RealNetwork } from '../unit/routing/real-networks.js';

type Box = [number, number, number, number];

let server: TestServer;
let andorra: RealNetwork;

/** Andorra la Vella's centre: dense streets, footpaths and the CG-1 main road. */
const ANDORRA_LA_VELLA: Box = [1.515, 42.502, 1.53, 42.512];

const roadsUrl = (bbox: string, limit?: number) =>
  `/api/roads?bbox=${bbox}${limit === undefined ? '' : `&limit=${limit}`}`;

/** Ids of the in-memory edges whose own bounding box overlaps `box` (what `geom && box` means). */
function expectedIds([minLng, minLat, maxLng, maxLat]: Box): number[] {
  return andorra.rows.edges
    .filter((edge) => {
      const lngs = edge.coordinates.map((c) => c[0]);
      const lats = edge.coordinates.map((c) => c[1]);
      return (
        Math.min(...lngs) <= maxLng &&
        Math.max(...lngs) >= minLng &&
        Math.min(...lats) <= maxLat &&
        Math.max(...lats) >= minLat
      );
    })
    .map((edge) => edge.id)
    .sort((a, b) => a - b);
}

beforeAll(async () => {
  server = await startTestServer();
  andorra = await loadRealNetwork('andorra');
});

afterAll(async () => {
  await server?.close();
});

describe('GET /api/roads before any import', () => {
  it('answers an empty collection saying there is no network', async () => {
    const res = await server.get(roadsUrl(ANDORRA_LA_VELLA.join(',')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    expect(res.body).toEqual({
      type: 'FeatureCollection',
      features: [],
      network: null,
      truncated: false,
    });
  });
});

describe('GET /api/roads on the imported Andorra network', () => {
  beforeAll(async () => {
    await importOsmRoadNetwork(server.database.handle.db, extractPath('andorra'));
  });

  it('returns exactly the edges meeting the box, as named LineStrings with a class', async () => {
    const res = await server.get(roadsUrl(ANDORRA_LA_VELLA.join(','), 5000));
    expect(res.status).toBe(200);
    expect(res.body.network.name).toBe('andorra');
    expect(res.body.truncated).toBe(false);
    const ids = (res.body.features as Array<{ id: number }>).map((f) => f.id).sort((a, b) => a - b);
    const expected = expectedIds(ANDORRA_LA_VELLA);
    expect(expected.length).toBeGreaterThan(100);
    expect(ids).toEqual(expected);
    const feature = res.body.features[0];
    expect(feature.type).toBe('Feature');
    expect(feature.geometry.type).toBe('LineString');
    expect(feature.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
    expect(typeof feature.properties.highway).toBe('string');
    expect(res.body.features.some((f: any) => typeof f.properties.name === 'string')).toBe(true);
    // Coordinates are rounded to 6 decimals to keep the payload small.
    for (const [lng, lat] of feature.geometry.coordinates) {
      expect(Math.round(lng * 1e6) / 1e6).toBe(lng);
      expect(Math.round(lat * 1e6) / 1e6).toBe(lat);
    }
  });

  it('returns nothing for a box away from the network (Beijing)', async () => {
    const res = await server.get(roadsUrl('116.39,39.9,116.41,39.92'));
    expect(res.status).toBe(200);
    expect(res.body.features).toEqual([]);
    expect(res.body.network.name).toBe('andorra');
  });

  it('caps the answer at limit, keeping main roads before minor ones and saying so', async () => {
    const all = await server.get(roadsUrl(ANDORRA_LA_VELLA.join(','), 5000));
    const res = await server.get(roadsUrl(ANDORRA_LA_VELLA.join(','), 50));
    expect(res.status).toBe(200);
    expect(res.body.features).toHaveLength(50);
    expect(res.body.truncated).toBe(true);
    const rank = (highway: string) =>
      /^(motorway|trunk|primary)(_link)?$/.test(highway)
        ? 0
        : /^(secondary|tertiary)(_link)?$/.test(highway)
          ? 1
          : ['residential', 'unclassified', 'living_street', 'road'].includes(highway)
            ? 2
            : highway === 'service'
              ? 3
              : 4;
    const allRanks = (all.body.features as any[]).map((f) => rank(f.properties.highway));
    const keptRanks = (res.body.features as any[]).map((f) => rank(f.properties.highway));
    // The 50 kept are the 50 most important of the whole box.
    expect(keptRanks).toEqual([...allRanks].sort((a, b) => a - b).slice(0, 50));
    expect(Math.max(...keptRanks)).toBeLessThan(Math.max(...allRanks));
  });

  it('without a limit returns a full-size box whole (the default of 2000 is above it)', async () => {
    const box: Box = [1.5, 42.5, 1.6, 42.6];
    const res = await server.get(roadsUrl(box.join(',')));
    expect(res.status).toBe(200);
    const ids = (res.body.features as Array<{ id: number }>).map((f) => f.id).sort((a, b) => a - b);
    expect(ids.length).toBeGreaterThan(1000);
    expect(ids).toEqual(expectedIds(box));
    expect(res.body.truncated).toBe(false);
  });

  it('accepts a box of exactly 0.1° × 0.1°', async () => {
    const res = await server.get(roadsUrl('1.45,42.45,1.55,42.55', 1));
    expect(res.status).toBe(200);
    expect(res.body.features).toHaveLength(1);
  });

  it('splits a box crossing the antimeridian instead of spanning the world', async () => {
    const res = await server.get(roadsUrl('179.97,42.5,-179.97,42.52'));
    expect(res.status).toBe(200);
    expect(res.body.features).toEqual([]);
  });
});

describe('GET /api/roads with bad input', () => {
  it.each([
    ['a box wider than 0.1°', 'bbox=1.4,42.5,1.6,42.55', /larger than 0.1° × 0.1°: zoom in/],
    ['a box taller than 0.1°', 'bbox=1.5,42.4,1.55,42.6', /zoom in/],
    ['a box crossing the antimeridian wider than 0.1°', 'bbox=179.9,42.5,-179.9,42.55', /zoom in/],
    ['no bbox', 'limit=10', /bbox/],
    ['three numbers', 'bbox=1.5,42.5,1.52', /four numbers/],
    ['words', 'bbox=a,b,c,d', /four numbers/],
    ['latitude out of range', 'bbox=1.5,89.95,1.52,90.5', /latitudes must be within -90..90/],
    ['inverted latitudes', 'bbox=1.5,42.52,1.52,42.5', /inverted/],
    ['a limit of 0', `bbox=${ANDORRA_LA_VELLA.join(',')}&limit=0`, /limit/],
    ['a limit above the cap', `bbox=${ANDORRA_LA_VELLA.join(',')}&limit=5001`, /limit/],
    ['a fractional limit', `bbox=${ANDORRA_LA_VELLA.join(',')}&limit=2.5`, /limit/],
    ['an unknown parameter', `bbox=${ANDORRA_LA_VELLA.join(',')}&zoom=14`, /zoom/],
  ])('refuses %s with a 400 saying what is wrong', async (_what, query, message) => {
    const res = await server.get(`/api/roads?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });

  it('is documented in the OpenAPI document', async () => {
    const res = await server.get('/api/openapi.json');
    expect(res.status).toBe(200);
    const operation = res.body.paths['/api/roads'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'bbox',
      'limit',
    ]);
  });
});
