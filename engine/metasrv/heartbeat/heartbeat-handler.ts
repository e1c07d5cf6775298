/**
 * Heartbeats run through an ordered chain of small handlers, each adding its part of the
 * response (liveness first, then the node lease, then region leases and instructions).
 * A handler may stop the chain by returning 'done'.
 */
import type { HeartbeatRequest, HeartbeatResponse } from '../../rpc/index.ts';
import type { NodeRegistry } from '../node-registry.ts';

export interface HeartbeatContext {
  registry: NodeRegistry;
  leaseMs: number;
  now: number;
}

export interface HeartbeatHandler {
  readonly name: string;
  handle(context: HeartbeatContext, request: HeartbeatRequest, response: HeartbeatResponse): 'continue' | 'done';
}

/** Runs the chain in order; the response starts as "unknown node, no lease". */
export function runHeartbeatChain(
  handlers: readonly HeartbeatHandler[],
  context: HeartbeatContext,
  request: HeartbeatRequest,
): HeartbeatResponse {
  const response: HeartbeatResponse = { leaseMs: 0, known: false };
  for (const handler of handlers) {
    if (handler.handle(context, request, response) === 'done') break;
  }
  return response;
}
