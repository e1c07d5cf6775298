/**
 * SQL text in, Arrow out: parse (engine/sql) -> plan (plan-query.ts) -> optimize
 * (optimizer/) -> physical operators (physical/) -> batches. `streamQuery` hands back the
 * stream, pulled by the caller; `executeQuery` collects it. EXPLAIN returns the plans as rows
 * (`plan_type`, `plan`), as DataFusion does.
 */
import { performance } from 'node:perf_hooks';
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
import { bindSessionFunctions } from './functions/session-functions.ts';
import type { SessionValues } from './functions/session-functions.ts';
import { bindTimeZone } from './bind-time-zone.ts';
import { executeSubqueries, firstColumnValues, planSubqueries } from './physical/execute-subqueries.ts';
import type { CatalogProvider } from './table-provider.ts';

/** Session settings for one query. */
export interface QueryOptions {
  /** Defaults for unqualified names. */
  catalogName?: string;
  schemaName?: string;
  /** The session time zone, as `timezone()` reports it (default UTC). */
  timezone?: string;
  /** Who asks, for the session functions (version(), session_user(), read_preference()). */
  session?: Pick<SessionValues, 'channel' | 'user' | 'readPreference'>;
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
  return optimize(bindLogicalPlan(query, catalog, options));
}

/** Plans a parsed query and binds the session functions, before optimization. */
function bindLogicalPlan(query: Query, catalog: CatalogProvider, options: QueryOptions): LogicalPlan {
  const context: PlannerContext = {
    catalog,
    defaultCatalog: options.catalogName ?? 'greptime',
    defaultSchema: options.schemaName ?? 'public',
    timeZone: options.timezone,
  };
  const session: SessionValues = {
    ...options.session,
    schemaName: context.defaultSchema,
    timezone: options.timezone ?? 'UTC',
    catalogName: context.defaultCatalog,
  };
  return bindTimeZone(bindSessionFunctions(planQuery(query, context), session), options.timezone);
}

function physical(plan: LogicalPlan): ExecutionPlan {
  return createPhysicalPlan(plan);
}

/** Plans `sql` (one SELECT-like statement, or EXPLAIN of one) and returns its stream. */
export function streamQuery(sql: string, catalog: CatalogProvider, options: QueryOptions = {}): QueryStream {
  const statement = parseStatement(sql);
  if (statement.kind === 'explain' && statement.analyze && statement.statement.kind === 'query') {
    return explainAnalyze(createLogicalPlan(statement.statement, catalog, options), options);
  }
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
  const bound = bindLogicalPlan(statement, catalog, options);
  const context = {
    memory: new MemoryPool(options.memoryLimit),
    batchSize: options.batchSize ?? 8192,
    signal: options.signal,
  };
  const schema = arrowSchema(planSchema(bound));
  if (planSubqueries(bound).length === 0) return { schema, batches: physical(optimize(bound)).execute(context) };
  // Subqueries run first (their values become literals); then the query itself.
  const run = async (plan: LogicalPlan) => {
    const batches: RecordBatch[] = [];
    for await (const batch of physical(optimize(plan)).execute(context)) batches.push(batch);
    return firstColumnValues(batches);
  };
  return {
    schema,
    batches: (async function* () {
      const plan = await executeSubqueries(bound, run);
      yield* physical(optimize(plan)).execute(context);
    })(),
  };
}

/**
 * EXPLAIN ANALYZE: runs the plan to the end, discarding its rows, then prints the plan with
 * what it did — the output rows and time, and for each MergeScan every region's rows and time
 * (the scans record them as they run).
 */
function explainAnalyze(plan: LogicalPlan, options: QueryOptions): QueryStream {
  const fields = [
    { relation: null, name: 'plan_type', type: 'Utf8' as const, nullable: false },
    { relation: null, name: 'plan', type: 'Utf8' as const, nullable: false },
  ];
  const schema = arrowSchema(fields);
  return {
    schema,
    batches: (async function* () {
      const root = physical(plan);
      const context = {
        memory: new MemoryPool(options.memoryLimit),
        batchSize: options.batchSize ?? 8192,
        signal: options.signal,
      };
      const started = performance.now();
      let rows = 0;
      for await (const batch of root.execute(context)) rows += batch.numRows;
      const elapsed = performance.now() - started;
      const text = `${formatPlan(plan)}\noutput_rows=${rows}, elapsed=${elapsed.toFixed(1)} ms`;
      yield columnsBatch(schema, {
        columns: [
          { type: 'Utf8', length: 1, values: ['Plan with Metrics'], valid: null },
          { type: 'Utf8', length: 1, values: [text], valid: null },
        ],
        length: 1,
      });
    })(),
  };
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
