/**
 * A partition rule in its stored form: plain JSON that metasrv persists with the table, the
 * frontend routes rows by, and the renderer's designer draws. One expression per region,
 * each a tree of comparisons between a partition column and a constant, joined by AND / OR.
 */

/** A constant in a rule: numbers for numeric columns, strings for string columns. */
export type PartitionValue = number | string;

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** The operator with its sides swapped: `5 < a` is `a > 5`. */
export const mirroredComparison: Readonly<Record<ComparisonOp, ComparisonOp>> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

export type PartitionExpr =
  | { kind: 'compare'; column: string; op: ComparisonOp; value: PartitionValue }
  | { kind: 'and' | 'or'; left: PartitionExpr; right: PartitionExpr };

/** What a partition column holds, which decides how the key space between constants is probed. */
export type PartitionColumnKind = 'integer' | 'float' | 'string';

export interface PartitionColumn {
  name: string;
  kind: PartitionColumnKind;
}

/**
 * `columns` are the `PARTITION ON COLUMNS` list; `regions[i]` is the expression of region
 * number i. A table without a rule has one region and no rule at all.
 */
export interface PartitionRule {
  columns: PartitionColumn[];
  regions: PartitionExpr[];
}

/** A value in a row being routed. NULL orders before every value, as GreptimeDB's values do. */
export type RowValue = number | bigint | string | null | undefined;

/**
 * Compares a row value with a rule constant: negative, zero or positive. NULL is below
 * everything; numbers (bigint or number) compare numerically, strings by UTF-16 code units.
 */
export function compareToConstant(value: RowValue, constant: PartitionValue): number {
  if (value === null || value === undefined) return -1;
  if (typeof value === 'string' || typeof constant === 'string') {
    const left = String(value);
    const right = String(constant);
    return left < right ? -1 : left > right ? 1 : 0;
  }
  return value < constant ? -1 : value > constant ? 1 : 0;
}

export function comparisonHolds(op: ComparisonOp, order: number): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** Evaluates an expression for one point of the key space (validation and pruning use this). */
export function evaluateAt(expr: PartitionExpr, point: ReadonlyMap<string, RowValue>): boolean {
  switch (expr.kind) {
    case 'compare':
      return comparisonHolds(expr.op, compareToConstant(point.get(expr.column), expr.value));
    case 'and':
      return evaluateAt(expr.left, point) && evaluateAt(expr.right, point);
    case 'or':
      return evaluateAt(expr.left, point) || evaluateAt(expr.right, point);
  }
}

/** Every constant an expression compares each column with. */
export function constantsByColumn(exprs: readonly PartitionExpr[]): Map<string, PartitionValue[]> {
  const constants = new Map<string, PartitionValue[]>();
  const visit = (expr: PartitionExpr): void => {
    if (expr.kind === 'compare') {
      const list = constants.get(expr.column) ?? [];
      list.push(expr.value);
      constants.set(expr.column, list);
    } else {
      visit(expr.left);
      visit(expr.right);
    }
  };
  exprs.forEach(visit);
  return constants;
}

/**
 * The text GreptimeDB shows in `information_schema.partitions.partition_description`:
 * `a >= 1000 AND a < 2000`, strings single-quoted, OR inside AND parenthesized.
 */
export function formatPartitionExpr(expr: PartitionExpr): string {
  switch (expr.kind) {
    case 'compare':
      return `${expr.column} ${expr.op} ${formatConstant(expr.value)}`;
    case 'and':
      return `${formatOperand(expr.left, 'and')} AND ${formatOperand(expr.right, 'and')}`;
    case 'or':
      return `${formatOperand(expr.left, 'or')} OR ${formatOperand(expr.right, 'or')}`;
  }
}

function formatOperand(expr: PartitionExpr, parent: 'and' | 'or'): string {
  const text = formatPartitionExpr(expr);
  return parent === 'and' && expr.kind === 'or' ? `(${text})` : text;
}

export function formatConstant(value: PartitionValue | RowValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return String(value);
}
