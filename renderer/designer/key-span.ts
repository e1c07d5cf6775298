/**
 * One axis of the drawing: a partition column cut by split points into spans. Span k is
 * `[splits[k-1], splits[k])`, half-open as GreptimeDB's usual `a >= x AND a < y` rules are;
 * the first span is open below (and holds NULL, which orders before every value), the last
 * open above.
 */
import type { PartitionColumnKind, PartitionValue, RowValue } from '../../engine/partition/index.ts';

export interface KeyAxis {
  column: string;
  kind: PartitionColumnKind;
  /** Ascending, distinct. */
  splits: PartitionValue[];
}

export function compareValues(a: PartitionValue, b: PartitionValue): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The span a value falls in (NULL in the first). */
export function spanOf(axis: KeyAxis, value: RowValue): number {
  if (value === null || value === undefined) return 0;
  let low = 0;
  let high = axis.splits.length;
  // The number of splits <= value.
  while (low < high) {
    const mid = (low + high) >> 1;
    if (axis.splits[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Values that probe span k: its lower split and one value strictly inside (when there is
 * one), NULL and a value below for the first span. An expression over these splits is
 * constant on the open interior, so agreeing probes mean it is constant on the whole span.
 */
export function spanProbes(axis: KeyAxis, span: number): RowValue[] {
  const { splits, kind } = axis;
  const low = span === 0 ? undefined : splits[span - 1];
  const high = span === splits.length ? undefined : splits[span];
  const probes: RowValue[] = [];
  if (low === undefined) {
    probes.push(null);
    const below = valueBelow(kind, high);
    if (below !== undefined) probes.push(below);
  } else {
    probes.push(low);
    const inside = valueAbove(kind, low);
    if (high === undefined || compareValues(inside, high) < 0) probes.push(inside);
  }
  return probes;
}

function valueBelow(kind: PartitionColumnKind, high: PartitionValue | undefined): RowValue | undefined {
  if (kind === 'string') return high === undefined || high !== '' ? '' : undefined;
  return high === undefined ? 0 : Number(high) - 1;
}

function valueAbove(kind: PartitionColumnKind, low: PartitionValue): PartitionValue {
  if (kind === 'string') return `${String(low)}\u0000`;
  if (kind === 'integer') return Math.floor(Number(low)) + 1;
  // A float strictly above low and (for any split that is not low itself) below the next.
  const step = Math.max(Math.abs(Number(low)) * 1e-9, Number.MIN_VALUE);
  return Number(low) + step;
}

/** Inserts a split, keeping the list sorted; undefined when it is already there. */
export function withSplit(axis: KeyAxis, value: PartitionValue): { axis: KeyAxis; span: number } | undefined {
  if (axis.splits.some((split) => split === value)) return undefined;
  const span = spanOf(axis, value);
  const splits = [...axis.splits.slice(0, span), value, ...axis.splits.slice(span)];
  return { axis: { ...axis, splits }, span };
}

/** Whether split `index` may take `value`: it must stay strictly between its neighbours. */
export function canMoveSplit(axis: KeyAxis, index: number, value: PartitionValue): boolean {
  const before = axis.splits[index - 1];
  const after = axis.splits[index + 1];
  return (
    (before === undefined || compareValues(before, value) < 0) &&
    (after === undefined || compareValues(value, after) < 0)
  );
}

/** A typed split value for the column: numbers for numeric columns (integers rounded), text for strings. */
export function parseSplitValue(kind: PartitionColumnKind, text: string): PartitionValue | undefined {
  if (kind === 'string') {
    const quoted = /^'((?:[^']|'')*)'$/.exec(text.trim());
    return quoted ? quoted[1]!.replaceAll("''", "'") : text;
  }
  if (text.trim() === '') return undefined;
  const number = Number(text);
  if (!Number.isFinite(number)) return undefined;
  return kind === 'integer' ? Math.round(number) : number;
}
