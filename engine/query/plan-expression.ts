/**
 * AST expressions (engine/sql) to logical expressions: names resolved against the input
 * schema (`a` becomes `t.a`), literals typed as DataFusion types them (integers Int64,
 * decimals Float64, strings Utf8), SQL's special forms turned into plain nodes or functions.
 */
import type {
  DataType,
  Expr,
  FunctionCall,
  Ident,
  Query,
  WindowFrameBound as AstFrameBound,
  WindowSpec,
} from '../sql/index.ts';
import type { SqlType } from './data-type.ts';
import { isTemporal, sqlTypeFromName, timestampTicksPerSecond } from './data-type.ts';
import type { IntervalValue } from './interval.ts';
import { exprType } from './expr-type.ts';
import { planningError } from './errors.ts';
import { aggregateFunction, scalarFunction } from './functions/registry.ts';
import { windowFunction } from './functions/window-functions.ts';
import type { LogicalPlan, PlanField } from './logical-plan.ts';
import { planSchema } from './logical-plan.ts';
import type { PlanBinaryOp, PlanExpr, WindowFrame, WindowFrameBound } from './plan-expr.ts';
import { lit } from './plan-expr.ts';
import { resolveField } from './resolve-column.ts';
import { notImplemented } from './errors.ts';
import { normalizeIntervalOperand, planIntervalLiteral } from './plan-interval.ts';

const BINARY_OPS = new Set<string>([
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'AND',
  'OR',
  '||',
  '&',
  '|',
  '^',
  '<<',
  '>>',
]);

/** PostgreSQL's regex match operators, planned as regexp_like. */
const REGEX_OPS: Record<string, { negated: boolean; caseInsensitive: boolean } | undefined> = {
  '~': { negated: false, caseInsensitive: false },
  '~*': { negated: false, caseInsensitive: true },
  '!~': { negated: true, caseInsensitive: false },
  '!~*': { negated: true, caseInsensitive: true },
};

/**
 * A numeric literal typed as DataFusion does: integers Int64, UInt64 past Int64's range (a
 * bigint past 2^53), else Float64.
 */
export function numberLiteral(text: string): PlanExpr {
  const value = Number(text);
  if (/^-?\d+$/.test(text)) {
    if (Number.isSafeInteger(value)) return lit(value, 'Int64');
    const big = BigInt(text);
    if (big >= -(2n ** 63n) && big < 2n ** 63n) return lit(big, 'Int64');
    if (big >= 0n && big < 2n ** 64n) return lit(big, 'UInt64');
  }
  return lit(value, 'Float64');
}

/**
 * AST nodes planned ahead by the caller, by identity: a range query (plan-range-select.ts) turns
 * each `agg(...) RANGE ...` call into a column of its RangeSelect node before the select list
 * is planned around it.
 */
const preplanned = new WeakMap<Expr, PlanExpr>();

/** Makes `planExpression` return `planned` for this very AST node. */
export function preplanExpression(expr: Expr, planned: PlanExpr): void {
  preplanned.set(expr, planned);
}

/** Plans `expr` over `fields`. Aggregate calls are kept as `aggregate` nodes for the caller to place. */
export function planExpression(expr: Expr, fields: PlanField[], planSubquery?: SubqueryPlanner): PlanExpr {
  const plan = (inner: Expr): PlanExpr => planExpression(inner, fields, planSubquery);
  const known = preplanned.get(expr);
  if (known !== undefined) return known;
  switch (expr.kind) {
    case 'identifier': {
      const name = expr.parts[expr.parts.length - 1].value;
      const qualifier = expr.parts.length > 1 ? expr.parts.slice(0, -1).map((part) => part.value) : null;
      const relation = qualifier === null ? null : qualifier[qualifier.length - 1];
      const field = resolveIdentifier(fields, qualifier, relation, name);
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
      // As GreptimeDB plans it: a cast of the text (blanks collapsed), named `Utf8("...")`, read in
      // the session time zone (bind-time-zone.ts) and folded before execution.
      return { kind: 'cast', expr: lit(expr.value.trim().replace(/\s+/g, ' '), 'Utf8'), type, try: false };
    }
    case 'nested':
      return plan(expr.expr);
    // A range expression's calls were preplanned as columns (plan-range-select.ts).
    case 'range':
      return plan(expr.expr);
    case 'unary': {
      if (expr.op === '+') return plan(expr.operand);
      if (expr.op === 'NOT') return { kind: 'not', expr: plan(expr.operand) };
      if (expr.op === '-') {
        // `-9223372036854775808` is one Int64 literal, as DataFusion parses a negated number.
        if (expr.operand.kind === 'number' && /^\d+$/.test(expr.operand.text))
          return numberLiteral(`-${expr.operand.text}`);
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
    case 'cast': {
      const type = sqlTypeFromName(expr.dataType.name, expr.dataType.params);
      // `TIMESTAMP '...'::TIMESTAMP(9)` casts the text itself, keeping digits the literal's
      // default millisecond unit would drop (GreptimeDB rewrites it to one arrow_cast).
      const inner = expr.expr;
      const operand =
        inner.kind === 'typed-string' && type.startsWith('Timestamp') && inner.dataType.name === 'TIMESTAMP'
          ? lit(inner.value, 'Utf8')
          : plan(inner);
      const arrowCast = expr.syntax !== 'TRY_CAST' ? arrowCastName(expr.dataType, type) : undefined;
      return {
        kind: 'cast',
        expr: type === 'Interval(MonthDayNano)' ? normalizeIntervalOperand(operand) : operand,
        type,
        try: expr.syntax === 'TRY_CAST',
        ...(arrowCast === undefined ? {} : { arrowCast }),
      };
    }
    case 'interval':
      return planIntervalLiteral(expr);
    case 'hex':
      return lit(
        Uint8Array.from(Buffer.from(expr.digits.length % 2 === 0 ? expr.digits : `0${expr.digits}`, 'hex')),
        'Binary',
      );
    case 'function':
      return planFunctionCall(expr, fields, planSubquery);
    case 'extract':
      return { kind: 'function', name: 'date_part', args: [lit(expr.field.toUpperCase(), 'Utf8'), plan(expr.expr)] };
    case 'position':
      return { kind: 'function', name: 'strpos', args: [plan(expr.haystack), plan(expr.needle)] };
    case 'substring': {
      const args = [plan(expr.expr), expr.from === null ? lit(1, 'Int64') : plan(expr.from)];
      if (expr.for !== null) args.push(plan(expr.for));
      return { kind: 'function', name: 'substr', args };
    }
    case 'is-distinct-from': {
      // a IS NOT DISTINCT FROM b: equal, or both NULL; never NULL itself.
      const left = plan(expr.left);
      const right = plan(expr.right);
      const same: PlanExpr = {
        kind: 'case',
        operand: null,
        whens: [
          {
            when: { kind: 'is-null', expr: left, not: false },
            then: { kind: 'is-null', expr: right, not: false },
          },
          { when: { kind: 'is-null', expr: right, not: false }, then: lit(false, 'Boolean') },
        ],
        elseExpr: { kind: 'binary', op: '=', left, right },
      };
      return expr.not ? same : { kind: 'not', expr: same };
    }
    case 'subquery':
    case 'in-subquery':
    case 'exists': {
      if (planSubquery === undefined) throw notImplemented('Subqueries here');
      const subplan = planSubquery(expr.query);
      const width = planSchema(subplan).length;
      if (expr.kind !== 'exists' && width !== 1) {
        throw planningError(
          `${expr.kind === 'subquery' ? 'Scalar' : 'IN'} subquery should only return one column, got ${width}`,
        );
      }
      if (expr.kind === 'subquery') return { kind: 'subquery', form: 'scalar', plan: subplan, expr: null, not: false };
      if (expr.kind === 'exists') return { kind: 'subquery', form: 'exists', plan: subplan, expr: null, not: expr.not };
      return { kind: 'subquery', form: 'in', plan: subplan, expr: plan(expr.expr), not: expr.not };
    }
    case 'array':
      return { kind: 'function', name: 'make_array', args: expr.elements.map(plan) };
    case 'subscript':
      return { kind: 'function', name: 'array_element', args: [plan(expr.expr), plan(expr.index)] };
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

/** Plans a subquery in the enclosing query's scope (CTEs); throws for correlated ones. */
export type SubqueryPlanner = (query: Query) => LogicalPlan;

/** Type names GreptimeDB's TypeAliasTransformRule turns a cast into `arrow_cast(x, 'Type')` for. */
const ARROW_CAST_ALIASES = new Set([
  'TIMESTAMP',
  'TIMESTAMPTZ',
  'TIMESTAMP_S',
  'TIMESTAMP_SEC',
  'TIMESTAMPSECOND',
  'TIMESTAMP_MS',
  'TIMESTAMPMILLISECOND',
  'TIMESTAMP_US',
  'TIMESTAMPMICROSECOND',
  'DATETIME',
  'TIMESTAMP_NS',
  'TIMESTAMPNANOSECOND',
  'INT2',
  'INT4',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'FLOAT4',
  'FLOAT8',
  'FLOAT32',
  'FLOAT64',
  'BOOL',
  'TINYTEXT',
  'MEDIUMTEXT',
  'LONGTEXT',
]);

const ARROW_TIME_UNITS: Record<string, string> = {
  Second: 's',
  Millisecond: 'ms',
  Microsecond: 'µs',
  Nanosecond: 'ns',
};

/** The arrow type text of a cast GreptimeDB plans as arrow_cast (type aliases, any TIMESTAMP), else undefined. */
function arrowCastName(dataType: DataType, type: SqlType): string | undefined {
  if (!ARROW_CAST_ALIASES.has(dataType.name.toUpperCase())) return undefined;
  const unit = /^Timestamp\((\w+), None\)$/.exec(type);
  return unit === null ? type : `Timestamp(${ARROW_TIME_UNITS[unit[1]]})`;
}

/**
 * Resolves a possibly qualified name. A qualifier longer than one part (`public.t.a`) is
 * matched on its last part, since the plan qualifies columns by table name or alias.
 */
/**
 * The enclosing query's columns a subquery's names may fall back to (a correlated subquery), by
 * the subquery's input schema; `used` records that one did (decorrelate-subquery.ts).
 */
export interface OuterScope {
  fields: PlanField[];
  used: boolean;
}

const outerScopes = new WeakMap<PlanField[], OuterScope>();

/** Lets names over `fields` that are not found there resolve to the enclosing query's columns. */
export function registerOuterScope(fields: PlanField[], scope: OuterScope | null): void {
  if (scope === null) outerScopes.delete(fields);
  else outerScopes.set(fields, scope);
}

function resolveIdentifier(
  fields: PlanField[],
  qualifier: string[] | null,
  relation: string | null,
  name: string,
): PlanField {
  try {
    return fields[resolveFieldForQualifier(fields, qualifier, relation, name)];
  } catch (error) {
    const outer = outerScopes.get(fields);
    if (outer === undefined) throw error;
    let index: number;
    try {
      index = resolveFieldForQualifier(outer.fields, qualifier, relation, name);
    } catch {
      throw error;
    }
    outer.used = true;
    return outer.fields[index];
  }
}

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

function planFunctionCall(call: FunctionCall, fields: PlanField[], planSubquery?: SubqueryPlanner): PlanExpr {
  const name = call.name.parts[call.name.parts.length - 1].value.toLowerCase();
  if (call.filter !== null) throw notImplemented('Aggregate FILTER');
  if (!call.parens && name === 'current_timestamp') return { kind: 'function', name: 'now', args: [] };
  const star = call.args.length === 1 && call.args[0].kind === 'wildcard';
  const args: PlanExpr[] = [];
  if (!star) {
    for (const arg of call.args) {
      if (arg.kind === 'wildcard' || arg.kind === 'named-argument')
        throw notImplemented(`Argument ${arg.kind} of ${name}`);
      args.push(planExpression(arg, fields, planSubquery));
    }
  }
  if (call.over !== null) return planWindowCall(name, args, call.over, fields);
  // DataFusion's arrow_cast(x, 'Type') and arrow_typeof(x) are a cast and a constant here.
  if (name === 'arrow_cast' && args.length === 2 && args[1].kind === 'literal' && typeof args[1].value === 'string') {
    const type = arrowTypeFromName(args[1].value);
    return { kind: 'cast', expr: args[0], type, try: false, arrowCast: args[1].value };
  }
  if (name === 'arrow_typeof' && args.length === 1) return lit(exprType(args[0], fields), 'Utf8');
  if (aggregateFunction(name) !== undefined) {
    if (star && name !== 'count') throw planningError(`${name}(*) is not supported`);
    const ordering = call.withinGroup.length > 0 ? call.withinGroup : call.orderBy;
    const aggregate: PlanExpr = { kind: 'aggregate', name, args, distinct: call.distinct, star };
    if (ordering.length === 0) return aggregate;
    if (call.withinGroup.length > 1) throw planningError(`${name} WITHIN GROUP takes one ORDER BY expression`);
    const orderBy = ordering.map((item) => {
      const asc = item.asc ?? true;
      return { expr: planExpression(item.expr, fields), asc, nullsFirst: item.nullsFirst ?? !asc };
    });
    return { ...aggregate, orderBy, ...(call.withinGroup.length > 0 ? { withinGroup: true } : {}) };
  }
  if (call.withinGroup.length > 0) throw planningError(`WITHIN GROUP is only supported for aggregates, not ${name}`);
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
  const spec = resolveWindowSpec(over, fields);
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
    const orderType = orderBy.length > 0 ? exprType(orderBy[0].expr, fields) : null;
    frame = {
      units: spec.frame.units,
      start: frameBound(spec.frame.start, orderType),
      end: spec.frame.end === null ? { kind: 'current-row', offset: null } : frameBound(spec.frame.end, orderType),
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

/** An engine type from an Arrow type name as arrow_cast spells it (`Int64`, `Utf8`, `Timestamp(s)`, ...). */
function arrowTypeFromName(name: string): SqlType {
  const timestamp = /^Timestamp\((s|ms|us|ns|Second|Millisecond|Microsecond|Nanosecond)\b/.exec(name);
  if (timestamp !== null) {
    const unit = timestamp[1];
    if (unit === 's' || unit === 'Second') return 'Timestamp(Second, None)';
    if (unit === 'ms' || unit === 'Millisecond') return 'Timestamp(Millisecond, None)';
    if (unit === 'us' || unit === 'Microsecond') return 'Timestamp(Microsecond, None)';
    return 'Timestamp(Nanosecond, None)';
  }
  if (name === 'LargeUtf8' || name === 'Utf8View') return 'Utf8';
  return sqlTypeFromName(name, []);
}

/**
 * A frame bound; an INTERVAL offset (`RANGE INTERVAL '5 minutes' PRECEDING`) over a timestamp or
 * date order key becomes that many of the key's units.
 */
function frameBound(bound: AstFrameBound, orderType: SqlType | null): WindowFrameBound {
  if (bound.kind === 'current-row' || bound.offset === null) return { kind: bound.kind, offset: null };
  const offset = bound.offset;
  if (offset.kind === 'interval' && orderType !== null && isTemporal(orderType)) {
    const planned = planIntervalLiteral(offset);
    const value = planned.kind === 'literal' ? (planned.value as IntervalValue | null) : null;
    if (value === null || value.months !== 0) throw notImplemented('Window frame offsets of months');
    const seconds = value.days * 86_400 + Number(value.nanos) / 1e9;
    return { kind: bound.kind, offset: seconds * timestampTicksPerSecond(orderType) };
  }
  if (offset.kind !== 'number') throw notImplemented('Window frame offsets other than numbers');
  return { kind: bound.kind, offset: Number(offset.text) };
}

/** A select's `WINDOW name AS (...)` definitions, by the select's input schema (as outer scopes). */
const namedWindows = new WeakMap<PlanField[], Map<string, WindowSpec>>();

/** Lets `OVER name` / `OVER (name ...)` over `fields` refer to these definitions. */
export function registerNamedWindows(fields: PlanField[], windows: Map<string, WindowSpec> | null): void {
  if (windows === null) namedWindows.delete(fields);
  else namedWindows.set(fields, windows);
}

/** `OVER w` is the named spec; `OVER (w ORDER BY ...)` refines it (DataFusion's rules). */
function resolveWindowSpec(over: WindowSpec | Ident, fields: PlanField[]): WindowSpec {
  const named = (name: Ident): WindowSpec => {
    const spec = namedWindows.get(fields)?.get(name.value);
    if (spec === undefined) throw planningError(`The window ${name.value} is not defined!`);
    return spec.baseName === null ? spec : resolveWindowSpec(spec, fields);
  };
  if (!('partitionBy' in over)) return named(over);
  if (over.baseName === null) return over;
  const base = named(over.baseName);
  if (over.partitionBy.length > 0) throw planningError(`Cannot override PARTITION BY of window ${over.baseName.value}`);
  return {
    ...over,
    baseName: null,
    partitionBy: base.partitionBy,
    orderBy: over.orderBy.length > 0 ? over.orderBy : base.orderBy,
    frame: over.frame ?? base.frame,
  };
}
