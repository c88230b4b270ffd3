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
  'confirm.question': { zh: '这里的信息对吗？', en: 'Is this information right?' },
  'confirm.accurate': { zh: '信息准确', en: 'It is right' },
  'confirm.wrong': { zh: '信息有误', en: 'Something is wrong' },
  'confirm.badge': { zh: '{n} 位劳动者确认信息准确 · 最近一次{ago}', en: '{n} workers confirmed it · latest {ago}' },
  'confirm.today': { zh: '今天', en: 'today' },
  'confirm.daysAgo': { zh: '{days} 天前', en: '{days} days ago' },
  'confirm.disputed': { zh: '{n} 条问题反馈待处理', en: '{n} reported problem(s) not yet resolved' },
  'confirm.thanks': { zh: '谢谢确认！', en: 'Thank you for confirming!' },
  'confirm.already': { zh: '今天已确认过，谢谢！', en: 'You already confirmed it today, thank you!' },
  'confirm.failed': { zh: '暂时无法提交，请稍后再试', en: 'Could not send right now; please try again later' },
};
