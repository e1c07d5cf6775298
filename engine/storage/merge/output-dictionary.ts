/**
 * Builds the dictionary of one output batch's string tag column from ids of a long-lived
 * `ByteInterner` (all the values a memtable or a merge has seen): each batch gets a small
 * dictionary of only the values it uses, numbered in first-use order, so batches stay compact
 * for IPC and Parquet however many series the source holds.
 */

import { Utf8, makeData, makeVector, type Vector } from 'apache-arrow';
import type { ByteInterner } from './byte-interner.ts';

/** Maps interner ids to per-batch dictionary keys; `reset()` starts the next batch. */
export class OutputDictionary {
  private readonly interner: ByteInterner;
  /** `localOf[id]` is valid when `stampOf[id] === stamp`. */
  private localOf = new Int32Array(64);
  private stampOf = new Int32Array(64);
  private stamp = 1;
  /** Interner ids in local-key order. */
  private used = new Int32Array(64);
  private usedCount = 0;

  constructor(interner: ByteInterner) {
    this.interner = interner;
  }

  /** Forgets the current batch's dictionary. */
  reset(): void {
    this.stamp++;
    this.usedCount = 0;
  }

  /** The key of interner id `id` in the current batch's dictionary, adding it if new. */
  keyOf(id: number): number {
    if (id >= this.stampOf.length) this.grow(id + 1);
    if (this.stampOf[id] === this.stamp) return this.localOf[id]!;
    const key = this.usedCount++;
    if (key >= this.used.length) {
      const used = new Int32Array(this.used.length * 2);
      used.set(this.used);
      this.used = used;
    }
    this.used[key] = id;
    this.stampOf[id] = this.stamp;
    this.localOf[id] = key;
    return key;
  }

  /** The current batch's dictionary: a new Utf8 vector (never shared with another batch). */
  toVector(): Vector<Utf8> {
    const { interner, used } = this;
    const count = this.usedCount;
    const offsets = new Int32Array(count + 1);
    let total = 0;
    for (let k = 0; k < count; k++) {
      const id = used[k]!;
      total += interner.end(id) - interner.start(id);
      offsets[k + 1] = total;
    }
    const bytes = new Uint8Array(total);
    const arena = interner.arena;
    for (let k = 0; k < count; k++) {
      const id = used[k]!;
      const start = interner.start(id);
      const end = interner.end(id);
      const at = offsets[k]!;
      if (end - start > 32) bytes.set(arena.subarray(start, end), at);
      else for (let i = start; i < end; i++) bytes[at + i - start] = arena[i]!;
    }
    return makeVector(makeData({ type: new Utf8(), length: count, nullCount: 0, valueOffsets: offsets, data: bytes }));
  }

  private grow(size: number): void {
    let length = this.stampOf.length;
    while (length < size) length *= 2;
    const localOf = new Int32Array(length);
    localOf.set(this.localOf);
    this.localOf = localOf;
    const stampOf = new Int32Array(length);
    stampOf.set(this.stampOf);
    this.stampOf = stampOf;
  }
}
