import type { Dictionary } from './i18n.svelte.js';

/** Strings of the worker's "report a problem" form. */
export const report: Dictionary = {
  'report.open': { zh: '反馈问题', en: 'Report a problem' },
  'report.title': { zh: '这个驿站有什么问题？', en: 'What is wrong at this station?' },
  'report.category.closed_when_listed_open': { zh: '显示营业但关门了', en: 'Listed open but closed' },
  'report.category.amenity_broken': { zh: '设施坏了（如微波炉）', en: 'Something is broken (e.g. microwave)' },
  'report.category.no_water': { zh: '没有热水/饮水', en: 'No (hot) water' },
  'report.category.dirty': { zh: '卫生差', en: 'Dirty' },
  'report.category.other': { zh: '其他', en: 'Other' },
  'report.note': { zh: '补充说明（可选，500字以内）', en: 'Details (optional, up to 500 characters)' },
  'report.send': { zh: '提交', en: 'Send' },
  'report.cancel': { zh: '取消', en: 'Cancel' },
  'report.sending': { zh: '正在提交…', en: 'Sending…' },
  'report.thanks': {
    zh: '谢谢！站点管理员会尽快处理。',
    en: 'Thank you! The station manager will look into it.',
  },
  'report.failed': { zh: '提交失败：{message}', en: 'Could not send: {message}' },
};
