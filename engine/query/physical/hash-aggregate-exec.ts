/**
 * Hash aggregation: group keys are evaluated a column at a time and hashed to dense group ids
 * (group-keys.ts); each aggregate folds the whole batch into per-group state with one loop
 * (GroupsAccumulator). The output comes after the input ends, cut into batches. Without GROUP
 * BY there is exactly one group, even for empty input (count 0, sum NULL), as in SQL.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { Column } from '../column.ts';
import { arrowSchema, batchColumns, columnsBatch, emptyValues, sliceColumn, takeColumn } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import type { Evaluator } from '../evaluate.ts';
import { castColumn, compileExpr } from '../evaluate.ts';
import { exprType } from '../expr-type.ts';
import type { AggregateFunction, GroupsAccumulator } from '../functions/function.ts';
import { aggregateFunction } from '../functions/registry.ts';
import type { PlanField } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { formatPlanExpr } from '../plan-expr.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';
import { GroupKeys } from './group-keys.ts';

interface AggregateState {
  args: Evaluator[];
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
      const argTypes = expr.args.map((arg) => exprType(arg, inputFields));
      return {
        args: expr.args.map((arg) => compileExpr(arg, inputFields)),
        star: expr.star,
        distinct: expr.distinct,
        accumulator: fn.createAccumulator(argTypes, fn.returnType(argTypes)),
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
          if (state.seen !== null) distinctUpdate(state, args, ids, groupCount);
          else state.accumulator.update(args, ids, groupCount);
          bytes += state.accumulator.bytes() + (state.seen === null ? 0 : state.seen.size * 48);
        }
        reservation.resize(bytes);
      }
      const groupCount = keys.length === 0 ? 1 : groups.count;
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

/** Passes each (group, value) pair to the accumulator once; NULLs are never counted. */
function distinctUpdate(state: AggregateState, args: Column[], ids: Int32Array, groupCount: number): void {
  const seen = state.seen!;
  const column = args[0];
  const values = column.values as ArrayLike<unknown> | null;
  const picked: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (column.type === 'Null' || (column.valid !== null && column.valid[i] === 0)) continue;
    const key = `${ids[i]}\u0001${String(values![i])}`;
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
