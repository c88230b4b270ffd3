/** A failed API call, with the server's message (already meant for people). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!res.ok) {
    const message =
      (body as { error?: string } | null)?.error ?? `Request failed with status ${res.status}`;
    throw new ApiError(res.status, message, body);
  }
  return body as T;
}

/**
 * The page's language, not the browser's: the server says its refusals in it (an English phone
 * reading the Chinese page gets Chinese messages, and the other way round).
 */
export const pageLanguageHeader = (): Record<string, string> => ({
  // Read from <html lang>, which the i18n module keeps in step with the page (no import of its rune
  // here: plain modules and their unit tests use this file too).
  'Accept-Language': globalThis.document?.documentElement.lang.startsWith('en') ? 'en' : 'zh-CN',
});

export async function apiGet<T>(path: string, init: RequestInit = {}): Promise<T> {
  return parse<T>(
    await fetch(path, { credentials: 'same-origin', ...init, headers: { ...pageLanguageHeader(), ...(init.headers as Record<string, string>) } }),
  );
}

let csrfToken: string | null = null;
/** Set after login; cookie-authenticated writes must echo it (CSRF protection). */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}
/** The token set after login, for requests made outside apiSend (uploads with progress). */
export const getCsrfToken = () => csrfToken;

export async function apiSend<T>(
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...pageLanguageHeader(),
      ...(body !== undefined && !(body instanceof Blob) ? { 'Content-Type': 'application/json' } : {}),
      ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
  });
  return parse<T>(res);
}

/**
 * Deletes what the service worker (client/src/sw.ts) saved of API answers, every version of its
 * cache: done at sign-in and sign-out, so nothing of one session is served offline in another.
 */
export async function clearApiCache(): Promise<void> {
  if (typeof caches === 'undefined') return;
  try {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('warm-posts-api')).map((n) => caches.delete(n)));
  } catch {
    /* storage unavailable (private mode): nothing was saved either */
  }
}
