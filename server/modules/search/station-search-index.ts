/**
 * The stations' text index, one per mirror snapshot (a snapshot never changes), built on the first
 * search that needs it. Folding and pinyin are done once per station record and kept with it: an
 * edit makes a new snapshot that shares every unchanged record, so its index only re-joins the
 * texts (tens of ms at 200,000 stations) and converts the changed stations.
 */
import type { StationSnapshot } from '../stations/station-mirror.js';
import type { StationRecord } from '../stations/stations.repository.js';
import { foldedForms, TextIndex, type FoldedForms } from './text-index.js';

const formsOfRecord = new WeakMap<StationRecord, FoldedForms>();
const indexOfSnapshot = new WeakMap<StationSnapshot, StationSearchIndex>();

function formsOf(station: StationRecord): FoldedForms {
  let forms = formsOfRecord.get(station);
  if (!forms) {
    forms = foldedForms({ name: station.name, nameEn: station.name_en, address: station.address });
    formsOfRecord.set(station, forms);
  }
  return forms;
}

export class StationSearchIndex {
  readonly text: TextIndex;
  /** How long the build took (ms), for logs and the bench. */
  readonly buildMs: number;

  constructor(readonly stations: readonly StationRecord[]) {
    const started = performance.now();
    this.text = new TextIndex(stations.map(formsOf));
    this.buildMs = performance.now() - started;
  }

  /** The index of a snapshot: built once, on first use, for the snapshot's station order. */
  static of(snapshot: StationSnapshot): StationSearchIndex {
    let index = indexOfSnapshot.get(snapshot);
    if (!index) {
      index = new StationSearchIndex(snapshot.stations);
      indexOfSnapshot.set(snapshot, index);
    }
    return index;
  }
}
