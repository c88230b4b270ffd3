import { describe, expect, it } from 'vitest';
import { initialView, WORLD_VIEW, zoomToFit } from '../../../client/src/lib/map/default-view.js';

const BEIJING: [number, number, number, number] = [115.42, 39.44, 117.51, 41.06];
const ANDORRA: [number, number, number, number] = [1.4135, 42.4288, 1.7866, 42.6559];
const PHONE = { w: 390, h: 700 };

describe('zoomToFit', () => {
  it('fits a region in a phone viewport: the larger the region, the lower the zoom', () => {
    const beijing = zoomToFit(BEIJING, PHONE.w, PHONE.h);
    const andorra = zoomToFit(ANDORRA, PHONE.w, PHONE.h);
    expect(beijing).toBeGreaterThan(6.5);
    expect(beijing).toBeLessThan(8);
    expect(andorra).toBeGreaterThan(9);
    expect(andorra).toBeLessThan(10.5);
  });

  it('shows the whole box at that zoom (512-px tiles)', () => {
    const zoom = zoomToFit(ANDORRA, PHONE.w, PHONE.h, 0);
    const shownDegrees = (PHONE.w / (512 * 2 ** zoom)) * 360;
    expect(shownDegrees).toBeGreaterThanOrEqual(ANDORRA[2] - ANDORRA[0]);
  });

  it('stops at street level for a single point and at zoom 1 for the world', () => {
    expect(zoomToFit([1.52, 42.5, 1.52, 42.5], PHONE.w, PHONE.h)).toBe(15);
    expect(zoomToFit([-180, -85, 180, 85], PHONE.w, PHONE.h)).toBe(1);
  });

  it('measures a box across the antimeridian the short way round (Fiji)', () => {
    const across = zoomToFit([177, -19, -179, -16], PHONE.w, PHONE.h);
    expect(across).toBeGreaterThan(5);
  });
});

describe('initialView', () => {
  it('uses a configured zoom as given, else fits the bounds, else the world', () => {
    expect(initialView({ center: [116.3975, 39.9087], zoom: 10, bounds: BEIJING }, 390, 700)).toEqual({
      center: [116.3975, 39.9087],
      zoom: 10,
    });
    const fitted = initialView({ center: [1.6, 42.54], zoom: null, bounds: ANDORRA }, 390, 700);
    expect(fitted.center).toEqual([1.6, 42.54]);
    expect(fitted.zoom).toBe(zoomToFit(ANDORRA, 390, 700));
    // Each engine fits the box itself (Leaflet's zoom counts 256-px tiles, MapLibre's 512).
    expect(fitted.bounds).toEqual(ANDORRA);
    expect(initialView(null, 390, 700)).toEqual(WORLD_VIEW);
  });
});
