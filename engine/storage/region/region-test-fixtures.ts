/**
 * Helpers for the region engine's tests (not exported from index.ts): a small cpu schema,
 * batches from rows, engines on temporary directories, and scans read back as plain rows.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { batchOf, rowsOf, writeBatch, type Row } from '../merge/sorted-run-fixtures.ts';
import { LocalObjectStore, type ObjectStore } from '../object-store/index.ts';
import type { RegionSchema } from '../region-schema.ts';
import { sortedRunSchema } from '../merge/index.ts';
import type { ScanRequest } from './region-request.ts';
import { StorageEngine, type StorageEngineOptions } from './storage-engine.ts';

export type { Row };

/** Tags host, dc; time index ts (ms); fields cpu (float64), mem (int64), note (string). */
export function testSchema(): RegionSchema {
  return {
    version: 1,
    columns: [
      { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 1 },
      { name: 'dc', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 2 },
      { name: 'ts', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 3 },
      { name: 'cpu', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 4 },
      { name: 'mem', type: { kind: 'int64' }, semantic: 'field', nullable: true, columnId: 5 },
      { name: 'note', type: { kind: 'string' }, semantic: 'field', nullable: true, columnId: 6 },
    ],
  };
}

/** A put batch of `schema` from rows (missing values null); tags as plain Utf8. */
export function rowsBatch(schema: RegionSchema, rows: readonly Row[], columns?: string[]): RecordBatch {
  return writeBatch(schema, rows, columns === undefined ? {} : { columns });
}

/** A delete batch: the key columns only. */
export function keysBatch(schema: RegionSchema, rows: readonly Row[]): RecordBatch {
  const keys = schema.columns.filter((c) => c.semantic !== 'field').map((c) => c.name);
  return writeBatch(schema, rows, { columns: keys });
}

export { batchOf, sortedRunSchema };

/** Every row a scan returns, as plain values (tags as strings, 64-bit as bigint). */
export async function scanRows(engine: StorageEngine, regionId: number, request: ScanRequest = {}): Promise<Row[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of engine.scan(regionId, request)) batches.push(batch);
  return rowsOf(batches);
}

/** A temporary directory, removed by `cleanup`. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `tessera-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** An engine on `<dir>/<name>` with a local object store at `<dir>/store` (fsync off: tests). */
export async function openTestEngine(
  dir: string,
  options: Partial<StorageEngineOptions> & { name?: string; store?: ObjectStore } = {},
): Promise<{ engine: StorageEngine; store: ObjectStore }> {
  const store = options.store ?? (await LocalObjectStore.open(join(dir, 'store'), { fsync: false }));
  const engine = await StorageEngine.open({
    dataHome: join(dir, options.name ?? 'node'),
    objectStore: store,
    walSync: false,
    autoCompaction: false,
    ...options,
  });
  return { engine, store };
}
