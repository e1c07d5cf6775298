/**
 * Reads one tag column of a sorted-run batch whatever its Arrow encoding — `Dictionary<int,
 * Utf8|Binary>` (the sorted-run format), plain `Utf8`/`Binary`, booleans, fixed-width numbers, or
 * absent (a tag added after the batch was written: every value null) — for the three things the
 * merge needs: where the value changes from one row to the next, the key piece of a row, and a
 * row's value interned into a merge-wide dictionary.
 *
 * Per-value work is done once per dictionary entry where there is a dictionary (key pieces and
 * interned ids are cached per entry), so a string tag costs an `Int32Array` read per row.
 */

import { Type, type Data, type Vector } from 'apache-arrow';
import type { ByteInterner } from './byte-interner.ts';
import { encodeKeyPiece, nullKeyPiece, type KeyKind } from './key-encoding.ts';

/** A dictionary's values flattened to one offsets + bytes pair (dictionaries may be chunked). */
interface DictionaryEntries {
  length: number;
  offsets: Int32Array;
  bytes: Uint8Array;
  /** Per entry 1 = valid, or undefined when no entry is null. */
  valid: Uint8Array | undefined;
}

const entriesCache = new WeakMap<object, DictionaryEntries>();

function dictionaryEntriesOf(dictionary: Vector): DictionaryEntries {
  const cached = entriesCache.get(dictionary);
  if (cached) return cached;
  const chunks = dictionary.data as Data[];
  let entries: DictionaryEntries;
  if (chunks.length === 1 && chunks[0]!.nullCount === 0) {
    const chunk = chunks[0]!;
    entries = {
      length: chunk.length,
      offsets: chunk.valueOffsets as Int32Array,
      bytes: chunk.values as Uint8Array,
      valid: undefined,
    };
  } else {
    let length = 0;
    let byteLength = 0;
    for (const chunk of chunks) {
      length += chunk.length;
      byteLength += chunk.valueOffsets[chunk.length]! - chunk.valueOffsets[0]!;
    }
    const offsets = new Int32Array(length + 1);
    const bytes = new Uint8Array(byteLength);
    const valid = new Uint8Array(length).fill(1);
    let entry = 0;
    let at = 0;
    for (const chunk of chunks) {
      const chunkOffsets = chunk.valueOffsets as Int32Array;
      const chunkBytes = chunk.values as Uint8Array;
      for (let i = 0; i < chunk.length; i++, entry++) {
        const start = chunkOffsets[i]!;
        const end = chunkOffsets[i + 1]!;
        bytes.set(chunkBytes.subarray(start, end), at);
        at += end - start;
        offsets[entry + 1] = at;
        if (chunk.nullCount > 0 && !chunk.getValid(i)) valid[entry] = 0;
      }
    }
    entries = { length, offsets, bytes, valid };
  }
  entriesCache.set(dictionary, entries);
  return entries;
}

/** Dictionary keys as an int array of numbers (64-bit keys are converted once). */
function dictionaryKeysOf(data: Data): ArrayLike<number> {
  const keys = data.values as ArrayLike<number | bigint>;
  if (keys instanceof BigInt64Array || keys instanceof BigUint64Array) {
    const converted = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) converted[i] = Number(keys[i]);
    return converted;
  }
  return keys as ArrayLike<number>;
}

type Mode = 'null' | 'dictionary' | 'binary' | 'bool' | 'fixed';

/** One tag column of one batch, ready for boundary detection, key pieces and interning. */
export class TagColumn {
  readonly kind: KeyKind;
  private readonly mode: Mode;
  private readonly length: number;
  private readonly bitmap: Uint8Array | undefined;
  private readonly bitOffset: number;
  // dictionary
  private readonly keys: ArrayLike<number> | undefined;
  private readonly entries: DictionaryEntries | undefined;
  private pieces: (string | undefined)[] | undefined;
  private internedIds: Int32Array | undefined;
  // binary: offsets + bytes; bool: bytes is the value bitmap; fixed: bytes is a byte view
  private readonly offsets: Int32Array | undefined;
  private readonly bytes: Uint8Array | undefined;
  private readonly width: number;

  /** `data` undefined: the column is missing from the batch, every row is null. `width`: bytes per fixed value. */
  constructor(kind: KeyKind, data: Data | undefined, length: number, width: number) {
    this.kind = kind;
    this.length = length;
    this.width = width;
    if (data === undefined) {
      this.mode = 'null';
      this.bitmap = undefined;
      this.bitOffset = 0;
      return;
    }
    this.bitmap = data.nullCount > 0 ? (data.nullBitmap as Uint8Array) : undefined;
    this.bitOffset = data.offset;
    if (data.typeId === Type.Dictionary) {
      this.mode = 'dictionary';
      this.keys = dictionaryKeysOf(data);
      this.entries = dictionaryEntriesOf(data.dictionary!);
    } else if (data.typeId === Type.Utf8 || data.typeId === Type.Binary) {
      this.mode = 'binary';
      this.offsets = data.valueOffsets as Int32Array;
      this.bytes = data.values as Uint8Array;
    } else if (data.typeId === Type.Bool) {
      this.mode = 'bool';
      this.bytes = data.values as Uint8Array;
    } else {
      this.mode = 'fixed';
      const values = data.values as ArrayBufferView;
      this.bytes = new Uint8Array(values.buffer, values.byteOffset, length * width);
    }
  }

  /** Whether row `i` holds a value. */
  isValid(i: number): boolean {
    if (this.mode === 'null') return false;
    if (this.bitmap !== undefined) {
      const bit = this.bitOffset + i;
      if (((this.bitmap[bit >> 3]! >> (bit & 7)) & 1) === 0) return false;
    }
    if (this.mode === 'dictionary' && this.entries!.valid !== undefined)
      return this.entries!.valid[this.keys![i]!] === 1;
    return true;
  }

  /** Sets `changed[i] = 1` for every row `i > 0` whose value differs from row `i - 1`'s. */
  markChanges(changed: Uint8Array): void {
    const n = this.length;
    if (this.mode === 'null' || n < 2) return;
    if (this.bitmap !== undefined || (this.mode === 'dictionary' && this.entries!.valid !== undefined)) {
      let previous = this.isValid(0);
      for (let i = 1; i < n; i++) {
        const valid = this.isValid(i);
        if (valid !== previous || (valid && this.differs(i))) changed[i] = 1;
        previous = valid;
      }
      return;
    }
    switch (this.mode) {
      case 'dictionary': {
        // Different keys can still name equal values (a dictionary may repeat a value), so a
        // key change is confirmed on the bytes; it happens once per series, not per row.
        const keys = this.keys!;
        for (let i = 1; i < n; i++) if (keys[i] !== keys[i - 1] && this.differs(i)) changed[i] = 1;
        return;
      }
      default:
        for (let i = 1; i < n; i++) if (this.differs(i)) changed[i] = 1;
    }
  }

  /** The key piece of row `i` (see key-encoding.ts). */
  pieceAt(i: number): string {
    if (!this.isValid(i)) return nullKeyPiece;
    switch (this.mode) {
      case 'dictionary': {
        const key = this.keys![i]!;
        this.pieces ??= new Array<string | undefined>(this.entries!.length);
        let piece = this.pieces[key];
        if (piece === undefined) {
          const { offsets, bytes } = this.entries!;
          piece = encodeKeyPiece(this.kind, bytes, offsets[key]!, offsets[key + 1]!);
          this.pieces[key] = piece;
        }
        return piece;
      }
      case 'binary':
        return encodeKeyPiece(this.kind, this.bytes!, this.offsets![i]!, this.offsets![i + 1]!);
      case 'bool': {
        const bit = this.bitOffset + i;
        return encodeKeyPiece('bool', boolByte((this.bytes![bit >> 3]! >> (bit & 7)) & 1), 0, 1);
      }
      default:
        return encodeKeyPiece(this.kind, this.bytes!, i * this.width, (i + 1) * this.width);
    }
  }

  /**
   * Row `i`'s value (a string or binary tag, valid) as an id of `interner`. Dictionary entries
   * are interned once per batch; the same interner must be passed on every call.
   */
  internAt(i: number, interner: ByteInterner): number {
    if (this.mode === 'dictionary') {
      const key = this.keys![i]!;
      if (this.internedIds === undefined) this.internedIds = new Int32Array(this.entries!.length).fill(-1);
      let id = this.internedIds[key]!;
      if (id < 0) {
        const { offsets, bytes } = this.entries!;
        id = interner.intern(bytes, offsets[key]!, offsets[key + 1]!);
        this.internedIds[key] = id;
      }
      return id;
    }
    return interner.intern(this.bytes!, this.offsets![i]!, this.offsets![i + 1]!);
  }

  /**
   * Every row's value as an id of `interner` (any tag type: fixed-width values are interned as
   * their little-endian bytes), -1 for null, into `out[0, length)`. A row equal to the row before
   * reuses its id without hashing.
   */
  internAll(interner: ByteInterner, out: Int32Array): void {
    const n = this.length;
    if (this.mode === 'null') {
      out.fill(-1, 0, n);
      return;
    }
    const hasNulls = this.bitmap !== undefined || (this.mode === 'dictionary' && this.entries!.valid !== undefined);
    switch (this.mode) {
      case 'dictionary': {
        const keys = this.keys!;
        if (this.internedIds === undefined) this.internedIds = new Int32Array(this.entries!.length).fill(-1);
        const ids = this.internedIds;
        const { offsets, bytes } = this.entries!;
        for (let i = 0; i < n; i++) {
          if (hasNulls && !this.isValid(i)) {
            out[i] = -1;
            continue;
          }
          const key = keys[i]!;
          let id = ids[key]!;
          if (id < 0) {
            id = interner.intern(bytes, offsets[key]!, offsets[key + 1]!);
            ids[key] = id;
          }
          out[i] = id;
        }
        return;
      }
      case 'binary': {
        const offsets = this.offsets!;
        const bytes = this.bytes!;
        for (let i = 0; i < n; i++) {
          if (hasNulls && !this.isValid(i)) {
            out[i] = -1;
            continue;
          }
          const start = offsets[i]!;
          const end = offsets[i + 1]!;
          const previous = i > 0 ? out[i - 1]! : -1;
          out[i] =
            previous >= 0 && sameBytes(bytes, offsets[i - 1]!, start, bytes, start, end)
              ? previous
              : interner.intern(bytes, start, end);
        }
        return;
      }
      case 'bool':
        for (let i = 0; i < n; i++) {
          if (hasNulls && !this.isValid(i)) out[i] = -1;
          else {
            const bit = this.bitOffset + i;
            out[i] = interner.intern(boolByte((this.bytes![bit >> 3]! >> (bit & 7)) & 1), 0, 1);
          }
        }
        return;
      default: {
        const width = this.width;
        const bytes = this.bytes!;
        for (let i = 0; i < n; i++) {
          if (hasNulls && !this.isValid(i)) out[i] = -1;
          else out[i] = interner.intern(bytes, i * width, (i + 1) * width);
        }
      }
    }
  }

  private differs(i: number): boolean {
    switch (this.mode) {
      case 'dictionary': {
        const a = this.keys![i - 1]!;
        const b = this.keys![i]!;
        if (a === b) return false;
        const { offsets, bytes } = this.entries!;
        return !sameBytes(bytes, offsets[a]!, offsets[a + 1]!, bytes, offsets[b]!, offsets[b + 1]!);
      }
      case 'binary': {
        const offsets = this.offsets!;
        return !sameBytes(this.bytes!, offsets[i - 1]!, offsets[i]!, this.bytes!, offsets[i]!, offsets[i + 1]!);
      }
      case 'bool': {
        const a = this.bitOffset + i - 1;
        const b = a + 1;
        return ((this.bytes![a >> 3]! >> (a & 7)) & 1) !== ((this.bytes![b >> 3]! >> (b & 7)) & 1);
      }
      default: {
        const width = this.width;
        return !sameBytes(this.bytes!, (i - 1) * width, i * width, this.bytes!, i * width, (i + 1) * width);
      }
    }
  }
}

const boolBytes = [new Uint8Array([0]), new Uint8Array([1])] as const;

function boolByte(bit: number): Uint8Array {
  return boolBytes[bit]!;
}

function sameBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
