/**
 * The areas' text index (a few hundred to a few thousand rows), rebuilt when the areas table's
 * version changes. The version is checked at most every few seconds: areas change by an admin's
 * import, rarely, and a search box asks on every keystroke.
 */
import type { AppDatabase } from '../../db/client.js';
import {
  readAreasVersion,
  readSearchableAreas,
  type SearchableArea,
} from './area-search.repository.js';
import { foldedForms, TextIndex } from './text-index.js';

const CHECK_EVERY_MS = 5_000;

export interface AreaIndex {
  version: string;
  areas: SearchableArea[];
  text: TextIndex;
}

export class AreaSearch {
  private held: AreaIndex | null = null;
  private checkedAt = -Infinity;
  private running: Promise<AreaIndex> | null = null;

  constructor(
    private readonly db: AppDatabase,
    private readonly checkEveryMs = CHECK_EVERY_MS,
  ) {}

  current(): Promise<AreaIndex> {
    if (this.held && performance.now() - this.checkedAt < this.checkEveryMs) {
      return Promise.resolve(this.held);
    }
    this.running ??= this.refresh().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async refresh(): Promise<AreaIndex> {
    const started = performance.now();
    const version = await readAreasVersion(this.db);
    if (this.held?.version !== version) {
      const areas = await readSearchableAreas(this.db);
      const text = TextIndex.of(
        areas.map((a) => foldedForms({ name: a.name, nameEn: a.name_en })),
      );
      this.held = { version, areas, text };
    }
    this.checkedAt = started;
    return this.held;
  }
}
