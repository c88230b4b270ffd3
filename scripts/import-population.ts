/**
 * npm run import:population -- FILE|FOLDER... --name NAME [--aggregate N] [--crs PROJ4]
 *   [--day-type workday|weekend|holiday] [--citation TEXT] [--description TEXT]
 * Imports population GeoTIFFs (any CRS stated in the GeoKeys; WorldPop's WGS-84 files, the Beijing
 * DynPop Albers files) as one demand layer. One file is a static layer; several files are hourly
 * slots, the hour (and the date, hence the day type) read from names like 2015-07-13_h10.tif.
 * --aggregate 2 sums 2×2 cells (a quarter of the rows). Nothing is written if any file fails.
 */
import { loadConfig } from '../server/config.js';
import { setHoursContext } from '../server/modules/holidays/hours-context.js';
import {
  DYNPOP_CITATION,
  importPopulationFiles,
  listRasterFiles,
} from '../server/modules/demand/population/population-import.js';
import { DAY_TYPES, type DayType } from '../server/modules/demand/population/population-set.js';
import { openConfiguredDatabase } from './lib/cli-database.js';

const USAGE =
  'usage: npm run import:population -- FILE|FOLDER... --name NAME [--aggregate N] [--crs PROJ4] [--day-type workday|weekend|holiday] [--citation TEXT|dynpop] [--description TEXT]';

function parseArgs(args: string[]) {
  const flags = new Map<string, string>();
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) flags.set(a.slice(2), args[++i] ?? '');
    else inputs.push(a);
  }
  return { flags, inputs };
}

async function main() {
  const { flags, inputs } = parseArgs(process.argv.slice(2));
  const name = flags.get('name');
  const dayType = flags.get('day-type');
  const aggregate = Number(flags.get('aggregate') ?? 1);
  if (
    !name ||
    inputs.length === 0 ||
    (dayType && !DAY_TYPES.includes(dayType as DayType)) ||
    !(aggregate >= 1 && aggregate <= 20)
  ) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  setHoursContext({ timeZone: config.TIME_ZONE });
  const files = listRasterFiles(inputs);
  const citation = flags.get('citation');
  const handle = await openConfiguredDatabase();
  try {
    const result = await importPopulationFiles(handle.db, files, {
      name,
      description: flags.get('description') ?? null,
      source: inputs.join(' '),
      citation: citation === 'dynpop' ? DYNPOP_CITATION : (citation ?? null),
      aggregate,
      crs: flags.get('crs'),
      dayType: dayType as DayType | undefined,
    });
    const { layer } = result;
    console.log(
      `imported layer ${layer.id} "${layer.name}": ${result.files} file(s), ${result.cells} cells of ${layer.cell_m?.toFixed(0)} m, ` +
        `${layer.slots.length} slot(s), up to ${Math.round(layer.total_weight)} people; read ${result.readMs} ms, written ${result.writeMs} ms; ` +
        `demand_cells now ${(result.tableBytes / 1e6).toFixed(1)} MB (${handle.kind})`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(`import:population failed: ${error.message}`);
  process.exit(1);
});
