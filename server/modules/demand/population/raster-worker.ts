/**
 * A worker thread that parses population GeoTIFFs (seconds of CPU each at 100 m), so a server
 * loading rasters keeps answering. Its own thread rather than the CPU pool: geotiff does not
 * load in a thread without workerData
 * (see threadedRasterReader). One request at a time: { file, aggregate, crs }.
 */
import { parentPort } from 'node:worker_threads';
import { readRasterFile } from './raster-read.js';

parentPort!.on('message', async (request: { file: string; aggregate?: number; crs?: string }) => {
  try {
    const cells = await readRasterFile(request.file, request);
    parentPort!.postMessage({ cells }, [
      cells.cells.buffer as ArrayBuffer,
      cells.values.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort!.postMessage({
      error: (error as Error).message,
      raster: error instanceof Error && error.name === 'RasterError',
    });
  }
});
