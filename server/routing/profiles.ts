/**
 * Travel profiles: which OSM ways a walker, an e-bike rider or a driver may use, in which
 * direction, and how fast. A profile turns a way's tags into a speed per direction (or "no access",
 * `null`); the graph builder multiplies by edge length to get seconds.
 *
 * The rules are deliberately simple and close to what OSRM's default profiles do, tuned for the
 * people this service is for: couriers and riders on e-bikes, sanitation workers on foot.
 */
import { parseMaxspeedKmh } from './maxspeed.js';
import type { OsmTags } from './osm-reader.js';

export const PROFILES = ['walk', 'bike', 'drive'] as const;
export type ProfileName = (typeof PROFILES)[number];

export interface DirectionalSpeeds {
  /** km/h along the way's node order, or `null` when this direction is not allowed. */
  forwardKmh: number | null;
  backwardKmh: number | null;
}

export interface TravelTimes {
  /** Seconds along the edge's geometry order, or `null` for no access. */
  forwardS: number | null;
  backwardS: number | null;
}

const NO_ACCESS: DirectionalSpeeds = { forwardKmh: null, backwardKmh: null };

export const WALK_KMH = 5;
/** Steps take about twice as long as the same horizontal distance on a flat footway. */
export const STEPS_WALK_KMH = 2.5;
export const EBIKE_KMH = 15;
const EBIKE_ROUGH_KMH = 10;
const BIKE_PUSH_KMH = 4;

const ALLOWED = words('yes designated permissive destination delivery customers official');
const DENIED = words('no private agricultural forestry use_sidepath restricted');

/** Highway values that never carry traffic of any kind, whatever their access tags say. */
const NOT_ROUTABLE = words(
  'construction proposed abandoned disused platform raceway bus_stop elevator',
  'rest_area services emergency_bay escape razed',
);

const WALK_DEFAULT = words(
  'footway path steps pedestrian residential service living_street track',
  'unclassified road tertiary tertiary_link secondary secondary_link primary',
  'primary_link cycleway bridleway corridor',
);
/** Walkable only when tagged so (foot=yes or a sidewalk): fast roads are not for pedestrians. */
const WALK_ONLY_IF_TAGGED = words('trunk trunk_link motorway motorway_link');

const BIKE_ROADS = words(
  'cycleway primary primary_link secondary secondary_link tertiary tertiary_link',
  'unclassified residential living_street service road trunk trunk_link',
);
const BIKE_ROUGH = words('track path');
/** Pedestrian ways: a bicycle needs bicycle=yes/designated (or dismount, then it is pushed). */
const BIKE_ONLY_IF_TAGGED = words('footway pedestrian steps corridor bridleway');
const UNPAVED = words('unpaved gravel fine_gravel dirt ground grass sand mud earth pebblestone');

/** Typical travel speed by road class when no usable maxspeed is tagged, km/h. */
export const DRIVE_DEFAULT_KMH: Readonly<Record<string, number>> = {
  motorway: 110,
  motorway_link: 60,
  trunk: 90,
  trunk_link: 50,
  primary: 70,
  primary_link: 50,
  secondary: 60,
  secondary_link: 45,
  tertiary: 50,
  tertiary_link: 40,
  unclassified: 40,
  residential: 30,
  road: 30,
  living_street: 10,
  service: 15,
  track: 15,
};
/** Cars may use these only when motor access is tagged explicitly (e.g. motor_vehicle=yes). */
const DRIVE_ONLY_IF_TAGGED = words('track pedestrian');

export function waySpeeds(profile: ProfileName, tags: OsmTags): DirectionalSpeeds {
  const highway = tags.highway;
  if (!highway || NOT_ROUTABLE.has(highway)) return NO_ACCESS;
  switch (profile) {
    case 'walk':
      return walkSpeeds(highway, tags);
    case 'bike':
      return bikeSpeeds(highway, tags);
    case 'drive':
      return driveSpeeds(highway, tags);
  }
}

export function edgeTravelTimes(profile: ProfileName, tags: OsmTags, lengthM: number): TravelTimes {
  const { forwardKmh, backwardKmh } = waySpeeds(profile, tags);
  const seconds = (kmh: number | null) => (kmh === null ? null : lengthM / (kmh / 3.6));
  return { forwardS: seconds(forwardKmh), backwardS: seconds(backwardKmh) };
}

function walkSpeeds(highway: string, tags: OsmTags): DirectionalSpeeds {
  const access = resolveAccess(tags, ['foot', 'access']);
  if (access === 'denied') return NO_ACCESS;
  const hasSidewalk = ['both', 'left', 'right', 'yes'].includes(tags.sidewalk ?? '');
  const allowed =
    WALK_DEFAULT.has(highway) ||
    (WALK_ONLY_IF_TAGGED.has(highway) &&
      (tags.foot === 'yes' || tags.foot === 'designated' || hasSidewalk));
  if (!allowed) return NO_ACCESS;
  // Pedestrians may walk both ways on one-way streets, so oneway tags are ignored.
  const kmh = highway === 'steps' ? STEPS_WALK_KMH : WALK_KMH;
  return { forwardKmh: kmh, backwardKmh: kmh };
}

function bikeSpeeds(highway: string, tags: OsmTags): DirectionalSpeeds {
  if (tags.bicycle === 'dismount') return both(BIKE_PUSH_KMH);
  const access = resolveAccess(tags, ['bicycle', 'vehicle', 'access']);
  if (access === 'denied' || tags.motorroad === 'yes') return NO_ACCESS;
  const explicitlyAllowed = tags.bicycle !== undefined && ALLOWED.has(tags.bicycle);

  let kmh: number;
  if (BIKE_ROADS.has(highway)) kmh = EBIKE_KMH;
  else if (BIKE_ROUGH.has(highway)) kmh = EBIKE_ROUGH_KMH;
  else if (BIKE_ONLY_IF_TAGGED.has(highway) && explicitlyAllowed) {
    kmh = highway === 'steps' ? BIKE_PUSH_KMH : EBIKE_ROUGH_KMH;
  } else if (highway.startsWith('motorway') && explicitlyAllowed) kmh = EBIKE_KMH;
  else return NO_ACCESS;

  if (UNPAVED.has(tags.surface ?? '')) kmh = Math.min(kmh, EBIKE_ROUGH_KMH);
  const limit = parseMaxspeedKmh(tags.maxspeed);
  if (limit !== null) kmh = Math.min(kmh, limit);

  const contraflowAllowed =
    tags['oneway:bicycle'] === 'no' ||
    ['cycleway', 'cycleway:left', 'cycleway:right', 'cycleway:both'].some((key) =>
      (tags[key] ?? '').startsWith('opposite'),
    );
  const direction = tags['oneway:bicycle'] === 'yes' ? 'forward' : onewayDirection(highway, tags);
  return directional(kmh, kmh, contraflowAllowed ? 'both' : direction);
}

function driveSpeeds(highway: string, tags: OsmTags): DirectionalSpeeds {
  const access = resolveAccess(tags, ['motorcar', 'motor_vehicle', 'vehicle', 'access']);
  if (access === 'denied') return NO_ACCESS;
  const classKmh = DRIVE_DEFAULT_KMH[highway];
  const allowed =
    (classKmh !== undefined && !DRIVE_ONLY_IF_TAGGED.has(highway)) ||
    (DRIVE_ONLY_IF_TAGGED.has(highway) && access === 'allowed');
  if (!allowed) return NO_ACCESS;
  const fallback = classKmh ?? DRIVE_DEFAULT_KMH.service;
  const generalLimit = parseMaxspeedKmh(tags.maxspeed);
  const forward = parseMaxspeedKmh(tags['maxspeed:forward']) ?? generalLimit ?? fallback;
  const backward = parseMaxspeedKmh(tags['maxspeed:backward']) ?? generalLimit ?? fallback;
  return directional(forward, backward, onewayDirection(highway, tags));
}

type Direction = 'forward' | 'backward' | 'both' | 'none';

/** Oneway for vehicles: explicit tag first, then the implied oneway of roundabouts and motorways. */
export function onewayDirection(highway: string, tags: OsmTags): Direction {
  const oneway = tags.oneway;
  if (oneway === 'yes' || oneway === 'true' || oneway === '1') return 'forward';
  if (oneway === '-1' || oneway === 'reverse') return 'backward';
  // Reversible lanes change direction by time of day; promising either direction would be wrong.
  if (oneway === 'reversible' || oneway === 'alternating') return 'none';
  if (oneway === 'no' || oneway === 'false' || oneway === '0') return 'both';
  const junction = tags.junction;
  if (junction === 'roundabout' || junction === 'circular') return 'forward';
  if (highway === 'motorway' || highway === 'motorway_link') return 'forward';
  return 'both';
}

function directional(
  forwardKmh: number,
  backwardKmh: number,
  direction: Direction,
): DirectionalSpeeds {
  return {
    forwardKmh: direction === 'forward' || direction === 'both' ? forwardKmh : null,
    backwardKmh: direction === 'backward' || direction === 'both' ? backwardKmh : null,
  };
}

/** A set from space-separated lists, so the vocabularies above stay readable tables. */
function words(...lists: string[]): ReadonlySet<string> {
  return new Set(lists.flatMap((list) => list.split(' ')));
}

function both(kmh: number): DirectionalSpeeds {
  return { forwardKmh: kmh, backwardKmh: kmh };
}

/** The first of `keys` (most specific first) that is tagged decides; unknown values are ignored. */
function resolveAccess(tags: OsmTags, keys: string[]): 'allowed' | 'denied' | undefined {
  for (const key of keys) {
    const value = tags[key];
    if (value === undefined) continue;
    if (ALLOWED.has(value)) return 'allowed';
    if (DENIED.has(value)) return 'denied';
  }
  return undefined;
}
