/** Turning a boolean column into a selection and applying it: one pass, one `take` per column. */
import type { Chunk, Column } from '../column.ts';
import { takeColumn } from '../column.ts';

/** Indices of rows that are valid and true (SQL WHERE semantics: NULL drops the row). */
export function selectionOf(predicate: Column): Uint32Array {
  const length = predicate.length;
  if (predicate.type === 'Null') return new Uint32Array(0);
  const values = predicate.values as Uint8Array;
  const valid = predicate.valid;
  let count = 0;
  for (let i = 0; i < length; i++) if (values[i] === 1 && (valid === null || valid[i] === 1)) count++;
  const selection = new Uint32Array(count);
  let next = 0;
  for (let i = 0; i < length; i++) if (values[i] === 1 && (valid === null || valid[i] === 1)) selection[next++] = i;
  return selection;
}

/** The chunk's rows at `indices`. */
export function takeChunk(chunk: Chunk, indices: Uint32Array | Int32Array): Chunk {
  return { columns: chunk.columns.map((column) => takeColumn(column, indices)), length: indices.length };
}
