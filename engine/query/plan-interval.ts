/**
 * `INTERVAL '1 day 2 hours'`, `INTERVAL '1' DAY`, `INTERVAL 3 HOUR` as Interval(MonthDayNano)
 * literals, and GreptimeDB's rewrite of string literals cast to INTERVAL (`'3y2mon'::INTERVAL`
 * reads `'3 years 2 months'`, which is also what the column name shows).
 */
import type { Expr } from '../sql/index.ts';
import { planError } from './errors.ts';
import { normalizeIntervalText, parseInterval } from './interval.ts';
import type { PlanExpr } from './plan-expr.ts';
import { lit } from './plan-expr.ts';

/** The literal of an `interval` expression; PlanQuery error for text that is not an interval. */
export function planIntervalLiteral(expr: Extract<Expr, { kind: 'interval' }>): PlanExpr {
  const value = expr.value;
  let text: string;
  if (value.kind === 'string') text = value.value;
  else if (value.kind === 'number') text = value.text;
  else if (value.kind === 'unary' && value.op === '-' && value.operand.kind === 'number')
    text = `-${value.operand.text}`;
  else throw planError(`Unsupported interval expression: INTERVAL with a ${value.kind} value`);
  if (expr.unit !== null) text = `${text} ${expr.unit.toLowerCase()}${expr.toUnit === null ? '' : ''}`;
  const parsed = parseInterval(text);
  if (parsed === null)
    throw planError(`Cast error: Cannot cast string '${text}' to value of Interval(MonthDayNano) type`);
  return lit(parsed, 'Interval(MonthDayNano)');
}

/** A string literal operand of `CAST(... AS INTERVAL)` with GreptimeDB's abbreviations expanded. */
export function normalizeIntervalOperand(operand: PlanExpr): PlanExpr {
  if (operand.kind !== 'literal' || typeof operand.value !== 'string') return operand;
  return lit(normalizeIntervalText(operand.value), 'Utf8');
}
