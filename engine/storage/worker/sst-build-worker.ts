/**
 * Entry of an SST-building worker thread (started by sst-build-pool.ts): takes one job at a
 * time, builds the SST (sst-build.ts) and hands the bytes back by transfer.
 */

import { parentPort } from 'node:worker_threads';
import { TesseraError } from '../../common/index.ts';
import { batchesFromWire } from './batch-transfer.ts';
import { buildSst } from './sst-build.ts';
import type { SstBuildReply, SstBuildRequest } from './sst-build-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('sst-build-worker.ts runs only as a worker thread');

port.on('message', (request: SstBuildRequest) => {
  void (async () => {
    let reply: SstBuildReply;
    const transfer: ArrayBuffer[] = [];
    try {
      const result = await buildSst({
        schema: request.schema,
        runs: request.runs.map(batchesFromWire),
        ...(request.merge === undefined ? {} : { merge: request.merge }),
        rowGroupRows: request.rowGroupRows,
      });
      if (result.bytes !== undefined) transfer.push(result.bytes.buffer as ArrayBuffer);
      reply = { id: request.id, ok: true, ...result };
    } catch (error) {
      reply = {
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        code: error instanceof TesseraError ? error.code : undefined,
      };
    }
    port.postMessage(reply, transfer);
  })();
});

port.postMessage({ ready: true });
