/**
 * Coordinates typed or pasted into the search box: `116.39,39.91` (WGS-84), a datum marked as
 * people copy it from the Chinese map apps (`gcj:116.4,39.9`, `高德 116.4,39.9`, `bd09:…`,
 * `百度：…`), an Amap or Baidu marker link, or a `geo:` URI. Converted to WGS-84 with coords.ts.
 */
import { toWgs84, type Datum, type LngLat } from '../../geo/coords.js';

export interface CoordinateQuery {
  datum: Datum;
  /** As typed, in its datum, [lng, lat]. */
  input: LngLat;
  /** WGS-84 [lng, lat]. */
  wgs84: LngLat;
  /** True when the text gave latitude first (a lat,lng pair such as Google or Baidu links copy). */
  latFirst: boolean;
}

/** What made the text look like coordinates yet not readable as them. */
export type CoordinateProblem = 'coordinates_unreadable' | 'coordinates_out_of_range';

export type CoordinateParse =
  | { kind: 'none' }
  | { kind: 'coordinate'; coordinate: CoordinateQuery }
  | { kind: 'problem'; problem: CoordinateProblem };

const DATUM_MARKERS: Array<[RegExp, Datum]> = [
  [/^(?:wgs-?84|wgs|gps)$/i, 'WGS84'],
  [/^(?:gcj-?02|gcj|amap|gaode|高德|火星)$/i, 'GCJ02'],
  [/^(?:bd-?09(?:ll)?|bd|baidu|百度)$/i, 'BD09'],
];
const NUMBER = String.raw`[-+]?\d{1,3}(?:\.\d+)?`;
const PAIR = new RegExp(String.raw`^(${NUMBER})\s*(?:[,;]\s*|\s+)(${NUMBER})$`);
/** A marker word, then `:` or spaces, then the rest: `gcj:116.4,39.9`, `高德 116.4 39.9`. */
const MARKED = /^([a-z\u4e00-\u9fff][a-z0-9\u4e00-\u9fff-]*)\s*(?::\s*|\s+)(.+)$/i;

function datumOf(marker: string): Datum | null {
  return DATUM_MARKERS.find(([pattern]) => pattern.test(marker))?.[1] ?? null;
}

function pairOf(text: string): [number, number] | null {
  const m = PAIR.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function build(datum: Datum, a: number, b: number, order: 'lnglat' | 'latlng' | 'guess') {
  // A pair with a second number beyond ±90 can only be lat,lng (Google copies that order).
  const latFirst = order === 'latlng' || (order === 'guess' && Math.abs(a) <= 90 && Math.abs(b) > 90);
  const input: LngLat = latFirst ? [b, a] : [a, b];
  if (Math.abs(input[0]) > 180 || Math.abs(input[1]) > 90) {
    return { kind: 'problem', problem: 'coordinates_out_of_range' } as const;
  }
  const coordinate: CoordinateQuery = { datum, input, wgs84: toWgs84(input, datum), latFirst };
  return { kind: 'coordinate', coordinate } as const;
}

/** Links the apps share: the datum and order come with the link. */
function fromLink(text: string): CoordinateParse | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol === 'geo:') {
    // RFC 5870: geo:lat,lng[,alt][;params], WGS-84.
    const [lat, lng] = url.pathname.split(';')[0]!.split(',').map(Number);
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) return problem('coordinates_unreadable');
    return build('WGS84', lat!, lng!, 'latlng');
  }
  const host = url.hostname;
  if (host.endsWith('amap.com')) {
    const pair = pairOf(url.searchParams.get('position') ?? url.searchParams.get('q') ?? '');
    return pair ? build('GCJ02', pair[0], pair[1], 'lnglat') : problem('coordinates_unreadable');
  }
  if (host.endsWith('baidu.com')) {
    const pair = pairOf(url.searchParams.get('location') ?? '');
    if (!pair) return problem('coordinates_unreadable');
    // Baidu's marker links give lat,lng; coord_type says the datum (bd09ll unless told).
    const type = url.searchParams.get('coord_type') ?? 'bd09ll';
    const datum: Datum = /gcj/i.test(type) ? 'GCJ02' : /wgs/i.test(type) ? 'WGS84' : 'BD09';
    return build(datum, pair[0], pair[1], 'latlng');
  }
  return null;
}

const problem = (p: CoordinateProblem): CoordinateParse => ({ kind: 'problem', problem: p });

/** Reads `q` as coordinates when it is meant as them; plain text is `none`. */
export function parseCoordinateQuery(q: string): CoordinateParse {
  // Full-width digits, commas and colons (１１６．４，３９．９) become ASCII.
  const text = q.normalize('NFKC').trim();
  if (/^(?:https?:\/\/|geo:)/i.test(text)) return fromLink(text) ?? { kind: 'none' };
  const marked = MARKED.exec(text);
  if (marked) {
    const datum = datumOf(marked[1]!);
    if (datum) {
      const pair = pairOf(marked[2]!);
      if (pair) return build(datum, pair[0], pair[1], 'guess');
      // A marker followed by a colon means coordinates were meant; a bare word may be a name.
      return /:/.test(text.slice(marked[1]!.length, marked[1]!.length + 3))
        ? problem('coordinates_unreadable')
        : { kind: 'none' };
    }
  }
  // Unmarked, at least one decimal point: "7 11" is a shop's name, "116.39,39.91" a position.
  const pair = text.includes('.') ? pairOf(text) : null;
  return pair ? build('WGS84', pair[0], pair[1], 'guess') : { kind: 'none' };
}
