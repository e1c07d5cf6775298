/**
 * Builds one output column of a merge batch from *segments*: runs of consecutive rows of one
 * source batch, in output order. Long segments are copied with `TypedArray.set` (a memcpy),
 * short ones element by element; string tags are filled per primary-key run (a tag is constant
 * within a run), so a tag costs one dictionary lookup per series, not per row.
 */

import { makeData, type Data } from 'apache-arrow';
import type { ByteInterner } from './byte-interner.ts';
import { arrowValuesOf, newWordArray } from './column-types.ts';
import type { OutputDictionary } from './output-dictionary.ts';
import type { OutputColumn, SourceBatch } from './source-batch.ts';

/** Output rows as runs of consecutive rows of one source: row `start[s] + k` of `sources[source[s]]`. */
export class Segments {
  count = 0;
  rows = 0;
  source = new Int32Array(256);
  start = new Int32Array(256);
  length = new Int32Array(256);
  /** Primary-key run (in its source batch) of each segment's first row; filled by `locateRuns`. */
  run = new Int32Array(256);

  /** Rebuilds from per-row (source id, row) pairs, rows `[0, n)`. */
  fill(sourceIds: Int32Array, rows: Int32Array, n: number): void {
    if (this.source.length < n) {
      let size = this.source.length;
      while (size < n) size *= 2;
      this.source = new Int32Array(size);
      this.start = new Int32Array(size);
      this.length = new Int32Array(size);
      this.run = new Int32Array(size);
    }
    let count = 0;
    let i = 0;
    while (i < n) {
      const source = sourceIds[i]!;
      const start = rows[i]!;
      let j = i + 1;
      while (j < n && sourceIds[j] === source && rows[j] === start + (j - i)) j++;
      this.source[count] = source;
      this.start[count] = start;
      this.length[count] = j - i;
      count++;
      i = j;
    }
    this.count = count;
    this.rows = n;
  }

  /** Fills `run` (once per batch, shared by every tag column). Segments of a source come in row order. */
  locateRuns(sources: readonly SourceBatch[]): void {
    const hints = new Int32Array(sources.length);
    for (let s = 0; s < this.count; s++) {
      const id = this.source[s]!;
      const source = sources[id]!;
      const row = this.start[s]!;
      const starts = source.runs.starts;
      let run = hints[id]!;
      // Usually the same or the next run as this source's previous segment.
      if (starts[run]! > row) run = source.runOf(row);
      else {
        let steps = 0;
        while (starts[run + 1]! <= row && steps < 8) {
          run++;
          steps++;
        }
        if (starts[run + 1]! <= row) run = source.runOf(row);
      }
      hints[id] = run;
      this.run[s] = run;
    }
  }
}

/** The string tags' merge-wide value set and the current batch's dictionary over it. */
export interface TagDictionary {
  interner: ByteInterner;
  dictionary: OutputDictionary;
}

/** Output column `c` (`output`) for the rows `segments` name, as Arrow data. */
export function gatherColumn(
  output: OutputColumn,
  c: number,
  sources: readonly SourceBatch[],
  segments: Segments,
  tagDictionary: TagDictionary | undefined,
): Data {
  if (output.tagIndex >= 0) return gatherDictionaryTag(output, sources, segments, tagDictionary!);
  const n = segments.rows;
  const { bitmap, nullCount } = gatherValidity(c, sources, segments);
  const layout = output.layout;
  switch (layout.kind) {
    case 'fixed': {
      const stride = layout.stride;
      const out = newWordArray(layout.words, n * stride);
      // Resolved once per column: interleaved sources make segments of one row.
      const wordsBySource = sources.map((source) => source.wordsOf(c, layout));
      let at = 0;
      for (let s = 0; s < segments.count; s++) {
        const length = segments.length[s]!;
        const words = wordsBySource[segments.source[s]!];
        if (words !== undefined) {
          const count = length * stride;
          const from = segments.start[s]! * stride;
          const to = at * stride;
          if (count >= 24) (out as Float64Array).set((words as Float64Array).subarray(from, from + count), to);
          else for (let k = 0; k < count; k++) out[to + k] = words[from + k]!;
        }
        at += length;
      }
      return makeData({
        type: output.field.type,
        length: n,
        nullCount,
        nullBitmap: bitmap,
        data: arrowValuesOf(output.column.type, out),
      } as never);
    }
    case 'bool': {
      const out = new Uint8Array((n + 7) >> 3);
      let at = 0;
      for (let s = 0; s < segments.count; s++) {
        const length = segments.length[s]!;
        const data = sources[segments.source[s]!]!.columns[c];
        if (data !== undefined) {
          const values = data.values as Uint8Array;
          const from = data.offset + segments.start[s]!;
          for (let k = 0; k < length; k++) {
            const bit = from + k;
            if ((values[bit >> 3]! >> (bit & 7)) & 1) out[(at + k) >> 3]! |= 1 << ((at + k) & 7);
          }
        }
        at += length;
      }
      return makeData({ type: output.field.type, length: n, nullCount, nullBitmap: bitmap, data: out } as never);
    }
    case 'binary': {
      let total = 0;
      for (let s = 0; s < segments.count; s++) {
        const data = sources[segments.source[s]!]!.columns[c];
        if (data === undefined) continue;
        const offsets = data.valueOffsets as Int32Array;
        total += offsets[segments.start[s]! + segments.length[s]!]! - offsets[segments.start[s]!]!;
      }
      const outOffsets = new Int32Array(n + 1);
      const outBytes = new Uint8Array(total);
      let at = 0;
      let position = 0;
      for (let s = 0; s < segments.count; s++) {
        const length = segments.length[s]!;
        const start = segments.start[s]!;
        const data = sources[segments.source[s]!]!.columns[c];
        if (data === undefined) {
          for (let k = 1; k <= length; k++) outOffsets[at + k] = position;
        } else {
          const offsets = data.valueOffsets as Int32Array;
          const base = offsets[start]!;
          const end = offsets[start + length]!;
          outBytes.set((data.values as Uint8Array).subarray(base, end), position);
          const shift = position - base;
          for (let k = 1; k <= length; k++) outOffsets[at + k] = offsets[start + k]! + shift;
          position += end - base;
        }
        at += length;
      }
      return makeData({
        type: output.field.type,
        length: n,
        nullCount,
        nullBitmap: bitmap,
        valueOffsets: outOffsets,
        data: outBytes,
      } as never);
    }
  }
}

/** Sets bits `[from, to)` of `bitmap`. */
export function setBitRange(bitmap: Uint8Array, from: number, to: number): void {
  let i = from;
  while (i < to && (i & 7) !== 0) {
    bitmap[i >> 3]! |= 1 << (i & 7);
    i++;
  }
  if (to - i >= 8) {
    const byteEnd = to >> 3;
    bitmap.fill(0xff, i >> 3, byteEnd);
    i = byteEnd << 3;
  }
  while (i < to) {
    bitmap[i >> 3]! |= 1 << (i & 7);
    i++;
  }
}

function gatherValidity(
  c: number,
  sources: readonly SourceBatch[],
  segments: Segments,
): { bitmap: Uint8Array | undefined; nullCount: number } {
  // Per source, not per segment: interleaved sources make many one-row segments. A source
  // with nulls that no segment uses only costs an all-valid bitmap pass.
  const anyNull = sources.some((source) => {
    const data = source.columns[c];
    return data === undefined || data.nullCount > 0;
  });
  if (!anyNull) return { bitmap: undefined, nullCount: 0 };
  const n = segments.rows;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let at = 0;
  let valid = 0;
  for (let s = 0; s < segments.count; s++) {
    const length = segments.length[s]!;
    const data = sources[segments.source[s]!]!.columns[c];
    if (data !== undefined) {
      if (data.nullCount === 0) {
        setBitRange(bitmap, at, at + length);
        valid += length;
      } else {
        const source = data.nullBitmap as Uint8Array;
        const from = data.offset + segments.start[s]!;
        for (let k = 0; k < length; k++) {
          const bit = from + k;
          if ((source[bit >> 3]! >> (bit & 7)) & 1) {
            bitmap[(at + k) >> 3]! |= 1 << ((at + k) & 7);
            valid++;
          }
        }
      }
    }
    at += length;
  }
  return valid === n ? { bitmap: undefined, nullCount: 0 } : { bitmap, nullCount: n - valid };
}

/** Keys `-1` mark nulls: returns the validity bitmap and null count, and sets those keys to 0. */
export function validityFromKeys(keys: Int32Array): { bitmap: Uint8Array | undefined; nullCount: number } {
  let nullCount = 0;
  for (let i = 0; i < keys.length; i++) if (keys[i]! < 0) nullCount++;
  if (nullCount === 0) return { bitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array((keys.length + 7) >> 3);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i]! < 0) keys[i] = 0;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { bitmap, nullCount };
}

function gatherDictionaryTag(
  output: OutputColumn,
  sources: readonly SourceBatch[],
  segments: Segments,
  tags: TagDictionary,
): Data {
  const n = segments.rows;
  const keys = new Int32Array(n);
  const { interner, dictionary } = tags;
  dictionary.reset();
  const tagIndex = output.tagIndex;
  let at = 0;
  for (let s = 0; s < segments.count; s++) {
    const source = sources[segments.source[s]!]!;
    const ids = source.tagIdsByRun(tagIndex);
    const start = segments.start[s]!;
    const end = start + segments.length[s]!;
    const starts = source.runs.starts;
    let run = segments.run[s]!;
    let row = start;
    while (row < end) {
      const runEnd = Math.min(starts[run + 1]!, end);
      let id = ids[run]!;
      if (id === -2) {
        const tag = source.tags[tagIndex]!;
        id = tag.isValid(row) ? tag.internAt(row, interner) : -1;
        ids[run] = id;
      }
      const key = id < 0 ? -1 : dictionary.keyOf(id);
      const from = at + row - start;
      const to = at + runEnd - start;
      if (to - from > 16) keys.fill(key, from, to);
      else for (let k = from; k < to; k++) keys[k] = key;
      row = runEnd;
      run++;
    }
    at += end - start;
  }
  const { bitmap, nullCount } = validityFromKeys(keys);
  return makeData({
    type: output.field.type,
    length: n,
    nullCount,
    nullBitmap: bitmap,
    data: keys,
    dictionary: dictionary.toVector(),
  } as never);
}
