/**
 * CREATE TABLE → what metasrv stores: the region schema (tags in primary-key order, the time
 * index, then fields, as the region engine wants them), the column order as written (what
 * `SELECT *` and DESC show), the `WITH` options in their SQL spelling, and the DEFAULTs as SQL
 * text. Column ids are positions in the CREATE statement (0-based, as GreptimeDB numbers them).
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { WireRegionSchema } from '../../rpc/index.ts';
import { formatExpr, primaryKeyColumns, timeIndexColumn } from '../../sql/index.ts';
import type { CreateTable, Expr } from '../../sql/index.ts';
import { columnTypeOf } from './column-types.ts';
import type { WireColumnSchema } from './column-types.ts';

export interface TableDefinition {
  regionSchema: WireRegionSchema;
  columnOrder: string[];
  options: Record<string, string>;
  defaults: Record<string, string>;
}

/** Converts a parsed CREATE TABLE; InvalidArguments or Unsupported for what one region cannot hold. */
export function tableDefinitionOf(statement: CreateTable): TableDefinition {
  if (statement.external) throw new TesseraError(ErrorCode.Unsupported, 'External tables are not supported yet');
  if (statement.partitions) {
    throw new TesseraError(ErrorCode.Unsupported, 'PARTITION ON COLUMNS is not supported yet: tables have one region');
  }
  const engine = statement.engine?.toLowerCase() ?? 'mito';
  if (engine !== 'mito') throw new TesseraError(ErrorCode.Unsupported, `Unsupported table engine: ${statement.engine}`);

  const timeIndex = timeIndexColumn(statement)?.value;
  if (timeIndex === undefined) throw new TesseraError(ErrorCode.InvalidSyntax, 'Missing time index constraint');
  const keys = primaryKeyColumns(statement).map((ident) => ident.value);

  const byName = new Map<string, WireColumnSchema>();
  const defaults: Record<string, string> = {};
  statement.columns.forEach((definition, columnId) => {
    const name = definition.name.value;
    if (byName.has(name)) throw new TesseraError(ErrorCode.InvalidArguments, `Duplicate column name: ${name}`);
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
      if (option.kind === 'default') defaults[name] = formatExpr(option.value);
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
  return {
    regionSchema: { version: 0, columns: [...tags, byName.get(timeIndex)!, ...fields] },
    columnOrder: statement.columns.map((definition) => definition.name.value),
    options: Object.fromEntries(statement.options.map((option) => [option.key, optionText(option.value)])),
    defaults,
  };
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
