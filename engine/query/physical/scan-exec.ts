/**
 * Reads a table through its `TableProvider`, then applies the pushed-down filters itself,
 * since providers treat filters as hints (table-provider.ts).
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { batchColumns, columnsBatch, arrowSchema } from '../column.ts';
import type { Evaluator } from '../evaluate.ts';
import { compileExpr } from '../evaluate.ts';
import type { PlanField } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { conjunction, formatPlanExpr, transformExpr } from '../plan-expr.ts';
import type { TableProvider } from '../table-provider.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';
import { selectionOf, takeChunk } from './selection.ts';

/** A table scan with projection, filters and a row limit. */
export class ScanExec implements ExecutionPlan {
  readonly name = 'ScanExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #table: TableProvider;
  readonly #tableName: string;
  readonly #projection: number[] | null;
  readonly #filters: PlanExpr[];
  readonly #limit: number | null;
  readonly #predicate: Evaluator | null;

  constructor(
    tableName: string,
    table: TableProvider,
    projection: number[] | null,
    filters: PlanExpr[],
    limit: number | null,
    fields: PlanField[],
  ) {
    this.#tableName = tableName;
    this.#table = table;
    this.#projection = projection;
    this.#filters = filters;
    this.#limit = limit;
    this.fields = fields;
    this.schema = arrowSchema(fields);
    const predicate = conjunction(filters);
    this.#predicate = predicate === null ? null : compileExpr(predicate, fields);
  }

  children(): ExecutionPlan[] {
    return [];
  }

  describe(): string {
    const parts = [`ScanExec: table=${this.#tableName}`];
    if (this.#projection !== null) parts.push(`projection=[${this.fields.map((field) => field.name).join(', ')}]`);
    if (this.#filters.length > 0) parts.push(`filters=[${this.#filters.map(formatPlanExpr).join(', ')}]`);
    if (this.#limit !== null) parts.push(`limit=${this.#limit}`);
    return parts.join(', ');
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    const predicate = this.#predicate;
    const stream = this.#table.scan({
      projection: this.#projection,
      // Providers see the table's own column names, without the query's qualifiers.
      filters: this.#filters.map((filter) =>
        transformExpr(filter, (node) => (node.kind === 'column' ? { ...node, relation: null } : node)),
      ),
      limit: predicate === null ? this.#limit : null,
      signal: context.signal,
    });
    let remaining = this.#limit ?? Infinity;
    for await (const batch of stream) {
      if (remaining <= 0) return;
      if (predicate === null && batch.numRows <= remaining) {
        // Nothing to filter or cut: the provider's batch goes up as it is.
        remaining -= batch.numRows;
        yield batch;
        continue;
      }
      let chunk = batchColumns(batch);
      if (predicate !== null) {
        const selection = selectionOf(predicate(chunk));
        if (selection.length === 0) continue;
        if (selection.length !== chunk.length) chunk = takeChunk(chunk, selection);
      }
      if (chunk.length > remaining)
        chunk = takeChunk(
          chunk,
          Uint32Array.from({ length: remaining }, (_, i) => i),
        );
      remaining -= chunk.length;
      yield columnsBatch(this.schema, chunk);
    }
  }
}
