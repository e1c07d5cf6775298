/**
 * The frontend's `SqlHandler`: parses with engine/sql and runs each statement in order.
 * Table DDL goes to metasrv (`ddl-statements.ts`), INSERT to the table's region
 * (`insert-statement.ts`), SHOW TABLES / DESC to metasrv's metadata (`show-statements.ts`),
 * ADMIN to region functions on datanodes, and queries to engine/query over a `TableCatalog`
 * that fetches the tables a query names (regions through `RegionTableProvider`, plus the
 * `information_schema` views of the cluster). Every other statement answers Unsupported,
 * saying what it is. A syntax error carries its position.
 */
import { Type } from 'apache-arrow';
import type { RecordBatch, Schema } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { executeQuery, normalizeTimeZone, resultRows } from '../../query/index.ts';
import type { TableProvider } from '../../query/index.ts';
import type { NodeInfo, RpcClient, TableName } from '../../rpc/index.ts';
import { parseSql } from '../../sql/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import type { SqlHandler, SqlOutput, SqlSession } from '../http/handle-sql.ts';
import { runAdmin } from './admin-functions.ts';
import { runAlterTable } from './alter-table.ts';
import {
  runAlterDatabase,
  runCreateDatabase,
  runDropDatabase,
  runShowCreateDatabase,
  runShowDatabases,
} from './database-statements.ts';
import { runCreateTable, runDrop } from './ddl-statements.ts';
import { runDelete, runTruncate } from './delete-statements.ts';
import { greptimeTypeName } from './greptime-types.ts';
import { describeSystemTable } from './information-schema/describe-system-table.ts';
import { assertNotReadOnly } from './information-schema/read-only.ts';
import {
  createSystemContext,
  informationSchemaTable,
  informationSchemaTableNamed,
  loadSystemTable,
} from './information-schema/registry.ts';
import { cancellableLoad, throwIfCancelled } from './cancellable-scans.ts';
import { runKill } from './kill-statement.ts';
import type { PeerFrontends } from './peer-frontends.ts';
import { ProcessRegistry } from './process-registry.ts';
import { trackProcesses } from './track-processes.ts';
import { runInsert } from './insert-statement.ts';
import { pgCatalogTableNamed, withPgCatalog } from './pg-catalog/registry.ts';
import { resolvePostgresNames } from './pg-catalog/postgres-syntax.ts';
import { relationOidIn } from './pg-catalog/relation-oids.ts';
import { tableProviderOf } from './metric-tables.ts';
import { isNumbersTable, numbersTable } from './numbers-table.ts';
import { RegionTableProvider } from './region-table-provider.ts';
import { runShowCreateTable } from './show-create-table.ts';
import { showQueryText } from './show-queries.ts';
import { runShowStatus, runShowVariables, sessionTimeZoneOf } from './show-variables.ts';
import { runDescribeTable } from './show-statements.ts';
import { retryOnStaleRoute } from './stale-route-retry.ts';
import { TableCatalog, defaultCatalog, fetchTable, invalidateRoutes } from './table-catalog.ts';
import { hasTqlCte, runQueryWithTqlCtes } from './tql-cte.ts';
import { runTql } from './tql-statement.ts';
import type { TableContext } from './table-catalog.ts';
import { runCreateView, runShowCreateView, runShowViews, viewTableProvider } from './view-statements.ts';

export interface SqlContext {
  datanodes: DatanodeDirectory;
  /** metasrv's rpc client: table metadata and routes. */
  metasrv: RpcClient;
  /** Every node metasrv knows, metasrv first. */
  clusterNodes(): Promise<NodeInfo[]>;
  /** The statements running on this frontend (process_list, KILL); shared with the wire servers' connection ids. */
  processes?: ProcessRegistry;
  /** The cluster's other frontends: their statements in process_list, KILL of theirs. */
  peers?: PeerFrontends;
}

function recordsOutput(schema: Schema, rows: unknown[][]): SqlOutput {
  return {
    records: {
      schema: {
        column_schemas: schema.fields.map((field) => ({ name: field.name, data_type: greptimeTypeName(field) })),
      },
      rows,
      total_rows: rows.length,
    },
  };
}

/**
 * Types the app reads straight from a query's Arrow batches (`format=arrow`). Others
 * (decimals, intervals, binaries, dictionaries) go through rows, which carry display text.
 */
const arrowPassTypes = new Set<number>([
  Type.Null,
  Type.Bool,
  Type.Int,
  Type.Float,
  Type.Utf8,
  Type.Timestamp,
  Type.Date,
]);

function passesAsArrow(schema: Schema): boolean {
  return schema.fields.every((field) => arrowPassTypes.has(field.type.typeId));
}

/** A query's result for `format=arrow`: its batches as they are, no rows. */
function arrowRecordsOutput(schema: Schema, batches: RecordBatch[]): SqlOutput {
  const rows = batches.reduce((count, batch) => count + batch.numRows, 0);
  return { ...withRows(recordsOutput(schema, []), rows), arrow: { schema, batches } };
}

function withRows(output: SqlOutput, totalRows: number): Extract<SqlOutput, { records: unknown }> {
  const records = output as Extract<SqlOutput, { records: unknown }>;
  return { ...records, records: { ...records.records, total_rows: totalRows } };
}

/** Statement kinds that may change table or database metadata (and so cached routes). */
function changesMetadata(kind: string): boolean {
  return /^(create|drop|alter|truncate|repartition)/.test(kind);
}

export function createSqlHandler(context: SqlContext): SqlHandler {
  const tables: TableContext = { metasrv: context.metasrv, datanodes: context.datanodes };
  const processes = context.processes ?? new ProcessRegistry();
  const startedAt = Date.now();
  const frontendAddrs = async () =>
    (await context.clusterNodes())
      .filter((node) => node.role === 'frontend')
      .map((node) => node.addr.replace(/^[a-z]+:\/\//, ''));
  // The frontend sets its own address; a handler made without one takes the cluster's frontend.
  const knowServerAddr = async () => {
    processes.serverAddr ||= (await frontendAddrs())[0] ?? '';
  };
  const listProcesses = async () => {
    await knowServerAddr();
    return [...((await context.peers?.list()) ?? []), ...processes.list()];
  };
  // Built per table load: information_schema always shows metasrv's current state.
  const systemContext = () =>
    createSystemContext({
      metasrv: context.metasrv,
      catalog: defaultCatalog,
      startedAt,
      clusterNodes: context.clusterNodes,
      runningStatements: listProcesses,
      regionStatistics: () => context.datanodes.regionStatistics(),
    });

  const loadTable = async (name: TableName): Promise<TableProvider | undefined> => {
    const systemTable = name.catalog === defaultCatalog ? informationSchemaTable(name.schema, name.name) : undefined;
    if (systemTable) return loadSystemTable(systemTable, systemContext());
    const route = await fetchTable(context.metasrv, name);
    if (route?.info.kind === 'view') return viewTableProvider(route.info, loadTable);
    if (route)
      return route.info.physicalTable === undefined
        ? new RegionTableProvider(route, context.datanodes)
        : tableProviderOf(tables, route);
    return isNumbersTable(name) ? numbersTable() : undefined;
  };

  const runQueryIn = async (text: string, database: string, timezone?: string, session?: SqlSession) => {
    const catalog = new TableCatalog();
    // GreptimeDB shows pg_catalog to PostgreSQL clients only.
    const load = cancellableLoad(
      session?.channel === 'postgres' ? withPgCatalog(loadTable, defaultCatalog, systemContext) : loadTable,
      session?.signal,
    );
    const options = {
      schemaName: database,
      timezone,
      session: { channel: session?.channel, readPreference: session?.readPreference },
      ...(session?.signal ? { signal: session.signal } : {}),
    };
    return catalog.withTables(load, () => executeQuery(text, catalog, options));
  };

  const handler: SqlHandler = {
    async execute(written, database, session) {
      const sql =
        session?.channel === 'postgres'
          ? await resolvePostgresNames(written, (name) =>
              relationOidIn(name, database, defaultCatalog, context.metasrv),
            )
          : written;
      const outputs: SqlOutput[] = [];
      // The session time zone: the client's (header or connection), changed by SET for the rest of this text.
      let timeZone = normalizeTimeZone(session?.timeZone ?? 'UTC');
      const runQuery = (text: string, db: string) => runQueryIn(text, db, timeZone, session);
      const scannedTables = cancellableLoad(loadTable, session?.signal);
      // Cached routes are dropped after statements that change metadata (metasrv's change
      // stream does the same, a moment later); the next statement then sees the change.
      let changedMetadata = false;
      try {
        for (const statement of parseSql(sql)) {
          if (changedMetadata) invalidateRoutes(context.metasrv);
          throwIfCancelled(session?.signal);
          changedMetadata = changesMetadata(statement.kind);
          const text = sql.slice(statement.span.start, statement.span.end).trim();
          assertNotReadOnly(statement, database);
          switch (statement.kind) {
            case 'admin': {
              const value = await runAdmin(statement, { ...tables, database });
              outputs.push({
                records: {
                  schema: {
                    column_schemas: [{ name: text, data_type: typeof value === 'string' ? 'String' : 'UInt64' }],
                  },
                  rows: [[value]],
                  total_rows: 1,
                },
              });
              break;
            }
            case 'query': {
              const result = await retryOnStaleRoute(context.metasrv, () =>
                hasTqlCte(statement)
                  ? runQueryWithTqlCtes(statement, { sql, database, loadTable: scannedTables, runQuery })
                  : runQuery(text, database),
              );
              outputs.push(
                session?.wantsArrow && passesAsArrow(result.schema)
                  ? arrowRecordsOutput(result.schema, result.batches)
                  : recordsOutput(result.schema, resultRows(result.batches)),
              );
              break;
            }
            case 'explain': {
              // EXPLAIN [ANALYZE] of a query: the plans (with MergeScan fragments and regions) as rows.
              if (statement.statement.kind !== 'query') {
                throw new TesseraError(
                  ErrorCode.Unsupported,
                  `EXPLAIN of ${statement.statement.kind} statements is not supported`,
                );
              }
              const result = await runQuery(text, database);
              outputs.push(recordsOutput(result.schema, resultRows(result.batches)));
              break;
            }
            case 'create-table':
              outputs.push(await runCreateTable(statement, tables, database));
              break;
            case 'drop':
              outputs.push(
                statement.objectType === 'DATABASE'
                  ? await runDropDatabase(statement, tables)
                  : await runDrop(statement, tables, database),
              );
              break;
            case 'create-database':
              outputs.push(await runCreateDatabase(statement, tables));
              break;
            case 'show-databases':
              outputs.push(await runShowDatabases(statement, tables));
              break;
            case 'delete':
              outputs.push(
                await runDelete(
                  statement,
                  tables,
                  database,
                  async (query) => (await runQuery(query, database)).batches,
                ),
              );
              break;
            case 'alter-table':
              outputs.push(await runAlterTable(statement, tables, database, timeZone));
              break;
            case 'create-view':
              outputs.push(await runCreateView(statement, tables, database, loadTable));
              break;
            case 'show-views':
              outputs.push(await runShowViews(statement, tables, database));
              break;
            case 'alter-database':
              outputs.push(await runAlterDatabase(statement, tables));
              break;
            case 'show-create':
              if (statement.objectType === 'VIEW') {
                outputs.push(await runShowCreateView(statement, tables, database));
                break;
              }
              if (statement.objectType === 'DATABASE') {
                outputs.push(await runShowCreateDatabase(statement, tables));
                break;
              }
              if (statement.objectType !== 'TABLE') {
                throw new TesseraError(
                  ErrorCode.Unsupported,
                  `SHOW CREATE ${statement.objectType} is not supported yet`,
                );
              }
              outputs.push(await runShowCreateTable(statement, tables, database));
              break;
            case 'truncate':
              outputs.push(await runTruncate(statement, tables, database));
              break;
            case 'insert':
              outputs.push(
                await runInsert(statement, tables, database, (query) => runQuery(query, database), timeZone),
              );
              break;
            case 'show-tables':
            case 'show-table-status':
            case 'show-columns':
            case 'show-index':
            case 'show-region':
            case 'show-charset':
            case 'show-collation':
            case 'show-processlist': {
              const query = showQueryText(statement, database, (span) => sql.slice(span.start, span.end));
              const result = await runQuery(query, database);
              outputs.push(recordsOutput(result.schema, resultRows(result.batches)));
              break;
            }
            case 'show-variables':
              outputs.push(runShowVariables(statement, timeZone));
              break;
            case 'set-variable': {
              const zone = sessionTimeZoneOf(statement, sql);
              if (zone === undefined) {
                throw new TesseraError(
                  ErrorCode.Unsupported,
                  `Executing ${statement.kind} statements is not available in this build of Tessera yet (SET time_zone is)`,
                );
              }
              timeZone = normalizeTimeZone(zone);
              outputs.push({ affectedrows: 0 });
              break;
            }
            case 'show-status':
              outputs.push(runShowStatus());
              break;
            case 'kill':
              await knowServerAddr();
              outputs.push(await runKill(statement, { processes, frontendAddrs, peers: context.peers }));
              break;
            case 'tql':
              outputs.push(await runTql(statement, { sql, database, loadTable: scannedTables, runQuery }));
              break;
            case 'describe-table': {
              const systemTable =
                informationSchemaTableNamed(statement.name, database) ??
                (session?.channel === 'postgres' ? pgCatalogTableNamed(statement.name, database) : undefined);
              outputs.push(
                systemTable ? describeSystemTable(systemTable) : await runDescribeTable(statement, tables, database),
              );
              break;
            }
            default:
              throw new TesseraError(
                ErrorCode.Unsupported,
                `Executing ${statement.kind} statements is not available in this build of Tessera yet (CREATE/DROP TABLE and DATABASE, INSERT, DELETE, TRUNCATE, SELECT, SHOW DATABASES/TABLES, DESC TABLE and ADMIN flush/compact are)`,
              );
          }
        }
      } finally {
        if (changedMetadata) invalidateRoutes(context.metasrv);
      }
      return outputs;
    },
  };
  return trackProcesses(handler, processes, defaultCatalog);
}
