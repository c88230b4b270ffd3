import fs from 'node:fs';
import { openDatabase } from './server/db/client.js';
import { coverageTimeline } from './server/modules/coverage/coverage-timeline.js';
import { coverageReport } from './server/modules/coverage/coverage.service.js';
import { CoverageQuerySchema, TimelineQuerySchema } from './server/modules/coverage/coverage.schemas.js';
const h = await openDatabase({ pgliteLoadDataDir: new Blob([fs.readFileSync('/tmp/p7/beijing-1500.tar.gz')]) });
for (let i = 0; i < 3; i++) {
  let t = Date.now();
  const tl = await coverageTimeline(h.db, TimelineQuerySchema.parse({ date: '2026-03-04' }));
  console.log('timeline', Date.now() - t, tl.computations, tl.hours.map((x) => x.covered_pct).join(' '));
  t = Date.now();
  const rows = [];
  for (const hour of [3, 12]) {
    const r = await coverageReport(h.db, CoverageQuerySchema.parse({ at: `2026-03-04T${String(hour).padStart(2, '0')}:00` }));
    rows.push(r.totals.covered_pct);
  }
  console.log('table at 3 and 12', Date.now() - t, rows);
}
await h.close();
