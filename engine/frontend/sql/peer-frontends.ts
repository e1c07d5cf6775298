/**
 * The other frontends of the cluster, as process_list and KILL reach them: their running
 * statements and a way to stop one, over their `/internal/processes` endpoints
 * (`../http/handle-processes.ts`) with the cluster token. A frontend that does not answer is
 * left out of the listing, as GreptimeDB skips a failing node.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { clusterTokenHeader, processesPath } from '../http/handle-processes.ts';
import type { RunningStatement } from './information-schema/system-table.ts';

export interface PeerFrontends {
  /** The statements running on every other frontend. */
  list(): Promise<RunningStatement[]>;
  /** Stops statement `id` on the frontend at `addr` (`host:port`); false when none runs there under it. */
  kill(addr: string, id: number): Promise<boolean>;
}

const deadlineMs = 3000;

export function peerFrontends(
  token: string,
  /** This frontend's `host:port`. */
  self: () => string,
  /** Every frontend's `host:port`. */
  frontends: () => Promise<string[]>,
): PeerFrontends {
  const headers = { [clusterTokenHeader]: token };
  return {
    async list() {
      const others = (await frontends()).filter((addr) => addr !== self());
      const lists = await Promise.all(
        others.map(async (addr) => {
          try {
            const response = await fetch(`http://${addr}${processesPath}`, {
              headers,
              signal: AbortSignal.timeout(deadlineMs),
            });
            if (!response.ok) return [];
            return ((await response.json()) as { processes: RunningStatement[] }).processes;
          } catch {
            return [];
          }
        }),
      );
      return lists.flat();
    },
    async kill(addr, id) {
      let response: Response;
      try {
        response = await fetch(`http://${addr}${processesPath}/kill?id=${id}`, {
          method: 'POST',
          headers,
          signal: AbortSignal.timeout(deadlineMs),
        });
      } catch (error) {
        throw new TesseraError(ErrorCode.Unexpected, `Failed to reach frontend ${addr} to kill process ${id}`, {
          cause: error,
        });
      }
      const body = (await response.json()) as { killed?: boolean; code?: number; error?: string };
      if (!response.ok || body.killed === undefined) {
        throw new TesseraError(body.code ?? ErrorCode.Unexpected, `Frontend ${addr}: ${body.error ?? response.status}`);
      }
      return body.killed;
    },
  };
}
