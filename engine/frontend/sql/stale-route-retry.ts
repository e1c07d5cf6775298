/**
 * Refresh-and-retry for reads (DESIGN §3): a query planned over a cached route can meet a
 * region that is gone (its table was dropped and made again) or a datanode that answers no
 * more at that address (it came back elsewhere) in the moment between a change and the cache
 * hearing of it. Such a failure drops the cached routes and runs the query once more over
 * routes fresh from metasrv. Only reads are retried: running them twice changes nothing.
 */
import { ErrorCode, asTesseraError } from '../../common/index.ts';
import type { RpcClient } from '../../rpc/index.ts';
import { invalidateRoutes } from './table-catalog.ts';

const staleRouteCodes: ReadonlySet<number> = new Set([
  ErrorCode.RegionNotFound,
  ErrorCode.ConnectionRefused,
  ErrorCode.ConnectionLost,
  ErrorCode.NodeNotFound,
  ErrorCode.NodeDown,
]);

export async function retryOnStaleRoute<T>(metasrv: RpcClient, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!staleRouteCodes.has(asTesseraError(error).code)) throw error;
    invalidateRoutes(metasrv);
    return read();
  }
}
