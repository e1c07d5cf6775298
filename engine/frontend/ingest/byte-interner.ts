/**
 * Distinct byte strings → dense ids, looked up straight from a request body: the hot paths
 * of the protocol decoders name tables, columns and tag values by byte ranges, so a repeated
 * name or tag value costs a hash and a byte compare, never a JS string. Strings are decoded
 * once per distinct value (`stringOf`), when a batch is built or a column is created.
 *
 * Open addressing over an `Int32Array` (id + 1, 0 = empty), keys in one growing arena.
 */

const textDecoder = new TextDecoder('utf-8', { fatal: true });

export class ByteInterner {
  private arena = new Uint8Array(256);
  private arenaUsed = 0;
  private starts = new Int32Array(16);
  private hashes = new Int32Array(16);
  private slots = new Int32Array(32);
  private strings: (string | undefined)[] = [];
  size = 0;

  /** The id of `bytes[start, end)`, adding it when new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    return this.internHashed(bytes, start, end, hashBytes(bytes, start, end));
  }

  /** `intern` with the range's FNV-1a `hash` already computed (by a caller that scanned it anyway). */
  internHashed(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === hash && this.equals(id, bytes, start, end)) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.size++;
    this.store(id, hash, bytes, start, end);
    this.slots[slot] = id + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  /**
   * The length of value `id` when `bytes` hold it at `start` (within `end`), else -1: checks a
   * guessed id without hashing the range first.
   */
  lengthAt(id: number, bytes: Uint8Array, start: number, end: number): number {
    const from = this.starts[id]!;
    const length = this.starts[id + 1]! - from;
    if (start + length > end) return -1;
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[from + i] !== bytes[start + i]) return -1;
    return length;
  }

  /** The id of a JS string (interned as UTF-8). */
  internString(value: string): number {
    const bytes = Buffer.from(value, 'utf8');
    return this.intern(bytes, 0, bytes.length);
  }

  /** Value `id` as a string; throws InvalidArguments-worthy TypeError on invalid UTF-8. */
  stringOf(id: number): string {
    let text = this.strings[id];
    if (text === undefined) {
      text = textDecoder.decode(this.arena.subarray(this.starts[id]!, this.starts[id + 1]!));
      this.strings[id] = text;
    }
    return text;
  }

  /** Every value as UTF-8 bytes with Arrow Utf8 offsets (ids in order). */
  utf8(): { offsets: Int32Array; bytes: Uint8Array } {
    const offsets = new Int32Array(this.size + 1);
    offsets.set(this.starts.subarray(0, this.size + 1));
    return { offsets, bytes: this.arena.slice(0, this.arenaUsed) };
  }

  private equals(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[id]!;
    const length = end - start;
    if (this.starts[id + 1]! - from !== length) return false;
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[from + i] !== bytes[start + i]) return false;
    return true;
  }

  private store(id: number, hash: number, bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.arenaUsed += length;
    if (id + 2 > this.starts.length) {
      const starts = new Int32Array(this.starts.length * 2);
      starts.set(this.starts);
      this.starts = starts;
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[id] = hash;
    this.starts[id + 1] = this.arenaUsed;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashes[id]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}

export const fnvOffset = 0x811c9dc5;
export const fnvPrime = 0x01000193;

/** FNV-1a over a byte range. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}
