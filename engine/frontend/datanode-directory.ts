/**
 * The frontend's view of the datanodes: who is alive (from metasrv), one rpc client per
 * datanode (kept open), and where a region is open. Until metasrv keeps region routes
 * (the distributed-tables issue), a region is found by asking the live datanodes.
 */
import { ErrorCode, TesseraError, asTesseraError } from '../common/index.ts';
import { RpcClient, clusterInfo, regionStatistics } from '../rpc/index.ts';
import type { WireRegionStatistics } from '../rpc/index.ts';

export class DatanodeDirectory {
  /** Also for callers that must look a route up again (a write meeting a moved region). */
  readonly metasrv: RpcClient;
  private readonly token: string;
  private readonly clients = new Map<string, RpcClient>();

  constructor(metasrv: RpcClient, token: string) {
    this.metasrv = metasrv;
    this.token = token;
  }

  /** The rpc client of every alive datanode, by node id. */
  async alive(): Promise<Map<number, RpcClient>> {
    const { nodes } = await this.metasrv.call(clusterInfo, {}, { deadlineMs: 5000 });
    const alive = new Map<number, RpcClient>();
    for (const node of nodes) {
      if (node.role === 'datanode' && node.status === 'alive') alive.set(node.nodeId, this.client(node.addr));
    }
    return alive;
  }

  /** The datanode where `regionId` is open; RegionNotFound when none has it. */
  async locateRegion(regionId: number): Promise<{ nodeId: number; client: RpcClient }> {
    for (const [nodeId, client] of await this.alive()) {
      try {
        await client.call(regionStatistics, { regionIds: [regionId] }, { deadlineMs: 5000 });
        return { nodeId, client };
      } catch (error) {
        if (asTesseraError(error).code !== ErrorCode.RegionNotFound) throw error;
      }
    }
    throw new TesseraError(ErrorCode.RegionNotFound, `Region ${regionId} is not open on any alive datanode`);
  }

  /**
   * The counters of every region open on the alive datanodes (information_schema's
   * region_statistics). A datanode that does not answer in time is left out, not an error:
   * a listing should not fail because one node is slow.
   */
  async regionStatistics(): Promise<WireRegionStatistics[]> {
    const answers = await Promise.allSettled(
      [...(await this.alive()).values()].map((client) => client.call(regionStatistics, {}, { deadlineMs: 5000 })),
    );
    return answers.flatMap((answer) => (answer.status === 'fulfilled' ? answer.value.regions : []));
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }

  /** The rpc client of the datanode at `addr` (one per address, kept open). */
  clientOf(addr: string): RpcClient {
    return this.client(addr);
  }

  private client(addr: string): RpcClient {
    let client = this.clients.get(addr);
    if (!client) {
      client = new RpcClient({ url: addr, token: this.token });
      this.clients.set(addr, client);
    }
    return client;
  }
}
