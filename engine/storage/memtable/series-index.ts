/**
 * Assigns a dense series id to every distinct tag tuple a memtable sees. A tuple is the tag
 * value ids (one `ByteInterner` id per tag, -1 for null), so a series is found by hashing a few
 * ints: the hash is computed column by column over the whole batch (one tight loop per tag), then
 * each row probes an open-addressing table of `Int32Array`s and compares its ints. No string or
 * object is built per row.
 */

const emptySlot = -1;

/** Tag tuples → series ids 0, 1, 2, … in first-seen order. */
export class SeriesIndex {
  readonly tagCount: number;
  /** Number of series. */
  count = 0;
  /** Tag value ids of series `s` at `[s * tagCount, (s + 1) * tagCount)`. */
  tuples: Int32Array;
  private hashes: Int32Array;
  private table: Int32Array;
  private mask: number;
  private scratch = new Int32Array(0);

  constructor(tagCount: number) {
    this.tagCount = tagCount;
    this.tuples = new Int32Array(Math.max(1, tagCount) * 64);
    this.hashes = new Int32Array(64);
    this.table = new Int32Array(128).fill(emptySlot);
    this.mask = 127;
  }

  /**
   * Writes the series id of rows `[0, n)` into `out[at, at + n)`; `valueIds[t][i]` is row `i`'s
   * value id for tag `t`.
   */
  assign(valueIds: readonly Int32Array[], n: number, out: Int32Array, at: number): void {
    const k = this.tagCount;
    if (k === 0) {
      if (this.count === 0) this.count = 1;
      out.fill(0, at, at + n);
      return;
    }
    if (this.scratch.length < n) this.scratch = new Int32Array(n);
    const hashes = this.scratch;
    hashes.fill(0x2545f491, 0, n);
    for (let t = 0; t < k; t++) {
      const ids = valueIds[t]!;
      for (let i = 0; i < n; i++) hashes[i] = Math.imul(hashes[i]! ^ ids[i]!, 0x9e3779b1) ^ (hashes[i]! >>> 15);
    }
    for (let i = 0; i < n; i++) {
      let hash = hashes[i]!;
      hash ^= hash >>> 16;
      hash = Math.imul(hash, 0x85ebca6b);
      hash ^= hash >>> 13;
      out[at + i] = this.findOrAdd(valueIds, i, hash);
    }
  }

  /** Bytes held, including spare capacity. */
  get byteSize(): number {
    return this.tuples.byteLength + this.hashes.byteLength + this.table.byteLength + this.scratch.byteLength;
  }

  private findOrAdd(valueIds: readonly Int32Array[], row: number, hash: number): number {
    const k = this.tagCount;
    let slot = hash & this.mask;
    for (;;) {
      const id = this.table[slot]!;
      if (id === emptySlot) break;
      if (this.hashes[id] === hash) {
        const base = id * k;
        let t = 0;
        while (t < k && this.tuples[base + t] === valueIds[t]![row]) t++;
        if (t === k) return id;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.count;
    if ((id + 1) * k > this.tuples.length) {
      const tuples = new Int32Array(this.tuples.length * 2);
      tuples.set(this.tuples);
      this.tuples = tuples;
    }
    if (id >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    for (let t = 0; t < k; t++) this.tuples[id * k + t] = valueIds[t]![row]!;
    this.hashes[id] = hash;
    this.table[slot] = id;
    this.count = id + 1;
    if (this.count * 2 > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(emptySlot);
    const mask = table.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hashes[id]! & mask;
      while (table[slot] !== emptySlot) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
    this.mask = mask;
  }
}
