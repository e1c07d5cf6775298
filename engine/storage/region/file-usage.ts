/**
 * Keeps SSTs that scans are reading from being deleted under them. A compaction, TTL expiry or
 * truncate removes files from the manifest at once, but the objects are deleted only when no
 * scan that started before holds them (GreptimeDB's file purger does the same).
 */

import type { Logger } from '../../common/index.ts';
import type { ObjectStore } from '../object-store/index.ts';
import { sstPathOf } from './region-layout.ts';

/** Per-region reference counts of SSTs in use by scans, and deletions waiting for them. */
export class FileUsage {
  private readonly refs = new Map<string, number>();
  private readonly doomed = new Set<string>();
  private readonly store: ObjectStore;
  private readonly regionDir: string;
  private readonly logger: Logger;
  private readonly deletions = new Set<Promise<void>>();

  constructor(store: ObjectStore, regionDir: string, logger: Logger) {
    this.store = store;
    this.regionDir = regionDir;
    this.logger = logger;
  }

  acquire(fileIds: Iterable<string>): void {
    for (const id of fileIds) this.refs.set(id, (this.refs.get(id) ?? 0) + 1);
  }

  release(fileIds: Iterable<string>): void {
    for (const id of fileIds) {
      const count = (this.refs.get(id) ?? 1) - 1;
      if (count > 0) {
        this.refs.set(id, count);
        continue;
      }
      this.refs.delete(id);
      if (this.doomed.delete(id)) this.deleteNow(id);
    }
  }

  /** Deletes the objects of files no longer in the manifest, now or when their last scan ends. */
  remove(fileIds: Iterable<string>): void {
    for (const id of fileIds) {
      if (this.refs.has(id)) this.doomed.add(id);
      else this.deleteNow(id);
    }
  }

  /** Resolves when the deletions started so far are done. */
  async settle(): Promise<void> {
    await Promise.all([...this.deletions]);
  }

  private deleteNow(fileId: string): void {
    const path = sstPathOf(this.regionDir, fileId);
    const deletion = this.store.delete(path).then(
      () => undefined,
      // Harmless: orphan cleanup at the next open deletes it.
      (error: unknown) => this.logger.warn('storage.sst-delete-failed', { path, error: String(error) }),
    );
    this.deletions.add(deletion);
    void deletion.finally(() => this.deletions.delete(deletion));
  }
}
