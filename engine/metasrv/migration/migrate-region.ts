/**
 * Region migration (docs/region-migration.md): moves one region to another datanode as a
 * persisted procedure, `region-migration`, whose record names the step to run next:
 *
 *   downgrade-source → open-target → update-route → close-source
 *
 * - `downgrade-source`: the source refuses writes (retryable RegionReadonly) and flushes, so
 *   every acknowledged row is in the shared object store; its flushed sequence is recorded.
 * - `open-target`: the target opens the region from the manifest; its flushed sequence must
 *   reach the recorded one (it opened after the source's last edit).
 * - `update-route`: the route names the target — the commit point; frontends hear it through
 *   `catalog.watch`, and region leases follow the route.
 * - `close-source`: the source closes the region (best effort: the heartbeat's close
 *   instruction does it too).
 *
 * A failure before the route moves rolls back (the target closes the region, the source
 * takes writes again) and the procedure ends Failed; after it the procedure only finishes.
 * Every step is safe to repeat, so a metasrv that dies mid-way resumes from the record
 * (`TableDdl.registerResumer`). Procedures run in the DDL queue, so no CREATE, ALTER, DROP or
 * TRUNCATE of the table interleaves with a step; the id is answered before they run.
 */
import { ErrorCode, TesseraError, asTesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { RpcClient, regionHandle, regionStatistics } from '../../rpc/index.ts';
import type { MigrateRegionRequest, NodeInfo, WireRegionRequest, WireRegionStatistics } from '../../rpc/index.ts';
import type { TableDdl } from '../catalog/table-ddl.ts';
import type { NodeRegistry } from '../node-registry.ts';
import { faultPoint } from '../procedure/index.ts';
import type { ProcedureRecord } from '../procedure/index.ts';

export const migrateRegionKind = 'region-migration';

/** What a region-migration procedure records. */
export interface MigrateRegionData {
  regionId: number;
  tableId: number;
  fromPeerId: number;
  toPeerId: number;
  replayTimeoutSecs: number;
  /** Set by `downgrade-source`: the source's flushed sequence once it stopped taking writes. */
  sourceFlushedSequence?: number;
}

type MigrationStep = 'downgrade-source' | 'open-target' | 'update-route' | 'close-source';

const defaultReplayTimeoutSecs = 10;
const regionCallDeadlineMs = 30_000;
/** Retryable refusals (a lease not yet renewed, a connection being re-made) are retried this long per call. */
const retryWindowMs = 5_000;

function tableIdOfRegion(regionId: number): number {
  return Math.floor(regionId / 2 ** 32);
}

export class RegionMigrations {
  private readonly tables: TableDdl;
  private readonly registry: NodeRegistry;
  private readonly token: string;
  private readonly logger: Logger;
  /** Region id → the id of the procedure moving it (submitted or resumed, not finished). */
  private readonly running = new Map<number, string>();

  constructor(tables: TableDdl, registry: NodeRegistry, token: string, logger: Logger) {
    this.tables = tables;
    this.registry = registry;
    this.token = token;
    this.logger = logger;
    tables.registerResumer(migrateRegionKind, {
      nodes: async (record) => {
        const data = (record as ProcedureRecord<MigrateRegionData>).data;
        return [data.fromPeerId, data.toPeerId];
      },
      run: (record) => this.run(record as ProcedureRecord<MigrateRegionData>),
    });
  }

  /**
   * Checks the request and starts the procedure; resolves with its id before the steps run
   * (they wait for DDL before them in the queue).
   */
  async submit(request: MigrateRegionRequest): Promise<string> {
    const { regionId, fromPeerId, toPeerId } = request;
    const replayTimeoutSecs = request.replayTimeoutSecs ?? defaultReplayTimeoutSecs;
    if (!Number.isSafeInteger(replayTimeoutSecs) || replayTimeoutSecs <= 0) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid replay timeout ${replayTimeoutSecs}: expected a positive number of seconds`,
      );
    }
    if (fromPeerId === toPeerId) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid arguments: The \`from_peer_id\` can't equal \`to_peer_id\` (both ${fromPeerId}), region: ${regionId}`,
      );
    }
    const running = this.running.get(regionId);
    if (running !== undefined) {
      throw new TesseraError(
        ErrorCode.Unexpected,
        `Another migration procedure is running for region: ${regionId} (procedure ${running})`,
      );
    }
    // Claimed before the first await, so two calls for one region cannot both pass the checks.
    this.running.set(regionId, '(being checked)');
    try {
      return await this.check(request, replayTimeoutSecs);
    } catch (error) {
      this.running.delete(regionId);
      throw error;
    }
  }

  /** The checks that need the route and the nodes; then the procedure starts. */
  private async check(request: MigrateRegionRequest, replayTimeoutSecs: number): Promise<string> {
    const { regionId, fromPeerId, toPeerId } = request;
    const tableId = tableIdOfRegion(regionId);
    const route = await this.tables.store.getRoute(tableId);
    const current = route?.[String(regionId)];
    if (current === undefined) {
      throw new TesseraError(
        ErrorCode.RegionNotFound,
        route
          ? `Region ${regionId} not found: table ${tableId} has regions ${Object.keys(route).join(', ')}`
          : `Region ${regionId} not found: no table with id ${tableId} has regions`,
      );
    }
    if (current === toPeerId) {
      throw new TesseraError(
        ErrorCode.Unexpected,
        `The region migration procedure is completed for region: ${regionId}, target_peer: ${toPeerId}`,
      );
    }
    if (current !== fromPeerId) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Region's leader peer(${current}) is not the \`from_peer\`(${fromPeerId}), region: ${regionId}`,
      );
    }
    const target = this.datanode(toPeerId);
    if (!target) {
      throw new TesseraError(
        ErrorCode.NodeNotFound,
        `Datanode ${toPeerId} not found: the \`to_peer\` of region ${regionId} must be a registered datanode`,
      );
    }
    if (target.status !== 'alive') {
      throw new TesseraError(ErrorCode.NodeDown, `The target peer is unavailable temporally: ${toPeerId} (down)`, {
        retryable: true,
      });
    }
    if (this.datanode(fromPeerId)?.status !== 'alive') {
      // Unflushed rows live only in the source's WAL: without it they cannot move.
      throw new TesseraError(
        ErrorCode.NodeDown,
        `The source peer ${fromPeerId} of region ${regionId} is down: its unflushed rows are in its own WAL, so the region can move only once it is back`,
        { retryable: true },
      );
    }
    const procedure = await this.tables.procedures.begin<MigrateRegionData>(
      migrateRegionKind,
      'downgrade-source',
      { regionId, tableId, fromPeerId, toPeerId, replayTimeoutSecs },
      [`__table_lock/${tableId}`, `__region_lock/${regionId}`],
    );
    this.running.set(regionId, procedure.id);
    this.logger.info('region.migration-started', { id: procedure.id, regionId, from: fromPeerId, to: toPeerId });
    void this.tables
      .inQueue(() => this.run(procedure))
      .catch((error: unknown) =>
        this.logger.warn('procedure.failed', { id: procedure.id, error: asTesseraError(error).message }),
      );
    return procedure.id;
  }

  /** The procedure from its recorded step on (see the module comment). */
  private async run(start: ProcedureRecord<MigrateRegionData>): Promise<void> {
    let procedure = start;
    const { regionId, tableId, fromPeerId, toPeerId } = procedure.data;
    this.running.set(regionId, procedure.id);
    const clients = new Map<string, RpcClient>();
    try {
      if (procedure.state === 'downgrade-source' || procedure.state === 'open-target') {
        try {
          procedure = await this.prepare(procedure, clients);
        } catch (error) {
          const failure = asTesseraError(error);
          await this.rollback(procedure.data, clients);
          await this.tables.procedures.finish(procedure, 'Failed', failure.message);
          this.logger.warn('region.migration-failed', { id: procedure.id, regionId, error: failure.message });
          return;
        }
      }
      if (procedure.state === 'update-route') {
        const route = (await this.tables.store.getRoute(tableId)) ?? {};
        if (route[String(regionId)] === undefined) {
          // The table was dropped while the procedure waited (a resumed one): nothing to move.
          await this.callRegion(toPeerId, { type: 'close', regionId }, clients).catch(() => undefined);
          await this.tables.procedures.finish(procedure, 'Failed', `Table ${tableId} of region ${regionId} is gone`);
          return;
        }
        if (route[String(regionId)] !== toPeerId) {
          await this.tables.store.putRoute(tableId, { ...route, [String(regionId)]: toPeerId });
        }
        this.tables.downgradedRegions.delete(regionId);
        // The target takes writes at once instead of at its next heartbeat's lease: `upgrade`
        // leases it the region (the route already names it). Best effort — the heartbeat
        // grants the lease anyway.
        await this.callRegion(toPeerId, { type: 'upgrade', regionId }, clients).catch(() => undefined);
        procedure = await this.advance(procedure, 'close-source');
        await faultPoint('region-migration:after-update-route', this.logger);
      }
      try {
        await this.callRegion(fromPeerId, { type: 'close', regionId }, clients);
      } catch (error) {
        // The route has moved: metasrv's heartbeat tells the source to close it when it can.
        this.logger.warn('region.migration-close-failed', {
          id: procedure.id,
          regionId,
          nodeId: fromPeerId,
          error: asTesseraError(error).message,
        });
      }
      await this.tables.procedures.finish(procedure, 'Done');
      this.logger.info('region.migrated', { id: procedure.id, regionId, from: fromPeerId, to: toPeerId });
    } finally {
      if (this.running.get(regionId) === procedure.id) this.running.delete(regionId);
      this.tables.downgradedRegions.delete(regionId);
      await Promise.all([...clients.values()].map((client) => client.close()));
    }
  }

  /** `downgrade-source` and `open-target`: everything that rolls back on failure. */
  private async prepare(
    start: ProcedureRecord<MigrateRegionData>,
    clients: Map<string, RpcClient>,
  ): Promise<ProcedureRecord<MigrateRegionData>> {
    let procedure = start;
    const { regionId, tableId, fromPeerId, toPeerId, replayTimeoutSecs } = procedure.data;
    this.tables.downgradedRegions.add(regionId);
    if (procedure.state === 'downgrade-source') {
      const route = await this.tables.store.getRoute(tableId);
      if (route?.[String(regionId)] !== fromPeerId) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Region's leader peer(${route?.[String(regionId)] ?? 'none'}) is not the \`from_peer\`(${fromPeerId}), region: ${regionId}`,
        );
      }
      try {
        await this.callRegion(fromPeerId, { type: 'downgrade', regionId }, clients);
      } catch (error) {
        if (asTesseraError(error).code !== ErrorCode.RegionNotFound) throw error;
        // The source restarted and has not opened the region (nobody may while it migrates):
        // opening replays its WAL, so the downgrade's flush takes the unflushed rows along.
        await this.callRegion(fromPeerId, { type: 'open', regionId }, clients, replayTimeoutSecs * 1000);
        await this.callRegion(fromPeerId, { type: 'downgrade', regionId }, clients);
      }
      const source = await this.statistics(fromPeerId, regionId, clients);
      if (source.memtableRows > 0) {
        throw new TesseraError(
          ErrorCode.Unexpected,
          `Region ${regionId} on datanode ${fromPeerId} still holds ${source.memtableRows} unflushed rows after its downgrade`,
        );
      }
      procedure = await this.advance(
        { ...procedure, data: { ...procedure.data, sourceFlushedSequence: source.flushedSequence } },
        'open-target',
      );
      await faultPoint('region-migration:after-downgrade', this.logger);
    }
    await this.callRegion(toPeerId, { type: 'open', regionId }, clients, replayTimeoutSecs * 1000);
    const target = await this.statistics(toPeerId, regionId, clients);
    const expected = procedure.data.sourceFlushedSequence ?? 0;
    if (target.flushedSequence < expected) {
      throw new TesseraError(
        ErrorCode.Unexpected,
        `Region ${regionId} opened on datanode ${toPeerId} at flushed sequence ${target.flushedSequence}, behind the source's ${expected}`,
      );
    }
    procedure = await this.advance(procedure, 'update-route');
    await faultPoint('region-migration:after-open-target', this.logger);
    return procedure;
  }

  /** Undoes a migration whose route has not moved: the target closes the region, the source takes writes again. */
  private async rollback(data: MigrateRegionData, clients: Map<string, RpcClient>): Promise<void> {
    const { regionId, fromPeerId, toPeerId } = data;
    this.tables.downgradedRegions.delete(regionId);
    const steps: Array<[number, WireRegionRequest]> = [
      [toPeerId, { type: 'close', regionId }],
      [fromPeerId, { type: 'upgrade', regionId }],
    ];
    for (const [nodeId, request] of steps) {
      try {
        await this.callRegion(nodeId, request, clients);
      } catch (error) {
        // Not open there (a restarted source opens it writable anyway), or the node is gone.
        if (asTesseraError(error).code === ErrorCode.RegionNotFound) continue;
        this.logger.warn('region.migration-rollback-failed', {
          regionId,
          nodeId,
          request: request.type,
          error: asTesseraError(error).message,
        });
      }
    }
  }

  private advance(
    procedure: ProcedureRecord<MigrateRegionData>,
    state: MigrationStep,
  ): Promise<ProcedureRecord<MigrateRegionData>> {
    return this.tables.procedures.advance(procedure, state);
  }

  private async statistics(
    nodeId: number,
    regionId: number,
    clients: Map<string, RpcClient>,
  ): Promise<WireRegionStatistics> {
    const client = this.clientOf(nodeId, clients);
    const { regions } = await client.call(
      regionStatistics,
      { regionIds: [regionId] },
      { deadlineMs: regionCallDeadlineMs },
    );
    return regions[0]!;
  }

  /** One region request on a datanode; retryable refusals are tried again for a few seconds. */
  private async callRegion(
    nodeId: number,
    request: WireRegionRequest,
    clients: Map<string, RpcClient>,
    deadlineMs = regionCallDeadlineMs,
  ): Promise<void> {
    const giveUpAt = Date.now() + retryWindowMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      try {
        await this.clientOf(nodeId, clients).call(regionHandle, request, { deadlineMs });
        return;
      } catch (error) {
        const failure = asTesseraError(error);
        if (!failure.retryable || Date.now() + delay > giveUpAt) {
          throw new TesseraError(
            failure.code,
            `Region ${request.regionId} refused '${request.type}' on datanode ${nodeId}: ${failure.message}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private clientOf(nodeId: number, clients: Map<string, RpcClient>): RpcClient {
    const node = this.datanode(nodeId);
    if (!node) throw new TesseraError(ErrorCode.NodeNotFound, `Datanode ${nodeId} is not registered`);
    let client = clients.get(node.addr);
    if (!client) {
      client = new RpcClient({ url: node.addr, token: this.token, logger: this.logger });
      clients.set(node.addr, client);
    }
    return client;
  }

  private datanode(nodeId: number): NodeInfo | undefined {
    return this.registry.list().find((node) => node.role === 'datanode' && node.nodeId === nodeId);
  }
}
