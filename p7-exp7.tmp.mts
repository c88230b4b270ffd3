import fs from 'node:fs';
import { openDatabase } from './server/db/client.js';
const h = await openDatabase({ pgliteLoadDataDir: new Blob([fs.readFileSync('/tmp/p7/beijing-1500.tar.gz')]) });
const q = async (text: string) => { try { const r = await h.pglite!.query(text); console.log(JSON.stringify(r.rows).slice(0, 300)); } catch (e) { console.log('ERR', (e as Error).message); } };
console.log('case-clip'); await q(`select a.code, count(*), sum(ST_Area(u.cover)) from districts a left join lateral (select ST_Union(case when ST_Within(b.geom, a.geom) then b.geom else ST_Intersection(ST_ClipByBox2D(a.geom, ST_Expand(b.geom::box2d, 1e-6)), b.geom) end) cover from (select ST_Buffer(geom::geography, 500)::geometry geom from stations) b where b.geom && a.geom) u on true group by 1`);
console.log('clip'); await q(`select a.code, count(*), sum(ST_Area(u.cover)) from districts a left join lateral (select ST_Union(ST_Intersection(ST_ClipByBox2D(a.geom, ST_Expand(b.geom::box2d, 1e-6)), b.geom)) cover from (select ST_Buffer(geom::geography, 500)::geometry geom from stations) b where b.geom && a.geom) u on true group by 1`);
console.log('inter'); await q(`select a.code, count(*), sum(ST_Area(u.cover)) from districts a left join lateral (select ST_Union(ST_Intersection(a.geom, b.geom)) cover from (select ST_Buffer(geom::geography, 500)::geometry geom from stations) b where b.geom && a.geom) u on true group by 1`);
console.log('case-inter'); await q(`select a.code, count(*), sum(ST_Area(u.cover)) from districts a left join lateral (select ST_Union(case when ST_Within(b.geom, a.geom) then b.geom else ST_Intersection(a.geom, b.geom) end) cover from (select ST_Buffer(geom::geography, 500)::geometry geom from stations) b where b.geom && a.geom) u on true group by 1`);
await h.close();
