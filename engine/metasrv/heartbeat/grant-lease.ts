/**
 * Grants the node a lease of `leaseMs`. The node counts it from when it sent the heartbeat,
 * which is earlier than when metasrv received it, so the node's view of its lease always
 * ends before metasrv's: metasrv never hands a region to another node while this one still
 * believes it may write.
 */
import type { HeartbeatHandler } from './heartbeat-handler.ts';

export const grantLeaseHandler: HeartbeatHandler = {
  name: 'grant-lease',
  handle(context, _request, response) {
    response.leaseMs = context.leaseMs;
    return 'continue';
  },
};
