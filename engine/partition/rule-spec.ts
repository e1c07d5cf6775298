/**
 * The stored text form of a rule (what metasrv keeps and information_schema shows:
 * the column list and one SQL expression per region) ↔ a `PartitionRule`.
 */
import { ErrorCode, TesseraError } from '../common/portable.ts';
import { parseExpression } from '../sql/index.ts';
import type { Ident } from '../sql/index.ts';
import { formatPartitionExpr } from './partition-expr.ts';
import type { PartitionColumnKind, PartitionRule } from './partition-expr.ts';
import { partitionRuleFromSql } from './rule-from-sql.ts';

export interface PartitionSpecText {
  columns: string[];
  exprs: string[];
}

/** GreptimeDB's spelling of each region's expression. */
export function partitionSpecOf(rule: PartitionRule): PartitionSpecText {
  return { columns: rule.columns.map((column) => column.name), exprs: rule.regions.map(formatPartitionExpr) };
}

export function partitionRuleFromSpec(
  spec: PartitionSpecText,
  kindOf: (column: string) => PartitionColumnKind | undefined,
): PartitionRule {
  const span = { start: 0, end: 0, line: 0, column: 0 };
  const columns: Ident[] = spec.columns.map((name) => ({ value: name, text: name, quote: '', span }));
  return partitionRuleFromSql({ columns, rules: spec.exprs.map((text) => parseExpression(text)), span }, kindOf);
}

/**
 * How a column of the given storage type kind (engine/rpc's column types) partitions:
 * integers, dates and timestamps as integers, floats and decimals as floats, strings as strings.
 */
export function partitionColumnKindOf(typeKind: string, column: string): PartitionColumnKind {
  if (/^u?int(8|16|32|64)$/.test(typeKind) || typeKind === 'timestamp' || typeKind === 'date') return 'integer';
  if (typeKind === 'float32' || typeKind === 'float64' || typeKind === 'decimal128') return 'float';
  if (typeKind === 'string') return 'string';
  throw new TesseraError(
    ErrorCode.InvalidArguments,
    `Column '${column}' of type ${typeKind} cannot be a partition column; use numbers or strings`,
  );
}
