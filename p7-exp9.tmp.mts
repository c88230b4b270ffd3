import fs from 'node:fs';
import { openDatabase } from './server/db/client.js';
const h = await openDatabase({ pgliteLoadDataDir: new Blob([fs.readFileSync('/tmp/p7/beijing-1500.tar.gz')]) });
const q = async (name: string, text: string) => { const t = Date.now(); try { const r = await h.pglite!.query(text); console.log(name, Date.now() - t, r.rows.length, JSON.stringify(r.rows).slice(0, 200)); } catch (e) { console.log('ERR', (e as Error).message); } };
const buf = `b as materialized (select ST_Buffer(geom::geography, 500)::geometry geom from stations)`;
for (let i = 0; i < 2; i++) {
await q('subdiv', `with ${buf}, p as materialized (select code, ST_Subdivide(geom, 128) g from districts)
  select sum(coalesce(ST_Area(ST_Intersection(p.g, u.c)::geography), 0)) / 1e6 from p left join lateral (select ST_Union(b.geom) c from b where b.geom && p.g) u on true`);
await q('whole', `with ${buf}
  select sum(coalesce(ST_Area(ST_Intersection(a.geom, u.c)::geography), 0)) / 1e6 from districts a left join lateral (select ST_Union(b.geom) c from b where b.geom && a.geom) u on true`);
await q('whole-diff', `with ${buf}
  select sum(ST_Area(a.geom::geography) - coalesce(ST_Area(ST_Difference(a.geom, u.c)::geography), 0)) / 1e6 from districts a left join lateral (select ST_Union(b.geom) c from b where b.geom && a.geom) u on true`);
await q('subdiv-sub', `with ${buf}, p as materialized (select code, ST_Subdivide(geom, 128) g from subdistricts)
  select sum(coalesce(ST_Area(ST_Intersection(p.g, u.c)::geography), 0)) / 1e6 from p left join lateral (select ST_Union(b.geom) c from b where b.geom && p.g) u on true`);
}
await h.close();
