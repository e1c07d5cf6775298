/**
 * Calls to a table's regions from the frontend, opening a region lazily: after a cluster
 * restart a datanode has its regions on disk but none open, so the first request that meets
 * "Region ... is not open" (RegionNotFound) sends `open` to the datanode the route names and
 * retries once. Opening replays the datanode's WAL, so unflushed rows come back.
 */
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, asTesseraError } from '../../common/index.ts';
import { regionHandle, regionQuery, regionScan } from '../../rpc/index.ts';
import type {
  RegionPeer,
  RpcClient,
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

async function openRegion(client: RpcClient, regionId: number): Promise<void> {
  await client.call(regionHandle, { type: 'open', regionId }, { deadlineMs: regionDeadlineMs });
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
    await openRegion(client, peer.regionId);
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
      await openRegion(client, peer.regionId);
    }
  }
}
