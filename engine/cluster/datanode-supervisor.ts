/**
 * Keeps a local cluster's datanodes running. Each slot has its own data home (and so its
 * own node id); when a datanode's process exits unexpectedly the supervisor tells metasrv
 * at once (rather than waiting out the lease), then restarts it with backoff. Stopping
 * sends SIGTERM, waits, and SIGKILLs what is left, so no process outlives the cluster.
 */
import { join } from 'node:path';
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { Logger } from '../common/index.ts';
import { datanodeEntry } from '../datanode/index.ts';
import type { DatanodeReadyMessage } from '../datanode/index.ts';
import type { Metasrv } from '../metasrv/index.ts';
import type { LaunchedProcess, ProcessLauncher } from './process-launcher.ts';

export interface DatanodeSlot {
  /** 1-based position in the cluster; the data home is `<dataHome>/datanode-<index>`. */
  readonly index: number;
  readonly dataHome: string;
  process: LaunchedProcess | undefined;
  nodeId: number | undefined;
  url: string | undefined;
  restarts: number;
  /** Epoch ms when the current process was launched. */
  launchedAt: number;
  /** Stopped on request (`stopSlot`): not restarted until `startSlot`. */
  held: boolean;
}

export interface DatanodeSupervisorOptions {
  launcher: ProcessLauncher;
  metasrv: Metasrv;
  token: string;
  dataHome: string;
  logger: Logger;
  /** How long a datanode may take to register. Default 30 s. */
  startTimeoutMs?: number;
  /** How long `stop` waits after SIGTERM before SIGKILL. Default 10 s. */
  stopTimeoutMs?: number;
}

export class DatanodeSupervisor {
  readonly slots: DatanodeSlot[] = [];
  private readonly options: DatanodeSupervisorOptions;
  private stopping = false;
  /** Every datanode of the cluster shares one object store, so a region can open on any of them. */
  readonly objectStoreDir: string;

  constructor(options: DatanodeSupervisorOptions) {
    this.options = options;
    this.objectStoreDir = join(options.dataHome, 'object-store');
  }

  /** Adds a datanode and waits until it has registered with metasrv. */
  async add(): Promise<DatanodeSlot> {
    const index = this.slots.length + 1;
    const slot: DatanodeSlot = {
      index,
      dataHome: join(this.options.dataHome, `datanode-${index}`),
      process: undefined,
      nodeId: undefined,
      url: undefined,
      restarts: 0,
      launchedAt: 0,
      held: false,
    };
    this.slots.push(slot);
    await this.launch(slot);
    return slot;
  }

  /** Stops every datanode: SIGTERM, then SIGKILL for any still running after the timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((slot) => (slot.process ? this.terminate(slot.process) : undefined)));
  }

  /** Stops one datanode on request and keeps it stopped (metasrv hears of it at once) until `startSlot`. */
  async stopSlot(index: number): Promise<DatanodeSlot> {
    const slot = this.slotAt(index);
    slot.held = true;
    if (slot.process) await this.terminate(slot.process);
    return slot;
  }

  /** Starts a datanode stopped by `stopSlot` and waits until it has registered; a running one is left alone. */
  async startSlot(index: number): Promise<DatanodeSlot> {
    const slot = this.slotAt(index);
    if (!slot.held) return slot;
    slot.held = false;
    slot.restarts = 0;
    if (!slot.process && !this.stopping) await this.launch(slot);
    return slot;
  }

  private slotAt(index: number): DatanodeSlot {
    const slot = this.slots[index - 1];
    if (!Number.isSafeInteger(index) || !slot) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Datanode ${index} is not part of this cluster (it has ${this.slots.length} datanode slots, numbered from 1)`,
      );
    }
    return slot;
  }

  /** SIGTERM, then SIGKILL if the process is still running after the stop timeout. */
  private async terminate(child: LaunchedProcess): Promise<void> {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 10_000);
    await child.exited;
    clearTimeout(timer);
  }

  private launch(slot: DatanodeSlot): Promise<void> {
    const { launcher, metasrv, token, logger } = this.options;
    const child = launcher.launch({
      name: `datanode-${slot.index}`,
      entry: datanodeEntry,
      args: ['--metasrv', metasrv.url, '--data-home', slot.dataHome, '--object-store', this.objectStoreDir],
      env: { TESSERA_CLUSTER_TOKEN: token },
    });
    slot.process = child;
    slot.launchedAt = Date.now();
    logger.info('datanode.launched', { slot: slot.index, pid: child.pid, launcher: launcher.name });

    const ready = new Promise<void>((resolve, reject) => {
      const timeoutMs = this.options.startTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        // A datanode that never registers is killed; its exit restarts it with backoff.
        child.kill('SIGKILL');
        reject(
          new TesseraError(
            ErrorCode.NodeDown,
            `Datanode ${slot.index} (pid ${child.pid}) did not register within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      child.onMessage((message) => {
        const ready = message as Partial<DatanodeReadyMessage>;
        if (ready.type !== 'datanode-ready') return;
        clearTimeout(timer);
        slot.nodeId = ready.nodeId;
        slot.url = ready.url;
        resolve();
      });
      void child.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(
          new TesseraError(
            ErrorCode.NodeDown,
            `Datanode ${slot.index} (pid ${child.pid}) exited while starting (code ${code}, signal ${signal})`,
          ),
        );
      });
    });

    void child.exited.then(({ code, signal }) => this.onExit(slot, child, code, signal));
    return ready;
  }

  private async onExit(
    slot: DatanodeSlot,
    child: LaunchedProcess,
    code: number | null,
    signal: string | null,
  ): Promise<void> {
    if (this.stopping || slot.process !== child) return;
    const { metasrv, logger } = this.options;
    const reason = slot.held
      ? `process ${child.pid} stopped on request`
      : signal
        ? `process ${child.pid} killed by ${signal}`
        : `process ${child.pid} exited with code ${code}`;
    logger.warn('datanode.exited', { slot: slot.index, nodeId: slot.nodeId, reason });
    if (slot.nodeId !== undefined) {
      try {
        metasrv.registry.reportExit('datanode', slot.nodeId, child.pid, reason);
      } catch (error) {
        logger.warn('datanode.report-exit-failed', { nodeId: slot.nodeId, error });
      }
    }
    slot.process = undefined;
    if (slot.held) return;
    // A datanode that ran for a while before dying starts its backoff afresh.
    if (Date.now() - slot.launchedAt > 60_000) slot.restarts = 0;
    // Backoff: 0.5 s, 1 s, 2 s ... capped at 30 s, so a datanode that cannot start does not spin.
    const delayMs = Math.min(30_000, 500 * 2 ** Math.min(slot.restarts, 6));
    slot.restarts += 1;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (this.stopping || slot.held || slot.process) return;
    try {
      await this.launch(slot);
      logger.info('datanode.restarted', { slot: slot.index, nodeId: slot.nodeId, restarts: slot.restarts });
    } catch (error) {
      logger.error('datanode.restart-failed', { slot: slot.index, error });
    }
  }
}
