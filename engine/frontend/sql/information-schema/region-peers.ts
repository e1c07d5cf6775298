/**
 * `information_schema.region_peers`: where each region of each table lives (one leader, no
 * followers); DOWNGRADED when its datanode is down or it is migrating away (docs/region-migration.md).
 */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';
import { tableRegions } from './table-regions.ts';

export const regionPeersTable: SystemTable = {
  name: 'region_peers',
  tableId: 29,
  columns: systemColumns(
    'table_catalog String',
    'table_schema String',
    'table_name String',
    'region_id UInt64',
    'peer_id UInt64?',
    'peer_addr String?',
    'is_leader String?',
    'status String?',
    'down_seconds Int64?',
  ),
  rows: async (context) => {
    const nodes = new Map(
      (await context.clusterNodes()).filter((node) => node.role === 'datanode').map((node) => [node.nodeId, node]),
    );
    return (await tableRegions(context)).map(({ route, regionId, peer }) => {
      const node = peer ? nodes.get(peer.nodeId) : undefined;
      const alive = node !== undefined && node.status === 'alive';
      // A region handing over to another datanode refuses writes: GreptimeDB shows it DOWNGRADED too.
      const downgraded = route.peers.some((candidate) => candidate.regionId === regionId && candidate.downgraded);
      const downSeconds =
        node && !alive && node.lastHeartbeatAt ? Math.floor((context.now - node.lastHeartbeatAt) / 1000) : null;
      return [
        route.info.catalog,
        route.info.schema,
        route.info.name,
        regionId,
        peer?.nodeId ?? null,
        peer?.addr ?? null,
        peer ? 'Yes' : 'No',
        alive && !downgraded ? 'ALIVE' : 'DOWNGRADED',
        downSeconds,
      ];
    });
  },
};
