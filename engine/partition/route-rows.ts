/**
 * Splitting a batch of rows by the rule: each region's expression is evaluated over whole
 * columns into a mask (no row objects), then each row takes the first region whose mask
 * holds. The result is one row selection per region, ready for an Arrow `take`.
 */
import { ErrorCode, TesseraError } from '../common/portable.ts';
import { comparisonHolds, compareToConstant, formatConstant } from './partition-expr.ts';
import type { PartitionExpr, PartitionRule, RowValue } from './partition-expr.ts';

/** The partition columns' values of the rows, by column name. */
export type PartitionColumnValues = ReadonlyMap<string, ArrayLike<RowValue>>;

export interface RoutedRows {
  /** `selections[region]` lists the row indices that go to region number `region`, ascending. */
  selections: Uint32Array[];
}

export function routeRows(rule: PartitionRule, values: PartitionColumnValues, rowCount: number): RoutedRows {
  if (rule.regions.length === 0) return { selections: [identitySelection(rowCount)] };
  for (const column of rule.columns) {
    if (!values.has(column.name)) {
      throw new TesseraError(ErrorCode.InvalidArguments, `Rows lack partition column '${column.name}'`);
    }
  }
  const regionOfRow = new Int32Array(rowCount).fill(-1);
  const counts = new Uint32Array(rule.regions.length);
  let unassigned = rowCount;
  for (let region = 0; region < rule.regions.length && unassigned > 0; region++) {
    const mask = evaluateMask(rule.regions[region]!, values, rowCount);
    for (let row = 0; row < rowCount; row++) {
      if (mask[row] && regionOfRow[row] === -1) {
        regionOfRow[row] = region;
        counts[region]!++;
        unassigned--;
      }
    }
  }
  if (unassigned > 0) {
    const row = regionOfRow.indexOf(-1);
    const described = rule.columns.map((c) => `${c.name} = ${formatConstant(values.get(c.name)![row])}`).join(', ');
    throw new TesseraError(ErrorCode.InvalidArguments, `No partition covers row ${row + 1} (${described})`);
  }
  const selections = [...counts].map((count) => new Uint32Array(count));
  const filled = new Uint32Array(rule.regions.length);
  for (let row = 0; row < rowCount; row++) {
    const region = regionOfRow[row]!;
    selections[region]![filled[region]!++] = row;
  }
  return { selections };
}

function identitySelection(rowCount: number): Uint32Array {
  const selection = new Uint32Array(rowCount);
  for (let row = 0; row < rowCount; row++) selection[row] = row;
  return selection;
}

/** 1 where the expression holds for the row, 0 elsewhere. */
export function evaluateMask(expr: PartitionExpr, values: PartitionColumnValues, rowCount: number): Uint8Array {
  switch (expr.kind) {
    case 'compare': {
      const column = values.get(expr.column)!;
      const mask = new Uint8Array(rowCount);
      for (let row = 0; row < rowCount; row++) {
        mask[row] = comparisonHolds(expr.op, compareToConstant(column[row], expr.value)) ? 1 : 0;
      }
      return mask;
    }
    case 'and':
    case 'or': {
      const left = evaluateMask(expr.left, values, rowCount);
      const right = evaluateMask(expr.right, values, rowCount);
      if (expr.kind === 'and') for (let row = 0; row < rowCount; row++) left[row]! &= right[row]!;
      else for (let row = 0; row < rowCount; row++) left[row]! |= right[row]!;
      return left;
    }
  }
}
