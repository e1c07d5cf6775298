/**
 * The type of a logical expression over an input schema, with DataFusion's coercion rules
 * and messages. The planner calls it on every expression it builds, so type errors surface at
 * planning (PlanQuery) rather than during execution.
 */
import type { SqlType } from './data-type.ts';
import { comparisonCommonType, isDecimal, isInteger, isNumeric, isTimestamp, numericCommonType } from './data-type.ts';
import { boxedBinaryType } from './boxed-arithmetic.ts';
import { planningError } from './errors.ts';
import { aggregateFunction, scalarFunction } from './functions/registry.ts';
import { windowFunction } from './functions/window-functions.ts';
import type { PlanField } from './logical-plan.ts';
import { planSchema } from './logical-plan.ts';
import type { PlanExpr } from './plan-expr.ts';
import { aggregateArgs, formatPlanExpr } from './plan-expr.ts';
import { findField, resolveField } from './resolve-column.ts';

const BITWISE = new Set(['&', '|', '^', '<<', '>>']);

/** Whether the operator compares its operands. */
export function isComparison(op: string): boolean {
  return op === '=' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
}

/**
 * The field an expression already is in the schema: a column, or a computed expression the
 * input produced under its printed name (a group key or aggregate below a projection).
 */
export function computedFieldIndex(expr: PlanExpr, fields: PlanField[]): number {
  if (expr.kind === 'column' || expr.kind === 'literal' || expr.kind === 'alias') return -1;
  return findField(fields, null, formatPlanExpr(expr));
}

/** The result type of `left op right`, throwing DataFusion's planning errors. */
export function binaryType(op: string, left: SqlType, right: SqlType): SqlType {
  if (op === 'AND' || op === 'OR') {
    const ok = (type: SqlType): boolean => type === 'Boolean' || type === 'Null';
    if (!ok(left) || !ok(right)) {
      throw planningError(`Cannot infer common argument type for logical boolean operation ${left} ${op} ${right}`);
    }
    return 'Boolean';
  }
  if (isComparison(op)) {
    if (comparisonCommonType(left, right) === null) {
      throw planningError(`Cannot infer common argument type for comparison operation ${left} ${op} ${right}`);
    }
    return 'Boolean';
  }
  if (op === '||') return 'Utf8';
  if (left === 'Null' && right === 'Null') return 'Null';
  if (BITWISE.has(op)) {
    const common = numericCommonType(left, right);
    if (common === null || !isInteger(common)) {
      throw planningError(`Cannot coerce arithmetic expression ${left} ${op} ${right} to valid types`);
    }
    return common;
  }
  const boxed = boxedBinaryType(op, left, right);
  if (boxed !== null) return boxed;
  const numeric = numericCommonType(left, right);
  if (numeric !== null) return numeric;
  if ((op === '+' || op === '-') && isTimestamp(left) && (isNumeric(right) || right === 'Null')) return left;
  if (op === '+' && isTimestamp(right) && isNumeric(left)) return right;
  // Date - Date: the days between them.
  if (op === '-' && left === 'Date' && right === 'Date') return 'Int64';
  throw planningError(`Cannot coerce arithmetic expression ${left} ${op} ${right} to valid types`);
}

/** The type of `expr` over `fields`. */
export function exprType(expr: PlanExpr, fields: PlanField[]): SqlType {
  const computed = computedFieldIndex(expr, fields);
  if (computed !== -1) return fields[computed].type;
  switch (expr.kind) {
    case 'column':
      return fields[resolveField(fields, expr.relation, expr.name)].type;
    case 'literal':
      return expr.type;
    case 'binary':
      return binaryType(expr.op, exprType(expr.left, fields), exprType(expr.right, fields));
    case 'not': {
      const type = exprType(expr.expr, fields);
      if (type !== 'Boolean' && type !== 'Null') {
        throw planningError(`Cannot infer common argument type for logical NOT of ${type}`);
      }
      return 'Boolean';
    }
    case 'negative': {
      const type = exprType(expr.expr, fields);
      if (!isNumeric(type) && type !== 'Null' && !isDecimal(type) && type !== 'Interval(MonthDayNano)') {
        throw planningError(`Negation only supports numeric types, got ${type}`);
      }
      return type;
    }
    case 'is-null':
      exprType(expr.expr, fields);
      return 'Boolean';
    case 'between': {
      const type = exprType(expr.expr, fields);
      binaryType('>=', type, exprType(expr.low, fields));
      binaryType('<=', type, exprType(expr.high, fields));
      return 'Boolean';
    }
    case 'in-list': {
      const type = exprType(expr.expr, fields);
      for (const item of expr.list) binaryType('=', type, exprType(item, fields));
      return 'Boolean';
    }
    case 'like': {
      const type = exprType(expr.expr, fields);
      const pattern = exprType(expr.pattern, fields);
      if ((type !== 'Utf8' && type !== 'Null') || (pattern !== 'Utf8' && pattern !== 'Null')) {
        throw planningError(`There isn't a common type to coerce ${type} and ${pattern} in LIKE expression`);
      }
      return 'Boolean';
    }
    case 'case': {
      let result: SqlType = 'Null';
      const branches = expr.whens.map(({ then }) => then);
      if (expr.elseExpr !== null) branches.push(expr.elseExpr);
      for (const branch of branches) {
        const type = exprType(branch, fields);
        const common = comparisonCommonType(result, type);
        if (common === null) {
          throw planningError(`Failed to coerce then (${result}, ${type}) to common types in CASE WHEN expression`);
        }
        result = common;
      }
      for (const { when } of expr.whens) exprType(when, fields);
      if (expr.operand !== null) exprType(expr.operand, fields);
      return result;
    }
    case 'cast':
      exprType(expr.expr, fields);
      return expr.type;
    case 'function': {
      const fn = scalarFunction(expr.name);
      if (fn === undefined) throw planningError(`Invalid function '${expr.name}'.`);
      return fn.returnType(expr.args.map((arg) => exprType(arg, fields)));
    }
    case 'aggregate': {
      const fn = aggregateFunction(expr.name);
      if (fn === undefined) throw planningError(`Invalid function '${expr.name}'.`);
      for (const key of expr.orderBy ?? []) exprType(key.expr, fields);
      return fn.returnType(aggregateArgs(expr).map((arg) => exprType(arg, fields)));
    }
    case 'window': {
      for (const child of [...expr.partitionBy, ...expr.orderBy.map((key) => key.expr)]) exprType(child, fields);
      const args = expr.args.map((arg) => exprType(arg, fields));
      const fn = windowFunction(expr.name);
      if (fn !== undefined) return fn.returnType(args);
      const aggregate = aggregateFunction(expr.name);
      if (aggregate === undefined) throw planningError(`Invalid function '${expr.name}'.`);
      return aggregate.returnType(args);
    }
    case 'alias':
      return exprType(expr.expr, fields);
    case 'subquery': {
      if (expr.form !== 'scalar') {
        if (expr.expr !== null) {
          const subqueryType = planSchema(expr.plan)[0].type;
          binaryType('=', exprType(expr.expr, fields), subqueryType);
        }
        return 'Boolean';
      }
      return planSchema(expr.plan)[0].type;
    }
  }
}

/** Whether `expr` may be null over `fields` (conservative: true unless clearly not). */
export function exprNullable(expr: PlanExpr, fields: PlanField[]): boolean {
  switch (expr.kind) {
    case 'column': {
      const index = findField(fields, expr.relation, expr.name);
      return index === -1 ? true : fields[index].nullable;
    }
    case 'literal':
      return expr.value === null;
    case 'is-null':
      return false;
    case 'aggregate':
      return expr.name !== 'count';
    case 'alias':
      return exprNullable(expr.expr, fields);
    default:
      return true;
  }
}
