/**
 * `npm test`: unit + integration tests (on PGlite, or on the server named by TEST_DATABASE_URL),
 * then the browser tests in Debian's Chromium. Prints one closing line "N passed, N failed" over both.
 * Without Chromium the browser tests are skipped with a notice, unless REQUIRE_BROWSER=1 (CI).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../server/config.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const vitest = path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const extraArgs = process.argv.slice(2);

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function runVitest(label: string, configArgs: string[]): Counts & { ok: boolean } {
  const report = path.join(os.tmpdir(), `warm-posts-${label}-${process.pid}.json`);
  console.log(`\n== ${label}${process.env.TEST_DATABASE_URL ? ' (PostgreSQL server)' : ' (embedded PGlite)'}`);
  const result = spawnSync(
    process.execPath,
    [vitest, 'run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs],
    { cwd: REPO_ROOT, stdio: 'inherit', env: process.env },
  );
  let counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    counts = {
      passed: json.numPassedTests ?? 0,
      failed: (json.numFailedTests ?? 0) + (json.numFailedTestSuites ?? 0) * (json.numTotalTests ? 0 : 1),
      skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    };
    fs.rmSync(report);
  }
  const ok = result.status === 0;
  if (!ok && counts.failed === 0) counts.failed = 1; // a crash before any test ran still fails
  return { ...counts, ok };
}

const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
const add = (c: Counts) => {
  totals.passed += c.passed;
  totals.failed += c.failed;
  totals.skipped += c.skipped;
};

const unit = runVitest('unit + integration', []);
add(unit);
let browserOk = true;
if (fs.existsSync(CHROMIUM)) {
  const e2e = runVitest('browser (Chromium)', ['--config', 'vitest.e2e.config.ts']);
  add(e2e);
  browserOk = e2e.ok;
} else if (process.env.REQUIRE_BROWSER === '1') {
  console.error(`\nChromium not found at ${CHROMIUM}: browser tests are required here (apt-get install chromium).`);
  totals.failed += 1;
  browserOk = false;
} else {
  console.log(`\n(browser tests skipped: no Chromium at ${CHROMIUM}; apt-get install chromium to run them)`);
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(unit.ok && browserOk ? 0 : 1);
