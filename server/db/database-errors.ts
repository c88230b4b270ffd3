/**
 * Which database errors are the database's trouble rather than the request's, on both engines.
 * Each is answered 503 with Retry-After (never 500): the request was fine and will work again.
 *
 * - unavailable: no connection (refused, reset, terminated by the server, pool exhausted) or the
 *   embedded database restarting after a runaway statement (57P01, see pglite-proxy.ts).
 * - transient: a file the database could not open or read for a moment (58P01 undefined_file,
 *   58030 io_error; seen once on PGlite as `could not open file "base/5/…"` for a table that was
 *   on disk). Reads are retried (pglite-proxy.ts); what still fails is a 503.
 * - disk-full / read-only: writes cannot succeed until an operator acts (53100 disk_full, ENOSPC,
 *   25006 read_only_sql_transaction, EROFS, 57P03 during recovery). Remembered for a while, so
 *   /readyz says not ready and a load balancer sends traffic elsewhere.
 * - too-slow: the statement ran past the server's statement_timeout (57014 query_canceled), as
 *   network snapping of a large demand layer can on a busy server. The request may well work when
 *   the database is less busy, so it is a 503 with Retry-After too, not a 500.
 */

export type DatabaseFault = 'unavailable' | 'transient' | 'disk-full' | 'read-only' | 'too-slow';

const BY_CODE: Record<string, DatabaseFault> = {
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ETIMEDOUT: 'unavailable',
  EPIPE: 'unavailable',
  '57P01': 'unavailable', // admin_shutdown (also: embedded database restarted)
  '57P02': 'unavailable', // crash_shutdown
  '57P03': 'unavailable', // cannot_connect_now
  '53300': 'unavailable', // too_many_connections
  '58P01': 'transient', // undefined_file
  '58030': 'transient', // io_error
  '53100': 'disk-full', // disk_full
  ENOSPC: 'disk-full',
  EDQUOT: 'disk-full',
  '25006': 'read-only', // read_only_sql_transaction
  EROFS: 'read-only',
  '57014': 'too-slow', // query_canceled (statement_timeout)
};

const MESSAGES: Record<DatabaseFault, string> = {
  unavailable: 'The database is unavailable; retry shortly',
  transient: 'The database had a transient error; retry shortly',
  'disk-full': 'The database cannot write: its disk is full; retry later',
  'read-only': 'The database is read-only at the moment; retry later',
  'too-slow': 'The database took too long to answer this question; retry later, or ask for a smaller area or fewer points',
};

/** Seconds a client should wait: longer where an operator has to act. */
const RETRY_AFTER_S: Record<DatabaseFault, number> = {
  unavailable: 5,
  transient: 1,
  'disk-full': 30,
  'read-only': 30,
  'too-slow': 10,
};

function classifyOne(err: { code?: unknown; errno?: unknown; message?: unknown }): DatabaseFault | null {
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code) {
    if (BY_CODE[code]) return BY_CODE[code]!;
    if (code.startsWith('08')) return 'unavailable'; // connection_exception class
  }
  const message = typeof err.message === 'string' ? err.message : '';
  if (/No space left on device|disk full|quota exceeded/i.test(message)) return 'disk-full';
  if (/read-only file system|read-only transaction/i.test(message)) return 'read-only';
  if (/could not (open|read|write|seek|fsync)( to| in)? file/i.test(message)) return 'transient';
  if (/canceling statement due to statement timeout/i.test(message)) return 'too-slow';
  if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message))
    return 'unavailable';
  return null;
}

/** The fault behind an error (looking through drizzle's wrapping `cause`), or null. */
export function classifyDatabaseError(error: unknown): DatabaseFault | null {
  let current = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const fault = classifyOne(current);
    if (fault) return fault;
    current = current.cause as typeof current;
  }
  return null;
}

export function faultMessage(fault: DatabaseFault): string {
  return MESSAGES[fault];
}

export function faultRetryAfterSeconds(fault: DatabaseFault): number {
  return RETRY_AFTER_S[fault];
}

/** A statement that only reads, so running it again after a transient error is safe. */
export function isReadOnlyStatement(sql: string): boolean {
  const text = sql.trimStart().toLowerCase();
  if (!/^(select|with|show|values|table)\b/.test(text)) return false;
  return !/\b(insert|update|delete|merge|nextval|setval|pg_notify|for\s+update|for\s+share|into)\b/.test(text);
}

/**
 * The last time a write could not be done (disk full, read-only). /readyz reports not ready while
 * it is recent; the next failed write renews it, so a lasting fault keeps the instance out.
 */
export const writeFaults = {
  /** How long one write fault keeps /readyz at "not ready". */
  windowMs: 30_000,
  last: null as { fault: DatabaseFault; at: number } | null,
  record(fault: DatabaseFault) {
    if (fault === 'disk-full' || fault === 'read-only') this.last = { fault, at: Date.now() };
  },
  /** The write fault of the last `windowMs`, or null. */
  current(): DatabaseFault | null {
    if (!this.last || Date.now() - this.last.at > this.windowMs) return null;
    return this.last.fault;
  },
  clear() {
    this.last = null;
  },
};
