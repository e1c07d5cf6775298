/**
 * Table lookups for one statement. The query engine resolves names synchronously
 * (`CatalogProvider.table`), while table metadata lives in metasrv, so a query is planned
 * against a `TableCatalog` that answers from what it has fetched and remembers what it was
 * asked for; when planning fails with TableNotFound for a name not fetched yet, `withTables`
 * fetches those names and plans again (each name at most once). Across statements, routes come
 * from the frontend's route cache (table-route-cache.ts), which metasrv's change stream keeps
 * current.
 */
import { ErrorCode, TesseraError, asTesseraError } from '../../common/index.ts';
import type { TableRouteCache } from '../table-route-cache.ts';
import type { CatalogProvider, TableProvider } from '../../query/index.ts';
import { getTable } from '../../rpc/index.ts';
import type { RpcClient, TableName, TableRoute } from '../../rpc/index.ts';
import type { ObjectName } from '../../sql/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';

export const defaultCatalog = 'greptime';

/** `t`, `db.t` or `catalog.db.t` with the session's defaults filled in. */
export function resolveTableName(name: ObjectName, database: string): TableName {
  const parts = name.parts.map((part) => part.value);
  if (parts.length > 3) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Invalid table name: ${parts.join('.')}`);
  }
  const table = parts[parts.length - 1]!;
  const schema = parts.length >= 2 ? parts[parts.length - 2]! : database;
  const catalog = parts.length === 3 ? parts[0]! : defaultCatalog;
  return { catalog, schema, name: table };
}

export function qualifiedName(name: TableName): string {
  return `${name.catalog}.${name.schema}.${name.name}`;
}

const routeCaches = new WeakMap<RpcClient, TableRouteCache>();

/** Serves `fetchTable` for this metasrv client from `cache` (the frontend does this at start). */
export function useRouteCache(metasrv: RpcClient, cache: TableRouteCache): void {
  routeCaches.set(metasrv, cache);
}

/** Forgets every cached route: after this frontend changed metadata, or met a stale route. */
export function invalidateRoutes(metasrv: RpcClient): void {
  routeCaches.get(metasrv)?.invalidateAll();
}

/**
 * The table and where its regions are: from the route cache when it holds the table (and its
 * watch is live), else from metasrv; undefined when there is no such table (never cached).
 */
export async function fetchTable(metasrv: RpcClient, name: TableName): Promise<TableRoute | undefined> {
  const cache = routeCaches.get(metasrv);
  const cached = cache?.get(name);
  if (cached) return cached;
  const generation = cache?.generation ?? 0;
  const table = (await metasrv.call(getTable, name, { deadlineMs: 10_000 })).table;
  if (table && cache) cache.put(name, table, generation);
  return table;
}

/** A catalog over fetched tables that records the names it could not answer. */
export class TableCatalog implements CatalogProvider {
  private readonly tables = new Map<string, TableProvider>();
  private readonly tried = new Set<string>();
  private readonly missing = new Set<string>();

  table(catalog: string, schema: string, table: string): TableProvider | undefined {
    const key = `${catalog}.${schema}.${table}`;
    const found = this.tables.get(key);
    if (!found && !this.tried.has(key)) this.missing.add(key);
    return found;
  }

  /**
   * Runs `run` (which plans against this catalog) until it succeeds or fails for another
   * reason than a table it has not fetched yet. `load` fetches one table by its parts.
   */
  async withTables<T>(
    load: (name: TableName) => Promise<TableProvider | undefined>,
    run: () => Promise<T>,
  ): Promise<T> {
    for (;;) {
      this.missing.clear();
      try {
        return await run();
      } catch (error) {
        const names = [...this.missing];
        if (names.length === 0 || asTesseraError(error).code !== ErrorCode.TableNotFound) throw error;
        let found = false;
        for (const key of names) {
          this.tried.add(key);
          const [catalog = '', schema = '', ...rest] = key.split('.');
          const table = await load({ catalog, schema, name: rest.join('.') });
          if (table) {
            this.tables.set(key, table);
            found = true;
          }
        }
        if (!found) throw error;
      }
    }
  }
}

/** What the table statements need: metasrv for metadata, the datanodes for regions. */
export interface TableContext {
  metasrv: RpcClient;
  datanodes: DatanodeDirectory;
}

/** The table or TableNotFound with GreptimeDB's wording (`Table not found: <as written>`). */
export async function requireTable(context: TableContext, name: TableName, written: string): Promise<TableRoute> {
  const table = await fetchTable(context.metasrv, name);
  if (!table) throw new TesseraError(ErrorCode.TableNotFound, `Table not found: ${written}`);
  return table;
}
