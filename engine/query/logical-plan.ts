/**
 * Logical plan nodes. Each node carries (or derives) its output schema: fields qualified by the
 * relation they come from, so `t.a` and `s.a` stay apart until a projection names them.
 * Nodes are immutable plain objects; optimizer rules build new trees.
 */
import type { SqlType } from './data-type.ts';
import type { PlanExpr } from './plan-expr.ts';
import type { RangeFn } from './range-select.ts';
import type { TableProvider } from './table-provider.ts';

/** One output column of a plan node. */
export interface PlanField {
  /** The relation (table or alias) qualifying the name, or null. */
  relation: string | null;
  name: string;
  type: SqlType;
  nullable: boolean;
}

/** One ORDER BY key. `nullsFirst` defaults as DataFusion: true for DESC, false for ASC. */
export interface SortExpr {
  expr: PlanExpr;
  asc: boolean;
  nullsFirst: boolean;
}

/** Join types the executor runs. */
export type JoinType = 'inner' | 'left' | 'full' | 'cross';

/** A node of the logical plan. */
export type LogicalPlan =
  | {
      kind: 'table-scan';
      /** The name as the plan prints it (the query's spelling of the table). */
      tableName: string;
      table: TableProvider;
      /** Indices into the table's columns, or null for all. */
      projection: number[] | null;
      /** Conjuncts pushed into the scan (re-applied by the executor). */
      filters: PlanExpr[];
      fetch: number | null;
      schema: PlanField[];
    }
  | { kind: 'projection'; input: LogicalPlan; exprs: PlanExpr[]; schema: PlanField[] }
  | { kind: 'filter'; input: LogicalPlan; predicate: PlanExpr }
  | { kind: 'aggregate'; input: LogicalPlan; groupBy: PlanExpr[]; aggregates: PlanExpr[]; schema: PlanField[] }
  | { kind: 'sort'; input: LogicalPlan; orderBy: SortExpr[]; fetch: number | null }
  /** The input's columns followed by one column per window expression. */
  | { kind: 'window'; input: LogicalPlan; windowExprs: PlanExpr[]; schema: PlanField[] }
  | { kind: 'limit'; input: LogicalPlan; skip: number; fetch: number | null }
  | { kind: 'values'; rows: PlanExpr[][]; schema: PlanField[] }
  | { kind: 'subquery-alias'; input: LogicalPlan; alias: string; schema: PlanField[] }
  | {
      kind: 'join';
      left: LogicalPlan;
      right: LogicalPlan;
      joinType: JoinType;
      on: PlanExpr | null;
      schema: PlanField[];
    }
  | { kind: 'union'; inputs: LogicalPlan[]; schema: PlanField[] }
  | { kind: 'empty-relation'; produceOneRow: boolean; schema: PlanField[] }
  /**
   * GreptimeDB's range query (range-select.ts): the range aggregates per BY key and aligned
   * time. Schema: one column per range aggregate, the time index (the aligned time), the BY keys.
   */
  | {
      kind: 'range-select';
      input: LogicalPlan;
      rangeExprs: RangeFn[];
      alignMs: number;
      alignToMs: number;
      timeIndex: PlanExpr;
      by: PlanExpr[];
      schema: PlanField[];
    };

/** The output fields of a node. */
export function planSchema(plan: LogicalPlan): PlanField[] {
  switch (plan.kind) {
    case 'filter':
    case 'sort':
    case 'limit':
      return planSchema(plan.input);
    default:
      return plan.schema;
  }
}

/** The inputs of a node, left to right. */
export function planInputs(plan: LogicalPlan): LogicalPlan[] {
  switch (plan.kind) {
    case 'table-scan':
    case 'values':
    case 'empty-relation':
      return [];
    case 'join':
      return [plan.left, plan.right];
    case 'union':
      return plan.inputs;
    default:
      return [plan.input];
  }
}

/** The node with its inputs replaced (same count and order as `planInputs`). */
export function withInputs(plan: LogicalPlan, inputs: LogicalPlan[]): LogicalPlan {
  switch (plan.kind) {
    case 'table-scan':
    case 'values':
    case 'empty-relation':
      return plan;
    case 'join':
      return { ...plan, left: inputs[0], right: inputs[1] };
    case 'union':
      return { ...plan, inputs };
    default:
      return { ...plan, input: inputs[0] };
  }
}

/** Field names as `relation.name`, for schema checks and error messages. */
export function qualifiedNames(fields: PlanField[]): string[] {
  return fields.map((field) => (field.relation === null ? field.name : `${field.relation}.${field.name}`));
}
