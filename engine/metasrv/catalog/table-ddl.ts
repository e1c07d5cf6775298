/**
 * Table DDL in metasrv: create (allocate an id, place the one region, create it on the chosen
 * datanode, then commit the table info), drop (remove the info — the drop is then visible —
 * then drop the region, best effort), and lookups that attach each region's datanode address.
 *
 * Placement: the alive datanode with the fewest regions according to the routes metasrv
 * keeps (not the heartbeat counts, which lag a create by up to one interval); ties go to the
 * lowest node id. DDL statements run one at a time in this metasrv (a promise chain), which is
 * enough for one metasrv; the table key's compare-and-put guards the commit regardless.
 */
import { ErrorCode, TesseraError, asTesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { RpcClient, regionHandle } from '../../rpc/index.ts';
import type {
  AlterTableRequest,
  CreateTableRequest,
  NodeInfo,
  RegionPeer,
  TableInfo,
  TableRoute,
} from '../../rpc/index.ts';
import type { NodeRegistry } from '../node-registry.ts';
import { regionIdOf } from './table-metadata.ts';
import type { TableMetadataStore, TableRouteRecord } from './table-metadata.ts';

const regionCallDeadlineMs = 30_000;

export function qualifiedTableName(catalog: string, schema: string, name: string): string {
  return `${catalog}.${schema}.${name}`;
}

export class TableDdl {
  readonly store: TableMetadataStore;
  private readonly registry: NodeRegistry;
  private readonly token: string;
  private readonly logger: Logger;
  private readonly clients = new Map<string, RpcClient>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(store: TableMetadataStore, registry: NodeRegistry, token: string, logger: Logger) {
    this.store = store;
    this.registry = registry;
    this.token = token;
    this.logger = logger;
  }

  /** Creates the table and its region, or answers the existing one under IF NOT EXISTS. */
  createTable(request: CreateTableRequest): Promise<{ created: boolean; table: TableRoute }> {
    return this.serial(async () => {
      const { catalog, schema, name } = request;
      const existing = await this.store.getTable(catalog, schema, name);
      if (existing) {
        if (request.ifNotExists) return { created: false, table: await this.routeOf(existing) };
        throw tableExists(catalog, schema, name);
      }
      const datanode = await this.pickDatanode();
      const tableId = await this.store.allocateTableId();
      const regionId = regionIdOf(tableId, 0);
      const client = this.client(datanode.addr);
      await client.call(
        regionHandle,
        { type: 'create', regionId, schema: request.regionSchema, options: request.options },
        { deadlineMs: regionCallDeadlineMs },
      );
      const info: TableInfo = {
        tableId,
        catalog,
        schema,
        name,
        regionSchema: request.regionSchema,
        columnOrder: request.columnOrder,
        options: request.options,
        regionIds: [regionId],
        createdAt: Date.now(),
        ...(request.defaults ? { defaults: request.defaults } : {}),
      };
      const route: TableRouteRecord = { [String(regionId)]: datanode.nodeId };
      await this.store.putRoute(tableId, route);
      if (!(await this.store.putTableIfAbsent(info))) {
        // Another metasrv committed the name first: undo our region and route.
        await this.dropRegions(tableId, route);
        throw tableExists(catalog, schema, name);
      }
      this.logger.info('table.created', {
        table: qualifiedTableName(catalog, schema, name),
        tableId,
        regionId,
        datanode: datanode.nodeId,
      });
      return { created: true, table: await this.routeOf(info) };
    });
  }

  /** Drops the table; false when it did not exist (an error unless `ifExists`). */
  dropTable(catalog: string, schema: string, name: string, ifExists: boolean): Promise<boolean> {
    return this.serial(async () => {
      const info = await this.store.getTable(catalog, schema, name);
      if (!info) {
        if (ifExists) return false;
        throw new TesseraError(
          ErrorCode.TableNotFound,
          `Table not found: ${qualifiedTableName(catalog, schema, name)}`,
        );
      }
      await this.store.deleteTable(catalog, schema, name);
      const route = (await this.store.getRoute(info.tableId)) ?? {};
      await this.dropRegions(info.tableId, route);
      this.logger.info('table.dropped', { table: qualifiedTableName(catalog, schema, name), tableId: info.tableId });
      return true;
    });
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
      const nodes = new Map(this.datanodes().map((node) => [node.nodeId, node]));
      for (const regionRequest of request.regionRequests) {
        const node = nodes.get(route[String(regionRequest.regionId)] ?? -1);
        if (!node) {
          throw new TesseraError(
            ErrorCode.RegionNotFound,
            `Region ${regionRequest.regionId} of table ${name} has no datanode`,
          );
        }
        const client = this.client(node.addr);
        try {
          await client.call(regionHandle, regionRequest, { deadlineMs: regionCallDeadlineMs });
        } catch (error) {
          if (asTesseraError(error).code !== ErrorCode.RegionNotFound) throw error;
          await client.call(
            regionHandle,
            { type: 'open', regionId: regionRequest.regionId },
            { deadlineMs: regionCallDeadlineMs },
          );
          await client.call(regionHandle, regionRequest, { deadlineMs: regionCallDeadlineMs });
        }
      }
      if (next.name !== name) {
        if (!(await this.store.putTableIfAbsent(next))) throw tableExists(catalog, schema, next.name);
        await this.store.deleteTable(catalog, schema, name);
      } else {
        await this.store.putTable(next);
      }
      this.logger.info('table.altered', {
        table: qualifiedTableName(catalog, schema, next.name),
        tableId: next.tableId,
      });
      return this.routeOf(next);
    });
  }

  async getTable(catalog: string, schema: string, name: string): Promise<TableRoute | undefined> {
    const info = await this.store.getTable(catalog, schema, name);
    return info ? this.routeOf(info) : undefined;
  }

  async close(): Promise<void> {
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
      return { regionId, nodeId, addr: node.addr };
    });
    return { info, peers };
  }

  private datanodes(): NodeInfo[] {
    return this.registry.list().filter((node) => node.role === 'datanode');
  }

  private async pickDatanode(): Promise<NodeInfo> {
    const alive = this.datanodes().filter((node) => node.status === 'alive');
    if (alive.length === 0) {
      throw new TesseraError(ErrorCode.NodeNotFound, 'No alive datanode to place a region on', { retryable: true });
    }
    const counts = new Map<number, number>();
    for (const route of await this.store.allRoutes()) {
      for (const nodeId of Object.values(route)) counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
    }
    alive.sort((a, b) => (counts.get(a.nodeId) ?? 0) - (counts.get(b.nodeId) ?? 0) || a.nodeId - b.nodeId);
    return alive[0]!;
  }

  /**
   * Drops each region on its datanode (opening it first when the datanode restarted and has
   * not opened it yet), then the route. A region whose datanode is down or refuses stays on
   * disk, logged; its table id is never reused, so nothing can collide with it.
   */
  private async dropRegions(tableId: number, route: TableRouteRecord): Promise<void> {
    const nodes = new Map(this.datanodes().map((node) => [node.nodeId, node]));
    for (const [regionKey, nodeId] of Object.entries(route)) {
      const regionId = Number(regionKey);
      const node = nodes.get(nodeId);
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
    await this.store.deleteRoute(tableId);
  }

  private client(addr: string): RpcClient {
    let client = this.clients.get(addr);
    if (!client) {
      client = new RpcClient({ url: addr, token: this.token, logger: this.logger });
      this.clients.set(addr, client);
    }
    return client;
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function tableExists(catalog: string, schema: string, name: string): TesseraError {
  return new TesseraError(
    ErrorCode.TableAlreadyExists,
    `Table already exists: \`${qualifiedTableName(catalog, schema, name)}\``,
  );
}
