/**
 * The server half of `rpc.bench.ts`, in its own process so the figures include a real
 * process boundary. Reports its url over IPC; exits with its parent.
 */
import type { RecordBatch } from 'apache-arrow';
import { createLogger } from '../engine/common/index.ts';
import { RpcServer } from '../engine/rpc/index.ts';
import { events, makeScanBatch, ping, scan, write } from './rpc-methods.ts';

const token = process.argv[2] ?? 'bench-token';
const server = await RpcServer.listen({ token, logger: createLogger({ role: 'bench-peer', level: 'warn' }) });

server.handle(ping, async (request) => ({ n: request.n }));

// Built once per shape, so the stream measures transport, not batch construction.
const built = new Map<string, RecordBatch[]>();
server.handleStream(scan, async function* scanBatches(request) {
  const key = `${request.rows}/${request.batchRows}`;
  let batches = built.get(key);
  if (batches === undefined) {
    batches = [];
    for (let offset = 0; offset < request.rows; offset += request.batchRows) {
      batches.push(makeScanBatch(offset, Math.min(request.batchRows, request.rows - offset)));
    }
    built.set(key, batches);
  }
  yield* batches;
});

server.handleStream(events, async function* eventItems(request) {
  for (let seq = 0; seq < request.count; seq++) yield { seq, node: 'datanode-1' };
});

server.handle(write, async (_request, context) => ({ rows: context.data?.numRows ?? 0 }));

process.on('disconnect', () => process.exit(0));
process.send?.({ url: server.url });
