/**
 * GreptimeDB's RangeSelectExec: buffers its input, then for every range aggregate hands each row
 * to the slots `(series, align_ts)` whose window `[align_ts, align_ts + range)` holds its time
 * (align_ts = alignTo + k * align; a row may fall in several slots when range > align). A slot
 * exists when any range aggregate put a row in it, and then every aggregate of the node has a
 * value there (count 0, min NULL, ...). Series are the distinct BY keys. With a FILL anywhere,
 * each series also gets every align_ts between its first and last slot, valued as an empty
 * aggregate, and each aggregate's FILL (NULL, PREV, LINEAR, a constant) replaces its NULLs.
 * Output: series by first appearance, times ascending.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { Column, RowValue } from '../column.ts';
import {
  arrowSchema,
  batchColumns,
  columnBytes,
  columnsBatch,
  concatColumns,
  columnFromValues,
  emptyValues,
  takeColumn,
} from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { bigintOfFloat, isWide, packExact } from '../exact-integers.ts';
import { timestampTicksPerSecond } from '../data-type.ts';
import { executionError } from '../errors.ts';
import type { Evaluator } from '../evaluate.ts';
import { castColumn, compileExpr } from '../evaluate.ts';
import { exprType } from '../expr-type.ts';
import type { AggregateFunction } from '../functions/function.ts';
import { aggregateFunction } from '../functions/registry.ts';
import type { LogicalPlan, PlanField, SortExpr } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { aggregateArgs, exprOutputName, formatPlanExpr } from '../plan-expr.ts';
import type { RangeFill, RangeFn } from '../range-select.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';
import { GroupKeys } from './group-keys.ts';
import { sortIndices } from './sort-exec.ts';

type RangeSelectNode = Extract<LogicalPlan, { kind: 'range-select' }>;

/** One range aggregate's compiled parts. */
interface RangeState {
  range: RangeFn;
  aggregate: Extract<PlanExpr, { kind: 'aggregate' }>;
  fn: AggregateFunction;
  args: Evaluator[];
  /** Row order inside a slot: the ORDER BY keys; first_value / last_value default to time. */
  orderKeys: Evaluator[];
  orderBy: SortExpr[];
  argTypes: SqlType[];
}

export class RangeSelectExec implements ExecutionPlan {
  readonly name = 'RangeSelectExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #input: ExecutionPlan;
  readonly #node: RangeSelectNode;

  constructor(input: ExecutionPlan, node: RangeSelectNode) {
    this.#input = input;
    this.#node = node;
    this.fields = node.schema;
    this.schema = arrowSchema(node.schema);
  }

  children(): ExecutionPlan[] {
    return [this.#input];
  }

  describe(): string {
    const node = this.#node;
    return `RangeSelectExec: range_expr=[${node.rangeExprs.map((range) => range.name).join(', ')}], align=${node.alignMs}ms, align_to=${node.alignToMs}ms, align_by=[${node.by.map(formatPlanExpr).join(', ')}], time_index=${exprOutputName(node.timeIndex)}`;
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    const node = this.#node;
    const inputFields = this.#input.fields;
    const timeType = node.schema[node.rangeExprs.length].type;
    const ticksPerSecond = timestampTicksPerSecond(timeType);
    const time = compileExpr(node.timeIndex, inputFields);
    const keys = node.by.map((expr) => compileExpr(expr, inputFields));
    const states = node.rangeExprs.map((range) => compileRange(range, node.timeIndex, inputFields));

    // Buffer the input as the columns the node reads.
    const parts: Column[][] = [];
    const reservation = context.memory.reservation(this.name);
    let bytes = 0;
    try {
      for await (const batch of this.#input.execute(context)) {
        const chunk = batchColumns(batch);
        if (chunk.length === 0) continue;
        const columns = [time(chunk), ...keys.map((key) => key(chunk))];
        for (const state of states) {
          for (const arg of state.args) columns.push(arg(chunk));
          for (const key of state.orderKeys) columns.push(key(chunk));
        }
        bytes += columns.reduce((total, column) => total + columnBytes(column), 0);
        reservation.resize(bytes);
        parts.push(columns);
      }
      if (parts.length === 0) return;
      const all = parts[0].map((first, index) =>
        concatColumns(
          first.type,
          parts.map((part) => part[index]),
        ),
      );
      parts.length = 0;
      yield* this.#output(all, states, ticksPerSecond, timeType, context.batchSize);
    } finally {
      reservation.free();
    }
  }

  *#output(
    all: Column[],
    states: RangeState[],
    ticksPerSecond: number,
    timeType: SqlType,
    batchSize: number,
  ): Iterable<RecordBatch> {
    const node = this.#node;
    const length = all[0].length;
    const timeColumn = all[0];
    const keyColumns = all.slice(1, 1 + node.by.length);
    const series = new GroupKeys(keyColumns.length);
    const seriesIds = series.assign(keyColumns, length);

    // Times in milliseconds (arrow's cast truncates finer units).
    const times = timeColumn.values as Float64Array;
    const millis = new Float64Array(length);
    for (let i = 0; i < length; i++) millis[i] = Math.trunc((times[i] * 1000) / ticksPerSecond);

    // Pass 1: the slots each aggregate's rows fall in; slots are shared by all aggregates.
    const slotIds = new Map<number, Map<number, number>>();
    const slotSeries: number[] = [];
    const slotOf = (seriesId: number, alignTs: number): number => {
      let bySeries = slotIds.get(seriesId);
      if (bySeries === undefined) {
        bySeries = new Map();
        slotIds.set(seriesId, bySeries);
      }
      let id = bySeries.get(alignTs);
      if (id === undefined) {
        id = slotSeries.length;
        bySeries.set(alignTs, id);
        slotSeries.push(seriesId);
      }
      return id;
    };
    const { alignMs, alignToMs } = node;
    const feeds = states.map((state) => {
      const rows: number[] = [];
      const slots: number[] = [];
      for (let i = 0; i < length; i++) {
        if (timeColumn.valid !== null && timeColumn.valid[i] === 0) continue;
        const ts = millis[i];
        let alignTs = Math.floor((ts - alignToMs) / alignMs) * alignMs + alignToMs;
        while (alignTs <= ts && ts < alignTs + state.range.rangeMs) {
          rows.push(i);
          slots.push(slotOf(seriesIds[i], alignTs));
          alignTs -= alignMs;
        }
      }
      return { rows, slots };
    });
    const slotCount = slotSeries.length;
    // One more slot never fed: the value of an empty window, for filled times.
    const padding = slotCount;

    // Pass 2: fold every aggregate over its slots.
    let offset = 1 + node.by.length;
    const results = states.map((state, index) => {
      const argColumns = all.slice(offset, offset + state.args.length);
      const keyColumnsOfOrder = all.slice(
        offset + state.args.length,
        offset + state.args.length + state.orderKeys.length,
      );
      offset += state.args.length + state.orderKeys.length;
      const feed = feeds[index];
      let rows = Uint32Array.from(feed.rows);
      let slots: Int32Array = Int32Array.from(feed.slots);
      if (state.orderKeys.length > 0) {
        const slotColumn: Column = {
          type: 'Int64',
          length: slots.length,
          values: Float64Array.from(slots),
          valid: null,
        };
        const order = sortIndices(
          [slotColumn, ...keyColumnsOfOrder.map((column) => takeColumn(column, rows))],
          [{ expr: { kind: 'literal', type: 'Null', value: null }, asc: true, nullsFirst: false }, ...state.orderBy],
          rows.length,
        );
        rows = rows.map((_, i) => rows[order[i]]);
        slots = slots.map((_, i) => slots[order[i]]);
      }
      let args = argColumns.map((column) => takeColumn(column, rows));
      if (state.aggregate.distinct && args.length > 0) ({ args, slots } = distinctRows(args, slots));
      const returnType = state.fn.returnType(state.argTypes);
      const accumulator = state.fn.createAccumulator(state.argTypes, returnType, { grouped: true });
      accumulator.update(args, slots, slotCount + 1);
      const result = accumulator.finish(slotCount + 1);
      return result.type === state.range.type ? result : castColumn(result, state.range.type, false);
    });

    // The output rows: per series, its slot times (or every step between first and last).
    const fill = node.rangeExprs.some((range) => range.fill !== null);
    const outSlots: number[] = [];
    const outTimes: number[] = [];
    const outSeries: number[] = [];
    const segments: [number, number][] = [];
    for (let seriesId = 0; seriesId < series.count; seriesId++) {
      const bySeries = slotIds.get(seriesId);
      if (bySeries === undefined) continue;
      const times = [...bySeries.keys()].sort((a, b) => a - b);
      const start = outSlots.length;
      if (fill) {
        for (let ts = times[0]; ts <= times[times.length - 1]; ts += alignMs) {
          outSlots.push(bySeries.get(ts) ?? padding);
          outTimes.push(ts);
          outSeries.push(seriesId);
        }
      } else {
        for (const ts of times) {
          outSlots.push(bySeries.get(ts)!);
          outTimes.push(ts);
          outSeries.push(seriesId);
        }
      }
      segments.push([start, outSlots.length]);
    }
    const rowCount = outSlots.length;
    const slotIndices = Uint32Array.from(outSlots);
    const columns: Column[] = results.map((result, index) => {
      const column = takeColumn(result, slotIndices);
      const rangeFill = node.rangeExprs[index].fill;
      if (rangeFill !== null) for (const [start, end] of segments) applyFill(rangeFill, column, outTimes, start, end);
      return column;
    });
    const timeValues = new Float64Array(rowCount);
    for (let i = 0; i < rowCount; i++) timeValues[i] = Math.trunc((outTimes[i] * ticksPerSecond) / 1000);
    if (ticksPerSecond > 1000 && timeValues.some(isWide)) {
      // Micro / nanosecond times past 2^53: the milliseconds scaled exactly (exact-integers.ts).
      const perMilli = BigInt(ticksPerSecond / 1000);
      const packed = packExact(
        outTimes.map((ms) => BigInt(ms) * perMilli),
        false,
      );
      columns.push({ type: timeType, length: rowCount, values: packed.values, valid: null, exact: packed.exact });
    } else columns.push({ type: timeType, length: rowCount, values: timeValues, valid: null });
    const seriesIndices = Uint32Array.from(outSeries);
    node.by.forEach((_key, k) => {
      const type = this.fields[node.rangeExprs.length + 1 + k].type;
      columns.push(takeColumn(keyValues(type, series.values[k], series.valid[k]), seriesIndices));
    });

    for (let start = 0; start < rowCount; start += batchSize) {
      const count = Math.min(batchSize, rowCount - start);
      const indices = new Uint32Array(count);
      for (let i = 0; i < count; i++) indices[i] = start + i;
      yield columnsBatch(this.schema, {
        columns: start === 0 && count === rowCount ? columns : columns.map((column) => takeColumn(column, indices)),
        length: count,
      });
    }
  }
}

function compileRange(range: RangeFn, timeIndex: PlanExpr, fields: PlanField[]): RangeState {
  const aggregate = range.aggregate;
  if (aggregate.kind !== 'aggregate')
    throw executionError(`Unexpected Expr: ${formatPlanExpr(aggregate)} in RangeSelect`);
  const fn = aggregateFunction(aggregate.name) as AggregateFunction;
  const args = aggregateArgs(aggregate);
  let orderBy: SortExpr[] = [];
  if (aggregate.withinGroup !== true && aggregate.orderBy !== undefined && aggregate.orderBy.length > 0) {
    orderBy = aggregate.orderBy.map(({ expr, asc, nullsFirst }) => ({ expr, asc, nullsFirst }));
  } else if (aggregate.name === 'first_value' || aggregate.name === 'last_value') {
    // Without ORDER BY, GreptimeDB orders first_value / last_value by the time index.
    orderBy = [{ expr: timeIndex, asc: true, nullsFirst: false }];
  }
  return {
    range,
    aggregate,
    fn,
    args: args.map((arg) => compileExpr(arg, fields)),
    orderKeys: orderBy.map((key) => compileExpr(key.expr, fields)),
    orderBy,
    argTypes: args.map((arg) => exprType(arg, fields)),
  };
}

/** Keeps the first row of each (slot, value) pair of the first argument; NULLs are dropped. */
function distinctRows(args: Column[], slots: Int32Array): { args: Column[]; slots: Int32Array } {
  const column = args[0];
  const values = column.values as ArrayLike<unknown> | null;
  const seen = new Set<string>();
  const picked: number[] = [];
  for (let i = 0; i < slots.length; i++) {
    if (column.type === 'Null' || (column.valid !== null && column.valid[i] === 0)) continue;
    const key = `${slots[i]}\u0001${String(values![i])}`;
    if (seen.has(key)) continue;
    seen.add(key);
    picked.push(i);
  }
  const indices = Uint32Array.from(picked);
  return { args: args.map((arg) => takeColumn(arg, indices)), slots: Int32Array.from(picked, (i) => slots[i]) };
}

/** A column of group key values (GroupKeys keeps them as plain arrays). */
function keyValues(type: SqlType, values: unknown[], valid: number[]): Column {
  const length = values.length;
  const out = emptyValues(type, length);
  if (out instanceof Float64Array && values.some((value) => typeof value === 'bigint')) {
    // 64-bit keys past 2^53 were grouped by their bigints.
    return columnFromValues(type, values.map((value, i) => (valid[i] === 0 ? null : value)) as RowValue[]);
  }
  if (out !== null) for (let i = 0; i < length; i++) if (valid[i] !== 0) (out as unknown[])[i] = values[i];
  const anyNull = out === null || valid.some((flag) => flag === 0);
  return { type, length, values: out, valid: anyNull ? Uint8Array.from(valid) : null };
}

/** Applies a FILL to rows [start, end) of `column` (one series, ascending times). */
function applyFill(fill: RangeFill, column: Column, times: number[], start: number, end: number): void {
  if (fill.kind === 'null') return;
  const valid = (column.valid ??= new Uint8Array(column.length).fill(1));
  const values = column.values as unknown[] & { [index: number]: unknown };
  // Exact 64-bit words (exact-integers.ts) follow the floats they stand beside.
  const exact = column.exact ?? null;
  if (fill.kind === 'linear') {
    fillLinear(values as unknown as Float64Array, valid, times, start, end);
    if (exact !== null)
      for (let i = start; i < end; i++) exact[i] = bigintOfFloat((values as unknown as Float64Array)[i]);
    return;
  }
  for (let i = start; i < end; i++) {
    if (valid[i] !== 0) continue;
    if (fill.kind === 'prev') {
      if (i === start) continue;
      values[i] = values[i - 1];
      valid[i] = valid[i - 1];
      if (exact !== null) exact[i] = exact[i - 1];
    } else {
      values[i] = typeof fill.value === 'boolean' ? (fill.value ? 1 : 0) : fill.value;
      valid[i] = 1;
      if (exact !== null) exact[i] = bigintOfFloat(Number(fill.value));
    }
  }
}

/**
 * GreptimeDB's FILL LINEAR: with at least two values, each run of NULLs between two values is
 * interpolated between them, and leading / trailing runs are extrapolated from the two nearest.
 */
function fillLinear(values: Float64Array, valid: Uint8Array, times: number[], start: number, end: number): void {
  let present = 0;
  for (let i = start; i < end; i++) present += valid[i];
  if (present < 2) return;
  const interpolate = (i1: number, i2: number, from: number, to: number): void => {
    const x0 = times[i1];
    const x1 = times[i2];
    const y0 = values[i1];
    const y1 = values[i2];
    for (let i = from; i < to; i++) {
      values[i] = y0 + ((y1 - y0) / (x1 - x0)) * (times[i] - x0);
      valid[i] = 1;
    }
  };
  let head = -1;
  let tail = -1;
  let index = start;
  while (index < end) {
    let runStart = index;
    while (runStart < end && valid[runStart] !== 0) runStart++;
    if (runStart === end) break;
    let runEnd = runStart;
    while (runEnd < end && valid[runEnd] === 0) runEnd++;
    index = runEnd + 1;
    if (runStart === start) head = runEnd;
    else if (runEnd === end) tail = runStart;
    else interpolate(runStart - 1, runEnd, runStart, runEnd);
  }
  if (head !== -1) interpolate(head, head + 1, start, head);
  if (tail !== -1) interpolate(tail - 2, tail - 1, tail, end);
}
