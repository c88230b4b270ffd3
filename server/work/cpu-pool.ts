/**
 * Worker threads (piscina) for CPU-heavy pure functions, so a long computation never holds the
 * event loop that answers /healthz and /api/nearest. Few threads (the machine's cores minus one,
 * at least one); callers gate their requests with a WorkLimiter before they get here.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import { siblingModule } from '../threads/start-worker.js';
import type { CpuTask, CpuTaskName, CpuTaskResult } from './cpu-tasks.js';

const WORKER_FILE = siblingModule(import.meta.url, 'cpu-worker');

let pool: Piscina | null = null;

function cpuPool(): Piscina {
  pool ??= new Piscina({
    filename: WORKER_FILE.href,
    // From the TypeScript sources (tsx, vitest) the worker needs tsx's loader; compiled, nothing.
    execArgv: WORKER_FILE.href.endsWith('.ts') ? ['--import', 'tsx'] : [],
    // One thread stays up: starting one (tsx and the modules it loads) takes 1–2 s, which a
    // manager typing opening hours would otherwise wait for after every idle spell.
    minThreads: 1,
    maxThreads: Math.max(1, Math.min(4, os.availableParallelism() - 1)),
    idleTimeout: 30_000,
    // geotiff's 'web-worker' dependency reads workerData in any non-main thread and fails to load
    // when it is undefined (raster uploads are parsed in this pool).
    workerData: {},
  });
  return pool;
}

/** Runs a named task from cpu-tasks.ts in a worker thread. */
export async function runCpuTask<N extends CpuTaskName>(
  name: N,
  input: Parameters<CpuTask<N>>[0],
): Promise<CpuTaskResult<N>> {
  return (await cpuPool().run({ name, input })) as CpuTaskResult<N>;
}

/**
 * Starts the pool and runs one small task, so the first real request does not pay for starting a
 * thread. The server calls it before it listens; a failure is the caller's to log.
 */
export async function warmCpuPool(input: Parameters<CpuTask<'hoursPreview'>>[0]): Promise<void> {
  await runCpuTask('hoursPreview', input);
}

/** Stops the threads (tests, shutdown). */
export async function closeCpuPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}
