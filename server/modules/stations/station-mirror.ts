/**
 * A read-only copy of the stations table in this process, brought up to date before every use by
 * one query that returns only what changed (usually nothing). The database stays the only state:
 * several instances each keep their own copy and each sees every committed write, from any
 * instance or script, on its next request. What it buys: the nearest search walks an in-memory
 * k-d tree and evaluates hours on parsed schedules kept between requests, instead of paging a KNN
 * query, so a worker's answer costs one small round trip.
 */
import type { AppDatabase, DatabaseHandle } from '../../db/client.js';
import { listenToChannel } from '../../db/notifications.js';
import {
  FROM_THE_START,
  readChangeVersion,
  readStationChanges,
  type StationChanges,
} from './station-mirror.repository.js';
import { parseHoursAhead } from './station-hours.js';
import type { StationRecord } from './stations.repository.js';
import { StationSnapshot } from './station-snapshot.js';

export { StationSnapshot };

/** Rows per statement when the mirror (re)loads: bounds one JSON text at a few MB. */
const CHUNK = 5_000;
/**
 * Even with the listener up, check the version after this long: a connection that stays open but
 * stops delivering (a proxy that pools transactions, such as PgBouncer, can do that) would
 * otherwise leave a mirror stale for ever. One tiny query per instance every few seconds.
 */
const TRUST_LISTENER_MS = 5_000;

export interface MirrorState {
  snapshot: StationSnapshot;
  /** The current road network, null when none is imported (read with the version). */
  roadNetworkId: number | null;
}

/** The channel migration 0006's triggers notify on every station write and road network change. */
export const STATION_CHANGES_CHANNEL = 'station_changes';

export class StationMirror {
  private state: MirrorState | null = null;
  private running: Promise<MirrorState> | null = null;
  private queued: Promise<MirrorState> | null = null;
  private listening = false;
  /** Counts notifications and listener state changes. */
  private signals = 0;
  /** `signals` as it was when the last successful sync began. */
  private signalsAtSync = -1;

  /** When the last sync began (ms, monotonic). */
  private syncedAt = 0;
  private readonly chunk: number;
  private readonly trustMs: number;
  private readonly channel: string;

  constructor(
    private readonly db: AppDatabase,
    options: { chunk?: number; trustListenerMs?: number; channel?: string } = {},
  ) {
    this.chunk = options.chunk ?? CHUNK;
    this.trustMs = options.trustListenerMs ?? TRUST_LISTENER_MS;
    this.channel = options.channel ?? STATION_CHANGES_CHANNEL;
  }

  /**
   * Listens for changes (migration 0006's notifications). Without it, or while the listener is
   * down, every use asks the database; a failure to listen is reported, never thrown at requests.
   */
  async listen(handle: DatabaseHandle, onError: (error: Error) => void = () => {}): Promise<void> {
    await listenToChannel(handle, this.channel, {
      onNotify: () => this.markStale(),
      onReady: () => {
        // Whatever was sent while nobody listened is lost: check before trusting the copy again.
        this.listening = true;
        this.markStale();
      },
      onLost: (error) => {
        this.listening = false;
        this.markStale();
        if (error) onError(error);
      },
    });
  }

  /** The next use checks the database (a notification came, or this instance just wrote). */
  markStale(): void {
    this.signals++;
  }

  /**
   * The held state is the database's, and a request needs no query at all, while the listener is
   * up, nothing was signalled since the last sync began, and that sync is recent. Otherwise each
   * use checks the version first (one small query): always correct, only slower.
   */
  private isFresh(): boolean {
    return (
      this.listening &&
      this.signals === this.signalsAtSync &&
      performance.now() - this.syncedAt < this.trustMs
    );
  }

  /**
   * The stations as of a moment after this call began. Concurrent callers share reads: a sync
   * already running may have read before they came, so they join the next one, not that one.
   */
  current(): Promise<MirrorState> {
    if (this.state && this.isFresh()) return Promise.resolve(this.state);
    if (!this.running) {
      this.running = this.sync().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.current();
      });
    return this.queued;
  }

  private async sync(): Promise<MirrorState> {
    // Taken before the read is sent: a change committed after the read's snapshot notifies after
    // this, so a changed count means the read may have missed something. Listener drops and
    // reconnects count too, so an unchanged count also means it listened throughout.
    const signals = this.signals;
    const started = performance.now();
    const state = await this.read();
    this.state = state;
    this.signalsAtSync = signals;
    this.syncedAt = started;
    return state;
  }

  private async read(): Promise<MirrorState> {
    const held = this.state?.snapshot;
    const { version, roadNetworkId } = await readChangeVersion(this.db);
    if (held && version === held.version) return { snapshot: held, roadNetworkId };
    // First use, or a log behind ours (the database was restored or replaced): everything.
    if (!held || version < held.version) return { snapshot: await this.loadAll(), roadNetworkId };
    const changes = await this.readChanges(held.version);
    if (changes.reset) return { snapshot: await this.loadAll(), roadNetworkId };
    const byId = new Map(held.byId);
    for (const id of changes.removedIds) byId.delete(id);
    for (const station of changes.changed) byId.set(station.id, station);
    await parseHoursAhead(changes.changed);
    return { snapshot: new StationSnapshot(changes.version, byId), roadNetworkId };
  }

  private async loadAll(): Promise<StationSnapshot> {
    const all = await this.readChanges(FROM_THE_START);
    await parseHoursAhead(all.changed);
    return new StationSnapshot(all.version, new Map(all.changed.map((s) => [s.id, s])));
  }

  /**
   * What changed after `since`, in id-ordered chunks. The version is the first chunk's: rows
   * changed between chunks come again with the next sync, which is harmless.
   */
  private async readChanges(since: number): Promise<StationChanges> {
    const first = await readStationChanges(this.db, since, 0, this.chunk);
    const changed = [...first.changed];
    let page = first.changed;
    while (page.length === this.chunk) {
      page = (await readStationChanges(this.db, since, page.at(-1)!.id, this.chunk)).changed;
      changed.push(...page);
    }
    return { ...first, changed };
  }
}
