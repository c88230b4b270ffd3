/** Station photos: listed for anyone, added and removed by the station's managers. */
import { apiGet, apiSend } from '../../lib/api/http.js';
import type { PhotoListing } from '../../../../server/modules/photos/photos.schemas.js';

export type { PhotoListing };
export type PhotoKind = PhotoListing['kind'];
export const PHOTO_KINDS: PhotoKind[] = ['entrance', 'interior', 'sign', 'other'];
/** Mirrors the server's cap (photos.schemas.ts), so the picker can say so before uploading. */
export const MAX_PHOTOS = 5;

export async function listPhotos(stationId: number): Promise<PhotoListing[]> {
  return (await apiGet<{ photos: PhotoListing[] }>(`/api/stations/${stationId}/photos`)).photos;
}

/** The file as chosen (the server re-encodes it); refusals come back in the page's language (http.ts). */
export function addPhoto(stationId: number, file: File, kind: PhotoKind, caption: string): Promise<PhotoListing> {
  const q = new URLSearchParams({ kind });
  if (caption.trim()) q.set('caption', caption.trim());
  return apiSend<PhotoListing>('POST', `/api/stations/${stationId}/photos?${q}`, file, {
    // Some phones give a picked photo no type; the server reads what the bytes are.
    'Content-Type': file.type || 'image/jpeg',
  });
}

export function removePhoto(stationId: number, photoId: number): Promise<void> {
  return apiSend<void>('DELETE', `/api/stations/${stationId}/photos/${photoId}`);
}
