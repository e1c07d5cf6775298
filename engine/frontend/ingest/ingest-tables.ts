/**
 * Tables for schemaless writes: a per-frontend cache of table routes (so a steady stream of
 * writes asks metasrv nothing), creation of a table on its first write and new columns by
 * ALTER — both through metasrv's table channel, the one CREATE / ALTER TABLE use.
 *
 * A cached route is trusted for `ttlMs` (a table altered or dropped elsewhere is seen at the
 * latest then) and dropped at once when a write to it fails (`invalidate`). Creating and
 * altering one table is serialized in this frontend, and an alter starts from metasrv's
 * current metadata, so two requests adding the same column do not race each other here.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { alterTable, createTable } from '../../rpc/index.ts';
import type { RpcClient, TableName, TableRoute } from '../../rpc/index.ts';
import { fetchTable } from '../sql/table-catalog.ts';
import { optionValueProblem, regionOptionsOf, withDatabaseOptions } from '../sql/table-options.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import { addedColumnSchemas, checkAgainstTable, createdTableSchema, withAddedColumns } from './ingest-schema.ts';
import type { TimeIndexPlacement } from './ingest-schema.ts';
import type { IngestColumn, TableRows } from './table-rows.ts';

const ddlDeadlineMs = 60_000;
/** Hints that become table options of a created table. */
const optionHints = ['ttl', 'append_mode', 'merge_mode'] as const;

interface CachedRoute {
  route: TableRoute;
  fetchedAt: number;
}

export class IngestTables {
  private readonly metasrv: RpcClient;
  private readonly datanodes: DatanodeDirectory;
  private readonly ttlMs: number;
  private readonly cache = new Map<string, CachedRoute>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(metasrv: RpcClient, datanodes: DatanodeDirectory, ttlMs = 10_000) {
    this.metasrv = metasrv;
    this.datanodes = datanodes;
    this.ttlMs = ttlMs;
  }

  /** The table's route, from the cache when fresh; undefined when there is no such table. */
  async route(name: TableName): Promise<TableRoute | undefined> {
    const key = keyOf(name);
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.fetchedAt < this.ttlMs) return cached.route;
    const route = await fetchTable(this.metasrv, name);
    if (route) this.cache.set(key, { route, fetchedAt: Date.now() });
    else this.cache.delete(key);
    return route;
  }

  invalidate(name: TableName): void {
    this.cache.delete(keyOf(name));
  }

  /**
   * Checks rows against the table without changing anything; returns the route (undefined:
   * the table does not exist yet) and the columns to add. Conflicts throw.
   */
  async plan(name: TableName, rows: TableRows): Promise<{ route: TableRoute | undefined; missing: IngestColumn[] }> {
    const route = await this.route(name);
    return { route, missing: route ? checkAgainstTable(rows, route.info) : [] };
  }

  /** Creates the table or adds the columns `rows` needs; returns the route to write to. */
  async ensure(
    name: TableName,
    rows: TableRows,
    hints: Readonly<Record<string, string>>,
    placement: TimeIndexPlacement,
  ): Promise<TableRoute> {
    const key = keyOf(name);
    return this.serialized(key, async () => {
      let route = await fetchTable(this.metasrv, name);
      if (!route) {
        if ((hints.auto_create_table ?? 'true').toLowerCase() === 'false') {
          throw new TesseraError(
            ErrorCode.TableNotFound,
            `Table not found: ${name.catalog}.${name.schema}.${name.name} (auto_create_table is false)`,
          );
        }
        route = await this.create(name, rows, hints, placement);
      }
      const missing = checkAgainstTable(rows, route.info);
      if (missing.length > 0) {
        const info = withAddedColumns(route.info, missing, rows.timeUnit);
        const columns = addedColumnSchemas(route.info, info);
        const response = await this.metasrv.call(
          alterTable,
          {
            ...name,
            tableId: route.info.tableId,
            info,
            regionRequests: route.peers.map((peer) => ({
              type: 'alter' as const,
              regionId: peer.regionId,
              change: { kind: 'add_columns' as const, columns },
            })),
          },
          { deadlineMs: ddlDeadlineMs },
        );
        route = response.table;
      }
      this.cache.set(key, { route, fetchedAt: Date.now() });
      return route;
    });
  }

  private async create(
    name: TableName,
    rows: TableRows,
    hints: Readonly<Record<string, string>>,
    placement: TimeIndexPlacement,
  ): Promise<TableRoute> {
    const { regionSchema, columnOrder } = createdTableSchema(rows, placement);
    const own: Record<string, string> = {};
    for (const key of optionHints) {
      const value = hints[key];
      if (value === undefined) continue;
      const problem = optionValueProblem(key, value);
      if (problem) throw new TesseraError(ErrorCode.InvalidArguments, `Invalid hint ${key}=${value}: ${problem}`);
      own[key] = value;
    }
    const options = await withDatabaseOptions({ metasrv: this.metasrv, datanodes: this.datanodes }, name, own);
    const { table } = await this.metasrv.call(
      createTable,
      { ...name, ifNotExists: true, regionSchema, columnOrder, options, regionOptions: regionOptionsOf(options) },
      { deadlineMs: ddlDeadlineMs },
    );
    return table;
  }

  private async serialized<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, settled);
    try {
      return await next;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }
}

function keyOf(name: TableName): string {
  return `${name.catalog}\u0000${name.schema}\u0000${name.name}`;
}
