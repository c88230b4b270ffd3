/**
 * Parses OSM `maxspeed` values into km/h. Handles plain numbers ("50"), units ("30 mph",
 * "10 knots", "50 km/h"), the common symbolic values ("walk", "none") and country-implied zones
 * ("FR:urban", "DE:rural"). Lists like "90;30" (variable limits) take the lowest value, because a
 * router that promises a time should not assume the fastest case.
 */
const KMH_PER_MPH = 1.609344;
const KMH_PER_KNOT = 1.852;

/** Implied limits by zone when a country-specific value ("XX:urban") has no national override. */
const IMPLIED_ZONE_KMH: Readonly<Record<string, number>> = {
  urban: 50,
  rural: 90,
  trunk: 100,
  motorway: 120,
  living_street: 10,
  bicycle_road: 30,
  zone30: 30,
  zone20: 20,
  walk: 7,
};

/** A few national rural limits that differ from the 90 km/h default above. */
const RURAL_OVERRIDES_KMH: Readonly<Record<string, number>> = {
  DE: 100,
  AT: 100,
  GB: 96.6,
  UK: 96.6,
  FR: 80,
};

export function parseMaxspeedKmh(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const values = raw
    .split(';')
    .map((part) => parseSingleMaxspeed(part.trim()))
    .filter((kmh): kmh is number => kmh !== null);
  return values.length === 0 ? null : Math.min(...values);
}

function parseSingleMaxspeed(value: string): number | null {
  const lower = value.toLowerCase();
  if (lower === 'walk') return IMPLIED_ZONE_KMH.walk;
  // "none" means no posted limit (German Autobahn); nobody drives at infinity.
  if (lower === 'none') return 130;

  const numeric = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/.exec(lower);
  if (numeric) {
    const amount = Number(numeric[1]);
    if (!(amount > 0)) return null;
    if (numeric[2] === 'mph') return amount * KMH_PER_MPH;
    if (numeric[2] === 'knots') return amount * KMH_PER_KNOT;
    return amount;
  }

  const zone = /^([a-z]{2}):([a-z_0-9]+)$/.exec(lower);
  if (zone) {
    const country = zone[1].toUpperCase();
    const kind = zone[2];
    if (kind === 'rural' && RURAL_OVERRIDES_KMH[country] !== undefined) {
      return RURAL_OVERRIDES_KMH[country];
    }
    return IMPLIED_ZONE_KMH[kind] ?? null;
  }
  // "signals", "variable" and typos: let the caller fall back to the road-class default.
  return null;
}
