/**
 * The worker map's colours and marks, in one place so the map and its legend cannot disagree.
 * Every mark differs by more than shade: station kinds by hue, "me" by a hue no station has (the
 * blue dot phones use, with a wide white ring), and a station closed when you would arrive by its
 * shape — a hollow ring where an open one is a filled disc — so it reads without telling red from
 * green.
 */
import type { ColorMatch, LayerStyle } from '../../lib/map/types.js';
import { STATION_KINDS, type StationKind } from '../../../../server/modules/stations/amenities.js';

export const KIND_COLOURS: Record<StationKind, string> = {
  warm_post: '#b4232c',
  // Teal, not blue: blue is "me" (as on every phone map).
  smart_24h: '#0f766e',
  rider_home: '#8a5a00',
  mother_baby: '#7b2d8e',
  other: '#555555',
};

export const ME_COLOUR = '#1a56c4';
export const OPEN_COLOUR = '#17561b';
export const CLOSED_COLOUR = '#8a1b1b';
export const UNKNOWN_COLOUR = '#595959';

const kindColours: ColorMatch = { property: 'kind', values: KIND_COLOURS, fallback: KIND_COLOURS.other };

/** Stations of the view (clusters counted, names once they stand apart). */
export const STATIONS_STYLE: LayerStyle = {
  type: 'circle',
  color: KIND_COLOURS.warm_post,
  colorBy: kindColours,
  radius: 6,
  cluster: 'server',
  label: { property: 'name', minZoom: 15, size: 11 },
};

/** The nearest stations: filled when open on arrival, a hollow ring when closed. */
export const NEAREST_STYLE: LayerStyle = {
  type: 'circle',
  color: OPEN_COLOUR,
  colorBy: {
    property: 'arrival',
    values: { true: OPEN_COLOUR, false: CLOSED_COLOUR },
    fallback: UNKNOWN_COLOUR,
  },
  radius: 10,
  strokeWidth: 3,
  hollowWhen: { property: 'arrival', value: 'false' },
};

export const ME_STYLE: LayerStyle = { type: 'circle', color: ME_COLOUR, radius: 8, strokeWidth: 4 };

/** What the legend lists, in the page's words (kinds named as /api/meta names them). */
export const LEGEND_KINDS = STATION_KINDS.filter((k) => k.key !== 'other').map((k) => ({
  ...k,
  colour: KIND_COLOURS[k.key],
}));
