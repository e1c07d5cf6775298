/**
 * Tables whose scans a statement's signal stops (KILL, a client that went away). Every batch
 * a scan yields first checks the signal, and a scan gives the event loop a turn every few
 * milliseconds: a query over in-memory rows (`numbers`, information_schema) otherwise runs on
 * microtasks alone and would hold the frontend, so that neither the KILL nor the socket's
 * close could be read until it ended. Region scans also pass the signal on to the datanodes
 * (`region-access.ts`), whose rpc streams cancel the region work.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RecordBatch } from 'apache-arrow';
import type { TableProvider } from '../../query/index.ts';
import type { TableName } from '../../rpc/index.ts';
import { queryCancelledError } from './process-registry.ts';

type LoadTable = (name: TableName) => Promise<TableProvider | undefined>;

/** How long a scan keeps the event loop before giving it a turn. */
const turnMs = 10;

/** Throws the reason the statement was stopped for, as a `TesseraError`. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof Error ? signal.reason : queryCancelledError();
}

async function* checked(batches: AsyncIterable<RecordBatch>, signal: AbortSignal): AsyncIterable<RecordBatch> {
  throwIfCancelled(signal);
  let lastTurn = performance.now();
  for await (const batch of batches) {
    throwIfCancelled(signal);
    yield batch;
    if (performance.now() - lastTurn >= turnMs) {
      await nextTurn();
      lastTurn = performance.now();
    }
    throwIfCancelled(signal);
  }
}

function cancellable(provider: TableProvider, signal: AbortSignal): TableProvider {
  const remote = provider.remote;
  return {
    schema: provider.schema,
    scan: (request) => checked(provider.scan({ ...request, signal: request.signal ?? signal }), signal),
    ...(remote
      ? {
          remote: {
            execute: (plan, filters, requestSignal, metrics) =>
              checked(remote.execute(plan, filters, requestSignal ?? signal, metrics), signal),
            describeRegions: (filters) => remote.describeRegions(filters),
          },
        }
      : {}),
    ...(provider.describe ? { describe: (filters) => provider.describe!(filters) } : {}),
  };
}

/** `load` with every table it returns stopped by `signal`; `load` itself without a signal. */
export function cancellableLoad(load: LoadTable, signal: AbortSignal | undefined): LoadTable {
  if (!signal) return load;
  return async (name) => {
    throwIfCancelled(signal);
    const provider = await load(name);
    return provider && cancellable(provider, signal);
  };
}
