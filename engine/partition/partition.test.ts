import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TesseraError } from '../common/index.ts';
import { parseStatement } from '../sql/index.ts';
import { formatPartitionExpr, partitionRuleFromSql, pruneRegions, routeRows, validatePartitionRule } from './index.ts';
import type { PartitionColumnKind, PartitionExpr, PartitionRule } from './index.ts';

const KINDS: Record<string, PartitionColumnKind> = { a: 'integer', b: 'string', f: 'float', host: 'string' };

function ruleOf(partitionClause: string): PartitionRule {
  const statement = parseStatement(
    `CREATE TABLE t (a INT, b STRING, f DOUBLE, host STRING, ts TIMESTAMP TIME INDEX, PRIMARY KEY (a, b, host)) ${partitionClause}`,
  );
  assert.equal(statement.kind, 'create-table');
  if (statement.kind !== 'create-table' || !statement.partitions) throw new Error('no partitions parsed');
  return partitionRuleFromSql(statement.partitions, (name) => KINDS[name]);
}

function rejection(run: () => void): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof TesseraError, `expected a TesseraError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected an error');
}

describe('partition rules from SQL', () => {
  it('converts comparisons joined by AND/OR, constants on either side and negative numbers', () => {
    const rule = ruleOf(
      "PARTITION ON COLUMNS (a, b) (a < -10, -10 <= a AND (b = 'x' OR b > 'y'), a >= -10 AND b <= 'y' AND b != 'x')",
    );
    assert.deepEqual(
      rule.columns.map((c) => c.name),
      ['a', 'b'],
    );
    assert.deepEqual(rule.regions.map(formatPartitionExpr), [
      'a < -10',
      "a >= -10 AND (b = 'x' OR b > 'y')",
      "a >= -10 AND b <= 'y' AND b != 'x'",
    ]);
  });

  it('refuses columns outside the list, functions, and constants of the wrong kind, naming the position', () => {
    assert.match(
      rejection(() => ruleOf('PARTITION ON COLUMNS (a) (b < 5)')),
      /column 'b'.*line 1, column \d+.*not in PARTITION ON COLUMNS \(a\)/,
    );
    assert.match(
      rejection(() => ruleOf('PARTITION ON COLUMNS (a) (abs(a) < 5)')),
      /Unsupported partition expression at line 1/,
    );
    assert.match(
      rejection(() => ruleOf('PARTITION ON COLUMNS (b) (b < 5, b >= 5)')),
      /string column 'b' with a non-string value/,
    );
    assert.match(
      rejection(() => ruleOf('PARTITION ON COLUMNS (zz) (zz < 5)')),
      /'zz' is not a column of the table/,
    );
  });
});

describe('validatePartitionRule', () => {
  it('accepts rules that cover the key space exactly once', () => {
    validatePartitionRule(ruleOf('PARTITION ON COLUMNS (a) (a < 1000, a >= 1000 AND a < 2000, a >= 2000)'));
    validatePartitionRule(ruleOf("PARTITION ON COLUMNS (host) (host < 'h', host >= 'h' AND host < 'p', host >= 'p')"));
    validatePartitionRule(ruleOf("PARTITION ON COLUMNS (a, b) (a < 10, a >= 10 AND b < 'm', a >= 10 AND b >= 'm')"));
    validatePartitionRule(ruleOf("PARTITION ON COLUMNS (b) (b = 'x', b != 'x')"));
    validatePartitionRule(ruleOf('PARTITION ON COLUMNS (a) ()'));
  });

  it('integer columns have no values between neighbouring integers', () => {
    // 9 < a < 10 holds no integer, so these do not overlap on an INT column …
    validatePartitionRule(ruleOf('PARTITION ON COLUMNS (a) (a < 10, a > 9)'));
    // … but on a DOUBLE column a split at 9 and 10 leaves 9.5 uncovered.
    const message = rejection(() => validatePartitionRule(ruleOf('PARTITION ON COLUMNS (f) (f <= 9, f >= 10)')));
    assert.match(message, /no partition covers f = 9\.5/);
  });

  it('names a value covered twice and both expressions', () => {
    const message = rejection(() => validatePartitionRule(ruleOf('PARTITION ON COLUMNS (a) (a < 1000, a >= 900)')));
    assert.match(message, /a = 900 is covered by both 'a < 1000' and 'a >= 900'/);
  });

  it('names an uncovered value', () => {
    const message = rejection(() => validatePartitionRule(ruleOf('PARTITION ON COLUMNS (a) (a < 1000, a > 1000)')));
    assert.match(message, /no partition covers a = 1000/);
    const strings = rejection(() =>
      validatePartitionRule(ruleOf("PARTITION ON COLUMNS (a, b) (a < 10, a >= 10 AND b < 'm', a > 10 AND b >= 'm')")),
    );
    assert.match(strings, /no partition covers a = 10, b = 'm'/);
  });
});

describe('routeRows', () => {
  it('splits whole columns into one ascending selection per region', () => {
    const rule = ruleOf('PARTITION ON COLUMNS (a) (a < 1000, a >= 1000 AND a < 2000, a >= 2000)');
    const a = new Float64Array([100, 200, 1100, 1200, 2000, 2100, 2200, 2400]);
    const { selections } = routeRows(rule, new Map([['a', a]]), a.length);
    assert.deepEqual(
      selections.map((s) => [...s]),
      [
        [0, 1],
        [2, 3],
        [4, 5, 6, 7],
      ],
    );
  });

  it('compares bigint values numerically and routes NULL below every value', () => {
    const rule = ruleOf('PARTITION ON COLUMNS (a) (a < 0, a >= 0)');
    const { selections } = routeRows(rule, new Map([['a', [5n, -5n, null, 9007199254740993n]]]), 4);
    assert.deepEqual(
      selections.map((s) => [...s]),
      [
        [1, 2],
        [0, 3],
      ],
    );
  });

  it('refuses a row no region covers, naming it', () => {
    const rule: PartitionRule = {
      columns: [{ name: 'a', kind: 'integer' }],
      regions: [{ kind: 'compare', column: 'a', op: '<', value: 10 }],
    };
    assert.match(
      rejection(() => routeRows(rule, new Map([['a', [1, 20]]]), 2)),
      /No partition covers row 2 \(a = 20\)/,
    );
  });
});

describe('pruneRegions', () => {
  const rule = ruleOf('PARTITION ON COLUMNS (a) (a < 1000, a >= 1000 AND a < 2000, a >= 2000)');
  const compare = (op: '<' | '>' | '=' | '>=' | '<=' | '!=', value: number): PartitionExpr => ({
    kind: 'compare',
    column: 'a',
    op,
    value,
  });

  it('keeps only the regions a predicate can reach', () => {
    assert.deepEqual(pruneRegions(rule, undefined), [0, 1, 2]);
    assert.deepEqual(pruneRegions(rule, compare('=', 1500)), [1]);
    assert.deepEqual(pruneRegions(rule, compare('<', 150)), [0]);
    assert.deepEqual(pruneRegions(rule, { kind: 'and', left: compare('>', 1500), right: compare('<', 2200) }), [1, 2]);
    assert.deepEqual(pruneRegions(rule, { kind: 'or', left: compare('=', 5), right: compare('=', 2500) }), [0, 2]);
    assert.deepEqual(pruneRegions(rule, compare('!=', 5)), [0, 1, 2]);
    assert.deepEqual(pruneRegions(rule, { kind: 'and', left: compare('>', 5), right: compare('<', 5) }), []);
  });
});
