import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalArithmeticType, decimalComparisonType, formatDecimal, parseDecimal, rescale } from './decimal.ts';
import { executeQuery } from './execute-query.ts';
import { MemoryCatalog } from './memory-table.ts';
import { resultRows } from './result-rows.ts';

async function rows(sql: string): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, new MemoryCatalog())).batches);
}

test('decimal text parses, rounds half away from zero and prints with its scale', () => {
  assert.equal(parseDecimal('1.25', 1), 13n);
  assert.equal(parseDecimal('-1.25', 1), -13n);
  assert.equal(parseDecimal('3e2', 2), 30000n);
  assert.equal(parseDecimal('abc', 2), null);
  assert.equal(formatDecimal(-5n, 2), '-0.05');
  assert.equal(formatDecimal(150n, 2), '1.50');
  assert.equal(rescale(155n, 2, 1), 16n);
});

test('result types follow DataFusion: + widens, * adds scales, integers widen to decimals', () => {
  assert.equal(decimalArithmeticType('+', 'Decimal128(1, 1)', 'Decimal128(3, 0)'), 'Decimal128(5, 1)');
  assert.equal(decimalArithmeticType('*', 'Decimal128(2, 1)', 'Decimal128(3, 1)'), 'Decimal128(6, 2)');
  assert.equal(decimalArithmeticType('+', 'Decimal128(1, 1)', 'Int64'), 'Decimal128(22, 1)');
  assert.equal(decimalComparisonType('Decimal128(3, 2)', 'Int32'), 'Decimal128(12, 2)');
  assert.throws(() => decimalArithmeticType('*', 'Decimal128(38, 30)', 'Decimal128(38, 30)'), /exceed max scale/);
});

test('decimal queries are exact and check precision', async () => {
  assert.deepEqual(await rows("SELECT '0.1'::DECIMAL + 1::INTEGER, '5.0'::DECIMAL(4,3) * '5.0'::DECIMAL(4,3)"), [
    ['1.1000000000', '25.000000'],
  ]);
  assert.deepEqual(await rows("SELECT ('0.54321543215432154321'::DECIMAL(20,20) + 10000)::VARCHAR"), [
    ['10000.54321543215432154321'],
  ]);
  assert.deepEqual(await rows("SELECT '1.5'::DECIMAL(3,1) > 1, -('0.1'::DECIMAL(2,1))"), [[true, '-0.1']]);
  await assert.rejects(rows('SELECT 100::TINYINT::DECIMAL(3,1)'), /too large to store in a Decimal128 of precision 3/);
  await assert.rejects(rows('SELECT 128::DECIMAL(3,0)::TINYINT'), /value of 128 is out of range Int8/);
});

test('sum, avg, min and max over decimals stay exact', async () => {
  assert.deepEqual(
    await rows(
      "SELECT sum(x), avg(x), min(x), max(x) FROM (SELECT '1.25'::DECIMAL(5,2) AS x UNION ALL SELECT '2.50'::DECIMAL(5,2))",
    ),
    [['3.75', '1.875000', '1.25', '2.50']],
  );
});
