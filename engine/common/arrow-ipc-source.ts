/**
 * The Arrow IPC stream a record batch was decoded from, kept beside the batch so a later step
 * that needs the batch as IPC again can reuse those bytes instead of encoding it anew: a put
 * arrives over rpc as an IPC attachment (engine/rpc), and the storage engine logs the same
 * rows to its WAL as IPC (engine/storage). Re-encoding cost ~5% of a datanode's CPU under
 * bulk writes, most of it building the schema message again for every put.
 *
 * The bytes must be a complete stream for exactly this batch (schema, dictionaries, the
 * batch; the end-of-stream marker may be missing), and must not change while the batch lives.
 * A batch derived from another (sliced, projected, cast) has no source of its own.
 */
import type { RecordBatch } from 'apache-arrow';

const sources = new WeakMap<RecordBatch, Uint8Array>();

/** Records that `batch` is exactly what the IPC stream `bytes` holds. */
export function rememberIpcSource(batch: RecordBatch, bytes: Uint8Array): void {
  sources.set(batch, bytes);
}

/** The IPC stream `batch` was decoded from, if it was and it was recorded. */
export function ipcSourceOf(batch: RecordBatch): Uint8Array | undefined {
  return sources.get(batch);
}
