/**
 * What a function is to the engine: a name, a signature text for error messages and docs, a
 * return-type rule that also validates the argument types at planning time, and a vectorized
 * body. Scalar functions map argument columns to a result column; aggregates create a
 * `GroupsAccumulator` that folds whole batches into per-group state (as DataFusion's
 * GroupsAccumulator), so the hash aggregate never calls a function per row.
 */
import type { Column } from '../column.ts';
import type { SqlType } from '../data-type.ts';

/** A scalar function. `evaluate` gets columns of `length` rows and returns one such column. */
export interface ScalarFunction {
  name: string;
  /** E.g. `abs(numeric) -> numeric`; shown in docs and error messages. */
  signature: string;
  /** The result type for these argument types; throws a PlanQuery error when they do not fit. */
  returnType(args: SqlType[]): SqlType;
  evaluate(args: Column[], length: number, returnType: SqlType): Column;
}

/**
 * Per-group state of one aggregate. `update` folds a batch: row i belongs to group
 * `groupIds[i]` (groups are numbered densely from 0, and `groupCount` may grow between calls).
 */
export interface GroupsAccumulator {
  update(args: Column[], groupIds: Int32Array, groupCount: number): void;
  /** One result row per group, for groups `0 .. groupCount-1`. */
  finish(groupCount: number): Column;
  /** Bytes of state held, for the query's memory budget. */
  bytes(): number;
}

/** How an aggregate is used, for the few whose state depends on it. */
export interface AccumulatorOptions {
  /** Under GROUP BY (DataFusion runs some aggregates with a different algorithm there). */
  grouped?: boolean;
  /** `WITHIN GROUP (ORDER BY x DESC)`: percentiles count from the top. */
  descending?: boolean;
}

/** An aggregate function. `star` is true for `count(*)` (then `args` is empty). */
export interface AggregateFunction {
  name: string;
  signature: string;
  returnType(args: SqlType[]): SqlType;
  createAccumulator(args: SqlType[], returnType: SqlType, options?: AccumulatorOptions): GroupsAccumulator;
}
