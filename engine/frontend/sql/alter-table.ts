/**
 * ALTER TABLE: the frontend works out the table's new metadata and the region alters, metasrv
 * applies them (`table.alter`: regions first, then the metadata). Supported: ADD COLUMN
 * [IF NOT EXISTS] [FIRST | AFTER c] (tags and fields), DROP COLUMN (fields), SET / UNSET table
 * options, MODIFY COLUMN SET / DROP DEFAULT, RENAME, and the column index statements (accepted,
 * indexes are not built yet). Changing a column's type is not supported yet.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { alterTable } from '../../rpc/index.ts';
import type { TableInfo, WireRegionRequest } from '../../rpc/index.ts';
import { formatExpr } from '../../sql/index.ts';
import type { AlterTable } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { columnTypeOf } from './column-types.ts';
import type { WireColumnSchema } from './column-types.ts';
import { optionText } from './create-table-schema.ts';
import { requireTable, resolveTableName } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';

/** The new metadata and the change each region makes (`null` when only metadata changes). */
export interface TableAlteration {
  info: TableInfo;
  regionChange: Extract<WireRegionRequest, { type: 'alter' }>['change'] | null;
}

function columnNotFound(column: string, table: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Column ${column} not exists in table ${table}`);
}

/** Applies one ALTER TABLE operation to a table's metadata. */
export function alterationOf(statement: AlterTable, info: TableInfo): TableAlteration {
  const operation = statement.operation;
  const columns = info.regionSchema.columns;
  const has = (name: string) => columns.some((column) => column.name === name);
  switch (operation.kind) {
    case 'add-columns': {
      let nextId = Math.max(0, ...columns.map((column) => column.columnId)) + 1;
      const added: WireColumnSchema[] = [];
      const columnOrder = [...info.columnOrder];
      const defaults = { ...(info.defaults ?? {}) };
      for (const { column: definition, ifNotExists, location } of operation.columns) {
        const name = definition.name.value;
        if (has(name) || added.some((column) => column.name === name)) {
          if (ifNotExists) continue;
          throw new TesseraError(ErrorCode.InvalidArguments, `Column ${name} already exists in table ${info.name}`);
        }
        const isTag = definition.options.some((option) => option.kind === 'primary-key');
        const defaultOption = definition.options.find((option) => option.kind === 'default');
        if (defaultOption?.kind === 'default') defaults[name] = formatExpr(defaultOption.value);
        added.push({
          name,
          type: columnTypeOf(definition.dataType),
          semantic: isTag ? 'tag' : 'field',
          nullable: true,
          columnId: nextId++,
        });
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
    case 'set-options': {
      const options = Object.fromEntries(operation.options.map((option) => [option.key, optionText(option.value)]));
      return {
        info: { ...info, options: { ...info.options, ...options } },
        regionChange: { kind: 'set_options', options },
      };
    }
    case 'unset-options': {
      const options = { ...info.options };
      for (const key of operation.keys) delete options[key];
      return { info: { ...info, options }, regionChange: { kind: 'set_options', options: {}, unset: operation.keys } };
    }
    case 'set-defaults':
    case 'drop-defaults': {
      const defaults = { ...(info.defaults ?? {}) };
      const names =
        operation.kind === 'set-defaults'
          ? operation.defaults.map((d) => d.column.value)
          : operation.columns.map((c) => c.value);
      for (const name of names) if (!has(name)) throw columnNotFound(name, info.name);
      if (operation.kind === 'set-defaults') {
        for (const { column, value } of operation.defaults) defaults[column.value] = formatExpr(value);
      } else {
        for (const name of names) delete defaults[name];
      }
      return { info: { ...info, defaults }, regionChange: null };
    }
    case 'rename-table':
      return { info: { ...info, name: operation.newName.value }, regionChange: null };
    case 'set-column-index':
    case 'unset-column-index':
      if (!has(operation.column.value)) throw columnNotFound(operation.column.value, info.name);
      return { info, regionChange: null };
    default:
      throw new TesseraError(ErrorCode.Unsupported, `ALTER TABLE ${operation.kind} is not supported yet`);
  }
}

export async function runAlterTable(
  statement: AlterTable,
  context: TableContext,
  database: string,
): Promise<SqlOutput> {
  const name = resolveTableName(statement.name, database);
  const written = statement.name.parts.map((part) => part.text).join('.');
  const table = await requireTable(context, name, written);
  const { info, regionChange } = alterationOf(statement, table.info);
  if (info === table.info) return { affectedrows: 0 };
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
