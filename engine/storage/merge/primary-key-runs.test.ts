import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dictionary, Int32, Int8, Utf8, makeData, vectorFromArray, type Data } from 'apache-arrow';
import { primaryKeyRuns } from './primary-key-runs.ts';
import { columnData } from './sorted-run-fixtures.ts';
import { TagColumn } from './tag-column.ts';

test('runs split where any tag changes; keys order like the tuples', () => {
  const host = columnData(new Dictionary(new Utf8(), new Int32()), ['a', 'a', 'a', 'b', 'b', null]);
  const zone = columnData(new Utf8(), [null, 'x', 'x', 'x', 'y', 'y']);
  const runs = primaryKeyRuns([new TagColumn('bytes', host, 6, 0), new TagColumn('bytes', zone, 6, 0)], 6);
  assert.equal(runs.count, 5);
  assert.deepEqual([...runs.starts], [0, 1, 3, 4, 5, 6]);
  assert.ok(runs.keys[0]! < runs.keys[1]! && runs.keys[1]! < runs.keys[2]! && runs.keys[2]! < runs.keys[3]!);
  // The null host sorts before everything.
  assert.ok(runs.keys[4]! < runs.keys[0]!);
});

test('repeated dictionary values do not split a run; a missing tag reads as null', () => {
  const dictionary = vectorFromArray(['a', 'a', 'b'], new Utf8());
  const keys = makeData({
    type: new Dictionary(new Utf8(), new Int8()),
    length: 4,
    nullCount: 0,
    data: new Int8Array([0, 1, 1, 2]),
    dictionary,
  }) as Data;
  const runs = primaryKeyRuns([new TagColumn('bytes', keys, 4, 0), new TagColumn('bytes', undefined, 4, 0)], 4);
  assert.deepEqual([...runs.starts], [0, 3, 4]);
  assert.equal(runs.keys[0], '\u0001a\u0000\u0000\u0000');
});

test('fixed-width tags split on value changes', () => {
  const values = columnData(new Int32(), [1, 1, -1, -1, 2]);
  const runs = primaryKeyRuns([new TagColumn('signed', values, 5, 4)], 5);
  assert.deepEqual([...runs.starts], [0, 2, 4, 5]);
});

test('an empty batch has no runs', () => {
  assert.equal(primaryKeyRuns([], 0).count, 0);
  assert.equal(primaryKeyRuns([], 3).count, 1);
});
