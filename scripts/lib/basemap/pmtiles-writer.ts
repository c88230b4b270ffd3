/**
 * A small PMTiles v3 writer (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):
 * a 127-byte header, a gzip-compressed root directory within the first 16 KiB, gzip JSON metadata,
 * leaf directories when the root would not fit, then the tile data. Tiles must be added in
 * ascending tile id (Hilbert order; `tileId`), which makes the archive "clustered": one tile's
 * neighbours on the map are its neighbours in the file, so a reader's ranges stay short.
 *
 * Memory: tile bytes go to a temporary file as they come; only the directory entries (a few tens
 * of bytes per tile) and one hash per distinct tile stay in memory. Identical tiles (open water,
 * empty land) are stored once; consecutive ones become one run-length entry.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';

export const HEADER_BYTES = 127;
/** A reader's first request: the header and the root directory must fit in it. */
export const FIRST_READ_BYTES = 16_384;

/** Compression codes and tile types of the spec. */
export const Compression = { None: 1, Gzip: 2 } as const;
export const TileType = { Mvt: 1, Png: 2, Jpeg: 3, Webp: 4 } as const;

export interface DirectoryEntry {
  tileId: number;
  /** Bytes from the start of the tile data section (or of the leaf section for a leaf). */
  offset: number;
  length: number;
  /** Tiles with consecutive ids sharing these bytes; 0 = the entry points at a leaf directory. */
  runLength: number;
}

/**
 * The Hilbert tile id: tiles of every lower zoom first (4^z − 1)/3 of them, then the position of
 * (x, y) along the Hilbert curve filling zoom z.
 */
export function tileId(z: number, x: number, y: number): number {
  if (!Number.isInteger(z) || z < 0 || z > 26) throw new Error(`zoom must be 0–26, got ${z}`);
  const n = 2 ** z;
  if (x < 0 || y < 0 || x >= n || y >= n) throw new Error(`tile ${z}/${x}/${y} is outside zoom ${z}`);
  let d = 0;
  let [tx, ty] = [x, y];
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (tx & s) > 0 ? 1 : 0;
    const ry = (ty & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    // Rotate the quadrant so the curve continues where the last one ended.
    if (ry === 0) {
      if (rx === 1) {
        tx = s - 1 - (tx & (s - 1));
        ty = s - 1 - (ty & (s - 1));
      }
      [tx, ty] = [ty, tx];
    }
  }
  return (4 ** z - 1) / 3 + d;
}

function pushVarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`varint must be a safe non-negative integer, got ${value}`);
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** A directory as the spec lays it out: ids as deltas, then run lengths, lengths, offsets (0 = contiguous). */
export function serializeDirectory(entries: readonly DirectoryEntry[]): Uint8Array {
  const out: number[] = [];
  pushVarint(out, entries.length);
  let last = 0;
  for (const e of entries) {
    pushVarint(out, e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) pushVarint(out, e.runLength);
  for (const e of entries) pushVarint(out, e.length);
  entries.forEach((e, i) => {
    const previous = entries[i - 1];
    pushVarint(out, previous && e.offset === previous.offset + previous.length ? 0 : e.offset + 1);
  });
  return Uint8Array.from(out);
}

export interface ArchiveSummary {
  /** [minLng, minLat, maxLng, maxLat] of the data. */
  bounds: [number, number, number, number];
  minZoom: number;
  maxZoom: number;
  center: [number, number, number];
  /** Written as the archive's JSON metadata (vector_layers, attribution, name…). */
  metadata: Record<string, unknown>;
  tileType?: number;
  /** How the tiles were compressed before `addTile` (default gzip). */
  tileCompression?: number;
}

export interface WrittenArchive {
  bytes: number;
  addressedTiles: number;
  tileEntries: number;
  tileContents: number;
  leafDirectories: number;
}

export class PmtilesWriter {
  private readonly dataPath: string;
  private readonly data: number;
  private dataLength = 0;
  private readonly entries: DirectoryEntry[] = [];
  private readonly byHash = new Map<string, { offset: number; length: number }>();
  private lastId = -1;

  /**
   * @param rootRoom - bytes the compressed root directory may take (the first read less the
   *   header); smaller only in tests, to exercise leaf directories without a city's worth of tiles
   */
  constructor(
    private readonly path: string,
    private readonly rootRoom = FIRST_READ_BYTES - HEADER_BYTES,
  ) {
    this.dataPath = `${path}.tiles.tmp`;
    this.data = fs.openSync(this.dataPath, 'w');
  }

  /** Adds one tile's bytes (already compressed as `tileCompression` says); ids must ascend. */
  addTile(z: number, x: number, y: number, bytes: Uint8Array): void {
    const id = tileId(z, x, y);
    if (id <= this.lastId) throw new Error(`tiles must be added in ascending tile id: ${z}/${x}/${y} came late`);
    this.lastId = id;
    const hash = createHash('sha256').update(bytes).digest('base64');
    const seen = this.byHash.get(hash);
    const previous = this.entries.at(-1);
    if (seen && previous && previous.offset === seen.offset && previous.tileId + previous.runLength === id) {
      previous.runLength++;
      return;
    }
    if (seen) {
      this.entries.push({ tileId: id, offset: seen.offset, length: seen.length, runLength: 1 });
      return;
    }
    fs.writeSync(this.data, bytes, 0, bytes.length, this.dataLength);
    const stored = { offset: this.dataLength, length: bytes.length };
    this.dataLength += bytes.length;
    this.byHash.set(hash, stored);
    this.entries.push({ tileId: id, ...stored, runLength: 1 });
  }

  /** Writes the archive: header, root directory, metadata, leaves, tiles. */
  finish(summary: ArchiveSummary): WrittenArchive {
    fs.closeSync(this.data);
    try {
      if (this.entries.length === 0) throw new Error('no tiles: nothing in the extract to draw');
      const { root, leaves, leafCount } = this.directories();
      const metadata = gzipSync(JSON.stringify(summary.metadata));
      const rootOffset = HEADER_BYTES;
      const metadataOffset = rootOffset + root.length;
      const leafOffset = metadataOffset + metadata.length;
      const tileOffset = leafOffset + leaves.length;
      const header = Buffer.alloc(HEADER_BYTES);
      header.write('PMTiles', 0, 'ascii');
      header.writeUInt8(3, 7);
      const u64 = (value: number, at: number) => header.writeBigUInt64LE(BigInt(value), at);
      u64(rootOffset, 8);
      u64(root.length, 16);
      u64(metadataOffset, 24);
      u64(metadata.length, 32);
      u64(leafOffset, 40);
      u64(leaves.length, 48);
      u64(tileOffset, 56);
      u64(this.dataLength, 64);
      u64(this.entries.reduce((n, e) => n + e.runLength, 0), 72);
      u64(this.entries.length, 80);
      u64(this.byHash.size, 88);
      header.writeUInt8(1, 96); // clustered: tiles were added in id order
      header.writeUInt8(Compression.Gzip, 97);
      header.writeUInt8(summary.tileCompression ?? Compression.Gzip, 98);
      header.writeUInt8(summary.tileType ?? TileType.Mvt, 99);
      header.writeUInt8(summary.minZoom, 100);
      header.writeUInt8(summary.maxZoom, 101);
      const e7 = (deg: number, at: number) => header.writeInt32LE(Math.round(deg * 1e7), at);
      e7(summary.bounds[0], 102);
      e7(summary.bounds[1], 106);
      e7(summary.bounds[2], 110);
      e7(summary.bounds[3], 114);
      header.writeUInt8(summary.center[2], 118);
      e7(summary.center[0], 119);
      e7(summary.center[1], 123);

      const out = fs.openSync(this.path, 'w');
      try {
        let at = 0;
        for (const part of [header, root, metadata, leaves]) {
          fs.writeSync(out, part, 0, part.length, at);
          at += part.length;
        }
        // The tiles, copied in 1 MiB pieces (never the whole section in memory).
        const input = fs.openSync(this.dataPath, 'r');
        const piece = Buffer.alloc(1 << 20);
        for (let read = 0; read < this.dataLength; ) {
          const n = fs.readSync(input, piece, 0, piece.length, read);
          fs.writeSync(out, piece, 0, n, at);
          at += n;
          read += n;
        }
        fs.closeSync(input);
        return {
          bytes: at,
          addressedTiles: this.entries.reduce((n, e) => n + e.runLength, 0),
          tileEntries: this.entries.length,
          tileContents: this.byHash.size,
          leafDirectories: leafCount,
        };
      } finally {
        fs.closeSync(out);
      }
    } finally {
      fs.rmSync(this.dataPath, { force: true });
    }
  }

  /** The root alone when it fits in the first read; else leaves of growing size until the root does. */
  private directories(): { root: Buffer; leaves: Buffer; leafCount: number } {
    const room = this.rootRoom;
    const root = gzipSync(serializeDirectory(this.entries));
    if (root.length <= room) return { root, leaves: Buffer.alloc(0), leafCount: 0 };
    for (let leafSize = 4096; ; leafSize *= 2) {
      const leafParts: Buffer[] = [];
      const rootEntries: DirectoryEntry[] = [];
      let offset = 0;
      for (let i = 0; i < this.entries.length; i += leafSize) {
        const chunk = this.entries.slice(i, i + leafSize);
        const leaf = gzipSync(serializeDirectory(chunk));
        rootEntries.push({ tileId: chunk[0]!.tileId, offset, length: leaf.length, runLength: 0 });
        leafParts.push(leaf);
        offset += leaf.length;
      }
      const leafRoot = gzipSync(serializeDirectory(rootEntries));
      if (leafRoot.length <= room) return { root: leafRoot, leaves: Buffer.concat(leafParts), leafCount: leafParts.length };
    }
  }
}
