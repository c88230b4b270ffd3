import type { StyleSpecification } from 'maplibre-gl';

/**
 * Our own style: a plain background and nothing fetched from outside, because the service must
 * work with no internet. Views add boundaries, roads and stations as GeoJSON layers on top.
 */
export const OFFLINE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef0ea' } }],
};
