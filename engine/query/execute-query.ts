/**
 * SQL text in, Arrow out: parse (engine/sql) -> plan (plan-query.ts) -> optimize
 * (optimizer/) -> physical operators (physical/) -> batches. `streamQuery` hands back the
 * stream, pulled by the caller; `executeQuery` collects it. EXPLAIN returns the plans as rows
 * (`plan_type`, `plan`), as DataFusion does.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { parseStatement } from '../sql/index.ts';
import type { Query } from '../sql/index.ts';
import { ErrorCode, TesseraError } from '../common/index.ts';
import { arrowSchema, columnsBatch } from './column.ts';
import type { LogicalPlan } from './logical-plan.ts';
import { planSchema } from './logical-plan.ts';
import { optimize } from './optimizer/optimizer.ts';
import type { ExecutionPlan } from './physical/execution-plan.ts';
import { formatExecutionPlan } from './physical/execution-plan.ts';
import { createPhysicalPlan } from './physical/create-physical-plan.ts';
import { MemoryPool } from './physical/memory-pool.ts';
import { formatPlan } from './plan-printer.ts';
import type { PlannerContext } from './plan-query.ts';
import { planQuery } from './plan-query.ts';
import type { CatalogProvider } from './table-provider.ts';

/** Session settings for one query. */
export interface QueryOptions {
  /** Defaults for unqualified names. */
  catalogName?: string;
  schemaName?: string;
  /** The query's memory budget in bytes (default 512 MiB). */
  memoryLimit?: number;
  /** Rows per batch for operators that cut their own output (default 8192). */
  batchSize?: number;
  signal?: AbortSignal;
}

/** A query's result: its schema and a stream of batches (nothing runs until pulled). */
export interface QueryStream {
  schema: Schema;
  batches: AsyncIterable<RecordBatch>;
}

/** A collected result. */
export interface QueryResult {
  schema: Schema;
  batches: RecordBatch[];
}

/** Plans and optimizes a parsed query. */
export function createLogicalPlan(query: Query, catalog: CatalogProvider, options: QueryOptions = {}): LogicalPlan {
  const context: PlannerContext = {
    catalog,
    defaultCatalog: options.catalogName ?? 'greptime',
    defaultSchema: options.schemaName ?? 'public',
  };
  return optimize(planQuery(query, context));
}

function physical(plan: LogicalPlan): ExecutionPlan {
  return createPhysicalPlan(plan);
}

/** Plans `sql` (one SELECT-like statement, or EXPLAIN of one) and returns its stream. */
export function streamQuery(sql: string, catalog: CatalogProvider, options: QueryOptions = {}): QueryStream {
  const statement = parseStatement(sql);
  if (statement.kind === 'explain' && statement.statement.kind === 'query') {
    const plan = createLogicalPlan(statement.statement, catalog, options);
    const fields = [
      { relation: null, name: 'plan_type', type: 'Utf8' as const, nullable: false },
      { relation: null, name: 'plan', type: 'Utf8' as const, nullable: false },
    ];
    const schema = arrowSchema(fields);
    const rows = [formatPlan(plan), formatExecutionPlan(physical(plan))];
    const batch = columnsBatch(schema, {
      columns: [
        { type: 'Utf8', length: 2, values: ['logical_plan', 'physical_plan'], valid: null },
        { type: 'Utf8', length: 2, values: rows, valid: null },
      ],
      length: 2,
    });
    return {
      schema,
      batches: (async function* () {
        yield batch;
      })(),
    };
  }
  if (statement.kind !== 'query') {
    throw new TesseraError(
      ErrorCode.Unsupported,
      `Not a query: the query engine runs SELECT statements, got ${statement.kind}`,
    );
  }
  const plan = createLogicalPlan(statement, catalog, options);
  const root = physical(plan);
  const context = {
    memory: new MemoryPool(options.memoryLimit),
    batchSize: options.batchSize ?? 8192,
    signal: options.signal,
  };
  return { schema: arrowSchema(planSchema(plan)), batches: root.execute(context) };
}

/** Runs `sql` to completion and collects its batches. */
export async function executeQuery(
  sql: string,
  catalog: CatalogProvider,
  options: QueryOptions = {},
): Promise<QueryResult> {
  const { schema, batches } = streamQuery(sql, catalog, options);
  const collected: RecordBatch[] = [];
  for await (const batch of batches) collected.push(batch);
  return { schema, batches: collected };
}
