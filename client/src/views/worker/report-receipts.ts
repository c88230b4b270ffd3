/**
 * The receipt codes of the reports this phone sent, per station, kept in localStorage: a worker has
 * no account, so the code is the only way back to the answer. A few per station, newest first.
 */
const STORAGE_KEY = 'warm-posts.report-receipts';
const PER_STATION = 5;

export interface ReceiptStatus {
  receipt: string;
  station_id: number;
  category: string;
  created_at: string;
  status: 'open' | 'resolved';
  outcome: 'resolved' | 'not_a_problem' | 'needs_union' | null;
  reply: string | null;
}

function readAll(): Record<string, string[]> {
  try {
    const parsed = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

export function receiptsFor(stationId: number): string[] {
  const codes = readAll()[String(stationId)];
  return Array.isArray(codes) ? codes.filter((c) => typeof c === 'string').slice(0, PER_STATION) : [];
}

export function rememberReceipt(stationId: number, code: string): void {
  const all = readAll();
  all[String(stationId)] = [code, ...receiptsFor(stationId).filter((c) => c !== code)].slice(0, PER_STATION);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(all));
  } catch {
    /* storage full or private mode: the code was shown on screen */
  }
}
