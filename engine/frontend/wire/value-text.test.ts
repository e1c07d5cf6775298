import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bindSql, prepareSql, sqlLiteral } from './prepared-statement.ts';
import { formatFloat, formatTimestamp, formatValue, wireTypeOf } from './value-text.ts';
import { timeZoneOffsetMinutes } from './wire-session.ts';

describe('wire value text', () => {
  test('floats print as Rust’s Display does', () => {
    assert.equal(formatFloat(1), '1');
    assert.equal(formatFloat(0.5), '0.5');
    assert.equal(formatFloat(1e20), '100000000000000000000');
    assert.equal(formatFloat(1e-7), '0.0000001');
    assert.equal(formatFloat(-2.5e-3), '-0.0025');
    assert.equal(formatFloat(NaN), 'NaN');
    assert.equal(formatFloat(-Infinity), '-inf');
    assert.equal(formatFloat(0.1 + 0.2), '0.30000000000000004');
    assert.equal(formatFloat(Math.fround(0.1), true), '0.1');
  });

  test('timestamps print in MySQL’s %.f and PostgreSQL’s styles, in the session’s offset', () => {
    assert.equal(formatTimestamp(1742302551758, 1e3, 0, 'mysql'), '2025-03-18 12:55:51.758');
    assert.equal(formatTimestamp(1742302551000, 1e3, 0, 'mysql'), '2025-03-18 12:55:51');
    assert.equal(formatTimestamp(1742302551000123, 1e6, 0, 'mysql'), '2025-03-18 12:55:51.000123');
    assert.equal(formatTimestamp(1742302551750000, 1e6, 0, 'postgres'), '2025-03-18 12:55:51.75');
    assert.equal(formatTimestamp(0, 1, 480, 'mysql'), '1970-01-01 08:00:00');
    assert.equal(formatTimestamp(-1, 1e3, 0, 'mysql'), '1969-12-31 23:59:59.999');
  });

  test('values follow their GreptimeDB type', () => {
    assert.equal(formatValue(true, wireTypeOf('Boolean'), 0, 'mysql'), '1');
    assert.equal(formatValue(false, wireTypeOf('Boolean'), 0, 'postgres'), 'f');
    assert.equal(formatValue(19000, wireTypeOf('Date'), 0, 'postgres'), '2022-01-08');
    assert.equal(formatValue(null, wireTypeOf('Int64'), 0, 'mysql'), null);
    assert.equal(formatValue(42, wireTypeOf('Int64'), 0, 'mysql'), '42');
  });

  test('time zones: UTC, fixed offsets and named zones; unknown ones fail', () => {
    assert.equal(timeZoneOffsetMinutes('UTC'), 0);
    assert.equal(timeZoneOffsetMinutes('+08:00'), 480);
    assert.equal(timeZoneOffsetMinutes('-05:30'), -330);
    assert.equal(timeZoneOffsetMinutes('Asia/Shanghai'), 480);
    assert.throws(() => timeZoneOffsetMinutes('Mars/Olympus'), /Invalid timezone/);
  });
});

describe('prepared statements', () => {
  test('? and $n placeholders are replaced by literals, not inside strings', () => {
    const prepared = prepareSql("SELECT ?, '?', ? FROM t WHERE a = ?");
    assert.equal(prepared.parameterCount, 3);
    assert.equal(bindSql(prepared, ['1', "'x'", 'NULL']), "SELECT 1, '?', 'x' FROM t WHERE a = NULL");
    const numbered = prepareSql('SELECT $2, $1, $2');
    assert.equal(bindSql(numbered, ['1', '2']), 'SELECT 2, 1, 2');
    assert.throws(() => bindSql(numbered, ['1']), /expected 2 parameters but got 1/);
  });

  test('literals escape quotes and keep exact integers', () => {
    assert.equal(sqlLiteral("it's"), "'it''s'");
    assert.equal(sqlLiteral(9007199254740993n), '9007199254740993');
    assert.equal(sqlLiteral(null), 'NULL');
    assert.equal(sqlLiteral(Buffer.from([1, 255])), "X'01ff'");
    assert.equal(sqlLiteral(true), 'TRUE');
  });
});
