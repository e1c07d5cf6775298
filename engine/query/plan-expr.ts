/**
 * Expressions of the logical plan: names resolved to columns of an input schema, literals
 * typed, functions looked up. Plain objects discriminated by `kind`, printed the way
 * DataFusion prints them (`t.a > Int64(1)`, `sum(t.b)`), and that printed text is also the
 * output column name of an unaliased expression, as in GreptimeDB's results.
 */
import type { SqlType } from './data-type.ts';
import type { LogicalPlan } from './logical-plan.ts';
import { decimalParams, isDecimal } from './data-type.ts';
import { rustFloatDisplay } from './decimal.ts';
import { intervalLiteralText } from './interval.ts';
import type { IntervalValue } from './interval.ts';

/** Binary operators the engine evaluates. */
export type PlanBinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'AND'
  | 'OR'
  | '||'
  | '&'
  | '|'
  | '^'
  | '<<'
  | '>>';

/**
 * A literal value: numbers (also for timestamps, in the type's unit), strings, booleans, null;
 * decimals as scaled bigints, intervals and binaries as their boxed values (column.ts).
 */
export type ScalarValue = number | string | boolean | null | bigint | IntervalValue | Uint8Array | ScalarValue[];

/** A logical expression. */
export type PlanExpr =
  | { kind: 'column'; relation: string | null; name: string }
  | { kind: 'literal'; type: SqlType; value: ScalarValue }
  | { kind: 'binary'; op: PlanBinaryOp; left: PlanExpr; right: PlanExpr }
  | { kind: 'not'; expr: PlanExpr }
  | { kind: 'negative'; expr: PlanExpr }
  | { kind: 'is-null'; expr: PlanExpr; not: boolean }
  | { kind: 'between'; expr: PlanExpr; low: PlanExpr; high: PlanExpr; not: boolean }
  | { kind: 'in-list'; expr: PlanExpr; list: PlanExpr[]; not: boolean }
  | { kind: 'like'; expr: PlanExpr; pattern: PlanExpr; not: boolean; caseInsensitive: boolean }
  | { kind: 'case'; operand: PlanExpr | null; whens: { when: PlanExpr; then: PlanExpr }[]; elseExpr: PlanExpr | null }
  /**
   * `arrowCast`: the cast is GreptimeDB's `arrow_cast(expr, 'Type')` (written so, or a cast to a
   * type alias such as `::TIMESTAMP_MS` / `::INT64`, which GreptimeDB rewrites to one) and prints as
   * that call with this type text; other casts are transparent in names.
   */
  | { kind: 'cast'; expr: PlanExpr; type: SqlType; try: boolean; arrowCast?: string }
  | { kind: 'function'; name: string; args: PlanExpr[] }
  | {
      kind: 'aggregate';
      name: string;
      args: PlanExpr[];
      distinct: boolean;
      star: boolean;
      /** `f(x ORDER BY k)`: rows reach the accumulator in this order. */
      orderBy?: WindowOrder[];
      /** `f(p) WITHIN GROUP (ORDER BY x)`: `orderBy[0].expr` is the value, passed before `args`. */
      withinGroup?: boolean;
    }
  | {
      kind: 'window';
      name: string;
      args: PlanExpr[];
      partitionBy: PlanExpr[];
      orderBy: WindowOrder[];
      frame: WindowFrame;
    }
  | { kind: 'alias'; expr: PlanExpr; name: string }
  /**
   * An uncorrelated subquery: `(SELECT ...)` (`scalar`, of the plan's one column type),
   * `expr [NOT] IN (SELECT ...)` or `[NOT] EXISTS (SELECT ...)`. The executor runs the plan
   * first and replaces the node by literals (execute-subqueries.ts).
   */
  | { kind: 'subquery'; form: 'scalar' | 'in' | 'exists'; plan: LogicalPlan; expr: PlanExpr | null; not: boolean };

/** One ORDER BY key of a window. */
export interface WindowOrder {
  expr: PlanExpr;
  asc: boolean;
  nullsFirst: boolean;
}

/** A frame bound: `offset` rows (or order-key units for RANGE); null offset is UNBOUNDED. */
export interface WindowFrameBound {
  kind: 'preceding' | 'current-row' | 'following';
  offset: number | null;
}

/** A window frame, defaulted as DataFusion does when the query gives none. */
export interface WindowFrame {
  units: 'ROWS' | 'RANGE' | 'GROUPS';
  start: WindowFrameBound;
  end: WindowFrameBound;
}

function formatFrameBound(bound: WindowFrameBound): string {
  if (bound.kind === 'current-row') return 'CURRENT ROW';
  return `${bound.offset === null ? 'UNBOUNDED' : String(bound.offset)} ${bound.kind === 'preceding' ? 'PRECEDING' : 'FOLLOWING'}`;
}

/** `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`. */
export function formatWindowFrame(frame: WindowFrame): string {
  return `${frame.units} BETWEEN ${formatFrameBound(frame.start)} AND ${formatFrameBound(frame.end)}`;
}

/** A column reference. */
export function col(name: string, relation: string | null = null): PlanExpr {
  return { kind: 'column', relation, name };
}

/** A typed literal. */
export function lit(value: ScalarValue, type: SqlType): PlanExpr {
  return { kind: 'literal', type, value };
}

const BINARY_PRECEDENCE: Record<PlanBinaryOp, number> = {
  OR: 5,
  AND: 10,
  '=': 15,
  '!=': 15,
  '<': 15,
  '<=': 15,
  '>': 15,
  '>=': 15,
  '|': 20,
  '^': 20,
  '&': 20,
  '<<': 20,
  '>>': 20,
  '||': 30,
  '+': 30,
  '-': 30,
  '*': 40,
  '/': 40,
  '%': 40,
};

/** DataFusion's display of the bitwise operators. */
const BITWISE_NAMES: Partial<Record<PlanBinaryOp, string>> = {
  '&': 'BIT_AND',
  '|': 'BIT_OR',
  '^': 'BIT_XOR',
  '<<': 'BIT_SHIFT_LEFT',
  '>>': 'BIT_SHIFT_RIGHT',
};

function literalText(type: SqlType, value: ScalarValue): string {
  if (value === null) return 'NULL';
  if (type === 'Utf8') return `Utf8("${String(value)}")`;
  if (isDecimal(type)) {
    const { precision, scale } = decimalParams(type);
    return `Decimal128(Some(${String(value)}),${precision},${scale})`;
  }
  if (type === 'Interval(MonthDayNano)') return intervalLiteralText(value as IntervalValue);
  if (type === 'Binary') return `Binary("${Array.from(value as Uint8Array).join(',')}")`;
  if (Array.isArray(value)) return `List([${value.map((item) => (item === null ? 'NULL' : String(item))).join(', ')}])`;
  if (type.startsWith('Timestamp')) {
    const unit = type.slice('Timestamp('.length, type.indexOf(','));
    return `Timestamp${unit}(${String(value)}, None)`;
  }
  if (type === 'Float64' || type === 'Float32') {
    const number = value as number;
    // Rust prints a whole f64 without a fraction: Float64(18), Float64(1.5).
    return `${type}(${rustFloatDisplay(number)})`;
  }
  return `${type}(${String(value)})`;
}

/** The expression as DataFusion prints it in plans. */
export function formatPlanExpr(expr: PlanExpr): string {
  return formatText(expr, false);
}

/**
 * The text, or (`asName`) the output column name DataFusion derives from it: casts are
 * transparent in names (`'1'::INT` names its column `Utf8("1")`).
 */
function formatText(expr: PlanExpr, asName: boolean): string {
  const formatPlanExpr = (child: PlanExpr): string => formatText(child, asName);
  if (expr.kind === 'cast' && expr.arrowCast !== undefined) {
    return `arrow_cast(${formatPlanExpr(expr.expr)},Utf8("${expr.arrowCast}"))`;
  }
  if (asName && expr.kind === 'cast') return formatPlanExpr(expr.expr);
  switch (expr.kind) {
    case 'column':
      return expr.relation === null ? expr.name : `${expr.relation}.${expr.name}`;
    case 'literal':
      return literalText(expr.type, expr.value);
    case 'binary': {
      const precedence = BINARY_PRECEDENCE[expr.op];
      const side = (child: PlanExpr): string =>
        child.kind === 'binary' && BINARY_PRECEDENCE[child.op] < precedence
          ? `(${formatPlanExpr(child)})`
          : formatPlanExpr(child);
      return `${side(expr.left)} ${BITWISE_NAMES[expr.op] ?? expr.op} ${side(expr.right)}`;
    }
    case 'not':
      return `NOT ${formatPlanExpr(expr.expr)}`;
    case 'negative':
      return `(- ${formatPlanExpr(expr.expr)})`;
    case 'is-null':
      return `${formatPlanExpr(expr.expr)} IS ${expr.not ? 'NOT ' : ''}NULL`;
    case 'between':
      return `${formatPlanExpr(expr.expr)} ${expr.not ? 'NOT ' : ''}BETWEEN ${formatPlanExpr(expr.low)} AND ${formatPlanExpr(expr.high)}`;
    case 'in-list':
      return `${formatPlanExpr(expr.expr)} ${expr.not ? 'NOT ' : ''}IN ([${expr.list.map(formatPlanExpr).join(', ')}])`;
    case 'like':
      return `${formatPlanExpr(expr.expr)} ${expr.not ? 'NOT ' : ''}${expr.caseInsensitive ? 'ILIKE' : 'LIKE'} ${formatPlanExpr(expr.pattern)}`;
    case 'case': {
      let text = 'CASE';
      if (expr.operand !== null) text += ` ${formatPlanExpr(expr.operand)}`;
      for (const { when, then } of expr.whens) text += ` WHEN ${formatPlanExpr(when)} THEN ${formatPlanExpr(then)}`;
      if (expr.elseExpr !== null) text += ` ELSE ${formatPlanExpr(expr.elseExpr)}`;
      return `${text} END`;
    }
    case 'cast':
      return `${expr.try ? 'TRY_CAST' : 'CAST'}(${formatPlanExpr(expr.expr)} AS ${expr.type})`;
    // DataFusion's schema names join call arguments with a bare comma: `mod(Int64(18),Int64(4))`.
    case 'function':
      return `${expr.name}(${expr.args.map(formatPlanExpr).join(',')})`;
    case 'aggregate': {
      if (expr.star) return `${expr.name}(*)`;
      const call = `${expr.name}(${expr.distinct ? 'DISTINCT ' : ''}${expr.args.map(formatPlanExpr).join(',')})`;
      if (expr.orderBy === undefined || expr.orderBy.length === 0) return call;
      return `${call} ${expr.withinGroup === true ? 'WITHIN GROUP' : 'ORDER BY'} [${formatOrder(expr.orderBy, formatPlanExpr)}]`;
    }
    case 'window': {
      let text = `${expr.name}(${expr.args.map(formatPlanExpr).join(',')})`;
      if (expr.partitionBy.length > 0) text += ` PARTITION BY [${expr.partitionBy.map(formatPlanExpr).join(', ')}]`;
      if (expr.orderBy.length > 0) text += ` ORDER BY [${formatOrder(expr.orderBy, formatPlanExpr)}]`;
      return `${text} ${formatWindowFrame(expr.frame)}`;
    }
    case 'alias':
      return `${formatPlanExpr(expr.expr)} AS ${expr.name}`;
    case 'subquery':
      if (expr.form === 'exists') return `${expr.not ? 'NOT ' : ''}EXISTS (<subquery>)`;
      if (expr.form === 'in') return `${formatPlanExpr(expr.expr!)} ${expr.not ? 'NOT ' : ''}IN (<subquery>)`;
      return '(<subquery>)';
  }
}

function formatOrder(keys: WindowOrder[], format: (expr: PlanExpr) => string): string {
  return keys
    .map((key) => `${format(key.expr)} ${key.asc ? 'ASC' : 'DESC'} ${key.nullsFirst ? 'NULLS FIRST' : 'NULLS LAST'}`)
    .join(', ');
}

/** The output column name of an expression: the alias, the column's name, else its text. */
export function exprOutputName(expr: PlanExpr): string {
  if (expr.kind === 'alias') return expr.name;
  if (expr.kind === 'column') return expr.name;
  return formatText(expr, true);
}

/** The columns an aggregate's accumulator receives: the WITHIN GROUP value first, then the arguments. */
export function aggregateArgs(expr: Extract<PlanExpr, { kind: 'aggregate' }>): PlanExpr[] {
  return expr.withinGroup === true && expr.orderBy !== undefined ? [expr.orderBy[0].expr, ...expr.args] : expr.args;
}

/** The direct children of an expression, in evaluation order. */
export function planExprChildren(expr: PlanExpr): PlanExpr[] {
  switch (expr.kind) {
    case 'column':
    case 'literal':
      return [];
    case 'binary':
      return [expr.left, expr.right];
    case 'not':
    case 'negative':
    case 'is-null':
    case 'cast':
    case 'alias':
      return [expr.expr];
    case 'between':
      return [expr.expr, expr.low, expr.high];
    case 'in-list':
      return [expr.expr, ...expr.list];
    case 'like':
      return [expr.expr, expr.pattern];
    case 'case': {
      const children: PlanExpr[] = expr.operand === null ? [] : [expr.operand];
      for (const { when, then } of expr.whens) children.push(when, then);
      if (expr.elseExpr !== null) children.push(expr.elseExpr);
      return children;
    }
    case 'function':
      return expr.args;
    case 'aggregate':
      return expr.orderBy === undefined ? expr.args : [...expr.args, ...expr.orderBy.map((key) => key.expr)];
    case 'window':
      return [...expr.args, ...expr.partitionBy, ...expr.orderBy.map((key) => key.expr)];
    case 'subquery':
      return expr.expr === null ? [] : [expr.expr];
  }
}

/**
 * Rebuilds an expression bottom-up: `rewrite` sees each node after its children were
 * rewritten and returns a replacement (or the node itself). Unchanged subtrees keep identity.
 */
export function transformExpr(expr: PlanExpr, rewrite: (expr: PlanExpr) => PlanExpr): PlanExpr {
  return rewrite(mapChildren(expr, (child) => transformExpr(child, rewrite)));
}

/**
 * Rewrites top-down: `rewrite` sees a node before its children; returning a node other than
 * the one given stops the descent there (used to swap whole subexpressions, such as an
 * aggregate call, for a column).
 */
export function replaceExpr(expr: PlanExpr, rewrite: (expr: PlanExpr) => PlanExpr): PlanExpr {
  const replaced = rewrite(expr);
  if (replaced !== expr) return replaced;
  return mapChildren(expr, (child) => replaceExpr(child, rewrite));
}

/** The node with each direct child replaced by `map(child)`. */
export function mapChildren(expr: PlanExpr, map: (child: PlanExpr) => PlanExpr): PlanExpr {
  let next: PlanExpr;
  switch (expr.kind) {
    case 'column':
    case 'literal':
      next = expr;
      break;
    case 'binary':
      next = { ...expr, left: map(expr.left), right: map(expr.right) };
      break;
    case 'not':
    case 'negative':
    case 'is-null':
    case 'cast':
    case 'alias':
      next = { ...expr, expr: map(expr.expr) };
      break;
    case 'between':
      next = { ...expr, expr: map(expr.expr), low: map(expr.low), high: map(expr.high) };
      break;
    case 'in-list':
      next = { ...expr, expr: map(expr.expr), list: expr.list.map(map) };
      break;
    case 'like':
      next = { ...expr, expr: map(expr.expr), pattern: map(expr.pattern) };
      break;
    case 'case':
      next = {
        ...expr,
        operand: expr.operand === null ? null : map(expr.operand),
        whens: expr.whens.map(({ when, then }) => ({ when: map(when), then: map(then) })),
        elseExpr: expr.elseExpr === null ? null : map(expr.elseExpr),
      };
      break;
    case 'function':
      next = { ...expr, args: expr.args.map(map) };
      break;
    case 'aggregate':
      next = {
        ...expr,
        args: expr.args.map(map),
        ...(expr.orderBy === undefined
          ? {}
          : { orderBy: expr.orderBy.map((key) => ({ ...key, expr: map(key.expr) })) }),
      };
      break;
    case 'window':
      next = {
        ...expr,
        args: expr.args.map(map),
        partitionBy: expr.partitionBy.map(map),
        orderBy: expr.orderBy.map((key) => ({ ...key, expr: map(key.expr) })),
      };
      break;
    case 'subquery':
      next = expr.expr === null ? expr : { ...expr, expr: map(expr.expr) };
      break;
  }
  // Keep the node's identity when no child changed, so rules can tell "no change" cheaply.
  const before = planExprChildren(expr);
  const after = planExprChildren(next);
  return after.every((child, index) => child === before[index]) ? expr : next;
}

/** Whether `predicate` holds for the expression or any node below it. */
export function anyExpr(expr: PlanExpr, predicate: (expr: PlanExpr) => boolean): boolean {
  if (predicate(expr)) return true;
  return planExprChildren(expr).some((child) => anyExpr(child, predicate));
}

/** The column references in an expression. */
export function exprColumns(expr: PlanExpr, into: PlanExpr[] = []): PlanExpr[] {
  if (expr.kind === 'column') into.push(expr);
  else for (const child of planExprChildren(expr)) exprColumns(child, into);
  return into;
}

/** Structural equality (by printed text, which is unambiguous for resolved expressions). */
export function sameExpr(a: PlanExpr, b: PlanExpr): boolean {
  return formatPlanExpr(a) === formatPlanExpr(b);
}

/** The conjuncts of an AND chain. */
export function splitConjunction(expr: PlanExpr): PlanExpr[] {
  if (expr.kind === 'binary' && expr.op === 'AND') {
    return [...splitConjunction(expr.left), ...splitConjunction(expr.right)];
  }
  return [expr];
}

/** Conjuncts joined with AND (null for none). */
export function conjunction(exprs: PlanExpr[]): PlanExpr | null {
  if (exprs.length === 0) return null;
  return exprs.reduce((left, right) => ({ kind: 'binary', op: 'AND', left, right }));
}
