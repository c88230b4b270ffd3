/**
 * The stations' text index, one per mirror snapshot (a snapshot never changes), built on the first
 * search that needs it. Folding and pinyin are done once per station record and kept with it: an
 * edit makes a new snapshot that shares every unchanged record, so its index only re-joins the
 * texts and converts the changed stations. A cold build (a country's 200,000 stations after a
 * start) converts in slices and lets the event loop go between them, so /healthz and
 * /api/nearest keep answering meanwhile; searches that arrive during a build wait for the same one.
 */
import type { StationSnapshot } from '../stations/station-mirror.js';
import type { StationRecord } from '../stations/stations.repository.js';
import { foldedForms, TextIndex, type FoldedForms } from './text-index.js';

/** Stations converted between two turns of the event loop: a few ms of CPU each. */
const SLICE = 2_000;

const formsOfRecord = new WeakMap<StationRecord, FoldedForms>();
const indexOfSnapshot = new WeakMap<StationSnapshot, Promise<StationSearchIndex>>();

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class StationSearchIndex {
  private constructor(
    readonly stations: readonly StationRecord[],
    readonly text: TextIndex,
    /** How long the build took (ms, wall clock, turns given away included). */
    readonly buildMs: number,
    /** How many stations had to be converted (the rest were known from an earlier snapshot). */
    readonly converted: number,
  ) {}

  /** The index of a snapshot: built once, on first use, for the snapshot's station order. */
  static of(snapshot: StationSnapshot): Promise<StationSearchIndex> {
    let index = indexOfSnapshot.get(snapshot);
    if (!index) {
      index = StationSearchIndex.build(snapshot.stations);
      indexOfSnapshot.set(snapshot, index);
      // A failed build is not kept: the next search tries again.
      index.catch(() => indexOfSnapshot.delete(snapshot));
    }
    return index;
  }

  private static async build(stations: readonly StationRecord[]): Promise<StationSearchIndex> {
    const started = performance.now();
    const forms: FoldedForms[] = new Array(stations.length);
    let converted = 0;
    for (let i = 0; i < stations.length; i++) {
      const station = stations[i]!;
      let known = formsOfRecord.get(station);
      if (!known) {
        known = foldedForms({ name: station.name, nameEn: station.name_en, address: station.address });
        formsOfRecord.set(station, known);
        if (++converted % SLICE === 0) await nextTurn();
      }
      forms[i] = known;
    }
    const text = await TextIndex.inTurns(forms, nextTurn);
    return new StationSearchIndex(stations, text, performance.now() - started, converted);
  }
}
