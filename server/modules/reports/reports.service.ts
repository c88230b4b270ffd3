import type { AppDatabase } from '../../db/client.js';
import { bilingualError, HttpError, notFound } from '../../http/errors.js';

const stationNotFound = (id: number) => bilingualError(404, { zh: `没有编号为 ${id} 的驿站`, en: `Station not found: ${id}` });
import type { AuthUser } from '../auth/roles.js';
import { canEditStation } from '../auth/roles.js';
import { consumeRateLimit, rateLimitKey, type RateLimit } from '../rate-limits/rate-limits.service.js';
import { randomInt } from 'node:crypto';
import {
  answerReport,
  findReportByReceipt,
  findReportStation,
  insertConfirmation,
  insertReport,
  readFreshness,
  stationExists,
  type ReceiptView,
  type StationFreshness,
} from './reports.repository.js';
import type { ReportCategory, ReportOutcome } from './reports.schemas.js';

/** Crockford's base32: no 0/O, 1/I/L confusion when a worker reads the code out or types it. */
const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Ten random symbols (50 bits: not guessable), shown as 5-5. */
export function newReceiptCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

// Generous for a worker (a few reports on a bad day), tight for a script. Stored in the database,
// so every instance counts the same client.
const REPORTS_PER_CLIENT: RateLimit = {
  bucket: 'reports-ip',
  limit: 10,
  windowSeconds: 3600,
  message: { zh: '您在一小时内已提交多条反馈，谢谢！请稍后再提交。', en: 'You have sent many reports in the last hour; thank you — please wait a little.' },
};
const REPORTS_PER_CLIENT_AND_STATION: RateLimit = {
  bucket: 'reports-ip-station',
  limit: 3,
  windowSeconds: 3600,
  message: { zh: '您一小时内已对这个驿站提交过反馈。', en: 'This station already has your reports from the last hour.' },
};

export async function submitReport(
  db: AppDatabase,
  input: { stationId: number; category: ReportCategory; note?: string; clientIp: string },
): Promise<{ id: number; receipt: string }> {
  if (!(await stationExists(db, input.stationId))) throw stationNotFound(input.stationId);
  await consumeRateLimit(db, REPORTS_PER_CLIENT, rateLimitKey(input.clientIp));
  await consumeRateLimit(db, REPORTS_PER_CLIENT_AND_STATION, rateLimitKey(input.clientIp, String(input.stationId)));
  const note = input.note?.trim() ? input.note : null;
  const receipt = newReceiptCode();
  const id = await insertReport(db, { stationId: input.stationId, category: input.category, note, receipt });
  return { id, receipt };
}

export async function reportByReceipt(db: AppDatabase, receipt: string): Promise<ReceiptView> {
  const found = await findReportByReceipt(db, receipt);
  if (!found) throw bilingualError(404, { zh: `没有回执码为 ${receipt} 的反馈，请核对后再试`, en: `No report has the receipt code ${receipt}` });
  return found;
}

export async function resolveStationReport(
  db: AppDatabase,
  user: AuthUser,
  reportId: number,
  answer: { outcome: ReportOutcome; reply: string | null },
): Promise<void> {
  const report = await findReportStation(db, reportId);
  if (!report) throw notFound(`Report not found: ${reportId}`);
  if (!canEditStation(user, report.station_id)) {
    throw new HttpError(403, `You do not manage station ${report.station_id}`);
  }
  if (!(await answerReport(db, reportId, user.id, answer))) {
    throw new HttpError(409, `Report ${reportId} is already closed`);
  }
}

// One "信息准确" per client and station a day (a badge counts workers, not taps); a few dozen a
// day per client for a worker passing many stations; counted in the database for every instance.
const CONFIRMATIONS_PER_CLIENT_AND_STATION: RateLimit = {
  bucket: 'confirm-ip-station',
  limit: 1,
  windowSeconds: 86_400,
  message: { zh: '您今天已经确认过这个驿站，谢谢！', en: 'You already confirmed this station today; thank you.' },
};
const CONFIRMATIONS_PER_CLIENT: RateLimit = {
  bucket: 'confirm-ip',
  limit: 30,
  windowSeconds: 3600,
  message: { zh: '您在一小时内已确认很多驿站，谢谢！请稍等片刻。', en: 'You have confirmed many stations in the last hour; thank you — please wait a little.' },
};

/** The window the badge counts confirmations over. */
export const FRESHNESS_DAYS = 30;

export async function confirmStation(db: AppDatabase, input: { stationId: number; clientIp: string }): Promise<void> {
  if (!(await stationExists(db, input.stationId))) throw stationNotFound(input.stationId);
  await consumeRateLimit(db, CONFIRMATIONS_PER_CLIENT, rateLimitKey(input.clientIp));
  await consumeRateLimit(
    db,
    CONFIRMATIONS_PER_CLIENT_AND_STATION,
    rateLimitKey(input.clientIp, String(input.stationId)),
  );
  await insertConfirmation(db, input.stationId);
}

export async function stationFreshness(db: AppDatabase, stationId: number): Promise<StationFreshness & { days: number }> {
  const freshness = await readFreshness(db, stationId, FRESHNESS_DAYS);
  if (!freshness) throw stationNotFound(stationId);
  return { ...freshness, days: FRESHNESS_DAYS };
}
