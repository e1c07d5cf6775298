import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Table, Type, tableFromIPC, tableToIPC, type RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { ColumnType, RegionSchema } from '../region-schema.ts';
import { OpType, mergeSortedRuns, sortedRunSchema, type MergeMode } from '../merge/index.ts';
import {
  cpuSchema,
  pick,
  random,
  referenceMerge,
  rowsOf,
  schemaWith,
  sortRows,
  writeBatch,
  type Row,
} from '../merge/sorted-run-fixtures.ts';
import { Memtable } from './memtable.ts';

const isError = (code: number) => (error: unknown) => error instanceof TesseraError && error.code === code;

const cpuRow = (host: string | null, ts: number | bigint, fields: Partial<Row> = {}): Row => ({
  host,
  region: 'eu',
  ts: BigInt(ts),
  cpu: null,
  mem: null,
  note: null,
  ...fields,
});

/** Rows written as one batch each per `writes` entry, with their sequences and op types attached. */
function writeAll(
  memtable: Memtable,
  writes: Array<{ rows: Row[]; seq: number; op?: 'put' | 'delete'; dictionaryTags?: boolean }>,
): Row[] {
  const written: Row[] = [];
  for (const { rows, seq, op = 'put', dictionaryTags } of writes) {
    memtable.write(writeBatch(memtable.schema, rows, { dictionaryTags }), seq, op);
    rows.forEach((row, i) => {
      const stored = op === 'delete' ? { ...row, cpu: null, mem: null, note: null } : row;
      written.push({ ...stored, __sequence: seq + i, __op_type: op === 'put' ? OpType.Put : OpType.Delete });
    });
  }
  return written;
}

describe('Memtable', () => {
  test('sortedRun returns every version in (primary key, time, sequence desc) order', () => {
    const memtable = new Memtable(cpuSchema());
    const written = writeAll(memtable, [
      {
        rows: [cpuRow('b', 2, { cpu: 1 }), cpuRow('a', 3, { cpu: 2 }), cpuRow('a', 1, { cpu: 3, note: 'x' })],
        seq: 10,
      },
      { rows: [cpuRow('a', 3, { cpu: 4 }), cpuRow(null, 7, { mem: 0.5 })], seq: 20, dictionaryTags: true },
      { rows: [cpuRow('b', 2)], seq: 30, op: 'delete' },
    ]);
    const batches = memtable.sortedRun();
    assert.deepEqual(
      batches[0]!.schema.fields.map((f) => f.name),
      sortedRunSchema(memtable.schema).fields.map((f) => f.name),
    );
    assert.equal(batches[0]!.getChild('host')!.type.typeId, Type.Dictionary);
    assert.deepEqual(rowsOf(batches), sortRows(written, ['host', 'region']));
    assert.deepEqual(
      rowsOf(batches).map((r) => [r.host, r.ts, r.__sequence, r.__op_type]),
      [
        [null, 7n, 21, OpType.Put],
        ['a', 1n, 12, OpType.Put],
        ['a', 3n, 20, OpType.Put],
        ['a', 3n, 11, OpType.Put],
        ['b', 2n, 30, OpType.Delete],
        ['b', 2n, 10, OpType.Put],
      ],
    );
  });

  test('Utf8 and dictionary tags name the same series', () => {
    const memtable = new Memtable(cpuSchema());
    writeAll(memtable, [
      { rows: [cpuRow('a', 1, { cpu: 1 })], seq: 1 },
      { rows: [cpuRow('a', 2, { cpu: 2 })], seq: 2, dictionaryTags: true },
    ]);
    assert.equal(memtable.seriesCount, 1);
  });

  test('many distinct tag values: one series per host, in key order', () => {
    const memtable = new Memtable(cpuSchema());
    const hosts = Array.from({ length: 5000 }, (_, i) => `host_${i}`);
    for (let round = 0; round < 3; round++) {
      writeAll(memtable, [
        {
          rows: hosts.map((host) => cpuRow(host, round, { cpu: round })),
          seq: 1 + round * hosts.length,
          dictionaryTags: round === 1,
        },
      ]);
    }
    assert.equal(memtable.seriesCount, hosts.length);
    const rows = rowsOf(memtable.sortedRun());
    assert.equal(rows.length, 3 * hosts.length);
    assert.deepEqual(
      rows.filter((_, i) => i % 3 === 0).map((r) => r.host),
      hosts.slice().sort(),
    );
  });

  test('projection drops fields only; timeRange is [min, max) in the time unit', () => {
    const memtable = new Memtable(cpuSchema('ns'));
    const big = 1_700_000_000_000_000_000n;
    writeAll(memtable, [
      { rows: [0n, 1n, 2n, 3n].map((i) => cpuRow(`h${i % 2n}`, big + i, { cpu: Number(i), mem: 1 })), seq: 1 },
    ]);
    const batches = memtable.sortedRun({ projection: ['cpu'], timeRange: [big + 1n, big + 3n] });
    assert.deepEqual(
      batches[0]!.schema.fields.map((f) => f.name),
      ['host', 'region', 'ts', 'cpu', '__sequence', '__op_type'],
    );
    assert.deepEqual(
      rowsOf(batches).map((r) => [r.host, r.ts, r.cpu]),
      [
        ['h0', big + 2n, 2],
        ['h1', big + 1n, 1],
      ],
    );
    assert.deepEqual(memtable.sortedRun({ timeRange: [0, 1] }), []);
    assert.equal(rowsOf(memtable.sortedRun({ timeRange: [big, big + 4n] })).length, 4);
    assert.throws(() => memtable.sortedRun({ projection: ['nope'] }), isError(ErrorCode.InvalidArguments));
  });

  test('freeze stops writes but not reads', () => {
    const memtable = new Memtable(cpuSchema());
    writeAll(memtable, [{ rows: [cpuRow('a', 1, { cpu: 1 })], seq: 1 }]);
    memtable.freeze();
    assert.equal(memtable.frozen, true);
    assert.throws(
      () => memtable.write(writeBatch(memtable.schema, [cpuRow('a', 2)]), 2, 'put'),
      isError(ErrorCode.MemtableFrozen),
    );
    assert.equal(rowsOf(memtable.sortedRun()).length, 1);
    assert.equal(memtable.rows, 1);
  });

  test('tracks rows, series, time range, max sequence and bytes', () => {
    const memtable = new Memtable(cpuSchema());
    assert.deepEqual(memtable.stats(), {
      rows: 0,
      estimatedBytes: memtable.estimatedBytes,
      series: 0,
      minTime: undefined,
      maxTime: undefined,
      maxSequence: -1,
      frozen: false,
    });
    const empty = memtable.estimatedBytes;
    writeAll(memtable, [
      { rows: [cpuRow('a', 5), cpuRow('b', -3)], seq: 100 },
      { rows: [cpuRow('a', 9)], seq: 7, op: 'delete' },
    ]);
    const stats = memtable.stats();
    assert.equal(stats.rows, 3);
    assert.equal(stats.series, 2);
    assert.equal(stats.minTime, -3n);
    assert.equal(stats.maxTime, 9n);
    assert.equal(stats.maxSequence, 101);
    assert.ok(stats.estimatedBytes > empty);
  });

  test('a sorted run is not changed by later writes, and the cached order is refreshed', () => {
    const memtable = new Memtable(cpuSchema());
    writeAll(memtable, [{ rows: [cpuRow('b', 1, { cpu: 1 })], seq: 1 }]);
    const first = memtable.sortedRun();
    const before = rowsOf(first);
    for (let i = 0; i < 3000; i++) writeAll(memtable, [{ rows: [cpuRow('a', i, { cpu: i })], seq: 2 + i }]);
    assert.deepEqual(rowsOf(first), before);
    const rows = rowsOf(memtable.sortedRun());
    assert.equal(rows.length, 3001);
    assert.equal(rows[0]!.host, 'a');
    assert.equal(rows[3000]!.host, 'b');
  });

  test('rows written out of time order come back sorted', () => {
    const memtable = new Memtable(cpuSchema());
    const next = random(3);
    const written: Row[] = [];
    let seq = 1;
    for (let w = 0; w < 20; w++) {
      const rows = Array.from({ length: 50 }, () =>
        cpuRow(`h${Math.floor(next() * 3)}`, Math.floor(next() * 40), { cpu: next() }),
      );
      written.push(...writeAll(memtable, [{ rows, seq }]));
      seq += rows.length;
    }
    assert.deepEqual(rowsOf(memtable.sortedRun({ batchRows: 97 })), sortRows(written, ['host', 'region']));
  });

  test('rejects batches that do not fit the schema, writing nothing', () => {
    const schema = cpuSchema();
    const memtable = new Memtable(schema);
    const invalid = isError(ErrorCode.InvalidArguments);
    const other = cpuSchema('s');
    assert.throws(() => memtable.write(writeBatch(other, [cpuRow('a', 1)]), 1, 'put'), invalid);
    const extra: RegionSchema = {
      version: 2,
      columns: [
        ...schema.columns,
        { name: 'x', type: { kind: 'int32' }, semantic: 'field', nullable: true, columnId: 9 },
      ],
    };
    assert.throws(() => memtable.write(writeBatch(extra, [cpuRow('a', 1)]), 1, 'put'), invalid);
    assert.throws(
      () => memtable.write(writeBatch(schema, [cpuRow('a', 1)], { columns: ['host', 'cpu'] }), 1, 'put'),
      invalid,
    );
    assert.throws(() => memtable.write(writeBatch(schema, [cpuRow('a', 1)]), -1, 'put'), invalid);
    assert.throws(() => memtable.write(writeBatch(schema, [cpuRow('a', 1)]), 2 ** 53, 'put'), invalid);
    assert.throws(() => memtable.write(writeBatch(schema, [cpuRow('a', 1)]), 1.5, 'put'), invalid);
    assert.throws(() => memtable.write(writeBatch(schema, [cpuRow('a', 1)]), 1, 'upsert' as 'put'), invalid);
    assert.equal(memtable.rows, 0);
    // Missing nullable columns are null.
    memtable.write(writeBatch(schema, [cpuRow('a', 1, { cpu: 2 })], { columns: ['host', 'ts', 'cpu'] }), 1, 'put');
    assert.deepEqual(pick(rowsOf(memtable.sortedRun()), ['host', 'region', 'cpu', 'mem']), [
      { host: 'a', region: null, cpu: 2, mem: null },
    ]);
  });

  test('deletes need only tags and time index; their fields are null', () => {
    const memtable = new Memtable(cpuSchema());
    memtable.write(writeBatch(memtable.schema, [cpuRow('a', 1)], { columns: ['host', 'region', 'ts'] }), 5, 'delete');
    memtable.write(writeBatch(memtable.schema, [cpuRow('a', 1, { cpu: 3, note: 'x' })]), 6, 'delete');
    assert.deepEqual(pick(rowsOf(memtable.sortedRun()), ['host', 'cpu', 'note', '__sequence', '__op_type']), [
      { host: 'a', cpu: null, note: null, __sequence: 6, __op_type: OpType.Delete },
      { host: 'a', cpu: null, note: null, __sequence: 5, __op_type: OpType.Delete },
    ]);
  });

  test('every column type round-trips, nulls included, and the run survives Arrow IPC', () => {
    const types: ColumnType[] = [
      { kind: 'boolean' },
      { kind: 'int8' },
      { kind: 'int16' },
      { kind: 'int32' },
      { kind: 'int64' },
      { kind: 'uint8' },
      { kind: 'uint16' },
      { kind: 'uint32' },
      { kind: 'uint64' },
      { kind: 'float32' },
      { kind: 'float64' },
      { kind: 'string' },
      { kind: 'binary' },
      { kind: 'date' },
      { kind: 'timestamp', unit: 'us' },
    ];
    const values: unknown[][] = [
      [true, false, null],
      [-5, 7, null],
      [-300, 300, null],
      [-70000, 70000, null],
      [-(2n ** 40n), 2n ** 62n, null],
      [0, 255, null],
      [0, 65535, null],
      [0, 4294967295, null],
      [0n, 2n ** 64n - 1n, null],
      [1.5, -2.25, null],
      [Math.PI, -0, null],
      ['x', '', null],
      [new Uint8Array([1, 0, 2]), new Uint8Array([]), null],
      [19000, -1, null],
      [1n, -(2n ** 60n), null],
    ];
    for (const tagType of [
      { kind: 'string' },
      { kind: 'int64' },
      { kind: 'boolean' },
      { kind: 'binary' },
      { kind: 'float64' },
    ] as ColumnType[]) {
      const schema = schemaWith(tagType, types);
      const tagValues = {
        string: ['b', 'a', null],
        int64: [3n, -3n, null],
        boolean: [true, false, null],
        binary: [new Uint8Array([2]), new Uint8Array([1]), null],
        float64: [2.5, -1, null],
      }[tagType.kind as 'string'];
      const rows: Row[] = [0, 1, 2].map((i) => {
        const row: Row = { k: tagValues[i], ts: BigInt(i) };
        types.forEach((_, f) => (row[`f${f}`] = values[f]![i]));
        return row;
      });
      const memtable = new Memtable(schema);
      memtable.write(writeBatch(schema, rows, { dictionaryTags: tagType.kind === 'string' }), 1, 'put');
      const batches = memtable.sortedRun();
      const expected = rowsOf([writeBatch(schema, rows)]).reverse();
      assert.deepEqual(pick(rowsOf(batches), Object.keys(expected[0]!)), expected, tagType.kind);
      const back = tableFromIPC(tableToIPC(new Table(batches)));
      assert.deepEqual(rowsOf(back.batches), rowsOf(batches), tagType.kind);
    }
  });

  test('a region without tags keeps one series', () => {
    const schema: RegionSchema = {
      version: 1,
      columns: [
        { name: 'ts', type: { kind: 'timestamp', unit: 's' }, semantic: 'timestamp', nullable: false, columnId: 1 },
        { name: 'v', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 2 },
      ],
    };
    const memtable = new Memtable(schema);
    memtable.write(
      writeBatch(schema, [
        { ts: 2n, v: 1 },
        { ts: 1n, v: 2 },
      ]),
      1,
      'put',
    );
    assert.equal(memtable.seriesCount, 1);
    assert.deepEqual(pick(rowsOf(memtable.sortedRun()), ['ts', 'v']), [
      { ts: 1n, v: 2 },
      { ts: 2n, v: 1 },
    ]);
  });

  for (const mode of ['last_row', 'last_non_null', 'append'] as MergeMode[]) {
    test(`randomized: memtables merged (${mode}) match the reference model`, async () => {
      const schema = cpuSchema();
      for (let seed = 1; seed <= 15; seed++) {
        const next = random(seed);
        const memtables = [new Memtable(schema), new Memtable(schema), new Memtable(schema)];
        const written: Row[] = [];
        let seq = 1;
        for (let w = 0; w < 30; w++) {
          const memtable = memtables[Math.floor(next() * memtables.length)]!;
          const op = mode !== 'append' && next() < 0.25 ? 'delete' : 'put';
          const rows = Array.from({ length: 1 + Math.floor(next() * 8) }, () =>
            cpuRow(next() < 0.1 ? null : `h${Math.floor(next() * 4)}`, Math.floor(next() * 6), {
              cpu: next() < 0.3 ? null : Math.floor(next() * 100),
              note: next() < 0.5 ? null : `n${Math.floor(next() * 3)}`,
            }),
          );
          written.push(...writeAll(memtable, [{ rows, seq, op, dictionaryTags: next() < 0.5 }]));
          seq += rows.length;
        }
        const runs = memtables.map((memtable) => memtable.sortedRun({ batchRows: 1 + Math.floor(next() * 10) }));
        const out: Row[] = [];
        for await (const batch of mergeSortedRuns(runs, { schema, mode, batchRows: 7 }))
          out.push(...rowsOf([batch as RecordBatch]));
        const expected = referenceMerge(written, { tags: ['host', 'region'], fields: ['cpu', 'mem', 'note'], mode });
        const columns = ['host', 'region', 'ts', 'cpu', 'mem', 'note'];
        assert.deepEqual(pick(out, columns), pick(expected, columns), `seed ${seed}`);
      }
    });
  }
});
