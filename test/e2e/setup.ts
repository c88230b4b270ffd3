import { spawn, type ChildProcess } from 'node:child_process';
import { BUILT_SERVER_MAIN } from '../../scripts/lib/server-build.js';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createScratchDatabase } from '../../scripts/lib/scratch-database.js';
import { REPO_ROOT } from '../../server/config.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-results');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * With TEST_DATABASE_URL the browser tests run the service on the PostgreSQL server too: an empty
 * database that the service migrates and seeds itself, exactly as a deployment would.
 */
async function createServerDatabase() {
  const adminUrl = process.env.TEST_DATABASE_URL;
  return adminUrl ? createScratchDatabase(adminUrl, 'wp_e2e') : null;
}

export interface E2eServer {
  baseUrl: string;
  dataDir: string;
  /** The PostgreSQL database it runs on; undefined on PGlite. */
  databaseUrl?: string;
  /** The server process, for signals and memory readings. */
  process: ChildProcess;
  /** What the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface E2eServerOptions {
  /** Reuse this PGlite data directory (and keep it on stop). */
  dataDir?: string;
  /** Use this database URL instead of a fresh one. */
  databaseUrl?: string;
}

/**
 * The real service as a user starts it (the compiled server/main.ts serving the built client) on a fresh
 * embedded database seeded with sample stations. The client must have been built (globalSetup).
 */
export async function startE2eServer(
  env: Record<string, string> = {},
  options: E2eServerOptions = {},
): Promise<E2eServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-e2e-'));
  const serverDb = options.databaseUrl || options.dataDir ? null : await createServerDatabase();
  const child: ChildProcess = spawn(
    process.execPath,
    // Compiled by the global setup (scripts/lib/server-build.ts), as `npm start` runs it.
    ['--enable-source-maps', BUILT_SERVER_MAIN],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PGLITE_DATA_DIR: dataDir,
        NODE_ENV: 'production',
        // As `npm start` runs it: one malloc arena (worker threads otherwise each grow their own).
        MALLOC_ARENA_MAX: '1',
        LOG_LEVEL: 'warn',
        DATABASE_URL: options.databaseUrl ?? serverDb?.url ?? '',
        // Minutes of CPU in the background; a test that wants people sets it to true.
        SEED_POPULATION: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    baseUrl,
    dataDir,
    databaseUrl: options.databaseUrl ?? serverDb?.url,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      await serverDb?.drop();
    },
  };
}

/** Debian's Chromium, headless; `webgl: false` forces the no-WebGL path (Leaflet fallback). */
export async function launchBrowser(options: { webgl?: boolean } = {}): Promise<Browser> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
  // Software WebGL (SwiftShader) lets MapLibre run without a GPU; without it WebGL is absent.
  if (options.webgl === false) args.push('--disable-webgl', '--disable-3d-apis');
  else args.push('--enable-unsafe-swiftshader', '--use-angle=swiftshader');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args, headless: true });
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, `${name}.png`);
}
