/**
 * One profile's contraction as a pure bytes-out function, for a CPU pool thread (it takes seconds
 * to minutes on a city's network, far too long for the event loop).
 */
import { buildContractionHierarchy, type ContractionInput } from './contract.js';
import { hierarchyBytes } from './hierarchy.js';
import { serializeHierarchy } from './serialize.js';

export interface ContractionTaskResult {
  /** `serializeHierarchy`'s bytes. */
  data: Uint8Array;
  buildMs: number;
  /** Bytes the hierarchy holds once loaded. */
  memoryBytes: number;
}

export function contractProfile(input: ContractionInput): ContractionTaskResult {
  const started = performance.now();
  const hierarchy = buildContractionHierarchy(input);
  const buildMs = Math.round(performance.now() - started);
  return { data: serializeHierarchy(hierarchy), buildMs, memoryBytes: hierarchyBytes(hierarchy) };
}
