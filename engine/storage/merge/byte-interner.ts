/**
 * Interns byte strings (UTF-8 tag values, raw little-endian bytes of numeric tags) into dense
 * ids 0, 1, 2, … without building a JS string or object per lookup: values are copied once into
 * one growing byte arena, and an open-addressing table of `Int32Array`s maps a hash to ids.
 *
 * Used by the memtable (tag value ids, from which series ids are built) and by the merge and
 * sorted-run builders (one dictionary for tag values that come from many batch dictionaries).
 */

const emptySlot = -1;

/** FNV-1a over `bytes[start, end)`, as an int32. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}

/** A set of byte strings with dense ids in insertion order. */
export class ByteInterner {
  /** The bytes of every value, back to back; value `id` is `arena[offsets[id], offsets[id + 1])`. */
  arena: Uint8Array;
  /** `count + 1` used entries. */
  offsets: Int32Array;
  /** Number of distinct values. */
  count = 0;
  private hashes: Int32Array;
  private table: Int32Array;
  private mask: number;

  constructor(expectedValues = 64) {
    let size = 16;
    while (size < expectedValues * 2) size *= 2;
    this.table = new Int32Array(size).fill(emptySlot);
    this.mask = size - 1;
    this.hashes = new Int32Array(Math.max(8, expectedValues));
    this.offsets = new Int32Array(Math.max(8, expectedValues) + 1);
    this.arena = new Uint8Array(Math.max(64, expectedValues * 16));
  }

  /** The id of `bytes[start, end)`, adding it if new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(bytes, start, end);
    const length = end - start;
    const { table, mask, offsets, arena } = this;
    let slot = hash & mask;
    for (;;) {
      const id = table[slot]!;
      if (id === emptySlot) break;
      if (this.hashes[id] === hash) {
        const at = offsets[id]!;
        if (offsets[id + 1]! - at === length) {
          let equal = true;
          for (let i = 0; i < length; i++) {
            if (arena[at + i] !== bytes[start + i]) {
              equal = false;
              break;
            }
          }
          if (equal) return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.add(bytes, start, end, hash, slot);
  }

  /** The id of `bytes[start, end)`, or -1 when it was never interned. */
  find(bytes: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(bytes, start, end);
    const length = end - start;
    let slot = hash & this.mask;
    for (;;) {
      const id = this.table[slot]!;
      if (id === emptySlot) return -1;
      if (this.hashes[id] === hash && this.offsets[id + 1]! - this.offsets[id]! === length) {
        const at = this.offsets[id]!;
        let equal = true;
        for (let i = 0; i < length; i++) {
          if (this.arena[at + i] !== bytes[start + i]) {
            equal = false;
            break;
          }
        }
        if (equal) return id;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Start of value `id` in `arena`. */
  start(id: number): number {
    return this.offsets[id]!;
  }

  /** End (exclusive) of value `id` in `arena`. */
  end(id: number): number {
    return this.offsets[id + 1]!;
  }

  /** Bytes held, including spare capacity (for memory accounting). */
  get byteSize(): number {
    return this.arena.byteLength + this.offsets.byteLength + this.hashes.byteLength + this.table.byteLength;
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const id = this.count;
    const length = end - start;
    if (id >= this.hashes.length) {
      // `offsets` always has one entry more than `hashes`.
      const offsets = new Int32Array(this.hashes.length * 2 + 1);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    const at = this.offsets[id]!;
    if (at + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, at + length));
      arena.set(this.arena.subarray(0, at));
      this.arena = arena;
    }
    this.arena.set(bytes.subarray(start, end), at);
    this.offsets[id + 1] = at + length;
    this.hashes[id] = hash;
    this.table[slot] = id;
    this.count = id + 1;
    // Keep the table at most half full so probes stay short.
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
