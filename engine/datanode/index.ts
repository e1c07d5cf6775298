/**
 * datanode: the region server process. Serves rpc, registers with metasrv, heartbeats for
 * its lease; regions and the storage engine arrive with the storage issue.
 */
import { fileURLToPath } from 'node:url';

export { Datanode } from './datanode.ts';
export type { DatanodeOptions } from './datanode.ts';
export { runDatanodeProcess } from './run-process.ts';
export type { DatanodeReadyMessage } from './run-process.ts';

/** The file a supervisor forks to run a datanode process (see main.ts for its arguments). */
export const datanodeEntry: string = fileURLToPath(new URL('./main.ts', import.meta.url));
