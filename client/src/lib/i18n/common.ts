import type { Dictionary } from './i18n.svelte.js';

export const common: Dictionary = {
  'app.title': { zh: '暖心驿站', en: 'Warm Posts' },
  'app.subtitle': { zh: '户外劳动者服务站点地图', en: 'Rest stations for outdoor workers' },
  'nav.worker': { zh: '找驿站', en: 'Find' },
  'nav.manage': { zh: '站点管理', en: 'Manage' },
  'nav.plan': { zh: '规划分析', en: 'Plan' },
  'nav.main': { zh: '主导航', en: 'Main navigation' },
  'lang.switch': { zh: 'English', en: '中文' },
  'lang.switch.label': { zh: '切换到英文', en: 'Switch to Chinese' },
  'common.loading': { zh: '加载中…', en: 'Loading…' },
  'common.error': { zh: '出错了：{message}', en: 'Something went wrong: {message}' },
  'common.retry': { zh: '重试', en: 'Retry' },
  'common.sample': { zh: '示例', en: 'Sample' },
  'map.label': { zh: '驿站地图', en: 'Map of stations' },
  'map.label.keyboard': {
    zh: '驿站地图：方向键移动地图，回车把地图中心设为你的位置',
    en: 'Map of stations: arrow keys move it, Enter sets your position at its centre',
  },
  'map.lite': { zh: '简易地图模式（无 WebGL）', en: 'Lite map (no WebGL)' },
  'holidays.unpublished': {
    zh: '{year} 年节假日安排尚未导入：法定节日按暂定计，调休上班日未知',
    en: 'The {year} public holiday arrangement has not been imported yet: festivals are provisional, make-up workdays unknown',
  },
  'holidays.provisional': { zh: '暂定', en: 'provisional' },
  'photo.kind.entrance': { zh: '入口', en: 'Entrance' },
  'photo.kind.interior': { zh: '室内', en: 'Inside' },
  'photo.kind.sign': { zh: '标牌', en: 'Sign' },
  'photo.kind.other': { zh: '其他', en: 'Other' },
};
