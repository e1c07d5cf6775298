/**
 * engine/partition's hot path: routing rows to regions over whole columns, the step every
 * write to a partitioned table takes in the frontend. Also the cost of validating a rule at
 * CREATE TABLE (probing every cell of its key-space grid).
 *
 *   node --import tsx bench/partition.bench.ts
 */

import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { routeRows, validatePartitionRule } from '../engine/partition/index.ts';
import type { PartitionExpr, PartitionRule } from '../engine/partition/index.ts';
import type { BenchResult } from './bench-result.ts';
import { seededRandom } from './tsbs-cpu.ts';

const ROWS = 1_000_000;

/** `column < b1`, `b1 <= column AND column < b2`, …, `column >= bn`: n + 1 ranges. */
function rangeRule(column: string, kind: 'integer' | 'string', bounds: Array<number | string>): PartitionRule {
  const regions: PartitionExpr[] = [];
  bounds.forEach((bound, i) => {
    const upper: PartitionExpr = { kind: 'compare', column, op: '<', value: bound };
    regions.push(
      i === 0
        ? upper
        : { kind: 'and', left: { kind: 'compare', column, op: '>=', value: bounds[i - 1]! }, right: upper },
    );
  });
  regions.push({ kind: 'compare', column, op: '>=', value: bounds[bounds.length - 1]! });
  return { columns: [{ name: column, kind }], regions };
}

function best(runs: number, body: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest / 1000;
}

export async function run(): Promise<BenchResult[]> {
  const random = seededRandom(7);
  const numbers = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) numbers[i] = Math.floor(random() * 3000);
  const hosts = Array.from({ length: ROWS }, (_, i) => `host_${i % 4000}`);
  const results: BenchResult[] = [];

  const three = rangeRule('a', 'integer', [1000, 2000]);
  const threeSeconds = best(5, () => routeRows(three, new Map([['a', numbers]]), ROWS));
  results.push({ name: 'route rows, 3 integer ranges', value: ROWS / threeSeconds, unit: 'rows/s', note: '1M rows' });

  const bounds = Array.from({ length: 15 }, (_, i) => (i + 1) * 187);
  const sixteen = rangeRule('a', 'integer', bounds);
  const sixteenSeconds = best(5, () => routeRows(sixteen, new Map([['a', numbers]]), ROWS));
  results.push({
    name: 'route rows, 16 integer ranges',
    value: ROWS / sixteenSeconds,
    unit: 'rows/s',
    note: '1M rows',
  });

  const byHost = rangeRule('hostname', 'string', ['host_1', 'host_2', 'host_3']);
  const hostSeconds = best(5, () => routeRows(byHost, new Map([['hostname', hosts]]), ROWS));
  results.push({ name: 'route rows, 4 string ranges', value: ROWS / hostSeconds, unit: 'rows/s', note: '1M rows' });

  const validateSeconds = best(5, () => validatePartitionRule(sixteen));
  results.push({ name: 'validate a 16-region rule', value: validateSeconds * 1e6, unit: 'µs' });
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run())
    console.log(`${result.name}: ${result.value.toFixed(0)} ${result.unit}${result.note ? ` (${result.note})` : ''}`);
}
