/**
 * One process per embedded data folder: while one process holds a folder, a second one — here the
 * `user:create` CLI, spawned as an operator runs it — fails at once with a message naming the
 * holder, before touching the folder. A lock left by a dead process is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/config.js';
import {
  acquireDataDirLock,
  DataDirLockedError,
  lockFileFor,
} from '../../server/db/data-dir-lock.js';

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function userCreate(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(
      'npm',
      ['run', '--silent', 'user:create', '--', '--username', 'lockcheck', '--role', 'admin'],
      {
        cwd: REPO_ROOT,
        env: { ...env, LOG_LEVEL: 'silent', PGLITE_DATA_DIR: dataDir, WARM_POSTS_PASSWORD: 'a-long-password-1' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('embedded data folder lock', () => {
  it('refuses a second process on a held folder, naming the holder', async () => {
    const dataDir = join(scratch, 'held');
    const lock = acquireDataDirLock(dataDir);
    try {
      const run = await userCreate(dataDir);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(`in use by process ${process.pid}`);
      expect(run.stderr).toContain(dataDir);
      // Refused before PGlite touched anything.
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      lock.release();
    }
    expect(existsSync(lockFileFor(dataDir))).toBe(false);
  });

  it('refuses a second open inside the same process until the first is released', () => {
    const dataDir = join(scratch, 'twice');
    const lock = acquireDataDirLock(dataDir);
    expect(() => acquireDataDirLock(dataDir)).toThrow(DataDirLockedError);
    lock.release();
    acquireDataDirLock(dataDir).release();
  });

  it('takes over a lock left by a dead process', () => {
    const dataDir = join(scratch, 'stale');
    // A pid that surely belongs to no process now: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    expect(deadPid).toBeGreaterThan(0);
    writeFileSync(
      lockFileFor(dataDir),
      JSON.stringify({ pid: deadPid, startedAt: '2026-01-01T00:00:00Z', command: 'killed -9', hostname: hostname() }),
    );
    const lock = acquireDataDirLock(dataDir);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});
