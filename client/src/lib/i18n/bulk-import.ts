import type { Dictionary } from './i18n.svelte.js';

/** Strings of the bulk import/export panel (client/src/views/manage/BulkImport.svelte). */
export const bulkImport: Dictionary = {
  'bulk.title': { zh: '批量导入与导出', en: 'Bulk import and export' },
  'bulk.import': { zh: '导入站点', en: 'Import stations' },
  'bulk.file': {
    zh: '文件（CSV、Excel .xlsx 或 GeoJSON，最大 20 MB）',
    en: 'File (CSV, Excel .xlsx or GeoJSON, up to 20 MB)',
  },
  'bulk.format': { zh: '格式', en: 'Format' },
  'bulk.crs': { zh: '坐标系', en: 'Coordinates' },
  'bulk.crs.WGS84': {
    zh: 'WGS-84（GPS、天地图）',
    en: 'WGS-84 (GPS, Tianditu)',
  },
  'bulk.crs.GCJ02': {
    zh: 'GCJ-02（高德、腾讯）',
    en: 'GCJ-02 (Amap, Tencent)',
  },
  'bulk.crs.BD09': { zh: 'BD-09（百度）', en: 'BD-09 (Baidu)' },
  'bulk.mapping': {
    zh: '列对应（可选，JSON）',
    en: 'Column mapping (optional, JSON)',
  },
  'bulk.mapping.hint': {
    zh: '表头不是“名称、经度、纬度、编号…”时填写，如 {"name":"站名","lng":"东经","lat":"北纬"}',
    en: 'Only when headers differ from 名称/经度/纬度/编号…, e.g. {"name":"Station","lng":"X","lat":"Y"}',
  },
  'bulk.check': { zh: '检查（不写入）', en: 'Check (writes nothing)' },
  'bulk.confirm': { zh: '确认导入 {count} 行', en: 'Import {count} rows' },
  'bulk.uploading': { zh: '上传中 {percent}%', en: 'Uploading {percent}%' },
  'bulk.processing': {
    zh: '服务器正在检查…（1 万行约需 3–7 秒）',
    en: 'Checking on the server… (10,000 rows take 3–7 s)',
  },
  'bulk.summary': {
    zh: '共 {rows} 行：新增 {inserted}，更新 {updated}，不变 {unchanged}，有问题 {errors}，冲突 {conflicts}，提醒 {warnings}',
    en: '{rows} rows: {inserted} new, {updated} updated, {unchanged} unchanged, {errors} with problems, {conflicts} in conflict, {warnings} with warnings',
  },
  'bulk.conflicts': {
    zh: '有 {count} 行比系统中的站点旧：导出之后有人修改过这些字段，导入会撤销他们的修改。请重新导出后再改，或勾选“覆盖”。',
    en: '{count} rows are older than the stations: someone changed these fields after the export, and importing would undo it. Export again and redo your edits, or tick “overwrite”.',
  },
  'bulk.overwrite': {
    zh: '覆盖导出之后他人所做的修改（冲突行按文件写入）',
    en: 'Overwrite changes made since the export (conflicting rows take the file’s values)',
  },
  'bulk.fix': {
    zh: '请修改有问题的行后重新上传；本次没有写入任何数据。',
    en: 'Fix the rows with problems and upload again; nothing was written.',
  },
  'bulk.done': { zh: '导入完成。', en: 'Import done.' },
  'bulk.ignored': {
    zh: '未使用的列：{columns}',
    en: 'Columns not used: {columns}',
  },
  'bulk.col.row': { zh: '行', en: 'Row' },
  'bulk.col.id': { zh: '编号', en: 'External id' },
  'bulk.col.action': { zh: '结果', en: 'Result' },
  'bulk.col.field': { zh: '字段', en: 'Field' },
  'bulk.col.problem': { zh: '问题', en: 'Problem' },
  'bulk.action.insert': { zh: '新增', en: 'new' },
  'bulk.action.update': { zh: '更新', en: 'update' },
  'bulk.action.unchanged': { zh: '不变', en: 'unchanged' },
  'bulk.action.error': { zh: '错误', en: 'error' },
  'bulk.action.conflict': { zh: '冲突', en: 'conflict' },
  'bulk.warning': { zh: '提醒', en: 'warning' },
  'bulk.noProblems': { zh: '没有发现问题。', en: 'No problems found.' },
  'bulk.more': { zh: '另有 {count} 条未显示', en: '{count} more not shown' },
  'bulk.export': { zh: '导出站点', en: 'Export stations' },
  'bulk.district': {
    zh: '只导出某个区域（可选：输入区或街道名称）',
    en: 'Only one area (optional: type a district or sub-district name)',
  },
  'bulk.download': { zh: '下载 {format}', en: 'Download {format}' },
};
