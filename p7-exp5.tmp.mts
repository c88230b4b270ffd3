import fs from 'node:fs';
import { openDatabase } from './server/db/client.js';
import { coveredAreaBySet, listStationSchedules } from './server/modules/coverage/coverage.repository.js';
import { openStationIds } from './server/modules/coverage/open-stations.js';
const h = await openDatabase({ pgliteLoadDataDir: new Blob([fs.readFileSync('/tmp/p7/beijing-1500.tar.gz')]) });
const st = await listStationSchedules(h.db);
const sets = [3, 12, 20].map((hh) => openStationIds(st, new Date(`2026-03-04T${String(hh).padStart(2,'0')}:00:00+08:00`)));
console.log(sets.map((s) => s.length));
const t = Date.now();
try { console.log(await coveredAreaBySet(h.db, { level: 'district' }, sets, 500)); } catch (e) { console.log(e); }
console.log(Date.now() - t);
await h.close();
