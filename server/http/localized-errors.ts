/**
 * Refusals in the language of the page that asked (`lang=`,
 * else Accept-Language, else zh): a person reads them, so they say what to do instead.
 */
import type { Request } from 'express';
import type { ZodError } from 'zod';
import { HttpError, languageOf, type Bilingual, type Language } from './errors.js';

export { languageOf, type Bilingual, type Language } from './errors.js';
export function localized(
  lang: Language,
  message: Bilingual,
  params: Record<string, string | number> = {},
): string {
  return message[lang].replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? `{${k}}`));
}

/** An HttpError whose message is in the asker's language (the other one kept in details). */
export function localizedError(
  req: Request,
  status: number,
  message: Bilingual,
  params: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): HttpError {
  const lang = languageOf(req);
  return new HttpError(
    status,
    localized(lang, message, params),
    { message_zh: localized('zh', message, params), message_en: localized('en', message, params) },
    headers,
  );
}

/**
 * A zod failure as a 400 in the asker's language: the first issue's parameter, its own message
 * (written in English in the schema) after a sentence in the page's language.
 */
export function localizedZodError(req: Request, error: ZodError, what: Bilingual): HttpError {
  const issue = error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : '';
  const detail = `${field ? `${field}: ` : ''}${issue.message}`;
  return localizedError(req, 400, {
    zh: `${what.zh}参数有误（${detail}）`,
    en: `${what.en}: ${detail}`,
  });
}
