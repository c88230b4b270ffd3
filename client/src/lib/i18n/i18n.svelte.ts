import { common } from './common.js';

export type Locale = 'zh' | 'en';
export type Dictionary = Record<string, { zh: string; en: string }>;

const STORAGE_KEY = 'warm-posts.locale';

function initialLocale(): Locale {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh') return fromUrl;
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'zh'; // zh-CN first: the people this serves read Chinese.
}

export const i18n = $state({ locale: initialLocale() as Locale });

/** `<html lang>` follows the language the page starts in too (saved or ?lang=), not only a switch. */
const htmlLang = (locale: Locale) => (locale === 'zh' ? 'zh-CN' : 'en');
if (typeof document !== 'undefined') document.documentElement.lang = htmlLang(i18n.locale);

const dictionaries: Dictionary[] = [common];

/** Views register their own dictionaries so each view owns its strings. */
export function registerDictionary(dictionary: Dictionary) {
  dictionaries.push(dictionary);
}

export function setLocale(locale: Locale) {
  i18n.locale = locale;
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = htmlLang(locale);
}

/**
 * Translates a key; `{name}` placeholders are filled from params. Reading i18n.locale here makes
 * every template that calls t() re-render when the language changes.
 */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const locale = i18n.locale;
  let entry: { zh: string; en: string } | undefined;
  for (let i = dictionaries.length - 1; i >= 0 && !entry; i--) entry = dictionaries[i]![key];
  const text = entry ? entry[locale] : key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? `{${name}}`));
}

/** Picks the zh or en variant of a bilingual value. */
export function pick(zh: string, en: string | null | undefined): string {
  return i18n.locale === 'en' && en ? en : zh;
}
