/**
 * engine/query: SQL (engine/sql's AST) to a logical plan, optimizer rules, and vectorized
 * physical operators that pull Arrow RecordBatches. Other modules import only this file;
 * README.md is the map.
 */

// Running queries.
export { createLogicalPlan, executeQuery, streamQuery } from './execute-query.ts';
export type { QueryOptions, QueryResult, QueryStream } from './execute-query.ts';

// The seam storage, the cluster and virtual tables implement.
export type { CatalogProvider, ScanRequest, TableProvider, TableSchema } from './table-provider.ts';
export { MemoryCatalog, MemoryTable, memoryTable } from './memory-table.ts';
export type { MemoryColumn } from './memory-table.ts';

// Plans.
export type { JoinType, LogicalPlan, PlanField, SortExpr } from './logical-plan.ts';
export { planInputs, planSchema, withInputs } from './logical-plan.ts';
export type { PlanBinaryOp, PlanExpr, ScalarValue } from './plan-expr.ts';
export { col, exprColumns, formatPlanExpr, lit, transformExpr } from './plan-expr.ts';
export { formatPlan } from './plan-printer.ts';
export { planQuery } from './plan-query.ts';
export type { PlannerContext } from './plan-query.ts';

// Optimizer.
export { DEFAULT_RULES, optimize } from './optimizer/optimizer.ts';
export type { OptimizerRule, RuleResult } from './optimizer/optimizer-rule.ts';

// Execution.
export type { ExecutionContext, ExecutionPlan } from './physical/execution-plan.ts';
export { formatExecutionPlan } from './physical/execution-plan.ts';
export { createPhysicalPlan } from './physical/create-physical-plan.ts';
export { DEFAULT_QUERY_MEMORY_BYTES, MemoryPool, MemoryReservation } from './physical/memory-pool.ts';

// Types, columns and functions.
export type { SqlType } from './data-type.ts';
export { fromArrowType, isNumeric, sqlTypeFromName, toArrowType } from './data-type.ts';
export type { Chunk, Column } from './column.ts';
export { batchColumns, columnsBatch } from './column.ts';
export type { AggregateFunction, GroupsAccumulator, ScalarFunction } from './functions/function.ts';
export { functionNames, registerAggregateFunction, registerScalarFunction } from './functions/registry.ts';
export { resultRows } from './result-rows.ts';
export { localToUtcMs, normalizeTimeZone, zoneOffsetMs } from './time-zone.ts';
export type { RegionMetrics, RemoteExecution } from './table-provider.ts';
export { deserializeRemotePlan, serializeRemotePlan } from './remote-plan.ts';
export type { RemoteTableDescription } from './remote-plan.ts';
export { MergeScanTable } from './merge-scan-table.ts';
