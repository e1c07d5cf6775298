/**
 * Validation at CREATE TABLE: the regions' expressions must not overlap and must cover every
 * row. A failure names a concrete example row, so the user sees which value falls twice or
 * nowhere.
 */
import { ErrorCode, TesseraError } from '../common/portable.ts';
import { forEachProbePoint, MAX_PROBE_POINTS, probePointCount, probeValues } from './key-space.ts';
import { constantsByColumn, evaluateAt, formatConstant, formatPartitionExpr } from './partition-expr.ts';
import type { PartitionRule, RowValue } from './partition-expr.ts';

export function validatePartitionRule(rule: PartitionRule): void {
  if (rule.regions.length === 0) return;
  const names = rule.columns.map((column) => column.name);
  const constants = constantsByColumn(rule.regions);
  const probes = rule.columns.map((column) => probeValues(column.kind, constants.get(column.name) ?? []));
  if (probePointCount(probes) > MAX_PROBE_POINTS) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Partition rule is too complex to check: ${probePointCount(probes)} key-space cells (limit ${MAX_PROBE_POINTS})`,
    );
  }
  let failure: TesseraError | undefined;
  forEachProbePoint(names, probes, (point) => {
    const matching: number[] = [];
    rule.regions.forEach((expr, region) => {
      if (evaluateAt(expr, point)) matching.push(region);
    });
    if (matching.length === 1) return true;
    const example = describePoint(names, point);
    failure =
      matching.length === 0
        ? new TesseraError(
            ErrorCode.InvalidArguments,
            `Invalid partition rule: no partition covers ${example}; add an expression that includes it`,
          )
        : new TesseraError(
            ErrorCode.InvalidArguments,
            `Invalid partition rule: ${example} is covered by both ` +
              `'${formatPartitionExpr(rule.regions[matching[0]!]!)}' and '${formatPartitionExpr(rule.regions[matching[1]!]!)}'`,
          );
    return false;
  });
  if (failure) throw failure;
}

function describePoint(columns: readonly string[], point: ReadonlyMap<string, RowValue>): string {
  return columns.map((name) => `${name} = ${formatConstant(point.get(name))}`).join(', ');
}
