/**
 * The physical operator contract (STYLE §3, DataFusion's ExecutionPlan): `execute` returns a
 * stream of RecordBatches that does no work until the first batch is pulled (operators are
 * async generators), carries errors in the stream, and frees its buffers when the consumer
 * stops early (`return()` on the iterator, as `for await ... break` does).
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { PlanField } from '../logical-plan.ts';
import type { MemoryPool } from './memory-pool.ts';

/** What every operator of one query shares. */
export interface ExecutionContext {
  memory: MemoryPool;
  /** Rows per output batch for operators that cut their own batches (sort, aggregate, values). */
  batchSize: number;
  signal?: AbortSignal;
}

/** A physical operator. `fields` are the logical fields (with qualifiers) its batches carry. */
export interface ExecutionPlan {
  readonly name: string;
  readonly fields: PlanField[];
  readonly schema: Schema;
  children(): ExecutionPlan[];
  /** One line for EXPLAIN's physical plan. */
  describe(): string;
  execute(context: ExecutionContext): AsyncIterable<RecordBatch>;
}

/** The physical plan as indented text. */
export function formatExecutionPlan(plan: ExecutionPlan): string {
  const lines: string[] = [];
  const visit = (node: ExecutionPlan, depth: number): void => {
    lines.push(`${'  '.repeat(depth)}${node.describe()}`);
    for (const child of node.children()) visit(child, depth + 1);
  };
  visit(plan, 0);
  return lines.join('\n');
}
