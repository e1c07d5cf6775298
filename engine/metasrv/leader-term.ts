/**
 * One stretch of leadership: what a metasrv loads and runs only while it leads (GreptimeDB's
 * leader start/stop). `begin` reads the node registry, the region routes and procedure holds
 * from the store, serves heartbeats, DDL and migrations, and resumes the procedures a previous
 * leader left half done; `end` stops all of it. A metasrv that leads again begins a new term
 * from the store, so nothing a deposed term kept in memory outlives it.
 */
import type { Logger } from '../common/index.ts';
import { heartbeat, registerNode, reportNodeExit } from '../rpc/index.ts';
import { serveTables } from './catalog/serve-tables.ts';
import { TableDdl } from './catalog/table-ddl.ts';
import { TableMetadataStore } from './catalog/table-metadata.ts';
import { grantLeaseHandler } from './heartbeat/grant-lease.ts';
import { runHeartbeatChain } from './heartbeat/heartbeat-handler.ts';
import type { HeartbeatHandler } from './heartbeat/heartbeat-handler.ts';
import { ProcedureHolds } from './heartbeat/procedure-holds.ts';
import { recordLivenessHandler } from './heartbeat/record-liveness.ts';
import { RegionAssignments } from './heartbeat/region-assignments.ts';
import { regionLeaseHandler } from './heartbeat/region-lease.ts';
import type { KvBackend } from './kv/index.ts';
import { RegionMigrations, serveMigrations } from './migration/index.ts';
import { NodeRegistry } from './node-registry.ts';
import { TermMethods } from './term-methods.ts';
import type { ServingTerm } from './term-methods.ts';

export interface LeaderTermSettings {
  kv: KvBackend;
  token: string;
  logger: Logger;
  heartbeatIntervalMs: number;
  leaseMs: number;
  /**
   * Set when this leader took over from another (etcd election): nodes count as alive from
   * then until their lease would lapse, and procedures resume once every node heartbeated
   * this term or lapsed (`NodeRegistry.load`).
   */
  graceFrom?: number;
}

export class LeaderTerm implements ServingTerm {
  readonly registry: NodeRegistry;
  readonly methods: TermMethods;
  private readonly abort = new AbortController();
  private readonly expiryTimer: NodeJS.Timeout;
  private readonly tables: TableDdl;
  private readonly watched: readonly { close(): void }[];

  private constructor(
    registry: NodeRegistry,
    methods: TermMethods,
    expiryTimer: NodeJS.Timeout,
    tables: TableDdl,
    watched: readonly { close(): void }[],
  ) {
    this.registry = registry;
    this.methods = methods;
    this.expiryTimer = expiryTimer;
    this.tables = tables;
    this.watched = watched;
  }

  /** Aborted when the term ends. */
  get ended(): AbortSignal {
    return this.abort.signal;
  }

  static async begin(settings: LeaderTermSettings): Promise<LeaderTerm> {
    const { kv, token, logger, heartbeatIntervalMs, leaseMs } = settings;
    const registry = await NodeRegistry.load(
      kv,
      logger,
      settings.graceFrom === undefined ? {} : { graceFrom: settings.graceFrom },
    );
    // Loaded before serving, so the first heartbeat already gets its region leases.
    const assignments = await RegionAssignments.load(kv, { logger, settleMs: leaseMs });
    const holds = await ProcedureHolds.load(kv);
    const heartbeatHandlers: readonly HeartbeatHandler[] = [
      recordLivenessHandler,
      grantLeaseHandler,
      regionLeaseHandler(assignments, holds),
    ];
    const methods = new TermMethods();
    methods.handle(registerNode, async (request) => {
      const nodeId = await registry.register(request, Date.now());
      return { nodeId, heartbeatIntervalMs, leaseMs };
    });
    methods.handle(heartbeat, async (request) =>
      runHeartbeatChain(heartbeatHandlers, { registry, leaseMs, now: Date.now() }, request),
    );
    methods.handle(reportNodeExit, async (request) => {
      registry.reportExit(request.role, request.nodeId, request.pid, request.reason);
      return {};
    });

    // Checking a few times per heartbeat interval marks a silent node down soon after its
    // lease lapses, not up to a whole interval later.
    const expiryTimer = setInterval(
      () => registry.expireLeases(leaseMs, Date.now()),
      Math.max(50, Math.floor(heartbeatIntervalMs / 4)),
    );
    expiryTimer.unref();

    const tables = new TableDdl(new TableMetadataStore(kv), registry, token, logger);
    serveTables(methods, tables);
    // Before resuming: a migration a previous metasrv left half done resumes like DDL.
    serveMigrations(methods, new RegionMigrations(tables, registry, token, logger), tables.procedures, tables.store);
    const term = new LeaderTerm(registry, methods, expiryTimer, tables, [assignments, holds]);
    void term.resume(logger);
    return term;
  }

  /** Stops serving as leader: timers, watches, the DDL queue, and every stream of the term. */
  async end(): Promise<void> {
    this.abort.abort();
    clearInterval(this.expiryTimer);
    for (const watch of this.watched) watch.close();
    await this.tables.close();
  }

  /** DDL a previous leader left half done (it died mid-way) finishes once its datanodes are back. */
  private async resume(logger: Logger): Promise<void> {
    try {
      // Nodes counted alive on trust might be gone: wait until each heartbeated or lapsed.
      while (this.registry.unconfirmedCount() > 0 && !this.ended.aborted) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      if (this.ended.aborted) return;
      await this.tables.resumeProcedures();
    } catch (error) {
      logger.error('procedure.resume-failed', { error });
    }
  }
}
