/**
 * Planning GreptimeDB's range queries (`... RANGE '5m' ... ALIGN '1m' [TO ...] [BY (...)] [FILL
 * ...]`) the way its plan_rewrite.rs does: every aggregate call a RANGE applies to becomes one
 * RangeFn of a `range-select` node over the query's input (after WHERE); the select list is
 * then planned over that node's output, where the call is a column named
 * `<aggregate> RANGE <range>[ FILL <fill>]`. The node's time column is the input's time index,
 * its keys the BY expressions (default: the table's primary key, or the constant 1 without
 * one). Error texts are GreptimeDB's.
 */
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { Expr, FunctionCall, Select } from '../sql/index.ts';
import { durationMilliseconds, exprChildren, someExpr } from '../sql/index.ts';
import { columnValue } from './column.ts';
import type { SqlType } from './data-type.ts';
import { isInteger, isNumeric, isTimestamp, timestampTicksPerSecond } from './data-type.ts';
import { compileExpr } from './evaluate.ts';
import { exprType } from './expr-type.ts';
import type { IntervalValue } from './interval.ts';
import type { LogicalPlan, PlanField } from './logical-plan.ts';
import { planSchema } from './logical-plan.ts';
import type { PlanExpr, ScalarValue } from './plan-expr.ts';
import { anyExpr, exprOutputName, formatPlanExpr, transformExpr } from './plan-expr.ts';
import { planExpression, preplanExpression } from './plan-expression.ts';
import type { RangeFill, RangeFn } from './range-select.ts';
import { formatRangeFill } from './range-select.ts';
import { findField } from './resolve-column.ts';
import { parseTimestampTicks } from './timestamp.ts';
import { zoneOffsetMs } from './time-zone.ts';

/** The planned range node, with what the select list is rewritten against. */
export interface RangeSelectPlan {
  plan: Extract<LogicalPlan, { kind: 'range-select' }>;
  /** The keys that name output columns: the time index and the BY expressions. */
  keys: PlanExpr[];
}

/** "Error during planning: ..." (PlanQuery), as DataFusion's plan errors in range rewriting read. */
function rangePlanError(message: string): TesseraError {
  return new TesseraError(ErrorCode.PlanQuery, `Error during planning: ${message}`);
}

/** GreptimeDB's RangeQuery error: InvalidSyntax, "Range Query: ...". */
function rangeQueryError(message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidSyntax, `Range Query: ${message}`);
}

function illegalArgument(expr: PlanExpr): TesseraError {
  return rangePlanError(`Illegal argument \`${exprOutputName(expr)}\` in range select query`);
}

/** The value of a constant expression (no columns), evaluated once. */
function constantValue(expr: PlanExpr): ScalarValue {
  const column = compileExpr(expr, [])({ columns: [], length: 1 });
  return columnValue(column, 0) as ScalarValue;
}

const NANOS_PER_DAY = 86_400_000_000_000n;

/** Milliseconds of an interval value; months are not allowed (their length varies). */
function intervalMilliseconds(value: IntervalValue, expr: PlanExpr): number {
  if (value.months !== 0) {
    throw rangePlanError(`Year or month interval is not allowed in range query: ${exprOutputName(expr)}`);
  }
  const nanos = BigInt(value.days) * NANOS_PER_DAY + value.nanos;
  // div_euclid: rounds toward negative infinity.
  const millis = nanos >= 0n ? nanos / 1_000_000n : -((-nanos + 999_999n) / 1_000_000n);
  return Number(millis);
}

/** Whether an expression is made of interval literals, casts to interval and arithmetic only. */
function intervalOnly(expr: PlanExpr): boolean {
  if (expr.kind === 'cast' && expr.type === 'Interval(MonthDayNano)') {
    return expr.expr.kind === 'literal' && expr.expr.type === 'Utf8' ? true : intervalOnly(expr.expr);
  }
  if (expr.kind === 'literal') return expr.type === 'Interval(MonthDayNano)';
  if (expr.kind === 'binary') return intervalOnly(expr.left) && intervalOnly(expr.right);
  return false;
}

/** A RANGE or ALIGN duration: a duration string, or an interval expression in parentheses. */
function durationArgument(expr: Expr): { ms: number; text: string } {
  if (expr.kind === 'string') {
    const ms = durationMilliseconds(expr.value);
    if (ms === null) throw rangePlanError(`not a valid duration string: ${expr.value}`);
    if (ms <= 0) throw rangePlanError('duration must be greater than 0');
    return { ms, text: expr.value };
  }
  const planned = planExpression(expr, []);
  if (!intervalOnly(planned)) throw illegalArgument(planned);
  const value = constantValue(planned);
  if (value === null || typeof value !== 'object' || !('months' in value)) {
    throw rangePlanError(`${exprOutputName(planned)} is not a expr can be evaluate and use in range query`);
  }
  const ms = intervalMilliseconds(value, planned);
  if (ms <= 0) throw illegalArgument(planned);
  return { ms, text: exprOutputName(planned) };
}

/**
 * `ALIGN ... TO`: the origin of the aligned times in ms. By default GreptimeDB moves the epoch by
 * the session zone's offset (local_minus_utc: +08:00 aligns to 08:00 UTC), not to local midnight.
 */
function alignOrigin(to: Expr | null, timeZone: string): number {
  if (to === null) return zoneOffsetMs(timeZone, 0);
  let text: string | null = null;
  if (to.kind === 'string') text = to.value;
  else if (to.kind === 'identifier') text = to.parts.map((part) => part.text).join('.');
  if (text !== null) {
    if (text.toUpperCase() === 'NOW') return Date.now();
    if (text === '') return zoneOffsetMs(timeZone, 0);
    const ms = parseTimestampTicks(text, 1000, timeZone);
    if (ms === null) {
      throw rangePlanError(
        `Illegal \`align to\` argument \`${text}\` in range select query, can't be parse as NOW/CALENDAR/Timestamp, error: Failed to parse a string into Timestamp, raw string: ${text}`,
      );
    }
    return ms;
  }
  const planned = fixNow(planExpression(to, []));
  // `ts - ts` (a Duration in DataFusion, not planned here): the difference in milliseconds.
  if (planned.kind === 'binary' && planned.op === '-') {
    const [left, right] = [planned.left, planned.right].map((side) => timestampMillis(side));
    if (left !== null && right !== null) return left - right;
  }
  const type = exprType(planned, []);
  const value = constantValue(planned);
  if (typeof value === 'number' && isTimestamp(type)) {
    return Math.floor((value * 1000) / timestampTicksPerSecond(type));
  }
  if (value !== null && typeof value === 'object' && 'months' in value) return intervalMilliseconds(value, planned);
  throw rangePlanError(`${exprOutputName(planned)} is not a expr can be evaluate and use in range query`);
}

/** now() read once, so that every now() of the expression is the same instant (DataFusion's query start). */
function fixNow(expr: PlanExpr): PlanExpr {
  const now: PlanExpr = { kind: 'function', name: 'now', args: [] };
  const type = exprType(now, []);
  const value = constantValue(now);
  return transformExpr(expr, (node) =>
    node.kind === 'function' && node.name === 'now' && node.args.length === 0 ? { kind: 'literal', type, value } : node,
  );
}

/** A constant timestamp expression in milliseconds; null when the expression is not one. */
function timestampMillis(expr: PlanExpr): number | null {
  let type: SqlType;
  try {
    type = exprType(expr, []);
  } catch {
    return null;
  }
  if (!isTimestamp(type)) return null;
  const value = constantValue(expr);
  return typeof value === 'number' ? Math.floor((value * 1000) / timestampTicksPerSecond(type)) : null;
}

/** A FILL option for a range aggregate of type `type` ('' or null: none). */
function parseFill(text: string | null, type: SqlType): RangeFill | null {
  if (text === null || text === '') return null;
  const upper = text.toUpperCase();
  if (upper === 'NULL') return { kind: 'null' };
  if (upper === 'PREV') return { kind: 'prev' };
  if (upper === 'LINEAR') {
    if (!isNumeric(type)) throw rangePlanError(`Use FILL LINEAR on Non-numeric DataType ${type}`);
    return { kind: 'linear' };
  }
  const invalid = (): TesseraError =>
    rangePlanError(
      `${upper} is not a valid fill option, fail to convert to a const value. { Arrow error: Cast error: Cannot cast string '${upper}' to value of ${type} type }`,
    );
  if (isInteger(type)) {
    if (!/^[+-]?\d+$/.test(upper)) throw invalid();
    return { kind: 'const', value: Number(upper), text: String(Number(upper)) };
  }
  if (type === 'Float64' || type === 'Float32') {
    const value = Number(upper);
    if (upper.trim() === '' || Number.isNaN(value)) throw invalid();
    return { kind: 'const', value, text: String(value) };
  }
  if (type === 'Utf8') return { kind: 'const', value: upper, text: upper };
  if (type === 'Boolean' && (upper === 'TRUE' || upper === 'FALSE')) {
    return { kind: 'const', value: upper === 'TRUE', text: upper.toLowerCase() };
  }
  throw invalid();
}

/** The calls a RANGE applies to: those of its expression not inside another call. */
function rangeTargets(expr: Expr, into: FunctionCall[] = []): FunctionCall[] {
  if (expr.kind === 'function') into.push(expr);
  else if (expr.kind === 'binary') {
    rangeTargets(expr.left, into);
    rangeTargets(expr.right, into);
  } else if (expr.kind === 'nested' || expr.kind === 'cast') rangeTargets(expr.expr, into);
  else if (expr.kind === 'unary') rangeTargets(expr.operand, into);
  return into;
}

/** The range expressions of a select item (not those nested in another range's calls). */
function rangeExprsOf(expr: Expr, into: Extract<Expr, { kind: 'range' }>[] = []): typeof into {
  if (expr.kind === 'range') into.push(expr);
  else for (const child of exprChildren(expr)) rangeExprsOf(child, into);
  return into;
}

/** The aggregate's name in a range column: `count(*)` reads `count(Int64(1))`, as in DataFusion. */
function aggregateName(aggregate: Extract<PlanExpr, { kind: 'aggregate' }>): string {
  if (aggregate.star) return `${aggregate.name}(${aggregate.distinct ? 'DISTINCT ' : ''}Int64(1))`;
  return exprOutputName(aggregate);
}

/** The time index column of a plan's output: traced through projections, aliases and filters. */
function timeIndexOf(plan: LogicalPlan): number {
  switch (plan.kind) {
    case 'table-scan': {
      const name = plan.table.schema.timeIndex;
      return name === null ? -1 : plan.schema.findIndex((field) => field.name === name);
    }
    case 'filter':
    case 'sort':
    case 'limit':
    case 'subquery-alias':
      return timeIndexOf(plan.input);
    case 'projection': {
      const inner = timeIndexOf(plan.input);
      if (inner === -1) return -1;
      const field = planSchema(plan.input)[inner];
      return plan.exprs.findIndex((expr) => {
        const column = expr.kind === 'alias' ? expr.expr : expr;
        return column.kind === 'column' && findField([field], column.relation, column.name) === 0;
      });
    }
    case 'union':
      return timeIndexOf(plan.inputs[0]);
    default:
      return -1;
  }
}

/** The table a plan reads directly (through filters and aliases), for the default BY keys. */
function baseTable(plan: LogicalPlan): Extract<LogicalPlan, { kind: 'table-scan' }> | null {
  if (plan.kind === 'table-scan') return plan;
  if (plan.kind === 'filter' || (plan.kind === 'subquery-alias' && plan.input.kind === 'table-scan')) {
    return baseTable(plan.input);
  }
  return null;
}

/**
 * Plans the range node of `select` over `input` (FROM and WHERE, whose fields are `fields`) and
 * preplans every range call of the select list as a column of it.
 */
export function planRangeSelect(
  select: Select,
  input: LogicalPlan,
  fields: PlanField[],
  timeZone = 'UTC',
): RangeSelectPlan {
  const align = select.align!;
  const alignMs = durationArgument(align.interval).ms;
  const alignToMs = alignOrigin(align.to, timeZone);

  const rangeExprs: RangeFn[] = [];
  for (const item of select.projection) {
    if (item.kind !== 'select-expr') continue;
    for (const range of rangeExprsOf(item.expr)) {
      for (const call of rangeTargets(range.expr)) {
        if (call.over !== null) throw rangeQueryError('Window functions is not allowed in Range Query');
        if (someExpr(call, (inner) => inner !== call && inner.kind === 'range')) {
          throw rangeQueryError('Nest Range Query is not allowed');
        }
        const aggregate = planExpression(call, fields);
        if (aggregate.kind !== 'aggregate') throw illegalArgument(aggregate);
        if (anyExpr(aggregate, (node) => node !== aggregate && node.kind === 'aggregate')) {
          throw rangeQueryError('Nest Range Query is not allowed');
        }
        const aggregateType = exprType(aggregate, fields);
        const duration = durationArgument(range.range);
        const fill = parseFill(range.fill ?? align.fill, aggregateType);
        const type = fill?.kind === 'linear' && isInteger(aggregateType) ? 'Float64' : aggregateType;
        const fillText = fill === null ? '' : ` FILL ${formatRangeFill(fill)}`;
        const name = `${aggregateName(aggregate)} RANGE ${duration.text}${fillText}`;
        if (!rangeExprs.some((existing) => existing.name === name)) {
          rangeExprs.push({ name, aggregate, rangeMs: duration.ms, fill, type });
        }
        preplanExpression(call, { kind: 'column', relation: null, name });
      }
    }
  }

  const timeIndex = timeIndexOf(input);
  if (timeIndex === -1) throw rangePlanError('Time index column not found in the range query input');
  const timeField = fields[timeIndex];
  const timeExpr: PlanExpr = { kind: 'column', relation: timeField.relation, name: timeField.name };

  let by: PlanExpr[];
  if (align.by === null) {
    const table = baseTable(input);
    if (table === null) throw rangeQueryError('Cannot infer default BY columns from derived range query input');
    const tags = table.table.schema.tags.filter((tag) => findField(fields, null, tag) !== -1);
    by =
      tags.length === 0
        ? [{ kind: 'literal', type: 'Int64', value: 1 }]
        : tags.map((tag) => {
            const field = fields[findField(fields, null, tag)];
            return { kind: 'column', relation: field.relation, name: field.name };
          });
  } else if (align.by.length === 0) {
    by = [{ kind: 'literal', type: 'Int64', value: 1 }];
  } else {
    by = align.by.map((expr) => planExpression(expr, fields));
  }

  const schema: PlanField[] = [
    ...rangeExprs.map((range) => ({
      relation: null,
      name: range.name,
      type: range.type,
      nullable: range.fill?.kind !== 'const',
    })),
    { ...timeField },
    ...by.map((expr) => {
      if (expr.kind === 'column') return { ...fields[findField(fields, expr.relation, expr.name)] };
      return { relation: null, name: formatPlanExpr(expr), type: exprType(expr, fields), nullable: true };
    }),
  ];
  return {
    plan: { kind: 'range-select', input, rangeExprs, alignMs, alignToMs, timeIndex: timeExpr, by, schema },
    keys: [timeExpr, ...by],
  };
}
