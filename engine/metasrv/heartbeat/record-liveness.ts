/** Records that the node is alive and keeps its stats; an unknown incarnation ends the chain. */
import type { HeartbeatHandler } from './heartbeat-handler.ts';

export const recordLivenessHandler: HeartbeatHandler = {
  name: 'record-liveness',
  handle(context, request, response) {
    response.known = context.registry.heartbeat(
      request.role,
      request.nodeId,
      request.startedAt,
      request.stats,
      context.now,
    );
    return response.known ? 'continue' : 'done';
  },
};
