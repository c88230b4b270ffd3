import { describe, expect, it } from 'vitest';
import { squaresToGeoJson, type DemandSquaresAnswer } from '../../../client/src/views/plan/demand-map.js';

const answer = (kind: 'population' | 'points', squares: DemandSquaresAnswer['squares']): DemandSquaresAnswer => ({
  layer: { id: 1, name: 'L', kind, weight_label: null, citation: null, cell_m: kind === 'population' ? 100 : null },
  slot: null,
  step_deg: 0.01,
  bbox: [116, 39, 117, 40],
  squares,
  total: squares.reduce((s, q) => s + q[2], 0),
  max: Math.max(...squares.map((q) => q[2])),
  coarsened: false,
  estimate: kind === 'population',
});

describe('demand squares on the map', () => {
  it('population density is per inhabited cell: 1 or 2 cells of the same density draw the same colour (no stripes)', () => {
    // 100 m cells (0.01 km² each) of 100 people: 10,000 people/km² whether a square holds 1 or 2.
    const { data, colorBy } = squaresToGeoJson(answer('population', [[116.1, 39.9, 100, 1], [116.11, 39.9, 200, 2]]));
    expect(colorBy.property).toBe('density');
    expect(data.features.map((f) => f.properties!.density)).toEqual([10000, 10000]);
  });

  it('squares are closed rings [lng, lat] of the step, counter-clockwise from the south-west corner', () => {
    const { data } = squaresToGeoJson(answer('population', [[116.1, 39.9, 5, 1]]));
    expect(data.features[0]!.geometry).toEqual({
      type: 'Polygon',
      coordinates: [[[116.1, 39.9], [116.11, 39.9], [116.11, 39.91], [116.1, 39.91], [116.1, 39.9]]],
    });
  });

  it('a points layer is coloured by share of its largest square', () => {
    const { data, colorBy } = squaresToGeoJson(answer('points', [[116.1, 39.9, 5, 1], [116.2, 39.9, 20, 3]]));
    expect(colorBy.property).toBe('share');
    expect(data.features.map((f) => f.properties!.share)).toEqual([0.25, 1]);
  });
});
