/**
 * The `information_schema` tables by name, and the per-statement `SystemContext` they read:
 * metasrv is asked at most once per statement for each thing (all tables in one
 * `table.listRoutes` call, the databases, the cluster's nodes), whatever the query joins.
 */
import type { MemoryTable } from '../../../query/index.ts';
import { listDatabases, listProcedures, listTableRoutes } from '../../../rpc/index.ts';
import type { NodeInfo, RpcClient, TableRoute, WireRegionStatistics } from '../../../rpc/index.ts';
import type { ObjectName } from '../../../sql/index.ts';
import { buildInfoTable } from './build-info.ts';
import { catalogTables, informationSchemaName } from './catalog-tables.ts';
import type { CatalogTable } from './catalog-tables.ts';
import { characterSetsTable } from './character-sets.ts';
import { checkConstraintsTable } from './check-constraints.ts';
import { clusterInfoTable } from './cluster-info.ts';
import { collationCharacterSetApplicabilityTable } from './collation-character-set-applicability.ts';
import { collationsTable } from './collations.ts';
import { columnPrivilegesTable } from './column-privileges.ts';
import { columnStatisticsTable } from './column-statistics.ts';
import { columnsTable } from './columns.ts';
import { enginesTable } from './engines.ts';
import { eventsTable } from './events.ts';
import { filesTable } from './files.ts';
import { flowStatisticsTable } from './flow-statistics.ts';
import { flowsTable } from './flows.ts';
import { globalStatusTable } from './global-status.ts';
import { keyColumnUsageTable } from './key-column-usage.ts';
import { optimizerTraceTable } from './optimizer-trace.ts';
import { parametersTable } from './parameters.ts';
import { partitionsTable } from './partitions.ts';
import { procedureInfoTable } from './procedure-info.ts';
import { processListTable } from './process-list.ts';
import { profilingTable } from './profiling.ts';
import { referentialConstraintsTable } from './referential-constraints.ts';
import { regionInfoTable } from './region-info.ts';
import { regionPeersTable } from './region-peers.ts';
import { regionStatisticsTable } from './region-statistics.ts';
import { routinesTable } from './routines.ts';
import { schemaPrivilegesTable } from './schema-privileges.ts';
import { schemataTable } from './schemata.ts';
import { sessionStatusTable } from './session-status.ts';
import { sstsIndexMetaTable } from './ssts-index-meta.ts';
import { sstsManifestTable } from './ssts-manifest.ts';
import { sstsStorageTable } from './ssts-storage.ts';
import { statisticsTable } from './statistics.ts';
import { buildSystemTable } from './system-table.ts';
import type { RunningStatement, SystemContext, SystemTable } from './system-table.ts';
import { tableConstraintsTable } from './table-constraints.ts';
import { tablePrivilegesTable } from './table-privileges.ts';
import { tableSemanticsTable } from './table-semantics.ts';
import { tablesTable } from './tables.ts';
import { viewsTable } from './views.ts';

/** information_schema's tables, sorted by name (the order SHOW TABLES lists them in). */
export const informationSchemaTables: readonly SystemTable[] = [
  buildInfoTable,
  characterSetsTable,
  checkConstraintsTable,
  clusterInfoTable,
  collationCharacterSetApplicabilityTable,
  collationsTable,
  columnPrivilegesTable,
  columnStatisticsTable,
  columnsTable,
  enginesTable,
  eventsTable,
  filesTable,
  flowStatisticsTable,
  flowsTable,
  globalStatusTable,
  keyColumnUsageTable,
  optimizerTraceTable,
  parametersTable,
  partitionsTable,
  procedureInfoTable,
  processListTable,
  profilingTable,
  referentialConstraintsTable,
  regionInfoTable,
  regionPeersTable,
  regionStatisticsTable,
  routinesTable,
  schemaPrivilegesTable,
  schemataTable,
  sessionStatusTable,
  sstsIndexMetaTable,
  sstsManifestTable,
  sstsStorageTable,
  statisticsTable,
  tableConstraintsTable,
  tablePrivilegesTable,
  tableSemanticsTable,
  tablesTable,
  viewsTable,
];

const byName = new Map(informationSchemaTables.map((table) => [table.name, table]));

/** The information_schema table `name` (matched case-insensitively, as GreptimeDB does). */
export function informationSchemaTable(schema: string, name: string): SystemTable | undefined {
  return schema.toLowerCase() === informationSchemaName ? byName.get(name.toLowerCase()) : undefined;
}

/** The information_schema table an ObjectName (`t`, `db.t`, `catalog.db.t`) names in a session on `database`. */
export function informationSchemaTableNamed(name: ObjectName, database: string): SystemTable | undefined {
  const parts = name.parts.map((part) => part.value);
  const schema = parts.length >= 2 ? parts[parts.length - 2]! : database;
  return informationSchemaTable(schema, parts[parts.length - 1]!);
}

export async function loadSystemTable(table: SystemTable, context: SystemContext): Promise<MemoryTable> {
  return buildSystemTable(table, context);
}

export interface SystemContextSource {
  metasrv: RpcClient;
  catalog: string;
  startedAt: number;
  clusterNodes(): Promise<NodeInfo[]>;
  runningStatements(): Promise<RunningStatement[]>;
  /** Every open region's counters, from the alive datanodes. */
  regionStatistics(): Promise<WireRegionStatistics[]>;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

/** A context for one statement: each metasrv lookup happens at most once. */
export function createSystemContext(source: SystemContextSource): SystemContext {
  const deadline = { deadlineMs: 10_000 };
  const tables = once(
    async (): Promise<TableRoute[]> =>
      (await source.metasrv.call(listTableRoutes, { catalog: source.catalog }, deadline)).tables,
  );
  const context: SystemContext = {
    catalog: source.catalog,
    now: Date.now(),
    startedAt: source.startedAt,
    tables,
    databases: once(
      async () => (await source.metasrv.call(listDatabases, { catalog: source.catalog }, deadline)).names,
    ),
    clusterNodes: once(() => source.clusterNodes()),
    catalogTables: once((): Promise<CatalogTable[]> => catalogTables(context, informationSchemaTables)),
    runningStatements: () => source.runningStatements(),
    procedures: once(async () => (await source.metasrv.call(listProcedures, {}, deadline)).procedures),
    regionStatistics: once(
      async () => new Map((await source.regionStatistics()).map((statistics) => [statistics.regionId, statistics])),
    ),
  };
  return context;
}
