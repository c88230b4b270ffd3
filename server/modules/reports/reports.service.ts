import type { AppDatabase } from '../../db/client.js';
import { HttpError, notFound } from '../../http/errors.js';
import type { AuthUser } from '../auth/roles.js';
import { canEditStation } from '../auth/roles.js';
import { consumeRateLimit, rateLimitKey, type RateLimit } from '../rate-limits/rate-limits.service.js';
import { findReportStation, insertReport, resolveReport, stationExists } from './reports.repository.js';
import type { ReportCategory } from './reports.schemas.js';

// Generous for a worker (a few reports on a bad day), tight for a script. Stored in the database,
// so every instance counts the same client.
const REPORTS_PER_CLIENT: RateLimit = {
  bucket: 'reports-ip',
  limit: 10,
  windowSeconds: 3600,
  message: 'You have sent many reports in the last hour; thank you — please wait a little.',
};
const REPORTS_PER_CLIENT_AND_STATION: RateLimit = {
  bucket: 'reports-ip-station',
  limit: 3,
  windowSeconds: 3600,
  message: 'This station already has your reports from the last hour.',
};

export async function submitReport(
  db: AppDatabase,
  input: { stationId: number; category: ReportCategory; note?: string; clientIp: string },
): Promise<number> {
  if (!(await stationExists(db, input.stationId))) throw notFound(`Station not found: ${input.stationId}`);
  await consumeRateLimit(db, REPORTS_PER_CLIENT, rateLimitKey(input.clientIp));
  await consumeRateLimit(db, REPORTS_PER_CLIENT_AND_STATION, rateLimitKey(input.clientIp, String(input.stationId)));
  const note = input.note?.trim() ? input.note : null;
  return insertReport(db, { stationId: input.stationId, category: input.category, note });
}

export async function resolveStationReport(
  db: AppDatabase,
  user: AuthUser,
  reportId: number,
  resolution: string | null,
): Promise<void> {
  const report = await findReportStation(db, reportId);
  if (!report) throw notFound(`Report not found: ${reportId}`);
  if (!canEditStation(user, report.station_id)) {
    throw new HttpError(403, `You do not manage station ${report.station_id}`);
  }
  if (!(await resolveReport(db, reportId, user.id, resolution))) {
    throw new HttpError(409, `Report ${reportId} is already resolved`);
  }
}
