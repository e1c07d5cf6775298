/**
 * Applies a session time zone to a plan before optimizing, where GreptimeDB does: a string
 * compared with a timestamp (`ts >= '2024-01-02 08:00:00'`, BETWEEN, IN) or cast to one is
 * read as wall-clock time in the zone and becomes a timestamp literal (GreptimeDB's type
 * conversion rule), so scans and regions prune with the right instant; `date_format` and
 * `to_unixtime(string)` get the zone as a trailing argument. Projections keep their column
 * names (rewritePlanExprs aliases them). UTC changes nothing.
 */
import type { SqlType } from './data-type.ts';
import { isTimestamp, timestampTicksPerSecond } from './data-type.ts';
import { exprType } from './expr-type.ts';
import type { LogicalPlan, PlanField } from './logical-plan.ts';
import { rewritePlanExprs } from './optimizer/optimizer-rule.ts';
import type { PlanExpr } from './plan-expr.ts';
import { transformExpr } from './plan-expr.ts';
import { isUtcZone } from './time-zone.ts';
import { parseTimestampExact } from './timestamp.ts';

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** The zone-bound plan (the same plan for UTC). */
export function bindTimeZone(plan: LogicalPlan, timeZone: string | undefined): LogicalPlan {
  if (timeZone === undefined || isUtcZone(timeZone)) return plan;
  return rewritePlanExprs(plan, (expr, fields) => transformExpr(expr, (node) => bindNode(node, fields, timeZone)));
}

function typeOf(expr: PlanExpr, fields: PlanField[]): SqlType | null {
  try {
    return exprType(expr, fields);
  } catch {
    return null;
  }
}

/**
 * A string literal as a timestamp literal of `type` read in `zone`; the literal itself when it
 * does not parse. Compared with a column (`compared`), text finer than `type`'s unit becomes a
 * nanosecond literal, so the comparison holds at the text's precision (GreptimeDB #8214).
 */
function timestampLiteral(expr: PlanExpr, type: SqlType, zone: string, compared = true): PlanExpr {
  if (expr.kind !== 'literal' || expr.type !== 'Utf8' || typeof expr.value !== 'string') return expr;
  const perSecond = timestampTicksPerSecond(type);
  if (compared && perSecond < 1e9) {
    const nanos = parseTimestampExact(expr.value, 1e9, zone);
    const step = BigInt(1e9 / perSecond);
    if (nanos !== null && BigInt(nanos) % step !== 0n) {
      return { kind: 'literal', type: 'Timestamp(Nanosecond, None)', value: nanos };
    }
  }
  const ticks = parseTimestampExact(expr.value, perSecond, zone);
  return ticks === null ? expr : { kind: 'literal', type, value: ticks };
}

function bindNode(node: PlanExpr, fields: PlanField[], zone: string): PlanExpr {
  switch (node.kind) {
    case 'binary': {
      if (!COMPARISONS.has(node.op)) return node;
      const leftType = typeOf(node.left, fields);
      const rightType = typeOf(node.right, fields);
      if (leftType !== null && isTimestamp(leftType) && rightType === 'Utf8') {
        const right = timestampLiteral(node.right, leftType, zone);
        return right === node.right ? node : { ...node, right };
      }
      if (rightType !== null && isTimestamp(rightType) && leftType === 'Utf8') {
        const left = timestampLiteral(node.left, rightType, zone);
        return left === node.left ? node : { ...node, left };
      }
      return node;
    }
    case 'between': {
      const type = typeOf(node.expr, fields);
      if (type === null || !isTimestamp(type)) return node;
      const low = timestampLiteral(node.low, type, zone);
      const high = timestampLiteral(node.high, type, zone);
      return low === node.low && high === node.high ? node : { ...node, low, high };
    }
    case 'in-list': {
      const type = typeOf(node.expr, fields);
      if (type === null || !isTimestamp(type)) return node;
      const list = node.list.map((item) => timestampLiteral(item, type, zone));
      return list.every((item, index) => item === node.list[index]) ? node : { ...node, list };
    }
    case 'cast': {
      if (!isTimestamp(node.type) || node.try) return node;
      const literal = timestampLiteral(node.expr, node.type, zone, false);
      return literal === node.expr ? node : literal;
    }
    case 'function':
      if (node.name === 'date_format' && node.args.length === 2) {
        return { ...node, args: [...node.args, { kind: 'literal', type: 'Utf8', value: zone }] };
      }
      if (node.name === 'to_unixtime' && node.args.length === 1 && typeOf(node.args[0], fields) === 'Utf8') {
        return { ...node, args: [...node.args, { kind: 'literal', type: 'Utf8', value: zone }] };
      }
      return node;
    default:
      return node;
  }
}
