/** Serves the table, database and procedure channel (engine/rpc/api/table-api.ts) from `TableDdl` and `DatabaseDdl`. */
import type { RpcServer } from '../../rpc/index.ts';
import {
  watchCatalog,
  alterDatabase,
  alterTable,
  createDatabase,
  createTable,
  dropDatabase,
  dropTable,
  getDatabase,
  getTable,
  listDatabases,
  listTableRoutes,
  listProcedures,
  listTables,
  truncateTable,
} from '../../rpc/index.ts';
import { procedureTypeName } from '../procedure/index.ts';
import { DatabaseDdl } from './database-ddl.ts';
import type { TableDdl } from './table-ddl.ts';
import { watchCatalogKeys } from './watch-catalog.ts';

export function serveTables(server: Pick<RpcServer, 'handle' | 'handleStream'>, tables: TableDdl): void {
  // Also registers how database procedures resume: this runs before `tables.resumeProcedures()`.
  const databases = new DatabaseDdl(tables);
  server.handleStream(watchCatalog, (_request, call) => watchCatalogKeys(tables.store.kv, call.signal));
  server.handle(createTable, async (request) =>
    tables.createTable(request, () => databases.checkCreatable(request.catalog, request.schema)),
  );
  server.handle(createDatabase, async ({ catalog, name, ifNotExists, options }) => ({
    created: await databases.create(catalog, name, ifNotExists, options),
  }));
  server.handle(dropDatabase, async ({ catalog, name, ifExists }) => ({
    dropped: await databases.drop(catalog, name, ifExists),
  }));
  server.handle(alterTable, async (request) => ({ table: await tables.alterTable(request) }));
  server.handle(getDatabase, async ({ catalog, name }) => {
    const database = await databases.get(catalog, name);
    return database ? { database } : {};
  });
  server.handle(alterDatabase, async ({ catalog, name, set, unset }) => {
    await databases.alter(catalog, name, set, unset);
    return {};
  });
  server.handle(listDatabases, async ({ catalog }) => ({ names: await databases.list(catalog) }));
  server.handle(dropTable, async ({ catalog, schema, name, ifExists, kind }) => ({
    dropped: await tables.dropTable(catalog, schema, name, ifExists, kind === 'view' ? 'view' : undefined),
  }));
  server.handle(truncateTable, async ({ catalog, schema, name, tableId }) => {
    await tables.truncateTable(catalog, schema, name, tableId);
    return {};
  });
  server.handle(listProcedures, async () => ({
    procedures: (await tables.procedures.list()).map((procedure) => ({
      ...procedure,
      type: procedureTypeName(procedure.kind),
    })),
  }));
  server.handle(getTable, async ({ catalog, schema, name }) => {
    const table = await tables.getTable(catalog, schema, name);
    return table ? { table } : {};
  });
  server.handle(listTableRoutes, async ({ catalog }) => ({
    tables: await Promise.all(
      (await tables.store.listTables(catalog)).map(async (info) => {
        // A region without a datanode must not hide every other table from information_schema.
        const route = await tables.getTable(info.catalog, info.schema, info.name).catch(() => undefined);
        return route ?? { info, peers: [] };
      }),
    ),
  }));
  server.handle(listTables, async ({ catalog, schema }) => ({
    names: await tables.store.listTableNames(catalog, schema),
  }));
}
