/**
 * AST expressions (engine/sql) to logical expressions: names resolved against the input
 * schema (`a` becomes `t.a`), literals typed as DataFusion types them (integers Int64,
 * decimals Float64, strings Utf8), SQL's special forms turned into plain nodes or functions.
 */
import type { Expr, FunctionCall, WindowFrameBound as AstFrameBound, WindowSpec } from '../sql/index.ts';
import { sqlTypeFromName, timestampTicksPerSecond } from './data-type.ts';
import { planError, planningError } from './errors.ts';
import { aggregateFunction, scalarFunction } from './functions/registry.ts';
import { windowFunction } from './functions/window-functions.ts';
import type { PlanField } from './logical-plan.ts';
import type { PlanBinaryOp, PlanExpr, WindowFrame, WindowFrameBound } from './plan-expr.ts';
import { lit } from './plan-expr.ts';
import { resolveField } from './resolve-column.ts';
import { parseTimestampTicks } from './timestamp.ts';
import { notImplemented } from './errors.ts';

const BINARY_OPS = new Set<string>(['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'AND', 'OR', '||']);

/** PostgreSQL's regex match operators, planned as regexp_like. */
const REGEX_OPS: Record<string, { negated: boolean; caseInsensitive: boolean } | undefined> = {
  '~': { negated: false, caseInsensitive: false },
  '~*': { negated: false, caseInsensitive: true },
  '!~': { negated: true, caseInsensitive: false },
  '!~*': { negated: true, caseInsensitive: true },
};

/** A numeric literal typed as DataFusion does: integers Int64 (Float64 past 2^53), else Float64. */
export function numberLiteral(text: string): PlanExpr {
  const value = Number(text);
  if (/^\d+$/.test(text) && Number.isSafeInteger(value)) return lit(value, 'Int64');
  return lit(value, 'Float64');
}

/** Plans `expr` over `fields`. Aggregate calls are kept as `aggregate` nodes for the caller to place. */
export function planExpression(expr: Expr, fields: PlanField[]): PlanExpr {
  const plan = (inner: Expr): PlanExpr => planExpression(inner, fields);
  switch (expr.kind) {
    case 'identifier': {
      const name = expr.parts[expr.parts.length - 1].value;
      const qualifier = expr.parts.length > 1 ? expr.parts.slice(0, -1).map((part) => part.value) : null;
      const relation = qualifier === null ? null : qualifier[qualifier.length - 1];
      const index = resolveFieldForQualifier(fields, qualifier, relation, name);
      const field = fields[index];
      return { kind: 'column', relation: field.relation, name: field.name };
    }
    case 'number':
      return numberLiteral(expr.text);
    case 'string':
      return lit(expr.value, 'Utf8');
    case 'boolean':
      return lit(expr.value, 'Boolean');
    case 'null':
      return lit(null, 'Null');
    case 'typed-string': {
      const type = sqlTypeFromName(expr.dataType.name, expr.dataType.params);
      if (!type.startsWith('Timestamp')) return { kind: 'cast', expr: lit(expr.value, 'Utf8'), type, try: false };
      const ticks = parseTimestampTicks(expr.value, timestampTicksPerSecond(type));
      if (ticks === null) throw planError(`Cast error: Cannot cast string '${expr.value}' to value of ${type} type`);
      return lit(ticks, type);
    }
    case 'nested':
      return plan(expr.expr);
    case 'unary': {
      if (expr.op === '+') return plan(expr.operand);
      if (expr.op === 'NOT') return { kind: 'not', expr: plan(expr.operand) };
      if (expr.op === '-') {
        const operand = plan(expr.operand);
        if (operand.kind === 'literal' && typeof operand.value === 'number') return lit(-operand.value, operand.type);
        return { kind: 'negative', expr: operand };
      }
      throw notImplemented(`Unary operator ${expr.op}`);
    }
    case 'binary': {
      // `text @@ 'term'` is GreptimeDB's spelling of matches_term(text, 'term').
      if (expr.op === '@@')
        return { kind: 'function', name: 'matches_term', args: [plan(expr.left), plan(expr.right)] };
      const regex = REGEX_OPS[expr.op];
      if (regex !== undefined) {
        const args = [plan(expr.left), plan(expr.right)];
        if (regex.caseInsensitive) args.push(lit('i', 'Utf8'));
        const test: PlanExpr = { kind: 'function', name: 'regexp_like', args };
        return regex.negated ? { kind: 'not', expr: test } : test;
      }
      if (!BINARY_OPS.has(expr.op)) throw notImplemented(`Binary operator ${expr.op}`);
      return { kind: 'binary', op: expr.op as PlanBinaryOp, left: plan(expr.left), right: plan(expr.right) };
    }
    case 'is': {
      const inner = plan(expr.expr);
      if (expr.test === 'NULL' || expr.test === 'UNKNOWN') return { kind: 'is-null', expr: inner, not: expr.not };
      // x IS TRUE is never NULL: coalesce(x, false); IS FALSE is coalesce(NOT x, false).
      const truth: PlanExpr = expr.test === 'TRUE' ? inner : { kind: 'not', expr: inner };
      const test: PlanExpr = { kind: 'function', name: 'coalesce', args: [truth, lit(false, 'Boolean')] };
      return expr.not ? { kind: 'not', expr: test } : test;
    }
    case 'between':
      return { kind: 'between', expr: plan(expr.expr), low: plan(expr.low), high: plan(expr.high), not: expr.not };
    case 'in-list':
      return { kind: 'in-list', expr: plan(expr.expr), list: expr.list.map(plan), not: expr.not };
    case 'like':
      if (expr.op !== 'LIKE' && expr.op !== 'ILIKE') throw notImplemented(expr.op);
      if (expr.escape !== null) throw notImplemented('LIKE ... ESCAPE');
      return {
        kind: 'like',
        expr: plan(expr.expr),
        pattern: plan(expr.pattern),
        not: expr.not,
        caseInsensitive: expr.op === 'ILIKE',
      };
    case 'case':
      return {
        kind: 'case',
        operand: expr.operand === null ? null : plan(expr.operand),
        whens: expr.whens.map(({ condition, result }) => ({ when: plan(condition), then: plan(result) })),
        elseExpr: expr.elseResult === null ? null : plan(expr.elseResult),
      };
    case 'cast':
      return {
        kind: 'cast',
        expr: plan(expr.expr),
        type: sqlTypeFromName(expr.dataType.name, expr.dataType.params),
        try: expr.syntax === 'TRY_CAST',
      };
    case 'function':
      return planFunctionCall(expr, fields);
    case 'extract':
      return { kind: 'function', name: 'date_part', args: [lit(expr.field.toUpperCase(), 'Utf8'), plan(expr.expr)] };
    case 'position':
      return { kind: 'function', name: 'strpos', args: [plan(expr.haystack), plan(expr.needle)] };
    case 'substring': {
      const args = [plan(expr.expr), expr.from === null ? lit(1, 'Int64') : plan(expr.from)];
      if (expr.for !== null) args.push(plan(expr.for));
      return { kind: 'function', name: 'substr', args };
    }
    case 'trim': {
      const name = expr.where === 'LEADING' ? 'ltrim' : expr.where === 'TRAILING' ? 'rtrim' : 'trim';
      const args = [plan(expr.expr)];
      if (expr.chars !== null) args.push(plan(expr.chars));
      return { kind: 'function', name, args };
    }
    default:
      throw notImplemented(`Expression ${expr.kind}`);
  }
}

/**
 * Resolves a possibly qualified name. A qualifier longer than one part (`public.t.a`) is
 * matched on its last part, since the plan qualifies columns by table name or alias.
 */
function resolveFieldForQualifier(
  fields: PlanField[],
  qualifier: string[] | null,
  relation: string | null,
  name: string,
): number {
  if (qualifier === null || qualifier.length === 1) return resolveField(fields, relation, name);
  try {
    return resolveField(fields, relation, name);
  } catch {
    return resolveField(fields, qualifier.join('.'), name);
  }
}

function planFunctionCall(call: FunctionCall, fields: PlanField[]): PlanExpr {
  const name = call.name.parts[call.name.parts.length - 1].value.toLowerCase();
  if (call.filter !== null) throw notImplemented('Aggregate FILTER');
  if (!call.parens && name === 'current_timestamp') return { kind: 'function', name: 'now', args: [] };
  const star = call.args.length === 1 && call.args[0].kind === 'wildcard';
  const args: PlanExpr[] = [];
  if (!star) {
    for (const arg of call.args) {
      if (arg.kind === 'wildcard' || arg.kind === 'named-argument')
        throw notImplemented(`Argument ${arg.kind} of ${name}`);
      args.push(planExpression(arg, fields));
    }
  }
  if (call.over !== null) return planWindowCall(name, args, call.over, fields);
  if (aggregateFunction(name) !== undefined) {
    if (star && name !== 'count') throw planningError(`${name}(*) is not supported`);
    return { kind: 'aggregate', name, args, distinct: call.distinct, star };
  }
  if (scalarFunction(name) === undefined) throw planningError(`Invalid function '${name}'.`);
  return { kind: 'function', name, args };
}

/** `f(args) OVER (PARTITION BY ... ORDER BY ... frame)` as a `window` expression. */
function planWindowCall(
  name: string,
  args: PlanExpr[],
  over: NonNullable<FunctionCall['over']>,
  fields: PlanField[],
): PlanExpr {
  if (!('partitionBy' in over)) throw notImplemented('Named windows');
  const spec: WindowSpec = over;
  if (spec.baseName !== null) throw notImplemented('Named windows');
  if (windowFunction(name) === undefined && aggregateFunction(name) === undefined) {
    throw planningError(`Invalid function '${name}'.`);
  }
  const orderBy = spec.orderBy.map((item) => {
    const asc = item.asc ?? true;
    return { expr: planExpression(item.expr, fields), asc, nullsFirst: item.nullsFirst ?? !asc };
  });
  let frame: WindowFrame;
  if (spec.frame === null) {
    frame =
      orderBy.length > 0
        ? { units: 'RANGE', start: { kind: 'preceding', offset: null }, end: { kind: 'current-row', offset: null } }
        : { units: 'ROWS', start: { kind: 'preceding', offset: null }, end: { kind: 'following', offset: null } };
  } else {
    frame = {
      units: spec.frame.units,
      start: frameBound(spec.frame.start),
      end: spec.frame.end === null ? { kind: 'current-row', offset: null } : frameBound(spec.frame.end),
    };
  }
  return {
    kind: 'window',
    name,
    args,
    partitionBy: spec.partitionBy.map((expr) => planExpression(expr, fields)),
    orderBy,
    frame,
  };
}

function frameBound(bound: AstFrameBound): WindowFrameBound {
  if (bound.kind === 'current-row' || bound.offset === null) return { kind: bound.kind, offset: null };
  const offset = bound.offset;
  if (offset.kind !== 'number') throw notImplemented('Window frame offsets other than numbers');
  return { kind: bound.kind, offset: Number(offset.text) };
}
