/** UNION ALL: the inputs one after another, relabelled with the union's schema. */
import type { RecordBatch, Schema } from 'apache-arrow';
import { arrowSchema, batchColumns, columnsBatch } from '../column.ts';
import type { PlanField } from '../logical-plan.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';

/** Concatenates its inputs' streams in order (types were aligned by the planner). */
export class UnionExec implements ExecutionPlan {
  readonly name = 'UnionExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #inputs: ExecutionPlan[];

  constructor(inputs: ExecutionPlan[], fields: PlanField[]) {
    this.#inputs = inputs;
    this.fields = fields;
    this.schema = arrowSchema(fields);
  }

  children(): ExecutionPlan[] {
    return this.#inputs;
  }

  describe(): string {
    return 'UnionExec';
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    for (const input of this.#inputs) {
      for await (const batch of input.execute(context)) yield columnsBatch(this.schema, batchColumns(batch));
    }
  }
}
