import { describe, expect, it } from 'vitest';
import {
  CLOSED_COLOUR,
  KIND_COLOURS,
  ME_COLOUR,
  NEAREST_STYLE,
  OPEN_COLOUR,
} from '../../../client/src/views/worker/map-style.js';

/** Hue in degrees of a #rrggbb colour. */
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === min) return NaN; // grey: no hue
  const d = max - min;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

describe('worker map marks', () => {
  it('"me" has a hue at least 30° from every station kind\'s', () => {
    for (const [kind, colour] of Object.entries(KIND_COLOURS)) {
      const h = hue(colour);
      if (Number.isNaN(h)) continue;
      const gap = Math.min(Math.abs(h - hue(ME_COLOUR)), 360 - Math.abs(h - hue(ME_COLOUR)));
      expect(gap, `${kind} ${colour} vs me ${ME_COLOUR}`).toBeGreaterThanOrEqual(30);
    }
  });

  it('a station closed on arrival is a ring, not only a darker shade', () => {
    expect(NEAREST_STYLE).toMatchObject({ hollowWhen: { property: 'arrival', value: 'false' } });
    expect(OPEN_COLOUR).not.toBe(CLOSED_COLOUR);
  });
});
