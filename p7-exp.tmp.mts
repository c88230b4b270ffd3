import fs from 'node:fs';
import { openDatabase, queryRows, sql } from './server/db/client.js';
import { coverageByArea, coverageGaps, listStationSchedules } from './server/modules/coverage/coverage.repository.js';
const h = await openDatabase({ pgliteLoadDataDir: new Blob([fs.readFileSync('/tmp/p7/beijing-1500.tar.gz')]) });
let t = Date.now();
const st = await listStationSchedules(h.db);
console.log('schedules', st.length, Date.now() - t);
const ids = st.map((s) => s.id);
for (const level of ["subdistrict", "district", "subdistrict", "district", "subdistrict"] as const) {
  t = Date.now();
  const rows = await coverageByArea(h.db, { level }, { stationIds: ids, extraSites: [], radiusM: 500 });
  console.log(level, rows.length, Date.now() - t, rows[0]);
}
t = Date.now();
const gaps = await coverageGaps(h.db, { level: 'district', area: '110105' }, { stationIds: ids, extraSites: [], radiusM: 500 }, 0);
console.log('gaps', gaps.length, Date.now() - t, JSON.stringify(gaps[0]?.geometry).length);
await h.close();
