/**
 * `PARTITION ON COLUMNS (a, b) (expr, ...)` as parsed by engine/sql → a `PartitionRule`.
 * Accepts what GreptimeDB accepts: comparisons `= != < <= > >=` between a listed column and
 * a constant (either side), joined by AND / OR, in parentheses as needed. Anything else is
 * refused with its position.
 */
import { ErrorCode, TesseraError } from '../common/portable.ts';
import type { Expr, Partitions } from '../sql/index.ts';
import { mirroredComparison } from './partition-expr.ts';
import type {
  ComparisonOp,
  PartitionColumn,
  PartitionColumnKind,
  PartitionExpr,
  PartitionRule,
} from './partition-expr.ts';

/**
 * `kindOf(column)` says what the table column holds (undefined when the table has no such
 * column). Names are matched as engine/sql folds them.
 */
export function partitionRuleFromSql(
  partitions: Partitions,
  kindOf: (column: string) => PartitionColumnKind | undefined,
): PartitionRule {
  const columns: PartitionColumn[] = partitions.columns.map((ident) => {
    const kind = kindOf(ident.value);
    if (!kind) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Partition column '${ident.text}' is not a column of the table`,
      );
    }
    return { name: ident.value, kind };
  });
  const byName = new Map(columns.map((column) => [column.name, column]));
  return { columns, regions: partitions.rules.map((expr) => convert(expr, byName)) };
}

function convert(expr: Expr, columns: ReadonlyMap<string, PartitionColumn>): PartitionExpr {
  if (expr.kind === 'nested') return convert(expr.expr, columns);
  if (expr.kind === 'binary') {
    if (expr.op === 'AND' || expr.op === 'OR') {
      return {
        kind: expr.op === 'AND' ? 'and' : 'or',
        left: convert(expr.left, columns),
        right: convert(expr.right, columns),
      };
    }
    if (isComparison(expr.op)) {
      const leftColumn = columnName(expr.left, columns);
      const rightColumn = columnName(expr.right, columns);
      if (leftColumn && !rightColumn) return compare(leftColumn, expr.op, expr.right, columns);
      if (rightColumn && !leftColumn) return compare(rightColumn, mirroredComparison[expr.op], expr.left, columns);
    }
  }
  throw unsupported(expr);
}

function isComparison(op: string): op is ComparisonOp {
  return op === '=' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
}

function columnName(expr: Expr, columns: ReadonlyMap<string, PartitionColumn>): string | undefined {
  if (expr.kind === 'nested') return columnName(expr.expr, columns);
  if (expr.kind !== 'identifier') return undefined;
  const name = expr.parts[expr.parts.length - 1]!.value;
  if (!columns.has(name)) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Partition expression uses column '${name}' (line ${expr.span.line}, column ${expr.span.column}), which is not in PARTITION ON COLUMNS (${[...columns.keys()].join(', ')})`,
    );
  }
  return name;
}

function compare(
  column: string,
  op: ComparisonOp,
  constant: Expr,
  columns: ReadonlyMap<string, PartitionColumn>,
): PartitionExpr {
  const kind = columns.get(column)!.kind;
  const value = constantValue(constant);
  if (value === undefined) throw unsupported(constant);
  if (kind === 'string') {
    if (typeof value !== 'string') throw mismatch(column, kind, constant);
    return { kind: 'compare', column, op, value };
  }
  const number = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && (value.trim() === '' || !Number.isFinite(number)))
    throw mismatch(column, kind, constant);
  return { kind: 'compare', column, op, value: number };
}

function constantValue(expr: Expr): number | string | undefined {
  switch (expr.kind) {
    case 'nested':
      return constantValue(expr.expr);
    case 'number':
      return Number(expr.text);
    case 'string':
      return expr.value;
    case 'unary': {
      const operand = constantValue(expr.operand);
      if (typeof operand !== 'number') return undefined;
      if (expr.op === '-') return -operand;
      return expr.op === '+' ? operand : undefined;
    }
    default:
      return undefined;
  }
}

function mismatch(column: string, kind: PartitionColumnKind, constant: Expr): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `Partition expression compares ${kind} column '${column}' with a ${kind === 'string' ? 'non-string' : 'non-numeric'} value (line ${constant.span.line}, column ${constant.span.column})`,
  );
}

function unsupported(expr: Expr): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `Unsupported partition expression at line ${expr.span.line}, column ${expr.span.column}: ` +
      'use comparisons (= != < <= > >=) between a partition column and a constant, joined by AND / OR',
  );
}
