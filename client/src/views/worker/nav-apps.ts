/**
 * The apps the card's 导航 button offers, each with its link: Amap (GCJ-02), Baidu (BD-09), Apple
 * Maps and openstreetmap.org (WGS-84) as the server builds them for every answer
 * (server/geo/coords.ts navigationLinks, exact to 6 decimals), plus Organic Maps (WGS-84, offline
 * maps from OSM), whose route link needs a start: without the worker's position it shows the point.
 */
import { navigationLinks, type NavigationTarget, type TravelMode } from '../../../../server/geo/coords.js';

export type NavApp = 'amap' | 'baidu' | 'apple' | 'organic' | 'osm' | 'google';
export const NAV_APPS: readonly NavApp[] = ['amap', 'baidu', 'apple', 'organic', 'osm', 'google'];

/** Organic Maps' router names (libs/routing router.cpp: its parser is strict, lower case). */
const ORGANIC_TYPE: Record<TravelMode, string> = { walk: 'pedestrian', bike: 'bicycle', drive: 'vehicle' };

const fixed = (degrees: number) => degrees.toFixed(6);

/**
 * `om://route` with its parameters in the order the app requires (sll, saddr, dll, daddr, type);
 * with no start, the app's web link to the point (it opens the app where installed).
 */
export function organicMapsLink(target: NavigationTarget, mode: TravelMode, from: [number, number] | null): string {
  const name = encodeURIComponent(target.name);
  const to = `${fixed(target.lat)},${fixed(target.lng)}`;
  if (!from) return `https://omaps.app/map?v=1&ll=${to}&n=${name}`;
  return `om://route?sll=${fixed(from[1])},${fixed(from[0])}&saddr=&dll=${to}&daddr=${name}&type=${ORGANIC_TYPE[mode]}`;
}

/** Every app's link to `target` (WGS-84 `[lng, lat]` inside), for `mode`, from `from` where known. */
export function navChoices(
  target: NavigationTarget,
  mode: TravelMode,
  from: [number, number] | null,
): Record<NavApp, string> {
  return { ...navigationLinks(target, mode), organic: organicMapsLink(target, mode, from) };
}
