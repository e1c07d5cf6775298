/**
 * Table DDL in metasrv, each statement a persisted procedure (README, `resumeProcedures`):
 * create (allocate an id, place the regions, create them on the chosen datanodes, then
 * commit the table info), alter, drop (remove the info — the drop is then visible — then
 * drop the regions, best effort), truncate (each region, once per procedure), and lookups
 * that attach each region's datanode address.
 *
 * Placement: the alive datanode with the fewest regions according to the routes metasrv
 * keeps (not the heartbeat counts, which lag a create by up to one interval); ties go to the
 * lowest node id. DDL statements (database DDL too) run one at a time in this metasrv (a
 * promise chain, `inQueue`), which is enough for one metasrv; the table key's compare-and-put
 * guards the commit regardless.
 */
import { ErrorCode, TesseraError, asTesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { RpcClient, regionHandle, regionStatistics } from '../../rpc/index.ts';
import type {
  AlterTableRequest,
  CreateTableRequest,
  NodeInfo,
  RegionPeer,
  TableInfo,
  TableRoute,
  WireRegionRequest,
  WireRegionStatistics,
} from '../../rpc/index.ts';
import { partitionColumnKindOf, partitionRuleFromSpec, validatePartitionRule } from '../../partition/index.ts';
import type { NodeRegistry } from '../node-registry.ts';
import { ProcedureStore, faultPoint, tableLockKeys } from '../procedure/index.ts';
import type { ProcedureRecord } from '../procedure/index.ts';
import { regionIdOf } from './table-metadata.ts';
import type { TableMetadataStore, TableRouteRecord } from './table-metadata.ts';

const regionCallDeadlineMs = 30_000;

/** What a create-table procedure records: the request, and the id and placement it chose. */
interface CreateTableData {
  request: CreateTableRequest;
  tableId: number;
  route: TableRouteRecord;
  createdAt: number;
}

/** What an alter-table procedure records: the request, the new info, and each region's schema version before. */
interface AlterTableData {
  request: AlterTableRequest;
  next: TableInfo;
  route: TableRouteRecord;
  versionsBefore: Record<string, number>;
}

/** What a drop-table procedure records: which table, and where its regions are. */
interface DropTableData {
  table: string;
  catalog: string;
  schema: string;
  name: string;
  tableId: number;
  route: TableRouteRecord;
}

/** What a truncate-table procedure records: the same as a drop. */
type TruncateTableData = DropTableData;

/**
 * How a metasrv that starts resumes one kind of procedure: the datanodes to wait for (the
 * ones its regions are on), then the runner, which continues from the recorded state.
 */
export interface ProcedureResumer {
  nodes(record: ProcedureRecord): Promise<number[]>;
  run(record: ProcedureRecord): Promise<unknown>;
}

export function qualifiedTableName(catalog: string, schema: string, name: string): string {
  return `${catalog}.${schema}.${name}`;
}

export class TableDdl {
  readonly store: TableMetadataStore;
  private readonly registry: NodeRegistry;
  private readonly token: string;
  /** Also database DDL's (fault points, resume logs). */
  readonly logger: Logger;
  private readonly clients = new Map<string, RpcClient>();
  private queue: Promise<unknown> = Promise.resolve();

  /** The procedure records, also for database DDL (database-ddl.ts) and `procedure.list`. */
  readonly procedures: ProcedureStore;
  private readonly resumers = new Map<string, ProcedureResumer>();
  /** Regions whose source refuses writes while a migration hands them over (../migration/): routes show them downgraded. */
  readonly downgradedRegions = new Set<number>();
  private closed = false;

  constructor(store: TableMetadataStore, registry: NodeRegistry, token: string, logger: Logger) {
    this.store = store;
    this.procedures = new ProcedureStore(store.kv);
    this.registry = registry;
    this.token = token;
    this.logger = logger;
    const routeNodes = async (record: ProcedureRecord) =>
      Object.values((record as ProcedureRecord<{ route: TableRouteRecord }>).data.route);
    this.registerResumer('create-table', {
      nodes: routeNodes,
      run: (record) => this.runCreateTable(record as ProcedureRecord<CreateTableData>),
    });
    this.registerResumer('alter-table', {
      nodes: routeNodes,
      run: (record) => this.runAlterTable(record as ProcedureRecord<AlterTableData>),
    });
    // Dropping a region is best effort (one on a datanode that never comes back stays on
    // disk, logged), but a datanode that is only restarting gets the time to return.
    this.registerResumer('drop-table', {
      nodes: routeNodes,
      run: (record) => this.runDropTable(record as ProcedureRecord<DropTableData>),
    });
    this.registerResumer('truncate-table', {
      nodes: routeNodes,
      run: (record) => this.runTruncateTable(record as ProcedureRecord<TruncateTableData>),
    });
  }

  /** How `resumeProcedures` continues procedures of `kind` (database DDL registers its own). */
  registerResumer(kind: string, resumer: ProcedureResumer): void {
    this.resumers.set(kind, resumer);
  }

  /**
   * Creates the table and its region, or answers the existing one under IF NOT EXISTS.
   * `checkDatabase` runs first in the DDL queue (so no DROP DATABASE is half done meanwhile)
   * and throws when the table's database may not get it.
   */
  createTable(
    request: CreateTableRequest,
    checkDatabase?: () => Promise<void>,
  ): Promise<{ created: boolean; table: TableRoute }> {
    return this.serial(async () => {
      await checkDatabase?.();
      const { catalog, schema, name } = request;
      const existing = await this.store.getTable(catalog, schema, name);
      if (existing) {
        if (request.orReplace && existing.kind === 'view' && request.extra?.kind === 'view') {
          const replaced: TableInfo = { ...existing, ...request.extra, columnOrder: request.columnOrder };
          replaced.regionSchema = request.regionSchema;
          await this.store.putTable(replaced);
          return { created: true, table: await this.routeOf(replaced) };
        }
        if (request.ifNotExists) return { created: false, table: await this.routeOf(existing) };
        throw tableExists(catalog, schema, name);
      }
      if (request.noRegions) {
        // A view or a metric-engine logical table: metadata only, its rows live elsewhere.
        const tableId = await this.store.allocateTableId();
        const info = tableInfoOf(request, tableId, [], Date.now());
        if (!(await this.store.putTableIfAbsent(info))) throw tableExists(catalog, schema, name);
        this.logger.info('table.created', {
          table: qualifiedTableName(catalog, schema, name),
          tableId,
          kind: info.kind,
        });
        return { created: true, table: await this.routeOf(info) };
      }
      const regionCount = request.partition ? checkedPartitionRegions(request) : 1;
      const placement = await this.placeRegions(regionCount);
      const tableId = await this.store.allocateTableId();
      const route: TableRouteRecord = {};
      placement.forEach((datanode, regionNumber) => {
        route[String(regionIdOf(tableId, regionNumber))] = datanode.nodeId;
      });
      const procedure = await this.procedures.begin<CreateTableData>(
        'create-table',
        'create-regions',
        { request, tableId, route, createdAt: Date.now() },
        tableLockKeys(catalog, schema, name),
      );
      return { created: true, table: await this.runCreateTable(procedure) };
    });
  }

  /**
   * The create-table procedure from its recorded state on: `create-regions` (each region on
   * its datanode; a region already there counts as created, so the step repeats safely), then
   * `commit` (the route, then the table info — the commit point). A failure while creating
   * regions drops the ones created and ends the procedure; a metasrv that dies continues it
   * when it starts again (`resumeProcedures`).
   */
  private async runCreateTable(start: ProcedureRecord<CreateTableData>): Promise<TableRoute> {
    let procedure = start;
    const { request, tableId, route, createdAt } = procedure.data;
    const { catalog, schema, name } = request;
    if (procedure.state === 'create-regions') {
      await faultPoint('create-table:before-regions', this.logger);
      // The route goes first: metasrv grants region leases (and tells datanodes to close
      // regions) by the routes, so a region must never exist on a datanode without one.
      await this.store.putRoute(tableId, route);
      try {
        await this.createRegions(request, route);
      } catch (error) {
        await this.store.deleteRoute(tableId);
        await this.procedures.finish(procedure, 'Failed', asTesseraError(error).message);
        throw error;
      }
      procedure = await this.procedures.advance(procedure, 'commit');
      await faultPoint('create-table:after-regions', this.logger);
    }
    const info = tableInfoOf(request, tableId, Object.keys(route).map(Number), createdAt);
    await this.store.putRoute(tableId, route); // again: a create resumed from an older record
    if (!(await this.store.putTableIfAbsent(info))) {
      const current = await this.store.getTable(catalog, schema, name);
      if (current?.tableId !== tableId) {
        // Another create committed the name first: undo our regions and route.
        await this.dropRegions(tableId, route);
        const error = tableExists(catalog, schema, name);
        await this.procedures.finish(procedure, 'Failed', error.message);
        throw error;
      }
    }
    await this.procedures.finish(procedure);
    this.logger.info('table.created', {
      table: qualifiedTableName(catalog, schema, name),
      tableId,
      regions: Object.entries(route).map(([regionId, nodeId]) => `${regionId}@${nodeId}`),
    });
    return this.routeOf(info);
  }

  private async waitForDatanodes(nodeIds: number[], waitMs: number): Promise<void> {
    const wanted = new Set(nodeIds);
    if (wanted.size === 0) return;
    const deadline = Date.now() + waitMs;
    while (!this.closed && Date.now() < deadline) {
      const alive = new Set(
        this.datanodes()
          .filter((node) => node.status === 'alive')
          .map((node) => node.nodeId),
      );
      if ([...wanted].every((nodeId) => alive.has(nodeId))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The drop-table procedure from its recorded state: `drop-metadata`, then `drop-regions`. */
  private async runDropTable(start: ProcedureRecord<DropTableData>): Promise<void> {
    let procedure = start;
    const { catalog, schema, name, tableId, route } = procedure.data;
    if (procedure.state === 'drop-metadata') {
      const current = await this.store.getTable(catalog, schema, name);
      if (current?.tableId === tableId) await this.store.deleteTable(catalog, schema, name);
      procedure = await this.procedures.advance(procedure, 'drop-regions');
      await faultPoint('drop-table:after-metadata', this.logger);
    }
    await this.dropRegions(tableId, route);
    await this.procedures.finish(procedure);
    this.logger.info('table.dropped', { table: procedure.data.table, tableId });
  }

  /**
   * Continues the procedures a previous metasrv left unfinished, once the datanodes they need
   * are back (waiting up to `waitMs`). Runs in the DDL queue like any statement.
   */
  async resumeProcedures(waitMs = 120_000): Promise<void> {
    for (const procedure of await this.procedures.pending()) {
      const resumer = this.resumers.get(procedure.kind);
      if (!resumer) {
        this.logger.warn('procedure.unknown-kind', { id: procedure.id, kind: procedure.kind });
        continue;
      }
      await this.waitForDatanodes(await resumer.nodes(procedure), waitMs);
      if (this.closed) return;
      this.logger.info('procedure.resuming', { id: procedure.id, kind: procedure.kind, state: procedure.state });
      await this.serial(() => resumer.run(procedure)).catch((error: unknown) =>
        this.logger.warn('procedure.failed', { id: procedure.id, error: asTesseraError(error).message }),
      );
    }
  }

  /**
   * Drops the table; false when it did not exist (an error unless `ifExists`). `kind` 'view'
   * drops only views, 'table' only tables (GreptimeDB's DROP VIEW / DROP TABLE); a metric
   * physical table with logical tables on it refuses.
   */
  dropTable(
    catalog: string,
    schema: string,
    name: string,
    ifExists: boolean,
    kind?: 'table' | 'view',
  ): Promise<boolean> {
    return this.serial(() => this.dropTableInQueue(catalog, schema, name, ifExists, kind));
  }

  /** `dropTable` for a caller already running in the DDL queue (a DROP DATABASE procedure). */
  async dropTableInQueue(
    catalog: string,
    schema: string,
    name: string,
    ifExists: boolean,
    kind?: 'table' | 'view',
  ): Promise<boolean> {
    const info = await this.store.getTable(catalog, schema, name);
    const isView = info?.kind === 'view';
    if (!info || (kind === 'view' && !isView)) {
      if (ifExists) return false;
      if (info && kind === 'view') {
        throw new TesseraError(ErrorCode.InvalidArguments, `Invalid view \`${name}\`: this is a table, not a view`);
      }
      throw new TesseraError(
        kind === 'view' ? ErrorCode.TableNotFound : ErrorCode.TableNotFound,
        kind === 'view' ? `View not found: ${name}` : `Table not found: ${qualifiedTableName(catalog, schema, name)}`,
      );
    }
    if (info.engine === 'metric' && info.physicalTable === undefined && info.regionIds.length > 0) {
      for (const other of await this.store.listTableNames(catalog, schema)) {
        const table = await this.store.getTable(catalog, schema, other);
        if (table?.physicalTable === name) {
          throw new TesseraError(
            ErrorCode.InvalidArguments,
            'Physical region is busy, there are still some logical regions using it',
          );
        }
      }
    }
    // A procedure: the record names the regions, so a metasrv that dies after the table
    // disappeared still drops them when it starts again.
    await this.runDropTable(await this.beginOnTable('drop-table', 'drop-metadata', info));
    return true;
  }

  /** Begins a drop or truncate of an existing table: the record names it and its current route. */
  private async beginOnTable(kind: string, state: string, info: TableInfo): Promise<ProcedureRecord<DropTableData>> {
    const { catalog, schema, name, tableId } = info;
    const route = (await this.store.getRoute(tableId)) ?? {};
    return this.procedures.begin<DropTableData>(
      kind,
      state,
      { table: qualifiedTableName(catalog, schema, name), catalog, schema, name, tableId, route },
      tableLockKeys(catalog, schema, name, tableId),
    );
  }

  /**
   * TRUNCATE TABLE: every region of the table emptied, as a procedure. A table without regions
   * of its own (a view, a metric logical table) has nothing to truncate. `tableId`, when
   * given, must still be the table's (not one dropped and created again since).
   */
  truncateTable(catalog: string, schema: string, name: string, tableId?: number): Promise<void> {
    return this.serial(async () => {
      const info = await this.store.getTable(catalog, schema, name);
      if (!info || (tableId !== undefined && info.tableId !== tableId)) {
        throw new TesseraError(
          ErrorCode.TableNotFound,
          `Table not found: ${qualifiedTableName(catalog, schema, name)}`,
        );
      }
      await this.runTruncateTable(await this.beginOnTable('truncate-table', 'truncate-regions', info));
    });
  }

  /**
   * The truncate-table procedure: `truncate-regions`, one region after another, each truncate
   * naming the procedure (`truncateId`). A region whose `lastTruncateId` is already this
   * procedure's was truncated by it before metasrv died, and rows written to it since must
   * stay, so it is skipped. A region that cannot be truncated ends the procedure as failed
   * (the regions before it stay truncated, as with GreptimeDB).
   */
  private async runTruncateTable(procedure: ProcedureRecord<TruncateTableData>): Promise<void> {
    const { route, name, tableId } = procedure.data;
    const regionIds = Object.keys(route)
      .map(Number)
      .sort((a, b) => a - b);
    try {
      for (const [index, regionId] of regionIds.entries()) {
        const statistics = await this.regionStatisticsOf(regionId, route, name);
        if (statistics.lastTruncateId !== procedure.id) {
          await this.callRegion({ type: 'truncate', regionId, truncateId: procedure.id }, route, name);
        }
        if (index === 0) await faultPoint('truncate-table:after-first-region', this.logger);
      }
    } catch (error) {
      await this.procedures.finish(procedure, 'Failed', asTesseraError(error).message);
      throw error;
    }
    await this.procedures.finish(procedure);
    this.logger.info('table.truncated', { table: procedure.data.table, tableId });
  }

  /**
   * Alters a table: the region requests first (a region that refuses leaves the metadata as
   * it was), then the new info; a rename moves the table key.
   */
  alterTable(request: AlterTableRequest): Promise<TableRoute> {
    return this.serial(async () => {
      const { catalog, schema, name } = request;
      const current = await this.store.getTable(catalog, schema, name);
      if (!current || current.tableId !== request.tableId) {
        throw new TesseraError(
          ErrorCode.TableNotFound,
          `Table not found: ${qualifiedTableName(catalog, schema, name)}`,
        );
      }
      const next: TableInfo = {
        ...request.info,
        tableId: current.tableId,
        catalog,
        schema,
        regionIds: current.regionIds,
      };
      if (next.name !== name && (await this.store.getTable(catalog, schema, next.name))) {
        throw tableExists(catalog, schema, next.name);
      }
      const route = (await this.store.getRoute(current.tableId)) ?? {};
      // A procedure: each region's schema version before the alter is recorded, so a metasrv
      // that dies mid-way can tell, region by region, whether the alter already happened.
      const versionsBefore: Record<string, number> = {};
      for (const regionRequest of request.regionRequests) {
        const key = String(regionRequest.regionId);
        versionsBefore[key] ??= await this.regionSchemaVersion(regionRequest.regionId, route, name);
      }
      const procedure = await this.procedures.begin<AlterTableData>(
        'alter-table',
        'alter-regions',
        { request, next, route, versionsBefore },
        tableLockKeys(catalog, schema, name, current.tableId),
      );
      return this.runAlterTable(procedure);
    });
  }

  /**
   * The alter-table procedure from its recorded state: `alter-regions` (each region alter,
   * skipped for a schema change the region already shows — its schema version moved past
   * the recorded one; option changes simply apply again), then `commit` (the new info; a
   * rename moves the table key).
   */
  private async runAlterTable(start: ProcedureRecord<AlterTableData>): Promise<TableRoute> {
    let procedure = start;
    const { request, next, route, versionsBefore } = procedure.data;
    const { catalog, schema, name } = request;
    if (procedure.state === 'alter-regions') {
      try {
        for (const regionRequest of request.regionRequests) {
          const changesSchema = regionRequest.type === 'alter' && regionRequest.change.kind !== 'set_options';
          if (changesSchema) {
            const now = await this.regionSchemaVersion(regionRequest.regionId, route, name);
            if (now > (versionsBefore[String(regionRequest.regionId)] ?? now)) continue;
          }
          await this.callRegion(regionRequest, route, name);
        }
      } catch (error) {
        await this.procedures.finish(procedure, 'Failed', asTesseraError(error).message);
        throw error;
      }
      procedure = await this.procedures.advance(procedure, 'commit');
      await faultPoint('alter-table:after-regions', this.logger);
    }
    const current = await this.store.getTable(catalog, schema, name);
    if (next.name !== name) {
      if (current?.tableId === next.tableId) {
        if (!(await this.store.putTableIfAbsent(next))) {
          const taken = await this.store.getTable(catalog, schema, next.name);
          if (taken?.tableId !== next.tableId) {
            const error = tableExists(catalog, schema, next.name);
            await this.procedures.finish(procedure, 'Failed', error.message);
            throw error;
          }
        }
        await this.store.deleteTable(catalog, schema, name);
      }
    } else {
      await this.store.putTable(next);
    }
    await this.procedures.finish(procedure);
    this.logger.info('table.altered', {
      table: qualifiedTableName(catalog, schema, next.name),
      tableId: next.tableId,
    });
    return this.routeOf(next);
  }

  /** A region request on the region's datanode, opening the region first when it must be. */
  private async callRegion(request: WireRegionRequest, route: TableRouteRecord, table: string): Promise<void> {
    const client = this.client(this.nodeOfRegion(request.regionId, route, table).addr);
    try {
      await client.call(regionHandle, request, { deadlineMs: regionCallDeadlineMs });
    } catch (error) {
      if (asTesseraError(error).code !== ErrorCode.RegionNotFound) throw error;
      await client.call(
        regionHandle,
        { type: 'open', regionId: request.regionId },
        { deadlineMs: regionCallDeadlineMs },
      );
      await client.call(regionHandle, request, { deadlineMs: regionCallDeadlineMs });
    }
  }

  /** The region's current schema version, from its datanode (opening the region if needed). */
  private async regionSchemaVersion(regionId: number, route: TableRouteRecord, table: string): Promise<number> {
    return (await this.regionStatisticsOf(regionId, route, table)).schemaVersion;
  }

  /** The region's statistics, from its datanode (opening the region if needed). */
  private async regionStatisticsOf(
    regionId: number,
    route: TableRouteRecord,
    table: string,
  ): Promise<WireRegionStatistics> {
    const client = this.client(this.nodeOfRegion(regionId, route, table).addr);
    const ask = async () =>
      (await client.call(regionStatistics, { regionIds: [regionId] }, { deadlineMs: regionCallDeadlineMs }))
        .regions[0]!;
    try {
      return await ask();
    } catch (error) {
      if (asTesseraError(error).code !== ErrorCode.RegionNotFound) throw error;
      await client.call(regionHandle, { type: 'open', regionId }, { deadlineMs: regionCallDeadlineMs });
      return ask();
    }
  }

  private nodeOfRegion(regionId: number, route: TableRouteRecord, table: string): NodeInfo {
    const nodeId = route[String(regionId)] ?? -1;
    const node = this.datanodes().find((candidate) => candidate.nodeId === nodeId);
    if (!node) throw new TesseraError(ErrorCode.RegionNotFound, `Region ${regionId} of table ${table} has no datanode`);
    return node;
  }

  async getTable(catalog: string, schema: string, name: string): Promise<TableRoute | undefined> {
    const info = await this.store.getTable(catalog, schema, name);
    return info ? this.routeOf(info) : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }

  private async routeOf(info: TableInfo): Promise<TableRoute> {
    const route = (await this.store.getRoute(info.tableId)) ?? {};
    const nodes = new Map(this.datanodes().map((node) => [node.nodeId, node]));
    const peers: RegionPeer[] = info.regionIds.map((regionId) => {
      const nodeId = route[String(regionId)];
      const node = nodeId === undefined ? undefined : nodes.get(nodeId);
      if (nodeId === undefined || !node) {
        throw new TesseraError(
          ErrorCode.RegionNotFound,
          `Region ${regionId} of table ${info.name} has no datanode in its route`,
        );
      }
      return {
        regionId,
        nodeId,
        addr: node.addr,
        ...(this.downgradedRegions.has(regionId) ? { downgraded: true } : {}),
      };
    });
    return { info, peers };
  }

  private datanodes(): NodeInfo[] {
    return this.registry.list().filter((node) => node.role === 'datanode');
  }

  /**
   * One datanode per region: each region goes to the alive datanode with the fewest regions
   * so far (counting the ones just placed), ties to the lowest node id, so the regions of
   * one table spread over the datanodes.
   */
  private async placeRegions(count: number): Promise<NodeInfo[]> {
    const alive = this.datanodes().filter((node) => node.status === 'alive');
    if (alive.length === 0) {
      throw new TesseraError(ErrorCode.NodeNotFound, 'No alive datanode to place a region on', { retryable: true });
    }
    const counts = new Map<number, number>();
    for (const route of await this.store.allRoutes()) {
      for (const nodeId of Object.values(route)) counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
    }
    const placement: NodeInfo[] = [];
    for (let region = 0; region < count; region++) {
      alive.sort((a, b) => (counts.get(a.nodeId) ?? 0) - (counts.get(b.nodeId) ?? 0) || a.nodeId - b.nodeId);
      const chosen = alive[0]!;
      placement.push(chosen);
      counts.set(chosen.nodeId, (counts.get(chosen.nodeId) ?? 0) + 1);
    }
    return placement;
  }

  /**
   * Creates every region on its datanode in parallel. If one fails, the ones created are
   * dropped again and the error names the region and datanode that failed.
   */
  private async createRegions(request: CreateTableRequest, route: TableRouteRecord): Promise<void> {
    const entries = Object.entries(route).map(([regionKey, nodeId]) => ({ regionId: Number(regionKey), nodeId }));
    const nodes = new Map(this.datanodes().map((node) => [node.nodeId, node]));
    const results = await Promise.allSettled(
      entries.map(async ({ regionId, nodeId }) => {
        const node = nodes.get(nodeId);
        if (!node) throw new TesseraError(ErrorCode.NodeNotFound, `Datanode ${nodeId} is not registered`);
        try {
          await this.client(node.addr).call(
            regionHandle,
            {
              type: 'create',
              regionId,
              schema: request.regionSchema,
              options: request.regionOptions ?? request.options,
            },
            { deadlineMs: regionCallDeadlineMs },
          );
        } catch (error) {
          // A repeated step (a resumed procedure) finds its region already made.
          if (asTesseraError(error).code !== ErrorCode.RegionAlreadyExists) throw error;
        }
      }),
    );
    const failed = results.findIndex((result) => result.status === 'rejected');
    if (failed === -1) return;
    for (const [index, result] of results.entries()) {
      if (result.status === 'fulfilled') await this.dropRegion(entries[index]!.regionId, entries[index]!.nodeId);
    }
    const reason = asTesseraError((results[failed] as PromiseRejectedResult).reason);
    throw new TesseraError(
      reason.code,
      `Failed to create region ${entries[failed]!.regionId} of table ${request.name} on datanode ${entries[failed]!.nodeId}: ${reason.message}`,
    );
  }

  /**
   * Drops each region on its datanode (opening it first when the datanode restarted and has
   * not opened it yet), then the route. A region whose datanode is down or refuses stays on
   * disk, logged; its table id is never reused, so nothing can collide with it.
   */
  private async dropRegions(tableId: number, route: TableRouteRecord): Promise<void> {
    for (const [regionKey, nodeId] of Object.entries(route)) await this.dropRegion(Number(regionKey), nodeId);
    await this.store.deleteRoute(tableId);
  }

  private async dropRegion(regionId: number, nodeId: number): Promise<void> {
    const node = this.datanodes().find((candidate) => candidate.nodeId === nodeId);
    try {
      if (!node || node.status !== 'alive') {
        throw new TesseraError(ErrorCode.NodeDown, `Datanode ${nodeId} is not alive`);
      }
      const client = this.client(node.addr);
      try {
        await client.call(regionHandle, { type: 'drop', regionId }, { deadlineMs: regionCallDeadlineMs });
      } catch (error) {
        if (asTesseraError(error).code !== ErrorCode.RegionNotFound) throw error;
        await client.call(regionHandle, { type: 'open', regionId }, { deadlineMs: regionCallDeadlineMs });
        await client.call(regionHandle, { type: 'drop', regionId }, { deadlineMs: regionCallDeadlineMs });
      }
    } catch (error) {
      this.logger.warn('table.region-drop-failed', { regionId, nodeId, error: asTesseraError(error).message });
    }
  }

  private client(addr: string): RpcClient {
    let client = this.clients.get(addr);
    if (!client) {
      client = new RpcClient({ url: addr, token: this.token, logger: this.logger });
      this.clients.set(addr, client);
    }
    return client;
  }

  /** Runs `run` in the DDL queue, after the statements before it (database DDL uses it too). */
  inQueue<T>(run: () => Promise<T>): Promise<T> {
    return this.serial(run);
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** The table info a CREATE commits. */
function tableInfoOf(request: CreateTableRequest, tableId: number, regionIds: number[], createdAt: number): TableInfo {
  return {
    tableId,
    catalog: request.catalog,
    schema: request.schema,
    name: request.name,
    regionSchema: request.regionSchema,
    columnOrder: request.columnOrder,
    options: request.options,
    regionIds,
    createdAt,
    ...(request.defaults ? { defaults: request.defaults } : {}),
    ...(request.partition ? { partition: request.partition } : {}),
    ...request.extra,
  };
}

/** The regions a partitioned CREATE asks for, after checking its rule (the frontend checked it too). */
function checkedPartitionRegions(request: CreateTableRequest): number {
  const spec = request.partition!;
  const columns = new Map(request.regionSchema.columns.map((column) => [column.name, column]));
  const rule = partitionRuleFromSpec(spec, (name) => {
    const column = columns.get(name);
    return column ? partitionColumnKindOf(column.type.kind, name) : undefined;
  });
  validatePartitionRule(rule);
  return Math.max(1, rule.regions.length);
}

function tableExists(catalog: string, schema: string, name: string): TesseraError {
  return new TesseraError(
    ErrorCode.TableAlreadyExists,
    `Table already exists: \`${qualifiedTableName(catalog, schema, name)}\``,
  );
}
