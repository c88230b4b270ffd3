/**
 * Optimistic concurrency for re-imported exports. An export carries each station's version; a
 * row whose version is older than the stored station's is checked against the history recorded
 * since: a field the row would change that someone else changed since is a conflict (the row would
 * silently undo their edit). Fields nobody touched since are the importer's own edits and apply.
 * Conflicts block the commit unless the caller asks to overwrite them.
 */
import type { RecordedChange } from './bulk.repository.js';
import type { PlannedRow } from './import-plan.js';

export type OnConflict = 'refuse' | 'overwrite';

const shown = (value: unknown) => {
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value ?? null);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
};

/** The stale updates to look up: station and the version their file was exported at. */
export function staleRows(planned: PlannedRow[]): { station_id: number; version: number }[] {
  return planned.flatMap((p) =>
    p.stale && p.station_id !== undefined
      ? [{ station_id: p.station_id, version: p.stale.fileVersion }]
      : [],
  );
}

/** Marks stale rows that would undo a later change as conflicts (or, overwriting, warns). */
export function markConflicts(
  planned: PlannedRow[],
  history: RecordedChange[],
  onConflict: OnConflict,
): void {
  const byStation = new Map<number, RecordedChange[]>();
  for (const change of history) {
    const list = byStation.get(change.station_id) ?? [];
    list.push(change);
    byStation.set(change.station_id, list);
  }
  for (const row of planned) {
    if (!row.stale || row.action !== 'update' || !row.changes) continue;
    const since = byStation.get(row.station_id!) ?? [];
    const found = [];
    for (const [field, change] of Object.entries(row.changes)) {
      const first = since.find((c) => field in c.changes);
      if (!first) continue;
      const who = [...new Set(since.filter((c) => field in c.changes).map((c) => c.username))];
      found.push({
        field,
        problem: `changed since your file (version ${row.stale.fileVersion}; now ${row.stale.version}, by ${who.join(', ')}): was ${shown(first.changes[field]!.before)}, now ${shown(change.before)}; your file would set ${shown(change.after)}`,
      });
    }
    if (!found.length) continue;
    if (onConflict === 'overwrite') {
      row.warnings.push(...found.map((c) => ({ ...c, problem: `overwritten: ${c.problem}` })));
    } else {
      row.action = 'conflict';
      row.problems.push(...found);
    }
  }
}
