/**
 * The search box's 400s, in the language of the page that asked (`lang=`, else Accept-Language):
 * the person typing reads them, so they say what to type instead.
 */
import type { Bilingual } from '../../http/errors.js';
import type { SearchLanguage } from './search.schemas.js';
import { MAX_QUERY_LENGTH, MAX_SEARCH_LIMIT } from './search.schemas.js';

export type SearchProblem =
  | 'q_missing'
  | 'q_too_long'
  | 'q_blank'
  | 'near_invalid'
  | 'limit_invalid'
  | 'lang_invalid'
  | 'type_invalid'
  | 'unknown_parameter'
  | 'coordinates_unreadable'
  | 'coordinates_out_of_range';

const MESSAGES: Record<SearchProblem, Record<SearchLanguage, string>> = {
  q_missing: {
    zh: '请输入要搜索的内容：驿站名称、地址、拼音、街道或坐标',
    en: 'Type what to search for: a station name, address, pinyin, area or coordinates',
  },
  q_too_long: {
    zh: `搜索内容最多 ${MAX_QUERY_LENGTH} 个字，请缩短后再试`,
    en: `Search text is at most ${MAX_QUERY_LENGTH} characters; shorten it and try again`,
  },
  q_blank: {
    zh: '搜索内容只有空格或标点，请输入文字、拼音或坐标',
    en: 'The search text has only spaces or punctuation; type words, pinyin or coordinates',
  },
  near_invalid: {
    zh: 'near 应为 WGS-84 “经度,纬度”，例如 116.39,39.91',
    en: 'near must be lng,lat in WGS-84, e.g. 116.39,39.91',
  },
  limit_invalid: {
    zh: `limit 应为 1 到 ${MAX_SEARCH_LIMIT} 之间的整数`,
    en: `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`,
  },
  lang_invalid: { zh: 'lang 只能是 zh 或 en', en: 'lang must be zh or en' },
  type_invalid: { zh: 'type 只能是 station 或 area', en: 'type must be station or area' },
  unknown_parameter: {
    zh: '不支持的参数；可用参数：q、near、limit、lang',
    en: 'Unknown parameter; use q, near, limit and lang',
  },
  coordinates_unreadable: {
    zh: '无法识别坐标：请写两个数字，先经度后纬度，例如 gcj:116.40,39.90',
    en: 'Could not read the coordinates: write two numbers, longitude first, e.g. gcj:116.40,39.90',
  },
  coordinates_out_of_range: {
    zh: '坐标超出范围：经度在 -180 到 180 之间，纬度在 -90 到 90 之间（先经度后纬度）',
    en: 'Coordinates out of range: longitude -180..180, latitude -90..90 (longitude first)',
  },
};

export const searchMessage = (problem: SearchProblem, lang: SearchLanguage): string =>
  MESSAGES[problem][lang];

/** 503s (said by the error handler in the asker's language): "not now", never a partial answer. */
export const searchBusy = (retryAfterS: number): Bilingual => ({
  zh: `搜索的人太多，请 ${retryAfterS} 秒后再试`,
  en: `Too many searches at once; retry in ${retryAfterS} s`,
});
export const searchUnavailable = (retryAfterS: number): Bilingual => ({
  zh: `搜索暂时不可用，请 ${retryAfterS} 秒后再试`,
  en: `Search is not available right now; retry in ${retryAfterS} s`,
});
