import crypto from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  /** URL of the new, empty database (no extensions: the service's migrations create them). */
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database on the server named by adminUrl, for one browser test, benchmark or stress
 * run; drop() removes it even with connections still open.
 */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
