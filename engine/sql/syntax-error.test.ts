import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, TesseraError } from '../common/index.ts';
import { parseSql } from './parse-statement.ts';

/** [sql, message]: every grammar error names what was expected, what was found, and where. */
const SYNTAX_ERRORS: [string, string][] = [
  ['SELECT a, (b FROM t', "Expected ')', found 'FROM' at line 1, column 14"],
  ['SELECT * FROM t WHERE', 'Expected an expression, found end of input at line 1, column 22'],
  ['SELECT *\nFROM t\nWHERE a = = 1', "Expected an expression, found '=' at line 3, column 11"],
  ['INSERT INTO t VALUES (1,\n  2', "Expected ')', found end of input at line 2, column 4"],
  ["SELECT '😀', x FROM", 'Expected a table name, found end of input at line 1, column 19'],
  ['SELECT CAST(x AS) FROM t', "Expected a data type, found ')' at line 1, column 17"],
  ['SELECT * FROM t ORDER x', 'SQL statement is not supported, keyword: ORDER'],
  ['SELECT * FROM t GROUP BY', 'Expected an expression, found end of input at line 1, column 25'],
  ['CREATE TABLE IF NOT t()', "Expected EXISTS, found 't' at line 1, column 21"],
  ['CREATE VIEW v AS', 'Expected SELECT, VALUES or a parenthesized query, found end of input at line 1, column 17'],
  ['SELECT x IN 1', "Expected '(', found '1' at line 1, column 13"],
  ['SELECT a BETWEEN 1 OR 2', "Expected AND, found 'OR' at line 1, column 20"],
  ['DELETE t', "Expected FROM, found 't' at line 1, column 8"],
  ['SELECT count(*) OVER (ROWS 1) FROM t', "Expected PRECEDING or FOLLOWING, found ')' at line 1, column 29"],
  [
    'ALTER TABLE t FROB x',
    "Expected ADD, DROP, MODIFY, RENAME, SET, UNSET, PARTITION, REPARTITION, SPLIT or MERGE after ALTER TABLE, found 'FROB' at line 1, column 15",
  ],
];

test('syntax errors: InvalidSyntax with expected, found, line and column', () => {
  for (const [sql, message] of SYNTAX_ERRORS) {
    assert.throws(
      () => parseSql(sql),
      (error: unknown) => {
        assert.ok(error instanceof TesseraError, sql);
        assert.equal(error.message, message, sql);
        const expectedCode = message.startsWith('SQL statement is not supported')
          ? ErrorCode.Unsupported
          : ErrorCode.InvalidSyntax;
        assert.equal(error.code, expectedCode, sql);
        return true;
      },
      sql,
    );
  }
});

test('syntax errors: positions count lines of the whole text, not of the statement', () => {
  assert.throws(
    () => parseSql('SELECT 1;\nSELECT 2;\nSELECT (3'),
    /Expected '\)', found end of input at line 3, column 10/,
  );
});

test('syntax errors: long tokens are shortened in messages', () => {
  assert.throws(
    () => parseSql(`SELECT (1 ${'y'.repeat(100)}`),
    /Expected '\)', found 'y{37}\.\.\.' at line 1, column 11/,
  );
});

test('syntax errors: errors cross processes as { code, message, retryable }', () => {
  try {
    parseSql('SELECT (');
    assert.fail('should have thrown');
  } catch (error) {
    assert.ok(error instanceof TesseraError);
    assert.deepEqual(error.toWire(), {
      code: 2000,
      message: 'Expected an expression, found end of input at line 1, column 9',
      retryable: false,
    });
  }
});
