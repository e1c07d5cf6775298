/**
 * ALTER TABLE: the frontend works out the table's new metadata and the region alters, metasrv
 * applies them (`table.alter`: regions first, then the metadata). Supported: ADD COLUMN
 * [IF NOT EXISTS] [FIRST | AFTER c] (tags and fields), DROP COLUMN (fields), SET / UNSET table
 * options, MODIFY COLUMN SET / DROP DEFAULT, MODIFY COLUMN <type> (nullable fields; the regions
 * cast older values when they read them), RENAME, and SET / UNSET of column indexes (kept in
 * `columnIndexes` with GreptimeDB's option defaults; indexes are not built yet). A column added
 * with a constant DEFAULT carries it into the region schema, so rows written before read it.
 */
import {
  ErrorCode,
  TesseraError,
  canCastColumnType,
  castValue,
  defaultTextOf,
  parseDefaultText,
} from '../../common/index.ts';
import type { ColumnValue } from '../../common/index.ts';
import { alterTable } from '../../rpc/index.ts';
import type { TableInfo, WireRegionRequest } from '../../rpc/index.ts';
import { parseExpression } from '../../sql/index.ts';
import type { AlterTable, DataType, Expr } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { fulltextIdentity, indexClause, indexClausesOf, indexClausesText } from './column-index-options.ts';
import { columnTypeOf, greptimeColumnTypeName } from './column-types.ts';
import type { TimeUnit, WireColumnSchema, WireColumnType } from './column-types.ts';
import { defaultExprText, optionText } from './create-table-schema.ts';
import { ensurePhysicalColumns, logicalColumnOrder } from './metric-tables.ts';
import {
  isRegionOptionKey,
  isTableOptionKey,
  optionValueProblem,
  regionKeysCleared,
  regionOptionsOf,
} from './table-options.ts';
import { fetchTable, requireTable, resolveTableName } from './table-catalog.ts';
import { convert } from './values-batch.ts';
import type { TableContext } from './table-catalog.ts';

/** The new metadata and the change each region makes (`null` when only metadata changes). */
export interface TableAlteration {
  info: TableInfo;
  regionChange: Extract<WireRegionRequest, { type: 'alter' }>['change'] | null;
}

function columnNotFound(column: string, table: string): TesseraError {
  return new TesseraError(ErrorCode.TableColumnNotFound, `Column ${column} not exists in table ${table}`);
}

function invalidAlter(table: string, message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Invalid alter table(${table}) request: ${message}`);
}

/** GreptimeDB's table name rule (`NAME_PATTERN`). */
const tableNamePattern = /^[a-zA-Z_:-][a-zA-Z0-9_:\-.@#]*$/;

const ticksPerSecond: Record<TimeUnit, bigint> = { s: 1n, ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };

/** A timestamp as GreptimeDB prints a timestamp DEFAULT: `'2024-01-30 00:00:00+0000'`. */
function timestampLiteral(ticks: bigint, unit: TimeUnit): string {
  const perSecond = ticksPerSecond[unit];
  let seconds = ticks / perSecond;
  let rest = ticks % perSecond;
  if (rest < 0n) {
    seconds -= 1n;
    rest += perSecond;
  }
  const text = new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const digits = String(perSecond).length - 1;
  const fraction = rest === 0n ? '' : `.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
  return `'${text}${fraction}+0000'`;
}

/** A constant as SQL text for `TableInfo.defaults`. */
function literalOf(value: ColumnValue, type: WireColumnType): string | undefined {
  if (value === null || value instanceof Uint8Array) return undefined;
  if (type.kind === 'timestamp' && typeof value === 'bigint') return timestampLiteral(value, type.unit);
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  if (typeof value === 'number' && type.kind.startsWith('float') && Number.isInteger(value)) return value.toFixed(1);
  return String(value);
}

/** The constant a DEFAULT evaluates to, or undefined for a function (`now()`) or NULL. */
function constantDefault(expr: Expr, column: WireColumnSchema, timeZone?: string): ColumnValue | undefined {
  if (expr.kind === 'function' || expr.kind === 'identifier' || expr.kind === 'null') return undefined;
  return convert(expr, column, Date.now(), timeZone);
}

/**
 * An added column's DEFAULT: the SQL text the table keeps (timestamps normalized as GreptimeDB
 * prints them) and the constant the region fills older rows with.
 */
function addedDefault(
  expr: Expr,
  column: WireColumnSchema,
  timeZone: string | undefined,
): { text: string; regionValue?: string } {
  // A time string means the session's time zone (GreptimeDB evaluates the DEFAULT at ALTER time).
  const value = constantDefault(expr, column, timeZone);
  if (value === undefined || value === null) return { text: defaultExprText(expr) };
  const regionValue = defaultTextOf(value);
  const text = column.type.kind === 'timestamp' ? literalOf(value, column.type)! : defaultExprText(expr);
  return regionValue === undefined ? { text } : { text, regionValue };
}

/** A column's DEFAULT text after its type changes from `from` (cast as GreptimeDB casts it). */
function castDefaultText(text: string, column: WireColumnSchema, to: WireColumnType): string | undefined {
  let value: ColumnValue | undefined;
  try {
    value = constantDefault(parseExpression(text), column);
  } catch {
    return text;
  }
  if (value === undefined) return text;
  return literalOf(castValue(value, column.type, to), to);
}

/** Applies one ALTER TABLE operation to a table's metadata. */
export function alterationOf(statement: AlterTable, info: TableInfo, timeZone?: string): TableAlteration {
  const operation = statement.operation;
  const columns = info.regionSchema.columns;
  const has = (name: string) => columns.some((column) => column.name === name);
  switch (operation.kind) {
    case 'add-columns': {
      let nextId = Math.max(0, ...columns.map((column) => column.columnId)) + 1;
      const added: WireColumnSchema[] = [];
      const columnOrder = [...info.columnOrder];
      const defaults = { ...(info.defaults ?? {}) };
      const columnIndexes = { ...(info.columnIndexes ?? {}) };
      for (const { column: definition, ifNotExists, location } of operation.columns) {
        const name = definition.name.value;
        if (has(name) || added.some((column) => column.name === name)) {
          if (ifNotExists) continue;
          throw new TesseraError(ErrorCode.TableColumnExists, `Column ${name} already exists in table ${info.name}`);
        }
        if (definition.dataType.name.toUpperCase() === 'INTERVAL') {
          throw new TesseraError(ErrorCode.Unsupported, 'Not supported: Add column with interval type');
        }
        const isTag = definition.options.some((option) => option.kind === 'primary-key');
        const notNull = definition.options.some((option) => option.kind === 'not-null');
        const defaultOption = definition.options.find((option) => option.kind === 'default');
        if (notNull && defaultOption === undefined) {
          throw invalidAlter(info.name, `no default value for column ${name}`);
        }
        const column: WireColumnSchema = {
          name,
          type: columnTypeOf(definition.dataType),
          semantic: isTag ? 'tag' : 'field',
          nullable: !notNull,
          columnId: nextId++,
        };
        if (defaultOption?.kind === 'default') {
          const { text, regionValue } = addedDefault(defaultOption.value, column, timeZone);
          defaults[name] = text;
          if (regionValue !== undefined) column.defaultValue = regionValue;
        }
        for (const option of definition.options) {
          if (option.kind !== 'index') continue;
          const clauses = indexClausesOf(columnIndexes[name]);
          clauses.set(option.indexType, indexClause(name, column.type, option.indexType, option.options));
          columnIndexes[name] = indexClausesText(clauses)!;
        }
        added.push(column);
        if (location?.kind === 'first') columnOrder.unshift(name);
        else if (location?.kind === 'after') {
          const at = columnOrder.indexOf(location.column.value);
          if (at < 0) throw columnNotFound(location.column.value, info.name);
          columnOrder.splice(at + 1, 0, name);
        } else columnOrder.push(name);
      }
      if (added.length === 0) return { info, regionChange: null };
      const tags = [...columns.filter((c) => c.semantic === 'tag'), ...added.filter((c) => c.semantic === 'tag')];
      const rest = [...columns.filter((c) => c.semantic !== 'tag'), ...added.filter((c) => c.semantic !== 'tag')];
      return {
        info: {
          ...info,
          regionSchema: { version: info.regionSchema.version + 1, columns: [...tags, ...rest] },
          columnOrder,
          defaults,
          ...(Object.keys(columnIndexes).length > 0 ? { columnIndexes } : {}),
        },
        regionChange: { kind: 'add_columns', columns: added },
      };
    }
    case 'drop-column': {
      const name = operation.column.value;
      const column = columns.find((c) => c.name === name);
      if (!column) throw columnNotFound(name, info.name);
      if (column.semantic !== 'field') {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Not allowed to remove index column ${name} from table ${info.name}`,
        );
      }
      const defaults = { ...(info.defaults ?? {}) };
      delete defaults[name];
      return {
        info: {
          ...info,
          regionSchema: { version: info.regionSchema.version + 1, columns: columns.filter((c) => c !== column) },
          columnOrder: info.columnOrder.filter((c) => c !== name),
          defaults,
        },
        regionChange: { kind: 'drop_columns', names: [name] },
      };
    }
    case 'modify-column-type':
      return columnTypeAlteration(info, operation.column.value, operation.dataType);
    case 'set-options': {
      const set: Record<string, string> = {};
      const cleared: string[] = [];
      for (const option of operation.options) {
        if (!isTableOptionKey(option.key)) {
          throw new TesseraError(ErrorCode.InvalidArguments, `Unrecognized table option key: ${option.key}`);
        }
        if (option.value.kind === 'null') {
          cleared.push(option.key);
          continue;
        }
        const value = optionText(option.value);
        if (optionValueProblem(option.key, value)) {
          throw new TesseraError(
            ErrorCode.InvalidArguments,
            `Invalid set table option request: Invalid set region option request, key: ${option.key}, value: ${value}`,
          );
        }
        set[option.key] = value;
      }
      return optionsAlteration(info, set, cleared);
    }
    case 'unset-options':
      return optionsAlteration(info, {}, operation.keys);
    case 'set-defaults':
    case 'drop-defaults': {
      const defaults = { ...(info.defaults ?? {}) };
      const names =
        operation.kind === 'set-defaults'
          ? operation.defaults.map((d) => d.column.value)
          : operation.columns.map((c) => c.value);
      for (const name of names) if (!has(name)) throw columnNotFound(name, info.name);
      if (operation.kind === 'drop-defaults') {
        for (const name of names) {
          if (defaults[name] === undefined)
            throw invalidAlter(info.name, `column ${name} does not have a default value`);
          if (!columns.find((c) => c.name === name)!.nullable) {
            throw invalidAlter(info.name, `column ${name} is not nullable and \`default\` cannot be dropped`);
          }
        }
      }
      if (operation.kind === 'set-defaults') {
        for (const { column, value } of operation.defaults) defaults[column.value] = defaultExprText(value);
      } else {
        for (const name of names) delete defaults[name];
      }
      return { info: { ...info, defaults }, regionChange: null };
    }
    case 'rename-table': {
      const newName = operation.newName.value;
      if (!tableNamePattern.test(newName)) {
        throw new TesseraError(ErrorCode.Unexpected, `Unexpected, violated: Invalid table name: ${newName}`);
      }
      return { info: { ...info, name: newName }, regionChange: null };
    }
    case 'set-column-index':
    case 'unset-column-index':
      return { info: columnIndexAlteration(info, operation), regionChange: null };
    default:
      throw new TesseraError(ErrorCode.Unsupported, `ALTER TABLE ${operation.kind} is not supported yet`);
  }
}

/** `MODIFY COLUMN c <type>`: GreptimeDB's checks, then the new type for the table and its regions. */
function columnTypeAlteration(info: TableInfo, name: string, dataType: DataType): TableAlteration {
  if (dataType.name.toUpperCase() === 'INTERVAL') {
    throw new TesseraError(ErrorCode.Unsupported, 'Not supported: Modify column type to interval type');
  }
  const type = columnTypeOf(dataType);
  const columns = info.regionSchema.columns;
  const column = columns.find((c) => c.name === name);
  if (!column) throw columnNotFound(name, info.name);
  if (column.semantic === 'tag') {
    throw invalidAlter(info.name, `Not allowed to change primary key index column '${name}'`);
  }
  if (column.semantic === 'timestamp') {
    throw invalidAlter(info.name, `Not allowed to change timestamp index column '${name}' datatype`);
  }
  if (!canCastColumnType(column.type, type)) {
    throw invalidAlter(
      info.name,
      `column '${name}' cannot be cast automatically to type '${greptimeColumnTypeName(type)}'`,
    );
  }
  if (!column.nullable) throw invalidAlter(info.name, `column '${name}' must be nullable to ensure safe conversion.`);
  if (JSON.stringify(column.type) === JSON.stringify(type)) return { info, regionChange: null };
  const { defaultValue, ...rest } = column;
  const changed: WireColumnSchema = { ...rest, type };
  if (defaultValue !== undefined) {
    const cast = defaultTextOf(castValue(parseDefaultText(defaultValue, column.type), column.type, type));
    if (cast !== undefined) changed.defaultValue = cast;
  }
  const defaults = { ...(info.defaults ?? {}) };
  const text = defaults[name];
  if (text !== undefined) {
    const cast = castDefaultText(text, column, type);
    if (cast === undefined) delete defaults[name];
    else defaults[name] = cast;
  }
  return {
    info: {
      ...info,
      regionSchema: {
        version: info.regionSchema.version + 1,
        columns: columns.map((c) => (c === column ? changed : c)),
      },
      defaults,
    },
    regionChange: { kind: 'modify_column_types', columns: [{ name, type }] },
  };
}

/** SET / UNSET of a column index: the clause GreptimeDB would print, kept in `columnIndexes`. */
function columnIndexAlteration(
  info: TableInfo,
  operation: Extract<AlterTable['operation'], { kind: 'set-column-index' | 'unset-column-index' }>,
): TableInfo {
  const name = operation.column.value;
  const column = info.regionSchema.columns.find((c) => c.name === name);
  if (!column) throw columnNotFound(name, info.name);
  const columnIndexes = { ...(info.columnIndexes ?? {}) };
  const unsetFulltext = { ...(info.unsetFulltext ?? {}) };
  const clauses = indexClausesOf(columnIndexes[name]);
  const indexType = operation.indexType;
  if (operation.kind === 'set-column-index') {
    const clause = indexClause(name, column.type, indexType, operation.options);
    const previous = indexType === 'FULLTEXT' ? (clauses.get('FULLTEXT') ?? unsetFulltext[name]) : undefined;
    if (previous !== undefined) {
      const before = fulltextIdentity(previous);
      const after = fulltextIdentity(clause);
      if (before.analyzer !== after.analyzer || before.caseSensitive !== after.caseSensitive) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Invalid column option, column name: ${name}, error: Cannot change analyzer or case_sensitive if FULLTEXT index is set before. Previous analyzer: ${before.analyzer}, previous case_sensitive: ${before.caseSensitive}`,
        );
      }
    }
    clauses.set(indexType, clause);
    if (indexType === 'FULLTEXT') delete unsetFulltext[name];
  } else {
    const removed = clauses.get(indexType);
    if (indexType === 'FULLTEXT' && removed !== undefined) unsetFulltext[name] = removed;
    clauses.delete(indexType);
  }
  const text = indexClausesText(clauses);
  if (text === undefined) delete columnIndexes[name];
  else columnIndexes[name] = text;
  const { columnIndexes: _indexes, unsetFulltext: _unset, ...rest } = info;
  return {
    ...rest,
    ...(Object.keys(columnIndexes).length > 0 ? { columnIndexes } : {}),
    ...(Object.keys(unsetFulltext).length > 0 ? { unsetFulltext } : {}),
  };
}

const secondsPerUnit: [RegExp, number][] = [
  [/^(ns|nsec)$/, 1e-9],
  [/^(us|usec)$/, 1e-6],
  [/^(ms|msec|millis)$/, 1e-3],
  [/^(s|sec|secs|second|seconds)$/, 1],
  [/^(m|min|mins|minute|minutes)$/, 60],
  [/^(h|hr|hrs|hour|hours)$/, 3600],
  [/^(d|day|days)$/, 86_400],
  [/^(w|week|weeks)$/, 604_800],
  [/^(M|month|months)$/, 2_630_016],
  [/^(y|year|years)$/, 31_557_600],
];

/**
 * A ttl duration as GreptimeDB prints one after ALTER TABLE SET (humantime: `1d` → `1day`,
 * `90 minutes` → `1h 30m`); other spellings ('forever', 'instant') stay as written.
 */
function humanTtl(text: string): string {
  const parts = /^(?:\s*\d+\s*[a-zA-Z]+)+\s*$/.test(text) ? [...text.matchAll(/(\d+)\s*([a-zA-Z]+)/g)] : [];
  let total = 0;
  for (const [, count, unit] of parts) {
    const seconds = secondsPerUnit.find(([pattern]) => pattern.test(unit!) || pattern.test(unit!.toLowerCase()));
    if (seconds === undefined) return text;
    total += Number(count) * seconds[1];
  }
  if (parts.length === 0 || total === 0) return text;
  const out: string[] = [];
  let rest = Math.round(total);
  for (const [size, one, many] of [
    [31_557_600, 'year', 'years'],
    [2_630_016, 'month', 'months'],
    [86_400, 'day', 'days'],
    [3600, 'h', 'h'],
    [60, 'm', 'm'],
    [1, 's', 's'],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) out.push(`${count}${count === 1 ? one : many}`);
  }
  return out.length > 0 ? out.join(' ') : text;
}

/** SET / UNSET of table options: all kept in the metadata, the region engine's ones sent to the regions. */
function optionsAlteration(
  info: TableInfo,
  set: Record<string, string>,
  requestedClears: readonly string[],
): TableAlteration {
  const cleared = [...requestedClears];
  const appendBefore = info.options.append_mode?.toLowerCase() === 'true';
  const appendAfter = set.append_mode?.toLowerCase();
  if (appendBefore && appendAfter === 'false') {
    const regionId = info.regionIds[0] ?? info.tableId * 2 ** 32;
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Invalid region request, region_id: ${regionId}(${info.tableId}, ${regionId % 2 ** 32}), err: Only allow changing append_mode from false to true`,
    );
  }
  // Append mode keeps every row, so a merge mode no longer applies (GreptimeDB drops it).
  if (appendAfter === 'true' && info.options.merge_mode !== undefined && set.merge_mode === undefined) {
    cleared.push('merge_mode');
  }
  const options = { ...info.options, ...set };
  // The table shows the ttl as GreptimeDB prints it; the regions parse the text as written.
  if (set.ttl !== undefined) options.ttl = humanTtl(set.ttl);
  for (const key of cleared) delete options[key];
  const regionSet = regionOptionsOf(set);
  const regionUnset = [...cleared.filter(isRegionOptionKey), ...regionKeysCleared(set)];
  const regionChange =
    Object.keys(regionSet).length > 0 || regionUnset.length > 0
      ? { kind: 'set_options' as const, options: regionSet, ...(regionUnset.length > 0 ? { unset: regionUnset } : {}) }
      : null;
  return { info: { ...info, options }, regionChange };
}

export async function runAlterTable(
  statement: AlterTable,
  context: TableContext,
  database: string,
  timeZone?: string,
): Promise<SqlOutput> {
  const name = resolveTableName(statement.name, database);
  const written = statement.name.parts.map((part) => part.text).join('.');
  const table = await requireTable(context, name, written);
  const operation = statement.operation;
  const kind = operation.kind;
  if (operation.kind === 'drop-column' && table.info.engine === 'metric' && table.info.physicalTable === undefined) {
    // GreptimeDB checks the column before the engine: a tag is an index column first.
    const column = table.info.regionSchema.columns.find((c) => c.name === operation.column.value);
    if (column?.semantic === 'tag') {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Not allowed to remove index column ${column.name} from table ${table.info.name}`,
      );
    }
  }
  if (
    table.info.engine === 'metric' &&
    table.info.physicalTable === undefined &&
    ['add-columns', 'drop-column', 'modify-column-type', 'add-constraint'].includes(kind)
  ) {
    throw new TesseraError(ErrorCode.Unsupported, 'Alter request to physical region is forbidden');
  }
  const altered = alterationOf(statement, table.info, timeZone);
  let info = altered.info;
  if (operation.kind === 'rename-table') {
    const target = { ...name, name: info.name };
    if (info.name === table.info.name || (await fetchTable(context.metasrv, target))) {
      throw new TesseraError(
        ErrorCode.TableAlreadyExists,
        `Table already exists, table: ${target.catalog}.${target.schema}.${target.name}`,
      );
    }
  }
  const regionChange = table.info.physicalTable === undefined ? altered.regionChange : null;
  if (info === table.info) return { affectedrows: 0 };
  if (table.info.physicalTable !== undefined && altered.regionChange?.kind === 'add_columns') {
    // A metric logical table: new tags go to the physical table; the logical one is metadata.
    const physical = await requireTable(context, { ...name, name: table.info.physicalTable }, table.info.physicalTable);
    await ensurePhysicalColumns(context, physical, info.regionSchema.columns);
    info = { ...info, columnOrder: logicalColumnOrder(info.regionSchema.columns, info.columnOrder) };
  }
  const regionRequests: WireRegionRequest[] = regionChange
    ? table.peers.map((peer) => ({ type: 'alter', regionId: peer.regionId, change: regionChange }))
    : [];
  await context.metasrv.call(
    alterTable,
    { ...name, tableId: table.info.tableId, info, regionRequests },
    { deadlineMs: 60_000 },
  );
  return { affectedrows: 0 };
}
