/**
 * A manager's photo made fit to publish, with `sharp` (libvips, off the event loop in libuv's
 * threads): turned upright by its EXIF orientation, shrunk to at most 1600 px (and a 480 px
 * thumbnail), re-encoded as WebP. Re-encoding writes no metadata, so EXIF (GPS position, phone
 * model, time) and XMP never reach the public.
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';

export const PHOTO_MAX_SIDE_PX = 1600;
export const THUMBNAIL_MAX_SIDE_PX = 480;
/** A 50-megapixel phone camera is the largest input worth decoding; past it libvips refuses. */
export const MAX_PHOTO_INPUT_PIXELS = 50_000_000;
export const PHOTO_INPUT_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'heif', 'gif', 'tiff'] as const;

export interface PublishedPhoto {
  image: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
  sha256: string;
}

export type PhotoProblem = { kind: 'unreadable'; detail: string } | { kind: 'format'; format: string } | { kind: 'pixels'; width: number; height: number };

export async function publishablePhoto(input: Buffer): Promise<PublishedPhoto | { problem: PhotoProblem }> {
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (error) {
    return { problem: { kind: 'unreadable', detail: (error as Error).message } };
  }
  if (!meta.format || !(PHOTO_INPUT_FORMATS as readonly string[]).includes(meta.format)) {
    return { problem: { kind: 'format', format: meta.format ?? 'unknown' } };
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_PHOTO_INPUT_PIXELS) return { problem: { kind: 'pixels', width, height } };
  try {
    // One decode, two outputs: the upright, shrunk image is cloned for the thumbnail.
    const upright = sharp(input, { limitInputPixels: MAX_PHOTO_INPUT_PIXELS, failOn: 'error' }).rotate();
    const large = await upright
      .clone()
      .resize({ width: PHOTO_MAX_SIDE_PX, height: PHOTO_MAX_SIDE_PX, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    const thumbnail = await upright
      .clone()
      .resize({ width: THUMBNAIL_MAX_SIDE_PX, height: THUMBNAIL_MAX_SIDE_PX, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer();
    return {
      image: large.data,
      thumbnail,
      width: large.info.width,
      height: large.info.height,
      sha256: createHash('sha256').update(large.data).digest('hex'),
    };
  } catch (error) {
    return { problem: { kind: 'unreadable', detail: (error as Error).message } };
  }
}
