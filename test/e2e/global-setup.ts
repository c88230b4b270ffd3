import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../server/config.js';
import { ensureServerBuild } from '../../scripts/lib/server-build.js';
import { buildPgliteTemplate } from '../setup/template.js';

/**
 * Browser tests run against the production build, as users get it. Each server on the embedded
 * database starts from the prepared template (PostGIS, migrations, boundaries) instead of creating
 * them again: ~20 s less per server, the same data (the service then seeds its sample stations).
 */
export default async function setup() {
  process.env.PGLITE_PREPARED_DATA = await buildPgliteTemplate();
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  // The server as `npm start` runs it: compiled JavaScript, built once for every server of the run.
  ensureServerBuild();
}
