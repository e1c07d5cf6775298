/**
 * "Standard Parquet that other tools read": SSTs are written by parquet-wasm (the Rust `parquet`
 * crate) and read back here by hyparquet, an independent pure-JS implementation that shares no
 * code with it, and which sees every value, the statistics and the metadata the same way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ColumnType } from '../region-schema.ts';
import { SstMetadataKey } from './sst-meta.ts';
import { allTypesRows, allTypesSchema, batchOf, hex, type Cell } from './sst-test-fixtures.ts';
import { writeSst } from './sst-writer.ts';

/** hyparquet's value as the fixtures' cell (raw parsers keep timestamps and dates exact). */
function normalize(type: ColumnType, value: unknown): Cell | number {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return hex(value);
  if (type.kind === 'decimal128') return value as number; // hyparquet makes decimals doubles
  if (type.kind === 'int64' || type.kind === 'uint64' || type.kind === 'timestamp') return BigInt(value as bigint);
  return value as Cell;
}

const rawParsers = {
  timestampFromMilliseconds: (value: bigint) => value,
  timestampFromMicroseconds: (value: bigint) => value,
  timestampFromNanoseconds: (value: bigint) => value,
  dateFromDays: (days: number) => days,
};

for (const compression of ['zstd', 'snappy'] as const) {
  test(`hyparquet reads every value of a ${compression} SST as written`, async () => {
    const schema = allTypesSchema('ns');
    const rows = allTypesRows(5, 400, 1_700_000_000_123_456_789n, 1_000_000_007n);
    const { bytes } = await writeSst(schema, [batchOf(schema, rows)], { rowGroupRows: 700, compression });
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const objects = (await parquetReadObjects({ file, compressors, parsers: rawParsers, utf8: false })) as Record<
      string,
      unknown
    >[];
    assert.equal(objects.length, 2000);
    for (const column of schema.columns) {
      const expected = rows.get(column.name)!;
      const actual = objects.map((row) => normalize(column.type, row[column.name]));
      if (column.type.kind === 'decimal128') {
        const scale = 10 ** column.type.scale;
        actual.forEach((value, i) => {
          const want = expected[i] === null ? null : Number(expected[i]) / scale;
          if (want === null) assert.equal(value, null);
          else
            assert.ok(Math.abs((value as number) - want) <= Math.abs(want) * 1e-12 + 1e-9, `${column.name} row ${i}`);
        });
      } else {
        assert.deepEqual(actual, expected, `values of ${column.name}`);
      }
    }
  });
}

test('hyparquet sees the row groups, statistics and Tessera metadata of an SST', async () => {
  const schema = allTypesSchema('us');
  const rows = allTypesRows(3, 300, 1_700_000_000_000_000n, 10_000_000n);
  const { bytes, meta } = await writeSst(schema, [batchOf(schema, rows)], { rowGroupRows: 256 });
  const footer = parquetMetadata(bytes, { parsers: rawParsers });
  assert.equal(Number(footer.num_rows), 900);
  assert.equal(footer.row_groups.length, meta.rowGroups.length);
  const keys = new Map((footer.key_value_metadata ?? []).map((kv) => [kv.key, kv.value]));
  assert.deepEqual(JSON.parse(keys.get(SstMetadataKey.regionSchema)!), schema);
  assert.ok(keys.has('ARROW:schema'));
  const tsIndex = schema.columns.findIndex((c) => c.name === 'ts');
  footer.row_groups.forEach((group, i) => {
    const stats = group.columns[tsIndex]!.meta_data!.statistics!;
    assert.equal(stats.min_value, meta.rowGroups[i]!.timeMin);
    assert.equal(stats.max_value, meta.rowGroups[i]!.timeMax);
    const host = group.columns[0]!.meta_data!;
    assert.ok(host.encodings.includes('RLE_DICTIONARY'), 'tags are dictionary-encoded');
    assert.equal(host.codec, 'ZSTD');
    const time = group.columns[tsIndex]!.meta_data!;
    assert.ok(time.encodings.includes('DELTA_BINARY_PACKED'), 'the time index is delta-encoded');
  });
  // Column ids become the standard schema field_id.
  const i64 = footer.schema.find((element) => element.name === 'f_i64')!;
  assert.equal(i64.field_id, 24);
});
