/**
 * `information_schema.cluster_info`: one row per node metasrv knows, metasrv first, with
 * GreptimeDB's columns (DESIGN §7).
 */
import { availableParallelism, totalmem } from 'node:os';
import type { NodeInfo } from '../../../rpc/index.ts';
import { systemColumns } from './system-table.ts';
import type { SystemRow, SystemTable } from './system-table.ts';

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

/** GreptimeDB's MetasrvStatus: whether this metasrv leads (null from a metasrv that does not say). */
function metasrvStatus(node: NodeInfo): string | null {
  return node.leader === undefined ? null : JSON.stringify({ is_leader: node.leader });
}

export function clusterInfoRow(node: NodeInfo, now: number): SystemRow {
  const isMetasrv = node.role === 'metasrv';
  // metasrv does not heartbeat; it describes the host it runs on, which is this one in a local cluster.
  const stats = isMetasrv ? undefined : node.stats;
  return [
    isMetasrv ? -1 : node.nodeId,
    node.role.toUpperCase(),
    node.addr.replace(/^[a-z]+:\/\//, ''),
    node.hostname || null,
    stats?.totalCpuMillicores ?? (isMetasrv ? availableParallelism() * 1000 : 0),
    stats?.totalMemoryBytes ?? (isMetasrv ? totalmem() : 0),
    Math.round((stats?.cpuUsage ?? 0) * 1000),
    stats?.rssBytes ?? 0,
    node.version,
    '',
    node.startedAt || null,
    node.startedAt ? formatDuration(now - node.startedAt) : null,
    isMetasrv || !node.lastHeartbeatAt ? null : `${formatDuration(now - node.lastHeartbeatAt)} ago`,
    isMetasrv
      ? metasrvStatus(node)
      : JSON.stringify({ status: node.status, ...(node.downReason ? { reason: node.downReason } : {}) }),
  ];
}

export const clusterInfoTable: SystemTable = {
  name: 'cluster_info',
  tableId: 31,
  columns: systemColumns(
    'peer_id Int64',
    'peer_type String',
    'peer_addr String?',
    'peer_hostname String?',
    'total_cpu_millicores Int64',
    'total_memory_bytes Int64',
    'cpu_usage_millicores Int64',
    'memory_usage_bytes Int64',
    'version String',
    'git_commit String',
    'start_time TimestampMillisecond?',
    'uptime String?',
    'active_time String?',
    'node_status String?',
  ),
  rows: async (context) => (await context.clusterNodes()).map((node) => clusterInfoRow(node, context.now)),
};
