/**
 * The designer's pure model against engine/partition's own parser, validator and router:
 * drawing ↔ expressions, grid merges, validation counterexamples, DDL, samples.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitionRuleFromSpec } from '../../engine/partition/index.ts';
import type { PartitionColumnKind } from '../../engine/partition/index.ts';
import { partitionKindOfType } from './column-kinds.ts';
import { countRegions, skewOf } from './region-counts.ts';
import {
  addSplit,
  emptyLayout,
  layoutFromSplits,
  layoutOfRule,
  layoutTexts,
  mergeCells,
  moveSplit,
  removeSplit,
  splitCells,
} from './region-layout.ts';
import type { RegionLayout } from './region-layout.ts';
import { checkRule, counterexampleOf } from './rule-check.ts';
import { generateSample, sampleFromText } from './row-sample.ts';
import { ddlWithRule, newTableSql, partitionsOf } from './table-ddl.ts';

const kinds: Record<string, PartitionColumnKind> = { a: 'integer', b: 'string', f: 'float' };
const kindOf = (column: string): PartitionColumnKind | undefined => kinds[column];

function drawn(columns: string[], exprs: string[]): RegionLayout {
  const result = layoutOfRule(partitionRuleFromSpec({ columns, exprs }, kindOf));
  assert.ok('layout' in result, 'reason' in result ? result.reason : '');
  return result.layout;
}

test('one axis: splits become half-open ranges, one region per span, and back', () => {
  let layout = emptyLayout([{ column: 'a', kind: 'integer', splits: [] }]);
  assert.deepEqual(layoutTexts(layout), []);
  layout = addSplit(layout, 0, 100);
  layout = addSplit(layout, 0, 50);
  assert.deepEqual(layoutTexts(layout), ['a < 50', 'a >= 50 AND a < 100', 'a >= 100']);
  assert.ok(checkRule(['a'], layoutTexts(layout), kindOf).ok);
  const back = drawn(['a'], layoutTexts(layout));
  assert.deepEqual(back.axes[0]!.splits, [50, 100]);
  assert.deepEqual(back.cells, [0, 1, 2]);
  layout = moveSplit(layout, 0, 0, 70);
  assert.deepEqual(layoutTexts(layout), ['a < 70', 'a >= 70 AND a < 100', 'a >= 100']);
  assert.equal(moveSplit(layout, 0, 0, 120), layout, 'a split cannot pass its neighbour');
  layout = removeSplit(layout, 0, 1);
  assert.deepEqual(layoutTexts(layout), ['a < 70', 'a >= 70']);
});

test('one axis on strings splits lexicographically', () => {
  const layout = layoutFromSplits({ column: 'b', kind: 'string', splits: ['g', 'p'] });
  assert.deepEqual(layoutTexts(layout), ["b < 'g'", "b >= 'g' AND b < 'p'", "b >= 'p'"]);
  const check = checkRule(['b'], layoutTexts(layout), kindOf);
  assert.ok(check.ok);
  const counted = countRegions(check.rule, {
    columns: new Map([['b', ['apple', 'grape', 'zebra', 'h', null]]]),
    rowCount: 5,
    source: '',
  });
  assert.deepEqual(counted.counts, [2, 2, 1]);
});

test('hand-written rules: integer <= and > are drawn on the same split; = is not drawable', () => {
  const layout = drawn(['a'], ['a <= 9', 'a > 9']);
  assert.deepEqual(layout.axes[0]!.splits, [10]);
  assert.deepEqual(layout.cells, [0, 1]);
  const equality = layoutOfRule(partitionRuleFromSpec({ columns: ['a'], exprs: ['a = 5', 'a != 5'] }, kindOf));
  assert.ok('reason' in equality);
  assert.match(equality.reason, /cannot show/);
});

test('two axes: a grid of regions; merged cells give OR/AND expressions that validate and draw back', () => {
  let layout = emptyLayout([
    { column: 'a', kind: 'integer', splits: [] },
    { column: 'b', kind: 'string', splits: [] },
  ]);
  layout = addSplit(layout, 0, 10);
  layout = addSplit(layout, 1, 'm');
  assert.deepEqual(layout.cells, [0, 1, 2, 3], 'each cell a region');
  layout = mergeCells(layout, [0, 1]);
  assert.deepEqual(layout.cells, [0, 0, 1, 2]);
  layout = splitCells(layout, [0, 1, 2, 3]);
  assert.deepEqual(layout.cells, [0, 1, 2, 3]);
  assert.deepEqual(layoutTexts(layout), [
    "a < 10 AND b < 'm'",
    "a >= 10 AND b < 'm'",
    "a < 10 AND b >= 'm'",
    "a >= 10 AND b >= 'm'",
  ]);
  // Merge an L: (0,0), (1,0), (0,1) → one region; (1,1) alone.
  layout = mergeCells(layout, [0, 1, 2]);
  assert.deepEqual(layout.cells, [0, 0, 0, 1]);
  const texts = layoutTexts(layout);
  assert.deepEqual(texts, ["a < 10 OR a >= 10 AND b < 'm'", "a >= 10 AND b >= 'm'"]);
  assert.ok(checkRule(['a', 'b'], texts, kindOf).ok);
  assert.deepEqual(drawn(['a', 'b'], texts).cells, [0, 0, 0, 1]);
  layout = removeSplit(layout, 1, 0);
  assert.deepEqual(layoutTexts(layout), [], "without the b split the lower row's one region is all");
});

test('validation names the counterexample, which the drawing can place', () => {
  const overlap = checkRule(['a'], ['a < 100', 'a >= 90'], kindOf);
  assert.equal(overlap.ok, false);
  assert.ok(!overlap.ok);
  assert.equal(overlap.problem, 'overlap');
  assert.equal(overlap.counterexample?.get('a'), 90);
  const layout = drawn(['a'], ['a < 100', 'a >= 90']);
  assert.deepEqual(layout.overlaps, [1]);
  const gap = checkRule(['a', 'b'], ["a < 10 AND b < 'm'", 'a >= 10'], kindOf);
  assert.ok(!gap.ok);
  assert.equal(gap.problem, 'gap');
  assert.equal(gap.counterexample?.get('b'), 'm');
  assert.deepEqual(
    counterexampleOf("Invalid partition rule: no partition covers a = NULL, b = 'it''s, here'; add an expression"),
    {
      counterexample: new Map<string, unknown>([
        ['a', null],
        ['b', "it's, here"],
      ]),
      problem: 'gap',
    },
  );
  const syntax = checkRule(['a'], ['a <'], kindOf);
  assert.ok(!syntax.ok && syntax.counterexample === undefined);
  assert.ok(!checkRule(['a'], ["a < 'x'", "a >= 'x'"], kindOf).ok, 'a string constant on a number column is refused');
});

test('routing a generated sample: counts per region and the skew', () => {
  const uniform = generateSample([{ name: 'a', kind: 'integer', min: 0, max: 1000 }], 10_000, 'uniform');
  const skewed = generateSample([{ name: 'a', kind: 'integer', min: 0, max: 1000 }], 10_000, 'skewed');
  const check = checkRule(['a'], ['a < 500', 'a >= 500'], kindOf);
  assert.ok(check.ok);
  const even = countRegions(check.rule, uniform);
  assert.equal(even.counts[0]! + even.counts[1]!, 10_000);
  assert.ok(even.skew < 1.1, `uniform skew ${even.skew}`);
  const hot = countRegions(check.rule, skewed);
  assert.ok(hot.skew > 1.5, `skewed skew ${hot.skew}`);
  assert.equal(skewOf([10, 0]), 2);
  const strings = generateSample([{ name: 'b', kind: 'string', min: 0, max: 99 }], 3, 'uniform');
  assert.match(String(strings.columns.get('b')![0]), /^key-\d\d$/);
  const pasted = sampleFromText("1, 'x'\n\n20,y\n", [
    { name: 'a', kind: 'integer' },
    { name: 'b', kind: 'string' },
  ]);
  assert.ok('sample' in pasted);
  assert.deepEqual(pasted.sample.columns.get('b'), ['x', 'y']);
  assert.deepEqual(sampleFromText('x', [{ name: 'a', kind: 'integer' }]), {
    error: "Line 1: 'x' is not a number (column a)",
  });
});

test('DDL: a new table and an existing one under a new name, parsed back by engine/sql', () => {
  const created = newTableSql('metrics', [
    { name: 'host', type: 'STRING', role: 'tag' },
    { name: 'ts', type: 'TIMESTAMP', role: 'timestamp' },
    { name: 'Value', type: 'DOUBLE', role: 'field' },
  ]);
  const ddl = ddlWithRule(created, 'metrics', ['host'], ["host < 'm'", "host >= 'm'"]);
  assert.equal(
    ddl,
    `CREATE TABLE metrics (\n  host STRING,\n  ts TIMESTAMP TIME INDEX,\n  "Value" DOUBLE,\n  PRIMARY KEY (host)\n)\n` +
      `PARTITION ON COLUMNS (host) (\n  host < 'm',\n  host >= 'm'\n);`,
  );
  assert.deepEqual(partitionsOf(ddl.slice(0, -1)), { columns: ['host'], exprs: ["host < 'm'", "host >= 'm'"] });
  const existing =
    'CREATE TABLE IF NOT EXISTS `cpu` (`host` STRING NULL, `ts` TIMESTAMP(3) NOT NULL, TIME INDEX (`ts`), PRIMARY KEY (`host`))\n' +
    "PARTITION ON COLUMNS (`host`) (host < 'a', host >= 'a')\nENGINE=mito\nWITH(ttl = '7d')";
  const copy = ddlWithRule(existing, 'cpu_v2', ['host'], ["host < 'k'", "host >= 'k'"]);
  assert.match(copy, /^CREATE TABLE IF NOT EXISTS cpu_v2 \(/);
  assert.match(
    copy,
    /PARTITION ON COLUMNS \(host\) \(\n {2}host < 'k',\n {2}host >= 'k'\n\)\nENGINE=mito\nWITH \('ttl' = '7d'\);$/,
  );
  assert.doesNotMatch(ddlWithRule(existing, 'cpu', ['host'], []), /PARTITION/);
});

test('column types partition as engine/partition expects', () => {
  assert.equal(partitionKindOfType('Int64'), 'integer');
  assert.equal(partitionKindOfType('BIGINT UNSIGNED'), 'integer');
  assert.equal(partitionKindOfType('TimestampMillisecond'), 'integer');
  assert.equal(partitionKindOfType('Float64'), 'float');
  assert.equal(partitionKindOfType('String'), 'string');
  assert.equal(partitionKindOfType('Boolean'), undefined);
});
