/**
 * This datanode's per-region leases (GreptimeDB's RegionAliveKeeper, minus the closing: metasrv
 * sends `close` itself). Each heartbeat answer lists every region metasrv lets this node write,
 * for `leaseMs` counted from when the heartbeat was *sent*, like the node lease, so this node
 * always believes a lease ends before metasrv does. A region the answer leaves out loses its
 * lease at once: its route now names another node, or none.
 *
 * A region this node has just created (only metasrv creates regions, right after writing their
 * route) holds a lease until the node lease ends, so an INSERT right after CREATE TABLE does not
 * wait for a heartbeat; an answer to a heartbeat sent before the create may predate the route
 * and does not take that lease away.
 *
 * Until an answer has carried region leases at all (a metasrv that does not hand them out),
 * the node lease alone covers every region.
 */
import type { RegionLeases as GrantedRegionLeases } from '../rpc/index.ts';

interface Lease {
  until: number;
  /** When the lease was granted by a create (epoch ms), or undefined when a heartbeat granted it. */
  createdAt: number | undefined;
}

export class RegionLeases {
  private readonly leases = new Map<number, Lease>();
  private regionLeasesSeen = false;

  /** Whether the region may be written at `now`. */
  holds(regionId: number, now = Date.now()): boolean {
    if (!this.regionLeasesSeen) return true;
    const lease = this.leases.get(regionId);
    return lease !== undefined && now < lease.until;
  }

  /** Epoch ms the region's lease ends (0 when it holds none). */
  until(regionId: number): number {
    return this.leases.get(regionId)?.until ?? 0;
  }

  /** metasrv created or upgraded the region here at `now`; it may be written until `nodeLeaseUntil`. */
  grantCreated(regionId: number, nodeLeaseUntil: number, now = Date.now()): void {
    const current = this.leases.get(regionId);
    if (current !== undefined && current.until >= nodeLeaseUntil) return;
    this.leases.set(regionId, { until: nodeLeaseUntil, createdAt: now });
  }

  /**
   * Applies a heartbeat answer: the granted regions get `sentAt + leaseMs`, the rest lose their
   * lease (except those created after `sentAt`). An answer without leases changes nothing.
   */
  applyHeartbeat(sentAt: number, granted: GrantedRegionLeases | undefined): void {
    if (granted === undefined) return;
    this.regionLeasesSeen = true;
    const until = sentAt + granted.leaseMs;
    const grantedIds = new Set(granted.regionIds);
    for (const [regionId, lease] of this.leases) {
      if (grantedIds.has(regionId)) continue;
      if (lease.createdAt !== undefined && lease.createdAt >= sentAt) continue;
      this.leases.delete(regionId);
    }
    for (const regionId of grantedIds) {
      const current = this.leases.get(regionId);
      // A create's lease may already reach further than this answer's; keep the longer one.
      if (current !== undefined && current.until > until) continue;
      this.leases.set(regionId, { until, createdAt: undefined });
    }
  }
}
