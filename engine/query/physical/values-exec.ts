/** VALUES rows and the empty relation (`SELECT 1` reads one row with no columns). */
import { RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import type { Column } from '../column.ts';
import { arrowSchema, columnsBatch, concatColumns } from '../column.ts';
import { castColumn, compileExpr } from '../evaluate.ts';
import type { PlanField } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { formatPlanExpr } from '../plan-expr.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';

/** Literal rows; each expression is evaluated over one empty row. */
export class ValuesExec implements ExecutionPlan {
  readonly name = 'ValuesExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #rows: PlanExpr[][];

  constructor(rows: PlanExpr[][], fields: PlanField[]) {
    this.#rows = rows;
    this.fields = fields;
    this.schema = arrowSchema(fields);
  }

  children(): ExecutionPlan[] {
    return [];
  }

  describe(): string {
    return `ValuesExec: ${this.#rows.map((row) => `(${row.map(formatPlanExpr).join(', ')})`).join(', ')}`;
  }

  async *execute(): AsyncIterable<RecordBatch> {
    const one = { columns: [], length: 1 };
    const columns: Column[] = this.fields.map((field, index) =>
      concatColumns(
        field.type,
        this.#rows.map((row) => castColumn(compileExpr(row[index], [])(one), field.type, false)),
      ),
    );
    yield columnsBatch(this.schema, { columns, length: this.#rows.length });
  }
}

/** No columns and one row (SELECT without FROM) or no rows. */
export class EmptyExec implements ExecutionPlan {
  readonly name = 'EmptyExec';
  readonly fields: PlanField[] = [];
  readonly schema = new Schema([]);
  readonly #produceOneRow: boolean;

  constructor(produceOneRow: boolean) {
    this.#produceOneRow = produceOneRow;
  }

  children(): ExecutionPlan[] {
    return [];
  }

  describe(): string {
    return this.#produceOneRow ? 'PlaceholderRowExec' : 'EmptyExec';
  }

  async *execute(_context: ExecutionContext): AsyncIterable<RecordBatch> {
    if (!this.#produceOneRow) return;
    yield new RecordBatch(this.schema, makeData({ type: new Struct([]), length: 1, nullCount: 0, children: [] }));
  }
}

/** Passes its input through under other field qualifiers (a SubqueryAlias). */
export class AliasExec implements ExecutionPlan {
  readonly name = 'AliasExec';
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #input: ExecutionPlan;

  constructor(input: ExecutionPlan, fields: PlanField[]) {
    this.#input = input;
    this.fields = fields;
    this.schema = input.schema;
  }

  children(): ExecutionPlan[] {
    return this.#input.children();
  }

  describe(): string {
    return this.#input.describe();
  }

  execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    return this.#input.execute(context);
  }
}
