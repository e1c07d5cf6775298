/** Keeps the rows where the predicate is true (not false, not NULL): a selection, then one take. */
import type { RecordBatch, Schema } from 'apache-arrow';
import { batchColumns, columnsBatch } from '../column.ts';
import type { Evaluator } from '../evaluate.ts';
import { compileExpr } from '../evaluate.ts';
import type { PlanField } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { formatPlanExpr } from '../plan-expr.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';
import { selectionOf, takeChunk } from './selection.ts';

/** A filter over its input's batches; empty results are skipped, full ones pass unchanged. */
export class FilterExec implements ExecutionPlan {
  readonly name = 'FilterExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #input: ExecutionPlan;
  readonly #predicate: PlanExpr;
  readonly #evaluate: Evaluator;

  constructor(input: ExecutionPlan, predicate: PlanExpr) {
    this.#input = input;
    this.#predicate = predicate;
    this.fields = input.fields;
    this.schema = input.schema;
    this.#evaluate = compileExpr(predicate, input.fields);
  }

  children(): ExecutionPlan[] {
    return [this.#input];
  }

  describe(): string {
    return `FilterExec: ${formatPlanExpr(this.#predicate)}`;
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    for await (const batch of this.#input.execute(context)) {
      const chunk = batchColumns(batch);
      const selection = selectionOf(this.#evaluate(chunk));
      if (selection.length === 0) continue;
      if (selection.length === chunk.length) yield batch;
      else yield columnsBatch(this.schema, takeChunk(chunk, selection));
    }
  }
}
