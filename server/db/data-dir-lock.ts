/**
 * One process per embedded data folder. PGlite is a single-user PostgreSQL: two processes on one
 * folder do not see each other's writes (a CLI's new user stays invisible to a running server) and
 * can corrupt the files. So whoever opens a folder first writes `<folder>.lock` (next to the
 * folder, not inside it: a dumped data directory must not carry a lock) with its pid, start time
 * and command; a second process fails at once with a message naming the holder. A lock whose
 * process is gone (killed, crashed, machine restarted) is stale and taken over.
 *
 * The file appears atomically with its content (written to a private file, then hard-linked to
 * the lock name, which fails if the name exists), so nobody ever reads a half-written lock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LockHolder {
  pid: number;
  /** When the holding process started (ISO 8601). */
  startedAt: string;
  /** The holding process's command line, shortened. */
  command: string;
  hostname: string;
  /** Linux's start time of the process in clock ticks (/proc/<pid>/stat), to tell a reused pid. */
  procStart?: string;
}

export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.hostname === os.hostname() ? '' : ` on host ${holder.hostname}`;
    super(
      `The embedded database folder ${dataDir} is in use by process ${holder.pid}${where} ` +
        `(started ${holder.startedAt}: ${holder.command}). PGlite allows one process per folder: ` +
        `stop that process first, or set DATABASE_URL to share a PostgreSQL server between processes.`,
    );
  }
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Folders this process holds, so a second open inside one process is refused too. */
const heldHere = new Set<string>();

export function lockFileFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

/** Takes the folder's lock or throws DataDirLockedError naming the live holder. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = lockFileFor(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const mine = currentHolder();
  const text = JSON.stringify(mine);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file, text)) {
      heldHere.add(file);
      return ownLock(file, text);
    }
    const existingText = readOrNull(file);
    if (existingText === null) continue; // removed meanwhile: try again
    const holder = parseHolder(existingText);
    if (holder && isAlive(holder, file)) {
      throw new DataDirLockedError(path.resolve(dataDir), holder);
    }
    // Stale (its process is gone) or unreadable: remove it, but only if it is still the same one
    // (another process may have just taken it over).
    if (readOrNull(file) === existingText) fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the lock ${file}: it keeps changing`);
}

function ownLock(file: string, text: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(file);
    process.off('exit', release);
    // Only remove it while it is ours (never another process's lock that took over a stale one).
    if (readOrNull(file) === text) fs.rmSync(file, { force: true });
  };
  // process.exit() skips close(): the lock goes anyway. A kill -9 leaves it, stale, for the next.
  process.on('exit', release);
  return { file, release };
}

function tryCreate(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, text, { flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return null;
    return {
      pid: value.pid as number,
      startedAt: String(value.startedAt ?? 'unknown'),
      command: String(value.command ?? 'unknown'),
      hostname: String(value.hostname ?? os.hostname()),
      procStart: value.procStart,
    };
  } catch {
    return null;
  }
}

function currentHolder(): LockHolder {
  const command = process.argv.join(' ');
  return {
    pid: process.pid,
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    command: command.length > 200 ? `${command.slice(0, 200)}…` : command,
    hostname: os.hostname(),
    procStart: procStartOf(process.pid),
  };
}

/** A holder on another host cannot be checked from here, so it counts as alive. */
function isAlive(holder: LockHolder, file: string): boolean {
  if (holder.hostname !== os.hostname()) return true;
  // This very process holds it only if it says so (else the lock was left by an earlier process
  // that had the same pid, as in a container that always starts its service as pid 1).
  if (holder.pid === process.pid) return heldHere.has(file);
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: the process exists (another user's).
  }
  // The pid is taken, but possibly by an unrelated process that got the same number.
  const start = procStartOf(holder.pid);
  return !(holder.procStart && start && start !== holder.procStart);
}

/** Field 22 of /proc/<pid>/stat (start time since boot); undefined where there is no /proc. */
function procStartOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: count after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}
