/**
 * Photo uploads: the raw body (one image) read with a byte cap, re-encoded by `sharp`
 * (photo-image.ts) while at most MAX_PHOTO_JOBS run per instance, stored under the per-station
 * limit. Refusals come in the uploader's language and say what to do instead.
 */
import type { Request } from 'express';
import type { AppDatabase } from '../../db/client.js';
import { localizedError, type Bilingual } from '../../http/localized-errors.js';
import { BodyTooLargeError, discardBody, readBodyCapped } from '../../http/request-body.js';
import type { AuthUser } from '../auth/roles.js';
import { MAX_PHOTO_INPUT_PIXELS, publishablePhoto, type PhotoProblem } from './photo-image.js';
import { insertPhotoUnderLimit } from './photos.repository.js';
import {
  MAX_PHOTO_JOBS,
  MAX_PHOTO_UPLOAD_BYTES,
  MAX_PHOTOS_PER_STATION,
  PHOTO_UPLOAD_TYPES,
  type PhotoListing,
  type PhotoUploadQuery,
} from './photos.schemas.js';

const MB = MAX_PHOTO_UPLOAD_BYTES / 1024 / 1024;
const M = {
  contentType: {
    zh: '请上传 JPEG、PNG、WebP 或 HEIC 照片（收到 {type}）',
    en: 'Send a JPEG, PNG, WebP or HEIC photo (got {type})',
  },
  tooLarge: { zh: '照片超过 {mb} MB，请用手机相机的普通画质重新拍摄', en: 'The photo is larger than {mb} MB; take it at normal quality' },
  empty: { zh: '没有收到照片', en: 'No photo was received' },
  unreadable: { zh: '无法读取这张照片（{detail}）', en: 'The photo could not be read ({detail})' },
  format: { zh: '不支持 {format} 格式，请上传 JPEG、PNG 或 WebP 照片', en: 'The {format} format is not supported; send a JPEG, PNG or WebP photo' },
  pixels: {
    zh: '照片 {w}×{h} 像素，超过 {max} 万像素上限',
    en: 'The photo has {w}×{h} pixels, more than {max} megapixels',
  },
  busy: { zh: '正在处理其他照片，请 {s} 秒后重试', en: 'Other photos are being processed; retry in {s} s' },
  noStation: { zh: '没有编号为 {id} 的驿站', en: 'Station not found: {id}' },
  full: {
    zh: '每个驿站最多 {max} 张照片，请先删除一张',
    en: 'A station has at most {max} photos; remove one first',
  },
} satisfies Record<string, Bilingual>;

function problemError(req: Request, problem: PhotoProblem) {
  switch (problem.kind) {
    case 'unreadable':
      return localizedError(req, 400, M.unreadable, { detail: problem.detail.slice(0, 200) });
    case 'format':
      return localizedError(req, 415, M.format, { format: problem.format });
    case 'pixels':
      return localizedError(req, 413, M.pixels, { w: problem.width, h: problem.height, max: MAX_PHOTO_INPUT_PIXELS / 1e6 });
  }
}

export class PhotoUploads {
  private active = 0;

  constructor(private readonly db: AppDatabase) {}

  async add(req: Request, user: AuthUser, stationId: number, q: PhotoUploadQuery): Promise<PhotoListing> {
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!PHOTO_UPLOAD_TYPES.includes(type)) {
      discardBody(req, MAX_PHOTO_UPLOAD_BYTES);
      throw localizedError(req, 415, M.contentType, { type: type || 'none' });
    }
    const declared = Number(req.get('content-length'));
    if (Number.isFinite(declared) && declared > MAX_PHOTO_UPLOAD_BYTES) {
      throw localizedError(req, 413, M.tooLarge, { mb: MB }, { Connection: 'close' });
    }
    if (this.active >= MAX_PHOTO_JOBS) {
      discardBody(req, MAX_PHOTO_UPLOAD_BYTES);
      throw localizedError(req, 503, M.busy, { s: 5 }, { 'Retry-After': '5' });
    }
    this.active += 1;
    try {
      let body: Buffer;
      try {
        body = await readBodyCapped(req, MAX_PHOTO_UPLOAD_BYTES);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          throw localizedError(req, 413, M.tooLarge, { mb: MB }, { Connection: 'close' });
        }
        throw error;
      }
      if (body.length === 0) throw localizedError(req, 400, M.empty);
      const photo = await publishablePhoto(body);
      if ('problem' in photo) throw problemError(req, photo.problem);
      const stored = await insertPhotoUnderLimit(
        this.db,
        { stationId, kind: q.kind, caption: q.caption || null, userId: user.id, username: user.username, max: MAX_PHOTOS_PER_STATION },
        photo,
      );
      if (!stored.ok && stored.reason === 'no_station') throw localizedError(req, 404, M.noStation, { id: stationId });
      if (!stored.ok) throw localizedError(req, 409, M.full, { max: MAX_PHOTOS_PER_STATION });
      return stored.photo;
    } finally {
      this.active -= 1;
    }
  }
}
