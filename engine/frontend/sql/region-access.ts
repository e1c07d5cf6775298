/**
 * Calls to a table's regions from the frontend, opening a region lazily: after a cluster
 * restart a datanode has its regions on disk but none open, so the first request that meets
 * "Region ... is not open" (RegionNotFound) sends `open` to the datanode the route names and
 * retries once. Opening replays the datanode's WAL, so unflushed rows come back. A region
 * whose route names another datanode by then (it migrated) is not opened.
 */
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, asTesseraError } from '../../common/index.ts';
import { regionHandle, regionQuery, regionRoute, regionScan } from '../../rpc/index.ts';
import type {
  RegionPeer,
  StreamMethod,
  WireRegionQueryRequest,
  WireRegionRequest,
  WireRegionScanRequest,
} from '../../rpc/index.ts';
import type { DatanodeDirectory } from '../datanode-directory.ts';

const regionDeadlineMs = 60_000;

function isNotOpen(error: unknown): boolean {
  return asTesseraError(error).code === ErrorCode.RegionNotFound;
}

/**
 * Opens the region on the peer's datanode, unless its route has moved on (a migration closed
 * it there after the caller's route was read) or a migration of it is under way (only the
 * migration opens it then): it stays closed, and `notOpen` goes to the caller, whose retry
 * reads the route again (stale-route-retry.ts, region-write-retry.ts).
 */
export async function openRegionIfRoutedHere(
  datanodes: DatanodeDirectory,
  peer: RegionPeer,
  notOpen: unknown,
): Promise<void> {
  const route = await datanodes.metasrv.call(regionRoute, { regionId: peer.regionId }, { deadlineMs: 10_000 });
  if (route.migrating || (route.nodeId !== undefined && route.nodeId !== peer.nodeId)) throw notOpen;
  await datanodes
    .clientOf(peer.addr)
    .call(regionHandle, { type: 'open', regionId: peer.regionId }, { deadlineMs: regionDeadlineMs });
}

/** One region request on the peer's datanode (rows as `data`); returns the affected rows. */
export async function handleRegion(
  datanodes: DatanodeDirectory,
  peer: RegionPeer,
  request: WireRegionRequest,
  data?: RecordBatch,
): Promise<number> {
  const client = datanodes.clientOf(peer.addr);
  const options = { deadlineMs: regionDeadlineMs, ...(data ? { data } : {}) };
  try {
    return (await client.call(regionHandle, request, options)).affectedRows;
  } catch (error) {
    if (!isNotOpen(error) || request.type === 'open') throw error;
    await openRegionIfRoutedHere(datanodes, peer, error);
    return (await client.call(regionHandle, request, options)).affectedRows;
  }
}

/** Streams a region scan from the peer's datanode; the region is opened first if it must be. */
export function scanRegion(
  datanodes: DatanodeDirectory,
  peer: RegionPeer,
  request: WireRegionScanRequest,
  signal: AbortSignal | undefined,
): AsyncIterable<RecordBatch> {
  return streamFromRegion(datanodes, peer, regionScan, request, signal);
}

/** Runs a plan fragment on the peer's region (MergeScan); the region is opened first if it must be. */
export function queryRegion(
  datanodes: DatanodeDirectory,
  peer: RegionPeer,
  request: WireRegionQueryRequest,
  signal: AbortSignal | undefined,
): AsyncIterable<RecordBatch> {
  return streamFromRegion(datanodes, peer, regionQuery, request, signal);
}

async function* streamFromRegion<Req>(
  datanodes: DatanodeDirectory,
  peer: RegionPeer,
  method: StreamMethod<Req, RecordBatch>,
  request: Req,
  signal: AbortSignal | undefined,
): AsyncIterable<RecordBatch> {
  const client = datanodes.clientOf(peer.addr);
  for (let attempt = 0; ; attempt++) {
    let started = false;
    try {
      for await (const batch of client.stream(method, request, signal ? { signal } : {})) {
        started = true;
        yield batch;
      }
      return;
    } catch (error) {
      if (started || attempt > 0 || !isNotOpen(error)) throw error;
      await openRegionIfRoutedHere(datanodes, peer, error);
    }
  }
}
