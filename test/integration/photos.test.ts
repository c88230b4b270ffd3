/**
 * Station photos on the real database (PGlite, or the server of TEST_DATABASE_URL): a phone photo
 * with GPS in its EXIF goes in, comes out upright, shrunk, WebP and without any metadata; limits,
 * access and refusals in the uploader's language.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let mine: number;
let other: number;
let manager: LoggedIn;
let admin: LoggedIn;
let phonePhoto: Buffer;

/** 3000×2000 pixels stored sideways (EXIF orientation 6), with the phone's make and a GPS position. */
async function sidewaysPhoneJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 27/1', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 50/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

const upload = (stationId: number, body: Buffer | string, headers: Record<string, string>, query = 'kind=entrance') =>
  server.request(`/api/stations/${stationId}/photos?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
const asManager = (): Record<string, string> => ({ ...manager.headers, 'content-type': 'image/jpeg' });

async function bytesOf(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.baseUrl}${url}`, { headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  mine = (await newStation(db, { lng: 116.4015, lat: 39.9087, name: '东城站' })).id;
  other = (await newStation(db, { lng: 116.3105, lat: 39.9834, name: '海淀站' })).id;
  await createUser(db, { username: 'wang', password: 'manager-password-1', role: 'manager', stationIds: [mine] });
  await createUser(db, { username: 'root', password: 'admin-password-1', role: 'admin' });
  manager = await loginAs(server, 'wang', 'manager-password-1');
  admin = await loginAs(server, 'root', 'admin-password-1');
  phonePhoto = await sidewaysPhoneJpeg();
});

afterAll(async () => {
  await server?.close();
});

describe('station photos', () => {
  it('stores a phone photo upright, at most 1600 px, as WebP with no EXIF or position, and serves it to anyone', async () => {
    const before = await sharp(phonePhoto).metadata();
    expect(before.exif?.toString('latin1')).toContain('PhoneCo');
    const res = await upload(mine, phonePhoto, asManager(), 'kind=entrance&caption=' + encodeURIComponent('东门入口'));
    expect(res.status).toBe(201);
    // Turned upright: the sideways 3000×2000 is a 2000×3000 portrait, shrunk to 1600 px high.
    expect(res.body).toMatchObject({ station_id: mine, kind: 'entrance', caption: '东门入口', width: 1067, height: 1600, added_by: 'wang' });
    expect(res.headers.get('location')).toBe(res.body.url);

    const listed = await server.get(`/api/stations/${mine}/photos`);
    expect(listed.status).toBe(200);
    expect(listed.body.photos.map((p: { id: number }) => p.id)).toEqual([res.body.id]);

    const full = await bytesOf(res.body.url);
    expect(full.res.status).toBe(200);
    expect(full.res.headers.get('content-type')).toBe('image/webp');
    expect(full.res.headers.get('cache-control')).toContain('immutable');
    const meta = await sharp(full.bytes).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 1067, height: 1600 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(full.bytes.toString('latin1')).not.toMatch(/PhoneCo|GPS/);

    const thumb = await bytesOf(res.body.thumbnail_url);
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 320, height: 480 });
    // A browser that has it asks again with its ETag and gets no bytes.
    const again = await bytesOf(`/api/photos/${res.body.id}`, { 'if-none-match': full.res.headers.get('etag')! });
    expect(again.res.status).toBe(304);
  });

  it('lets only the station\'s managers and admins add or remove photos', async () => {
    expect((await upload(mine, phonePhoto, {})).status).toBe(401);
    const notMine = await upload(other, phonePhoto, asManager());
    expect(notMine.status).toBe(403);
    // A cookie without the CSRF token is refused before the body is read.
    const { 'x-csrf-token': _, ...noCsrf } = asManager();
    expect((await upload(mine, phonePhoto, noCsrf)).status).toBe(403);
    const byAdmin = await upload(other, phonePhoto, { ...admin.headers, 'content-type': 'image/jpeg' }, 'kind=sign');
    expect(byAdmin.status).toBe(201);
    expect((await server.request(`/api/stations/${other}/photos/${byAdmin.body.id}`, { method: 'DELETE', headers: manager.headers })).status).toBe(403);
    expect((await server.request(`/api/stations/${other}/photos/${byAdmin.body.id}`, { method: 'DELETE', headers: admin.headers })).status).toBe(204);
    expect((await server.request(`/api/stations/${other}/photos/${byAdmin.body.id}`, { method: 'DELETE', headers: admin.headers })).status).toBe(404);
    expect((await bytesOf(byAdmin.body.url)).res.status).toBe(404);
  });

  it('refuses what is not a photo, too large, or a kind it does not know, in the uploader\'s language', async () => {
    const text = await upload(mine, 'hello', { ...asManager(), 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.body.error).toContain('JPEG');
    const garbage = await upload(mine, Buffer.from('not really a jpeg'), asManager());
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toMatch(/无法读取这张照片/);
    const english = await upload(mine, Buffer.from('not really a jpeg'), { ...asManager(), 'accept-language': 'en' });
    expect(english.body.error).toMatch(/could not be read/);
    const kind = await upload(mine, phonePhoto, asManager(), 'kind=selfie');
    expect(kind.status).toBe(400);
    expect(kind.body.error).toMatch(/照片上传参数有误.*kind/);
    const empty = await upload(mine, Buffer.alloc(0), asManager());
    expect(empty.status).toBe(400);
    // 16 MB of zeros: refused once past the 15 MB cap, without reading the rest.
    const big = await upload(mine, Buffer.alloc(16 * 1024 * 1024), asManager());
    expect(big.status).toBe(413);
    expect(big.body.error).toContain('15 MB');
  });

  it('keeps at most five photos per station, also when uploads race', async () => {
    const existing = (await server.get(`/api/stations/${mine}/photos`)).body.photos.length;
    for (let i = existing; i < 4; i++) expect((await upload(mine, phonePhoto, asManager(), 'kind=interior')).status).toBe(201);
    // Two at once for the last place: exactly one gets it.
    const statuses = (await Promise.all([upload(mine, phonePhoto, asManager()), upload(mine, phonePhoto, asManager())])).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    const full = await upload(mine, phonePhoto, asManager());
    expect(full.status).toBe(409);
    expect(full.body.error).toContain('最多 5 张');
    expect((await server.get(`/api/stations/${mine}/photos`)).body.photos).toHaveLength(5);
  });

  it('removes a station\'s photos with the station', async () => {
    const station = await newStation(server.database.handle.db, { lng: 116.40, lat: 39.91, name: '临时站' });
    const added = await upload(station.id, phonePhoto, { ...admin.headers, 'content-type': 'image/jpeg' });
    expect(added.status).toBe(201);
    const removed = await server.request(`/api/stations/${station.id}`, {
      method: 'DELETE',
      headers: { ...admin.headers, 'if-match': `"${station.version}"` },
    });
    expect(removed.status).toBe(204);
    expect((await bytesOf(added.body.url)).res.status).toBe(404);
  });
});
