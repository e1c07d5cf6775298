/**
 * One tag column of a memtable. Rows do not store tag values: a row stores its series id, a
 * series stores one value id per tag, and a value id names bytes in this tag's `ByteInterner`
 * (UTF-8 for strings, little-endian bytes for numbers). Writing a batch turns its tag column into
 * value ids; reading gathers values back per series run, since sorted rows come grouped by series.
 */

import { makeData, type Data, type Field } from 'apache-arrow';
import { isDictionaryTag } from '../arrow-types.ts';
import type { ColumnSchema } from '../region-schema.ts';
import {
  ByteInterner,
  OutputDictionary,
  TagColumn,
  arrowValuesOf,
  encodeKeyPiece,
  keyKindOf,
  newWordArray,
  nullKeyPiece,
  validityFromKeys,
  valueLayoutOf,
  type KeyKind,
  type ValueLayout,
} from '../merge/index.ts';

/** Sorted rows grouped by series: rows `[starts[r], starts[r + 1])` are series `series[r]`. */
export interface SeriesRuns {
  rows: number;
  count: number;
  starts: Int32Array;
  series: Int32Array;
}

/** A tag's distinct values and their key pieces. */
export class TagStore {
  readonly column: ColumnSchema;
  readonly field: Field;
  readonly interner = new ByteInterner();
  private readonly kind: KeyKind;
  private readonly layout: ValueLayout;
  private readonly dictionary: OutputDictionary | undefined;
  private readonly pieces: string[] = [];
  private pieceBytes = 0;

  constructor(column: ColumnSchema, field: Field) {
    this.column = column;
    this.field = field;
    this.kind = keyKindOf(column.type);
    this.layout = valueLayoutOf(column.type);
    this.dictionary = isDictionaryTag(column) ? new OutputDictionary(this.interner) : undefined;
  }

  /** Value ids of rows `[0, n)` of `data` (undefined: all null) into `out`; -1 is null. */
  intern(data: Data | undefined, n: number, out: Int32Array): void {
    const width = this.layout.kind === 'fixed' ? this.layout.byteWidth : 0;
    new TagColumn(this.kind, data, n, width).internAll(this.interner, out);
  }

  /** The key piece of value id `id` (-1: null), cached. */
  pieceOf(id: number): string {
    if (id < 0) return nullKeyPiece;
    let piece = this.pieces[id];
    if (piece === undefined) {
      const interner = this.interner;
      piece = encodeKeyPiece(this.kind, interner.arena, interner.start(id), interner.end(id));
      this.pieces[id] = piece;
      this.pieceBytes += 16 + 2 * piece.length;
    }
    return piece;
  }

  /**
   * Arrow data of this tag for `runs.rows` sorted rows, given as series runs: rows
   * `[runs.starts[r], runs.starts[r + 1])` belong to series `runs.series[r]`. A value is looked
   * up once per run and filled across it.
   */
  gather(runs: SeriesRuns, tuples: Int32Array, tagCount: number, tag: number): Data {
    const n = runs.rows;
    const interner = this.interner;
    if (this.dictionary !== undefined) {
      const dictionary = this.dictionary;
      dictionary.reset();
      const keys = new Int32Array(n);
      for (let r = 0; r < runs.count; r++) {
        const id = tuples[runs.series[r]! * tagCount + tag]!;
        keys.fill(id < 0 ? -1 : dictionary.keyOf(id), runs.starts[r]!, runs.starts[r + 1]!);
      }
      const { bitmap, nullCount } = validityFromKeys(keys);
      return makeData({
        type: this.field.type,
        length: n,
        nullCount,
        nullBitmap: bitmap,
        data: keys,
        dictionary: dictionary.toVector(),
      } as never);
    }
    const ids = new Int32Array(n);
    for (let r = 0; r < runs.count; r++)
      ids.fill(tuples[runs.series[r]! * tagCount + tag]!, runs.starts[r]!, runs.starts[r + 1]!);
    // Other tag types are rare: copy each value's bytes.
    let nullCount = 0;
    for (let j = 0; j < n; j++) if (ids[j]! < 0) nullCount++;
    let bitmap: Uint8Array | undefined;
    if (nullCount > 0) {
      bitmap = new Uint8Array((n + 7) >> 3);
      for (let j = 0; j < n; j++) if (ids[j]! >= 0) bitmap[j >> 3]! |= 1 << (j & 7);
    }
    const arena = interner.arena;
    switch (this.layout.kind) {
      case 'fixed': {
        const width = this.layout.byteWidth;
        const words = newWordArray(this.layout.words, n * this.layout.stride);
        const bytes = new Uint8Array(words.buffer, words.byteOffset, n * width);
        for (let j = 0; j < n; j++) {
          const value = ids[j]!;
          if (value < 0) continue;
          const start = interner.start(value);
          for (let k = 0; k < width; k++) bytes[j * width + k] = arena[start + k]!;
        }
        return makeData({
          type: this.field.type,
          length: n,
          nullCount,
          nullBitmap: bitmap,
          data: arrowValuesOf(this.column.type, words),
        } as never);
      }
      case 'bool': {
        const values = new Uint8Array((n + 7) >> 3);
        for (let j = 0; j < n; j++) {
          const value = ids[j]!;
          if (value >= 0 && arena[interner.start(value)] === 1) values[j >> 3]! |= 1 << (j & 7);
        }
        return makeData({ type: this.field.type, length: n, nullCount, nullBitmap: bitmap, data: values } as never);
      }
      case 'binary': {
        const offsets = new Int32Array(n + 1);
        let total = 0;
        for (let j = 0; j < n; j++) {
          const value = ids[j]!;
          if (value >= 0) total += interner.end(value) - interner.start(value);
          offsets[j + 1] = total;
        }
        const bytes = new Uint8Array(total);
        for (let j = 0; j < n; j++) {
          const value = ids[j]!;
          if (value >= 0) bytes.set(arena.subarray(interner.start(value), interner.end(value)), offsets[j]!);
        }
        return makeData({
          type: this.field.type,
          length: n,
          nullCount,
          nullBitmap: bitmap,
          valueOffsets: offsets,
          data: bytes,
        } as never);
      }
    }
  }

  /** Bytes held, including spare capacity and cached key pieces (estimated). */
  get byteSize(): number {
    return this.interner.byteSize + this.pieceBytes + 8 * this.pieces.length;
  }
}
