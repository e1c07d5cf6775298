/**
 * A node's session with metasrv: register (learning or confirming its id), then heartbeat
 * on the interval metasrv asks for, holding the lease each answer grants. Shared by
 * datanodes and frontends. When metasrv is unreachable the session keeps trying; when
 * metasrv no longer knows this incarnation it registers again.
 */
import { availableParallelism, hostname, totalmem } from 'node:os';
import { ErrorCode, TESSERA_VERSION, asTesseraError } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import type { RpcClient } from '../rpc-client.ts';
import { heartbeat, registerNode } from './metasrv-api.ts';
import type { HeartbeatResponse, NodeRole, NodeStats } from './metasrv-api.ts';

export interface NodeSessionOptions {
  client: RpcClient;
  role: NodeRole;
  /** The id this node had before (from its data home), if any. */
  nodeId?: number;
  addr: string;
  logger: Logger;
  /** Called once the node's id is known, before the first heartbeat: persist it here. */
  onRegistered?: (nodeId: number) => Promise<void> | void;
  /** Extra stats (region count); process stats are filled in here. */
  regionCount?: () => number;
  /** A datanode's open regions, reported on every heartbeat so metasrv can grant their leases. */
  regionIds?: () => number[];
  /**
   * Called with each answer metasrv gives a known incarnation, after the node lease is renewed;
   * `sentAt` is when the heartbeat left, the start of every lease the answer grants.
   */
  onHeartbeat?: (response: HeartbeatResponse, sentAt: number) => void;
}

export class NodeSession {
  readonly startedAt = Date.now();
  private readonly options: NodeSessionOptions;
  private nodeIdValue: number | undefined;
  private leaseUntilValue = 0;
  private intervalMs = 2000;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private registered = false;
  private lastCpu = process.cpuUsage();
  private lastCpuAt = Date.now();

  constructor(options: NodeSessionOptions) {
    this.options = options;
    this.nodeIdValue = options.nodeId;
  }

  get nodeId(): number | undefined {
    return this.nodeIdValue;
  }

  /** Epoch ms until which this node holds its lease (0 when it holds none). */
  get leaseUntil(): number {
    return this.leaseUntilValue;
  }

  /** Registers (retrying until metasrv answers or `stop`), then heartbeats in the background. */
  async start(): Promise<number> {
    while (!this.stopped) {
      try {
        await this.register();
        this.schedule(0);
        return this.nodeIdValue!;
      } catch (error) {
        const failure = asTesseraError(error);
        // A refused token or a malformed metasrv address will not get better by retrying.
        if (failure.code === ErrorCode.AuthFailed || failure.code === ErrorCode.InvalidArguments) throw failure;
        this.options.logger.warn('metasrv.register-failed', { error: failure });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    throw asTesseraError(new Error(`${this.options.role} session stopped before registering`));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async register(): Promise<void> {
    const response = await this.options.client.call(
      registerNode,
      {
        role: this.options.role,
        ...(this.nodeIdValue === undefined ? {} : { nodeId: this.nodeIdValue }),
        addr: this.options.addr,
        version: TESSERA_VERSION,
        hostname: hostname(),
        pid: process.pid,
        startedAt: this.startedAt,
      },
      { deadlineMs: 5000 },
    );
    if (this.nodeIdValue !== response.nodeId) {
      this.nodeIdValue = response.nodeId;
    }
    await this.options.onRegistered?.(response.nodeId);
    this.intervalMs = response.heartbeatIntervalMs;
    this.registered = true;
    this.options.logger.info('metasrv.registered', { nodeId: response.nodeId, leaseMs: response.leaseMs });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.beat(), delayMs);
  }

  private async beat(): Promise<void> {
    const sentAt = Date.now();
    let nextInMs = this.intervalMs;
    try {
      if (!this.registered) await this.register();
      const regionIds = this.options.regionIds?.();
      const response = await this.options.client.call(
        heartbeat,
        {
          role: this.options.role,
          nodeId: this.nodeIdValue!,
          startedAt: this.startedAt,
          stats: this.stats(),
          ...(regionIds === undefined ? {} : { regionIds }),
        },
        { deadlineMs: this.intervalMs },
      );
      if (response.known) {
        // Counted from when the heartbeat left, so this node's lease ends before metasrv's view of it.
        this.leaseUntilValue = sentAt + response.leaseMs;
        this.options.onHeartbeat?.(response, sentAt);
      } else {
        this.registered = false;
        // Soon, not an interval later: a newly elected metasrv leader knows no incarnation
        // yet, and this node's lease must be renewed well before it lapses.
        nextInMs = 100;
        this.options.logger.warn('metasrv.unknown-incarnation', { nodeId: this.nodeIdValue });
      }
    } catch (error) {
      // Sooner than an interval: metasrv may be failing over to another leader.
      nextInMs = Math.floor(this.intervalMs / 4);
      this.options.logger.warn('metasrv.heartbeat-failed', { error: asTesseraError(error) });
    }
    this.schedule(Math.max(0, nextInMs - (Date.now() - sentAt)));
  }

  private stats(): NodeStats {
    const now = Date.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMs = Math.max(1, now - this.lastCpuAt);
    this.lastCpu = process.cpuUsage();
    this.lastCpuAt = now;
    const memory = process.memoryUsage();
    return {
      regionCount: this.options.regionCount?.() ?? 0,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      uptimeMs: now - this.startedAt,
      cpuUsage: (cpu.user + cpu.system) / 1000 / elapsedMs,
      totalCpuMillicores: availableParallelism() * 1000,
      totalMemoryBytes: totalmem(),
    };
  }
}
