/**
 * Window functions (`f(...) OVER (PARTITION BY ... ORDER BY ... frame)`). Buffers the input
 * (reserved against the query's budget), and for each window expression sorts a row index by
 * partition and order keys, walks the partitions, and writes one value per input row. Output
 * rows keep input order: the input's columns followed by one column per window expression.
 *
 * Aggregates over a frame reuse the aggregate's GroupsAccumulator: frames that start at the
 * partition's first row grow one accumulator row by row; other frames fold their rows afresh.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { Chunk, Column } from '../column.ts';
import {
  arrowSchema,
  batchColumns,
  columnBytes,
  columnsBatch,
  concatColumns,
  columnFromValues,
  emptyValues,
  keyValueAt,
  sliceColumn,
  takeColumn,
} from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { planningError } from '../errors.ts';
import type { Evaluator } from '../evaluate.ts';
import { compileExpr } from '../evaluate.ts';
import { exprType } from '../expr-type.ts';
import { aggregateFunction } from '../functions/registry.ts';
import type { WindowPartition } from '../functions/window-functions.ts';
import { windowFunction } from '../functions/window-functions.ts';
import type { PlanField, SortExpr } from '../logical-plan.ts';
import type { PlanExpr, WindowFrame } from '../plan-expr.ts';
import { formatPlanExpr } from '../plan-expr.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';
import { sortIndices } from './sort-exec.ts';

type WindowExpr = Extract<PlanExpr, { kind: 'window' }>;

interface CompiledWindow {
  expr: WindowExpr;
  type: SqlType;
  argTypes: SqlType[];
  args: Evaluator[];
  partitionBy: Evaluator[];
  orderBy: Evaluator[];
}

/** Evaluates window expressions over the whole input. */
export class WindowExec implements ExecutionPlan {
  readonly name = 'WindowAggExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #input: ExecutionPlan;
  readonly #windows: CompiledWindow[];

  constructor(input: ExecutionPlan, windowExprs: PlanExpr[], fields: PlanField[]) {
    this.#input = input;
    this.fields = fields;
    this.schema = arrowSchema(fields);
    this.#windows = windowExprs.map((expr, index) => {
      if (expr.kind !== 'window') throw planningError(`${formatPlanExpr(expr)} is not a window expression`);
      return {
        expr,
        type: fields[input.fields.length + index].type,
        argTypes: expr.args.map((arg) => exprType(arg, input.fields)),
        args: expr.args.map((arg) => compileExpr(arg, input.fields)),
        partitionBy: expr.partitionBy.map((key) => compileExpr(key, input.fields)),
        orderBy: expr.orderBy.map((key) => compileExpr(key.expr, input.fields)),
      };
    });
  }

  children(): ExecutionPlan[] {
    return [this.#input];
  }

  describe(): string {
    return `WindowAggExec: wdw=[${this.#windows.map((window) => formatPlanExpr(window.expr)).join(', ')}]`;
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    const reservation = context.memory.reservation(this.name);
    try {
      const chunks: Chunk[] = [];
      for await (const batch of this.#input.execute(context)) {
        const chunk = batchColumns(batch);
        if (chunk.length === 0) continue;
        reservation.grow(chunk.columns.reduce((sum, column) => sum + columnBytes(column), 0));
        chunks.push(chunk);
      }
      const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      if (length === 0) return;
      const merged: Chunk = {
        columns: this.#input.fields.map((field, index) =>
          concatColumns(
            field.type,
            chunks.map((chunk) => chunk.columns[index]),
          ),
        ),
        length,
      };
      const columns = [...merged.columns, ...this.#windows.map((window) => evaluateWindow(window, merged))];
      for (let start = 0; start < length; start += context.batchSize) {
        const size = Math.min(context.batchSize, length - start);
        yield columnsBatch(this.schema, {
          columns: columns.map((column) => sliceColumn(column, start, size)),
          length: size,
        });
      }
    } finally {
      reservation.free();
    }
  }
}

function isValid(column: Column, row: number): boolean {
  return column.type !== 'Null' && (column.valid === null || column.valid[row] === 1);
}

/** Whether two rows hold the same value (NULLs equal, NaN equal to NaN). */
function sameValue(column: Column, a: number, b: number): boolean {
  const validA = isValid(column, a);
  if (validA !== isValid(column, b)) return false;
  if (!validA) return true;
  if (column.exact) return keyValueAt(column, a) === keyValueAt(column, b);
  const values = column.values as ArrayLike<number | string>;
  const x = values[a];
  const y = values[b];
  return x === y || (x !== x && y !== y);
}

function evaluateWindow(window: CompiledWindow, chunk: Chunk): Column {
  const length = chunk.length;
  const args = window.args.map((arg) => arg(chunk));
  const partitionKeys = window.partitionBy.map((key) => key(chunk));
  const orderKeys = window.orderBy.map((key) => key(chunk));
  const sorts: SortExpr[] = [
    ...window.expr.partitionBy.map((expr) => ({ expr, asc: true, nullsFirst: false })),
    ...window.expr.orderBy,
  ];
  const order = sortIndices([...partitionKeys, ...orderKeys], sorts, length);
  const out = new Array<number | string | null>(length).fill(null);
  let start = 0;
  while (start < length) {
    let end = start + 1;
    while (end < length && partitionKeys.every((key) => sameValue(key, order[start], order[end]))) end++;
    const rows = order.subarray(start, end);
    evaluatePartition(window, args, orderKeys, partitionOf(rows, orderKeys), out);
    start = end;
  }
  return buildColumn(window.type, out);
}

function partitionOf(rows: Uint32Array, orderKeys: Column[]): WindowPartition {
  const count = rows.length;
  const peerStart = new Uint32Array(count);
  const peerEnd = new Uint32Array(count);
  let groupStart = 0;
  for (let k = 1; k <= count; k++) {
    if (k < count && orderKeys.every((key) => sameValue(key, rows[k - 1], rows[k]))) continue;
    for (let j = groupStart; j < k; j++) {
      peerStart[j] = groupStart;
      peerEnd[j] = k;
    }
    groupStart = k;
  }
  return { rows, peerStart, peerEnd };
}

function evaluatePartition(
  window: CompiledWindow,
  args: Column[],
  orderKeys: Column[],
  partition: WindowPartition,
  out: (number | string | null)[],
): void {
  const special = windowFunction(window.expr.name);
  if (special?.scoreFrame !== undefined) {
    const rows = partition.rows;
    for (let k = 0; k < rows.length; k++) {
      const begin = frameStart(window.expr.frame, partition, orderKeys, k);
      const end = frameEnd(window.expr.frame, partition, orderKeys, k);
      out[rows[k]] = special.scoreFrame(args, rows.subarray(begin, Math.max(begin, end)), rows[k]);
    }
    return;
  }
  if (special !== undefined) {
    special.evaluate(args, partition, out);
    return;
  }
  const fn = aggregateFunction(window.expr.name);
  if (fn === undefined) throw planningError(`Invalid function '${window.expr.name}'.`);
  const rows = partition.rows;
  const count = rows.length;
  const frame = window.expr.frame;
  const fold = (positions: Uint32Array): number | string | null => {
    const accumulator = fn.createAccumulator(window.argTypes, window.type);
    const indices = new Uint32Array(positions.length);
    for (let i = 0; i < positions.length; i++) indices[i] = rows[positions[i]];
    accumulator.update(
      args.map((column) => takeColumn(column, indices)),
      new Int32Array(positions.length),
      1,
    );
    return readValue(accumulator.finish(1), 0);
  };
  if (frame.start.kind === 'preceding' && frame.start.offset === null) {
    // Running frame: grow one accumulator and read it at each row's frame end.
    const accumulator = fn.createAccumulator(window.argTypes, window.type);
    let fed = 0;
    let last: number | string | null = readValue(accumulator.finish(1), 0);
    for (let k = 0; k < count; k++) {
      const end = frameEnd(frame, partition, orderKeys, k);
      if (end > fed) {
        const indices = rows.slice(fed, end);
        accumulator.update(
          args.map((column) => takeColumn(column, indices)),
          new Int32Array(indices.length),
          1,
        );
        fed = end;
        last = readValue(accumulator.finish(1), 0);
      }
      out[rows[k]] = last;
    }
    return;
  }
  for (let k = 0; k < count; k++) {
    const begin = frameStart(frame, partition, orderKeys, k);
    const end = frameEnd(frame, partition, orderKeys, k);
    const positions = new Uint32Array(Math.max(0, end - begin));
    for (let i = 0; i < positions.length; i++) positions[i] = begin + i;
    out[rows[k]] = fold(positions);
  }
}

/** The first position in the frame of position k. */
function frameStart(frame: WindowFrame, partition: WindowPartition, orderKeys: Column[], k: number): number {
  const bound = frame.start;
  const count = partition.rows.length;
  if (bound.offset === null && bound.kind !== 'current-row') return bound.kind === 'preceding' ? 0 : count;
  if (frame.units === 'ROWS') {
    const offset = bound.offset ?? 0;
    const at = bound.kind === 'current-row' ? k : bound.kind === 'preceding' ? k - offset : k + offset;
    return Math.min(Math.max(at, 0), count);
  }
  if (bound.kind === 'current-row' || bound.offset === 0) return partition.peerStart[k];
  return rangeBound(partition, orderKeys, k, bound.kind === 'preceding' ? -bound.offset! : bound.offset!, true);
}

/** One past the last position in the frame of position k. */
function frameEnd(frame: WindowFrame, partition: WindowPartition, orderKeys: Column[], k: number): number {
  const bound = frame.end;
  const count = partition.rows.length;
  if (bound.offset === null && bound.kind !== 'current-row') return bound.kind === 'following' ? count : 0;
  if (frame.units === 'ROWS') {
    const offset = bound.offset ?? 0;
    const at = bound.kind === 'current-row' ? k : bound.kind === 'preceding' ? k - offset : k + offset;
    return Math.min(Math.max(at + 1, 0), count);
  }
  if (bound.kind === 'current-row' || bound.offset === 0) return partition.peerEnd[k];
  return rangeBound(partition, orderKeys, k, bound.kind === 'preceding' ? -bound.offset! : bound.offset!, false);
}

/**
 * RANGE frames with an offset: positions whose (single, numeric) order key lies within
 * `delta` of row k's key, in the order's direction. `lower` asks for the first such position,
 * otherwise one past the last.
 */
function rangeBound(partition: WindowPartition, orderKeys: Column[], k: number, delta: number, lower: boolean): number {
  const key = orderKeys[0];
  const rows = partition.rows;
  if (key === undefined || !isValid(key, rows[k])) return lower ? partition.peerStart[k] : partition.peerEnd[k];
  const values = key.values as Float64Array;
  const ascending =
    rows.length < 2 || !isValid(key, rows[0]) || !isValid(key, rows[rows.length - 1])
      ? true
      : values[rows[0]] <= values[rows[rows.length - 1]];
  const target = values[rows[k]] + (ascending ? delta : -delta);
  const inside = (position: number): boolean => {
    if (!isValid(key, rows[position])) return false;
    const value = values[rows[position]];
    return lower ? (ascending ? value >= target : value <= target) : ascending ? value <= target : value >= target;
  };
  if (lower) {
    let position = 0;
    while (position < rows.length && !inside(position)) position++;
    return position;
  }
  let position = rows.length;
  while (position > 0 && !inside(position - 1)) position--;
  return position;
}

function readValue(column: Column, row: number): number | string | null {
  if (!isValid(column, row)) return null;
  // A 64-bit value past 2^53 is read as its bigint (buildColumn keeps it).
  if (column.exact) return keyValueAt(column, row) as number;
  return (column.values as ArrayLike<number | string>)[row];
}

function buildColumn(type: SqlType, out: (number | string | null)[]): Column {
  const length = out.length;
  // 64-bit values past 2^53 arrive as bigints (lag / lead / first_value of nanoseconds).
  if (type !== 'Null' && out.some((value) => typeof value === 'bigint')) return columnFromValues(type, out);
  const values = emptyValues(type, length) as unknown[];
  const valid = new Uint8Array(length);
  let anyNull = false;
  for (let i = 0; i < length; i++) {
    const value = out[i];
    if (value === null || type === 'Null') {
      anyNull = true;
      continue;
    }
    values[i] = value;
    valid[i] = 1;
  }
  return { type, length, values: values as Column['values'], valid: anyNull ? valid : null };
}
