/**
 * A named point inside a procedure where a test can stop metasrv dead: when the environment
 * variable `TESSERA_FAULT_PAUSE` names the point, metasrv logs that it got there and waits
 * forever, so the test can `kill -9` it exactly between two persisted steps and check that a
 * restarted metasrv finishes the work. Unset (always, outside such tests) it costs one
 * comparison.
 */
import type { Logger } from '../../common/index.ts';

export async function faultPoint(name: string, logger: Logger): Promise<void> {
  if (process.env.TESSERA_FAULT_PAUSE !== name) return;
  logger.warn('fault.paused', { point: name });
  await new Promise<never>(() => {});
}
