import fs from 'node:fs';
import { openDatabase } from './server/db/client.js';
import { listStationSchedules } from './server/modules/coverage/coverage.repository.js';
import { openStationIds } from './server/modules/coverage/open-stations.js';
const h = await openDatabase({ pgliteLoadDataDir: new Blob([fs.readFileSync('/tmp/p7/beijing-1500.tar.gz')]) });
const st = await listStationSchedules(h.db);
const sets = [3, 12].map((hh) => openStationIds(st, new Date(`2026-03-04T${String(hh).padStart(2,'0')}:00:00+08:00`)));
const lit = `{${sets.map((ids) => `"{${ids.join(',')}}"`).join(',')}}`;
const all = `{${[...new Set(sets.flat())].join(',')}}`;
const q = async (text: string) => { try { const r = await h.pglite!.query(text, [lit, all]); console.log(JSON.stringify(r.rows).slice(0, 300)); } catch (e) { console.log('ERR', (e as Error).message); } };
await q(`select count(*) from unnest($1::text[]) with ordinality as t(ids, k) where $2::text is not null`);
await q(`with sets as (select (t.k - 1)::int as set_index, t.ids::int[] as ids from unnest($1::text[]) with ordinality as t(ids, k)) select s.set_index, count(*) from sets s cross join districts a where $2::text is not null group by 1`);
await q(`with sets as (select (t.k - 1)::int as set_index, t.ids::int[] as ids from unnest($1::text[]) with ordinality as t(ids, k)),
 site_buffers as materialized (select id, ST_Buffer(geom::geography, 500)::geometry as geom from stations where id = any($2::int[]))
 select s.set_index, count(*) from sets s cross join districts a left join lateral (select count(*) n from site_buffers b where b.id = any(s.ids) and b.geom && a.geom) u on true group by 1`);
await q(`with sets as (select (t.k - 1)::int as set_index, t.ids::int[] as ids from unnest($1::text[]) with ordinality as t(ids, k)),
 site_buffers as materialized (select id, ST_Buffer(geom::geography, 500)::geometry as geom from stations where id = any($2::int[]))
 select s.set_index, count(*), sum(ST_Area(u.cover)) from sets s cross join districts a left join lateral (select ST_Union(b.geom) cover from site_buffers b where b.id = any(s.ids) and b.geom && a.geom) u on true group by 1`);
await h.close();
