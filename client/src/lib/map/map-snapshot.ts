/**
 * The map as a picture, for the planner's report and "地图 PNG": MapLibre's WebGL canvas copied
 * while a frame is being drawn (its buffer is cleared after each frame, and keeping it — the
 * `preserveDrawingBuffer` option — would slow every frame for a picture taken now and then), then
 * the HTML markers (suggested sites, numbered) drawn on top where they stand.
 */
import type * as maplibregl from 'maplibre-gl';

export function snapshotMapLibre(map: maplibregl.Map, markers: maplibregl.Marker[]): Promise<HTMLCanvasElement> {
  return new Promise((resolve) => {
    map.once('render', () => {
      const source = map.getCanvas();
      const out = document.createElement('canvas');
      out.width = source.width;
      out.height = source.height;
      const ctx = out.getContext('2d')!;
      ctx.drawImage(source, 0, 0);
      const scale = source.width / source.clientWidth;
      for (const marker of markers) drawMarker(ctx, map, marker, scale);
      resolve(out);
    });
    map.triggerRepaint();
  });
}

/** A marker as a filled circle in its own colours with its text (a site's rank). */
function drawMarker(ctx: CanvasRenderingContext2D, map: maplibregl.Map, marker: maplibregl.Marker, scale: number) {
  const element = marker.getElement();
  const { x, y } = map.project(marker.getLngLat());
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element.firstElementChild ?? element);
  const radius = (Math.max(box.width, box.height, 16) / 2) * scale;
  ctx.beginPath();
  ctx.arc(x * scale, y * scale, radius, 0, Math.PI * 2);
  ctx.fillStyle = style.backgroundColor && style.backgroundColor !== 'rgba(0, 0, 0, 0)' ? style.backgroundColor : '#5f3dc4';
  ctx.fill();
  ctx.lineWidth = 2 * scale;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  const text = element.textContent?.trim();
  if (!text) return;
  ctx.fillStyle = style.color || '#ffffff';
  ctx.font = `bold ${Math.round(radius)}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x * scale, y * scale);
}
