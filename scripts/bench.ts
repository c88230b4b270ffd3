/**
 * npm run bench [-- name …]: runs every scripts/bench/*.ts that exports run() and prints one table.
 * Each row compares a measured value with a baseline measured in the same run (ratio = value/baseline),
 * so the figures mean the same on a slow or a fast machine. Goals are shown next to each ratio.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../server/config.js';
import type { BenchRow } from './bench/lib.js';

const dir = path.join(REPO_ROOT, 'scripts', 'bench');
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'lib.ts')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const fmt = (n: number | undefined, digits = 2) =>
  n === undefined || Number.isNaN(n) ? '' : n >= 100 ? n.toFixed(0) : n.toFixed(digits);

const all: Array<BenchRow & { bench: string }> = [];
let failed = false;
for (const file of files) {
  const mod = await import(pathToFileURL(path.join(dir, file)).href);
  if (typeof mod.run !== 'function') continue;
  process.stderr.write(`running ${file}…\n`);
  try {
    const rows: BenchRow[] = await mod.run();
    for (const row of rows) all.push({ ...row, bench: file.replace(/\.ts$/, '') });
  } catch (error) {
    failed = true;
    process.stderr.write(`${file} failed: ${(error as Error).stack}\n`);
  }
}

const header = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'goal'];
const lines = all.map((r) => [r.name, fmt(r.value), r.unit, fmt(r.baseline), r.ratio === undefined ? '' : `${fmt(r.ratio)}x`, r.goal ?? '']);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
const print = (cells: string[]) => console.log(cells.map((c, i) => String(c).padEnd(widths[i]!)).join('  '));
print(header);
print(widths.map((w) => '-'.repeat(w)));
for (const line of lines) print(line);
process.exit(failed ? 1 : 0);
