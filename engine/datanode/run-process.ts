/**
 * Runs a datanode as the whole process: starts it, tells a parent supervisor it is ready
 * (over the fork IPC channel, when there is one), and stops cleanly on SIGINT/SIGTERM.
 * A datanode forked by a local cluster exits when its parent goes away, so a killed
 * `tessera serve` leaves no orphans.
 */
import { asTesseraError, createLogger } from '../common/index.ts';
import { Datanode } from './datanode.ts';
import type { DatanodeOptions } from './datanode.ts';

/** Sent to the parent over IPC once the datanode has registered. */
export interface DatanodeReadyMessage {
  type: 'datanode-ready';
  nodeId: number;
  url: string;
}

export async function runDatanodeProcess(options: DatanodeOptions): Promise<void> {
  const logger = options.logger ?? createLogger({ role: 'datanode' });
  let datanode: Datanode | undefined;
  let stopping = false;
  const stop = async (reason: string, exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('datanode.stopping', { reason });
    try {
      await datanode?.stop();
    } catch (error) {
      logger.error('datanode.stop-failed', { error: asTesseraError(error) });
      exitCode = 1;
    }
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  if (process.send) process.on('disconnect', () => void stop('parent process went away', 0));

  try {
    datanode = await Datanode.start({ ...options, logger });
  } catch (error) {
    logger.error('datanode.start-failed', { error: asTesseraError(error) });
    process.exit(1);
  }
  if (stopping) return;
  const ready: DatanodeReadyMessage = { type: 'datanode-ready', nodeId: datanode.nodeId, url: datanode.url };
  process.send?.(ready);
}
