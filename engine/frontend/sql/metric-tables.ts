/**
 * GreptimeDB's metric engine (`ENGINE=metric`), as metadata over an ordinary region
 * (docs/tables.md "Metric engine"):
 *
 * - a physical table (`WITH ("physical_metric_table" = "")`) is a table with one region whose
 *   primary key starts with two internal tags, `__table_id` (UInt32) and `__tsid` (UInt64);
 * - a logical table (`WITH (on_physical_table = 'phy')`) has no region: its tags are added to
 *   the physical table (a region alter), its fields must already be there, and its rows are
 *   written to the physical region with `__table_id` = its table id and `__tsid` = a hash of
 *   its tag values; reading it scans the physical region with `__table_id = id`.
 *
 * SELECT on the physical table therefore shows every logical table's rows, with the internal
 * columns and the union of their tags, as GreptimeDB does.
 */
import { Field, RecordBatch, Schema, Struct, Uint32, Uint64, makeData, makeVector } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { alterTable, createTable } from '../../rpc/index.ts';
import type { RegionPeer, TableInfo, TableName, TableRoute, WireRegionSchema } from '../../rpc/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import type { WireColumnSchema, WireColumnType } from './column-types.ts';
import type { TableDefinition } from './create-table-schema.ts';
import { RegionTableProvider } from './region-table-provider.ts';
import { fetchTable } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';

export const tableIdColumn = '__table_id';
export const tsidColumn = '__tsid';

/** Whether a column is one of the metric engine's internal ones (hidden by SHOW CREATE TABLE). */
export function isInternalColumn(name: string): boolean {
  return name === tableIdColumn || name === tsidColumn;
}

/** A physical table's region schema: `__table_id`, `__tsid`, then the declared columns. */
export function physicalRegionSchema(schema: WireRegionSchema): WireRegionSchema {
  const nextId = Math.max(0, ...schema.columns.map((column) => column.columnId)) + 1;
  const internal: WireColumnSchema[] = [
    { name: tableIdColumn, type: { kind: 'uint32' }, semantic: 'tag', nullable: false, columnId: nextId },
    { name: tsidColumn, type: { kind: 'uint64' }, semantic: 'tag', nullable: false, columnId: nextId + 1 },
  ];
  return { ...schema, columns: [...internal, ...schema.columns] };
}

/** The metadata a CREATE TABLE keeps besides the schema (engine, column indexes and comments). */
export function tableExtraOf(
  definition: TableDefinition,
): Partial<Pick<TableInfo, 'engine' | 'columnIndexes' | 'columnComments'>> {
  return {
    ...(definition.engine === 'metric' ? { engine: 'metric' } : {}),
    ...(Object.keys(definition.columnIndexes).length > 0 ? { columnIndexes: definition.columnIndexes } : {}),
    ...(Object.keys(definition.columnComments).length > 0 ? { columnComments: definition.columnComments } : {}),
  };
}

const arrowDebugNames: Partial<Record<WireColumnType['kind'], string>> = {
  string: 'String(StringType { size_type: Utf8 })',
};

/** A type as GreptimeDB's errors print it (`Float64(Float64Type)`). */
function debugTypeName(type: WireColumnType): string {
  const known = arrowDebugNames[type.kind];
  if (known) return known;
  const name = type.kind.charAt(0).toUpperCase() + type.kind.slice(1).replace(/^int/, 'Int').replace(/^uint/, 'UInt');
  return `${name}(${name}Type)`;
}

function sameType(a: WireColumnType, b: WireColumnType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, message);
}

/**
 * CREATE TABLE ... ENGINE=metric WITH (on_physical_table = 'phy'): checks the columns against
 * the physical table, adds the new tags to it, then records the logical table (no region).
 */
export async function runCreateLogicalTable(
  definition: TableDefinition,
  name: TableName,
  ifNotExists: boolean,
  context: TableContext,
): Promise<SqlOutput> {
  const physicalName = definition.options.on_physical_table!;
  const existing = await fetchTable(context.metasrv, name);
  if (existing && ifNotExists) return { affectedrows: 0 };
  const physical = await fetchTable(context.metasrv, { ...name, name: physicalName });
  if (!physical || physical.info.engine !== 'metric' || physical.info.physicalTable !== undefined) {
    throw new TesseraError(ErrorCode.TableNotFound, `Table not found: ${physicalName}`);
  }
  if (existing) {
    throw new TesseraError(
      ErrorCode.TableAlreadyExists,
      `Table already exists: \`${name.catalog}.${name.schema}.${name.name}\``,
    );
  }
  await ensurePhysicalColumns(context, physical, definition.regionSchema.columns);
  await context.metasrv.call(
    createTable,
    {
      ...name,
      ifNotExists,
      regionSchema: definition.regionSchema,
      columnOrder: logicalColumnOrder(definition.regionSchema.columns, definition.columnOrder),
      options: definition.options,
      ...(Object.keys(definition.defaults).length > 0 ? { defaults: definition.defaults } : {}),
      extra: { engine: 'metric', physicalTable: physicalName },
      noRegions: true,
    },
    { deadlineMs: 60_000 },
  );
  return { affectedrows: 0 };
}

/**
 * Checks a logical table's columns against its physical table and adds the tags it lacks
 * (GreptimeDB's errors for a field it lacks, a type that differs, another time unit).
 */
export async function ensurePhysicalColumns(
  context: TableContext,
  physical: TableRoute,
  columns: readonly WireColumnSchema[],
): Promise<void> {
  const physicalColumns = new Map(physical.info.regionSchema.columns.map((column) => [column.name, column]));
  const added: WireColumnSchema[] = [];
  let nextId = Math.max(0, ...physical.info.regionSchema.columns.map((column) => column.columnId)) + 1;
  for (const column of columns) {
    const target = physicalColumns.get(column.name);
    if (column.semantic === 'timestamp') {
      const physicalTime = physical.info.regionSchema.columns.find((c) => c.semantic === 'timestamp')!;
      if (column.type.kind === 'timestamp' && physicalTime.type.kind === 'timestamp') {
        if (column.type.unit !== physicalTime.type.unit) {
          const unitName = { s: 'Second', ms: 'Millisecond', us: 'Microsecond', ns: 'Nanosecond' } as const;
          throw invalid(
            `Unexpected request: Metric has differenttime unit (${unitName[column.type.unit]}) than the physical region (${unitName[physicalTime.type.unit]})`,
          );
        }
      }
      continue;
    }
    if (target) {
      if (!sameType(target.type, column.type)) {
        throw invalid(`Column type mismatch. Expect ${debugTypeName(target.type)}, got ${debugTypeName(column.type)}`);
      }
      continue;
    }
    if (column.semantic === 'field') throw invalid(`Adding field column ${column.name} to physical table`);
    if (column.type.kind !== 'string') {
      throw invalid(
        `Column type mismatch. Expect ${debugTypeName({ kind: 'string' })}, got ${debugTypeName(column.type)}`,
      );
    }
    added.push({ ...column, nullable: true, columnId: nextId++ });
  }
  const internalShown = physical.info.columnOrder.includes(tableIdColumn);
  const columnOrder = [
    ...physical.info.columnOrder,
    ...(internalShown ? [] : [tableIdColumn, tsidColumn]),
    ...added.map((column) => column.name),
  ];
  if (added.length > 0 || !internalShown) {
    const tags = physical.info.regionSchema.columns.filter((column) => column.semantic === 'tag');
    const rest = physical.info.regionSchema.columns.filter((column) => column.semantic !== 'tag');
    const info: TableInfo = {
      ...physical.info,
      regionSchema: {
        version: physical.info.regionSchema.version + (added.length > 0 ? 1 : 0),
        columns: [...tags, ...added, ...rest],
      },
      columnOrder,
    };
    const skipping = physicalSkippingClause(physical.info.options);
    if (skipping !== undefined) {
      // 'index.type' = 'skipping': GreptimeDB gives every tag (and __table_id) a skipping index.
      const indexed = [...added.map((column) => column.name), ...(internalShown ? [] : [tableIdColumn])];
      info.columnIndexes = { ...(info.columnIndexes ?? {}) };
      for (const name of indexed) info.columnIndexes[name] = skipping;
    }
    await context.metasrv.call(
      alterTable,
      {
        catalog: physical.info.catalog,
        schema: physical.info.schema,
        name: physical.info.name,
        tableId: physical.info.tableId,
        info,
        regionRequests:
          added.length > 0
            ? physical.peers.map((peer) => ({
                type: 'alter' as const,
                regionId: peer.regionId,
                change: { kind: 'add_columns' as const, columns: added },
              }))
            : [],
      },
      { deadlineMs: 60_000 },
    );
  }
}

/** The SKIPPING INDEX clause a physical table's `index.*` options give its tags, if any. */
function physicalSkippingClause(options: Readonly<Record<string, string>>): string | undefined {
  if (options['index.type']?.toLowerCase() !== 'skipping') return undefined;
  const rate = options['index.false_positive_rate'] ?? '0.01';
  const granularity = options['index.granularity'] ?? '10240';
  return `SKIPPING INDEX WITH(false_positive_rate = '${String(Number(rate))}', granularity = '${String(Number(granularity))}', type = 'BLOOM')`;
}

/** A logical table's column order as GreptimeDB shows it: tags by name, the time index, then fields. */
export function logicalColumnOrder(columns: readonly WireColumnSchema[], written: readonly string[]): string[] {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const of = (semantic: string) => written.filter((name) => byName.get(name)?.semantic === semantic);
  return [...of('tag').sort(), ...of('timestamp'), ...of('field')];
}

/** The physical table a logical table's rows live in (TableNotFound when it is gone). */
async function physicalOf(context: TableContext, logical: TableInfo): Promise<TableRoute> {
  const physical = await fetchTable(context.metasrv, {
    catalog: logical.catalog,
    schema: logical.schema,
    name: logical.physicalTable!,
  });
  if (!physical) throw new TesseraError(ErrorCode.TableNotFound, `Table not found: ${logical.physicalTable}`);
  return physical;
}

/** FNV-1a over the tag names and values: the series id GreptimeDB keeps in `__tsid`. */
function tsidOf(tags: readonly [string, unknown][]): bigint {
  let hash = 0xcbf29ce484222325n;
  const text = tags
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join('\u0000');
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}

/**
 * Where a write to `table` goes: the table's own regions, or for a metric logical table the
 * physical table's, with the batch given `__table_id` and `__tsid`.
 */
export async function writeTarget(
  context: TableContext,
  table: TableRoute,
  batch: RecordBatch,
): Promise<{ route: TableRoute; batch: RecordBatch }> {
  if (table.info.physicalTable === undefined) return { route: table, batch };
  const physical = await physicalOf(context, table.info);
  const tags = table.info.regionSchema.columns
    .filter((column) => column.semantic === 'tag')
    .map((column) => column.name)
    .sort();
  const tableIds = new Uint32Array(batch.numRows).fill(table.info.tableId);
  const tsids = new BigUint64Array(batch.numRows);
  const tagVectors = tags.map((tag) => [tag, batch.getChild(tag)] as const);
  for (let row = 0; row < batch.numRows; row++) {
    tsids[row] = tsidOf(tagVectors.map(([tag, vector]) => [tag, vector?.get(row)]));
  }
  const fields = [
    new Field(tableIdColumn, new Uint32(), false),
    new Field(tsidColumn, new Uint64(), false),
    ...batch.schema.fields,
  ];
  const children = [makeVector(tableIds).data[0]!, makeVector(tsids).data[0]!, ...batch.data.children];
  const data = makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children });
  return { route: physical, batch: new RecordBatch(new Schema(fields), data) };
}

/** The regions a statement on `table` (flush, compact, truncate) acts on: a logical table's are its physical's. */
export async function regionPeersOf(context: TableContext, table: TableRoute): Promise<RegionPeer[]> {
  return table.info.physicalTable === undefined ? table.peers : (await physicalOf(context, table.info)).peers;
}

/** The query engine's view of a table: a logical table reads its rows from the physical region. */
export async function tableProviderOf(
  context: { metasrv: TableContext['metasrv']; datanodes: DatanodeDirectory },
  route: TableRoute,
): Promise<RegionTableProvider> {
  if (route.info.physicalTable === undefined) return new RegionTableProvider(route, context.datanodes);
  const physical = await physicalOf(context, route.info);
  return new RegionTableProvider({ info: route.info, peers: physical.peers }, context.datanodes, [
    { column: tableIdColumn, op: '=', value: { type: 'number', value: route.info.tableId } },
  ]);
}
