/**
 * The compiled server (`npm run build:server` → dist/node), as `npm start` runs it, for the browser
 * and stress tests: built again only when a source it compiles from is newer than the build, so a
 * test run never starts stale code, and the second test pass (and the stress suite) reuses it.
 * Starting compiled JavaScript skips tsx's transform in the main thread and in every worker thread:
 * less CPU per server start, of which the browser tests make two dozen.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../server/config.js';

export const BUILT_SERVER_MAIN = path.join(REPO_ROOT, 'dist', 'node', 'server', 'main.js');
/** What tsconfig.build.json compiles (server/, and the scripts/lib modules it imports). */
const SOURCES = ['server', path.join('scripts', 'lib'), 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function ensureServerBuild(): void {
  const built = fs.statSync(BUILT_SERVER_MAIN, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(path.join(REPO_ROOT, s))));
  if (built > sources) return;
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  // tsc keeps the mtime of files whose output did not change: mark the build as done now.
  const now = new Date();
  fs.utimesSync(BUILT_SERVER_MAIN, now, now);
}
