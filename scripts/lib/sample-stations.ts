/**
 * Deterministic sample stations for demos, tests and benchmarks: plausible kinds, amenities and
 * hours spread over Beijing with realistic density (dense in 东城/西城, sparse in the mountains).
 * Every generated station is fictional: its name carries （示例）, its address （示例地址） and
 * `is_sample` is true. Three real stations from union reports are appended with approximate
 * positions (`is_sample` false, `location_note` says so).
 *
 * Pure: same input and seed → identical output. Coordinates are WGS-84 `[lng, lat]`.
 */
// The three turf modules this needs, not the whole @turf/turf bundle (116 packages, 9.7 MB installed).
import { area } from '@turf/area';
import { bbox } from '@turf/bbox';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type {
  AmenityKey,
  AmenityMap,
  StationKind,
} from '../../server/modules/stations/amenities.js';

export interface SampleStation {
  external_id: string;
  name: string;
  name_en: string | null;
  kind: StationKind;
  address: string;
  lng: number;
  lat: number;
  amenities: AmenityMap;
  opening_hours: string;
  hours_overrides: { from: string; to: string; opening_hours: string; note?: string }[];
  closures: { from: string; to: string; reason: string }[];
  phone: string | null;
  seats: number | null;
  verified_at: string;
  /** False only for the approximate real stations. */
  is_sample: boolean;
  location_note: string | null;
}

type Area = Polygon | MultiPolygon;
export type DistrictCollection = FeatureCollection<
  Area,
  { code: string; name: string; pinyin?: string }
>;
export type SubdistrictCollection = FeatureCollection<
  Area,
  { code: string; name: string; district_code: string; pinyin?: string }
>;

export interface SampleStationOptions {
  districts: DistrictCollection;
  /** Null when only the coarse fallback districts exist. */
  subdistricts?: SubdistrictCollection | null;
  count?: number;
  seed?: number;
}

/** Small, fast, good enough for sample data; `seed` fully determines the sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;
const between = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
function pickWeighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let roll = rng() * items.reduce((sum, [, w]) => sum + w, 0);
  for (const [item, weight] of items) if ((roll -= weight) < 0) return item;
  return items[items.length - 1]![0];
}

/** Splits `total` in proportion to `weights` (largest remainder), so the parts sum exactly. */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const leftover = total - parts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < leftover; k++) parts[order[k]![1]]! += 1;
  return parts;
}

/** Relative stations per km²: the old city, then the inner districts, then the suburbs. */
// prettier-ignore
const DENSITY: Record<string, number> = {
  '110101': 8, '110102': 8, // 东城 西城
  '110105': 2.2, '110108': 2.2, '110106': 1.8, '110107': 1.8, // 朝阳 海淀 丰台 石景山
  '110112': 0.12, '110115': 0.12, '110114': 0.12, '110113': 0.12, '110111': 0.1, // plains suburbs
};
const MOUNTAIN_DENSITY = 0.05; // 门头沟 怀柔 平谷 密云 延庆, and any unknown code
export const densityOf = (districtCode: string) => DENSITY[districtCode] ?? MOUNTAIN_DENSITY;

const MAX_TRIES = 2_000;
const REFERENCE_DATE = Date.UTC(2026, 10, 1);
const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const round6 = (x: number) => Number(x.toFixed(6));

interface Zone {
  feature: Feature<Area>;
  name: string;
  pinyin: string | undefined;
  box: number[];
}
const zoneOf = (feature: Feature<Area>, name: string, pinyin?: string): Zone => ({
  feature,
  name,
  pinyin,
  box: bbox(feature),
});

/** Rejection sampling in the zone's bbox; the point must also fall inside the district. */
function placeIn(rng: Rng, zone: Zone, district: Feature<Area>): [number, number] | null {
  const [west, south, east, north] = zone.box as [number, number, number, number];
  for (let i = 0; i < MAX_TRIES; i++) {
    const point: [number, number] = [
      round6(west + rng() * (east - west)),
      round6(south + rng() * (north - south)),
    ];
    if (booleanPointInPolygon(point, zone.feature) && booleanPointInPolygon(point, district))
      return point;
  }
  return null;
}

const KINDS = [
  ['warm_post', 75],
  ['smart_24h', 10],
  ['rider_home', 11],
  ['mother_baby', 4],
] as const;
// prettier-ignore
const KIND_LABELS: Record<Exclude<StationKind, 'other'>, readonly (readonly [string, string])[]> = {
  warm_post: [['暖心驿站', 'Warm Post'], ['暖心驿站', 'Warm Post'], ['工会驿站', 'Union Rest Stop'],
    ['户外劳动者服务站点', 'Outdoor Workers Service Point']],
  smart_24h: [['24小时智慧驿站', '24h Smart Station']],
  rider_home: [['骑手之家', 'Riders Home']],
  mother_baby: [['母婴关爱室', 'Mother and Baby Room']],
};
// prettier-ignore
const PLACE_WORDS = [['幸福', 'Xingfu'], ['和平', 'Heping'], ['光明', 'Guangming'], ['团结', 'Tuanjie'],
  ['建设', 'Jianshe'], ['长青', 'Changqing'], ['康乐', 'Kangle'], ['育新', 'Yuxin'], ['新风', 'Xinfeng'],
  ['朝晖', 'Zhaohui'], ['安康', 'Ankang'], ['振兴', 'Zhenxing'], ['兴隆', 'Xinglong'], ['春晖', 'Chunhui'],
  ['青年', 'Qingnian'], ['明德', 'Mingde'], ['润泽', 'Runze'], ['福寿', 'Fushou']] as const;
// prettier-ignore
const PLACE_TYPES = [['社区', 'Community'], ['路口', 'Crossing'], ['公园', 'Park'], ['市场', 'Market'],
  ['广场', 'Plaza'], ['家园', 'Homes'], ['大厦', 'Tower'], ['地铁站', 'Metro'], ['公交场站', 'Bus Depot'],
  ['环卫所', 'Sanitation Depot'], ['物流园', 'Logistics Park'], ['商业街', 'Shopping Street'],
  ['文化站', 'Culture Station'], ['便民服务中心', 'Service Centre']] as const;

/** Chance each kind offers an amenity: [warm_post, smart_24h, rider_home, mother_baby]. */
// prettier-ignore
const OFFER_ODDS: readonly (readonly [AmenityKey, number, number, number, number])[] = [
  ['hot_water', 0.98, 1, 0.98, 0.95], ['microwave', 0.8, 0.9, 0.85, 0.3],
  ['phone_charging', 0.85, 0.95, 0.95, 0.6], ['ebike_charging', 0.08, 0.15, 0.9, 0],
  ['heating', 0.75, 0.8, 0.8, 0.6], ['air_conditioning', 0.65, 0.9, 0.75, 0.8],
  ['seating', 0.97, 0.9, 1, 1], ['toilet', 0.5, 0.1, 0.6, 0.9], ['first_aid', 0.6, 0.3, 0.7, 0.5],
  ['umbrella', 0.4, 0.2, 0.4, 0.2], ['sewing_kit', 0.35, 0.05, 0.4, 0.2],
  ['heat_packs', 0.2, 0.05, 0.25, 0.05], ['insect_repellent', 0.15, 0.05, 0.2, 0.05],
  ['wifi', 0.45, 0.9, 0.6, 0.5], ['nursing_room', 0.03, 0, 0, 1], ['books', 0.3, 0.1, 0.3, 0.3],
  ['legal_advice', 0.08, 0, 0.2, 0],
];
const KIND_COLUMN = { warm_post: 1, smart_24h: 2, rider_home: 3, mother_baby: 4 } as const;
const MACHINES = new Set<AmenityKey>([
  'hot_water',
  'microwave',
  'phone_charging',
  'ebike_charging',
  'heating',
  'air_conditioning',
  'wifi',
]);

function amenitiesFor(rng: Rng, kind: keyof typeof KIND_COLUMN): AmenityMap {
  const amenities: AmenityMap = {};
  for (const row of OFFER_ODDS) {
    if (!chance(rng, row[KIND_COLUMN[kind]])) continue;
    const key = row[0];
    const broken = MACHINES.has(key) ? chance(rng, 0.03) : chance(rng, 0.08);
    amenities[key] = broken ? (MACHINES.has(key) ? 'out_of_order' : 'out_of_stock') : 'available';
  }
  return amenities;
}

// prettier-ignore
const DAYTIME_HOURS = [['Mo-Fr 08:00-18:00', 30], ['Mo-Su 07:00-21:00', 25],
  ['Mo-Fr 08:30-17:30; Sa,Su 09:00-16:00', 20], ['Mo-Su 08:00-20:00', 10], ['Mo-Sa 07:30-19:30', 10],
  ['24/7', 5]] as const;
/** 春节 2026: the statutory holiday runs 15–23 February. */
const SPRING_FESTIVAL_24H = {
  from: '2026-02-15',
  to: '2026-02-23',
  opening_hours: '24/7',
  note: '春节期间24小时开放',
};
const CLOSURE_REASONS = [
  '设备检修（示例）',
  '场地装修改造（示例）',
  '临时搬迁（示例）',
  '供暖管道维修（示例）',
];

function hoursFor(
  rng: Rng,
  kind: StationKind,
): Pick<SampleStation, 'opening_hours' | 'hours_overrides' | 'closures'> {
  let opening_hours: string = kind === 'smart_24h' ? '24/7' : pickWeighted(rng, DAYTIME_HOURS);
  const hours_overrides: SampleStation['hours_overrides'] = [];
  if (opening_hours !== '24/7') {
    // ~10% of all stations close on public holidays (春节 above all); a few open round the clock.
    if (chance(rng, 0.12)) opening_hours += '; PH off';
    else if (chance(rng, 0.08)) hours_overrides.push({ ...SPRING_FESTIVAL_24H });
  }
  const closures: SampleStation['closures'] = [];
  if (chance(rng, 0.01)) {
    const from = REFERENCE_DATE + between(rng, -10, 10) * DAY_MS;
    closures.push({
      from: isoDay(from),
      to: isoDay(from + between(rng, 2, 30) * DAY_MS),
      reason: pick(rng, CLOSURE_REASONS),
    });
  }
  return { opening_hours, hours_overrides, closures };
}

const SEATS = {
  warm_post: [4, 12],
  smart_24h: [2, 6],
  rider_home: [6, 20],
  mother_baby: [1, 3],
} as const;

/** "andingmenjiedao" → "Andingmen": the generic 街道/镇/乡/地区 suffix says nothing in English. */
function areaInEnglish(pinyin: string | undefined, name: string): string | null {
  if (!pinyin) return null;
  const stem = pinyin.replace(/(jiedao|zhen|xiang|diqu)$/, '') || pinyin;
  return stem.charAt(0).toUpperCase() + stem.slice(1) + (name.endsWith('镇') ? ' Town' : '');
}

function sampleStationAt(
  rng: Rng,
  index: number,
  district: string,
  zone: Zone,
  position: [number, number],
): SampleStation {
  const kind = pickWeighted(rng, KINDS);
  const [kindZh, kindEn] = pick(rng, KIND_LABELS[kind]);
  const [wordZh, wordEn] = pick(rng, PLACE_WORDS);
  const [typeZh, typeEn] = pick(rng, PLACE_TYPES);
  const areaEn = areaInEnglish(zone.pinyin, zone.name);
  const [fewestSeats, mostSeats] = SEATS[kind];
  const seats = chance(rng, 0.85) ? between(rng, fewestSeats, mostSeats) : null;
  const phone = chance(rng, 0.4)
    ? `010-0${String(between(rng, 0, 9_999_999)).padStart(7, '0')}`
    : null;
  const verifiedAt = REFERENCE_DATE - Math.ceil(rng() * 120 * 24 * 60) * 60_000;
  return {
    external_id: `sample-${String(index + 1).padStart(4, '0')}`,
    name: `${zone.name}·${wordZh}${typeZh}${kindZh}（示例）`,
    name_en: areaEn && chance(rng, 0.7) ? `${areaEn} ${wordEn} ${typeEn} ${kindEn} (sample)` : null,
    kind,
    address: `${district}${zone.name === district ? '' : zone.name}${wordZh}${typeZh}（示例地址）`,
    lng: position[0],
    lat: position[1],
    amenities: amenitiesFor(rng, kind),
    ...hoursFor(rng, kind),
    // Beijing local numbers never start with 0, so these cannot ring anyone.
    phone,
    seats,
    verified_at: new Date(verifiedAt).toISOString(),
    is_sample: true,
    location_note: null,
  };
}

/** Real stations named in union reports; positions are approximate (WGS-84). */
const APPROXIMATE_NOTE = '位置为近似（据工会报道）/ approximate location from union reports';
const REAL_STATIONS = [
  [
    'approx-zhongzhou-chengxian',
    '中轴·成贤暖心驿站',
    '东城区安定门街道成贤街一带',
    116.4105,
    39.9465,
  ],
  ['approx-longfu-dasha', '隆福大厦暖心驿站', '东城区隆福寺隆福大厦', 116.409, 39.9285],
  [
    'approx-dongsi-workers-palace',
    '东四工人文化宫暖心驿站',
    '东城区东四工人文化宫',
    116.4175,
    39.93,
  ],
] as const;

/**
 * The real stations, as fresh objects. Only name and rough position come from the reports; the
 * hours and amenities are the common baseline of 暖心驿站, not checked for these sites.
 */
export function approximateRealStations(): SampleStation[] {
  return REAL_STATIONS.map(([external_id, name, address, lng, lat]) => ({
    external_id,
    name,
    name_en: null,
    kind: 'warm_post',
    address,
    lng,
    lat,
    amenities: {
      hot_water: 'available',
      microwave: 'available',
      phone_charging: 'available',
      seating: 'available',
    },
    opening_hours: 'Mo-Fr 09:00-17:00',
    hours_overrides: [],
    closures: [],
    phone: null,
    seats: null,
    verified_at: new Date(REFERENCE_DATE).toISOString(),
    is_sample: false,
    location_note: APPROXIMATE_NOTE,
  }));
}

/** Code order, independent of locale and of the order features arrive in. */
const byCode = (a: { properties: { code: string } }, b: { properties: { code: string } }) =>
  a.properties.code < b.properties.code ? -1 : a.properties.code > b.properties.code ? 1 : 0;

export function generateSampleStations({
  districts,
  subdistricts = null,
  count = 1500,
  seed = 42,
}: SampleStationOptions): SampleStation[] {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const rng = mulberry32(seed);
  const ordered = [...districts.features].sort(byCode);
  const perDistrict = allocate(
    count,
    ordered.map((d) => densityOf(d.properties.code) * area(d)),
  );
  const stations: SampleStation[] = [];
  const names = new Set<string>();

  ordered.forEach((district, d) => {
    const { code, name, pinyin } = district.properties;
    const subs = (subdistricts?.features ?? [])
      .filter((s) => s.properties.district_code === code)
      .sort(byCode);
    const zones = subs.length
      ? subs.map((s) => zoneOf(s, s.properties.name, s.properties.pinyin))
      : [zoneOf(district, name, pinyin)];
    const perZone = allocate(
      perDistrict[d]!,
      zones.map((z) => area(z.feature)),
    );
    zones.forEach((zone, z) => {
      for (let k = 0; k < perZone[z]!; k++) {
        // A sliver zone that barely overlaps its district hands its slot to the largest zone.
        let home = zone;
        let position = placeIn(rng, zone, district);
        if (!position) {
          home = zones[perZone.indexOf(Math.max(...perZone))]!;
          position = placeIn(rng, home, district);
        }
        if (!position)
          throw new Error(
            `Could not place a station inside ${home.name} (${code}) in ${MAX_TRIES} tries`,
          );
        const station = sampleStationAt(rng, stations.length, name, home, position);
        for (let n = 2; names.has(station.name); n++)
          station.name = station.name.replace(/(·\d+号)?（示例）$/, `·${n}号（示例）`);
        names.add(station.name);
        stations.push(station);
      }
    });
  });
  return [...stations, ...approximateRealStations()];
}
