/**
 * The WAL payload of one put or delete: the rows as an Arrow IPC stream, with the op type and
 * the first sequence in front, so replay restores exactly what the memtable was given.
 *
 *   u8  format (1)
 *   u8  op type (OpType: 0 delete, 1 put)
 *   u16 0, u32 0      padding, so the sequence is 8-byte aligned
 *   f64 first sequence (an integer < 2**53; rows take consecutive sequences)
 *   …   Arrow IPC stream of one record batch
 *
 * The WAL checksums and frames entries; this layer only has to be decodable. A new layout
 * takes a new format number and keeps reading this one.
 */

import type { RecordBatch } from 'apache-arrow';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { OpType } from '../merge/index.ts';

/** A decoded WAL payload. */
export interface Mutation {
  opType: 'put' | 'delete';
  firstSequence: number;
  batches: RecordBatch[];
}

const formatVersion = 1;
const headerBytes = 16;

/**
 * Encodes one mutation as a WAL payload. `ipc`, when given, is an IPC stream holding exactly
 * `batch` (the bytes it arrived in, engine/common `ipcSourceOf`), used as it is instead of
 * encoding the batch again; a stream without the end-of-stream marker decodes the same.
 */
export function encodeMutation(
  opType: 'put' | 'delete',
  firstSequence: number,
  batch: RecordBatch,
  ipc: Uint8Array = tableToIPC(new Table([batch]), 'stream'),
): Uint8Array {
  const payload = new Uint8Array(headerBytes + ipc.length);
  const view = new DataView(payload.buffer);
  view.setUint8(0, formatVersion);
  view.setUint8(1, opType === 'put' ? OpType.Put : OpType.Delete);
  view.setFloat64(8, firstSequence, true);
  payload.set(ipc, headerBytes);
  return payload;
}

/** Decodes a WAL payload; throws `StorageCorrupted` naming the region and entry when it is not one. */
export function decodeMutation(payload: Uint8Array, regionId: number, entryId: number): Mutation {
  const bad = (problem: string, cause?: unknown): TesseraError =>
    new TesseraError(
      ErrorCode.StorageCorrupted,
      `WAL entry ${entryId} of region ${regionId} is not a mutation: ${problem}`,
      cause === undefined ? {} : { cause },
    );
  if (payload.length < headerBytes) throw bad(`${payload.length} bytes is shorter than the ${headerBytes}-byte header`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const format = view.getUint8(0);
  if (format !== formatVersion) throw bad(`format ${format}, this build reads ${formatVersion}`);
  const op = view.getUint8(1);
  if (op !== OpType.Put && op !== OpType.Delete) throw bad(`op type ${op}`);
  const firstSequence = view.getFloat64(8, true);
  if (!Number.isSafeInteger(firstSequence) || firstSequence < 0) throw bad(`first sequence ${firstSequence}`);
  let table: Table;
  try {
    // Copy: WAL replay payloads are views into a whole segment's buffer.
    table = tableFromIPC(payload.slice(headerBytes));
  } catch (error) {
    throw bad(`its Arrow IPC does not decode (${(error as Error).message})`, error);
  }
  return { opType: op === OpType.Put ? 'put' : 'delete', firstSequence, batches: table.batches };
}
