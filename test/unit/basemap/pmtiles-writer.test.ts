/**
 * The archive writer against the kept reader (the `pmtiles` package the page reads with): every
 * tile reads back byte-equal, the header says the bounds and zooms written, and an archive too big
 * for one root directory gets leaves the reader follows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PMTiles, zxyToTileId, type RangeResponse, type Source } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { PmtilesWriter, serializeDirectory, tileId } from '../../../scripts/lib/basemap/pmtiles-writer.js';

/** The reader's view of a file on disk (what HTTP ranges give a browser). */
class FileBytes implements Source {
  constructor(private readonly file: string) {}
  getKey = () => this.file;
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(this.file, 'r');
    const n = fs.readSync(fd, buffer, 0, length, offset);
    fs.closeSync(fd);
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + n) as ArrayBuffer };
  }
}

const scratch = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pmtiles-')), 'a.pmtiles');

/** Every tile of zooms 0..maxZoom inside a small box, in tile id order. */
function tilesUpTo(maxZoom: number, box = [1.4, 42.4, 1.8, 42.7]) {
  const tiles: Array<[number, number, number]> = [];
  for (let z = 0; z <= maxZoom; z++) {
    const n = 2 ** z;
    const x = (lng: number) => Math.floor(((lng + 180) / 360) * n);
    const y = (lat: number) => {
      const r = (lat * Math.PI) / 180;
      return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
    };
    for (let tx = x(box[0]!); tx <= x(box[2]!); tx++)
      for (let ty = y(box[3]!); ty <= y(box[1]!); ty++) tiles.push([z, tx, ty]);
  }
  return tiles.sort((a, b) => tileId(...a) - tileId(...b));
}

describe('tileId', () => {
  it('equals the reader\'s Hilbert ids (zooms 0–16, corners and random tiles)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let z = 0; z <= 16; z++) {
      const n = 2 ** z;
      const samples: Array<[number, number]> = [[0, 0], [n - 1, 0], [0, n - 1], [n - 1, n - 1]];
      for (let i = 0; i < 50; i++) samples.push([Math.floor(random() * n), Math.floor(random() * n)]);
      for (const [x, y] of samples) expect(tileId(z, x, y), `${z}/${x}/${y}`).toBe(zxyToTileId(z, x, y));
    }
  });

  it('refuses tiles outside their zoom', () => {
    expect(() => tileId(2, 4, 0)).toThrow('tile 2/4/0 is outside zoom 2');
    expect(() => tileId(27, 0, 0)).toThrow(/zoom must be 0–26/);
  });
});

describe('serializeDirectory', () => {
  it('writes a contiguous offset as 0 and a jump as offset + 1', () => {
    const bytes = serializeDirectory([
      { tileId: 0, offset: 0, length: 10, runLength: 1 },
      { tileId: 1, offset: 10, length: 5, runLength: 2 },
      { tileId: 5, offset: 0, length: 10, runLength: 1 },
    ]);
    // count; id deltas; run lengths; lengths; offsets
    expect([...bytes]).toEqual([3, 0, 1, 4, 1, 2, 1, 10, 5, 10, 1, 0, 1]);
  });
});

describe('PmtilesWriter', () => {
  it('tiles read back byte-equal through the pmtiles reader; header bounds, zooms and counts right', async () => {
    const file = scratch();
    const writer = new PmtilesWriter(file);
    const tiles = tilesUpTo(12);
    const content = new Map<string, Buffer>();
    for (const [z, x, y] of tiles) {
      // Half the z12 tiles share one content: stored once, consecutive ones as runs.
      const text = z === 12 && (x + y) % 2 === 0 ? 'same' : `tile ${z}/${x}/${y}`;
      const bytes = gzipSync(text);
      content.set(`${z}/${x}/${y}`, Buffer.from(text));
      writer.addTile(z, x, y, bytes);
    }
    const written = writer.finish({
      bounds: [1.4, 42.4, 1.8, 42.7],
      minZoom: 0,
      maxZoom: 12,
      center: [1.52, 42.51, 10],
      metadata: { name: 'test', vector_layers: [{ id: 'roads', fields: {} }] },
    });
    expect(written.addressedTiles).toBe(tiles.length);
    expect(written.tileContents).toBeLessThan(tiles.length);
    expect(fs.existsSync(`${file}.tiles.tmp`)).toBe(false);

    const archive = new PMTiles(new FileBytes(file));
    const header = await archive.getHeader();
    expect(header).toMatchObject({
      specVersion: 3,
      minZoom: 0,
      maxZoom: 12,
      minLon: 1.4,
      minLat: 42.4,
      maxLon: 1.8,
      maxLat: 42.7,
      centerZoom: 10,
      clustered: true,
      tileType: 1,
      tileCompression: 2,
      internalCompression: 2,
      numAddressedTiles: tiles.length,
    });
    expect(header.centerLon).toBeCloseTo(1.52, 6);
    for (const [z, x, y] of tiles) {
      const got = await archive.getZxy(z, x, y);
      // The reader undoes the tile gzip (tileCompression 2).
      expect(Buffer.from(got!.data).equals(content.get(`${z}/${x}/${y}`)!), `${z}/${x}/${y}`).toBe(true);
    }
    expect(await archive.getZxy(12, 0, 0)).toBeUndefined();
    expect(await archive.getMetadata()).toMatchObject({ name: 'test' });
  });

  it('an archive too big for one root directory gets leaf directories the reader follows', async () => {
    const file = scratch();
    // A root of at most 200 bytes: the ~7,000 tiles' directory (~1 KB gzip) must go to leaves.
    const writer = new PmtilesWriter(file, 200);
    const tiles = tilesUpTo(14, [1.0, 42.0, 2.6, 43.2]);
    expect(tiles.length).toBeGreaterThan(5000);
    for (const [z, x, y] of tiles) writer.addTile(z, x, y, Uint8Array.from([z, x & 255, y & 255, x >> 8, y >> 8]));
    const written = writer.finish({
      bounds: [1.0, 42.0, 2.6, 43.2],
      minZoom: 0,
      maxZoom: 14,
      center: [1.8, 42.6, 8],
      metadata: {},
      tileCompression: 1,
    });
    expect(written.leafDirectories).toBeGreaterThan(1);
    const archive = new PMTiles(new FileBytes(file));
    const header = await archive.getHeader();
    expect(header.rootDirectoryOffset + header.rootDirectoryLength).toBeLessThanOrEqual(16_384);
    for (const [z, x, y] of tiles.filter((_, i) => i % 97 === 0 || i === tiles.length - 1)) {
      const got = new Uint8Array((await archive.getZxy(z, x, y))!.data);
      expect([...got]).toEqual([z, x & 255, y & 255, x >> 8, y >> 8]);
    }
    // The root really is a directory of leaves (run length 0).
    const rootBytes = fs.readFileSync(file).subarray(header.rootDirectoryOffset, header.rootDirectoryOffset + header.rootDirectoryLength);
    expect(gunzipSync(rootBytes)[0]).toBe(written.leafDirectories);
  });

  it('refuses tiles out of id order', () => {
    const writer = new PmtilesWriter(scratch());
    writer.addTile(1, 0, 0, Uint8Array.of(1));
    expect(() => writer.addTile(0, 0, 0, Uint8Array.of(1))).toThrow(/ascending tile id/);
  });
});
