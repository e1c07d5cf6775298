/**
 * CREATE TABLE → what metasrv stores: the region schema (tags in primary-key order, the time
 * index, then fields, as the region engine wants them), the column order as written (what
 * `SELECT *` and DESC show), the `WITH` options in their SQL spelling, and the DEFAULTs as SQL
 * text. Column ids are positions in the CREATE statement (0-based, as GreptimeDB numbers them).
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import {
  partitionColumnKindOf,
  partitionRuleFromSql,
  partitionSpecOf,
  validatePartitionRule,
} from '../../partition/index.ts';
import type { PartitionSpec, WireRegionSchema } from '../../rpc/index.ts';
import { formatExpr, primaryKeyColumns, timeIndexColumn } from '../../sql/index.ts';
import type { CreateTable, Expr, Partitions } from '../../sql/index.ts';
import { indexClause, indexClausesOf, indexClausesText } from './column-index-options.ts';
import { columnTypeOf } from './column-types.ts';
import type { WireColumnSchema } from './column-types.ts';
import { tableOptionsOf } from './table-options.ts';

export interface TableDefinition {
  regionSchema: WireRegionSchema;
  columnOrder: string[];
  options: Record<string, string>;
  defaults: Record<string, string>;
  /** Absent for one region without a rule. */
  partition?: PartitionSpec;
  /** 'mito' or 'metric'. */
  engine: string;
  /** Column → its index clause as SHOW CREATE prints it (`FULLTEXT INDEX WITH(...)`). */
  columnIndexes: Record<string, string>;
  /** Column → COMMENT text. */
  columnComments: Record<string, string>;
}

/** Converts a parsed CREATE TABLE; InvalidArguments or Unsupported for what one region cannot hold. */
export function tableDefinitionOf(statement: CreateTable): TableDefinition {
  if (statement.external) throw new TesseraError(ErrorCode.Unsupported, 'External tables are not supported yet');
  const engine = statement.engine?.toLowerCase() ?? 'mito';
  if (engine !== 'mito' && engine !== 'metric') {
    throw new TesseraError(ErrorCode.Unsupported, `Unsupported table engine: ${statement.engine}`);
  }

  const timeIndex = timeIndexColumn(statement)?.value;
  if (timeIndex === undefined) throw new TesseraError(ErrorCode.InvalidSyntax, 'Missing time index constraint');
  const keys = primaryKeyColumns(statement).map((ident) => ident.value);

  const byName = new Map<string, WireColumnSchema>();
  const defaults: Record<string, string> = {};
  const columnIndexes: Record<string, string> = {};
  const columnComments: Record<string, string> = {};
  statement.columns.forEach((definition, columnId) => {
    const name = definition.name.value;
    if (byName.has(name)) {
      const first = statement.columns.findIndex((column) => column.name.value === name);
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid SQL, error: column name \`${name}\` is duplicated at index ${first} and ${columnId}`,
      );
    }
    const type = columnTypeOf(definition.dataType);
    const isTimeIndex = name === timeIndex;
    if (isTimeIndex && type.kind !== 'timestamp') {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid column option, column name: ${name}, error: time index column data type should be timestamp`,
      );
    }
    const notNull = definition.options.some((option) => option.kind === 'not-null');
    const semantic = isTimeIndex ? 'timestamp' : keys.includes(name) ? 'tag' : 'field';
    byName.set(name, { name, type, semantic, nullable: !(notNull || isTimeIndex), columnId });
    for (const option of definition.options) {
      if (option.kind === 'default') defaults[name] = defaultExprText(option.value);
      if (option.kind === 'comment') columnComments[name] = option.text;
      if (option.kind === 'index') {
        const clauses = indexClausesOf(columnIndexes[name]);
        clauses.set(option.indexType, indexClause(name, type, option.indexType, option.options));
        columnIndexes[name] = indexClausesText(clauses)!;
      }
    }
  });

  if (!byName.has(timeIndex)) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Time index column ${timeIndex} is not a column of the table`);
  }
  const tags: WireColumnSchema[] = [];
  for (const key of keys) {
    const column = byName.get(key);
    if (!column)
      throw new TesseraError(ErrorCode.InvalidArguments, `Primary key column ${key} is not a column of the table`);
    if (key === timeIndex) continue; // GreptimeDB allows naming the time index in PRIMARY KEY; it stays the time index.
    if (tags.includes(column))
      throw new TesseraError(ErrorCode.InvalidArguments, `Duplicate primary key column: ${key}`);
    tags.push(column);
  }
  const fields = [...byName.values()].filter((column) => column.semantic === 'field');
  const partition = statement.partitions ? partitionSpecOfCreate(statement.partitions, byName) : undefined;
  const options = tableOptionsOf(statement.options);
  const indexType = options['index.type'];
  if (indexType !== undefined && !['inverted', 'skipping'].includes(indexType.toLowerCase())) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Failed to parse region options: Invalid index type: ${indexType}`,
    );
  }
  if (engine === 'metric' && !('physical_metric_table' in options) && !('on_physical_table' in options)) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      'Missing table option for the metric engine: physical_metric_table or on_physical_table',
    );
  }
  return {
    regionSchema: { version: 0, columns: [...tags, byName.get(timeIndex)!, ...fields] },
    columnOrder: statement.columns.map((definition) => definition.name.value),
    options,
    defaults,
    engine,
    columnIndexes,
    columnComments,
    ...(partition ? { partition } : {}),
  };
}

/**
 * `PARTITION ON COLUMNS`: validated here, where the statement's positions are known (an
 * overlapping or incomplete rule is refused with a counterexample), and stored as text.
 * An empty expression list means one region, as GreptimeDB reads it.
 */
function partitionSpecOfCreate(partitions: Partitions, columns: ReadonlyMap<string, WireColumnSchema>): PartitionSpec {
  const rule = partitionRuleFromSql(partitions, (name) => {
    const column = columns.get(name);
    return column ? partitionColumnKindOf(column.type.kind, name) : undefined;
  });
  // `PARTITION ON COLUMNS (a) ()`: one region, but the columns are kept (information_schema shows them).
  validatePartitionRule(rule);
  return partitionSpecOf(rule);
}

/** A `WITH` value as the string the region options parse: strings unquoted, the rest as written. */
export function optionText(value: Expr): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return value.text;
    case 'boolean':
      return String(value.value);
    case 'identifier':
      return value.parts.map((part) => part.text).join('.');
    default:
      return formatExpr(value);
  }
}

/**
 * A DEFAULT as GreptimeDB keeps and prints it: a function without arguments lower-cased with
 * its parentheses (`CURRENT_TIMESTAMP` → `current_timestamp()`), anything else as written.
 */
export function defaultExprText(expr: Expr): string {
  if (
    expr.kind === 'identifier' &&
    expr.parts.length === 1 &&
    expr.parts[0]!.value.toLowerCase() === 'current_timestamp'
  ) {
    return 'current_timestamp()';
  }
  if (expr.kind === 'function' && expr.args.length === 0 && expr.name.parts.length === 1) {
    return `${expr.name.parts[0]!.value.toLowerCase()}()`;
  }
  return formatExpr(expr);
}
