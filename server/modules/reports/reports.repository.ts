import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { ReportCategory, ReportOutcome } from './reports.schemas.js';

export interface ReportRecord {
  id: number;
  station_id: number;
  station_name: string;
  category: ReportCategory;
  note: string | null;
  status: 'open' | 'resolved';
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
  outcome: ReportOutcome | null;
  reply: string | null;
  replied_at: string | null;
}

export async function insertReport(
  db: AppDatabase,
  report: { stationId: number; category: ReportCategory; note: string | null; receipt: string },
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`insert into station_reports (station_id, category, note, receipt)
        values (${report.stationId}, ${report.category}, ${report.note}, ${report.receipt}) returning id`,
  );
  return row!.id;
}

/** What the reporter may read back with their receipt code: the station, the report, the answer. */
export interface ReceiptView {
  station_id: number;
  station_name: string;
  category: ReportCategory;
  created_at: string;
  status: 'open' | 'resolved';
  outcome: ReportOutcome | null;
  reply: string | null;
  replied_at: string | null;
}

export async function findReportByReceipt(db: AppDatabase, receipt: string): Promise<ReceiptView | null> {
  const [row] = await queryRows<ReceiptView>(
    db,
    sql`select r.station_id, s.name as station_name, r.category, to_json(r.created_at) #>> '{}' as created_at,
          r.status, r.outcome, r.reply, to_json(r.replied_at) #>> '{}' as replied_at
        from station_reports r join stations s on s.id = r.station_id
        where r.receipt = ${receipt}`,
  );
  return row ?? null;
}

export async function stationExists(db: AppDatabase, stationId: number): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(db, sql`select id from stations where id = ${stationId}`);
  return rows.length > 0;
}

/** Reports, newest first; `stationIds` null = every station (admins). */
export async function listReports(
  db: AppDatabase,
  filter: { status: 'open' | 'resolved' | 'all'; stationIds: number[] | null; stationId?: number; limit: number },
): Promise<ReportRecord[]> {
  const conditions = [sql`true`];
  if (filter.status !== 'all') conditions.push(sql`r.status = ${filter.status}`);
  if (filter.stationIds) conditions.push(sql`r.station_id = any(${`{${filter.stationIds.join(',')}}`}::int[])`);
  if (filter.stationId) conditions.push(sql`r.station_id = ${filter.stationId}`);
  return queryRows<ReportRecord>(
    db,
    sql`select r.id, r.station_id, s.name as station_name, r.category, r.note, r.status,
          to_json(r.created_at) #>> '{}' as created_at, to_json(r.resolved_at) #>> '{}' as resolved_at,
          u.username as resolved_by, r.resolution, r.outcome, r.reply,
          to_json(r.replied_at) #>> '{}' as replied_at
        from station_reports r join stations s on s.id = r.station_id
        left join users u on u.id = r.resolved_by
        where ${sql.join(conditions, sql` and `)}
        order by r.created_at desc, r.id desc limit ${filter.limit}`,
  );
}

export async function findReportStation(
  db: AppDatabase,
  reportId: number,
): Promise<{ station_id: number; status: string } | null> {
  const rows = await queryRows<{ station_id: number; status: string }>(
    db,
    sql`select station_id, status from station_reports where id = ${reportId}`,
  );
  return rows[0] ?? null;
}

/**
 * Answers an open report: resolved / not_a_problem close it; needs_union keeps it open, handed to
 * the union office (which may close it later). False when it was already closed (someone was quicker).
 */
export async function answerReport(
  db: AppDatabase,
  reportId: number,
  userId: number,
  answer: { outcome: ReportOutcome; reply: string | null },
): Promise<boolean> {
  const closes = answer.outcome !== 'needs_union';
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update station_reports set
          status = ${closes ? 'resolved' : 'open'},
          outcome = ${answer.outcome},
          reply = coalesce(${answer.reply}, reply),
          replied_at = case when ${answer.reply}::text is null then replied_at else now() end,
          resolution = coalesce(${answer.reply}, resolution),
          resolved_at = case when ${closes} then now() else resolved_at end,
          resolved_by = ${userId}
        where id = ${reportId} and status = 'open' returning id`,
  );
  return rows.length > 0;
}

export interface AreaReportCount {
  code: string;
  name: string;
  open: number;
  resolved: number;
  total: number;
}

/** Report counts per area of one level (any loaded level), every area listed (zeros included). */
export async function countReportsByArea(
  db: AppDatabase,
  level: string,
  status: 'open' | 'resolved' | 'all',
): Promise<AreaReportCount[]> {
  const statusFilter = status === 'all' ? sql`true` : sql`r.status = ${status}`;
  return queryRows<AreaReportCount>(
    db,
    sql`select a.code, a.name,
          count(r.id) filter (where r.status = 'open')::int as open,
          count(r.id) filter (where r.status = 'resolved')::int as resolved,
          count(r.id)::int as total
        from areas a
        left join stations s on s.area_codes @> array[a.code]::text[]
        left join station_reports r on r.station_id = s.id and ${statusFilter}
        where a.level = ${level}
        group by a.code, a.name order by total desc, a.code`,
  );
}

export async function insertConfirmation(db: AppDatabase, stationId: number): Promise<void> {
  await db.execute(sql`insert into station_confirmations (station_id) values (${stationId})`);
}

export interface StationFreshness {
  /** Workers who said "信息准确" in the last `days` days, and when the latest did. */
  confirmations: number;
  last_confirmed_at: string | null;
  /** Reports still open (a worker said something is wrong), and when the latest came. */
  open_reports: number;
  last_reported_at: string | null;
  /** When a manager last said the station is right. */
  verified_at: string | null;
}

/** One station's freshness: two indexed aggregates, no scan of other stations. */
export async function readFreshness(db: AppDatabase, stationId: number, days: number): Promise<StationFreshness | null> {
  const [row] = await queryRows<StationFreshness>(
    db,
    sql`select
          (select count(*)::int from station_confirmations c
             where c.station_id = s.id and c.created_at > now() - make_interval(days => ${days})) as confirmations,
          (select to_json(max(c.created_at)) #>> '{}' from station_confirmations c where c.station_id = s.id) as last_confirmed_at,
          (select count(*)::int from station_reports r where r.station_id = s.id and r.status = 'open') as open_reports,
          (select to_json(max(r.created_at)) #>> '{}' from station_reports r
             where r.station_id = s.id and r.status = 'open') as last_reported_at,
          to_json(s.verified_at) #>> '{}' as verified_at
        from stations s where s.id = ${stationId}`,
  );
  return row ?? null;
}
