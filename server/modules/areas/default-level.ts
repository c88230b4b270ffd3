/**
 * The level a coverage table or a report summary uses when the request names none: the deployment's
 * own, from the loaded levels, never a level name written in code. Beijing (one city above its
 * districts) gets `district`; a deployment whose top level already has several areas (Andorra's
 * parishes, a country's provinces) gets that top level.
 */
import type { AppDatabase } from '../../db/client.js';
import { HttpError } from '../../http/errors.js';
import { countAreasPerLevel } from './areas.repository.js';

/** Levels with their area counts (top first) → the default level's name, or null when none is loaded. */
export function chooseDefaultLevel(levels: { name: string; count: number }[]): string | null {
  const loaded = levels.filter((l) => l.count > 0);
  const [top, below] = loaded;
  if (!top) return null;
  // A single area on top is the deployment itself (a city): its parts are what a table compares.
  return top.count === 1 && below ? below.name : top.name;
}

export async function defaultAreaLevel(db: AppDatabase): Promise<string | null> {
  return chooseDefaultLevel(await countAreasPerLevel(db));
}

/** `q` with `level` filled in from the data when the request left it out. */
export async function withDefaultLevel<Q extends { level?: string }>(
  db: AppDatabase,
  q: Q,
): Promise<Q & { level: string }> {
  if (q.level !== undefined) return q as Q & { level: string };
  const level = await defaultAreaLevel(db);
  if (!level) {
    throw new HttpError(
      400,
      'No areas are loaded, so there is no level to report on: import boundaries first (npm run import:boundaries or POST /api/areas/import)',
    );
  }
  return { ...q, level };
}
