/**
 * The regions of the user tables, for `region_peers`, `region_statistics`, `region_info`
 * and `partitions`: taken from each table's route (not assumed to be one), with the region
 * number and the datanode hosting it. Region id = table id << 32 | region number.
 */
import type { TableRoute } from '../../../rpc/index.ts';
import type { SystemContext } from './system-table.ts';

export interface TableRegion {
  route: TableRoute;
  regionId: number;
  regionNumber: number;
  /** The datanode hosting it, when the route names one. */
  peer: { nodeId: number; addr: string } | undefined;
}

export function regionNumberOf(regionId: number): number {
  return regionId % 2 ** 32;
}

/**
 * The regions of every user table. A metric engine logical table stores its rows in its
 * physical table's region but has a region id of its own (as in GreptimeDB), placed with
 * the physical table's first region. Views have none.
 */
export async function tableRegions(context: SystemContext): Promise<TableRegion[]> {
  const regions: TableRegion[] = [];
  const routes = await context.tables();
  const byName = new Map(routes.map((route) => [`${route.info.schema}.${route.info.name}`, route]));
  for (const route of routes) {
    const { info } = route;
    if (info.kind === 'view') continue;
    let peers = new Map(route.peers.map((peer) => [peer.regionId, peer]));
    let regionIds = info.regionIds;
    if (regionIds.length === 0 && info.physicalTable !== undefined) {
      const physical = byName.get(`${info.schema}.${info.physicalTable}`);
      const regionId = info.tableId * 2 ** 32;
      regionIds = [regionId];
      const first = physical?.peers[0];
      peers = new Map(first ? [[regionId, { ...first, regionId }]] : []);
    }
    for (const regionId of regionIds) {
      const peer = peers.get(regionId);
      regions.push({
        route,
        regionId,
        regionNumber: regionNumberOf(regionId),
        peer: peer ? { nodeId: peer.nodeId, addr: peer.addr.replace(/^[a-z]+:\/\//, '') } : undefined,
      });
    }
  }
  return regions;
}
