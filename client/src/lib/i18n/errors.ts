/**
 * Errors said in the page's language. What reaches a person is a sentence in zh or en chosen by
 * the kind of failure (no network, the server's status, a refused location); the original message
 * (the browser's "Failed to fetch", a server's English zod message) is kept for the console.
 * The server's own message is shown when it is in the page's language (it sends refusals in the
 * language of Accept-Language, which the client sets from the page): it says what to fix.
 */
import { ApiError } from '../api/http.js';
import type { Dictionary } from './i18n.svelte.js';
import { i18n, registerDictionary, t } from './i18n.svelte.js';

export const errorStrings: Dictionary = {
  'error.network': {
    zh: '网络连接失败，请检查网络后重试',
    en: 'No connection: check the network and try again',
  },
  'error.400': { zh: '请求内容有误，请检查后重试', en: 'The request was not valid' },
  'error.401': { zh: '请先登录', en: 'Please sign in first' },
  'error.403': { zh: '没有权限进行此操作', en: 'You are not allowed to do this' },
  'error.404': { zh: '没有找到，可能已被删除', en: 'Not found: it may have been removed' },
  'error.409': { zh: '与已有内容冲突，请刷新后重试', en: 'This conflicts with a change made meanwhile: reload and try again' },
  'error.413': { zh: '内容太大', en: 'Too large' },
  'error.429': { zh: '操作太频繁，请稍后再试', en: 'Too many requests: try again a little later' },
  'error.503': { zh: '服务暂时繁忙，请稍后再试', en: 'The service is busy: try again shortly' },
  'error.5xx': { zh: '服务器出错了，请稍后再试', en: 'The server failed: try again later' },
  'error.other': { zh: '出错了，请稍后再试', en: 'Something went wrong: try again later' },
  'error.422': { zh: '无法完成：请求的内容无法处理', en: 'This request cannot be carried out' },
  'error.map': {
    zh: '地图无法加载，列表仍可使用',
    en: 'The map could not be loaded; the list still works',
  },
  'error.geo.1': { zh: '没有定位权限', en: 'location permission was denied' },
  'error.geo.2': { zh: '暂时无法确定位置', en: 'the position is not available right now' },
  'error.geo.3': { zh: '定位超时', en: 'locating took too long' },
  'error.geo.none': { zh: '此浏览器不支持定位', en: 'this browser cannot locate you' },
};
registerDictionary(errorStrings);

/** This browser has no Geolocation API at all. */
export class GeolocationUnsupported extends Error {
  constructor() {
    super('navigator.geolocation is not available');
  }
}

/** A browser's words for "the request never reached the server" (Chromium, Firefox, Safari). */
const NETWORK_FAILURE = /failed to fetch|networkerror|load failed|network request failed/i;

export function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && NETWORK_FAILURE.test(error.message);
}

/** A Chinese character: the message is already in the Chinese page's language. */
const HAN = /\p{Script=Han}/u;

/** Status keys with their own sentence; other 4xx read as 400, other 5xx as 5xx. */
const STATUS_KEYS = new Set([400, 401, 403, 404, 409, 413, 422, 429, 503]);

/**
 * The sentence for `error` in the current language. Call it where the text is shown (not when the
 * error happens) so switching the language changes it too; `logError` keeps the detail.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    // Refusals the server words in both languages (server/http/localized-errors.ts) say it best.
    const details = (error.body as { details?: { message_zh?: string; message_en?: string } } | null)?.details;
    const own = i18n.locale === 'en' ? details?.message_en : details?.message_zh;
    if (own) return own;
    if (i18n.locale === 'en' && error.message) return error.message;
    // The server says most refusals in the language the page asked in (Accept-Language): kept.
    if (HAN.test(error.message)) return error.message;
    if (STATUS_KEYS.has(error.status)) return t(`error.${error.status}`);
    return t(error.status >= 500 ? 'error.5xx' : error.status >= 400 ? 'error.400' : 'error.other');
  }
  if (isNetworkFailure(error)) return t('error.network');
  if (error instanceof GeolocationUnsupported) return t('error.geo.none');
  const code = (error as { code?: unknown } | null)?.code;
  // GeolocationPositionError: 1 denied, 2 unavailable, 3 timeout (no global class on every browser).
  if (typeof GeolocationPositionError !== 'undefined' && error instanceof GeolocationPositionError) {
    return t(`error.geo.${code}`);
  }
  return t('error.other');
}

/** Keeps what a developer needs, where a developer looks. */
export function logError(context: string, error: unknown): void {
  console.warn(`[warm-posts] ${context}:`, error);
}
