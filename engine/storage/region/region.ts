/**
 * One open region's in-memory state: its manifest (the durable truth), the mutable memtable
 * and the frozen ones waiting to be flushed, the next sequence, and the bookkeeping that keeps
 * flushes, compactions, truncates and scans out of each other's way.
 *
 * Concurrency, all on one event loop: puts run concurrently with everything except an alter
 * (which pauses them); manifest edits and maintenance run one at a time through `queue`;
 * a flush and a compaction each run at most once at a time per region (`flushing`,
 * `compacting`).
 */

import { ErrorCode, TesseraError, type Logger } from '../../common/index.ts';
import type { RegionManifestManager, RegionManifestState, RegionOptions } from '../manifest/index.ts';
import type { RegionSchema } from '../region-schema.ts';
import type { SstMeta } from '../sst/index.ts';
import type { FileUsage } from './file-usage.ts';
import { MemtableSlot } from './memtable-slot.ts';
import { SerialQueue } from './serial-queue.ts';

/** Lifecycle of an open region object. */
export type RegionPhase = 'open' | 'closing' | 'closed' | 'dropped';

/** An open region; see the module comment. */
export class Region {
  readonly regionId: number;
  readonly regionDir: string;
  readonly manifest: RegionManifestManager;
  readonly logger: Logger;
  readonly queue = new SerialQueue();
  readonly files: FileUsage;
  /** SST footers already read (or just written), by file id: scans skip the footer read. */
  readonly sstMetas = new Map<string, SstMeta>();
  mutable: MemtableSlot;
  /** Oldest first; removed once their SST is in the manifest. */
  frozen: MemtableSlot[] = [];
  /** The sequence the next row gets. */
  nextSequence: number;
  /** Bumped by truncate: slots and flushes of an earlier epoch hold truncated rows. */
  epoch = 0;
  phase: RegionPhase = 'open';
  flushing: Promise<void> | undefined;
  compacting: Promise<void> | undefined;
  /** Set while an alter runs: puts wait for it. */
  writesPaused: Promise<void> | undefined;
  /**
   * Set by `downgrade` while the region migrates to another datanode: puts and deletes are
   * refused (retryable RegionReadonly) until `upgrade` (a rolled back migration) or close.
   */
  downgraded = false;

  constructor(manifest: RegionManifestManager, files: FileUsage, logger: Logger) {
    this.manifest = manifest;
    this.regionId = manifest.state.regionId;
    this.regionDir = manifest.regionDir;
    this.files = files;
    this.logger = logger;
    const state = manifest.state;
    this.nextSequence = Math.max(state.flushedSequence, state.truncatedSequence ?? 0) + 1;
    this.mutable = new MemtableSlot(state.schema, this.epoch);
  }

  get state(): RegionManifestState {
    return this.manifest.state;
  }

  get schema(): RegionSchema {
    return this.manifest.state.schema;
  }

  get options(): RegionOptions {
    return this.manifest.state.options;
  }

  /** Every memtable a scan must read: frozen ones, then the mutable one. */
  memtableSlots(): MemtableSlot[] {
    return [...this.frozen, this.mutable];
  }

  /** Bytes of all its memtables. */
  memtableBytes(): number {
    let bytes = this.mutable.estimatedBytes;
    for (const slot of this.frozen) bytes += slot.estimatedBytes;
    return bytes;
  }

  /** Throws `RegionNotFound` unless the region takes requests. */
  checkOpen(): void {
    if (this.phase !== 'open') {
      throw new TesseraError(ErrorCode.RegionNotFound, `Region ${this.regionId} is ${this.phase}`);
    }
  }

  /** Moves writes to a new memtable; the old one joins `frozen` (it may still take writes already logged for it). */
  switchMemtable(): MemtableSlot {
    const old = this.mutable;
    this.frozen.push(old);
    this.mutable = new MemtableSlot(this.schema, this.epoch);
    return old;
  }
}
