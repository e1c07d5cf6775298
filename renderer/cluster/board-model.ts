/**
 * The cluster board's model: the nodes from `information_schema.cluster_info` and one tile per
 * region, built from `region_peers` (where each region leads), `partitions` (its table and
 * partition expression) and `region_statistics` (rows and bytes). The four results stay Arrow
 * tables; only the nodes and the tiles (a few hundred at most) become objects.
 */
import type { Table } from 'apache-arrow';

export type PeerStatus = 'alive' | 'down' | 'unknown';

export interface ClusterPeer {
  /** GreptimeDB's peer id (metasrv shows -1). */
  id: number;
  /** METASRV, FRONTEND or DATANODE. */
  type: string;
  addr: string;
  hostname: string;
  status: PeerStatus;
  /** Why a node is down, when the server says. */
  statusReason: string | null;
  version: string;
  startTime: number | null;
  uptime: string | null;
  /** Time since the last heartbeat, e.g. "1s ago". */
  activeTime: string | null;
  cpuMillicores: number;
  totalCpuMillicores: number;
  memoryBytes: number;
  totalMemoryBytes: number;
}

export interface RegionTile {
  /** The 64-bit region id in decimal (exact; JS numbers are not). */
  regionId: string;
  tableId: number;
  regionNumber: number;
  schema: string;
  table: string;
  partitionName: string | null;
  /** The partition rule's expression for this region; null for a table with one region. */
  expression: string | null;
  peerId: number;
  peerAddr: string;
  /** ALIVE, or DOWNGRADED while it hands over (refusing writes). */
  status: string;
  rows: number;
  /** On-disk bytes (SSTs, manifest, index) plus the memtable. */
  bytes: number;
  diskBytes: number;
  memtableBytes: number;
  sstBytes: number;
  sstFiles: number;
  indexBytes: number;
  manifestBytes: number;
  /** Whether `region_statistics` had a row for it (false: counts unknown, shown as —). */
  hasStats: boolean;
}

export interface DatanodeColumn {
  peer: ClusterPeer;
  regions: RegionTile[];
  rows: number;
  bytes: number;
}

export interface BoardModel {
  metasrv: ClusterPeer[];
  frontends: ClusterPeer[];
  /** By peer id; a node that leads regions but is missing from cluster_info gets a column too. */
  datanodes: DatanodeColumn[];
  regions: Map<string, RegionTile>;
  /** The databases that have regions, sorted. */
  databases: string[];
  fetchedAt: number;
}

/** The four information_schema results the board reads. */
export interface BoardSources {
  clusterInfo: Table;
  regionPeers: Table;
  partitions: Table;
  regionStatistics: Table;
}

type Cell = (row: number) => unknown;

/** A column's cells by row; a column the server does not have reads as null (other GreptimeDB versions). */
function cells(table: Table, name: string): Cell {
  const vector = table.getChild(name);
  return vector ? (row) => vector.get(row) : () => null;
}

function toNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return 0;
}

function toText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Region ids exceed 2^53, so they are read exactly as bigint and kept as decimal strings. */
export function regionKey(value: unknown): string | null {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return null;
}

/** GreptimeDB packs a region id as table id (high 32 bits) and region number (low 32 bits). */
export function splitRegionId(regionId: string): { tableId: number; regionNumber: number } {
  const id = BigInt(regionId);
  return { tableId: Number(id >> 32n), regionNumber: Number(id & 0xffffffffn) };
}

/** `node_status` is JSON text such as `{"status":"alive"}` or `{"status":"down","reason":"..."}`. */
export function parseNodeStatus(text: string | null, type: string): { status: PeerStatus; reason: string | null } {
  if (text === null) return { status: type === 'METASRV' ? 'alive' : 'unknown', reason: null };
  let status: unknown = text;
  let reason: unknown = null;
  try {
    const parsed = JSON.parse(text) as { status?: unknown; reason?: unknown };
    status = parsed.status;
    reason = parsed.reason ?? null;
  } catch {
    // Plain text status: read it as is.
  }
  const word = String(status).toLowerCase();
  return {
    status: word === 'alive' || word === 'up' ? 'alive' : word === 'down' || word === 'dead' ? 'down' : 'unknown',
    reason: reason === null ? null : String(reason),
  };
}

function readPeers(table: Table): ClusterPeer[] {
  const [id, type, addr, hostname, cpuTotal, memoryTotal, cpu, memory, version, start, uptime, active, status] = [
    'peer_id',
    'peer_type',
    'peer_addr',
    'peer_hostname',
    'total_cpu_millicores',
    'total_memory_bytes',
    'cpu_usage_millicores',
    'memory_usage_bytes',
    'version',
    'start_time',
    'uptime',
    'active_time',
    'node_status',
  ].map((name) => cells(table, name)) as Cell[];
  const peers: ClusterPeer[] = [];
  for (let row = 0; row < table.numRows; row++) {
    const peerType = String(type!(row) ?? '').toUpperCase();
    const { status: peerStatus, reason } = parseNodeStatus(toText(status!(row)), peerType);
    const startTime = start!(row);
    peers.push({
      id: toNumber(id!(row)),
      type: peerType,
      addr: toText(addr!(row)) ?? '',
      hostname: toText(hostname!(row)) ?? '',
      status: peerStatus,
      statusReason: reason,
      version: toText(version!(row)) ?? '',
      startTime: startTime === null || startTime === undefined ? null : toNumber(startTime),
      uptime: toText(uptime!(row)),
      activeTime: toText(active!(row)),
      cpuMillicores: toNumber(cpu!(row)),
      totalCpuMillicores: toNumber(cpuTotal!(row)),
      memoryBytes: toNumber(memory!(row)),
      totalMemoryBytes: toNumber(memoryTotal!(row)),
    });
  }
  return peers;
}

interface PartitionInfo {
  name: string | null;
  expression: string | null;
  schema: string;
  table: string;
}

function readPartitions(table: Table): Map<string, PartitionInfo> {
  const id = cells(table, 'greptime_partition_id');
  const [schema, name, partition, description] = [
    'table_schema',
    'table_name',
    'partition_name',
    'partition_description',
  ].map((column) => cells(table, column)) as Cell[];
  const partitions = new Map<string, PartitionInfo>();
  for (let row = 0; row < table.numRows; row++) {
    const key = regionKey(id(row));
    if (key === null) continue;
    // partition_expression holds only the partition columns; the region's own rule, which is
    // what tells regions apart, is the description (NULL for a table without a rule).
    partitions.set(key, {
      name: toText(partition!(row)),
      expression: toText(description!(row)),
      schema: toText(schema!(row)) ?? '',
      table: toText(name!(row)) ?? '',
    });
  }
  return partitions;
}

interface RegionStats {
  rows: number;
  disk: number;
  memtable: number;
  sst: number;
  sstFiles: number;
  index: number;
  manifest: number;
}

function readStatistics(table: Table): Map<string, RegionStats> {
  const id = cells(table, 'region_id');
  const [rows, disk, memtable, sst, sstFiles, index, manifest] = [
    'region_rows',
    'disk_size',
    'memtable_size',
    'sst_size',
    'sst_num',
    'index_size',
    'manifest_size',
  ].map((column) => cells(table, column)) as Cell[];
  const stats = new Map<string, RegionStats>();
  for (let row = 0; row < table.numRows; row++) {
    const key = regionKey(id(row));
    if (key === null) continue;
    stats.set(key, {
      rows: toNumber(rows!(row)),
      disk: toNumber(disk!(row)),
      memtable: toNumber(memtable!(row)),
      sst: toNumber(sst!(row)),
      sstFiles: toNumber(sstFiles!(row)),
      index: toNumber(index!(row)),
      manifest: toNumber(manifest!(row)),
    });
  }
  return stats;
}

function unknownDatanode(id: number, addr: string): ClusterPeer {
  return {
    id,
    type: 'DATANODE',
    addr,
    hostname: '',
    status: 'unknown',
    statusReason: 'not listed in cluster_info',
    version: '',
    startTime: null,
    uptime: null,
    activeTime: null,
    cpuMillicores: 0,
    totalCpuMillicores: 0,
    memoryBytes: 0,
    totalMemoryBytes: 0,
  };
}

/** Builds the board from the four results. Only leader peers place a tile. */
export function buildBoard(sources: BoardSources, fetchedAt: number): BoardModel {
  const peers = readPeers(sources.clusterInfo);
  const partitions = readPartitions(sources.partitions);
  const stats = readStatistics(sources.regionStatistics);

  const columns = new Map<number, DatanodeColumn>();
  for (const peer of peers) {
    if (peer.type === 'DATANODE') columns.set(peer.id, { peer, regions: [], rows: 0, bytes: 0 });
  }

  const table = sources.regionPeers;
  const [regionId, peerId, peerAddr, leader, status, schema, name] = [
    'region_id',
    'peer_id',
    'peer_addr',
    'is_leader',
    'status',
    'table_schema',
    'table_name',
  ].map((column) => cells(table, column)) as Cell[];
  const regions = new Map<string, RegionTile>();
  for (let row = 0; row < table.numRows; row++) {
    const key = regionKey(regionId!(row));
    const isLeader = leader!(row);
    if (key === null || (isLeader !== null && !/^(yes|true|1)$/i.test(String(isLeader)))) continue;
    const peer = toNumber(peerId!(row));
    const addr = toText(peerAddr!(row)) ?? '';
    const { tableId, regionNumber } = splitRegionId(key);
    const partition = partitions.get(key);
    const stat = stats.get(key);
    const tile: RegionTile = {
      regionId: key,
      tableId,
      regionNumber,
      schema: toText(schema!(row)) ?? partition?.schema ?? '',
      table: toText(name!(row)) ?? partition?.table ?? `table ${tableId}`,
      partitionName: partition?.name ?? null,
      expression: partition?.expression ?? null,
      peerId: peer,
      peerAddr: addr,
      status: (toText(status!(row)) ?? 'ALIVE').toUpperCase(),
      rows: stat?.rows ?? 0,
      bytes: stat ? Math.max(stat.disk, stat.sst + stat.manifest + stat.index) + stat.memtable : 0,
      diskBytes: stat?.disk ?? 0,
      memtableBytes: stat?.memtable ?? 0,
      sstBytes: stat?.sst ?? 0,
      sstFiles: stat?.sstFiles ?? 0,
      indexBytes: stat?.index ?? 0,
      manifestBytes: stat?.manifest ?? 0,
      hasStats: stat !== undefined,
    };
    regions.set(key, tile);
    let column = columns.get(peer);
    if (!column) {
      column = { peer: unknownDatanode(peer, addr), regions: [], rows: 0, bytes: 0 };
      columns.set(peer, column);
    }
    column.regions.push(tile);
    column.rows += tile.rows;
    column.bytes += tile.bytes;
  }

  return {
    metasrv: peers.filter((p) => p.type === 'METASRV'),
    frontends: peers.filter((p) => p.type === 'FRONTEND'),
    datanodes: [...columns.values()].sort((a, b) => a.peer.id - b.peer.id),
    regions,
    databases: [...new Set([...regions.values()].map((r) => r.schema))].sort(),
    fetchedAt,
  };
}
