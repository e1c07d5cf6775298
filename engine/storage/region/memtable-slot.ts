/**
 * A memtable plus what the region must know to flush it safely.
 *
 * A put picks its slot, takes its sequences and appends to the WAL in one synchronous step,
 * and writes the memtable when the append resolves. So every write into an older slot has a
 * smaller WAL entry id and smaller sequences than every write into a newer one. A flush
 * switches slots, then waits for `drained()` (writes already logged for the old slot land in
 * it), and only then freezes it: `maxEntryId` is then exactly the WAL position the SST covers.
 */

import { Memtable } from '../memtable/index.ts';
import type { RegionSchema } from '../region-schema.ts';

/** One memtable of a region, mutable or frozen (waiting to be flushed). */
export class MemtableSlot {
  readonly memtable: Memtable;
  /** The region's truncate epoch when the slot was made: a flush of an older epoch is discarded. */
  readonly epoch: number;
  /** Largest WAL entry id written into this memtable; 0 when none. */
  maxEntryId = 0;
  /** Largest sequence written into this memtable; -1 when none. */
  maxSequence = -1;
  private pending = 0;
  private waiters: (() => void)[] = [];

  constructor(schema: RegionSchema, epoch: number) {
    this.memtable = new Memtable(schema);
    this.epoch = epoch;
  }

  /** A write was logged (or is being logged) for this slot. */
  begin(): void {
    this.pending++;
  }

  /** That write is done: in the memtable (`entryId` given) or failed. */
  end(entryId: number | undefined, lastSequence: number): void {
    if (entryId !== undefined) {
      if (entryId > this.maxEntryId) this.maxEntryId = entryId;
      if (lastSequence > this.maxSequence) this.maxSequence = lastSequence;
    }
    this.pending--;
    if (this.pending === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves once no write begun for this slot is outstanding. */
  drained(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes logged for this slot that have not reached its memtable yet. */
  get pendingWrites(): number {
    return this.pending;
  }

  get estimatedBytes(): number {
    return this.memtable.estimatedBytes;
  }
}
