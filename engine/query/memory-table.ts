/**
 * In-memory tables: a `TableProvider` over RecordBatches held in memory, for tests and for
 * virtual tables such as information_schema, and a `MemoryCatalog` that names them.
 */
import { RecordBatch, Schema, makeData, Struct } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { arrowSchema, columnFromValues, columnsBatch, emptyValues } from './column.ts';
import type { SqlType } from './data-type.ts';
import type { CatalogProvider, ScanRequest, TableProvider, TableSchema } from './table-provider.ts';

/** A table over fixed batches. Scans honour projection and limit; filters are left to the engine. */
export class MemoryTable implements TableProvider {
  readonly schema: TableSchema;
  readonly #batches: RecordBatch[];

  constructor(schema: TableSchema, batches: RecordBatch[]) {
    this.schema = schema;
    this.#batches = batches;
  }

  async *scan(request: ScanRequest): AsyncIterable<RecordBatch> {
    let remaining = request.limit ?? Infinity;
    for (const batch of this.#batches) {
      if (remaining <= 0 || request.signal?.aborted) return;
      let out = request.projection === null ? batch : projectBatch(batch, request.projection);
      if (out.numRows > remaining) out = out.slice(0, remaining);
      remaining -= out.numRows;
      yield out;
    }
  }
}

function projectBatch(batch: RecordBatch, projection: number[]): RecordBatch {
  const fields = projection.map((index) => batch.schema.fields[index]);
  const schema = new Schema(fields, batch.schema.metadata);
  const children = projection.map((index) => batch.data.children[index] as Data);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children }));
}

/** A catalog of named tables, keyed by `catalog.schema.table`. */
export class MemoryCatalog implements CatalogProvider {
  readonly #tables = new Map<string, TableProvider>();

  /** Registers `table` as `name` (`t`, `db.t` or `catalog.db.t`; defaults greptime.public). */
  register(name: string, table: TableProvider): this {
    const parts = name.split('.');
    while (parts.length < 3) parts.unshift(parts.length === 2 ? 'greptime' : 'public');
    this.#tables.set(parts.join('.'), table);
    return this;
  }

  table(catalog: string, schema: string, table: string): TableProvider | undefined {
    return this.#tables.get(`${catalog}.${schema}.${table}`);
  }
}

/** One column of `memoryTable`: a name, an engine type and its values (null for NULL). */
export interface MemoryColumn {
  name: string;
  type: SqlType;
  /** 64-bit values past 2^53 as bigints. */
  values: (number | bigint | string | boolean | null)[];
  nullable?: boolean;
}

/**
 * A `MemoryTable` from plain values, cut into batches of `batchSize` rows. Timestamps are
 * numbers in the type's unit.
 */
export function memoryTable(
  columns: MemoryColumn[],
  options: { timeIndex?: string | null; tags?: string[]; batchSize?: number } = {},
): MemoryTable {
  const fields = columns.map((column) => ({
    relation: null,
    name: column.name,
    type: column.type,
    nullable: column.nullable ?? true,
  }));
  const schema = arrowSchema(fields);
  const length = columns[0]?.values.length ?? 0;
  const batchSize = options.batchSize ?? 8192;
  const batches: RecordBatch[] = [];
  for (let start = 0; start < length || (start === 0 && batches.length === 0 && length === 0); start += batchSize) {
    const rows = Math.min(batchSize, length - start);
    const chunk = columns.map((column) => {
      const values = emptyValues(column.type, rows);
      let valid: Uint8Array | null = null;
      for (let i = 0; i < rows; i++) {
        const value = column.values[start + i];
        if (typeof value === 'bigint') return columnFromValues(column.type, column.values.slice(start, start + rows));
        if (value === null || value === undefined) {
          valid ??= new Uint8Array(rows).fill(1);
          valid[i] = 0;
        } else if (values !== null) (values as unknown[])[i] = column.type === 'Boolean' ? (value ? 1 : 0) : value;
      }
      return { type: column.type, length: rows, values, valid };
    });
    batches.push(columnsBatch(schema, { columns: chunk, length: rows }));
    if (length === 0) break;
  }
  return new MemoryTable({ arrow: schema, timeIndex: options.timeIndex ?? null, tags: options.tags ?? [] }, batches);
}
