/**
 * The stations' text index, one per mirror snapshot (a snapshot never changes), built on the first
 * search that needs it. Folding and pinyin are done once per station record and kept with it: an
 * edit makes a new snapshot that shares every unchanged record, so its index only re-joins the
 * texts and converts the changed stations; and when the newest complete index differs from the
 * new snapshot by a few stations (an edit, a small import), its columns are patched instead of
 * re-joined: a few ms at 200,000 stations instead of hundreds.
 *
 * The server keeps it in the station search thread (station-search-worker.ts), where searches,
 * patches and builds cost the API's event loop nothing. A cold build (a country's 200,000 stations
 * after a start) still converts in slices and lets that thread's loop go between them, so searches
 * and patches arriving meanwhile are taken in (they wait for the same build). Spelling polyphonic names in context (银行 yinhang, ~10 µs a name) is
 * what costs most, so when many are missing the index answers at once with the per-character
 * spellings and adds those in context in the background, swapping its text when they are done.
 */
import type { StationRecord } from '../stations/stations.repository.js';
import { foldedForms, TextIndex, withContext, type FoldedForms } from './text-index.js';

/** What the index reads of a station: its texts, and where it is (to rank by distance). */
export type SearchableStation = Pick<StationRecord, 'id' | 'name' | 'name_en' | 'address' | 'lng' | 'lat'>;

/**
 * Stations in id order as of one version, never changed: a mirror snapshot in the API thread, or
 * its copy in the station search thread (station-search-worker.ts). An unchanged station is the
 * same object in consecutive snapshots: that is how an edit is found and patched.
 */
export interface SearchableSnapshot {
  readonly stations: readonly SearchableStation[];
}

/** Stations folded between two turns of the event loop: a few ms of CPU each. */
const SLICE = 2_000;
/** Names spelt in context between two turns (each ~10 µs). */
const CONTEXT_SLICE = 300;
/** Up to this many missing spellings in context are made before the index answers (≲ 20 ms). */
const CONTEXT_INLINE = 2_000;
/** More changed stations than this (a big import): a full build, not a patch. */
export const PATCH_LIMIT = 2_000;

const formsOfRecord = new WeakMap<SearchableStation, FoldedForms>();
const indexOfSnapshot = new WeakMap<SearchableSnapshot, Promise<StationSearchIndex>>();

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The newest index whose text is complete (spellings in context included): what edits patch. */
let newest: StationSearchIndex | null = null;

export type StationRun<S> = { from: number; count: number } | { station: S };

/**
 * `next` as stretches of `old` (both in id order; an unchanged station is the same record object)
 * and the stations changed or added between them; null past `limit` changes.
 */
export function diffStations<S extends { id: number }>(
  old: readonly S[],
  next: readonly S[],
  limit: number,
): StationRun<S>[] | null {
  const runs: StationRun<S>[] = [];
  let i = 0;
  let changes = 0;
  let copyFrom = 0;
  let copyCount = 0;
  const flush = () => {
    if (copyCount > 0) runs.push({ from: copyFrom, count: copyCount });
    copyCount = 0;
  };
  for (let j = 0; j < next.length; ) {
    const was = old[i];
    const now = next[j]!;
    if (was === now) {
      if (copyCount === 0) copyFrom = i;
      copyCount++;
      i++;
      j++;
      continue;
    }
    if (++changes > limit) return null;
    flush();
    if (was && was.id === now.id) {
      runs.push({ station: now }); // changed
      i++;
      j++;
    } else if (was && was.id < now.id) {
      i++; // removed
    } else {
      runs.push({ station: now }); // added
      j++;
    }
  }
  if (changes + (old.length - i) > limit) return null;
  flush();
  return runs;
}

function knownForms(station: SearchableStation): FoldedForms | undefined {
  return formsOfRecord.get(station);
}

/** Makes the missing spellings in context for these stations, a slice per turn. */
async function spellInContext(stations: readonly SearchableStation[]): Promise<void> {
  let done = 0;
  for (const station of stations) {
    const forms = formsOfRecord.get(station)!;
    if (!forms.needsContext) continue;
    formsOfRecord.set(station, withContext(forms));
    if (++done % CONTEXT_SLICE === 0) await nextTurn();
  }
}

export class StationSearchIndex {
  /** Replaced once, when the spellings in context are added. */
  text: TextIndex;
  /** Settles when the text has every spelling in context (the bench and tests wait for it). */
  readonly complete: Promise<void>;

  private constructor(
    readonly stations: readonly SearchableStation[],
    text: TextIndex,
    /** How long until the index answered (ms, wall clock, turns given away included). */
    readonly buildMs: number,
    /** Stations folded for this snapshot (the rest were known from an earlier one). */
    readonly converted: number,
    pendingContext: SearchableStation[],
    /** Made by patching an earlier index rather than joining every text. */
    readonly patched = false,
  ) {
    this.text = text;
    if (pendingContext.length === 0) {
      newest = this;
      this.complete = Promise.resolve();
    } else {
      this.complete = this.addContext(pendingContext);
    }
  }

  /** The index of a snapshot: built once, on first use, for the snapshot's station order. */
  static of(snapshot: SearchableSnapshot): Promise<StationSearchIndex> {
    let index = indexOfSnapshot.get(snapshot);
    if (!index) {
      index = StationSearchIndex.build(snapshot.stations);
      indexOfSnapshot.set(snapshot, index);
      // A failed build is not kept: the next search tries again.
      index.catch(() => indexOfSnapshot.delete(snapshot));
    }
    return index;
  }

  private static async build(stations: readonly SearchableStation[]): Promise<StationSearchIndex> {
    const started = performance.now();
    const base = newest;
    const runs = base ? diffStations(base.stations, stations, PATCH_LIMIT) : null;
    if (base && runs) {
      let converted = 0;
      const textRuns = runs.map((run) => {
        if (!('station' in run)) return run;
        const station = run.station;
        let forms = knownForms(station);
        if (!forms || forms.needsContext) {
          forms = forms ? withContext(forms) : foldedForms(
            { name: station.name, nameEn: station.name_en, address: station.address },
          );
          formsOfRecord.set(station, forms);
          converted++;
        }
        return { forms };
      });
      const text = await TextIndex.patched(base.text, textRuns, nextTurn);
      return new StationSearchIndex(stations, text, performance.now() - started, converted, [], true);
    }
    let converted = 0;
    const pending: SearchableStation[] = [];
    for (const station of stations) {
      let forms = knownForms(station);
      if (!forms) {
        forms = foldedForms(
          { name: station.name, nameEn: station.name_en, address: station.address },
          false,
        );
        formsOfRecord.set(station, forms);
        if (++converted % SLICE === 0) await nextTurn();
      }
      if (forms.needsContext) pending.push(station);
    }
    // An edit or two (or a small deployment): spelt now, the answer is complete at once.
    if (pending.length <= CONTEXT_INLINE) {
      await spellInContext(pending);
      pending.length = 0;
    }
    const text = await TextIndex.inTurns(stations.map(knownForms) as FoldedForms[], nextTurn);
    return new StationSearchIndex(stations, text, performance.now() - started, converted, pending);
  }

  private async addContext(pending: SearchableStation[]): Promise<void> {
    try {
      await nextTurn();
      await spellInContext(pending);
      this.text = await TextIndex.inTurns(this.stations.map(knownForms) as FoldedForms[], nextTurn);
      newest = this;
    } catch {
      // Searches keep the per-character spellings; the next snapshot's build tries again.
    }
  }
}
