/**
 * The amenity vocabulary: stable keys stored in `stations.amenities`, with zh/en labels and the
 * OpenStreetMap tag where one exists. Keys never change once published (clients and imports use them);
 * add new ones at the end.
 */
export const AMENITY_STATUSES = ['available', 'out_of_order', 'out_of_stock'] as const;
export type AmenityStatus = (typeof AMENITY_STATUSES)[number];

export interface AmenityDefinition {
  key: string;
  zh: string;
  en: string;
  /** OSM tag that carries the same meaning, when OSM has one. */
  osmTag?: string;
  /** Short symbol for compact lists on small screens. */
  icon: string;
}

export const AMENITIES = [
  { key: 'hot_water', zh: '热水/饮水', en: 'Drinking & hot water', osmTag: 'drinking_water=yes', icon: '💧' },
  { key: 'microwave', zh: '微波炉热饭', en: 'Microwave (heat meals)', osmTag: 'microwave=yes', icon: '🍱' },
  { key: 'phone_charging', zh: '手机充电', en: 'Phone charging', osmTag: 'device_charging_station=yes', icon: '🔌' },
  { key: 'ebike_charging', zh: '电动车电池充电', en: 'E-bike battery charging', osmTag: 'charging_station:bicycle=yes', icon: '🔋' },
  { key: 'heating', zh: '取暖', en: 'Heating', icon: '🔥' },
  { key: 'air_conditioning', zh: '空调', en: 'Air conditioning', osmTag: 'air_conditioning=yes', icon: '❄️' },
  { key: 'seating', zh: '休息座椅', en: 'Seating / rest', osmTag: 'bench=yes', icon: '🪑' },
  { key: 'toilet', zh: '卫生间', en: 'Toilet', osmTag: 'toilets=yes', icon: '🚻' },
  { key: 'first_aid', zh: '急救药箱', en: 'First-aid kit', osmTag: 'emergency=first_aid_kit', icon: '⛑️' },
  { key: 'umbrella', zh: '雨具借用', en: 'Umbrella / rain gear', icon: '☂️' },
  { key: 'sewing_kit', zh: '针线包', en: 'Sewing kit', icon: '🧵' },
  { key: 'heat_packs', zh: '暖贴', en: 'Heat packs', icon: '♨️' },
  { key: 'insect_repellent', zh: '驱蚊用品', en: 'Insect repellent', icon: '🦟' },
  { key: 'wifi', zh: '无线网络', en: 'Wi-Fi', osmTag: 'internet_access=wlan', icon: '📶' },
  { key: 'nursing_room', zh: '母婴室', en: 'Nursing room', osmTag: 'changing_table=yes', icon: '🍼' },
  { key: 'books', zh: '图书', en: 'Books', icon: '📚' },
  { key: 'legal_advice', zh: '法律咨询', en: 'Legal advice', icon: '⚖️' },
] as const satisfies readonly AmenityDefinition[];

export type AmenityKey = (typeof AMENITIES)[number]['key'];
export const AMENITY_KEYS = AMENITIES.map((a) => a.key) as unknown as readonly [AmenityKey, ...AmenityKey[]];

export function isAmenityKey(value: string): value is AmenityKey {
  return (AMENITY_KEYS as readonly string[]).includes(value);
}

/** What a station offers: each amenity it has, with its current state. Absent key = not offered. */
export type AmenityMap = Partial<Record<AmenityKey, AmenityStatus>>;

export const STATION_KINDS = [
  { key: 'warm_post', zh: '暖心驿站', en: 'Warm post' },
  { key: 'smart_24h', zh: '24小时智慧驿站', en: '24-hour smart station' },
  { key: 'rider_home', zh: '骑手之家', en: 'Rider home' },
  { key: 'mother_baby', zh: '母婴关爱室', en: 'Mother-and-baby room' },
  { key: 'other', zh: '其他', en: 'Other' },
] as const;
export type StationKind = (typeof STATION_KINDS)[number]['key'];
export const STATION_KIND_KEYS = STATION_KINDS.map((k) => k.key) as unknown as readonly [
  StationKind,
  ...StationKind[],
];
