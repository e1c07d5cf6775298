/**
 * A child process serving the test methods, so the rpc tests cross a process boundary.
 * Started by `startPeer` in `test-peer.ts`; reports its port over the IPC channel and exits
 * when told to stop or when its parent goes away.
 */
import { createLogger } from '../common/index.ts';
import { RpcServer } from './rpc-server.ts';
import { serveTestMethods } from './test-methods.ts';
import type { PeerConfig, PeerMessage } from './test-peer.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as PeerConfig;
const server = await RpcServer.listen({
  token: config.token,
  ...(config.port === undefined ? {} : { port: config.port }),
  ...(config.pingIntervalMs === undefined ? {} : { pingIntervalMs: config.pingIntervalMs }),
  ...(config.streamHighWaterMarkBytes === undefined
    ? {}
    : { streamHighWaterMarkBytes: config.streamHighWaterMarkBytes }),
  logger: createLogger({ role: 'test-peer', level: 'info' }),
});
serveTestMethods(server);

process.on('message', (message: PeerMessage) => {
  if (message.type === 'stop') void server.close().then(() => process.exit(0));
});
// The parent died or dropped us: never outlive it.
process.on('disconnect', () => process.exit(0));
const ready: PeerMessage = { type: 'listening', port: server.port, url: server.url };
process.send?.(ready);
