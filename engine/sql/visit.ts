/**
 * Generic traversal of expressions, for checks in the parser (does a select item contain a
 * RANGE?) and for later stages that need to look for something inside an expression without
 * writing a switch over every kind. Traversal stops at subqueries: a query is its own scope.
 */
import type { Expr, FunctionArg, WindowSpec } from './ast-expression.ts';

/** The direct sub-expressions of `expr`, left to right (not those inside subqueries). */
export function exprChildren(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'identifier':
    case 'number':
    case 'string':
    case 'hex':
    case 'boolean':
    case 'null':
    case 'typed-string':
    case 'placeholder':
    case 'default':
    case 'exists':
    case 'subquery':
      return [];
    case 'interval':
      return [expr.value];
    case 'unary':
      return [expr.operand];
    case 'binary':
    case 'is-distinct-from':
      return [expr.left, expr.right];
    case 'quantified':
      return expr.right.kind === 'query' ? [expr.left] : [expr.left, expr.right];
    case 'is':
    case 'in-subquery':
    case 'extract':
    case 'nested':
    case 'cast':
      return [expr.expr];
    case 'between':
      return [expr.expr, expr.low, expr.high];
    case 'in-list':
      return [expr.expr, ...expr.list];
    case 'like':
      return expr.escape === null ? [expr.expr, expr.pattern] : [expr.expr, expr.pattern, expr.escape];
    case 'function':
      return [
        ...expr.args.flatMap(argExprs),
        ...expr.orderBy.map((item) => item.expr),
        ...expr.withinGroup.map((item) => item.expr),
        ...(expr.filter === null ? [] : [expr.filter]),
        ...(expr.over !== null && 'partitionBy' in expr.over ? windowExprs(expr.over) : []),
      ];
    case 'case':
      return [
        ...(expr.operand === null ? [] : [expr.operand]),
        ...expr.whens.flatMap((when) => [when.condition, when.result]),
        ...(expr.elseResult === null ? [] : [expr.elseResult]),
      ];
    case 'position':
      return [expr.needle, expr.haystack];
    case 'substring':
      return [expr.expr, ...(expr.from === null ? [] : [expr.from]), ...(expr.for === null ? [] : [expr.for])];
    case 'trim':
      return expr.chars === null ? [expr.expr] : [expr.chars, expr.expr];
    case 'array':
    case 'tuple':
      return expr.elements;
    case 'subscript':
      return [expr.expr, expr.index];
    case 'slice':
      return [expr.expr, expr.lower, expr.upper, expr.stride].filter((e): e is Expr => e !== null);
    case 'at-time-zone':
      return [expr.expr, expr.timeZone];
    case 'range':
      return [expr.expr, expr.range];
  }
}

function argExprs(arg: FunctionArg): Expr[] {
  if (arg.kind === 'wildcard') return [];
  if (arg.kind === 'named-argument') return [arg.value];
  return [arg];
}

function windowExprs(spec: WindowSpec): Expr[] {
  const exprs = [...spec.partitionBy, ...spec.orderBy.map((item) => item.expr)];
  if (spec.frame !== null) {
    for (const bound of [spec.frame.start, spec.frame.end]) {
      if (bound !== null && bound.offset !== null) exprs.push(bound.offset);
    }
  }
  return exprs;
}

/**
 * Whether `test` holds for `expr` or any expression inside it (outside subqueries). Iterative,
 * so a chain of ten thousand `AND`s (a left-deep tree that deep) is no problem.
 */
export function someExpr(expr: Expr, test: (expr: Expr) => boolean): boolean {
  const pending: Expr[] = [expr];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (test(next)) return true;
    pending.push(...exprChildren(next));
  }
  return false;
}
