/**
 * One region's share of a write, retried while the region moves (docs/region-migration.md).
 * A region handing over to another datanode refuses writes (RegionReadonly); once moved, its
 * old datanode no longer has it open (RegionNotFound) or holds no lease on it (LeaseExpired).
 * Each such refusal means the write was not applied, so it is safe to send again: the cached
 * routes are dropped, the region's route is fetched again, and the write goes to the datanode
 * it names now — at once when that changed, after a backoff otherwise — until `timeoutMs`.
 *
 * A region the fresh route still places on the same datanode and that is not open there (the
 * datanode restarted) is opened once, as `handleRegion` does for other requests. Opening is
 * never tried on a datanode the route has left (that would bring the region up in two places)
 * nor while the region migrates (region-access.ts).
 */
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, asTesseraError } from '../../common/index.ts';
import { regionHandle } from '../../rpc/index.ts';
import type { RegionPeer, TableInfo } from '../../rpc/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';
import { openRegionIfRoutedHere } from './region-access.ts';
import { fetchTable, invalidateRoutes } from './table-catalog.ts';

/** How long a write keeps retrying a region that is moving. */
export const writeRetryTimeoutMs = 10_000;

const regionDeadlineMs = 60_000;

/** Refusals that say the write was not applied and the region may be elsewhere (or soon writable). */
const movingRegionCodes: ReadonlySet<number> = new Set([
  ErrorCode.RegionReadonly,
  ErrorCode.RegionNotReady,
  ErrorCode.RegionBusy,
  ErrorCode.RegionNotFound,
  ErrorCode.LeaseExpired,
]);

/** Puts or deletes `rows` in the peer's region; returns the affected rows. */
export async function writeRegionRows(
  datanodes: DatanodeDirectory,
  info: TableInfo,
  peer: RegionPeer,
  type: 'put' | 'delete',
  rows: RecordBatch,
  timeoutMs = writeRetryTimeoutMs,
): Promise<number> {
  const giveUpAt = Date.now() + timeoutMs;
  let current = peer;
  let openedOn: string | undefined;
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    const client = datanodes.clientOf(current.addr);
    try {
      const reply = await client.call(
        regionHandle,
        { type, regionId: current.regionId },
        { deadlineMs: regionDeadlineMs, data: rows },
      );
      return reply.affectedRows;
    } catch (error) {
      const failure = asTesseraError(error);
      if (!movingRegionCodes.has(failure.code) || Date.now() >= giveUpAt) throw error;
      invalidateRoutes(datanodes.metasrv);
      const table = await fetchTable(datanodes.metasrv, {
        catalog: info.catalog,
        schema: info.schema,
        name: info.name,
      });
      const fresh =
        table?.info.tableId === info.tableId ? table.peers.find((p) => p.regionId === peer.regionId) : undefined;
      if (!fresh) throw error;
      const moved = fresh.nodeId !== current.nodeId || fresh.addr !== current.addr;
      current = fresh;
      if (moved) continue;
      if (failure.code === ErrorCode.RegionNotFound && openedOn !== current.addr) {
        // Still routed here and not open: the datanode restarted and has not opened it yet
        // (not while the region migrates: then the migration opens it, and we wait).
        try {
          await openRegionIfRoutedHere(datanodes, current, error);
          openedOn = current.addr;
          continue;
        } catch (notOpened) {
          if (notOpened !== error) throw notOpened;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(delay, giveUpAt - Date.now()))));
    }
  }
}
