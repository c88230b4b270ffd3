/** Amenity cells as union lists write them: 有/是/✓/1, 无/0/empty, 故障, 缺货, or a whole map. */
import {
  AMENITIES,
  AMENITY_STATUSES,
  type AmenityKey,
  type AmenityStatus,
} from '../stations/amenities.js';
import type { CellProblem } from './source-table.js';

/** null = the station does not offer it (removed on update). */
export type AmenityChanges = Partial<Record<AmenityKey, AmenityStatus | null>>;

const AVAILABLE = new Set([
  '有',
  '是',
  '✓',
  '✔',
  '√',
  '1',
  'y',
  'yes',
  'true',
  'available',
  '可用',
  '正常',
]);
const ABSENT = new Set(['', '无', '没有', '否', '0', 'n', 'no', 'false', '×', '✗', '✘', '-']);
const OUT_OF_ORDER = new Set(['故障', '损坏', '维修', '维修中', 'out_of_order', 'broken']);
const OUT_OF_STOCK = new Set(['缺货', '用完', '暂缺', 'out_of_stock']);

/** Text of a cell: numbers as written, booleans as 1/0, trimmed. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).trim();
}

export function amenityStatusOf(value: unknown): AmenityStatus | null | undefined {
  const t = cellText(value).toLowerCase();
  if (AVAILABLE.has(t)) return 'available';
  if (ABSENT.has(t)) return null;
  if (OUT_OF_ORDER.has(t)) return 'out_of_order';
  if (OUT_OF_STOCK.has(t)) return 'out_of_stock';
  return undefined;
}

/** The label exports write for a status; amenityStatusOf reads it back. */
export const STATUS_LABELS: Record<AmenityStatus, string> = {
  available: '有',
  out_of_order: '故障',
  out_of_stock: '缺货',
};

function amenityKeyOf(value: string): AmenityKey | undefined {
  const t = value.trim().toLowerCase();
  return AMENITIES.find((a) => a.key === t || a.zh === value.trim() || a.en.toLowerCase() === t)
    ?.key;
}

/** A whole amenity map: {"hot_water":"available"}, ["hot_water"], or "热水/饮水,微波炉热饭". */
export function readAmenityMap(value: unknown, problems: CellProblem[]): AmenityChanges {
  const map: AmenityChanges = {};
  for (const a of AMENITIES) map[a.key] = null;
  let entries: [string, unknown][];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    entries = Object.entries(value);
  } else {
    const list = Array.isArray(value) ? value.map(cellText) : cellText(value).split(/[,，;；、]/);
    entries = list.filter((item) => item.trim() !== '').map((item) => [item, 'available']);
  }
  for (const [name, status] of entries) {
    const key = amenityKeyOf(name);
    const parsed = (AMENITY_STATUSES as readonly string[]).includes(String(status))
      ? (status as AmenityStatus)
      : amenityStatusOf(status);
    if (!key)
      problems.push({
        field: 'amenities',
        problem: `unknown amenity "${name.slice(0, 40)}"`,
      });
    else if (parsed === undefined) {
      problems.push({
        field: 'amenities',
        problem: `unknown status "${cellText(status).slice(0, 40)}" for ${key}`,
      });
    } else map[key] = parsed;
  }
  return map;
}
