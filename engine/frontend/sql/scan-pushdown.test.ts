import assert from 'node:assert/strict';
import { test } from 'node:test';
import { col, lit } from '../../query/index.ts';
import type { PlanExpr } from '../../query/index.ts';
import type { WireColumnSchema } from './column-types.ts';
import { scanHints } from './scan-pushdown.ts';

const columns: WireColumnSchema[] = [
  { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 0 },
  { name: 'ts', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 1 },
  { name: 'usage', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 2 },
];

const ms = 'Timestamp(Millisecond, None)' as const;
const binary = (op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'AND', left: PlanExpr, right: PlanExpr): PlanExpr => ({
  kind: 'binary',
  op,
  left,
  right,
});

test('tag equality and time-index comparisons become region predicates and a time range', () => {
  const filters = [
    binary('AND', binary('=', col('host'), lit('a', 'Utf8')), binary('>=', col('ts'), lit(1000, ms))),
    binary('>', lit(5000, ms), col('ts')),
    binary('<=', col('ts'), lit(9000, ms)),
  ];
  assert.deepEqual(scanHints(filters, columns), {
    predicates: [{ column: 'host', op: '=', value: { type: 'string', value: 'a' } }],
    timeRange: { start: '1000', end: '5000' },
  });
  assert.deepEqual(scanHints([binary('=', col('ts'), lit(7, ms))], columns), {
    timeRange: { start: '7', end: '8' },
  });
  // Integers are ticks of the unit; strings are times the engine casts (UTC).
  assert.deepEqual(
    scanHints(
      [binary('<', col('ts'), lit(2000, 'Int64')), binary('>=', col('ts'), lit('1970-01-01 00:00:01', 'Utf8'))],
      columns,
    ),
    { timeRange: { start: '1000', end: '2000' } },
  );
});

test('fields, tag ordering, other units and other shapes stay with the engine', () => {
  const filters = [
    binary('>', col('usage'), lit(1, 'Float64')),
    binary('<', col('host'), lit('m', 'Utf8')),
    binary('>', col('ts'), lit(1, 'Timestamp(Second, None)')),
    binary('=', col('host'), lit(null, 'Utf8')),
    binary('>=', col('ts'), lit('yesterday', 'Utf8')),
    binary('>=', col('ts'), lit(1.5, 'Float64')),
    { kind: 'is-null', expr: col('host'), not: false },
  ] satisfies PlanExpr[];
  assert.deepEqual(scanHints(filters, columns), {});
});
