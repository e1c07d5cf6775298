/**
 * ORDER BY. Buffers its input (reserved against the query's budget), sorts an index array by
 * the key columns, and takes each column once. With a `fetch` (ORDER BY ... LIMIT k) it is a
 * top-k: whenever the buffer passes a threshold it is sorted and cut to k rows, so memory stays
 * O(k + batch) however large the input.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { isWide } from '../exact-integers.ts';
import type { Chunk, Column } from '../column.ts';
import { batchColumns, columnBytes, columnsBatch, concatColumns, sliceColumn } from '../column.ts';
import type { Evaluator } from '../evaluate.ts';
import { compileExpr } from '../evaluate.ts';
import type { PlanField, SortExpr } from '../logical-plan.ts';
import { formatSortExpr } from '../plan-printer.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';
import { takeChunk } from './selection.ts';

/** Sort, or top-k when `fetch` is set. Stable: equal keys keep input order. */
export class SortExec implements ExecutionPlan {
  readonly name = 'SortExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #input: ExecutionPlan;
  readonly #orderBy: SortExpr[];
  readonly #fetch: number | null;
  readonly #keys: Evaluator[];

  constructor(input: ExecutionPlan, orderBy: SortExpr[], fetch: number | null) {
    this.#input = input;
    this.#orderBy = orderBy;
    this.#fetch = fetch;
    this.fields = input.fields;
    this.schema = input.schema;
    this.#keys = orderBy.map((sort) => compileExpr(sort.expr, input.fields));
  }

  children(): ExecutionPlan[] {
    return [this.#input];
  }

  describe(): string {
    const kind = this.#fetch === null ? 'SortExec' : `SortExec: TopK(fetch=${this.#fetch})`;
    return `${kind}: expr=[${this.#orderBy.map(formatSortExpr).join(', ')}]`;
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    const reservation = context.memory.reservation(this.name);
    const fetch = this.#fetch;
    const threshold = fetch === null ? Infinity : Math.max(fetch * 2, context.batchSize);
    let buffered: Chunk[] = [];
    let rows = 0;
    let bytes = 0;
    // Top-k: once k rows are kept, the first sort key of the k-th row is a bar that a new row
    // must reach (ties included) to be buffered at all; most rows of a large input fail it in
    // one vectorized pass and are never sorted.
    let bar: { value: number | string; valid: boolean } | null = null;
    try {
      for await (const batch of this.#input.execute(context)) {
        let chunk = batchColumns(batch);
        if (bar !== null) {
          const selection = reachesBar(this.#keys[0](chunk), bar, this.#orderBy[0]);
          if (selection.length === 0) continue;
          if (selection.length < chunk.length) chunk = takeChunk(chunk, selection);
        }
        if (chunk.length === 0) continue;
        const chunkBytes = chunk.columns.reduce((sum, column) => sum + columnBytes(column), 0);
        reservation.grow(chunkBytes);
        bytes += chunkBytes;
        buffered.push(chunk);
        rows += chunk.length;
        if (rows > threshold) {
          const top = this.#sorted(buffered, fetch);
          buffered = [top];
          rows = top.length;
          if (fetch !== null && rows === fetch && fetch > 0) {
            const key = this.#keys[0](top);
            const last = rows - 1;
            const valid = key.type !== 'Null' && (key.valid === null || key.valid[last] === 1);
            bar = { value: valid ? (key.values as ArrayLike<number | string>)[last] : 0, valid };
          }
          bytes = top.columns.reduce((sum, column) => sum + columnBytes(column), 0);
          reservation.resize(bytes);
        }
      }
      if (rows === 0) return;
      const sorted = this.#sorted(buffered, fetch);
      buffered = [];
      for (let start = 0; start < sorted.length; start += context.batchSize) {
        const length = Math.min(context.batchSize, sorted.length - start);
        yield columnsBatch(this.schema, {
          columns: sorted.columns.map((column) => sliceColumn(column, start, length)),
          length,
        });
      }
    } finally {
      reservation.free();
    }
  }

  /** The buffered chunks as one chunk in sorted order, cut to `fetch` rows. */
  #sorted(chunks: Chunk[], fetch: number | null): Chunk {
    const merged: Chunk =
      chunks.length === 1
        ? chunks[0]
        : {
            columns: chunks[0].columns.map((column, index) =>
              concatColumns(
                column.type,
                chunks.map((chunk) => chunk.columns[index]),
              ),
            ),
            length: chunks.reduce((sum, chunk) => sum + chunk.length, 0),
          };
    const keys = this.#keys.map((key) => key(merged));
    const indices = sortIndices(keys, this.#orderBy, merged.length);
    const kept = fetch !== null && indices.length > fetch ? indices.subarray(0, fetch) : indices;
    return takeChunk(merged, kept);
  }
}

/** Rows whose first sort key is not strictly worse than the bar (the k-th kept row's key). */
function reachesBar(key: Column, bar: { value: number | string; valid: boolean }, sort: SortExpr): Uint32Array {
  const length = key.length;
  const values = key.values as ArrayLike<number | string> | null;
  const valid = key.type === 'Null' ? new Uint8Array(length) : key.valid;
  const keep = new Uint8Array(length);
  let count = 0;
  for (let i = 0; i < length; i++) {
    const isValid = valid === null || valid[i] === 1;
    let ok: boolean;
    if (!isValid || !bar.valid) {
      // NULLs are all equal; a NULL beats a value only when nulls come first.
      if (!isValid && !bar.valid) ok = true;
      else if (!isValid) ok = sort.nullsFirst;
      else ok = !sort.nullsFirst;
    } else {
      const value = values![i];
      // NaN sorts above every number (as DataFusion's total order); keep it conservatively.
      if (bar.value !== bar.value) ok = sort.asc || value !== value;
      else ok = value !== value || (sort.asc ? value <= bar.value : value >= bar.value);
    }
    if (ok) {
      keep[i] = 1;
      count++;
    }
  }
  const selection = new Uint32Array(count);
  let next = 0;
  for (let i = 0; i < length; i++) if (keep[i] === 1) selection[next++] = i;
  return selection;
}

/** Row indices in sort order; comparisons read the key arrays directly (no row objects). */
export function sortIndices(keys: Column[], orderBy: SortExpr[], length: number): Uint32Array {
  const indices = new Uint32Array(length);
  for (let i = 0; i < length; i++) indices[i] = i;
  const comparators = keys.map((key, k) => {
    const values = key.values as ArrayLike<number | string> | null;
    const valid = key.type === 'Null' ? new Uint8Array(length) : key.valid;
    const direction = orderBy[k].asc ? 1 : -1;
    const nulls = orderBy[k].nullsFirst ? -1 : 1;
    const exact = key.exact ?? null;
    if (exact !== null) {
      // 64-bit keys past 2^53: floats order every pair except ties, which the exact words decide.
      const floats = values as Float64Array;
      return (a: number, b: number): number => {
        if (valid !== null) {
          const va = valid[a];
          const vb = valid[b];
          if (va === 0 || vb === 0) return va === vb ? 0 : va === 0 ? nulls : -nulls;
        }
        const x = floats[a];
        const y = floats[b];
        if (x !== y) return x < y ? -direction : direction;
        if (!isWide(x)) return 0;
        const ex = exact[a];
        const ey = exact[b];
        return ex < ey ? -direction : ex > ey ? direction : 0;
      };
    }
    return (a: number, b: number): number => {
      if (valid !== null) {
        const va = valid[a];
        const vb = valid[b];
        if (va === 0 || vb === 0) return va === vb ? 0 : va === 0 ? nulls : -nulls;
      }
      const x = values![a];
      const y = values![b];
      // NaN sorts after every number ascending, as in DataFusion (total order on floats).
      if (x !== x || y !== y) return x !== x ? (y !== y ? 0 : direction) : -direction;
      return x < y ? -direction : x > y ? direction : 0;
    };
  });
  if (comparators.length === 1) {
    const compare = comparators[0];
    indices.sort((a, b) => compare(a, b) || a - b);
  } else {
    indices.sort((a, b) => {
      for (const compare of comparators) {
        const order = compare(a, b);
        if (order !== 0) return order;
      }
      return a - b;
    });
  }
  return indices;
}
