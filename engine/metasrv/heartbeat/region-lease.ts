/**
 * Region leases and instructions for a datanode's heartbeat (GreptimeDB's RegionLeaseHandler,
 * with opens as well as closes). From the routes (`RegionAssignments`):
 *
 * - every region routed to the node is granted for `leaseMs`, opened or not, so a region the
 *   frontend opens lazily can take writes; a region left out loses its lease on the node at once;
 * - `open` for a region routed here that the node did not report open;
 * - `close` for a region it reported that no route places here (another node's, or no table's).
 *
 * No instruction touches a region a pending procedure names (`ProcedureHolds`: a CREATE, DROP
 * or migration at work on it, whose steps put regions where the route does not say yet), nor
 * one whose placement changed within the last lease (a route written by hand, or a procedure
 * that just ended, may still be settling). A close is recoverable anyway: it drops nothing (unflushed rows stay in the node's WAL
 * and replay when the region opens there again). Until the routes are loaded nothing is granted
 * and nothing instructed; frontends, and datanodes that report no regions field, get no instructions.
 */
import type { RegionInstruction } from '../../rpc/index.ts';
import type { HeartbeatHandler } from './heartbeat-handler.ts';
import type { ProcedureHolds } from './procedure-holds.ts';
import type { RegionAssignments } from './region-assignments.ts';

export function regionLeaseHandler(assignments: RegionAssignments, holds?: ProcedureHolds): HeartbeatHandler {
  const leftAlone = (regionId: number): boolean => assignments.unsettled(regionId) || (holds?.holds(regionId) ?? false);
  return {
    name: 'region-lease',
    handle(context, request, response) {
      if (request.role !== 'datanode' || !assignments.loaded) return 'continue';
      const granted = assignments.regionsOf(request.nodeId);
      response.regionLeases = { regionIds: granted, leaseMs: context.leaseMs };
      if (request.regionIds === undefined) return 'continue';
      const reported = new Set(request.regionIds);
      const instructions: RegionInstruction[] = [];
      for (const regionId of granted) {
        if (!reported.has(regionId) && !leftAlone(regionId)) instructions.push({ type: 'open', regionId });
      }
      for (const regionId of reported) {
        if (!assignments.isOn(regionId, request.nodeId) && !leftAlone(regionId)) {
          instructions.push({ type: 'close', regionId });
        }
      }
      if (instructions.length > 0) response.instructions = instructions;
      return 'continue';
    },
  };
}
