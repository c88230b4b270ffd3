import type { AppDatabase } from '../../server/db/client.js';
import {
  findStationById,
  insertStations,
  type NewStation,
  type StationRecord,
} from '../../server/modules/stations/stations.repository.js';

let counter = 0;

/** A station with plausible defaults; pass only what the test is about. */
export async function newStation(
  db: AppDatabase,
  overrides: Partial<NewStation> & { lng: number; lat: number },
): Promise<StationRecord> {
  counter += 1;
  const [id] = await insertStations(db, [
    {
      name: `测试驿站 ${counter}`,
      kind: 'warm_post',
      amenities: { hot_water: 'available' },
      opening_hours: '24/7',
      ...overrides,
    },
  ]);
  return (await findStationById(db, id!))!;
}
