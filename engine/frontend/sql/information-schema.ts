/**
 * The `information_schema` tables the frontend answers from cluster state, with GreptimeDB's
 * columns (DESIGN §7), built per query from metasrv's view so they are never stale. Today:
 * `cluster_info`; `region_peers`, `partitions` and `region_statistics` join with tables.
 */
import { availableParallelism, totalmem } from 'node:os';
import { memoryTable } from '../../query/index.ts';
import type { MemoryTable } from '../../query/index.ts';
import type { NodeInfo } from '../../rpc/index.ts';

/** GreptimeDB's humantime style: "1h 2m 3s", down to whole seconds ("0s" below one). */
export function formatDuration(ms: number): string {
  let seconds = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  if (seconds > 0 || parts.length === 0) parts.push(`${seconds}s`);
  return parts.join(' ');
}

/** `information_schema.cluster_info`: one row per node, metasrv first. */
export function clusterInfoTable(nodes: readonly NodeInfo[], now: number): MemoryTable {
  const column = <T>(pick: (node: NodeInfo) => T): T[] => nodes.map(pick);
  // metasrv does not heartbeat; it describes the host it runs on, which is this one in a local cluster.
  const stats = (node: NodeInfo) => (node.role === 'metasrv' ? undefined : node.stats);
  return memoryTable([
    {
      name: 'peer_id',
      type: 'Int64',
      values: column((node) => (node.role === 'metasrv' ? -1 : node.nodeId)),
      nullable: false,
    },
    { name: 'peer_type', type: 'Utf8', values: column((node) => node.role.toUpperCase()), nullable: false },
    { name: 'peer_addr', type: 'Utf8', values: column((node) => node.addr.replace(/^[a-z]+:\/\//, '')) },
    { name: 'peer_hostname', type: 'Utf8', values: column((node) => node.hostname || null) },
    {
      name: 'total_cpu_millicores',
      type: 'Int64',
      values: column(
        (node) => stats(node)?.totalCpuMillicores ?? (node.role === 'metasrv' ? availableParallelism() * 1000 : 0),
      ),
      nullable: false,
    },
    {
      name: 'total_memory_bytes',
      type: 'Int64',
      values: column((node) => stats(node)?.totalMemoryBytes ?? (node.role === 'metasrv' ? totalmem() : 0)),
      nullable: false,
    },
    {
      name: 'cpu_usage_millicores',
      type: 'Int64',
      values: column((node) => Math.round((stats(node)?.cpuUsage ?? 0) * 1000)),
      nullable: false,
    },
    {
      name: 'memory_usage_bytes',
      type: 'Int64',
      values: column((node) => stats(node)?.rssBytes ?? 0),
      nullable: false,
    },
    { name: 'version', type: 'Utf8', values: column((node) => node.version), nullable: false },
    { name: 'git_commit', type: 'Utf8', values: column(() => ''), nullable: false },
    { name: 'start_time', type: 'Timestamp(Millisecond, None)', values: column((node) => node.startedAt || null) },
    {
      name: 'uptime',
      type: 'Utf8',
      values: column((node) => (node.startedAt ? formatDuration(now - node.startedAt) : null)),
    },
    {
      name: 'active_time',
      type: 'Utf8',
      values: column((node) =>
        node.role === 'metasrv' || !node.lastHeartbeatAt ? null : `${formatDuration(now - node.lastHeartbeatAt)} ago`,
      ),
    },
    {
      name: 'node_status',
      type: 'Utf8',
      values: column((node) =>
        node.role === 'metasrv'
          ? null
          : JSON.stringify({ status: node.status, ...(node.downReason ? { reason: node.downReason } : {}) }),
      ),
    },
  ]);
}
