/**
 * Inner, left, full and cross joins. The right side is the build side: read whole (reserved against
 * the budget) and, when the ON clause has equalities between the two sides, hashed on those
 * keys; each left batch probes it, producing index pairs from which both sides are taken once.
 * The rest of the ON clause filters the pairs; a LEFT join then adds each left row that kept no
 * pair, with NULLs on the right. Without equalities every pair is a candidate (nested loop).
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { Chunk, Column } from '../column.ts';
import {
  arrowSchema,
  batchColumns,
  columnBytes,
  columnsBatch,
  concatColumns,
  keyValueAt,
  nullColumn,
  takeColumn,
} from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { comparisonCommonType } from '../data-type.ts';
import type { Evaluator } from '../evaluate.ts';
import { castColumn, compileExpr } from '../evaluate.ts';
import { exprType } from '../expr-type.ts';
import type { JoinType, PlanField } from '../logical-plan.ts';
import type { PlanExpr } from '../plan-expr.ts';
import { conjunction, exprColumns, formatPlanExpr, splitConjunction } from '../plan-expr.ts';
import { findField } from '../resolve-column.ts';
import type { ExecutionContext, ExecutionPlan } from './execution-plan.ts';
import { selectionOf } from './selection.ts';

interface KeyPair {
  left: PlanExpr;
  right: PlanExpr;
  type: SqlType;
}

function onlyFrom(expr: PlanExpr, fields: PlanField[]): boolean {
  const columns = exprColumns(expr);
  return (
    columns.length > 0 &&
    columns.every((column) => column.kind === 'column' && findField(fields, column.relation, column.name) !== -1)
  );
}

/** Splits an ON clause into left = right key pairs and the remaining filter. */
export function splitJoinCondition(
  on: PlanExpr | null,
  leftFields: PlanField[],
  rightFields: PlanField[],
): { keys: KeyPair[]; residual: PlanExpr | null } {
  if (on === null) return { keys: [], residual: null };
  const keys: KeyPair[] = [];
  const rest: PlanExpr[] = [];
  for (const part of splitConjunction(on)) {
    if (part.kind === 'binary' && part.op === '=') {
      let pair: [PlanExpr, PlanExpr] | null = null;
      if (onlyFrom(part.left, leftFields) && onlyFrom(part.right, rightFields)) pair = [part.left, part.right];
      else if (onlyFrom(part.right, leftFields) && onlyFrom(part.left, rightFields)) pair = [part.right, part.left];
      if (pair !== null) {
        const type = comparisonCommonType(exprType(pair[0], leftFields), exprType(pair[1], rightFields));
        if (type !== null) {
          keys.push({ left: pair[0], right: pair[1], type });
          continue;
        }
      }
    }
    rest.push(part);
  }
  return { keys, residual: conjunction(rest) };
}

function keyOf(columns: Column[], row: number): unknown {
  if (columns.length === 1) {
    const column = columns[0];
    if (column.type === 'Null' || (column.valid !== null && column.valid[row] === 0)) return null;
    return keyValueAt(column, row);
  }
  let text = '';
  for (const column of columns) {
    if (column.type === 'Null' || (column.valid !== null && column.valid[row] === 0)) return null;
    text += `${String(keyValueAt(column, row))}\u0001`;
  }
  return text;
}

/** A hash join (equi keys) or nested-loop join (none). */
export class JoinExec implements ExecutionPlan {
  readonly name: string;
  readonly fields: PlanField[];
  readonly schema: Schema;
  readonly #left: ExecutionPlan;
  readonly #right: ExecutionPlan;
  readonly #joinType: JoinType;
  readonly #keys: KeyPair[];
  readonly #residual: PlanExpr | null;
  readonly #leftKeys: Evaluator[];
  readonly #rightKeys: Evaluator[];
  readonly #filter: Evaluator | null;

  constructor(left: ExecutionPlan, right: ExecutionPlan, joinType: JoinType, on: PlanExpr | null, fields: PlanField[]) {
    this.#left = left;
    this.#right = right;
    this.#joinType = joinType;
    this.fields = fields;
    this.schema = arrowSchema(fields);
    const { keys, residual } = splitJoinCondition(on, left.fields, right.fields);
    this.#keys = keys;
    this.#residual = residual;
    this.name = keys.length > 0 ? 'HashJoinExec' : 'NestedLoopJoinExec';
    this.#leftKeys = keys.map((key) => compileExpr(key.left, left.fields));
    this.#rightKeys = keys.map((key) => compileExpr(key.right, right.fields));
    this.#filter = residual === null ? null : compileExpr(residual, [...left.fields, ...right.fields]);
  }

  children(): ExecutionPlan[] {
    return [this.#left, this.#right];
  }

  describe(): string {
    const on = this.#keys.map((key) => `(${formatPlanExpr(key.left)}, ${formatPlanExpr(key.right)})`).join(', ');
    const type = this.#joinType === 'left' ? 'Left' : this.#joinType === 'full' ? 'Full' : 'Inner';
    const parts = [`${this.name}: join_type=${type}`];
    if (on !== '') parts.push(`on=[${on}]`);
    if (this.#residual !== null) parts.push(`filter=${formatPlanExpr(this.#residual)}`);
    return parts.join(', ');
  }

  async *execute(context: ExecutionContext): AsyncIterable<RecordBatch> {
    const reservation = context.memory.reservation(this.name);
    try {
      // Build: the whole right side as one chunk.
      const parts: Chunk[] = [];
      for await (const batch of this.#right.execute(context)) {
        const chunk = batchColumns(batch);
        reservation.grow(chunk.columns.reduce((sum, column) => sum + columnBytes(column), 0));
        parts.push(chunk);
      }
      const rightFields = this.#right.fields;
      const build: Chunk = {
        columns: rightFields.map((field, index) =>
          concatColumns(
            field.type,
            parts.map((part) => part.columns[index]),
          ),
        ),
        length: parts.reduce((sum, part) => sum + part.length, 0),
      };
      let table: Map<unknown, number[]> | null = null;
      if (this.#keys.length > 0) {
        table = new Map();
        const keyColumns = this.#rightKeys.map((key, k) => castColumn(key(build), this.#keys[k].type, true));
        for (let row = 0; row < build.length; row++) {
          const key = keyOf(keyColumns, row);
          if (key === null) continue;
          const rows = table.get(key);
          if (rows === undefined) table.set(key, [row]);
          else rows.push(row);
        }
        reservation.grow(build.length * 16 + table.size * 64);
      }
      // Probe. A FULL join remembers which build rows found a partner, to add the others at the end.
      const outerLeft = this.#joinType === 'left' || this.#joinType === 'full';
      const rightMatched = this.#joinType === 'full' ? new Uint8Array(build.length) : null;
      for await (const batch of this.#left.execute(context)) {
        const probe = batchColumns(batch);
        const leftRows: number[] = [];
        const rightRows: number[] = [];
        if (table !== null) {
          const keyColumns = this.#leftKeys.map((key, k) => castColumn(key(probe), this.#keys[k].type, true));
          for (let row = 0; row < probe.length; row++) {
            const key = keyOf(keyColumns, row);
            if (key === null) continue;
            const matches = table.get(key);
            if (matches === undefined) continue;
            for (const match of matches) {
              leftRows.push(row);
              rightRows.push(match);
            }
          }
        } else {
          const pairs = probe.length * build.length;
          reservation.grow(pairs * 8);
          for (let row = 0; row < probe.length; row++) {
            for (let match = 0; match < build.length; match++) {
              leftRows.push(row);
              rightRows.push(match);
            }
          }
        }
        let leftIndices = Int32Array.from(leftRows);
        let rightIndices = Int32Array.from(rightRows);
        if (this.#filter !== null && leftIndices.length > 0) {
          const candidate = this.#combine(probe, build, leftIndices, rightIndices);
          const selection = selectionOf(this.#filter(candidate));
          leftIndices = Int32Array.from(selection, (index) => leftIndices[index]);
          rightIndices = Int32Array.from(selection, (index) => rightIndices[index]);
        }
        if (rightMatched !== null) for (let i = 0; i < rightIndices.length; i++) rightMatched[rightIndices[i]] = 1;
        if (outerLeft) {
          const matched = new Uint8Array(probe.length);
          for (let i = 0; i < leftIndices.length; i++) matched[leftIndices[i]] = 1;
          const extraLeft: number[] = [];
          for (let row = 0; row < probe.length; row++) if (matched[row] === 0) extraLeft.push(row);
          if (extraLeft.length > 0) {
            const combinedLeft = new Int32Array(leftIndices.length + extraLeft.length);
            combinedLeft.set(leftIndices);
            combinedLeft.set(extraLeft, leftIndices.length);
            const combinedRight = new Int32Array(combinedLeft.length).fill(-1);
            combinedRight.set(rightIndices);
            leftIndices = combinedLeft;
            rightIndices = combinedRight;
          }
        }
        if (!outerLeft) reservation.resize(reservation.size);
        if (leftIndices.length === 0) continue;
        yield columnsBatch(this.schema, this.#combine(probe, build, leftIndices, rightIndices));
      }
      if (rightMatched !== null) {
        const extraRight: number[] = [];
        for (let row = 0; row < build.length; row++) if (rightMatched[row] === 0) extraRight.push(row);
        if (extraRight.length > 0) {
          const noLeft: Chunk = { columns: this.#left.fields.map((field) => nullColumn(field.type, 0)), length: 0 };
          const leftIndices = new Int32Array(extraRight.length).fill(-1);
          yield columnsBatch(this.schema, this.#combine(noLeft, build, leftIndices, Int32Array.from(extraRight)));
        }
      }
    } finally {
      reservation.free();
    }
  }

  #combine(probe: Chunk, build: Chunk, leftIndices: Int32Array, rightIndices: Int32Array): Chunk {
    const columns = [
      ...probe.columns.map((column) => takeColumn(column, leftIndices)),
      ...build.columns.map((column) => takeColumn(column, rightIndices)),
    ];
    return { columns, length: leftIndices.length };
  }
}
