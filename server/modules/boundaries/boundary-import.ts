/**
 * One boundary source (GeoJSON file/URL or an OSM extract) read, checked and loaded as one level
 * of areas: shared by `npm run import:boundaries` and the tests.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppDatabase } from '../../db/client.js';
import { LEVEL_NAME_PATTERN } from '../areas/area-code.js';
import type { LevelDefinition } from '../areas/areas.repository.js';
import { replaceBoundaries, type BoundaryRecord } from './boundaries.repository.js';
import { parseBoundaryCollection, type BoundaryFields } from './boundary-files.js';
import { readOsmBoundaries } from './osm-boundaries.js';

export interface BoundaryImportOptions {
  /** The level's name (district, subdistrict, parish…); GeoJSON without it: Beijing's files. */
  level?: string;
  /** For .osm.pbf: the admin_level of the relations to load. */
  adminLevel?: string;
  depth?: number;
  label?: string;
  labelEn?: string;
  fields?: BoundaryFields;
}

export interface ParsedBoundarySource {
  source: string;
  level: LevelDefinition;
  records: BoundaryRecord[];
  /** Load order: upper levels first. */
  order: number;
  /** Relations of an OSM extract that could not be assembled, and why. */
  skipped: string[];
}

const isPbf = (source: string) => /\.pbf$/i.test(source);

export async function readBoundarySource(
  source: string,
  options: BoundaryImportOptions,
): Promise<ParsedBoundarySource> {
  if (options.level !== undefined && !LEVEL_NAME_PATTERN.test(options.level)) {
    throw new Error(`--level "${options.level}" must be a name such as district (a-z, 0-9, _ -)`);
  }
  const levelOf = (name: string, _order: number): LevelDefinition => ({
    name,
    depth: options.depth,
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.labelEn !== undefined ? { label_en: options.labelEn } : {}),
  });
  if (isPbf(source)) {
    if (!options.adminLevel || !/^\d{1,2}$/.test(options.adminLevel)) {
      throw new Error(`${source}: an OSM extract needs --admin-level N (e.g. 8) and --level NAME`);
    }
    if (!options.level) throw new Error(`${source}: an OSM extract needs --level NAME (e.g. district)`);
    const { records, skipped } = await readOsmBoundaries(source, {
      adminLevel: options.adminLevel,
      codeTag: options.fields?.codeField,
      nameTag: options.fields?.nameField,
      nameEnTag: options.fields?.nameEnField,
    });
    if (records.length === 0) {
      throw new Error(
        `${source}: no admin_level=${options.adminLevel} relation could be made into an area:\n  ${skipped.join('\n  ')}`,
      );
    }
    const order = options.depth ?? Number(options.adminLevel);
    return { source: path.basename(source), level: levelOf(options.level, order), records, order, skipped };
  }
  let json: unknown;
  try {
    json = JSON.parse(await readText(source));
  } catch (error) {
    throw new Error(`${source}: not readable JSON (${(error as Error).message})`);
  }
  const parsed = parseBoundaryCollection(json, options.fields);
  const name = options.level ?? parsed.level;
  const order = options.depth ?? (name === 'district' ? 1 : name === 'subdistrict' ? 2 : 50);
  return {
    source: /^https?:/.test(source) ? source : path.basename(source),
    level: levelOf(name, order),
    records: parsed.records,
    order,
    skipped: [],
  };
}

export async function importBoundarySource(
  db: AppDatabase,
  parsed: ParsedBoundarySource,
): Promise<{ loaded: number; withoutParent: number }> {
  return replaceBoundaries(db, parsed.level, parsed.records, parsed.source);
}

/** A local path or an http(s) URL as text. */
async function readText(source: string): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`download failed: ${res.status} ${res.statusText}`);
    return res.text();
  }
  return readFile(source, 'utf8');
}
