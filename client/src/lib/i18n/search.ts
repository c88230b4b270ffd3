import type { Dictionary } from './i18n.svelte.js';

/** Strings of the worker page's search box and departure time. */
export const search: Dictionary = {
  'search.placeholder': { zh: '搜索驿站、街道或坐标', en: 'Search stations, areas or coordinates' },
  'search.results': { zh: '搜索结果', en: 'Search results' },
  'search.count': { zh: '找到 {n} 个结果，用上下方向键选择', en: '{n} results; use the arrow keys to choose' },
  'search.none': { zh: '没有找到“{q}”', en: 'Nothing found for “{q}”' },
  'search.searching': { zh: '正在搜索…', en: 'Searching…' },
  'search.offline': {
    zh: '网络不可用，暂时无法搜索',
    en: 'No network: search is not available right now',
  },
  'search.clear': { zh: '清除搜索', en: 'Clear search' },
  'search.coordinate': { zh: '设为我的位置', en: 'Set as my position' },
  'search.datum.WGS84': { zh: 'WGS-84 坐标', en: 'WGS-84 coordinates' },
  'search.datum.GCJ02': { zh: '高德/GCJ-02 坐标，已换算', en: 'Amap/GCJ-02 coordinates, converted' },
  'search.datum.BD09': { zh: '百度/BD-09 坐标，已换算', en: 'Baidu/BD-09 coordinates, converted' },
  'search.kind.station': { zh: '驿站', en: 'Station' },
  'search.chosen.station': { zh: '已打开 {name}', en: 'Opened {name}' },
  'search.chosen.area': { zh: '地图已移到 {name}', en: 'Map moved to {name}' },
  'search.chosen.coordinate': { zh: '位置已设为 {lng}, {lat}', en: 'Position set to {lng}, {lat}' },
  'depart.label': { zh: '出发时间', en: 'Leaving' },
  'depart.now': { zh: '现在', en: 'Now' },
  'depart.today': { zh: '今天', en: 'Today' },
  'depart.tomorrow': { zh: '明天', en: 'Tomorrow' },
  'depart.time': { zh: '出发时刻', en: 'Time of leaving' },
  'depart.header.now': { zh: '现在出发', en: 'Leaving now' },
  'depart.header.at': { zh: '{day} {time} 出发', en: 'Leaving {day} {time}' },
  'depart.filter.arrival': { zh: '到达时营业', en: 'open when I arrive' },
  'depart.filter.now': { zh: '出发时营业', en: 'open when I leave' },
  'depart.filter.any': { zh: '全部驿站', en: 'all stations' },
};
