import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeriesIndex } from './series-index.ts';

test('equal tag tuples get equal series ids, new tuples the next id, across growth', () => {
  const index = new SeriesIndex(3);
  const expected = new Map<string, number>();
  for (let batch = 0; batch < 4; batch++) {
    const n = 3000;
    const columns = [new Int32Array(n), new Int32Array(n), new Int32Array(n)];
    for (let i = 0; i < n; i++) {
      columns[0]![i] = (i * 7 + batch) % 500;
      columns[1]![i] = i % 3 === 0 ? -1 : i % 5;
      columns[2]![i] = 0;
    }
    const out = new Int32Array(n + 10);
    index.assign(columns, n, out, 10);
    for (let i = 0; i < n; i++) {
      const key = `${columns[0]![i]},${columns[1]![i]},${columns[2]![i]}`;
      if (!expected.has(key)) expected.set(key, expected.size);
      assert.equal(out[10 + i], expected.get(key));
    }
  }
  assert.equal(index.count, expected.size);
});

test('a region without tags has one series', () => {
  const index = new SeriesIndex(0);
  const out = new Int32Array(4).fill(9);
  index.assign([], 4, out, 0);
  assert.deepEqual([...out], [0, 0, 0, 0]);
  assert.equal(index.count, 1);
});
