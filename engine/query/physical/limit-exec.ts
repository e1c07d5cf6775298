/** Skips `skip` rows, then passes `fetch` rows and stops pulling its input (which frees it). */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { PlanField } from '../logical-plan.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';

/** LIMIT / OFFSET. */
export class LimitExec implements ExecutionPlan {
  readonly name = 'LimitExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #input: ExecutionPlan;
  readonly #skip: number;
  readonly #fetch: number | null;

  constructor(input: ExecutionPlan, skip: number, fetch: number | null) {
    this.#input = input;
    this.#skip = skip;
    this.#fetch = fetch;
    this.fields = input.fields;
    this.schema = input.schema;
  }

  children(): ExecutionPlan[] {
    return [this.#input];
  }

  describe(): string {
    return `LimitExec: skip=${this.#skip}, fetch=${this.#fetch ?? 'None'}`;
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    let toSkip = this.#skip;
    let remaining = this.#fetch ?? Infinity;
    if (remaining === 0) return;
    for await (const batch of this.#input.execute(context)) {
      let out = batch;
      if (toSkip > 0) {
        if (out.numRows <= toSkip) {
          toSkip -= out.numRows;
          continue;
        }
        out = out.slice(toSkip);
        toSkip = 0;
      }
      if (out.numRows > remaining) out = out.slice(0, remaining);
      remaining -= out.numRows;
      yield out;
      if (remaining <= 0) return;
    }
  }
}
