/**
 * Hash aggregation: group keys are evaluated a column at a time and hashed to dense group ids
 * (group-keys.ts); each aggregate folds the whole batch into per-group state with one loop
 * (GroupsAccumulator). The output comes after the input ends, cut into batches. Without GROUP
 * BY there is exactly one group, even for empty input (count 0, sum NULL), as in SQL.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { Column, RowValue } from '../column.ts';
import { hasExactStorage } from '../exact-integers.ts';
import {
  arrowSchema,
  batchColumns,
  columnBytes,
  columnsBatch,
  concatColumns,
  emptyValues,
  columnFromValues,
  keyValueAt,
  sliceColumn,
  takeColumn,
} from '../column.ts';
import type { SqlType } from '../data-type.ts';
import type { Evaluator } from '../evaluate.ts';
import { castColumn, compileExpr } from '../evaluate.ts';
import { exprType } from '../expr-type.ts';
import type { AggregateFunction, GroupsAccumulator } from '../functions/function.ts';
import { aggregateFunction } from '../functions/registry.ts';
import type { PlanField } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { aggregateArgs, formatPlanExpr } from '../plan-expr.ts';
import type { SortExpr } from '../logical-plan.ts';
import { sortIndices } from './sort-exec.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';
import { GroupKeys } from './group-keys.ts';

interface AggregateState {
  args: Evaluator[];
  /** `f(x ORDER BY k)`: the order keys; rows are buffered and fed in key order at the end. */
  orderKeys: Evaluator[];
  orderBy: SortExpr[];
  buffered: { args: Column[]; keys: Column[]; ids: Int32Array }[];
  star: boolean;
  distinct: boolean;
  accumulator: GroupsAccumulator;
  /** For DISTINCT: the (group, value) pairs already passed to the accumulator. */
  seen: Set<string> | null;
}

/** GROUP BY with aggregates (or DISTINCT, which is a GROUP BY without aggregates). */
export class HashAggregateExec implements ExecutionPlan {
  readonly name = 'HashAggregateExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #input: ExecutionPlan;
  readonly #groupBy: PlanExpr[];
  readonly #aggregates: PlanExpr[];

  constructor(input: ExecutionPlan, groupBy: PlanExpr[], aggregates: PlanExpr[], fields: PlanField[]) {
    this.#input = input;
    this.#groupBy = groupBy;
    this.#aggregates = aggregates;
    this.fields = fields;
    this.schema = arrowSchema(fields);
  }

  children(): ExecutionPlan[] {
    return [this.#input];
  }

  describe(): string {
    return `HashAggregateExec: gby=[${this.#groupBy.map(formatPlanExpr).join(', ')}], aggr=[${this.#aggregates.map(formatPlanExpr).join(', ')}]`;
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    const inputFields = this.#input.fields;
    const keys = this.#groupBy.map((expr) => compileExpr(expr, inputFields));
    const states: AggregateState[] = this.#aggregates.map((expr) => {
      if (expr.kind !== 'aggregate') throw new Error(`not an aggregate: ${formatPlanExpr(expr)}`);
      const fn = aggregateFunction(expr.name) as AggregateFunction;
      const args = aggregateArgs(expr);
      const argTypes = args.map((arg) => exprType(arg, inputFields));
      const ordered = expr.withinGroup !== true && expr.orderBy !== undefined && expr.orderBy.length > 0;
      const options = {
        grouped: this.#groupBy.length > 0,
        descending: expr.withinGroup === true && expr.orderBy?.[0].asc === false,
      };
      return {
        args: args.map((arg) => compileExpr(arg, inputFields)),
        orderKeys: ordered ? expr.orderBy!.map((key) => compileExpr(key.expr, inputFields)) : [],
        orderBy: ordered ? expr.orderBy!.map(({ expr: key, asc, nullsFirst }) => ({ expr: key, asc, nullsFirst })) : [],
        buffered: [],
        star: expr.star,
        distinct: expr.distinct,
        accumulator: fn.createAccumulator(argTypes, fn.returnType(argTypes), options),
        seen: expr.distinct ? new Set<string>() : null,
      };
    });
    const groups = new GroupKeys(keys.length);
    const reservation = context.memory.reservation(this.name);
    try {
      for await (const batch of this.#input.execute(context)) {
        const chunk = batchColumns(batch);
        const ids = groups.assign(
          keys.map((key) => key(chunk)),
          chunk.length,
        );
        const groupCount = keys.length === 0 ? 1 : groups.count;
        let bytes = groups.bytes();
        for (const state of states) {
          const args = state.args.map((arg) => arg(chunk));
          if (state.orderKeys.length > 0) {
            const keys = state.orderKeys.map((key) => key(chunk));
            state.buffered.push({ args, keys, ids: ids.slice() });
            bytes += args.concat(keys).reduce((total, column) => total + columnBytes(column), ids.byteLength);
          } else if (state.seen !== null) distinctUpdate(state, args, ids, groupCount);
          else state.accumulator.update(args, ids, groupCount);
          bytes += state.accumulator.bytes() + (state.seen === null ? 0 : state.seen.size * 48);
        }
        reservation.resize(bytes);
      }
      const groupCount = keys.length === 0 ? 1 : groups.count;
      for (const state of states) if (state.orderKeys.length > 0) orderedUpdate(state, groupCount);
      const columns: Column[] = [];
      this.#groupBy.forEach((_key, index) => {
        columns.push(keyColumn(this.fields[index].type, groups.values[index], groups.valid[index]));
      });
      states.forEach((state, index) => {
        const column = state.accumulator.finish(groupCount);
        const type = this.fields[keys.length + index].type;
        columns.push(column.type === type ? column : castColumn(column, type, false));
      });
      for (let start = 0; start < groupCount; start += context.batchSize) {
        const length = Math.min(context.batchSize, groupCount - start);
        yield columnsBatch(this.schema, {
          columns: columns.map((column) =>
            start === 0 && length === groupCount ? column : sliceColumn(column, start, length),
          ),
          length,
        });
      }
    } finally {
      reservation.free();
    }
  }
}

/**
 * Feeds an ordered aggregate's buffered rows sorted by group, then by its ORDER BY keys (stable,
 * so ties keep input order), in one update.
 */
function orderedUpdate(state: AggregateState, groupCount: number): void {
  const parts = state.buffered;
  state.buffered = [];
  if (parts.length === 0) return;
  const ids = new Int32Array(parts.reduce((total, part) => total + part.ids.length, 0));
  let offset = 0;
  for (const part of parts) {
    ids.set(part.ids, offset);
    offset += part.ids.length;
  }
  const idColumn: Column = { type: 'Int64', length: ids.length, values: Float64Array.from(ids), valid: null };
  const keys = state.orderKeys.map((_key, k) =>
    concatColumns(
      parts[0].keys[k].type,
      parts.map((part) => part.keys[k]),
    ),
  );
  const args = state.args.map((_arg, a) =>
    concatColumns(
      parts[0].args[a].type,
      parts.map((part) => part.args[a]),
    ),
  );
  const order = sortIndices(
    [idColumn, ...keys],
    [{ expr: { kind: 'literal', type: 'Null', value: null }, asc: true, nullsFirst: false }, ...state.orderBy],
    ids.length,
  );
  const sortedIds = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) sortedIds[i] = ids[order[i]];
  const sortedArgs = args.map((arg) => takeColumn(arg, order));
  if (state.seen !== null) distinctUpdate(state, sortedArgs, sortedIds, groupCount);
  else state.accumulator.update(sortedArgs, sortedIds, groupCount);
}

/** Passes each (group, value) pair to the accumulator once; NULLs are never counted. */
function distinctUpdate(state: AggregateState, args: Column[], ids: Int32Array, groupCount: number): void {
  const seen = state.seen!;
  const column = args[0];
  const values = column.values as ArrayLike<unknown> | null;
  const picked: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (column.type === 'Null' || (column.valid !== null && column.valid[i] === 0)) continue;
    const key = `${ids[i]}\u0001${String(column.exact ? keyValueAt(column, i) : values![i])}`;
    if (seen.has(key)) continue;
    seen.add(key);
    picked.push(i);
  }
  const indices = Uint32Array.from(picked);
  const pickedIds = new Int32Array(picked.length);
  for (let i = 0; i < picked.length; i++) pickedIds[i] = ids[picked[i]];
  state.accumulator.update(
    args.map((arg) => takeColumn(arg, indices)),
    pickedIds,
    groupCount,
  );
}

function keyColumn(type: SqlType, values: unknown[], valid: number[]): Column {
  const length = values.length;
  const out = emptyValues(type, length);
  if (out instanceof Float64Array && hasExactStorage(type) && values.some((value) => typeof value === 'bigint')) {
    // 64-bit keys past 2^53 were grouped by their bigints.
    return columnFromValues(type, values.map((value, i) => (valid[i] === 0 ? null : value)) as RowValue[]);
  }
  let anyNull = false;
  if (out !== null) {
    for (let i = 0; i < length; i++) {
      if (valid[i] === 0) {
        anyNull = true;
        continue;
      }
      (out as unknown[])[i] = values[i];
    }
  } else anyNull = true;
  return { type, length, values: out, valid: anyNull ? Uint8Array.from(valid) : null };
}
