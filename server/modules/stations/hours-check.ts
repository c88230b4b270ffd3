/**
 * Opening hours of an edit or an import, read in the CPU pool, never on the event loop: one valid
 * 1,000-character value can take over a second to parse (measured 1.2 s for `PH +1 day …` rules,
 * whose 8 holiday variants are each parsed; 0.1–0.5 s for plain rules), so the length caps alone
 * do not bound the stall. A few reads at a time, in small batches, then 503 + Retry-After.
 */
import { badRequest, HttpError } from '../../http/errors.js';
import { readOpeningHoursInput, type OpeningHoursInput } from '../../hours/index.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import { WorkLimiter } from '../../work/work-limiter.js';

const reads = new WorkLimiter({ concurrency: 2, queue: 16, what: 'hours check', retryAfterS: 2 });

/**
 * Distinct opening-hours text one import may ask to parse: far above a real list (a district's
 * stations share a few dozen values), and at most a couple of minutes of one pool thread.
 */
export const MAX_IMPORT_HOURS_CHARS = 100_000;

/** Characters per pool task: small, so other pool work (the live check) runs between batches. */
const BATCH_CHARS = 3_000;

/** Reads `texts` (OSM syntax or phrases) in the pool, a batch at a time; answers in order. */
export async function readHoursInPool(texts: string[]): Promise<OpeningHoursInput[]> {
  const results: OpeningHoursInput[] = [];
  let batch: string[] = [];
  let chars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const sending = batch;
    batch = [];
    chars = 0;
    results.push(...(await reads.run(() => runCpuTask('readHours', sending))));
  };
  for (const text of texts) {
    if (chars + text.length > BATCH_CHARS) await flush();
    batch.push(text);
    chars += text.length;
  }
  await flush();
  return results;
}

interface EditHours {
  opening_hours?: string | null;
  hours_overrides?: Array<{ opening_hours: string }>;
}

/**
 * An edit's hours read as they will be stored (a phrase becomes its OSM value): the first text
 * not understood is a 400 naming its field, as the body's other checks are; else the edit with
 * its hours in OSM form and the library's warnings.
 */
export async function readEditHours<B extends EditHours>(body: B): Promise<{ body: B; warnings: string[] }> {
  const fields: Array<[string, string]> = [];
  if (typeof body.opening_hours === 'string') fields.push(['opening_hours', body.opening_hours]);
  body.hours_overrides?.forEach((o, i) => fields.push([`hours_overrides.${i}.opening_hours`, o.opening_hours]));
  if (fields.length === 0) return { body, warnings: [] };
  const results = await readHoursInPool(fields.map(([, text]) => text));
  const values: string[] = [];
  const warnings: string[] = [];
  results.forEach((result, i) => {
    if (!result.ok) {
      throw badRequest(`Invalid body: ${fields[i]![0]}: opening hours not understood: ${result.error}`);
    }
    values.push(result.value);
    warnings.push(...result.warnings);
  });
  const read = { ...body };
  let next = 0;
  if (typeof body.opening_hours === 'string') read.opening_hours = values[next++]!;
  if (body.hours_overrides) {
    read.hours_overrides = body.hours_overrides.map((o) => ({ ...o, opening_hours: values[next++]! }));
  }
  return { body: read, warnings };
}

/** The distinct hours texts of an import, read in the pool; refused past the cost cap. */
export async function readImportHours(texts: Iterable<string>): Promise<Map<string, OpeningHoursInput>> {
  const distinct = [...new Set(texts)];
  const chars = distinct.reduce((sum, t) => sum + t.length, 0);
  if (chars > MAX_IMPORT_HOURS_CHARS) {
    throw new HttpError(
      413,
      `The file holds ${chars.toLocaleString('en')} characters of distinct opening hours (at most ${MAX_IMPORT_HOURS_CHARS.toLocaleString('en')} per import); split it into smaller files`,
    );
  }
  const results = await readHoursInPool(distinct);
  return new Map(distinct.map((text, i) => [text, results[i]!]));
}
