/** Serves the table channel (engine/rpc/api/table-api.ts) from `TableDdl`. */
import type { RpcServer } from '../../rpc/index.ts';
import { createTable, dropTable, getTable, listTables } from '../../rpc/index.ts';
import type { TableDdl } from './table-ddl.ts';

export function serveTables(server: RpcServer, tables: TableDdl): void {
  server.handle(createTable, (request) => tables.createTable(request));
  server.handle(dropTable, async ({ catalog, schema, name, ifExists }) => ({
    dropped: await tables.dropTable(catalog, schema, name, ifExists),
  }));
  server.handle(getTable, async ({ catalog, schema, name }) => {
    const table = await tables.getTable(catalog, schema, name);
    return table ? { table } : {};
  });
  server.handle(listTables, async ({ catalog, schema }) => ({
    names: await tables.store.listTableNames(catalog, schema),
  }));
}
