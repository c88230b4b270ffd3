import { Router } from 'express';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client.js';
import { localizedError, localizedZodError } from '../../http/localized-errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { discardBody } from '../../http/request-body.js';
import { requireStationAccess, unauthenticated } from '../auth/auth.middleware.js';
import { StationIdParam } from '../stations/station-edits.schemas.js';
import { stationIdOf } from '../stations/station-edits.routes.js';
import { deleteStationPhoto, listStationPhotos, readPhotoFile } from './photos.repository.js';
import {
  MAX_PHOTO_JOBS,
  MAX_PHOTO_UPLOAD_BYTES,
  MAX_PHOTOS_PER_STATION,
  PhotoFileQuerySchema,
  PhotoIdParam,
  PhotoSchema,
  PhotoUploadQuerySchema,
  PHOTO_UPLOAD_TYPES,
} from './photos.schemas.js';
import { PhotoUploads } from './photos.service.js';

const UPLOAD_WHAT = { zh: '照片上传', en: 'Photo upload' };
const PHOTO_WHAT = { zh: '照片', en: 'Photo' };
const PHOTO_NOT_FOUND = { zh: '没有这张照片（{id}）', en: 'Photo not found: {id}' };

/** Station photos: anyone reads them; a station's managers (and admins) add and remove them. */
export function photosRouter(db: AppDatabase): Router {
  const router = Router();
  const uploads = new PhotoUploads(db);
  const access = requireStationAccess(stationIdOf);

  router.get('/stations/:id/photos', async (req, res) => {
    const id = stationIdOf(req);
    res.set('Cache-Control', 'no-cache').json({ station_id: id, photos: await listStationPhotos(db, id) });
  });

  router.post('/stations/:id/photos', access, async (req, res) => {
    const parsed = PhotoUploadQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      discardBody(req, MAX_PHOTO_UPLOAD_BYTES);
      throw localizedZodError(req, parsed.error, UPLOAD_WHAT);
    }
    if (!req.user) throw unauthenticated();
    const photo = await uploads.add(req, req.user, stationIdOf(req), parsed.data);
    res.status(201).location(photo.url).json(photo);
  });

  router.delete('/stations/:id/photos/:photoId', access, async (req, res) => {
    const photoId = PhotoIdParam.safeParse(req.params.photoId);
    if (!photoId.success) throw localizedZodError(req, photoId.error, PHOTO_WHAT);
    if (!(await deleteStationPhoto(db, stationIdOf(req), photoId.data))) {
      throw localizedError(req, 404, PHOTO_NOT_FOUND, { id: photoId.data });
    }
    res.status(204).end();
  });

  router.get('/photos/:id', async (req, res) => {
    const id = PhotoIdParam.safeParse(req.params.id);
    if (!id.success) throw localizedZodError(req, id.error, PHOTO_WHAT);
    const q = PhotoFileQuerySchema.safeParse(req.query);
    if (!q.success) throw localizedZodError(req, q.error, PHOTO_WHAT);
    const file = await readPhotoFile(db, id.data, q.data.size);
    if (!file) throw localizedError(req, 404, PHOTO_NOT_FOUND, { id: id.data });
    const etag = `"${file.sha256.slice(0, 32)}${q.data.size === 'thumb' ? '-t' : ''}"`;
    // Addresses from a listing carry the hash (v=): that address never changes its bytes.
    const pinned = req.query.v === file.sha256.slice(0, 12);
    res
      .set('ETag', etag)
      .set('Cache-Control', pinned ? 'public, max-age=31536000, immutable' : 'public, no-cache')
      .set('X-Content-Type-Options', 'nosniff');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.type('image/webp').send(file.bytes);
  });

  return router;
}

const tags = ['station photos'];
const stationParams = z.object({ id: StationIdParam });
export const PHOTOS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/stations/{id}/photos',
    summary: 'A station’s photos (entrance, interior, sign), oldest first',
    tags,
    params: stationParams,
    responses: {
      '200': { description: 'Photos; the bytes are at url and thumbnail_url', schema: z.object({ station_id: z.number().int(), photos: z.array(PhotoSchema) }) },
    },
  },
  {
    method: 'post',
    path: '/api/stations/{id}/photos',
    summary: `Add a photo to a station (its managers, admins); at most ${MAX_PHOTOS_PER_STATION} per station`,
    description:
      `The raw body is one image (${PHOTO_UPLOAD_TYPES.join(', ')}), at most ${MAX_PHOTO_UPLOAD_BYTES / 1024 / 1024} MB. ` +
      'It is turned upright by its EXIF orientation, shrunk to 1600 px (and a 480 px thumbnail) and re-encoded as WebP: ' +
      `EXIF, GPS position and other metadata are not kept. ${MAX_PHOTO_JOBS} are processed at once per instance. ` +
      'Errors in the language of lang= or Accept-Language.',
    tags,
    params: stationParams,
    query: PhotoUploadQuerySchema,
    upload: { contentTypes: PHOTO_UPLOAD_TYPES, description: 'one photo' },
    access: 'session',
    responses: {
      '201': { description: 'Stored (Location: the image)', schema: PhotoSchema },
      '400': 'Invalid query, empty body or not a readable image (in zh or en)',
      '401': 'Sign in',
      '403': 'Not a manager of this station, or no CSRF token',
      '404': 'No such station',
      '409': `The station already has ${MAX_PHOTOS_PER_STATION} photos`,
      '413': 'File or pixel count over the cap',
      '415': 'Not an image type accepted',
      '503': 'Other photos are being processed: retry after Retry-After seconds',
    },
  },
  {
    method: 'delete',
    path: '/api/stations/{id}/photos/{photoId}',
    summary: 'Remove a photo (the station’s managers, admins)',
    tags,
    params: stationParams.extend({ photoId: PhotoIdParam }),
    access: 'session',
    responses: { '204': 'Removed', '403': 'Not a manager of this station', '404': 'No such photo of this station' },
  },
  {
    method: 'get',
    path: '/api/photos/{id}',
    summary: 'A photo’s bytes (WebP); size=thumb for the 480 px thumbnail',
    description: 'ETag and If-None-Match (304); addresses from a listing (with v=) are immutable.',
    tags,
    params: z.object({ id: PhotoIdParam }),
    query: PhotoFileQuerySchema,
    responses: { '200': 'The image (image/webp)', '304': 'Not modified (If-None-Match)', '404': 'No such photo' },
  },
];
