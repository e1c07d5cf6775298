/**
 * Which of a scan's filter hints a region can use: equality of a string tag with a string
 * constant becomes a region predicate, and comparisons of the time index with a constant (a
 * timestamp of its unit, an integer, a time string) become the time range. Only these: fields are left alone because a region filters
 * after deduplication but prunes files by statistics, and a hint must never drop a row the
 * engine's own filter (applied again above the scan) would keep.
 */
import { mirroredComparison } from '../../partition/index.ts';
import type { ComparisonOp } from '../../partition/index.ts';
import type { PlanExpr } from '../../query/index.ts';
import type { WireRegionScanRequest, WireScanPredicate } from '../../rpc/index.ts';
import type { TimeUnit, WireColumnSchema } from './column-types.ts';
import { parseTimestamp } from './values-batch.ts';

const unitNames = { s: 'Second', ms: 'Millisecond', us: 'Microsecond', ns: 'Nanosecond' } as const;

/** The predicates and time range a region scan can take from `filters` (conjuncts). */
export function scanHints(
  filters: readonly PlanExpr[],
  columns: readonly WireColumnSchema[],
): Pick<WireRegionScanRequest, 'predicates' | 'timeRange'> {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const predicates: WireScanPredicate[] = [];
  let start: bigint | undefined;
  let end: bigint | undefined;
  const conjuncts = filters.flatMap(splitAnd);
  for (const filter of conjuncts) {
    const comparison = asComparison(filter);
    if (!comparison) continue;
    const column = byName.get(comparison.column);
    const { op, literal } = comparison;
    if (!column || literal.value === null) continue;
    // Tags: equality only, so string ordering never has to agree between engine and region.
    if (
      column.semantic === 'tag' &&
      column.type.kind === 'string' &&
      literal.type === 'Utf8' &&
      (op === '=' || op === '!=')
    ) {
      predicates.push({ column: column.name, op, value: { type: 'string', value: String(literal.value) } });
    } else if (column.semantic === 'timestamp' && column.type.kind === 'timestamp') {
      const ticks = timeTicks(literal, column.type.unit);
      if (ticks === undefined) continue;
      // timeRange is start <= t < end.
      const value = ticks;
      const lower = op === '>=' || op === '=' ? value : op === '>' ? value + 1n : undefined;
      // Text finer than the unit reads as its floor tick, and the engine keeps `ts < text` at
      // that tick (GreptimeDB #8214), so text bounds `<` as `<=`.
      const inclusiveLess = op === '<=' || op === '=' || (op === '<' && literal.type === 'Utf8');
      const upper = inclusiveLess ? value + 1n : op === '<' ? value : undefined;
      if (lower !== undefined && (start === undefined || lower > start)) start = lower;
      if (upper !== undefined && (end === undefined || upper < end)) end = upper;
    }
  }
  return {
    ...(predicates.length > 0 ? { predicates } : {}),
    ...(start !== undefined || end !== undefined
      ? {
          timeRange: {
            ...(start !== undefined ? { start: start.toString() } : {}),
            ...(end !== undefined ? { end: end.toString() } : {}),
          },
        }
      : {}),
  };
}

/**
 * A constant compared with the time index, in the column's unit, read the way the engine
 * reads it: a timestamp of the same unit, an integer (ticks of the unit), or a string the
 * engine casts (UTC unless it has an offset). Undefined for anything else.
 */
function timeTicks(literal: Literal, unit: TimeUnit): bigint | undefined {
  const { type, value } = literal;
  if ((typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'bigint') {
    // Past 2^53 (nanoseconds) the engine's literals are exact bigints.
    if (type === `Timestamp(${unitNames[unit]}, None)` || type === 'Int64') return BigInt(value);
    return undefined;
  }
  if (type === 'Utf8' && typeof value === 'string') return parseTimestamp(value, unit);
  return undefined;
}

function splitAnd(expr: PlanExpr): PlanExpr[] {
  return expr.kind === 'binary' && expr.op === 'AND' ? [...splitAnd(expr.left), ...splitAnd(expr.right)] : [expr];
}

type Literal = Extract<PlanExpr, { kind: 'literal' }>;

function asComparison(expr: PlanExpr): { column: string; op: ComparisonOp; literal: Literal } | undefined {
  if (expr.kind !== 'binary' || !(expr.op in mirroredComparison)) return undefined;
  const op = expr.op as ComparisonOp;
  if (expr.left.kind === 'column' && expr.right.kind === 'literal') {
    return { column: expr.left.name, op, literal: expr.right };
  }
  if (expr.left.kind === 'literal' && expr.right.kind === 'column') {
    return { column: expr.right.name, op: mirroredComparison[op], literal: expr.left };
  }
  return undefined;
}
