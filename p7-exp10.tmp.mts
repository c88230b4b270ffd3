import fs from 'node:fs';
import { openDatabase } from './server/db/client.js';
import { coverageByArea, coveredAreaBySet, listStationSchedules } from './server/modules/coverage/coverage.repository.js';
import { openStationIds } from './server/modules/coverage/open-stations.js';
const h = await openDatabase({ pgliteLoadDataDir: new Blob([fs.readFileSync('/tmp/p7/beijing-1500.tar.gz')]) });
const st = await listStationSchedules(h.db);
const hours = Array.from({ length: 24 }, (_, hh) => openStationIds(st, new Date(`2026-03-04T${String(hh).padStart(2, '0')}:00:00+08:00`)));
const sets = [...new Map(hours.map((s) => [s.join(','), s])).values()];
console.log('sets', sets.length);
for (let i = 0; i < 3; i++) {
  let t = Date.now();
  await coveredAreaBySet(h.db, { level: 'district' }, sets, 500);
  console.log('one statement', Date.now() - t);
  t = Date.now();
  for (const s of sets) await coveredAreaBySet(h.db, { level: 'district' }, [s], 500);
  console.log('per set light', Date.now() - t);
  t = Date.now();
  for (const s of sets) await coverageByArea(h.db, { level: 'district' }, { stationIds: s, extraSites: [], radiusM: 500 });
  console.log('per set table', Date.now() - t);
}
await h.close();
