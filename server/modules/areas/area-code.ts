import { z } from 'zod';

/**
 * An area's code: whatever the boundary source uses (GB/T 2260 "110105", a 12-digit statistical
 * code, an OSM "ref" such as "AD-07", a city's own "7001"). Letters, digits and `_ . -`, up to 32.
 * One schema for every filter, export and import so no place refuses a code another accepted.
 */
export const AREA_CODE_PATTERN = /^[\p{L}\p{N}_.-]{1,32}$/u;

export const AreaCodeSchema = z
  .string()
  .regex(AREA_CODE_PATTERN, 'must be an area code: 1–32 letters, digits, _ . or -')
  .describe('an area code, as loaded with the boundaries (e.g. 110105)');

/** A level's name as loaded (district, subdistrict, parish…): lower-case letters, digits, _ and -. */
export const LEVEL_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export const LevelNameSchema = z
  .string()
  .regex(LEVEL_NAME_PATTERN, 'must be a level name such as district or subdistrict (a-z, 0-9, _ -)')
  .describe('an area level, as loaded with the boundaries (e.g. district, subdistrict)');
