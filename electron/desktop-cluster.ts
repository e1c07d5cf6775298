/**
 * The cluster as the desktop app sees it: starts the local cluster (engine/cluster) in its
 * data home, turns what happens to datanode processes into events for the renderer (a
 * crash, a datanode ready again after its restart), answers the renderer's cluster actions,
 * and keeps a status snapshot. Datanode processes are watched by wrapping the launcher, so
 * the engine needs no hooks for the shell. No Electron here: the tests drive it under
 * plain Node with the Node launcher and a real cluster.
 */
import { startLocalCluster } from '../engine/cluster/index.ts';
import type {
  DatanodeSlot,
  LaunchSpec,
  LaunchedProcess,
  LocalCluster,
  ProcessLauncher,
} from '../engine/cluster/index.ts';
import { createLogger } from '../engine/common/index.ts';
import type { Logger } from '../engine/common/index.ts';
import type {
  DesktopClusterEvent,
  DesktopClusterState,
  DesktopClusterStatus,
  DesktopDatanodeStatus,
} from '../renderer/shared/desktop-api.ts';

export interface DesktopClusterOptions {
  dataHome: string;
  launcher: ProcessLauncher;
  /** Datanode processes to start with. Default 3. */
  datanodes?: number;
  /** The HTTP API and app; default 127.0.0.1:0 (a free port: the app never fights `tessera serve` for 4000). */
  httpAddr?: string;
  logger?: Logger;
  heartbeatIntervalMs?: number;
  leaseMs?: number;
}

/** "datanode-3" → 3: the supervisor names each launch after its slot. */
function slotIndexOf(spec: LaunchSpec): number | undefined {
  const match = /^datanode-(\d+)$/.exec(spec.name);
  return match ? Number(match[1]) : undefined;
}

export class DesktopCluster {
  private readonly options: DesktopClusterOptions;
  private readonly logger: Logger;
  private readonly listeners = new Set<(event: DesktopClusterEvent) => void>();
  private cluster: LocalCluster | undefined;
  private state: DesktopClusterState = 'stopped';
  private error: string | null = null;
  /** Pids that have said they are ready (registered with metasrv). */
  private readonly readyPids = new Set<number>();
  /** Slots whose process the app itself is ending: their exit is not a crash. */
  private readonly endingOnRequest = new Set<number>();
  /** Slots that crashed and have not been ready since: their next ready is a restart. */
  private readonly crashed = new Set<number>();
  private starting: Promise<LocalCluster> | undefined;
  private stopped: Promise<void> | undefined;

  constructor(options: DesktopClusterOptions) {
    this.options = options;
    this.logger = options.logger ?? createLogger({ role: 'desktop' });
  }

  get dataHome(): string {
    return this.options.dataHome;
  }

  get httpUrl(): string | undefined {
    return this.cluster?.httpUrl;
  }

  /** Calls `listener` for every event until the returned function is called. */
  onEvent(listener: (event: DesktopClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the cluster; resolves once every datanode has registered. A failure leaves the state `failed`. */
  async start(): Promise<void> {
    if (this.state !== 'stopped') throw new Error(`The cluster is ${this.state}; it can only start when stopped`);
    this.setState('starting');
    try {
      this.starting = startLocalCluster({
        dataHome: this.options.dataHome,
        datanodes: this.options.datanodes ?? 3,
        httpAddr: this.options.httpAddr ?? '127.0.0.1:0',
        launcher: this.watch(this.options.launcher),
        logger: this.logger,
        ...(this.options.heartbeatIntervalMs === undefined
          ? {}
          : { heartbeatIntervalMs: this.options.heartbeatIntervalMs }),
        ...(this.options.leaseMs === undefined ? {} : { leaseMs: this.options.leaseMs }),
      });
      this.cluster = await this.starting;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.setState('failed');
      throw error;
    }
    // A quit during start has already begun stopping it.
    if (!this.stopped) this.setState('running');
  }

  /**
   * Stops datanodes (each closes its regions and WAL), then the frontend, then metasrv.
   * Safe to call twice, and during `start` (it waits for the start, then stops).
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      // Quitting while the cluster starts: let the start finish, then stop what it started.
      const cluster = this.cluster ?? (await this.starting?.catch(() => undefined));
      if (!cluster) return;
      this.setState('stopping');
      for (const slot of cluster.datanodes) this.endingOnRequest.add(slot.index);
      await cluster.stop();
      this.setState('stopped');
    })();
    return this.stopped;
  }

  status(): DesktopClusterStatus {
    return {
      state: this.state,
      httpUrl: this.cluster?.httpUrl ?? null,
      dataHome: this.options.dataHome,
      launcher: this.options.launcher.name,
      datanodes: (this.cluster?.datanodes ?? []).map((slot) => this.datanodeStatus(slot)),
      error: this.error,
    };
  }

  async addDatanode(): Promise<DesktopClusterStatus> {
    await this.running().addDatanode();
    return this.status();
  }

  async stopDatanode(index: number): Promise<DesktopClusterStatus> {
    const cluster = this.running();
    this.endingOnRequest.add(index);
    try {
      await cluster.stopDatanode(index);
    } finally {
      this.endingOnRequest.delete(index);
    }
    this.emitStatus();
    return this.status();
  }

  async startDatanode(index: number): Promise<DesktopClusterStatus> {
    await this.running().startDatanode(index);
    return this.status();
  }

  /** Stops the datanode's process (cleanly) and starts a new one on the same data home and node id. */
  async restartDatanode(index: number): Promise<DesktopClusterStatus> {
    await this.stopDatanode(index);
    return this.startDatanode(index);
  }

  private running(): LocalCluster {
    if (this.state !== 'running' || !this.cluster) {
      throw new Error(`The cluster is ${this.state}; datanodes can be changed only while it runs`);
    }
    return this.cluster;
  }

  private datanodeStatus(slot: DatanodeSlot): DesktopDatanodeStatus {
    const pid = slot.process && slot.process.pid > 0 ? slot.process.pid : null;
    let state: DesktopDatanodeStatus['state'];
    if (slot.held) state = slot.process ? 'stopping' : 'stopped';
    else if (!slot.process) state = this.state === 'running' ? 'restarting' : 'stopped';
    else if (this.state === 'stopping') state = 'stopping';
    else state = pid !== null && this.readyPids.has(pid) ? 'running' : 'starting';
    return { index: slot.index, nodeId: slot.nodeId ?? null, pid, state, restarts: slot.restarts };
  }

  /** The launcher the cluster gets: the real one, with every datanode process watched. */
  private watch(inner: ProcessLauncher): ProcessLauncher {
    return {
      name: inner.name,
      launch: (spec) => {
        const child = inner.launch(spec);
        const index = slotIndexOf(spec);
        if (index !== undefined) this.follow(index, child);
        return child;
      },
    };
  }

  private follow(index: number, child: LaunchedProcess): void {
    child.onMessage((message) => {
      const ready = message as { type?: unknown; nodeId?: unknown };
      if (ready.type !== 'datanode-ready' || typeof ready.nodeId !== 'number') return;
      this.readyPids.add(child.pid);
      const restarted = this.crashed.delete(index);
      this.emit({ type: 'datanode-ready', index, nodeId: ready.nodeId, pid: child.pid, restarted });
      this.emitStatus();
    });
    void child.exited.then(({ code, signal }) => {
      this.readyPids.delete(child.pid);
      if (!this.endingOnRequest.has(index) && this.state !== 'stopping' && this.state !== 'stopped') {
        this.crashed.add(index);
        const slot = this.cluster?.datanodes[index - 1];
        this.logger.warn('desktop.datanode-crashed', { index, pid: child.pid, code, signal });
        this.emit({
          type: 'datanode-crashed',
          index,
          nodeId: slot?.nodeId ?? null,
          pid: child.pid,
          code,
          signal,
          at: Date.now(),
        });
      }
      // The supervisor updates the slot in its own exit handler; report after it has.
      setImmediate(() => this.emitStatus());
    });
    this.emitStatus();
  }

  private setState(state: DesktopClusterState): void {
    this.state = state;
    this.emitStatus();
  }

  private emitStatus(): void {
    this.emit({ type: 'status', status: this.status() });
  }

  private emit(event: DesktopClusterEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('desktop.event-listener-failed', { type: event.type, error });
      }
    }
  }
}
