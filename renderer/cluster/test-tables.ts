/**
 * Arrow tables shaped like a Tessera server's information_schema replies, for the board's
 * unit tests (Arrow's builders are fine here: tests run in Node, not under the app's CSP).
 */
import { Int64, Table, TimestampMillisecond, Uint64, Utf8, vectorFromArray } from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import type { BoardSources } from './board-model.ts';

type Column = [name: string, type: DataType, values: unknown[]];

function table(columns: Column[]): Table {
  const vectors: Record<string, Vector> = {};
  for (const [name, type, values] of columns) vectors[name] = vectorFromArray(values, type);
  return new Table(vectors);
}

export interface TestRegion {
  regionId: bigint;
  peer: number;
  schema?: string;
  table: string;
  expression?: string;
  rows?: number;
  disk?: number;
  memtable?: number;
  status?: string;
  leader?: boolean;
}

export interface TestPeer {
  id: number;
  type: 'METASRV' | 'FRONTEND' | 'DATANODE';
  addr: string;
  status?: string | null;
}

export function testSources(peers: TestPeer[], regions: TestRegion[], withStats = regions): BoardSources {
  const u64 = (values: (number | bigint)[]) => values.map((v) => BigInt(v));
  return {
    clusterInfo: table([
      ['peer_id', new Int64(), u64(peers.map((p) => p.id))],
      ['peer_type', new Utf8(), peers.map((p) => p.type)],
      ['peer_addr', new Utf8(), peers.map((p) => p.addr)],
      ['peer_hostname', new Utf8(), peers.map(() => 'host')],
      ['total_cpu_millicores', new Int64(), peers.map(() => 2000n)],
      ['total_memory_bytes', new Int64(), peers.map(() => 8n << 30n)],
      ['cpu_usage_millicores', new Int64(), peers.map(() => 15n)],
      ['memory_usage_bytes', new Int64(), peers.map(() => 150_000_000n)],
      ['version', new Utf8(), peers.map(() => '0.1.0')],
      ['start_time', new TimestampMillisecond(), peers.map(() => 1_700_000_000_000)],
      ['uptime', new Utf8(), peers.map(() => '5s')],
      ['active_time', new Utf8(), peers.map((p) => (p.type === 'METASRV' ? null : '0s ago'))],
      [
        'node_status',
        new Utf8(),
        peers.map((p) =>
          p.type === 'METASRV' ? null : p.status === undefined ? JSON.stringify({ status: 'alive' }) : p.status,
        ),
      ],
    ]),
    regionPeers: table([
      ['table_catalog', new Utf8(), regions.map(() => 'greptime')],
      ['table_schema', new Utf8(), regions.map((r) => r.schema ?? 'public')],
      ['table_name', new Utf8(), regions.map((r) => r.table)],
      ['region_id', new Uint64(), regions.map((r) => r.regionId)],
      ['peer_id', new Uint64(), u64(regions.map((r) => r.peer))],
      ['peer_addr', new Utf8(), regions.map((r) => `127.0.0.1:${9000 + r.peer}`)],
      ['is_leader', new Utf8(), regions.map((r) => (r.leader === false ? 'No' : 'Yes'))],
      ['status', new Utf8(), regions.map((r) => r.status ?? 'ALIVE')],
    ]),
    partitions: table([
      ['table_schema', new Utf8(), regions.map((r) => r.schema ?? 'public')],
      ['table_name', new Utf8(), regions.map((r) => r.table)],
      ['partition_name', new Utf8(), regions.map((r) => `p${Number(r.regionId & 0xffffffffn)}`)],
      ['partition_expression', new Utf8(), regions.map(() => 'host')],
      ['partition_description', new Utf8(), regions.map((r) => r.expression ?? null)],
      ['greptime_partition_id', new Uint64(), regions.map((r) => r.regionId)],
    ]),
    regionStatistics: table([
      ['region_id', new Uint64(), withStats.map((r) => r.regionId)],
      ['region_rows', new Uint64(), u64(withStats.map((r) => r.rows ?? 0))],
      ['disk_size', new Uint64(), u64(withStats.map((r) => r.disk ?? 0))],
      ['memtable_size', new Uint64(), u64(withStats.map((r) => r.memtable ?? 0))],
      ['sst_size', new Uint64(), u64(withStats.map((r) => r.disk ?? 0))],
      ['sst_num', new Uint64(), u64(withStats.map(() => 1))],
    ]),
  };
}

/** A region id as GreptimeDB packs it. */
export const regionId = (tableId: number, regionNumber: number): bigint =>
  (BigInt(tableId) << 32n) | BigInt(regionNumber);
