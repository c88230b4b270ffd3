/**
 * npm run import:boundaries -- FILE|URL [FILE|URL …] [options]
 *
 * Loads administrative areas into the configured database, replacing one level in one transaction
 * (a bad file changes nothing). Sources:
 * - GeoJSON (WGS-84) from osmium export, ogr2ogr, QGIS…: `--level NAME` and, when the properties
 *   are not `code` / `name` / `parent_code`, `--code-field X --name-field Y [--parent-field Z]
 *   [--name-en-field E]`. Without a parent field each area's parent is the area of the level above
 *   that contains its point on surface. Without `--level`, Beijing's files: `district_code` on the
 *   features means sub-districts, else districts.
 * - An OpenStreetMap extract (.osm.pbf): `--admin-level N --level NAME` assembles the boundary
 *   relations of that admin_level into (multi)polygons; code from `ref` (else the relation id), name
 *   from `name`, `name:en`.
 * A new level goes below the deepest one loaded (or at `--depth N`), labelled `--label` / `--label-en`.
 */
import { parseArgs } from 'node:util';
import { importBoundarySource, type BoundaryImportOptions } from '../server/modules/boundaries/boundary-import.js';
import { openConfiguredDatabase } from './lib/cli-database.js';

const USAGE =
  'usage: npm run import:boundaries -- FILE|URL … [--level NAME] [--admin-level N] [--code-field X] ' +
  '[--name-field Y] [--name-en-field E] [--parent-field Z] [--depth N] [--label 区] [--label-en District]';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      level: { type: 'string' },
      'admin-level': { type: 'string' },
      'code-field': { type: 'string' },
      'name-field': { type: 'string' },
      'name-en-field': { type: 'string' },
      'parent-field': { type: 'string' },
      depth: { type: 'string' },
      label: { type: 'string' },
      'label-en': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new Error(USAGE);
  const options: BoundaryImportOptions = {
    level: values.level,
    adminLevel: values['admin-level'],
    depth: values.depth === undefined ? undefined : Number(values.depth),
    label: values.label,
    labelEn: values['label-en'],
    fields: {
      codeField: values['code-field'],
      nameField: values['name-field'],
      nameEnField: values['name-en-field'],
      parentField: values['parent-field'],
    },
  };
  if (options.depth !== undefined && !(Number.isInteger(options.depth) && options.depth >= 0)) {
    throw new Error(`--depth must be a whole number ≥ 0, got "${values.depth}"`);
  }
  if (positionals.length > 1 && options.level) {
    throw new Error('--level applies to one file: import one level per command');
  }
  // Read and check every file before opening the database, so a bad file never half-loads.
  const { readBoundarySource } = await import('../server/modules/boundaries/boundary-import.js');
  const parsed = [];
  for (const source of positionals) parsed.push(await readBoundarySource(source, options));
  const handle = await openConfiguredDatabase();
  try {
    // Upper levels first, so parents exist when the level below looks for them.
    parsed.sort((a, b) => a.order - b.order);
    for (const file of parsed) {
      const result = await importBoundarySource(handle.db, file);
      console.log(
        `${file.level.name}: ${result.loaded} areas loaded from ${file.source}` +
          (result.withoutParent && file.order > 0 ? ` (${result.withoutParent} without a parent area)` : ''),
      );
    }
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(`import:boundaries failed: ${error.message}`);
  process.exit(1);
});
