/**
 * A write through this instance is seen by its very next read, even when the change notification
 * has not come yet. The mirror here listens on a channel nobody notifies, so it trusts its copy
 * for a minute: only the write barrier can make the read check the database.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StationMirror } from '../../server/modules/stations/station-mirror.js';
import { staleMirrorAfterWrites } from '../../server/modules/stations/read-your-writes.js';
import { createTestDatabase, type TestDatabase } from '../setup/database.js';
import { newStation } from '../setup/factories.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function serve(withBarrier: boolean) {
  const db = database.handle.db;
  const mirror = new StationMirror(db, { trustListenerMs: 60_000, channel: 'nobody_notifies_here' });
  await mirror.listen(database.handle);
  const app = express();
  if (withBarrier) app.use(staleMirrorAfterWrites(mirror));
  app.delete('/stations/:id', async (req, res) => {
    await db.execute(sql`delete from stations where id = ${Number(req.params.id)}`);
    res.status(204).end();
  });
  app.get('/stations', async (_req, res) => {
    const { snapshot } = await mirror.current();
    res.json(snapshot.stations.map((s) => s.id));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ids = async () => (await (await fetch(`${base}/stations`)).json()) as number[];
  const remove = (id: number) => fetch(`${base}/stations/${id}`, { method: 'DELETE' });
  return { ids, remove, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('read-your-writes through the station mirror', () => {
  it('without the barrier the copy is stale (what the barrier is for), with it the next read is current', async () => {
    const a = await newStation(database.handle.db, { lng: 116.39, lat: 39.9 });
    const b = await newStation(database.handle.db, { lng: 116.4, lat: 39.91 });

    const plain = await serve(false);
    expect(await plain.ids()).toContain(a.id);
    await plain.remove(a.id);
    expect(await plain.ids()).toContain(a.id);
    await plain.close();

    const guarded = await serve(true);
    expect(await guarded.ids()).toContain(b.id);
    await guarded.remove(b.id);
    expect(await guarded.ids()).not.toContain(b.id);
    await guarded.close();
  });
});
