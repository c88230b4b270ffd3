/**
 * Raster uploads as jobs: the body streams to a temporary file (stopped at the byte cap), the
 * header is checked in the CPU pool (a refusal comes back at once, in the asker's language), then
 * the layer row is written as loading and answered 202; the file is read in the CPU pool and its
 * cells written in one transaction, and the row says loaded or why it failed. The layer is the
 * job's status (GET /api/demand-layers/{id}): any instance answers it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { AppDatabase } from '../../db/client.js';
import { discardBody } from '../../http/request-body.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import { findDemandLayer, type DemandLayerRecord } from './demand.repository.js';
import { localizedError, type Bilingual } from '../../http/localized-errors.js';
import { failUpload, finishUpload, insertUploadRow } from './population/population.repository.js';
import type { PopulationSet } from './population/population-set.js';
import {
  MAX_RASTER_UPLOAD_BYTES,
  MAX_RASTER_UPLOAD_PIXELS,
  type RasterProblem,
} from './population/raster-upload.js';
import { MAX_RASTER_JOBS, type RasterUploadQuery } from './raster-upload.schemas.js';

const M = {
  busy: {
    zh: '正在处理其他栅格上传（每个实例最多同时 {n} 个），请 {s} 秒后重试',
    en: 'Other raster uploads are being read ({n} at once per instance); retry in {s} s',
  },
  tooLarge: {
    zh: '文件超过 {mb} MB 上限，请先裁剪到本地区或用 aggregate 聚合后再上传',
    en: 'The file is larger than {mb} MB; clip it to the region (or aggregate it) first',
  },
  empty: { zh: '请求体为空：请以 image/tiff 上传一个 GeoTIFF 文件', en: 'The body is empty: send one GeoTIFF as image/tiff' },
  contentType: {
    zh: '请以 image/tiff 或 application/octet-stream 上传 GeoTIFF（收到 {type}）',
    en: 'Send the GeoTIFF as image/tiff or application/octet-stream (got {type})',
  },
  notTiff: { zh: '不是可读取的 GeoTIFF 文件（{detail}）', en: 'Not a readable GeoTIFF ({detail})' },
  pixels: {
    zh: '栅格 {w}×{h} 像元超过 {max} 像元上限，请先裁剪或降低分辨率',
    en: 'The raster has {w}×{h} pixels, more than {max}; clip it or coarsen it first',
  },
  bands: {
    zh: '需要单波段人口栅格（每个像元一个人口数），此文件有 {n} 个波段',
    en: 'Expected one band of people per cell; the file has {n} bands',
  },
  crs: {
    zh: '无法识别文件的坐标系（{detail}）；请用 crs 参数给出 proj4 定义',
    en: 'The file’s CRS is not understood ({detail}); pass it as a proj4 definition in crs=',
  },
  unreadable: { zh: '无法读取该栅格：{detail}', en: 'The raster could not be read: {detail}' },
  noLocation: {
    zh: '文件没有地理位置（缺少控制点或仿射变换），请导出为 GeoTIFF 后再上传',
    en: 'The file does not say where it lies (no tie point or transformation); export it as a GeoTIFF',
  },
} satisfies Record<string, Bilingual>;

/** A problem found in the file, as a message in both languages. */
export function describeProblem(problem: RasterProblem): { status: number; message: Bilingual; params: Record<string, string | number> } {
  switch (problem.kind) {
    case 'not_tiff':
      return { status: 400, message: M.notTiff, params: { detail: problem.detail } };
    case 'too_many_pixels':
      return { status: 413, message: M.pixels, params: { w: problem.width, h: problem.height, max: MAX_RASTER_UPLOAD_PIXELS } };
    case 'bands':
      return { status: 422, message: M.bands, params: { n: problem.bands } };
    case 'crs':
      return { status: 422, message: M.crs, params: { detail: problem.detail } };
    case 'no_location':
      return { status: 422, message: M.noLocation, params: {} };
    case 'unreadable':
      return { status: 422, message: M.unreadable, params: { detail: problem.detail } };
  }
}
const fill = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? `{${k}}`));

export class RasterUploads {
  private active = 0;

  constructor(
    private readonly db: AppDatabase,
    private readonly log: Logger,
  ) {}

  /** Streams the body to a temporary file, stopping past the byte cap; the caller removes the folder. */
  private async receive(req: Request): Promise<{ dir: string; file: string; bytes: number }> {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'wp-raster-'));
    const file = path.join(dir, 'upload.tif');
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > MAX_RASTER_UPLOAD_BYTES) done(Object.assign(new Error('too large'), { tooLarge: true }));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(req, counter, fs.createWriteStream(file));
    } catch (error) {
      await fs.promises.rm(dir, { recursive: true, force: true });
      if ((error as { tooLarge?: boolean }).tooLarge) {
        // The rest of the body is not read: the connection closes after the answer.
        req.unpipe();
        req.resume();
        throw localizedError(req, 413, M.tooLarge, { mb: MAX_RASTER_UPLOAD_BYTES / 1024 / 1024 }, { Connection: 'close' });
      }
      throw error;
    }
    return { dir, file, bytes };
  }

  /** Accepts one upload: 202 with the loading layer, or a 4xx/503 before any work is queued. */
  async accept(req: Request, q: RasterUploadQuery): Promise<DemandLayerRecord> {
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!['image/tiff', 'image/geotiff', 'application/octet-stream'].includes(type)) {
      discardBody(req, MAX_RASTER_UPLOAD_BYTES);
      throw localizedError(req, 415, M.contentType, { type: type || 'none' });
    }
    const declared = Number(req.get('content-length'));
    if (Number.isFinite(declared) && declared > MAX_RASTER_UPLOAD_BYTES) {
      throw localizedError(req, 413, M.tooLarge, { mb: MAX_RASTER_UPLOAD_BYTES / 1024 / 1024 }, { Connection: 'close' });
    }
    if (this.active >= MAX_RASTER_JOBS) {
      discardBody(req, MAX_RASTER_UPLOAD_BYTES);
      throw localizedError(req, 503, M.busy, { n: MAX_RASTER_JOBS, s: 30 }, { 'Retry-After': '30' });
    }
    this.active += 1;
    let handedOver = false;
    let dir: string | null = null;
    try {
      const received = await this.receive(req);
      dir = received.dir;
      if (received.bytes === 0) throw localizedError(req, 400, M.empty);
      const header = await runCpuTask('readRasterHeader', { file: received.file, crs: q.crs });
      if ('problem' in header) {
        const { status, message, params } = describeProblem(header.problem);
        throw localizedError(req, status, message, params);
      }
      const id = await insertUploadRow(this.db, {
        name: q.name,
        description: q.description ?? null,
        citation: q.citation ?? null,
        crs: header.header.crs,
      });
      handedOver = true;
      const jobDir = dir;
      void this.run(id, received.file, q).finally(() => {
        this.active -= 1;
        void fs.promises.rm(jobDir, { recursive: true, force: true });
      });
      return (await findDemandLayer(this.db, id))!;
    } finally {
      if (!handedOver) {
        this.active -= 1;
        if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
      }
    }
  }

  /** Reads the file in the CPU pool and writes the cells; the row says loaded or why not. */
  private async run(id: number, file: string, q: RasterUploadQuery): Promise<void> {
    const started = performance.now();
    try {
      const read = await runCpuTask('readRasterUpload', {
        file,
        name: q.name,
        aggregate: q.aggregate,
        crs: q.crs,
        day_type: q.day_type ?? null,
        hour: q.hour ?? null,
      });
      if ('problem' in read) {
        const { message, params } = describeProblem(read.problem);
        await this.fail(id, `${fill(message.en, params)} | ${fill(message.zh, params)}`);
        return;
      }
      const readMs = performance.now() - started;
      await this.write(id, read.set);
      this.log.info(
        { layer: id, cells: read.set.cells.length, readMs: Math.round(readMs), writeMs: Math.round(performance.now() - started - readMs) },
        'raster upload loaded',
      );
    } catch (error) {
      this.log.error({ err: error, layer: id }, 'raster upload failed');
      await this.fail(id, 'The layer could not be written (database error); upload it again | 写入失败（数据库错误），请重新上传').catch(
        (e) => this.log.error({ err: e, layer: id }, 'could not record the failure'),
      );
    }
  }

  /** All cells and the row's figures in one transaction: a failed write leaves the row failed. */
  private async write(id: number, set: PopulationSet): Promise<void> {
    await finishUpload(this.db, id, set);
  }

  private async fail(id: number, message: string): Promise<void> {
    await failUpload(this.db, id, message);
  }
}
