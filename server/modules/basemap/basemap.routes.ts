/**
 * The self-hosted basemap (BASEMAP=pmtiles): the archive served as a file a PMTiles reader reads by
 * HTTP range requests — the header and root directory first, then directories and tiles — so the
 * same process that answers the API is the tile server, with nothing to run beside it.
 */
import fs from 'node:fs';
import { Router } from 'express';
import type { Logger } from 'pino';
import { notFound } from '../../http/errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { PMTILES_PATH, type BasemapConfig } from './basemap.config.js';
import { parseByteRange } from './byte-range.js';

/** The most one request may read (a tile or a leaf directory is far smaller: 500 KB is already a huge tile). */
export const MAX_RANGE_BYTES = 1 << 20;

export function basemapRouter(basemap: BasemapConfig, logger: Logger): Router {
  const router = Router();
  const file = basemap.pmtiles_path;
  router.get(PMTILES_PATH.replace('/api', ''), async (req, res, next) => {
    try {
      if (!file) throw notFound('No PMTiles basemap is configured (BASEMAP=pmtiles, BASEMAP_PMTILES)');
      // Stat on each request: a rebuilt archive is picked up, and its ETag changes with it.
      const stat = await fs.promises.stat(file);
      const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
      res.set({
        'Accept-Ranges': 'bytes',
        ETag: etag,
        'Content-Type': 'application/vnd.pmtiles',
        // Tiles change only when the deployer rebuilds the archive: cache, but revalidate daily.
        // no-transform: tiles are gzip inside, and a compressed 206 would break the byte offsets
        // (the compression middleware honours it).
        'Cache-Control': 'public, max-age=86400, no-transform',
      });
      const ifRange = req.headers['if-range'];
      const rangeHeader = ifRange && ifRange !== etag ? undefined : req.headers.range;
      const answer = parseByteRange(rangeHeader, stat.size, MAX_RANGE_BYTES);
      if (answer.kind === 'unsatisfiable') {
        // The error body every route answers with ({ error }), and the size a client may retry within.
        res.status(416).set('Content-Range', `bytes */${stat.size}`).json({ error: answer.reason });
        return;
      }
      if (answer.kind === 'whole') {
        // A plain download (curl, a mirror): streamed, never held in memory.
        res.status(200).set('Content-Length', String(stat.size));
        fs.createReadStream(file).on('error', next).pipe(res);
        return;
      }
      const { start, end } = answer.range;
      const length = end - start + 1;
      const buffer = Buffer.alloc(length);
      const handle = await fs.promises.open(file, 'r');
      try {
        let read = 0;
        while (read < length) {
          const { bytesRead } = await handle.read(buffer, read, length - read, start + read);
          if (bytesRead === 0) break;
          read += bytesRead;
        }
        res
          .status(206)
          .set('Content-Range', `bytes ${start}-${start + read - 1}/${stat.size}`)
          .set('Content-Length', String(read))
          .end(buffer.subarray(0, read));
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        logger.error({ file }, 'the PMTiles archive is gone');
        next(notFound('The basemap archive is missing on the server'));
        return;
      }
      next(error);
    }
  });
  return router;
}

export const BASEMAP_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: PMTILES_PATH,
    summary: 'The self-hosted basemap as a PMTiles v3 archive, read with HTTP Range requests (BASEMAP=pmtiles)',
    description:
      `One range per request (\`bytes=a-b\`, \`bytes=a-\`, \`bytes=-n\`), at most ${MAX_RANGE_BYTES} bytes: a longer range ` +
      'is answered shortened (206, Content-Range says which bytes). No Range header: the whole file (200). ' +
      '404 when no archive is configured.',
    tags: ['service'],
    offline: true,
    responses: {
      '200': { description: 'The whole archive', contentType: 'application/vnd.pmtiles' },
      '206': {
        description: 'The bytes asked for (at most the cap)',
        contentType: 'application/vnd.pmtiles',
        headers: { 'Content-Range': 'bytes first-last/size', 'Accept-Ranges': 'bytes', ETag: 'changes when the archive is rebuilt' },
      },
      '404': 'No PMTiles basemap is configured',
      '416': 'The range is malformed, asks for several ranges, or starts past the end of the file',
    },
  },
];
