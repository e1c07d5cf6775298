/** Evaluates the select list over each batch, a column at a time. */
import type { RecordBatch, Schema } from 'apache-arrow';
import { arrowSchema, batchColumns, columnsBatch } from '../column.ts';
import type { Evaluator } from '../evaluate.ts';
import { compileExpr, castColumn } from '../evaluate.ts';
import type { PlanField } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { formatPlanExpr } from '../plan-expr.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';

/** A projection: one output column per expression, typed as the logical plan says. */
export class ProjectionExec implements ExecutionPlan {
  readonly name = 'ProjectionExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #input: ExecutionPlan;
  readonly #exprs: PlanExpr[];
  readonly #evaluators: Evaluator[];

  constructor(input: ExecutionPlan, exprs: PlanExpr[], fields: PlanField[]) {
    this.#input = input;
    this.#exprs = exprs;
    this.fields = fields;
    this.schema = arrowSchema(fields);
    this.#evaluators = exprs.map((expr) => compileExpr(expr, input.fields));
  }

  children(): ExecutionPlan[] {
    return [this.#input];
  }

  describe(): string {
    return `ProjectionExec: ${this.#exprs.map(formatPlanExpr).join(', ')}`;
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    for await (const batch of this.#input.execute(context)) {
      const chunk = batchColumns(batch);
      const columns = this.#evaluators.map((evaluate, index) => {
        const column = evaluate(chunk);
        // A NULL literal is typed Null; the field may be wider (UNION coercion, CASE).
        return column.type === this.fields[index].type ? column : castColumn(column, this.fields[index].type, false);
      });
      yield columnsBatch(this.schema, { columns, length: chunk.length });
    }
  }
}
