import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecordBatch } from 'apache-arrow';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { RegionSchema, TimeUnit } from '../region-schema.ts';
import { mergeSortedRuns, type MergeMode, type MergeOptions, type SortedRunSource } from './merge-sorted-runs.ts';
import { OpType } from './sorted-run.ts';
import {
  batchOf,
  cpuSchema,
  pick,
  random,
  referenceMerge,
  rowsOf,
  runBatch,
  schemaWith,
  sortRows,
  type Row,
} from './sorted-run-fixtures.ts';

const P = OpType.Put;
const D = OpType.Delete;
const userColumns = ['host', 'region', 'ts', 'cpu', 'mem', 'note'];

async function collect(stream: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of stream) batches.push(batch);
  return batches;
}

async function merged(runs: SortedRunSource[], options: MergeOptions): Promise<Row[]> {
  return rowsOf(await collect(mergeSortedRuns(runs, options)));
}

/** One sorted run of `schema` from rows (sorted here), split into batches of `batchRows`. */
function run(schema: RegionSchema, rows: Row[], batchRows = 1000): RecordBatch[] {
  const tags = schema.columns.filter((c) => c.semantic === 'tag').map((c) => c.name);
  const sorted = sortRows(rows.slice(), tags);
  const batches: RecordBatch[] = [];
  for (let i = 0; i < sorted.length; i += batchRows) batches.push(runBatch(schema, sorted.slice(i, i + batchRows)));
  return batches;
}

const row = (host: string | null, ts: number, seq: number, op: number, fields: Partial<Row> = {}): Row => ({
  host,
  region: 'eu',
  ts: BigInt(ts),
  cpu: null,
  mem: null,
  note: null,
  ...fields,
  __sequence: seq,
  __op_type: op,
});

describe('mergeSortedRuns', () => {
  test('merges many runs into (primary key, time) order', async () => {
    const schema = cpuSchema();
    const next = random(1);
    const all: Row[] = [];
    const runs: RecordBatch[][] = [];
    let seq = 1;
    for (let r = 0; r < 9; r++) {
      const rows: Row[] = [];
      for (let i = 0; i < 300; i++) {
        // Distinct keys across runs: the time is unique per (run, i).
        rows.push(row(`host-${Math.floor(next() * 20)}`, (i * 9 + r) * 1000, seq++, P, { cpu: next() }));
      }
      all.push(...rows);
      runs.push(run(schema, rows, 64));
    }
    const out = await merged(runs, { schema, batchRows: 500 });
    assert.deepEqual(out, pick(sortRows(all, ['host', 'region']), userColumns));
  });

  test('last_row keeps the newest version; a newer delete removes the key, a newer put revives it', async () => {
    const schema = cpuSchema();
    const older = run(schema, [
      row('a', 1, 1, P, { cpu: 1 }),
      row('a', 2, 2, P, { cpu: 2 }),
      row('b', 1, 3, P, { cpu: 3 }),
    ]);
    const newer = run(schema, [
      row('a', 1, 10, D),
      row('a', 2, 11, P, { cpu: 20 }),
      row('b', 1, 12, D),
      row('b', 1, 13, P, { mem: 5 }),
    ]);
    const out = await merged([older, newer], { schema, mode: 'last_row' });
    assert.deepEqual(pick(out, ['host', 'ts', 'cpu', 'mem']), [
      { host: 'a', ts: 2n, cpu: 20, mem: null },
      { host: 'b', ts: 1n, cpu: null, mem: 5 },
    ]);
  });

  test('last_row with keepDeletes yields the deciding tombstone and internal columns', async () => {
    const schema = cpuSchema();
    const older = run(schema, [row('a', 1, 1, P, { cpu: 1 }), row('a', 2, 2, P, { cpu: 2 })]);
    const newer = run(schema, [row('a', 1, 10, D), row('a', 2, 9, D), row('a', 2, 11, P, { cpu: 20 })]);
    const out = await merged([older, newer], { schema, keepDeletes: true });
    assert.deepEqual(pick(out, ['host', 'ts', 'cpu', '__sequence', '__op_type']), [
      { host: 'a', ts: 1n, cpu: null, __sequence: 10, __op_type: D },
      { host: 'a', ts: 2n, cpu: 20, __sequence: 11, __op_type: P },
    ]);
  });

  test('a delete masks older puts in other runs but not newer ones', async () => {
    const schema = cpuSchema();
    const runs = [
      run(schema, [row('a', 5, 1, P, { cpu: 1 })]),
      run(schema, [row('a', 5, 2, D)]),
      run(schema, [row('a', 5, 3, P, { cpu: 3 })]),
      run(schema, [row('a', 6, 4, P, { cpu: 4 })]),
      run(schema, [row('a', 6, 5, D)]),
    ];
    for (const mode of ['last_row', 'last_non_null'] as const) {
      const out = await merged(runs, { schema, mode });
      assert.deepEqual(pick(out, ['ts', 'cpu']), [{ ts: 5n, cpu: 3 }], mode);
    }
  });

  test('last_non_null fills each field from the newest non-null value across runs', async () => {
    const schema = cpuSchema();
    const runs = [
      run(schema, [row('a', 1, 1, P, { cpu: 1, mem: 1, note: 'old' }), row('b', 1, 2, P, { cpu: 7 })]),
      run(schema, [row('a', 1, 5, P, { cpu: 5 })]),
      run(schema, [row('a', 1, 9, P, { mem: 9 }), row('b', 1, 8, P, { note: 'b' })]),
    ];
    const out = await merged(runs, { schema, mode: 'last_non_null' });
    assert.deepEqual(pick(out, ['host', 'ts', 'cpu', 'mem', 'note']), [
      { host: 'a', ts: 1n, cpu: 5, mem: 9, note: 'old' },
      { host: 'b', ts: 1n, cpu: 7, mem: null, note: 'b' },
    ]);
  });

  test('last_non_null stops filling at the newest delete, and keepDeletes yields it after the put', async () => {
    const schema = cpuSchema();
    const runs = [
      run(schema, [row('a', 1, 1, P, { cpu: 1, mem: 1 })]),
      run(schema, [row('a', 1, 2, D)]),
      run(schema, [row('a', 1, 3, P, { mem: 3 }), row('a', 1, 4, P, { note: 'x' })]),
    ];
    const out = await merged(runs, { schema, mode: 'last_non_null' });
    assert.deepEqual(pick(out, ['cpu', 'mem', 'note']), [{ cpu: null, mem: 3, note: 'x' }]);
    const kept = await merged(runs, { schema, mode: 'last_non_null', keepDeletes: true, internalColumns: true });
    assert.deepEqual(pick(kept, ['cpu', 'mem', 'note', '__sequence', '__op_type']), [
      { cpu: null, mem: 3, note: 'x', __sequence: 4, __op_type: P },
      { cpu: null, mem: null, note: null, __sequence: 2, __op_type: D },
    ]);
  });

  test('append keeps every put, duplicates included, and drops deletes', async () => {
    const schema = cpuSchema();
    const runs = [
      run(schema, [row('a', 1, 1, P, { cpu: 1 }), row('a', 1, 2, P, { cpu: 2 })]),
      run(schema, [row('a', 1, 3, P, { cpu: 3 }), row('a', 1, 4, D), row('b', 0, 5, P, { cpu: 5 })]),
    ];
    const out = await merged(runs, { schema, mode: 'append' });
    assert.deepEqual(pick(out, ['host', 'ts', 'cpu']), [
      { host: 'a', ts: 1n, cpu: 3 },
      { host: 'a', ts: 1n, cpu: 2 },
      { host: 'a', ts: 1n, cpu: 1 },
      { host: 'b', ts: 0n, cpu: 5 },
    ]);
    const kept = await merged(runs, { schema, mode: 'append', keepDeletes: true });
    assert.ok('__op_type' in kept[0]!, 'keepDeletes brings the internal columns');
    const withoutInternal = await merged(runs, { schema, mode: 'append', keepDeletes: true, internalColumns: false });
    assert.ok(!('__op_type' in withoutInternal[0]!));
    assert.deepEqual(
      kept.map((r) => r.__sequence),
      [4, 3, 2, 1, 5],
    );
  });

  test('null tags sort first and differ from empty strings', async () => {
    const schema = cpuSchema();
    const runs = [
      run(schema, [
        row('', 1, 1, P, { cpu: 1 }),
        row(null, 1, 2, P, { cpu: 2 }),
        row('a', 1, 3, P, { region: null, cpu: 3 }),
      ]),
      run(schema, [row(null, 1, 4, P, { cpu: 4 }), row('a', 1, 5, P, { cpu: 5 })]),
    ];
    const out = await merged(runs, { schema });
    assert.deepEqual(pick(out, ['host', 'region', 'cpu']), [
      { host: null, region: 'eu', cpu: 4 },
      { host: '', region: 'eu', cpu: 1 },
      { host: 'a', region: null, cpu: 3 },
      { host: 'a', region: 'eu', cpu: 5 },
    ]);
  });

  test('strings order by code point (UTF-8 bytes), with embedded NULs', async () => {
    const schema = cpuSchema();
    const hosts = ['b', 'a\u0000', 'a', 'ab', '\uffff', '\u{10000}', 'é', 'z'];
    const runs = hosts.map((host, i) => run(schema, [row(host, 1, i + 1, P, { cpu: i })]));
    const out = await merged(runs, { schema });
    assert.deepEqual(
      out.map((r) => r.host),
      ['a', 'a\u0000', 'ab', 'b', 'z', 'é', '\uffff', '\u{10000}'],
    );
  });

  for (const unit of ['s', 'ms', 'us', 'ns'] as TimeUnit[]) {
    test(`time index in ${unit}: signed 64-bit order and dedup`, async () => {
      const schema = cpuSchema(unit);
      const times = [-(2n ** 62n), -1n, 0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 1_700_000_000_000_000_123n];
      const older = run(
        schema,
        times.map((ts, i) => ({ ...row('h', 0, i + 1, P, { cpu: i }), ts })),
      );
      const newer = run(schema, [{ ...row('h', 0, 100, P, { cpu: 99 }), ts: 2n ** 53n + 1n }]);
      const out = await merged([newer, older], { schema });
      assert.deepEqual(
        out.map((r) => [r.ts, r.cpu]),
        times.map((ts, i) => [ts, ts === 2n ** 53n + 1n ? 99 : i]),
      );
    });
  }

  test('tags of other types order by value: int64, float64, boolean, binary', async () => {
    const cases: Array<{ type: RegionSchema['columns'][number]['type']; values: unknown[]; sorted: unknown[] }> = [
      {
        type: { kind: 'int64' },
        values: [5n, -3n, 2n ** 40n, -(2n ** 40n), 0n],
        sorted: [-(2n ** 40n), -3n, 0n, 5n, 2n ** 40n],
      },
      { type: { kind: 'int32' }, values: [5, -3, 0, -2147483648], sorted: [-2147483648, -3, 0, 5] },
      { type: { kind: 'uint32' }, values: [5, 4294967295, 0], sorted: [0, 5, 4294967295] },
      { type: { kind: 'float64' }, values: [1.5, -0.5, -Infinity, 3, -2], sorted: [-Infinity, -2, -0.5, 1.5, 3] },
      { type: { kind: 'boolean' }, values: [true, false], sorted: [false, true] },
    ];
    for (const { type, values, sorted } of cases) {
      const schema = schemaWith(type, [{ kind: 'float64' }]);
      const runs = values.map((k, i) => [runBatch(schema, [{ k, ts: 1n, f0: i, __sequence: i + 1 }])]);
      const out = await merged(runs, { schema });
      assert.deepEqual(
        out.map((r) => r.k),
        sorted,
        type.kind,
      );
    }
  });

  test('projection picks and orders user columns; key columns need not be projected', async () => {
    const schema = cpuSchema();
    const runs = [run(schema, [row('a', 1, 1, P, { cpu: 1, mem: 2 })]), run(schema, [row('a', 1, 2, P, { mem: 4 })])];
    const batches = await collect(mergeSortedRuns(runs, { schema, mode: 'last_non_null', projection: ['mem', 'cpu'] }));
    assert.deepEqual(
      batches[0]!.schema.fields.map((f) => f.name),
      ['mem', 'cpu'],
    );
    assert.deepEqual(rowsOf(batches), [{ mem: 4, cpu: 1 }]);
    assert.throws(
      () => mergeSortedRuns(runs, { schema, projection: ['nope'] }),
      (error: unknown) => error instanceof TesseraError && error.code === ErrorCode.InvalidArguments,
    );
  });

  test('runs may lack fields (read as null) and late-added tags (read as null)', async () => {
    const schema = cpuSchema();
    const withoutMem = runBatch(schema, [row('a', 1, 1, P, { cpu: 1, mem: 1 })], ['cpu']);
    const full = runBatch(schema, [row('a', 2, 2, P, { cpu: 2, mem: 2 })]);
    const out = await merged([[withoutMem], [full]], { schema });
    assert.deepEqual(pick(out, ['ts', 'cpu', 'mem']), [
      { ts: 1n, cpu: 1, mem: null },
      { ts: 2n, cpu: 2, mem: 2 },
    ]);
    const evolved: RegionSchema = {
      version: 2,
      columns: [
        ...schema.columns.slice(0, 2),
        { name: 'zone', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 9 },
        ...schema.columns.slice(2),
      ],
    };
    const newRows = run(evolved, [
      { ...row('a', 1, 3, P, { cpu: 3 }), zone: 'z1' },
      { ...row('a', 1, 4, P, { cpu: 4 }), zone: null },
    ]);
    const mixed = await merged([[full, withoutMem].reverse(), newRows], { schema: evolved });
    assert.deepEqual(pick(mixed, ['zone', 'ts', 'cpu']), [
      { zone: null, ts: 1n, cpu: 4 },
      { zone: null, ts: 2n, cpu: 2 },
      { zone: 'z1', ts: 1n, cpu: 3 },
    ]);
  });

  test('output batches have exactly batchRows rows, and survive Arrow IPC', async () => {
    const schema = cpuSchema();
    const rows: Row[] = [];
    for (let i = 0; i < 2500; i++) rows.push(row(`h${i % 7}`, i, i + 1, P, { cpu: i, note: `n${i}` }));
    const batches = await collect(
      mergeSortedRuns([run(schema, rows.slice(0, 1300), 100), run(schema, rows.slice(1300), 333)], {
        schema,
        batchRows: 1000,
      }),
    );
    assert.deepEqual(
      batches.map((b) => b.numRows),
      [1000, 1000, 500],
    );
    const back = tableFromIPC(tableToIPC(new Table(batches)));
    assert.deepEqual(rowsOf(back.batches), rowsOf(batches));
  });

  test('accepts async runs and closes every input when the consumer stops early', async () => {
    const schema = cpuSchema();
    const closed: number[] = [];
    const source = (index: number, batches: RecordBatch[]): AsyncIterable<RecordBatch> => ({
      async *[Symbol.asyncIterator]() {
        try {
          for (const batch of batches) yield batch;
        } finally {
          closed.push(index);
        }
      },
    });
    const rows = Array.from({ length: 100 }, (_, i) => row('a', i, i + 1, P, { cpu: i }));
    const runs = [source(0, run(schema, rows.slice(0, 50), 10)), source(1, run(schema, rows.slice(50), 10))];
    for await (const batch of mergeSortedRuns(runs, { schema, batchRows: 5 })) {
      assert.equal(batch.numRows, 5);
      break;
    }
    assert.deepEqual(closed.sort(), [0, 1]);
  });

  test('rejects malformed runs: missing internal columns, wrong types, unsorted rows', async () => {
    const schema = cpuSchema();
    const isMalformed = (error: unknown): boolean =>
      error instanceof TesseraError && error.code === ErrorCode.SortedRunMalformed;
    const good = runBatch(schema, [row('a', 1, 1, P)]);
    const noSequence = batchOf(
      good.schema.fields.filter((f) => f.name !== '__sequence'),
      [row('a', 1, 1, P)],
    );
    await assert.rejects(merged([[noSequence]], { schema }), isMalformed);
    const unsortedTime = runBatch(schema, [row('a', 2, 1, P), row('a', 1, 2, P)]);
    await assert.rejects(merged([[unsortedTime]], { schema }), isMalformed);
    const unsortedKey = runBatch(schema, [row('b', 1, 1, P), row('a', 1, 2, P)]);
    await assert.rejects(merged([[unsortedKey]], { schema }), isMalformed);
    const ascendingSequence = runBatch(schema, [row('a', 1, 1, P), row('a', 1, 2, P)]);
    await assert.rejects(merged([[ascendingSequence]], { schema }), isMalformed);
    const stringTime = runBatch(cpuSchema('s'), [row('a', 1, 1, P)]);
    await assert.rejects(merged([[stringTime]], { schema }), isMalformed);
  });

  test('empty inputs yield nothing', async () => {
    const schema = cpuSchema();
    assert.deepEqual(await merged([], { schema }), []);
    assert.deepEqual(await merged([[], [runBatch(schema, [])]], { schema }), []);
  });

  for (const mode of ['last_row', 'last_non_null', 'append'] as MergeMode[]) {
    for (const keepDeletes of [false, true]) {
      test(`randomized against a reference model: ${mode}${keepDeletes ? ' keepDeletes' : ''}`, async () => {
        const schema = cpuSchema();
        for (let seed = 1; seed <= 25; seed++) {
          const next = random(seed * 7919 + (keepDeletes ? 1 : 0));
          const runCount = 1 + Math.floor(next() * 6);
          const sequences = Array.from({ length: 400 }, (_, i) => i + 1).sort(() => next() - 0.5);
          const all: Row[] = [];
          const runs: RecordBatch[][] = [];
          let s = 0;
          for (let r = 0; r < runCount; r++) {
            const rows: Row[] = [];
            const count = Math.floor(next() * 60);
            for (let i = 0; i < count; i++) {
              const op = mode !== 'append' && next() < 0.2 ? D : P;
              const maybe = (value: unknown): unknown => (op === D || next() < 0.3 ? null : value);
              rows.push({
                host: next() < 0.1 ? null : `h${Math.floor(next() * 4)}`,
                region: next() < 0.5 ? 'eu' : 'us',
                ts: BigInt(Math.floor(next() * 8) - 2),
                cpu: maybe(Math.floor(next() * 100)),
                mem: maybe(next()),
                note: maybe(`n${Math.floor(next() * 5)}`),
                __sequence: sequences[s++]!,
                __op_type: op,
              });
            }
            all.push(...rows);
            runs.push(run(schema, rows, 1 + Math.floor(next() * 10)));
          }
          const batchRows = 1 + Math.floor(next() * 20);
          const out = await merged(runs, { schema, mode, keepDeletes, batchRows, internalColumns: true });
          const expected = referenceMerge(all, {
            tags: ['host', 'region'],
            fields: ['cpu', 'mem', 'note'],
            mode,
            keepDeletes,
          });
          const columns = [...userColumns, '__op_type', ...(mode === 'last_non_null' ? [] : ['__sequence'])];
          assert.deepEqual(pick(out, columns), pick(expected, columns), `seed ${seed}`);
        }
      });
    }
  }
});
