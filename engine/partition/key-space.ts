/**
 * Probing the key space. Every expression compares one column with constants, so its truth
 * value is the same everywhere inside one cell of the grid those constants cut the key space
 * into. One probe per cell (each constant, one value strictly between neighbours, one below
 * the smallest, one above the largest, and NULL) therefore decides overlap, coverage and
 * pruning exactly, and gives a concrete example value when something is wrong.
 */
import type { PartitionColumnKind, PartitionValue, RowValue } from './partition-expr.ts';

/** The probes of one column: NULL first, then values in ascending order. */
export function probeValues(kind: PartitionColumnKind, constants: readonly PartitionValue[]): RowValue[] {
  switch (kind) {
    case 'integer':
      return [null, ...integerProbes(constants.map(Number))];
    case 'float':
      return [null, ...floatProbes(constants.map(Number))];
    case 'string':
      return [null, ...stringProbes(constants.map(String))];
  }
}

function integerProbes(constants: number[]): number[] {
  if (constants.length === 0) return [0];
  const probes = new Set<number>();
  for (const c of constants) {
    // The integers next to c reach every cell that holds integers at all.
    if (Number.isInteger(c)) probes.add(c);
    probes.add(Math.floor(c) + 1);
    probes.add(Math.ceil(c) - 1);
  }
  return [...probes].sort((a, b) => a - b);
}

function floatProbes(constants: number[]): number[] {
  const sorted = [...new Set(constants)].sort((a, b) => a - b);
  if (sorted.length === 0) return [0];
  const probes: number[] = [sorted[0]! - 1];
  sorted.forEach((c, i) => {
    probes.push(c);
    const next = sorted[i + 1];
    probes.push(next === undefined ? c + 1 : c + (next - c) / 2);
  });
  return probes;
}

function stringProbes(constants: string[]): string[] {
  const sorted = [...new Set(constants)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 0) return [''];
  const probes: string[] = [];
  // '' is the smallest string: it is below the smallest constant unless it is that constant.
  if (sorted[0] !== '') probes.push('');
  sorted.forEach((c, i) => {
    probes.push(c);
    // c + '\0' is the smallest string above c; it lies before the next constant unless equal to it.
    const above = `${c}\u0000`;
    const next = sorted[i + 1];
    if (next === undefined || above < next) probes.push(above);
  });
  return probes;
}

/** Upper bound on probe points; beyond it a rule is refused as too complex to check. */
export const MAX_PROBE_POINTS = 2_000_000;

/** Calls `visit` with every combination of probes (the cartesian product), stopping when it returns false. */
export function forEachProbePoint(
  columns: readonly string[],
  probes: readonly RowValue[][],
  visit: (point: Map<string, RowValue>) => boolean,
): void {
  const point = new Map<string, RowValue>();
  const walk = (depth: number): boolean => {
    if (depth === columns.length) return visit(point);
    for (const value of probes[depth]!) {
      point.set(columns[depth]!, value);
      if (!walk(depth + 1)) return false;
    }
    return true;
  };
  walk(0);
}

export function probePointCount(probes: readonly RowValue[][]): number {
  return probes.reduce((count, values) => count * values.length, 1);
}
